/**
 * The checks a parquet file must pass, as small pure functions. Each returns undefined when
 * the file passes, or a FailedCheck whose message says what was wrong, where, and what to do.
 */
import type { SchemaElement } from "hyparquet";
import { DMS_COLUMNS, DMS_OPERATIONS, DMS_TIMESTAMP_FORMAT } from "../model/dmsColumns";
import { inTransition, lakeName, type TableMetadata } from "../model/tableMetadata";
import { FULL_LOAD_FILE, metadataBundleKey } from "../contracts/lakeKeys";
import type { UnknownColumnsMode } from "../contracts/validateEnv";
import { mapOracleType } from "../model/oracleTypes";
import type { FailedCheck } from "../contracts/alerts";
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
  | "primary-key-not-null"
  | "operation-values"
  | "timestamp-format"
  | "stream-position";

export interface Failure extends FailedCheck {
  readonly check: CheckName;
}

/** A top-level column of the parquet file. */
export interface ParquetColumn {
  readonly name: string;
  readonly element: SchemaElement;
}

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

/** Where each column DMS adds comes from, for "what to do" hints. */
const DMS_COLUMN_ORIGIN: Record<string, string> = {
  [DMS_COLUMNS.operation.name]:
    "the S3 target endpoint writes Op (IncludeOpForFullLoad for full load; pipelines/dmsPipeline.ts)",
  [DMS_COLUMNS.commitTimestamp.name]:
    "the S3 target endpoint's TimestampColumnName adds it (pipelines/dmsPipeline.ts)",
  [DMS_COLUMNS.streamPosition.name]:
    "the table mapping's add-column rule adds it (streamPositionRules in pipelines/tableMappings.ts)",
};

export function checkColumnsPresent(
  table: TableMetadata,
  columns: readonly ParquetColumn[],
): Failure | undefined {
  // A column in transition (being added to or dropped from the source) may be absent.
  const missing = table.columns
    .filter((c) => !inTransition(c) && !findColumn(columns, c.name))
    .map((c) => lakeName(c.name));
  const missingDms = DMS_COLUMN_LIST.filter((d) => !findColumn(columns, d.name));
  if (missing.length === 0 && missingDms.length === 0) return undefined;
  const parts: string[] = [];
  if (missing.length > 0)
    parts.push(
      `missing ${columnList(missing)}: the metadata of ${tableName(table)} ` +
        `lists ${missing.length === 1 ? "it" : "them"} but the file has no such column; check the DMS table mapping, ` +
        `or remove ${missing.length === 1 ? "it" : "them"} from ${metadataFile(table)} if the source table dropped ` +
        `${missing.length === 1 ? "it" : "them"}`,
    );
  for (const d of missingDms)
    parts.push(
      `missing column ${d.name}, which DMS adds to every file: ${DMS_COLUMN_ORIGIN[d.name]}; ` +
        `check that the task runs with this repository's endpoint settings and table mappings`,
    );
  return { check: "columns-present", message: parts.join("; ") };
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

/** Values of one column that a row-level rule refused: how many, the first few rows (0-based) and values. */
export interface Offences {
  readonly count: number;
  readonly firstRows: readonly number[];
  /** The first few refused values, as people read them (`null`, `"X"`). */
  readonly examples: readonly string[];
}

/** A rule every value of one column must satisfy; only these columns are decoded. */
export interface RowRule {
  readonly check: CheckName;
  /** The column's name, lower case. */
  readonly column: string;
  /** What the refused values are, for messages: `null`, `not I, U or D`. */
  readonly refused: string;
  readonly accepts: (value: unknown) => boolean;
}

const isText = (v: unknown): v is string => typeof v === "string";

/**
 * The row-level rules of a file: primary keys are never null; Op is I, U or D; the timestamp
 * column is in DMS's format; CDC rows carry their stream position (full load leaves it empty).
 * Facts: DMS_COLUMNS in lib/model/dmsColumns.ts and the AWS pages cited there.
 */
export function rowRules(table: TableMetadata, fileName: string): RowRule[] {
  const rules: RowRule[] = table.primaryKey.map((key) => ({
    check: "primary-key-not-null",
    column: lakeName(key),
    refused: "null",
    accepts: (v) => v !== null && v !== undefined,
  }));
  rules.push(
    {
      check: "operation-values",
      column: DMS_COLUMNS.operation.name,
      refused: `not ${DMS_OPERATIONS.slice(0, -1).join(", ")} or ${DMS_OPERATIONS.at(-1)}`,
      accepts: (v) => isText(v) && (DMS_OPERATIONS as readonly string[]).includes(v),
    },
    {
      check: "timestamp-format",
      column: DMS_COLUMNS.commitTimestamp.name,
      refused: "not in the format yyyy-MM-dd HH:mm:ss.SSSSSS",
      accepts: (v) => isText(v) && DMS_TIMESTAMP_FORMAT.test(v),
    },
  );
  if (!FULL_LOAD_FILE.test(fileName))
    rules.push({
      check: "stream-position",
      column: DMS_COLUMNS.streamPosition.name,
      refused: "empty (a change without its SCN)",
      accepts: (v) => isText(v) && v.trim() !== "",
    });
  return rules;
}

const HINTS: Partial<Record<CheckName, (table: TableMetadata) => string>> = {
  "primary-key-not-null": (table) =>
    `DMS should never write a null key: check the source rows and the primary key in ${metadataFile(table)}`,
  "operation-values": () =>
    "DMS writes only I, U and D in Op: the file was not written by this task's S3 endpoint",
  "timestamp-format": () =>
    "DMS writes TimestampColumnName values as yyyy-MM-dd HH:mm:ss.SSSSSS: check the S3 target endpoint settings",
  "stream-position": () =>
    "the add-column rule fills scn from $AR_H_STREAM_POSITION on every change: check the task's table mappings",
};

/** One failure per check whose rule refused values, with counts, rows and examples. */
export function checkRows(
  table: TableMetadata,
  rules: readonly RowRule[],
  offences: ReadonlyMap<RowRule, Offences>,
): Failure[] {
  const byCheck = new Map<CheckName, string[]>();
  for (const rule of rules) {
    const found = offences.get(rule);
    if (!found || found.count === 0) continue;
    const more = found.count > found.firstRows.length ? ", ..." : "";
    const isNull = rule.refused === "null";
    const text =
      `${rule.column} has ${isNull ? plural(found.count, "null value") : `${plural(found.count, "value")} ${rule.refused}`} ` +
      `(${found.count === 1 ? "row" : "rows"} ${found.firstRows.join(", ")}${more}` +
      (isNull ? ")" : `: ${found.examples.join(", ")}${more})`);
    byCheck.set(rule.check, [...(byCheck.get(rule.check) ?? []), text]);
  }
  return [...byCheck].map(([check, problems]) => ({
    check,
    message:
      (check === "primary-key-not-null"
        ? `primary-key ${problems.length === 1 ? "column" : "columns"} of ${tableName(table)}: `
        : `${tableName(table)}: `) + `${problems.join("; ")}; ${HINTS[check]?.(table) ?? ""}`,
  }));
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
  message: `the metadata of ${database}.${table} (${metadataBundleKey(database)}) is invalid: ${detail}`,
});

export const unreadable = (detail: string): Failure => ({
  check: "readable-parquet",
  message: `${detail}; if DMS wrote this file, reload the table in DMS to replace its rows`,
});
