/** S3: buckets and their separate configuration resources (AWS provider v7), and objects. */
import { type PolicyResource } from "@pulumi/policy";
import * as s3 from "@pulumi/aws/s3";
import { PROTECTED_ENVIRONMENTS } from "../lib/model/stacks";
import {
  PRODUCTION_ENVIRONMENTS,
  environmentsText,
  type PackPolicy,
  type StackJudge,
  UNKNOWN,
  asList,
  environmentOf,
  isAwsManagedKey,
  isRecord,
  nonEmptyString,
  read,
  resourcePolicy,
  resourcePolicyForType,
  stackPolicy,
} from "./common";
import { judgeNoPublicAccess, parsePolicyDocument } from "./documents";
import { BUCKET_TYPES, T } from "./types";

const ENCRYPTION_TYPES = [T.bucketEncryption, T.bucketEncryptionV2];
const LOGGING_TYPES = [T.bucketLogging, T.bucketLoggingV2];
const LIFECYCLE_TYPES = [T.bucketLifecycle, T.bucketLifecycleV2];
/** What identifies a bucket in another resource's `bucket` or `targetBucket` value. */
const BUCKET_KEYS = ["bucket", "id"];

/**
 * The buckets of the stack that some aws:s3/bucketLogging delivers logs to; `uncertain` when a
 * logging's target is unknown during preview (so any bucket may be one).
 */
function logTargets(judge: StackJudge<object>): {
  targets: Set<PolicyResource>;
  uncertain: boolean;
} {
  const buckets = judge.stack.ofType(...BUCKET_TYPES);
  const targets = new Set<PolicyResource>();
  let uncertain = false;
  for (const logging of judge.stack.ofType(...LOGGING_TYPES)) {
    for (const b of judge.stack.referenced(logging, "targetBucket", buckets, BUCKET_KEYS))
      targets.add(b);
    uncertain ||= judge.stack.unresolved(logging, "targetBucket", buckets, BUCKET_KEYS);
  }
  return { targets, uncertain };
}

/**
 * The stack's resources of `types` that configure `bucket` (through their `bucket` input);
 * `uncertain` when one of them names a bucket unknown during preview (it may be this one).
 */
function companionsOf(judge: StackJudge<object>, bucket: PolicyResource, types: readonly string[]) {
  const buckets = judge.stack.ofType(...BUCKET_TYPES);
  const candidates = judge.stack.ofType(...types);
  return {
    found: candidates.filter(
      (c) => judge.stack.referenced(c, "bucket", [bucket], BUCKET_KEYS).length > 0,
    ),
    uncertain: candidates.some((c) => judge.stack.unresolved(c, "bucket", buckets, BUCKET_KEYS)),
  };
}

/** SSE algorithms of an encryption configuration's rules; UNKNOWN if any is unknown. */
function sseAlgorithms(encryption: PolicyResource): string[] | typeof UNKNOWN {
  const rules = read(encryption.props, "rules");
  if (rules === UNKNOWN) return UNKNOWN;
  const algorithms: string[] = [];
  for (const rule of asList(rules as unknown)) {
    const alg = read(rule, "applyServerSideEncryptionByDefault", "sseAlgorithm");
    if (alg === UNKNOWN) return UNKNOWN;
    if (typeof alg === "string") algorithms.push(alg);
  }
  return algorithms;
}

