import { z } from "zod";
import {
  configBoolean,
  configInteger,
  configJson,
  configLogRetentionDays,
  configString,
} from "../lib/infra/config";

/** An SCN (digits), as DMS takes for an Oracle CDC start position. */
const SCN = /^\d{1,20}$/;
/** ISO 8601 in UTC, the form DMS takes for a CDC start time (API_CreateReplicationTask). */
const UTC_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

const sourceDatabase = z
  .strictObject(
    {
      /**
       * Secrets Manager secret with the Oracle connection (username, password, host, port), made
       * by the DBAs. DMS reads it at run time: no password is in this repository or in state.
       */
      secretName: configString("the name of the Secrets Manager secret with the Oracle connection"),
      /** The Oracle service name (or SID) DMS connects to. */
      serviceName: configString("the Oracle service name"),
      /**
       * The customer-managed KMS key that encrypts the secret, when it is not the default
       * aws/secretsmanager key: the secrets-access role may then decrypt with it, through
       * Secrets Manager only. Omit for aws/secretsmanager.
       */
      secretKmsKeyArn: z
        .string()
        .regex(/^arn:aws:kms:[a-z0-9-]+:\d{12}:key\/[0-9a-f-]{36}$/, {
          error: "expected a KMS key ARN such as arn:aws:kms:eu-west-2:123456789012:key/<uuid>",
        })
        .optional(),
      /**
       * DEST_ID of the archived redo log destination DMS reads (v$archived_log.dest_id); DMS picks
       * the first when unset. Set it when the database archives to several destinations.
       */
      archivedLogDestId: configInteger(1, 31).optional(),
      /**
       * Recovery: capture changes from this Oracle SCN, with no full load (the task becomes a
       * cdc task). See README "Recovery".
       */
      cdcStartPosition: z
        .string()
        .regex(SCN, { error: "expected an Oracle SCN (digits only), such as 1234567890" })
        .optional(),
      /** Recovery: capture changes from this time (UTC, yyyy-MM-ddTHH:mm:ssZ), with no full load. */
      cdcStartTime: z
        .string()
        .regex(UTC_TIME, { error: "expected a UTC time such as 2026-11-27T06:00:00Z" })
        .optional(),
    },
    {
      error:
        "expected an object with secretName and serviceName (and optionally secretKmsKeyArn, archivedLogDestId, cdcStartPosition or cdcStartTime)",
    },
  )
  .refine((db) => db.cdcStartPosition === undefined || db.cdcStartTime === undefined, {
    error: "set cdcStartPosition or cdcStartTime, not both (DMS refuses both)",
  });

/**
 * pipelines' config keys (`pipelines:<key>`), in sections: each section is what one part of
 * `DmsPipeline` takes (its args type is the section's z.infer), and each default lives here
 * only. The stack files stay flat (`pipelines:<key>`) and list only what differs from these
 * defaults. README.md lists the keys.
 */

/** The Oracle sources and how DMS reads them (pipelines/replication.ts). */
export const sourceConfig = {
  /** One entry per source database: delius and oasys. */
  databases: configJson(
    z.strictObject(
      { delius: sourceDatabase, oasys: sourceDatabase },
      {
        error:
          "expected an object with delius and oasys entries, each with secretName and serviceName",
      },
    ),
  ),
  /** ARN of the DMS certificate (the Oracle servers' CA) used to verify the source over TLS. */
  oracleCaCertificateArn: configString("a DMS certificate ARN").regex(
    /^arn:aws:dms:[a-z0-9-]+:\d{12}:cert:[A-Z0-9]+$/,
    {
      error:
        "expected a DMS certificate ARN such as arn:aws:dms:eu-west-2:123456789012:cert:ABCDEF",
    },
  ),
  /**
   * How DMS reads the redo logs: Binary Reader (faster, less load on Oracle; needs the
   * directory objects of README "Oracle source") or LogMiner (DMS's default).
   */
  oracleCdcReader: z
    .enum(["binary-reader", "logminer"], { error: 'expected "binary-reader" or "logminer"' })
    .default("binary-reader"),
} satisfies z.ZodRawShape;

