/** DMS: replication instances, endpoints, tasks, subnet groups and event subscriptions. */
import * as dms from "@pulumi/aws/dms";
import {
  PRODUCTION_ENVIRONMENTS,
  environmentsText,
  accountList,
  type PackPolicy,
  asList,
  isAwsManagedKey,
  isRecord,
  nonEmptyString,
  parseMaybeJson,
  environmentOf,
  resourcePolicy,
  resourcePolicyForType,
} from "./common";
import { T } from "./types";

const notPublic = resourcePolicy({
  name: "dms-replication-instance-not-public",
  description:
    "A DMS replication instance has no public IP address (AWS makes it public unless told otherwise).",
  enforcementLevel: "mandatory",
  remediationSteps: "Set publiclyAccessible: false.",
  resource: dms.ReplicationInstance,
  validate: (props, judge) => {
    if (props.publiclyAccessible !== false) {
      judge.fail(
        props.publiclyAccessible === true
          ? "it is publicly accessible"
          : "publiclyAccessible is not set, and AWS defaults it to true",
        "set publiclyAccessible: false",
      );
    }
  },
});

const instanceKms = resourcePolicy({
  name: "dms-replication-instance-kms-encrypted",
  description: "A DMS replication instance encrypts its storage with a customer-managed KMS key.",
  enforcementLevel: "mandatory",
  remediationSteps: "Set kmsKeyArn to the customer-managed key's ARN.",
  resource: dms.ReplicationInstance,
  validate: (props, judge) => {
    if (!nonEmptyString(props.kmsKeyArn)) {
      judge.fail(
        "kmsKeyArn is not set, so its storage uses the AWS managed key aws/dms",
        "set kmsKeyArn to the customer-managed key's ARN",
      );
    } else if (isAwsManagedKey(props.kmsKeyArn)) {
      judge.fail(
        `it uses the AWS managed key ${props.kmsKeyArn}`,
        "set kmsKeyArn to the customer-managed key's ARN",
      );
    }
  },
});

const minorUpgrades = resourcePolicy({
  name: "dms-replication-instance-minor-upgrades",
  description:
    "A DMS replication instance takes minor engine upgrades (security fixes) automatically.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Set autoMinorVersionUpgrade: true (upgrades happen in preferredMaintenanceWindow).",
  resource: dms.ReplicationInstance,
  validate: (props, judge) => {
    if (props.autoMinorVersionUpgrade !== true) {
      judge.fail("automatic minor version upgrades are off", "set autoMinorVersionUpgrade: true");
    }
  },
});

const network = resourcePolicy({
  name: "dms-replication-instance-network",
  description:
    "A DMS replication instance runs in the pipelines' replication subnet group with an explicit security group, not in the default VPC and security group.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Set replicationSubnetGroupId and vpcSecurityGroupIds (pipelines_base creates both).",
  resource: dms.ReplicationInstance,
  validate: (props, judge) => {
    if (!nonEmptyString(props.replicationSubnetGroupId)) {
      judge.fail(
        "replicationSubnetGroupId is not set, so it lands in the default VPC",
        "set replicationSubnetGroupId to the subnet group pipelines_base creates",
      );
    }
    if (asList(props.vpcSecurityGroupIds).length === 0) {
      judge.fail(
        "vpcSecurityGroupIds is empty, so it gets the VPC's default security group",
        "set vpcSecurityGroupIds to the security group pipelines_base creates",
      );
    }
  },
});

export const DEFAULT_ENGINES_WITHOUT_CREDENTIALS = [
  "s3",
  "dynamodb",
  "kinesis",
  "kafka",
  "opensearch",
  "elasticsearch",
  "neptune",
];