const kmsEncryption = stackPolicy<{ allowSseS3ForAccessLogTargets: boolean }>({
  name: "s3-bucket-kms-encryption",
  description:
    "S3 default encryption uses SSE-KMS with a customer-managed key and an S3 bucket key. " +
    "SSE-S3 (AES256) is accepted only on a bucket that an aws:s3/bucketLogging of the same stack " +
    "delivers server access logs to, since S3 cannot deliver access logs to an SSE-KMS bucket.",
  enforcementLevel: "mandatory",
  remediationSteps:
    'Set rules[0].applyServerSideEncryptionByDefault to { sseAlgorithm: "aws:kms", kmsMasterKeyId: <customer key ARN> } and bucketKeyEnabled: true.',
  config: {
    allowSseS3ForAccessLogTargets: {
      type: "boolean",
      default: true,
      description:
        "Accept SSE-S3 (AES256) on a bucket that is the target of an aws:s3/bucketLogging in the same stack.",
    },
  },
  resourceTypes: ENCRYPTION_TYPES,
  validate: (judge) => {
    const buckets = judge.stack.ofType(...BUCKET_TYPES);
    const { targets, uncertain } = logTargets(judge);
    const fix =
      'use { sseAlgorithm: "aws:kms", kmsMasterKeyId: <customer-managed key ARN> } with bucketKeyEnabled: true';
    judge.each(judge.stack.ofType(...ENCRYPTION_TYPES), (enc) => {
      const rules = read(enc.props, "rules");
      if (rules === UNKNOWN)
        return judge.cannotJudge(enc, "its rules, which are unknown during preview");
      const list = asList(rules as unknown);
      if (list.length === 0) return judge.fail(enc, "it has no encryption rule", fix);
      const isLogTarget = judge.stack
        .referenced(enc, "bucket", buckets, BUCKET_KEYS)
        .some((b) => targets.has(b));
      for (const rule of list) {
        const alg = read(rule, "applyServerSideEncryptionByDefault", "sseAlgorithm");
        const key = read(rule, "applyServerSideEncryptionByDefault", "kmsMasterKeyId");
        const bucketKey = read(rule, "bucketKeyEnabled");
        if (alg === UNKNOWN) {
          judge.cannotJudge(enc, "its SSE algorithm, which is unknown during preview");
        } else if (alg === "aws:kms" || alg === "aws:kms:dsse") {
          if (key === UNKNOWN)
            judge.cannotJudge(enc, "its KMS key, which is unknown during preview");
          else if (!nonEmptyString(key))
            judge.fail(
              enc,
              `it uses ${alg} without kmsMasterKeyId, i.e. the AWS managed key aws/s3`,
              fix,
            );
          else if (isAwsManagedKey(key))
            judge.fail(enc, `it uses the AWS managed key ${key}, not a customer-managed key`, fix);
          if (alg === "aws:kms" && bucketKey !== true && bucketKey !== UNKNOWN)
            judge.fail(
              enc,
              "the S3 bucket key is off (one KMS call per object)",
              "set bucketKeyEnabled: true",
            );
        } else if (alg === "AES256") {
          if (judge.config.allowSseS3ForAccessLogTargets && !isLogTarget && uncertain) {
            judge.cannotJudge(
              enc,
              "whether its bucket receives access logs: a logging target is unknown during preview",
            );
          } else if (!(judge.config.allowSseS3ForAccessLogTargets && isLogTarget)) {
            judge.fail(
              enc,
              "it uses SSE-S3 (AES256); only a bucket that an aws:s3/bucketLogging of this stack delivers access logs to may",
              fix,
            );
          }
        } else {
          judge.fail(enc, `its SSE algorithm is ${JSON.stringify(alg)}, not aws:kms`, fix);
        }
      }
    });
  },
});

const publicAccessBlock = resourcePolicy({
  name: "s3-bucket-public-access-block",
  description: "An S3 bucket's public access block sets all four flags to true.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Set blockPublicAcls, blockPublicPolicy, ignorePublicAcls and restrictPublicBuckets to true.",
  resource: s3.BucketPublicAccessBlock,
  validate: (props, judge) => {
    const flags = [
      "blockPublicAcls",
      "blockPublicPolicy",
      "ignorePublicAcls",
      "restrictPublicBuckets",
    ] as const;
    const off = flags.filter((f) => props[f] !== true);
    if (off.length > 0) {
      judge.fail(
        `${off.join(", ")} ${off.length === 1 ? "is" : "are"} not true`,
        `set ${off.map((f) => `${f}: true`).join(", ")}`,
      );
    }
  },
});

const versioning = resourcePolicyForType({
  name: "s3-bucket-versioning-enabled",
  description:
    "S3 bucket versioning (aws:s3/bucketVersioning or its V2 alias) is Enabled, so that an overwritten or deleted object can be restored.",
  enforcementLevel: "mandatory",
  remediationSteps: 'Set versioningConfiguration: { status: "Enabled" }.',
  type: [T.bucketVersioning, T.bucketVersioningV2],
  validate: (props, judge) => {
    // Read directly: an unknown value makes the SDK's proxy throw, which the guard reports.
    const status = (props["versioningConfiguration"] as { status?: unknown } | undefined)?.status;
    if (status !== "Enabled") {
      judge.fail(
        `versioning status is ${JSON.stringify(status ?? null)}, not "Enabled"`,
        'set versioningConfiguration: { status: "Enabled" }',
      );
    }
  },
});

