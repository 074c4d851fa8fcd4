/**
 * The declaration-site form of an exemption (a tag `dataeng:policy-exemption:<policy>` whose value
 * is the reason, lib/model/policyExemption.ts) is checked like the config form: it must name a
 * policy of the pack and give a reason AWS accepts as a tag value.
 */
import { POLICY_EXEMPTION_TAG_PREFIX, TAG_VALUE_PATTERN } from "../lib/model/policyExemption";
import {
  ANY_TYPE,
  type PackPolicy,
  UNKNOWN,
  isRecord,
  read,
  resourcePolicyForType,
} from "./common";
import { suggestion } from "./config";

export function exemptionTagsValid(policies: () => readonly PackPolicy[]): PackPolicy {
  return resourcePolicyForType({
    name: "policy-exemption-tags-valid",
    description: `A resource's exemption tag (${POLICY_EXEMPTION_TAG_PREFIX}<policy>) names a policy of this pack and gives the reason as its value; an exemption without a reason, or for a policy that does not exist, exempts nothing and blocks the deploy.`,
    enforcementLevel: "mandatory",
    remediationSteps: `Tag the resource with policyExemptionTag(<policy name>, <reason>) from lib/model/policyExemption.ts: the key names an existing policy, the value says why (letters, digits, spaces and _ . : / = + - @, at most 256 characters).`,
    type: ANY_TYPE,
    validate: (props, judge) => {
      const tags = read(props, "tags");
      if (tags === UNKNOWN)
        return judge.cannotJudge("its exemption tags: its tags are unknown during preview");
      if (!isRecord(tags)) return;
      const names = policies().map((p) => p.name);
      for (const [key, value] of Object.entries(tags)) {
        if (!key.startsWith(POLICY_EXEMPTION_TAG_PREFIX)) continue;
        const policy = key.slice(POLICY_EXEMPTION_TAG_PREFIX.length);
        if (!names.includes(policy)) {
          judge.fail(
            `its tag ${key} exempts it from ${JSON.stringify(policy)}, which is not a policy of this pack${suggestion(policy, names)}`,
            "name an existing policy (policy/README.md lists them) or remove the tag",
          );
        }
        if (typeof value !== "string" || value.trim() === "") {
          judge.fail(
            `its tag ${key} gives no reason`,
            `set the tag's value to why it may break ${policy}, and who agreed`,
          );
        } else if (!TAG_VALUE_PATTERN.test(value)) {
          judge.fail(
            `the reason in its tag ${key} is not a valid AWS tag value (only letters, digits, spaces and _ . : / = + - @, at most 256 characters)`,
            "reword the reason within those characters, or exempt the resource in policy-config.json instead",
          );
        }
      }
    },
  });
}
