import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { firstOccurrenceAlarm } from "../lib/infra/alarms";
import { EVENTBRIDGE_MAX_RETRY_POLICY } from "../lib/infra/events";
import { dmsIdentifier, functionName } from "../lib/model/naming";
import { type AlertsConfig } from "./config";
import { dmsEventMessageTemplate } from "../lib/contracts/alerts";
import { instanceEventPattern, taskEventPattern } from "./dmsEvents";
import { type PipelineScope } from "./scope";

export interface DmsAlertsArgs extends AlertsConfig {
  alertsTopicArn: pulumi.Input<string>;
  instance: aws.dms.ReplicationInstance;
  task: aws.dms.ReplicationTask;
}

/**
 * Alerts on DMS: the task's and the instance's events, and CDC falling behind. EventBridge
 * rules rather than a DMS event subscription, as AWS recommends since DMS 3.4.5 ("Working with
 * Amazon EventBridge events and notifications", CHAP_EventBridge). The topic gets the event
 * whole, in its documented shape, beside the task's or instance's identifier (the event's ARN
 * holds only DMS's internal resource id): see dmsEventMessageTemplate.
 */
export function dmsAlerts(scope: PipelineScope, args: DmsAlertsArgs): void {
  const { name, database: db, env, parent } = scope;
  const topic = args.alertsTopicArn;
  const dmsEvents = (
    suffix: string,
    what: string,
    pattern: pulumi.Input<string>,
    resourceName: string,
  ) => {
    const eventRule = new aws.cloudwatch.EventRule(
      `${name}-${suffix}`,
      {
        name: functionName(`${db}-${suffix}`, env),
        description: `${db} (${env}): ${what} to the alerts topic`,
        eventPattern: pattern,
      },
      { parent },
    );
    new aws.cloudwatch.EventTarget(
      `${name}-${suffix}-target`,
      {
        rule: eventRule.name,
        arn: topic,
        inputTransformer: { inputTemplate: dmsEventMessageTemplate(resourceName) },
        retryPolicy: EVENTBRIDGE_MAX_RETRY_POLICY,
      },
      { parent },
    );
    // A DMS event that EventBridge could not publish (topic or key policy) would be lost
    // silently; the alarm reaches the topic as CloudWatch, another principal.
    firstOccurrenceAlarm(
      `${name}-${suffix}-failed`,
      {
        name: dmsIdentifier(db, env, `${suffix}-failed`),
        alarmDescription: `${db} (${env}): EventBridge could not deliver ${what} to the alerts topic; check the topic and key policies`,
        namespace: "AWS/Events",
        metricName: "FailedInvocations",
        dimensions: { RuleName: eventRule.name },
        statistic: "Sum",
        alarmActions: [topic],
      },
      { parent },
    );
  };
  dmsEvents(
    "task-events",
    "DMS task failures, state and configuration changes",
    args.task.replicationTaskArn.apply((taskArn) => JSON.stringify(taskEventPattern(taskArn))),
    dmsIdentifier(db, env, "full-load-and-cdc"),
  );
  dmsEvents(
    "instance-events",
    "every DMS replication instance event",
    args.instance.replicationInstanceArn.apply((arn) => JSON.stringify(instanceEventPattern(arn))),
    dmsIdentifier(db, env, "replication"),
  );

  // DMS metrics name a task by the last part of its ARN, not by its identifier.
  const taskResourceId = args.task.replicationTaskArn.apply((arn) => arn.split(":").pop() ?? arn);
  for (const [metric, suffix] of [
    ["CDCLatencySource", "cdc-latency-source"],
    ["CDCLatencyTarget", "cdc-latency-target"],
  ]) {
    new aws.cloudwatch.MetricAlarm(
      `${name}-${suffix}`,
      {
        name: dmsIdentifier(db, env, suffix),
        alarmDescription: `${db} (${env}): DMS ${metric} above the threshold for 15 minutes; see the task's CloudWatch logs`,
        namespace: "AWS/DMS",
        metricName: metric,
        dimensions: {
          ReplicationInstanceIdentifier: args.instance.replicationInstanceId,
          ReplicationTaskIdentifier: taskResourceId,
        },
        statistic: "Maximum",
        period: 300,
        evaluationPeriods: 3,
        threshold: args.cdcLatencyAlarmSeconds,
        comparisonOperator: "GreaterThanThreshold",
        treatMissingData: "notBreaching",
        alarmActions: [topic],
        okActions: [topic],
      },
      { parent },
    );
  }
}
