/**
 * The pull-request comment of `preview --comment-file`: the projects' review findings first (a
 * dmsRole replaced or deleted, a DMS task disturbed: tools/stacks/engine/review.ts), then per environment a table of projects by creates, updates, replaces
 * and deletes, the policy results, and each stack's diff in a collapsible section. It stays under
 * GitHub's limit on a comment by trimming the diffs first (then the list of policy results);
 * the warnings and the tables are never trimmed. Pure: tested on crafted reports.
 */
import { type ReviewRule, type Severity } from "../../../lib/model/review";
import { type Environment } from "../../../lib/model/stacks";
import { reviewFindings } from "../engine/review";
import { hasStepInputs, stacksTableSummary } from "../review/fromSteps";
import { summaryMarkdown } from "../review/renderSummary";
import { type StackReport, type Violation, formatChanges } from "./report";

/** GitHub refuses an issue or pull-request comment longer than this (characters). */
export const GITHUB_COMMENT_LIMIT = 65_536;

/** First line of every comment, so that a workflow can find and update its previous comment. */
export const COMMENT_MARKER = "<!-- dataeng-stacks-preview -->";

export interface EnvPreview {
  readonly env: Environment;
  readonly stacks: readonly StackReport[];
}

const ALERT: Record<Severity, string> = { caution: "CAUTION", warning: "WARNING" };

/** A GitHub alert block (`> [!CAUTION]`), one paragraph per line. */
export function alertBlock(severity: Severity, lines: readonly string[]): string {
  return [`> [!${ALERT[severity]}]`, ...lines.map((l) => `> ${l}`)].join("\n>\n");
}

/**
 * The projects' review findings (tools/stacks/engine/review.ts) as alert blocks: each finding's
 * headline in bold with its resource, then each distinct detail once.
 */
