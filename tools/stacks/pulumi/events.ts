/**
 * Reads what a `pulumi` run reported: the engine event log written with `--event-log <file>`
 * (one JSON engine event per line, as the Automation API reads it) and, as a fallback, the
 * "Resources:" summary of the CLI's text output. Tolerant by design: an unknown event, a bad
 * line or a missing file is ignored, never fatal. The shapes relied on are listed in README.md.
 */
import { exemptionOf } from "../../../lib/model/policyExemption";

export interface ChangeCounts {
  create: number;
  update: number;
  replace: number;
  delete: number;
  same: number;
}

export const NO_CHANGES: Readonly<ChangeCounts> = {
  create: 0,
  update: 0,
  replace: 0,
  delete: 0,
  same: 0,
};

/** One step the engine planned or took. */
export interface StepInfo {
  /** The engine's op: create, update, replace, create-replacement, delete-replaced, delete, same, ... */
  readonly op: string;
  readonly urn: string;
  readonly type: string;
  /** The logical name (the URN's last part). */
  readonly name: string;
  /**
   * The top-level inputs that change, when the engine says: StepEventMetadata.Diffs, "Keys
   * that changed with this step" (sdk/go/common/apitype/events.go, pulumi v3.248.0).
   */
  readonly diffs?: readonly string[];
}

/**
 * A resource's inputs before and after a step: StepEventMetadata.Old/New, each a
 * StepEventStateMetadata whose `inputs` are the resource's inputs (sdk/go/common/apitype/
 * events.go, pulumi v3.248.0; the CLI writes the event log with secrets masked as "[secret]",
 * pkg/backend/display ConvertEngineEvent with showSecrets false). Kept for every step, `same`
 * ones too: the table summary reads the Glue tables and metadata objects a change leaves alone.
 */
export interface StepInputs {
  readonly urn: string;
  readonly type: string;
  readonly name: string;
  readonly before?: Record<string, unknown>;
  readonly after?: Record<string, unknown>;
  /** Replaced: the engine's replaceKeys (StepEventMetadata.Keys), or its diffs. */
  readonly replacedBy?: readonly string[];
}

export interface PolicyResult {
  readonly policyName: string;
  readonly enforcementLevel: "advisory" | "mandatory";
  /** The violation's own message: what is wrong with this resource. */
  readonly message: string;
  /** The policy's description (the first line of the engine's message), when it sent one. */
  readonly description?: string;
  readonly urn?: string;
  readonly policyPack?: string;
  /** Exempted from this policy (policy/exemptions.ts): the written reason, read from the message. */
  readonly exemption?: string;
}

/**
 * Splits a policyEvent's message: @pulumi/policy 1.21 reports a violation as the policy's
 * description, "\n", then the message given to reportViolation (server.js,
 * makeReportViolationFun), and the engine passes that through. A message without a newline is
 * a violation reported without its own message: the description is all there is.
 */
export function splitPolicyMessage(raw: string): { message: string; description?: string } {
  const text = stripAnsi(raw).trim();
  const cut = text.indexOf("\n");
  if (cut < 0) return { message: text };
  const description = text.slice(0, cut).trim();
  const message = text.slice(cut + 1).trim();
  if (message === "") return { message: description };
  return description === "" ? { message } : { message, description };
}

/** The resource type and logical name a URN names (the type's last `$` segment: parents come first). */
export function urnResource(
  urn: string,
): { resourceType: string; resourceName: string } | undefined {
  const parts = urn.split("::");
  if (parts.length < 4 || !urn.startsWith("urn:pulumi:")) return undefined;
  const types = parts[2].split("$");
  return { resourceType: types[types.length - 1], resourceName: parts.slice(3).join("::") };
}

export interface RunDetails {
  /** Undefined when neither the event log nor the text output gave a summary. */
  readonly changes?: ChangeCounts;
  /** Steps that change something (op other than same, read and refresh). */
  readonly steps: StepInfo[];
  /** Every step's inputs, before and after (event log only). */
  readonly inputs: StepInputs[];
  readonly policies: PolicyResult[];
  /** Error diagnostics, without colour codes. */
  readonly errors: string[];
  /** The error diagnostics that name a resource (apitype/events.go DiagnosticEvent `urn`). */
  readonly resourceErrors?: ResourceError[];
}

export interface ResourceError {
  readonly urn: string;
  readonly resourceType: string;
  readonly resourceName: string;
  readonly message: string;
}

// eslint-disable-next-line no-control-regex -- matching terminal colour codes is the point
const ANSI = /\u001b\[[0-9;?]*[A-Za-z]|\u001b\][^\u0007]*\u0007/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, "");
}

