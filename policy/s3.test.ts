import { s3Policies } from "./s3";
import {
  type HandResource,
  awsProvider,
  describeResourcePolicy,
  describeStackPolicy,
  policyNamed,
} from "./testing";
import { T } from "./types";

const policy = (name: string) => policyNamed(s3Policies, name);
const KEY = "arn:aws:kms:eu-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

const bucket = (name: string, extra: Partial<HandResource> = {}): HandResource => ({
  type: T.bucket,
  name,
  props: { bucket: `mojap-${name}-prod`, forceDestroy: false },
  protect: true,
  ...extra,
});
/** A resource configuring `of` through its `bucket` input (the bucket's id). */
const companion = (
  type: string,
  name: string,
  of: string,
  props: Record<string, unknown>,
): HandResource => ({
  type,
  name,
  props: { bucket: `mojap-${of}-prod`, ...props },
  propertyDependencies: { bucket: [of] },
  dependencies: [of],
});
const kmsRule = {
  applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY },
  bucketKeyEnabled: true,
};
const aesRule = { applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } };
const abortRule = {
  id: "abort",
  status: "Enabled",
  filter: {},
  abortIncompleteMultipartUpload: { daysAfterInitiation: 7 },
};

/** What lib/infra/components/secureBucket.ts creates for one bucket. */
function secureBucket(name: string, opts: { kms?: boolean; logTo?: string } = {}): HandResource[] {
  const { kms = true, logTo } = opts;
  return [
    bucket(name),
    companion(T.bucketVersioning, `${name}-versioning`, name, {
      versioningConfiguration: { status: "Enabled" },
    }),
    companion(T.bucketEncryption, `${name}-encryption`, name, { rules: [kms ? kmsRule : aesRule] }),
    companion(T.bucketPublicAccessBlock, `${name}-public-access-block`, name, {
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    }),
    companion(T.bucketOwnershipControls, `${name}-ownership`, name, {
      rule: { objectOwnership: "BucketOwnerEnforced" },
    }),
    companion(T.bucketPolicy, `${name}-policy`, name, { policy: "{}" }),
    companion(T.bucketLifecycle, `${name}-lifecycle`, name, { rules: [abortRule] }),
    ...(logTo
      ? [
          {
            ...companion(T.bucketLogging, `${name}-logging`, name, {
              targetBucket: `mojap-${logTo}-prod`,
              targetPrefix: `${name}/`,
            }),
            propertyDependencies: { bucket: [name], targetBucket: [logTo] },
          },
        ]
      : []),
  ];
}
const lakeStack = [
  ...secureBucket("access-logs", { kms: false }),
  ...secureBucket("raw-history", { logTo: "access-logs" }),
  ...secureBucket("fail", { logTo: "access-logs" }),
];
const without = (resources: HandResource[], name: string) =>
  resources.filter((r) => r.name !== name);
const replace = (resources: HandResource[], name: string, props: Record<string, unknown>) =>
  resources.map((r) => (r.name === name ? { ...r, props: { ...r.props, ...props } } : r));

const label = (type: string, name: string) => `${type} "${name}"`;

