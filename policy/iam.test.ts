import { iamPolicies } from "./iam";
import {
  type HandResource,
  describeResourcePolicy,
  describeStackPolicy,
  policyNamed,
} from "./testing";
import { T } from "./types";

const policy = (name: string) => policyNamed(iamPolicies, name);
const doc = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });
const rolePolicy = `${T.iamRolePolicy} "subject"`;
const readOwnBucket = {
  Sid: "Read",
  Effect: "Allow",
  Action: ["s3:GetObject"],
  Resource: "arn:aws:s3:::b/*",
};

describeResourcePolicy(policy("iam-no-wildcard-action"), T.iamRolePolicy, [
  {
    title: "specific actions",
    props: {
      role: "r",
      policy: doc(readOwnBucket, {
        Effect: "Allow",
        Action: "s3:Get*",
        Resource: "arn:aws:s3:::b/*",
      }),
    },
    messages: [],
  },
  {
    title: "a Deny with s3:* is fine",
    props: { role: "r", policy: doc({ Effect: "Deny", Action: "s3:*", Resource: "*" }) },
    messages: [],
  },
  {
    title: '"*" and "s3:*"',
    props: {
      role: "r",
      policy: doc({
        Sid: "All",
        Effect: "Allow",
        Action: ["*", "s3:*", "s3:GetObject"],
        Resource: "arn:aws:s3:::b",
      }),
    },
    messages: [
      `${rolePolicy}: statement "All" allows the wildcard action "*", "s3:*". Fix: list the specific actions the role needs.`,
    ],
  },
  {
    title: "NotAction",
    props: {
      role: "r",
      policy: doc({ Effect: "Allow", NotAction: "iam:*", Resource: "arn:aws:s3:::b" }),
    },
    messages: [
      `${rolePolicy}: statement 1 allows NotAction, i.e. every other action. Fix: list the allowed actions with Action instead.`,
    ],
  },
  {
    title: "an allowlisted service wildcard",
    props: {
      role: "r",
      policy: doc({ Effect: "Allow", Action: "xray:*", Resource: "arn:aws:xray:*" }),
    },
    config: { allowedServiceWildcards: ["xray:*"] },
    messages: [],
  },
]);

describeResourcePolicy(policy("iam-no-wildcard-resource"), T.iamRolePolicy, [
  { title: "scoped resources", props: { role: "r", policy: doc(readOwnBucket) }, messages: [] },
  {
    title: "allowlisted read-only actions on *",
    props: {
      role: "r",
      policy: doc({
        Effect: "Allow",
        Action: ["ec2:DescribeSubnets", "xray:PutTraceSegments", "ec2:Describe*"],
        Resource: "*",
      }),
    },
    messages: [],
  },
  {
    title: "a write on *",
    props: {
      role: "r",
      policy: doc({
        Sid: "Writes",
        Effect: "Allow",
        Action: ["s3:PutObject", "ec2:DescribeVpcs"],
        Resource: "*",
      }),
    },
    messages: [
      `${rolePolicy}: statement "Writes" allows s3:PutObject on Resource "*". Fix: scope Resource to the ARNs the role needs (only allowlisted read-only actions may use "*").`,
    ],
  },
  {
    title: "a wildcard broader than the allowlist",
    props: { role: "r", policy: doc({ Effect: "Allow", Action: "ec2:*", Resource: ["*"] }) },
    messages: [/statement 1 allows ec2:\* on Resource "\*"/],
  },
  {
    title: "NotResource",
    props: {
      role: "r",
      policy: doc({
        Effect: "Allow",
        Action: "s3:GetObject",
        NotResource: "arn:aws:s3:::secret/*",
      }),
    },
    messages: [/statement 1 allows NotResource, i\.e\. every other resource/],
  },
]);

const role = `${T.iamRole} "subject"`;
const trust = (statement: object) =>
  doc({ Effect: "Allow", Action: "sts:AssumeRole", ...statement });
