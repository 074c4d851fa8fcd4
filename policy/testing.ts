/**
 * Test helpers: build the arguments the policy SDK's analyzer server builds (there is no public
 * harness), run one policy on them, and collect what it reports. Built from @pulumi/policy 1.21
 * as installed: `server.js` (how the analyzer builds ResourceValidationArgs and
 * StackValidationArgs, and reports a policy of another type as not applicable) and `policy.js`
 * (`validateResourceOfType`, whose reason is "Policy only applies to resources of type '<type>'"). Stack resources are built by
 * hand, with dependencies and property dependencies named by resource name.
 */
import {
  type PolicyProviderResource,
  type PolicyResource,
  type ResourceValidationArgs,
  type StackValidationArgs,
  unknownCheckingProxy,
} from "@pulumi/policy";
import * as proxyInternal from "@pulumi/policy/proxy";
import { defaultTags } from "../lib/model/tags";
import {
  type PackPolicy,
  type PackResourcePolicy,
  type PackStackPolicy,
  isStackPolicy,
} from "./common";
import { T } from "./types";

export const UNKNOWN_VALUE = (proxyInternal as unknown as { unknownStringValue: string })
  .unknownStringValue;

export interface Reported {
  readonly message: string;
  /** The level the report asked for: "advisory" when it overrides, else the policy's own. */
  readonly enforcementLevel: "advisory" | "mandatory";
  readonly urn?: string;
}

export interface Outcome {
  readonly reports: Reported[];
  /** The reason given to notApplicable(), if the policy called it. */
  readonly notApplicable?: string;
}

class NotApplicableError extends Error {
  constructor(readonly reason?: string) {
    super(reason ?? "not applicable");
  }
}

function capture(policy: PackPolicy, reports: Reported[]) {
  return (message: unknown, urn?: string) => {
    if (typeof message === "object" && message !== null) {
      const info = message as { message: string; enforcementLevel?: string; urn?: string };
      reports.push({
        message: info.message,
        enforcementLevel:
          info.enforcementLevel === "advisory" ? "advisory" : policy.enforcementLevel,
        ...((info.urn ?? urn) ? { urn: info.urn ?? urn } : {}),
      });
    } else {
      reports.push({
        message: String(message),
        enforcementLevel: policy.enforcementLevel,
        ...(urn ? { urn } : {}),
      });
    }
  };
}

const typeOf = (cls: unknown) => (cls as { __pulumiType?: string }).__pulumiType;

export const urnOf = (type: string, name: string) => `urn:pulumi:test-prod::test::${type}::${name}`;

/**
 * The AWS provider as the SDK passes it: provider inputs arrive as JSON strings
 * (@pulumi/aws 7.48.0 provider.js: `resourceInputs["defaultTags"] =
 * pulumi.output(args?.defaultTags).apply(JSON.stringify)`).
 */
export function awsProvider(
  tags: Record<string, string> | null = defaultTags("core", "prod"),
  region: string | null = "eu-west-2",
): PolicyProviderResource {
  return {
    type: T.awsProvider,
    name: "aws",
    urn: urnOf(T.awsProvider, "aws"),
    props: {
      ...(tags ? { defaultTags: JSON.stringify({ tags }) } : {}),
      ...(region ? { region } : {}),
    },
  };
}

/**
 * awsProvider() with its defaults, made once: the property checks below build a stack for every
 * odd value of every property, and a provider per resource each time was a third of that.
 * Frozen, so a policy that wrote to it would throw instead of changing the next test's input.
 */
const DEFAULT_PROVIDER: PolicyProviderResource = Object.freeze({
  ...awsProvider(),
  props: Object.freeze(awsProvider().props),
});

export interface ResourceInput {
  readonly type: string;
  readonly props: Record<string, unknown>;
  readonly name?: string;
  /** Default: the AWS provider with prod's default tags; null for none. */
  readonly provider?: PolicyProviderResource | null;
  readonly protect?: boolean;
  readonly config?: object;
  readonly stackTags?: ReadonlyMap<string, string>;
  /** Wrap props in the SDK's unknown-checking proxy, as the engine does. Default: true. */
  readonly proxy?: boolean;
}

export async function runResourcePolicy(
  policy: PackResourcePolicy,
  input: ResourceInput,
): Promise<Outcome> {
  const reports: Reported[] = [];
  const name = input.name ?? "subject";
  const props = input.proxy === false ? input.props : unknownCheckingProxy(input.props);
  const provider = input.provider === undefined ? DEFAULT_PROVIDER : input.provider;
  const args: ResourceValidationArgs = {
    type: input.type,
    props,
    urn: urnOf(input.type, name),
    name,
    opts: {
      protect: input.protect ?? false,
      ignoreChanges: [],
      aliases: [],
      customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
      additionalSecretOutputs: [],
    },
    ...(provider ? { provider } : {}),
    stackTags: input.stackTags ?? new Map(),
    isType: (cls) => typeOf(cls) === input.type,
    asType: ((cls: unknown) =>
      typeOf(cls) === input.type ? props : undefined) as ResourceValidationArgs["asType"],
    getConfig: <C extends object>() => (input.config ?? {}) as C,
    notApplicable: (reason?: string) => {
      throw new NotApplicableError(reason);
    },
  };
  try {
    await policy.validateResource(args, capture(policy, reports));
  } catch (e) {
    if (e instanceof NotApplicableError) return { reports, notApplicable: e.reason };
    throw e;
  }
  return { reports };
}

