/**
 * How a resource says, where it is declared, that one policy of the pack may not block it: an
 * own tag `dataeng:policy-exemption:<policy>` whose value is the written reason. A tag because
 * it is the one free-form marker the CrossGuard pack can see (it gets only a resource's type,
 * name, URN, inputs and options). No SDK here: programs, the pack and the tools read it.
 * Resources that take no tags are exempted in policy-config.json instead (policy/README.md).
 */
export const POLICY_EXEMPTION_TAG_PREFIX = "dataeng:policy-exemption:";

/**
 * AWS tag values: letters, digits, spaces and `_ . : / = + - @`, at most 256 characters
 * (Tagging AWS resources, "Tag naming limits and requirements":
 * https://docs.aws.amazon.com/tag-editor/latest/userguide/tagging.html).
 */
export const TAG_VALUE_PATTERN = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u;

/** The tag that exempts a resource from `policy`, to spread into its `tags`. */
export function policyExemptionTag(policy: string, reason: string): Record<string, string> {
  return { [`${POLICY_EXEMPTION_TAG_PREFIX}${policy}`]: reason };
}

/**
 * How an exempted violation reads wherever it surfaces: the pack reports it as advisory with
 * this suffix, and the engine passes only the message on (its policyEvent has no field for it),
 * so the orchestrator reads the reason back from the message with `exemptionOf`.
 */
export const exemptedMessage = (message: string, reason: string) =>
  `${message} (exempted: ${reason})`;

const EXEMPTED_SUFFIX = / \(exempted: (.+)\)$/s;

/** The reason an exempted violation's message carries (see `exemptedMessage`), else undefined. */
export function exemptionOf(message: string): string | undefined {
  return EXEMPTED_SUFFIX.exec(message.trimEnd())?.[1];
}