const endpointSecrets = resourcePolicy<dms.EndpointArgs, { enginesWithoutCredentials: string[] }>({
  name: "dms-endpoint-secrets-manager",
  description:
    "A DMS endpoint reads its credentials from Secrets Manager; it never holds a password (which would sit in the state file).",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Remove password and username; set secretsManagerArn and secretsManagerAccessRoleArn.",
  config: {
    enginesWithoutCredentials: {
      type: "array",
      items: { type: "string", minLength: 1 },
      uniqueItems: true,
      default: DEFAULT_ENGINES_WITHOUT_CREDENTIALS,
      description: "Engines that authenticate with an IAM role rather than credentials.",
    },
  },
  resource: dms.Endpoint,
  validate: (props, judge) => {
    if (props.password !== undefined) {
      judge.fail(
        "it sets password",
        "remove password and username, and set secretsManagerArn and secretsManagerAccessRoleArn",
      );
    }
    if (judge.config.enginesWithoutCredentials.includes(props.engineName)) return;
    if (
      !nonEmptyString(props.secretsManagerArn) ||
      !nonEmptyString(props.secretsManagerAccessRoleArn)
    ) {
      const missing = [
        nonEmptyString(props.secretsManagerArn) ? "" : "secretsManagerArn",
        nonEmptyString(props.secretsManagerAccessRoleArn) ? "" : "secretsManagerAccessRoleArn",
      ].filter(Boolean);
      judge.fail(
        `${missing.join(" and ")} ${missing.length > 1 ? "are" : "is"} not set`,
        "set secretsManagerArn to the credentials secret and secretsManagerAccessRoleArn to a role DMS can assume to read it",
      );
    }
  },
});

const sourceSsl = resourcePolicy<dms.EndpointArgs, { allowedSslModes: string[] }>({
  name: "dms-endpoint-ssl",
  description:
    "A DMS endpoint, source or target, connects to its database over SSL, with a certificate when the mode verifies it (engines without a connection of their own, such as s3, are exempt).",
  enforcementLevel: "mandatory",
  remediationSteps:
    'Set sslMode to "verify-ca" (Oracle supports none or verify-ca) and certificateArn to the imported CA certificate.',
  config: {
    allowedSslModes: {
      type: "array",
      items: { type: "string", enum: ["require", "verify-ca", "verify-full"] },
      minItems: 1,
      uniqueItems: true,
      default: ["require", "verify-ca", "verify-full"],
      description: "SSL modes accepted on an endpoint.",
    },
  },
  resource: dms.Endpoint,
  validate: (props, judge) => {
    if (DEFAULT_ENGINES_WITHOUT_CREDENTIALS.includes(props.engineName)) return;
    const mode = props.sslMode ?? "none";
    if (!judge.config.allowedSslModes.includes(mode)) {
      judge.fail(
        `its sslMode is ${JSON.stringify(mode)}`,
        `set sslMode to one of ${judge.config.allowedSslModes.join(", ")} (Oracle supports verify-ca) with certificateArn`,
      );
    } else if (mode.startsWith("verify-") && !nonEmptyString(props.certificateArn)) {
      judge.fail(
        `sslMode ${mode} needs the CA certificate, but certificateArn is not set`,
        "import the CA certificate as an aws.dms.Certificate and set certificateArn",
      );
    }
  },
});

/**
 * DMS endpoints that take a customer-managed key: every aws:dms/endpoint and aws:dms/s3Endpoint
 * has kmsKeyArn (the key that encrypts its connection parameters; AWS DMS API CreateEndpoint
 * KmsKeyId: "If you don't specify a value, AWS DMS uses your default encryption key").
 */
const endpointKms = resourcePolicyForType({
  name: "dms-endpoint-customer-key",
  description:
    "A DMS endpoint (aws:dms/endpoint or aws:dms/s3Endpoint) encrypts its connection settings with a customer-managed key (kmsKeyArn), not the account's default aws/dms key.",
  enforcementLevel: "mandatory",
  remediationSteps: "Set kmsKeyArn to the customer-managed key's ARN.",
  type: [T.dmsEndpoint, T.dmsS3Endpoint],
  validate: (props, judge) => {
    const key = props["kmsKeyArn"];
    if (!nonEmptyString(key)) {
      judge.fail(
        "kmsKeyArn is not set, so DMS uses the AWS managed key aws/dms",
        "set kmsKeyArn to the customer-managed key's ARN",
      );
    } else if (isAwsManagedKey(key)) {
      judge.fail(
        `it uses the AWS managed key ${key}`,
        "set kmsKeyArn to the customer-managed key's ARN",
      );
    }
  },
});

