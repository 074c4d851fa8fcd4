/**
 * Reading a parquet file with hyparquet: its columns and row count from the footer, then
 * every column of every row group decoded (one row group at a time, so memory stays bounded)
 * to prove the file is readable and to count nulls in the primary-key columns.
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
import type { NullCount, ParquetColumn } from "./checks";

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

/** At most this many row numbers are kept per column for messages. */
const MAX_ROWS_REPORTED = 5;

/**
 * Decodes every column of every row group and counts the nulls of `nullColumns` (lower-case
 * names). Throws UnreadableParquetError when data pages cannot be decoded.
 */
export async function scanParquet(
  file: AsyncBuffer,
  summary: ParquetSummary,
  nullColumns: readonly string[],
): Promise<Map<string, NullCount>> {
  const counts = new Map<string, { count: number; firstRows: number[] }>(
    nullColumns.map((c) => [c.toLowerCase(), { count: 0, firstRows: [] }]),
  );
  const byFileName = new Map(
    summary.columns.map((c) => [c.name, counts.get(c.name.toLowerCase())]),
  );
  let rowStart = 0;
  for (const [index, group] of summary.metadata.row_groups.entries()) {
    const rowEnd = rowStart + Number(group.num_rows);
    let decodedRows = 0;
    try {
      await parquetRead({
        file,
        metadata: summary.metadata,
        rowStart,
        rowEnd,
        compressors: COMPRESSORS,
        onChunk: ({ columnName, columnData, rowStart: chunkStart }) => {
          decodedRows += columnData.length;
          const count = byFileName.get(columnName);
          if (!count) return;
          for (let i = 0; i < columnData.length; i++) {
            const row = chunkStart + i;
            if (columnData[i] === null || columnData[i] === undefined) {
              if (row < rowStart || row >= rowEnd) continue;
              count.count++;
              if (count.firstRows.length < MAX_ROWS_REPORTED) count.firstRows.push(row);
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
    const expected = Number(group.num_rows) * summary.columns.length;
    if (decodedRows < expected) {
      throw new UnreadableParquetError(
        `row group ${index} holds fewer values than its ${group.num_rows} rows (${decodedRows} of ${expected} decoded): the file is corrupt`,
      );
    }
    rowStart = rowEnd;
  }
  return counts;
}
