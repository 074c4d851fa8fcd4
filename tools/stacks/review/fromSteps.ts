/**
 * The table summary of a real preview or deploy: there is no base plan, so both sides come
 * from the engine's steps, the old and new inputs of every resource (pulumi/events.ts
 * StepInputs), `same` steps included.
 */
import { urnStack } from "../pulumi/events";
import { type StackReport } from "../report/report";
import { envOfStack } from "./fromPlans";
import { type TableSummary, type ValidationLines, tableSummary } from "./tableSummary";
import { type ResourceSides } from "./tableState";

export function resourcesFromSteps(
  stacks: readonly Pick<StackReport, "stack" | "stepInputs">[],
): ResourceSides[] {
  return stacks.flatMap((s) =>
    (s.stepInputs ?? []).map((i) => ({ ...i, stack: urnStack(i.urn) ?? s.stack })),
  );
}

export function stacksTableSummary(
  stacks: readonly Pick<StackReport, "stack" | "stepInputs">[],
  validation?: ValidationLines,
): TableSummary {
  return tableSummary(resourcesFromSteps(stacks), envOfStack, validation);
}

/** Whether the engine's event log gave any step's inputs (not so with the text fallback). */
export const hasStepInputs = (stacks: readonly Pick<StackReport, "stepInputs">[]) =>
  stacks.some((s) => (s.stepInputs ?? []).some((i) => i.before || i.after));
