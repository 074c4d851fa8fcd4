/**
 * Synthetic Oracle tables for `npm run bench:scale` (issue 20): the metadata grown to the size
 * of Delius (about 455 tables, a fifth with a CLOB or BLOB column) and OASys (several hundred
 * more). Each table has a key and 2 to 59 other columns of the usual Oracle types; every fifth
 * one has a CLOB. Deterministic (a seeded generator), so two runs publish the same files.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { DATABASES } from "../../lib/model/stacks";

/** Delius' share of the 755 tables the issue measured (455 Delius + 300 OASys). */
const DELIUS_SHARE = 455 / 755;

const TYPES = [
  "NUMBER(22)",
  "NUMBER(10,2)",
  "VARCHAR2(100)",
  "VARCHAR2(4000)",
  "CHAR(1)",
  "DATE",
  "TIMESTAMP(6)",
];

/** mulberry32: a small seeded generator, enough to vary column counts and types. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function syntheticTable(database: string, index: number): Record<string, unknown> {
  const next = random(index * 2 + (database === "delius" ? 0 : 1));
  const name = `SYN_${database.toUpperCase()}_${String(index).padStart(4, "0")}`;
  const key = `${name}_ID`;
  const others = 2 + Math.floor(next() * 58);
  const columns = [
    { name: key, type: "NUMBER(22)", nullable: false, description: "Surrogate key of the row." },
  ];
  for (let c = 1; c <= others; c++) {
    const type = TYPES[Math.floor(next() * TYPES.length)];
    columns.push({
      name: `COLUMN_${String(c).padStart(2, "0")}`,
      type,
      nullable: true,
      description: `Synthetic ${type} column ${c} of ${name}.`,
    });
  }
  if (index % 5 === 0)
    columns.push({ name: "NOTES", type: "CLOB", nullable: true, description: "Free text notes." });
  return {
    name,
    schema: database === "delius" ? "DELIUS_APP_SCHEMA" : "EOR",
    description: `Synthetic ${database} table ${index} for the scale benchmark.`,
    primaryKey: [key],
    columns,
  };
}

const tableFiles = (dir: string) => fs.readdirSync(dir).filter((f) => f.endsWith(".json"));

/** Adds synthetic tables under `root` (metadata/databases) until it holds `total` tables. */
export function growTables(
  root: string,
  total: number,
): { total: number; delius: number; oasys: number } {
  const have = Object.fromEntries(
    DATABASES.map((db) => [db, tableFiles(path.join(root, db)).length]),
  ) as Record<string, number>;
  const existing = Object.values(have).reduce((a, b) => a + b, 0);
  if (total < existing)
    throw new Error(`--tables ${total} is below the ${existing} tables the checkout already has`);
  const want: Record<string, number> = {
    delius: Math.round(total * DELIUS_SHARE),
    oasys: total - Math.round(total * DELIUS_SHARE),
  };
  for (const db of DATABASES) {
    for (let i = 1; have[db] < want[db]; i++) {
      const table = syntheticTable(db, i);
      const file = path.join(root, db, `${String(table.name).toLowerCase()}.json`);
      fs.writeFileSync(file, `${JSON.stringify(table, null, 2)}\n`);
      have[db]++;
    }
  }
  return { total, delius: have.delius, oasys: have.oasys };
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
