/**
 * The red team: realistic mistakes, each a few lines changed in one of the real programs, and
 * the policy expected to block it when the program is planned for prod. A regression suite:
 * add a case for every hole found, never delete one. `controls` are changes that are fine and
 * must plan with no mandatory violation (false positives).
 */
import { type Edit, type RedTeamCase } from "./harness";

const CORE = "core/program.ts";
const KEY = "core/keyPolicy.ts";
const BUCKET = "lib/infra/components/secureBucket.ts";
const LAMBDA = "lib/infra/components/nodeLambda.ts";
const DMS = "pipelines/dmsPipeline.ts";
const BASE = "pipelines_base/program.ts";

const edit = (file: string, find: string, replace: string): Edit => ({ file, find, replace });
/** Inserts `code` right after `anchor` (which must occur once). */
const after = (file: string, anchor: string, code: string): Edit =>
  edit(file, anchor, anchor + code);

// Anchors in the real programs.
const DMS_WRITE = `Action: ["s3:PutObject", "s3:DeleteObject", "s3:PutObjectTagging"],`;
const VALIDATE_MOVE = `Action: [
              "s3:GetObject",
              "s3:GetObjectVersion",
              "s3:DeleteObject",
              "s3:DeleteObjectVersion",
            ],
            Resource: pulumi.interpolate\`\${landingArn}/\${db}/*\`,`;
const NOTIFY_PUBLISH_SQS = `Action: ["sqs:SendMessage"],
            Resource: queueArn,`;
const LAMBDA_TRUST = `{ assumeRolePolicy: assumedBy("lambda.amazonaws.com", args.accountId) },`;
const LAMBDA_XRAY = `policyArn: aws.iam.ManagedPolicy.AWSXRayDaemonWriteAccess`;
const BASE_ROLE_END = `    new aws.iam.RolePolicyAttachment(\`\${name}-policy\`, { role: role.name, policyArn }, opts);`;
const CORE_RETURN = `  return {
    kmsKeyArn: key.arn,`;
const BASE_SG_END = `      vpcId: config.vpcId,
    },
    opts,
  );`;
const LOGGING_CONDITION = `          Condition: { StringEquals: { "aws:SourceAccount": accountId } },
        },
      ]),`;
const TOPIC_SERVICES_CONDITION = `            Resource: topicArn,
            Condition: { StringEquals: { "aws:SourceAccount": accountId } },`;
const KEY_SERVICES_CONDITION = `        Condition: { StringEquals: { "aws:SourceAccount": accountId } },`;
const NOTIFY_ENV = `        SLACK_WEBHOOK_SECRET_NAME: config.slackWebhookSecretName,`;
const VALIDATE_ENV = `          UNKNOWN_COLUMNS: args.unknownColumns ?? "fail",`;
const SOURCE_SSL = `        sslMode: "verify-ca",
        certificateArn: args.oracleCaCertificateArn,`;
const SOURCE_KMS = `        sslMode: "verify-ca",
        certificateArn: args.oracleCaCertificateArn,
        kmsKeyArn: args.kmsKeyArn,`;
const TARGET_KMS = `        serverSideEncryptionKmsKeyId: args.kmsKeyArn,
        kmsKeyArn: args.kmsKeyArn,`;
const EXPECTED_OWNER = `        expectedBucketOwner: args.landingBucketOwnerAccountId ?? args.accountId,\n`;
const BUCKET_NEW = `{ bucket: args.bucketName, forceDestroy: args.forceDestroy ?? false },`;
const LAMBDA_PERMISSION_CORE = `      principal: "sns.amazonaws.com",
      sourceArn: alerts.arn,`;
const VALIDATE_PERMISSION = `        principal: "events.amazonaws.com",
        sourceArn: rule.arn,`;
const TARGET_ARN = `        arn: this.validator.arn,
        retryPolicy`;
const SUBSCRIPTION = `{ topic: alerts.arn, protocol: "lambda", endpoint: notifier.arn },`;

/** A statement added to the notifier Lambda's role policy (core). */
const notifyStatement = (statement: string): Edit =>
  after(
    CORE,
    `        .apply(([accountId, queueArn, keyArn]): Statement[] => [`,
    `\n          ${statement},`,
  );
/** A resource added to core before its outputs. */
const inCore = (code: string): Edit => edit(CORE, CORE_RETURN, `${code}\n${CORE_RETURN}`);
/** A resource added to pipelines_base after the security group. */
const inBase = (code: string): Edit => after(BASE, BASE_SG_END, `\n${code}`);
/** A statement added to the secure bucket's policy (every bucket of core). */
const bucketStatement = (statement: string): Edit =>
  edit(
    BUCKET,
    `policyDocument([denyInsecureTransport(arn), ...extra])`,
    `policyDocument([denyInsecureTransport(arn), ${statement}, ...extra])`,
  );

