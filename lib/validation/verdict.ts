/**
 * The checks of one parquet file against its table, wherever the file is: the Lambda reads it
 * from S3, `npm run validate` from disk. Both call judgeFile, so both run exactly the same
 * checks. Only the footer and the columns that row-level rules need are read.
 */
import type { AsyncBuffer } from "hyparquet";
import type { TableMetadata } from "../model/tableMetadata";
import {
  checkColumnsPresent,
  checkColumnTypes,
  checkRows,
  checkUnknownColumns,
  emptyFile,
  rowRules,
  unreadable,
  type Failure,
} from "./checks";
import { type UnknownColumnsMode } from "../contracts/validateEnv";
import { readParquetSummary, scanRows, UnreadableParquetError } from "./parquet";

export interface Verdict {
  readonly failures: Failure[];
  readonly warnings: string[];
  /** Rows in the file, when its footer could be read. */
  readonly rows: number | null;
}

export const failedWith = (failure: Failure, rows: number | null = null): Verdict => ({
  failures: [failure],
  warnings: [],
  rows,
});

/**
 * Judges a file of `table`. `fileName` is the last part of its landing key: a full-load file
 * (`LOAD00000001.parquet`) has no stream position yet, a CDC file must have one.
 * Storage errors are thrown (they are not the file's fault); problems of the file are failures.
 */
export async function judgeFile(
  file: AsyncBuffer,
  table: TableMetadata,
  fileName: string,
  unknownColumns: UnknownColumnsMode,
): Promise<Verdict> {
  if (file.byteLength === 0) return failedWith(emptyFile());
  let summary;
  try {
    summary = await readParquetSummary(file);
  } catch (e) {
    if (e instanceof UnreadableParquetError) return failedWith(unreadable(e.message));
    throw e;
  }
  const failures: Failure[] = [];
  const warnings: string[] = [];
  const present = checkColumnsPresent(table, summary.columns);
  if (present) failures.push(present);
  const types = checkColumnTypes(table, summary.columns);
  if (types) failures.push(types);
  const unknown = checkUnknownColumns(table, summary.columns, unknownColumns);
  if (unknown.failure) failures.push(unknown.failure);
  if (unknown.warning) warnings.push(unknown.warning);
  const rules = rowRules(table, fileName);
  try {
    failures.push(...checkRows(table, rules, await scanRows(file, summary, rules)));
  } catch (e) {
    if (!(e instanceof UnreadableParquetError)) throw e;
    failures.push(unreadable(e.message));
  }
  return { failures, warnings, rows: summary.rows };
}
