/**
 * Parquet files for the tests: delius.offender with every mapped type, in the shape AWS DMS
 * writes. What DMS writes (file names, Op, extraction_timestamp, scn, OPTIONAL columns, SNAPPY)
 * is lib/dmsOutput/files.ts, with the AWS pages cited there (AWS DMS User Guide, "Using Amazon
 * S3 as a target for AWS DMS" and its parquet data types; summarised in the team's
 * reference/dms-s3-output.md); this file only picks values and
 * deliberately varied physical types for the table's own columns (DECIMAL over INT32, INT64,
 * FIXED_LEN_BYTE_ARRAY and BYTE_ARRAY, all of which the validation accepts), so that the tests
 * cover more than the one form lib/dmsOutput/parquetSchema.ts writes.
 */
import { dmsColumns, writeParquet, type Column, type FileKind } from "../dmsOutput/files";
import { decimal, string, timestamp } from "../dmsOutput/parquetSchema";

/** The table file the metadata project publishes for delius.offender: every mapped type. */
export const OFFENDER_TABLE = {
  name: "OFFENDER",
  schema: "DELIUS_APP",
  description: "People on probation",
  primaryKey: ["OFFENDER_ID"],
  columns: [
    { name: "OFFENDER_ID", type: "NUMBER(10)", nullable: false, description: "Key" },
    { name: "SURNAME", type: "VARCHAR2(35)", nullable: true, description: "Family name" },
    { name: "BALANCE", type: "NUMBER(12,2)", nullable: true, description: "Money owed" },
    { name: "RISK_LEVEL", type: "NUMBER(5)", nullable: true, description: "Risk level" },
    { name: "VERSION_NO", type: "NUMBER", nullable: true, description: "Row version" },
    { name: "SCORE", type: "BINARY_DOUBLE", nullable: true, description: "Score" },
    { name: "RATIO", type: "BINARY_FLOAT", nullable: true, description: "Ratio" },
    { name: "NOTES", type: "CLOB", nullable: true, description: "Free text" },
    { name: "DATE_OF_BIRTH", type: "DATE", nullable: true, description: "Born on" },
    { name: "LAST_UPDATED", type: "TIMESTAMP(6)", nullable: true, description: "Changed at" },
    {
      name: "CREATED_AT",
      type: "TIMESTAMP(6) WITH TIME ZONE",
      nullable: true,
      description: "Created at",
    },
    {
      name: "SEEN_AT",
      type: "TIMESTAMP(3) WITH LOCAL TIME ZONE",
      nullable: true,
      description: "Seen at",
    },
    { name: "PHOTO", type: "BLOB", nullable: true, description: "Photograph" },
  ],
};

export const OFFENDER_TABLE_JSON = `${JSON.stringify(OFFENDER_TABLE, null, 2)}\n`;

const bytes = (text: string) => new TextEncoder().encode(text);

/** Three rows of delius.offender, as DMS writes them, column by column. */
export function offenderColumns(kind: FileKind = "full-load"): Map<string, Column> {
  const day = (iso: string) => new Date(`${iso}T00:00:00Z`);
  const columns: [string, Column][] = [
    ...dmsColumns(kind).slice(0, 2),
    [
      "offender_id",
      { element: decimal("offender_id", "INT64", 10, 0), data: [1001n, 1002n, 1003n] },
    ],
    ["surname", { element: string("surname"), data: ["Smith", null, "O'Brien"] }],
    [
      "balance",
      {
        element: decimal("balance", "FIXED_LEN_BYTE_ARRAY", 12, 2, { type_length: 6 }),
        data: [12.5, null, -3.25],
      },
    ],
    ["risk_level", { element: decimal("risk_level", "INT32", 5, 0), data: [1, 2, null] }],
    ["version_no", { element: decimal("version_no", "BYTE_ARRAY", 38, 10), data: [1, 2, 3] }],
    ["score", { element: { name: "score", type: "DOUBLE" }, data: [0.5, 1.25, null] }],
    ["ratio", { element: { name: "ratio", type: "FLOAT" }, data: [0.5, null, 2] }],
    ["notes", { element: string("notes"), data: ["first", "second", null] }],
    [
      "date_of_birth",
      {
        element: timestamp("date_of_birth", "MILLIS"),
        data: [day("1980-01-02"), day("1990-03-04"), null],
      },
    ],
    [
      "last_updated",
      {
        element: timestamp("last_updated", "MILLIS"),
        data: [day("2026-11-01"), day("2026-11-02"), day("2026-11-03")],
      },
    ],
    [
      "created_at",
      { element: string("created_at"), data: ["2026-11-01 10:00:00.000000 +00:00", null, null] },
    ],
    ["seen_at", { element: string("seen_at"), data: ["2026-11-01 10:00:00.000", null, null] }],
    [
      "photo",
      { element: { name: "photo", type: "BYTE_ARRAY" }, data: [bytes("jpeg"), null, bytes("png")] },
    ],
    ...dmsColumns(kind).slice(2),
  ];
  return new Map(columns);
}

/** delius.offender with changes applied to the valid columns: replace or drop (undefined) some. */
export function offenderFile(
  changes: Record<string, Column | undefined> = {},
  options: { rowGroupSize?: number; kind?: FileKind } = {},
): Uint8Array {
  const columns = offenderColumns(options.kind);
  for (const [name, column] of Object.entries(changes)) {
    if (column === undefined) columns.delete(name);
    else columns.set(name, column);
  }
  return writeParquet(columns, options);
}

export { decimal, dmsColumns, string, timestamp, writeParquet, type Column, type FileKind };