describeResourcePolicy(policy("iam-trust-policy-specific-principal"), T.iamRole, [
  {
    title: "one service",
    props: { assumeRolePolicy: trust({ Principal: { Service: "lambda.amazonaws.com" } }) },
    messages: [],
  },
  {
    title: "one account's role",
    props: { assumeRolePolicy: trust({ Principal: { AWS: "arn:aws:iam::111122223333:role/ci" } }) },
    config: { accountIds: ["111122223333"] },
    messages: [],
  },
  {
    title: "another account, not allowlisted",
    props: { assumeRolePolicy: trust({ Principal: { AWS: "arn:aws:iam::999999999999:root" } }) },
    config: { accountIds: ["111122223333"] },
    messages: [
      `${role}: statement 1 trusts arn:aws:iam::999999999999:root of another account, which is not in allowedAccountIds. Fix: trust a principal of this account, or add the account to allowedAccountIds in policy-config.json.`,
    ],
  },
  {
    title: "an allowlisted account without ExternalId",
    props: { assumeRolePolicy: trust({ Principal: { AWS: "arn:aws:iam::999999999999:root" } }) },
    config: { accountIds: ["111122223333"], allowedAccountIds: ["999999999999"] },
    messages: [
      `${role}: statement 1 trusts the account 999999999999 without an sts:ExternalId condition. Fix: add Condition: { StringEquals: { "sts:ExternalId": "<the id agreed with that account>" } }.`,
    ],
  },
  {
    title: "an allowlisted account with ExternalId",
    props: {
      assumeRolePolicy: trust({
        Principal: { AWS: "arn:aws:iam::999999999999:root" },
        Condition: { StringEquals: { "sts:ExternalId": "x-1" } },
      }),
    },
    config: { accountIds: ["111122223333"], allowedAccountIds: ["999999999999"] },
    messages: [],
  },
  {
    title: "GitHub OIDC without sub",
    props: {
      assumeRolePolicy: trust({
        Principal: {
          Federated: "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com",
        },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" },
        },
      }),
    },
    messages: [
      `${role}: statement 1 trusts the federated principal arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com without a sub condition, so any identity of that issuer may assume it. Fix: add StringEquals conditions on "token.actions.githubusercontent.com:sub".`,
    ],
  },
  {
    title: "GitHub OIDC pinned to one repository",
    props: {
      assumeRolePolicy: trust({
        Principal: {
          Federated: "arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com",
        },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: {
          StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" },
          StringLike: { "token.actions.githubusercontent.com:sub": "repo:org/repo:*" },
        },
      }),
    },
    messages: [],
  },
  {
    title: "anyone",
    props: { assumeRolePolicy: trust({ Principal: { AWS: "*" } }) },
    messages: [
      `${role}: statement 1 trusts a wildcard principal. Fix: trust one named principal, for example Principal: { Service: "lambda.amazonaws.com" }.`,
    ],
  },
  {
    title: "a wildcard service and sts:*",
    props: {
      assumeRolePolicy: doc({
        Effect: "Allow",
        Principal: { Service: "*.amazonaws.com" },
        Action: "sts:*",
      }),
    },
    messages: [
      /statement 1 trusts a wildcard principal/,
      `${role}: statement 1 allows sts:* in a trust policy. Fix: allow only "sts:AssumeRole" (or its web-identity/SAML forms).`,
    ],
  },
  {
    title: "a service outside the configured list",
    props: { assumeRolePolicy: trust({ Principal: { Service: "ec2.amazonaws.com" } }) },
    config: { allowedServicePrincipals: ["lambda.amazonaws.com", "dms.amazonaws.com"] },
    messages: [/trusts the service ec2\.amazonaws\.com, which is not in allowedServicePrincipals/],
  },
]);

const roleRes = (name: string, props: Record<string, unknown> = {}): HandResource => ({
  type: T.iamRole,
  name,
  props: { name: `dataeng-${name}`, assumeRolePolicy: "{}", ...props },
});
const inline = (name: string, of: string, props: Record<string, unknown> = {}): HandResource => ({
  type: T.iamRolePolicy,
  name,
  props: { role: `dataeng-${of}`, policy: "{}", ...props },
  propertyDependencies: { role: [of] },
});
const attach = (name: string, of: string, policyArn: string): HandResource => ({
  type: T.iamRolePolicyAttachment,
  name,
  props: { role: `dataeng-${of}`, policyArn },
  propertyDependencies: { role: [of] },
});
const XRAY = "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess";
describeStackPolicy(policy("iam-role-policies-managed-one-way"), [
  {
    title: "separate resources only",
    resources: [
      roleRes("notify"),
      inline("notify-policy", "notify"),
      attach("notify-xray", "notify", XRAY),
    ],
    messages: [],
  },
  {
    title: "the role's own arguments only",
    resources: [roleRes("notify", { managedPolicyArns: [XRAY] })],
    messages: [],
  },
  {
    title: "managedPolicyArns and an attachment",
    resources: [
      roleRes("notify", { managedPolicyArns: [XRAY] }),
      attach("notify-xray", "notify", XRAY),
    ],
    messages: [
      `${T.iamRole} "notify": it sets managedPolicyArns and is also given aws:iam/rolePolicyAttachment "notify-xray". Fix: remove managedPolicyArns from the role and keep the aws.iam.RolePolicyAttachment resources.`,
    ],
  },
  {
    title: "inlinePolicies and a RolePolicy, linked by name",
    resources: [
      roleRes("notify", { inlinePolicies: [{ name: "x", policy: "{}" }] }),
      {
        type: T.iamRolePolicy,
        name: "notify-policy",
        props: { role: "dataeng-notify", policy: "{}" },
      },
    ],
    messages: [
      /"notify": it sets inlinePolicies and is also given aws:iam\/rolePolicy "notify-policy"/,
    ],
  },
  {
    title: "the same managed policy twice",
    resources: [roleRes("notify"), attach("a", "notify", XRAY), attach("b", "notify", XRAY)],
    messages: [
      `${T.iamRole} "notify": ${XRAY} is attached twice, by "a" and "b". Fix: keep one aws.iam.RolePolicyAttachment per managed policy.`,
    ],
  },
  {
    title: "two inline policies with one name",
    resources: [
      roleRes("notify"),
      inline("a", "notify", { name: "p" }),
      inline("b", "notify", { name: "p" }),
    ],
    messages: [/the inline policy name p is used by "a" and "b", which overwrite each other/],
  },
]);

describeResourcePolicy(policy("iam-no-broad-managed-policies"), T.iamRolePolicyAttachment, [
  {
    title: "an AWS service-role policy",
    props: {
      role: "dms-vpc-role",
      policyArn: "arn:aws:iam::aws:policy/service-role/AmazonDMSVPCManagementRole",
    },
    messages: [],
  },
  {
    title: "AdministratorAccess",
    props: { role: "r", policyArn: "arn:aws:iam::aws:policy/AdministratorAccess" },
    messages: [
      `${T.iamRolePolicyAttachment} "subject": it attaches the broad managed policy arn:aws:iam::aws:policy/AdministratorAccess. Fix: attach a least-privilege aws.iam.RolePolicy instead.`,
    ],
  },
  {
    title: "in another partition",
    props: { role: "r", policyArn: "arn:aws-us-gov:iam::aws:policy/PowerUserAccess" },
    messages: [/broad managed policy/],
  },
]);
