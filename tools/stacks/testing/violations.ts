/**
 * A violation the pack reports for an exempted resource, as the offline runner and a real
 * preview both hand it to the reports: advisory, its message ending with the reason
 * (lib/model/policyExemption.ts exemptedMessage), the reason in `exemption`. In a real preview
 * the message reaches the orchestrator as @pulumi/policy 1.21 reports it (server.js
 * makeReportViolationFun: the policy's description, a newline, the message) inside the engine's
 * policyEvent (pulumi/pulumi v3.248.0 sdk/go/common/apitype/events.go PolicyEvent), which has
 * no field for the reason: tools/stacks/pulumi/events.ts reads it back with exemptionOf.
 */
import { exemptedMessage } from "../../../lib/model/policyExemption";
import type { Violation } from "../report/report";

export const EXEMPTED_URN = "urn:pulumi:core-prod::core::aws:s3/bucket:Bucket::access-logs";
export const EXEMPTION_REASON = "it is the log bucket";

export const exemptedViolation: Violation = {
  policyName: "s3-access-logging",
  enforcementLevel: "advisory",
  message: exemptedMessage("access-logs logs nowhere", EXEMPTION_REASON),
  urn: EXEMPTED_URN,
  resourceType: "aws:s3/bucket:Bucket",
  resourceName: "access-logs",
  exemption: EXEMPTION_REASON,
};
