/**
 * The red team: realistic mistakes, each made to one of the real programs' resources at
 * registration (harness.ts), and the policy expected to block it when the program is planned
 * for prod. A case names the resource by type and logical name, never a file or its text, so
 * the programs can be refactored freely. A regression suite: add a case for every hole found,
 * never delete one. `controls` are changes that are fine and must plan with no mandatory
 * violation (false positives).
 */
import * as aws from "@pulumi/aws";
import { MOCK_ACCOUNT_ID as ACCOUNT } from "../../lib/plan/evaluate";
import { policyExemptionTag } from "../../lib/model/policyExemption";
import {
  T,
  add,
  addStatement,
  document,
  editStatement,
  environment,
  inputs,
  omit,
  options,
  remove,
  retype,
  set,
  statements,
  tags,
  update,
  type Statement,
} from "./changes";
import { AnyResource, type Change, type Program, type RedTeamCase } from "./harness";

// The resources the cases change, in the prod stacks (names as the URNs hold them).
const NOTIFY_POLICY = "notify-policy";
const DMS_POLICY = "delius-dms-role-policy";
const VALIDATE_POLICY = "delius-validate-policy";
const DMS_VPC_ROLE = "dms-vpc-role";
const DATA_BUCKET = "raw-history";
const VALIDATOR = "delius-validate-function";
const SOURCE = "delius-source";
const TARGET = "delius-target";
const INSTANCE = "delius-replication-instance";
const LANDING_TARGET = "delius-landing-object-created-target";
const QUEUE_ARN = `arn:aws:sqs:eu-west-2:${ACCOUNT}:dataeng-notify-failures-prod`;

/** A statement added to the notifier Lambda's role policy (core). */
const notifyStatement = (statement: Statement): Change =>
  inputs(T.rolePolicy, NOTIFY_POLICY, addStatement(statement));
/** The validator's landing-object statement given these actions on every bucket (pipelines). */
const validatorOnEveryBucket = (actions: string[]): Change =>
  inputs(
    T.rolePolicy,
    VALIDATE_POLICY,
    editStatement("MoveLandingObjects", (s) => ({
      ...s,
      Action: actions,
      Resource: "arn:aws:s3:::*",
    })),
  );
/** A statement added to a data bucket's policy; `objects` is the ARN of its objects. */
const bucketStatement = (statement: (objects: string) => Statement): Change =>
  inputs(
    T.bucketPolicy,
    `${DATA_BUCKET}-policy`,
    statements((all, { bucket }) => [...all, statement(`arn:aws:s3:::${String(bucket)}/*`)]),
  );
const withoutCondition = ({ Condition: _, ...s }: Statement): Statement => s;
const notifyRole = (p: Program) => p.resource<aws.iam.Role>(T.role, "notify-role");
const notifier = (p: Program) => p.resource<aws.lambda.Function>(T.function, "notify-function");
const dataKey = (p: Program) => p.resource<aws.kms.Key>(T.key, "data-key");
const bucketNamed = (p: Program, purpose: string) =>
  p.resource<aws.s3.Bucket>(T.bucket, `${purpose}-bucket`).bucket;
const alerts = (p: Program) => p.resource<aws.sns.Topic>(T.topic, "alerts");
const undelivered = (p: Program) => p.resource<aws.sqs.Queue>(T.queue, "notify-failures");
const securityGroup = (p: Program) =>
  p.resource<aws.ec2.SecurityGroup>(T.securityGroup, "replication-security-group");
const dmsVpcRole = (p: Program) => p.resource<aws.iam.Role>(T.role, DMS_VPC_ROLE);
const ALERTS_ARN = `arn:aws:sns:eu-west-2:${ACCOUNT}:dataeng-alerts-prod`;
const PARTNER_EXPORTS = "s3://partner-exports/delius/";
const mutedAlarm = inputs(
  T.metricAlarm,
  "delius-task-events-failed",
  set({ actionsEnabled: false }),
);
const alarmWithoutActions = inputs(
  T.metricAlarm,
  "delius-cdc-latency-source",
  set({ alarmActions: [] }),
);
/** KMS's own key-policy shape: Resource "*" pinned to one service and a caller account. */
const decryptViaS3 = (callerAccount: string): Statement => ({
  Effect: "Allow",
  Action: ["kms:Decrypt"],
  Resource: "*",
  Condition: {
    StringEquals: {
      "kms:ViaService": "s3.eu-west-2.amazonaws.com",
      "kms:CallerAccount": callerAccount,
    },
  },
});
const trust = (principal: Statement) =>
  set({
    assumeRolePolicy: document({ Effect: "Allow", Principal: principal, Action: "sts:AssumeRole" }),
  });

