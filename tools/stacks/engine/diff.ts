/**
 * `stacks diff --base <git-rev>`: the offline plan of a base revision and of the working tree,
 * compared resource by resource (by URN) and input by input. Needs no cloud and no credentials,
 * so every pull request (forks included) gets it.
 *
 * Each side is planned by its own code: the base from a `git archive` of the revision in a
 * temporary folder (its node_modules a symlink to the working tree's), the working tree where
 * it is, each by `node --require ./tools/stacks/register.js tools/stacks/cli.ts plan --json`
 * in a child process, so that neither side's modules leak into the other. Input changes that
 * force a replacement are marked from the projects' replace-on-change facts; the warnings are the
 * real preview's (both from the projects' review rules: review.ts).
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { type Environment, type Project } from "../../../lib/model/stacks";
import { findingText } from "../../../lib/model/review";
import { GITHUB_COMMENT_LIMIT, alertBlock, trimText } from "../report/comment";
import { type StackReport } from "../report/report";
import { dataCheckMarkdown, formatDataCheck, runDataCheck, type DataCheck } from "../dataCheck";
import { envOfStack, metadataContents, resourcesFromPlans } from "../review/fromPlans";
import { summaryLines, summaryMarkdown } from "../review/renderSummary";
import { type TableSummary, type ValidationLines, tableSummary } from "../review/tableSummary";
import {
  type ValueChange,
  formatValueChange,
  isObject,
  keyPath,
  parsedJson,
  valueChanges,
} from "../review/values";
import { replacingInputs, repoReview, reviewFindings, reviewWarnings } from "./review";

/** The part of a `plan --json` document (report.ts, version 1) that diff reads. */
export interface PlanDocument {
  readonly stacks: readonly {
    readonly stack: string;
    readonly project: Project;
    readonly env: Environment;
    readonly status: string;
    readonly reason?: string;
    readonly errors: readonly string[];
    readonly resources?: readonly {
      readonly type: string;
      readonly name: string;
      readonly urn: string;
      readonly keyInputs: Record<string, string>;
      readonly inputs?: Record<string, unknown>;
    }[];
  }[];
}

type PlannedLine = NonNullable<PlanDocument["stacks"][number]["resources"]>[number];

export interface ResourceRef {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
}

export interface ChangedResource extends ResourceRef {
  /** Changed input paths, e.g. `tableMappings.rules[3]` (JSON strings are compared parsed). */
  readonly paths: string[];
  /** The changed top-level inputs that force a replacement; empty for an update. */
  readonly replacedBy: string[];
  /** Each change as values, before → after (review/values.ts: compact, secrets masked). */
  readonly values: ValueChange[];
}

export interface StackDiff {
  readonly stack: string;
  readonly project: Project;
  readonly env: Environment;
  /** compared; failed: a side could not be planned; added/removed: a stack only one side has. */
  readonly status: "compared" | "failed" | "added" | "removed";
  readonly errors: string[];
  readonly added: ResourceRef[];
  readonly removed: ResourceRef[];
  readonly changed: ChangedResource[];
  /** true when the base plan had only key inputs (a revision older than plan --json inputs). */
  readonly keyInputsOnly: boolean;
}

export interface DiffReport {
  readonly base: { readonly rev: string; readonly commit: string };
  readonly envs: readonly Environment[];
  readonly stacks: StackDiff[];
  readonly warnings: string[];
  /** Types with a changed resource but no entry in REPLACE_ON_CHANGES (changes shown as updates). */
  readonly unknownTypes: string[];
  /** What the change does to the data, per env, database and table (review/tableSummary.ts). */
  readonly tables: TableSummary;
  /** The data check of every added or changed table (tools/stacks/dataCheck). */
  readonly dataCheck?: DataCheck;
}

// ---------------------------------------------------------------------------------------------
// Comparing two values input by input.

/** The paths at which `a` and `b` differ, shortest first within each branch. */
export function changedPaths(a: unknown, b: unknown, prefix = ""): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  const pa = parsedJson(a);
  const pb = parsedJson(b);
  if (pa !== undefined && pb !== undefined) return changedPaths(pa, pb, prefix);
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => changedPaths(a[k], b[k], keyPath(prefix, k)));
  }
  // Arrays of another length (an item added or removed) are one change: item by item, every
  // item after the insertion point would differ.
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    return a.flatMap((item, i) => changedPaths(item, b[i], `${prefix}[${i}]`));
  }
  return [prefix === "" ? "(value)" : prefix];
}

