import * as aws from "@pulumi/aws";
import { ConfigError, configSection } from "../lib/infra/config";
import { stackContext, upstreamString } from "../lib/infra/context";
import { loadDatabase } from "../lib/model/metadataFiles";
import { DMS_SHARED_NAMES } from "../lib/model/naming";
import { DATABASES } from "../lib/model/stacks";
import {
  alertsConfig,
  landingConfig,
  pipelinesConfig,
  replicationConfig,
  sourceConfig,
  taskSettingsConfig,
  validationConfig,
} from "./config";
import { DmsPipeline } from "./dmsPipeline";

/** pipelines: one DMS extraction with validation per source database. */
export function pipelinesProgram() {
  const ctx = stackContext("pipelines", pipelinesConfig);
  const { config, env } = ctx;
  if (config.cdcLatencyAlarmSeconds <= config.cdcMaxBatchIntervalSeconds) {
    throw new ConfigError(ctx.stackFile, [
      `pipelines:cdcLatencyAlarmSeconds: ${config.cdcLatencyAlarmSeconds} is not above pipelines:cdcMaxBatchIntervalSeconds (${config.cdcMaxBatchIntervalSeconds}); ` +
        "DMS holds changes that long before writing a file, so the latency alarm would always fire: raise the alarm or lower the interval",
    ]);
  }
  const core = ctx.reference("core");
  const invokeOpts = { provider: ctx.provider };
  const accountId = aws.getCallerIdentityOutput({}, invokeOpts).accountId;
  // Made by pipelines_base (prod stack, shared by every environment): found by its fixed name.
  const securityGroup = aws.ec2.getSecurityGroupOutput(
    { name: DMS_SHARED_NAMES.securityGroup },
    invokeOpts,
  );

  const coreResources = {
    rawHistoryBucketName: upstreamString(core, "rawHistoryBucketName"),
    failBucketName: upstreamString(core, "failBucketName"),
    metadataBucketName: upstreamString(core, "metadataBucketName"),
    kmsKeyArn: upstreamString(core, "kmsKeyArn"),
    alertsTopicArn: upstreamString(core, "alertsTopicArn"),
  };
  const { databases, ...reader } = configSection(config, sourceConfig);

  const pipelines = DATABASES.map(
    (db) =>
      new DmsPipeline(
        db,
        {
          database: db,
          env,
          region: ctx.region,
          accountId,
          tables: loadDatabase(db),
          core: coreResources,
          source: { ...databases[db], ...reader },
          landing: configSection(config, landingConfig),
          replication: configSection(config, replicationConfig),
          taskSettings: configSection(config, taskSettingsConfig),
          alerts: configSection(config, alertsConfig),
          validation: configSection(config, validationConfig),
          securityGroupIds: [securityGroup.id],
          protect: ctx.protectStateful,
        },
        ctx.componentOptions,
      ),
  );
  const byDatabase = <T>(pick: (p: DmsPipeline) => T) =>
    Object.fromEntries(DATABASES.map((db, i) => [db, pick(pipelines[i])]));

  return {
    /** Granted write access by the landing bucket policy in data-engineering-infra. */
    dmsRoleArn: byDatabase((p) => p.dmsRole.arn),
    replicationTaskArns: byDatabase((p) => p.task.replicationTaskArn),
    validateFunctionNames: byDatabase((p) => p.validator.name),
  };
}
