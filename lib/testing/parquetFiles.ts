/**
 * Parquet files for the tests, written with hyparquet-writer in the shape AWS DMS documents
 * for an S3 target with this repository's endpoint settings (pipelines/dmsPipeline.ts) and
 * table mappings (pipelines/tableMappings.ts). Every column DMS adds has a case:
 * - `Op` (STRING): IncludeOpForFullLoad=true writes it on full load too, always `I`; CDC files
 *   hold I, U or D. AWS DMS API reference, S3Settings, IncludeOpForFullLoad:
 *   https://docs.aws.amazon.com/dms/latest/APIReference/API_S3Settings.html
 * - `extraction_timestamp` (TimestampColumnName): a STRING `yyyy-MM-dd HH:mm:ss.SSSSSS`, not a
 *   parquet TIMESTAMP; ParquetTimestampInMillisecond does not change it (same page).
 * - `scn`: the add-column rule with `$AR_H_STREAM_POSITION`, a string; empty on full load, the
 *   SCN on CDC. AWS DMS user guide, "Using transformation rule expressions to define column
 *   content" (source table headers):
 *   https://docs.aws.amazon.com/dms/latest/userguide/CHAP_Tasks.CustomizingTasks.TableMapping.SelectionTransformation.Expressions.html
 * The table's own columns have the parquet types of the DMS Oracle-source and S3-target type
 * tables (cited in lib/model/oracleTypes.ts): NUMBER(p,s) as DECIMAL, DATE and TIMESTAMP as
 * TIMESTAMP in milliseconds (ParquetTimestampInMillisecond=true), TIMESTAMP WITH (LOCAL) TIME
 * ZONE as STRING, CLOB as STRING, BLOB as plain BYTE_ARRAY. Names are lower case (the
 * convert-lowercase rules), except DMS's own `Op`. Column order does not matter to validation.
 */
import type { SchemaElement } from "hyparquet";
import { parquetWriteBuffer, type ColumnSource } from "hyparquet-writer";

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

interface Column {
  readonly element: SchemaElement;
  readonly data: unknown[];
}

const decimal = (
  name: string,
  type: SchemaElement["type"],
  precision: number,
  scale: number,
  extra: Partial<SchemaElement> = {},
) => ({
  name,
  type,
  converted_type: "DECIMAL" as const,
  precision,
  scale,
  logical_type: { type: "DECIMAL" as const, precision, scale },
  ...extra,
});
const string = (name: string): SchemaElement => ({
  name,
  type: "BYTE_ARRAY",
  converted_type: "UTF8",
  logical_type: { type: "STRING" },
});
const timestamp = (name: string, unit: "MILLIS" | "MICROS"): SchemaElement => ({
  name,
  type: "INT64",
  converted_type: unit === "MILLIS" ? "TIMESTAMP_MILLIS" : "TIMESTAMP_MICROS",
  logical_type: { type: "TIMESTAMP", isAdjustedToUTC: false, unit },
});

const bytes = (text: string) => new TextEncoder().encode(text);

/** A full-load file (LOAD00000001.parquet) or a CDC file (20261127-1200000000.parquet). */
export type FileKind = "full-load" | "cdc";

/** What DMS adds to three rows, per kind of file (see the top of this file). */
export function dmsColumns(kind: FileKind): [string, Column][] {
  const at = "2026-11-27 12:00:00.123456";
  return [
    ["Op", { element: string("Op"), data: kind === "cdc" ? ["I", "U", "D"] : ["I", "I", "I"] }],
    ["extraction_timestamp", { element: string("extraction_timestamp"), data: [at, at, at] }],
    [
      "scn",
      {
        element: string("scn"),
        // Two changes of one transaction share a commit time; the SCN still orders them.
        data: kind === "cdc" ? ["8123456789", "8123456790", "8123456790"] : ["", "", ""],
      },
    ],
  ];
}

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

/** Writes the columns as a parquet file (all columns nullable, SNAPPY, as DMS does). */
export function writeParquet(
  columns: Map<string, Column> | Column[],
  options: { rowGroupSize?: number } = {},
): Uint8Array {
  const list = [...columns.values()];
  const schema: SchemaElement[] = [
    { name: "root", num_children: list.length },
    ...list.map((c) => ({ repetition_type: "OPTIONAL" as const, ...c.element })),
  ];
  const columnData: ColumnSource[] = list.map((c) => ({
    name: c.element.name,
    data: c.data as ColumnSource["data"],
  }));
  // hyparquet-writer depends on its own copy of hyparquet, whose SchemaElement type is the same shape.
  const writerSchema = schema as NonNullable<Parameters<typeof parquetWriteBuffer>[0]["schema"]>;
  return new Uint8Array(
    parquetWriteBuffer({ columnData, schema: writerSchema, rowGroupSize: options.rowGroupSize }),
  );
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

export { decimal, string, timestamp };
