/**
 * The checks a parquet file must pass, as small pure functions. Each returns undefined when
 * the file passes, or a FailedCheck whose message says what was wrong, where, and what to do.
 */
import type { SchemaElement } from "hyparquet";
import {
  DMS_COLUMNS,
  lakeName,
  metadataObjectKey,
  type TableMetadata,
} from "../../../lib/metadata";
import { mapOracleType } from "../../../lib/oracleTypes";
import type { FailedCheck } from "../../../lib/lambda/alert";
import { describeParquetType, typeMismatch } from "./parquetTypes";

/** Every check, in the order they run. */
export type CheckName =
  | "key-layout"
  | "not-empty"
  | "known-table"
  | "readable-parquet"
  | "columns-present"
  | "column-types"
  | "no-unknown-columns"
  | "primary-key-not-null";

export interface Failure extends FailedCheck {
  readonly check: CheckName;
}

/** A top-level column of the parquet file. */
export interface ParquetColumn {
  readonly name: string;
  readonly element: SchemaElement;
}

export type UnknownColumnsMode = "fail" | "warn";

const DMS_COLUMN_LIST = Object.values(DMS_COLUMNS);

/** Where the table's metadata lives in this repository, for "what to do" hints. */
export const metadataFile = (table: TableMetadata) =>
  `metadata/databases/${table.database}/${lakeName(table.name)}.json`;

const tableName = (table: TableMetadata) => `${table.database}.${lakeName(table.name)}`;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
/** `column a` or `2 columns a, b`. */
const columnList = (names: readonly string[]) =>
  names.length === 1 ? `column ${names[0]}` : `${names.length} columns ${names.join(", ")}`;

/** Finds a file column by name; parquet names are lower-case except DMS's `Op`, so compare case-insensitively. */
export function findColumn(
  columns: readonly ParquetColumn[],
  name: string,
): ParquetColumn | undefined {
  const wanted = name.toLowerCase();
  return columns.find((c) => c.name.toLowerCase() === wanted);
}

export function checkColumnsPresent(
  table: TableMetadata,
  columns: readonly ParquetColumn[],
): Failure | undefined {
  const missing = table.columns
    .filter((c) => !findColumn(columns, c.name))
    .map((c) => lakeName(c.name));
  if (missing.length === 0) return undefined;
  return {
    check: "columns-present",
    message:
      `missing ${columnList(missing)}: the metadata of ${tableName(table)} ` +
      `lists ${missing.length === 1 ? "it" : "them"} but the file has no such column; check the DMS table mapping, ` +
      `or remove ${missing.length === 1 ? "it" : "them"} from ${metadataFile(table)} if the source table dropped ` +
      `${missing.length === 1 ? "it" : "them"}`,
  };
}

export function checkColumnTypes(
  table: TableMetadata,
  columns: readonly ParquetColumn[],
): Failure | undefined {
  const problems: string[] = [];
  for (const c of table.columns) {
    const column = findColumn(columns, c.name);
    if (!column) continue;
    const mismatch = typeMismatch(mapOracleType(c.type), column.element);
    if (mismatch) {
      problems.push(
        `${column.name} (Oracle ${c.type}) is ${describeParquetType(column.element)}, ${mismatch}`,
      );
    }
  }
  for (const d of DMS_COLUMN_LIST) {
    const column = findColumn(columns, d.name);
    if (!column) continue;
    const mismatch = typeMismatch({ kind: d.kind, glueType: d.glueType }, column.element);
    if (mismatch)
      problems.push(
        `${column.name} (added by DMS) is ${describeParquetType(column.element)}, ${mismatch}`,
      );
  }
  if (problems.length === 0) return undefined;
  return {
    check: "column-types",
    message:
      `${plural(problems.length, "column")} of ${tableName(table)} ${problems.length === 1 ? "has" : "have"} ` +
      `an incompatible type: ${problems.join("; ")}; correct the type in ${metadataFile(table)} or the DMS endpoint settings`,
  };
}

/** Columns in the file that neither the metadata nor DMS knows. */
export function unknownColumns(table: TableMetadata, columns: readonly ParquetColumn[]): string[] {
  const known = new Set(
    [...table.columns.map((c) => c.name), ...DMS_COLUMN_LIST.map((d) => d.name)].map((n) =>
      n.toLowerCase(),
    ),
  );
  return columns.filter((c) => !known.has(c.name.toLowerCase())).map((c) => c.name);
}

export function checkUnknownColumns(
  table: TableMetadata,
  columns: readonly ParquetColumn[],
  mode: UnknownColumnsMode,
): { failure?: Failure; warning?: string } {
  const unknown = unknownColumns(table, columns);
  if (unknown.length === 0) return {};
  const text =
    `unknown ${columnList(unknown)}: not in the metadata of ${tableName(table)}; ` +
    `add ${unknown.length === 1 ? "it" : "them"} to ${metadataFile(table)}`;
  return mode === "warn"
    ? { warning: `${text} (UNKNOWN_COLUMNS=warn let the file through)` }
    : {
        failure: {
          check: "no-unknown-columns",
          message: `${text}, or set UNKNOWN_COLUMNS=warn to let such files through`,
        },
      };
}

/** Nulls found in one column: how many, and the first few row numbers (0-based). */
export interface NullCount {
  readonly count: number;
  readonly firstRows: readonly number[];
}

export function checkPrimaryKeyNulls(
  table: TableMetadata,
  nulls: ReadonlyMap<string, NullCount>,
): Failure | undefined {
  const problems: string[] = [];
  for (const key of table.primaryKey) {
    const found = nulls.get(key.toLowerCase());
    if (!found || found.count === 0) continue;
    const rows = found.firstRows.join(", ") + (found.count > found.firstRows.length ? ", ..." : "");
    problems.push(
      `${lakeName(key)} has ${plural(found.count, "null value")} (${found.count === 1 ? "row" : "rows"} ${rows})`,
    );
  }
  if (problems.length === 0) return undefined;
  return {
    check: "primary-key-not-null",
    message:
      `primary-key ${problems.length === 1 ? "column" : "columns"} of ${tableName(table)}: ${problems.join("; ")}; ` +
      `DMS should never write a null key: check the source rows and the primary key in ${metadataFile(table)}`,
  };
}

// Checks that come before the file's columns can be compared.

export const emptyFile = (): Failure => ({
  check: "not-empty",
  message:
    "the file is empty (0 bytes): DMS never writes empty files, so the write was cut short; reload the table in DMS if rows are missing",
});

export const badKey = (message: string): Failure => ({ check: "key-layout", message });

export const unknownTable = (database: string, table: string, detail: string): Failure => ({
  check: "known-table",
  message:
    `no metadata for table ${database}.${table}: ${detail}; add metadata/databases/${database}/${table}.json ` +
    `and publish it (the metadata project), or drop the table from the DMS table mapping`,
});

export const invalidMetadata = (database: string, table: string, detail: string): Failure => ({
  check: "known-table",
  message: `the metadata of ${database}.${table} (${metadataObjectKey(database, table)}) is invalid: ${detail}`,
});

export const unreadable = (detail: string): Failure => ({
  check: "readable-parquet",
  message: `${detail}; if DMS wrote this file, reload the table in DMS to replace its rows`,
});