export const cases: RedTeamCase[] = [
  // --- Identity policies, wherever they are attached or inlined
  {
    id: "role-policy-service-wildcard",
    mistake: "DMS role gets s3:* to 'make it work'",
    project: "pipelines",
    edits: [edit(DMS, DMS_WRITE, `Action: ["s3:*"],`)],
    blockedBy: "iam-no-wildcard-action",
  },
  {
    id: "role-policy-partial-wildcard",
    mistake: "validator gets s3:*Object on every bucket",
    project: "pipelines",
    edits: [
      edit(DMS, VALIDATE_MOVE, `Action: ["s3:*Object"],\n            Resource: "arn:aws:s3:::*",`),
    ],
    blockedBy: "iam-no-wildcard-action",
  },
  {
    id: "role-policy-any-bucket",
    mistake: "validator reads any bucket's objects",
    project: "pipelines",
    edits: [
      edit(
        DMS,
        VALIDATE_MOVE,
        `Action: ["s3:GetObject", "s3:DeleteObject"],\n            Resource: "arn:aws:s3:::*",`,
      ),
    ],
    blockedBy: "iam-no-wildcard-resource",
  },
  {
    id: "role-policy-star-resource",
    mistake: "notifier may send to any queue",
    project: "core",
    edits: [
      edit(CORE, NOTIFY_PUBLISH_SQS, `Action: ["sqs:SendMessage"],\n            Resource: "*",`),
    ],
    blockedBy: "iam-no-wildcard-resource",
  },
  {
    id: "role-policy-any-secret",
    mistake: "notifier reads every secret of the account",
    project: "core",
    edits: [
      notifyStatement(
        `{ Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: \`arn:aws:secretsmanager:eu-west-2:\${accountId}:secret:*\` }`,
      ),
    ],
    blockedBy: "iam-no-wildcard-resource",
  },
  {
    id: "role-policy-not-action",
    mistake: "NotAction used to exclude IAM",
    project: "core",
    edits: [
      notifyStatement(`{ Effect: "Allow", NotAction: ["iam:*"], Resource: queueArn } as Statement`),
    ],
    blockedBy: "iam-no-wildcard-action",
  },
  {
    id: "role-policy-not-resource",
    mistake: "NotResource used to exclude one bucket",
    project: "core",
    edits: [
      notifyStatement(
        `{ Effect: "Allow", Action: ["s3:GetObject"], NotResource: ["arn:aws:s3:::secret-bucket/*"] } as Statement`,
      ),
    ],
    blockedBy: "iam-no-wildcard-resource",
  },
  {
    id: "managed-policy-wildcard",
    mistake: "a customer-managed aws.iam.Policy with Action *",
    project: "core",
    edits: [
      inCore(
        `  const debug = new aws.iam.Policy("debug", { policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }) }, opts);\n  new aws.iam.RolePolicyAttachment("debug-attach", { role: notifier.role.name, policyArn: debug.arn }, opts);`,
      ),
    ],
    blockedBy: "iam-no-wildcard-action",
  },
  {
    id: "managed-policy-any-resource",
    mistake: "an aws.iam.Policy granting s3:GetObject on *",
    project: "core",
    edits: [
      inCore(
        `  new aws.iam.Policy("reader", { policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["s3:GetObject"], Resource: "*" }] }) }, opts);`,
      ),
    ],
    blockedBy: "iam-no-wildcard-resource",
  },
  {
    id: "role-inline-policies-wildcard",
    mistake: "a DMS service role with inlinePolicies allowing dms:*",
    project: "pipelines_base",
    edits: [
      edit(
        BASE,
        `        description: \`AWS DMS service role (\${name})\`,`,
        `        description: \`AWS DMS service role (\${name})\`,\n        inlinePolicies: [{ name: "extra", policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "dms:*", Resource: "*" }] }) }],`,
      ),
    ],
    blockedBy: "iam-no-wildcard-action",
  },
  {
    id: "role-managed-policy-arns-admin",
    mistake: "managedPolicyArns with AdministratorAccess on a role",
    project: "pipelines_base",
    edits: [
      edit(
        BASE,
        `        description: \`AWS DMS service role (\${name})\`,`,
        `        description: \`AWS DMS service role (\${name})\`,\n        managedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"],`,
      ),
    ],
    blockedBy: "iam-no-broad-managed-policies",
  },
  {
    id: "attach-power-user",
    mistake: "PowerUserAccess attached with PolicyAttachment",
    project: "pipelines_base",
    edits: [
      after(
        BASE,
        BASE_ROLE_END,
        `\n    new aws.iam.PolicyAttachment(\`\${name}-power\`, { roles: [role.name], policyArn: "arn:aws:iam::aws:policy/PowerUserAccess" }, opts);`,
      ),
    ],
    blockedBy: "iam-no-broad-managed-policies",
  },
  {
    id: "attach-s3-full",
    mistake: "AmazonS3FullAccess on the Lambda role",
    project: "core",
    edits: [edit(LAMBDA, LAMBDA_XRAY, `policyArn: "arn:aws:iam::aws:policy/AmazonS3FullAccess"`)],
    blockedBy: "iam-no-broad-managed-policies",
  },
  {
    id: "attach-lambda-full",
    mistake: "AWSLambda_FullAccess on the Lambda role",
    project: "core",
    edits: [edit(LAMBDA, LAMBDA_XRAY, `policyArn: "arn:aws:iam::aws:policy/AWSLambda_FullAccess"`)],
    blockedBy: "iam-no-broad-managed-policies",
  },
  {
    id: "attach-job-function",
    mistake: "job-function/DatabaseAdministrator on a DMS role",
    project: "pipelines_base",
    edits: [
      after(
        BASE,
        BASE_ROLE_END,
        `\n    new aws.iam.RolePolicyAttachment(\`\${name}-dba\`, { role: role.name, policyArn: "arn:aws:iam::aws:policy/job-function/DatabaseAdministrator" }, opts);`,
      ),
    ],
    blockedBy: "iam-no-broad-managed-policies",
  },
  {
    id: "attach-read-only",
    mistake: "ReadOnlyAccess (reads every bucket) on the Lambda role",
    project: "core",
    edits: [edit(LAMBDA, LAMBDA_XRAY, `policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess"`)],
    blockedBy: "iam-no-broad-managed-policies",
  },
  {
    id: "pass-role-any",
    mistake: "notifier may pass any role to a new Lambda",
    project: "core",
    edits: [
      notifyStatement(
        `{ Effect: "Allow", Action: ["iam:PassRole", "lambda:CreateFunction"], Resource: \`arn:aws:iam::\${accountId}:role/*\` }`,
      ),
    ],
    blockedBy: "iam-no-privilege-escalation",
  },
  {
    id: "put-role-policy",
    mistake: "notifier may edit role policies",
    project: "core",
    edits: [
      notifyStatement(
        `{ Effect: "Allow", Action: ["iam:PutRolePolicy"], Resource: \`arn:aws:iam::\${accountId}:role/dataeng-notify\` }`,
      ),
    ],
    blockedBy: "iam-no-privilege-escalation",
  },
  {
    id: "policy-version-wildcard",
    mistake: "iam:*PolicyVersion on a named policy",
    project: "core",
    edits: [
      notifyStatement(
        `{ Effect: "Allow", Action: ["iam:*PolicyVersion"], Resource: \`arn:aws:iam::\${accountId}:policy/dataeng\` }`,
      ),
    ],
    blockedBy: "iam-no-privilege-escalation",
  },
  {
    id: "iam-user-keys",
    mistake: "a CI user with an access key",
    project: "core",
    edits: [
      inCore(
        `  const ci = new aws.iam.User("ci", { name: "dataeng-ci" }, opts);\n  new aws.iam.AccessKey("ci-key", { user: ci.name }, opts);`,
      ),
    ],
    blockedBy: "iam-no-users-or-long-lived-credentials",
  },
  {
    id: "user-policy-wildcard",
    mistake: "a user policy with s3:*",
    project: "core",
    edits: [
      inCore(
        `  new aws.iam.UserPolicy("ci-policy", { user: "dataeng-ci", policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "arn:aws:s3:::mojap-land-prod/*" }] }) }, opts);`,
      ),
    ],
    blockedBy: "iam-no-wildcard-action",
  },
  {
    id: "group-policy-any-resource",
    mistake: "a group policy with Resource *",
    project: "core",
    edits: [
      inCore(
        `  new aws.iam.GroupPolicy("analysts", { group: "analysts", policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: ["s3:GetObject"], Resource: "*" }] }) }, opts);`,
      ),
    ],
    blockedBy: "iam-no-wildcard-resource",
  },

  // --- Trust policies
  {
    id: "trust-anyone",
    mistake: "Lambda role trusts every AWS principal",
    project: "core",
    edits: [
      edit(
        LAMBDA,
        LAMBDA_TRUST,
        `{ assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }] }) },`,
      ),
    ],
    blockedBy: "iam-trust-policy-specific-principal",
  },
  {
    id: "trust-other-account",
    mistake: "DMS role also trusted by another account",
    project: "pipelines_base",
    edits: [
      edit(
        BASE,
        `        assumeRolePolicy: assumedBy("dms.amazonaws.com"),`,
        `        assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::593291632749:root" }, Action: "sts:AssumeRole" }] }),`,
      ),
    ],
    blockedBy: "iam-trust-policy-specific-principal",
  },
  {
    id: "trust-oidc-no-sub",
    mistake: "GitHub OIDC role without a sub condition",
    project: "core",
    edits: [
      inCore(
        `  new aws.iam.Role("github", { assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Federated: "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" }, Action: "sts:AssumeRoleWithWebIdentity", Condition: { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" } } }] }) }, opts);`,
      ),
    ],
    blockedBy: "iam-trust-policy-specific-principal",
  },
  {
    id: "trust-any-account-root",
    mistake: "trust arn:aws:iam::*:root",
    project: "pipelines_base",
    edits: [
      edit(
        BASE,
        `        assumeRolePolicy: assumedBy("dms.amazonaws.com"),`,
        `        assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::*:root" }, Action: "sts:AssumeRole" }] }),`,
      ),
    ],
    blockedBy: "iam-trust-policy-specific-principal",
  },

  // --- Resource policies of every service
  {
    id: "bucket-public-secure-transport",
    mistake: "public read 'only over TLS'",
    project: "core",
    edits: [
      bucketStatement(
        `{ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: \`\${arn}/*\`, Condition: { Bool: { "aws:SecureTransport": "true" } } }`,
      ),
    ],
    blockedBy: "resource-policy-principals-restricted",
  },
  {
    id: "bucket-public-arnlike-any",
    mistake: "public read with ArnLike aws:SourceArn arn:aws:s3:::*",
    project: "core",
    edits: [
      bucketStatement(
        `{ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: \`\${arn}/*\`, Condition: { ArnLike: { "aws:SourceArn": "arn:aws:s3:::*" } } }`,
      ),
    ],
    blockedBy: "resource-policy-principals-restricted",
  },
  {
    id: "bucket-public-no-condition",
    mistake: "public read, no condition",
    project: "core",
    edits: [
      bucketStatement(
        `{ Effect: "Allow", Principal: { AWS: "*" }, Action: "s3:GetObject", Resource: \`\${arn}/*\` }`,
      ),
    ],
    blockedBy: "resource-policy-principals-restricted",
  },
  {
    id: "bucket-other-account",
    mistake: "another account's role may read the lake",
    project: "core",
    edits: [
      bucketStatement(
        `{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::593291632749:role/analyst" }, Action: "s3:GetObject", Resource: \`\${arn}/*\` }`,
      ),
    ],
    blockedBy: "resource-policy-principals-restricted",
  },
  {
    id: "bucket-not-equals",
    mistake: "public read unless StringNotEquals some account",
    project: "core",
    edits: [
      bucketStatement(
        `{ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: \`\${arn}/*\`, Condition: { StringNotEquals: { "aws:SourceAccount": "111111111111" } } }`,
      ),
    ],
    blockedBy: "resource-policy-principals-restricted",
  },
  {
    id: "access-log-delivery-any-account",
    mistake: "S3 log delivery without the SourceAccount condition",
    project: "core",
    edits: [edit(CORE, LOGGING_CONDITION, `        },\n      ]),`)],
    blockedBy: "resource-policy-principals-restricted",
  },
  {
    id: "topic-services-any-account",
    mistake: "alerts topic lets services publish for any account",
    project: "core",
    edits: [edit(CORE, TOPIC_SERVICES_CONDITION, `            Resource: topicArn,`)],
    blockedBy: "resource-policy-principals-restricted",
  },
  {
    id: "topic-public-subscribe",
    mistake: "anyone may subscribe to alerts",
    project: "core",
    edits: [
      after(
        CORE,
        `        policyDocument([`,
        `\n          { Effect: "Allow", Principal: "*", Action: "sns:Subscribe", Resource: topicArn, Condition: { Bool: { "aws:SecureTransport": "true" } } },`,
      ),
    ],
    blockedBy: "resource-policy-principals-restricted",
  },
  {
    id: "queue-policy-public",
    mistake: "undelivered-alerts queue open to anyone",
    project: "core",
    edits: [
      inCore(
        `  new aws.sqs.QueuePolicy("notify-failures-policy", { queueUrl: undelivered.url, policy: undelivered.arn.apply((a) => JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "sqs:SendMessage", Resource: a }] })) }, opts);`,
      ),
    ],
    blockedBy: "resource-policy-principals-restricted",
  },
  {
    id: "queue-inline-events-any-account",
    mistake: "queue's inline policy lets EventBridge of any account send",
    project: "core",
    edits: [
      edit(
        CORE,
        `      messageRetentionSeconds: 14 * 24 * 3600,`,
        `      messageRetentionSeconds: 14 * 24 * 3600,\n      policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "events.amazonaws.com" }, Action: "sqs:SendMessage", Resource: "*" }] }),`,
      ),
    ],
    blockedBy: "resource-policy-principals-restricted",
  },
  {
    id: "key-policy-public-admin",
    mistake: "key administered by '*' instead of the account root",
    project: "core",
    edits: [
      edit(
        KEY,
        "        Principal: { AWS: `arn:aws:iam::${accountId}:root` },",
        `        Principal: { AWS: "*" },`,
      ),
    ],
    blockedBy: "resource-policy-principals-restricted",
  },
  {
    id: "key-policy-services-any-account",
    mistake: "key lets DMS and CloudWatch decrypt for any account",
    project: "core",
    edits: [edit(KEY, KEY_SERVICES_CONDITION, ``)],
    blockedBy: "resource-policy-principals-restricted",
  },
  {
    id: "key-policy-if-exists",
    mistake: "SourceAccount condition turned into StringEqualsIfExists",
    project: "core",
    edits: [
      edit(
        KEY,
        KEY_SERVICES_CONDITION,
        `        Condition: { StringEqualsIfExists: { "aws:SourceAccount": accountId } },`,
      ),
    ],
    blockedBy: "resource-policy-principals-restricted",
  },
  {
    id: "secret-policy-public",
    mistake: "a secret policy readable by anyone",
    project: "core",
    edits: [
      inCore(
        `  new aws.secretsmanager.SecretPolicy("webhook-policy", { secretArn: "arn:aws:secretsmanager:eu-west-2:123456789012:secret:data-engineering/slack-webhook-prod-AbC123", policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "secretsmanager:GetSecretValue", Resource: "*" }] }) }, opts);`,
      ),
    ],
    blockedBy: "resource-policy-principals-restricted",
  },
  {
    id: "vpc-endpoint-policy-open",
    mistake: "S3 gateway endpoint policy allows any bucket of any account",
    project: "pipelines_base",
    edits: [
      inBase(
        `  new aws.ec2.VpcEndpoint("s3-endpoint", { vpcId: config.vpcId, serviceName: "com.amazonaws.eu-west-2.s3", policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:*", Resource: "*" }] }) }, opts);`,
      ),
    ],
    blockedBy: "resource-policy-principals-restricted",
  },
  {
    id: "event-bus-policy-public",
    mistake: "default event bus accepts events from anyone",
    project: "core",
    edits: [
      inCore(
        `  new aws.cloudwatch.EventBusPolicy("bus-policy", { policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: "*", Action: "events:PutEvents", Resource: "arn:aws:events:eu-west-2:123456789012:event-bus/default" }] }) }, opts);`,
      ),
    ],
    blockedBy: "resource-policy-principals-restricted",
  },
  {
    id: "lambda-permission-anyone",
    mistake: "notifier invocable by anyone",
    project: "core",
    edits: [edit(CORE, LAMBDA_PERMISSION_CORE, `      principal: "*",`)],
    blockedBy: "lambda-permission-scoped",
  },
  {
    id: "lambda-permission-no-source",
    mistake: "validator invocable by any EventBridge rule",
    project: "pipelines",
    edits: [edit(DMS, VALIDATE_PERMISSION, `        principal: "events.amazonaws.com",`)],
    blockedBy: "lambda-permission-scoped",
  },
  {
    id: "function-url-public",
    mistake: "a function URL without auth for debugging",
    project: "core",
    edits: [
      inCore(
        `  new aws.lambda.FunctionUrl("notify-url", { functionName: notifier.name, authorizationType: "NONE" }, opts);`,
      ),
    ],
    blockedBy: "lambda-function-url-authenticated",
  },
  {
    id: "permission-url-public",
    mistake: "a permission for an unauthenticated function URL",
    project: "core",
    edits: [
      inCore(
        `  new aws.lambda.Permission("notify-url-permission", { function: notifier.name, action: "lambda:InvokeFunctionUrl", principal: "*", functionUrlAuthType: "NONE" }, opts);`,
      ),
    ],
    blockedBy: "lambda-permission-scoped",
  },

  // --- Security groups, every form
  {
    id: "sg-inline-ingress-anywhere",
    mistake: "SSH from anywhere on the DMS security group",
    project: "pipelines_base",
    edits: [
      edit(
        BASE,
        `      vpcId: config.vpcId,\n    },\n    opts,\n  );`,
        `      vpcId: config.vpcId,\n      ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }],\n    },\n    opts,\n  );`,
      ),
    ],
    blockedBy: "ec2-security-group-no-public-ingress",
  },
  {
    id: "sg-rule-ingress-anywhere",
    mistake: "an ec2.SecurityGroupRule ingress from 0.0.0.0/0",
    project: "pipelines_base",
    edits: [
      inBase(
        `  new aws.ec2.SecurityGroupRule("debug-ingress", { type: "ingress", securityGroupId: securityGroup.id, protocol: "tcp", fromPort: 443, toPort: 443, cidrBlocks: ["0.0.0.0/0"] }, opts);`,
      ),
    ],
    blockedBy: "ec2-security-group-no-public-ingress",
  },
  {
    id: "sg-rule-ingress-public-range",
    mistake: "ingress from an office's public /24",
    project: "pipelines_base",
    edits: [
      inBase(
        `  new aws.ec2.SecurityGroupRule("office-ingress", { type: "ingress", securityGroupId: securityGroup.id, protocol: "tcp", fromPort: 1521, toPort: 1521, cidrBlocks: ["81.134.202.0/24"] }, opts);`,
      ),
    ],
    blockedBy: "ec2-security-group-no-public-ingress",
  },
  {
    id: "vpc-ingress-half-internet",
    mistake: "ingress from 0.0.0.0/1 (half the internet)",
    project: "pipelines_base",
    edits: [
      inBase(
        `  new aws.vpc.SecurityGroupIngressRule("wide-ingress", { securityGroupId: securityGroup.id, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/1" }, opts);`,
      ),
    ],
    blockedBy: "vpc-ingress-rule-no-public-cidr",
  },
  {
    id: "vpc-ingress-ipv6-anywhere",
    mistake: "ingress from ::/0",
    project: "pipelines_base",
    edits: [
      inBase(
        `  new aws.vpc.SecurityGroupIngressRule("v6-ingress", { securityGroupId: securityGroup.id, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv6: "::/0" }, opts);`,
      ),
    ],
    blockedBy: "vpc-ingress-rule-no-public-cidr",
  },

  // --- Data stays in eu-west-2
  {
    id: "bucket-region-us",
    mistake: "a bucket created in us-east-1 through the v7 region argument",
    project: "core",
    edits: [
      edit(
        BUCKET,
        BUCKET_NEW,
        `{ bucket: args.bucketName, forceDestroy: args.forceDestroy ?? false, region: "us-east-1" },`,
      ),
    ],
    blockedBy: "data-stays-in-region",
  },
  {
    id: "lambda-region-ireland",
    mistake: "the notifier function deployed to eu-west-1",
    project: "core",
    edits: [
      edit(
        LAMBDA,
        `        tracingConfig: { mode: "Active" },`,
        `        tracingConfig: { mode: "Active" },\n        region: "eu-west-1",`,
      ),
    ],
    blockedBy: "data-stays-in-region",
  },
  {
    id: "secret-replica",
    mistake: "a secret replicated to eu-west-1 for DR",
    project: "core",
    edits: [
      inCore(
        `  new aws.secretsmanager.Secret("dr-secret", { name: "dataeng/dr", kmsKeyId: key.arn, replicas: [{ region: "eu-west-1" }] }, opts);`,
      ),
    ],
    blockedBy: "data-stays-in-region",
  },
  {
    id: "bucket-replication-external",
    mistake: "raw-history replicated to a DR bucket elsewhere",
    project: "core",
    edits: [
      inCore(
        `  new aws.s3.BucketReplicationConfig("raw-history-replication", { bucket: rawHistory.name, role: "arn:aws:iam::123456789012:role/replication", rules: [{ id: "dr", status: "Enabled", filter: {}, deleteMarkerReplication: { status: "Disabled" }, destination: { bucket: "arn:aws:s3:::mojap-dr-raw-history", storageClass: "STANDARD" } }] }, opts);`,
      ),
    ],
    blockedBy: "s3-replication-stays-in-stack",
  },
  {
    id: "subscription-other-region",
    mistake: "alerts also sent to a queue in us-east-1",
    project: "core",
    edits: [
      after(
        CORE,
        SUBSCRIPTION,
        `\n    opts,\n  );\n  new aws.sns.TopicSubscription(\n    "copy-subscription",\n    { topic: alerts.arn, protocol: "sqs", endpoint: "arn:aws:sqs:us-east-1:123456789012:alerts-copy" },`,
      ),
    ],
    blockedBy: "data-stays-in-region",
  },
  {
    id: "event-target-other-region",
    mistake: "landing events forwarded to a bus in eu-west-1",
    project: "pipelines",
    edits: [
      edit(
        DMS,
        TARGET_ARN,
        `        arn: "arn:aws:events:eu-west-1:123456789012:event-bus/default",\n        retryPolicy`,
      ),
    ],
    blockedBy: "data-stays-in-region",
  },

  {
    id: "subscription-other-account",
    mistake: "alerts copied to a queue of another team's account",
    project: "core",
    edits: [
      after(
        CORE,
        SUBSCRIPTION,
        `\n    opts,\n  );\n  new aws.sns.TopicSubscription(\n    "partner-subscription",\n    { topic: alerts.arn, protocol: "sqs", endpoint: "arn:aws:sqs:eu-west-2:593291632749:alerts-copy" },`,
      ),
    ],
    blockedBy: "data-stays-in-account",
  },
  {
    id: "event-target-other-account",
    mistake: "landing events forwarded to another account's bus",
    project: "pipelines",
    edits: [
      edit(
        DMS,
        TARGET_ARN,
        `        arn: "arn:aws:events:eu-west-2:593291632749:event-bus/default",\n        retryPolicy`,
      ),
    ],
    blockedBy: "data-stays-in-account",
  },

  // --- The environment comes from the stack, never from tags
  {
    id: "force-destroy-dev-tag",
    mistake: "forceDestroy on prod buckets with a copied environment: dev tag",
    project: "core",
    edits: [
      edit(
        BUCKET,
        BUCKET_NEW,
        `{ bucket: args.bucketName, forceDestroy: true, tags: { environment: "dev" } },`,
      ),
    ],
    blockedBy: "s3-bucket-no-force-destroy",
  },
  {
    id: "unprotected-key-dev-tag",
    mistake: "prod key unprotected, tagged environment: dev",
    project: "core",
    edits: [
      edit(
        CORE,
        `      policy: keyPolicy(account, ctx.region),\n    },\n    { ...opts, ...statefulOptions(ctx.protectStateful) },`,
        `      policy: keyPolicy(account, ctx.region),\n      tags: { environment: "dev" },\n    },\n    opts,`,
      ),
    ],
    blockedBy: "stateful-resources-protected",
  },

  // --- Secrets, by name and by value
  {
    id: "lambda-env-dsn",
    mistake: "a connection string with a password in the validator's environment",
    project: "pipelines",
    edits: [
      after(
        DMS,
        VALIDATE_ENV,
        `\n          ORACLE_DSN: "oracle://dms_user:Pr0d-Passw0rd@delius-db.internal:1521/DNDAPRD",`,
      ),
    ],
    blockedBy: "lambda-environment-no-plaintext-secrets",
  },
  {
    id: "lambda-env-slack-url",
    mistake: "the Slack webhook URL itself in the environment",
    project: "core",
    edits: [
      after(
        CORE,
        NOTIFY_ENV,
        `\n        SLACK_URL: "https://hooks.slack.com/services/T000/B000/XXXXXXXX",`,
      ),
    ],
    blockedBy: "lambda-environment-no-plaintext-secrets",
  },
  {
    id: "lambda-env-github-token",
    mistake: "a GitHub token for issue creation",
    project: "core",
    edits: [after(CORE, NOTIFY_ENV, `\n        GH: "ghp_abcdefghijklmnopqrstuvwxyz0123456789",`)],
    blockedBy: "lambda-environment-no-plaintext-secrets",
  },
  {
    id: "lambda-env-password-name",
    mistake: "DB_PASSWORD passed in plain text",
    project: "pipelines",
    edits: [after(DMS, VALIDATE_ENV, `\n          DB_PASSWORD: "hunter2",`)],
    blockedBy: "lambda-environment-no-plaintext-secrets",
  },
  {
    id: "lambda-env-odbc",
    mistake: "an ODBC-style connection string with Password=",
    project: "pipelines",
    edits: [
      after(
        DMS,
        VALIDATE_ENV,
        `\n          CONNECTION: "Data Source=db;User Id=dms;Password=S3cret!;",`,
      ),
    ],
    blockedBy: "lambda-environment-no-plaintext-secrets",
  },

  {
    id: "lambda-env-aws-secret-key",
    mistake: "an AWS secret access key for a cross-account copy",
    project: "core",
    edits: [
      after(
        CORE,
        NOTIFY_ENV,
        `\n        AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",`,
      ),
    ],
    blockedBy: "lambda-environment-no-plaintext-secrets",
  },

  // --- DMS
  {
    id: "dms-source-no-ssl",
    mistake: "source endpoint sslMode none to debug a certificate issue",
    project: "pipelines",
    edits: [edit(DMS, SOURCE_SSL, `        sslMode: "none",`)],
    blockedBy: "dms-endpoint-ssl",
  },
  {
    id: "dms-source-verify-no-cert",
    mistake: "verify-ca without the CA certificate",
    project: "pipelines",
    edits: [edit(DMS, SOURCE_SSL, `        sslMode: "verify-ca",`)],
    blockedBy: "dms-endpoint-ssl",
  },
  {
    id: "dms-oracle-target-no-ssl",
    mistake: "an Oracle target endpoint (write-back) without SSL",
    project: "pipelines",
    edits: [
      after(DMS, `      replaceable,\n    );\n    const target = new aws.dms.S3Endpoint(`, ``),
      edit(
        DMS,
        `    const instance = new aws.dms.ReplicationInstance(`,
        `    new aws.dms.Endpoint(\`\${name}-writeback\`, { endpointId: dmsIdentifier(db, env, "writeback"), endpointType: "target", engineName: "oracle", databaseName: args.sourceServiceName, secretsManagerArn: secret.arn, secretsManagerAccessRoleArn: secretsRole.arn, kmsKeyArn: args.kmsKeyArn }, replaceable);\n    const instance = new aws.dms.ReplicationInstance(`,
      ),
    ],
    blockedBy: "dms-endpoint-ssl",
  },
  {
    id: "dms-source-default-key",
    mistake: "source endpoint without kmsKeyArn",
    project: "pipelines",
    edits: [edit(DMS, SOURCE_KMS, SOURCE_SSL)],
    blockedBy: "dms-endpoint-customer-key",
  },
  {
    id: "dms-target-default-key",
    mistake: "S3 target endpoint without kmsKeyArn",
    project: "pipelines",
    edits: [edit(DMS, TARGET_KMS, `        serverSideEncryptionKmsKeyId: args.kmsKeyArn,`)],
    blockedBy: "dms-endpoint-customer-key",
  },
  {
    id: "dms-target-any-bucket-owner",
    mistake: "S3 target endpoint without expectedBucketOwner",
    project: "pipelines",
    edits: [edit(DMS, EXPECTED_OWNER, "")],
    blockedBy: "dms-s3-endpoint-expected-owner",
  },
  {
    id: "dms-target-other-bucket-owner",
    mistake: "S3 target endpoint expects a bucket of another account",
    project: "pipelines",
    edits: [edit(DMS, EXPECTED_OWNER, `        expectedBucketOwner: "210987654321",\n`)],
    blockedBy: "dms-s3-endpoint-expected-owner",
  },
  {
    id: "dms-target-sse-s3",
    mistake: "S3 target writes with SSE_S3",
    project: "pipelines",
    edits: [edit(DMS, `        encryptionMode: "SSE_KMS",`, `        encryptionMode: "SSE_S3",`)],
    blockedBy: "dms-s3-endpoint-sse-kms",
  },
  {
    id: "dms-single-az-prod",
    mistake: "multiAz hard-coded to false",
    project: "pipelines",
    edits: [edit(DMS, `        multiAz: args.multiAz ?? false,`, `        multiAz: false,`)],
    blockedBy: "dms-replication-instance-multi-az",
  },
  {
    id: "dms-public-instance",
    mistake: "replication instance made public to reach on-prem",
    project: "pipelines",
    edits: [edit(DMS, `        publiclyAccessible: false,`, `        publiclyAccessible: true,`)],
    blockedBy: "dms-replication-instance-not-public",
  },
  {
    id: "dms-instance-default-key",
    mistake: "replication instance storage with the default key",
    project: "pipelines",
    edits: [
      edit(
        DMS,
        `        autoMinorVersionUpgrade: true,\n        kmsKeyArn: args.kmsKeyArn,`,
        `        autoMinorVersionUpgrade: true,`,
      ),
    ],
    blockedBy: "dms-replication-instance-kms-encrypted",
  },

  // --- raw-history retention
  {
    id: "raw-history-expiry",
    mistake: "data buckets expire objects after the access-log retention",
    project: "core",
    edits: [
      edit(
        CORE,
        `        accessLogBucketName: accessLogs.name,`,
        `        accessLogBucketName: accessLogs.name,\n        expireAfterDays: config.accessLogRetentionDays,`,
      ),
    ],
    blockedBy: "s3-retained-bucket-no-current-expiry",
  },

  // --- S3: the V2 aliases and the companions
  {
    id: "bucketv2-force-destroy",
    mistake: "SecureBucket moved to BucketV2 with forceDestroy on",
    project: "core",
    edits: [
      edit(
        BUCKET,
        `    this.bucket = new aws.s3.Bucket(`,
        `    this.bucket = new aws.s3.BucketV2(`,
      ),
      edit(BUCKET, BUCKET_NEW, `{ bucket: args.bucketName, forceDestroy: true },`),
      edit(
        BUCKET,
        `public readonly bucket: aws.s3.Bucket;`,
        `public readonly bucket: aws.s3.BucketV2;`,
      ),
    ],
    blockedBy: "s3-bucket-no-force-destroy",
  },
  {
    id: "versioning-v2-suspended",
    mistake: "BucketVersioningV2 with status Suspended",
    project: "core",
    edits: [
      edit(
        BUCKET,
        `    new aws.s3.BucketVersioning(\n      \`\${name}-versioning\`,\n      { bucket, versioningConfiguration: { status: "Enabled" } },`,
        `    new aws.s3.BucketVersioningV2(\n      \`\${name}-versioning\`,\n      { bucket, versioningConfiguration: { status: "Suspended" } },`,
      ),
    ],
    blockedBy: "s3-bucket-versioning-enabled",
  },
  {
    id: "acl-v2-public-read",
    mistake: "a BucketAclV2 public-read for a dashboard",
    project: "core",
    edits: [
      inCore(
        `  new aws.s3.BucketAclV2("metadata-acl", { bucket: metadata.name, acl: "public-read" }, opts);`,
      ),
    ],
    blockedBy: "s3-bucket-no-acl",
  },
  {
    id: "bucket-acl-inline",
    mistake: "canned ACL on the bucket itself",
    project: "core",
    edits: [
      edit(
        BUCKET,
        BUCKET_NEW,
        `{ bucket: args.bucketName, forceDestroy: args.forceDestroy ?? false, acl: "public-read" },`,
      ),
    ],
    blockedBy: "s3-bucket-no-acl",
  },
  {
    id: "public-access-block-off",
    mistake: "restrictPublicBuckets turned off",
    project: "core",
    edits: [
      edit(BUCKET, `        restrictPublicBuckets: true,`, `        restrictPublicBuckets: false,`),
    ],
    blockedBy: "s3-bucket-public-access-block",
  },
  {
    id: "bucket-sse-s3",
    mistake: "data buckets with AES256 instead of the key",
    project: "core",
    edits: [
      edit(
        CORE,
        `        kmsKeyArn: key.arn,\n        accessLogBucketName`,
        `        accessLogBucketName`,
      ),
    ],
    blockedBy: "s3-bucket-kms-encryption",
  },
  {
    id: "bucket-tls-removed",
    mistake: "the TLS-only statement dropped",
    project: "core",
    edits: [
      edit(
        BUCKET,
        `policyDocument([denyInsecureTransport(arn), ...extra])`,
        `policyDocument([...extra, { Sid: "Placeholder", Effect: "Deny", Principal: "*", Action: "s3:DeleteBucket", Resource: arn }])`,
      ),
    ],
    blockedBy: "s3-bucket-tls-only",
  },

  // --- Other services
  {
    id: "topic-unencrypted",
    mistake: "alerts topic without the key",
    project: "core",
    edits: [
      edit(
        CORE,
        `{ name: \`dataeng-alerts-\${env}\`, kmsMasterKeyId: key.arn },`,
        `{ name: \`dataeng-alerts-\${env}\` },`,
      ),
    ],
    blockedBy: "sns-topic-kms-encrypted",
  },
  {
    id: "queue-unencrypted",
    mistake: "undelivered-alerts queue with SQS-managed encryption",
    project: "core",
    edits: [
      edit(
        CORE,
        `      name: \`dataeng-notify-failures-\${env}\`,\n      kmsMasterKeyId: key.arn,`,
        `      name: \`dataeng-notify-failures-\${env}\`,`,
      ),
    ],
    blockedBy: "sqs-queue-kms-encrypted",
  },
  {
    id: "log-group-unencrypted",
    mistake: "Lambda log groups without the key",
    project: "core",
    edits: [edit(LAMBDA, `        kmsKeyId: args.kmsKeyArn,`, ``)],
    blockedBy: "cloudwatch-log-group-kms-encrypted",
  },
  {
    id: "lambda-old-runtime",
    mistake: "a function on nodejs18.x",
    project: "core",
    edits: [edit(LAMBDA, `        runtime: LAMBDA_RUNTIME,`, `        runtime: "nodejs18.x",`)],
    blockedBy: "lambda-runtime-allowed",
  },
  {
    id: "subscription-http",
    mistake: "alerts pushed to a plain-HTTP endpoint",
    project: "core",
    edits: [
      edit(
        CORE,
        SUBSCRIPTION,
        `{ topic: alerts.arn, protocol: "http", endpoint: "http://alerts.example.com/hook" },`,
      ),
    ],
    blockedBy: "sns-subscription-secure-protocol",
  },
  {
    id: "secret-default-key",
    mistake: "a new secret with the default aws/secretsmanager key",
    project: "core",
    edits: [
      inCore(`  new aws.secretsmanager.Secret("pagerduty", { name: "dataeng/pagerduty" }, opts);`),
    ],
    blockedBy: "secretsmanager-secret-customer-key",
  },

  {
    id: "kms-grant-other-account",
    mistake: "a decrypt grant to another account's role",
    project: "core",
    edits: [
      inCore(
        `  new aws.kms.Grant("partner-decrypt", { keyId: key.keyId, granteePrincipal: "arn:aws:iam::593291632749:role/reader", operations: ["Decrypt"] }, opts);`,
      ),
    ],
    blockedBy: "kms-grant-scoped",
  },
  {
    id: "kms-grant-delegating",
    mistake: "a grant that lets the notifier create further grants",
    project: "core",
    edits: [
      inCore(
        `  new aws.kms.Grant("notify-grant", { keyId: key.keyId, granteePrincipal: notifier.role.arn, operations: ["Decrypt", "CreateGrant"] }, opts);`,
      ),
    ],
    blockedBy: "kms-grant-scoped",
  },
  {
    id: "secret-version-in-code",
    mistake: "the webhook URL written by the program into a new secret",
    project: "core",
    edits: [
      inCore(
        `  const hook = new aws.secretsmanager.Secret("hook", { name: "dataeng/hook", kmsKeyId: key.arn }, opts);\n  new aws.secretsmanager.SecretVersion("hook-value", { secretId: hook.id, secretString: "https://hooks.slack.com/services/T0/B0/X" }, opts);`,
      ),
    ],
    blockedBy: "secretsmanager-no-secret-value-in-code",
  },
  {
    id: "object-v1-public-read",
    mistake: "a v1 BucketObject published public-read",
    project: "core",
    edits: [
      inCore(
        `  new aws.s3.BucketObject("readme", { bucket: metadata.name, key: "README.txt", content: "hello", acl: "public-read" }, opts);`,
      ),
    ],
    blockedBy: "s3-object-private-and-kms",
  },

  // --- Everything else the pack guards
  {
    id: "key-rotation-off",
    mistake: "key rotation turned off to 'avoid re-encryption'",
    project: "core",
    edits: [edit(CORE, `      enableKeyRotation: true,`, `      enableKeyRotation: false,`)],
    blockedBy: "kms-key-rotation-enabled",
  },
  {
    id: "key-policy-star-admin",
    mistake: "key administered by every principal",
    project: "core",
    edits: [
      edit(
        KEY,
        "        Principal: { AWS: `arn:aws:iam::${accountId}:root` },",
        `        Principal: "*",`,
      ),
    ],
    blockedBy: "kms-key-policy-no-public-principal",
  },
  {
    id: "ownership-preferred",
    mistake: "object ownership BucketOwnerPreferred (ACLs back on)",
    project: "core",
    edits: [
      edit(
        BUCKET,
        `rule: { objectOwnership: "BucketOwnerEnforced" }`,
        `rule: { objectOwnership: "BucketOwnerPreferred" }`,
      ),
    ],
    blockedBy: "s3-bucket-ownership-enforced",
  },
  {
    id: "data-buckets-unlogged",
    mistake: "data buckets without server access logging",
    project: "core",
    edits: [edit(CORE, `        accessLogBucketName: accessLogs.name,`, ``)],
    blockedBy: "s3-bucket-access-logging",
  },
  {
    id: "bucket-no-public-access-block",
    mistake: "the public access block dropped from SecureBucket",
    project: "core",
    edits: [
      edit(
        BUCKET,
        `    const publicAccessBlock = new aws.s3.BucketPublicAccessBlock(`,
        `    const publicAccessBlock = new aws.s3.BucketOwnershipControls(`,
      ),
      edit(
        BUCKET,
        `        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,`,
        `        rule: { objectOwnership: "BucketOwnerEnforced" },`,
      ),
    ],
    blockedBy: "s3-bucket-companions",
  },
  {
    id: "role-policies-two-ways",
    mistake: "a role with managedPolicyArns and a separate attachment",
    project: "pipelines_base",
    edits: [
      edit(
        BASE,
        `        description: \`AWS DMS service role (\${name})\`,`,
        `        description: \`AWS DMS service role (\${name})\`,\n        managedPolicyArns: [policyArn],`,
      ),
    ],
    blockedBy: "iam-role-policies-managed-one-way",
  },
  {
    id: "dms-default-network",
    mistake: "replication instance without its security group",
    project: "pipelines",
    edits: [edit(DMS, `        vpcSecurityGroupIds: args.securityGroupIds,`, ``)],
    blockedBy: "dms-replication-instance-network",
  },
  {
    id: "dms-no-minor-upgrades",
    mistake: "minor engine upgrades off",
    project: "pipelines",
    edits: [
      edit(
        DMS,
        `        autoMinorVersionUpgrade: true,`,
        `        autoMinorVersionUpgrade: false,`,
      ),
    ],
    blockedBy: "dms-replication-instance-minor-upgrades",
  },
  {
    id: "dms-inline-credentials",
    mistake: "Oracle user and password on the endpoint instead of the secret",
    project: "pipelines",
    edits: [
      edit(
        DMS,
        `        secretsManagerArn: secret.arn,\n        secretsManagerAccessRoleArn: secretsRole.arn,`,
        `        username: "dms_user",\n        password: "not-in-secrets-manager",\n        serverName: "delius-db.internal",\n        port: 1521,`,
      ),
    ],
    blockedBy: "dms-endpoint-secrets-manager",
  },
  {
    id: "glue-catalog-default-key",
    mistake: "Glue catalog encryption with the AWS managed key",
    project: "glue_database",
    edits: [
      edit(
        "glue_database/sourceDatabase.ts",
        `    this.database = new aws.glue.CatalogDatabase(`,
        `    new aws.glue.DataCatalogEncryptionSettings(\`\${name}-encryption\`, { dataCatalogEncryptionSettings: { encryptionAtRest: { catalogEncryptionMode: "SSE-KMS" }, connectionPasswordEncryption: { returnConnectionPasswordEncrypted: true } } }, { parent: this });\n    this.database = new aws.glue.CatalogDatabase(`,
      ),
    ],
    blockedBy: "glue-data-catalog-encryption-customer-key",
  },
  {
    id: "topic-policy-public",
    mistake: "alerts topic publishable by anyone",
    project: "core",
    edits: [
      edit(
        CORE,
        "            Principal: { AWS: `arn:aws:iam::${accountId}:root` },",
        `            Principal: "*",`,
      ),
    ],
    blockedBy: "sns-topic-policy-no-public-access",
  },

  // --- New types cannot slip in unjudged
  {
    id: "unjudged-website",
    mistake: "static website hosting on the metadata bucket",
    project: "core",
    edits: [
      inCore(
        `  new aws.s3.BucketWebsiteConfiguration("metadata-site", { bucket: metadata.name, indexDocument: { suffix: "index.html" } }, opts);`,
      ),
    ],
    blockedBy: "every-resource-type-judged",
  },
  {
    id: "unjudged-instance",
    mistake: "a bastion EC2 instance to reach Oracle",
    project: "pipelines_base",
    edits: [
      inBase(
        `  new aws.ec2.Instance("bastion", { ami: "ami-0123456789abcdef0", instanceType: "t3.micro", subnetId: config.subnetIds[0] }, opts);`,
      ),
    ],
    blockedBy: "every-resource-type-judged",
  },
  {
    id: "unjudged-provider",
    mistake: "an extra provider package (random) for passwords",
    project: "core",
    edits: [inCore(`  new pulumi.CustomResource("pulumi:providers:random", "random", {});`)],
    blockedBy: "every-resource-type-judged",
  },
];

