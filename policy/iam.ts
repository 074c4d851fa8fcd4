/** IAM: role trust policies, inline role policies, managed-policy attachments. */
import { type PolicyResource } from "@pulumi/policy";
import * as iam from "@pulumi/aws/iam";
import {
  type PackPolicy,
  type StackIndex,
  UNKNOWN,
  nonEmptyString,
  read,
  resourcePolicy,
  stackPolicy,
} from "./common";
import { actionAllowed, isAllow, isFullWildcardAction, parsePolicyDocument } from "./documents";
import { T } from "./types";

const wildcardAction = resourcePolicy<iam.RolePolicyArgs, { allowedServiceWildcards: string[] }>({
  name: "iam-no-wildcard-action",
  description:
    'An inline role policy allows no "*" action, and no whole-service "<service>:*" action unless allowlisted.',
  enforcementLevel: "mandatory",
  remediationSteps:
    'List the actions the role needs (for example "s3:GetObject"), not "*" or "s3:*".',
  config: {
    allowedServiceWildcards: {
      type: "array",
      items: { type: "string", pattern: "^[a-z0-9-]+:\\*$" },
      uniqueItems: true,
      default: [],
      description: 'Whole-service wildcards such as "xray:*" that may be allowed anyway.',
    },
  },
  resource: iam.RolePolicy,
  validate: (props, judge) => {
    const doc = parsePolicyDocument(props.policy);
    if (!doc.ok) return judge.cannotJudge(doc.reason);
    const allowed = judge.config.allowedServiceWildcards.map((a) => a.toLowerCase());
    for (const s of doc.statements.filter(isAllow)) {
      if (s.hasNotAction) {
        judge.fail(
          `${s.id} allows NotAction, i.e. every other action`,
          "list the allowed actions with Action instead",
        );
      }
      const wild = s.actions.filter(
        (a) => isFullWildcardAction(a) && !allowed.includes(a.toLowerCase()),
      );
      if (wild.length > 0) {
        judge.fail(
          `${s.id} allows the wildcard action ${wild.map((a) => JSON.stringify(a)).join(", ")}`,
          "list the specific actions the role needs",
        );
      }
    }
  },
});

/** Read-only actions (and the few writes AWS grants only on "*") that may use Resource "*". */
export const DEFAULT_ANY_RESOURCE_ACTIONS = [
  "ec2:Describe*",
  "logs:DescribeLogGroups",
  "s3:ListAllMyBuckets",
  "kms:ListAliases",
  "kms:ListKeys",
  "secretsmanager:ListSecrets",
  "glue:GetDatabases",
  "dms:Describe*",
  "cloudwatch:DescribeAlarms",
  "cloudwatch:GetMetricData",
  "cloudwatch:ListMetrics",
  "cloudwatch:PutMetricData",
  "sts:GetCallerIdentity",
  "xray:PutTraceSegments",
  "xray:PutTelemetryRecords",
  "xray:GetSamplingRules",
  "xray:GetSamplingTargets",
];

const wildcardResource = resourcePolicy<
  iam.RolePolicyArgs,
  { allowedActionsOnAnyResource: string[] }
>({
  name: "iam-no-wildcard-resource",
  description:
    'An inline role policy allows actions on Resource "*" only for allowlisted read-only actions (and the X-Ray and metric writes that AWS grants only on "*").',
  enforcementLevel: "mandatory",
  remediationSteps:
    "Scope Resource to the ARNs the role uses, or move a genuinely account-wide read-only action to the allowlist in policy-config.json.",
  config: {
    allowedActionsOnAnyResource: {
      type: "array",
      items: { type: "string", pattern: "^[A-Za-z0-9-]+:[A-Za-z0-9*?]+$" },
      uniqueItems: true,
      default: DEFAULT_ANY_RESOURCE_ACTIONS,
      description: 'Actions (globs allowed) that may be granted on Resource "*".',
    },
  },
  resource: iam.RolePolicy,
  validate: (props, judge) => {
    const doc = parsePolicyDocument(props.policy);
    if (!doc.ok) return judge.cannotJudge(doc.reason);
    for (const s of doc.statements.filter(isAllow)) {
      if (s.hasNotResource) {
        judge.fail(
          `${s.id} allows NotResource, i.e. every other resource`,
          "list the resources with Resource instead",
        );
      }
      if (!s.resources.includes("*")) continue;
      const bad = s.hasNotAction
        ? ["NotAction"]
        : s.actions.filter((a) => !actionAllowed(a, judge.config.allowedActionsOnAnyResource));
      if (bad.length > 0) {
        judge.fail(
          `${s.id} allows ${bad.join(", ")} on Resource "*"`,
          'scope Resource to the ARNs the role needs (only allowlisted read-only actions may use "*")',
        );
      }
    }
  },
});

