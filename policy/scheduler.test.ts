import { schedulerPolicies } from "./scheduler";
import { describeResourcePolicy, policyNamed } from "./testing";
import { T } from "./types";

const target = { arn: "arn:aws:lambda:eu-west-2:1:function:f", roleArn: "arn:aws:iam::1:role/r" };
describeResourcePolicy(
  policyNamed(schedulerPolicies, "scheduler-schedule-dead-letter-and-key"),
  T.schedulerSchedule,
  [
    {
      title: "a dead-letter queue, no input",
      props: { target: { ...target, deadLetterConfig: { arn: "arn:aws:sqs:eu-west-2:1:dlq" } } },
      messages: [],
    },
    {
      title: "no dead-letter queue, input with the AWS owned key",
      props: { target: { ...target, input: "{}" } },
      messages: [
        `${T.schedulerSchedule} "subject": its target has no dead-letter queue, so failed invocations are dropped. Fix: set target.deadLetterConfig.arn to an SQS queue.`,
        `${T.schedulerSchedule} "subject": its target input is encrypted with an AWS owned key. Fix: set kmsKeyArn to the customer-managed key ARN.`,
      ],
    },
  ],
);
