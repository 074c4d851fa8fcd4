import { dmsPolicies } from "./dms";
import { describeResourcePolicy, policyNamed } from "./testing";
import { T } from "./types";

const policy = (name: string) => policyNamed(dmsPolicies, name);
const KEY = "arn:aws:kms:eu-west-2:111122223333:key/1234abcd";
const instance = {
  replicationInstanceId: "delius-prod",
  replicationInstanceClass: "dms.t3.medium",
  publiclyAccessible: false,
  kmsKeyArn: KEY,
  autoMinorVersionUpgrade: true,
  replicationSubnetGroupId: "dataeng-dms-replication",
  vpcSecurityGroupIds: ["sg-123"],
};
const ri = `${T.dmsReplicationInstance} "subject"`;

describeResourcePolicy(policy("dms-replication-instance-not-public"), T.dmsReplicationInstance, [
  { title: "private", props: instance, messages: [] },
  {
    title: "left to the AWS default",
    props: { ...instance, publiclyAccessible: undefined },
    messages: [
      `${ri}: publiclyAccessible is not set, and AWS defaults it to true. Fix: set publiclyAccessible: false.`,
    ],
  },
  {
    title: "public",
    props: { ...instance, publiclyAccessible: true },
    messages: [`${ri}: it is publicly accessible. Fix: set publiclyAccessible: false.`],
  },
]);

describeResourcePolicy(policy("dms-replication-instance-kms-encrypted"), T.dmsReplicationInstance, [
  { title: "customer key", props: instance, messages: [] },
  {
    title: "no key",
    props: { ...instance, kmsKeyArn: undefined },
    messages: [
      `${ri}: kmsKeyArn is not set, so its storage uses the AWS managed key aws/dms. Fix: set kmsKeyArn to the customer-managed key's ARN.`,
    ],
  },
  {
    title: "the AWS managed key",
    props: { ...instance, kmsKeyArn: "arn:aws:kms:eu-west-2:111122223333:alias/aws/dms" },
    messages: [/uses the AWS managed key/],
  },
]);

describeResourcePolicy(
  policy("dms-replication-instance-minor-upgrades"),
  T.dmsReplicationInstance,
  [
    { title: "on", props: instance, messages: [] },
    {
      title: "off",
      props: { ...instance, autoMinorVersionUpgrade: false },
      messages: [
        `${ri}: automatic minor version upgrades are off. Fix: set autoMinorVersionUpgrade: true.`,
      ],
    },
  ],
);

describeResourcePolicy(policy("dms-replication-instance-network"), T.dmsReplicationInstance, [
  { title: "subnet group and security group", props: instance, messages: [] },
  {
    title: "default VPC and security group",
    props: { ...instance, replicationSubnetGroupId: undefined, vpcSecurityGroupIds: [] },
    messages: [
      `${ri}: replicationSubnetGroupId is not set, so it lands in the default VPC. Fix: set replicationSubnetGroupId to the subnet group pipelines_base creates.`,
      `${ri}: vpcSecurityGroupIds is empty, so it gets the VPC's default security group. Fix: set vpcSecurityGroupIds to the security group pipelines_base creates.`,
    ],
  },
]);

const SECRET = "arn:aws:secretsmanager:eu-west-2:111122223333:secret:delius-dms-AbCdEf";
const oracle = {
  endpointId: "delius-prod-source",
  endpointType: "source",
  engineName: "oracle",
  databaseName: "DELIUS",
  secretsManagerArn: SECRET,
  secretsManagerAccessRoleArn: "arn:aws:iam::111122223333:role/dataeng-delius-secrets-prod",
  sslMode: "verify-ca",
  certificateArn: "arn:aws:dms:eu-west-2:111122223333:cert:ABC",
};
const ep = `${T.dmsEndpoint} "subject"`;

describeResourcePolicy(policy("dms-endpoint-secrets-manager"), T.dmsEndpoint, [
  { title: "credentials from Secrets Manager", props: oracle, messages: [] },
  {
    title: "an engine without credentials",
    props: { endpointId: "x", endpointType: "target", engineName: "s3" },
    messages: [],
  },
  {
    title: "a password",
    props: {
      ...oracle,
      secretsManagerArn: undefined,
      secretsManagerAccessRoleArn: undefined,
      username: "dms",
      password: "hunter2",
    },
    messages: [
      `${ep}: it sets password. Fix: remove password and username, and set secretsManagerArn and secretsManagerAccessRoleArn.`,
      `${ep}: secretsManagerArn and secretsManagerAccessRoleArn are not set. Fix: set secretsManagerArn to the credentials secret and secretsManagerAccessRoleArn to a role DMS can assume to read it.`,
    ],
  },
  {
    title: "no access role",
    props: { ...oracle, secretsManagerAccessRoleArn: "" },
    messages: [/secretsManagerAccessRoleArn is not set\./],
  },
]);

