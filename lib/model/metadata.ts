/**
 * The table metadata model: one JSON file per table under
 * metadata/databases/<database>/<table>.json. The metadata project publishes these files,
 * pipelines derives DMS table mappings from them, glue_database derives Glue tables, and the
 * validation Lambda checks parquet files against them. metadata/databases/README.md describes
 * the format for the people who write the files.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import {
  mapOracleType,
  normaliseOracleType,
  SUPPORTED_ORACLE_TYPES,
  UnknownOracleTypeError,
  type MappedType,
} from "./oracleTypes";
import { DATABASES, REPO_ROOT, type Database } from "./stacks";

/** Oracle identifiers as DMS reads them: upper case. */
const ORACLE_NAME = /^[A-Z][A-Z0-9_$#]{0,127}$/;
const oracleName = (what: string) =>
  z.string().regex(ORACLE_NAME, {
    error: `expected an upper-case Oracle ${what} name (a letter, then letters, digits, _ $ #; at most 128)`,
  });

/** Glue's limits on a column comment and a table description. */
export const GLUE_COLUMN_COMMENT_MAX = 255;
export const GLUE_TABLE_DESCRIPTION_MAX = 2048;

const description = (max: number, what: string) =>
  z
    .string()
    .regex(/\S/, { error: "must not be empty or blank" })
    .max(max, {
      error: (issue) =>
        `must be at most ${max} characters (Glue's limit for a ${what}); it has ${String((issue.input as string).length)}`,
    });

export const columnSchema = z.strictObject({
  name: oracleName("column").meta({ description: "The Oracle column name, upper case." }),
  type: z
    .string()
    .superRefine((type, ctx) => {
      try {
        mapOracleType(type);
      } catch (e) {
        if (!(e instanceof UnknownOracleTypeError)) throw e;
        ctx.addIssue({ code: "custom", message: e.message });
      }
    })
    .meta({
      description: `The Oracle column type as the data dictionary shows it, one of ${SUPPORTED_ORACLE_TYPES.join(", ")}.`,
      examples: ["NUMBER(22)", "NUMBER(10,2)", "VARCHAR2(4000)", "DATE", "TIMESTAMP(6)"],
    }),
  nullable: z.boolean().meta({
    description: "false when the Oracle column is NOT NULL (primary-key columns must be).",
  }),
  description: description(GLUE_COLUMN_COMMENT_MAX, "column comment").meta({
    description: "What the column holds; becomes the Glue column comment.",
  }),
});

export const excludedColumnSchema = z.strictObject({
  name: oracleName("column").meta({ description: "The Oracle column name, upper case." }),
  reason: z
    .string()
    .regex(/\S/, { error: "must not be empty or blank: say why the column is never extracted" })
    .meta({
      description: "Why the column is never extracted (for example: personal data not needed).",
    }),
});

export const tableSchema = z
  .strictObject({
    /** The Oracle table name, for example OFFENDER. The file is named after it in lower case. */
    name: oracleName("table").meta({
      description: "The Oracle table name, upper case; the file is named after it in lower case.",
    }),
    /** The Oracle schema (owner) that holds the table. */
    schema: oracleName("schema").meta({
      description: "The Oracle schema (owner) that holds the table, for example DELIUS_APP_SCHEMA.",
    }),
    description: description(GLUE_TABLE_DESCRIPTION_MAX, "table description").meta({
      description: "What the table holds; becomes the Glue table description.",
    }),
    primaryKey: z
      .array(z.string())
      .min(1, { error: "expected at least one primary-key column" })
      .meta({ description: "The primary-key column names, in key order." }),
    columns: z
      .array(columnSchema)
      .min(1, { error: "expected at least one column" })
      .meta({ description: "Every column DMS extracts, in table order." }),
    excludedColumns: z.array(excludedColumnSchema).optional().meta({
      description:
        "Columns of the Oracle table that DMS must never extract (remove-column rules); not in the lake, Glue or validation.",
    }),
  })
  .meta({ title: "Table metadata", description: "One Oracle table extracted by DMS." })
  .superRefine((table, ctx) => {
    const seen = new Set<string>();
    const longColumns: string[] = [];
    const dmsNames = new Set<string>(Object.values(DMS_COLUMNS).map((c) => c.name));
    table.columns.forEach((c, i) => {
      if (seen.has(c.name))
        ctx.addIssue({
          code: "custom",
          path: ["columns", i, "name"],
          message: `duplicate column ${c.name}; each column may appear once`,
        });
      seen.add(c.name);
      if (dmsNames.has(lakeName(c.name)))
        ctx.addIssue({
          code: "custom",
          path: ["columns", i, "name"],
          message: `column ${c.name} clashes with the column "${lakeName(c.name)}" that DMS adds to every file (DMS_COLUMNS in lib/model/metadata.ts)`,
        });
      if (/^LONG( RAW)?$/.test(normaliseOracleType(c.type))) longColumns.push(c.name);
    });
    if (longColumns.length > 1)
      ctx.addIssue({
        code: "custom",
        path: ["columns"],
        message: `an Oracle table can have only one LONG or LONG RAW column, but this one has ${longColumns.length}: ${longColumns.join(", ")}; check their types`,
      });
    const excluded = new Set<string>();
    (table.excludedColumns ?? []).forEach((c, i) => {
      if (excluded.has(c.name))
        ctx.addIssue({
          code: "custom",
          path: ["excludedColumns", i, "name"],
          message: `column ${c.name} is excluded twice; list it once`,
        });
      excluded.add(c.name);
      if (seen.has(c.name))
        ctx.addIssue({
          code: "custom",
          path: ["excludedColumns", i, "name"],
          message: `column ${c.name} is both in "columns" and in "excludedColumns"; remove it from one of them`,
        });
      if (table.primaryKey.includes(c.name))
        ctx.addIssue({
          code: "custom",
          path: ["excludedColumns", i, "name"],
          message: `primary-key column ${c.name} cannot be excluded: DMS and the lake need the key`,
        });
    });
    const keys = new Set<string>();
    table.primaryKey.forEach((key, i) => {
      if (keys.has(key)) {
        ctx.addIssue({
          code: "custom",
          path: ["primaryKey", i],
          message: `primary-key column ${key} is listed twice`,
        });
        return;
      }
      keys.add(key);
      const column = table.columns.find((c) => c.name === key);
      if (!column)
        ctx.addIssue({
          code: "custom",
          path: ["primaryKey", i],
          message: `primary-key column ${key} is not among the columns; add it to "columns" or fix the name`,
        });
      else if (column.nullable)
        ctx.addIssue({
          code: "custom",
          path: ["primaryKey", i],
          message: `primary-key column ${key} must have "nullable": false`,
        });
    });
  });

export type ColumnMetadata = z.infer<typeof columnSchema>;
export type ExcludedColumn = z.infer<typeof excludedColumnSchema>;
export interface TableMetadata extends z.infer<typeof tableSchema> {
  readonly database: Database;
}

/**
 * The JSON Schema of a table file, for editors and for documentation. A copy is committed as
 * metadata/databases/table.schema.json; lib/model/metadata.test.ts fails when the two differ.
 */
export const tableJsonSchema = () => z.toJSONSchema(tableSchema, { io: "input" });

/**
 * Columns that DMS adds to every parquet file it writes, with the endpoint settings and table
 * mapping of pipelines/ (one place for their names, Glue types and what they hold).
 * All three are parquet STRING columns:
 * - `op`: IncludeOpForFullLoad writes it on full load too (always I); CDC writes I, U or D.
 *   AWS DMS API reference, S3Settings, IncludeOpForFullLoad and CdcInsertsOnly:
 *   https://docs.aws.amazon.com/dms/latest/APIReference/API_S3Settings.html
 * - `extraction_timestamp`: TimestampColumnName adds "an additional STRING column" formatted
 *   `yyyy-MM-dd HH:mm:ss.SSSSSS` (full load: when DMS transferred the row; CDC: the source
 *   commit time). ParquetTimestampInMillisecond "has no effect on the string format" of it
 *   (same page, TimestampColumnName and ParquetTimestampInMillisecond).
 * - `scn`: the table mapping's add-column rule with `$AR_H_STREAM_POSITION` (pipelines/
 *   tableMappings.ts): the source stream position, the SCN for Oracle, as a string; empty on
 *   full load. AWS DMS user guide, "Using transformation rule expressions to define column
 *   content", replicating source table headers:
 *   https://docs.aws.amazon.com/dms/latest/userguide/CHAP_Tasks.CustomizingTasks.TableMapping.SelectionTransformation.Expressions.html
 */
export const DMS_COLUMNS = {
  operation: {
    name: "op",
    glueType: "string",
    kind: "string",
    comment: "DMS operation: I (insert, and every full-load row), U (update) or D (delete)",
  },
  commitTimestamp: {
    name: "extraction_timestamp",
    glueType: "string",
    kind: "string",
    comment:
      "yyyy-MM-dd HH:mm:ss.SSSSSS: commit time of the change in the source; full load: when DMS read the row",
  },
  streamPosition: {
    name: "scn",
    glueType: "string",
    kind: "string",
    comment:
      "Oracle SCN of the change (DMS $AR_H_STREAM_POSITION), orders changes committed in the same instant; empty on full load",
  },
} as const;

/** The format DMS writes `extraction_timestamp` in: `yyyy-MM-dd HH:mm:ss.SSSSSS` (S3Settings, TimestampColumnName). */
export const DMS_TIMESTAMP_FORMAT =
  /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01]) ([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{6}$/;

/** The only values DMS writes in `op` (S3Settings, IncludeOpForFullLoad). */
export const DMS_OPERATIONS = ["I", "U", "D"] as const;

/** Glue and the parquet files use lower-case names. */
export const lakeName = (oracleName: string) => oracleName.toLowerCase();

/**
 * The folder holding `<database>/<table>.json`. DATAENG_METADATA_ROOT points the programs at
 * another folder (the benchmark's synthetic tables, tests of broken metadata).
 */
export function metadataRoot(root?: string): string {
  const override = process.env.DATAENG_METADATA_ROOT;
  if (root === undefined && override) return path.resolve(override);
  return path.join(root ?? REPO_ROOT, "metadata", "databases");
}

/** Where the metadata project publishes a table's file in the metadata bucket. */
export function metadataObjectKey(database: string, table: string): string {
  return `databases/${database}/${lakeName(table)}.json`;
}

export const METADATA_MANIFEST_KEY = "manifest.json";

export class MetadataError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(
      `Invalid table metadata in ${file}:\n` +
        problems.map((p) => `  - ${p}`).join("\n") +
        `\nFix the file; the expected shape is described in metadata/databases/README.md.`,
    );
    this.name = "MetadataError";
  }
}

