/**
 * The DMS task warnings of the real preview: steps read from an engine event log whose events
 * have the shape of sdk/go/common/apitype/events.go (pulumi v3.248.0): resourcePreEvent.metadata
 * with op, urn, type and diffs ("Keys that changed with this step").
 */
import { dmsTaskWarnings } from "../../../pipelines/review";
import { parseEventLog } from "../pulumi/events";
import { renderComment } from "../report/comment";
import { type StackReport } from "../report/report";

const TASK = "aws:dms/replicationTask:ReplicationTask";
const URN = `urn:pulumi:pipelines-dev::pipelines::dataeng:pipelines:DmsPipeline$${TASK}::delius-task`;

const log = (...metadata: object[]) =>
  metadata
    .map((m, i) =>
      JSON.stringify({
        sequence: i,
        timestamp: 0,
        resourcePreEvent: { metadata: { provider: "", ...m } },
      }),
    )
    .join("\n");

function report(steps: StackReport["steps"]): StackReport {
  return {
    stack: "pipelines-dev",
    project: "pipelines",
    env: "dev",
    status: "succeeded",
    durationMs: 1,
    errors: [],
    policyViolations: [],
    steps,
    changes: { create: 0, update: 1, replace: 0, delete: 0, same: 9 },
  };
}

const RESTART =
  "DMS task delius-task in pipelines-dev would be stopped and started again (replicationTaskSettings changed): " +
  "the provider stops a running task to modify it. Deploy when a pause in replication is acceptable.";

describe("dmsTaskWarnings on a real preview's steps", () => {
  it("warns when a task-settings change stops the task, from the engine's diffs", () => {
    const { steps } = parseEventLog(
      log({ op: "update", urn: URN, type: TASK, diffs: ["replicationTaskSettings", "tags"] }),
    );
    expect(steps).toEqual([
      {
        op: "update",
        urn: URN,
        type: TASK,
        name: "delius-task",
        diffs: ["replicationTaskSettings", "tags"],
      },
    ]);
    expect(dmsTaskWarnings([report(steps)])).toEqual([RESTART]);
  });

  it("says nothing when only tags change, and warns when the engine does not say what changes", () => {
    expect(
      dmsTaskWarnings([
        report([
          { op: "update", urn: URN, type: TASK, name: "delius-task", diffs: ["tags", "tagsAll"] },
        ]),
      ]),
    ).toEqual([]);
    expect(
      dmsTaskWarnings([report([{ op: "update", urn: URN, type: TASK, name: "delius-task" }])]),
    ).toEqual([
      "DMS task delius-task in pipelines-dev would be stopped and started again (the engine did not say which inputs change): " +
        "the provider stops a running task to modify it. Deploy when a pause in replication is acceptable. " +
        "A table added to the mappings must then be reloaded before its changes flow.",
    ]);
  });

  it("warns about a replaced or deleted task", () => {
    const { steps } = parseEventLog(
      log(
        { op: "create-replacement", urn: URN, type: TASK, diffs: ["replicationTaskId"] },
        { op: "replace", urn: URN, type: TASK, diffs: ["replicationTaskId"] },
      ),
    );
    expect(dmsTaskWarnings([report(steps)])).toEqual([
      "DMS task delius-task in pipelines-dev would be replaced (replicationTaskId changed): the new task starts with a full load of every table again.",
    ]);
    expect(
      dmsTaskWarnings([report([{ op: "delete", urn: URN, type: TASK, name: "delius-task" }])]),
    ).toEqual([
      "DMS task delius-task in pipelines-dev would be deleted: replication of its tables stops.",
    ]);
  });

  it("puts the warning at the top of the preview comment", () => {
    const steps = [
      {
        op: "update",
        urn: URN,
        type: TASK,
        name: "delius-task",
        diffs: ["replicationTaskSettings"],
      },
    ];
    const comment = renderComment([{ env: "dev", stacks: [report(steps)] }]);
    expect(comment).toContain(`## Pulumi preview\n\n> [!WARNING]\n>\n> **${RESTART}**\n\n`);
  });
});
