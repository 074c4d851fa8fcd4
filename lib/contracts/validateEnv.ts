/**
 * The validation Lambda's environment (pipelines/functions/validate): the pipelines program
 * builds it with buildEnvironment(VALIDATE_ENV, ...) and the Lambda reads it with
 * readValidateConfig, both from this one schema.
 */
import { z } from "zod";
import type { Environment } from "../model/stacks";
import {
  environmentVar,
  optionalVar,
  parseEnvironment,
  requiredVar,
  type Env,
  type LambdaEnvironment,
} from "./lambdaEnv";

/** What an unknown column does to a file: `fail` (the default) or `warn`. */
export const UNKNOWN_COLUMNS_MODES = ["fail", "warn"] as const;
export type UnknownColumnsMode = (typeof UNKNOWN_COLUMNS_MODES)[number];

const unknownColumnsMode = (v: string | undefined) => (v?.trim() || "fail").toLowerCase();

/** The scheduled landing sweep's variables (pipelines/landingSweep.ts): all three or none. */
const SWEEP_VARS = ["LANDING_BUCKET", "DATABASE", "LANDING_MAX_AGE_MINUTES"] as const;

const schema = z
  .object({
    RAW_HISTORY_BUCKET: requiredVar("RAW_HISTORY_BUCKET", "the raw-history bucket name"),
    FAIL_BUCKET: requiredVar("FAIL_BUCKET", "the fail bucket name"),
    METADATA_BUCKET: requiredVar("METADATA_BUCKET", "the metadata bucket name"),
    ALERTS_TOPIC_ARN: requiredVar("ALERTS_TOPIC_ARN", "the alerts SNS topic ARN"),
    ENVIRONMENT: environmentVar(),
    UNKNOWN_COLUMNS: z
      .string()
      .optional()
      .refine((v) => (UNKNOWN_COLUMNS_MODES as readonly string[]).includes(unknownColumnsMode(v)), {
        error: (issue) =>
          `UNKNOWN_COLUMNS is ${JSON.stringify(issue.input)}; expected "fail" (the default) or "warn"`,
      })
      .transform((v) => unknownColumnsMode(v) as UnknownColumnsMode),
    LANDING_BUCKET: optionalVar(),
    DATABASE: optionalVar(),
    /** Kept as written, so that an error quotes it exactly. */
    LANDING_MAX_AGE_MINUTES: z.string().optional(),
  })
  .superRefine(
    (env, ctx) => {
      const set = SWEEP_VARS.filter((n) => env[n]?.trim());
      if (set.length === 0) return;
      const age = Number(env.LANDING_MAX_AGE_MINUTES);
      if (set.length < SWEEP_VARS.length)
        ctx.addIssue({
          code: "custom",
          message: `${SWEEP_VARS.filter((n) => !set.includes(n)).join(", ")} not set; the landing sweep needs all of ${SWEEP_VARS.join(", ")}`,
        });
      else if (!Number.isInteger(age) || age < 1)
        ctx.addIssue({
          code: "custom",
          message: `LANDING_MAX_AGE_MINUTES is ${JSON.stringify(env.LANDING_MAX_AGE_MINUTES)}; expected a whole number of minutes, at least 1`,
        });
    },
    // Checked even when another variable is wrong: the error names every problem at once.
    { when: () => true },
  );

export const VALIDATE_ENV: LambdaEnvironment<typeof schema> = {
  functionName: "validate",
  whereSet: "the pipelines project sets them in pipelines/dmsPipeline.ts",
  schema,
};

export interface ValidateConfig {
  readonly rawHistoryBucket: string;
  readonly failBucket: string;
  readonly metadataBucket: string;
  readonly alertsTopicArn: string;
  readonly environment: Environment;
  /** What an unknown column does to a file: `fail` (default) or `warn`. */
  readonly unknownColumns: UnknownColumnsMode;
  /** The Lambda's region (AWS_REGION, set by the Lambda runtime), for console links in alerts. */
  readonly region: string | null;
  /** For the scheduled sweep: set together (LANDING_BUCKET, DATABASE, LANDING_MAX_AGE_MINUTES). */
  readonly sweep?: { landingBucket: string; database: string; maxAgeMinutes: number };
}

/** The validation Lambda's settings, read once from its environment variables. */
export function readValidateConfig(env: Env): ValidateConfig {
  const v = parseEnvironment(VALIDATE_ENV, env);
  return {
    rawHistoryBucket: v.RAW_HISTORY_BUCKET,
    failBucket: v.FAIL_BUCKET,
    metadataBucket: v.METADATA_BUCKET,
    alertsTopicArn: v.ALERTS_TOPIC_ARN,
    environment: v.ENVIRONMENT,
    unknownColumns: v.UNKNOWN_COLUMNS,
    region: env.AWS_REGION?.trim() || null,
    ...(v.LANDING_BUCKET && v.DATABASE
      ? {
          sweep: {
            landingBucket: v.LANDING_BUCKET,
            database: v.DATABASE,
            maxAgeMinutes: Number(v.LANDING_MAX_AGE_MINUTES),
          },
        }
      : {}),
  };
}