describeStackPolicy(policy("s3-bucket-kms-encryption"), [
  {
    title: "customer key with bucket key, and SSE-S3 on the access-log target",
    resources: lakeStack,
    messages: [],
  },
  {
    title: "SSE-S3 on a bucket that receives no access logs",
    resources: secureBucket("fail", { kms: false }),
    messages: [
      `${label(T.bucketEncryption, "fail-encryption")}: it uses SSE-S3 (AES256); only a bucket that an aws:s3/bucketLogging of this stack delivers access logs to may. Fix: use { sseAlgorithm: "aws:kms", kmsMasterKeyId: <customer-managed key ARN> } with bucketKeyEnabled: true.`,
    ],
  },
  {
    title: "SSE-S3 on the access-log target when the exemption is configured off",
    resources: lakeStack,
    config: { allowSseS3ForAccessLogTargets: false },
    messages: [
      /^aws:s3\/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration "access-logs-encryption": it uses SSE-S3/,
    ],
  },
  {
    title: "aws:kms without a key, and without the bucket key",
    resources: replace(secureBucket("raw-history"), "raw-history-encryption", {
      rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } }],
    }),
    messages: [
      `${label(T.bucketEncryption, "raw-history-encryption")}: it uses aws:kms without kmsMasterKeyId, i.e. the AWS managed key aws/s3. Fix: use { sseAlgorithm: "aws:kms", kmsMasterKeyId: <customer-managed key ARN> } with bucketKeyEnabled: true.`,
      `${label(T.bucketEncryption, "raw-history-encryption")}: the S3 bucket key is off (one KMS call per object). Fix: set bucketKeyEnabled: true.`,
    ],
  },
  {
    title: "the AWS managed key by alias",
    resources: replace(secureBucket("raw-history"), "raw-history-encryption", {
      rules: [
        {
          ...kmsRule,
          applyServerSideEncryptionByDefault: {
            sseAlgorithm: "aws:kms",
            kmsMasterKeyId: "alias/aws/s3",
          },
        },
      ],
    }),
    messages: [/it uses the AWS managed key alias\/aws\/s3, not a customer-managed key/],
  },
  {
    title: "no rule at all",
    resources: replace(secureBucket("raw-history"), "raw-history-encryption", { rules: [] }),
    messages: [/"raw-history-encryption": it has no encryption rule\. Fix:/],
  },
]);

describeResourcePolicy(policy("s3-bucket-public-access-block"), T.bucketPublicAccessBlock, [
  {
    title: "all four flags",
    props: {
      bucket: "b",
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    },
    messages: [],
  },
  {
    title: "two flags missing",
    props: { bucket: "b", blockPublicAcls: true, blockPublicPolicy: false, ignorePublicAcls: true },
    messages: [
      `${label(T.bucketPublicAccessBlock, "subject")}: blockPublicPolicy, restrictPublicBuckets are not true. Fix: set blockPublicPolicy: true, restrictPublicBuckets: true.`,
    ],
  },
]);

describeResourcePolicy(policy("s3-bucket-versioning-enabled"), T.bucketVersioning, [
  {
    title: "Enabled",
    props: { bucket: "b", versioningConfiguration: { status: "Enabled" } },
    messages: [],
  },
  {
    title: "Suspended",
    props: { bucket: "b", versioningConfiguration: { status: "Suspended" } },
    messages: [
      `${label(T.bucketVersioning, "subject")}: versioning status is "Suspended", not "Enabled". Fix: set versioningConfiguration: { status: "Enabled" }.`,
    ],
  },
]);

const tlsDeny = {
  Sid: "DenyInsecureTransport",
  Effect: "Deny",
  Principal: "*",
  Action: "s3:*",
  Resource: ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
  Condition: { Bool: { "aws:SecureTransport": "false" } },
};
const doc = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });
const logDelivery = {
  Sid: "S3ServerAccessLogsDelivery",
  Effect: "Allow",
  Principal: { Service: "logging.s3.amazonaws.com" },
  Action: "s3:PutObject",
  Resource: "arn:aws:s3:::b/*",
  Condition: { StringEquals: { "aws:SourceAccount": "111122223333" } },
};

