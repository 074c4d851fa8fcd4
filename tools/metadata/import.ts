/**
 * Import: the data-dictionary export merged into the table files. What the export says about
 * structure (columns, types, nullability, order, key, owner) wins; what a person wrote that the
 * export does not carry is kept: a description where the export has no comment, and
 * excludedColumns (an excluded column of the export stays out of "columns"). Everything is
 * computed and validated first; files are written only when nothing at all is wrong.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  GLUE_COLUMN_COMMENT_MAX,
  GLUE_TABLE_DESCRIPTION_MAX,
  MetadataError,
  lakeName,
  parseTableFile,
  type ColumnTransition,
  type TableMetadata,
} from "../../lib/model/tableMetadata";
import { type Database } from "../../lib/model/stacks";
import { type DictionaryTable, Problems } from "./dictionary";

/** The JSON written for a table, fields in the order the existing files use. */
export interface TableFile {
  name: string;
  schema: string;
  description: string;
  primaryKey: string[];
  columns: {
    name: string;
    type: string;
    nullable: boolean;
    description: string;
    transition?: ColumnTransition;
  }[];
  excludedColumns?: { name: string; reason: string }[];
}

export interface TableResult {
  readonly table: string;
  /** Path relative to the repository root's metadata folder parent, for messages. */
  readonly file: string;
  readonly status: "new" | "changed" | "unchanged";
  /** Every difference between the metadata and the export, one line each. */
  readonly differences: string[];
  readonly text: string;
}

export interface ImportResult {
  readonly tables: TableResult[];
  /** Differences that concern no single file to write: tables of the metadata the export lacks. */
  readonly missing: string[];
  /** Things to know that are not differences (an export comment over Glue's limit, kept aside). */
  readonly warnings: string[];
}

const nullability = (nullable: boolean) => (nullable ? "nullable" : "NOT NULL");

/** Merges one dictionary table with its existing file (if any); problems are collected. */
export function mergeTable(
  dict: DictionaryTable,
  existing: TableMetadata | undefined,
  problems: Problems,
  warnings: string[],
): TableFile {
  const excluded = existing?.excludedColumns ?? [];
  const excludedNames = new Set(excluded.map((c) => c.name));
  const known = new Map((existing?.columns ?? []).map((c) => [c.name, c]));
  const columns: TableFile["columns"] = [];
  for (const c of dict.columns) {
    if (excludedNames.has(c.name)) continue;
    const description = chooseDescription(
      `${dict.name}.${c.name}`,
      "column comment",
      GLUE_COLUMN_COMMENT_MAX,
      dict.columnComments.get(c.name),
      known.get(c.name)?.description,
      problems,
      warnings,
    );
    // In the source now: an "adding" column becomes firm; a "dropping" one is still there.
    const transition = known.get(c.name)?.transition;
    columns.push({
      name: c.name,
      type: c.type,
      nullable: c.nullable,
      description: description ?? "",
      ...(transition === "dropping" ? { transition } : {}),
    });
  }
  // Not in the source yet: an "adding" column stays as it is (a "dropping" one is gone).
  const exported = new Set(dict.columns.map((c) => c.name));
  for (const c of existing?.columns ?? [])
    if (c.transition === "adding" && !exported.has(c.name)) columns.push({ ...c });
  for (const c of excluded) {
    if (!dict.columns.some((d) => d.name === c.name))
      warnings.push(
        `${dict.name}: excluded column ${c.name} is not in the export (dropped from the table?); it stays in excludedColumns`,
      );
  }
  if (dict.primaryKey.length === 0) {
    problems.add(
      `${dict.name}: the table has no primary key in the primary-keys export; DMS and the lake need one. ` +
        `Export the columns of its P constraint (ALL_CONS_COLUMNS), or ask the source team for a key`,
    );
  }
  const description = chooseDescription(
    dict.name,
    "table description",
    GLUE_TABLE_DESCRIPTION_MAX,
    dict.comment,
    existing?.description,
    problems,
    warnings,
  );
  return {
    name: dict.name,
    schema: dict.owner,
    description: description ?? "",
    primaryKey: dict.primaryKey,
    columns,
    ...(excluded.length > 0
      ? { excludedColumns: excluded.map((c) => ({ name: c.name, reason: c.reason })) }
      : {}),
  };
}

