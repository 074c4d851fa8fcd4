/**
 * What the rule table of policy/README.md says beyond the pack itself: why each policy matters
 * and its counterpart in checkov, cdk-nag or awsguard. Names, resource types, descriptions,
 * fixes and levels come from the policies and policy-config.json (policy/docs.ts renders the
 * table; `npm run policy:docs` writes it, and docs.test.ts fails when README.md is stale).
 */
export interface CatalogueEntry {
  /** Why it matters; for a policy that blocks only in prod, why there and not elsewhere. */
  readonly why: string;
  /** `checkov CKV_AWS_..`, `cdk-nag <rule>`, `awsguard <rule>` (joined by "; "), or `none`. */
  readonly counterpart: string;
}

export const CATALOGUE: Readonly<Record<string, CatalogueEntry>> = {
  "aws-provider-default-tags": {
    why: "Every tag in the account comes from here; the environment tag also tells the pack which resources must be protected.",
    counterpart: "none",
  },
  "aws-provider-allowed-region": {
    why: "The extracts hold UK personal data (probation records); they must stay in the London region.",
    counterpart: "none",
  },
  "required-tags": {
    why: "Ownership, cost allocation and incident response rely on the MoJ tags; an untagged resource is an orphan nobody answers for.",
    counterpart: "none",
  },
  "stateful-resources-protected": {
    why: "Deleting a bucket, key, Glue database or the CDC task in preprod or prod loses data or history that cannot be rebuilt; dmsRole-style replacements are bad enough.",
    counterpart: "none",
  },
  "s3-bucket-kms-encryption": {
    why: "A customer key puts a second, auditable gate (the key policy) in front of the data; the bucket key keeps KMS cost and throttling down.",
    counterpart: "checkov CKV_AWS_145; cdk-nag S3DefaultEncryptionKMS",
  },
  "s3-bucket-public-access-block": {
    why: "The four flags are the account-independent backstop against a public ACL or policy exposing personal data.",
    counterpart:
      "checkov CKV_AWS_53, CKV_AWS_54, CKV_AWS_55, CKV_AWS_56; cdk-nag S3BucketLevelPublicAccessProhibited",
  },
  "s3-bucket-versioning-enabled": {
    why: "A bad Lambda run or a mistaken delete can be undone only from earlier versions.",
    counterpart: "checkov CKV_AWS_21; cdk-nag S3BucketVersioningEnabled",
  },
  "s3-bucket-tls-only": {
    why: "Without it, a misconfigured client could read or write personal data in clear text.",
    counterpart: "checkov CKV_AWS_379; cdk-nag S3BucketSSLRequestsOnly",
  },
  "s3-bucket-policy-no-public-access": {
    why: 'A "*" principal without a condition opens the bucket to every AWS account.',
    counterpart:
      "checkov CKV_AWS_70; cdk-nag S3BucketPublicReadProhibited, S3BucketPublicWriteProhibited",
  },
  "s3-bucket-access-logging": {
    why: "Access logs are the audit trail of who read which object; S3 can deliver them only to an SSE-S3 bucket.",
    counterpart:
      "checkov CKV_AWS_18; cdk-nag S3BucketLoggingEnabled; awsguard s3-bucket-logging-enabled",
  },
  "s3-bucket-ownership-enforced": {
    why: "With ACLs disabled, only the bucket policy and IAM grant access, and objects written by DMS belong to the account.",
    counterpart: "none",
  },
  "s3-bucket-no-acl": {
    why: "ACLs grant access outside the bucket policy, where reviews do not look.",
    counterpart: "checkov CKV_AWS_20, CKV_AWS_375",
  },
  "s3-bucket-no-inline-configuration": {
    why: "Inline arguments and the separate v7 resources overwrite each other on every update (perpetual diffs, lost settings).",
    counterpart: "none",
  },
  "s3-bucket-no-force-destroy": {
    why: "forceDestroy lets one pulumi destroy empty and delete a bucket of real data.",
    counterpart: "none",
  },
  "s3-bucket-companions": {
    why: "Encryption, public access block, versioning, ownership and policy are separate resources in v7: a bucket without one silently lacks that protection.",
    counterpart: "none",
  },
  "s3-bucket-lifecycle-abort-incomplete-uploads": {
    why: "Parts of abandoned multipart uploads (DMS writes large parquet files) are billed forever and invisible in listings.",
    counterpart: "checkov CKV_AWS_300",
  },
  "s3-retained-bucket-no-current-expiry": {
    why: "raw-history is the only copy of the extracted data; expiring its current objects deletes history that cannot be extracted again.",
    counterpart: "none",
  },
  "s3-object-private-and-kms": {
    why: "An object-level ACL or encryption setting overrides the bucket's protections for that object.",
    counterpart: "checkov CKV_AWS_186",
  },
  "kms-grant-scoped": {
    why: "A grant is a permission outside the key policy; one that goes to another account, or can be passed on, lets the key (and so the data) out.",
    counterpart: "none",
  },
  "kms-key-rotation-enabled": {
    why: "Rotation limits how much data one key version protects, as the MoJ and NCSC guidance asks.",
    counterpart:
      "checkov CKV_AWS_7; cdk-nag KMSBackingKeyRotationEnabled; awsguard cmk-backing-key-rotation-enabled",
  },
  "kms-key-description": {
    why: "Keys are deleted by people reading the console; a key without a description looks unused.",
    counterpart: "none",
  },
  "kms-key-policy-no-public-principal": {
    why: "The key policy is the last gate in front of every encrypted bucket, topic and log group.",
    counterpart: "checkov CKV_AWS_33",
  },
  "kms-key-deletion-window": {
    why: "A key scheduled for deletion makes all data it encrypts unreadable once the window ends; the window is the time to notice.",
    counterpart: "none",
  },
  "kms-alias-naming": {
    why: "Aliases are how people and other repositories find the key; alias/aws/ is reserved and fails.",
    counterpart: "none",
  },
  "iam-no-wildcard-action": {
    why: "A \"*\" action grants today's and tomorrow's actions, including deleting data and changing IAM.",
    counterpart:
      "checkov CKV_AWS_62, CKV_AWS_63; cdk-nag IAMNoWildcardPermissions, IAMPolicyNoStatementsWithAdminAccess",
  },
  "iam-no-wildcard-resource": {
    why: 'Resource "*" lets a Lambda or DMS role touch every bucket and secret in the shared account.',
    counterpart: "checkov CKV_AWS_355, CKV_AWS_290; cdk-nag IAMNoWildcardPermissions",
  },
  "iam-no-privilege-escalation": {
    why: "A role that can edit policies or pass any role to new code can make itself administrator; the blast radius of one bug becomes the whole account.",
    counterpart: "checkov CKV_AWS_286",
  },
  "iam-trust-policy-specific-principal": {
    why: "The trust policy decides who can become the role; a wildcard lets any account assume it.",
    counterpart: "checkov CKV_AWS_60, CKV_AWS_61",
  },
  "iam-role-policies-managed-one-way": {
    why: "Two ways of managing a role's policies undo each other on each update, silently granting or dropping permissions.",
    counterpart: "awsguard iam-role-no-policy-management-conflicts",
  },
  "iam-no-broad-managed-policies": {
    why: "Broad managed policies grant far more than a pipeline needs; the read-everything ones (ReadOnlyAccess, AmazonS3ReadOnlyAccess, ViewOnlyAccess) read every bucket, secret and table of the account, all three environments' personal data. Blocks everywhere: one account holds every environment.",
    counterpart:
      "checkov CKV_AWS_274; cdk-nag IAMNoManagedPolicies, IAMPolicyNoStatementsWithFullAccess",
  },
  "iam-no-users-or-long-lived-credentials": {
    why: "Access keys and passwords never expire by themselves and leak through laptops and CI logs; roles hand out short-lived credentials.",
    counterpart:
      "checkov CKV_AWS_273; awsguard access-keys-rotated (weaker: rotation, not absence)",
  },
  "resource-policy-principals-restricted": {
    why: "A resource policy is the one place another account (or anyone) can be let in; a condition that restricts nothing, or a service acting for any account (the confused deputy), opens the data just the same.",
    counterpart:
      "checkov CKV_AWS_70, CKV_AWS_168, CKV_AWS_169, CKV_AWS_385; cdk-nag EventBusOpenAccess, LambdaFunctionPublicAccessProhibited",
  },
  "dms-s3-endpoint-expected-owner": {
    why: "If the landing bucket were deleted and its name taken in another account, DMS would write the extract there.",
    counterpart: "none",
  },
  "dms-endpoint-customer-key": {
    why: "The endpoint settings hold connection details; with a customer key, reading them needs our key policy too.",
    counterpart: "checkov CKV_AWS_296, CKV_AWS_298",
  },
  "dms-replication-instance-multi-az": {
    why: "A single-AZ instance stops change data capture for the whole outage of its zone, and the gap must then be reloaded.",
    counterpart: "none for DMS (awsguard rds-instance-multi-az-enabled is the RDS analogue)",
  },
  "dms-replication-instance-not-public": {
    why: "A public replication instance puts the Oracle connection (and its credentials) on the internet.",
    counterpart: "checkov CKV_AWS_89; cdk-nag DMSReplicationNotPublic",
  },
  "dms-replication-instance-kms-encrypted": {
    why: "The instance's storage holds the data in flight and task logs.",
    counterpart: "checkov CKV_AWS_212",
  },
  "dms-replication-instance-minor-upgrades": {
    why: "Minor DMS engine versions carry security and stability fixes.",
    counterpart: "checkov CKV_AWS_222",
  },
  "dms-replication-instance-network": {
    why: "The default VPC and security group are not the ones reviewed for access to the Oracle databases.",
    counterpart: "none",
  },
  "dms-endpoint-secrets-manager": {
    why: "A password on the endpoint is stored in the Pulumi state and the stack history.",
    counterpart: "none",
  },
  "dms-endpoint-ssl": {
    why: "The source connection carries the whole database over the network.",
    counterpart: "none",
  },
  "dms-s3-endpoint-sse-kms": {
    why: "DMS writes the parquet files itself; without SSE-KMS they are not under the customer key.",
    counterpart: "checkov CKV_AWS_298",
  },
  "dms-replication-task-logging": {
    why: "Without task logs, a failed full load or a stalled CDC cannot be diagnosed.",
    counterpart: "none",
  },
  "dms-replication-subnet-group-multi-az": {
    why: "A subnet group in one zone stops replication when that zone fails.",
    counterpart: "none",
  },
  "dms-event-subscription-failure-alerts": {
    why: "Blocks in prod: task failures must reach the alerts topic (and Slack), or CDC stops unnoticed and the lake silently falls behind. Advisory elsewhere.",
    counterpart: "none",
  },
  "lambda-runtime-allowed": {
    why: "Deprecated runtimes get no security patches and eventually cannot be updated.",
    counterpart: "checkov CKV_AWS_363; cdk-nag LambdaLatestVersion",
  },
  "lambda-tracing-active": {
    why: "Blocks in prod: during an incident the traces are the only record of where a slow or failing validation spent its time, and they cost next to nothing. Advisory elsewhere.",
    counterpart: "checkov CKV_AWS_50; cdk-nag LambdaTracing",
  },
  "lambda-log-group-retention": {
    why: "Blocks in prod: otherwise Lambda creates its log group itself, unencrypted, untagged and kept forever, and the logs can quote record values (personal data). Advisory elsewhere.",
    counterpart: "checkov CKV_AWS_66",
  },
  "lambda-permission-scoped": {
    why: "Without a source ARN, any rule, topic or bucket in any account can invoke the function (confused deputy).",
    counterpart: "checkov CKV_AWS_364, CKV_AWS_301; cdk-nag LambdaFunctionPublicAccessProhibited",
  },
  "lambda-function-url-authenticated": {
    why: "A function URL without authentication is a public HTTPS endpoint that runs our code with our role.",
    counterpart: "checkov CKV_AWS_258; cdk-nag LambdaFunctionUrlAuth",
  },
  "lambda-environment-no-plaintext-secrets": {
    why: "Environment variables are visible in the console and stored in the Pulumi state.",
    counterpart: "checkov CKV_AWS_45",
  },
  "lambda-async-failure-destination": {
    why: "An alert the notifier could not post must land somewhere someone can look, not vanish after the retries.",
    counterpart: "cdk-nag LambdaAsyncFailureDestination",
  },
  "sns-topic-kms-encrypted": {
    why: "Alert messages can quote data; CloudWatch and DMS can publish only to a topic under a customer key they may use.",
    counterpart: "checkov CKV_AWS_26; cdk-nag SNSEncryptedKMS",
  },
  "sns-topic-policy-no-public-access": {
    why: "A public topic lets anyone subscribe to alerts or publish false ones.",
    counterpart: "checkov CKV_AWS_169",
  },
  "sns-subscription-secure-protocol": {
    why: "HTTP delivers alerts in clear text.",
    counterpart: "none",
  },
  "sqs-queue-kms-encrypted": {
    why: "Undelivered alerts can quote data; a customer key puts reading them behind the key policy too.",
    counterpart: "checkov CKV_AWS_27; cdk-nag SQSQueueSSE",
  },
  "sqs-queue-message-retention": {
    why: "A failure queue that expires messages over a long weekend loses the alerts it exists to keep.",
    counterpart: "none",
  },
  "sqs-queue-policy-no-public-access": {
    why: "A public queue lets any account read or inject messages.",
    counterpart: "checkov CKV_AWS_168",
  },
  "cloudwatch-log-group-kms-encrypted": {
    why: "Logs of the validation Lambda can contain record values.",
    counterpart: "checkov CKV_AWS_158; cdk-nag CloudWatchLogGroupEncrypted",
  },
  "cloudwatch-log-group-retention": {
    why: "Logs kept forever cost money and personal data must not be kept longer than needed; too short loses the evidence.",
    counterpart: "checkov CKV_AWS_66, CKV_AWS_338; cdk-nag CloudWatchLogGroupRetentionPeriod",
  },
  "cloudwatch-alarm-has-actions": {
    why: "Blocks in prod: the alarms are how a stopped CDC task or a failing validation reaches someone; a muted alarm there means days of missing data found by an analyst. Advisory in dev and preprod, where muting a noisy alarm is a fair choice.",
    counterpart: "checkov CKV_AWS_319; cdk-nag CloudWatchAlarmAction",
  },
  "eventbridge-rule-valid-trigger": {
    why: "A rule without a pattern or schedule, or disabled, never triggers the validation.",
    counterpart: "none",
  },
  "eventbridge-lambda-target-permitted": {
    why: "Without the permission, EventBridge drops the events and landing files are never validated.",
    counterpart: "none",
  },
  "secretsmanager-secret-customer-key": {
    why: "With a customer key, reading the secret needs both IAM and the key policy.",
    counterpart: "checkov CKV_AWS_149; cdk-nag SecretsManagerUsingKMSKey",
  },
  "secretsmanager-no-secret-value-in-code": {
    why: "A value written by a deploy sits in the program, the stack config or the state file, which are not encrypted here.",
    counterpart: "none",
  },
  "ec2-security-group-no-public-ingress": {
    why: "Nothing in these pipelines accepts connections from the internet.",
    counterpart:
      "checkov CKV_AWS_24, CKV_AWS_25, CKV_AWS_260, CKV_AWS_277; cdk-nag EC2RestrictedInbound",
  },
  "vpc-ingress-rule-no-public-cidr": {
    why: "Same as above, for rules managed as separate resources.",
    counterpart: "checkov CKV_AWS_277; cdk-nag EC2RestrictedInbound",
  },
  "ec2-security-group-descriptions": {
    why: "Reviewers of network access need to know what each group and rule is for.",
    counterpart: "checkov CKV_AWS_23; cdk-nag EC2SecurityGroupDescription",
  },
  "vpc-egress-rule-scoped": {
    why: "Egress limited to the needed ports and described makes a compromised instance less useful and reviews possible.",
    counterpart: "none",
  },
  "glue-data-catalog-encryption-customer-key": {
    why: "The catalog describes the personal data held; where this repository manages its settings, they use the customer key (databases and tables have no encryption setting).",
    counterpart: "checkov CKV_AWS_94",
  },
  "glue-catalog-database-described": {
    why: "Analysts find the data by the catalog's descriptions and locations.",
    counterpart: "none",
  },
  "glue-data-in-own-buckets": {
    why: "A table over a bucket of another account makes Athena read, and CTAS or INSERT write, personal data where our keys, bucket policies and access logs do not reach. Blocks everywhere: dev's tables point at the same kind of data.",
    counterpart: "none",
  },
  "glue-catalog-table-s3-location": {
    why: "A table without an S3 location or columns cannot be queried.",
    counterpart: "none",
  },
  "scheduler-schedule-dead-letter-and-key": {
    why: "Without a dead-letter queue, a sweep that keeps failing is silently dropped.",
    counterpart: "cdk-nag EventBusDLQ (the EventBridge analogue)",
  },
  "data-stays-in-region": {
    why: "The extracts hold UK personal data; a resource-level region, a replica or an ARN elsewhere moves it out whatever the provider says.",
    counterpart: "none",
  },
  "data-stays-in-account": {
    why: "An event target, subscription or key in another account receives or unlocks our data; only allowlisted accounts may be named.",
    counterpart: "none",
  },
  "s3-replication-stays-in-stack": {
    why: "Replication copies every object; to a bucket outside the stack it can copy them to any region or account.",
    counterpart: "none (checkov CKV_AWS_144 asks for replication; here it may not leave the stack)",
  },
  "every-resource-type-judged": {
    why: "A type no policy looks at is a blind spot: its mistakes reach prod unreviewed.",
    counterpart: "none",
  },
  "policy-exemption-tags-valid": {
    why: "An exemption is a decision someone must be able to read later: without a reason, or naming a policy that does not exist (a typo), it would exempt nothing or hide why a check was waived.",
    counterpart: "cdk-nag NagSuppressions (a suppression needs a reason of at least 10 characters)",
  },
};
