/**
 * Reading a parquet file with hyparquet: its columns and row count from the footer, then only
 * the columns that row-level rules need, one row group at a time. The other columns (often
 * the LOBs, most of a file's bytes) are never fetched nor decoded, so a 1 GB file fits in a
 * fraction of the Lambda's memory; their types are still checked from the footer.
 */
import * as zlib from "node:zlib";
import {
  parquetMetadataAsync,
  parquetRead,
  parquetSchema,
  type AsyncBuffer,
  type Compressors,
  type FileMetaData,
} from "hyparquet";
import type { Offences, ParquetColumn, RowRule } from "./checks";

/** The file could not be read as parquet: it belongs in the fail bucket. */
export class UnreadableParquetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnreadableParquetError";
  }
}

/**
 * Storage failed while reading (throttling, network, permissions): not the file's fault, so
 * the invocation fails and the event is retried.
 */
export class StorageReadError extends Error {
  constructor(
    message: string,
    override readonly cause: unknown,
  ) {
    super(message);
    this.name = "StorageReadError";
  }
}

/** Decompressors beyond the SNAPPY that hyparquet has built in. */
const zstd = (zlib as { zstdDecompressSync?: (b: Uint8Array) => Buffer }).zstdDecompressSync;
export const COMPRESSORS: Compressors = {
  GZIP: (input) => new Uint8Array(zlib.gunzipSync(input)),
  BROTLI: (input) => new Uint8Array(zlib.brotliDecompressSync(input)),
  ...(zstd ? { ZSTD: (input: Uint8Array) => new Uint8Array(zstd(input)) } : {}),
};

const MAGIC = "PAR1";

export interface ParquetSummary {
  readonly rows: number;
  readonly columns: ParquetColumn[];
  readonly metadata: FileMetaData;
}

const text = (b: ArrayBuffer) => Buffer.from(b).toString("latin1");

async function slice(file: AsyncBuffer, start: number, end: number): Promise<ArrayBuffer> {
  return await file.slice(start, end);
}

/** Reads the footer: the columns and the row count. */
export async function readParquetSummary(file: AsyncBuffer): Promise<ParquetSummary> {
  const size = file.byteLength;
  if (size < 12) {
    throw new UnreadableParquetError(
      `not a parquet file: ${size} bytes, fewer than the 12 that the smallest parquet file has`,
    );
  }
  const head = text(await slice(file, 0, 4));
  const tail = text(await slice(file, size - 4, size));
  if (head !== MAGIC) {
    throw new UnreadableParquetError(
      `not a parquet file: it does not start with the parquet magic bytes ${MAGIC} (it starts with ${JSON.stringify(head)})`,
    );
  }
  if (tail !== MAGIC) {
    const hint =
      tail === "PARE"
        ? "its footer is encrypted, which is not supported"
        : "it is truncated or corrupt";
    throw new UnreadableParquetError(
      `not a readable parquet file: it does not end with ${MAGIC}, so ${hint}`,
    );
  }
  let metadata: FileMetaData;
  try {
    metadata = await parquetMetadataAsync(file);
  } catch (e) {
    if (e instanceof StorageReadError) throw e;
    throw new UnreadableParquetError(
      `the parquet footer cannot be read (${(e as Error).message}): the file is corrupt`,
    );
  }
  let columns: ParquetColumn[];
  try {
    columns = parquetSchema(metadata).children.map((c) => ({
      name: c.element.name,
      element: c.element,
    }));
  } catch (e) {
    throw new UnreadableParquetError(
      `the parquet schema cannot be read (${(e as Error).message}): the file is corrupt`,
    );
  }
  return { rows: Number(metadata.num_rows), columns, metadata };
}

/** At most this many row numbers and values are kept per rule for messages. */
const MAX_REPORTED = 5;

