import type * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { type NodeLambda } from "../lib/infra/components/nodeLambda";
import { type TableMetadata } from "../lib/model/tableMetadata";
import { type Database, type Environment } from "../lib/model/stacks";
import {
  type AlertsConfig,
  type LandingConfig,
  type ReplicationConfig,
  type TaskSettingsConfig,
  type ValidationConfig,
} from "./config";
import { dmsAccess } from "./dmsAccess";
import { dmsAlerts } from "./dmsAlerts";
import { fileValidation } from "./fileValidation";
import { replication } from "./replication";
import { type CoreResources, type OracleSource, type PipelineScope } from "./scope";

/**
 * One database's pipeline. `source`, `landing`, `replication`, `taskSettings`, `alerts` and
 * `validation` are sections of the config schema (pipelines/config.ts) as parsed, defaults
 * applied: the component has no defaults of its own.
 */
export interface DmsPipelineArgs {
  database: Database;
  env: Environment;
  region: string;
  accountId: pulumi.Input<string>;
  /** The tables to extract; the task's table mappings come from them. */
  tables: readonly TableMetadata[];
  /** core's buckets, key and alerts topic. */
  core: CoreResources;
  /** The database's `databases.<db>` entry, the CA certificate and the CDC reader. */
  source: OracleSource;
  /** The landing bucket (not managed here) DMS writes parquet into, under `<database>/`. */
  landing: LandingConfig;
  replication: ReplicationConfig;
  taskSettings: TaskSettingsConfig;
  alerts: AlertsConfig;
  validation: ValidationConfig;
  /** pipelines_base's security group. */
  securityGroupIds: pulumi.Input<pulumi.Input<string>[]>;
  /** Protect and retain the replication task. */
  protect: boolean;
}

/**
 * One source database's extraction: DMS from Oracle to parquet in the landing bucket
 * (dmsAccess.ts, replication.ts), alerts on DMS (dmsAlerts.ts), then the validation Lambda that
 * moves each file to raw-history or fail (fileValidation.ts). The parts are functions that
 * create their resources as children of this component, not components of their own, so each
 * resource keeps the URN it had when all of it was one constructor.
 */
export class DmsPipeline extends pulumi.ComponentResource {
  /** The role DMS writes to the landing bucket with; its ARN is in the landing bucket policy. */
  public readonly dmsRole: aws.iam.Role;
  public readonly task: aws.dms.ReplicationTask;
  public readonly validator: NodeLambda;

  constructor(name: string, args: DmsPipelineArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dataeng:pipelines:DmsPipeline", name, {}, opts);
    const scope: PipelineScope = {
      name,
      database: args.database,
      env: args.env,
      region: args.region,
      accountId: args.accountId,
      parent: this,
    };
    const { core, landing } = args;
    const access = dmsAccess(scope, {
      landingBucketName: landing.landingBucketName,
      kmsKeyArn: core.kmsKeyArn,
      source: args.source,
    });
    const { instance, task } = replication(scope, { ...args, kmsKeyArn: core.kmsKeyArn, access });
    dmsAlerts(scope, { ...args.alerts, alertsTopicArn: core.alertsTopicArn, instance, task });
    this.validator = fileValidation(scope, {
      core,
      landingBucketName: landing.landingBucketName,
      validation: args.validation,
    });
    this.dmsRole = access.dmsRole;
    this.task = task;
    this.registerOutputs({ dmsRoleArn: this.dmsRole.arn, taskArn: this.task.replicationTaskArn });
  }
}
