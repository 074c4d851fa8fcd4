import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { firstOccurrenceAlarm } from "../lib/infra/alarms";
import { NodeLambda } from "../lib/infra/components/nodeLambda";
import { statefulOptions } from "../lib/infra/context";
import { assumedBy, policyDocument } from "../lib/infra/iam";
import { DMS_COLUMNS } from "../lib/model/dmsColumns";
import { metadataObjectKey } from "../lib/contracts/lakeKeys";
import { type TableMetadata } from "../lib/model/tableMetadata";
import {
  DMS_ROLE_SUFFIX,
  DMS_SHARED_NAMES,
  dmsIdentifier,
  dmsRoleName,
  functionName,
} from "../lib/model/naming";
import { dmsEventMessageTemplate } from "../lib/contracts/alerts";
import { buildEnvironment } from "../lib/contracts/lambdaEnv";
import { VALIDATE_ENV } from "../lib/contracts/validateEnv";
import { type Database, type Environment } from "../lib/model/stacks";
import { LandingSweep } from "./landingSweep";
import { tableMappings } from "./tableMappings";
import {
  replicationTaskSettings,
  TASK_SETTINGS_DEFAULTS,
  type TaskSettingsOptions,
} from "./taskSettings";
import { ValidationSafetyNet } from "./validationWiring";

/**
 * NUMBER without precision arrives as NUMERIC(38, this scale); lib/model/oracleTypes.ts maps it to
 * decimal(38,10) for Glue and validation, so the endpoint states it rather than relying on
 * DMS's default (OracleSettings NumberDatatypeScale, default 10). A test ties the two together.
 */
export const ORACLE_NUMBER_SCALE = 10;

export interface DmsPipelineArgs {
  database: Database;
  env: Environment;
  region: string;
  accountId: pulumi.Input<string>;
  /** The tables to extract; the task's table mappings come from them. */
  tables: readonly TableMetadata[];
  /** The landing bucket (not managed here) DMS writes parquet into, under `<database>/`. */
  landingBucketName: pulumi.Input<string>;
  rawHistoryBucketName: pulumi.Input<string>;
  failBucketName: pulumi.Input<string>;
  metadataBucketName: pulumi.Input<string>;
  /** core's KMS key: parquet files, endpoint settings, replication storage, logs. */
  kmsKeyArn: pulumi.Input<string>;
  alertsTopicArn: pulumi.Input<string>;
  /** Secrets Manager secret with the Oracle connection. */
  sourceSecretName: pulumi.Input<string>;
  /** Oracle service name. */
  sourceServiceName: pulumi.Input<string>;
  /** The customer-managed KMS key of the Oracle connection secret. Default: none (aws/secretsmanager). */
  sourceSecretKmsKeyArn?: pulumi.Input<string>;
  /** How DMS reads the redo logs. Default: binary-reader. */
  oracleCdcReader?: "binary-reader" | "logminer";
  /** DEST_ID of the archived redo logs DMS reads. Default: DMS picks the first destination. */
  archivedLogDestId?: pulumi.Input<number>;
  /** Account that owns the landing bucket (S3 ExpectedBucketOwner). Default: accountId. */
  landingBucketOwnerAccountId?: pulumi.Input<string>;
  /** Seconds a CDC file stays open at most. Default: 300 (DMS's own default is 60). */
  cdcMaxBatchIntervalSeconds?: pulumi.Input<number>;
  /** KB that close a CDC file early. Default: 32000. */
  cdcMinFileSizeKb?: pulumi.Input<number>;
  /** Parquet compression. Default: GZIP. */
  compressionType?: pulumi.Input<"GZIP" | "NONE">;
  /** Task settings that config may change. Default: TASK_SETTINGS_DEFAULTS. */
  taskSettings?: TaskSettingsOptions;
  /** Recovery: capture changes from this SCN, without a full load. Default: none. */
  cdcStartPosition?: string;
  /** Recovery: capture changes from this UTC time, without a full load. Default: none. */
  cdcStartTime?: string;
  /** DMS certificate used to verify the Oracle server. */
  oracleCaCertificateArn: pulumi.Input<string>;
  /** pipelines_base's security group. */
  securityGroupIds: pulumi.Input<pulumi.Input<string>[]>;
  /** Default: dms.t3.medium. */
  replicationInstanceClass?: pulumi.Input<string>;
  /** GB. Default: 50. */
  allocatedStorageGb?: pulumi.Input<number>;
  /** Default: 3.5.4. */
  engineVersion?: pulumi.Input<string>;
  /** Default: false. */
  multiAz?: pulumi.Input<boolean>;
  /** Keep the task running (start it, and resume it after updates). Default: true. */
  runReplicationTask?: pulumi.Input<boolean>;
  /** Validation Lambda's treatment of unknown columns. Default: fail. */
  unknownColumns?: pulumi.Input<"fail" | "warn">;
  /** Default: 90. */
  logRetentionDays?: pulumi.Input<number>;
  /** Default: 900. */
  cdcLatencyAlarmSeconds?: pulumi.Input<number>;
  /** Protect and retain the replication task. Default: false. */
  protect?: boolean;
  /** Validation Lambda memory, MB. Default: 1024. */
  validateMemoryMb?: pulumi.Input<number>;
  /** The landing sweep alerts on files older than this. Default: 120 minutes. */
  landingMaxAgeMinutes?: pulumi.Input<number>;
}

