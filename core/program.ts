import * as aws from "@pulumi/aws";
import { configSection } from "../lib/infra/config";
import { stackContext } from "../lib/infra/context";
import { alertsTopic } from "./alertsTopic";
import { lakeBuckets } from "./buckets";
import { bucketsConfig, coreConfig, keyConfig, notifierConfig } from "./config";
import { dataKey } from "./dataKey";
import { notifier } from "./notifier";
import { type CoreScope } from "./scope";

/** core: the KMS key, the lake's buckets, and the alerts topic with its Slack notifier. */
export function coreProgram() {
  const ctx = stackContext("core", coreConfig);
  const { config } = ctx;
  const opts = { provider: ctx.provider };
  const scope: CoreScope = {
    env: ctx.env,
    region: ctx.region,
    account: aws.getCallerIdentityOutput({}, opts).accountId,
    protect: ctx.protectStateful,
    opts,
    componentOptions: { ...ctx.componentOptions },
  };

  const key = dataKey(scope, configSection(config, keyConfig));
  const buckets = lakeBuckets(scope, configSection(config, bucketsConfig), key);
  const alerts = alertsTopic(scope, key);
  const notify = notifier(scope, configSection(config, notifierConfig), key, alerts);

  return {
    kmsKeyArn: key.arn,
    kmsKeyId: key.keyId,
    rawHistoryBucketName: buckets.rawHistory.name,
    rawHistoryBucketArn: buckets.rawHistory.arn,
    failBucketName: buckets.fail.name,
    failBucketArn: buckets.fail.arn,
    metadataBucketName: buckets.metadata.name,
    metadataBucketArn: buckets.metadata.arn,
    accessLogsBucketName: buckets.accessLogs.name,
    alertsTopicArn: alerts.arn,
    alertsTopicName: alerts.name,
    notifyFunctionName: notify.lambda.name,
    notifyFailuresQueueUrl: notify.undelivered.url,
  };
}

export type CoreOutputs = ReturnType<typeof coreProgram>;