/** Parses and validates the text of one table file; `file` is used in errors and naming. */
export function parseTableFile(file: string, text: string, database: Database): TableMetadata {
  const content = text.replace(/^\uFEFF/, "");
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch (e) {
    throw new MetadataError(file, [`not valid JSON: ${jsonErrorWithLine(e as Error, content)}`]);
  }
  const result = tableSchema.safeParse(json, { reportInput: true });
  if (!result.success) {
    throw new MetadataError(
      file,
      result.error.issues.map((i) => `${describePath(i.path, json)}: ${issueMessage(i)}`),
    );
  }
  const expectedFile = `${lakeName(result.data.name)}.json`;
  if (path.basename(file) !== expectedFile) {
    throw new MetadataError(file, [
      `name: table ${result.data.name} must be in a file named ${expectedFile}; rename the file or fix "name"`,
    ]);
  }
  return { ...result.data, database };
}

/** Adds the line and column to V8's "... in JSON at position N". */
function jsonErrorWithLine(e: Error, text: string): string {
  const position = /at position (\d+)/.exec(e.message);
  if (!position || /line \d+/.test(e.message)) return e.message;
  const before = text.slice(0, Number(position[1]));
  const line = before.split("\n").length;
  const column = before.length - before.lastIndexOf("\n");
  return `${e.message} (line ${line}, column ${column})`;
}