const ASSUME_ACTIONS = [
  "sts:assumerole",
  "sts:assumerolewithwebidentity",
  "sts:assumerolewithsaml",
  "sts:tagsession",
  "sts:setsourceidentity",
];

const trustPolicy = resourcePolicy<iam.RoleArgs, { allowedServicePrincipals: string[] }>({
  name: "iam-trust-policy-specific-principal",
  description:
    'A role\'s trust policy names a specific service or principal: no "*" principal, no NotPrincipal, and sts:AssumeRole-style actions only.',
  enforcementLevel: "mandatory",
  remediationSteps:
    'Trust exactly one named principal, for example Principal: { Service: "lambda.amazonaws.com" }, with Action "sts:AssumeRole".',
  config: {
    allowedServicePrincipals: {
      type: "array",
      items: { type: "string", pattern: "^[a-z0-9.-]+\\.amazonaws\\.com$" },
      uniqueItems: true,
      default: [],
      description: "If not empty, the only service principals a role may trust.",
    },
  },
  resource: iam.Role,
  validate: (props, judge) => {
    const doc = parsePolicyDocument(props.assumeRolePolicy);
    if (!doc.ok) return judge.cannotJudge(doc.reason);
    const fix =
      'trust one named principal, for example Principal: { Service: "lambda.amazonaws.com" }';
    for (const s of doc.statements.filter(isAllow)) {
      if (s.hasNotPrincipal)
        judge.fail(`${s.id} uses NotPrincipal, which trusts everyone else`, fix);
      const values = Object.values(s.principals).flat();
      if (s.anyPrincipal || values.some((v) => v.includes("*"))) {
        judge.fail(`${s.id} trusts a wildcard principal`, fix);
      } else if (!s.hasNotPrincipal && values.length === 0) {
        judge.fail(`${s.id} names no principal`, fix);
      }
      const allowed = judge.config.allowedServicePrincipals;
      for (const service of s.principals["Service"] ?? []) {
        if (allowed.length > 0 && !allowed.includes(service)) {
          judge.fail(
            `${s.id} trusts the service ${service}, which is not in allowedServicePrincipals`,
            "trust an allowed service, or add it to the list in policy-config.json",
          );
        }
      }
      const badActions = s.actions.filter((a) => !ASSUME_ACTIONS.includes(a.toLowerCase()));
      if (s.hasNotAction || badActions.length > 0) {
        judge.fail(
          `${s.id} allows ${s.hasNotAction ? "NotAction" : badActions.join(", ")} in a trust policy`,
          'allow only "sts:AssumeRole" (or its web-identity/SAML forms)',
        );
      }
    }
  },
});

/** The stack's role that a RolePolicy/RolePolicyAttachment names (by dependency or name). */
function roleOf(stack: StackIndex, roles: readonly PolicyResource[], r: PolicyResource) {
  return stack.referenced(r, "role", roles, ["name", "id"])[0];
}