function reviewBlocks(stacks: readonly StackReport[], rules?: readonly ReviewRule[]): string[] {
  return reviewFindings(stacks, rules).map(({ severity, findings }) =>
    alertBlock(severity, [
      ...findings.map((f) => `**${f.headline}**${f.urn ? ` \`${f.urn}\`` : ""}`),
      ...new Set(findings.flatMap((f) => (f.detail ? [f.detail] : []))),
    ]),
  );
}

const STATUS_ICON: Record<string, string> = {
  succeeded: "✅",
  failed: "❌",
  skipped: "⏭️",
  drifted: "⚠️",
};

const cell = (text: string) => text.replace(/\|/g, "\\|").replace(/\r?\n/g, " ");

function envTable(p: EnvPreview): string {
  const rows = p.stacks.map((s) => {
    const c = s.changes;
    const n = (v: number | undefined) => (v === undefined ? "-" : String(v));
    const status = `${STATUS_ICON[s.status] ?? ""} ${s.status}`.trim();
    const note = s.reason ? cell(firstLine(s.reason, 160)) : "";
    return `| ${s.project} | ${status} | ${n(c?.create)} | ${n(c?.update)} | ${n(c?.replace)} | ${n(c?.delete)} | ${note} |`;
  });
  return [
    "| project | result | creates | updates | replaces | deletes | note |",
    "|---|---|---:|---:|---:|---:|---|",
    ...rows,
  ].join("\n");
}

function firstLine(text: string, max: number): string {
  const line = text.split("\n").find((l) => l.trim() !== "") ?? "";
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** The text on one line (runs of whitespace and newlines become one space), at most `max` characters. */
function clip(text: string, max: number): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

interface PolicyItem {
  readonly stack: string;
  readonly violation: Violation;
}

function policyItems(p: EnvPreview): PolicyItem[] {
  const items = p.stacks.flatMap((s) =>
    s.policyViolations.map((violation) => ({ stack: s.stack, violation })),
  );
  // Mandatory first: they are what blocks the deploy, and what trimming keeps longest; then
  // the exemptions, a waived check a reviewer must see with its reason; then the advisories.
  const rank = (v: Violation) =>
    v.enforcementLevel === "mandatory" ? 0 : v.exemption !== undefined ? 1 : 2;
  return items
    .map((item, order) => ({ item, order }))
    .sort((a, b) => rank(a.item.violation) - rank(b.item.violation) || a.order - b.order)
    .map(({ item }) => item);
}

function policyLine(i: PolicyItem): string {
  const v = i.violation;
  const icon =
    v.enforcementLevel === "mandatory"
      ? "❌ mandatory"
      : v.exemption !== undefined
        ? `🔕 exempted (reason: ${cell(clip(v.exemption, 300))})`
        : "⚠️ advisory";
  const where =
    v.resourceType && v.resourceName
      ? ` on \`${v.resourceType}\` \`${v.resourceName}\``
      : v.urn
        ? ` on \`${v.urn}\``
        : "";
  // The violation's own message (every line of it); the policy's description only beneath it.
  const about = v.description ? `<br><sub>${cell(clip(v.description, 300))}</sub>` : "";
  return `- ${icon} \`${v.policyName}\`${where} (${i.stack}): ${cell(clip(v.message, 600))}${about}`;
}

function policySection(p: EnvPreview, shown: number): string {
  const items = policyItems(p);
  const mandatory = items.filter((i) => i.violation.enforcementLevel === "mandatory").length;
  const waived = items.filter((i) => i.violation.exemption !== undefined).length;
  const head =
    `**Policy results (${p.env})**: ${mandatory} mandatory, ${items.length - mandatory} advisory` +
    (waived > 0 ? ` (${waived} exempted, each with its reason).` : ".");
  if (items.length === 0) return `${head} No violations.`;
  const lines = items.slice(0, shown).map(policyLine);
  if (shown < items.length) {
    lines.push(
      `- … ${items.length - shown} more not shown to fit GitHub's comment limit: see the workflow log.`,
    );
  }
  return [head, "", ...lines].join("\n");
}

function fence(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  return "`".repeat(longest + 1);
}

function diffOf(s: StackReport): string {
  const text = (s.output ?? "").replace(/\s+$/, "");
  if (text !== "") return text;
  return s.errors.join("\n");
}

/** A diff cut to at most `budget` characters at a line boundary, with a note when it was cut. */
export function trimText(text: string, budget: number): string {
  if (text.length <= budget) return text;
  const lines = text.split("\n");
  const kept: string[] = [];
  let used = 0;
  for (const line of lines) {
    if (used + line.length + 1 > budget) break;
    kept.push(line);
    used += line.length + 1;
  }
  const dropped = lines.length - kept.length;
  return [
    ...kept,
    `… ${dropped} more lines trimmed to fit GitHub's comment limit: see the workflow log.`,
  ].join("\n");
}

function detailsSection(s: StackReport, body: string | undefined): string {
  const summary = `${s.stack}: ${s.status}${s.changes ? `, ${formatChanges(s.changes)}` : ""}`;
  if (body === undefined) {
    return `<details><summary>${summary}</summary>\n\nDiff omitted to fit GitHub's comment limit: see the workflow log.\n</details>`;
  }
  if (body === "") return `<details><summary>${summary}</summary>\n\nNo output.\n</details>`;
  const f = fence(body);
  return `<details><summary>${summary}</summary>\n\n${f}diff\n${body}\n${f}\n</details>`;
}

interface Layout {
  /** Per stack (by stack name): characters of diff kept, or undefined to omit it. */
  readonly diffBudget: ReadonlyMap<string, number | undefined>;
  /** Per env: how many policy results are listed. */
  readonly policyShown: ReadonlyMap<Environment, number>;
}

/** What every layout shares: the title and the review's alert blocks. */
interface Head {
  readonly title: string;
  /** The table summary (Markdown): first, and trimmed last. */
  readonly summary: string;
  readonly alerts: readonly string[];
}

function render(previews: readonly EnvPreview[], layout: Layout, head: Head): string {
  const all = previews.flatMap((p) => p.stacks);
  const parts: string[] = [
    COMMENT_MARKER,
    `## ${head.title}`,
    ...(head.summary ? [head.summary] : []),
    ...head.alerts,
  ];
  const failed = all.filter((s) => s.status === "failed").length;
  const mandatory = all.reduce(
    (n, s) => n + s.policyViolations.filter((v) => v.enforcementLevel === "mandatory").length,
    0,
  );
  parts.push(
    failed + mandatory === 0
      ? "Every previewed stack succeeded with no mandatory policy violation."
      : `**${failed} stack(s) failed** and **${mandatory} mandatory policy violation(s)** were found: the deploy would be refused.`,
  );
  for (const p of previews) {
    parts.push(
      `### ${p.env}`,
      envTable(p),
      policySection(p, layout.policyShown.get(p.env) ?? Infinity),
    );
    for (const s of p.stacks) {
      if (s.status === "skipped") continue;
      const budget = layout.diffBudget.get(s.stack);
      const text = diffOf(s);
      parts.push(detailsSection(s, budget === undefined ? undefined : trimText(text, budget)));
    }
  }
  return parts.join("\n\n") + "\n";
}

/**
 * The whole comment, at most `limit` characters. The table summary leads. Diffs are trimmed
 * first (the longest ones most), then omitted, then the policy list is shortened; warnings,
 * totals and tables stay; the table summary gets what the rest leaves at its smallest, so it is
 * trimmed last.
 */
export function renderComment(
  previews: readonly EnvPreview[],
  options: { limit?: number; title?: string; rules?: readonly ReviewRule[] } = {},
): string {
  const limit = options.limit ?? GITHUB_COMMENT_LIMIT;
  const title = options.title ?? "Pulumi preview";
  const bare: Head = {
    title,
    summary: "",
    alerts: reviewBlocks(
      previews.flatMap((p) => p.stacks),
      options.rules,
    ),
  };
  const stacks = previews.flatMap((p) => p.stacks).filter((s) => s.status !== "skipped");
  const smallest = render(
    previews,
    {
      diffBudget: new Map(stacks.map((s) => [s.stack, undefined])),
      policyShown: new Map(previews.map((p) => [p.env, 0])),
    },
    bare,
  );
  const head: Head = {
    ...bare,
    summary: previewSummaryMarkdown(stacks, limit - smallest.length - 100),
  };
  const full = new Map(
    stacks.map((s) => [s.stack, diffOf(s).length] as [string, number | undefined]),
  );
  const allPolicies = new Map(previews.map((p) => [p.env, Infinity]));
  let text = render(previews, { diffBudget: full, policyShown: allPolicies }, head);
  if (text.length <= limit) return text;

  // Water-fill the room left for diffs: short diffs stay whole, long ones share the rest.
  const omitted = new Map(stacks.map((s) => [s.stack, undefined as number | undefined]));
  const skeleton = render(
    previews,
    { diffBudget: new Map(stacks.map((s) => [s.stack, 0])), policyShown: allPolicies },
    head,
  );
  const NOTE_RESERVE = 140;
  let room = limit - skeleton.length - stacks.length * NOTE_RESERVE;
  for (let attempt = 0; attempt < 6 && room > 0; attempt++) {
    const budgets = waterFill(
      stacks.map((s) => [s.stack, full.get(s.stack) ?? 0]),
      room,
    );
    text = render(previews, { diffBudget: budgets, policyShown: allPolicies }, head);
    if (text.length <= limit) return text;
    room -= text.length - limit + 200;
  }

  // No room for diffs: omit them all, then shorten the policy lists until it fits.
  text = render(previews, { diffBudget: omitted, policyShown: allPolicies }, head);
  if (text.length <= limit) return text;
  const counts = new Map(previews.map((p) => [p.env, policyItems(p).length]));
  while (text.length > limit && [...counts.values()].some((n) => n > 0)) {
    const [env, n] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0];
    counts.set(env, Math.max(0, Math.floor(n * 0.8)));
    text = render(previews, { diffBudget: omitted, policyShown: counts }, head);
  }
  return text;
}

/** The table summary of the previewed stacks, or why there is none (no event log was read). */
function previewSummaryMarkdown(stacks: readonly StackReport[], budget: number): string {
  if (!hasStepInputs(stacks))
    return "### What this does to the data\n\nNot known: no stack's engine event log was read (see the workflow log).";
  return summaryMarkdown(stacksTableSummary(stacks), budget);
}

/** Budgets summing to at most `room`: each gets min(its length, an equal share of what is left). */
export function waterFill(items: readonly [string, number][], room: number): Map<string, number> {
  const result = new Map<string, number>();
  const sorted = [...items].sort((a, b) => a[1] - b[1]);
  let left = Math.max(0, room);
  sorted.forEach(([id, length], i) => {
    const share = Math.floor(left / (sorted.length - i));
    const given = Math.min(length, share);
    result.set(id, given);
    left -= given;
  });
  return result;
}