/** `Bool` or `BoolIfExists` `aws:SecureTransport` = false. */
function deniesInsecureTransport(condition: Record<string, unknown> | undefined): boolean {
  if (!condition) return false;
  return ["Bool", "BoolIfExists"].some((op) => {
    const block = condition[op];
    if (!isRecord(block)) return false;
    return Object.entries(block).some(
      ([k, v]) =>
        k.toLowerCase() === "aws:securetransport" &&
        asList(v as unknown).some((x) => String(x) === "false"),
    );
  });
}

const tlsOnly = resourcePolicy({
  name: "s3-bucket-tls-only",
  description:
    "An S3 bucket policy denies every request made without TLS (aws:SecureTransport false), on the bucket and its objects.",
  enforcementLevel: "mandatory",
  remediationSteps:
    'Add { Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [<bucket ARN>, "<bucket ARN>/*"], Condition: { Bool: { "aws:SecureTransport": "false" } } }.',
  resource: s3.BucketPolicy,
  validate: (props, judge) => {
    const doc = parsePolicyDocument(props.policy);
    if (!doc.ok) return judge.cannotJudge(doc.reason);
    const fix =
      'add a statement { Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [<bucket ARN>, "<bucket ARN>/*"], Condition: { Bool: { "aws:SecureTransport": "false" } } }';
    const deny = doc.statements.filter(
      (s) =>
        s.effect === "Deny" &&
        s.anyPrincipal &&
        s.actions.some((a) => a === "*" || a.toLowerCase() === "s3:*") &&
        deniesInsecureTransport(s.condition),
    );
    if (deny.length === 0) return judge.fail("no statement denies requests without TLS", fix);
    const resources = deny.flatMap((s) => s.resources);
    const coversBucket = resources.some(
      (r) => r === "*" || (r.startsWith("arn:") && !r.includes("/")),
    );
    const coversObjects = resources.some((r) => r === "*" || r.endsWith("/*"));
    if (!coversBucket || !coversObjects) {
      judge.fail(
        `the TLS-only statement does not cover ${!coversBucket ? "the bucket ARN" : "the objects (<bucket ARN>/*)"}`,
        "list both the bucket ARN and <bucket ARN>/* in its Resource",
      );
    }
  },
});

const bucketPolicyNotPublic = resourcePolicy({
  name: "s3-bucket-policy-no-public-access",
  description: "An S3 bucket policy grants nothing to every principal (*) without a condition.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Name the principal (an account, role or service) or add a condition such as aws:SourceAccount.",
  resource: s3.BucketPolicy,
  validate: (props, judge) => {
    judgeNoPublicAccess(
      props.policy,
      judge,
      "name the principal (account, role or service) or add a condition such as aws:SourceAccount or aws:PrincipalOrgID",
    );
  },
});

