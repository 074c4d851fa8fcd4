/**
 * Synthetic table files for the benchmarks: a metadata folder grown to the real size of Delius
 * and OASys (issue 20 measured 455 + 300 tables). Each table is shaped like the repository's own:
 * a NUMBER(22) key, then a few to sixty columns of the types the Delius and OASys schemas use,
 * and about a fifth of the tables carry a CLOB. Deterministic: the same count gives the same files.
 *
 * Used by `npm run bench` (the offline plan) and meant for the real-CLI bench too:
 *   growMetadata(dir, 755)  -> dir/<database>/<table>.json, the repository's tables plus synthetic
 *   process.env.DATAENG_METADATA_ROOT = dir   (lib/model/metadataFiles.ts reads it)
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { DATABASES, type Database } from "../../lib/model/stacks";
import { metadataRoot } from "../../lib/model/metadataFiles";

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

/** A small deterministic generator (mulberry32), so the files do not change between runs. */
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

export interface SyntheticTable {
  readonly database: Database;
  /** The file name, `<table name in lower case>.json`. */
  readonly file: string;
  readonly json: Record<string, unknown>;
}

/** The i-th synthetic table: databases alternate, 3 to 60 columns, every fifth has a CLOB. */
export function syntheticTable(i: number): SyntheticTable {
  const database = DATABASES[i % DATABASES.length];
  const next = random(i + 1);
  const name = `SYNTHETIC_${String(i).padStart(5, "0")}`;
  const columnCount = 3 + Math.floor(next() * 58);
  const key = `${name}_ID`;
  const columns: Record<string, unknown>[] = [
    { name: key, type: "NUMBER(22)", nullable: false, description: "Surrogate key." },
  ];
  for (let c = 1; c < columnCount; c++) {
    const type = COLUMN_TYPES[Math.floor(next() * COLUMN_TYPES.length)];
    columns.push({
      name: `COLUMN_${String(c).padStart(2, "0")}`,
      type,
      nullable: next() < 0.7,
      description: `Column ${c} of synthetic table ${i}, ${type}.`,
    });
  }
  if (i % 5 === 0) {
    columns.push({
      name: "NOTES",
      type: "CLOB",
      nullable: true,
      description: "Free text held as a CLOB.",
    });
  }
  return {
    database,
    file: `${name.toLowerCase()}.json`,
    json: {
      name,
      schema: SCHEMAS[database],
      description: `Synthetic table ${i} for the benchmarks, ${columns.length} columns.`,
      primaryKey: [key],
      columns,
    },
  };
}

/** Writes `count` synthetic tables into root/<database>/. */
export function writeSyntheticTables(root: string, count: number): void {
  for (const db of DATABASES) fs.mkdirSync(path.join(root, db), { recursive: true });
  for (let i = 0; i < count; i++) {
    const t = syntheticTable(i);
    fs.writeFileSync(path.join(root, t.database, t.file), `${JSON.stringify(t.json, null, 2)}\n`);
  }
}

/**
 * Fills `root` with the repository's table files plus synthetic ones up to `total` tables in
 * all; returns how many are synthetic. Point DATAENG_METADATA_ROOT at `root` to plan with them.
 */
export function growMetadata(root: string, total: number, from: string = metadataRoot()): number {
  let real = 0;
  for (const db of DATABASES) {
    fs.mkdirSync(path.join(root, db), { recursive: true });
    for (const f of fs.readdirSync(path.join(from, db)).filter((x) => x.endsWith(".json"))) {
      fs.copyFileSync(path.join(from, db, f), path.join(root, db, f));
      real++;
    }
  }
  const synthetic = Math.max(0, total - real);
  writeSyntheticTables(root, synthetic);
  return synthetic;
}