const multiAzProd = resourcePolicy<dms.ReplicationInstanceArgs, { environments: string[] }>({
  name: "dms-replication-instance-multi-az",
  description: `In ${environmentsText(PRODUCTION_ENVIRONMENTS)} (the stack's environment, never a tag), a DMS replication instance is Multi-AZ, so that an AZ outage does not stop change data capture.`,
  enforcementLevel: "mandatory",
  remediationSteps: `Set pipelines:multiAz: true in the ${environmentsText(PRODUCTION_ENVIRONMENTS)} stack file (multiAz on the instance).`,
  config: {
    environments: {
      type: "array",
      items: { type: "string", minLength: 1 },
      uniqueItems: true,
      default: [...PRODUCTION_ENVIRONMENTS],
      description: "Environments (from the stack name) whose instances must be Multi-AZ.",
    },
  },
  resource: dms.ReplicationInstance,
  validate: (props, judge) => {
    const env = environmentOf(undefined, judge.args.stackTags);
    if (env === undefined) {
      if (props.multiAz !== true)
        judge.cannotJudge("whether it must be Multi-AZ: the stack name is unknown");
      return;
    }
    if (judge.config.environments.includes(env) && props.multiAz !== true) {
      judge.fail(
        `it is single-AZ in ${env}`,
        "set multiAz: true (pipelines:multiAz in the stack file)",
      );
    }
  },
});

const s3TargetKms = resourcePolicy({
  name: "dms-s3-endpoint-sse-kms",
  description: "A DMS S3 target endpoint writes objects with SSE-KMS and a customer-managed key.",
  enforcementLevel: "mandatory",
  remediationSteps:
    'Set encryptionMode: "SSE_KMS" and serverSideEncryptionKmsKeyId to the customer-managed key ARN.',
  resource: dms.S3Endpoint,
  validate: (props, judge) => {
    if (props.endpointType !== "target") return;
    const fix =
      'set encryptionMode: "SSE_KMS" and serverSideEncryptionKmsKeyId to the customer-managed key ARN';
    if (props.encryptionMode !== "SSE_KMS") {
      judge.fail(
        `its encryptionMode is ${JSON.stringify(props.encryptionMode ?? "SSE_S3")}, not SSE_KMS`,
        fix,
      );
    } else if (!nonEmptyString(props.serverSideEncryptionKmsKeyId)) {
      judge.fail("serverSideEncryptionKmsKeyId is not set", fix);
    } else if (isAwsManagedKey(props.serverSideEncryptionKmsKeyId)) {
      judge.fail(`it uses the AWS managed key ${props.serverSideEncryptionKmsKeyId}`, fix);
    }
  },
});

const taskLogging = resourcePolicy({
  name: "dms-replication-task-logging",
  description:
    "A DMS replication task logs to CloudWatch, so that a failed full load or CDC can be diagnosed.",
  enforcementLevel: "advisory",
  remediationSteps:
    'Set replicationTaskSettings to JSON with { "Logging": { "EnableLogging": true } }.',
  resource: dms.ReplicationTask,
  validate: (props, judge) => {
    const fix = 'set replicationTaskSettings to JSON with { "Logging": { "EnableLogging": true } }';
    if (props.replicationTaskSettings === undefined) {
      return judge.fail("it has no replicationTaskSettings, so logging is off", fix);
    }
    const parsed = parseMaybeJson(props.replicationTaskSettings);
    if (!parsed.ok) return judge.cannotJudge(`replicationTaskSettings: ${parsed.reason}`);
    const logging = isRecord(parsed.value) ? parsed.value["Logging"] : undefined;
    if (!isRecord(logging) || logging["EnableLogging"] !== true) {
      judge.fail("Logging.EnableLogging is not true in replicationTaskSettings", fix);
    }
  },
});