describeResourcePolicy(policy("s3-bucket-tls-only"), T.bucketPolicy, [
  {
    title: "denies insecure transport on bucket and objects",
    props: { bucket: "b", policy: doc(tlsDeny, logDelivery) },
    messages: [],
  },
  {
    title: "as an object rather than a JSON string",
    props: { bucket: "b", policy: { Statement: tlsDeny } },
    messages: [],
  },
  {
    title: "no TLS statement",
    props: { bucket: "b", policy: doc(logDelivery) },
    messages: [
      `${label(T.bucketPolicy, "subject")}: no statement denies requests without TLS. Fix: add a statement { Effect: "Deny", Principal: "*", Action: "s3:*", Resource: [<bucket ARN>, "<bucket ARN>/*"], Condition: { Bool: { "aws:SecureTransport": "false" } } }.`,
    ],
  },
  {
    title: "objects only",
    props: { bucket: "b", policy: doc({ ...tlsDeny, Resource: "arn:aws:s3:::b/*" }) },
    messages: [
      /the TLS-only statement does not cover the bucket ARN\. Fix: list both the bucket ARN and <bucket ARN>\/\* in its Resource\.$/,
    ],
  },
  {
    title: "a policy that is not JSON cannot be judged",
    props: { bucket: "b", policy: "{not json" },
    messages: [
      /^aws:s3\/bucketPolicy:BucketPolicy "subject": cannot judge the policy document: it is not valid JSON/,
    ],
    level: "advisory",
  },
]);

describeResourcePolicy(policy("s3-bucket-policy-no-public-access"), T.bucketPolicy, [
  {
    title: "service principal with a condition",
    props: { bucket: "b", policy: doc(tlsDeny, logDelivery) },
    messages: [],
  },
  {
    title: "public read under a condition that restricts nothing",
    props: {
      bucket: "b",
      policy: doc({
        Sid: "PublicReadOverTls",
        Effect: "Allow",
        Principal: "*",
        Action: "s3:GetObject",
        Resource: "arn:aws:s3:::b/*",
        Condition: { Bool: { "aws:SecureTransport": "true" } },
      }),
    },
    messages: [
      `${label(T.bucketPolicy, "subject")}: statement "PublicReadOverTls" allows s3:GetObject to every principal (*) without a condition. Fix: name the principal (account, role or service) or add a condition such as aws:SourceAccount or aws:PrincipalOrgID.`,
    ],
  },
  {
    title: "public read",
    props: {
      bucket: "b",
      policy: doc({
        Sid: "PublicRead",
        Effect: "Allow",
        Principal: "*",
        Action: "s3:GetObject",
        Resource: "arn:aws:s3:::b/*",
      }),
    },
    messages: [
      `${label(T.bucketPolicy, "subject")}: statement "PublicRead" allows s3:GetObject to every principal (*) without a condition. Fix: name the principal (account, role or service) or add a condition such as aws:SourceAccount or aws:PrincipalOrgID.`,
    ],
  },
  {
    title: '{ AWS: "*" } is public too',
    props: {
      bucket: "b",
      policy: doc({
        Effect: "Allow",
        Principal: { AWS: ["*"] },
        Action: ["s3:PutObject"],
        Resource: "arn:aws:s3:::b/*",
      }),
    },
    messages: [/statement 1 allows s3:PutObject to every principal/],
  },
]);

describeStackPolicy(policy("s3-bucket-access-logging"), [
  {
    title: "data buckets log to the access-log bucket, which is exempt",
    resources: lakeStack,
    messages: [],
  },
  {
    title: "a bucket without logging",
    resources: [...lakeStack, ...secureBucket("metadata")],
    messages: [
      `${label(T.bucket, "metadata")}: it has no server access logging. Fix: add an aws:s3/bucketLogging for it with targetBucket set to the access-log bucket and a targetPrefix.`,
    ],
  },
  {
    title: "the log target is not exempt when configured so",
    resources: lakeStack,
    config: { exemptLogTargetBuckets: false },
    messages: [/"access-logs": it has no server access logging/],
  },
  {
    title: "logs to itself, into an SSE-KMS bucket",
    resources: secureBucket("raw-history", { logTo: "raw-history" }),
    messages: [
      `${label(T.bucketLogging, "raw-history-logging")}: it delivers a bucket's access logs to the same bucket (a log loop). Fix: deliver them to the dedicated access-log bucket.`,
      `${label(T.bucketLogging, "raw-history-logging")}: its target bucket "raw-history" is encrypted with SSE-KMS, to which S3 cannot deliver access logs. Fix: encrypt "raw-history" with SSE-S3 (sseAlgorithm "AES256").`,
    ],
  },
  {
    title: "links by name when no property dependency is recorded",
    resources: [
      ...secureBucket("access-logs", { kms: false }),
      ...without(secureBucket("fail"), "fail-logging"),
      {
        type: T.bucketLogging,
        name: "fail-logging",
        props: { bucket: "mojap-fail-prod", targetBucket: "mojap-access-logs-prod" },
      },
    ],
    messages: [],
  },
]);