const FIELDS = {
  table: Object.keys(tableSchema.shape),
  column: Object.keys(columnSchema.shape),
  excludedColumn: Object.keys(excludedColumnSchema.shape),
};

const EXPECTED: Record<string, string> = {
  string: "a string",
  boolean: "true or false",
  array: "an array",
  object: "an object",
};

function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return `the string ${JSON.stringify(value)}`;
  if (typeof value === "object") return "an object";
  return `${typeof value} ${String(value)}`;
}

/** zod's own messages, reworded to say what was expected and what the file holds. */
function issueMessage(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type": {
      const expected = EXPECTED[issue.expected] ?? issue.expected;
      return issue.input === undefined
        ? `required field is missing; expected ${expected}`
        : `expected ${expected}, got ${describeValue(issue.input)}`;
    }
    case "unrecognized_keys": {
      const fields =
        issue.path[0] === "columns"
          ? FIELDS.column
          : issue.path[0] === "excludedColumns"
            ? FIELDS.excludedColumn
            : FIELDS.table;
      const keys = issue.keys.map((k) => `"${k}"`).join(", ");
      return `unknown field${issue.keys.length > 1 ? "s" : ""} ${keys}; allowed: ${fields.join(", ")}`;
    }
    default:
      return issue.message;
  }
}

