/**
 * Runs the pack offline, without the Pulumi engine, on resources a program registered under
 * mocks (lib/plan/plannedResource.ts). It builds the same arguments the policy SDK's analyzer server
 * builds (server.js `makeAnalyzeRpcFun` and `makeAnalyzeStackRpcFun`), honours the levels and
 * config of policy-config.json, and never throws because of a policy.
 *
 * What differs from the engine, on purpose:
 * - Resource policies judge `inputs`; stack policies judge `state` overlaid with `inputs` (the
 *   engine gives stack policies the outputs, which for a create in preview are the inputs plus
 *   computed values).
 * - A value that was unknown when the program ran is `undefined` in a PlannedResource. Where an
 *   input is undefined but came from other resources (its propertyDependencies are not empty),
 *   the runner puts the SDK's "unknown" sentinel back, so that a policy reading it reports
 *   "cannot judge" (advisory) instead of "missing" (mandatory), as it would in a preview.
 * - The stack name is passed to policies as the stack tag `dataeng:stack` (see common.ts
 *   stackNameOf); under the CLI the pack's process reads it from PULUMI_STACK instead.
 */
import {
  type PolicyProviderResource,
  type PolicyResource,
  type PolicyResourceOptions,
  type ReportViolation,
  type ResourceValidationArgs,
  type StackValidationArgs,
} from "@pulumi/policy";
import * as policySdk from "@pulumi/policy";
import * as proxyInternal from "@pulumi/policy/proxy";
import { type PlannedResource } from "../lib/plan/plannedResource";
import { parseStackName } from "../lib/model/stacks";
import {
  type PackPolicy,
  STACK_NAME_TAG,
  isNotApplicableError,
  isStackPolicy,
  isUnknownValueError,
  label,
} from "./common";
import { type LoadedPolicyConfig, DEFAULT_POLICY_CONFIG_FILE, readPolicyConfig } from "./config";
import { policies as packPolicies } from "./policies";

export { PolicyConfigError, type LoadedPolicyConfig, type PolicySettings } from "./config";

export interface PolicyViolation {
  readonly policyName: string;
  readonly enforcementLevel: "advisory" | "mandatory";
  /** What is wrong, on which resource, and how to fix it. */
  readonly message: string;
  readonly urn?: string;
  readonly resourceType?: string;
  readonly resourceName?: string;
  /**
   * Set when the resource is exempted from this policy (policy/exemptions.ts): the written
   * reason. The violation is then advisory and its message ends with `(exempted: <reason>)`;
   * the plan, the preview comment and the run report show it among the advisories.
   */
  readonly exemption?: string;
}

export interface RunPoliciesOptions {
  readonly config: LoadedPolicyConfig;
  /** `<project>-<env>`, for example `core-prod`. */
  readonly stackName: string;
  /** The policies to run. Default: the whole pack. */
  readonly policies?: readonly PackPolicy[];
}

/**
 * Reads and validates policy-config.json (default: the repository root's). Throws a
 * PolicyConfigError naming the file, each bad key and the reason.
 */
export function loadPolicyConfig(file: string = DEFAULT_POLICY_CONFIG_FILE): LoadedPolicyConfig {
  return readPolicyConfig(file, packPolicies);
}

// ------------------------------------------------------------------------------------------
// Unknown values

const unknownCheckingProxy = (policySdk as unknown as { unknownCheckingProxy: <T>(v: T) => T })
  .unknownCheckingProxy;
/** The SDK's sentinel for an unknown value (any of its kinds makes the proxy throw). */
export const UNKNOWN_SENTINEL = (proxyInternal as unknown as { unknownStringValue: string })
  .unknownStringValue;

function withSentinels(value: unknown): unknown {
  if (value === undefined) return UNKNOWN_SENTINEL;
  if (Array.isArray(value)) return value.map(withSentinels);
  if (typeof value === "object" && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, withSentinels(v)]));
  }
  return value;
}

function containsUndefined(value: unknown): boolean {
  if (value === undefined) return true;
  if (Array.isArray(value)) return value.some(containsUndefined);
  if (typeof value === "object" && value !== null)
    return Object.values(value).some(containsUndefined);
  return false;
}

/**
 * The props a policy sees: `undefined` where a value came from other resources is unknown, not
 * missing. Wrapped in the SDK's unknown-checking proxy only when some value is unknown.
 */
export function policyProps(
  values: Readonly<Record<string, unknown>>,
  propertyDependencies: Readonly<Record<string, readonly string[]>>,
): Record<string, unknown> {
  const props: Record<string, unknown> = {};
  let unknown = false;
  const fromResources = (k: string) => (propertyDependencies[k]?.length ?? 0) > 0;
  for (const [k, v] of Object.entries(values)) {
    if (fromResources(k) && containsUndefined(v)) {
      props[k] = withSentinels(v);
      unknown = true;
    } else if (v !== undefined) {
      props[k] = v;
    }
  }
  for (const k of Object.keys(propertyDependencies)) {
    if (!(k in values) && fromResources(k)) {
      props[k] = UNKNOWN_SENTINEL;
      unknown = true;
    }
  }
  return unknown ? unknownCheckingProxy(props) : props;
}