describeResourcePolicy(policy("s3-bucket-ownership-enforced"), T.bucketOwnershipControls, [
  {
    title: "BucketOwnerEnforced",
    props: { bucket: "b", rule: { objectOwnership: "BucketOwnerEnforced" } },
    messages: [],
  },
  {
    title: "ObjectWriter",
    props: { bucket: "b", rule: { objectOwnership: "ObjectWriter" } },
    messages: [
      `${label(T.bucketOwnershipControls, "subject")}: objectOwnership is "ObjectWriter", so ACLs still apply. Fix: set rule: { objectOwnership: "BucketOwnerEnforced" }.`,
    ],
  },
]);

describeResourcePolicy(policy("s3-bucket-no-acl"), T.bucket, [
  { title: "no ACL", props: { bucket: "b" }, messages: [] },
  { title: "private", props: { bucket: "b", acl: "private" }, messages: [] },
  {
    title: "public-read and grants",
    props: {
      bucket: "b",
      acl: "public-read",
      grants: [
        {
          type: "Group",
          permissions: ["READ"],
          uri: "http://acs.amazonaws.com/groups/global/AllUsers",
        },
      ],
    },
    messages: [
      `${label(T.bucket, "subject")}: it sets the canned ACL "public-read". Fix: remove acl; grant access through the bucket policy or IAM.`,
      `${label(T.bucket, "subject")}: it sets ACL grants. Fix: remove grants; grant access through the bucket policy or IAM.`,
    ],
  },
]);

describeResourcePolicy(policy("s3-bucket-no-inline-configuration"), T.bucket, [
  { title: "no inline configuration", props: { bucket: "b", forceDestroy: false }, messages: [] },
  {
    title: "inline versioning",
    props: { bucket: "b", versioning: { enabled: true } },
    messages: [
      `${label(T.bucket, "subject")}: it sets the deprecated inline argument versioning. Fix: remove it and use aws.s3.BucketVersioning.`,
    ],
  },
]);

describeResourcePolicy(policy("s3-bucket-no-force-destroy"), T.bucket, [
  {
    title: "forceDestroy false in prod",
    props: { bucket: "b", forceDestroy: false },
    messages: [],
  },
  {
    title: "forceDestroy in dev",
    props: { bucket: "b", forceDestroy: true },
    stackTags: new Map([["dataeng:stack", "core-dev"]]),
    messages: [],
  },
  {
    title: "forceDestroy in prod, even with a copied environment: dev tag",
    props: { bucket: "b", forceDestroy: true, tags: { environment: "dev" } },
    provider: awsProvider({ environment: "dev" }),
    stackTags: new Map([["dataeng:stack", "core-prod"]]),
    messages: [
      `${label(T.bucket, "subject")}: it sets forceDestroy: true in prod. Fix: set forceDestroy: false for preprod and prod.`,
    ],
  },
  {
    title: "forceDestroy with no environment to judge by",
    props: { bucket: "b", forceDestroy: true },
    provider: null,
    messages: [
      `${label(T.bucket, "subject")}: cannot judge whether forceDestroy is allowed: the stack name is unknown. Check it by hand; this is reported as advisory so that it does not block the deploy.`,
    ],
    level: "advisory",
  },
  {
    title: "the environment from the stack name when there are no tags",
    props: { bucket: "b", forceDestroy: true },
    provider: null,
    stackTags: new Map([["dataeng:stack", "core-preprod"]]),
    messages: [/forceDestroy: true in preprod/],
  },
]);

