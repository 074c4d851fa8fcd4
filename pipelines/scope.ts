import * as pulumi from "@pulumi/pulumi";
import { type Database, type Environment } from "../lib/model/stacks";
import { type SourceConfig, type SourceDatabaseConfig } from "./config";

/**
 * Where the parts of one `DmsPipeline` (dmsAccess, replication, dmsAlerts, fileValidation)
 * create their resources: all are children of the component, named `<name>-<suffix>`, so
 * splitting the component into functions changed no URN.
 */
export interface PipelineScope {
  /** The DmsPipeline's name (the database): every child is `${name}-<suffix>`. */
  readonly name: string;
  readonly database: Database;
  readonly env: Environment;
  readonly region: string;
  readonly accountId: pulumi.Input<string>;
  /** The DmsPipeline component: the parent of every resource the parts create. */
  readonly parent: pulumi.Resource;
}

/** What pipelines uses of core's stack (its outputs of the same names). */
export interface CoreResources {
  readonly rawHistoryBucketName: pulumi.Input<string>;
  readonly failBucketName: pulumi.Input<string>;
  readonly metadataBucketName: pulumi.Input<string>;
  /** core's KMS key: parquet files, endpoint settings, replication storage, logs, queues. */
  readonly kmsKeyArn: pulumi.Input<string>;
  readonly alertsTopicArn: pulumi.Input<string>;
}

/** One database's Oracle source: its `databases.<db>` entry and the reader settings. */
export type OracleSource = SourceDatabaseConfig & Omit<SourceConfig, "databases">;

/** `arn:aws:s3:::<bucket>`. */
export const bucketArn = (bucket: pulumi.Input<string>): pulumi.Output<string> =>
  pulumi.interpolate`arn:aws:s3:::${bucket}`;
