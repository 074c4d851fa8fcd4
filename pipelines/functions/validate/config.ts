/** The validation Lambda's settings, read once from its environment variables. */
import { ENVIRONMENTS, isEnvironment, type Environment } from "../../../lib/stacks";
import type { UnknownColumnsMode } from "./checks";
import { EnvironmentError } from "../../../lib/lambda/environmentError";

export interface ValidateConfig {
  readonly rawHistoryBucket: string;
  readonly failBucket: string;
  readonly metadataBucket: string;
  readonly alertsTopicArn: string;
  readonly environment: Environment;
  /** What an unknown column does to a file: `fail` (default) or `warn`. */
  readonly unknownColumns: UnknownColumnsMode;
  /** The Lambda's region (AWS_REGION), for console links in alerts. */
  readonly region: string | null;
}

const REQUIRED = {
  RAW_HISTORY_BUCKET: "the raw-history bucket name",
  FAIL_BUCKET: "the fail bucket name",
  METADATA_BUCKET: "the metadata bucket name",
  ALERTS_TOPIC_ARN: "the alerts SNS topic ARN",
} as const;

export function readConfig(env: Readonly<Record<string, string | undefined>>): ValidateConfig {
  const problems: string[] = [];
  const value = (name: keyof typeof REQUIRED): string => {
    const v = env[name]?.trim();
    if (!v) problems.push(`${name} is not set; expected ${REQUIRED[name]}`);
    return v ?? "";
  };
  const rawHistoryBucket = value("RAW_HISTORY_BUCKET");
  const failBucket = value("FAIL_BUCKET");
  const metadataBucket = value("METADATA_BUCKET");
  const alertsTopicArn = value("ALERTS_TOPIC_ARN");
  const environment = env.ENVIRONMENT?.trim() ?? "";
  if (!isEnvironment(environment)) {
    problems.push(
      `ENVIRONMENT is ${JSON.stringify(env.ENVIRONMENT ?? null)}; expected one of ${ENVIRONMENTS.join(", ")}`,
    );
  }
  const unknownColumns = (env.UNKNOWN_COLUMNS?.trim() || "fail").toLowerCase();
  if (unknownColumns !== "fail" && unknownColumns !== "warn") {
    problems.push(
      `UNKNOWN_COLUMNS is ${JSON.stringify(env.UNKNOWN_COLUMNS)}; expected "fail" (the default) or "warn"`,
    );
  }
  if (problems.length > 0)
    throw new EnvironmentError(
      "validate",
      problems,
      "the pipelines project sets them in pipelines/dmsPipeline.ts",
    );
  return {
    rawHistoryBucket,
    failBucket,
    metadataBucket,
    alertsTopicArn,
    environment: environment as Environment,
    unknownColumns: unknownColumns as UnknownColumnsMode,
    region: env.AWS_REGION?.trim() || null,
  };
}
