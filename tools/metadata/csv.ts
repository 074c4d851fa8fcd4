/**
 * Reads a CSV export of an Oracle data-dictionary view, as SQL Developer ("Export > csv") and
 * sqlplus (`SET MARKUP CSV ON`) write it: a header row of column names, fields quoted with `"`
 * when they need it (doubled `""` inside), NULL as an empty field, possibly a UTF-8 byte-order
 * mark and CRLF line ends. Parsed by csv-parse, strictly: a row with more or fewer fields than
 * the header, or an unclosed quote, is an error naming the file and line.
 */
import * as fs from "node:fs";
import { CsvError, parse } from "csv-parse/sync";

/** One data row: header name (upper case) to field text, trimmed; NULL is "". */
export interface CsvRow {
  readonly fields: Readonly<Record<string, string>>;
  /** 1-based line of the row in the file, for errors. */
  readonly line: number;
}

export class CsvFileError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = "CsvFileError";
  }
}

/**
 * Parses `text` (the content of `file`) and checks that its header has every `required` column;
 * extra columns are allowed (an export of `SELECT *` has many). Names are matched ignoring case.
 */
export function parseCsv(file: string, text: string, required: readonly string[]): CsvRow[] {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parse(text, {
      bom: true,
      info: true,
      skip_empty_lines: true,
      relax_column_count: false,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (e) {
    if (e instanceof CsvError) {
      throw new CsvFileError(file, `not a valid CSV file: ${e.message}`);
    }
    throw e;
  }
  if (records.length === 0) {
    throw new CsvFileError(
      file,
      `the file is empty; expected a header row with ${required.join(", ")}`,
    );
  }
  const header = records[0].record.map((h) => h.trim().toUpperCase());
  const missing = required.filter((r) => !header.includes(r));
  if (missing.length > 0) {
    throw new CsvFileError(
      file,
      `the header row lacks ${missing.join(", ")}; it has ${header.join(", ") || "nothing"}. ` +
        `Export the view with a header row and the columns ${required.join(", ")}.`,
    );
  }
  const seen = new Set<string>();
  for (const h of header) {
    if (seen.has(h)) throw new CsvFileError(file, `the header row names ${h} twice`);
    seen.add(h);
  }
  return records.slice(1).map(({ record, info }) => ({
    line: info.lines,
    fields: Object.fromEntries(header.map((h, i) => [h, (record[i] ?? "").trim()])),
  }));
}

export function readCsv(file: string, required: readonly string[]): CsvRow[] {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new CsvFileError(file, `cannot be read: ${(e as Error).message}`);
  }
  return parseCsv(file, text, required);
}
