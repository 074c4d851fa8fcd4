/**
 * The validation Lambda: each parquet file DMS writes to the landing bucket is checked against
 * its table's metadata, then moved to raw-history (valid) or to the fail bucket with a reason
 * and an alert (invalid). See pipelines/functions/README.md.
 */
import { S3Client } from "@aws-sdk/client-s3";
import { SNSClient } from "@aws-sdk/client-sns";
import { createLogger, type Logger } from "../../../lib/lambda/log";
import { readValidateConfig } from "../../../lib/contracts/validateEnv";
import { snsAlertPublisher } from "./alerts";
import { isScheduledEvent, sweepLanding, type StaleObject } from "./sweep";
import {
  processEvent,
  validationDeps,
  type AlertPublisher,
  type FileResult,
  type ValidateDeps,
} from "../../../lib/validation/process";

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
  const config = readValidateConfig(env);
  return validationDeps(config, overrides.s3 ?? new S3Client({}), {
    alerts: overrides.alerts ?? snsAlertPublisher(new SNSClient({}), config.alertsTopicArn),
    logger: overrides.logger ?? createLogger(),
    wholeFileBytes: overrides.wholeFileBytes,
    now: overrides.now,
  });
}

export function makeHandler(
  deps: () => ValidateDeps,
  sweepClients?: () => { s3: S3Client; sns: Pick<SNSClient, "send"> },
): (event: unknown) => Promise<FileResult[] | StaleObject[]> {
  return async (event) => {
    const d = deps();
    if (isScheduledEvent(event)) {
      const sweep = d.config.sweep;
      if (!sweep || !sweepClients)
        throw new Error(
          "a scheduled event reached the validation function, but LANDING_BUCKET, DATABASE and " +
            "LANDING_MAX_AGE_MINUTES are not set; the pipelines project sets them (pipelines/landingSweep.ts)",
        );
      const { s3, sns } = sweepClients();
      return sweepLanding(
        s3,
        sns,
        { ...sweep, environment: d.config.environment, alertsTopicArn: d.config.alertsTopicArn },
        d.logger,
        d.now?.(),
      );
    }
    return processEvent(event, d);
  };
}

// Built on the first invocation and kept for the container's life (clients, metadata cache).
let cached: ValidateDeps | undefined;
let clients: { s3: S3Client; sns: SNSClient } | undefined;
export const handler = makeHandler(
  () => (cached ??= createDeps()),
  () => (clients ??= { s3: new S3Client({}), sns: new SNSClient({}) }),
);
