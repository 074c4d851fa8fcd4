/**
 * The offline plan: each selected stack's real program evaluated in-process under Pulumi mocks,
 * in dependency order, with its stack file's config, every StackReference answered with the
 * upstream stack's planned outputs, and the policy pack run on every resource with
 * policy-config.json's levels. The SDKs and the programs load once for the whole run.
 *
 * The evaluator (lib/plan/evaluate.ts) and the policy runner (policy/runner.ts) are loaded lazily,
 * through `PlanDeps`, so that the CLI's fast paths never load them and tests can inject stubs.
 */
import * as v8 from "node:v8";
import type { StackEvaluation } from "../../../lib/plan/evaluate";
import type { PlannedResource } from "../../../lib/plan/plannedResource";
import { type Environment, type Project } from "../../../lib/model/stacks";
import { jsonInputs } from "./inputs";
import { runScheduled } from "./scheduler";
import { type SelectedStack } from "./selection";
import {
  type ResourceLine,
  type StackReport,
  type Violation,
  formatDuration,
  mandatoryCount,
  plural,
  table,
} from "../report/report";

export interface PlanDeps {
  evaluate(
    project: Project,
    env: Environment,
    options: { upstream: ReadonlyMap<string, Record<string, unknown>> },
  ): Promise<StackEvaluation>;
  /** Reads and validates policy-config.json; throws with the file, key and reason. */
  loadPolicyConfig(): unknown;
  runPolicies(
    resources: PlannedResource[],
    options: { config: unknown; stackName: string },
  ): Promise<Violation[]>;
}

/** The real evaluator and policy pack, loaded on first use. */
export function defaultPlanDeps(): PlanDeps {
  /* eslint-disable @typescript-eslint/no-require-imports -- lazy: keeps @pulumi/* off the fast paths */
  const evaluator = () =>
    require("../../../lib/plan/evaluate") as typeof import("../../../lib/plan/evaluate");
  const heap = () => require("../../../lib/plan/heap") as typeof import("../../../lib/plan/heap");
  const policies = () =>
    require("../../../policy/runner") as typeof import("../../../policy/runner");
  /* eslint-enable @typescript-eslint/no-require-imports */
  speedUpPulumiRuntime();
  return {
    evaluate: (project, env, options) => {
      // The stack before is reported and dropped by now (see lib/plan/heap.ts).
      heap().releaseGrownHeap();
      return evaluator().evaluateStack(project, env, options);
    },
    loadPolicyConfig: () => policies().loadPolicyConfig(),
    runPolicies: (resources, options) =>
      policies().runPolicies(resources, {
        config: options.config as Parameters<
          ReturnType<typeof policies>["runPolicies"]
        >[1]["config"],
        stackName: options.stackName,
      }),
  };
}

/**
 * Source maps make every stack trace the SDK records dearer to format, and the plan prints
 * messages, never traces (lib/plan/evaluate.ts skips the SDK's other offline-only costs).
 * V8 optimises a function once it has run `--interrupt-budget` bytes of bytecode a few times
 * (66 KB in node 20's V8 11.3, deps/v8/src/flags/flag-definitions.h; 132 KB in later V8s): a
 * plan runs the SDK's registration code often enough for hundreds of functions to reach that,
 * and compiling them, on V8's background threads, was a fifth of the CPU of `plan --env all`
 * at 18 tables (perf record), for no time saved on the main thread. Sixteen times node 20's
 * budget optimises only what runs longest: about 20% less CPU at 18 tables, the same at 755
 * tables, where the hot functions still get optimised. A budget given to node itself is kept.
 */
export function speedUpPulumiRuntime(): void {
  process.setSourceMapsEnabled(false);
  const flag = interruptBudgetFlag(process.execArgv, process.env.NODE_OPTIONS);
  if (flag) v8.setFlagsFromString(flag);
}

const NODE20_INTERRUPT_BUDGET = 66 * 1024;

/** The flag that raises the budget, or undefined when node was given one. */
export function interruptBudgetFlag(
  execArgv: readonly string[],
  nodeOptions = "",
): string | undefined {
  const given = [...execArgv, ...nodeOptions.split(/\s+/)].some((arg) =>
    /^--interrupt[-_]budget(=|$)/.test(arg),
  );
  return given ? undefined : `--interrupt-budget=${16 * NODE20_INTERRUPT_BUDGET}`;
}

