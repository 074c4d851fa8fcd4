/** The validation Lambda's settings, read once from its environment variables. */
import { ENVIRONMENTS, isEnvironment, type Environment } from "../../../lib/model/stacks";
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
  /** For the scheduled sweep: set together (LANDING_BUCKET, DATABASE, LANDING_MAX_AGE_MINUTES). */
  readonly sweep?: { landingBucket: string; database: string; maxAgeMinutes: number };
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
  let sweep: ValidateConfig["sweep"];
  const sweepVars = ["LANDING_BUCKET", "DATABASE", "LANDING_MAX_AGE_MINUTES"] as const;
  const setVars = sweepVars.filter((n) => env[n]?.trim());
  if (setVars.length > 0) {
    const age = Number(env.LANDING_MAX_AGE_MINUTES);
    if (setVars.length < sweepVars.length)
      problems.push(
        `${sweepVars.filter((n) => !setVars.includes(n)).join(", ")} not set; the landing sweep needs all of ${sweepVars.join(", ")}`,
      );
    else if (!Number.isInteger(age) || age < 1)
      problems.push(
        `LANDING_MAX_AGE_MINUTES is ${JSON.stringify(env.LANDING_MAX_AGE_MINUTES)}; expected a whole number of minutes, at least 1`,
      );
    else
      sweep = {
        landingBucket: env.LANDING_BUCKET!.trim(),
        database: env.DATABASE!.trim(),
        maxAgeMinutes: age,
      };
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
    ...(sweep ? { sweep } : {}),
  };
}
