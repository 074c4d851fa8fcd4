/**
 * The notifier Lambda: subscribed to the alerts SNS topic, it posts validation failures,
 * CloudWatch alarms, DMS events and any other message to Slack through an incoming webhook
 * whose URL is in a Secrets Manager secret. See pipelines/functions/README.md.
 */
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { createLogger, type Logger } from "../../../lib/lambda/log";
import { readNotifyConfig } from "../../../lib/contracts/notifyEnv";
import { notify, type NotifyDeps, type Posted } from "./notify";
import type { PostOptions } from "./post";
import { secretsManagerSource, WebhookUrlCache, type SecretSource } from "./secret";

export interface NotifyOverrides {
  /** Default: Secrets Manager through a client from the environment. */
  readonly secrets?: SecretSource;
  readonly logger?: Logger;
  readonly post?: PostOptions;
}

export function createNotifyDeps(
  env: Readonly<Record<string, string | undefined>> = process.env,
  overrides: NotifyOverrides = {},
): NotifyDeps {
  const config = readNotifyConfig(env);
  const secrets = overrides.secrets ?? secretsManagerSource(new SecretsManagerClient({}));
  return {
    config,
    webhook: new WebhookUrlCache(secrets, config.secretName),
    logger: overrides.logger ?? createLogger(),
    post: overrides.post,
  };
}

export function makeHandler(deps: () => NotifyDeps): (event: unknown) => Promise<Posted[]> {
  return (event) => notify(event, deps());
}

// Built on the first invocation and kept for the container's life.
let cached: NotifyDeps | undefined;
export const handler = makeHandler(() => (cached ??= createNotifyDeps()));
