/**
 * What the offline plan's mocks (lib/plan/evaluate.ts) and the real-CLI tier's AWS provider
 * stand-in (tools/realCli/awsProvider.ts) answer for a resource or a data source: deterministic
 * ids and the computed attributes the programs read. No Pulumi SDK here, so that the provider
 * stand-in answers its first diff without loading it (README: "Where a preview's time goes").
 */

export const MOCK_ACCOUNT_ID = "123456789012";

/**
 * What a data source returns, by invoke token: the facts both the mocks and the real-CLI tier's
 * AWS provider stand-in (tools/realCli/awsProvider.ts) answer with.
 */
export function mockInvoke(
  token: string,
  inputs: Record<string, unknown>,
): Record<string, unknown> {
  const region = "eu-west-2";
  switch (token) {
    case "aws:index/getCallerIdentity:getCallerIdentity":
      return {
        accountId: MOCK_ACCOUNT_ID,
        arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/plan`,
        userId: "AROAPLAN",
        id: MOCK_ACCOUNT_ID,
      };
    case "aws:ec2/getSecurityGroup:getSecurityGroup":
      return {
        id: "sg-0123456789abcdef0",
        name: inputs.name,
        arn: `arn:aws:ec2:${region}:${MOCK_ACCOUNT_ID}:security-group/sg-0123456789abcdef0`,
        vpcId: "vpc-0123456789abcdef0",
      };
    case "aws:secretsmanager/getSecret:getSecret":
      return {
        id: inputs.name,
        name: inputs.name,
        arn: `arn:aws:secretsmanager:${region}:${MOCK_ACCOUNT_ID}:secret:${inputs.name}-AbC123`,
      };
    default:
      throw new Error(`no mock answers the data source ${token}; add one in lib/plan/mockState.ts`);
  }
}

/**
 * A deterministic id and the computed attributes a real create would return. Ids and ARNs
 * follow each resource's "Attribute Reference" (and "Import" id format) in the AWS provider's
 * documentation, pulumi/pulumi-aws v7.48.0 docs/resource/<type>.md, which repeats the upstream
 * terraform-provider-aws pages; the ARN formats are AWS's own (Service Authorization
 * Reference, "Resource types defined by <service>").
 */
export function mockState(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
): { id: string; state: Record<string, unknown> } {
  const region = typeof inputs.region === "string" ? inputs.region : "eu-west-2";
  const account = MOCK_ACCOUNT_ID;
  const given = (key: string) =>
    typeof inputs[key] === "string" ? (inputs[key] as string) : undefined;
  const physical = given("name") ?? `${name}-${shortHash(name)}`;
  const service = type.split(":")[1]?.split("/")[0] ?? "unknown";
  const state: Record<string, unknown> = { ...inputs };
  let id = `${name}-id`;
  switch (type) {
    // aws.s3.BucketV2 is an alias of aws.s3.Bucket with the same outputs: id is the bucket name.
    case "aws:s3/bucket:Bucket":
    case "aws:s3/bucketV2:BucketV2":
      id = given("bucket") ?? `${name}-${shortHash(name).slice(0, 7)}`;
      Object.assign(state, {
        bucket: id,
        arn: `arn:aws:s3:::${id}`,
        bucketDomainName: `${id}.s3.amazonaws.com`,
        bucketRegionalDomainName: `${id}.s3.${region}.amazonaws.com`,
        region,
      });
      break;
    // A bucket's separate configuration resources are identified by the bucket's name.
    case "aws:s3/bucketVersioning:BucketVersioning":
    case "aws:s3/bucketVersioningV2:BucketVersioningV2":
    case "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration":
    case "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2":
    case "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock":
    case "aws:s3/bucketOwnershipControls:BucketOwnershipControls":
    case "aws:s3/bucketPolicy:BucketPolicy":
    case "aws:s3/bucketLogging:BucketLogging":
    case "aws:s3/bucketLoggingV2:BucketLoggingV2":
    case "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration":
    case "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2":
    case "aws:s3/bucketAcl:BucketAcl":
    case "aws:s3/bucketAclV2:BucketAclV2":
    case "aws:s3/bucketReplicationConfig:BucketReplicationConfig":
    case "aws:s3/bucketWebsiteConfiguration:BucketWebsiteConfiguration":
      id = given("bucket") ?? id;
      break;
    case "aws:s3/bucketObjectv2:BucketObjectv2":
      id = given("key") ?? id;
      Object.assign(state, {
        arn: `arn:aws:s3:::${given("bucket") ?? "bucket"}/${id}`,
        etag: shortHash(`${name}/etag`),
      });
      break;
    case "aws:kms/key:Key":
      id = `key-${shortHash(name)}`;
      Object.assign(state, { keyId: id, arn: `arn:aws:kms:${region}:${account}:key/${id}` });
      break;
    case "aws:kms/alias:Alias":
      // The alias name already starts with "alias/".
      id = physical;
      Object.assign(state, { name: physical, arn: `arn:aws:kms:${region}:${account}:${physical}` });
      break;
    case "aws:iam/role:Role":
      id = physical;
      Object.assign(state, {
        name: physical,
        arn: `arn:aws:iam::${account}:role/${given("path")?.replace(/^\/|\/$/g, "") ? `${given("path")!.replace(/^\/|\/$/g, "")}/` : ""}${physical}`,
        uniqueId: `AROA${upperHash(name).slice(0, 17)}`,
      });
      break;
    case "aws:iam/policy:Policy":
      Object.assign(state, {
        name: physical,
        arn: `arn:aws:iam::${account}:policy/${physical}`,
        policyId: `ANPA${upperHash(name).slice(0, 17)}`,
      });
      id = state.arn as string;
      break;
    case "aws:iam/user:User":
      id = physical;
      Object.assign(state, {
        name: physical,
        arn: `arn:aws:iam::${account}:user/${physical}`,
        uniqueId: `AIDA${upperHash(name).slice(0, 17)}`,
      });
      break;
    case "aws:iam/rolePolicy:RolePolicy":
      // id is "<role name>:<policy name>"; the role input is the role's name (or id).
      id = `${given("role") ?? "role"}:${physical}`;
      state.name = physical;
      break;
    case "aws:sns/topic:Topic":
      Object.assign(state, { name: physical, arn: `arn:aws:sns:${region}:${account}:${physical}` });
      id = state.arn as string;
      break;
    case "aws:sns/topicPolicy:TopicPolicy":
      id = given("arn") ?? id;
      break;
    case "aws:sns/topicSubscription:TopicSubscription":
      state.arn = `${given("topic") ?? `arn:aws:sns:${region}:${account}:topic`}:${shortHash(name)}-0000-0000-0000-${shortHash(`${name}!`)}0000`;
      id = state.arn as string;
      break;
    case "aws:lambda/function:Function":
      Object.assign(state, {
        name: physical,
        arn: `arn:aws:lambda:${region}:${account}:function:${physical}`,
        invokeArn: `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/arn:aws:lambda:${region}:${account}:function:${physical}/invocations`,
        qualifiedArn: `arn:aws:lambda:${region}:${account}:function:${physical}:$LATEST`,
        version: "$LATEST",
      });
      id = physical;
      break;
    case "aws:lambda/permission:Permission":
      id = given("statementId") ?? name;
      break;
    case "aws:lambda/functionUrl:FunctionUrl":
      id = given("functionName") ?? id;
      state.functionUrl = `https://${shortHash(name)}${shortHash(`${name}!`)}.lambda-url.${region}.on.aws/`;
      break;
    case "aws:cloudwatch/logGroup:LogGroup":
      Object.assign(state, {
        name: physical,
        arn: `arn:aws:logs:${region}:${account}:log-group:${physical}`,
      });
      id = physical;
      break;
    case "aws:cloudwatch/eventRule:EventRule":
      Object.assign(state, {
        name: physical,
        arn: `arn:aws:events:${region}:${account}:rule/${physical}`,
      });
      id = physical;
      break;
    case "aws:cloudwatch/metricAlarm:MetricAlarm":
      Object.assign(state, {
        name: physical,
        arn: `arn:aws:cloudwatch:${region}:${account}:alarm:${physical}`,
      });
      id = physical;
      break;
    case "aws:cloudwatch/eventTarget:EventTarget":
      state.targetId = given("targetId") ?? `${name}-${shortHash(name)}`;
      id = `${given("rule") ?? "rule"}-${state.targetId as string}`;
      break;
    case "aws:scheduler/schedule:Schedule":
      Object.assign(state, {
        name: physical,
        arn: `arn:aws:scheduler:${region}:${account}:schedule/${given("groupName") ?? "default"}/${physical}`,
      });
      id = `${given("groupName") ?? "default"}/${physical}`;
      break;
    case "aws:dms/replicationInstance:ReplicationInstance":
      id = given("replicationInstanceId") ?? id;
      state.replicationInstanceArn = `arn:aws:dms:${region}:${account}:rep:${upperHash(name)}`;
      break;
    case "aws:dms/replicationTask:ReplicationTask":
      id = given("replicationTaskId") ?? id;
      state.replicationTaskArn = `arn:aws:dms:${region}:${account}:task:${upperHash(name)}`;
      break;
    case "aws:dms/endpoint:Endpoint":
    case "aws:dms/s3Endpoint:S3Endpoint":
      id = given("endpointId") ?? id;
      state.endpointArn = `arn:aws:dms:${region}:${account}:endpoint:${upperHash(name)}`;
      break;
    case "aws:dms/replicationSubnetGroup:ReplicationSubnetGroup":
      id = given("replicationSubnetGroupId") ?? id;
      Object.assign(state, {
        replicationSubnetGroupArn: `arn:aws:dms:${region}:${account}:subgrp:${id}`,
        vpcId: "vpc-0123456789abcdef0",
      });
      break;
    case "aws:dms/eventSubscription:EventSubscription":
      id = physical;
      state.arn = `arn:aws:dms:${region}:${account}:es:${physical}`;
      break;
    case "aws:dms/certificate:Certificate":
      id = given("certificateId") ?? id;
      state.certificateArn = `arn:aws:dms:${region}:${account}:cert:${upperHash(name)}`;
      break;
    case "aws:sqs/queue:Queue":
      Object.assign(state, {
        name: physical,
        arn: `arn:aws:sqs:${region}:${account}:${physical}`,
        url: `https://sqs.${region}.amazonaws.com/${account}/${physical}`,
      });
      id = state.url as string;
      break;
    case "aws:sqs/queuePolicy:QueuePolicy":
    case "aws:sqs/redrivePolicy:RedrivePolicy":
      id = given("queueUrl") ?? id;
      break;
    case "aws:secretsmanager/secret:Secret":
      // Secrets Manager appends six random characters to a secret's name in its ARN.
      Object.assign(state, {
        name: physical,
        arn: `arn:aws:secretsmanager:${region}:${account}:secret:${physical}-${shortHash(name).slice(0, 6)}`,
      });
      id = state.arn as string;
      break;
    case "aws:ec2/securityGroup:SecurityGroup":
      id = `sg-${shortHash(name)}${shortHash(`${name}!`).slice(0, 9)}`;
      Object.assign(state, {
        arn: `arn:aws:ec2:${region}:${account}:security-group/${id}`,
        ownerId: account,
        name: physical,
      });
      break;
    case "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule":
    case "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule":
      id = `sgr-${shortHash(name)}${shortHash(`${name}!`).slice(0, 9)}`;
      Object.assign(state, {
        arn: `arn:aws:ec2:${region}:${account}:security-group-rule/${id}`,
        securityGroupRuleId: id,
      });
      break;
    case "aws:ec2/vpcEndpoint:VpcEndpoint":
      id = `vpce-${shortHash(name)}${shortHash(`${name}!`).slice(0, 9)}`;
      Object.assign(state, { arn: `arn:aws:ec2:${region}:${account}:vpc-endpoint/${id}` });
      break;
    case "aws:glue/catalogDatabase:CatalogDatabase":
      id = `${account}:${physical}`;
      Object.assign(state, {
        name: physical,
        arn: `arn:aws:glue:${region}:${account}:database/${physical}`,
      });
      break;
    case "aws:glue/catalogTable:CatalogTable":
      id = `${account}:${given("databaseName") ?? "database"}:${physical}`;
      Object.assign(state, {
        name: physical,
        arn: `arn:aws:glue:${region}:${account}:table/${given("databaseName") ?? "database"}/${physical}`,
      });
      break;
  }
  // Types not modelled above: an ARN in the service's usual shape, so that programs reading
  // one still get a string (a real provider may not return one for every type).
  if (state.arn === undefined && !type.startsWith("pulumi:")) {
    state.arn = `arn:aws:${service}:${region}:${account}:${type.split(":").pop()?.toLowerCase()}/${physical}`;
  }
  return { id, state };
}

function shortHash(text: string): string {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return (h >>> 0).toString(16).padStart(8, "0");
}

const upperHash = (text: string) =>
  shortHash(text).toUpperCase() + shortHash(`${text}!`).toUpperCase();
