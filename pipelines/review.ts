/**
 * What a reviewer of a change to the pipelines must be told (lib/model/review.ts; loaded by the
 * orchestrator, tools/stacks/engine/review.ts): a dmsRole replaced or deleted, a DMS task
 * replaced, deleted, or stopped and started again; and which DMS inputs force a replacement.
 * Not part of the program: no Pulumi SDK.
 */
import { DMS_ROLE_SUFFIX } from "../lib/model/naming";
import {
  DELETING_OPS,
  type ProjectReview,
  REPLACING_OPS,
  type ReplaceOnChanges,
  type ReviewRule,
  type ReviewStack,
  terraformSource,
} from "../lib/model/review";

// ---------------------------------------------------------------------------------------------
// dmsRole: the landing bucket's policy in data-engineering-infra grants the role's ARN.

export interface DmsRoleChange {
  readonly stack: string;
  readonly name: string;
  readonly urn: string;
  readonly action: "replaced" | "deleted";
}

/** dmsRole resources (IAM roles named `<database>-dms-role`) that a run would replace or delete. */
export function dmsRoleChanges(stacks: readonly ReviewStack[]): DmsRoleChange[] {
  const found: DmsRoleChange[] = [];
  for (const s of stacks) {
    for (const step of s.steps ?? []) {
      if (step.type !== "aws:iam/role:Role" || !step.name.endsWith(DMS_ROLE_SUFFIX)) continue;
      const action = REPLACING_OPS.has(step.op)
        ? "replaced"
        : DELETING_OPS.has(step.op)
          ? "deleted"
          : undefined;
      if (action && !found.some((f) => f.urn === step.urn)) {
        found.push({ stack: s.stack, name: step.name, urn: step.urn, action });
      }
    }
  }
  return found;
}

const DMS_ROLE_DETAIL =
  "The landing bucket policy in data-engineering-infra grants this role's ARN: after this deploy, " +
  "recreate that policy (re-run data-engineering-infra's deploy), or DMS can no longer write to the landing bucket.";

export const dmsRoleRule: ReviewRule = {
  id: "pipelines/dmsRole",
  severity: "caution",
  findings: (stacks) =>
    dmsRoleChanges(stacks).map((c) => ({
      headline: `dmsRole ${c.name} in ${c.stack} would be ${c.action}.`,
      urn: c.urn,
      detail: DMS_ROLE_DETAIL,
    })),
};

// ---------------------------------------------------------------------------------------------
// The DMS replication task: a replacement reloads every table; most updates stop it.

/**
 * A change to any input of a DMS replication task except these stops the task while it is
 * modified (or moved to another instance), then starts it again when startReplicationTask is
 * true: terraform-provider-aws internal/service/dms/replication_task.go,
 * resourceReplicationTaskUpdate, which stops the task for
 * `d.HasChangesExcept(tags, tags_all, "replication_instance_arn", "start_replication_task")`
 * and again for a change of replication_instance_arn (MoveReplicationTask). The provider docs
 * say it too: "Changing most arguments will stop the task if it is running."
 */
export const DMS_TASK_TYPE = "aws:dms/replicationTask:ReplicationTask";
export const DMS_TASK_NO_RESTART: readonly string[] = ["tags", "tagsAll", "startReplicationTask"];

/** The DMS task warnings of one stack's steps (the changed top-level inputs as `diffs`). */
function dmsTaskHeadlines({ stack, steps }: ReviewStack): string[] {
  const headlines: string[] = [];
  for (const step of steps ?? []) {
    if (step.type !== DMS_TASK_TYPE) continue;
    const task = `DMS task ${step.name} in ${stack}`;
    const changed = step.diffs ? ` (${step.diffs.join(", ")} changed)` : "";
    if (REPLACING_OPS.has(step.op)) {
      headlines.push(
        `${task} would be replaced${changed}: the new task starts with a full load of every table again.`,
      );
    } else if (DELETING_OPS.has(step.op)) {
      headlines.push(`${task} would be deleted: replication of its tables stops.`);
    } else if (step.op === "update") {
      const restarting = step.diffs?.filter((d) => !DMS_TASK_NO_RESTART.includes(d));
      if (restarting && restarting.length === 0) continue;
      headlines.push(
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
  return headlines;
}

export const dmsTaskRule: ReviewRule = {
  id: "pipelines/dmsTask",
  severity: "warning",
  findings: (stacks) => stacks.flatMap(dmsTaskHeadlines).map((headline) => ({ headline })),
};

/** One warning per task that a run (steps, with the changed top-level inputs as `diffs`) would disturb. */
export const dmsTaskWarnings = (stacks: readonly ReviewStack[]): string[] =>
  dmsTaskRule.findings(stacks).map((f) => f.headline);

// ---------------------------------------------------------------------------------------------
// Replace-on-change facts of the DMS resources (lib/model/awsReplaceOnChanges.ts has the rest).

/**
 * Read from the provider's source: internal/service/dms/replication_task.go and
 * replication_instance.go at commit 437126e800b0b328e7e12e959377bb6ce6510b4a.
 * replication_instance_arn of a task is ForceNew in the aws-sdk-go v1 form of
 * replication_task.go (commit 022092419b7cda11527df3c6b51cbfe1876c1722); a later form moves the
 * task with MoveReplicationTask instead. The table keeps it as a replacement, the reading that
 * warns, until the source of the pinned provider is checked. The endpoint and event
 * subscription entries restate the provider docs' "(Forces new resource)" notes.
 */
export const DMS_REPLACE_ON_CHANGES: ReplaceOnChanges = {
  "aws:dms/endpoint:Endpoint": {
    inputs: ["endpointId", "kmsKeyArn"],
    source: terraformSource("dms/endpoint.go"),
  },
  "aws:dms/eventSubscription:EventSubscription": {
    inputs: ["name"],
    source: terraformSource("dms/event_subscription.go"),
  },
  "aws:dms/replicationInstance:ReplicationInstance": {
    inputs: [
      "replicationInstanceId",
      "kmsKeyArn",
      "publiclyAccessible",
      "replicationSubnetGroupId",
      "availabilityZone",
    ],
    source: terraformSource("dms/replication_instance.go"),
  },
  "aws:dms/replicationTask:ReplicationTask": {
    inputs: [
      "replicationTaskId",
      "replicationInstanceArn",
      "sourceEndpointArn",
      "targetEndpointArn",
    ],
    source: terraformSource("dms/replication_task.go"),
  },
  "aws:dms/s3Endpoint:S3Endpoint": {
    inputs: ["endpointId", "kmsKeyArn"],
    source: terraformSource("dms/s3_endpoint.go"),
  },
};

export const review: ProjectReview = {
  rules: [dmsRoleRule, dmsTaskRule],
  replaceOnChanges: DMS_REPLACE_ON_CHANGES,
};