const accessLogging = stackPolicy<{ exemptLogTargetBuckets: boolean }>({
  name: "s3-bucket-access-logging",
  description:
    "Every S3 bucket has server access logging (an aws:s3/bucketLogging) to another bucket. The buckets that receive access logs are exempt, and must use SSE-S3, since S3 cannot deliver access logs to an SSE-KMS bucket.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Add an aws:s3/bucketLogging with targetBucket set to the stack's access-log bucket and a targetPrefix.",
  config: {
    exemptLogTargetBuckets: {
      type: "boolean",
      default: true,
      description:
        "Buckets that receive access logs from an aws:s3/bucketLogging of the same stack need no logging of their own.",
    },
  },
  resourceTypes: [...BUCKET_TYPES, ...LOGGING_TYPES],
  validate: (judge) => {
    const buckets = judge.stack.ofType(...BUCKET_TYPES);
    const { targets, uncertain } = logTargets(judge);
    const loggings = judge.stack.ofType(...LOGGING_TYPES);
    judge.each(buckets, (bucket) => {
      if (targets.has(bucket) && judge.config.exemptLogTargetBuckets) return;
      const logging = companionsOf(judge, bucket, LOGGING_TYPES);
      if (logging.found.length > 0) return;
      if (logging.uncertain || (uncertain && judge.config.exemptLogTargetBuckets)) {
        judge.cannotJudge(
          bucket,
          "whether it is logged or is a log target: a bucket name is unknown during preview",
        );
      } else {
        judge.fail(
          bucket,
          "it has no server access logging",
          "add an aws:s3/bucketLogging for it with targetBucket set to the access-log bucket and a targetPrefix",
        );
      }
    });
    judge.each(loggings, (logging) => {
      const own = judge.stack.referenced(logging, "bucket", buckets, BUCKET_KEYS);
      const target = judge.stack.referenced(logging, "targetBucket", buckets, BUCKET_KEYS);
      if (own.length > 0 && target.some((t) => own.includes(t))) {
        judge.fail(
          logging,
          "it delivers a bucket's access logs to the same bucket (a log loop)",
          "deliver them to the dedicated access-log bucket",
        );
      }
      for (const t of target) {
        for (const enc of companionsOf(judge, t, ENCRYPTION_TYPES).found) {
          const algs = sseAlgorithms(enc);
          if (algs !== UNKNOWN && algs.some((a) => a.startsWith("aws:kms"))) {
            judge.fail(
              logging,
              `its target bucket "${t.name}" is encrypted with SSE-KMS, to which S3 cannot deliver access logs`,
              `encrypt "${t.name}" with SSE-S3 (sseAlgorithm "AES256")`,
            );
          }
        }
      }
    });
  },
});

const ownershipEnforced = resourcePolicy({
  name: "s3-bucket-ownership-enforced",
  description:
    "S3 object ownership is BucketOwnerEnforced: ACLs are disabled and the bucket owner owns every object.",
  enforcementLevel: "mandatory",
  remediationSteps: 'Set rule: { objectOwnership: "BucketOwnerEnforced" }.',
  resource: s3.BucketOwnershipControls,
  validate: (props, judge) => {
    const ownership = props.rule?.objectOwnership;
    if (ownership !== "BucketOwnerEnforced") {
      judge.fail(
        `objectOwnership is ${JSON.stringify(ownership ?? null)}, so ACLs still apply`,
        'set rule: { objectOwnership: "BucketOwnerEnforced" }',
      );
    }
  },
});

const noAcl = resourcePolicyForType({
  name: "s3-bucket-no-acl",
  description:
    "An S3 bucket (Bucket, BucketV2, or a separate BucketAcl/BucketAclV2) sets no canned ACL other than private and no grants: access is granted by policy only.",
  enforcementLevel: "mandatory",
  remediationSteps: "Remove acl and grants; grant access through the bucket policy or IAM.",
  type: [T.bucket, T.bucketV2, T.bucketAcl, T.bucketAclV2],
  validate: (props, judge) => {
    const acl = props["acl"];
    if (acl !== undefined && acl !== null && acl !== "private") {
      judge.fail(
        `it sets the canned ACL ${JSON.stringify(acl)}`,
        "remove acl; grant access through the bucket policy or IAM",
      );
    }
    const grants = [
      ...asList(props["grants"] as unknown),
      ...asList(read(props, "accessControlPolicy", "grants") as unknown),
    ];
    if (grants.length > 0) {
      judge.fail(
        "it sets ACL grants",
        "remove grants; grant access through the bucket policy or IAM",
      );
    }
  },
});

const INLINE_ARGS: Record<string, string> = {
  serverSideEncryptionConfiguration: "aws.s3.BucketServerSideEncryptionConfiguration",
  versioning: "aws.s3.BucketVersioning",
  logging: "aws.s3.BucketLogging",
  lifecycleRules: "aws.s3.BucketLifecycleConfiguration",
  policy: "aws.s3.BucketPolicy",
  corsRules: "aws.s3.BucketCorsConfiguration",
  website: "aws.s3.BucketWebsiteConfiguration",
  replicationConfiguration: "aws.s3.BucketReplicationConfig",
  objectLockConfiguration: "aws.s3.BucketObjectLockConfiguration",
  accelerationStatus: "aws.s3.BucketAccelerateConfiguration",
  requestPayer: "aws.s3.BucketRequestPaymentConfiguration",
  // The same arguments under their BucketV2 (plural) names.
  serverSideEncryptionConfigurations: "aws.s3.BucketServerSideEncryptionConfiguration",
  versionings: "aws.s3.BucketVersioning",
  loggings: "aws.s3.BucketLogging",
  replicationConfigurations: "aws.s3.BucketReplicationConfig",
  websites: "aws.s3.BucketWebsiteConfiguration",
};