const oneWay = stackPolicy({
  name: "iam-role-policies-managed-one-way",
  description:
    "A role's policies are managed one way only: not with the role's inlinePolicies/managedPolicyArns and separate RolePolicy/RolePolicyAttachment resources at once, and no policy twice. Otherwise each update silently removes what the other added.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Remove inlinePolicies and managedPolicyArns from the role and keep one aws.iam.RolePolicy / aws.iam.RolePolicyAttachment per policy.",
  resourceTypes: [T.iamRole, T.iamRolePolicy, T.iamRolePolicyAttachment],
  validate: (judge) => {
    const roles = judge.stack.ofType(T.iamRole);
    const inline = judge.stack.ofType(T.iamRolePolicy);
    const attachments = judge.stack.ofType(T.iamRolePolicyAttachment, T.iamPolicyAttachment);
    const exclusive = judge.stack.ofType(
      T.iamRolePoliciesExclusive,
      T.iamRolePolicyAttachmentsExclusive,
    );
    const group = (list: PolicyResource[]) => {
      const m = new Map<PolicyResource, PolicyResource[]>();
      for (const r of list) {
        const role = roleOf(judge.stack, roles, r);
        if (role) m.set(role, [...(m.get(role) ?? []), r]);
      }
      return m;
    };
    const inlineByRole = group(inline);
    const attachByRole = group(attachments.filter((a) => a.type === T.iamRolePolicyAttachment));
    const exclusiveByRole = new Map<PolicyResource, PolicyResource[]>();
    for (const e of exclusive) {
      const role = judge.stack.referenced(e, "roleName", roles, ["name", "id"])[0];
      if (role) exclusiveByRole.set(role, [...(exclusiveByRole.get(role) ?? []), e]);
    }
    const nonEmpty = (v: unknown) =>
      v !== undefined && v !== null && v !== UNKNOWN && !(Array.isArray(v) && v.length === 0);
    judge.each(roles, (role) => {
      const roleInline = read(role.props, "inlinePolicies");
      const roleManaged = read(role.props, "managedPolicyArns");
      const separateInline = inlineByRole.get(role) ?? [];
      const separateAttach = attachByRole.get(role) ?? [];
      if (nonEmpty(roleInline) && separateInline.length > 0) {
        judge.fail(
          role,
          `it sets inlinePolicies and is also given aws:iam/rolePolicy ${separateInline.map((p) => `"${p.name}"`).join(", ")}`,
          "remove inlinePolicies from the role and keep the aws.iam.RolePolicy resources",
        );
      }
      if (nonEmpty(roleManaged) && separateAttach.length > 0) {
        judge.fail(
          role,
          `it sets managedPolicyArns and is also given aws:iam/rolePolicyAttachment ${separateAttach.map((p) => `"${p.name}"`).join(", ")}`,
          "remove managedPolicyArns from the role and keep the aws.iam.RolePolicyAttachment resources",
        );
      }
      if (
        (nonEmpty(roleInline) || nonEmpty(roleManaged)) &&
        (exclusiveByRole.get(role) ?? []).length > 0
      ) {
        judge.fail(
          role,
          "it sets inlinePolicies/managedPolicyArns and is also managed by an exclusive-policies resource",
          "manage its policies in one way only",
        );
      }
      const seen = new Map<string, string>();
      for (const a of separateAttach) {
        const arn = read(a.props, "policyArn");
        if (!nonEmptyString(arn)) continue;
        const first = seen.get(arn);
        if (first)
          judge.fail(
            role,
            `${arn} is attached twice, by "${first}" and "${a.name}"`,
            "keep one aws.iam.RolePolicyAttachment per managed policy",
          );
        else seen.set(arn, a.name);
      }
      const names = new Map<string, string>();
      for (const p of separateInline) {
        const name = read(p.props, "name");
        if (!nonEmptyString(name)) continue;
        const first = names.get(name);
        if (first)
          judge.fail(
            role,
            `the inline policy name ${name} is used by "${first}" and "${p.name}", which overwrite each other`,
            "give each aws.iam.RolePolicy its own name",
          );
        else names.set(name, p.name);
      }
    });
  },
});

export const DEFAULT_DENIED_MANAGED_POLICIES = [
  "arn:aws:iam::aws:policy/AdministratorAccess",
  "arn:aws:iam::aws:policy/PowerUserAccess",
  "arn:aws:iam::aws:policy/IAMFullAccess",
  "arn:aws:iam::aws:policy/AmazonS3FullAccess",
  "arn:aws:iam::aws:policy/AWSKeyManagementServicePowerUser",
  "arn:aws:iam::aws:policy/SecretsManagerReadWrite",
];

const noAdminPolicies = resourcePolicy<
  iam.RolePolicyAttachmentArgs,
  { deniedPolicyArns: string[] }
>({
  name: "iam-no-broad-managed-policies",
  description:
    "No role is given a broad AWS managed policy (AdministratorAccess, PowerUserAccess, full S3 or IAM access, ...).",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Replace the managed policy with an aws.iam.RolePolicy that lists the actions and resources the role needs.",
  config: {
    deniedPolicyArns: {
      type: "array",
      items: { type: "string", pattern: "^arn:aws[a-z-]*:iam::" },
      uniqueItems: true,
      default: DEFAULT_DENIED_MANAGED_POLICIES,
      description:
        "Managed policy ARNs that may not be attached to a role (the partition is ignored).",
    },
  },
  resource: iam.RolePolicyAttachment,
  validate: (props, judge) => {
    const arn = props.policyArn;
    const normal = (a: string) => a.replace(/^arn:aws[a-z-]*:/, "arn:aws:");
    if (judge.config.deniedPolicyArns.map(normal).includes(normal(arn))) {
      judge.fail(
        `it attaches the broad managed policy ${arn}`,
        "attach a least-privilege aws.iam.RolePolicy instead",
      );
    }
  },
});

export const iamPolicies: PackPolicy[] = [
  wildcardAction,
  wildcardResource,
  trustPolicy,
  oneWay,
  noAdminPolicies,
];
