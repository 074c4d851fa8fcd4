/**
 * Every stack of the five projects, evaluated under mocks (lib/plan/evaluate.ts), judged by the pack
 * with the real policy-config.json: no mandatory violation, and every resource type the stacks
 * create is judged by at least one policy.
 */
import { evaluateAll, type StackEvaluation } from "../lib/plan/evaluate";
import { ENVIRONMENTS, PROJECTS, hasStack, stackName } from "../lib/model/stacks";
import { policies } from "./policies";
import { type PolicyViolation, loadPolicyConfig, runPolicies } from "./runner";

const STACKS = ENVIRONMENTS.flatMap((env) =>
  PROJECTS.filter((p) => hasStack(p, env)).map((p) => stackName(p, env)),
);

let results: Map<string, StackEvaluation>;
const violations = new Map<string, PolicyViolation[]>();

beforeAll(async () => {
  results = await evaluateAll();
  const config = loadPolicyConfig();
  for (const [stack, result] of results) {
    violations.set(stack, await runPolicies(result.resources, { config, stackName: stack }));
  }
}, 180_000);

const describeViolation = (v: PolicyViolation) => `${v.policyName}: ${v.message}`;

describe.each(STACKS)("%s", (stack) => {
  it("evaluates without errors", () => {
    const result = results.get(stack);
    expect(result).toBeDefined();
    expect(result!.errors).toEqual([]);
    expect(result!.resources.length).toBeGreaterThan(0);
  });

  it("has no mandatory violation", () => {
    const mandatory = (violations.get(stack) ?? []).filter(
      (v) => v.enforcementLevel === "mandatory",
    );
    expect(mandatory.map(describeViolation)).toEqual([]);
  });
});

/** Types that are not AWS resources: components, stack references, the stack itself. */
const ignored = (type: string) => type.startsWith("dataeng:") || type.startsWith("pulumi:pulumi:");

it("judges every resource type the stacks create", () => {
  const covered = new Set(policies.flatMap((p) => p.resourceTypes));
  const created = new Map<string, string>();
  for (const [stack, result] of results) {
    for (const r of result.resources) {
      if (r.custom && !ignored(r.type) && !created.has(r.type)) created.set(r.type, stack);
    }
  }
  const uncovered = [...created]
    .filter(([type]) => !covered.has(type))
    .map(
      ([type, stack]) => `${type} (first in ${stack}): add a policy for it in policy/<service>.ts`,
    );
  expect(uncovered).toEqual([]);
});