describeResourcePolicy(policy("dms-endpoint-ssl"), T.dmsEndpoint, [
  { title: "verify-ca with a certificate", props: oracle, messages: [] },
  {
    title: "an S3 target has no connection of its own to judge",
    props: { endpointType: "target", engineName: "s3", kmsKeyArn: "k" },
    messages: [],
  },
  {
    title: "a database target is judged like a source",
    props: { ...oracle, endpointType: "target", sslMode: "none" },
    messages: [
      `${ep}: its sslMode is "none". Fix: set sslMode to one of require, verify-ca, verify-full (Oracle supports verify-ca) with certificateArn.`,
    ],
  },
  {
    title: "no SSL",
    props: { ...oracle, sslMode: "none" },
    messages: [
      `${ep}: its sslMode is "none". Fix: set sslMode to one of require, verify-ca, verify-full (Oracle supports verify-ca) with certificateArn.`,
    ],
  },
  {
    title: "verify-ca without the certificate",
    props: { ...oracle, certificateArn: undefined },
    messages: [
      `${ep}: sslMode verify-ca needs the CA certificate, but certificateArn is not set. Fix: import the CA certificate as an aws.dms.Certificate and set certificateArn.`,
    ],
  },
  {
    title: "require when configured out",
    props: { ...oracle, sslMode: "require" },
    config: { allowedSslModes: ["verify-ca"] },
    messages: [/its sslMode is "require"/],
  },
]);

const target = {
  endpointId: "delius-prod-target",
  endpointType: "target",
  bucketName: "mojap-land-prod",
  serviceAccessRoleArn: "arn:aws:iam::111122223333:role/dataeng-delius-dms-prod",
  dataFormat: "parquet",
  encryptionMode: "SSE_KMS",
  serverSideEncryptionKmsKeyId: KEY,
};
describeResourcePolicy(policy("dms-s3-endpoint-sse-kms"), T.dmsS3Endpoint, [
  { title: "SSE-KMS with the customer key", props: target, messages: [] },
  {
    title: "SSE-S3 by default",
    props: { ...target, encryptionMode: undefined, serverSideEncryptionKmsKeyId: undefined },
    messages: [
      `${T.dmsS3Endpoint} "subject": its encryptionMode is "SSE_S3", not SSE_KMS. Fix: set encryptionMode: "SSE_KMS" and serverSideEncryptionKmsKeyId to the customer-managed key ARN.`,
    ],
  },
  {
    title: "SSE-KMS without a key",
    props: { ...target, serverSideEncryptionKmsKeyId: undefined },
    messages: [/serverSideEncryptionKmsKeyId is not set/],
  },
]);

const settings = (logging: object) =>
  JSON.stringify({ Logging: logging, TargetMetadata: { ParallelLoadThreads: 0 } });
describeResourcePolicy(policy("dms-replication-task-logging"), T.dmsReplicationTask, [
  {
    title: "logging on",
    props: {
      migrationType: "full-load-and-cdc",
      replicationTaskSettings: settings({ EnableLogging: true }),
    },
    messages: [],
  },
  {
    title: "no settings",
    props: { migrationType: "full-load-and-cdc" },
    messages: [
      `${T.dmsReplicationTask} "subject": it has no replicationTaskSettings, so logging is off. Fix: set replicationTaskSettings to JSON with { "Logging": { "EnableLogging": true } }.`,
    ],
  },
  {
    title: "logging off",
    props: { replicationTaskSettings: settings({ EnableLogging: false }) },
    messages: [/Logging\.EnableLogging is not true/],
  },
  {
    title: "settings that are not JSON",
    props: { replicationTaskSettings: "{oops" },
    messages: [/cannot judge replicationTaskSettings: it is not valid JSON/],
    level: "advisory",
  },
]);

describeResourcePolicy(
  policy("dms-replication-subnet-group-multi-az"),
  T.dmsReplicationSubnetGroup,
  [
    {
      title: "two subnets",
      props: { replicationSubnetGroupId: "g", subnetIds: ["subnet-a", "subnet-b"] },
      messages: [],
    },
    {
      title: "one subnet",
      props: { replicationSubnetGroupId: "g", subnetIds: ["subnet-a"] },
      messages: [
        `${T.dmsReplicationSubnetGroup} "subject": it has 1 subnet, fewer than 2. Fix: list at least 2 private subnets in different availability zones.`,
      ],
    },
  ],
);

