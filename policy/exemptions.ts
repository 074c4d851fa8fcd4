/**
 * Policy exemptions, as cdk-nag's suppressions and checkov's skips do them: one resource, one
 * named policy, a written reason. Two places, both visible to the CrossGuard pack:
 * - policy-config.json, under the policy: `"<policy>": { "exemptions": [{ "resource":
 *   "<URN glob>", "reason": "..." }] }` (the CLI hands each policy only its own config);
 * - the resource's own tag `dataeng:policy-exemption:<policy>` = reason
 *   (lib/model/policyExemption.ts), where it is declared.
 * An exempted violation is still reported, as advisory, ending with `(exempted: <reason>)`.
 */
import { type PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import { POLICY_EXEMPTION_TAG_PREFIX } from "../lib/model/policyExemption";
import { describeValue } from "./jsonSchema";

export interface Exemption {
  /** The resource's URN, `*` matching any characters (`urn:pulumi:*-prod::core::*::alerts`). */
  readonly resource: string;
  readonly reason: string;
}

/** The config key every policy takes, and its schema (the CLI validates against it too). */
export const EXEMPTIONS_KEY = "exemptions";

export const exemptionsSchema: PolicyConfigJSONSchema = {
  type: "array",
  items: {
    type: "object",
    properties: {
      resource: { type: "string", pattern: "^urn:pulumi:" },
      reason: { type: "string", minLength: 1 },
    },
    required: ["resource", "reason"],
    additionalProperties: false,
  },
  default: [],
  description:
    "Resources this policy does not block, each with the reason: { resource: <URN, * matches any characters>, reason }.",
};

/** What an exemption is matched on: what both the SDK's resource and stack arguments carry. */
export interface ExemptionSubject {
  readonly urn: string;
  readonly props: Record<string, unknown>;
}

/**
 * The value of one of the resource's own tags; undefined when missing or unknown in preview
 * (the SDK's proxy throws on an unknown value; an unknown tag exempts nothing).
 */
function ownTag(props: Record<string, unknown>, key: string): unknown {
  try {
    const tags = props["tags"];
    return typeof tags === "object" && tags !== null
      ? (tags as Record<string, unknown>)[key]
      : undefined;
  } catch {
    return undefined;
  }
}

/** `*` in the pattern matches any characters (`::` included); everything else is literal. */
export function urnMatches(pattern: unknown, urn: string): boolean {
  if (typeof pattern !== "string") return false;
  const re = pattern.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*");
  return new RegExp(`^${re}$`).test(urn);
}

/** The reason `subject` is exempted from `policy`, or undefined when it is not. */
export function exemptionReason(
  policy: string,
  exemptions: readonly Exemption[] | undefined,
  subject: ExemptionSubject,
): string | undefined {
  const tagged = ownTag(subject.props, `${POLICY_EXEMPTION_TAG_PREFIX}${policy}`);
  if (typeof tagged === "string" && tagged.trim() !== "") return tagged.trim();
  for (const e of Array.isArray(exemptions) ? exemptions : []) {
    if (
      typeof e?.reason === "string" &&
      e.reason.trim() !== "" &&
      urnMatches(e.resource, subject.urn)
    )
      return e.reason.trim();
  }
  return undefined;
}

const URN_FORM = "urn:pulumi:<stack>::<project>::<type>::<name>, * matching any characters";

/** What is wrong with `"<policy>".exemptions` in policy-config.json, with the fix. */
export function exemptionProblems(policy: string, value: unknown): string[] {
  const where = `"${policy}".${EXEMPTIONS_KEY}`;
  if (!Array.isArray(value)) {
    return [
      `${where}: expected a list of { "resource": <URN>, "reason": <why> }, got ${describeValue(value)}`,
    ];
  }
  return value.flatMap((item: unknown, i): string[] => {
    const at = `${where}[${i}]`;
    if (typeof item !== "object" || item === null || Array.isArray(item)) {
      return [`${at}: expected { "resource": <URN>, "reason": <why> }, got ${describeValue(item)}`];
    }
    const { resource, reason, ...rest } = item as Record<string, unknown>;
    const problems = Object.keys(rest).map(
      (k) => `${at}.${k}: not a key of an exemption (its keys: resource, reason)`,
    );
    const resourceOk = typeof resource === "string" && resource.startsWith("urn:pulumi:");
    if (!resourceOk) {
      problems.push(
        `${at}.resource: expected the resource's URN (${URN_FORM}), got ${describeValue(resource)}`,
      );
    }
    if (typeof reason !== "string" || reason.trim() === "") {
      problems.push(
        `${at}: the exemption of ${resourceOk ? resource : "this resource"} from ${policy} has no reason; ` +
          `add "reason": why it may break ${policy}, and who agreed`,
      );
    }
    return problems;
  });
}

/** The hint for a top-level "exemptions" key, which the Pulumi CLI would never pass to the pack. */
export const TOP_LEVEL_EXEMPTIONS_PROBLEM =
  `"${EXEMPTIONS_KEY}": exemptions go under the policy they exempt, ` +
  `"<policy>": { "enforcementLevel": ..., "${EXEMPTIONS_KEY}": [{ "resource": <URN>, "reason": <why> }] }, ` +
  `since the Pulumi CLI hands each policy only its own config`;
