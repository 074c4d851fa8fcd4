/**
 * The pre-merge data check of `stacks diff`: for every table a change adds or alters, the
 * files DMS will write (lib/dmsOutput: a full-load and a CDC file) are judged by the validation
 * Lambda's own judgeFile, with its key-based full-load/CDC rules, against the head metadata:
 * those of the source as it is before the change (base shape) and as it will be after it (head
 * shape). Then the head shape against the base metadata: what fails if the source changes
 * before the deploy. No cloud, no credentials; files and verdicts are cached per shape.
 */
import { lakeName, type TableMetadata } from "../../../lib/model/tableMetadata";
import { type Database } from "../../../lib/model/stacks";
import { dmsFile, inMemory, type FileKind, type SourceShape } from "../../../lib/dmsOutput/files";
import { incompatibleRetype } from "../../../lib/dmsOutput/parquetSchema";
import type { Failure } from "../../../lib/validation/checks";
import { judgeFile } from "../../../lib/validation/verdict";
import { hasSourceChange, sourceChange, tableShapes, transitionOf, type Shapes } from "./shapes";

export type LineStatus = "pass" | "fail" | "warn" | "info";

export interface VerdictLine {
  readonly status: LineStatus;
  readonly text: string;
}

export interface TableVerdict {
  readonly database: Database;
  /** The lake (lower-case) table name. */
  readonly table: string;
  /** fail: some file DMS will write after the deploy fails validation. */
  readonly status: "pass" | "fail";
  readonly lines: VerdictLine[];
}

/** The validation runs as in prod: a file with an unknown column fails. */
const UNKNOWN_COLUMNS = "fail";
const KINDS: readonly FileKind[] = ["full-load", "cdc"];
const RUNBOOK = "docs/schema-changes.md";

const files = new Map<string, { name: string; bytes: Uint8Array }>();
const verdicts = new Map<string, Promise<string[]>>();

/**
 * A failed check as the reviewer reads it: `missing column tier`, `incompatible type: ...`.
 * The table's name and the "what to do" hints are left out (the lines name the table).
 */
export function shortReason(f: Failure): string {
  const types = /incompatible type: (.*?); correct the type/.exec(f.message);
  if (types) return `incompatible type: ${types[1]}`;
  const first = f.message.split("; ")[0];
  if (f.check === "columns-present" || f.check === "no-unknown-columns")
    return first.split(": ")[0];
  return first.replace(/^(primary-key columns?) of \S+: /, "$1: ").replace(/^[a-z]+\.\S+: /, "");
}

/**
 * What the validation reads of a table, so that tables of one shape share their verdicts
 * (judgeFile reads the columns, their types and transitions, the key; the short reasons leave
 * the table's name out).
 */
const validationKey = (t: TableMetadata) =>
  JSON.stringify([
    t.database,
    t.primaryKey,
    t.columns.map((c) => [c.name, c.type, c.nullable, transitionOf(c) ?? null]),
  ]);

/** The reasons the file of this shape and kind fails under `table`, [] when it passes. */
function judge(shape: SourceShape, kind: FileKind, table: TableMetadata): Promise<string[]> {
  const shapeKey = JSON.stringify([shape, kind]);
  const key = `${shapeKey}\n${validationKey(table)}`;
  let verdict = verdicts.get(key);
  if (!verdict) {
    let file = files.get(shapeKey);
    if (!file) files.set(shapeKey, (file = dmsFile(shape, kind)));
    const { name, bytes } = file;
    verdict = judgeFile(inMemory(bytes), table, name, UNKNOWN_COLUMNS).then((v) =>
      v.failures.map(shortReason),
    );
    verdicts.set(key, verdict);
  }
  return verdict;
}

/** Why the files of a shape fail under `table` (`` when they all pass): the reasons of each kind. */
async function failures(shape: SourceShape, table: TableMetadata): Promise<string> {
  const [load, cdc] = await Promise.all(KINDS.map((k) => judge(shape, k, table)));
  if (load.join() === cdc.join()) return load.join("; ");
  return [
    ...(load.length > 0 ? [`full load: ${load.join("; ")}`] : []),
    ...(cdc.length > 0 ? [`CDC: ${cdc.join("; ")}`] : []),
  ].join("; ");
}

const line = (status: LineStatus, text: string): VerdictLine => ({ status, text });