/** A stack resource built by hand; references to other resources are by name. */
export interface HandResource {
  readonly type: string;
  readonly name: string;
  readonly props: Record<string, unknown>;
  readonly protect?: boolean;
  /** Default: the AWS provider with prod's default tags; null for none. */
  readonly provider?: PolicyProviderResource | null;
  readonly parent?: string;
  readonly dependencies?: readonly string[];
  readonly propertyDependencies?: Readonly<Record<string, readonly string[]>>;
}

export interface StackInput {
  readonly config?: object;
  readonly stackTags?: ReadonlyMap<string, string>;
}

export function buildStack(resources: readonly HandResource[]): PolicyResource[] {
  const byName = new Map<string, PolicyResource>();
  for (const r of resources) {
    const props = unknownCheckingProxy(r.props);
    const provider = r.provider === undefined ? DEFAULT_PROVIDER : r.provider;
    byName.set(r.name, {
      type: r.type,
      name: r.name,
      urn: urnOf(r.type, r.name),
      props,
      opts: {
        protect: r.protect ?? false,
        ignoreChanges: [],
        aliases: [],
        customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
        additionalSecretOutputs: [],
      },
      ...(provider ? { provider } : {}),
      dependencies: [],
      propertyDependencies: {},
      isType: (cls) => typeOf(cls) === r.type,
      asType: ((cls: unknown) =>
        typeOf(cls) === r.type ? props : undefined) as PolicyResource["asType"],
    });
  }
  const find = (name: string) => {
    const found = byName.get(name);
    if (!found) throw new Error(`test stack: no resource named ${name}`);
    return found;
  };
  for (const r of resources) {
    const pr = find(r.name);
    if (r.parent) pr.parent = find(r.parent);
    pr.dependencies = (r.dependencies ?? []).map(find);
    for (const [k, names] of Object.entries(r.propertyDependencies ?? {}))
      pr.propertyDependencies[k] = names.map(find);
  }
  return [...byName.values()];
}

export async function runStackPolicy(
  policy: PackStackPolicy,
  resources: readonly HandResource[],
  input: StackInput = {},
): Promise<Outcome> {
  const reports: Reported[] = [];
  const args: StackValidationArgs = {
    resources: buildStack(resources),
    stackTags: input.stackTags ?? new Map(),
    getConfig: <C extends object>() => (input.config ?? {}) as C,
    notApplicable: (reason?: string) => {
      throw new NotApplicableError(reason);
    },
  };
  try {
    await policy.validateStack(args, capture(policy, reports));
  } catch (e) {
    if (e instanceof NotApplicableError) return { reports, notApplicable: e.reason };
    throw e;
  }
  return { reports };
}

// ------------------------------------------------------------------------------------------
// Case tables

export interface ResourceCase {
  readonly title: string;
  readonly props: Record<string, unknown>;
  readonly name?: string;
  readonly provider?: PolicyProviderResource | null;
  readonly config?: object;
  readonly stackTags?: ReadonlyMap<string, string>;
  /** The messages expected, in order; [] for a compliant case. */
  readonly messages: readonly (string | RegExp)[];
  /** Expected level of every report. Default: the policy's. */
  readonly level?: "advisory" | "mandatory";
}

function expectMessages(outcome: Outcome, expected: readonly (string | RegExp)[], level: string) {
  const messages = outcome.reports.map((r) => r.message);
  expect(messages).toHaveLength(expected.length);
  expected.forEach((m, i) => {
    if (typeof m === "string") expect(messages[i]).toBe(m);
    else expect(messages[i]).toMatch(m);
  });
  for (const r of outcome.reports) expect(r.enforcementLevel).toBe(level);
}

/** Values of the wrong kind a program (or a provider upgrade) might hand a policy. */
const ODD_VALUES: readonly unknown[] = [
  42,
  "not-what-you-expect",
  [],
  {},
  null,
  true,
  [{}],
  { a: [1] },
];

function unknownVariants(props: Record<string, unknown>): [string, Record<string, unknown>][] {
  return Object.keys(props).map((k) => [k, { ...props, [k]: UNKNOWN_VALUE }]);
}

/**
 * Declares the tests of one resource policy: each case's exact messages and level, that it does
 * not apply to another type, and that unknown or odd values never make it throw (whatever it
 * reports about them is advisory when the value is unknown).
 */
