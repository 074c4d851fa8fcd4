/**
 * The notifier Lambda's environment (core/functions/notify): the core program builds it with
 * buildEnvironment(NOTIFY_ENV, ...) and the Lambda reads it with readNotifyConfig.
 */
import { z } from "zod";
import {
  environmentVar,
  parseEnvironment,
  requiredVar,
  type Env,
  type LambdaEnvironment,
} from "./lambdaEnv";

const schema = z.object({
  SLACK_WEBHOOK_SECRET_NAME: requiredVar(
    "SLACK_WEBHOOK_SECRET_NAME",
    "the name of the secret holding the Slack webhook URL",
  ),
  ENVIRONMENT: environmentVar(),
});

export const NOTIFY_ENV: LambdaEnvironment<typeof schema> = {
  functionName: "notify",
  whereSet: "the core project sets them in core/program.ts",
  schema,
};

export interface NotifyConfig {
  readonly secretName: string;
  readonly environment: string;
  /** AWS_REGION, set by the Lambda runtime; eu-west-2 when absent. */
  readonly region: string;
}

export function readNotifyConfig(env: Env): NotifyConfig {
  const v = parseEnvironment(NOTIFY_ENV, env);
  return {
    secretName: v.SLACK_WEBHOOK_SECRET_NAME,
    environment: v.ENVIRONMENT,
    region: env.AWS_REGION?.trim() || "eu-west-2",
  };
}