/** `columns[3].type (column SURNAME)`: the JSON path, plus the column's name when it has one. */
function describePath(p: readonly PropertyKey[], json: unknown): string {
  if (p.length === 0) return "(top level)";
  const text = p
    .map((k, i) => (typeof k === "number" ? `[${k}]` : `${i > 0 ? "." : ""}${String(k)}`))
    .join("");
  if (p[0] === "columns" && typeof p[1] === "number") {
    const columns = (json as { columns?: unknown }).columns;
    const name = Array.isArray(columns) ? (columns[p[1]] as { name?: unknown })?.name : undefined;
    if (typeof name === "string" && name !== "") return `${text} (column ${name})`;
  }
  return text;
}

const cache = new Map<string, TableMetadata[]>();

/**
 * Loads every table of a database, sorted by file name. Results are cached per folder, since
 * the offline plan evaluates several stacks that read the same files; each call returns a new
 * array.
 */
export function loadDatabase(database: Database, root: string = metadataRoot()): TableMetadata[] {
  const dir = path.resolve(root, database);
  const cached = cache.get(dir);
  if (cached) return [...cached];
  const shown = path.relative(process.cwd(), dir) || dir;
  if (!fs.existsSync(dir)) {
    throw new MetadataError(shown, [
      `the folder is missing; create it with one <table>.json file per ${database} table to extract`,
    ]);
  }
  const files = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort();
  if (files.length === 0) {
    throw new MetadataError(shown, [
      `the folder has no <table>.json files; add one per ${database} table to extract (DMS needs at least one)`,
    ]);
  }
  const tables = files.map((f) => {
    const file = path.join(dir, f);
    const text = fs.readFileSync(file, "utf8");
    const table = parseTableFile(path.relative(process.cwd(), file) || file, text, database);
    sources.set(table, text);
    return table;
  });
  cache.set(dir, tables);
  return [...tables];
}

const sources = new WeakMap<TableMetadata, string>();

/** The exact text of the file loadDatabase read a table from (the metadata project publishes it). */
export function tableSource(table: TableMetadata): string {
  const text = sources.get(table);
  if (text === undefined)
    throw new Error(`table ${table.name} was not loaded from a file by loadDatabase`);
  return text;
}

export function loadAllDatabases(root: string = metadataRoot()): Record<Database, TableMetadata[]> {
  return Object.fromEntries(DATABASES.map((db) => [db, loadDatabase(db, root)])) as Record<
    Database,
    TableMetadata[]
  >;
}

/** Forgets cached tables (tests and benchmarks that rewrite files call this). */
export function clearMetadataCache(): void {
  cache.clear();
}

/** The Glue columns of a table: its own columns mapped from Oracle, then DMS's columns. */
export function glueColumns(
  table: TableMetadata,
): { name: string; type: string; comment: string }[] {
  return [
    ...table.columns.map((c) => ({
      name: lakeName(c.name),
      type: (mapOracleType(c.type) as MappedType).glueType,
      comment: c.description,
    })),
    ...Object.values(DMS_COLUMNS).map((d) => ({
      name: d.name,
      type: d.glueType,
      comment: d.comment,
    })),
  ];
}