/** The verdict of one added (no base) or changed table. */
export async function checkTable(
  base: TableMetadata | undefined,
  head: TableMetadata,
): Promise<TableVerdict> {
  const s = tableShapes(base, head);
  const name = head.name;
  const lines: VerdictLine[] = [];
  if (!base) {
    const why = await failures(s.after, head);
    lines.push(
      why === ""
        ? line("pass", `new table ${name}: its full load and CDC files pass`)
        : line("fail", `new table ${name}: its files will fail: ${why}`),
    );
  } else if (!hasSourceChange(s)) {
    const why = await failures(s.after, head);
    lines.push(
      why === ""
        ? line("pass", `${name} files pass`)
        : line("fail", `${name} files will fail: ${why}`),
    );
  } else {
    lines.push(...(await changeLines(s, base, head)));
  }
  lines.push(...transitionLines(head), ...retypeLines(s, name));
  return {
    database: head.database,
    table: lakeName(head.name),
    status: lines.some((l) => l.status === "fail") ? "fail" : "pass",
    lines,
  };
}

async function changeLines(
  s: Shapes,
  base: TableMetadata,
  head: TableMetadata,
): Promise<VerdictLine[]> {
  const change = sourceChange(s);
  const name = head.name;
  const [before, after, early] = await Promise.all([
    failures(s.before, head),
    failures(s.after, head),
    failures(s.after, base),
  ]);
  const lines = [
    before === ""
      ? line("pass", `${name} files written before the change pass (until ${change})`)
      : line("fail", `until ${change}, ${name} files will fail: ${before}`),
    after === ""
      ? line("pass", `once ${change}, ${name} files pass`)
      : line("fail", `once ${change}, ${name} files will fail: ${after}`),
  ];
  if (early !== "")
    lines.push(
      line(
        "warn",
        `if ${change} before this is deployed, ${name} files written in between will fail: ${early}; ` +
          (before === ""
            ? "deploy first, then change the source"
            : `no order avoids failed files: replay them after the deploy (npm run replay, ${RUNBOOK})`),
      ),
    );
  if (before !== "") lines.push(...hints(s, head));
  return lines;
}

/** How to avoid failed files: mark the columns the source has not changed yet. */
function hints(s: Shapes, head: TableMetadata): VerdictLine[] {
  const firm = (n: string) => {
    const c = head.columns.find((h) => h.name === n);
    return c !== undefined && transitionOf(c) === undefined;
  };
  const adding = s.added.filter(firm);
  const dropping = s.dropped.filter((n) => !head.columns.some((c) => c.name === n));
  return [
    ...adding.map((n) =>
      line(
        "info",
        `mark ${n} "transition": "adding" to let files without it pass until the Oracle column exists (${RUNBOOK})`,
      ),
    ),
    ...dropping.map((n) =>
      line(
        "info",
        `keep ${n} with "transition": "dropping" until the Oracle column is dropped, so that files with it still pass (${RUNBOOK})`,
      ),
    ),
  ];
}

function transitionLines(head: TableMetadata): VerdictLine[] {
  return head.columns.flatMap((c) => {
    const t = transitionOf(c);
    if (!t) return [];
    return [
      line(
        "info",
        t === "adding"
          ? `${c.name} is marked adding: files with and without it pass; Glue has it, nullable; ` +
              "`npm run metadata -- import --check` says when the source has it"
          : `${c.name} is marked dropping: files with and without it pass; Glue keeps it, nullable; ` +
              "`npm run metadata -- import --check` says when the source has dropped it",
      ),
    ];
  });
}

function retypeLines(s: Shapes, name: string): VerdictLine[] {
  return s.retyped.flatMap((r) => {
    const why = incompatibleRetype(r.from, r.to);
    if (!why) return [];
    return [
      line(
        "warn",
        `${name}.${r.name} ${r.from} → ${r.to}: DMS cannot write it into the existing parquet schema (${why}); ` +
          `the files already in the lake keep the old type: reload the table after the change (${RUNBOOK})`,
      ),
    ];
  });
}

/** Whether the table file changed between the revisions (the `database` tag aside). */
export const tableChanged = (base: TableMetadata | undefined, head: TableMetadata) =>
  base === undefined ||
  JSON.stringify({ ...base, database: undefined }) !==
    JSON.stringify({ ...head, database: undefined });

/** The verdicts of every added or changed table, database by database, table by table. */
export async function checkTables(
  base: Partial<Record<Database, readonly TableMetadata[]>>,
  head: Partial<Record<Database, readonly TableMetadata[]>>,
): Promise<TableVerdict[]> {
  const work: Promise<TableVerdict>[] = [];
  for (const [database, tables] of Object.entries(head) as [Database, TableMetadata[]][]) {
    const before = new Map((base[database] ?? []).map((t) => [t.name, t]));
    for (const t of tables)
      if (tableChanged(before.get(t.name), t)) work.push(checkTable(before.get(t.name), t));
  }
  return Promise.all(work);
}
