/**
 * What every policy of the pack is built from: the policy shapes (with the resource types each
 * one judges, for the coverage test), config defaults taken from the JSON schema, a guard that
 * turns "cannot judge this value" into an advisory report instead of an exception, and safe
 * readers for stack policies, whose resources may hold values that are unknown during preview.
 *
 * Keep this module cheap to import: it is loaded by the Pulumi CLI, by the offline runner and by
 * the tests. It must not import `@pulumi/aws` as a whole.
 */
import {
  type EnforcementLevel,
  type PolicyConfigSchema,
  type PolicyResource,
  type ReportViolation,
  type ResourceValidation,
  type ResourceValidationArgs,
  type ResourceValidationPolicy,
  type StackValidationArgs,
  type StackValidationPolicy,
  validateResourceOfType,
} from "@pulumi/policy";
import * as policySdk from "@pulumi/policy";
import { type PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { type Resource, type Unwrap } from "@pulumi/pulumi";
import { ENVIRONMENTS, type Environment } from "../lib/model/stacks";
import { defaultTags } from "../lib/model/tags";
import { exemptedMessage } from "../lib/model/policyExemption";
import { EXEMPTIONS_KEY, type Exemption, exemptionReason, exemptionsSchema } from "./exemptions";

/** The two levels a policy of this pack defaults to (config may also say "disabled"). */
export type Level = "advisory" | "mandatory";

interface PackPolicyMeta {
  /** The type tokens this policy judges. The coverage test compares them with the stacks. */
  readonly resourceTypes: readonly string[];
  readonly enforcementLevel: Level;
  readonly remediationSteps: string;
}

export type PackResourcePolicy = ResourceValidationPolicy &
  PackPolicyMeta & { readonly validateResource: ResourceValidation };
export type PackStackPolicy = StackValidationPolicy & PackPolicyMeta;
export type PackPolicy = PackResourcePolicy | PackStackPolicy;

export function isStackPolicy(p: PackPolicy): p is PackStackPolicy {
  return typeof (p as Partial<PackStackPolicy>).validateStack === "function";
}

export type ConfigProperties = Record<string, PolicyConfigJSONSchema>;

// ------------------------------------------------------------------------------------------
// Config

/** The policy's config: the schema's defaults overlaid with what policy-config.json gives. */
export function configWithDefaults<C>(schema: PolicyConfigSchema | undefined, given: object): C {
  const result: Record<string, unknown> = {};
  for (const [key, prop] of Object.entries(schema?.properties ?? {})) {
    if (prop.default !== undefined) result[key] = structuredClone(prop.default);
  }
  for (const [key, value] of Object.entries(given ?? {})) {
    if (key !== "enforcementLevel" && value !== undefined) result[key] = value;
  }
  return result as C;
}

/** The config key of policies that block only in some environments (production by default). */
export const MANDATORY_ENVIRONMENTS_KEY = "mandatoryEnvironments";

/**
 * A policy's config schema: its own keys, the exemptions every policy takes (exemptions.ts),
 * and, for a policy that blocks only in production, the environments where it blocks.
 */
function schemaOf(spec: PolicySpec): PolicyConfigSchema {
  return {
    properties: {
      ...spec.config,
      ...(spec.mandatoryOnlyInProduction
        ? {
            [MANDATORY_ENVIRONMENTS_KEY]: {
              type: "array",
              items: { type: "string", minLength: 1 },
              uniqueItems: true,
              default: [...PRODUCTION_ENVIRONMENTS],
              description:
                "Environments (from the stack name) where a violation blocks the deploy; elsewhere it is advisory.",
            },
          }
        : {}),
      [EXEMPTIONS_KEY]: exemptionsSchema,
    },
  };
}

/**
 * Reports a violation of `policy` on `subject`, or, when the subject is exempted from it, the
 * same message at advisory level with the reason, so that the exemption stays visible.
 */
function reportUnlessExempted(
  report: ReportViolation,
  spec: PolicySpec,
  config: object,
  stackTags: ReadonlyMap<string, string> | undefined,
  subject: { urn: string; props: Record<string, unknown> },
  message: string,
  urn?: string,
): void {
  const exemptions = (config as { [EXEMPTIONS_KEY]?: readonly Exemption[] })[EXEMPTIONS_KEY];
  const reason = exemptionReason(spec.name, exemptions, subject);
  if (reason === undefined) {
    const env = environmentOf(undefined, stackTags);
    const blockingIn = (config as { [MANDATORY_ENVIRONMENTS_KEY]?: readonly string[] })[
      MANDATORY_ENVIRONMENTS_KEY
    ];
    if (spec.mandatoryOnlyInProduction && env !== undefined && !blockingIn?.includes(env)) {
      const where = environmentsText(blockingIn ?? []) || "no environment";
      return reportAdvisory(
        report,
        `${message} (advisory in ${env}; blocks the deploy in ${where})`,
        urn,
      );
    }
    return urn === undefined ? report(message) : report(message, urn);
  }
  const info = {
    message: exemptedMessage(message, reason),
    urn,
    enforcementLevel: "advisory",
    exemption: reason,
  };
  (report as unknown as (info: object) => void)(info);
}

// ------------------------------------------------------------------------------------------
// Reporting

/** `aws:s3/bucket:Bucket "raw-history-bucket"`: how messages name a resource. */
export function label(type: string, name: string): string {
  return `${type} "${name}"`;
}

const stripDot = (s: string) => s.trim().replace(/\.+$/, "");

/** The one message format: what is wrong, on which resource, and how to fix it. */
export function violationMessage(resourceLabel: string, problem: string, fix: string): string {
  return `${resourceLabel}: ${stripDot(problem)}. Fix: ${stripDot(fix)}.`;
}

export function cannotJudgeMessage(resourceLabel: string, what: string): string {
  return (
    `${resourceLabel}: cannot judge ${stripDot(what)}. ` +
    `Check it by hand; this is reported as advisory so that it does not block the deploy.`
  );
}

/**
 * Reports at advisory level whatever the policy's level. The policy SDK accepts an object in
 * place of the message (server.js `makeReportViolationFun`) and takes its enforcementLevel.
 */
export function reportAdvisory(report: ReportViolation, message: string, urn?: string): void {
  const info = { message, urn, enforcementLevel: "advisory" as EnforcementLevel };
  (report as unknown as (info: object) => void)(info);
}

// ------------------------------------------------------------------------------------------
// Unknown values and errors

type UnknownValueErrorClass = new (...args: never[]) => Error;
const UnknownValueError = (policySdk as unknown as { UnknownValueError?: UnknownValueErrorClass })
  .UnknownValueError;

/** True for the error the SDK's proxy throws when a policy reads a value unknown in preview. */
export function isUnknownValueError(e: unknown): e is Error {
  if (UnknownValueError && e instanceof UnknownValueError) return true;
  return (
    e instanceof Error &&
    "unknownTypeSentinel" in e &&
    Array.isArray((e as { props?: unknown }).props)
  );
}

/** The SDK's `notApplicable()` throws an error of this class name; it must pass through. */
export function isNotApplicableError(e: unknown): boolean {
  return e instanceof Error && e.constructor.name === "NotApplicableError";
}

function describeError(e: unknown): string {
  if (isUnknownValueError(e)) {
    const path = (e as unknown as { props?: unknown[] }).props?.map(String).join(".") ?? "a value";
    return `.${path}, which is unknown during preview (it is judged again once known)`;
  }
  return `an unexpected value (${e instanceof Error ? e.message : String(e)})`;
}

/**
 * Runs one judgement; a value the policy cannot judge becomes an advisory report on the
 * resource, never an exception (a thrown error would fail the whole preview).
 */
export async function guarded(
  report: ReportViolation,
  resourceLabel: string,
  urn: string | undefined,
  run: () => void | Promise<void>,
): Promise<void> {
  try {
    await run();
  } catch (e) {
    if (isNotApplicableError(e)) throw e;
    reportAdvisory(report, cannotJudgeMessage(resourceLabel, describeError(e)), urn);
  }
}

/** Marks a value read from a stack resource whose value is unknown during preview. */
export const UNKNOWN: unique symbol = Symbol("unknown during preview");

/**
 * Reads `obj.a.b.c` without letting the SDK's unknown-checking proxy throw: returns UNKNOWN
 * for a value unknown during preview, undefined for a missing one.
 */
export function read(obj: unknown, ...path: (string | number)[]): unknown {
  let cur: unknown = obj;
  for (const key of path) {
    if (cur === null || cur === undefined || typeof cur !== "object") return undefined;
    try {
      cur = (cur as Record<string | number, unknown>)[key];
    } catch (e) {
      if (isUnknownValueError(e)) return UNKNOWN;
      throw e;
    }
  }
  return cur;
}

/** The config schema of a list of AWS account ids (policy-config.json), empty by default. */
export const accountList = (description: string) => ({
  type: "array" as const,
  items: { type: "string" as const, pattern: "^[0-9]{12}$" },
  uniqueItems: true,
  default: [] as string[],
  description,
});

export const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

export const nonEmptyString = (v: unknown): v is string => typeof v === "string" && v.trim() !== "";

/** Undefined, a single value or a list, as a list. */
export function asList<T>(v: T | readonly T[] | undefined | null): T[] {
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? [...(v as readonly T[])] : [v as T];
}

/** A value that may arrive as a JSON string (provider inputs, policy documents) or an object. */
export function parseMaybeJson(
  v: unknown,
): { ok: true; value: unknown } | { ok: false; reason: string } {
  if (typeof v !== "string") return { ok: true, value: v };
  try {
    return { ok: true, value: JSON.parse(v) };
  } catch (e) {
    return { ok: false, reason: `it is not valid JSON (${(e as Error).message})` };
  }
}

/** An AWS managed key (`alias/aws/s3`, `arn:...:alias/aws/sns`), which a customer-key check refuses. */
export function isAwsManagedKey(key: string): boolean {
  return /(^|:)alias\/aws\//.test(key);
}

/** Matches `value` against a glob where `*` stands for any characters and `?` for one. */
export function globMatch(pattern: string, value: string, caseInsensitive = true): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${re}$`, caseInsensitive ? "i" : "").test(value);
}

// ------------------------------------------------------------------------------------------
// Tags and environment

/**
 * Environments whose resources carry is-production "true", as lib/model/tags.ts tags them
 * (the model owns that fact; protected environments are PROTECTED_ENVIRONMENTS there).
 */
export const PRODUCTION_ENVIRONMENTS: readonly Environment[] = ENVIRONMENTS.filter(
  (env) => defaultTags("core", env)["is-production"] === "true",
);

/** `preprod and prod`: how descriptions name a list of environments. */
export const environmentsText = (envs: readonly string[]): string =>
  envs.length <= 1 ? envs.join("") : `${envs.slice(0, -1).join(", ")} and ${envs[envs.length - 1]}`;

/** Stack tag under which the offline runner passes the stack name (`core-prod`). */
export const STACK_NAME_TAG = "dataeng:stack";

interface Tagged {
  readonly props: Record<string, unknown>;
  readonly provider?: { readonly props: Record<string, unknown> };
}

/** The provider's `defaultTags.tags` (the SDK sends provider inputs as JSON strings). */
export function providerDefaultTags(
  provider: Tagged["provider"],
): Record<string, unknown> | typeof UNKNOWN {
  if (!provider) return {};
  const raw = read(provider.props, "defaultTags");
  if (raw === UNKNOWN) return UNKNOWN;
  const parsed = parseMaybeJson(raw);
  if (!parsed.ok) return {};
  const tags = read(parsed.value, "tags");
  if (tags === UNKNOWN) return UNKNOWN;
  const tagsParsed = parseMaybeJson(tags);
  return tagsParsed.ok && isRecord(tagsParsed.value) ? tagsParsed.value : {};
}

/** Tags a resource ends up with: the provider's default tags overlaid with its own `tags`. */
export function effectiveTags(r: Tagged): Record<string, unknown> | typeof UNKNOWN {
  const defaults = providerDefaultTags(r.provider);
  const own = read(r.props, "tags");
  if (defaults === UNKNOWN || own === UNKNOWN) return UNKNOWN;
  return { ...defaults, ...(isRecord(own) ? own : {}) };
}

/**
 * The name of the stack being judged: the one the offline runner passes as the stack tag
 * `dataeng:stack`, else the one the Pulumi CLI gives the policy pack's process in
 * `PULUMI_STACK` (pkg analyzer_plugin.go constructEnv, v3.248.0).
 */
export function stackNameOf(
  stackTags: ReadonlyMap<string, string> | undefined,
): string | undefined {
  const offline = stackTags?.get(STACK_NAME_TAG);
  if (nonEmptyString(offline)) return offline;
  const cli = process.env["PULUMI_STACK"] ?? process.env["PULUMI_NODEJS_STACK"];
  return nonEmptyString(cli) ? cli : undefined;
}

/**
 * The environment (`dev`, `preprod`, `prod`) being deployed: the last part of the stack name
 * `<project>-<env>`. Never a tag: a resource's own tags (or a copied `environment: dev`) must
 * not be able to exempt it from protection. The resource argument is kept for callers' sake.
 */
export function environmentOf(
  _r: unknown,
  stackTags: ReadonlyMap<string, string> | undefined,
): string | undefined {
  const stack = stackNameOf(stackTags);
  if (nonEmptyString(stack) && stack.includes("-")) return stack.slice(stack.lastIndexOf("-") + 1);
  return undefined;
}

// ------------------------------------------------------------------------------------------
// Resource policies

export interface ResourceJudge<C> {
  readonly config: C;
  /** `type "name"` of the resource being judged. */
  readonly label: string;
  readonly args: ResourceValidationArgs;
  /** Reports a violation: what is wrong, and how to fix it. */
  fail(problem: string, fix: string): void;
  /** Reports (advisory) that a value cannot be judged, and why. */
  cannotJudge(what: string): void;
}

// The SDK's own signature for resource classes (see validateResourceOfType).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type ResourceClass<TArgs> = { new (name: string, args: TArgs, ...rest: any[]): Resource };

interface PolicySpec {
  /** kebab-case, unique in the pack. */
  readonly name: string;
  readonly description: string;
  readonly enforcementLevel: Level;
  /** How to fix a violation in general; each message says it for the resource too. */
  readonly remediationSteps: string;
  /** JSON-schema properties with defaults: the single source for config and its validation. */
  readonly config?: ConfigProperties;
  /**
   * Blocks (at its level) only in production environments (config `mandatoryEnvironments`,
   * from the stack name); elsewhere its violations are advisory. An unknown stack blocks.
   */
  readonly mandatoryOnlyInProduction?: boolean;
}

/**
 * The policy's config for one call: computed once per config object the engine hands over
 * (the offline runner hands the same one for every resource), since cloning the schema's
 * defaults for each of hundreds of resources is most of a policy's cost.
 */
const configCache = new WeakMap<object, WeakMap<PolicySpec, unknown>>();
function configFor<C>(spec: PolicySpec, given: object | undefined): C {
  if (typeof given !== "object" || given === null) return configWithDefaults<C>(schemaOf(spec), {});
  let bySpec = configCache.get(given);
  if (!bySpec) configCache.set(given, (bySpec = new WeakMap()));
  if (!bySpec.has(spec)) bySpec.set(spec, configWithDefaults<C>(schemaOf(spec), given));
  return bySpec.get(spec) as C;
}

function makeJudge<C>(
  spec: PolicySpec,
  args: ResourceValidationArgs,
  report: ReportViolation,
): ResourceJudge<C> {
  const resourceLabel = label(args.type, args.name);
  const config = configFor<C & object>(spec, args.getConfig<object>());
  return {
    config,
    label: resourceLabel,
    args,
    fail: (problem, fix) =>
      reportUnlessExempted(
        report,
        spec,
        config,
        args.stackTags,
        args,
        violationMessage(resourceLabel, problem, fix),
      ),
    cannotJudge: (what) => reportAdvisory(report, cannotJudgeMessage(resourceLabel, what)),
  };
}

/** A policy that judges every resource of one SDK class, guarded against unjudgeable values. */
export function resourcePolicy<TArgs, C extends object = Record<string, never>>(
  spec: PolicySpec & {
    readonly resource: ResourceClass<TArgs>;
    readonly validate: (
      props: Unwrap<NonNullable<TArgs>>,
      judge: ResourceJudge<C>,
    ) => void | Promise<void>;
  },
): PackResourcePolicy {
  const type = (spec.resource as unknown as { __pulumiType?: string }).__pulumiType;
  if (!type) throw new Error(`policy ${spec.name}: the resource class has no type token`);
  return {
    name: spec.name,
    description: spec.description,
    enforcementLevel: spec.enforcementLevel,
    remediationSteps: spec.remediationSteps,
    configSchema: schemaOf(spec),
    resourceTypes: [type],
    validateResource: validateResourceOfType(spec.resource, (props, args, report) =>
      guarded(report, label(args.type, args.name), undefined, () =>
        spec.validate(props, makeJudge(spec, args, report)),
      ),
    ),
  };
}

/** The type of a resource policy that judges every resource (for example the region). */
export const ANY_TYPE = "*";

/**
 * Like resourcePolicy, for one or more type tokens (`pulumi:providers:aws`, or every type where
 * one kind of setting can live, such as the identity policies of roles, users and groups).
 */
export function resourcePolicyForType<C extends object = Record<string, never>>(
  spec: PolicySpec & {
    readonly type: string | readonly string[];
    readonly validate: (
      props: Record<string, unknown>,
      judge: ResourceJudge<C>,
    ) => void | Promise<void>;
  },
): PackResourcePolicy {
  const types: readonly string[] = typeof spec.type === "string" ? [spec.type] : spec.type;
  const everyType = types.includes(ANY_TYPE);
  const validate: ResourceValidation = (args, report) => {
    if (!everyType && !types.includes(args.type)) {
      return args.notApplicable(`Policy only applies to resources of type '${types.join("', '")}'`);
    }
    return guarded(report, label(args.type, args.name), undefined, () =>
      spec.validate(args.props, makeJudge(spec, args, report)),
    );
  };
  // Lets the engine skip other types without calling the policy (see server.js); a policy of
  // several types is called for every resource and answers notApplicable itself, except by the
  // offline runner, which reads its types from __pulumiTypes (policy/runner.ts).
  if (types.length === 1 && !everyType)
    (validate as unknown as { __pulumiType: string }).__pulumiType = types[0];
  else if (!everyType)
    (validate as unknown as { __pulumiTypes: readonly string[] }).__pulumiTypes = types;
  return {
    name: spec.name,
    description: spec.description,
    enforcementLevel: spec.enforcementLevel,
    remediationSteps: spec.remediationSteps,
    configSchema: schemaOf(spec),
    resourceTypes: types,
    validateResource: validate,
  };
}

// ------------------------------------------------------------------------------------------
// Stack policies

export interface StackJudge<C> {
  readonly config: C;
  readonly args: StackValidationArgs;
  readonly stack: StackIndex;
  fail(resource: PolicyResource, problem: string, fix: string): void;
  /** Like fail, but always advisory (for example outside the environments where it blocks). */
  advise(resource: PolicyResource, problem: string, fix: string): void;
  cannotJudge(resource: PolicyResource, what: string): void;
  /** Runs `fn` per resource, so that an unjudgeable resource does not hide the others. */
  each(resources: readonly PolicyResource[], fn: (r: PolicyResource) => void): void;
  environment(r: PolicyResource): string | undefined;
}

export function stackPolicy<C extends object = Record<string, never>>(
  spec: PolicySpec & {
    readonly resourceTypes: readonly string[];
    readonly validate: (judge: StackJudge<C>) => void;
  },
): PackStackPolicy {
  return {
    name: spec.name,
    description: spec.description,
    enforcementLevel: spec.enforcementLevel,
    remediationSteps: spec.remediationSteps,
    configSchema: schemaOf(spec),
    resourceTypes: spec.resourceTypes,
    validateStack: async (args, report) => {
      const config = configFor<C>(spec, args.getConfig<object>());
      const stack = new StackIndex(args.resources);
      const pending: Promise<void>[] = [];
      const judge: StackJudge<C> = {
        config,
        args,
        stack,
        fail: (r, problem, fix) =>
          reportUnlessExempted(
            report,
            spec,
            config,
            args.stackTags,
            r,
            violationMessage(label(r.type, r.name), problem, fix),
            r.urn,
          ),
        advise: (r, problem, fix) =>
          reportAdvisory(report, violationMessage(label(r.type, r.name), problem, fix), r.urn),
        cannotJudge: (r, what) =>
          reportAdvisory(report, cannotJudgeMessage(label(r.type, r.name), what), r.urn),
        each: (resources, fn) => {
          for (const r of resources)
            pending.push(guarded(report, label(r.type, r.name), r.urn, () => fn(r)));
        },
        environment: (r) => environmentOf(r, args.stackTags),
      };
      await guarded(report, "stack", undefined, () => spec.validate(judge));
      await Promise.all(pending);
    },
  };
}

/** Lookups over a stack's resources, built once per stack policy call. */
export class StackIndex {
  private readonly byType = new Map<string, PolicyResource[]>();
  private readonly urns = new Map<string, PolicyResource>();

  constructor(readonly resources: readonly PolicyResource[]) {
    for (const r of resources) {
      this.urns.set(r.urn, r);
      const list = this.byType.get(r.type);
      if (list) list.push(r);
      else this.byType.set(r.type, [r]);
    }
  }

  ofType(...types: string[]): PolicyResource[] {
    return types.flatMap((t) => this.byType.get(t) ?? []);
  }

  byUrn(urn: string): PolicyResource | undefined {
    return this.urns.get(urn);
  }

  /**
   * The candidates that `r.props[prop]` refers to: first by the property's dependencies (the
   * engine records which resources a property's value came from), else by comparing the value
   * with each candidate's `matchProps` (for example a bucket's `bucket` name and `id`).
   */
  referenced(
    r: PolicyResource,
    prop: string,
    candidates: readonly PolicyResource[],
    matchProps: readonly string[],
  ): PolicyResource[] {
    const deps = r.propertyDependencies?.[prop] ?? [];
    const set = new Set(candidates);
    const byDeps = deps.filter((d) => set.has(d));
    if (byDeps.length > 0) return [...new Set(byDeps)];
    const value = read(r.props, prop);
    if (!nonEmptyString(value)) return [];
    return candidates.filter((c) =>
      matchProps.some((p) => {
        const v = read(c.props, p);
        return typeof v === "string" && v === value;
      }),
    );
  }

  /**
   * True when `r.props[prop]` may refer to one of the candidates but cannot be tied to one now:
   * it depends on none of them, and either its value or, when it matches none of them by value,
   * a candidate's identifying value is unknown during preview.
   */
  unresolved(
    r: PolicyResource,
    prop: string,
    candidates: readonly PolicyResource[],
    matchProps: readonly string[],
  ): boolean {
    const deps = r.propertyDependencies?.[prop] ?? [];
    const set = new Set(candidates);
    if (deps.some((d) => set.has(d))) return false;
    if (read(r.props, prop) === UNKNOWN) return true;
    if (this.referenced(r, prop, candidates, matchProps).length > 0) return false;
    return candidates.some((c) => matchProps.some((p) => read(c.props, p) === UNKNOWN));
  }
}
