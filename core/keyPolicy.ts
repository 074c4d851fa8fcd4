import * as pulumi from "@pulumi/pulumi";
import { policyDocument } from "../lib/infra/iam";

/**
 * The data key's policy: the account administers it through IAM, and the services that
 * encrypt with it on our behalf may use it only for this account's resources.
 */
export function keyPolicy(account: pulumi.Input<string>, region: string): pulumi.Output<string> {
  return pulumi.output(account).apply((accountId) =>
    policyDocument([
      {
        Sid: "AccountAdministersThroughIam",
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${accountId}:root` },
        Action: "kms:*",
        Resource: "*",
      },
      {
        Sid: "CloudWatchLogsEncryptsLogGroups",
        Effect: "Allow",
        Principal: { Service: `logs.${region}.amazonaws.com` },
        Action: [
          "kms:Encrypt*",
          "kms:Decrypt*",
          "kms:ReEncrypt*",
          "kms:GenerateDataKey*",
          "kms:Describe*",
        ],
        Resource: "*",
        Condition: {
          ArnLike: {
            "kms:EncryptionContext:aws:logs:arn": `arn:aws:logs:${region}:${accountId}:log-group:*`,
          },
        },
      },
      {
        // The alerts topic is encrypted with this key, so whoever publishes to it needs it too.
        Sid: "AlarmsAndEventsPublishToEncryptedTopic",
        Effect: "Allow",
        // events.amazonaws.com also sends undeliverable events to the encrypted dead-letter queues.
        Principal: { Service: ["cloudwatch.amazonaws.com", "events.amazonaws.com"] },
        Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
        Resource: "*",
        Condition: { StringEquals: { "aws:SourceAccount": accountId } },
      },
    ]),
  );
}
