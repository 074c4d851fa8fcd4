import { countMetricFields, VALIDATION_METRICS_NAMESPACE, VANISHED_METRIC } from "./metrics";

test("a count of 1 in CloudWatch's embedded metric format, dimension values at the top level", () => {
  // The shape from "Specification: Embedded metric format" (Amazon CloudWatch user guide).
  expect(
    countMetricFields(
      VALIDATION_METRICS_NAMESPACE,
      VANISHED_METRIC,
      { Database: "delius" },
      new Date("2026-11-27T12:00:00.000Z"),
    ),
  ).toEqual({
    _aws: {
      Timestamp: 1795780800000,
      CloudWatchMetrics: [
        {
          Namespace: "DataEngineering/Validation",
          Dimensions: [["Database"]],
          Metrics: [{ Name: "VanishedLandingObjects", Unit: "Count" }],
        },
      ],
    },
    Database: "delius",
    VanishedLandingObjects: 1,
  });
});