describeStackPolicy(policy("s3-bucket-companions"), [
  { title: "every bucket has its companions", resources: lakeStack, messages: [] },
  {
    title: "missing versioning and public access block",
    resources: without(
      without(secureBucket("fail"), "fail-versioning"),
      "fail-public-access-block",
    ),
    messages: [
      `${label(T.bucket, "fail")}: it has no aws:s3/bucketPublicAccessBlock, no aws:s3/bucketVersioning in this stack. Fix: create them with bucket set to this bucket's id (lib/infra/components/secureBucket.ts creates all of them).`,
    ],
  },
  {
    title: "a companion of another bucket does not count",
    resources: [
      ...without(secureBucket("fail"), "fail-versioning"),
      ...secureBucket("raw-history"),
    ],
    messages: [/"fail": it has no aws:s3\/bucketVersioning in this stack/],
  },
  {
    title: "configured companions only",
    resources: without(secureBucket("fail"), "fail-policy"),
    config: { companions: ["encryption", "versioning"] },
    messages: [],
  },
]);

describeStackPolicy(policy("s3-bucket-lifecycle-abort-incomplete-uploads"), [
  { title: "abort rule within 7 days", resources: secureBucket("fail"), messages: [] },
  {
    title: "no lifecycle configuration",
    resources: without(secureBucket("fail"), "fail-lifecycle"),
    messages: [
      `${label(T.bucket, "fail")}: it has no lifecycle configuration. Fix: add a rule { status: "Enabled", filter: {}, abortIncompleteMultipartUpload: { daysAfterInitiation: 7 } } to its aws:s3/bucketLifecycleConfiguration.`,
    ],
  },
  {
    title: "a rule limited to a prefix, or disabled, does not count",
    resources: replace(secureBucket("fail"), "fail-lifecycle", {
      rules: [
        { ...abortRule, filter: { prefix: "tmp/" } },
        { ...abortRule, status: "Disabled" },
      ],
    }),
    messages: [
      /"fail": no enabled whole-bucket lifecycle rule aborts incomplete multipart uploads within 7 days/,
    ],
  },
  {
    title: "too many days for the configured maximum",
    resources: secureBucket("fail"),
    config: { maxDaysAfterInitiation: 3 },
    messages: [/within 3 days\. Fix: add a rule .*daysAfterInitiation: 3 }/],
  },
]);

describeResourcePolicy(policy("s3-object-private-and-kms"), T.bucketObjectv2, [
  {
    title: "inherits the bucket default",
    props: { bucket: "b", key: "k", content: "{}" },
    messages: [],
  },
  {
    title: "aws:kms with the customer key",
    props: { bucket: "b", key: "k", serverSideEncryption: "aws:kms", kmsKeyId: KEY },
    messages: [],
  },
  {
    title: "public ACL and AES256",
    props: { bucket: "b", key: "k", acl: "public-read", serverSideEncryption: "AES256" },
    messages: [
      `${label(T.bucketObjectv2, "subject")}: it sets the ACL "public-read". Fix: remove acl (the bucket enforces owner-only access).`,
      `${label(T.bucketObjectv2, "subject")}: it sets serverSideEncryption AES256, overriding the bucket's customer-managed KMS key. Fix: remove serverSideEncryption or set "aws:kms" with kmsKeyId.`,
    ],
  },
  {
    title: "aws:kms without a key",
    props: { bucket: "b", key: "k", serverSideEncryption: "aws:kms" },
    messages: [
      /it sets serverSideEncryption aws:kms without kmsKeyId, i\.e\. the AWS managed key aws\/s3/,
    ],
  },
]);