/**
 * The export's comment when it has one, else what the file says. A comment over Glue's limit is
 * an error rather than cut short: a truncated comment stops mid-sentence, and the words to drop
 * are a person's choice. When the file already has a description, that one is kept instead, with
 * a warning, so that the import can go on.
 */
function chooseDescription(
  what: string,
  kind: string,
  max: number,
  comment: string | undefined,
  written: string | undefined,
  problems: Problems,
  warnings: string[],
): string | undefined {
  const text = comment?.trim();
  if (text) {
    if (text.length <= max) return text;
    const over = `the export's comment has ${text.length} characters, over Glue's limit of ${max} for a ${kind}`;
    if (written) {
      warnings.push(
        `${what}: ${over}; kept the description in the file. Shorten the comment in Oracle (COMMENT ON).`,
      );
      return written;
    }
    problems.add(
      `${what}: ${over}. Shorten it in Oracle (COMMENT ON) or give a shorter one in a --${kind.startsWith("column") ? "column" : "table"}-comments file`,
    );
    return undefined;
  }
  if (written) return written;
  problems.add(
    `${what}: no comment in the export and no description in the metadata; add a comment in Oracle (COMMENT ON) ` +
      `or write one in a --${kind.startsWith("column") ? "column" : "table"}-comments file (OWNER,TABLE_NAME,${kind.startsWith("column") ? "COLUMN_NAME," : ""}COMMENTS)`,
  );
  return undefined;
}

/** Every difference between the file's table and the merged one. */
export function differences(before: TableMetadata | undefined, after: TableFile): string[] {
  if (!before) {
    return [
      `new table: ${after.columns.length} columns, primary key ${after.primaryKey.join(", ")}`,
    ];
  }
  const out: string[] = [];
  if (before.schema !== after.schema) out.push(`schema ${before.schema} -> ${after.schema}`);
  if (before.description !== after.description) out.push(`table description changed`);
  const old = new Map(before.columns.map((c) => [c.name, c]));
  const now = new Map(after.columns.map((c) => [c.name, c]));
  for (const c of after.columns) {
    const was = old.get(c.name);
    if (was?.transition === "adding" && !c.transition)
      out.push(
        `column ${c.name} is marked "adding" and now exists in the source: it can be made firm (the import without --check removes "transition")`,
      );
    if (!was) {
      out.push(`column ${c.name} is new: ${c.type}, ${nullability(c.nullable)}`);
      continue;
    }
    if (was.type !== c.type) out.push(`column ${c.name} retyped: ${was.type} -> ${c.type}`);
    if (was.nullable !== c.nullable)
      out.push(`column ${c.name}: ${nullability(was.nullable)} -> ${nullability(c.nullable)}`);
    if (was.description !== c.description) out.push(`column ${c.name}: description changed`);
  }
  for (const c of before.columns) {
    if (now.has(c.name)) continue;
    out.push(
      c.transition === "dropping"
        ? `column ${c.name} is marked "dropping" and is gone from the source: it can be removed (the import without --check removes it)`
        : `column ${c.name} removed (was ${c.type})`,
    );
  }
  const common = (list: string[], other: Map<string, unknown>) => list.filter((n) => other.has(n));
  const oldOrder = common(
    before.columns.map((c) => c.name),
    now,
  );
  const newOrder = common(
    after.columns.map((c) => c.name),
    old,
  );
  if (oldOrder.join() !== newOrder.join()) out.push(`column order changed: ${newOrder.join(", ")}`);
  if (before.primaryKey.join() !== after.primaryKey.join())
    out.push(`primary key (${before.primaryKey.join(", ")}) -> (${after.primaryKey.join(", ")})`);
  return out;
}

/** Prettier's printWidth in .prettierrc.json, which `prettier --check .` holds the files to. */
const PRINT_WIDTH = 100;

/**
 * The file's text as `prettier --write` leaves the table files: every object expanded, one
 * field a line (prettier keeps an object expanded when it is written so), and an array of
 * strings on one line when it fits the print width, else one item a line. Formatted here
 * because prettier 3 loads its JSON parser by a dynamic import, which jest cannot run.
 */
