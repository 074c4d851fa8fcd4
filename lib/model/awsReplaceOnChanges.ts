/**
 * Which input changes make the AWS provider replace a resource instead of updating it, for the
 * generic AWS resource types our programs deploy (S3, IAM, KMS, Lambda, ...). `stacks diff`
 * marks such changes as replacements and the AWS provider stand-in of the real-CLI tier
 * (tools/realCli/awsProvider.ts) replaces on them; a project adds the rows of the types only it
 * deploys in its own `review.ts` (pipelines/review.ts holds the DMS rows), and the orchestrator
 * merges them (tools/stacks/engine/review.ts).
 *
 * Source: @pulumi/aws 7.x is bridged from the Terraform AWS provider (hashicorp/
 * terraform-provider-aws, v6 for pulumi-aws 7), and the bridge turns each schema attribute marked
 * `ForceNew: true` (plugin SDK) or `RequiresReplace()` (plugin framework) into a replacement
 * in the preview. The SDK on npm ships no schema (node_modules/@pulumi/aws has only the
 * generated code and its docs, which do not say it), so each entry names the upstream file whose
 * schema it restates, attribute names turned into the SDK's camelCase input names.
 * metric_alarm.go's alarm_name was read from the provider's source (commit
 * 437126e800b0b328e7e12e959377bb6ce6510b4a). The other entries restate the "(Forces new
 * resource)" notes of the provider's resource docs (website/docs/r/*.markdown) and were not read
 * here line by line: check one against its file before relying on it for a risky change.
 *
 * A type missing everywhere has no recorded replace-on-change input: its changes show as
 * updates, and the diff says so once (unknownTypes). `tags`/`tagsAll` never replace anything.
 */
import { type ReplaceOnChanges, type ReplaceRule, terraformSource } from "./review";

/** The inputs that the schema in this file of the Terraform provider marks ForceNew. */
const forcesNew = (file: string, ...inputs: string[]): ReplaceRule => ({
  inputs,
  source: terraformSource(file),
});

export const AWS_REPLACE_ON_CHANGES: ReplaceOnChanges = {
  "aws:cloudwatch/eventRule:EventRule": forcesNew(
    "events/rule.go",
    "name",
    "namePrefix",
    "eventBusName",
  ),
  "aws:cloudwatch/eventTarget:EventTarget": forcesNew(
    "events/target.go",
    "rule",
    "targetId",
    "eventBusName",
  ),
  "aws:cloudwatch/logGroup:LogGroup": forcesNew(
    "logs/group.go",
    "name",
    "namePrefix",
    "logGroupClass",
  ),
  "aws:cloudwatch/metricAlarm:MetricAlarm": forcesNew("cloudwatch/metric_alarm.go", "name"),
  "aws:ec2/securityGroup:SecurityGroup": forcesNew(
    "ec2/vpc_security_group.go",
    "name",
    "namePrefix",
    "description",
    "vpcId",
  ),
  "aws:glue/catalogDatabase:CatalogDatabase": forcesNew(
    "glue/catalog_database.go",
    "name",
    "catalogId",
  ),
  "aws:glue/catalogTable:CatalogTable": forcesNew(
    "glue/catalog_table.go",
    "name",
    "databaseName",
    "catalogId",
  ),
  "aws:iam/policy:Policy": forcesNew("iam/policy.go", "name", "namePrefix", "path", "description"),
  "aws:iam/role:Role": forcesNew("iam/role.go", "name", "namePrefix", "path"),
  "aws:iam/rolePolicy:RolePolicy": forcesNew("iam/role_policy.go", "name", "namePrefix", "role"),
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": forcesNew(
    "iam/role_policy_attachment.go",
    "role",
    "policyArn",
  ),
  "aws:kms/alias:Alias": forcesNew("kms/alias.go", "name", "namePrefix"),
  "aws:kms/key:Key": forcesNew(
    "kms/key.go",
    "customerMasterKeySpec",
    "keyUsage",
    "multiRegion",
    "customKeyStoreId",
    "xksKeyId",
  ),
  "aws:lambda/function:Function": forcesNew("lambda/function.go", "name", "packageType"),
  "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig": forcesNew(
    "lambda/function_event_invoke_config.go",
    "functionName",
    "qualifier",
  ),
  // Every argument: a permission is a policy statement, which Lambda cannot modify.
  "aws:lambda/permission:Permission": forcesNew(
    "lambda/permission.go",
    "action",
    "eventSourceToken",
    "function",
    "functionUrlAuthType",
    "principal",
    "principalOrgId",
    "qualifier",
    "sourceAccount",
    "sourceArn",
    "statementId",
    "statementIdPrefix",
  ),
  "aws:s3/bucket:Bucket": forcesNew("s3/bucket.go", "bucket", "bucketPrefix", "objectLockEnabled"),
  // @pulumi/aws 7 keeps BucketV2 as an alias of the same aws_s3_bucket resource.
  "aws:s3/bucketV2:BucketV2": forcesNew(
    "s3/bucket.go",
    "bucket",
    "bucketPrefix",
    "objectLockEnabled",
  ),
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": forcesNew(
    "s3/bucket_lifecycle_configuration.go",
    "bucket",
    "expectedBucketOwner",
  ),
  "aws:s3/bucketLogging:BucketLogging": forcesNew(
    "s3/bucket_logging.go",
    "bucket",
    "expectedBucketOwner",
  ),
  "aws:s3/bucketObjectv2:BucketObjectv2": forcesNew("s3/object.go", "bucket", "key"),
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls": forcesNew(
    "s3/bucket_ownership_controls.go",
    "bucket",
  ),
  "aws:s3/bucketPolicy:BucketPolicy": forcesNew("s3/bucket_policy.go", "bucket"),
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": forcesNew(
    "s3/bucket_public_access_block.go",
    "bucket",
  ),
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration":
    forcesNew("s3/bucket_server_side_encryption_configuration.go", "bucket", "expectedBucketOwner"),
  "aws:s3/bucketVersioning:BucketVersioning": forcesNew(
    "s3/bucket_versioning.go",
    "bucket",
    "expectedBucketOwner",
    "mfa",
  ),
  "aws:sns/topic:Topic": forcesNew("sns/topic.go", "name", "namePrefix", "fifoTopic"),
  "aws:sns/topicPolicy:TopicPolicy": forcesNew("sns/topic_policy.go", "arn"),
  "aws:sns/topicSubscription:TopicSubscription": forcesNew(
    "sns/topic_subscription.go",
    "topic",
    "protocol",
    "endpoint",
  ),
  "aws:sqs/queue:Queue": forcesNew("sqs/queue.go", "name", "namePrefix", "fifoQueue"),
  "aws:sqs/queuePolicy:QueuePolicy": forcesNew("sqs/queue_policy.go", "queueUrl"),
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": forcesNew(
    "vpc/security_group_egress_rule.go",
    "securityGroupId",
  ),
  // The provider resource: a changed setting is applied in place.
  "pulumi:providers:aws": { inputs: [], source: "pulumi/pulumi-aws provider configuration" },
};
