/** Stack-wide policies: tags on every taggable resource, protection of stateful resources. */
import { PROTECTED_ENVIRONMENTS } from "../lib/model/stacks";
import { REQUIRED_TAG_KEYS } from "../lib/model/tags";
import { type PolicyConfigJSONSchema } from "@pulumi/policy/schema";
import {
  type PackPolicy,
  UNKNOWN,
  effectiveTags,
  environmentsText,
  nonEmptyString,
  stackPolicy,
} from "./common";
import { T } from "./types";

/**
 * Resource types (of those this repository uses or may use) that take tags, so that AWS
 * provider default tags apply to them. types.test.ts checks this list against @pulumi/aws.
 */
export const TAGGABLE_TYPES: readonly string[] = [
  T.kmsKey,
  T.bucket,
  T.bucketV2,
  T.bucketObjectv2,
  T.bucketObject,
  T.iamPolicy,
  T.iamUser,
  T.snsTopic,
  T.lambdaFunction,
  T.iamRole,
  T.logGroup,
  T.metricAlarm,
  T.eventRule,
  T.dmsEndpoint,
  T.dmsS3Endpoint,
  T.dmsReplicationInstance,
  T.dmsReplicationTask,
  T.dmsReplicationSubnetGroup,
  T.dmsEventSubscription,
  T.securityGroup,
  T.vpcEndpoint,
  T.vpcEgressRule,
  T.vpcIngressRule,
  T.glueCatalogDatabase,
  T.secretsManagerSecret,
  T.sqsQueue,
];

/** The required tag keys as a policy config option (lib/model/tags.ts gives the default). */
export function requiredTagsConfig(description: string): PolicyConfigJSONSchema {
  return {
    type: "array",
    items: { type: "string", minLength: 1 },
    minItems: 1,
    uniqueItems: true,
    default: [...REQUIRED_TAG_KEYS],
    description,
  };
}

const requiredTags = stackPolicy<{ requiredTags: string[]; additionalTaggableTypes: string[] }>({
  name: "required-tags",
  description:
    "Every taggable resource carries the required tags, set on the resource or (as this repository does) through its AWS provider's defaultTags.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Create the resource with the stack's provider (ctx.provider, or ctx.componentOptions for a component), whose defaultTags carry the required tags.",
  config: {
    requiredTags: requiredTagsConfig("Tag keys every taggable resource must carry."),
    additionalTaggableTypes: {
      type: "array",
      items: { type: "string", pattern: "^[a-z0-9-]+:[A-Za-z0-9/]+:[A-Za-z0-9]+$" },
      uniqueItems: true,
      default: [],
      description: "Type tokens to check besides the built-in list of taggable types.",
    },
  },
  resourceTypes: TAGGABLE_TYPES,
  validate: (judge) => {
    const types = [...TAGGABLE_TYPES, ...judge.config.additionalTaggableTypes];
    judge.each(judge.stack.ofType(...new Set(types)), (r) => {
      const tags = effectiveTags(r);
      if (tags === UNKNOWN)
        return judge.cannotJudge(r, "its tags, which are unknown during preview");
      const missing = judge.config.requiredTags.filter((k) => !nonEmptyString(tags[k]));
      if (missing.length > 0) {
        judge.fail(
          r,
          `it lacks the tag${missing.length > 1 ? "s" : ""} ${missing.join(", ")} (neither its tags nor its provider's defaultTags set ${missing.length > 1 ? "them" : "it"})`,
          "create it with the stack's provider (ctx.provider, or ctx.componentOptions for a component), whose defaultTags carry the required tags",
        );
      }
    });
  },
});

export const DEFAULT_STATEFUL_TYPES = [
  T.bucket,
  T.bucketV2,
  T.kmsKey,
  T.glueCatalogDatabase,
  T.dmsReplicationTask,
];

const statefulProtected = stackPolicy<{ statefulTypes: string[]; protectedEnvironments: string[] }>(
  {
    name: "stateful-resources-protected",
    description: `In environments that hold real data (${environmentsText(PROTECTED_ENVIRONMENTS)}), stateful resources (buckets, KMS keys, Glue databases, the DMS replication task) are protected, so that no update or destroy can delete them.`,
    enforcementLevel: "mandatory",
    remediationSteps:
      "Create the resource with { protect: true, retainOnDelete: true } (lib/infra/context.ts statefulOptions).",
    config: {
      statefulTypes: {
        type: "array",
        items: { type: "string", pattern: "^[a-z0-9-]+:[A-Za-z0-9/]+:[A-Za-z0-9]+$" },
        uniqueItems: true,
        default: DEFAULT_STATEFUL_TYPES,
        description: "Type tokens of the resources that must be protected.",
      },
      protectedEnvironments: {
        type: "array",
        items: { type: "string", minLength: 1 },
        uniqueItems: true,
        default: [...PROTECTED_ENVIRONMENTS],
        description: "Environments (from the stack name) in which they must be protected.",
      },
    },
    resourceTypes: DEFAULT_STATEFUL_TYPES,
    validate: (judge) => {
      judge.each(judge.stack.ofType(...judge.config.statefulTypes), (r) => {
        const env = judge.environment(r);
        if (env === undefined) {
          if (!r.opts.protect)
            judge.cannotJudge(r, "whether it must be protected: the stack name is unknown");
          return;
        }
        if (judge.config.protectedEnvironments.includes(env) && !r.opts.protect) {
          judge.fail(
            r,
            `it holds ${env} data but is not protected`,
            "create it with { protect: true, retainOnDelete: true } (statefulOptions in lib/infra/context.ts)",
          );
        }
      });
    },
  },
);

export const stackPolicies: PackPolicy[] = [requiredTags, statefulProtected];