// ------------------------------------------------------------------------------------------
// Building the SDK's arguments

class NotApplicableError extends Error {
  constructor(readonly reason?: string) {
    super(reason ?? "Policy does not apply");
  }
}
/**
 * Policies call notApplicable() on most resources, and only its message is read: no stack trace
 * (recording one was a tenth of a plan's CPU at 755 tables).
 */
function withoutStackTrace<T>(make: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return make();
  } finally {
    Error.stackTraceLimit = limit;
  }
}
const notApplicable = (reason?: string): never => {
  throw withoutStackTrace(() => new NotApplicableError(reason));
};

type ResourceClass = { __pulumiType?: string; isInstance?: (o: unknown) => boolean };

function isTypeOf(type: string, resourceClass: unknown): boolean {
  const cls = resourceClass as ResourceClass;
  if (typeof cls?.__pulumiType === "string" && cls.__pulumiType !== "")
    return type === cls.__pulumiType;
  return typeof cls?.isInstance === "function" && cls.isInstance({ __pulumiType: type }) === true;
}

/** The URN inside a provider reference `<urn>::<id>`. */
export function providerUrn(reference: string): string {
  const cut = reference.lastIndexOf("::");
  return cut > 0 ? reference.slice(0, cut) : reference;
}

/** `urn:pulumi:<stack>::<project>::<parent types$>type::<name>` split into type and name. */
function urnParts(urn: string): { type: string; name: string } {
  const parts = urn.split("::");
  const types = parts[2] ?? "";
  return { type: types.slice(types.lastIndexOf("$") + 1), name: parts.slice(3).join("::") };
}

/** What resource and stack policies both see of a resource (the stack ones also get links). */
function resourceFields(
  r: PlannedResource,
  props: Record<string, unknown>,
  provider: PolicyProviderResource | undefined,
) {
  return {
    type: r.type,
    props,
    urn: r.urn,
    name: r.name,
    opts: resourceOptions(r),
    ...(provider ? { provider } : {}),
    isType: (cls: unknown) => isTypeOf(r.type, cls),
    asType: ((cls: unknown) =>
      isTypeOf(r.type, cls) ? props : undefined) as PolicyResource["asType"] &
      ResourceValidationArgs["asType"],
  };
}

function resourceOptions(r: PlannedResource): PolicyResourceOptions {
  return {
    protect: r.protect,
    ignoreChanges: [],
    aliases: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    additionalSecretOutputs: [],
    ...(r.parent ? { parent: r.parent } : {}),
  };
}

interface Context {
  readonly byUrn: ReadonlyMap<string, PlannedResource>;
  readonly stackTags: ReadonlyMap<string, string>;
  readonly violations: PolicyViolation[];
}

function providerOf(r: PlannedResource, ctx: Context): PolicyProviderResource | undefined {
  if (!r.provider) return undefined;
  const urn = providerUrn(r.provider);
  const planned = ctx.byUrn.get(urn);
  if (planned) {
    return {
      type: planned.type,
      props: policyProps(planned.inputs, planned.propertyDependencies),
      urn,
      name: planned.name,
    };
  }
  const { type, name } = urnParts(urn);
  return { type, props: {}, urn, name };
}

function reporter(
  policy: PackPolicy,
  level: "advisory" | "mandatory",
  ctx: Context,
  defaultUrn: string | undefined,
): ReportViolation {
  return ((message: unknown, urn?: string) => {
    let text: string;
    let effective = level;
    let target = urn ?? defaultUrn;
    let exemption: string | undefined;
    if (typeof message === "object" && message !== null) {
      const info = message as {
        message?: string;
        enforcementLevel?: string;
        urn?: string;
        exemption?: string;
      };
      text = info.message ?? policy.description;
      if (info.enforcementLevel === "advisory") effective = "advisory";
      target = info.urn ?? target;
      exemption = info.exemption;
    } else {
      text = typeof message === "string" && message !== "" ? message : policy.description;
    }
    const resource = target ? ctx.byUrn.get(target) : undefined;
    const parts = target && !resource ? urnParts(target) : undefined;
    ctx.violations.push({
      policyName: policy.name,
      enforcementLevel: effective,
      message: text,
      ...(target ? { urn: target } : {}),
      ...(resource ? { resourceType: resource.type, resourceName: resource.name } : {}),
      ...(parts ? { resourceType: parts.type, resourceName: parts.name } : {}),
      ...(exemption !== undefined ? { exemption } : {}),
    });
  }) as ReportViolation;
}

