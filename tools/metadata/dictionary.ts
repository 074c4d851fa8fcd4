/**
 * Oracle data-dictionary rows (as readCsv returns them) turned into table metadata.
 *
 * The views and the meaning of their columns are Oracle's (Oracle Database Reference):
 * - ALL_TAB_COLUMNS (https://docs.oracle.com/cd/B28359_01/server.111/b28320/statviews_2091.htm):
 *   DATA_LENGTH is the length in bytes; DATA_PRECISION the decimal precision of a NUMBER (binary
 *   for FLOAT), NULL for other types; DATA_SCALE the digits right of the decimal point; NULLABLE
 *   is N for a NOT NULL or primary-key column; COLUMN_ID the column's position. The view also has
 *   CHAR_LENGTH (the length in characters of CHAR, VARCHAR2, NCHAR, NVARCHAR2) and CHAR_USED
 *   (B or C: byte or character length semantics), which an export may carry and import prefers.
 * - ALL_CONS_COLUMNS: the columns of a constraint; POSITION is the column's place in the key.
 *   The export holds the columns of each table's `P` (primary key) constraint.
 * - ALL_TAB_COMMENTS and ALL_COL_COMMENTS: COMMENTS, NULL when there is none.
 *
 * Types are written in the canonical forms of lib/model/oracleTypes.ts (normaliseOracleType, checked
 * by mapOracleType), as the table files already use them.
 */
import {
  mapOracleType,
  normaliseOracleType,
  UnknownOracleTypeError,
} from "../../lib/model/oracleTypes";
import { type CsvRow } from "./csv";

export const COLUMNS_HEADER = [
  "OWNER",
  "TABLE_NAME",
  "COLUMN_NAME",
  "DATA_TYPE",
  "DATA_LENGTH",
  "DATA_PRECISION",
  "DATA_SCALE",
  "NULLABLE",
  "COLUMN_ID",
] as const;
export const PRIMARY_KEYS_HEADER = ["OWNER", "TABLE_NAME", "COLUMN_NAME", "POSITION"] as const;
export const TABLE_COMMENTS_HEADER = ["OWNER", "TABLE_NAME", "COMMENTS"] as const;
export const COLUMN_COMMENTS_HEADER = ["OWNER", "TABLE_NAME", "COLUMN_NAME", "COMMENTS"] as const;

/** A column as the dictionary describes it (no description: that comes from the comments). */
export interface DictionaryColumn {
  readonly name: string;
  readonly type: string;
  readonly nullable: boolean;
  readonly position: number;
}

export interface DictionaryTable {
  readonly owner: string;
  readonly name: string;
  readonly columns: DictionaryColumn[];
  primaryKey: string[];
  comment?: string;
  readonly columnComments: Map<string, string>;
}

/** Collects every problem instead of stopping at the first, so one run names them all. */
export class Problems {
  readonly list: string[] = [];
  add(message: string): void {
    this.list.push(message);
  }
  get empty(): boolean {
    return this.list.length === 0;
  }
}

const where = (file: string, row: CsvRow) => `${file} line ${row.line}`;

function wholeNumber(text: string, signed = false): number | undefined {
  if (text === "") return undefined;
  return (signed ? /^-?\d+$/ : /^\d+$/).test(text) ? Number(text) : NaN;
}

/**
 * The canonical type of one ALL_TAB_COLUMNS row, or a problem naming the table, column and
 * value. Returns undefined when the type cannot be built.
 */
export function columnType(row: CsvRow, file: string, problems: Problems): string | undefined {
  const f = row.fields;
  const at = `${where(file, row)}: ${f.TABLE_NAME}.${f.COLUMN_NAME}`;
  const dataType = normaliseOracleType(f.DATA_TYPE);
  // A NUMBER's scale may be negative (rounding left of the point); mapOracleType judges it.
  const number = (name: string) => {
    const n = wholeNumber(f[name] ?? "", name === "DATA_SCALE");
    if (Number.isNaN(n)) {
      problems.add(`${at}: ${name} is "${f[name]}", expected a whole number or empty (NULL)`);
    }
    return n;
  };
  const precision = number("DATA_PRECISION");
  const scale = number("DATA_SCALE");
  const dataLength = number("DATA_LENGTH");
  if ([precision, scale, dataLength].some((n) => Number.isNaN(n))) return undefined;

  let type: string;
  switch (dataType) {
    case "NUMBER":
      // NUMBER(*,0) and INTEGER both show precision NULL and scale 0 (Oracle stores INTEGER so).
      if (precision === undefined)
        type = scale === undefined ? "NUMBER" : scale === 0 ? "INTEGER" : `NUMBER(*,${scale})`;
      else
        type =
          scale === undefined || scale === 0
            ? `NUMBER(${precision})`
            : `NUMBER(${precision},${scale})`;
      break;
    case "FLOAT":
      // FLOAT is FLOAT(126); DATA_PRECISION is the binary precision.
      type = precision === undefined || precision === 126 ? "FLOAT" : `FLOAT(${precision})`;
      break;
    case "VARCHAR2":
    case "NVARCHAR2":
    case "CHAR":
    case "NCHAR": {
      const length = characterLength(row, dataType, dataLength, at, problems);
      if (length === undefined) return undefined;
      type = `${dataType}(${length})`;
      break;
    }
    case "RAW":
      if (dataLength === undefined) {
        problems.add(`${at}: RAW needs DATA_LENGTH, which is empty`);
        return undefined;
      }
      type = `RAW(${dataLength})`;
      break;
    default:
      // DATE, CLOB, BLOB, LONG, TIMESTAMP(6), TIMESTAMP(6) WITH TIME ZONE, ...: DATA_TYPE
      // already carries everything (the fractional-seconds precision included).
      type = dataType;
  }
  try {
    mapOracleType(type);
  } catch (e) {
    if (!(e instanceof UnknownOracleTypeError)) throw e;
    problems.add(`${at}: DATA_TYPE "${f.DATA_TYPE}" gives ${e.message}`);
    return undefined;
  }
  return normaliseOracleType(type);
}