const noInlineConfig = resourcePolicyForType({
  name: "s3-bucket-no-inline-configuration",
  description:
    "An S3 bucket is configured through the separate v7 resources, not the deprecated inline arguments, which fight with those resources.",
  enforcementLevel: "advisory",
  remediationSteps:
    "Move each inline argument to its own resource (for example versioning to aws.s3.BucketVersioning).",
  type: BUCKET_TYPES,
  validate: (props, judge) => {
    const record = props;
    for (const [arg, resource] of Object.entries(INLINE_ARGS)) {
      const v = record[arg];
      if (v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0)) {
        judge.fail(
          `it sets the deprecated inline argument ${arg}`,
          `remove it and use ${resource}`,
        );
      }
    }
  },
});

const noForceDestroy = resourcePolicyForType<{ protectedEnvironments: string[] }>({
  name: "s3-bucket-no-force-destroy",
  description:
    "In environments that hold real data, an S3 bucket does not set forceDestroy (which lets pulumi destroy delete its objects).",
  enforcementLevel: "mandatory",
  remediationSteps: `Set forceDestroy: false (or leave it unset) in ${environmentsText(PROTECTED_ENVIRONMENTS)}.`,
  config: {
    protectedEnvironments: {
      type: "array",
      items: { type: "string", minLength: 1 },
      uniqueItems: true,
      default: [...PROTECTED_ENVIRONMENTS],
      description: "Environments (from the stack name) in which forceDestroy is refused.",
    },
  },
  type: BUCKET_TYPES,
  validate: (props, judge) => {
    if (props["forceDestroy"] !== true) return;
    const env = environmentOf(judge.args, judge.args.stackTags);
    if (env === undefined) {
      return judge.cannotJudge("whether forceDestroy is allowed: the stack name is unknown");
    }
    if (judge.config.protectedEnvironments.includes(env)) {
      judge.fail(
        `it sets forceDestroy: true in ${env}`,
        `set forceDestroy: false for ${environmentsText(judge.config.protectedEnvironments)}`,
      );
    }
  },
});

const COMPANIONS: Record<string, { types: readonly string[]; what: string }> = {
  encryption: { types: ENCRYPTION_TYPES, what: "aws:s3/bucketServerSideEncryptionConfiguration" },
  "public-access-block": {
    types: [T.bucketPublicAccessBlock],
    what: "aws:s3/bucketPublicAccessBlock",
  },
  versioning: {
    types: [T.bucketVersioning, T.bucketVersioningV2],
    what: "aws:s3/bucketVersioning",
  },
  "ownership-controls": {
    types: [T.bucketOwnershipControls],
    what: "aws:s3/bucketOwnershipControls",
  },
  policy: { types: [T.bucketPolicy], what: "aws:s3/bucketPolicy" },
};

const companions = stackPolicy<{ companions: string[] }>({
  name: "s3-bucket-companions",
  description:
    "Every S3 bucket of the stack has its companion resources: encryption, public access block, versioning, ownership controls and bucket policy (configurable).",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Create the missing companion resources for the bucket (lib/infra/components/secureBucket.ts does it).",
  config: {
    companions: {
      type: "array",
      items: { type: "string", enum: Object.keys(COMPANIONS) },
      uniqueItems: true,
      default: Object.keys(COMPANIONS),
      description: "The companion resources every bucket must have.",
    },
  },
  resourceTypes: BUCKET_TYPES,
  validate: (judge) => {
    judge.each(judge.stack.ofType(...BUCKET_TYPES), (bucket) => {
      let uncertain = false;
      const missing = judge.config.companions.filter((kind) => {
        if (!COMPANIONS[kind]) return false;
        const c = companionsOf(judge, bucket, COMPANIONS[kind].types);
        if (c.found.length === 0 && c.uncertain) uncertain = true;
        return c.found.length === 0;
      });
      if (missing.length > 0 && uncertain) {
        judge.cannotJudge(
          bucket,
          "its companion resources: the bucket some of them configure is unknown during preview",
        );
      } else if (missing.length > 0) {
        judge.fail(
          bucket,
          `it has no ${missing.map((k) => COMPANIONS[k].what).join(", no ")} in this stack`,
          "create them with bucket set to this bucket's id (lib/infra/components/secureBucket.ts creates all of them)",
        );
      }
    });
  },
});

