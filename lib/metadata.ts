/**
 * The table metadata model: one JSON file per table under
 * metadata/databases/<database>/<table>.json. The metadata project publishes these files,
 * pipelines derives DMS table mappings from them, glue_database derives Glue tables, and the
 * validation Lambda checks parquet files against them.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import { mapOracleType, UnknownOracleTypeError, type MappedType } from "./oracleTypes";
import { DATABASES, REPO_ROOT, type Database } from "./stacks";

/** Oracle identifiers as DMS reads them: upper case. */
const ORACLE_NAME = /^[A-Z][A-Z0-9_$#]{0,127}$/;
const oracleName = (what: string) =>
  z.string().regex(ORACLE_NAME, {
    error: `expected an upper-case Oracle ${what} name (letters, digits, _ $ #)`,
  });

export const columnSchema = z.strictObject({
  name: oracleName("column"),
  type: z.string().superRefine((type, ctx) => {
    try {
      mapOracleType(type);
    } catch (e) {
      if (!(e instanceof UnknownOracleTypeError)) throw e;
      ctx.addIssue({ code: "custom", message: e.message });
    }
  }),
  nullable: z.boolean(),
  description: z.string().min(1),
});

export const tableSchema = z
  .strictObject({
    /** The Oracle table name, for example OFFENDER. The file is named after it in lower case. */
    name: oracleName("table"),
    /** The Oracle schema (owner) that holds the table. */
    schema: oracleName("schema"),
    description: z.string().min(1),
    primaryKey: z.array(z.string()).min(1, { error: "expected at least one primary-key column" }),
    columns: z.array(columnSchema).min(1, { error: "expected at least one column" }),
  })
  .superRefine((table, ctx) => {
    const seen = new Set<string>();
    table.columns.forEach((c, i) => {
      if (seen.has(c.name))
        ctx.addIssue({ code: "custom", path: ["columns", i, "name"], message: `duplicate column ${c.name}` });
      seen.add(c.name);
    });
    table.primaryKey.forEach((key, i) => {
      const column = table.columns.find((c) => c.name === key);
      if (!column)
        ctx.addIssue({
          code: "custom",
          path: ["primaryKey", i],
          message: `primary-key column ${key} is not among the columns`,
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
export interface TableMetadata extends z.infer<typeof tableSchema> {
  readonly database: Database;
}

/** The JSON Schema of a table file, for editors and for documentation. */
export const tableJsonSchema = () => z.toJSONSchema(tableSchema, { io: "input" });

/** Columns that DMS adds to every parquet file it writes (see the S3 target endpoint). */
export const DMS_COLUMNS = {
  /** I, U or D: the change operation (also written on full load). */
  operation: { name: "op", glueType: "string", kind: "string" },
  /** When the change was committed in the source database. */
  commitTimestamp: { name: "extraction_timestamp", glueType: "timestamp", kind: "timestamp" },
} as const;

/** Glue and the parquet files use lower-case names. */
export const lakeName = (oracleName: string) => oracleName.toLowerCase();

export function metadataRoot(root: string = REPO_ROOT): string {
  return path.join(root, "metadata", "databases");
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
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new MetadataError(file, [`not valid JSON: ${(e as Error).message}`]);
  }
  const result = tableSchema.safeParse(json);
  if (!result.success) {
    throw new MetadataError(
      file,
      result.error.issues.map((i) => `${formatPath(i.path) || "(file)"}: ${i.message}`),
    );
  }
  const expectedFile = `${lakeName(result.data.name)}.json`;
  if (path.basename(file) !== expectedFile) {
    throw new MetadataError(file, [`name: table ${result.data.name} must be in a file named ${expectedFile}`]);
  }
  return { ...result.data, database };
}

function formatPath(p: readonly PropertyKey[]): string {
  return p.map((k, i) => (typeof k === "number" ? `[${k}]` : `${i > 0 ? "." : ""}${String(k)}`)).join("");
}

const cache = new Map<string, TableMetadata[]>();

/**
 * Loads every table of a database, sorted by name. Results are cached per folder, since the
 * offline plan evaluates several stacks that read the same files.
 */
export function loadDatabase(database: Database, root: string = metadataRoot()): TableMetadata[] {
  const dir = path.join(root, database);
  const cached = cache.get(dir);
  if (cached) return cached;
  if (!fs.existsSync(dir)) {
    throw new MetadataError(dir, [`the folder is missing; add one <table>.json per table of ${database}`]);
  }
  const tables = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => {
      const file = path.join(dir, f);
      return parseTableFile(path.relative(process.cwd(), file) || file, fs.readFileSync(file, "utf8"), database);
    });
  cache.set(dir, tables);
  return tables;
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
export function glueColumns(table: TableMetadata): { name: string; type: string; comment: string }[] {
  return [
    ...table.columns.map((c) => ({
      name: lakeName(c.name),
      type: (mapOracleType(c.type) as MappedType).glueType,
      comment: c.description,
    })),
    { name: DMS_COLUMNS.operation.name, type: DMS_COLUMNS.operation.glueType, comment: "DMS operation: I, U or D" },
    {
      name: DMS_COLUMNS.commitTimestamp.name,
      type: DMS_COLUMNS.commitTimestamp.glueType,
      comment: "When DMS read the change from the source",
    },
  ];
}
