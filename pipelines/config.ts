import { z } from "zod";
import {
  configBoolean,
  configInteger,
  configJson,
  configLogRetentionDays,
  configString,
} from "../lib/config";

const sourceDatabase = z.strictObject(
  {
    /**
     * Secrets Manager secret with the Oracle connection (username, password, host, port), made
     * by the DBAs. DMS reads it at run time: no password is in this repository or in state.
     */
    secretName: configString("the name of the Secrets Manager secret with the Oracle connection"),
    /** The Oracle service name (or SID) DMS connects to. */
    serviceName: configString("the Oracle service name"),
  },
  { error: "expected an object with secretName and serviceName" },
);

/** pipelines' config keys (`pipelines:<key>`). README.md lists them. */
export const pipelinesConfig = {
  /** The landing bucket DMS writes to; owned by data-engineering-infra. */
  landingBucketName: configString("the landing bucket name, such as mojap-land-dev").regex(
    /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
    { error: "expected an S3 bucket name, such as mojap-land-dev" },
  ),
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
  /** What the validation Lambda does with a column the metadata does not know. */
  unknownColumns: z.enum(["fail", "warn"], { error: 'expected "fail" or "warn"' }).default("fail"),
  /** Days to keep the validation Lambdas' logs. */
  logRetentionDays: configLogRetentionDays().default(90),
  /** Alarm when CDC latency stays above this many seconds for 15 minutes. */
  cdcLatencyAlarmSeconds: configInteger(60, 86400).default(900),
} satisfies z.ZodRawShape;

/**
 * The validation Lambda's sizing and safety net (issue 10), a block of its own so it merges
 * apart from the other keys. README.md lists them.
 */
export const validationConfig = {
  /**
   * Memory of each validation Lambda, in MB. `npm run bench:validate` measures the peak for
   * a 1 GB DMS file; keep it under half of this.
   */
  validateMemoryMb: configInteger(512, 10240).default(1024),
  /** Alert when a file has waited in landing longer than this many minutes. */
  landingMaxAgeMinutes: configInteger(15, 10080).default(120),
} satisfies z.ZodRawShape;
