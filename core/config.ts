import { z } from "zod";
import { configInteger, configLogRetentionDays, configString } from "../lib/infra/config";

/**
 * core's config keys (`core:<key>` in Pulumi.core-<env>.yaml), in sections: each is what one
 * module of the program takes (its args type is the section's z.infer), and each default lives
 * here only. The stack files list only what differs from these defaults. README.md lists them.
 */

/** The data key (core/dataKey.ts). */
export const keyConfig = {
  /** Days before a scheduled KMS key deletion takes effect. */
  kmsDeletionWindowDays: configInteger(7, 30).default(30),
} satisfies z.ZodRawShape;

/** The lake's buckets (core/buckets.ts). */
export const bucketsConfig = {
  /** Start of every bucket name: `<prefix>-<purpose>-<env>`. */
  bucketNamePrefix: configString("a bucket name prefix such as mojap-dataeng").regex(
    /^[a-z0-9][a-z0-9-]{1,30}[a-z0-9]$/,
    {
      error: "expected 3 to 32 lower-case letters, digits or hyphens, such as mojap-dataeng",
    },
  ),
  /** Days to keep noncurrent object versions in the data buckets. */
  noncurrentVersionRetentionDays: configInteger(1, 3650).default(90),
  /** Days to keep S3 server access logs. */
  accessLogRetentionDays: configInteger(1, 3650).default(365),
} satisfies z.ZodRawShape;

/** The Slack notifier (core/notifier.ts). */
export const notifierConfig = {
  /** Days to keep the notifier Lambda's logs. */
  logRetentionDays: configLogRetentionDays().default(90),
  /** Secrets Manager secret holding the Slack incoming-webhook URL (created by hand, never in git). */
  slackWebhookSecretName: configString("the name of a Secrets Manager secret"),
} satisfies z.ZodRawShape;

/** Every key of the namespace, as the program reads them. */
export const coreConfig = {
  ...bucketsConfig,
  ...keyConfig,
  ...notifierConfig,
} satisfies z.ZodRawShape;

type Parsed<S extends z.ZodRawShape> = z.infer<z.ZodObject<S>>;
export type KeyConfig = Parsed<typeof keyConfig>;
export type BucketsConfig = Parsed<typeof bucketsConfig>;
export type NotifierConfig = Parsed<typeof notifierConfig>;
