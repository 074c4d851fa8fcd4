import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";

/** What differs between the alarms that fire on the first occurrence of something. */
export interface FirstOccurrenceAlarmArgs {
  /** The alarm's name in CloudWatch. */
  name: pulumi.Input<string>;
  /** Says what happened and where to look. */
  alarmDescription: pulumi.Input<string>;
  namespace: pulumi.Input<string>;
  metricName: pulumi.Input<string>;
  dimensions: pulumi.Input<Record<string, pulumi.Input<string>>>;
  /** `Sum` for counts of events, `Maximum` for gauges such as a queue's depth. */
  statistic: "Sum" | "Maximum";
  /** Usually the alerts topic. */
  alarmActions: pulumi.Input<string>[];
  /** Also tell when it is back to OK. Default: no OK actions. */
  okActions?: pulumi.Input<string>[];
}

/**
 * An alarm that fires as soon as the metric is above 0 in a 5-minute period: one failure, one
 * message, one stranded file is already worth a look. Periods without data are not breaching,
 * since these metrics are only published when something happened.
 */
export function firstOccurrenceAlarm(
  logicalName: string,
  args: FirstOccurrenceAlarmArgs,
  opts?: pulumi.CustomResourceOptions,
): aws.cloudwatch.MetricAlarm {
  const { okActions, ...rest } = args;
  return new aws.cloudwatch.MetricAlarm(
    logicalName,
    {
      ...rest,
      period: 300,
      evaluationPeriods: 1,
      threshold: 0,
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: "notBreaching",
      ...(okActions ? { okActions } : {}),
    },
    opts,
  );
}