describeResourcePolicy(policy("dms-event-subscription-failure-alerts"), T.dmsEventSubscription, [
  {
    title: "no failure events in prod: blocks",
    props: {
      sourceType: "replication-task",
      eventCategories: ["state change"],
      snsTopicArn: "arn:aws:sns:eu-west-2:1:alerts",
    },
    stackTags: new Map([["dataeng:stack", "pipelines-prod"]]),
    messages: [
      `${T.dmsEventSubscription} "subject": its eventCategories (state change) leave out "failure". Fix: add "failure" to eventCategories.`,
    ],
    level: "mandatory",
  },
  {
    title: "no failure events in dev: advisory",
    props: {
      sourceType: "replication-task",
      eventCategories: ["state change"],
      snsTopicArn: "arn:aws:sns:eu-west-2:1:alerts",
    },
    stackTags: new Map([["dataeng:stack", "pipelines-dev"]]),
    messages: [
      `${T.dmsEventSubscription} "subject": its eventCategories (state change) leave out "failure". Fix: add "failure" to eventCategories. (advisory in dev; blocks the deploy in prod)`,
    ],
    level: "advisory",
  },
  {
    title: "failures to the alerts topic",
    props: {
      sourceType: "replication-task",
      eventCategories: ["failure", "state change"],
      snsTopicArn: "arn:aws:sns:eu-west-2:1:alerts",
    },
    messages: [],
  },
  {
    title: "all categories",
    props: {
      sourceType: "replication-task",
      eventCategories: [],
      snsTopicArn: "arn:aws:sns:eu-west-2:1:alerts",
    },
    messages: [],
  },
  {
    title: "disabled, no failures",
    props: {
      sourceType: "replication-task",
      enabled: false,
      eventCategories: ["creation"],
      snsTopicArn: "arn:aws:sns:eu-west-2:1:alerts",
    },
    messages: [
      `${T.dmsEventSubscription} "subject": it is disabled. Fix: set enabled: true.`,
      `${T.dmsEventSubscription} "subject": its eventCategories (creation) leave out "failure". Fix: add "failure" to eventCategories.`,
    ],
  },
]);

describeResourcePolicy(policy("dms-endpoint-customer-key"), T.dmsS3Endpoint, [
  { title: "the customer key", props: { endpointType: "target", kmsKeyArn: KEY }, messages: [] },
  {
    title: "no key",
    props: { endpointType: "target" },
    messages: [
      `${T.dmsS3Endpoint} "subject": kmsKeyArn is not set, so DMS uses the AWS managed key aws/dms. Fix: set kmsKeyArn to the customer-managed key's ARN.`,
    ],
  },
  {
    title: "the AWS managed key",
    props: { endpointType: "target", kmsKeyArn: "alias/aws/dms" },
    messages: [
      `${T.dmsS3Endpoint} "subject": it uses the AWS managed key alias/aws/dms. Fix: set kmsKeyArn to the customer-managed key's ARN.`,
    ],
  },
]);

const PROD = new Map([["dataeng:stack", "pipelines-prod"]]);
describeResourcePolicy(policy("dms-replication-instance-multi-az"), T.dmsReplicationInstance, [
  {
    title: "Multi-AZ in prod",
    props: { ...instance, multiAz: true },
    stackTags: PROD,
    messages: [],
  },
  {
    title: "single-AZ in dev",
    props: { ...instance, multiAz: false },
    stackTags: new Map([["dataeng:stack", "pipelines-dev"]]),
    messages: [],
  },
  {
    title: "single-AZ in prod",
    props: { ...instance, multiAz: false },
    stackTags: PROD,
    messages: [
      `${T.dmsReplicationInstance} "subject": it is single-AZ in prod. Fix: set multiAz: true (pipelines:multiAz in the stack file).`,
    ],
  },
]);

describeResourcePolicy(policy("dms-s3-endpoint-expected-owner"), T.dmsS3Endpoint, [
  {
    title: "this account owns the bucket",
    config: { accountIds: ["111122223333"] },
    props: { endpointType: "target", expectedBucketOwner: "111122223333" },
    messages: [],
  },
  {
    title: "no owner named",
    props: { endpointType: "target" },
    messages: [
      `${T.dmsS3Endpoint} "subject": expectedBucketOwner is not set. Fix: set expectedBucketOwner to this account's ID.`,
    ],
  },
]);