/** The logical name at the end of a URN `urn:pulumi:<stack>::<project>::<type>::<name>`. */
export function urnName(urn: string): string {
  const parts = urn.split("::");
  return parts.length >= 4 ? parts.slice(3).join("::") : urn;
}

/** The stack a URN names, or undefined when it is not a `urn:pulumi:` URN. */
export function urnStack(urn: string): string | undefined {
  const m = /^urn:pulumi:([^:]+)::/.exec(urn);
  return m ? m[1] : undefined;
}

const REPLACING = new Set(["replace", "create-replacement", "delete-replaced"]);
const QUIET_OPS = new Set(["same", "read", "refresh", "read-discard"]);

/** Maps the engine's op counts onto create/update/replace/delete/same. */
export function countsFromOpMap(map: Record<string, unknown>): ChangeCounts {
  const n = (key: string) => (typeof map[key] === "number" ? (map[key] as number) : 0);
  return {
    create: n("create") + n("import"),
    update: n("update"),
    replace: n("replace") + n("import-replacement"),
    delete: n("delete") + n("discard"),
    same: n("same"),
  };
}

/**
 * An error the engine gives a resource only because the run was already stopping: after the
 * first failure it cancels the deployment's context (pkg/resource/deploy/step_executor.go
 * cancelDueToError, v3.248.0), and a registration still being checked by the policy pack then
 * fails with "failed to run remediation: context canceled" (step_generator.go, the Remediate
 * call). Nothing was asked of AWS for it: it stays among the stack's errors, not its failed
 * resources. Seen with the real CLI in tools/realCli/resilience.real-cli.test.ts.
 */
const stoppedByTheRun = (message: string) => /: context canceled$/.test(message);

export function parseEventLog(text: string): RunDetails {
  let changes: ChangeCounts | undefined;
  const steps = new Map<string, StepInfo>();
  const inputs = new Map<string, StepInputs>();
  const policies: PolicyResult[] = [];
  const errors: string[] = [];
  const resourceErrors: ResourceError[] = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    let event: Record<string, unknown>;
    try {
      event = JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue;
    }
    if (typeof event !== "object" || event === null) continue;
    const summary = event.summaryEvent as { resourceChanges?: Record<string, unknown> } | undefined;
    if (
      summary &&
      typeof summary.resourceChanges === "object" &&
      summary.resourceChanges !== null
    ) {
      changes = countsFromOpMap(summary.resourceChanges);
    }
    const pre = (event.resourcePreEvent ?? event.resOutputsEvent) as
      { metadata?: Record<string, unknown> } | undefined;
    const meta = pre?.metadata;
    if (meta && typeof meta.urn === "string" && typeof meta.op === "string") {
      const state = (v: unknown) => {
        const i = (v as { inputs?: unknown } | null | undefined)?.inputs;
        return i !== null && typeof i === "object" && !Array.isArray(i)
          ? (i as Record<string, unknown>)
          : undefined;
      };
      const [before, after] = [state(meta.old), state(meta.new)];
      const keys = Array.isArray(meta.keys) && meta.keys.length > 0 ? meta.keys : meta.diffs;
      const known = inputs.get(meta.urn);
      inputs.set(meta.urn, {
        urn: meta.urn,
        type: typeof meta.type === "string" ? meta.type : "",
        name: urnName(meta.urn),
        ...((before ?? known?.before) ? { before: before ?? known?.before } : {}),
        ...((after ?? known?.after) ? { after: after ?? known?.after } : {}),
        ...(REPLACING.has(meta.op)
          ? { replacedBy: Array.isArray(keys) ? keys.map(String) : ["(replaced)"] }
          : known?.replacedBy
            ? { replacedBy: known.replacedBy }
            : {}),
      });
    }
    if (
      meta &&
      typeof meta.op === "string" &&
      typeof meta.urn === "string" &&
      !QUIET_OPS.has(meta.op)
    ) {
      const type = typeof meta.type === "string" ? meta.type : "";
      // A replacement shows as several steps (create-replacement, replace, delete-replaced): keep the
      // most telling one per resource.
      const previous = steps.get(meta.urn);
      const diffs =
        Array.isArray(meta.diffs) && meta.diffs.every((d) => typeof d === "string")
          ? (meta.diffs as string[])
          : previous?.diffs;
      if (!previous || opWeight(meta.op) > opWeight(previous.op)) {
        steps.set(meta.urn, {
          op: meta.op,
          urn: meta.urn,
          type,
          name: urnName(meta.urn),
          ...(diffs ? { diffs } : {}),
        });
      }
    }
    const policy = event.policyEvent as Record<string, unknown> | undefined;
    if (policy && typeof policy.policyName === "string") {
      const split = splitPolicyMessage(String(policy.message ?? ""));
      const exemption = exemptionOf(split.message);
      policies.push({
        policyName: policy.policyName,
        // apitype/policy.go: advisory, mandatory, remediate, disabled; only mandatory blocks.
        enforcementLevel: policy.enforcementLevel === "mandatory" ? "mandatory" : "advisory",
        ...split,
        ...(exemption !== undefined ? { exemption } : {}),
        ...(typeof policy.resourceUrn === "string" && policy.resourceUrn !== ""
          ? { urn: policy.resourceUrn }
          : {}),
        ...(typeof policy.policyPackName === "string" ? { policyPack: policy.policyPackName } : {}),
      });
    }
    const diagnostic = event.diagnosticEvent as Record<string, unknown> | undefined;
    if (diagnostic && diagnostic.severity === "error" && typeof diagnostic.message === "string") {
      const message = stripAnsi(diagnostic.message).trim();
      if (message !== "" && !errors.includes(message)) errors.push(message);
      const named = typeof diagnostic.urn === "string" ? urnResource(diagnostic.urn) : undefined;
      if (named && message !== "" && !stoppedByTheRun(message))
        resourceErrors.push({ urn: diagnostic.urn as string, ...named, message });
    }
  }
  return {
    ...(changes ? { changes } : {}),
    steps: [...steps.values()],
    inputs: [...inputs.values()],
    policies,
    errors,
    ...(resourceErrors.length > 0 ? { resourceErrors } : {}),
  };
}

