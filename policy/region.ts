/**
 * Data residency: whatever the provider says, a resource may name another region itself (the
 * resource-level `region` of @pulumi/aws v7), point at an ARN in another region, replicate a
 * secret to another region, or replicate a bucket to a bucket outside the stack.
 */
import {
  accountList,
  ANY_TYPE,
  type PackPolicy,
  UNKNOWN,
  asList,
  isRecord,
  nonEmptyString,
  read,
  resourcePolicyForType,
  stackPolicy,
} from "./common";
import { BUCKET_TYPES, T } from "./types";

const regionsConfig = {
  allowedRegions: {
    type: "array" as const,
    items: { type: "string" as const, pattern: "^[a-z]{2}(-[a-z]+)+-\\d$" },
    minItems: 1,
    uniqueItems: true,
    default: ["eu-west-2"],
    description: "Regions data may be stored in or sent to.",
  },
};

/** Every string inside a value (policy documents are JSON strings: their ARNs count too). */
function strings(value: unknown, path: string, out: { path: string; value: string }[]): void {
  // Values unknown during preview are skipped: they are judged again once known.
  if (typeof value === "string") out.push({ path, value });
  else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const v = read(value, i);
      if (v !== UNKNOWN) strings(v, `${path}[${i}]`, out);
    }
  } else if (isRecord(value)) {
    for (const k of Object.keys(value)) {
      const v = read(value, k);
      if (v !== UNKNOWN) strings(v, path ? `${path}.${k}` : k, out);
    }
  }
}

/** Resource types this policy leaves to aws-provider-allowed-region. */
const PROVIDER_TYPES = ["pulumi:providers:aws"];

/**
 * Not tied to types: it judges every resource, so it is listed with the wildcard type "*" and
 * the coverage policy does not count it as judging any type.
 */
const dataStaysInRegion = resourcePolicyForType<{ allowedRegions: string[] }>({
  name: "data-stays-in-region",
  description:
    "No resource leaves the allowed region by itself: no resource-level region, no ARN of another region in any input (targets, keys, subscriptions, policies), no secret replica in another region.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Remove the region argument, point at the eu-west-2 resource instead, and drop replicas outside eu-west-2.",
  config: regionsConfig,
  type: ANY_TYPE,
  validate: (props, judge) => {
    if (PROVIDER_TYPES.includes(judge.args.type)) return;
    const allowed = judge.config.allowedRegions;
    const region = read(props, "region");
    if (nonEmptyString(region) && !allowed.includes(region))
      judge.fail(
        `it is created in ${region}`,
        `remove region (the provider deploys to ${allowed.join(", ")})`,
      );
    const replicas = read(props, "replicas");
    for (const replica of replicas === UNKNOWN ? [] : asList(replicas as unknown)) {
      const r = read(replica, "region");
      if (nonEmptyString(r) && !allowed.includes(r))
        judge.fail(`it replicates to ${r}`, `remove the replica in ${r}`);
    }
    const found: { path: string; value: string }[] = [];
    strings(props, "", found);
    const seen = new Set<string>();
    for (const { path, value } of found) {
      for (const arn of value.match(/arn:aws[a-z-]*:[a-z0-9-]+:[a-z]{2}(-[a-z]+)+-\d:/g) ?? []) {
        const r = arn.split(":")[3];
        if (!r || allowed.includes(r) || seen.has(`${path}${r}`)) continue;
        seen.add(`${path}${r}`);
        judge.fail(
          `${path} refers to a resource in ${r}`,
          `use the resource in ${allowed.join(", ")} instead`,
        );
      }
    }
  },
});