export function formatTableFile(table: TableFile): string {
  const print = (value: unknown, indent: string, prefix: string): string => {
    const inner = `${indent}  `;
    if (Array.isArray(value)) {
      if (value.length === 0) return "[]";
      if (value.every((v) => typeof v !== "object")) {
        const flat = `[${value.map((v) => JSON.stringify(v)).join(", ")}]`;
        // The line also holds the indent, the key and a trailing comma.
        if (prefix.length + flat.length + 1 <= PRINT_WIDTH) return flat;
      }
      return `[\n${value.map((v) => inner + print(v, inner, inner)).join(",\n")}\n${indent}]`;
    }
    if (value !== null && typeof value === "object") {
      const entries = Object.entries(value as Record<string, unknown>).filter(
        ([, v]) => v !== undefined,
      );
      if (entries.length === 0) return "{}";
      const lines = entries.map(([k, v]) => {
        const key = `${inner}${JSON.stringify(k)}: `;
        return key + print(v, inner, key);
      });
      return `{\n${lines.join(",\n")}\n${indent}}`;
    }
    return JSON.stringify(value);
  };
  return print(table, "", "") + "\n";
}

export interface ImportOptions {
  readonly database: Database;
  /** The metadata/databases folder. */
  readonly root: string;
  readonly dictionary: Map<string, DictionaryTable>;
  /** Upper-case table names to import; all of the export when undefined. */
  readonly tables?: readonly string[];
  /** Existing tables of the database, by name. */
  readonly existing: ReadonlyMap<string, TableMetadata>;
}

/** Computes every file; throws nothing for bad data: problems are collected in `problems`. */
export async function planImport(
  options: ImportOptions,
  problems: Problems,
): Promise<ImportResult> {
  const { database, dictionary, existing } = options;
  const warnings: string[] = [];
  const missing: string[] = [];
  const names = options.tables ?? [...dictionary.keys()].sort();
  for (const name of options.tables ?? []) {
    if (!dictionary.has(name))
      problems.add(
        `${name}: not in the columns export; check the name or export the table (WHERE table_name IN (...))`,
      );
  }
  if (!options.tables) {
    for (const name of [...existing.keys()].sort()) {
      if (!dictionary.has(name))
        missing.push(
          `${name}: in the metadata but not in the export (dropped, renamed, or not exported?)`,
        );
    }
  }
  // The tables of a database share one Oracle schema: another owner means the wrong --database.
  const schemas = new Set([...existing.values()].map((t) => t.schema));
  const tables: TableResult[] = [];
  for (const name of names) {
    const owner = dictionary.get(name)?.owner;
    if (owner && schemas.size === 1 && !schemas.has(owner)) {
      problems.add(
        `${name}: its OWNER ${owner} is not ${[...schemas][0]}, the schema of every other ${database} table; ` +
          `check --database, or the WHERE owner = ... of the export`,
      );
      continue;
    }
    const dict = dictionary.get(name);
    if (!dict) continue;
    const before = existing.get(name);
    const known = problems.list.length;
    const merged = mergeTable(dict, before, problems, warnings);
    const file = path.join(options.root, database, `${lakeName(name)}.json`);
    const text = formatTableFile(merged);
    try {
      parseTableFile(path.relative(process.cwd(), file) || file, text, database);
    } catch (e) {
      // Merging names its own problems better (a blank description, no key): report the
      // schema's only when merging found none.
      if (!(e instanceof MetadataError)) throw e;
      if (problems.list.length === known) for (const p of e.problems) problems.add(`${name}: ${p}`);
    }
    const diff = differences(before, merged);
    tables.push({
      table: name,
      file,
      status: !before ? "new" : diff.length > 0 ? "changed" : "unchanged",
      differences: diff,
      text,
    });
  }
  return { tables, missing, warnings };
}

/** Writes the new and changed files (only called once nothing is wrong). */
export function writeImport(result: ImportResult): string[] {
  const written: string[] = [];
  for (const t of result.tables) {
    if (
      t.status === "unchanged" &&
      fs.existsSync(t.file) &&
      fs.readFileSync(t.file, "utf8") === t.text
    )
      continue;
    fs.mkdirSync(path.dirname(t.file), { recursive: true });
    fs.writeFileSync(t.file, t.text);
    written.push(t.file);
  }
  return written;
}
