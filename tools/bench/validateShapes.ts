/**
 * The two DMS-shaped tables of `npm run bench:validate`: a narrow one (numbers, short strings,
 * dates) and a LOB-heavy one (a CLOB and a BLOB of tens of KB per row), and a generator that
 * writes either as a CDC file of a given size, one row group at a time, so memory stays flat.
 * Shape as in lib/testing/parquetFiles.ts (cited there): Op,
 * extraction_timestamp (string), the table's columns, scn (string); SNAPPY; 10,000 rows per
 * row group, DMS's default RowGroupLength (AWS DMS API reference, S3Settings.RowGroupLength).
 */
import * as fs from "node:fs";
import type { SchemaElement } from "hyparquet";
import { fileWriter, ParquetWriter, type ColumnSource } from "hyparquet-writer";
import { parseTableFile, type TableMetadata } from "../../lib/model/tableMetadata";
import { mulberry32 } from "../../lib/model/random";

export type Shape = "narrow" | "lob-heavy";

export const DMS_ROW_GROUP_ROWS = 10_000;

const column = (name: string, type: string, description = name) => ({
  name,
  type,
  nullable: name !== "OFFENDER_ID",
  description,
});

const TABLES: Record<Shape, object> = {
  narrow: {
    name: "OFFENDER",
    schema: "DELIUS_APP",
    description: "Benchmark: a narrow table",
    primaryKey: ["OFFENDER_ID"],
    columns: [
      column("OFFENDER_ID", "NUMBER(10)"),
      column("CRN", "VARCHAR2(7)"),
      column("SURNAME", "VARCHAR2(35)"),
      column("NOTES", "VARCHAR2(200)"),
      column("BALANCE", "NUMBER(12,2)"),
      column("DATE_OF_BIRTH", "DATE"),
      column("LAST_UPDATED", "TIMESTAMP(6)"),
    ],
  },
  "lob-heavy": {
    name: "OFFENDER",
    schema: "DELIUS_APP",
    description: "Benchmark: a table of large objects",
    primaryKey: ["OFFENDER_ID"],
    columns: [
      column("OFFENDER_ID", "NUMBER(10)"),
      column("LAST_UPDATED", "TIMESTAMP(6)"),
      column("DOCUMENT", "CLOB"),
      column("SCAN", "BLOB"),
    ],
  },
};

export function benchTable(shape: Shape): TableMetadata {
  return parseTableFile("offender.json", JSON.stringify(TABLES[shape]), "delius");
}

const str = (name: string): SchemaElement => ({
  name,
  type: "BYTE_ARRAY",
  converted_type: "UTF8",
  logical_type: { type: "STRING" },
  repetition_type: "OPTIONAL",
});
const dec = (name: string, type: "INT64" | "FIXED_LEN_BYTE_ARRAY", p: number, s: number) => ({
  name,
  type,
  ...(type === "FIXED_LEN_BYTE_ARRAY" ? { type_length: 6 } : {}),
  converted_type: "DECIMAL" as const,
  precision: p,
  scale: s,
  logical_type: { type: "DECIMAL" as const, precision: p, scale: s },
  repetition_type: "OPTIONAL" as const,
});
const ts = (name: string): SchemaElement => ({
  name,
  type: "INT64",
  converted_type: "TIMESTAMP_MILLIS",
  logical_type: { type: "TIMESTAMP", isAdjustedToUTC: false, unit: "MILLIS" },
  repetition_type: "OPTIONAL",
});

