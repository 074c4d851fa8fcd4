/**
 * `--affected-since <git-rev>` (preview, up): run only the stacks that the change since a
 * revision can affect. The decision comes from the offline plans of the revision and of the
 * working tree (diff.ts, compared per stack by URN and input), plus the rules below for what a
 * plan cannot see. Never skip on doubt: a stack is skipped only when both plans succeeded, they
 * are equal, no rule selects it and no dependency of it replaces or deletes anything.
 */
import { EDGES } from "../../../lib/model/graph";
import {
  type Environment,
  type Project,
  hasStack,
  parseStackName,
  stackName,
} from "../../../lib/model/stacks";
import type { SelectedStack, Selection, SkippedStack } from "./selection";
import type { StackDiff } from "./diff";

/** A changed file the offline plan cannot see, and what it selects. */
export interface FileRule {
  readonly id: string;
  /** A repository path (forward slashes) to whether the rule applies, and to which stacks. */
  readonly matches: (file: string) => boolean;
  /** `all`: every stack of the run; `its stack`: the stack whose stack file it is. */
  readonly selects: "all" | "its stack";
  readonly why: string;
}

const STACK_FILE = /^([a-z_]+)\/Pulumi\.([a-z_]+-[a-z]+)\.yaml$/;

/** Every rule, in one place (README: "What a plan cannot see"). */
export const FILE_RULES: readonly FileRule[] = [
  {
    id: "policy",
    matches: (f) => f.startsWith("policy/") || f === "policy-config.json",
    selects: "all",
    why: "the policy pack judges every stack, and its verdicts are not part of the compared plans",
  },
  {
    id: "project-file",
    matches: (f) => /^[^/]+\/Pulumi\.yaml$/.test(f),
    selects: "all",
    why: "a Pulumi.yaml holds the program's runtime, options and entry point, which the offline plan does not use",
  },
  {
    id: "dependencies",
    matches: (f) => f === "package.json" || f === "package-lock.json",
    selects: "all",
    why: "the SDK and provider versions decide what the real engine and provider do; the offline plan uses mocks",
  },
  {
    id: "compile-options",
    matches: (f) => /^([^/]+\/)?tsconfig\.json$/.test(f),
    selects: "all",
    why: "the CLI compiles the programs with these options; the offline plan compiles them its own way",
  },
  {
    id: "cli-calls",
    matches: (f) =>
      f.startsWith("tools/stacks/pulumi/") ||
      f === ".github/workflows/pulumi_preview.yml" ||
      f === ".github/workflows/deploy.yml",
    selects: "all",
    why: "how each stack's pulumi call is made (flags, environment, the CLI version) is not in the plans",
  },
  {
    id: "plan-engine",
    matches: (f) => f.startsWith("lib/plan/") || f.startsWith("tools/stacks/engine/"),
    selects: "all",
    why: "the offline plan and its comparison changed, so an equal plan proves nothing",
  },
  {
    id: "stack-file",
    matches: (f) => STACK_FILE.test(f),
    selects: "its stack",
    why: "secure values, the encryptionsalt and provider settings of a stack file are placeholders or absent in the plan",
  },
];

/** The rules a changed file triggers, with the stacks they select (undefined: all). */
export function rulesFor(file: string): { rule: FileRule; stack?: string }[] {
  return FILE_RULES.filter((r) => r.matches(file)).map((rule) => ({
    rule,
    ...(rule.selects === "its stack" ? { stack: STACK_FILE.exec(file)![2] } : {}),
  }));
}

export interface AffectedInput {
  readonly selection: Selection;
  /** The revision as given, and its commit. */
  readonly since: { readonly rev: string; readonly commit: string };
  /** Files that differ between the revision and the working tree (repository paths). */
  readonly changedFiles: readonly string[];
  /**
   * The per-stack comparison of both offline plans (diff.ts comparePlans); undefined when a rule
   * already selects every stack, so that nothing was planned.
   */
  readonly diffs?: readonly StackDiff[];
}

export interface AffectedStack {
  readonly stack: string;
  /** Why it runs, one line each. */
  readonly reasons: readonly string[];
}

export interface AffectedDecision {
  readonly since: AffectedInput["since"];
  readonly selected: readonly AffectedStack[];
  /** The run's selection with the unaffected stacks moved to `skipped`, with the reason. */
  readonly selection: Selection;
}

