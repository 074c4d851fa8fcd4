/** The AWS provider: where every resource's default tags and region come from. */
import { ENVIRONMENTS } from "../lib/model/stacks";
import {
  type PackPolicy,
  PRODUCTION_ENVIRONMENTS,
  UNKNOWN,
  nonEmptyString,
  providerDefaultTags,
  read,
  resourcePolicyForType,
} from "./common";
import { requiredTagsConfig } from "./stack";
import { T } from "./types";

const defaultTags = resourcePolicyForType<{
  requiredTags: string[];
  environments: string[];
  productionEnvironments: string[];
}>({
  name: "aws-provider-default-tags",
  description:
    "The AWS provider sets the required tags as defaultTags, with an environment tag naming a known environment and an is-production tag that agrees with it.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Create the provider with defaultTags: { tags: defaultTags(project, env) } from lib/model/tags.ts (lib/infra/context.ts does).",
  config: {
    requiredTags: requiredTagsConfig("Tag keys every provider's defaultTags must set."),
    environments: {
      type: "array",
      items: { type: "string", minLength: 1 },
      minItems: 1,
      uniqueItems: true,
      default: [...ENVIRONMENTS],
      description: "Values the environment tag may take.",
    },
    productionEnvironments: {
      type: "array",
      items: { type: "string", minLength: 1 },
      uniqueItems: true,
      default: [...PRODUCTION_ENVIRONMENTS],
      description: 'Environments whose is-production tag must be "true".',
    },
  },
  type: T.awsProvider,
  validate: (props, judge) => {
    const tags = providerDefaultTags({ props });
    if (tags === UNKNOWN)
      return judge.cannotJudge("its defaultTags, which are unknown during preview");
    const fix =
      "create the provider with defaultTags: { tags: defaultTags(project, env) } from lib/model/tags.ts";
    const missing = judge.config.requiredTags.filter((k) => !nonEmptyString(tags[k]));
    if (missing.length > 0) judge.fail(`its defaultTags lack ${missing.join(", ")}`, fix);
    const env = tags["environment"];
    if (nonEmptyString(env)) {
      if (!judge.config.environments.includes(env)) {
        judge.fail(
          `its environment tag ${JSON.stringify(env)} is not one of ${judge.config.environments.join(", ")}`,
          fix,
        );
      }
      const expected = String(judge.config.productionEnvironments.includes(env));
      const actual = tags["is-production"];
      if (nonEmptyString(actual) && actual !== expected) {
        judge.fail(
          `its is-production tag is ${JSON.stringify(actual)} but environment ${env} means "${expected}"`,
          fix,
        );
      }
    }
  },
});

const region = resourcePolicyForType<{ allowedRegions: string[] }>({
  name: "aws-provider-allowed-region",
  description: "The AWS provider deploys to an allowed region only (the data is UK personal data).",
  enforcementLevel: "mandatory",
  remediationSteps: "Set aws:region in the stack file to an allowed region (eu-west-2).",
  config: {
    allowedRegions: {
      type: "array",
      items: { type: "string", pattern: "^[a-z]{2}(-[a-z]+)+-\\d$" },
      minItems: 1,
      uniqueItems: true,
      default: ["eu-west-2"],
      description: "Regions providers may deploy to.",
    },
  },
  type: T.awsProvider,
  validate: (props, judge) => {
    const value = read(props, "region");
    if (value === UNKNOWN) return judge.cannotJudge("its region, which is unknown during preview");
    if (!nonEmptyString(value)) {
      return judge.cannotJudge(
        "its region: it is not set on the provider (it comes from the environment)",
      );
    }
    if (!judge.config.allowedRegions.includes(value)) {
      judge.fail(
        `it deploys to ${value}`,
        `set aws:region to one of ${judge.config.allowedRegions.join(", ")} in the stack file`,
      );
    }
  },
});

export const providerPolicies: PackPolicy[] = [defaultTags, region];
