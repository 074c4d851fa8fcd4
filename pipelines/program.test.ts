import { loadDatabase } from "../lib/model/metadataFiles";
import { evaluateStack, MOCK_ACCOUNT_ID } from "../lib/plan/evaluate";
import { mapOracleType } from "../lib/model/oracleTypes";
import { readStackConfig } from "../lib/model/stackFile";
import { named, ofType, planStack, policyOf } from "../lib/testing/programs";
import { DATABASES, ENVIRONMENTS } from "../lib/model/stacks";
import { isDmsEventEnvelope } from "../lib/contracts/alerts";
import { DOCUMENTED_DMS_EVENT } from "../lib/testing/events";
import { ORACLE_NUMBER_SCALE } from "./replication";
import { tableMappings } from "./tableMappings";
import { replicationTaskSettings } from "./taskSettings";

// The first test evaluates the stacks (SDK and programs load then): seconds of CPU, more on a
// loaded machine, so jest's default 5 s is too short.
jest.setTimeout(30_000);

describe.each(ENVIRONMENTS)("pipelines-%s", (env) => {
  const landing = `mojap-land-${env}`;

  it("exports each database's dmsRole ARN for the landing bucket policy", async () => {
    const { outputs } = await planStack("pipelines", env);
    expect(outputs.dmsRoleArn).toEqual({
      delius: `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/dataeng-delius-dms-${env}`,
      oasys: `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/dataeng-oasys-dms-${env}`,
    });
  });

  it("references core in the same environment only", async () => {
    const { resources } = await planStack("pipelines", env);
    expect(ofType(resources, "pulumi:pulumi:StackReference").map((r) => r.inputs.name)).toEqual([
      `organization/core/core-${env}`,
    ]);
  });

  describe.each(DATABASES)("%s", (db) => {
    it("lets dmsRole be assumed by DMS only and write only its landing prefix", async () => {
      const { resources } = await planStack("pipelines", env);
      const role = named(resources, `${db}-dms-role`);
      expect(policyOf(role, "assumeRolePolicy").Statement).toEqual([
        {
          Effect: "Allow",
          Principal: { Service: "dms.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "aws:SourceAccount": MOCK_ACCOUNT_ID } },
        },
      ]);
      const statements = policyOf(named(resources, `${db}-dms-role-policy`)).Statement;
      expect(statements[0]).toEqual({
        Sid: "WriteOwnLandingPrefix",
        Effect: "Allow",
        Action: ["s3:PutObject", "s3:DeleteObject", "s3:PutObjectTagging"],
        Resource: `arn:aws:s3:::${landing}/${db}/*`,
      });
      expect(statements[1].Condition).toEqual({ StringLike: { "s3:prefix": [`${db}/*`] } });
    });

    it("reads the Oracle connection from Secrets Manager, never a password, over verified TLS", async () => {
      const { resources } = await planStack("pipelines", env);
      const source = named(resources, `${db}-source`);
      expect(source.inputs).toMatchObject({
        endpointId: `${db}-${env}-source`,
        endpointType: "source",
        engineName: "oracle",
        sslMode: "verify-ca",
        secretsManagerArn: expect.stringContaining(`:secret:dms/${db}-${env}/oracle-connection-`),
        secretsManagerAccessRoleArn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/dataeng-${db}-dms-${env}-secrets`,
      });
      for (const secretField of ["password", "username", "serverName"]) {
        expect(source.inputs[secretField]).toBeUndefined();
      }
      const trust = policyOf(named(resources, `${db}-secrets-access-role`), "assumeRolePolicy")
        .Statement[0];
      expect(trust.Principal).toEqual({ Service: "dms.eu-west-2.amazonaws.com" });
    });

    it("writes parquet to the landing bucket with SSE-KMS through dmsRole", async () => {
      const { resources } = await planStack("pipelines", env);
      const target = named(resources, `${db}-target`);
      expect(target.inputs).toMatchObject({
        bucketName: landing,
        dataFormat: "parquet",
        encryptionMode: "SSE_KMS",
        serverSideEncryptionKmsKeyId: expect.stringMatching(/^arn:aws:kms:/),
        serviceAccessRoleArn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/dataeng-${db}-dms-${env}`,
        includeOpForFullLoad: true,
        timestampColumnName: "extraction_timestamp",
      });
    });

    it("runs a private, encrypted replication instance and a protected full-load-and-cdc task", async () => {
      const { resources } = await planStack("pipelines", env);
      const instance = named(resources, `${db}-replication-instance`);
      expect(instance.inputs).toMatchObject({
        publiclyAccessible: false,
        autoMinorVersionUpgrade: true,
        kmsKeyArn: expect.stringMatching(/^arn:aws:kms:/),
        replicationSubnetGroupId: "dataeng-dms-replication",
        vpcSecurityGroupIds: ["sg-0123456789abcdef0"],
        multiAz: env === "prod",
      });
      const task = named(resources, `${db}-task`);
      expect(task.inputs.migrationType).toBe("full-load-and-cdc");
      expect(task.protect).toBe(env !== "dev");
      expect(task.retainOnDelete).toBe(env !== "dev");
      expect(JSON.parse(task.inputs.tableMappings as string)).toEqual(
        tableMappings(db, loadDatabase(db)),
      );
    });

    it("selects exactly the metadata tables and names the S3 folders after the database", async () => {
      const { resources } = await planStack("pipelines", env);
      const rules = JSON.parse(named(resources, `${db}-task`).inputs.tableMappings as string).rules;
      const selected = rules
        .filter((r: Record<string, unknown>) => r["rule-type"] === "selection")
        .map((r: { "object-locator": Record<string, string> }) => r["object-locator"]);
      expect(selected).toEqual(
        loadDatabase(db).map((t) => ({ "schema-name": t.schema, "table-name": t.name })),
      );
      const renames = rules.filter((r: Record<string, unknown>) => r["rule-action"] === "rename");
      expect(renames.every((r: Record<string, unknown>) => r.value === db)).toBe(true);
      expect(new Set(rules.map((r: Record<string, string>) => r["rule-id"])).size).toBe(
        rules.length,
      );
    });

    it("sends DMS task and instance events to core's alerts topic through EventBridge", async () => {
      const { resources } = await planStack("pipelines", env);
      const topic = `arn:aws:sns:eu-west-2:${MOCK_ACCOUNT_ID}:dataeng-alerts-${env}`;
      expect(ofType(resources, "aws:dms/eventSubscription:EventSubscription")).toEqual([]);
      const task = named(resources, `${db}-task`);
      const instance = named(resources, `${db}-replication-instance`);
      // Patterns per "Working with Amazon EventBridge events" (DMS User Guide, CHAP_EventBridge)
      // and the EventBridge events reference for DMS (events-ref-dms): source aws.dms, the
      // detail-type, the resource ARN in "resources", the category in detail.category.
      expect(
        JSON.parse(named(resources, `${db}-task-events`).inputs.eventPattern as string),
      ).toEqual({
        source: ["aws.dms"],
        "detail-type": ["DMS Replication Task State Change"],
        resources: [task.state.replicationTaskArn],
        detail: { category: ["Failure", "StateChange", "ConfigurationChange"] },
      });
      expect(
        JSON.parse(named(resources, `${db}-instance-events`).inputs.eventPattern as string),
      ).toEqual({
        source: ["aws.dms"],
        "detail-type": [{ prefix: "DMS Replication Instance" }],
        resources: [instance.state.replicationInstanceArn],
      });
      for (const suffix of ["task-events", "instance-events"]) {
        expect(named(resources, `${db}-${suffix}`).inputs.name).toBe(
          `dataeng-${db}-${suffix}-${env}`,
        );
        expect(named(resources, `${db}-${suffix}-target`).inputs).toMatchObject({
          rule: `dataeng-${db}-${suffix}-${env}`,
          arn: topic,
          retryPolicy: { maximumRetryAttempts: 185, maximumEventAgeInSeconds: 86400 },
        });
      }
      // The topic gets the event whole with the identifier beside it; EventBridge puts the
      // event where <aws.events.event.json> stands (eb-transform-target-input). Filled in with
      // the documented example event, the message is what the notifier reads as a DMS event.
      for (const [suffix, id] of [
        ["task-events", `${db}-${env}-full-load-and-cdc`],
        ["instance-events", `${db}-${env}-replication`],
      ]) {
        const template = (
          named(resources, `${db}-${suffix}-target`).inputs.inputTransformer as {
            inputTemplate: string;
          }
        ).inputTemplate;
        expect(template).toBe(
          `{"kind":"dms-event","resourceName":"${id}","event":<aws.events.event.json>}`,
        );
        const message = JSON.parse(
          template.replace("<aws.events.event.json>", JSON.stringify(DOCUMENTED_DMS_EVENT)),
        );
        expect(isDmsEventEnvelope(message)).toBe(true);
        expect(message.resourceName).toBe(id);
      }
      expect(task.inputs.startReplicationTask).toBe(env !== "dev");
      const alarms = ofType(resources, "aws:cloudwatch/metricAlarm:MetricAlarm").filter((a) =>
        a.name.startsWith(`${db}-`),
      );
      expect(alarms.map((a) => a.name).sort()).toEqual(
        [
          `${db}-cdc-latency-source`,
          `${db}-cdc-latency-target`,
          `${db}-validate-errors`,
          `${db}-task-events-failed`,
          `${db}-instance-events-failed`,
          `${db}-validation-events-dlq-not-empty`,
          `${db}-validation-vanished-landing-objects`,
        ].sort(),
      );
      for (const alarm of alarms) expect(alarm.inputs.alarmActions).toEqual([topic]);
      for (const suffix of ["task-events", "instance-events"]) {
        expect(named(resources, `${db}-${suffix}-failed`).inputs).toMatchObject({
          name: `${db}-${env}-${suffix}-failed`,
          namespace: "AWS/Events",
          metricName: "FailedInvocations",
          dimensions: { RuleName: `dataeng-${db}-${suffix}-${env}` },
          threshold: 0,
          comparisonOperator: "GreaterThanThreshold",
        });
      }
    });

    it("batches, compresses and pins the owner of the landing bucket on the S3 target", async () => {
      const { resources } = await planStack("pipelines", env);
      // S3Settings (DMS API reference): CdcMaxBatchInterval seconds, CdcMinFileSize KB,
      // CompressionType GZIP|NONE, ExpectedBucketOwner an account id.
      expect(named(resources, `${db}-target`).inputs).toMatchObject({
        cdcMaxBatchInterval: 300,
        cdcMinFileSize: 32000,
        compressionType: "GZIP",
        expectedBucketOwner: MOCK_ACCOUNT_ID,
        parquetVersion: "parquet-2-0",
      });
    });

    it("reads the redo logs with Binary Reader and states the NUMBER scale", async () => {
      const { resources } = await planStack("pipelines", env);
      // OracleSettings (DMS API reference): Binary Reader is UseLogminerReader false, UseBfile true.
      expect(named(resources, `${db}-source`).inputs.oracleSettings).toEqual({
        useLogminerReader: false,
        useBfile: true,
        numberDatatypeScale: 10,
      });
    });

    it("runs the task with the complete settings document from config", async () => {
      const { resources } = await planStack("pipelines", env);
      const task = named(resources, `${db}-task`);
      expect(JSON.parse(task.inputs.replicationTaskSettings as string)).toStrictEqual(
        replicationTaskSettings({
          lobMaxSizeKb: 64,
          maxFullLoadSubTasks: 8,
          recoverableErrorCount: 10,
          recoverableErrorIntervalSeconds: 5,
        }),
      );
      expect(task.inputs.cdcStartPosition).toBeUndefined();
      expect(task.inputs.cdcStartTime).toBeUndefined();
    });

    it("wires new landing objects of its prefix to the validation Lambda", async () => {
      const { resources } = await planStack("pipelines", env);
      const rule = named(resources, `${db}-landing-object-created`);
      expect(JSON.parse(rule.inputs.eventPattern as string)).toEqual({
        source: ["aws.s3"],
        "detail-type": ["Object Created"],
        detail: { bucket: { name: [landing] }, object: { key: [{ prefix: `${db}/` }] } },
      });
      const fn = named(resources, `${db}-validate-function`);
      expect(fn.inputs).toMatchObject({
        name: `dataeng-${db}-validate-${env}`,
        runtime: "nodejs22.x",
        tracingConfig: { mode: "Active" },
        environment: {
          variables: {
            RAW_HISTORY_BUCKET: `mojap-dataeng-raw-history-${env}`,
            FAIL_BUCKET: `mojap-dataeng-fail-${env}`,
            METADATA_BUCKET: `mojap-dataeng-metadata-${env}`,
            ALERTS_TOPIC_ARN: `arn:aws:sns:eu-west-2:${MOCK_ACCOUNT_ID}:dataeng-alerts-${env}`,
            ENVIRONMENT: env,
            UNKNOWN_COLUMNS: env === "prod" ? "fail" : "warn",
          },
        },
      });
      expect(named(resources, `${db}-landing-object-created-target`).inputs.arn).toBe(
        `arn:aws:lambda:eu-west-2:${MOCK_ACCOUNT_ID}:function:dataeng-${db}-validate-${env}`,
      );
      expect(named(resources, `${db}-validate-from-events`).inputs).toMatchObject({
        principal: "events.amazonaws.com",
        sourceArn: `arn:aws:events:eu-west-2:${MOCK_ACCOUNT_ID}:rule/dataeng-${db}-landing-object-created-${env}`,
      });
      expect(named(resources, `${db}-validate-invoke-config`).inputs.destinationConfig).toEqual({
        onFailure: {
          destination: `arn:aws:sns:eu-west-2:${MOCK_ACCOUNT_ID}:dataeng-alerts-${env}`,
        },
      });
      const moves = policyOf(named(resources, `${db}-validate-policy`)).Statement.find(
        (s) => s.Sid === "MoveLandingObjects",
      );
      expect(moves?.Resource).toBe(`arn:aws:s3:::${landing}/${db}/*`);
    });
  });
});

/** pipelines-prod with some config values changed (core's planned outputs upstream). */
async function planProdWith(values: Record<string, string>) {
  const core = await planStack("core", "prod");
  const config = readStackConfig("pipelines", "prod");
  return evaluateStack("pipelines", "prod", {
    upstream: new Map([[core.stack, core.outputs]]),
    config: { ...config, values: { ...config.values, ...values } },
  });
}

const databasesWith = (delius: Record<string, unknown>) =>
  JSON.stringify({
    delius: {
      secretName: "dms/delius-prod/oracle-connection",
      serviceName: "DNDAPRD",
      ...delius,
    },
    oasys: { secretName: "dms/oasys-prod/oracle-connection", serviceName: "OASYSPRD" },
  });

describe("pipelines config beyond the stack files", () => {
  it("uses the documented defaults for keys a stack file leaves out", async () => {
    const core = await planStack("core", "prod");
    const config = readStackConfig("pipelines", "prod");
    const optional = [
      "cdcMaxBatchIntervalSeconds",
      "cdcMinFileSizeKb",
      "compressionType",
      "oracleCdcReader",
      "lobMaxSizeKb",
      "maxFullLoadSubTasks",
      "recoverableErrorCount",
      "recoverableErrorIntervalSeconds",
    ].map((k) => `pipelines:${k}`);
    // Stack files list only what differs from the schema's defaults: prod leaves all 8 out.
    expect(optional.filter((k) => k in config.values)).toEqual([]);
    const { resources, errors } = await evaluateStack("pipelines", "prod", {
      upstream: new Map([[core.stack, core.outputs]]),
      config,
    });
    expect(errors).toEqual([]);
    expect(named(resources, "delius-target").inputs).toMatchObject({
      cdcMaxBatchInterval: 300,
      cdcMinFileSize: 32000,
      compressionType: "GZIP",
    });
    expect(named(resources, "delius-source").inputs.oracleSettings).toMatchObject({
      useLogminerReader: false,
      useBfile: true,
    });
    const settings = JSON.parse(
      named(resources, "delius-task").inputs.replicationTaskSettings as string,
    );
    expect(settings.TargetMetadata.LobMaxSize).toBe(64);
    expect(settings.FullLoadSettings.MaxFullLoadSubTasks).toBe(8);
    expect(settings.ErrorBehavior).toMatchObject({
      RecoverableErrorCount: 10,
      RecoverableErrorInterval: 5,
    });
  });

  it("recovers one database from an SCN as a cdc task, leaving the other alone", async () => {
    const { resources, errors } = await planProdWith({
      "pipelines:databases": databasesWith({ cdcStartPosition: "9876543210" }),
    });
    expect(errors).toEqual([]);
    expect(named(resources, "delius-task").inputs).toMatchObject({
      replicationTaskId: "delius-prod-full-load-and-cdc",
      migrationType: "cdc",
      cdcStartPosition: "9876543210",
    });
    expect(named(resources, "oasys-task").inputs.migrationType).toBe("full-load-and-cdc");
    expect(named(resources, "oasys-task").inputs.cdcStartPosition).toBeUndefined();
  });

  it("recovers from a UTC time", async () => {
    const { resources, errors } = await planProdWith({
      "pipelines:databases": databasesWith({ cdcStartTime: "2026-11-27T06:00:00Z" }),
    });
    expect(errors).toEqual([]);
    expect(named(resources, "delius-task").inputs).toMatchObject({
      migrationType: "cdc",
      cdcStartTime: "2026-11-27T06:00:00Z",
    });
  });

  it("refuses both a start position and a start time, naming the key", async () => {
    const { errors } = await planProdWith({
      "pipelines:databases": databasesWith({
        cdcStartPosition: "1",
        cdcStartTime: "2026-11-27T06:00:00Z",
      }),
    });
    expect(errors.join("\n")).toContain(
      "pipelines:databases.delius: set cdcStartPosition or cdcStartTime, not both (DMS refuses both)",
    );
  });

  it("refuses a local time and an SCN with letters", async () => {
    const { errors } = await planProdWith({
      "pipelines:databases": databasesWith({ cdcStartTime: "27/11/2026 06:00" }),
    });
    expect(errors.join("\n")).toContain(
      "pipelines:databases.delius.cdcStartTime: expected a UTC time such as 2026-11-27T06:00:00Z",
    );
    const scn = await planProdWith({
      "pipelines:databases": databasesWith({ cdcStartPosition: "0x1F" }),
    });
    expect(scn.errors.join("\n")).toContain(
      "pipelines:databases.delius.cdcStartPosition: expected an Oracle SCN (digits only), such as 1234567890",
    );
  });

  it("lets the secrets role decrypt a secret under its own key, through Secrets Manager only", async () => {
    const keyArn = `arn:aws:kms:eu-west-2:${MOCK_ACCOUNT_ID}:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0`;
    const { resources, errors } = await planProdWith({
      "pipelines:databases": databasesWith({ secretKmsKeyArn: keyArn, archivedLogDestId: 2 }),
    });
    expect(errors).toEqual([]);
    expect(policyOf(named(resources, "delius-secrets-access-policy")).Statement[1]).toEqual({
      Sid: "DecryptOracleConnection",
      Effect: "Allow",
      Action: ["kms:Decrypt"],
      Resource: keyArn,
      Condition: { StringEquals: { "kms:ViaService": "secretsmanager.eu-west-2.amazonaws.com" } },
    });
    expect(policyOf(named(resources, "oasys-secrets-access-policy")).Statement).toHaveLength(1);
    expect(named(resources, "delius-source").inputs.oracleSettings).toMatchObject({
      archivedLogDestId: 2,
    });
  });

  it("uses LogMiner, another bucket owner and no compression when told", async () => {
    const { resources, errors } = await planProdWith({
      "pipelines:oracleCdcReader": "logminer",
      "pipelines:landingBucketOwnerAccountId": "210987654321",
      "pipelines:compressionType": "NONE",
    });
    expect(errors).toEqual([]);
    expect(named(resources, "oasys-source").inputs.oracleSettings).toEqual({
      useLogminerReader: true,
      useBfile: false,
      numberDatatypeScale: 10,
    });
    expect(named(resources, "oasys-target").inputs).toMatchObject({
      expectedBucketOwner: "210987654321",
      compressionType: "NONE",
    });
  });

  it("refuses a latency alarm that the batch interval alone would set off", async () => {
    const { errors } = await planProdWith({
      "pipelines:cdcMaxBatchIntervalSeconds": "900",
      "pipelines:cdcLatencyAlarmSeconds": "900",
    });
    expect(errors.join("\n")).toContain(
      "pipelines:cdcLatencyAlarmSeconds: 900 is not above pipelines:cdcMaxBatchIntervalSeconds (900)",
    );
  });
});

test("the endpoint's NUMBER scale is the one the type mapping assumes", () => {
  expect(mapOracleType("NUMBER")).toEqual(mapOracleType(`NUMBER(38,${ORACLE_NUMBER_SCALE})`));
});
