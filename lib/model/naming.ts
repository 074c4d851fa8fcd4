/**
 * Names that more than one project (or another repository) relies on. Changing one renames
 * real AWS resources, usually by replacing them: read the comment before you do.
 */
import { type Database, type Environment } from "./stacks";

/** Prefix of IAM role, Lambda and DMS identifiers owned by this repository. */
export const NAME_PREFIX = "dataeng";

/**
 * Account-level DMS prerequisites owned by pipelines_base and used by pipelines (the implicit
 * edge of the graph). DMS itself looks the two roles up by these exact names.
 */
export const DMS_SHARED_NAMES = {
  vpcRole: "dms-vpc-role",
  cloudwatchLogsRole: "dms-cloudwatch-logs-role",
  replicationSubnetGroup: `${NAME_PREFIX}-dms-replication`,
  securityGroup: `${NAME_PREFIX}-dms-replication`,
} as const;

/** core's buckets: `<prefix>-<purpose>-<env>`, for example `mojap-dataeng-raw-history-dev`. */
export const bucketName = (prefix: string, purpose: string, env: Environment) =>
  `${prefix}-${purpose}-${env}`;

/**
 * The role DMS uses to write to the landing bucket. data-engineering-infra's landing bucket
 * policy grants this role's ARN: replacing the role means recreating that policy.
 */
export const dmsRoleName = (db: Database, env: Environment) => `${NAME_PREFIX}-${db}-dms-${env}`;

/** Logical-name suffix of the dmsRole resource, used by previews to warn about replacements. */
export const DMS_ROLE_SUFFIX = "-dms-role";

/** DMS identifiers: lower case letters, digits and hyphens. */
export const dmsIdentifier = (db: Database, env: Environment, what: string) =>
  `${db}-${env}-${what}`;

/** Glue database names may not contain hyphens. */
export const glueDatabaseName = (db: Database, env: Environment) => `${db}_${env}`;

export const functionName = (what: string, env: Environment) => `${NAME_PREFIX}-${what}-${env}`;
