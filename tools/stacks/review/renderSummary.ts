/**
 * The table summary as text (terminal, run report) and as GitHub Markdown (pull-request
 * comments), grouped by environment and database. The Markdown fits a character budget by
 * shortening tables to their headline first, then leaving whole tables out with a note: the
 * comments give it the room before anything else, so it is what they trim last.
 */
import { type TableChange, type TableSummary, type TaskChange } from "./tableSummary";

export const NO_TABLE_CHANGES =
  "No table changes: no table, column, key or DMS task mapping changes.";

const MARK = { added: "+", removed: "-", changed: "~" } as const;

function tableHead(t: TableChange): string {
  const what = t.change === "added" ? ": new table" : t.change === "removed" ? ": removed" : "";
  return `${MARK[t.change]} ${t.database}.${t.table}${t.source ? ` (${t.source})` : ""}${what}`;
}

function taskHead(t: TaskChange): string {
  const name = `DMS task ${t.task} (${t.stack})`;
  switch (t.action) {
    case "created":
      return `${name}: created: a full load of every table (${t.loads.length})`;
    case "replaced":
      return `${name}: REPLACED: the new task starts with a full load of every table (${t.loads.length})`;
    case "restarted":
      return `${name}: stops and restarts (the provider stops a running task to modify it)`;
    case "deleted":
      return `${name}: deleted: replication of its tables stops`;
    case "updated":
      return `${name}: updated in place, keeps running`;
    default:
      return `${name}: no change, keeps running`;
  }
}

function taskLines(t: TaskChange): string[] {
  const loads =
    t.action === "restarted"
      ? t.loads.length > 0
        ? [
            `then reload ${t.loads.join(", ")}: its full load (ReloadTables; the task keeps running)`,
          ]
        : ["reloads no table: replication resumes where it stopped"]
      : [];
  return [...t.why, ...loads];
}

/** One block per table and task: a headline and its detail lines. */
interface Block {
  readonly kind: "table" | "task";
  readonly group: string;
  readonly head: string;
  readonly lines: readonly string[];
  readonly validation: readonly string[];
}

function blocks(s: TableSummary): Block[] {
  const groups = [...new Set([...s.tables, ...s.tasks].map((x) => `${x.env}, ${x.database}`))];
  return groups.flatMap((group) => [
    ...s.tables
      .filter((t) => `${t.env}, ${t.database}` === group)
      .map((t) => ({
        kind: "table" as const,
        group,
        head: tableHead(t),
        lines: t.lines,
        validation: t.validation ?? [],
      })),
    ...s.tasks
      .filter((t) => `${t.env}, ${t.database}` === group)
      .map((t) => ({
        kind: "task" as const,
        group,
        head: taskHead(t),
        lines: taskLines(t),
        validation: [],
      })),
  ]);
}

/** The summary as terminal lines (no indentation of its own). */
export function summaryLines(s: TableSummary): string[] {
  const all = blocks(s);
  if (all.length === 0) return [NO_TABLE_CHANGES];
  const out = ["What this does to the data:"];
  let group = "";
  for (const b of all) {
    if (b.group !== group) out.push(`${(group = b.group)}:`);
    out.push(`  ${b.head}`);
    for (const l of b.lines) out.push(`      ${l}`);
    for (const v of b.validation) out.push(`      validation: ${v}`);
  }
  return out;
}

/**
 * Text as literal Markdown on one line: code, emphasis, link, HTML, table and strikethrough
 * characters escaped, `_` where it could start or end emphasis (CommonMark: not inside a word),
 * and a list or heading marker at the start.
 */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/\r?\n/g, " ")
    .replace(/[\\`*[\]<>|~]/g, (c) => `\\${c}`)
    .replace(/(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, "\\_")
    .replace(/^([+\-#])/, "\\$1");
}

function blockMarkdown(b: Block, full: boolean): string {
  const items = full
    ? [...b.lines, ...b.validation.map((v) => `validation: ${v}`)]
    : b.validation.slice(0, 1).map((v) => `validation: ${v}`);
  const omitted = b.lines.length + b.validation.length - items.length;
  return [
    `- **${escapeMarkdown(b.head)}**`,
    ...items.map((l) => `  - ${escapeMarkdown(l)}`),
    ...(omitted > 0 ? [`  - … ${omitted} more lines: see the workflow log`] : []),
  ].join("\n");
}

/**
 * `whole`: how many blocks keep their detail lines, `shown`: how many are listed at all, both
 * counted in the order trimming spares them: the DMS tasks first, then the tables in order.
 */
function renderBlocks(all: readonly Block[], whole: number, shown: number): string {
  const spared = [
    ...all.filter((b) => b.kind === "task"),
    ...all.filter((b) => b.kind === "table"),
  ];
  const rank = new Map(spared.map((b, i) => [b, i]));
  // One tight list per group (no blank line between its items), the groups apart.
  const groups: { title: string; items: string[] }[] = [];
  for (const b of all) {
    const r = rank.get(b) ?? 0;
    if (r >= shown) continue;
    if (groups.at(-1)?.title !== b.group) groups.push({ title: b.group, items: [] });
    groups.at(-1)?.items.push(blockMarkdown(b, r < whole));
  }
  const parts = groups.map((g) => `**${escapeMarkdown(g.title)}**\n\n${g.items.join("\n")}`);
  if (shown < all.length)
    parts.push(
      `… ${all.length - shown} more tables and tasks not shown to fit GitHub's comment limit: see the workflow log.`,
    );
  return parts.join("\n\n");
}

/**
 * The summary as Markdown under a `### What this does to the data` heading, at most `budget`
 * characters: detail lines go first (from the last table up), then whole tables.
 */
export function summaryMarkdown(s: TableSummary, budget = Infinity): string {
  const heading = "### What this does to the data";
  const all = blocks(s);
  if (all.length === 0) return `${heading}\n\n${NO_TABLE_CHANGES}`;
  const fit = (body: string) => `${heading}\n\n${body}`;
  const n = all.length;
  const full = fit(renderBlocks(all, n, n));
  if (full.length <= budget) return full;
  // Shorten tables to their headline, from the last one up: the most kept whole that fits.
  const whole = largest(n - 1, (w) => fit(renderBlocks(all, w, n)).length <= budget);
  if (whole >= 0) return fit(renderBlocks(all, whole, n));
  // Then leave tables out, from the last one.
  const shown = largest(n - 1, (k) => fit(renderBlocks(all, 0, k)).length <= budget);
  return fit(renderBlocks(all, 0, Math.max(0, shown)));
}

/** The largest n in 0..max with ok(n) (ok is monotone: true up to some n), or -1. */
function largest(max: number, ok: (n: number) => boolean): number {
  let lo = -1;
  let hi = max;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi + 1) / 2);
    if (ok(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
