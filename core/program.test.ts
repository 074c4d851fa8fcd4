import { MOCK_ACCOUNT_ID } from "../lib/plan/evaluate";
import { named, ofType, planStack, policyOf } from "../lib/testing/programs";
import { ENVIRONMENTS } from "../lib/model/stacks";
import { REQUIRED_TAG_KEYS } from "../lib/model/tags";

// The first test evaluates the stacks (SDK and programs load then): seconds of CPU, more on a
// loaded machine, so jest's default 5 s is too short.
jest.setTimeout(30_000);

const BUCKETS = ["access-logs", "raw-history", "fail", "metadata"] as const;

describe.each(ENVIRONMENTS)("core-%s", (env) => {
  const isProtected = env !== "dev";

  it("exports every name and ARN the other projects consume", async () => {
    const { outputs } = await planStack("core", env);
    expect(Object.keys(outputs).sort()).toEqual(
      [
        "accessLogsBucketName",
        "alertsTopicArn",
        "alertsTopicName",
        "failBucketArn",
        "failBucketName",
        "kmsKeyArn",
        "kmsKeyId",
        "metadataBucketArn",
        "metadataBucketName",
        "notifyFailuresQueueUrl",
        "notifyFunctionName",
        "rawHistoryBucketArn",
        "rawHistoryBucketName",
      ].sort(),
    );
    expect(outputs.rawHistoryBucketName).toBe(`mojap-dataeng-raw-history-${env}`);
    expect(outputs.failBucketArn).toBe(`arn:aws:s3:::mojap-dataeng-fail-${env}`);
    expect(outputs.alertsTopicName).toBe(`dataeng-alerts-${env}`);
  });

  it("has one rotating KMS key, protected outside dev", async () => {
    const { resources } = await planStack("core", env);
    const [key] = ofType(resources, "aws:kms/key:Key");
    expect(ofType(resources, "aws:kms/key:Key")).toHaveLength(1);
    expect(key.inputs).toMatchObject({ enableKeyRotation: true, deletionWindowInDays: 30 });
    expect(key.protect).toBe(isProtected);
    expect(key.retainOnDelete).toBe(isProtected);
    const statements = policyOf(key).Statement;
    expect(statements.map((s) => s.Sid)).toEqual([
      "AccountAdministersThroughIam",
      "CloudWatchLogsEncryptsLogGroups",
      "AlarmsAndEventsPublishToEncryptedTopic",
    ]);
    expect(statements[0].Principal).toEqual({ AWS: `arn:aws:iam::${MOCK_ACCOUNT_ID}:root` });
    // EventBridge needs the key of an encrypted SNS target ("Amazon SNS permissions", EventBridge
    // User Guide, eb-use-resource-based), from this account only.
    expect(statements[2]).toEqual({
      Sid: "AlarmsAndEventsPublishToEncryptedTopic",
      Effect: "Allow",
      Principal: { Service: ["cloudwatch.amazonaws.com", "events.amazonaws.com"] },
      Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
      Resource: "*",
      Condition: { StringEquals: { "aws:SourceAccount": MOCK_ACCOUNT_ID } },
    });
  });

  it("makes four private, versioned, TLS-only buckets; data buckets use the KMS key and log access", async () => {
    const { resources, outputs } = await planStack("core", env);
    const buckets = ofType(resources, "aws:s3/bucket:Bucket");
    expect(buckets.map((b) => b.inputs.bucket).sort()).toEqual(
      BUCKETS.map((p) => `mojap-dataeng-${p}-${env}`).sort(),
    );
    for (const purpose of BUCKETS) {
      const bucket = named(resources, `${purpose}-bucket`);
      const id = bucket.inputs.bucket;
      expect(bucket.protect).toBe(isProtected);
      expect(bucket.retainOnDelete).toBe(isProtected);
      expect(bucket.inputs.forceDestroy).toBe(!isProtected);
      expect(named(resources, `${purpose}-versioning`).inputs).toEqual({
        bucket: id,
        versioningConfiguration: { status: "Enabled" },
      });
      expect(named(resources, `${purpose}-public-access-block`).inputs).toEqual({
        bucket: id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      });
      expect(named(resources, `${purpose}-ownership`).inputs.rule).toEqual({
        objectOwnership: "BucketOwnerEnforced",
      });
      const tls = policyOf(named(resources, `${purpose}-policy`)).Statement[0];
      expect(tls).toEqual({
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: "s3:*",
        Resource: [`arn:aws:s3:::${id}`, `arn:aws:s3:::${id}/*`],
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      });
      const rules = named(resources, `${purpose}-lifecycle`).inputs.rules as { id: string }[];
      expect(rules[0]).toMatchObject({
        id: "abort-incomplete-multipart-uploads",
        abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
      });
      const encryption = (
        named(resources, `${purpose}-encryption`).inputs.rules as Record<string, unknown>[]
      )[0];
      if (purpose === "access-logs") {
        // S3 server access logs can only be delivered to an SSE-S3 bucket.
        expect(encryption).toEqual({
          applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" },
        });
        expect(resources.some((r) => r.name === "access-logs-logging")).toBe(false);
      } else {
        expect(encryption).toEqual({
          applyServerSideEncryptionByDefault: {
            sseAlgorithm: "aws:kms",
            kmsMasterKeyId: outputs.kmsKeyArn,
          },
          bucketKeyEnabled: true,
        });
        expect(named(resources, `${purpose}-logging`).inputs).toEqual({
          bucket: id,
          targetBucket: `mojap-dataeng-access-logs-${env}`,
          targetPrefix: `${id}/`,
        });
      }
    }
  });

  it("lets only S3 log delivery from this account write to the access-log bucket", async () => {
    const { resources } = await planStack("core", env);
    const delivery = policyOf(named(resources, "access-logs-policy")).Statement[1];
    expect(delivery).toEqual({
      Sid: "S3ServerAccessLogsDelivery",
      Effect: "Allow",
      Principal: { Service: "logging.s3.amazonaws.com" },
      Action: "s3:PutObject",
      Resource: `arn:aws:s3:::mojap-dataeng-access-logs-${env}/*`,
      Condition: { StringEquals: { "aws:SourceAccount": MOCK_ACCOUNT_ID } },
    });
  });

  it("encrypts the alerts topic with the key and subscribes the Slack notifier", async () => {
    const { resources, outputs } = await planStack("core", env);
    const topic = named(resources, "alerts");
    expect(topic.inputs).toMatchObject({
      name: `dataeng-alerts-${env}`,
      kmsMasterKeyId: outputs.kmsKeyArn,
    });
    const fn = named(resources, "notify-function");
    expect(fn.inputs).toMatchObject({
      name: `dataeng-notify-${env}`,
      runtime: "nodejs22.x",
      handler: "index.handler",
      tracingConfig: { mode: "Active" },
      kmsKeyArn: outputs.kmsKeyArn,
      environment: {
        variables: {
          SLACK_WEBHOOK_SECRET_NAME: `data-engineering/slack-webhook-${env}`,
          ENVIRONMENT: env,
        },
      },
    });
    expect(named(resources, "notify-logs").inputs).toMatchObject({
      name: `/aws/lambda/dataeng-notify-${env}`,
      retentionInDays: env === "dev" ? 30 : 90,
      kmsKeyId: outputs.kmsKeyArn,
    });
    expect(named(resources, "notify-subscription").inputs).toEqual({
      topic: outputs.alertsTopicArn,
      protocol: "lambda",
      endpoint: `arn:aws:lambda:eu-west-2:${MOCK_ACCOUNT_ID}:function:dataeng-notify-${env}`,
    });
    expect(named(resources, "notify-invoke-config").inputs).toMatchObject({
      maximumRetryAttempts: 2,
      destinationConfig: {
        onFailure: {
          destination: `arn:aws:sqs:eu-west-2:${MOCK_ACCOUNT_ID}:dataeng-notify-failures-${env}`,
        },
      },
    });
    expect(named(resources, "notify-failures").inputs.kmsMasterKeyId).toBe(outputs.kmsKeyArn);
    expect(named(resources, "notify-from-alerts").inputs).toMatchObject({
      principal: "sns.amazonaws.com",
      sourceArn: outputs.alertsTopicArn,
    });
    const read = policyOf(named(resources, "notify-policy")).Statement.find(
      (s) => s.Sid === "ReadSlackWebhook",
    );
    expect(read?.Resource).toBe(
      `arn:aws:secretsmanager:eu-west-2:${MOCK_ACCOUNT_ID}:secret:data-engineering/slack-webhook-${env}-??????`,
    );
  });

  it("lets CloudWatch and EventBridge publish to the alerts topic from this account only", async () => {
    const { resources, outputs } = await planStack("core", env);
    const statements = policyOf(named(resources, "alerts-policy"), "policy").Statement;
    expect(statements[1]).toEqual({
      Sid: "ServicesPublishAlerts",
      Effect: "Allow",
      Principal: { Service: ["cloudwatch.amazonaws.com", "events.amazonaws.com"] },
      Action: "sns:Publish",
      Resource: outputs.alertsTopicArn,
      Condition: { StringEquals: { "aws:SourceAccount": MOCK_ACCOUNT_ID } },
    });
    expect(JSON.stringify(statements)).not.toContain("dms.amazonaws.com");
  });

  it("alarms as soon as an alert waits in the undelivered queue", async () => {
    const { resources, outputs } = await planStack("core", env);
    expect(named(resources, "notify-failures-alarm").inputs).toMatchObject({
      name: `dataeng-notify-failures-${env}`,
      namespace: "AWS/SQS",
      metricName: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: `dataeng-notify-failures-${env}` },
      statistic: "Maximum",
      period: 300,
      evaluationPeriods: 1,
      threshold: 0,
      comparisonOperator: "GreaterThanThreshold",
      alarmActions: [outputs.alertsTopicArn],
      okActions: [outputs.alertsTopicArn],
    });
  });

  it("tags everything through the provider's default tags", async () => {
    const { resources } = await planStack("core", env);
    const [provider] = ofType(resources, "pulumi:providers:aws");
    // Provider inputs reach the engine (and policies) with nested values as JSON text.
    const tags = JSON.parse(provider.inputs.defaultTags as string).tags as Record<string, string>;
    expect(Object.keys(tags).sort()).toEqual([...REQUIRED_TAG_KEYS].sort());
    expect(tags).toMatchObject({ environment: env, "is-production": String(env === "prod") });
    expect(provider.inputs.region).toBe("eu-west-2");
    const custom = resources.filter((r) => r.custom && !r.type.startsWith("pulumi:"));
    expect(custom.every((r) => r.provider?.startsWith(provider.urn))).toBe(true);
  });
});
