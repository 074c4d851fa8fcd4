/**
 * The table files in the repository: metadata/databases/<database>/<table>.json, read,
 * validated (tableMetadata.ts) and cached per folder.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { DATABASES, REPO_ROOT, type Database } from "./stacks";
import { MetadataError, parseTableFile, type TableMetadata } from "./tableMetadata";

/**
 * The folder holding `<database>/<table>.json`. DATAENG_METADATA_ROOT points the programs at
 * another folder (the benchmark's synthetic tables, tests of broken metadata).
 */
export function metadataRoot(root?: string): string {
  const override = process.env.DATAENG_METADATA_ROOT;
  if (root === undefined && override) return path.resolve(override);
  return path.join(root ?? REPO_ROOT, "metadata", "databases");
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