/** A lifecycle rule that applies to every object: no prefix, tag or size filter. */
function appliesToWholeBucket(rule: unknown): boolean {
  if (nonEmptyString(read(rule, "prefix"))) return false;
  const filter = read(rule, "filter");
  if (filter === undefined || filter === null) return true;
  if (!isRecord(filter)) return false;
  return Object.entries(filter).every(([k, v]) =>
    k === "prefix" ? !nonEmptyString(v) : v === undefined || v === null,
  );
}

const lifecycleAbortUploads = stackPolicy<{ maxDaysAfterInitiation: number }>({
  name: "s3-bucket-lifecycle-abort-incomplete-uploads",
  description:
    "Every S3 bucket has a lifecycle rule, enabled for the whole bucket, that aborts incomplete multipart uploads (whose parts are billed but invisible).",
  enforcementLevel: "advisory",
  remediationSteps:
    'Add an aws:s3/bucketLifecycleConfiguration rule { status: "Enabled", filter: {}, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } }.',
  config: {
    maxDaysAfterInitiation: {
      type: "integer",
      minimum: 1,
      maximum: 365,
      default: 7,
      description: "Most days an incomplete multipart upload may be kept.",
    },
  },
  resourceTypes: [...BUCKET_TYPES, ...LIFECYCLE_TYPES],
  validate: (judge) => {
    const max = judge.config.maxDaysAfterInitiation;
    const fix = `add a rule { status: "Enabled", filter: {}, abortIncompleteMultipartUpload: { daysAfterInitiation: ${max} } } to its aws:s3/bucketLifecycleConfiguration`;
    judge.each(judge.stack.ofType(...BUCKET_TYPES), (bucket) => {
      const { found: configs, uncertain } = companionsOf(judge, bucket, LIFECYCLE_TYPES);
      let unknown = uncertain;
      if (configs.length === 0 && !unknown)
        return judge.fail(bucket, "it has no lifecycle configuration", fix);
      const ok = configs.some((c) => {
        const rules = read(c.props, "rules");
        if (rules === UNKNOWN) {
          unknown = true;
          return false;
        }
        return asList(rules as unknown).some((rule) => {
          const days = read(rule, "abortIncompleteMultipartUpload", "daysAfterInitiation");
          if (days === UNKNOWN) unknown = true;
          return (
            read(rule, "status") === "Enabled" &&
            typeof days === "number" &&
            days <= max &&
            appliesToWholeBucket(rule)
          );
        });
      });
      if (ok) return;
      if (unknown)
        return judge.cannotJudge(bucket, "its lifecycle rules, which are unknown during preview");
      judge.fail(
        bucket,
        `no enabled whole-bucket lifecycle rule aborts incomplete multipart uploads within ${max} days`,
        fix,
      );
    });
  },
});

/** An enabled lifecycle rule that expires current objects (not only noncurrent versions). */
function expiresCurrentObjects(rule: unknown): boolean {
  if (read(rule, "status") !== "Enabled" && read(rule, "enabled") !== true) return false;
  return asList(read(rule, "expiration") as unknown).some(
    (e) =>
      (read(e, "days") !== undefined && read(e, "days") !== null) ||
      nonEmptyString(read(e, "date")),
  );
}

