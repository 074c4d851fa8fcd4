import { loadDatabase } from "../lib/metadata";
import { MOCK_ACCOUNT_ID } from "../lib/evaluate";
import { named, ofType, planStack, policyOf } from "../lib/testing";
import { DATABASES, ENVIRONMENTS } from "../lib/stacks";
import { tableMappings } from "./tableMappings";

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

    it("sends task failures and alarms to core's alerts topic", async () => {
      const { resources } = await planStack("pipelines", env);
      const topic = `arn:aws:sns:eu-west-2:${MOCK_ACCOUNT_ID}:dataeng-alerts-${env}`;
      expect(named(resources, `${db}-task-failures`).inputs).toMatchObject({
        snsTopicArn: topic,
        sourceType: "replication-task",
        sourceIds: [`${db}-${env}-full-load-and-cdc`],
        eventCategories: ["failure", "state change"],
      });
      expect(named(resources, `${db}-task`).inputs.startReplicationTask).toBe(env !== "dev");
      const alarms = ofType(resources, "aws:cloudwatch/metricAlarm:MetricAlarm").filter((a) =>
        a.name.startsWith(`${db}-`),
      );
      expect(alarms.map((a) => a.name).sort()).toEqual(
        [
          `${db}-cdc-latency-source`,
          `${db}-cdc-latency-target`,
          `${db}-validate-errors`,
          `${db}-validation-events-dlq-not-empty`,
          `${db}-validation-vanished-landing-objects`,
        ].sort(),
      );
      for (const alarm of alarms) expect(alarm.inputs.alarmActions).toEqual([topic]);
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
