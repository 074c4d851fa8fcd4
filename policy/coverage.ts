/**
 * No unjudged type: every resource type a stack creates is judged by some policy of the pack,
 * or allowlisted with a reason in policy-config.json. A new type cannot slip in unnoticed.
 */
import {
  ANY_TYPE,
  PRODUCTION_ENVIRONMENTS,
  environmentsText,
  type PackPolicy,
  type PackStackPolicy,
  environmentOf,
  stackPolicy,
} from "./common";

/** Types that are not cloud resources: the stack itself and references to other stacks. */
const ENGINE_TYPES = ["pulumi:pulumi:Stack", "pulumi:pulumi:StackReference"];

/** `aws:s3/bucket:Bucket` -> `aws`; `pulumi:providers:aws` -> the provider `pulumi:providers`. */
const packageOf = (type: string) => type.split(":")[0];

/** The types some policy of `policies` judges (a policy of every type judges none in particular). */
export function judgedTypes(policies: readonly PackPolicy[]): Set<string> {
  return new Set(policies.flatMap((p) => p.resourceTypes ?? []).filter((t) => t !== ANY_TYPE));
}

export function everyTypeJudged(policies: () => readonly PackPolicy[]): PackStackPolicy {
  return stackPolicy<{ allowedTypes: Record<string, string>; mandatoryEnvironments: string[] }>({
    name: "every-resource-type-judged",
    description: `Every resource type the stack creates is judged by some policy of this pack, or allowlisted in policy-config.json with the reason it needs no judging. Mandatory in ${environmentsText(PRODUCTION_ENVIRONMENTS)} (from the stack name), advisory elsewhere.`,
    enforcementLevel: "mandatory",
    remediationSteps:
      "Add a policy that judges the new type (policy/<service>.ts), or allowlist it in policy-config.json under every-resource-type-judged.allowedTypes with the reason.",
    config: {
      allowedTypes: {
        type: "object",
        additionalProperties: { type: "string", minLength: 10 },
        default: {},
        description: "Type tokens that need no policy, each with the reason.",
      },
      mandatoryEnvironments: {
        type: "array",
        items: { type: "string", minLength: 1 },
        uniqueItems: true,
        default: [...PRODUCTION_ENVIRONMENTS],
        description: "Environments (from the stack name) where an unjudged type blocks the deploy.",
      },
    },
    resourceTypes: [ANY_TYPE],
    validate: (judge) => {
      const judged = judgedTypes(policies());
      const allowed = judge.config.allowedTypes;
      // A custom resource belongs to a provider of the stack; components (dataeng:...) do not.
      const providers = new Set(
        judge.stack.resources
          .filter((r) => r.type.startsWith("pulumi:providers:"))
          .map((r) => r.type.slice("pulumi:providers:".length)),
      );
      const env = environmentOf(undefined, judge.args.stackTags);
      const blocking = env === undefined || judge.config.mandatoryEnvironments.includes(env);
      const reported = new Set<string>();
      judge.each(judge.stack.resources, (r) => {
        if (ENGINE_TYPES.includes(r.type) || judged.has(r.type) || r.type in allowed) return;
        const isProvider = r.type.startsWith("pulumi:providers:");
        if (!isProvider && !providers.has(packageOf(r.type))) return;
        if (reported.has(r.type)) return;
        reported.add(r.type);
        const problem = `no policy of the pack judges the type ${r.type}${env ? ` (in ${env})` : ""}`;
        const fix =
          "add a policy for it, or allowlist it with a reason in policy-config.json (every-resource-type-judged.allowedTypes)";
        if (blocking) judge.fail(r, problem, fix);
        else judge.advise(r, problem, fix);
      });
    },
  });
}