const topLevel = (p: string) => /^[^.[]+/.exec(p)?.[0] ?? p;

const ref = (r: PlannedLine): ResourceRef => ({ urn: r.urn, type: r.type, name: r.name });

/** Compares the plans stack by stack, in the working tree's (dependency) order. */
export function comparePlans(base: PlanDocument, head: PlanDocument): StackDiff[] {
  const baseStacks = new Map(base.stacks.map((s) => [s.stack, s]));
  const headNames = new Set(head.stacks.map((s) => s.stack));
  const diffs: StackDiff[] = [];
  for (const h of head.stacks) {
    if (h.status === "skipped") continue;
    const b = baseStacks.get(h.stack);
    const empty = { added: [], removed: [], changed: [], keyInputsOnly: false };
    const errors = [
      ...(b && b.status === "failed"
        ? [`the base revision's plan failed: ${b.reason ?? b.errors[0] ?? "see its log"}`]
        : []),
      ...(h.status === "failed"
        ? [`the working tree's plan failed: ${h.reason ?? h.errors[0] ?? "see its log"}`]
        : []),
    ];
    if (errors.length > 0) {
      diffs.push({
        stack: h.stack,
        project: h.project,
        env: h.env,
        status: "failed",
        errors,
        ...empty,
      });
      continue;
    }
    const before = b?.status === "skipped" ? undefined : b;
    const baseResources = new Map((before?.resources ?? []).map((r) => [r.urn, r]));
    const headResources = new Map((h.resources ?? []).map((r) => [r.urn, r]));
    const keyInputsOnly = (before?.resources ?? []).some((r) => r.inputs === undefined);
    const added = (h.resources ?? []).filter((r) => !baseResources.has(r.urn)).map(ref);
    const removed = (before?.resources ?? []).filter((r) => !headResources.has(r.urn)).map(ref);
    const changed: ChangedResource[] = [];
    for (const r of h.resources ?? []) {
      const old = baseResources.get(r.urn);
      if (!old) continue;
      const [a, b] =
        keyInputsOnly || r.inputs === undefined
          ? [old.keyInputs, r.keyInputs]
          : [old.inputs, r.inputs];
      const paths = changedPaths(a, b);
      if (paths.length === 0) continue;
      const inputs = [...new Set(paths.map(topLevel))];
      changed.push({
        ...ref(r),
        paths,
        replacedBy: replacingInputs(r.type, inputs) ?? [],
        values: valueChanges(a, b),
      });
    }
    diffs.push({
      stack: h.stack,
      project: h.project,
      env: h.env,
      status: before ? "compared" : "added",
      errors: [],
      added,
      removed,
      changed,
      keyInputsOnly,
    });
  }
  for (const b of base.stacks) {
    if (headNames.has(b.stack) || b.status === "skipped") continue;
    diffs.push({
      stack: b.stack,
      project: b.project,
      env: b.env,
      status: "removed",
      errors: [],
      added: [],
      removed: (b.resources ?? []).map(ref),
      changed: [],
      keyInputsOnly: false,
    });
  }
  return diffs;
}

// ---------------------------------------------------------------------------------------------
// Warnings.

/**
 * The diff as the steps of a preview (replaced and updated resources with their changed
 * top-level inputs, deleted ones), so that the warnings are the real preview's own.
 */
function asPreviewSteps(diffs: readonly StackDiff[]): StackReport[] {
  return diffs.map((d) => ({
    stack: d.stack,
    project: d.project,
    env: d.env,
    status: "succeeded",
    durationMs: 0,
    errors: [],
    policyViolations: [],
    steps: [
      ...d.changed.map((c) => ({
        op: c.replacedBy.length > 0 ? "replace" : "update",
        urn: c.urn,
        type: c.type,
        name: c.name,
        diffs: c.replacedBy.length > 0 ? c.replacedBy : [...new Set(c.paths.map(topLevel))],
      })),
      ...d.removed.map((r) => ({ op: "delete", ...r })),
    ],
  }));
}

/** The loud warnings of the real preview (the projects' review rules, review.ts), caution first. */
export function diffWarnings(diffs: readonly StackDiff[]): string[] {
  return reviewWarnings(asPreviewSteps(diffs));
}

export function unknownTypes(diffs: readonly StackDiff[]): string[] {
  const types = new Set(diffs.flatMap((d) => d.changed.map((c) => c.type)));
  const table = repoReview().replaceOnChanges;
  return [...types].filter((t) => !(t in table)).sort();
}

export function diffReport(
  base: DiffReport["base"],
  envs: readonly Environment[],
  basePlan: PlanDocument,
  headPlan: PlanDocument,
  validation?: ValidationLines,
  contents?: Parameters<typeof resourcesFromPlans>[2],
): DiffReport {
  const stacks = comparePlans(basePlan, headPlan);
  return {
    base,
    envs,
    stacks,
    warnings: diffWarnings(stacks),
    unknownTypes: unknownTypes(stacks),
    tables: tableSummary(resourcesFromPlans(basePlan, headPlan, contents), envOfStack, validation),
  };
}

// ---------------------------------------------------------------------------------------------
// Output.

const counts = (d: StackDiff) => {
  const replaced = d.changed.filter((c) => c.replacedBy.length > 0).length;
  return `${d.added.length} to add, ${d.removed.length} to remove, ${d.changed.length - replaced} to update, ${replaced} to replace`;
};

/**
 * One line per resource: `+` added, `-` removed, `~` updated, `+-` replaced, with the paths;
 * under a changed one, each change as values (`path: before → after`).
 */
export function resourceLines(d: StackDiff): string[] {
  return [
    ...d.added.map((r) => `+  ${r.type} ${r.name}`),
    ...d.removed.map((r) => `-  ${r.type} ${r.name}`),
    ...d.changed.flatMap((c) => [
      `${c.replacedBy.length > 0 ? "+- " : "~  "}${c.type} ${c.name}: ${c.paths.join(", ")}` +
        (c.replacedBy.length > 0
          ? ` (replaced: ${c.replacedBy.join(", ")} cannot change in place)`
          : ""),
      ...(c.values ?? []).map((v) => `     ${formatValueChange(v)}`),
    ]),
  ];
}

function stackHeadline(d: StackDiff): string {
  switch (d.status) {
    case "failed":
      return `${d.stack}: NOT COMPARED: ${d.errors.join("; ")}`;
    case "added":
      return `${d.stack}: a new stack (not in the base): ${counts(d)}`;
    case "removed":
      return `${d.stack}: not in the working tree any more: ${counts(d)}`;
    default:
      return (
        `${d.stack}: ${d.added.length + d.removed.length + d.changed.length === 0 ? "no changes" : counts(d)}` +
        (d.keyInputsOnly ? " (the base plan has key inputs only: compared those)" : "")
      );
  }
}

export function formatDiff(r: DiffReport): string {
  const lines = [
    `Offline diff: base ${r.base.rev} (${r.base.commit.slice(0, 12)}) -> working tree, ${r.envs.join(", ")}`,
    ...summaryLines(r.tables),
  ];
  for (const w of r.warnings) lines.push(`WARNING: ${w}`);
  if (r.dataCheck) lines.push(...formatDataCheck(r.dataCheck));
  for (const d of r.stacks) {
    lines.push(stackHeadline(d));
    for (const l of resourceLines(d)) lines.push(`  ${l}`);
  }
  if (r.unknownTypes.length > 0)
    lines.push(
      `No replace-on-change facts for ${r.unknownTypes.join(", ")} (lib/model/awsReplaceOnChanges.ts, <project>/review.ts): their changes are shown as updates.`,
    );
  return lines.join("\n");
}

export function diffJson(r: DiffReport): string {
  return JSON.stringify(
    { version: 1, ok: !r.stacks.some((s) => s.status === "failed"), ...r },
    null,
    2,
  );
}

/**
 * The pull-request comment (Markdown), at most GitHub's limit: the table summary first, then the
 * warnings (never trimmed), the stacks' counts and the resources. The resources are trimmed
 * first; the table summary only when the rest leaves it no room.
 */
export function diffComment(r: DiffReport, limit = GITHUB_COMMENT_LIMIT): string {
  const title = `## Offline diff against \`${r.base.rev}\` (${r.base.commit.slice(0, 7)})`;
  const head: string[] = [];
  // As the preview's comment has them: a block per severity, caution first.
  for (const { severity, findings } of reviewFindings(asPreviewSteps(r.stacks))) {
    head.push(
      alertBlock(
        severity,
        findings.map((f) => `**${findingText(f)}**`),
      ),
    );
  }
  head.push(
    "Planned offline (Pulumi mocks, no cloud): what the programs would register, compared by URN and input. " +
      "A real preview may differ where AWS holds state the programs do not set.",
  );
  const changedStacks = r.stacks.filter(
    (d) => d.status !== "compared" || resourceLines(d).length > 0,
  );
  head.push(
    [
      "| stack | added | removed | updated | replaced | note |",
      "|---|---:|---:|---:|---:|---|",
      ...r.stacks.map((d) => {
        const replaced = d.changed.filter((c) => c.replacedBy.length > 0).length;
        const note =
          d.status === "compared"
            ? d.keyInputsOnly
              ? "key inputs only"
              : ""
            : d.status === "failed"
              ? `❌ ${d.errors.join("; ").replace(/\|/g, "\\|").replace(/\n/g, " ").slice(0, 200)}`
              : d.status;
        return `| ${d.stack} | ${d.added.length} | ${d.removed.length} | ${d.changed.length - replaced} | ${replaced} | ${note} |`;
      }),
    ].join("\n"),
  );
  // The data check gets at most half the comment; the resources have the rest.
  if (r.dataCheck) head.push(dataCheckMarkdown(r.dataCheck, Math.floor(limit / 2)));
  const RESOURCES_RESERVE = 400;
  const summaryBudget = limit - title.length - head.join("\n\n").length - RESOURCES_RESERVE;
  const top = [title, summaryMarkdown(r.tables, summaryBudget), ...head].join("\n\n");
  const body = changedStacks
    .filter((d) => resourceLines(d).length > 0)
    .map(
      (d) =>
        `${d.stack}:\n${resourceLines(d)
          .map((l) => `  ${l}`)
          .join("\n")}`,
    )
    .join("\n");
  if (body === "") return `${top}\n\nNo resource changes.\n`;
  const room = limit - top.length - 200;
  // A fence longer than any run of backticks in the values, so that none can close it.
  const fence = "`".repeat(Math.max(3, ...[...body.matchAll(/`+/g)].map((m) => m[0].length + 1)));
  return `${top}\n\n<details open><summary>Resources</summary>\n\n${fence}diff\n${trimText(body, Math.max(0, room))}\n${fence}\n</details>\n`;
}

// ---------------------------------------------------------------------------------------------
// Planning a revision.

export interface Child {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function runChild(command: string, args: readonly string[], cwd: string): Promise<Child> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (b: Buffer) => out.push(b));
    child.stderr.on("data", (b: Buffer) => err.push(b));
    child.on("error", reject);
    child.on("close", (code) =>
      resolve({
        code: code ?? 1,
        stdout: Buffer.concat(out).toString("utf8"),
        stderr: Buffer.concat(err).toString("utf8"),
      }),
    );
  });
}

/** `plan --json` of the checkout at `root`, by that checkout's own CLI. */
export async function planCheckout(
  root: string,
  planArgs: readonly string[],
  what: string,
): Promise<PlanDocument> {
  const result = await runChild(
    process.execPath,
    [
      "--require",
      "./tools/stacks/register.js",
      "tools/stacks/cli.ts",
      "plan",
      ...planArgs,
      "--json",
    ],
    root,
  );
  try {
    const doc = JSON.parse(result.stdout) as PlanDocument;
    if (Array.isArray(doc.stacks)) return doc;
  } catch {
    // reported below
  }
  const tail = result.stderr.trim().split("\n").slice(-15).join("\n");
  throw new DiffError(
    `the offline plan of ${what} did not run (exit code ${result.code}):\n${tail}`,
  );
}

export class DiffError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DiffError";
  }
}

/** The full commit a revision names, or a DiffError saying how to make it available. */
export async function resolveRevision(repoRoot: string, rev: string): Promise<string> {
  const result = await runChild(
    "git",
    ["rev-parse", "--verify", "--quiet", `${rev}^{commit}`],
    repoRoot,
  );
  if (result.code !== 0) {
    throw new DiffError(
      `--base ${rev}: not a commit of this repository. Fetch it first (git fetch origin <branch>; ` +
        `in GitHub Actions, actions/checkout with fetch-depth: 0).`,
    );
  }
  return result.stdout.trim();
}

/**
 * The revision's files in a new temporary folder (git archive | tar), with node_modules a
 * symlink to the working tree's; `remove` deletes the folder again.
 */
export async function checkoutRevision(
  repoRoot: string,
  commit: string,
): Promise<{ dir: string; remove(): void }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stacks-diff-base-"));
  const remove = () => fs.rmSync(dir, { recursive: true, force: true });
  const tar = path.join(dir, "revision.tar");
  const archive = await runChild(
    "git",
    ["archive", "--format=tar", `--output=${tar}`, commit],
    repoRoot,
  );
  const extract =
    archive.code === 0 ? await runChild("tar", ["-xf", tar, "-C", dir], dir) : archive;
  fs.rmSync(tar, { force: true });
  if (extract.code !== 0) {
    remove();
    throw new DiffError(
      `could not check out ${commit} into a temporary folder: ${extract.stderr.trim()}`,
    );
  }
  fs.symlinkSync(path.join(repoRoot, "node_modules"), path.join(dir, "node_modules"), "dir");
  return { dir, remove };
}

export interface DiffOptions {
  readonly repoRoot: string;
  readonly base: string;
  readonly envs: readonly Environment[];
  /** --env and --project flags passed to both plans. */
  readonly planArgs: readonly string[];
  /** Progress lines. */
  readonly log: (line: string) => void;
  /** What the validation Lambda will do with each changed table's files (the data check). */
  readonly validation?: ValidationLines;
}

/** Plans the base revision (a temporary checkout) and the working tree side by side, then `use`s them. */
async function withBothPlans<T>(
  o: DiffOptions,
  use: (p: {
    commit: string;
    baseDir: string;
    basePlan: PlanDocument;
    headPlan: PlanDocument;
  }) => Promise<T>,
): Promise<T> {
  const commit = await resolveRevision(o.repoRoot, o.base);
  o.log(`Planning ${o.base} (${commit.slice(0, 12)}) and the working tree offline...`);
  const checkout = await checkoutRevision(o.repoRoot, commit);
  try {
    // Side by side: each plan is its own process, and they share nothing.
    const settled = await Promise.allSettled([
      planCheckout(checkout.dir, o.planArgs, `the base revision ${o.base}`),
      planCheckout(o.repoRoot, o.planArgs, "the working tree"),
    ]);
    // The base's failure first, as when they ran one after the other.
    for (const s of settled) if (s.status === "rejected") throw s.reason;
    const [basePlan, headPlan] = settled.map(
      (s) => (s as PromiseFulfilledResult<PlanDocument>).value,
    );
    return await use({ commit, baseDir: checkout.dir, basePlan, headPlan });
  } finally {
    checkout.remove();
  }
}

/** Each stack's differences only: what --affected-since decides from (no data check, no tables). */
export function diffStacks(o: DiffOptions): Promise<Pick<DiffReport, "stacks">> {
  return withBothPlans(o, async ({ basePlan, headPlan }) => ({
    stacks: comparePlans(basePlan, headPlan),
  }));
}

export function runDiff(o: DiffOptions): Promise<DiffReport> {
  return withBothPlans(o, async ({ commit, baseDir, basePlan, headPlan }) => {
    const dataCheck = await runDataCheck(baseDir, o.repoRoot);
    // The data check's verdicts are each table's validation lines in the table summary.
    const verdicts = new Map(dataCheck.tables.map((t) => [`${t.database}/${t.table}`, t.lines]));
    const validation: ValidationLines =
      o.validation ??
      ((c) => verdicts.get(`${c.database}/${c.table}`)?.map((l) => `${l.status}: ${l.text}`));
    // The metadata objects' inputs hold an asset's hash: the tables' text is each side's files.
    const contents = {
      before: metadataContents(baseDir),
      after: metadataContents(o.repoRoot),
    };
    const report = diffReport(
      { rev: o.base, commit },
      o.envs,
      basePlan,
      headPlan,
      validation,
      contents,
    );
    return { ...report, dataCheck };
  });
}