/** S3 target settings when the args give none; pipelines/config.ts defaults to them too. */
export const S3_TARGET_DEFAULTS = {
  cdcMaxBatchIntervalSeconds: 300,
  cdcMinFileSizeKb: 32000,
  compressionType: "GZIP",
} as const;

/**
 * One source database's extraction: DMS from Oracle to parquet in the landing bucket, then
 * the validation Lambda that moves each file to raw-history or fail, with alarms.
 */
export class DmsPipeline extends pulumi.ComponentResource {
  /** The role DMS writes to the landing bucket with; its ARN is in the landing bucket policy. */
  public readonly dmsRole: aws.iam.Role;
  public readonly task: aws.dms.ReplicationTask;
  public readonly validator: NodeLambda;

  constructor(name: string, args: DmsPipelineArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dataeng:pipelines:DmsPipeline", name, {}, opts);
    const parent = { parent: this };
    const { database: db, env } = args;
    const landingArn = pulumi.interpolate`arn:aws:s3:::${args.landingBucketName}`;
    // Fixed names (the landing bucket policy, DMS identifiers) cannot exist twice, so a
    // replacement has to delete the old resource before creating the new one.
    const replaceable = { ...parent, deleteBeforeReplace: true };

    // --- DMS writes its own prefix of the landing bucket, and nothing else.
    this.dmsRole = new aws.iam.Role(
      `${name}${DMS_ROLE_SUFFIX}`,
      {
        name: dmsRoleName(db, env),
        description: `DMS writes ${db} parquet files to the landing bucket (${env})`,
        assumeRolePolicy: assumedBy("dms.amazonaws.com", args.accountId),
      },
      replaceable,
    );
    new aws.iam.RolePolicy(
      `${name}-dms-role-policy`,
      {
        role: this.dmsRole.id,
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
      parent,
    );

    // --- DMS reads the Oracle connection from Secrets Manager, through its regional principal.
    const secret = aws.secretsmanager.getSecretOutput({ name: args.sourceSecretName }, parent);
    const secretsRole = new aws.iam.Role(
      `${name}-secrets-access-role`,
      {
        name: `${dmsRoleName(db, env)}-secrets`,
        description: `DMS reads the ${db} Oracle connection secret (${env})`,
        assumeRolePolicy: assumedBy(`dms.${args.region}.amazonaws.com`, args.accountId),
      },
      replaceable,
    );
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
          ...(args.sourceSecretKmsKeyArn === undefined
            ? []
            : [
                {
                  Sid: "DecryptOracleConnection",
                  Effect: "Allow" as const,
                  Action: ["kms:Decrypt"],
                  Resource: args.sourceSecretKmsKeyArn,
                  Condition: {
                    StringEquals: {
                      "kms:ViaService": `secretsmanager.${args.region}.amazonaws.com`,
                    },
                  },
                },
              ]),
        ]),
      },
      parent,
    );

    const source = new aws.dms.Endpoint(
      `${name}-source`,
      {
        endpointId: dmsIdentifier(db, env, "source"),
        endpointType: "source",
        engineName: "oracle",
        databaseName: args.sourceServiceName,
        secretsManagerArn: secret.arn,
        secretsManagerAccessRoleArn: secretsRole.arn,
        sslMode: "verify-ca",
        certificateArn: args.oracleCaCertificateArn,
        kmsKeyArn: args.kmsKeyArn,
        // OracleSettings (AWS DMS API reference, API_OracleSettings; "Using an Oracle database
        // as a source"): Binary Reader needs UseLogminerReader false and UseBfile true.
        oracleSettings: {
          useLogminerReader: (args.oracleCdcReader ?? "binary-reader") === "logminer",
          useBfile: (args.oracleCdcReader ?? "binary-reader") === "binary-reader",
          numberDatatypeScale: ORACLE_NUMBER_SCALE,
          ...(args.archivedLogDestId === undefined
            ? {}
            : { archivedLogDestId: args.archivedLogDestId }),
        },
        // Changing an endpoint that a running task uses needs the task paused meanwhile.
        pauseReplicationTasks: true,
      },
      replaceable,
    );
    const target = new aws.dms.S3Endpoint(
      `${name}-target`,
      {
        endpointId: dmsIdentifier(db, env, "target"),
        endpointType: "target",
        bucketName: args.landingBucketName,
        serviceAccessRoleArn: this.dmsRole.arn,
        dataFormat: "parquet",
        parquetVersion: "parquet-2-0",
        parquetTimestampInMillisecond: true,
        encryptionMode: "SSE_KMS",
        serverSideEncryptionKmsKeyId: args.kmsKeyArn,
        kmsKeyArn: args.kmsKeyArn,
        includeOpForFullLoad: true,
        timestampColumnName: DMS_COLUMNS.commitTimestamp.name,
        // S3Settings (AWS DMS API reference, API_S3Settings): a CDC file closes after
        // CdcMaxBatchInterval seconds or at CdcMinFileSize KB, whichever comes first; DMS's 60 s
        // would mean a file (and a validation run) per table per minute.
        cdcMaxBatchInterval:
          args.cdcMaxBatchIntervalSeconds ?? S3_TARGET_DEFAULTS.cdcMaxBatchIntervalSeconds,
        cdcMinFileSize: args.cdcMinFileSizeKb ?? S3_TARGET_DEFAULTS.cdcMinFileSizeKb,
        // For parquet, GZIP is the pages' codec (the files stay .parquet); the validation
        // Lambda decompresses it (lib/validation/parquet.ts, COMPRESSORS).
        compressionType: args.compressionType ?? S3_TARGET_DEFAULTS.compressionType,
        // The bucket belongs to data-engineering-infra: refuse a same-named bucket of anyone else.
        expectedBucketOwner: args.landingBucketOwnerAccountId ?? args.accountId,
      },
      replaceable,
    );

    const instance = new aws.dms.ReplicationInstance(
      `${name}-replication-instance`,
      {
        replicationInstanceId: dmsIdentifier(db, env, "replication"),
        replicationInstanceClass: args.replicationInstanceClass ?? "dms.t3.medium",
        allocatedStorage: args.allocatedStorageGb ?? 50,
        engineVersion: args.engineVersion ?? "3.5.4",
        multiAz: args.multiAz ?? false,
        publiclyAccessible: false,
        autoMinorVersionUpgrade: true,
        kmsKeyArn: args.kmsKeyArn,
        replicationSubnetGroupId: DMS_SHARED_NAMES.replicationSubnetGroup,
        vpcSecurityGroupIds: args.securityGroupIds,
      },
      replaceable,
    );
    this.task = new aws.dms.ReplicationTask(
      `${name}-task`,
      {
        replicationTaskId: dmsIdentifier(db, env, "full-load-and-cdc"),
        // A recovery start point means the lake already holds the data: changes only.
        migrationType:
          args.cdcStartPosition !== undefined || args.cdcStartTime !== undefined
            ? "cdc"
            : "full-load-and-cdc",
        ...(args.cdcStartPosition === undefined ? {} : { cdcStartPosition: args.cdcStartPosition }),
        ...(args.cdcStartTime === undefined ? {} : { cdcStartTime: args.cdcStartTime }),
        replicationInstanceArn: instance.replicationInstanceArn,
        sourceEndpointArn: source.endpointArn,
        targetEndpointArn: target.endpointArn,
        tableMappings: JSON.stringify(tableMappings(db, args.tables)),
        replicationTaskSettings: JSON.stringify(
          replicationTaskSettings(args.taskSettings ?? TASK_SETTINGS_DEFAULTS),
        ),
        startReplicationTask: args.runReplicationTask ?? true,
      },
      {
        ...parent,
        ...replaceable,
        ...statefulOptions(args.protect ?? false),
      },
    );

    // --- Alerts: DMS task and instance events, CDC falling behind, and validation errors.
    // EventBridge rules rather than a DMS event subscription, as AWS recommends since DMS 3.4.5
    // ("Working with Amazon EventBridge events and notifications", CHAP_EventBridge). The topic
    // gets the event whole, in its documented shape, beside the task's or instance's identifier
    // (the event's ARN holds only DMS's internal resource id): see dmsEventMessageTemplate.
    const dmsEvents = (
      suffix: string,
      what: string,
      pattern: pulumi.Input<string>,
      resourceName: string,
    ) => {
      const eventRule = new aws.cloudwatch.EventRule(
        `${name}-${suffix}`,
        {
          name: functionName(`${db}-${suffix}`, env),
          description: `${db} (${env}): ${what} to the alerts topic`,
          eventPattern: pattern,
        },
        parent,
      );
      new aws.cloudwatch.EventTarget(
        `${name}-${suffix}-target`,
        {
          rule: eventRule.name,
          arn: args.alertsTopicArn,
          inputTransformer: { inputTemplate: dmsEventMessageTemplate(resourceName) },
          retryPolicy: { maximumRetryAttempts: 185, maximumEventAgeInSeconds: 86400 },
        },
        parent,
      );
      // A DMS event that EventBridge could not publish (topic or key policy) would be lost
      // silently; the alarm reaches the topic as CloudWatch, another principal.
      firstOccurrenceAlarm(
        `${name}-${suffix}-failed`,
        {
          name: dmsIdentifier(db, env, `${suffix}-failed`),
          alarmDescription: `${db} (${env}): EventBridge could not deliver ${what} to the alerts topic; check the topic and key policies`,
          namespace: "AWS/Events",
          metricName: "FailedInvocations",
          dimensions: { RuleName: eventRule.name },
          statistic: "Sum",
          alarmActions: [args.alertsTopicArn],
        },
        parent,
      );
    };
    dmsEvents(
      "task-events",
      "DMS task failures, state and configuration changes",
      this.task.replicationTaskArn.apply((taskArn) => JSON.stringify(taskEventPattern(taskArn))),
      dmsIdentifier(db, env, "full-load-and-cdc"),
    );
    dmsEvents(
      "instance-events",
      "every DMS replication instance event",
      instance.replicationInstanceArn.apply((arn) => JSON.stringify(instanceEventPattern(arn))),
      dmsIdentifier(db, env, "replication"),
    );
    // DMS metrics name a task by the last part of its ARN, not by its identifier.
    const taskResourceId = this.task.replicationTaskArn.apply((arn) => arn.split(":").pop() ?? arn);
    for (const [metric, suffix] of [
      ["CDCLatencySource", "cdc-latency-source"],
      ["CDCLatencyTarget", "cdc-latency-target"],
    ]) {
      new aws.cloudwatch.MetricAlarm(
        `${name}-${suffix}`,
        {
          name: dmsIdentifier(db, env, suffix),
          alarmDescription: `${db} (${env}): DMS ${metric} above the threshold for 15 minutes; see the task's CloudWatch logs`,
          namespace: "AWS/DMS",
          metricName: metric,
          dimensions: {
            ReplicationInstanceIdentifier: instance.replicationInstanceId,
            ReplicationTaskIdentifier: taskResourceId,
          },
          statistic: "Maximum",
          period: 300,
          evaluationPeriods: 3,
          threshold: args.cdcLatencyAlarmSeconds ?? 900,
          comparisonOperator: "GreaterThanThreshold",
          treatMissingData: "notBreaching",
          alarmActions: [args.alertsTopicArn],
          okActions: [args.alertsTopicArn],
        },
        parent,
      );
    }

    // --- Validation: each new landing object goes to raw-history or to fail with a reason.
    const bucketArn = (bucket: pulumi.Input<string>) => pulumi.interpolate`arn:aws:s3:::${bucket}`;
    this.validator = new NodeLambda(
      `${name}-validate`,
      {
        functionName: functionName(`${db}-validate`, env),
        entry: "pipelines/functions/validate/index.ts",
        description: `Validates ${db} parquet files from DMS against the table metadata (${env})`,
        environment: buildEnvironment(VALIDATE_ENV, {
          RAW_HISTORY_BUCKET: args.rawHistoryBucketName,
          FAIL_BUCKET: args.failBucketName,
          METADATA_BUCKET: args.metadataBucketName,
          ALERTS_TOPIC_ARN: args.alertsTopicArn,
          ENVIRONMENT: env,
          UNKNOWN_COLUMNS: args.unknownColumns ?? "fail",
          // The scheduled landing sweep (pipelines/landingSweep.ts).
          LANDING_BUCKET: args.landingBucketName,
          DATABASE: db,
          LANDING_MAX_AGE_MINUTES: pulumi.output(args.landingMaxAgeMinutes ?? 120).apply(String),
        }),
        statements: [
          {
            Sid: "MoveLandingObjects",
            Effect: "Allow",
            // *Version: copy and delete exactly the version that was validated (versioned landing).
            Action: [
              "s3:GetObject",
              "s3:GetObjectVersion",
              "s3:DeleteObject",
              "s3:DeleteObjectVersion",
            ],
            Resource: pulumi.interpolate`${landingArn}/${db}/*`,
          },
          {
            Sid: "WriteValidatedObjects",
            Effect: "Allow",
            Action: ["s3:GetObject", "s3:PutObject"],
            Resource: [
              pulumi.interpolate`${bucketArn(args.rawHistoryBucketName)}/${db}/*`,
              pulumi.interpolate`${bucketArn(args.failBucketName)}/${db}/*`,
            ],
          },
          {
            // A failed SNS publish withdraws the claim of the one alert, so that the retry alerts.
            Sid: "WithdrawAlertClaims",
            Effect: "Allow",
            Action: ["s3:DeleteObject"],
            Resource: pulumi.interpolate`${bucketArn(args.failBucketName)}/${db}/*.alerted-*`,
          },
          {
            // Without ListBucket, S3 answers a HEAD or GET of a missing key with 403, not 404,
            // and the function could not tell "already moved" or "unknown table" from "denied".
            Sid: "TellMissingKeysFromDenied",
            Effect: "Allow",
            Action: ["s3:ListBucket"],
            Resource: [
              landingArn,
              bucketArn(args.rawHistoryBucketName),
              bucketArn(args.failBucketName),
              bucketArn(args.metadataBucketName),
            ],
          },
          {
            Sid: "ReadTableMetadata",
            Effect: "Allow",
            Action: ["s3:GetObject"],
            Resource: pulumi.interpolate`${bucketArn(args.metadataBucketName)}/${metadataObjectKey(db, "*")}`,
          },
          {
            Sid: "PublishAlerts",
            Effect: "Allow",
            Action: ["sns:Publish"],
            Resource: args.alertsTopicArn,
          },
          {
            Sid: "UseDataKey",
            Effect: "Allow",
            Action: ["kms:Decrypt", "kms:GenerateDataKey"],
            Resource: args.kmsKeyArn,
          },
        ],
        kmsKeyArn: args.kmsKeyArn,
        logRetentionDays: args.logRetentionDays,
        timeout: 300,
        memorySize: args.validateMemoryMb ?? 1024,
        accountId: args.accountId,
        // An invocation that still fails after Lambda's retries becomes an alert, so that
        // no landing file is forgotten (notify posts unknown messages as they are).
        onFailureDestinationArn: args.alertsTopicArn,
      },
      parent,
    );
    // The landing bucket belongs to another repository, so its notifications reach us through
    // EventBridge (the bucket has EventBridge notifications on) instead of a bucket notification.
    const rule = new aws.cloudwatch.EventRule(
      `${name}-landing-object-created`,
      {
        name: functionName(`${db}-landing-object-created`, env),
        description: `New ${db} parquet files in the landing bucket (${env})`,
        eventPattern: pulumi.output(args.landingBucketName).apply((bucket) =>
          JSON.stringify({
            source: ["aws.s3"],
            "detail-type": ["Object Created"],
            detail: { bucket: { name: [bucket] }, object: { key: [{ prefix: `${db}/` }] } },
          }),
        ),
      },
      parent,
    );
    const safetyNet = new ValidationSafetyNet(
      `${name}-validation`,
      {
        database: db,
        env,
        kmsKeyArn: args.kmsKeyArn,
        alertsTopicArn: args.alertsTopicArn,
        ruleArn: rule.arn,
      },
      parent,
    );
    new aws.cloudwatch.EventTarget(
      `${name}-landing-object-created-target`,
      {
        rule: rule.name,
        arn: this.validator.arn,
        retryPolicy: { maximumRetryAttempts: 185, maximumEventAgeInSeconds: 86400 },
        deadLetterConfig: { arn: safetyNet.deadLetterQueue.arn },
      },
      parent,
    );
    new LandingSweep(
      `${name}-sweep`,
      { database: db, env, functionArn: this.validator.arn, functionName: this.validator.name },
      parent,
    );
    new aws.lambda.Permission(
      `${name}-validate-from-events`,
      {
        function: this.validator.name,
        action: "lambda:InvokeFunction",
        principal: "events.amazonaws.com",
        sourceArn: rule.arn,
      },
      parent,
    );
    firstOccurrenceAlarm(
      `${name}-validate-errors`,
      {
        name: functionName(`${db}-validate-errors`, env),
        alarmDescription: `${db} (${env}): the validation Lambda failed; files may be waiting in landing`,
        namespace: "AWS/Lambda",
        metricName: "Errors",
        dimensions: { FunctionName: this.validator.name },
        statistic: "Sum",
        alarmActions: [args.alertsTopicArn],
      },
      parent,
    );

    this.registerOutputs({ dmsRoleArn: this.dmsRole.arn, taskArn: this.task.replicationTaskArn });
  }
}

/**
 * The task's events that need a person: failures, state changes (stopped, started, reading
 * paused) and configuration changes. Detail-type and category values as in the example event of
 * "Working with Amazon EventBridge events" (CHAP_EventBridge: "category": "StateChange").
 */
export function taskEventPattern(taskArn: string) {
  return {
    source: ["aws.dms"],
    "detail-type": ["DMS Replication Task State Change"],
    resources: [taskArn],
    detail: { category: ["Failure", "StateChange", "ConfigurationChange"] },
  };
}

/**
 * Every event of the replication instance: its detail-types all start "DMS Replication Instance"
 * (the EventBridge events reference, events-ref-dms), and each (failure, low storage, failover,
 * maintenance, class or storage change) is rare and worth knowing.
 */
export function instanceEventPattern(instanceArn: string) {
  return {
    source: ["aws.dms"],
    "detail-type": [{ prefix: "DMS Replication Instance" }],
    resources: [instanceArn],
  };
}
