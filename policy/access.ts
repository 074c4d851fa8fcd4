/**
 * Resource policies of every service we use (bucket, access point, topic, queue, key, secret,
 * VPC endpoint, event bus, log and Glue resource policies), judged by one judge: a statement
 * that lets in anyone, another account, or a service acting for any account, must carry a
 * condition that really restricts the caller to this account, organisation or source.
 */
import {
  accountList,
  type PackPolicy,
  isRecord,
  nonEmptyString,
  parseMaybeJson,
  resourcePolicyForType,
} from "./common";
import {
  type Trusted,
  foreignPrincipal,
  isAllow,
  parsePolicyDocument,
  restrictsToTrusted,
} from "./documents";

/** Resource types that carry a resource policy, and the property that holds it. */
export const RESOURCE_POLICY_PROPERTIES: Readonly<Record<string, string>> = {
  "aws:s3/bucketPolicy:BucketPolicy": "policy",
  "aws:s3/bucket:Bucket": "policy",
  "aws:s3/bucketV2:BucketV2": "policy",
  "aws:s3/accessPoint:AccessPoint": "policy",
  "aws:s3control/accessPointPolicy:AccessPointPolicy": "policy",
  "aws:sns/topicPolicy:TopicPolicy": "policy",
  "aws:sns/topic:Topic": "policy",
  "aws:sqs/queuePolicy:QueuePolicy": "policy",
  "aws:sqs/queue:Queue": "policy",
  "aws:kms/key:Key": "policy",
  "aws:kms/keyPolicy:KeyPolicy": "policy",
  "aws:kms/replicaKey:ReplicaKey": "policy",
  "aws:secretsmanager/secretPolicy:SecretPolicy": "policy",
  "aws:secretsmanager/secret:Secret": "policy",
  "aws:ec2/vpcEndpoint:VpcEndpoint": "policy",
  "aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy": "policy",
  "aws:cloudwatch/eventBusPolicy:EventBusPolicy": "policy",
  "aws:cloudwatch/logResourcePolicy:LogResourcePolicy": "policyDocument",
  "aws:glue/resourcePolicy:ResourcePolicy": "policy",
  "aws:lambda/resourcePolicy:ResourcePolicy": "policy",
};

export interface TrustConfig {
  accountIds: string[];
  allowedAccountIds: string[];
  organizationIds: string[];
}

export const TRUST_CONFIG = {
  accountIds: accountList("This account (the one AWS account that holds all three environments)."),
  allowedAccountIds: accountList("Other accounts that resource policies may let in."),
  organizationIds: {
    type: "array" as const,
    items: { type: "string" as const, pattern: "^o-[a-z0-9]{10,32}$" },
    uniqueItems: true,
    default: [] as string[],
    description: "Organisations an aws:PrincipalOrgID condition may name.",
  },
};

export const trustedOf = (c: TrustConfig): Trusted => ({
  accountIds: [...c.accountIds, ...c.allowedAccountIds],
  organizationIds: c.organizationIds,
});

const resourcePolicyRestricted = resourcePolicyForType<TrustConfig>({
  name: "resource-policy-principals-restricted",
  description:
    "A resource policy (bucket, access point, topic, queue, key, secret, VPC endpoint, event bus, log or Glue policy) lets in only this account's principals, allowlisted accounts, or anyone and services only under a condition that restricts them to this account, organisation or source (aws:SourceAccount, aws:SourceArn, aws:PrincipalOrgID, ...). A condition that restricts nothing (aws:SecureTransport, a wildcard ARN, a negated or IfExists operator) does not count.",
  enforcementLevel: "mandatory",
  remediationSteps:
    'Name a principal of this account, or add Condition: { StringEquals: { "aws:SourceAccount": "<this account>" } } (or aws:SourceArn / aws:PrincipalOrgID).',
  config: TRUST_CONFIG,
  type: Object.keys(RESOURCE_POLICY_PROPERTIES),
  validate: (props, judge) => {
    const value = props[RESOURCE_POLICY_PROPERTIES[judge.args.type]];
    // Inline policies on buckets, topics, queues, keys and secrets are optional.
    if (value === undefined || value === null || value === "") return;
    const parsed = parseMaybeJson(value);
    if (parsed.ok && isRecord(parsed.value) && Object.keys(parsed.value).length === 0) return;
    const doc = parsePolicyDocument(value);
    if (!doc.ok) return judge.cannotJudge(doc.reason);
    const trusted = trustedOf(judge.config);
    for (const s of doc.statements.filter(isAllow)) {
      const who = foreignPrincipal(s, trusted, "resource");
      if (who === undefined || restrictsToTrusted(s, trusted)) continue;
      judge.fail(
        `${s.id} lets ${who} ${s.actions.join(", ") || "act"} without a condition that restricts it to this account, organisation or source`,
        nonEmptyString(who) && who.startsWith("the service")
          ? 'add Condition: { StringEquals: { "aws:SourceAccount": "<this account>" } } or an aws:SourceArn of this account'
          : "name a principal of this account, or add a condition on aws:SourceAccount, aws:SourceArn or aws:PrincipalOrgID naming this account or organisation",
      );
    }
  },
});

export const accessPolicies: PackPolicy[] = [resourcePolicyRestricted];