export function describeResourcePolicy(
  policy: PackPolicy,
  type: string,
  cases: readonly ResourceCase[],
  options: { readonly everyType?: boolean } = {},
): void {
  if (isStackPolicy(policy)) throw new Error(`${policy.name} is a stack policy`);
  describe(policy.name, () => {
    it("has at least one compliant and one non-compliant case", () => {
      expect(cases.some((c) => c.messages.length === 0)).toBe(true);
      expect(cases.some((c) => c.messages.length > 0)).toBe(true);
    });
    it.each(cases.map((c) => [c.title, c] as const))("%s", async (_title, c) => {
      const outcome = await runResourcePolicy(policy, { type, ...c });
      expect(outcome.notApplicable).toBeUndefined();
      expectMessages(outcome, c.messages, c.level ?? policy.enforcementLevel);
      for (const r of outcome.reports) {
        if (r.enforcementLevel === "mandatory") expect(r.message).toMatch(/ Fix: .+\.$/);
      }
    });
    // A policy built with validateResourceOfType answers notApplicable for another type
    // (@pulumi/policy 1.21 policy.js); one that judges every type never does.
    if (options.everyType) {
      it("applies to every resource type", async () => {
        const outcome = await runResourcePolicy(policy, {
          type: "aws:other/thing:Thing",
          props: {},
        });
        expect(outcome.notApplicable).toBeUndefined();
        expect(outcome.reports).toEqual([]);
      });
    } else {
      it("is not applicable to other resource types", async () => {
        const outcome = await runResourcePolicy(policy, {
          type: "aws:other/thing:Thing",
          props: {},
        });
        expect(outcome.notApplicable).toMatch(/only applies to resources of type/);
        expect(outcome.reports).toEqual([]);
      });
    }
    it("reports a value unknown during preview as advisory and never throws", async () => {
      for (const c of cases) {
        for (const [key, props] of unknownVariants(c.props)) {
          const outcome = await runResourcePolicy(policy, { type, ...c, props });
          const unknownReports = outcome.reports.filter((r) =>
            r.message.includes(`cannot judge .${key},`),
          );
          for (const r of unknownReports) {
            expect(r.enforcementLevel).toBe("advisory");
            expect(r.message).toContain("cannot judge");
          }
          // A compliant resource with a value unknown in preview must not be blocked.
          if (c.messages.length === 0) {
            expect(outcome.reports.filter((r) => r.enforcementLevel === "mandatory")).toEqual([]);
          }
        }
      }
    });
    it("never throws on values of an unexpected kind", async () => {
      for (const c of cases) {
        for (const key of Object.keys(c.props)) {
          for (const odd of ODD_VALUES) {
            await runResourcePolicy(policy, { type, ...c, props: { ...c.props, [key]: odd } });
          }
        }
        await runResourcePolicy(policy, { type, ...c, props: {} });
      }
    });
  });
}

export interface StackCase {
  readonly title: string;
  readonly resources: readonly HandResource[];
  readonly config?: object;
  readonly stackTags?: ReadonlyMap<string, string>;
  readonly messages: readonly (string | RegExp)[];
  readonly level?: "advisory" | "mandatory";
}

/** Like describeResourcePolicy, for a stack policy over resources built by hand. */
export function describeStackPolicy(policy: PackPolicy, cases: readonly StackCase[]): void {
  if (!isStackPolicy(policy)) throw new Error(`${policy.name} is a resource policy`);
  describe(policy.name, () => {
    it("has at least one compliant and one non-compliant case", () => {
      expect(cases.some((c) => c.messages.length === 0)).toBe(true);
      expect(cases.some((c) => c.messages.length > 0)).toBe(true);
    });
    it.each(cases.map((c) => [c.title, c] as const))("%s", async (_title, c) => {
      const outcome = await runStackPolicy(policy, c.resources, c);
      expect(outcome.notApplicable).toBeUndefined();
      expectMessages(outcome, c.messages, c.level ?? policy.enforcementLevel);
      for (const r of outcome.reports) {
        expect(r.urn).toBeDefined();
        if (r.enforcementLevel === "mandatory") expect(r.message).toMatch(/ Fix: .+\.$/);
      }
    });
    it("reports values unknown during preview as advisory and never throws", async () => {
      for (const c of cases) {
        for (const [i, r] of c.resources.entries()) {
          for (const [, props] of unknownVariants(r.props)) {
            const resources = c.resources.map((x, j) => (j === i ? { ...x, props } : x));
            const outcome = await runStackPolicy(policy, resources, c);
            for (const rep of outcome.reports.filter((x) => x.message.includes("cannot judge"))) {
              expect(rep.enforcementLevel).toBe("advisory");
            }
            // A compliant stack with a value unknown in preview must not be blocked.
            if (c.messages.length === 0) {
              expect(outcome.reports.filter((x) => x.enforcementLevel === "mandatory")).toEqual([]);
            }
          }
        }
      }
    });
    it("never throws on values of an unexpected kind", async () => {
      for (const c of cases) {
        for (const [i, r] of c.resources.entries()) {
          for (const key of Object.keys(r.props)) {
            for (const odd of ODD_VALUES) {
              const resources = c.resources.map((x, j) =>
                j === i ? { ...x, props: { ...r.props, [key]: odd } } : x,
              );
              await runStackPolicy(policy, resources, c);
            }
          }
        }
      }
    });
  });
}

/** The policy of the pack with this name. */
export function policyNamed(list: readonly PackPolicy[], name: string): PackPolicy {
  const found = list.find((p) => p.name === name);
  if (!found) throw new Error(`no policy named ${name}`);
  return found;
}
