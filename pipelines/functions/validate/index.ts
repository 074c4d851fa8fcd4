/**
 * The validation Lambda: each parquet file DMS writes to the landing bucket is checked against
 * its table's metadata, then moved to raw-history (valid) or to the fail bucket with a reason
 * and an alert (invalid). See pipelines/functions/README.md.
 */
import { S3Client } from "@aws-sdk/client-s3";
import { SNSClient } from "@aws-sdk/client-sns";
import { createLogger, type Logger } from "../../../lib/lambda/log";
import { snsAlertPublisher, type AlertPublisher } from "./alerts";
import { readConfig } from "./config";
import { MetadataStore } from "./metadataStore";
import { Storage } from "./storage";
import { processEvent, type FileResult, type ValidateDeps } from "./validate";

export interface DepsOverrides {
  /** Default: an S3Client from the environment (AWS_ENDPOINT_URL_S3 points it elsewhere). */
  readonly s3?: S3Client;
  /** Default: publishes to ALERTS_TOPIC_ARN with an SNSClient from the environment. */
  readonly alerts?: AlertPublisher;
  readonly logger?: Logger;
  readonly wholeFileBytes?: number;
  readonly now?: () => Date;
}

export function createDeps(
  env: Readonly<Record<string, string | undefined>> = process.env,
  overrides: DepsOverrides = {},
): ValidateDeps {
  const config = readConfig(env);
  const storage = new Storage(overrides.s3 ?? new S3Client({}));
  return {
    config,
    storage,
    metadata: new MetadataStore(storage, config.metadataBucket),
    alerts: overrides.alerts ?? snsAlertPublisher(new SNSClient({}), config.alertsTopicArn),
    logger: overrides.logger ?? createLogger(),
    wholeFileBytes: overrides.wholeFileBytes,
    now: overrides.now,
  };
}

export function makeHandler(deps: () => ValidateDeps): (event: unknown) => Promise<FileResult[]> {
  return (event) => processEvent(event, deps());
}

// Built on the first invocation and kept for the container's life (clients, metadata cache).
let cached: ValidateDeps | undefined;
export const handler = makeHandler(() => (cached ??= createDeps()));