/** Writes a CDC file of about `targetBytes`; returns its rows and row groups. */
export function writeDmsFile(
  file: string,
  shape: Shape,
  targetBytes: number,
): { rows: number; rowGroups: number } {
  const rnd = mulberry32(shape === "narrow" ? 1 : 2);
  const alphabet = "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,";
  // Text that snappy cannot shrink much: random characters, sliced at random offsets.
  const pool = Array.from(
    { length: 1 << 20 },
    () => alphabet[Math.floor(rnd() * alphabet.length)],
  ).join("");
  const blobPool = new Uint8Array(1 << 20).map(() => Math.floor(rnd() * 256));
  const text = (min: number, max: number) => {
    const length = min + Math.floor(rnd() * (max - min));
    const at = Math.floor(rnd() * (pool.length - length));
    return pool.slice(at, at + length);
  };
  const schema: SchemaElement[] =
    shape === "narrow"
      ? [
          str("Op"),
          str("extraction_timestamp"),
          dec("offender_id", "INT64", 10, 0),
          str("crn"),
          str("surname"),
          str("notes"),
          dec("balance", "FIXED_LEN_BYTE_ARRAY", 12, 2),
          ts("date_of_birth"),
          ts("last_updated"),
          str("scn"),
        ]
      : [
          str("Op"),
          str("extraction_timestamp"),
          dec("offender_id", "INT64", 10, 0),
          ts("last_updated"),
          str("document"),
          { name: "scan", type: "BYTE_ARRAY", repetition_type: "OPTIONAL" },
          str("scn"),
        ];
  const writer = new ParquetWriter({
    writer: fileWriter(file),
    schema: [{ name: "root", num_children: schema.length }, ...schema] as never,
  });
  // Bytes per row, first guessed, then measured: the last row group is cut short so that the
  // file ends near its target size (DMS closes a file at MaxFileSize the same way).
  let bytesPerRow = shape === "narrow" ? 120 : 68_000;
  let rows = 0;
  let rowGroups = 0;
  const ops = ["I", "U", "D"];
  const base = Date.UTC(2026, 10, 27, 12);
  let size = 0;
  while (size < targetBytes) {
    const n = Math.min(
      DMS_ROW_GROUP_ROWS,
      Math.max(1, Math.ceil((targetBytes - size) / bytesPerRow)),
    );
    const ids = Array.from({ length: n }, (_, i) => BigInt(rows + i + 1));
    const at = (i: number) =>
      new Date(base + (rows + i) * 3).toISOString().replace("T", " ").replace("Z", "000");
    const common: Record<string, unknown[]> = {
      Op: Array.from({ length: n }, () => ops[Math.floor(rnd() * 3)]),
      extraction_timestamp: Array.from({ length: n }, (_, i) => at(i)),
      offender_id: ids,
      last_updated: Array.from({ length: n }, (_, i) => new Date(base - (rows + i) * 1000)),
      scn: Array.from({ length: n }, (_, i) => String(8_000_000_000 + rows + i)),
    };
    const own: Record<string, unknown[]> =
      shape === "narrow"
        ? {
            crn: ids.map((id) => `X${String(id).padStart(6, "0")}`.slice(-7)),
            surname: Array.from({ length: n }, () => text(4, 20)),
            notes: Array.from({ length: n }, () => (rnd() < 0.3 ? null : text(20, 200))),
            balance: Array.from({ length: n }, () => Math.round(rnd() * 1e6) / 100),
            date_of_birth: Array.from(
              { length: n },
              () => new Date(base - Math.floor(rnd() * 2e12)),
            ),
          }
        : {
            // DMS's limited LOB mode truncates at the task's LobMaxSize (64 KB here).
            document: Array.from({ length: n }, () => text(8_000, 64_000)),
            scan: Array.from({ length: n }, () => {
              const length = 4_000 + Math.floor(rnd() * 60_000);
              const offset = Math.floor(rnd() * (blobPool.length - length));
              return blobPool.subarray(offset, offset + length);
            }),
          };
    const data = { ...common, ...own };
    const columnData: ColumnSource[] = schema.map((e) => ({
      name: e.name,
      data: data[e.name] as ColumnSource["data"],
    }));
    // fileWriter flushes synchronously, so write and finish return nothing to wait for.
    void writer.write({ columnData, rowGroupSize: n });
    rows += n;
    rowGroups++;
    size = fs.statSync(file).size;
    bytesPerRow = Math.max(1, size / rows);
  }
  void writer.finish();
  return { rows, rowGroups };
}
