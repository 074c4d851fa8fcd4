/**
 * Which input changes make the AWS provider replace a resource instead of updating it, for the
 * resource types our programs deploy. `stacks diff` marks such changes as replacements.
 *
 * Source: @pulumi/aws 7.x is bridged from the Terraform AWS provider (hashicorp/
 * terraform-provider-aws, v6 for pulumi-aws 7), and the bridge turns each schema attribute marked
 * `ForceNew: true` (plugin SDK) or `RequiresReplace()` (plugin framework) into a replacement
 * in the preview. The SDK on npm ships no schema (node_modules/@pulumi/aws has only the
 * generated code and its docs, which do not say it), so each entry names the upstream file whose
 * schema it restates, attribute names turned into the SDK's camelCase input names. The DMS
 * entries were read from the provider's source: internal/service/dms/replication_task.go and
 * replication_instance.go at commit 437126e800b0b328e7e12e959377bb6ce6510b4a; metric_alarm.go's
 * alarm_name was checked too. replication_instance_arn of a task is ForceNew in the aws-sdk-go v1
 * form of replication_task.go (commit 022092419b7cda11527df3c6b51cbfe1876c1722); a later form
 * moves the task with MoveReplicationTask instead. The table keeps it as a replacement, the
 * reading that warns, until the source of the pinned provider is checked.
 * The other entries restate the "(Forces new resource)" notes of the provider's resource docs
 * (website/docs/r/*.markdown) and were not read here line by line: check one against its file
 * before relying on it for a risky change.
 *
 * A type missing here has no recorded replace-on-change input: its changes show as updates,
 * and the diff says so once (unknownTypes). `tags`/`tagsAll` never replace anything.
 */

export interface ReplaceRule {
  /** Top-level input names whose change forces a replacement. */
  readonly inputs: readonly string[];
  /** The upstream schema the entry restates. */
  readonly source: string;
}

const tf = (file: string) => `hashicorp/terraform-provider-aws internal/service/${file}`;