function opWeight(op: string): number {
  if (op === "replace") return 4;
  if (op === "delete" || op === "delete-replaced" || op === "discard") return 3;
  if (op === "create-replacement") return 2;
  return 1;
}

/**
 * The counts of the CLI's closing summary, for example
 * `Resources:\n    + 3 to create\n    ~ 1 to update\n    +-1 to replace\n    12 unchanged`
 * (previews) or `+ 3 created ... 12 unchanged` (updates). Undefined when there is none.
 */
export function parseTextSummary(output: string): ChangeCounts | undefined {
  const text = stripAnsi(output);
  const lines = text.split("\n");
  const at = lines.map((l) => l.trim()).lastIndexOf("Resources:");
  if (at < 0) return undefined;
  const counts: ChangeCounts = { ...NO_CHANGES };
  for (const line of lines.slice(at + 1)) {
    const m =
      /^\s*(\+-|-\+|\+|~|-)?\s*(\d+)\s+(to create|created|to update|updated|to replace|replaced|to delete|deleted|unchanged)\b/.exec(
        line,
      );
    if (!m) {
      const unchanged = /\b(\d+) unchanged\b/.exec(line);
      if (unchanged) counts.same += Number(unchanged[1]);
      if (line.trim() === "" || unchanged || /changes?\.|Duration:/.test(line)) continue;
      if (/^\S/.test(line)) break;
      continue;
    }
    const n = Number(m[2]);
    const what = m[3];
    if (what.includes("create")) counts.create += n;
    else if (what.includes("update")) counts.update += n;
    else if (what.includes("replace")) counts.replace += n;
    else if (what.includes("delete")) counts.delete += n;
    else counts.same += n;
  }
  return counts;
}

/**
 * Steps read from the `--diff` text output when there is no event log: a line with an op marker
 * and a type (`+-aws:iam/role:Role: (replace)`) followed by its `[urn=...]` line.
 */
export function parseTextSteps(output: string): StepInfo[] {
  const lines = stripAnsi(output).split("\n");
  const steps: StepInfo[] = [];
  for (let i = 0; i < lines.length; i++) {
    const head = /^\s*(\+-|-\+|\+\+|--|\+|~|-)\s*([\w.-]+:[\w./-]*:[\w.-]+):\s*\(([\w-]+)\)/.exec(
      lines[i],
    );
    if (!head) continue;
    const urnLine = lines.slice(i + 1, i + 3).find((l) => /\[urn=urn:pulumi:/.test(l));
    const urn = urnLine ? /\[urn=([^\]\s]+)\]/.exec(urnLine)?.[1] : undefined;
    if (!urn || QUIET_OPS.has(head[3])) continue;
    steps.push({ op: head[3], urn, type: head[2], name: urnName(urn) });
  }
  return steps;
}
