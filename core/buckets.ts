import type * as aws from "@pulumi/aws";
import { SecureBucket } from "../lib/infra/components/secureBucket";
import { type Statement } from "../lib/infra/iam";
import { bucketName } from "../lib/model/naming";
import { type BucketsConfig } from "./config";
import { type CoreScope } from "./scope";

/**
 * The lake's buckets: raw-history, fail and metadata under the data key, with their access logs
 * in access-logs. In dev (not protected) they may be destroyed with their objects.
 */
export function lakeBuckets(scope: CoreScope, config: BucketsConfig, key: aws.kms.Key) {
  const { env, protect } = scope;
  const forceDestroy = !protect;
  const nameOf = (purpose: string) => bucketName(config.bucketNamePrefix, purpose, env);
  const accessLogs = new SecureBucket(
    "access-logs",
    {
      bucketName: nameOf("access-logs"),
      expireAfterDays: config.accessLogRetentionDays,
      noncurrentVersionRetentionDays: 1,
      forceDestroy,
      protect,
      // S3 server access logging delivers with this service principal, from this account only.
      extraPolicyStatements: scope.account.apply((accountId): Statement[] => [
        {
          Sid: "S3ServerAccessLogsDelivery",
          Effect: "Allow",
          Principal: { Service: "logging.s3.amazonaws.com" },
          Action: "s3:PutObject",
          Resource: `arn:aws:s3:::${nameOf("access-logs")}/*`,
          Condition: { StringEquals: { "aws:SourceAccount": accountId } },
        },
      ]),
    },
    scope.componentOptions,
  );
  const dataBucket = (purpose: string) =>
    new SecureBucket(
      purpose,
      {
        bucketName: nameOf(purpose),
        kmsKeyArn: key.arn,
        accessLogBucketName: accessLogs.name,
        noncurrentVersionRetentionDays: config.noncurrentVersionRetentionDays,
        forceDestroy,
        protect,
      },
      scope.componentOptions,
    );
  return {
    accessLogs,
    rawHistory: dataBucket("raw-history"),
    fail: dataBucket("fail"),
    metadata: dataBucket("metadata"),
  };
}
