import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { firstOccurrenceAlarm } from "./alarms";

/**
 * SQS's longest message retention, 14 days (SetQueueAttributes, MessageRetentionPeriod: 60 to
 * 1,209,600 seconds, Amazon SQS API Reference): what waits in a dead-letter queue for a person
 * should wait as long as it can.
 */
export const SQS_MAX_RETENTION_SECONDS = 14 * 24 * 3600;

export interface AlarmedQueueArgs {
  /** The queue's name in SQS. */
  queueName: pulumi.Input<string>;
  /** The KMS key the messages are encrypted with. */
  kmsKeyArn: pulumi.Input<string>;
  /** The not-empty alarm: its logical name, name in CloudWatch, description and actions. */
  alarm: {
    logicalName: string;
    name: pulumi.Input<string>;
    description: pulumi.Input<string>;
    actions: pulumi.Input<string>[];
    /** Also tell when the queue is empty again. Default: no OK actions. */
    okActions?: pulumi.Input<string>[];
  };
}

/**
 * A KMS-encrypted queue for what could not be delivered (14 days' retention) and an alarm as
 * soon as it holds a message: whatever lands there needs a person. Used for core's undelivered
 * alerts and pipelines' undeliverable landing events.
 */
export function alarmedQueue(
  logicalName: string,
  args: AlarmedQueueArgs,
  opts?: pulumi.CustomResourceOptions,
): aws.sqs.Queue {
  const queue = new aws.sqs.Queue(
    logicalName,
    {
      name: args.queueName,
      kmsMasterKeyId: args.kmsKeyArn,
      messageRetentionSeconds: SQS_MAX_RETENTION_SECONDS,
    },
    opts,
  );
  firstOccurrenceAlarm(
    args.alarm.logicalName,
    {
      name: args.alarm.name,
      alarmDescription: args.alarm.description,
      namespace: "AWS/SQS",
      metricName: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: queue.name },
      statistic: "Maximum",
      alarmActions: args.alarm.actions,
      ...(args.alarm.okActions ? { okActions: args.alarm.okActions } : {}),
    },
    opts,
  );
  return queue;
}
