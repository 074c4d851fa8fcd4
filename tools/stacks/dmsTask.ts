/**
 * Loud warnings about the DMS replication task, for the real preview's comment and run report
 * and for the offline diff: a task that would be replaced (a new task loads every table again),
 * deleted, or stopped and started again because an input changed.
 *
 * Why an update stops the task: the AWS provider's update (terraform-provider-aws
 * internal/service/dms/replication_task.go, resourceReplicationTaskUpdate) stops a running task
 * before it modifies anything but `tags`, `tags_all` and `start_replication_task`, and starts it
 * again afterwards when start_replication_task is set; its docs: "Changing most arguments will
 * stop the task if it is running." (replacements.ts holds the same facts as data.)
 */
import { type StackReport } from "./report";
import { DMS_TASK_NO_RESTART, DMS_TASK_TYPE } from "./replacements";

const REPLACING = new Set([
  "replace",
  "create-replacement",
  "delete-replaced",
  "import-replacement",
]);
const DELETING = new Set(["delete", "discard"]);

/** One warning per task that a run (steps, with the changed top-level inputs as `diffs`) would disturb. */
export function dmsTaskWarnings(stacks: readonly Pick<StackReport, "stack" | "steps">[]): string[] {
  const warnings: string[] = [];
  for (const s of stacks) {
    for (const step of s.steps ?? []) {
      if (step.type !== DMS_TASK_TYPE) continue;
      const task = `DMS task ${step.name} in ${s.stack}`;
      const changed = step.diffs ? ` (${step.diffs.join(", ")} changed)` : "";
      if (REPLACING.has(step.op)) {
        warnings.push(
          `${task} would be replaced${changed}: the new task starts with a full load of every table again.`,
        );
      } else if (DELETING.has(step.op)) {
        warnings.push(`${task} would be deleted: replication of its tables stops.`);
      } else if (step.op === "update") {
        const restarting = step.diffs?.filter((d) => !DMS_TASK_NO_RESTART.includes(d));
        if (restarting && restarting.length === 0) continue;
        warnings.push(
          `${task} would be stopped and started again` +
            (restarting
              ? ` (${restarting.join(", ")} changed)`
              : " (the engine did not say which inputs change)") +
            `: the provider stops a running task to modify it. Deploy when a pause in replication is acceptable.` +
            (!restarting || restarting.includes("tableMappings")
              ? " A table added to the mappings must then be reloaded before its changes flow."
              : ""),
        );
      }
    }
  }
  return warnings;
}