export const REPLACE_ON_CHANGES: Readonly<Record<string, ReplaceRule>> = {
  "aws:cloudwatch/eventRule:EventRule": {
    inputs: ["name", "namePrefix", "eventBusName"],
    source: tf("events/rule.go"),
  },
  "aws:cloudwatch/eventTarget:EventTarget": {
    inputs: ["rule", "targetId", "eventBusName"],
    source: tf("events/target.go"),
  },
  "aws:cloudwatch/logGroup:LogGroup": {
    inputs: ["name", "namePrefix", "logGroupClass"],
    source: tf("logs/group.go"),
  },
  "aws:cloudwatch/metricAlarm:MetricAlarm": {
    inputs: ["name"],
    source: tf("cloudwatch/metric_alarm.go"),
  },
  "aws:dms/endpoint:Endpoint": {
    inputs: ["endpointId", "kmsKeyArn"],
    source: tf("dms/endpoint.go"),
  },
  "aws:dms/eventSubscription:EventSubscription": {
    inputs: ["name"],
    source: tf("dms/event_subscription.go"),
  },
  "aws:dms/replicationInstance:ReplicationInstance": {
    inputs: [
      "replicationInstanceId",
      "kmsKeyArn",
      "publiclyAccessible",
      "replicationSubnetGroupId",
      "availabilityZone",
    ],
    source: tf("dms/replication_instance.go"),
  },
  "aws:dms/replicationSubnetGroup:ReplicationSubnetGroup": {
    inputs: ["replicationSubnetGroupId"],
    source: tf("dms/replication_subnet_group.go"),
  },
  "aws:dms/replicationTask:ReplicationTask": {
    inputs: [
      "replicationTaskId",
      "replicationInstanceArn",
      "sourceEndpointArn",
      "targetEndpointArn",
    ],
    source: tf("dms/replication_task.go"),
  },
  "aws:dms/s3Endpoint:S3Endpoint": {
    inputs: ["endpointId", "kmsKeyArn"],
    source: tf("dms/s3_endpoint.go"),
  },
  "aws:ec2/securityGroup:SecurityGroup": {
    inputs: ["name", "namePrefix", "description", "vpcId"],
    source: tf("ec2/vpc_security_group.go"),
  },
  "aws:glue/catalogDatabase:CatalogDatabase": {
    inputs: ["name", "catalogId"],
    source: tf("glue/catalog_database.go"),
  },
  "aws:glue/catalogTable:CatalogTable": {
    inputs: ["name", "databaseName", "catalogId"],
    source: tf("glue/catalog_table.go"),
  },
  "aws:iam/policy:Policy": {
    inputs: ["name", "namePrefix", "path", "description"],
    source: tf("iam/policy.go"),
  },
  "aws:iam/role:Role": {
    inputs: ["name", "namePrefix", "path"],
    source: tf("iam/role.go"),
  },
  "aws:iam/rolePolicy:RolePolicy": {
    inputs: ["name", "namePrefix", "role"],
    source: tf("iam/role_policy.go"),
  },
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": {
    inputs: ["role", "policyArn"],
    source: tf("iam/role_policy_attachment.go"),
  },
  "aws:kms/alias:Alias": {
    inputs: ["name", "namePrefix"],
    source: tf("kms/alias.go"),
  },
  "aws:kms/key:Key": {
    inputs: ["customerMasterKeySpec", "keyUsage", "multiRegion", "customKeyStoreId", "xksKeyId"],
    source: tf("kms/key.go"),
  },
  "aws:lambda/function:Function": {
    inputs: ["name", "packageType"],
    source: tf("lambda/function.go"),
  },
  "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig": {
    inputs: ["functionName", "qualifier"],
    source: tf("lambda/function_event_invoke_config.go"),
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
    source: tf("lambda/permission.go"),
  },
  "aws:s3/bucket:Bucket": {
    inputs: ["bucket", "bucketPrefix", "objectLockEnabled"],
    source: tf("s3/bucket.go"),
  },
  // @pulumi/aws 7 keeps BucketV2 as an alias of the same aws_s3_bucket resource.
  "aws:s3/bucketV2:BucketV2": {
    inputs: ["bucket", "bucketPrefix", "objectLockEnabled"],
    source: tf("s3/bucket.go"),
  },
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": {
    inputs: ["bucket", "expectedBucketOwner"],
    source: tf("s3/bucket_lifecycle_configuration.go"),
  },
  "aws:s3/bucketLogging:BucketLogging": {
    inputs: ["bucket", "expectedBucketOwner"],
    source: tf("s3/bucket_logging.go"),
  },
  "aws:s3/bucketObjectv2:BucketObjectv2": {
    inputs: ["bucket", "key"],
    source: tf("s3/object.go"),
  },
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls": {
    inputs: ["bucket"],
    source: tf("s3/bucket_ownership_controls.go"),
  },
  "aws:s3/bucketPolicy:BucketPolicy": {
    inputs: ["bucket"],
    source: tf("s3/bucket_policy.go"),
  },
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": {
    inputs: ["bucket"],
    source: tf("s3/bucket_public_access_block.go"),
  },
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": {
    inputs: ["bucket", "expectedBucketOwner"],
    source: tf("s3/bucket_server_side_encryption_configuration.go"),
  },
  "aws:s3/bucketVersioning:BucketVersioning": {
    inputs: ["bucket", "expectedBucketOwner", "mfa"],
    source: tf("s3/bucket_versioning.go"),
  },
  "aws:sns/topic:Topic": {
    inputs: ["name", "namePrefix", "fifoTopic"],
    source: tf("sns/topic.go"),
  },
  "aws:sns/topicPolicy:TopicPolicy": {
    inputs: ["arn"],
    source: tf("sns/topic_policy.go"),
  },
  "aws:sns/topicSubscription:TopicSubscription": {
    inputs: ["topic", "protocol", "endpoint"],
    source: tf("sns/topic_subscription.go"),
  },
  "aws:sqs/queue:Queue": {
    inputs: ["name", "namePrefix", "fifoQueue"],
    source: tf("sqs/queue.go"),
  },
  "aws:sqs/queuePolicy:QueuePolicy": {
    inputs: ["queueUrl"],
    source: tf("sqs/queue_policy.go"),
  },
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": {
    inputs: ["securityGroupId"],
    source: tf("vpc/security_group_egress_rule.go"),
  },
  // The provider resource: a changed setting is applied in place.
  "pulumi:providers:aws": { inputs: [], source: "pulumi/pulumi-aws provider configuration" },
};

/**
 * A change to any input of a DMS replication task except these stops the task while it is
 * modified (or moved to another instance), then starts it again when startReplicationTask is
 * true: replication_task.go, resourceReplicationTaskUpdate, which stops the task for
 * `d.HasChangesExcept(tags, tags_all, "replication_instance_arn", "start_replication_task")`
 * and again for a change of replication_instance_arn (MoveReplicationTask). The provider docs
 * say it too: "Changing most arguments will stop the task if it is running."
 */
export const DMS_TASK_TYPE = "aws:dms/replicationTask:ReplicationTask";
export const DMS_TASK_NO_RESTART: readonly string[] = ["tags", "tagsAll", "startReplicationTask"];

/** The top-level inputs among `changed` that force a replacement of a `type`. */
export function replacingInputs(type: string, changed: readonly string[]): string[] | undefined {
  const rule = REPLACE_ON_CHANGES[type];
  if (!rule) return undefined;
  return changed.filter((input) => rule.inputs.includes(input));
}
