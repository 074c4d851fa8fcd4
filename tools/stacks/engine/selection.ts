/**
 * Which stacks a run touches, in which order, and which selected projects are skipped (with the
 * reason). Reads the graph from lib/model/graph.ts; no Pulumi SDK imports (the CLI's fast paths use it).
 */
import * as os from "node:os";
import type { RealCommand } from "../pulumi/pulumi";
import { EDGES, deploymentOrder, withDependencies, withDependents } from "../../../lib/model/graph";
import {
  type Environment,
  type Project,
  PROJECTS,
  STACK_ENVIRONMENTS,
  hasStack,
  parseStackName,
  stackName,
} from "../../../lib/model/stacks";
import { type StackReport } from "../report/report";

export interface SelectedStack {
  readonly project: Project;
  readonly env: Environment;
  /** `<project>-<env>` */
  readonly stack: string;
  /** Stacks of this run that must finish first (same environment, per lib/model/graph.ts). */
  readonly dependsOn: readonly string[];
}

export interface SkippedStack {
  readonly project: Project;
  readonly env: Environment;
  readonly stack: string;
  readonly reason: string;
}

export interface Selection {
  readonly envs: readonly Environment[];
  /** In run order: environment by environment, each in deployment order (reverse for destroy). */
  readonly stacks: readonly SelectedStack[];
  /** Selected projects that have no stack in an environment. */
  readonly skipped: readonly SkippedStack[];
  /** Every stack name of `stacks` and `skipped`, in the order reports list them. */
  readonly order: readonly string[];
}

export interface SelectOptions {
  readonly envs: readonly Environment[];
  /** Projects named with --project; all projects when empty or undefined. */
  readonly projects?: readonly Project[];
  readonly withDependencies?: boolean;
  readonly withDependents?: boolean;
  /** destroy: dependents first, and each stack waits for the stacks that depend on it. */
  readonly reverse?: boolean;
}

/** The projects a run selects, before environments are applied. */
export function selectProjects(options: Omit<SelectOptions, "envs" | "reverse">): Set<Project> {
  const named = options.projects && options.projects.length > 0 ? options.projects : PROJECTS;
  const selected = new Set<Project>(named);
  if (options.withDependencies) for (const p of withDependencies(named)) selected.add(p);
  if (options.withDependents) for (const p of withDependents(named)) selected.add(p);
  return selected;
}

export function selectStacks(options: SelectOptions): Selection {
  const projects = selectProjects(options);
  const order = deploymentOrder(projects);
  const stacks: SelectedStack[] = [];
  const skipped: SkippedStack[] = [];
  const listed: string[] = [];
  for (const env of options.envs) {
    const present = order.filter((p) => hasStack(p, env));
    for (const project of order) {
      if (!hasStack(project, env)) {
        skipped.push({
          project,
          env,
          stack: stackName(project, env),
          reason: `${project} has no stack in ${env} (its stacks: ${STACK_ENVIRONMENTS[project].join(", ")})`,
        });
      }
    }
    const waitsFor = (project: Project): Project[] =>
      EDGES.filter((e) => (options.reverse ? e.to === project : e.from === project))
        .map((e) => (options.reverse ? e.from : e.to))
        .filter((p) => present.includes(p));
    const inOrder = options.reverse ? [...present].reverse() : present;
    listed.push(...(options.reverse ? [...order].reverse() : order).map((p) => stackName(p, env)));
    for (const project of inOrder) {
      stacks.push({
        project,
        env,
        stack: stackName(project, env),
        dependsOn: waitsFor(project).map((p) => stackName(p, env)),
      });
    }
  }
  return { envs: options.envs, stacks, skipped, order: listed };
}

/**
 * Whether the run changes no stack: a preview, or a refresh with --preview-only (the drift
 * check). Then no stack waits for another: a stack's program reads its dependencies' deployed
 * outputs (StackReference reads the stack's last checkpoint), never their previews, so a
 * dependency's preview, failed or not, changes nothing it sees. A failed preview skips nothing.
 */
export function changesNothing(o: { command: RealCommand; previewOnly: boolean }): boolean {
  return o.command === "preview" || (o.command === "refresh" && o.previewOnly);
}

/**
 * `--parallel` when it is not given: runs that change nothing run every stack at once, up to
 * the machine's CPUs (each preview spends most of its time waiting on the engine and its
 * plugins); runs that change something one at a time, in order, as `pulumi_up` deploys.
 */
export function defaultParallel(o: { command: RealCommand; previewOnly: boolean }): number {
  return changesNothing(o) ? Math.max(2, os.availableParallelism()) : 1;
}

/**
 * The run's stacks and the selection's skipped ones, in the selection's order. Here, not in
 * pulumi/run.ts, so that the offline plan does not load the real commands' modules (0.25 s).
 */
export function orderedReports(
  selection: Selection,
  reports: ReadonlyMap<string, StackReport>,
): StackReport[] {
  return selection.order.map((stack) => {
    const report = reports.get(stack);
    if (report) return report;
    const skip = selection.skipped.find((s) => s.stack === stack);
    const parsed = parseStackName(stack)!;
    return {
      stack,
      project: parsed.project,
      env: parsed.env,
      status: "skipped",
      durationMs: 0,
      reason: skip?.reason ?? "not run",
      errors: [],
      policyViolations: [],
    } satisfies StackReport;
  });
}
