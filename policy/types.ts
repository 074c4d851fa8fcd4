/**
 * Type tokens that stack policies look up. Plain strings, so that stack policies need no SDK
 * class; types.test.ts checks each one against the @pulumi/aws class it names.
 */
export const T = {
  awsProvider: "pulumi:providers:aws",
  kmsKey: "aws:kms/key:Key",
  kmsAlias: "aws:kms/alias:Alias",
  bucket: "aws:s3/bucket:Bucket",
  bucketV2: "aws:s3/bucketV2:BucketV2",
  bucketVersioning: "aws:s3/bucketVersioning:BucketVersioning",
  bucketVersioningV2: "aws:s3/bucketVersioningV2:BucketVersioningV2",
  bucketEncryption:
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  bucketEncryptionV2:
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
  bucketPublicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  bucketOwnershipControls: "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
  bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
  bucketLogging: "aws:s3/bucketLogging:BucketLogging",
  bucketLoggingV2: "aws:s3/bucketLoggingV2:BucketLoggingV2",
  bucketLifecycle: "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
  bucketLifecycleV2: "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
  bucketObjectv2: "aws:s3/bucketObjectv2:BucketObjectv2",
  snsTopic: "aws:sns/topic:Topic",
  snsTopicPolicy: "aws:sns/topicPolicy:TopicPolicy",
  snsTopicSubscription: "aws:sns/topicSubscription:TopicSubscription",
  lambdaFunction: "aws:lambda/function:Function",
  lambdaPermission: "aws:lambda/permission:Permission",
  lambdaEventInvokeConfig: "aws:lambda/functionEventInvokeConfig:FunctionEventInvokeConfig",
  iamRole: "aws:iam/role:Role",
  iamRolePolicy: "aws:iam/rolePolicy:RolePolicy",
  iamRolePolicyAttachment: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
  iamRolePolicyAttachmentsExclusive:
    "aws:iam/rolePolicyAttachmentsExclusive:RolePolicyAttachmentsExclusive",
  iamRolePoliciesExclusive: "aws:iam/rolePoliciesExclusive:RolePoliciesExclusive",
  iamPolicyAttachment: "aws:iam/policyAttachment:PolicyAttachment",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  metricAlarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  eventRule: "aws:cloudwatch/eventRule:EventRule",
  eventTarget: "aws:cloudwatch/eventTarget:EventTarget",
  dmsEndpoint: "aws:dms/endpoint:Endpoint",
  dmsS3Endpoint: "aws:dms/s3Endpoint:S3Endpoint",
  dmsReplicationInstance: "aws:dms/replicationInstance:ReplicationInstance",
  dmsReplicationTask: "aws:dms/replicationTask:ReplicationTask",
  dmsReplicationSubnetGroup: "aws:dms/replicationSubnetGroup:ReplicationSubnetGroup",
  dmsEventSubscription: "aws:dms/eventSubscription:EventSubscription",
  securityGroup: "aws:ec2/securityGroup:SecurityGroup",
  vpcEgressRule: "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule",
  vpcIngressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  glueCatalogDatabase: "aws:glue/catalogDatabase:CatalogDatabase",
  glueCatalogTable: "aws:glue/catalogTable:CatalogTable",
  glueDataCatalogEncryption: "aws:glue/dataCatalogEncryptionSettings:DataCatalogEncryptionSettings",
  secretsManagerSecret: "aws:secretsmanager/secret:Secret",
  sqsQueue: "aws:sqs/queue:Queue",
  sqsQueuePolicy: "aws:sqs/queuePolicy:QueuePolicy",
} as const;

export const BUCKET_TYPES = [T.bucket, T.bucketV2];