/**
 * The length in characters: CHAR_LENGTH when the export has it. Without it DATA_LENGTH (bytes)
 * is right only for byte semantics, so a CHAR_USED of C, or an N type (whose bytes are not its
 * characters), needs CHAR_LENGTH in the export.
 */
function characterLength(
  row: CsvRow,
  dataType: string,
  dataLength: number | undefined,
  at: string,
  problems: Problems,
): number | undefined {
  const charLength = wholeNumber(row.fields.CHAR_LENGTH ?? "");
  if (Number.isNaN(charLength)) {
    problems.add(`${at}: CHAR_LENGTH is "${row.fields.CHAR_LENGTH}", expected a whole number`);
    return undefined;
  }
  if (charLength !== undefined && charLength > 0) return charLength;
  const charUsed = row.fields.CHAR_USED ?? "";
  if (dataType.startsWith("N") || charUsed === "C") {
    problems.add(
      `${at}: ${dataType} with ${dataType.startsWith("N") ? "national character set" : "CHAR length semantics (CHAR_USED C)"} ` +
        `needs CHAR_LENGTH, since DATA_LENGTH (${dataLength ?? "empty"}) counts bytes; add CHAR_LENGTH to the columns export`,
    );
    return undefined;
  }
  if (dataLength === undefined) {
    problems.add(`${at}: ${dataType} needs DATA_LENGTH (or CHAR_LENGTH), which is empty`);
    return undefined;
  }
  return dataLength;
}

/** Groups the exports by table; every problem is collected. */
export function readDictionary(
  exports: {
    columns: { file: string; rows: CsvRow[] };
    primaryKeys: { file: string; rows: CsvRow[] };
    tableComments?: { file: string; rows: CsvRow[] };
    columnComments?: { file: string; rows: CsvRow[] };
  },
  problems: Problems,
): Map<string, DictionaryTable> {
  const tables = new Map<string, DictionaryTable>();
  const { file, rows } = exports.columns;
  for (const row of rows) {
    const f = row.fields;
    if (!f.TABLE_NAME || !f.COLUMN_NAME || !f.OWNER) {
      problems.add(`${where(file, row)}: OWNER, TABLE_NAME and COLUMN_NAME must not be empty`);
      continue;
    }
    let table = tables.get(f.TABLE_NAME);
    if (!table) {
      table = {
        owner: f.OWNER,
        name: f.TABLE_NAME,
        columns: [],
        primaryKey: [],
        columnComments: new Map(),
      };
      tables.set(f.TABLE_NAME, table);
    } else if (table.owner !== f.OWNER) {
      problems.add(
        `${where(file, row)}: table ${f.TABLE_NAME} appears with owners ${table.owner} and ${f.OWNER}; export one schema (WHERE owner = ...)`,
      );
      continue;
    }
    const at = `${where(file, row)}: ${f.TABLE_NAME}.${f.COLUMN_NAME}`;
    const position = wholeNumber(f.COLUMN_ID);
    if (position === undefined || Number.isNaN(position)) {
      problems.add(`${at}: COLUMN_ID is "${f.COLUMN_ID}", expected a whole number`);
      continue;
    }
    if (table.columns.some((c) => c.name === f.COLUMN_NAME)) {
      problems.add(`${at}: column ${f.COLUMN_NAME} is listed twice`);
      continue;
    }
    if (f.NULLABLE !== "Y" && f.NULLABLE !== "N") {
      problems.add(`${at}: NULLABLE is "${f.NULLABLE}", expected Y or N`);
      continue;
    }
    const type = columnType(row, file, problems);
    if (type === undefined) continue;
    table.columns.push({ name: f.COLUMN_NAME, type, nullable: f.NULLABLE === "Y", position });
  }
  for (const t of tables.values()) t.columns.sort((a, b) => a.position - b.position);

  const keys = new Map<string, { column: string; position: number }[]>();
  for (const row of exports.primaryKeys.rows) {
    const f = row.fields;
    const at = `${where(exports.primaryKeys.file, row)}: ${f.TABLE_NAME}.${f.COLUMN_NAME}`;
    const table = tables.get(f.TABLE_NAME);
    if (!table || table.owner !== f.OWNER) continue; // a table not in the columns export
    const position = wholeNumber(f.POSITION);
    if (position === undefined || Number.isNaN(position)) {
      problems.add(`${at}: POSITION is "${f.POSITION}", expected a whole number`);
      continue;
    }
    const list = keys.get(f.TABLE_NAME) ?? [];
    list.push({ column: f.COLUMN_NAME, position });
    keys.set(f.TABLE_NAME, list);
  }
  for (const [name, list] of keys) {
    tables.get(name)!.primaryKey = list
      .sort((a, b) => a.position - b.position)
      .map((k) => k.column);
  }

  for (const row of exports.tableComments?.rows ?? []) {
    const table = tables.get(row.fields.TABLE_NAME);
    if (table && table.owner === row.fields.OWNER && row.fields.COMMENTS !== "")
      table.comment = row.fields.COMMENTS;
  }
  for (const row of exports.columnComments?.rows ?? []) {
    const table = tables.get(row.fields.TABLE_NAME);
    if (table && table.owner === row.fields.OWNER && row.fields.COMMENTS !== "")
      table.columnComments.set(row.fields.COLUMN_NAME, row.fields.COMMENTS);
  }
  return tables;
}
