/**
 * What a run reports: one line when each stack starts and ends, a final run report table (like
 * Terragrunt's), and the same as JSON with --json (schema in README.md, `version` 1). Pure
 * formatting; no Pulumi SDK imports.
 */
import { type Environment, type Project } from "../../../lib/model/stacks";
import type { PolicyViolation } from "../../../policy/runner";
import {
  type ChangeCounts,
  type ResourceError,
  type StepInfo,
  type StepInputs,
} from "../pulumi/events";
import { summaryLines } from "../review/renderSummary";
import { type TableSummary } from "../review/tableSummary";

export type StackStatus = "succeeded" | "failed" | "skipped" | "drifted";

/**
 * A policy violation as the pack's runner reports it, or as `preview` reads it back from the
 * engine; `message` is the violation's own message, `description` the policy's (real runs only).
 */
export type Violation = PolicyViolation & { readonly description?: string };

export interface ResourceLine {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly protect: boolean;
  /** A few inputs that identify the resource (names, sizes, flags), as short strings. */
  readonly keyInputs: Record<string, string>;
  /** plan: every input as JSON, secrets redacted (tools/stacks/engine/inputs.ts). */
  readonly inputs?: Record<string, unknown>;
}

export interface StackReport {
  readonly stack: string;
  readonly project: Project;
  readonly env: Environment;
  readonly status: StackStatus;
  readonly durationMs: number;
  /** Why it failed or was skipped. */
  readonly reason?: string;
  /** Real commands: what the engine reported (absent when it reported nothing readable). */
  readonly changes?: ChangeCounts;
  /** Real commands: resources that change, with the engine's op. */
  readonly steps?: readonly StepInfo[];
  readonly errors: readonly string[];
  /** Real commands: the resources whose operation failed, with the provider's (AWS's) message. */
  readonly failedResources?: readonly ResourceError[];
  readonly policyViolations: readonly Violation[];
  /** plan: the resources the stack would manage. */
  readonly resources?: readonly ResourceLine[];
  /** Real commands: each step's inputs before and after, for the table summary (not in --json). */
  readonly stepInputs?: readonly StepInputs[];
  /** Real commands: the CLI's output (with --diff), kept for the pull-request comment. */
  readonly output?: string;
}

export type RunCommand = "plan" | "preview" | "up" | "refresh" | "destroy" | "cancel";

export interface RunReport {
  readonly command: RunCommand;
  readonly envs: readonly Environment[];
  readonly local: boolean;
  readonly durationMs: number;
  readonly stacks: readonly StackReport[];
  /** Things a reviewer must not miss (a dmsRole replaced or deleted, ...). */
  readonly warnings: readonly string[];
  /** preview and up: what the run does to the data, per table (review/tableSummary.ts). */
  readonly tables?: TableSummary;
  readonly exitCode: number;
  /**
   * --affected-since: the revision compared with and why each stack that runs was selected (the
   * others are `skipped`, with the reason).
   */
  readonly affected?: {
    readonly since: { readonly rev: string; readonly commit: string };
    readonly selected: readonly { readonly stack: string; readonly reasons: readonly string[] }[];
  };
}

export function formatDuration(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

export function formatChanges(c: ChangeCounts | undefined): string {
  if (!c) return "changes unknown";
  return `${c.create} to create, ${c.update} to update, ${c.replace} to replace, ${c.delete} to delete, ${c.same} unchanged`;
}

/** `1 resource`, `2 resources`. */
export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

export function mandatoryCount(s: StackReport): number {
  return s.policyViolations.filter((v) => v.enforcementLevel === "mandatory").length;
}

/** Advisory findings, exempted ones included (they are reported at advisory level). */
export function advisoryCount(s: StackReport): number {
  return s.policyViolations.filter((v) => v.enforcementLevel === "advisory").length;
}

/** The findings a written exemption keeps from blocking (policy/exemptions.ts). */
export function exempted(s: StackReport): Violation[] {
  return s.policyViolations.filter((v) => v.exemption !== undefined);
}

/**
 * Every exemption that applied in the run, one line each: the stack, the policy, the resource
 * and the written reason, so that a waived check is read in every report, not only found.
 */
export function exemptionLines(stacks: readonly StackReport[], indent = "  "): string[] {
  const lines = stacks.flatMap((s) =>
    exempted(s).map((v) => {
      const where = violationWhere(v);
      return `${indent}${s.stack}  ${v.policyName}${where ? ` on ${where}` : ""}: ${v.exemption}`;
    }),
  );
  if (lines.length === 0) return [];
  return [`Exemptions (${lines.length}): reported as advisory, each with its reason`, ...lines];
}

export function startLine(command: RunCommand, stack: string): string {
  return `--> ${stack}: ${command} started`;
}

/** The line printed when a stack ends: status, duration and what it changes. */
export function endLine(command: RunCommand, s: StackReport): string {
  if (s.status === "skipped") return `<-- ${s.stack}: skipped: ${s.reason ?? "not run"}`;
  const head = `<-- ${s.stack}: ${command} ${s.status} in ${formatDuration(s.durationMs)}`;
  const parts: string[] = [];
  if (s.resources) parts.push(plural(s.resources.length, "resource"));
  else if (command !== "cancel") parts.push(formatChanges(s.changes));
  if (s.policyViolations.length > 0 || s.resources) {
    const waived = exempted(s).length;
    parts.push(
      `${mandatoryCount(s)} mandatory and ${plural(advisoryCount(s), "advisory policy violation")}` +
        (waived > 0 ? ` (${waived} exempted)` : ""),
    );
  }
  const tail =
    s.status === "failed" || s.status === "drifted" ? (s.reason ? `: ${s.reason}` : "") : "";
  return `${head}${parts.length > 0 ? ` (${parts.join("; ")})` : ""}${tail}`;
}

/** Where a violation is: `aws:s3/bucket:Bucket raw-history`, else its URN, else "". */
export function violationWhere(v: Violation): string {
  if (v.resourceType && v.resourceName) return `${v.resourceType} ${v.resourceName}`;
  return v.urn ?? "";
}

/**
 * The violations of a stack, mandatory first, one per line with the policy, the resource and the
 * violation's own message; the policy's description, when known, on a second line.
 */
export function violationLines(s: StackReport, indent = "    "): string[] {
  const sorted = [
    ...s.policyViolations.filter((v) => v.enforcementLevel === "mandatory"),
    ...s.policyViolations.filter((v) => v.enforcementLevel !== "mandatory"),
  ];
  return sorted.flatMap((v) => {
    const where = violationWhere(v);
    const level = v.exemption !== undefined ? "advisory (exempted)" : v.enforcementLevel;
    const head = `${indent}${level} ${v.policyName}${where ? ` on ${where}` : ""}: ${v.message.replace(/\s*\n\s*/g, " ")}`;
    return v.description ? [head, `${indent}    (${v.policyName}: ${v.description})`] : [head];
  });
}

/** Left-aligned columns separated by two spaces; trailing spaces trimmed. */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (c ?? "").padEnd(widths[i]))
      .join("  ")
      .trimEnd();
  return [line(header), ...rows.map(line)].join("\n");
}

