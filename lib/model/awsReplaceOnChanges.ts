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
import { type ReplaceOnChanges, terraformSource } from "./review";

export const AWS_REPLACE_ON_CHANGES: ReplaceOnChanges = {
  "aws:cloudwatch/eventRule:EventRule": {
    inputs: ["name", "namePrefix", "eventBusName"],
    source: terraformSource("events/rule.go"),
  },
  "aws:cloudwatch/eventTarget:EventTarget": {
    inputs: ["rule", "targetId", "eventBusName"],
    source: terraformSource("events/target.go"),
  },
  "aws:cloudwatch/logGroup:LogGroup": {
    inputs: ["name", "namePrefix", "logGroupClass"],
    source: terraformSource("logs/group.go"),
  },
  "aws:cloudwatch/metricAlarm:MetricAlarm": {
    inputs: ["name"],
    source: terraformSource("cloudwatch/metric_alarm.go"),
  },
  "aws:ec2/securityGroup:SecurityGroup": {
    inputs: ["name", "namePrefix", "description", "vpcId"],
    source: terraformSource("ec2/vpc_security_group.go"),
  },
  "aws:glue/catalogDatabase:CatalogDatabase": {
    inputs: ["name", "catalogId"],
    source: terraformSource("glue/catalog_database.go"),
  },
  "aws:glue/catalogTable:CatalogTable": {
    inputs: ["name", "databaseName", "catalogId"],
    source: terraformSource("glue/catalog_table.go"),
  },
  "aws:iam/policy:Policy": {
    inputs: ["name", "namePrefix", "path", "description"],
    source: terraformSource("iam/policy.go"),
  },
  "aws:iam/role:Role": {
    inputs: ["name", "namePrefix", "path"],
    source: terraformSource("iam/role.go"),
  },
  "aws:iam/rolePolicy:RolePolicy": {
    inputs: ["name", "namePrefix", "role"],
    source: terraformSource("iam/role_policy.go"),
  },
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": {
    inputs: ["role", "policyArn"],
    source: terraformSource("iam/role_policy_attachment.go"),
  },
  "aws:kms/alias:Alias": {
    inputs: ["name", "namePrefix"],
    source: terraformSource("kms/alias.go"),
  },
  "aws:kms/key:Key": {
    inputs: ["customerMasterKeySpec", "keyUsage", "multiRegion", "customKeyStoreId", "xksKeyId"],
    source: terraformSource("kms/key.go"),
  },
  "aws:lambda/function:Function": {
    inputs: ["name", "packageType"],
    source: terraformSource("lambda/function.go"),
  },
  "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig": {
    inputs: ["functionName", "qualifier"],
    source: terraformSource("lambda/function_event_invoke_config.go"),
  },
  "aws:lambda/permission:Permission": {
    // Every argument: a permission is a policy statement, which Lambda cannot modify.
    inputs: [
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
    ],
    source: terraformSource("lambda/permission.go"),
  },
  "aws:s3/bucket:Bucket": {
    inputs: ["bucket", "bucketPrefix", "objectLockEnabled"],
    source: terraformSource("s3/bucket.go"),
  },
  // @pulumi/aws 7 keeps BucketV2 as an alias of the same aws_s3_bucket resource.
  "aws:s3/bucketV2:BucketV2": {
    inputs: ["bucket", "bucketPrefix", "objectLockEnabled"],
    source: terraformSource("s3/bucket.go"),
  },
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": {
    inputs: ["bucket", "expectedBucketOwner"],
    source: terraformSource("s3/bucket_lifecycle_configuration.go"),
  },
  "aws:s3/bucketLogging:BucketLogging": {
    inputs: ["bucket", "expectedBucketOwner"],
    source: terraformSource("s3/bucket_logging.go"),
  },
  "aws:s3/bucketObjectv2:BucketObjectv2": {
    inputs: ["bucket", "key"],
    source: terraformSource("s3/object.go"),
  },
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls": {
    inputs: ["bucket"],
    source: terraformSource("s3/bucket_ownership_controls.go"),
  },
  "aws:s3/bucketPolicy:BucketPolicy": {
    inputs: ["bucket"],
    source: terraformSource("s3/bucket_policy.go"),
  },
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": {
    inputs: ["bucket"],
    source: terraformSource("s3/bucket_public_access_block.go"),
  },
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": {
    inputs: ["bucket", "expectedBucketOwner"],
    source: terraformSource("s3/bucket_server_side_encryption_configuration.go"),
  },
  "aws:s3/bucketVersioning:BucketVersioning": {
    inputs: ["bucket", "expectedBucketOwner", "mfa"],
    source: terraformSource("s3/bucket_versioning.go"),
  },
  "aws:sns/topic:Topic": {
    inputs: ["name", "namePrefix", "fifoTopic"],
    source: terraformSource("sns/topic.go"),
  },
  "aws:sns/topicPolicy:TopicPolicy": {
    inputs: ["arn"],
    source: terraformSource("sns/topic_policy.go"),
  },
  "aws:sns/topicSubscription:TopicSubscription": {
    inputs: ["topic", "protocol", "endpoint"],
    source: terraformSource("sns/topic_subscription.go"),
  },
  "aws:sqs/queue:Queue": {
    inputs: ["name", "namePrefix", "fifoQueue"],
    source: terraformSource("sqs/queue.go"),
  },
  "aws:sqs/queuePolicy:QueuePolicy": {
    inputs: ["queueUrl"],
    source: terraformSource("sqs/queue_policy.go"),
  },
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": {
    inputs: ["securityGroupId"],
    source: terraformSource("vpc/security_group_egress_rule.go"),
  },
  // The provider resource: a changed setting is applied in place.
  "pulumi:providers:aws": { inputs: [], source: "pulumi/pulumi-aws provider configuration" },
};
