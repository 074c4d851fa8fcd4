import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { firstOccurrenceAlarm } from "../lib/infra/alarms";
import { policyDocument } from "../lib/infra/iam";
import { alarmedQueue } from "../lib/infra/queues";
import { VALIDATION_METRICS_NAMESPACE, VANISHED_METRIC } from "../lib/lambda/metrics";
import { functionName } from "../lib/model/naming";
import { type Database, type Environment } from "../lib/model/stacks";

export interface ValidationSafetyNetArgs {
  database: Database;
  env: Environment;
  /** core's KMS key: the dead-letter queue is encrypted with it. */
  kmsKeyArn: pulumi.Input<string>;
  alertsTopicArn: pulumi.Input<string>;
  /** The EventBridge rule whose target sends undeliverable events to the queue. */
  ruleArn: pulumi.Input<string>;
}

/**
 * What catches a landing event that never reached the validation Lambda: a dead-letter queue
 * for the EventBridge target (KMS-encrypted, 14 days), an alarm as soon as it holds a message,
 * and an alarm on the VanishedLandingObjects metric the Lambda logs (lib/lambda/metrics.ts).
 * EventBridge dead-letter queues: Amazon EventBridge user guide, "Using dead-letter queues to
 * process undelivered events" (the queue policy lets events.amazonaws.com send from the rule;
 * an encrypted queue needs the key to allow events.amazonaws.com, see core/keyPolicy.ts).
 */
export class ValidationSafetyNet extends pulumi.ComponentResource {
  public readonly deadLetterQueue: aws.sqs.Queue;

  constructor(name: string, args: ValidationSafetyNetArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dataeng:pipelines:ValidationSafetyNet", name, {}, opts);
    const parent = { parent: this };
    const { database: db, env } = args;
    this.deadLetterQueue = alarmedQueue(
      `${name}-events-dlq`,
      {
        queueName: functionName(`${db}-landing-events-dlq`, env),
        kmsKeyArn: args.kmsKeyArn,
        alarm: {
          logicalName: `${name}-events-dlq-not-empty`,
          name: functionName(`${db}-landing-events-dlq-not-empty`, env),
          description: `${db} (${env}): landing events could not be delivered to the validation Lambda; their files wait in landing (see the queue's messages)`,
          actions: [args.alertsTopicArn],
        },
      },
      parent,
    );
    new aws.sqs.QueuePolicy(
      `${name}-events-dlq-policy`,
      {
        queueUrl: this.deadLetterQueue.url,
        policy: policyDocument([
          {
            Sid: "EventBridgeDeadLetters",
            Effect: "Allow",
            Principal: { Service: "events.amazonaws.com" },
            Action: ["sqs:SendMessage"],
            Resource: this.deadLetterQueue.arn,
            Condition: { ArnEquals: { "aws:SourceArn": args.ruleArn } },
          },
        ]),
      },
      parent,
    );
    firstOccurrenceAlarm(
      `${name}-vanished-landing-objects`,
      {
        name: functionName(`${db}-vanished-landing-objects`, env),
        alarmDescription: `${db} (${env}): a landing file was removed by something other than the validation Lambda before it was validated; see the Lambda's "missing" log lines and CloudTrail`,
        namespace: VALIDATION_METRICS_NAMESPACE,
        metricName: VANISHED_METRIC,
        dimensions: { Database: db },
        statistic: "Sum",
        alarmActions: [args.alertsTopicArn],
      },
      parent,
    );
    this.registerOutputs({ deadLetterQueueArn: this.deadLetterQueue.arn });
  }
}