/** Runs one validation the way the SDK's server does: an error is reported, never thrown. */
async function runGuarded(
  policy: PackPolicy,
  report: ReportViolation,
  where: string,
  run: () => void | Promise<void>,
): Promise<void> {
  try {
    await run();
  } catch (e) {
    if (e instanceof NotApplicableError || isNotApplicableError(e)) return;
    const info = isUnknownValueError(e)
      ? {
          message: `can't run policy '${policy.name}' on ${where} during preview: ${e.message}`,
          enforcementLevel: "advisory",
        }
      : {
          // The CLI would fail the whole preview here: hence mandatory.
          message: `policy '${policy.name}' failed on ${where} (the Pulumi CLI would stop the preview): ${e instanceof Error ? e.message : String(e)}`,
        };
    (report as unknown as (m: object) => void)(info);
  }
}

// ------------------------------------------------------------------------------------------

/**
 * Runs the pack's resource policies on every resource and its stack policies on the stack.
 * "disabled" policies are skipped; levels and config come from `options.config`.
 */
export async function runPolicies(
  resources: readonly PlannedResource[],
  options: RunPoliciesOptions,
): Promise<PolicyViolation[]> {
  const pack = options.policies ?? packPolicies;
  const byUrn = new Map(resources.map((r) => [r.urn, r]));
  const tags = new Map<string, string>([[STACK_NAME_TAG, options.stackName]]);
  const parsed = parseStackName(options.stackName);
  if (parsed) tags.set("pulumi:project", parsed.project);
  const ctx: Context = { byUrn, stackTags: tags, violations: [] };

  const enabled = pack.flatMap((policy) => {
    const settings = options.config.policies.get(policy.name);
    const level = settings?.enforcementLevel ?? policy.enforcementLevel;
    if (level === "disabled") return [];
    return [{ policy, level, config: settings?.config ?? {} }];
  });

  // Resource policies by the type their validation is for, then the others. A policy of several
  // types answers notApplicable for any other type (common.ts resourcePolicyForType), so it is
  // not called for them: at 755 tables those calls were a third of the runner's time.
  const marks = (e: (typeof enabled)[number]) =>
    (e.policy as { validateResource?: unknown }).validateResource as {
      __pulumiType?: string;
      __pulumiTypes?: readonly string[];
    };
  const resourceEntries = enabled.filter((e) => !isStackPolicy(e.policy));
  const typed = resourceEntries.filter((e) => marks(e).__pulumiType);
  const others = resourceEntries.filter((e) => !marks(e).__pulumiType);
  const entriesFor = new Map<string, typeof enabled>();
  const applicable = (type: string) => {
    let entries = entriesFor.get(type);
    if (!entries) {
      entries = [
        ...typed.filter((e) => marks(e).__pulumiType === type),
        ...others.filter((e) => marks(e).__pulumiTypes?.includes(type) ?? true),
      ];
      entriesFor.set(type, entries);
    }
    return entries;
  };
  const pending: Promise<void>[] = [];
  for (const r of resources) {
    const entries = applicable(r.type);
    if (entries.length === 0) continue;
    const props = policyProps(r.inputs, r.propertyDependencies);
    const provider = providerOf(r, ctx);
    for (const { policy, level, config } of entries) {
      if (isStackPolicy(policy)) continue;
      const args: ResourceValidationArgs = {
        ...resourceFields(r, props, provider),
        stackTags: ctx.stackTags,
        getConfig: <T extends object>() => config as T,
        notApplicable,
      };
      const report = reporter(policy, level, ctx, r.urn);
      pending.push(
        runGuarded(policy, report, label(r.type, r.name), () =>
          policy.validateResource(args, report),
        ),
      );
    }
  }
  await Promise.all(pending);

  // Stack policies, over one shared list of resources.
  const stackEntries = enabled.filter((e) => isStackPolicy(e.policy));
  if (stackEntries.length > 0) {
    const policyResources = new Map<string, PolicyResource>();
    for (const r of resources) {
      const props = policyProps({ ...r.state, ...r.inputs }, r.propertyDependencies);
      const provider = providerOf(r, ctx);
      policyResources.set(r.urn, {
        ...resourceFields(r, props, provider),
        dependencies: [],
        propertyDependencies: {},
      });
    }
    const resolve = (urns: readonly string[]) =>
      urns.map((u) => policyResources.get(u)).filter((x): x is PolicyResource => x !== undefined);
    for (const r of resources) {
      const pr = policyResources.get(r.urn)!;
      if (r.parent && policyResources.has(r.parent)) pr.parent = policyResources.get(r.parent);
      pr.dependencies = resolve(r.dependencies);
      for (const [k, urns] of Object.entries(r.propertyDependencies))
        pr.propertyDependencies[k] = resolve(urns);
    }
    const list = [...policyResources.values()];
    for (const { policy, level, config } of stackEntries) {
      if (!isStackPolicy(policy)) continue;
      const args: StackValidationArgs = {
        resources: list,
        stackTags: ctx.stackTags,
        getConfig: <T extends object>() => config as T,
        notApplicable,
      };
      const report = reporter(policy, level, ctx, undefined);
      await runGuarded(policy, report, `stack ${options.stackName}`, () =>
        policy.validateStack(args, report),
      );
    }
  }
  return ctx.violations;
}