const replicationInStack = stackPolicy<{ allowedRegions: string[] }>({
  name: "s3-replication-stays-in-stack",
  description:
    "S3 replication (aws:s3/bucketReplicationConfig, or a bucket's inline replicationConfiguration) copies only to buckets of the same stack, which the provider keeps in eu-west-2: a bucket elsewhere may be in any region or account.",
  enforcementLevel: "mandatory",
  remediationSteps: "Replicate only to a bucket created in this stack, or remove the replication.",
  config: regionsConfig,
  resourceTypes: [T.bucketReplication, ...BUCKET_TYPES],
  validate: (judge) => {
    const buckets = judge.stack.ofType(...BUCKET_TYPES);
    const arns = new Set(buckets.map((b) => read(b.props, "arn")).filter(nonEmptyString));
    const names = new Set(buckets.map((b) => read(b.props, "bucket")).filter(nonEmptyString));
    const ours = (arn: unknown) =>
      arn === UNKNOWN ||
      (nonEmptyString(arn) &&
        (arns.has(arn) || names.has(arn.replace(/^arn:aws[a-z-]*:s3:::/, ""))));
    // A bucket of the stack whose name or ARN is unknown may be the destination.
    const someUnknown = buckets.some(
      (b) => read(b.props, "arn") === UNKNOWN || read(b.props, "bucket") === UNKNOWN,
    );
    const judgeRules = (r: (typeof buckets)[number], rules: unknown) => {
      if (rules === UNKNOWN)
        return judge.cannotJudge(r, "its replication rules, unknown during preview");
      for (const rule of asList(rules as unknown)) {
        const destination = read(rule, "destination", "bucket");
        const account = read(rule, "destination", "account");
        if (rule === UNKNOWN || (!ours(destination) && someUnknown))
          judge.cannotJudge(r, "where it replicates to: a value is unknown during preview");
        else if (!ours(destination))
          judge.fail(
            r,
            `it replicates to ${String(destination)}, a bucket outside this stack (any region, any account)`,
            "replicate only to a bucket of this stack",
          );
        else if (nonEmptyString(account))
          judge.fail(
            r,
            `it replicates to the account ${account}`,
            "replicate only within this account",
          );
      }
    };
    judge.each(judge.stack.ofType(T.bucketReplication), (r) =>
      judgeRules(r, read(r.props, "rules")),
    );
    judge.each(buckets, (b) => {
      for (const c of asList(read(b.props, "replicationConfiguration") as unknown))
        judgeRules(b, read(c, "rules"));
      for (const c of asList(read(b.props, "replicationConfigurations") as unknown))
        judgeRules(b, read(c, "rules"));
    });
  },
});

const accountsConfig = {
  accountIds: accountList("This account (the one AWS account that holds all three environments)."),
  allowedAccountIds: accountList(
    "Other accounts whose resources may be named (targets, keys, topics, ...).",
  ),
};

const dataStaysInAccount = resourcePolicyForType<{
  accountIds: string[];
  allowedAccountIds: string[];
}>({
  name: "data-stays-in-account",
  description:
    "No input of any resource names a resource of another account (an event target, subscription endpoint, key, bucket or role ARN) unless that account is allowlisted: data would leave through it.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Point at a resource of this account, or add the account to allowedAccountIds in policy-config.json.",
  config: accountsConfig,
  type: ANY_TYPE,
  validate: (props, judge) => {
    if (PROVIDER_TYPES.includes(judge.args.type)) return;
    const ours = [...judge.config.accountIds, ...judge.config.allowedAccountIds];
    const found: { path: string; value: string }[] = [];
    strings(props, "", found);
    const seen = new Set<string>();
    for (const { path, value } of found) {
      for (const m of value.matchAll(/arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12}):/g)) {
        const account = m[1];
        if (ours.includes(account) || seen.has(`${path}${account}`)) continue;
        seen.add(`${path}${account}`);
        judge.fail(
          `${path} refers to a resource of the account ${account}`,
          "point at a resource of this account, or allowlist the account in policy-config.json",
        );
      }
    }
  },
});

export const regionPolicies: PackPolicy[] = [
  dataStaysInRegion,
  dataStaysInAccount,
  replicationInStack,
];
