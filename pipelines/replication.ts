import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { statefulOptions } from "../lib/infra/context";
import { DMS_COLUMNS } from "../lib/model/dmsColumns";
import { type TableMetadata } from "../lib/model/tableMetadata";
import { DMS_SHARED_NAMES, dmsIdentifier } from "../lib/model/naming";
import { type LandingConfig, type ReplicationConfig, type TaskSettingsConfig } from "./config";
import { type DmsAccess } from "./dmsAccess";
import { type OracleSource, type PipelineScope } from "./scope";
import { tableMappings } from "./tableMappings";
import { replicationTaskSettings } from "./taskSettings";

/**
 * NUMBER without precision arrives as NUMERIC(38, this scale); lib/model/oracleTypes.ts maps it to
 * decimal(38,10) for Glue and validation, so the endpoint states it rather than relying on
 * DMS's default (OracleSettings NumberDatatypeScale, default 10). A test ties the two together.
 */
export const ORACLE_NUMBER_SCALE = 10;

export interface ReplicationArgs {
  /** The tables to extract; the task's table mappings come from them. */
  tables: readonly TableMetadata[];
  kmsKeyArn: pulumi.Input<string>;
  access: DmsAccess;
  source: OracleSource;
  landing: LandingConfig;
  replication: ReplicationConfig;
  taskSettings: TaskSettingsConfig;
  /** pipelines_base's security group. */
  securityGroupIds: pulumi.Input<pulumi.Input<string>[]>;
  /** Protect and retain the replication task. */
  protect: boolean;
}

/** DMS from Oracle to parquet in the landing bucket: both endpoints, the instance, the task. */
export function replication(scope: PipelineScope, args: ReplicationArgs) {
  const { name, database: db, env, accountId, parent } = scope;
  const { source, landing, access } = args;
  // Fixed DMS identifiers cannot exist twice: a replacement deletes the old one first.
  const replaceable = { parent, deleteBeforeReplace: true };
  const sourceEndpoint = new aws.dms.Endpoint(
    `${name}-source`,
    {
      endpointId: dmsIdentifier(db, env, "source"),
      endpointType: "source",
      engineName: "oracle",
      databaseName: source.serviceName,
      secretsManagerArn: access.secretArn,
      secretsManagerAccessRoleArn: access.secretsRole.arn,
      sslMode: "verify-ca",
      certificateArn: source.oracleCaCertificateArn,
      kmsKeyArn: args.kmsKeyArn,
      // OracleSettings (AWS DMS API reference, API_OracleSettings; "Using an Oracle database
      // as a source"): Binary Reader needs UseLogminerReader false and UseBfile true.
      oracleSettings: {
        useLogminerReader: source.oracleCdcReader === "logminer",
        useBfile: source.oracleCdcReader === "binary-reader",
        numberDatatypeScale: ORACLE_NUMBER_SCALE,
        ...(source.archivedLogDestId === undefined
          ? {}
          : { archivedLogDestId: source.archivedLogDestId }),
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
      bucketName: landing.landingBucketName,
      serviceAccessRoleArn: access.dmsRole.arn,
      dataFormat: "parquet",
      parquetVersion: "parquet-2-0",
      parquetTimestampInMillisecond: true,
      encryptionMode: "SSE_KMS",
      serverSideEncryptionKmsKeyId: args.kmsKeyArn,
      kmsKeyArn: args.kmsKeyArn,
      includeOpForFullLoad: true,
      timestampColumnName: DMS_COLUMNS.commitTimestamp.name,
      // S3Settings (AWS DMS API reference, API_S3Settings): a CDC file closes after
      // CdcMaxBatchInterval seconds or at CdcMinFileSize KB, whichever comes first.
      cdcMaxBatchInterval: landing.cdcMaxBatchIntervalSeconds,
      cdcMinFileSize: landing.cdcMinFileSizeKb,
      // For parquet, GZIP is the pages' codec (the files stay .parquet); the validation
      // Lambda decompresses it (lib/validation/parquet.ts, COMPRESSORS).
      compressionType: landing.compressionType,
      // The bucket belongs to data-engineering-infra: refuse a same-named bucket of anyone else.
      expectedBucketOwner: landing.landingBucketOwnerAccountId ?? accountId,
    },
    replaceable,
  );
  const instance = new aws.dms.ReplicationInstance(
    `${name}-replication-instance`,
    {
      replicationInstanceId: dmsIdentifier(db, env, "replication"),
      replicationInstanceClass: args.replication.replicationInstanceClass,
      allocatedStorage: args.replication.allocatedStorageGb,
      engineVersion: args.replication.engineVersion,
      multiAz: args.replication.multiAz,
      publiclyAccessible: false,
      autoMinorVersionUpgrade: true,
      kmsKeyArn: args.kmsKeyArn,
      replicationSubnetGroupId: DMS_SHARED_NAMES.replicationSubnetGroup,
      vpcSecurityGroupIds: args.securityGroupIds,
    },
    replaceable,
  );
  const { cdcStartPosition, cdcStartTime } = source;
  const task = new aws.dms.ReplicationTask(
    `${name}-task`,
    {
      replicationTaskId: dmsIdentifier(db, env, "full-load-and-cdc"),
      // A recovery start point means the lake already holds the data: changes only.
      migrationType:
        cdcStartPosition !== undefined || cdcStartTime !== undefined ? "cdc" : "full-load-and-cdc",
      ...(cdcStartPosition === undefined ? {} : { cdcStartPosition }),
      ...(cdcStartTime === undefined ? {} : { cdcStartTime }),
      replicationInstanceArn: instance.replicationInstanceArn,
      sourceEndpointArn: sourceEndpoint.endpointArn,
      targetEndpointArn: target.endpointArn,
      tableMappings: JSON.stringify(tableMappings(db, args.tables)),
      replicationTaskSettings: JSON.stringify(replicationTaskSettings(args.taskSettings)),
      startReplicationTask: args.replication.runReplicationTasks,
    },
    { ...replaceable, ...statefulOptions(args.protect) },
  );
  return { instance, task };
}
