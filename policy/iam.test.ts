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

// AWS's key-policy shape (KMS Developer Guide, "AWS KMS condition keys", kms:ViaService and
// kms:CallerAccount): Resource "*" pinned to this account and one service is no wildcard.
const viaS3 = (
  condition: object,
  Action: string | string[] = ["kms:Decrypt", "kms:GenerateDataKey"],
) => doc({ Sid: "ViaS3", Effect: "Allow", Action, Resource: "*", Condition: condition });
const pinned = {
  StringEquals: {
    "kms:ViaService": "s3.eu-west-2.amazonaws.com",
    "kms:CallerAccount": "123456789012",
  },
};
const pinnedRefusal = (actions: string) =>
  `${rolePolicy}: statement "ViaS3" allows ${actions} on Resource "*". Fix: scope Resource to the ARNs the role needs (only allowlisted read-only actions may use "*").`;
describeResourcePolicy(policy("iam-no-wildcard-resource"), T.iamRolePolicy, [
  {
    title: "KMS on * pinned to this account and one service",
    props: { role: "r", policy: viaS3(pinned) },
    config: { accountIds: ["123456789012"] },
    messages: [],
  },
  {
    title: "pinned, but to another account",
    props: {
      role: "r",
      policy: viaS3({
        StringEquals: {
          "kms:ViaService": "s3.eu-west-2.amazonaws.com",
          "kms:CallerAccount": "999999999999",
        },
      }),
    },
    config: { accountIds: ["123456789012"] },
    messages: [pinnedRefusal("kms:Decrypt, kms:GenerateDataKey")],
  },
  {
    title: "only kms:ViaService",
    props: {
      role: "r",
      policy: viaS3({ StringEquals: { "kms:ViaService": "s3.eu-west-2.amazonaws.com" } }),
    },
    config: { accountIds: ["123456789012"] },
    messages: [pinnedRefusal("kms:Decrypt, kms:GenerateDataKey")],
  },
  {
    title: "only kms:CallerAccount",
    props: { role: "r", policy: viaS3({ StringEquals: { "kms:CallerAccount": "123456789012" } }) },
    config: { accountIds: ["123456789012"] },
    messages: [pinnedRefusal("kms:Decrypt, kms:GenerateDataKey")],
  },
  {
    title: "pinned with StringLike to every service",
    props: {
      role: "r",
      policy: viaS3({
        StringLike: { "kms:ViaService": "*.amazonaws.com" },
        StringEquals: { "kms:CallerAccount": "123456789012" },
      }),
    },
    config: { accountIds: ["123456789012"] },
    messages: [pinnedRefusal("kms:Decrypt, kms:GenerateDataKey")],
  },
  {
    title: "pinned, but with a non-KMS action the KMS keys do not restrict",
    props: { role: "r", policy: viaS3(pinned, ["kms:Decrypt", "s3:GetObject"]) },
    config: { accountIds: ["123456789012"] },
    messages: [pinnedRefusal("kms:Decrypt, s3:GetObject")],
  },
  {
    title: "pinned, but no account configured as this one",
    props: { role: "r", policy: viaS3(pinned) },
    messages: [pinnedRefusal("kms:Decrypt, kms:GenerateDataKey")],
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

// Every place an identity policy can live is judged by the same policies.
describeResourcePolicy(policy("iam-no-wildcard-action"), T.iamRole, [
  {
    title: "inline policies that list their actions",
    props: {
      assumeRolePolicy: "{}",
      inlinePolicies: [{ name: "read", policy: doc(readOwnBucket) }],
    },
    messages: [],
  },
  {
    title: "an inline policy with a leading-wildcard action",
    props: {
      assumeRolePolicy: "{}",
      inlinePolicies: [
        { name: "objects", policy: doc({ ...readOwnBucket, Action: ["s3:*Object"] }) },
      ],
    },
    messages: [
      `${T.iamRole} "subject": statement "Read" of inline policy "objects" allows the wildcard action "s3:*Object". Fix: list the specific actions the role needs.`,
    ],
  },
]);

describeResourcePolicy(policy("iam-no-wildcard-resource"), T.iamPolicy, [
  { title: "one bucket's objects", props: { policy: doc(readOwnBucket) }, messages: [] },
  {
    title: "every bucket",
    props: { policy: doc({ ...readOwnBucket, Resource: "arn:aws:s3:::*" }) },
    messages: [
      `${T.iamPolicy} "subject": statement "Read" allows s3:GetObject on Resource "arn:aws:s3:::*". Fix: scope Resource to the ARNs the role needs (only allowlisted read-only actions may use "*").`,
    ],
  },
  {
    title: "every secret of the account",
    props: {
      policy: doc({
        Effect: "Allow",
        Action: "secretsmanager:GetSecretValue",
        Resource: "arn:aws:secretsmanager:eu-west-2:123456789012:secret:*",
      }),
    },
    messages: [
      `${T.iamPolicy} "subject": statement 1 allows secretsmanager:GetSecretValue on Resource "arn:aws:secretsmanager:eu-west-2:123456789012:secret:*". Fix: scope Resource to the ARNs the role needs (only allowlisted read-only actions may use "*").`,
    ],
  },
]);

describeResourcePolicy(policy("iam-no-privilege-escalation"), T.iamUserPolicy, [
  {
    title: "passing one named role to DMS",
    props: {
      policy: doc({
        Effect: "Allow",
        Action: ["iam:PassRole", "dms:CreateReplicationInstance"],
        Resource: "arn:aws:iam::123456789012:role/dms-vpc-role",
      }),
    },
    messages: [],
  },
  {
    title: "iam:PassRole on any role with lambda:CreateFunction, and iam:*PolicyVersion",
    props: {
      policy: doc(
        {
          Effect: "Allow",
          Action: ["iam:PassRole", "lambda:CreateFunction"],
          Resource: "arn:aws:iam::123456789012:role/*",
        },
        {
          Effect: "Allow",
          Action: ["iam:*PolicyVersion"],
          Resource: "arn:aws:iam::123456789012:policy/p",
        },
      ),
    },
    messages: [
      `${T.iamUserPolicy} "subject": its policy grants iam:CreatePolicyVersion, iam:SetDefaultPolicyVersion, which let the holder raise its own privileges. Fix: remove these IAM write actions; privileges are changed by deploys, not at run time.`,
      `${T.iamUserPolicy} "subject": its policy grants iam:PassRole on any role with lambda:CreateFunction, so the holder can run code as any role. Fix: limit iam:PassRole to the named role ARNs it must pass, with an iam:PassedToService condition.`,
    ],
  },
]);

describeResourcePolicy(policy("iam-no-broad-managed-policies"), T.iamRole, [
  {
    title: "a narrow AWS managed policy",
    props: { managedPolicyArns: ["arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess"] },
    messages: [],
  },
  {
    title: "a *FullAccess and a job-function policy",
    props: {
      managedPolicyArns: [
        "arn:aws:iam::aws:policy/AWSLambda_FullAccess",
        "arn:aws:iam::aws:policy/job-function/DatabaseAdministrator",
      ],
    },
    messages: [
      `${T.iamRole} "subject": it attaches the broad managed policy arn:aws:iam::aws:policy/AWSLambda_FullAccess. Fix: attach a least-privilege aws.iam.RolePolicy instead.`,
      `${T.iamRole} "subject": it attaches the broad managed policy arn:aws:iam::aws:policy/job-function/DatabaseAdministrator. Fix: attach a least-privilege aws.iam.RolePolicy instead.`,
    ],
  },
  {
    title: "read-everything AWS managed policies",
    props: {
      managedPolicyArns: [
        "arn:aws:iam::aws:policy/ReadOnlyAccess",
        "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
        "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess",
        "arn:aws:iam::aws:policy/AWSXRayDaemonWriteAccess",
      ],
    },
    messages: [
      `${T.iamRole} "subject": it attaches the broad managed policy arn:aws:iam::aws:policy/ReadOnlyAccess. Fix: attach a least-privilege aws.iam.RolePolicy instead.`,
      `${T.iamRole} "subject": it attaches the broad managed policy arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess. Fix: attach a least-privilege aws.iam.RolePolicy instead.`,
      `${T.iamRole} "subject": it attaches the broad managed policy arn:aws:iam::aws:policy/job-function/ViewOnlyAccess. Fix: attach a least-privilege aws.iam.RolePolicy instead.`,
    ],
  },
]);

describeResourcePolicy(policy("iam-no-users-or-long-lived-credentials"), T.iamAccessKey, [
  { title: "a deactivated key", props: { user: "ci", status: "Inactive" }, messages: [] },
  {
    title: "an access key",
    props: { user: "ci" },
    messages: [
      `${T.iamAccessKey} "subject": it is a long-lived credential (IAM users and their keys are never rotated by a deploy). Fix: use a role assumed by the service instead.`,
    ],
  },
]);
