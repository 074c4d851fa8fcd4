import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { statefulOptions } from "../context";
import { policyDocument, type Statement } from "../iam";

export interface SecureBucketArgs {
  /** The globally unique bucket name. */
  bucketName: pulumi.Input<string>;
  /**
   * Customer-managed KMS key for default encryption (with an S3 bucket key). Default: none,
   * which means SSE-S3 (AES256): only for the access-log bucket, because S3 server access
   * logs cannot be delivered to a bucket encrypted with SSE-KMS.
   */
  kmsKeyArn?: pulumi.Input<string>;
  /** Bucket that receives this bucket's server access logs. Default: none (no access logging). */
  accessLogBucketName?: pulumi.Input<string>;
  /** Days to keep noncurrent object versions (the caller's config holds the default). */
  noncurrentVersionRetentionDays: pulumi.Input<number>;
  /** Days after which current objects expire. Default: never. */
  expireAfterDays?: pulumi.Input<number>;
  /** Statements added to the TLS-only bucket policy (for example, log delivery). Default: none. */
  extraPolicyStatements?: pulumi.Input<pulumi.Input<Statement>[]>;
  /** Let `pulumi destroy` delete a bucket that still holds objects. Default: false. */
  forceDestroy?: pulumi.Input<boolean>;
  /** Protect the bucket and keep it when it leaves the program. Default: false. */
  protect?: boolean;
}

/**
 * An S3 bucket that is private, versioned, encrypted, TLS-only, owner-enforced (no ACLs),
 * access-logged, and that aborts incomplete multipart uploads.
 */
export class SecureBucket extends pulumi.ComponentResource {
  public readonly bucket: aws.s3.Bucket;
  public readonly name: pulumi.Output<string>;
  public readonly arn: pulumi.Output<string>;

  constructor(name: string, args: SecureBucketArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dataeng:storage:SecureBucket", name, {}, opts);
    const keep = statefulOptions(args.protect ?? false);

    this.bucket = new aws.s3.Bucket(
      `${name}-bucket`,
      { bucket: args.bucketName, forceDestroy: args.forceDestroy ?? false },
      { parent: this, ...keep },
    );
    const bucket = this.bucket.id;
    this.name = this.bucket.bucket;
    this.arn = this.bucket.arn;

    new aws.s3.BucketVersioning(
      `${name}-versioning`,
      { bucket, versioningConfiguration: { status: "Enabled" } },
      { parent: this },
    );
    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-encryption`,
      {
        bucket,
        rules: [
          args.kmsKeyArn
            ? {
                applyServerSideEncryptionByDefault: {
                  sseAlgorithm: "aws:kms",
                  kmsMasterKeyId: args.kmsKeyArn,
                },
                bucketKeyEnabled: true,
              }
            : { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } },
        ],
      },
      { parent: this },
    );
    const publicAccessBlock = new aws.s3.BucketPublicAccessBlock(
      `${name}-public-access-block`,
      {
        bucket,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
      { parent: this },
    );
    new aws.s3.BucketOwnershipControls(
      `${name}-ownership`,
      { bucket, rule: { objectOwnership: "BucketOwnerEnforced" } },
      { parent: this },
    );
    new aws.s3.BucketPolicy(
      `${name}-policy`,
      {
        bucket,
        policy: pulumi
          .all([this.bucket.arn, pulumi.output(args.extraPolicyStatements ?? [])])
          .apply(([arn, extra]) => policyDocument([denyInsecureTransport(arn), ...extra])),
      },
      // S3 rejects a bucket policy written while the public access block is being changed.
      { parent: this, dependsOn: [publicAccessBlock] },
    );
    if (args.accessLogBucketName) {
      new aws.s3.BucketLogging(
        `${name}-logging`,
        {
          bucket,
          targetBucket: args.accessLogBucketName,
          targetPrefix: pulumi.interpolate`${args.bucketName}/`,
        },
        { parent: this },
      );
    }
    new aws.s3.BucketLifecycleConfiguration(
      `${name}-lifecycle`,
      {
        bucket,
        rules: [
          {
            id: "abort-incomplete-multipart-uploads",
            status: "Enabled",
            filter: {},
            abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
          },
          {
            id: "expire-noncurrent-versions",
            status: "Enabled",
            filter: {},
            noncurrentVersionExpiration: {
              noncurrentDays: args.noncurrentVersionRetentionDays,
            },
          },
          ...(args.expireAfterDays !== undefined
            ? [
                {
                  id: "expire-current-objects",
                  status: "Enabled",
                  filter: {},
                  expiration: { days: args.expireAfterDays },
                },
              ]
            : []),
        ],
      },
      { parent: this },
    );

    this.registerOutputs({ name: this.name, arn: this.arn });
  }
}

/** Denies every request that does not use TLS. */
export function denyInsecureTransport(bucketArn: string): Statement {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: [bucketArn, `${bucketArn}/*`],
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}
