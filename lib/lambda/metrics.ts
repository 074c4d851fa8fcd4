/**
 * CloudWatch metrics written as log lines in the embedded metric format (EMF): CloudWatch
 * Logs turns each such line into a metric data point, with no API call and no extra
 * permission. Format: "Specification: Embedded metric format", Amazon CloudWatch user guide,
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/CloudWatch_Embedded_Metric_Format_Specification.html
 * (an `_aws` object with Timestamp and CloudWatchMetrics; dimension and metric values as
 * top-level members of the same JSON object).
 */

/** The namespace of the validation Lambda's own metrics. */
export const VALIDATION_METRICS_NAMESPACE = "DataEngineering/Validation";

/** Landing objects that an event named but that were in neither landing, raw-history nor fail. */
export const VANISHED_METRIC = "VanishedLandingObjects";

/** The fields that make one log line a count of 1 for `metric`, by the given dimensions. */
export function countMetricFields(
  namespace: string,
  metric: string,
  dimensions: Record<string, string>,
  now: Date = new Date(),
): Record<string, unknown> {
  return {
    _aws: {
      Timestamp: now.getTime(),
      CloudWatchMetrics: [
        {
          Namespace: namespace,
          Dimensions: [Object.keys(dimensions)],
          Metrics: [{ Name: metric, Unit: "Count" }],
        },
      ],
    },
    ...dimensions,
    [metric]: 1,
  };
}
