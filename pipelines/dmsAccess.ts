import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { assumedBy, policyDocument } from "../lib/infra/iam";
import { DMS_ROLE_SUFFIX, dmsRoleName } from "../lib/model/naming";
import { bucketArn, type OracleSource, type PipelineScope } from "./scope";

export interface DmsAccessArgs {
  landingBucketName: pulumi.Input<string>;
  /** core's KMS key, which DMS encrypts the parquet files with. */
  kmsKeyArn: pulumi.Input<string>;
  source: OracleSource;
}

/** The two roles DMS works with, and the Oracle connection secret the second one reads. */
export interface DmsAccess {
  /** DMS writes the landing bucket with it; its ARN is in the landing bucket policy. */
  dmsRole: aws.iam.Role;
  /** DMS reads the Oracle connection secret with it. */
  secretsRole: aws.iam.Role;
  secretArn: pulumi.Output<string>;
}

/**
 * What DMS may do: write its own prefix of the landing bucket and nothing else, and read the
 * Oracle connection from Secrets Manager through its regional principal. Fixed names (the
 * landing bucket policy names dmsRole) cannot exist twice: a replacement deletes first.
 */
export function dmsAccess(scope: PipelineScope, args: DmsAccessArgs): DmsAccess {
  const { name, database: db, env, region, accountId, parent } = scope;
  const replaceable = { parent, deleteBeforeReplace: true };
  const landingArn = bucketArn(args.landingBucketName);

  const dmsRole = new aws.iam.Role(
    `${name}${DMS_ROLE_SUFFIX}`,
    {
      name: dmsRoleName(db, env),
      description: `DMS writes ${db} parquet files to the landing bucket (${env})`,
      assumeRolePolicy: assumedBy("dms.amazonaws.com", accountId),
    },
    replaceable,
  );
  new aws.iam.RolePolicy(
    `${name}-dms-role-policy`,
    {
      role: dmsRole.id,
      policy: policyDocument([
        {
          Sid: "WriteOwnLandingPrefix",
          Effect: "Allow",
          Action: ["s3:PutObject", "s3:DeleteObject", "s3:PutObjectTagging"],
          Resource: pulumi.interpolate`${landingArn}/${db}/*`,
        },
        {
          Sid: "ListOwnLandingPrefix",
          Effect: "Allow",
          Action: ["s3:ListBucket"],
          Resource: landingArn,
          Condition: { StringLike: { "s3:prefix": [`${db}/*`] } },
        },
        {
          Sid: "EncryptParquet",
          Effect: "Allow",
          Action: ["kms:GenerateDataKey", "kms:Encrypt", "kms:Decrypt"],
          Resource: args.kmsKeyArn,
        },
      ]),
    },
    { parent },
  );

  const secret = aws.secretsmanager.getSecretOutput({ name: args.source.secretName }, { parent });
  const secretsRole = new aws.iam.Role(
    `${name}-secrets-access-role`,
    {
      name: `${dmsRoleName(db, env)}-secrets`,
      description: `DMS reads the ${db} Oracle connection secret (${env})`,
      assumeRolePolicy: assumedBy(`dms.${region}.amazonaws.com`, accountId),
    },
    replaceable,
  );
  const secretKey = args.source.secretKmsKeyArn;
  new aws.iam.RolePolicy(
    `${name}-secrets-access-policy`,
    {
      role: secretsRole.id,
      policy: policyDocument([
        {
          Sid: "ReadOracleConnection",
          Effect: "Allow",
          Action: ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"],
          Resource: secret.arn,
        },
        // A secret under its own key cannot be read without it; through Secrets Manager only.
        ...(secretKey === undefined
          ? []
          : [
              {
                Sid: "DecryptOracleConnection",
                Effect: "Allow" as const,
                Action: ["kms:Decrypt"],
                Resource: secretKey,
                Condition: {
                  StringEquals: { "kms:ViaService": `secretsmanager.${region}.amazonaws.com` },
                },
              },
            ]),
      ]),
    },
    { parent },
  );
  return { dmsRole, secretsRole, secretArn: secret.arn };
}