const PROD_STACK = new Map([["dataeng:stack", "core-prod"]]);
const rawHistory: HandResource = {
  type: T.bucket,
  name: "raw-history-bucket",
  props: { bucket: "mojap-dataeng-raw-history-prod" },
};
const lifecycle = (rules: object[]): HandResource => ({
  type: T.bucketLifecycle,
  name: "raw-history-lifecycle",
  props: { bucket: "mojap-dataeng-raw-history-prod", rules },
  propertyDependencies: { bucket: ["raw-history-bucket"] },
});
const noncurrent = {
  id: "expire-noncurrent-versions",
  status: "Enabled",
  filter: {},
  noncurrentVersionExpiration: { noncurrentDays: 365 },
};
describeStackPolicy(policy("s3-retained-bucket-no-current-expiry"), [
  {
    title: "only noncurrent versions expire in prod",
    stackTags: PROD_STACK,
    resources: [rawHistory, lifecycle([noncurrent])],
    messages: [],
  },
  {
    title: "current objects expire in dev",
    stackTags: new Map([["dataeng:stack", "core-dev"]]),
    resources: [
      rawHistory,
      lifecycle([{ id: "expire", status: "Enabled", expiration: { days: 30 } }]),
    ],
    messages: [],
  },
  {
    title: "current objects expire in prod",
    stackTags: PROD_STACK,
    resources: [
      rawHistory,
      lifecycle([
        noncurrent,
        { id: "expire-current-objects", status: "Enabled", expiration: { days: 365 } },
      ]),
    ],
    messages: [
      `${T.bucketLifecycle} "raw-history-lifecycle": it expires current objects of the retained bucket "raw-history-bucket" in prod (rule "expire-current-objects"). Fix: remove the expiration rule; keep only noncurrentVersionExpiration.`,
    ],
  },
]);

describeResourcePolicy(policy("s3-bucket-versioning-enabled"), T.bucketVersioningV2, [
  {
    title: "V2 enabled",
    props: { bucket: "b", versioningConfiguration: { status: "Enabled" } },
    messages: [],
  },
  {
    title: "V2 suspended",
    props: { bucket: "b", versioningConfiguration: { status: "Suspended" } },
    messages: [
      `${T.bucketVersioningV2} "subject": versioning status is "Suspended", not "Enabled". Fix: set versioningConfiguration: { status: "Enabled" }.`,
    ],
  },
]);

describeResourcePolicy(policy("s3-bucket-no-acl"), T.bucketAclV2, [
  { title: "private", props: { bucket: "b", acl: "private" }, messages: [] },
  {
    title: "public-read through a separate BucketAclV2",
    props: { bucket: "b", acl: "public-read" },
    messages: [
      `${T.bucketAclV2} "subject": it sets the canned ACL "public-read". Fix: remove acl; grant access through the bucket policy or IAM.`,
    ],
  },
]);

describeResourcePolicy(policy("s3-bucket-no-force-destroy"), T.bucketV2, [
  {
    title: "BucketV2 without forceDestroy in prod",
    props: { bucket: "b" },
    stackTags: PROD_STACK,
    messages: [],
  },
  {
    title: "BucketV2 with forceDestroy in prod",
    props: { bucket: "b", forceDestroy: true },
    stackTags: PROD_STACK,
    messages: [
      `${T.bucketV2} "subject": it sets forceDestroy: true in prod. Fix: set forceDestroy: false for preprod and prod.`,
    ],
  },
]);

describeResourcePolicy(policy("s3-bucket-no-inline-configuration"), T.bucketV2, [
  { title: "a bare BucketV2", props: { bucket: "b" }, messages: [] },
  {
    title: "BucketV2 with inline versionings",
    props: { bucket: "b", versionings: [{ enabled: true }] },
    messages: [
      `${T.bucketV2} "subject": it sets the deprecated inline argument versionings. Fix: remove it and use aws.s3.BucketVersioning.`,
    ],
  },
]);
