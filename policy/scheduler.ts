/** EventBridge Scheduler: schedules (issue 10's sweep may use one instead of a schedule rule). */
import * as scheduler from "@pulumi/aws/scheduler";
import { type PackPolicy, isAwsManagedKey, nonEmptyString, read, resourcePolicy } from "./common";

const schedule = resourcePolicy({
  name: "scheduler-schedule-dead-letter-and-key",
  description:
    "An EventBridge Scheduler schedule sends invocations that keep failing to a dead-letter queue, and encrypts its target input with a customer-managed key when it has one.",
  enforcementLevel: "advisory",
  remediationSteps:
    "Set target.deadLetterConfig.arn to an SQS queue and kmsKeyArn to the customer-managed key ARN.",
  resource: scheduler.Schedule,
  validate: (props, judge) => {
    if (!nonEmptyString(read(props, "target", "deadLetterConfig", "arn"))) {
      judge.fail(
        "its target has no dead-letter queue, so failed invocations are dropped",
        "set target.deadLetterConfig.arn to an SQS queue",
      );
    }
    const input = read(props, "target", "input");
    if (
      nonEmptyString(input) &&
      (!nonEmptyString(props.kmsKeyArn) || isAwsManagedKey(props.kmsKeyArn))
    ) {
      judge.fail(
        "its target input is encrypted with an AWS owned key",
        "set kmsKeyArn to the customer-managed key ARN",
      );
    }
  },
});

export const schedulerPolicies: PackPolicy[] = [schedule];
