/**
 * `stacks diff`'s data check over two checkouts: the table files of the base revision and of
 * the working tree (metadata/databases), each read with the working tree's metadata model.
 * The verdicts are data (per database and table: status and lines) for the diff's text,
 * --json and pull-request comment; formatDataCheck is their text form.
 */
import { loadDatabase, metadataRoot } from "../../../lib/model/metadataFiles";
import { MetadataError, type TableMetadata } from "../../../lib/model/tableMetadata";
import { DATABASES, type Database } from "../../../lib/model/stacks";
import { checkTables, type LineStatus, type TableVerdict } from "./check";

export type { LineStatus, TableVerdict, VerdictLine } from "./check";

export interface DataCheck {
  readonly tables: TableVerdict[];
  /** What could not be checked, and why. */
  readonly notes: string[];
}

/** Runs the check between the checkouts at `baseRoot` and `headRoot` (repository roots). */
export async function runDataCheck(baseRoot: string, headRoot: string): Promise<DataCheck> {
  const notes: string[] = [];
  const base: Partial<Record<Database, TableMetadata[]>> = {};
  const head: Partial<Record<Database, TableMetadata[]>> = {};
  for (const db of DATABASES) {
    try {
      head[db] = loadDatabase(db, metadataRoot(headRoot));
    } catch (e) {
      if (!(e instanceof MetadataError)) throw e;
      notes.push(`${db}: not checked: the working tree's metadata is invalid (the plan says why)`);
      continue;
    }
    try {
      base[db] = loadDatabase(db, metadataRoot(baseRoot));
    } catch (e) {
      if (!(e instanceof MetadataError)) throw e;
      notes.push(
        `${db}: the base revision's metadata cannot be read with the working tree's model, ` +
          `so every table is checked as new: ${e.problems[0] ?? e.message}`,
      );
    }
  }
  return { tables: await checkTables(base, head), notes };
}

export const STATUS_MARK: Record<LineStatus, string> = {
  pass: "✓",
  fail: "✗",
  warn: "⚠",
  info: "→",
};

/** The check as text: one headline, then each table with its lines. */
export function formatDataCheck(check: DataCheck): string[] {
  const failed = check.tables.filter((t) => t.status === "fail").length;
  const out = [
    check.tables.length === 0
      ? "Data check: no table added or changed."
      : `Data check: ${check.tables.length} table(s) added or changed, ${failed} with files that will fail validation ` +
        "(DMS-shaped full-load and CDC files, judged by the validation Lambda's checks):",
  ];
  for (const t of check.tables) {
    out.push(`  ${t.database}.${t.table}: ${t.status === "fail" ? "FAIL" : "pass"}`);
    for (const l of t.lines) out.push(`    ${STATUS_MARK[l.status]} ${l.text}`);
  }
  for (const n of check.notes) out.push(`  note: ${n}`);
  return out;
}

/**
 * The check as a pull-request comment section (GitHub Markdown), at most `budget` characters:
 * tables that will fail first, then the others, cut at a table's end with a count of the rest.
 */
export function dataCheckMarkdown(check: DataCheck, budget: number): string {
  const failed = check.tables.filter((t) => t.status === "fail");
  const heading =
    check.tables.length === 0
      ? "### Data check\n\nNo table added or changed."
      : `### Data check: ${check.tables.length} table(s) added or changed, ${failed.length} with files that will fail\n\n` +
        "DMS-shaped full-load and CDC files of each table, before and after the source change, judged by the validation Lambda's checks (unknown columns fail, as in prod).";
  const blocks = [...failed, ...check.tables.filter((t) => t.status === "pass")].map(
    (t) =>
      `**${t.database}.${t.table}**: ${t.status === "fail" ? "❌ files will fail" : "✅ files pass"}\n\n` +
      t.lines.map((l) => `- ${STATUS_MARK[l.status]} ${l.text}`).join("\n"),
  );
  const notes = check.notes.map((n) => `- note: ${n}`).join("\n");
  let out = heading;
  for (const [i, block] of blocks.entries()) {
    const rest = `\n\n…and ${blocks.length - i} more table(s): see the job's log or --json.`;
    if (out.length + block.length + 2 + rest.length + notes.length > budget) return `${out}${rest}`;
    out += `\n\n${block}`;
  }
  return notes === "" ? out : `${out}\n\n${notes}`;
}