export interface PlanCallbacks {
  onStart?(stack: SelectedStack): void;
  onEnd?(report: StackReport): void;
  /** A problem that concerns the whole run (policy-config.json is invalid), told once. */
  onNotice?(message: string): void;
}

/** Plans the stacks in order. Never throws for a stack's failure: it is in that stack's report. */
export async function planStacks(
  stacks: readonly SelectedStack[],
  deps: PlanDeps,
  callbacks: PlanCallbacks = {},
): Promise<StackReport[]> {
  let policyConfig: unknown;
  let policyConfigError: string | undefined;
  try {
    policyConfig = deps.loadPolicyConfig();
  } catch (e) {
    policyConfigError =
      "the policy pack did not run: policy-config.json is invalid (see the error above)";
    callbacks.onNotice?.(
      `The policy pack cannot run: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  const upstream = new Map<string, Record<string, unknown>>();
  const reports = new Map<string, StackReport>();

  // A program error skips the stack's dependents (they read its outputs); policy results do not.
  const programFailed = new Set<string>();
  const outcomes = await runScheduled({
    tasks: stacks.map((s) => ({ ...s, id: s.stack })),
    parallel: 1,
    isFailure: (r: StackReport) => programFailed.has(r.stack),
    onStart: (task) => callbacks.onStart?.(task),
    run: async (s): Promise<StackReport> => {
      const started = performance.now();
      const evaluation = await deps.evaluate(s.project, s.env, { upstream });
      upstream.set(s.stack, evaluation.outputs);
      const errors = [...evaluation.errors];
      if (errors.length > 0) programFailed.add(s.stack);
      let violations: Violation[] = [];
      if (errors.length === 0) {
        if (policyConfigError) errors.push(`${s.stack}: ${policyConfigError}`);
        else {
          try {
            violations = await deps.runPolicies(evaluation.resources, {
              config: policyConfig,
              stackName: s.stack,
            });
          } catch (e) {
            errors.push(
              `${s.stack}: the policy pack failed: ${e instanceof Error ? e.message : String(e)}`,
            );
          }
        }
      }
      const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory").length;
      const failed = errors.length > 0 || mandatory > 0;
      return {
        stack: s.stack,
        project: s.project,
        env: s.env,
        status: failed ? "failed" : "succeeded",
        durationMs: performance.now() - started,
        ...(errors.length > 0
          ? { reason: errors[0] }
          : mandatory > 0
            ? { reason: `${mandatory} mandatory policy violation${mandatory === 1 ? "" : "s"}` }
            : {}),
        errors,
        policyViolations: violations,
        resources: await withInputs(evaluation.resources),
      };
    },
    onEnd: (task, outcome) => {
      const report: StackReport =
        outcome.result ??
        ({
          stack: task.stack,
          project: task.project,
          env: task.env,
          status: outcome.status === "skipped" ? "skipped" : "failed",
          durationMs: outcome.durationMs,
          reason:
            outcome.status === "skipped" ? outcome.reason : `${task.stack}: ${outcome.reason}`,
          errors: outcome.status === "failed" ? [`${task.stack}: ${outcome.reason}`] : [],
          policyViolations: [],
        } satisfies StackReport);
      reports.set(task.stack, report);
      callbacks.onEnd?.(report);
    },
  });
  return outcomes.map((o) => reports.get(o.id)!);
}

/** Resources a stack manages: custom resources, without the reads of other stacks. */
export function managedResources(resources: readonly PlannedResource[]): ResourceLine[] {
  return resources
    .filter((r) => r.custom && r.type !== "pulumi:pulumi:StackReference")
    .map((r) => ({
      type: r.type,
      name: r.name,
      urn: r.urn,
      protect: r.protect,
      keyInputs: keyInputs(r),
    }));
}

/** managedResources with each resource's full inputs (secrets redacted), for --json and diff. */
export async function withInputs(resources: readonly PlannedResource[]): Promise<ResourceLine[]> {
  const lines = managedResources(resources);
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  return Promise.all(
    lines.map(async (line) => ({ ...line, inputs: await jsonInputs(byUrn.get(line.urn)!.inputs) })),
  );
}

/** Inputs shown for each type: what identifies the resource and its most telling settings. */
const KEY_INPUTS: Record<string, readonly string[]> = {
  "pulumi:providers:aws": ["region"],
  "aws:s3/bucket:Bucket": ["bucket", "forceDestroy"],
  "aws:kms/key:Key": ["enableKeyRotation", "deletionWindowInDays"],
  "aws:kms/alias:Alias": ["name"],
  "aws:iam/role:Role": ["name"],
  "aws:iam/rolePolicy:RolePolicy": ["role"],
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": ["role", "policyArn"],
  "aws:lambda/function:Function": ["name", "runtime", "memorySize", "timeout"],
  "aws:cloudwatch/logGroup:LogGroup": ["name", "retentionInDays"],
  "aws:cloudwatch/metricAlarm:MetricAlarm": ["name", "metricName", "threshold"],
  "aws:cloudwatch/eventRule:EventRule": ["name"],
  "aws:dms/replicationInstance:ReplicationInstance": [
    "replicationInstanceId",
    "replicationInstanceClass",
    "allocatedStorage",
    "multiAz",
  ],
  "aws:dms/replicationTask:ReplicationTask": [
    "replicationTaskId",
    "migrationType",
    "startReplicationTask",
  ],
  "aws:dms/endpoint:Endpoint": ["endpointId", "endpointType", "engineName", "databaseName"],
  "aws:dms/s3Endpoint:S3Endpoint": ["endpointId", "bucketName", "dataFormat"],
  "aws:dms/replicationSubnetGroup:ReplicationSubnetGroup": ["replicationSubnetGroupId"],
  "aws:glue/catalogDatabase:CatalogDatabase": ["name"],
  "aws:glue/catalogTable:CatalogTable": ["databaseName", "name"],
  "aws:s3/bucketObjectv2:BucketObjectv2": ["bucket", "key"],
  "aws:sns/topicSubscription:TopicSubscription": ["protocol"],
};

const FALLBACK_KEYS = ["name", "bucket", "key", "role", "functionName", "region"];

export function keyInputs(r: Pick<PlannedResource, "type" | "inputs">): Record<string, string> {
  const keys = KEY_INPUTS[r.type] ?? FALLBACK_KEYS;
  const shown: Record<string, string> = {};
  for (const key of keys) {
    const value = r.inputs[key];
    const text = scalar(value);
    if (text !== undefined) shown[key] = text;
  }
  return shown;
}

function scalar(value: unknown): string | undefined {
  if (typeof value === "string") return value.length > 80 ? `${value.slice(0, 77)}...` : value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return undefined;
}

/** What `plan` prints for a stack once it is planned: its resources, violations and errors. */
export function formatStackPlan(s: StackReport): string {
  const lines: string[] = [];
  if (s.status === "skipped") return `${s.stack}: skipped: ${s.reason ?? ""}`;
  const resources = s.resources ?? [];
  lines.push(
    `${s.stack}: ${plural(resources.length, "resource")}, planned in ${formatDuration(s.durationMs)}` +
      (s.errors.length > 0
        ? ", FAILED"
        : mandatoryCount(s) > 0
          ? ", mandatory policy violations"
          : ""),
  );
  if (resources.length > 0 && s.errors.length === 0) {
    const rows = resources.map((r) => [
      r.type,
      r.name,
      [
        ...Object.entries(r.keyInputs).map(([k, v]) => `${k}=${v}`),
        ...(r.protect ? ["(protected)"] : []),
      ].join(" "),
    ]);
    lines.push(indent(table(["TYPE", "NAME", "KEY INPUTS"], rows)));
  }
  if (s.policyViolations.length > 0) {
    lines.push("  Policy violations:");
    const ordered = [
      ...s.policyViolations.filter((v) => v.enforcementLevel === "mandatory"),
      ...s.policyViolations.filter((v) => v.enforcementLevel !== "mandatory"),
    ];
    for (const v of ordered) lines.push(`    ${violationLine(v)}`);
  }
  if (s.errors.length > 0) {
    lines.push("  Errors:");
    for (const e of s.errors) lines.push(indent(e, "    "));
  }
  return lines.join("\n");
}

export function violationLine(v: Violation): string {
  const resource =
    v.resourceType && v.resourceName
      ? `${v.resourceType} "${v.resourceName}"`
      : (v.urn ?? "the stack");
  const message = v.message.startsWith(`${v.resourceType ?? "\u0000"}`)
    ? v.message
    : `${resource}: ${v.message}`;
  return `[${v.enforcementLevel}] ${v.policyName}: ${message}`;
}

function indent(text: string, prefix = "  "): string {
  return text
    .split("\n")
    .map((l) => prefix + l)
    .join("\n");
}
