import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { buildEnvironment } from "../lib/contracts/lambdaEnv";
import { NOTIFY_ENV } from "../lib/contracts/notifyEnv";
import { firstOccurrenceAlarm } from "../lib/infra/alarms";
import { NodeLambda } from "../lib/infra/components/nodeLambda";
import { SecureBucket } from "../lib/infra/components/secureBucket";
import { stackContext, statefulOptions } from "../lib/infra/context";
import { policyDocument, type Statement } from "../lib/infra/iam";
import { bucketName, functionName } from "../lib/model/naming";
import { coreConfig } from "./config";
import { keyPolicy } from "./keyPolicy";

/** core: the KMS key, the lake's buckets, and the alerts topic with its Slack notifier. */
export function coreProgram() {
  const ctx = stackContext("core", coreConfig);
  const { config, env } = ctx;
  const opts = { provider: ctx.provider };
  const account = aws.getCallerIdentityOutput({}, opts).accountId;

  const key = new aws.kms.Key(
    "data-key",
    {
      description: `Encrypts the data-engineering DMS pipeline buckets, topic and logs (${env})`,
      enableKeyRotation: true,
      deletionWindowInDays: config.kmsDeletionWindowDays,
      policy: keyPolicy(account, ctx.region),
    },
    { ...opts, ...statefulOptions(ctx.protectStateful) },
  );
  new aws.kms.Alias(
    "data-key-alias",
    { name: `alias/dataeng-${env}`, targetKeyId: key.keyId },
    opts,
  );

  const bucketOptions = { ...ctx.componentOptions };
  const forceDestroy = !ctx.protectStateful;
  const accessLogs = new SecureBucket(
    "access-logs",
    {
      bucketName: bucketName(config.bucketNamePrefix, "access-logs", env),
      expireAfterDays: config.accessLogRetentionDays,
      noncurrentVersionRetentionDays: 1,
      forceDestroy,
      protect: ctx.protectStateful,
      // S3 server access logging delivers with this service principal, from this account only.
      extraPolicyStatements: account.apply((accountId): Statement[] => [
        {
          Sid: "S3ServerAccessLogsDelivery",
          Effect: "Allow",
          Principal: { Service: "logging.s3.amazonaws.com" },
          Action: "s3:PutObject",
          Resource: `arn:aws:s3:::${bucketName(config.bucketNamePrefix, "access-logs", env)}/*`,
          Condition: { StringEquals: { "aws:SourceAccount": accountId } },
        },
      ]),
    },
    bucketOptions,
  );
  const dataBucket = (purpose: string) =>
    new SecureBucket(
      purpose,
      {
        bucketName: bucketName(config.bucketNamePrefix, purpose, env),
        kmsKeyArn: key.arn,
        accessLogBucketName: accessLogs.name,
        noncurrentVersionRetentionDays: config.noncurrentVersionRetentionDays,
        forceDestroy,
        protect: ctx.protectStateful,
      },
      bucketOptions,
    );
  const rawHistory = dataBucket("raw-history");
  const fail = dataBucket("fail");
  const metadata = dataBucket("metadata");

  const alerts = new aws.sns.Topic(
    "alerts",
    { name: `dataeng-alerts-${env}`, kmsMasterKeyId: key.arn },
    opts,
  );
  // CloudWatch alarms and EventBridge rules (DMS events, pipelines/dmsPipeline.ts) publish as
  // services, from this account only ("Using resource-based policies for Amazon EventBridge",
  // EventBridge User Guide: an SNS target needs events.amazonaws.com allowed sns:Publish).
  new aws.sns.TopicPolicy(
    "alerts-policy",
    {
      arn: alerts.arn,
      policy: pulumi.all([alerts.arn, account]).apply(([topicArn, accountId]) =>
        policyDocument([
          {
            Sid: "AccountPublishes",
            Effect: "Allow",
            Principal: { AWS: `arn:aws:iam::${accountId}:root` },
            Action: ["sns:Publish", "sns:Subscribe", "sns:GetTopicAttributes"],
            Resource: topicArn,
          },
          {
            Sid: "ServicesPublishAlerts",
            Effect: "Allow",
            Principal: { Service: ["cloudwatch.amazonaws.com", "events.amazonaws.com"] },
            Action: "sns:Publish",
            Resource: topicArn,
            Condition: { StringEquals: { "aws:SourceAccount": accountId } },
          },
        ]),
      ),
    },
    opts,
  );

  // Alerts that could not be posted to Slack after Lambda's retries wait here (14 days).
  const undelivered = new aws.sqs.Queue(
    "notify-failures",
    {
      name: `dataeng-notify-failures-${env}`,
      kmsMasterKeyId: key.arn,
      messageRetentionSeconds: 14 * 24 * 3600,
    },
    opts,
  );

  // An alert that could not be delivered is an alert itself. It goes to the topic too (it
  // reaches Slack once Slack answers again) and shows as ALARM in the CloudWatch console.
  firstOccurrenceAlarm(
    "notify-failures-alarm",
    {
      name: `dataeng-notify-failures-${env}`,
      alarmDescription: `Alerts (${env}) could not be posted to Slack and wait in the queue dataeng-notify-failures-${env}; see core/README.md "Undelivered alerts"`,
      namespace: "AWS/SQS",
      metricName: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: undelivered.name },
      statistic: "Maximum",
      alarmActions: [alerts.arn],
      okActions: [alerts.arn],
    },
    opts,
  );

  const notifier = new NodeLambda(
    "notify",
    {
      functionName: functionName("notify", env),
      entry: "core/functions/notify/index.ts",
      description: `Posts data-engineering pipeline alerts (${env}) to Slack`,
      environment: buildEnvironment(NOTIFY_ENV, {
        SLACK_WEBHOOK_SECRET_NAME: config.slackWebhookSecretName,
        ENVIRONMENT: env,
      }),
      statements: pulumi
        .all([account, undelivered.arn, key.arn])
        .apply(([accountId, queueArn, keyArn]): Statement[] => [
          {
            Sid: "KeepUndeliveredAlerts",
            Effect: "Allow",
            Action: ["sqs:SendMessage"],
            Resource: queueArn,
          },
          {
            Sid: "EncryptUndeliveredAlerts",
            Effect: "Allow",
            Action: ["kms:GenerateDataKey"],
            Resource: keyArn,
          },
          {
            Sid: "ReadSlackWebhook",
            Effect: "Allow",
            Action: ["secretsmanager:GetSecretValue"],
            // Secrets Manager appends six random characters to a secret's ARN.
            Resource: `arn:aws:secretsmanager:${ctx.region}:${accountId}:secret:${config.slackWebhookSecretName}-??????`,
          },
        ]),
      kmsKeyArn: key.arn,
      logRetentionDays: config.logRetentionDays,
      timeout: 120,
      memorySize: 256,
      accountId: account,
      onFailureDestinationArn: undelivered.arn,
    },
    ctx.componentOptions,
  );
  new aws.lambda.Permission(
    "notify-from-alerts",
    {
      function: notifier.name,
      action: "lambda:InvokeFunction",
      principal: "sns.amazonaws.com",
      sourceArn: alerts.arn,
    },
    opts,
  );
  new aws.sns.TopicSubscription(
    "notify-subscription",
    { topic: alerts.arn, protocol: "lambda", endpoint: notifier.arn },
    opts,
  );

  return {
    kmsKeyArn: key.arn,
    kmsKeyId: key.keyId,
    rawHistoryBucketName: rawHistory.name,
    rawHistoryBucketArn: rawHistory.arn,
    failBucketName: fail.name,
    failBucketArn: fail.arn,
    metadataBucketName: metadata.name,
    metadataBucketArn: metadata.arn,
    accessLogsBucketName: accessLogs.name,
    alertsTopicArn: alerts.arn,
    alertsTopicName: alerts.name,
    notifyFunctionName: notifier.name,
    notifyFailuresQueueUrl: undelivered.url,
  };
}

export type CoreOutputs = ReturnType<typeof coreProgram>;