/** The landing bucket and how DMS writes its parquet files there (the S3 target endpoint). */
export const landingConfig = {
  /** The landing bucket DMS writes to; owned by data-engineering-infra. */
  landingBucketName: configString("the landing bucket name, such as mojap-land-dev").regex(
    /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
    { error: "expected an S3 bucket name, such as mojap-land-dev" },
  ),
  /**
   * The account that owns the landing bucket (data-engineering-infra's); DMS refuses to write
   * to a bucket of the same name owned by anyone else. Default: this account.
   */
  landingBucketOwnerAccountId: z
    .string()
    .regex(/^\d{12}$/, { error: "expected a 12-digit AWS account id" })
    .optional(),
  /**
   * Longest a CDC file stays open, in seconds (S3Settings CdcMaxBatchInterval; DMS default 60,
   * which would mean a file, and a validation run, per table per minute).
   */
  cdcMaxBatchIntervalSeconds: configInteger(1, 86400).default(300),
  /** CDC file size, in KB, that closes a file early (S3Settings CdcMinFileSize; DMS default 32000). */
  cdcMinFileSizeKb: configInteger(1, 1048576).default(32000),
  /** Compression of the parquet files (S3Settings CompressionType; DMS default NONE). */
  compressionType: z.enum(["GZIP", "NONE"], { error: 'expected "GZIP" or "NONE"' }).default("GZIP"),
} satisfies z.ZodRawShape;

/** The replication instance and whether its task runs (pipelines/replication.ts). */
export const replicationConfig = {
  /** Replication instance class. */
  replicationInstanceClass: z
    .string()
    .regex(/^dms\.[a-z0-9]+\.[a-z0-9]+$/, {
      error: "expected a DMS instance class such as dms.t3.medium",
    })
    .default("dms.t3.medium"),
  /** Replication instance storage, in GB. */
  allocatedStorageGb: configInteger(5, 6144).default(50),
  /** DMS engine version of the replication instances. */
  engineVersion: z
    .string()
    .regex(/^\d+\.\d+\.\d+$/, { error: "expected a version such as 3.5.4" })
    .default("3.5.4"),
  /** Run each replication instance in two availability zones. */
  multiAz: configBoolean().default(false),
  /**
   * Keep the full-load-and-cdc tasks running: started on creation and resumed after an update
   * that had to stop them. false leaves them stopped (and stops a running one).
   */
  runReplicationTasks: configBoolean().default(true),
} satisfies z.ZodRawShape;

/** The task settings config may change (pipelines/taskSettings.ts builds the rest). */
export const taskSettingsConfig = {
  /** Largest LOB kept, in KB (limited LOB mode); a longer one stops the task. */
  lobMaxSizeKb: configInteger(1, 102400).default(64),
  /** Tables loaded in parallel during a full load (task setting MaxFullLoadSubTasks). */
  maxFullLoadSubTasks: configInteger(1, 49).default(8),
  /** Retries of a recoverable error before the task fails and alerts (DMS default -1: forever). */
  recoverableErrorCount: configInteger(0, 1000).default(10),
  /** Seconds before the first of those retries; DMS doubles the wait up to 30 minutes. */
  recoverableErrorIntervalSeconds: configInteger(1, 3600).default(5),
} satisfies z.ZodRawShape;

/** The alarms on DMS (pipelines/dmsAlerts.ts). */
export const alertsConfig = {
  /**
   * Alarm when CDC latency stays above this many seconds for 15 minutes. Must be above
   * cdcMaxBatchIntervalSeconds, since DMS holds changes that long before writing a file.
   */
  cdcLatencyAlarmSeconds: configInteger(60, 86400).default(900),
} satisfies z.ZodRawShape;

/** The validation Lambda, its sizing and its safety net (pipelines/fileValidation.ts). */
export const validationConfig = {
  /** What the validation Lambda does with a column the metadata does not know. */
  unknownColumns: z.enum(["fail", "warn"], { error: 'expected "fail" or "warn"' }).default("fail"),
  /** Days to keep the validation Lambdas' logs. */
  logRetentionDays: configLogRetentionDays().default(90),
  /**
   * Memory of each validation Lambda, in MB. `npm run bench:validate` measures the peak for
   * a 1 GB DMS file; keep it under half of this.
   */
  validateMemoryMb: configInteger(512, 10240).default(1024),
  /** Alert when a file has waited in landing longer than this many minutes. */
  landingMaxAgeMinutes: configInteger(15, 10080).default(120),
} satisfies z.ZodRawShape;

/** Every key of the namespace, as the program reads them. */
export const pipelinesConfig = {
  ...sourceConfig,
  ...landingConfig,
  ...replicationConfig,
  ...taskSettingsConfig,
  ...alertsConfig,
  ...validationConfig,
} satisfies z.ZodRawShape;

/** A section's values once parsed: defaults applied, so every key with a default is set. */
type Parsed<S extends z.ZodRawShape> = z.infer<z.ZodObject<S>>;
export type SourceDatabaseConfig = z.infer<typeof sourceDatabase>;
export type SourceConfig = Parsed<typeof sourceConfig>;
export type LandingConfig = Parsed<typeof landingConfig>;
export type ReplicationConfig = Parsed<typeof replicationConfig>;
export type TaskSettingsConfig = Parsed<typeof taskSettingsConfig>;
export type AlertsConfig = Parsed<typeof alertsConfig>;
export type ValidationConfig = Parsed<typeof validationConfig>;
