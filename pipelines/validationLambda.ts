import * as pulumi from "@pulumi/pulumi";
import { NodeLambda } from "../lib/infra/components/nodeLambda";
import { type Statement } from "../lib/infra/iam";
import { buildEnvironment } from "../lib/contracts/lambdaEnv";
import { metadataBundleKey } from "../lib/contracts/lakeKeys";
import { VALIDATE_ENV } from "../lib/contracts/validateEnv";
import { functionName } from "../lib/model/naming";
import { type Environment } from "../lib/model/stacks";
import { type ValidationConfig } from "./config";
import { bucketArn, type CoreResources, type PipelineScope } from "./scope";

export interface ValidationLambdaArgs {
  core: CoreResources;
  landingBucketName: pulumi.Input<string>;
  validation: ValidationConfig;
}

/**
 * The validation Lambda's environment, typed by its contract (lib/contracts/validateEnv.ts,
 * which the Lambda parses): the buckets and topic it works with, and the landing sweep's
 * (pipelines/landingSweep.ts).
 */
export function validationEnvironment(
  database: string,
  env: Environment,
  args: ValidationLambdaArgs,
) {
  return buildEnvironment(VALIDATE_ENV, {
    RAW_HISTORY_BUCKET: args.core.rawHistoryBucketName,
    FAIL_BUCKET: args.core.failBucketName,
    METADATA_BUCKET: args.core.metadataBucketName,
    ALERTS_TOPIC_ARN: args.core.alertsTopicArn,
    ENVIRONMENT: env,
    UNKNOWN_COLUMNS: args.validation.unknownColumns,
    LANDING_BUCKET: args.landingBucketName,
    DATABASE: database,
    LANDING_MAX_AGE_MINUTES: String(args.validation.landingMaxAgeMinutes),
  });
}

/** What the validation Lambda may do: move its database's landing files, alert, use the key. */
function validationStatements(db: string, args: ValidationLambdaArgs): Statement[] {
  const { core } = args;
  const landingArn = bucketArn(args.landingBucketName);
  return [
    {
      Sid: "MoveLandingObjects",
      Effect: "Allow",
      // *Version: copy and delete exactly the version that was validated (versioned landing).
      Action: ["s3:GetObject", "s3:GetObjectVersion", "s3:DeleteObject", "s3:DeleteObjectVersion"],
      Resource: pulumi.interpolate`${landingArn}/${db}/*`,
    },
    {
      Sid: "WriteValidatedObjects",
      Effect: "Allow",
      Action: ["s3:GetObject", "s3:PutObject"],
      Resource: [
        pulumi.interpolate`${bucketArn(core.rawHistoryBucketName)}/${db}/*`,
        pulumi.interpolate`${bucketArn(core.failBucketName)}/${db}/*`,
      ],
    },
    {
      // A failed SNS publish withdraws the claim of the one alert, so that the retry alerts.
      Sid: "WithdrawAlertClaims",
      Effect: "Allow",
      Action: ["s3:DeleteObject"],
      Resource: pulumi.interpolate`${bucketArn(core.failBucketName)}/${db}/*.alerted-*`,
    },
    {
      // Without ListBucket, S3 answers a HEAD or GET of a missing key with 403, not 404,
      // and the function could not tell "already moved" or "unknown table" from "denied".
      Sid: "TellMissingKeysFromDenied",
      Effect: "Allow",
      Action: ["s3:ListBucket"],
      Resource: [
        landingArn,
        bucketArn(core.rawHistoryBucketName),
        bucketArn(core.failBucketName),
        bucketArn(core.metadataBucketName),
      ],
    },
    {
      Sid: "ReadTableMetadata",
      Effect: "Allow",
      Action: ["s3:GetObject"],
      Resource: pulumi.interpolate`${bucketArn(core.metadataBucketName)}/${metadataBundleKey(db)}`,
    },
    {
      Sid: "PublishAlerts",
      Effect: "Allow",
      Action: ["sns:Publish"],
      Resource: core.alertsTopicArn,
    },
    {
      Sid: "UseDataKey",
      Effect: "Allow",
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: core.kmsKeyArn,
    },
  ];
}

/** The Lambda that moves each new landing file to raw-history, or to fail with a reason. */
export function validationLambda(scope: PipelineScope, args: ValidationLambdaArgs): NodeLambda {
  const { name, database: db, env, parent } = scope;
  return new NodeLambda(
    `${name}-validate`,
    {
      functionName: functionName(`${db}-validate`, env),
      entry: "pipelines/functions/validate/index.ts",
      description: `Validates ${db} parquet files from DMS against the table metadata (${env})`,
      environment: validationEnvironment(db, env, args),
      statements: validationStatements(db, args),
      kmsKeyArn: args.core.kmsKeyArn,
      logRetentionDays: args.validation.logRetentionDays,
      timeout: 300,
      memorySize: args.validation.validateMemoryMb,
      accountId: scope.accountId,
      // An invocation that still fails after Lambda's retries becomes an alert, so that
      // no landing file is forgotten (notify posts unknown messages as they are).
      onFailureDestinationArn: args.core.alertsTopicArn,
    },
    { parent },
  );
}