/** Changes that are fine: each must plan with no mandatory violation. */
export const controls: RedTeamCase[] = [
  {
    id: "secure-bucketv2",
    mistake: "SecureBucket moved to the BucketV2 alias (secure)",
    project: "core",
    edits: [
      edit(
        BUCKET,
        `    this.bucket = new aws.s3.Bucket(`,
        `    this.bucket = new aws.s3.BucketV2(`,
      ),
      edit(
        BUCKET,
        `public readonly bucket: aws.s3.Bucket;`,
        `public readonly bucket: aws.s3.BucketV2;`,
      ),
    ],
    blockedBy: "",
  },
  {
    id: "secret-arn-in-env",
    mistake: "ORACLE_SECRET holding a Secrets Manager ARN",
    project: "pipelines",
    edits: [
      after(
        DMS,
        VALIDATE_ENV,
        `\n          ORACLE_SECRET: "arn:aws:secretsmanager:eu-west-2:123456789012:secret:dms/delius-prod/oracle-connection-AbC123",`,
      ),
    ],
    blockedBy: "",
  },
  {
    id: "dev-single-az",
    mistake: "a single-AZ instance in dev",
    project: "pipelines",
    env: "dev",
    edits: [edit(DMS, `        multiAz: args.multiAz ?? false,`, `        multiAz: false,`)],
    blockedBy: "",
  },
  {
    id: "named-pass-role",
    mistake: "iam:PassRole on one named role to DMS only",
    project: "core",
    edits: [
      notifyStatement(
        `{ Effect: "Allow", Action: ["iam:PassRole"], Resource: \`arn:aws:iam::\${accountId}:role/dms-vpc-role\`, Condition: { StringEquals: { "iam:PassedToService": "dms.amazonaws.com" } } }`,
      ),
    ],
    blockedBy: "",
  },
  {
    id: "kms-grant-own-role",
    mistake: "a decrypt grant to the notifier's own role",
    project: "core",
    edits: [
      inCore(
        `  new aws.kms.Grant("notify-decrypt", { keyId: key.keyId, granteePrincipal: notifier.role.arn, operations: ["Decrypt"] }, opts);`,
      ),
    ],
    blockedBy: "",
  },
  {
    id: "dead-letter-queue",
    mistake: "an encrypted dead-letter queue with a redrive policy (issue 10's shape)",
    project: "core",
    edits: [
      inCore(
        `  const dlq = new aws.sqs.Queue("sweep-dlq", { name: \`dataeng-sweep-dlq-\${env}\`, kmsMasterKeyId: key.arn, messageRetentionSeconds: 14 * 24 * 3600 }, opts);\n  new aws.sqs.RedrivePolicy("notify-failures-redrive", { queueUrl: undelivered.url, redrivePolicy: dlq.arn.apply((arn) => JSON.stringify({ deadLetterTargetArn: arn, maxReceiveCount: 5 })) }, opts);`,
      ),
    ],
    blockedBy: "",
  },
  {
    id: "topic-events-this-account",
    mistake: "EventBridge may publish to alerts, from this account only",
    project: "core",
    edits: [
      after(
        CORE,
        `        policyDocument([`,
        `\n          { Sid: "EventsPublish", Effect: "Allow", Principal: { Service: "events.amazonaws.com" }, Action: "sns:Publish", Resource: topicArn, Condition: { StringEquals: { "aws:SourceAccount": accountId } } },`,
      ),
    ],
    blockedBy: "",
  },
];
