/**
 * Synthetic table files at the real size of Delius and OASys, for every bench (issue 20
 * measured 455 Delius + 300 OASys tables, about a fifth with a CLOB or BLOB column). Each table
 * is shaped like the repository's own: a NUMBER(22) key, then 2 to 59 columns of the types the
 * two schemas use, and every fifth table has a CLOB. Deterministic (lib/model/random.ts): the
 * same count gives the same files.
 *
 *   growTables(dir, n)     adds tables to dir/<database>/ until it holds n, split 455 : 300
 *   growMetadata(dir, n)   the repository's tables copied into dir, then grown to n
 *   process.env.DATAENG_METADATA_ROOT = dir   (lib/model/metadataFiles.ts reads it)
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { mulberry32 } from "../../lib/model/random";
import { DATABASES, type Database } from "../../lib/model/stacks";
import { metadataRoot } from "../../lib/model/metadataFiles";

/** Delius' share of the 755 tables the issue measured (455 Delius + 300 OASys). */
const DELIUS_SHARE = 455 / 755;

/** Oracle column types, weighted roughly as they occur in the Delius and OASys schemas. */
const COLUMN_TYPES = [
  "NUMBER(22)",
  "NUMBER(22)",
  "NUMBER(10,2)",
  "VARCHAR2(100)",
  "VARCHAR2(4000)",
  "VARCHAR2(30)",
  "CHAR(1)",
  "DATE",
  "TIMESTAMP(6)",
  "NUMBER",
] as const;

const SCHEMAS: Record<Database, string> = { delius: "DELIUS_APP_SCHEMA", oasys: "EOR" };

/** The index-th synthetic table of a database (from 1): 3 to 60 columns, every fifth a CLOB. */
export function syntheticTable(database: Database, index: number): Record<string, unknown> {
  const next = mulberry32(index * DATABASES.length + DATABASES.indexOf(database));
  const name = `SYN_${database.toUpperCase()}_${String(index).padStart(4, "0")}`;
  const key = `${name}_ID`;
  const others = 2 + Math.floor(next() * 58);
  const columns: Record<string, unknown>[] = [
    { name: key, type: "NUMBER(22)", nullable: false, description: "Surrogate key of the row." },
  ];
  for (let c = 1; c <= others; c++) {
    const type = COLUMN_TYPES[Math.floor(next() * COLUMN_TYPES.length)];
    columns.push({
      name: `COLUMN_${String(c).padStart(2, "0")}`,
      type,
      nullable: next() < 0.7,
      description: `Synthetic ${type} column ${c} of ${name}.`,
    });
  }
  if (index % 5 === 0)
    columns.push({ name: "NOTES", type: "CLOB", nullable: true, description: "Free text notes." });
  return {
    name,
    schema: SCHEMAS[database],
    description: `Synthetic ${database} table ${index} for the benchmarks, ${columns.length} columns.`,
    primaryKey: [key],
    columns,
  };
}

const tableFiles = (dir: string) =>
  fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith(".json")) : [];

/** Adds synthetic tables under `root` (a metadata/databases folder) until it holds `total`. */
export function growTables(root: string, total: number): Record<Database, number> {
  const have = Object.fromEntries(
    DATABASES.map((db) => [db, tableFiles(path.join(root, db)).length]),
  ) as Record<Database, number>;
  const existing = DATABASES.reduce((n, db) => n + have[db], 0);
  if (total < existing)
    throw new Error(`${total} tables is below the ${existing} tables ${root} already holds`);
  const delius = Math.max(have.delius, Math.round(total * DELIUS_SHARE));
  const want: Record<Database, number> = { delius, oasys: total - delius };
  for (const db of DATABASES) {
    fs.mkdirSync(path.join(root, db), { recursive: true });
    for (let i = 1; have[db] < want[db]; i++) {
      const table = syntheticTable(db, i);
      const file = path.join(root, db, `${String(table.name).toLowerCase()}.json`);
      if (fs.existsSync(file)) continue;
      fs.writeFileSync(file, `${JSON.stringify(table, null, 2)}\n`);
      have[db]++;
    }
  }
  return have;
}

/**
 * Fills `root` with the repository's table files plus synthetic ones up to `total` tables in
 * all. Point DATAENG_METADATA_ROOT at `root` to plan with them.
 */
export function growMetadata(
  root: string,
  total: number,
  from: string = metadataRoot(),
): Record<Database, number> {
  for (const db of DATABASES) {
    fs.mkdirSync(path.join(root, db), { recursive: true });
    for (const f of tableFiles(path.join(from, db)))
      fs.copyFileSync(path.join(from, db, f), path.join(root, db, f));
  }
  return growTables(root, total);
}

/** Adds one nullable column to one table (the first Delius file): the one-column change. */
export function addColumn(root: string): string {
  const dir = path.join(root, "delius");
  const file = path.join(dir, tableFiles(dir).sort()[0]);
  const table = JSON.parse(fs.readFileSync(file, "utf8")) as { columns: unknown[] };
  table.columns.push({
    name: "SCALE_BENCH_ADDED",
    type: "VARCHAR2(30)",
    nullable: true,
    description: "The column the scale benchmark adds.",
  });
  fs.writeFileSync(file, `${JSON.stringify(table, null, 2)}\n`);
  return path.relative(root, file);
}