const retainedNoExpiry = stackPolicy<{ retainedBuckets: string[]; environments: string[] }>({
  name: "s3-retained-bucket-no-current-expiry",
  description: `In ${environmentsText(PRODUCTION_ENVIRONMENTS)} (from the stack name), no lifecycle rule expires the current objects of a bucket that keeps history (raw-history): they are the only copy of the extracted data.`,
  enforcementLevel: "mandatory",
  remediationSteps:
    "Remove the expiration rule (noncurrent-version expiry is fine) from the raw-history bucket's lifecycle configuration.",
  config: {
    retainedBuckets: {
      type: "array",
      items: { type: "string", minLength: 1 },
      uniqueItems: true,
      default: ["raw-history"],
      description: "Buckets whose logical name or bucket name contains one of these.",
    },
    environments: {
      type: "array",
      items: { type: "string", minLength: 1 },
      uniqueItems: true,
      default: [...PRODUCTION_ENVIRONMENTS],
      description: "Environments (from the stack name) in which current objects must be kept.",
    },
  },
  resourceTypes: [...BUCKET_TYPES, ...LIFECYCLE_TYPES],
  validate: (judge) => {
    const env = environmentOf(undefined, judge.args.stackTags);
    if (env === undefined || !judge.config.environments.includes(env)) return;
    const retained = (bucket: PolicyResource) =>
      judge.config.retainedBuckets.some((p) => {
        const name = read(bucket.props, "bucket");
        return bucket.name.includes(p) || (typeof name === "string" && name.includes(p));
      });
    const fix = "remove the expiration rule; keep only noncurrentVersionExpiration";
    judge.each(judge.stack.ofType(...BUCKET_TYPES).filter(retained), (bucket) => {
      if (asList(read(bucket.props, "lifecycleRules") as unknown).some(expiresCurrentObjects))
        judge.fail(bucket, `its inline lifecycleRules expire current objects in ${env}`, fix);
      for (const c of companionsOf(judge, bucket, LIFECYCLE_TYPES).found) {
        const rules = asList(read(c.props, "rules") as unknown).filter(expiresCurrentObjects);
        if (rules.length > 0)
          judge.fail(
            c,
            `it expires current objects of the retained bucket "${bucket.name}" in ${env} (rule ${rules.map((r) => JSON.stringify(read(r, "id") ?? "?")).join(", ")})`,
            fix,
          );
      }
    });
  },
});

const PRIVATE_OBJECT_ACLS = ["private", "bucket-owner-full-control"];

const objectPrivateKms = resourcePolicyForType({
  name: "s3-object-private-and-kms",
  description:
    "An S3 object sets no public ACL and does not override the bucket's customer-key encryption with SSE-S3 or the AWS managed key.",
  enforcementLevel: "mandatory",
  remediationSteps:
    'Leave acl unset; leave serverSideEncryption unset (the bucket default applies) or set "aws:kms" with kmsKeyId set to the customer key.',
  type: [T.bucketObjectv2, T.bucketObject],
  validate: (raw, judge) => {
    const props = raw as { acl?: string; serverSideEncryption?: string; kmsKeyId?: string };
    if (props.acl !== undefined && !PRIVATE_OBJECT_ACLS.includes(props.acl)) {
      judge.fail(
        `it sets the ACL ${JSON.stringify(props.acl)}`,
        "remove acl (the bucket enforces owner-only access)",
      );
    }
    const sse = props.serverSideEncryption;
    if (sse === undefined) return;
    if (sse === "AES256") {
      judge.fail(
        "it sets serverSideEncryption AES256, overriding the bucket's customer-managed KMS key",
        'remove serverSideEncryption or set "aws:kms" with kmsKeyId',
      );
    } else if (sse.startsWith("aws:kms")) {
      if (!nonEmptyString(props.kmsKeyId)) {
        judge.fail(
          `it sets serverSideEncryption ${sse} without kmsKeyId, i.e. the AWS managed key aws/s3`,
          "set kmsKeyId to the customer-managed key ARN",
        );
      } else if (isAwsManagedKey(props.kmsKeyId)) {
        judge.fail(
          `it uses the AWS managed key ${props.kmsKeyId}`,
          "set kmsKeyId to the customer-managed key ARN",
        );
      }
    } else {
      judge.fail(
        `its serverSideEncryption is ${JSON.stringify(sse)}`,
        'use "aws:kms" with kmsKeyId',
      );
    }
  },
});

export const s3Policies: PackPolicy[] = [
  kmsEncryption,
  publicAccessBlock,
  versioning,
  tlsOnly,
  bucketPolicyNotPublic,
  accessLogging,
  ownershipEnforced,
  noAcl,
  noInlineConfig,
  noForceDestroy,
  companions,
  lifecycleAbortUploads,
  retainedNoExpiry,
  objectPrivateKms,
];
