import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { policyDocument } from "../lib/infra/iam";
import { type CoreScope } from "./scope";

/**
 * The alerts topic, encrypted with the data key. CloudWatch alarms and EventBridge rules (DMS
 * events, pipelines/dmsAlerts.ts) publish as services, from this account only ("Using
 * resource-based policies for Amazon EventBridge", EventBridge User Guide: an SNS target needs
 * events.amazonaws.com allowed sns:Publish).
 */
export function alertsTopic(scope: CoreScope, key: aws.kms.Key): aws.sns.Topic {
  const { env, opts } = scope;
  const alerts = new aws.sns.Topic(
    "alerts",
    { name: `dataeng-alerts-${env}`, kmsMasterKeyId: key.arn },
    opts,
  );
  new aws.sns.TopicPolicy(
    "alerts-policy",
    {
      arn: alerts.arn,
      policy: pulumi.all([alerts.arn, scope.account]).apply(([topicArn, accountId]) =>
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
  return alerts;
}