const oneLine = (text: string, max = 100) => {
  const first = text.split("\n").find((l) => l.trim() !== "") ?? "";
  return first.length > max ? `${first.slice(0, max - 3)}...` : first;
};

/** The run report printed at the end of every run. */
export function summaryTable(report: RunReport): string {
  const plan = report.command === "plan";
  const header = plan
    ? ["STACK", "RESULT", "DURATION", "RESOURCES", "MANDATORY", "ADVISORY", "NOTE"]
    : ["STACK", "RESULT", "DURATION", "CREATE", "UPDATE", "REPLACE", "DELETE", "NOTE"];
  const rows = report.stacks.map((s) => {
    const skipped = s.status === "skipped";
    const note = s.reason ? oneLine(s.reason) : "";
    const duration = skipped ? "-" : formatDuration(s.durationMs);
    if (plan) {
      return [
        s.stack,
        s.status,
        duration,
        skipped || !s.resources ? "-" : String(s.resources.length),
        skipped ? "-" : String(mandatoryCount(s)),
        skipped ? "-" : String(advisoryCount(s)),
        note,
      ];
    }
    const c = s.changes;
    const n = (k: keyof ChangeCounts) => (c ? String(c[k]) : "-");
    return [s.stack, s.status, duration, n("create"), n("update"), n("replace"), n("delete"), note];
  });
  const count = (status: StackStatus) => report.stacks.filter((s) => s.status === status).length;
  const totals = [`${count("succeeded")} succeeded`, `${count("failed")} failed`];
  if (count("drifted") > 0) totals.push(`${count("drifted")} drifted`);
  totals.push(`${count("skipped")} skipped`);
  const title =
    `Run report: ${report.command}${report.local ? " (--local)" : ""}, ` +
    `${report.envs.length === 1 ? `env ${report.envs[0]}` : `envs ${report.envs.join(", ")}`}, ` +
    `${report.stacks.length} stacks in ${formatDuration(report.durationMs)}`;
  const lines = [
    title,
    ...(report.tables ? ["", ...summaryLines(report.tables)] : []),
    "",
    table(header, rows),
    "",
    `${totals.join(", ")}. Exit code ${report.exitCode}.`,
  ];
  const exemptions = exemptionLines(report.stacks);
  if (exemptions.length > 0) lines.push("", ...exemptions);
  if (report.warnings.length > 0) lines.push("", ...report.warnings.map((w) => `WARNING: ${w}`));
  return lines.join("\n");
}

/** The --json document (see README.md for the schema). Output text is left out. */
export function reportJson(report: RunReport): string {
  const doc = {
    version: 1,
    command: report.command,
    envs: report.envs,
    local: report.local,
    ok: report.exitCode === 0,
    exitCode: report.exitCode,
    durationMs: Math.round(report.durationMs),
    summary: {
      stacks: report.stacks.length,
      succeeded: report.stacks.filter((s) => s.status === "succeeded").length,
      failed: report.stacks.filter((s) => s.status === "failed").length,
      drifted: report.stacks.filter((s) => s.status === "drifted").length,
      skipped: report.stacks.filter((s) => s.status === "skipped").length,
      exempted: report.stacks.reduce((n, s) => n + exempted(s).length, 0),
    },
    warnings: report.warnings,
    ...(report.tables ? { tables: report.tables } : {}),
    ...(report.affected ? { affected: report.affected } : {}),
    stacks: report.stacks.map((s) => ({
      stack: s.stack,
      project: s.project,
      env: s.env,
      status: s.status,
      durationMs: Math.round(s.durationMs),
      ...(s.reason !== undefined ? { reason: s.reason } : {}),
      ...(s.changes ? { changes: s.changes } : {}),
      ...(s.steps ? { steps: s.steps } : {}),
      errors: s.errors,
      ...(s.failedResources ? { failedResources: s.failedResources } : {}),
      policyViolations: s.policyViolations,
      ...(s.resources ? { resources: s.resources } : {}),
    })),
  };
  return JSON.stringify(doc, null, 2);
}
