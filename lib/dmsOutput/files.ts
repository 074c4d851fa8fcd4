/**
 * Parquet files in the shape AWS DMS writes to an S3 target with this repository's endpoint
 * settings (pipelines/replication.ts) and table mappings (pipelines/tableMappings.ts), as facts
 * from AWS's pages (../../../shared/reference/dms-s3-output.md lists them):
 * - File names: full load `LOAD00000001.parquet` (a hexadecimal counter), CDC files named by
 *   time, such as `20141029-1134010000.parquet`. AWS DMS user guide, "Using Amazon S3 as a
 *   target": https://docs.aws.amazon.com/dms/latest/userguide/CHAP_Target.S3.html
 * - `Op` (STRING): IncludeOpForFullLoad=true writes it on full load too, always `I`; CDC files
 *   hold I, U or D. AWS DMS API reference, S3Settings, IncludeOpForFullLoad:
 *   https://docs.aws.amazon.com/dms/latest/APIReference/API_S3Settings.html
 * - `extraction_timestamp` (TimestampColumnName): a STRING `yyyy-MM-dd HH:mm:ss.SSSSSS`, not a
 *   parquet TIMESTAMP; ParquetTimestampInMillisecond does not change it (same page).
 * - `scn`: the add-column rule with `$AR_H_STREAM_POSITION`, a string; empty on full load, the
 *   SCN on CDC. AWS DMS user guide, "Using transformation rule expressions to define column
 *   content" (source table headers):
 *   https://docs.aws.amazon.com/dms/latest/userguide/CHAP_Tasks.CustomizingTasks.TableMapping.SelectionTransformation.Expressions.html
 * - The table's own columns: parquetSchema.ts. Names are lower case (the convert-lowercase
 *   rules), except DMS's own `Op`. Every column is OPTIONAL; SNAPPY, as DMS writes.
 * `stacks diff`'s data check (tools/stacks/dataCheck) and the tests build their files here.
 */
import type { SchemaElement } from "hyparquet";
import { parquetWriteBuffer, type ColumnSource } from "hyparquet-writer";
import { lakeName } from "../model/tableMetadata";
import { dmsParquetElement, string } from "./parquetSchema";

/** A full-load file (LOAD00000001.parquet) or a CDC file (20261127-1200000000.parquet). */
export type FileKind = "full-load" | "cdc";

export interface Column {
  readonly element: SchemaElement;
  readonly data: unknown[];
}

/** The columns of the source table as DMS reads them: what decides a file's shape. */
export interface SourceShape {
  readonly primaryKey: readonly string[];
  readonly columns: readonly { readonly name: string; readonly type: string }[];
}

/** The first full-load file of a (re)load: DMS's counter starts at 1. */
export const FULL_LOAD_FILE_NAME = "LOAD00000001.parquet";

/** A CDC file's name for the time its changes were written: `20261203-1200000000.parquet`. */
export function cdcFileName(at: Date): string {
  const iso = at.toISOString(); // 2026-12-03T12:00:00.000Z
  return `${iso.slice(0, 10).replace(/-/g, "")}-${iso.slice(11, 19).replace(/:/g, "")}0000.parquet`;
}

/** The name of a file of each kind (CDC: written at `at`). */
export const fileName = (kind: FileKind, at = new Date("2026-12-03T12:00:00Z")) =>
  kind === "full-load" ? FULL_LOAD_FILE_NAME : cdcFileName(at);

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

/** Three values a column of this element can hold; a key column's are distinct and never null. */
export function sampleValues(element: SchemaElement, key: boolean): unknown[] {
  const last = (v: unknown) => (key ? v : null);
  switch (element.type) {
    case "INT32":
      return [1, 2, last(3)];
    case "INT64":
      return element.converted_type === "TIMESTAMP_MILLIS"
        ? [new Date("2026-11-01T10:00:00Z"), new Date("2026-11-02T10:00:00Z"), last(new Date(0))]
        : [1n, 2n, last(3n)];
    case "FIXED_LEN_BYTE_ARRAY":
      // Unscaled values: 1, 2 and 3 in the last decimal place fit every precision.
      return [1n, 2n, last(3n)];
    case "FLOAT":
    case "DOUBLE":
      return [0.5, 1.25, last(2)];
    case "BYTE_ARRAY":
      return element.converted_type === "UTF8"
        ? ["K1", "K2", last("K3")]
        : [new TextEncoder().encode("a"), new TextEncoder().encode("b"), last(new Uint8Array())];
    default:
      throw new Error(`no sample values for parquet type ${String(element.type)}`);
  }
}

/** The columns of three rows of a table, as DMS writes them: its own, then Op, timestamp, SCN. */
export function shapeColumns(shape: SourceShape, kind: FileKind): Map<string, Column> {
  const keys = new Set(shape.primaryKey);
  const dms = dmsColumns(kind);
  return new Map<string, Column>([
    ...dms.slice(0, 2),
    ...shape.columns.map((c): [string, Column] => {
      const element = dmsParquetElement(lakeName(c.name), c.type);
      return [element.name, { element, data: sampleValues(element, keys.has(c.name)) }];
    }),
    ...dms.slice(2),
  ]);
}

/** Writes the columns as a parquet file (all columns OPTIONAL, SNAPPY, as DMS does). */
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
    // Statistics and offset indexes are optional in parquet and no check reads them; without
    // them a file is written in a third of the time.
    offsetIndex: false,
  }));
  // hyparquet-writer depends on its own copy of hyparquet, whose SchemaElement type is the same shape.
  const writerSchema = schema as NonNullable<Parameters<typeof parquetWriteBuffer>[0]["schema"]>;
  return new Uint8Array(
    parquetWriteBuffer({
      columnData,
      schema: writerSchema,
      rowGroupSize: options.rowGroupSize,
      statistics: false,
    }),
  );
}

/** The file DMS writes for a table of this shape: its name and bytes. */
export function dmsFile(shape: SourceShape, kind: FileKind): { name: string; bytes: Uint8Array } {
  return { name: fileName(kind), bytes: writeParquet(shapeColumns(shape, kind)) };
}

/** A file in memory as hyparquet's AsyncBuffer, for the validation's judgeFile. */
export function inMemory(bytes: Uint8Array): {
  byteLength: number;
  slice(start: number, end?: number): ArrayBuffer;
} {
  return {
    byteLength: bytes.byteLength,
    slice: (start, end) =>
      bytes.buffer.slice(
        bytes.byteOffset + start,
        bytes.byteOffset + (end ?? bytes.byteLength),
      ) as ArrayBuffer,
  };
}
