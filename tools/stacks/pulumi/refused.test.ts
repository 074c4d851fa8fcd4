/**
 * A resource AWS refused (issue 21): the engine's error diagnostic carries the resource's URN
 * (sdk/go/common/apitype/events.go DiagnosticEvent `urn`), so the report names the resource and
 * keeps AWS's message. The real CLI runs this in tools/realCli/resilience.real-cli.test.ts.
 */
import { parseEventLog } from "./events";
import { reportJson } from "../report/report";

const URN =
  "urn:pulumi:metadata-dev::metadata::aws:s3/bucketObjectv2:BucketObjectv2::delius-offender";
const AWS =
  "uploading S3 Object (databases/delius/offender.json) to Bucket (meta): operation error S3: PutObject, https response error StatusCode: 403, RequestID: 1, api error AccessDenied: Access Denied";

test("an error diagnostic with a URN becomes a failed resource; one without stays a plain error", () => {
  const log = [
    { sequence: 1, diagnosticEvent: { urn: URN, severity: "error", message: `${AWS}\n` } },
    { sequence: 2, diagnosticEvent: { urn: "", severity: "error", message: "update failed" } },
    { sequence: 3, diagnosticEvent: { urn: URN, severity: "warning", message: "slow" } },
    // The engine stopping after that failure, not AWS (seen with the real CLI).
    {
      sequence: 4,
      diagnosticEvent: {
        urn: URN.replace("delius-offender", "oasys-extra_table_001"),
        severity: "error",
        message: "failed to run remediation: context canceled\n",
      },
    },
  ]
    .map((e) => JSON.stringify(e))
    .join("\n");
  const details = parseEventLog(log);
  expect(details.errors).toEqual([
    AWS,
    "update failed",
    "failed to run remediation: context canceled",
  ]);
  expect(details.resourceErrors).toEqual([
    {
      urn: URN,
      resourceType: "aws:s3/bucketObjectv2:BucketObjectv2",
      resourceName: "delius-offender",
      message: AWS,
    },
  ]);
  expect(
    parseEventLog(JSON.stringify({ diagnosticEvent: { severity: "error", message: "x" } }))
      .resourceErrors,
  ).toBeUndefined();
  const json = JSON.parse(
    reportJson({
      command: "up",
      envs: ["dev"],
      local: false,
      durationMs: 1,
      warnings: [],
      exitCode: 1,
      stacks: [
        {
          stack: "metadata-dev",
          project: "metadata",
          env: "dev",
          status: "failed",
          durationMs: 1,
          errors: details.errors,
          failedResources: details.resourceErrors,
          policyViolations: [],
        },
      ],
    }),
  ) as { stacks: { failedResources: unknown }[] };
  expect(json.stacks[0].failedResources).toEqual(details.resourceErrors);
});
