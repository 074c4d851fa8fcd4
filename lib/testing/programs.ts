/** Helpers for tests that evaluate the real programs under mocks (see lib/plan/evaluate.ts). */
import { evaluateAll, type StackEvaluation } from "../plan/evaluate";
import { withDependencies } from "../model/graph";
import { type PlannedResource } from "../plan/plannedResource";
import { type Environment, type Project, stackName } from "../model/stacks";

const planned = new Map<string, Promise<Map<string, StackEvaluation>>>();

/** Evaluates a project's stack in `env` after everything it depends on; cached per test file. */
export async function planStack(project: Project, env: Environment): Promise<StackEvaluation> {
  const key = `${project}-${env}`;
  let run = planned.get(key);
  if (!run) {
    const projects = [...withDependencies([project])];
    run = evaluateAll([env], projects);
    // Its dependencies were evaluated too: a later call for one of them reads this run.
    for (const p of projects) if (!planned.has(`${p}-${env}`)) planned.set(`${p}-${env}`, run);
  }
  const result = (await run).get(stackName(project, env));
  if (!result) throw new Error(`${stackName(project, env)} was not evaluated`);
  const failed = [...(await run).values()].flatMap((r) => r.errors);
  if (failed.length > 0) throw new Error(`evaluation failed:\n${failed.join("\n")}`);
  return result;
}

export function ofType(resources: readonly PlannedResource[], type: string): PlannedResource[] {
  return resources.filter((r) => r.type === type);
}

/** The one resource with this logical name; fails the test if there is not exactly one. */
export function named(resources: readonly PlannedResource[], name: string): PlannedResource {
  const found = resources.filter((r) => r.name === name);
  if (found.length !== 1) {
    throw new Error(
      `expected one resource named ${name}, found ${found.length}: ${resources.map((r) => r.name).join(", ")}`,
    );
  }
  return found[0];
}

/** A policy document input, parsed. */
export function policyOf(
  resource: PlannedResource,
  key = "policy",
): { Statement: Record<string, unknown>[] } {
  const value = resource.inputs[key];
  return typeof value === "string"
    ? JSON.parse(value)
    : (value as { Statement: Record<string, unknown>[] });
}
