import { z } from "zod";
import { configInteger, configLogRetentionDays, configString } from "../lib/infra/config";

/** core's config keys (`core:<key>` in Pulumi.core-<env>.yaml). README.md lists them. */
export const coreConfig = {
  /** Start of every bucket name: `<prefix>-<purpose>-<env>`. */
  bucketNamePrefix: configString("a bucket name prefix such as mojap-dataeng").regex(
    /^[a-z0-9][a-z0-9-]{1,30}[a-z0-9]$/,
    {
      error: "expected 3 to 32 lower-case letters, digits or hyphens, such as mojap-dataeng",
    },
  ),
  /** Days before a scheduled KMS key deletion takes effect. */
  kmsDeletionWindowDays: configInteger(7, 30).default(30),
  /** Days to keep noncurrent object versions in the data buckets. */
  noncurrentVersionRetentionDays: configInteger(1, 3650).default(90),
  /** Days to keep S3 server access logs. */
  accessLogRetentionDays: configInteger(1, 3650).default(365),
  /** Days to keep the notifier Lambda's logs. */
  logRetentionDays: configLogRetentionDays().default(90),
  /** Secrets Manager secret holding the Slack incoming-webhook URL (created by hand, never in git). */
  slackWebhookSecretName: configString("the name of a Secrets Manager secret"),
} satisfies z.ZodRawShape;
