/** The tags every taggable resource gets, through the AWS provider's defaultTags. */
import { type Environment, type Project } from "./stacks";

export const REPOSITORY_URL = "https://github.com/ministryofjustice/data-engineering-pulumi";

/** Tag keys that the policy pack requires on every taggable resource. */
export const REQUIRED_TAG_KEYS = [
  "business-unit",
  "application",
  "owner",
  "environment",
  "is-production",
  "source-code",
] as const;

export type DefaultTags = Record<(typeof REQUIRED_TAG_KEYS)[number], string>;

export function defaultTags(project: Project, env: Environment): DefaultTags {
  return {
    "business-unit": "Platforms",
    application: "data-engineering-dms-pipelines",
    owner: "Data Engineering: dataengineering@digital.justice.gov.uk",
    environment: env,
    "is-production": String(env === "prod"),
    "source-code": `${REPOSITORY_URL}/tree/main/${project}`,
  };
}