const subnetGroup = resourcePolicy<dms.ReplicationSubnetGroupArgs, { minSubnets: number }>({
  name: "dms-replication-subnet-group-multi-az",
  description:
    "A DMS replication subnet group spans enough subnets (availability zones) to survive the loss of one.",
  enforcementLevel: "advisory",
  remediationSteps:
    "List at least the configured number of private subnets, in different availability zones.",
  config: {
    minSubnets: {
      type: "integer",
      minimum: 2,
      maximum: 6,
      default: 2,
      description: "Fewest subnets accepted.",
    },
  },
  resource: dms.ReplicationSubnetGroup,
  validate: (props, judge) => {
    const n = asList(props.subnetIds).length;
    if (n < judge.config.minSubnets) {
      judge.fail(
        `it has ${n} subnet${n === 1 ? "" : "s"}, fewer than ${judge.config.minSubnets}`,
        `list at least ${judge.config.minSubnets} private subnets in different availability zones`,
      );
    }
  },
});

const eventSubscription = resourcePolicy({
  name: "dms-event-subscription-failure-alerts",
  description:
    "A DMS event subscription is enabled, publishes to a topic, and includes failure events. Blocks in production (a task failure nobody hears of stops CDC), advisory elsewhere.",
  enforcementLevel: "mandatory",
  mandatoryOnlyInProduction: true,
  remediationSteps:
    'Set enabled: true, snsTopicArn to the alerts topic, and include "failure" in eventCategories.',
  resource: dms.EventSubscription,
  validate: (props, judge) => {
    if (props.enabled === false) judge.fail("it is disabled", "set enabled: true");
    if (!nonEmptyString(props.snsTopicArn))
      judge.fail("it publishes to no topic", "set snsTopicArn to the alerts topic");
    const categories = asList(props.eventCategories);
    if (categories.length > 0 && !categories.includes("failure")) {
      judge.fail(
        `its eventCategories (${categories.join(", ")}) leave out "failure"`,
        'add "failure" to eventCategories',
      );
    }
  },
});

/**
 * S3Settings ExpectedBucketOwner (AWS DMS API reference): DMS checks that the target bucket
 * belongs to this account before writing, so a bucket of the same name in another account
 * (after ours was deleted) never receives the extract.
 */
const s3TargetOwner = resourcePolicy<dms.S3EndpointArgs, { accountIds: string[] }>({
  name: "dms-s3-endpoint-expected-owner",
  description:
    "A DMS S3 target endpoint names the account that must own its bucket (expectedBucketOwner), so DMS never writes the extract into a bucket of another account.",
  enforcementLevel: "mandatory",
  remediationSteps: "Set expectedBucketOwner to this account's ID.",
  config: {
    accountIds: accountList("This account: the only owner the landing bucket may have."),
  },
  resource: dms.S3Endpoint,
  validate: (props, judge) => {
    if (props.endpointType !== "target") return;
    const owner = props.expectedBucketOwner;
    if (!nonEmptyString(owner)) {
      judge.fail("expectedBucketOwner is not set", "set expectedBucketOwner to this account's ID");
    } else if (judge.config.accountIds.length > 0 && !judge.config.accountIds.includes(owner)) {
      judge.fail(
        `expectedBucketOwner ${owner} is not this account`,
        "set expectedBucketOwner to this account's ID",
      );
    }
  },
});

export const dmsPolicies: PackPolicy[] = [
  s3TargetOwner,
  endpointKms,
  multiAzProd,
  notPublic,
  instanceKms,
  minorUpgrades,
  network,
  endpointSecrets,
  sourceSsl,
  s3TargetKms,
  taskLogging,
  subnetGroup,
  eventSubscription,
];