export const cases: RedTeamCase[] = [
  // --- Identity policies, wherever they are attached or inlined
  {
    id: "role-policy-service-wildcard",
    mistake: "DMS role gets s3:* to 'make it work'",
    project: "pipelines",
    changes: [
      inputs(
        T.rolePolicy,
        DMS_POLICY,
        editStatement("WriteOwnLandingPrefix", (s) => ({ ...s, Action: ["s3:*"] })),
      ),
    ],
    blockedBy: "iam-no-wildcard-action",
  },
  {
    id: "role-policy-partial-wildcard",
    mistake: "validator gets s3:*Object on every bucket",
    project: "pipelines",
    changes: [validatorOnEveryBucket(["s3:*Object"])],
    blockedBy: "iam-no-wildcard-action",
  },
  {
    id: "role-policy-any-bucket",
    mistake: "validator reads any bucket's objects",
    project: "pipelines",
    changes: [validatorOnEveryBucket(["s3:GetObject", "s3:DeleteObject"])],
    blockedBy: "iam-no-wildcard-resource",
  },
  {
    id: "role-policy-star-resource",
    mistake: "notifier may send to any queue",
    project: "core",
    changes: [
      inputs(
        T.rolePolicy,
        NOTIFY_POLICY,
        editStatement("KeepUndeliveredAlerts", (s) => ({ ...s, Resource: "*" })),
      ),
    ],
    blockedBy: "iam-no-wildcard-resource",
  },
  {
    id: "role-policy-any-secret",
    mistake: "notifier reads every secret of the account",
    project: "core",
    changes: [
      notifyStatement({
        Effect: "Allow",
        Action: ["secretsmanager:GetSecretValue"],
        Resource: `arn:aws:secretsmanager:eu-west-2:${ACCOUNT}:secret:*`,
      }),
    ],
    blockedBy: "iam-no-wildcard-resource",
  },
  {
    id: "role-policy-not-action",
    mistake: "NotAction used to exclude IAM",
    project: "core",
    changes: [notifyStatement({ Effect: "Allow", NotAction: ["iam:*"], Resource: QUEUE_ARN })],
    blockedBy: "iam-no-wildcard-action",
  },
  {
    id: "role-policy-not-resource",
    mistake: "NotResource used to exclude one bucket",
    project: "core",
    changes: [
      notifyStatement({
        Effect: "Allow",
        Action: ["s3:GetObject"],
        NotResource: ["arn:aws:s3:::secret-bucket/*"],
      }),
    ],
    blockedBy: "iam-no-wildcard-resource",
  },
  {
    id: "managed-policy-wildcard",
    mistake: "a customer-managed aws.iam.Policy with Action *",
    project: "core",
    changes: [
      add((p) => {
        const debug = new aws.iam.Policy(
          "debug",
          { policy: document({ Effect: "Allow", Action: "*", Resource: "*" }) },
          p.opts,
        );
        new aws.iam.RolePolicyAttachment(
          "debug-attach",
          { role: notifyRole(p).name, policyArn: debug.arn },
          p.opts,
        );
      }),
    ],
    blockedBy: "iam-no-wildcard-action",
  },
  {
    id: "managed-policy-any-resource",
    mistake: "an aws.iam.Policy granting s3:GetObject on *",
    project: "core",
    changes: [
      add(
        (p) =>
          new aws.iam.Policy(
            "reader",
            { policy: document({ Effect: "Allow", Action: ["s3:GetObject"], Resource: "*" }) },
            p.opts,
          ),
      ),
    ],
    blockedBy: "iam-no-wildcard-resource",
  },
  {
    id: "role-inline-policies-wildcard",
    mistake: "a DMS service role with inlinePolicies allowing dms:*",
    project: "pipelines_base",
    changes: [
      inputs(
        T.role,
        DMS_VPC_ROLE,
        set({
          inlinePolicies: [
            {
              name: "extra",
              policy: document({ Effect: "Allow", Action: "dms:*", Resource: "*" }),
            },
          ],
        }),
      ),
    ],
    blockedBy: "iam-no-wildcard-action",
  },
  {
    id: "role-managed-policy-arns-admin",
    mistake: "managedPolicyArns with AdministratorAccess on a role",
    project: "pipelines_base",
    changes: [
      inputs(
        T.role,
        DMS_VPC_ROLE,
        set({ managedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"] }),
      ),
    ],
    blockedBy: "iam-no-broad-managed-policies",
  },
  {
    id: "attach-power-user",
    mistake: "PowerUserAccess attached with PolicyAttachment",
    project: "pipelines_base",
    changes: [
      add(
        (p) =>
          new aws.iam.PolicyAttachment(
            "dms-vpc-role-power",
            { roles: [dmsVpcRole(p).name], policyArn: "arn:aws:iam::aws:policy/PowerUserAccess" },
            p.opts,
          ),
      ),
    ],
    blockedBy: "iam-no-broad-managed-policies",
  },
  {
    id: "attach-s3-full",
    mistake: "AmazonS3FullAccess on the Lambda role",
    project: "core",
    changes: [
      inputs(
        T.attachment,
        "notify-xray",
        set({ policyArn: "arn:aws:iam::aws:policy/AmazonS3FullAccess" }),
      ),
    ],
    blockedBy: "iam-no-broad-managed-policies",
  },
  {
    id: "attach-lambda-full",
    mistake: "AWSLambda_FullAccess on the Lambda role",
    project: "core",
    changes: [
      inputs(
        T.attachment,
        "notify-xray",
        set({ policyArn: "arn:aws:iam::aws:policy/AWSLambda_FullAccess" }),
      ),
    ],
    blockedBy: "iam-no-broad-managed-policies",
  },
  {
    id: "attach-job-function",
    mistake: "job-function/DatabaseAdministrator on a DMS role",
    project: "pipelines_base",
    changes: [
      add(
        (p) =>
          new aws.iam.RolePolicyAttachment(
            "dms-vpc-role-dba",
            {
              role: dmsVpcRole(p).name,
              policyArn: "arn:aws:iam::aws:policy/job-function/DatabaseAdministrator",
            },
            p.opts,
          ),
      ),
    ],
    blockedBy: "iam-no-broad-managed-policies",
  },
  {
    id: "attach-read-only",
    mistake: "ReadOnlyAccess (reads every bucket) on the Lambda role",
    project: "core",
    changes: [
      inputs(
        T.attachment,
        "notify-xray",
        set({ policyArn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }),
      ),
    ],
    blockedBy: "iam-no-broad-managed-policies",
  },
  {
    id: "pass-role-any",
    mistake: "notifier may pass any role to a new Lambda",
    project: "core",
    changes: [
      notifyStatement({
        Effect: "Allow",
        Action: ["iam:PassRole", "lambda:CreateFunction"],
        Resource: `arn:aws:iam::${ACCOUNT}:role/*`,
      }),
    ],
    blockedBy: "iam-no-privilege-escalation",
  },
  {
    id: "put-role-policy",
    mistake: "notifier may edit role policies",
    project: "core",
    changes: [
      notifyStatement({
        Effect: "Allow",
        Action: ["iam:PutRolePolicy"],
        Resource: `arn:aws:iam::${ACCOUNT}:role/dataeng-notify`,
      }),
    ],
    blockedBy: "iam-no-privilege-escalation",
  },
  {
    id: "policy-version-wildcard",
    mistake: "iam:*PolicyVersion on a named policy",
    project: "core",
    changes: [
      notifyStatement({
        Effect: "Allow",
        Action: ["iam:*PolicyVersion"],
        Resource: `arn:aws:iam::${ACCOUNT}:policy/dataeng`,
      }),
    ],
    blockedBy: "iam-no-privilege-escalation",
  },
  {
    id: "iam-user-keys",
    mistake: "a CI user with an access key",
    project: "core",
    changes: [
      add((p) => {
        const ci = new aws.iam.User("ci", { name: "dataeng-ci" }, p.opts);
        new aws.iam.AccessKey("ci-key", { user: ci.name }, p.opts);
      }),
    ],
    blockedBy: "iam-no-users-or-long-lived-credentials",
  },
  {
    id: "user-policy-wildcard",
    mistake: "a user policy with s3:*",
    project: "core",
    changes: [
      add(
        (p) =>
          new aws.iam.UserPolicy(
            "ci-policy",
            {
              user: "dataeng-ci",
              policy: document({
                Effect: "Allow",
                Action: "s3:*",
                Resource: "arn:aws:s3:::mojap-land-prod/*",
              }),
            },
            p.opts,
          ),
      ),
    ],
    blockedBy: "iam-no-wildcard-action",
  },
  {
    id: "group-policy-any-resource",
    mistake: "a group policy with Resource *",
    project: "core",
    changes: [
      add(
        (p) =>
          new aws.iam.GroupPolicy(
            "analysts",
            {
              group: "analysts",
              policy: document({ Effect: "Allow", Action: ["s3:GetObject"], Resource: "*" }),
            },
            p.opts,
          ),
      ),
    ],
    blockedBy: "iam-no-wildcard-resource",
  },

  // --- Trust policies
  {
    id: "trust-anyone",
    mistake: "Lambda role trusts every AWS principal",
    project: "core",
    changes: [inputs(T.role, "notify-role", trust({ AWS: "*" }))],
    blockedBy: "iam-trust-policy-specific-principal",
  },
  {
    id: "trust-other-account",
    mistake: "DMS role also trusted by another account",
    project: "pipelines_base",
    changes: [inputs(T.role, DMS_VPC_ROLE, trust({ AWS: "arn:aws:iam::593291632749:root" }))],
    blockedBy: "iam-trust-policy-specific-principal",
  },
  {
    id: "trust-oidc-no-sub",
    mistake: "GitHub OIDC role without a sub condition",
    project: "core",
    changes: [
      add(
        (p) =>
          new aws.iam.Role(
            "github",
            {
              assumeRolePolicy: document({
                Effect: "Allow",
                Principal: {
                  Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/token.actions.githubusercontent.com`,
                },
                Action: "sts:AssumeRoleWithWebIdentity",
                Condition: {
                  StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" },
                },
              }),
            },
            p.opts,
          ),
      ),
    ],
    blockedBy: "iam-trust-policy-specific-principal",
  },
  {
    id: "trust-any-account-root",
    mistake: "trust arn:aws:iam::*:root",
    project: "pipelines_base",
    changes: [inputs(T.role, DMS_VPC_ROLE, trust({ AWS: "arn:aws:iam::*:root" }))],
    blockedBy: "iam-trust-policy-specific-principal",
  },

  // --- Resource policies of every service
  // The lake's objects read by whom a bucket statement names, however it is conditioned.
  ...[
    {
      id: "bucket-public-secure-transport",
      mistake: "public read 'only over TLS'",
      principal: "*",
      condition: { Bool: { "aws:SecureTransport": "true" } },
    },
    {
      id: "bucket-public-arnlike-any",
      mistake: "public read with ArnLike aws:SourceArn arn:aws:s3:::*",
      principal: "*",
      condition: { ArnLike: { "aws:SourceArn": "arn:aws:s3:::*" } },
    },
    {
      id: "bucket-public-no-condition",
      mistake: "public read, no condition",
      principal: { AWS: "*" },
    },
    {
      id: "bucket-other-account",
      mistake: "another account's role may read the lake",
      principal: { AWS: "arn:aws:iam::593291632749:role/analyst" },
    },
    {
      id: "bucket-not-equals",
      mistake: "public read unless StringNotEquals some account",
      principal: "*",
      condition: { StringNotEquals: { "aws:SourceAccount": "111111111111" } },
    },
  ].map(({ id, mistake, principal, condition }): RedTeamCase => ({
    id,
    mistake,
    project: "core",
    changes: [
      bucketStatement((objects) => ({
        Effect: "Allow",
        Principal: principal,
        Action: "s3:GetObject",
        Resource: objects,
        ...(condition ? { Condition: condition } : {}),
      })),
    ],
    blockedBy: "resource-policy-principals-restricted",
  })),
  {
    id: "access-log-delivery-any-account",
    mistake: "S3 log delivery without the SourceAccount condition",
    project: "core",
    changes: [
      inputs(
        T.bucketPolicy,
        "access-logs-policy",
        editStatement("S3ServerAccessLogsDelivery", withoutCondition),
      ),
    ],
    blockedBy: "resource-policy-principals-restricted",
  },
  {
    id: "topic-services-any-account",
    mistake: "alerts topic lets services publish for any account",
    project: "core",
    changes: [
      inputs(
        T.topicPolicy,
        "alerts-policy",
        editStatement("ServicesPublishAlerts", withoutCondition),
      ),
    ],
    blockedBy: "resource-policy-principals-restricted",
  },
  {
    id: "topic-public-subscribe",
    mistake: "anyone may subscribe to alerts",
    project: "core",
    changes: [
      inputs(
        T.topicPolicy,
        "alerts-policy",
        statements((all, { arn }) => [
          {
            Effect: "Allow",
            Principal: "*",
            Action: "sns:Subscribe",
            Resource: arn,
            Condition: { Bool: { "aws:SecureTransport": "true" } },
          },
          ...all,
        ]),
      ),
    ],
    blockedBy: "resource-policy-principals-restricted",
  },
  {
    id: "queue-policy-public",
    mistake: "undelivered-alerts queue open to anyone",
    project: "core",
    changes: [
      add(
        (p) =>
          new aws.sqs.QueuePolicy(
            "notify-failures-policy",
            {
              queueUrl: undelivered(p).url,
              policy: undelivered(p).arn.apply((a) =>
                document({
                  Effect: "Allow",
                  Principal: "*",
                  Action: "sqs:SendMessage",
                  Resource: a,
                }),
              ),
            },
            p.opts,
          ),
      ),
    ],
    blockedBy: "resource-policy-principals-restricted",
  },
  {
    id: "queue-inline-events-any-account",
    mistake: "queue's inline policy lets EventBridge of any account send",
    project: "core",
    changes: [
      inputs(
        T.queue,
        "notify-failures",
        set({
          policy: document({
            Effect: "Allow",
            Principal: { Service: "events.amazonaws.com" },
            Action: "sqs:SendMessage",
            Resource: "*",
          }),
        }),
      ),
    ],
    blockedBy: "resource-policy-principals-restricted",
  },
  {
    id: "key-policy-public-admin",
    mistake: "key administered by '*' instead of the account root",
    project: "core",
    changes: [
      inputs(
        T.key,
        "data-key",
        editStatement("AccountAdministersThroughIam", (s) => ({ ...s, Principal: { AWS: "*" } })),
      ),
    ],
    blockedBy: "resource-policy-principals-restricted",
  },
  {
    id: "key-policy-services-any-account",
    mistake: "key lets DMS and CloudWatch decrypt for any account",
    project: "core",
    changes: [
      inputs(
        T.key,
        "data-key",
        editStatement("AlarmsAndEventsPublishToEncryptedTopic", withoutCondition),
      ),
    ],
    blockedBy: "resource-policy-principals-restricted",
  },
  {
    id: "key-policy-if-exists",
    mistake: "SourceAccount condition turned into StringEqualsIfExists",
    project: "core",
    changes: [
      inputs(
        T.key,
        "data-key",
        editStatement("AlarmsAndEventsPublishToEncryptedTopic", (s) => ({
          ...s,
          Condition: { StringEqualsIfExists: { "aws:SourceAccount": ACCOUNT } },
        })),
      ),
    ],
    blockedBy: "resource-policy-principals-restricted",
  },
  {
    id: "secret-policy-public",
    mistake: "a secret policy readable by anyone",
    project: "core",
    changes: [
      add(
        (p) =>
          new aws.secretsmanager.SecretPolicy(
            "webhook-policy",
            {
              secretArn: `arn:aws:secretsmanager:eu-west-2:${ACCOUNT}:secret:data-engineering/slack-webhook-prod-AbC123`,
              policy: document({
                Effect: "Allow",
                Principal: { AWS: "*" },
                Action: "secretsmanager:GetSecretValue",
                Resource: "*",
              }),
            },
            p.opts,
          ),
      ),
    ],
    blockedBy: "resource-policy-principals-restricted",
  },
  {
    id: "vpc-endpoint-policy-open",
    mistake: "S3 gateway endpoint policy allows any bucket of any account",
    project: "pipelines_base",
    changes: [
      add(
        (p) =>
          new aws.ec2.VpcEndpoint(
            "s3-endpoint",
            {
              vpcId: securityGroup(p).vpcId,
              serviceName: "com.amazonaws.eu-west-2.s3",
              policy: document({ Effect: "Allow", Principal: "*", Action: "s3:*", Resource: "*" }),
            },
            p.opts,
          ),
      ),
    ],
    blockedBy: "resource-policy-principals-restricted",
  },
  {
    id: "event-bus-policy-public",
    mistake: "default event bus accepts events from anyone",
    project: "core",
    changes: [
      add(
        (p) =>
          new aws.cloudwatch.EventBusPolicy(
            "bus-policy",
            {
              policy: document({
                Effect: "Allow",
                Principal: "*",
                Action: "events:PutEvents",
                Resource: `arn:aws:events:eu-west-2:${ACCOUNT}:event-bus/default`,
              }),
            },
            p.opts,
          ),
      ),
    ],
    blockedBy: "resource-policy-principals-restricted",
  },
  {
    id: "lambda-permission-anyone",
    mistake: "notifier invocable by anyone",
    project: "core",
    changes: [
      inputs(T.permission, "notify-from-alerts", omit("sourceArn"), set({ principal: "*" })),
    ],
    blockedBy: "lambda-permission-scoped",
  },
  {
    id: "lambda-permission-no-source",
    mistake: "validator invocable by any EventBridge rule",
    project: "pipelines",
    changes: [inputs(T.permission, "delius-validate-from-events", omit("sourceArn"))],
    blockedBy: "lambda-permission-scoped",
  },
  {
    id: "function-url-public",
    mistake: "a function URL without auth for debugging",
    project: "core",
    changes: [
      add(
        (p) =>
          new aws.lambda.FunctionUrl(
            "notify-url",
            { functionName: notifier(p).name, authorizationType: "NONE" },
            p.opts,
          ),
      ),
    ],
    blockedBy: "lambda-function-url-authenticated",
  },
  {
    id: "permission-url-public",
    mistake: "a permission for an unauthenticated function URL",
    project: "core",
    changes: [
      add(
        (p) =>
          new aws.lambda.Permission(
            "notify-url-permission",
            {
              function: notifier(p).name,
              action: "lambda:InvokeFunctionUrl",
              principal: "*",
              functionUrlAuthType: "NONE",
            },
            p.opts,
          ),
      ),
    ],
    blockedBy: "lambda-permission-scoped",
  },

  // --- Security groups, every form
  {
    id: "sg-inline-ingress-anywhere",
    mistake: "SSH from anywhere on the DMS security group",
    project: "pipelines_base",
    changes: [
      inputs(
        T.securityGroup,
        "replication-security-group",
        set({
          ingress: [{ protocol: "tcp", fromPort: 22, toPort: 22, cidrBlocks: ["0.0.0.0/0"] }],
        }),
      ),
    ],
    blockedBy: "ec2-security-group-no-public-ingress",
  },
  {
    id: "sg-rule-ingress-anywhere",
    mistake: "an ec2.SecurityGroupRule ingress from 0.0.0.0/0",
    project: "pipelines_base",
    changes: [
      add(
        (p) =>
          new aws.ec2.SecurityGroupRule(
            "debug-ingress",
            {
              type: "ingress",
              securityGroupId: securityGroup(p).id,
              protocol: "tcp",
              fromPort: 443,
              toPort: 443,
              cidrBlocks: ["0.0.0.0/0"],
            },
            p.opts,
          ),
      ),
    ],
    blockedBy: "ec2-security-group-no-public-ingress",
  },
  {
    id: "sg-rule-ingress-public-range",
    mistake: "ingress from an office's public /24",
    project: "pipelines_base",
    changes: [
      add(
        (p) =>
          new aws.ec2.SecurityGroupRule(
            "office-ingress",
            {
              type: "ingress",
              securityGroupId: securityGroup(p).id,
              protocol: "tcp",
              fromPort: 1521,
              toPort: 1521,
              cidrBlocks: ["81.134.202.0/24"],
            },
            p.opts,
          ),
      ),
    ],
    blockedBy: "ec2-security-group-no-public-ingress",
  },
  {
    id: "vpc-ingress-half-internet",
    mistake: "ingress from 0.0.0.0/1 (half the internet)",
    project: "pipelines_base",
    changes: [
      add(
        (p) =>
          new aws.vpc.SecurityGroupIngressRule(
            "wide-ingress",
            {
              securityGroupId: securityGroup(p).id,
              ipProtocol: "tcp",
              fromPort: 443,
              toPort: 443,
              cidrIpv4: "0.0.0.0/1",
            },
            p.opts,
          ),
      ),
    ],
    blockedBy: "vpc-ingress-rule-no-public-cidr",
  },
  {
    id: "vpc-ingress-ipv6-anywhere",
    mistake: "ingress from ::/0",
    project: "pipelines_base",
    changes: [
      add(
        (p) =>
          new aws.vpc.SecurityGroupIngressRule(
            "v6-ingress",
            {
              securityGroupId: securityGroup(p).id,
              ipProtocol: "tcp",
              fromPort: 443,
              toPort: 443,
              cidrIpv6: "::/0",
            },
            p.opts,
          ),
      ),
    ],
    blockedBy: "vpc-ingress-rule-no-public-cidr",
  },

  // --- Data stays in eu-west-2
  {
    id: "bucket-region-us",
    mistake: "a bucket created in us-east-1 through the v7 region argument",
    project: "core",
    changes: [inputs(T.bucket, `${DATA_BUCKET}-bucket`, set({ region: "us-east-1" }))],
    blockedBy: "data-stays-in-region",
  },
  {
    id: "lambda-region-ireland",
    mistake: "the notifier function deployed to eu-west-1",
    project: "core",
    changes: [inputs(T.function, "notify-function", set({ region: "eu-west-1" }))],
    blockedBy: "data-stays-in-region",
  },
  {
    id: "secret-replica",
    mistake: "a secret replicated to eu-west-1 for DR",
    project: "core",
    changes: [
      add(
        (p) =>
          new aws.secretsmanager.Secret(
            "dr-secret",
            { name: "dataeng/dr", kmsKeyId: dataKey(p).arn, replicas: [{ region: "eu-west-1" }] },
            p.opts,
          ),
      ),
    ],
    blockedBy: "data-stays-in-region",
  },
  {
    id: "bucket-replication-external",
    mistake: "raw-history replicated to a DR bucket elsewhere",
    project: "core",
    changes: [
      add(
        (p) =>
          new aws.s3.BucketReplicationConfig(
            "raw-history-replication",
            {
              bucket: bucketNamed(p, "raw-history"),
              role: `arn:aws:iam::${ACCOUNT}:role/replication`,
              rules: [
                {
                  id: "dr",
                  status: "Enabled",
                  filter: {},
                  deleteMarkerReplication: { status: "Disabled" },
                  destination: {
                    bucket: "arn:aws:s3:::mojap-dr-raw-history",
                    storageClass: "STANDARD",
                  },
                },
              ],
            },
            p.opts,
          ),
      ),
    ],
    blockedBy: "s3-replication-stays-in-stack",
  },
  {
    id: "subscription-other-region",
    mistake: "alerts also sent to a queue in us-east-1",
    project: "core",
    changes: [
      add(
        (p) =>
          new aws.sns.TopicSubscription(
            "copy-subscription",
            {
              topic: alerts(p).arn,
              protocol: "sqs",
              endpoint: `arn:aws:sqs:us-east-1:${ACCOUNT}:alerts-copy`,
            },
            p.opts,
          ),
      ),
    ],
    blockedBy: "data-stays-in-region",
  },
  {
    id: "event-target-other-region",
    mistake: "landing events forwarded to a bus in eu-west-1",
    project: "pipelines",
    changes: [
      inputs(
        T.eventTarget,
        LANDING_TARGET,
        set({ arn: `arn:aws:events:eu-west-1:${ACCOUNT}:event-bus/default` }),
      ),
    ],
    blockedBy: "data-stays-in-region",
  },

  {
    id: "subscription-other-account",
    mistake: "alerts copied to a queue of another team's account",
    project: "core",
    changes: [
      add(
        (p) =>
          new aws.sns.TopicSubscription(
            "partner-subscription",
            {
              topic: alerts(p).arn,
              protocol: "sqs",
              endpoint: "arn:aws:sqs:eu-west-2:593291632749:alerts-copy",
            },
            p.opts,
          ),
      ),
    ],
    blockedBy: "data-stays-in-account",
  },
  {
    id: "event-target-other-account",
    mistake: "landing events forwarded to another account's bus",
    project: "pipelines",
    changes: [
      inputs(
        T.eventTarget,
        LANDING_TARGET,
        set({ arn: "arn:aws:events:eu-west-2:593291632749:event-bus/default" }),
      ),
    ],
    blockedBy: "data-stays-in-account",
  },

  // --- The environment comes from the stack, never from tags
  {
    id: "force-destroy-dev-tag",
    mistake: "forceDestroy on prod buckets with a copied environment: dev tag",
    project: "core",
    changes: [
      inputs(
        T.bucket,
        `${DATA_BUCKET}-bucket`,
        set({ forceDestroy: true, tags: { environment: "dev" } }),
      ),
    ],
    blockedBy: "s3-bucket-no-force-destroy",
  },
  {
    id: "unprotected-key-dev-tag",
    mistake: "prod key unprotected, tagged environment: dev",
    project: "core",
    changes: [
      inputs(T.key, "data-key", set({ tags: { environment: "dev" } })),
      options(T.key, "data-key", ({ protect: _p, retainOnDelete: _r, ...opts }) => opts),
    ],
    blockedBy: "stateful-resources-protected",
  },

  // --- Secrets, by name and by value
  {
    id: "lambda-env-dsn",
    mistake: "a connection string with a password in the validator's environment",
    project: "pipelines",
    changes: [
      inputs(
        T.function,
        VALIDATOR,
        environment({
          ORACLE_DSN: "oracle://dms_user:Pr0d-Passw0rd@delius-db.internal:1521/DNDAPRD",
        }),
      ),
    ],
    blockedBy: "lambda-environment-no-plaintext-secrets",
  },
  {
    id: "lambda-env-slack-url",
    mistake: "the Slack webhook URL itself in the environment",
    project: "core",
    changes: [
      inputs(
        T.function,
        "notify-function",
        environment({ SLACK_URL: "https://hooks.slack.com/services/T000/B000/XXXXXXXX" }),
      ),
    ],
    blockedBy: "lambda-environment-no-plaintext-secrets",
  },
  {
    id: "lambda-env-github-token",
    mistake: "a GitHub token for issue creation",
    project: "core",
    changes: [
      inputs(
        T.function,
        "notify-function",
        environment({ GH: "ghp_abcdefghijklmnopqrstuvwxyz0123456789" }),
      ),
    ],
    blockedBy: "lambda-environment-no-plaintext-secrets",
  },
  {
    id: "lambda-env-password-name",
    mistake: "DB_PASSWORD passed in plain text",
    project: "pipelines",
    changes: [inputs(T.function, VALIDATOR, environment({ DB_PASSWORD: "hunter2" }))],
    blockedBy: "lambda-environment-no-plaintext-secrets",
  },
  {
    id: "lambda-env-odbc",
    mistake: "an ODBC-style connection string with Password=",
    project: "pipelines",
    changes: [
      inputs(
        T.function,
        VALIDATOR,
        environment({ CONNECTION: "Data Source=db;User Id=dms;Password=S3cret!;" }),
      ),
    ],
    blockedBy: "lambda-environment-no-plaintext-secrets",
  },

  {
    id: "lambda-env-aws-secret-key",
    mistake: "an AWS secret access key for a cross-account copy",
    project: "core",
    changes: [
      inputs(
        T.function,
        "notify-function",
        environment({ AWS_SECRET_ACCESS_KEY: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" }),
      ),
    ],
    blockedBy: "lambda-environment-no-plaintext-secrets",
  },

  // --- DMS
  {
    id: "dms-source-no-ssl",
    mistake: "source endpoint sslMode none to debug a certificate issue",
    project: "pipelines",
    changes: [inputs(T.sourceEndpoint, SOURCE, omit("certificateArn"), set({ sslMode: "none" }))],
    blockedBy: "dms-endpoint-ssl",
  },
  {
    id: "dms-source-verify-no-cert",
    mistake: "verify-ca without the CA certificate",
    project: "pipelines",
    changes: [inputs(T.sourceEndpoint, SOURCE, omit("certificateArn"))],
    blockedBy: "dms-endpoint-ssl",
  },
  {
    id: "dms-oracle-target-no-ssl",
    mistake: "an Oracle target endpoint (write-back) without SSL",
    project: "pipelines",
    changes: [
      add((p) => {
        const source = p.resource<aws.dms.Endpoint>(T.sourceEndpoint, SOURCE);
        new aws.dms.Endpoint(
          "delius-writeback",
          {
            endpointId: "delius-prod-writeback",
            endpointType: "target",
            engineName: "oracle",
            databaseName: source.databaseName,
            secretsManagerArn: source.secretsManagerArn,
            secretsManagerAccessRoleArn: source.secretsManagerAccessRoleArn,
            kmsKeyArn: source.kmsKeyArn,
          },
          { parent: p.resource(T.dmsPipeline, "delius") },
        );
      }),
    ],
    blockedBy: "dms-endpoint-ssl",
  },
  {
    id: "dms-source-default-key",
    mistake: "source endpoint without kmsKeyArn",
    project: "pipelines",
    changes: [inputs(T.sourceEndpoint, SOURCE, omit("kmsKeyArn"))],
    blockedBy: "dms-endpoint-customer-key",
  },
  {
    id: "dms-target-default-key",
    mistake: "S3 target endpoint without kmsKeyArn",
    project: "pipelines",
    changes: [inputs(T.targetEndpoint, TARGET, omit("kmsKeyArn"))],
    blockedBy: "dms-endpoint-customer-key",
  },
  {
    id: "dms-target-any-bucket-owner",
    mistake: "S3 target endpoint without expectedBucketOwner",
    project: "pipelines",
    changes: [inputs(T.targetEndpoint, TARGET, omit("expectedBucketOwner"))],
    blockedBy: "dms-s3-endpoint-expected-owner",
  },
  {
    id: "dms-target-other-bucket-owner",
    mistake: "S3 target endpoint expects a bucket of another account",
    project: "pipelines",
    changes: [inputs(T.targetEndpoint, TARGET, set({ expectedBucketOwner: "210987654321" }))],
    blockedBy: "dms-s3-endpoint-expected-owner",
  },
  {
    id: "dms-target-sse-s3",
    mistake: "S3 target writes with SSE_S3",
    project: "pipelines",
    changes: [inputs(T.targetEndpoint, TARGET, set({ encryptionMode: "SSE_S3" }))],
    blockedBy: "dms-s3-endpoint-sse-kms",
  },
  {
    id: "dms-single-az-prod",
    mistake: "multiAz hard-coded to false",
    project: "pipelines",
    changes: [inputs(T.instance, INSTANCE, set({ multiAz: false }))],
    blockedBy: "dms-replication-instance-multi-az",
  },
  {
    id: "dms-public-instance",
    mistake: "replication instance made public to reach on-prem",
    project: "pipelines",
    changes: [inputs(T.instance, INSTANCE, set({ publiclyAccessible: true }))],
    blockedBy: "dms-replication-instance-not-public",
  },
  {
    id: "dms-instance-default-key",
    mistake: "replication instance storage with the default key",
    project: "pipelines",
    changes: [inputs(T.instance, INSTANCE, omit("kmsKeyArn"))],
    blockedBy: "dms-replication-instance-kms-encrypted",
  },

  // --- raw-history retention
  {
    id: "raw-history-expiry",
    mistake: "data buckets expire objects after the access-log retention",
    project: "core",
    changes: [
      inputs(
        T.lifecycle,
        `${DATA_BUCKET}-lifecycle`,
        update<unknown[]>("rules", (rules) => [
          ...rules,
          {
            id: "expire-current-objects",
            status: "Enabled",
            filter: {},
            expiration: { days: 365 },
          },
        ]),
      ),
    ],
    blockedBy: "s3-retained-bucket-no-current-expiry",
  },

  // --- S3: the V2 aliases and the companions
  {
    id: "bucketv2-force-destroy",
    mistake: "SecureBucket moved to BucketV2 with forceDestroy on",
    project: "core",
    changes: [
      retype(
        T.bucket,
        `${DATA_BUCKET}-bucket`,
        "aws:s3/bucketV2:BucketV2",
        set({ forceDestroy: true }),
      ),
    ],
    blockedBy: "s3-bucket-no-force-destroy",
  },
  {
    id: "versioning-v2-suspended",
    mistake: "BucketVersioningV2 with status Suspended",
    project: "core",
    changes: [
      retype(
        T.versioning,
        `${DATA_BUCKET}-versioning`,
        "aws:s3/bucketVersioningV2:BucketVersioningV2",
        set({ versioningConfiguration: { status: "Suspended" } }),
      ),
    ],
    blockedBy: "s3-bucket-versioning-enabled",
  },
  {
    id: "acl-v2-public-read",
    mistake: "a BucketAclV2 public-read for a dashboard",
    project: "core",
    changes: [
      add(
        (p) =>
          new aws.s3.BucketAclV2(
            "metadata-acl",
            { bucket: bucketNamed(p, "metadata"), acl: "public-read" },
            p.opts,
          ),
      ),
    ],
    blockedBy: "s3-bucket-no-acl",
  },
  {
    id: "bucket-acl-inline",
    mistake: "canned ACL on the bucket itself",
    project: "core",
    changes: [inputs(T.bucket, `${DATA_BUCKET}-bucket`, set({ acl: "public-read" }))],
    blockedBy: "s3-bucket-no-acl",
  },
  {
    id: "public-access-block-off",
    mistake: "restrictPublicBuckets turned off",
    project: "core",
    changes: [
      inputs(
        T.publicAccessBlock,
        `${DATA_BUCKET}-public-access-block`,
        set({ restrictPublicBuckets: false }),
      ),
    ],
    blockedBy: "s3-bucket-public-access-block",
  },
  {
    id: "bucket-sse-s3",
    mistake: "data buckets with AES256 instead of the key",
    project: "core",
    changes: [
      inputs(
        T.encryption,
        `${DATA_BUCKET}-encryption`,
        set({ rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] }),
      ),
    ],
    blockedBy: "s3-bucket-kms-encryption",
  },
  {
    id: "bucket-tls-removed",
    mistake: "the TLS-only statement dropped",
    project: "core",
    changes: [
      inputs(
        T.bucketPolicy,
        `${DATA_BUCKET}-policy`,
        statements((all, { bucket }) => [
          ...all.filter((s) => s.Sid !== "DenyInsecureTransport"),
          {
            Sid: "Placeholder",
            Effect: "Deny",
            Principal: "*",
            Action: "s3:DeleteBucket",
            Resource: `arn:aws:s3:::${String(bucket)}`,
          },
        ]),
      ),
    ],
    blockedBy: "s3-bucket-tls-only",
  },

  // --- Other services
  {
    id: "topic-unencrypted",
    mistake: "alerts topic without the key",
    project: "core",
    changes: [inputs(T.topic, "alerts", omit("kmsMasterKeyId"))],
    blockedBy: "sns-topic-kms-encrypted",
  },
  {
    id: "queue-unencrypted",
    mistake: "undelivered-alerts queue with SQS-managed encryption",
    project: "core",
    changes: [inputs(T.queue, "notify-failures", omit("kmsMasterKeyId"))],
    blockedBy: "sqs-queue-kms-encrypted",
  },
  {
    id: "log-group-unencrypted",
    mistake: "Lambda log groups without the key",
    project: "core",
    changes: [inputs(T.logGroup, "notify-logs", omit("kmsKeyId"))],
    blockedBy: "cloudwatch-log-group-kms-encrypted",
  },
  {
    id: "lambda-old-runtime",
    mistake: "a function on nodejs18.x",
    project: "core",
    changes: [inputs(T.function, "notify-function", set({ runtime: "nodejs18.x" }))],
    blockedBy: "lambda-runtime-allowed",
  },
  {
    id: "subscription-http",
    mistake: "alerts pushed to a plain-HTTP endpoint",
    project: "core",
    changes: [
      inputs(
        T.subscription,
        "notify-subscription",
        set({ protocol: "http", endpoint: "http://alerts.example.com/hook" }),
      ),
    ],
    blockedBy: "sns-subscription-secure-protocol",
  },
  {
    id: "secret-default-key",
    mistake: "a new secret with the default aws/secretsmanager key",
    project: "core",
    changes: [
      add((p) => new aws.secretsmanager.Secret("pagerduty", { name: "dataeng/pagerduty" }, p.opts)),
    ],
    blockedBy: "secretsmanager-secret-customer-key",
  },

  {
    id: "kms-grant-other-account",
    mistake: "a decrypt grant to another account's role",
    project: "core",
    changes: [
      add(
        (p) =>
          new aws.kms.Grant(
            "partner-decrypt",
            {
              keyId: dataKey(p).keyId,
              granteePrincipal: "arn:aws:iam::593291632749:role/reader",
              operations: ["Decrypt"],
            },
            p.opts,
          ),
      ),
    ],
    blockedBy: "kms-grant-scoped",
  },
  {
    id: "kms-grant-delegating",
    mistake: "a grant that lets the notifier create further grants",
    project: "core",
    changes: [
      add(
        (p) =>
          new aws.kms.Grant(
            "notify-grant",
            {
              keyId: dataKey(p).keyId,
              granteePrincipal: notifyRole(p).arn,
              operations: ["Decrypt", "CreateGrant"],
            },
            p.opts,
          ),
      ),
    ],
    blockedBy: "kms-grant-scoped",
  },
  {
    id: "secret-version-in-code",
    mistake: "the webhook URL written by the program into a new secret",
    project: "core",
    changes: [
      add((p) => {
        const hook = new aws.secretsmanager.Secret(
          "hook",
          { name: "dataeng/hook", kmsKeyId: dataKey(p).arn },
          p.opts,
        );
        new aws.secretsmanager.SecretVersion(
          "hook-value",
          { secretId: hook.id, secretString: "https://hooks.slack.com/services/T0/B0/X" },
          p.opts,
        );
      }),
    ],
    blockedBy: "secretsmanager-no-secret-value-in-code",
  },
  {
    id: "object-v1-public-read",
    mistake: "a v1 BucketObject published public-read",
    project: "core",
    changes: [
      add(
        (p) =>
          new aws.s3.BucketObject(
            "readme",
            {
              bucket: bucketNamed(p, "metadata"),
              key: "README.txt",
              content: "hello",
              acl: "public-read",
            },
            p.opts,
          ),
      ),
    ],
    blockedBy: "s3-object-private-and-kms",
  },

  // --- Everything else the pack guards
  {
    id: "key-rotation-off",
    mistake: "key rotation turned off to 'avoid re-encryption'",
    project: "core",
    changes: [inputs(T.key, "data-key", set({ enableKeyRotation: false }))],
    blockedBy: "kms-key-rotation-enabled",
  },
  {
    id: "key-policy-star-admin",
    mistake: "key administered by every principal",
    project: "core",
    changes: [
      inputs(
        T.key,
        "data-key",
        editStatement("AccountAdministersThroughIam", (s) => ({ ...s, Principal: "*" })),
      ),
    ],
    blockedBy: "kms-key-policy-no-public-principal",
  },
  {
    id: "ownership-preferred",
    mistake: "object ownership BucketOwnerPreferred (ACLs back on)",
    project: "core",
    changes: [
      inputs(
        T.ownership,
        `${DATA_BUCKET}-ownership`,
        set({ rule: { objectOwnership: "BucketOwnerPreferred" } }),
      ),
    ],
    blockedBy: "s3-bucket-ownership-enforced",
  },
  {
    id: "data-buckets-unlogged",
    mistake: "data buckets without server access logging",
    project: "core",
    changes: [remove(T.logging, /^(raw-history|fail|metadata)-logging$/)],
    blockedBy: "s3-bucket-access-logging",
  },
  {
    id: "bucket-no-public-access-block",
    mistake: "the public access block dropped from SecureBucket",
    project: "core",
    changes: [remove(T.publicAccessBlock, /-public-access-block$/)],
    blockedBy: "s3-bucket-companions",
  },
  {
    id: "role-policies-two-ways",
    mistake: "a role with managedPolicyArns and a separate attachment",
    project: "pipelines_base",
    changes: [
      inputs(
        T.role,
        DMS_VPC_ROLE,
        set({
          managedPolicyArns: ["arn:aws:iam::aws:policy/service-role/AmazonDMSVPCManagementRole"],
        }),
      ),
    ],
    blockedBy: "iam-role-policies-managed-one-way",
  },
  {
    id: "dms-default-network",
    mistake: "replication instance without its security group",
    project: "pipelines",
    changes: [inputs(T.instance, INSTANCE, omit("vpcSecurityGroupIds"))],
    blockedBy: "dms-replication-instance-network",
  },
  {
    id: "dms-no-minor-upgrades",
    mistake: "minor engine upgrades off",
    project: "pipelines",
    changes: [inputs(T.instance, INSTANCE, set({ autoMinorVersionUpgrade: false }))],
    blockedBy: "dms-replication-instance-minor-upgrades",
  },
  {
    id: "dms-inline-credentials",
    mistake: "Oracle user and password on the endpoint instead of the secret",
    project: "pipelines",
    changes: [
      inputs(
        T.sourceEndpoint,
        SOURCE,
        omit("secretsManagerArn", "secretsManagerAccessRoleArn"),
        set({
          username: "dms_user",
          password: "not-in-secrets-manager",
          serverName: "delius-db.internal",
          port: 1521,
        }),
      ),
    ],
    blockedBy: "dms-endpoint-secrets-manager",
  },
  {
    id: "glue-catalog-default-key",
    mistake: "Glue catalog encryption with the AWS managed key",
    project: "glue_database",
    changes: [
      add(
        (p) =>
          new aws.glue.DataCatalogEncryptionSettings(
            "delius-encryption",
            {
              dataCatalogEncryptionSettings: {
                encryptionAtRest: { catalogEncryptionMode: "SSE-KMS" },
                connectionPasswordEncryption: { returnConnectionPasswordEncrypted: true },
              },
            },
            { parent: p.resource(T.sourceDatabase, "delius") },
          ),
      ),
    ],
    blockedBy: "glue-data-catalog-encryption-customer-key",
  },
  {
    id: "topic-policy-public",
    mistake: "alerts topic publishable by anyone",
    project: "core",
    changes: [
      inputs(
        T.topicPolicy,
        "alerts-policy",
        editStatement("AccountPublishes", (s) => ({ ...s, Principal: "*" })),
      ),
    ],
    blockedBy: "sns-topic-policy-no-public-access",
  },

  // --- Mistakes that only go quiet (issue 21: they block in production)
  {
    id: "alarm-actions-disabled",
    mistake: "the DMS task-events alarm muted with actionsEnabled: false",
    project: "pipelines",
    changes: [mutedAlarm],
    blockedBy: "cloudwatch-alarm-has-actions",
  },
  {
    id: "alarm-no-actions",
    mistake: "the CDC source-latency alarm with no alarm action",
    project: "pipelines",
    changes: [alarmWithoutActions],
    blockedBy: "cloudwatch-alarm-has-actions",
  },
  {
    id: "lambda-untraced",
    mistake: "the validator Lambda without X-Ray tracing",
    project: "pipelines",
    changes: [inputs(T.function, VALIDATOR, omit("tracingConfig"))],
    blockedBy: "lambda-tracing-active",
  },
  {
    id: "lambda-logs-elsewhere",
    mistake: "the notifier Lambda logging to a group the stack does not manage",
    project: "core",
    changes: [
      inputs(
        T.function,
        "notify-function",
        set({ loggingConfig: { logFormat: "JSON", logGroup: "/aws/lambda/elsewhere" } }),
      ),
    ],
    blockedBy: "lambda-log-group-retention",
  },
  {
    id: "lambda-log-group-dropped",
    mistake: "the notifier's log group removed, so Lambda makes a never-expiring one",
    project: "core",
    changes: [remove(T.logGroup, "notify-logs")],
    blockedBy: "lambda-log-group-retention",
  },
  {
    id: "dms-events-no-failures",
    mistake: "a DMS event subscription for task state changes but not failures",
    project: "pipelines",
    changes: [
      add(
        (p) =>
          new aws.dms.EventSubscription(
            "delius-task-events",
            {
              name: "delius-prod-task-events",
              sourceType: "replication-task",
              eventCategories: ["state change"],
              snsTopicArn: ALERTS_ARN,
            },
            p.opts,
          ),
      ),
    ],
    blockedBy: "dms-event-subscription-failure-alerts",
  },
  {
    id: "glue-table-partner-bucket",
    mistake: "a Glue table over a partner's export bucket",
    project: "glue_database",
    changes: [
      inputs(
        T.glueTable,
        "delius-offender",
        update<Record<string, unknown>>("storageDescriptor", (descriptor) => ({
          ...descriptor,
          location: `${PARTNER_EXPORTS}offender/`,
        })),
      ),
    ],
    blockedBy: "glue-data-in-own-buckets",
  },
  {
    id: "glue-database-partner-bucket",
    mistake: "a Glue database located in a partner's export bucket",
    project: "glue_database",
    changes: [inputs(T.glueDatabase, "delius-database", set({ locationUri: PARTNER_EXPORTS }))],
    blockedBy: "glue-data-in-own-buckets",
  },
  ...[
    [
      "attach-s3-read-only",
      "AmazonS3ReadOnlyAccess (reads every bucket)",
      "AmazonS3ReadOnlyAccess",
    ],
    [
      "attach-view-only",
      "job-function/ViewOnlyAccess (lists everything)",
      "job-function/ViewOnlyAccess",
    ],
    ["attach-validator-read-only", "ReadOnlyAccess (reads every bucket)", "ReadOnlyAccess"],
  ].map(([id, what, policy]): RedTeamCase => ({
    id,
    mistake: `${what} on the validator's role`,
    project: "pipelines",
    changes: [
      inputs(
        T.attachment,
        "delius-validate-xray",
        set({ policyArn: `arn:aws:iam::aws:policy/${policy}` }),
      ),
    ],
    blockedBy: "iam-no-broad-managed-policies",
  })),
  {
    id: "kms-decrypt-other-account",
    mistake: "kms:Decrypt on * pinned to S3 but called from another account",
    project: "core",
    changes: [notifyStatement(decryptViaS3("999999999999"))],
    blockedBy: "iam-no-wildcard-resource",
  },
  {
    id: "exemption-unknown-policy",
    mistake: "an exemption tag naming a policy the pack does not have",
    project: "core",
    changes: [
      inputs(
        T.topic,
        "alerts",
        tags(policyExemptionTag("no-such-policy", "agreed with the security team")),
      ),
    ],
    blockedBy: "policy-exemption-tags-valid",
  },

  // --- New types cannot slip in unjudged
  {
    id: "unjudged-website",
    mistake: "static website hosting on the metadata bucket",
    project: "core",
    changes: [
      add(
        (p) =>
          new aws.s3.BucketWebsiteConfiguration(
            "metadata-site",
            { bucket: bucketNamed(p, "metadata"), indexDocument: { suffix: "index.html" } },
            p.opts,
          ),
      ),
    ],
    blockedBy: "every-resource-type-judged",
  },
  {
    id: "unjudged-instance",
    mistake: "a bastion EC2 instance to reach Oracle",
    project: "pipelines_base",
    changes: [
      add((p) => {
        const subnets = p.resource<aws.dms.ReplicationSubnetGroup>(
          "aws:dms/replicationSubnetGroup:ReplicationSubnetGroup",
          "replication-subnet-group",
        ).subnetIds;
        new aws.ec2.Instance(
          "bastion",
          {
            ami: "ami-0123456789abcdef0",
            instanceType: "t3.micro",
            subnetId: subnets.apply((s) => s[0]),
          },
          p.opts,
        );
      }),
    ],
    blockedBy: "every-resource-type-judged",
  },
  {
    id: "unjudged-provider",
    mistake: "an extra provider package (random) for passwords",
    project: "core",
    changes: [add(() => new AnyResource("pulumi:providers:random", "random", {}))],
    blockedBy: "every-resource-type-judged",
  },
];

/** Changes that are fine: each must plan with no mandatory violation. */
export const controls: RedTeamCase[] = [
  {
    id: "secure-bucketv2",
    mistake: "SecureBucket moved to the BucketV2 alias (secure)",
    project: "core",
    changes: ["access-logs", "raw-history", "fail", "metadata"].map((purpose) =>
      retype(T.bucket, `${purpose}-bucket`, "aws:s3/bucketV2:BucketV2"),
    ),
    blockedBy: "",
  },
  {
    id: "secret-arn-in-env",
    mistake: "ORACLE_SECRET holding a Secrets Manager ARN",
    project: "pipelines",
    changes: [
      inputs(
        T.function,
        VALIDATOR,
        environment({
          ORACLE_SECRET: `arn:aws:secretsmanager:eu-west-2:${ACCOUNT}:secret:dms/delius-prod/oracle-connection-AbC123`,
        }),
      ),
    ],
    blockedBy: "",
  },
  {
    id: "dev-single-az",
    mistake: "a single-AZ instance in dev",
    project: "pipelines",
    env: "dev",
    changes: [inputs(T.instance, INSTANCE, set({ multiAz: false }))],
    blockedBy: "",
  },
  {
    id: "named-pass-role",
    mistake: "iam:PassRole on one named role to DMS only",
    project: "core",
    changes: [
      notifyStatement({
        Effect: "Allow",
        Action: ["iam:PassRole"],
        Resource: `arn:aws:iam::${ACCOUNT}:role/dms-vpc-role`,
        Condition: { StringEquals: { "iam:PassedToService": "dms.amazonaws.com" } },
      }),
    ],
    blockedBy: "",
  },
  {
    id: "kms-grant-own-role",
    mistake: "a decrypt grant to the notifier's own role",
    project: "core",
    changes: [
      add(
        (p) =>
          new aws.kms.Grant(
            "notify-decrypt",
            {
              keyId: dataKey(p).keyId,
              granteePrincipal: notifyRole(p).arn,
              operations: ["Decrypt"],
            },
            p.opts,
          ),
      ),
    ],
    blockedBy: "",
  },
  {
    id: "dead-letter-queue",
    mistake: "an encrypted dead-letter queue with a redrive policy (issue 10's shape)",
    project: "core",
    changes: [
      add((p) => {
        const dlq = new aws.sqs.Queue(
          "sweep-dlq",
          {
            name: "dataeng-sweep-dlq-prod",
            kmsMasterKeyId: dataKey(p).arn,
            messageRetentionSeconds: 14 * 24 * 3600,
          },
          p.opts,
        );
        new aws.sqs.RedrivePolicy(
          "notify-failures-redrive",
          {
            queueUrl: undelivered(p).url,
            redrivePolicy: dlq.arn.apply((arn) =>
              JSON.stringify({ deadLetterTargetArn: arn, maxReceiveCount: 5 }),
            ),
          },
          p.opts,
        );
      }),
    ],
    blockedBy: "",
  },
  {
    id: "topic-events-this-account",
    mistake: "EventBridge may publish to alerts, from this account only",
    project: "core",
    changes: [
      inputs(
        T.topicPolicy,
        "alerts-policy",
        statements((all, { arn }) => [
          {
            Sid: "EventsPublish",
            Effect: "Allow",
            Principal: { Service: "events.amazonaws.com" },
            Action: "sns:Publish",
            Resource: arn,
            Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
          },
          ...all,
        ]),
      ),
    ],
    blockedBy: "",
  },
  {
    id: "dev-alarms-muted",
    mistake: "the same muted and action-less alarms in dev (advisory there)",
    project: "pipelines",
    env: "dev",
    changes: [mutedAlarm, alarmWithoutActions],
    blockedBy: "",
  },
  {
    id: "kms-decrypt-via-s3-this-account",
    mistake:
      "kms:Decrypt on * pinned to S3 in eu-west-2 and to this account (AWS's key-policy shape)",
    project: "core",
    changes: [notifyStatement(decryptViaS3(ACCOUNT))],
    blockedBy: "",
  },
  {
    id: "alarm-muted-exempted",
    mistake: "a muted alarm carrying a valid exemption tag with its reason",
    project: "pipelines",
    changes: [
      inputs(
        T.metricAlarm,
        "delius-task-events-failed",
        set({ actionsEnabled: false }),
        tags(
          policyExemptionTag(
            "cloudwatch-alarm-has-actions",
            "muted during the Oracle cut-over: agreed by the data engineering lead",
          ),
        ),
      ),
    ],
    blockedBy: "",
    exempted: "cloudwatch-alarm-has-actions",
  },
];