function show(value: unknown): string {
  if (value === null || value === undefined) return "null";
  const text =
    JSON.stringify(typeof value === "bigint" ? value.toString() : value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

/** Row groups decoded at once: S3 answers each range read in tens of milliseconds, so keep a few in flight. */
export const ROW_GROUPS_IN_FLIGHT = 8;

interface Tally {
  count: number;
  firstRows: number[];
  examples: string[];
}

/**
 * Decodes the columns the rules name (those the file has), a few row groups at a time, and
 * collects the values each rule refuses (the first rows in file order). Throws
 * UnreadableParquetError when a page of those columns cannot be decoded.
 */
export async function scanRows(
  file: AsyncBuffer,
  summary: ParquetSummary,
  rules: readonly RowRule[],
): Promise<Map<RowRule, Offences>> {
  const rulesByFileName = new Map<string, RowRule[]>();
  const found: RowRule[] = [];
  for (const rule of rules) {
    const column = summary.columns.find((c) => c.name.toLowerCase() === rule.column);
    if (!column) continue; // columns-present reports it
    found.push(rule);
    rulesByFileName.set(column.name, [...(rulesByFileName.get(column.name) ?? []), rule]);
  }
  const columns = [...rulesByFileName.keys()];
  const groups: { index: number; rowStart: number; rowEnd: number }[] = [];
  let start = 0;
  for (const [index, group] of summary.metadata.row_groups.entries()) {
    groups.push({ index, rowStart: start, rowEnd: start + Number(group.num_rows) });
    start += Number(group.num_rows);
  }

  const scanGroup = async ({ index, rowStart, rowEnd }: (typeof groups)[number]) => {
    const tallies = new Map<RowRule, Tally>(
      found.map((r) => [r, { count: 0, firstRows: [], examples: [] }]),
    );
    let decodedValues = 0;
    try {
      await parquetRead({
        file,
        metadata: summary.metadata,
        columns,
        rowStart,
        rowEnd,
        compressors: COMPRESSORS,
        onChunk: ({ columnName, columnData, rowStart: chunkStart }) => {
          decodedValues += columnData.length;
          for (const rule of rulesByFileName.get(columnName) ?? []) {
            const tally = tallies.get(rule)!;
            for (let i = 0; i < columnData.length; i++) {
              const row = chunkStart + i;
              if (row < rowStart || row >= rowEnd || rule.accepts(columnData[i])) continue;
              tally.count++;
              if (tally.firstRows.length < MAX_REPORTED) {
                tally.firstRows.push(row);
                tally.examples.push(show(columnData[i]));
              }
            }
          }
        },
      });
    } catch (e) {
      if (e instanceof StorageReadError) throw e;
      throw new UnreadableParquetError(
        `row group ${index} (rows ${rowStart} to ${rowEnd - 1}) cannot be decoded (${(e as Error).message}): the file is corrupt`,
      );
    }
    const expected = (rowEnd - rowStart) * columns.length;
    if (decodedValues < expected) {
      throw new UnreadableParquetError(
        `row group ${index} holds fewer values than its ${rowEnd - rowStart} rows (${decodedValues} of ${expected} decoded in columns ${columns.join(", ")}): the file is corrupt`,
      );
    }
    return tallies;
  };

  const total = new Map<RowRule, Tally>(
    found.map((r) => [r, { count: 0, firstRows: [], examples: [] }]),
  );
  if (columns.length === 0) return total;
  // Batches in file order, so the rows reported are the first ones and the first error wins.
  for (let i = 0; i < groups.length; i += ROW_GROUPS_IN_FLIGHT) {
    const batch = groups.slice(i, i + ROW_GROUPS_IN_FLIGHT).map(scanGroup);
    const settled = await Promise.allSettled(batch);
    const failed = settled.find((s) => s.status === "rejected");
    if (failed) throw failed.reason;
    for (const s of settled) {
      if (s.status !== "fulfilled") continue;
      for (const [rule, tally] of s.value) {
        const into = total.get(rule)!;
        into.count += tally.count;
        for (let k = 0; k < tally.firstRows.length && into.firstRows.length < MAX_REPORTED; k++) {
          into.firstRows.push(tally.firstRows[k]);
          into.examples.push(tally.examples[k]);
        }
      }
    }
  }
  return total;
}