const changeCounts = (d: StackDiff) =>
  [
    d.added.length > 0 ? `${d.added.length} added` : "",
    d.removed.length > 0 ? `${d.removed.length} removed` : "",
    d.changed.length > 0 ? `${d.changed.length} changed` : "",
  ]
    .filter(Boolean)
    .join(", ");

/** Why a stack's own plans select it, or undefined when they are equal. */
function planReason(d: StackDiff | undefined, rev: string): string | undefined {
  if (!d) return `it was not compared (no plan of it on either side)`;
  switch (d.status) {
    case "failed":
      return `its offline plan could not be compared: ${d.errors.join("; ")}`;
    case "added":
      return `it is not in ${rev}'s plan`;
    case "removed":
      return `it is not in the working tree's plan`;
    default: {
      const counts = changeCounts(d);
      return counts === "" ? undefined : `its offline plan differs from ${rev}'s (${counts})`;
    }
  }
}

/**
 * A stack reaches its dependents (every edge of lib/model/graph.ts, explicit or implicit) when it
 * replaces or deletes a resource, or was not compared: the mocks make ids and ARNs from names,
 * so a resource replaced under the same name looks the same to a dependent's plan, while AWS
 * gives it a new id that a StackReference output or a lookup by name then returns. A changed
 * output that a dependent reads shows in the dependent's own plan, which reads the planned outputs.
 */
function reachesDependents(d: StackDiff | undefined): boolean {
  return (
    !d ||
    d.status !== "compared" ||
    d.removed.length > 0 ||
    d.changed.some((c) => c.replacedBy.length > 0)
  );
}

export function decideAffected(input: AffectedInput): AffectedDecision {
  const { selection, since } = input;
  const diffs = new Map((input.diffs ?? []).map((d) => [d.stack, d]));
  const reasons = new Map<string, string[]>();
  const add = (stack: string, reason: string) =>
    reasons.set(stack, [...(reasons.get(stack) ?? []), reason]);
  const all = selection.stacks.map((s) => s.stack);

  for (const file of input.changedFiles) {
    for (const { rule, stack } of rulesFor(file)) {
      for (const s of stack === undefined ? all : all.filter((a) => a === stack)) {
        add(s, `${file} changed: ${rule.why}`);
      }
    }
  }
  // Stacks whose change can reach their dependents, whether this run selects them or not; a
  // stack reached that way reaches its own dependents too (its resources may get new ids from
  // the new ones upstream). The diffs come in dependency order (the plan's), dependencies first.
  const reaching = new Set<string>();
  const reaches = (stack: string) =>
    reaching.has(stack) || (!diffs.has(stack) && hasStack(...projectEnv(stack)));
  const reachedBy = (stack: string) => dependencyStacks(stack).filter(reaches);
  for (const d of input.diffs ?? []) {
    if (reachesDependents(d) || reachedBy(d.stack).length > 0) reaching.add(d.stack);
  }
  for (const s of input.diffs ? selection.stacks : []) {
    const own = planReason(diffs.get(s.stack), since.rev);
    if (own) add(s.stack, own);
    for (const dep of reachedBy(s.stack)) {
      add(
        s.stack,
        `it depends on ${dep}, whose resources may get new ids (replaced, deleted or not compared)`,
      );
    }
  }

  const affected = (s: SelectedStack) => reasons.has(s.stack);
  const skipped: SkippedStack[] = selection.stacks
    .filter((s) => !affected(s))
    .map((s) => ({
      project: s.project,
      env: s.env,
      stack: s.stack,
      reason: `its offline plan is the same at ${since.rev} (no resource or input differs)`,
    }));
  return {
    since,
    selected: selection.stacks
      .filter(affected)
      .map((s) => ({ stack: s.stack, reasons: reasons.get(s.stack)! })),
    selection: {
      ...selection,
      stacks: selection.stacks.filter(affected),
      skipped: [...selection.skipped, ...skipped],
    },
  };
}

const projectEnv = (stack: string): [Project, Environment] => {
  const { project, env } = parseStackName(stack)!;
  return [project, env];
};

/** The stacks that `stack` depends on, by every edge of the graph, that exist (same env). */
function dependencyStacks(stack: string): string[] {
  const [project, env] = projectEnv(stack);
  return EDGES.filter((e) => e.from === project && hasStack(e.to, env)).map((e) =>
    stackName(e.to, env),
  );
}
