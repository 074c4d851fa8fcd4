import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { buildEnvironment } from "../lib/contracts/lambdaEnv";
import { NOTIFY_ENV } from "../lib/contracts/notifyEnv";
import { NodeLambda } from "../lib/infra/components/nodeLambda";
import { type Statement } from "../lib/infra/iam";
import { alarmedQueue } from "../lib/infra/queues";
import { functionName } from "../lib/model/naming";
import { type Environment } from "../lib/model/stacks";
import { type NotifierConfig } from "./config";
import { type CoreScope } from "./scope";

/** The notifier's environment, typed by its contract (lib/contracts/notifyEnv.ts, which the Lambda parses). */
export function notifierEnvironment(env: Environment, config: NotifierConfig) {
  return buildEnvironment(NOTIFY_ENV, {
    SLACK_WEBHOOK_SECRET_NAME: config.slackWebhookSecretName,
    ENVIRONMENT: env,
  });
}

/**
 * The Lambda that posts each alert of the topic to Slack, and the queue where alerts it could
 * not post after Lambda's retries wait (14 days). An alert that could not be delivered is an
 * alert itself: the queue's alarm goes to the topic too (it reaches Slack once Slack answers
 * again) and shows as ALARM in the CloudWatch console.
 */
export function notifier(
  scope: CoreScope,
  config: NotifierConfig,
  key: aws.kms.Key,
  alerts: aws.sns.Topic,
) {
  const { env, opts } = scope;
  const undelivered = alarmedQueue(
    "notify-failures",
    {
      queueName: `dataeng-notify-failures-${env}`,
      kmsKeyArn: key.arn,
      alarm: {
        logicalName: "notify-failures-alarm",
        name: `dataeng-notify-failures-${env}`,
        description: `Alerts (${env}) could not be posted to Slack and wait in the queue dataeng-notify-failures-${env}; see core/README.md "Undelivered alerts"`,
        actions: [alerts.arn],
        okActions: [alerts.arn],
      },
    },
    opts,
  );
  const lambda = new NodeLambda(
    "notify",
    {
      functionName: functionName("notify", env),
      entry: "core/functions/notify/index.ts",
      description: `Posts data-engineering pipeline alerts (${env}) to Slack`,
      environment: notifierEnvironment(env, config),
      statements: pulumi
        .all([scope.account, undelivered.arn, key.arn])
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
            Resource: `arn:aws:secretsmanager:${scope.region}:${accountId}:secret:${config.slackWebhookSecretName}-??????`,
          },
        ]),
      kmsKeyArn: key.arn,
      logRetentionDays: config.logRetentionDays,
      timeout: 120,
      memorySize: 256,
      accountId: scope.account,
      onFailureDestinationArn: undelivered.arn,
    },
    scope.componentOptions,
  );
  new aws.lambda.Permission(
    "notify-from-alerts",
    {
      function: lambda.name,
      action: "lambda:InvokeFunction",
      principal: "sns.amazonaws.com",
      sourceArn: alerts.arn,
    },
    opts,
  );
  new aws.sns.TopicSubscription(
    "notify-subscription",
    { topic: alerts.arn, protocol: "lambda", endpoint: lambda.arn },
    opts,
  );
  return { lambda, undelivered };
}
