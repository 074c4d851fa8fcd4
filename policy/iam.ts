/**
 * IAM: identity policies wherever they are attached or inlined (roles, users, groups, managed
 * policies), trust policies, managed-policy attachments of every form, long-lived credentials.
 */
import { type PolicyResource } from "@pulumi/policy";
import * as iam from "@pulumi/aws/iam";
import {
  accountList,
  type PackPolicy,
  type ResourceJudge,
  globMatch,
  type StackIndex,
  UNKNOWN,
  asList,
  isRecord,
  nonEmptyString,
  read,
  resourcePolicy,
  resourcePolicyForType,
  stackPolicy,
} from "./common";
import {
  ESCALATION_ACTIONS,
  PASS_ROLE_COMPANIONS,
  type Statement,
  actionAllowed,
  arnAccount,
  grants,
  isAllow,
  isBroadResource,
  isFullWildcardAction,
  parsePolicyDocument,
  pinnedToAccountAndService,
} from "./documents";
import { T } from "./types";

/** Where identity policy documents live, by type: the property, or a reader for lists. */
export const IDENTITY_POLICY_TYPES = [
  T.iamRolePolicy,
  T.iamPolicy,
  T.iamUserPolicy,
  T.iamGroupPolicy,
  T.iamRole,
] as const;

/** The identity policy documents of a resource, each with where it sits (for messages). */
function identityDocuments(
  type: string,
  props: Record<string, unknown>,
): { where: string; doc: unknown }[] {
  if (type === T.iamRole) {
    const inline = props["inlinePolicies"];
    return asList(inline as unknown)
      .filter(isRecord)
      .map((p, i) => ({
        where: ` of inline policy ${nonEmptyString(p["name"]) ? JSON.stringify(p["name"]) : i + 1}`,
        doc: p["policy"],
      }))
      .filter((d) => d.doc !== undefined);
  }
  return [{ where: "", doc: props["policy"] }];
}

/** Runs `fn` on each parsed Allow statement of every identity document of the resource. */
function eachIdentityDocument(
  type: string,
  props: Record<string, unknown>,
  judge: Pick<ResourceJudge<unknown>, "cannotJudge">,
  fn: (statements: readonly Statement[], where: string) => void,
): void {
  for (const { where, doc } of identityDocuments(type, props)) {
    const parsed = parsePolicyDocument(doc);
    if (!parsed.ok) {
      judge.cannotJudge(`${parsed.reason}${where}`);
      continue;
    }
    fn(parsed.statements.filter(isAllow), where);
  }
}

/** `s3:*Object`, `iam:*`, `*`: a wildcard at the start of the action name matches any verb. */
const leadingWildcard = (action: string) => action === "*" || /^[^:]*:[*?]/.test(action);

const wildcardAction = resourcePolicyForType<{ allowedServiceWildcards: string[] }>({
  name: "iam-no-wildcard-action",
  description:
    'An identity policy (inline or managed, of a role, user or group) allows no "*" action, no whole-service "<service>:*" action unless allowlisted, and no action whose name starts with a wildcard ("s3:*Object").',
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
  type: IDENTITY_POLICY_TYPES,
  validate: (props, judge) => {
    const allowed = judge.config.allowedServiceWildcards.map((a) => a.toLowerCase());
    eachIdentityDocument(judge.args.type, props, judge, (statements, where) => {
      for (const s of statements) {
        if (s.hasNotAction) {
          judge.fail(
            `${s.id}${where} allows NotAction, i.e. every other action`,
            "list the allowed actions with Action instead",
          );
        }
        const wild = s.actions.filter(
          (a) =>
            (isFullWildcardAction(a) || leadingWildcard(a)) && !allowed.includes(a.toLowerCase()),
        );
        if (wild.length > 0) {
          judge.fail(
            `${s.id}${where} allows the wildcard action ${wild.map((a) => JSON.stringify(a)).join(", ")}`,
            "list the specific actions the role needs",
          );
        }
      }
    });
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

const wildcardResource = resourcePolicyForType<{
  allowedActionsOnAnyResource: string[];
  accountIds: string[];
}>({
  name: "iam-no-wildcard-resource",
  description:
    'An identity policy allows actions on a wildcard resource ("*", "arn:aws:s3:::*", "role/*", any account or region) only for allowlisted read-only actions (and the X-Ray and metric writes that AWS grants only on "*"), or for KMS actions its conditions pin to one service (kms:ViaService) called from this account (kms:CallerAccount).',
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
    accountIds: accountList(
      'This account: KMS actions on Resource "*" pinned by kms:CallerAccount to it and by kms:ViaService to one service are accepted.',
    ),
  },
  type: IDENTITY_POLICY_TYPES,
  validate: (props, judge) => {
    eachIdentityDocument(judge.args.type, props, judge, (statements, where) => {
      for (const s of statements) {
        if (s.hasNotResource) {
          judge.fail(
            `${s.id}${where} allows NotResource, i.e. every other resource`,
            "list the resources with Resource instead",
          );
        }
        const broad = s.resources.filter(isBroadResource);
        if (broad.length === 0) continue;
        const bad = s.hasNotAction
          ? ["NotAction"]
          : s.actions.filter((a) => !actionAllowed(a, judge.config.allowedActionsOnAnyResource));
        if (
          bad.length > 0 &&
          !pinnedToAccountAndService(bad, s.condition, judge.config.accountIds)
        ) {
          judge.fail(
            `${s.id}${where} allows ${bad.join(", ")} on Resource ${broad.map((r) => JSON.stringify(r)).join(", ")}`,
            'scope Resource to the ARNs the role needs (only allowlisted read-only actions may use "*")',
          );
        }
      }
    });
  },
});

const escalation = resourcePolicyForType({
  name: "iam-no-privilege-escalation",
  description:
    "An identity policy grants no action that lets its holder raise its own privileges (creating policy versions, attaching or putting policies, creating keys or login profiles, editing trust), and no iam:PassRole on any role together with an action that runs code as the passed role.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Remove the IAM write actions; pass only named roles (Resource: the role ARN, with an iam:PassedToService condition).",
  type: IDENTITY_POLICY_TYPES,
  validate: (props, judge) => {
    eachIdentityDocument(judge.args.type, props, judge, (statements, where) => {
      const everything = statements.some((s) => s.hasNotAction);
      const granted = (a: string) => everything || statements.some((s) => grants(s.actions, a));
      const escalating = ESCALATION_ACTIONS.filter(granted);
      if (escalating.length > 0) {
        judge.fail(
          `its policy${where} grants ${escalating.join(", ")}, which let the holder raise its own privileges`,
          "remove these IAM write actions; privileges are changed by deploys, not at run time",
        );
      }
      const passAny = statements.some(
        (s) =>
          (s.hasNotAction || grants(s.actions, "iam:PassRole")) &&
          (s.hasNotResource || s.resources.some(isBroadResource)),
      );
      const runners = PASS_ROLE_COMPANIONS.filter(granted);
      if (passAny && runners.length > 0) {
        judge.fail(
          `its policy${where} grants iam:PassRole on any role with ${runners.join(", ")}, so the holder can run code as any role`,
          "limit iam:PassRole to the named role ARNs it must pass, with an iam:PassedToService condition",
        );
      }
    });
  },
});

const ASSUME_ACTIONS = [
  "sts:assumerole",
  "sts:assumerolewithwebidentity",
  "sts:assumerolewithsaml",
  "sts:tagsession",
  "sts:setsourceidentity",
];

const trustPolicy = resourcePolicy<
  iam.RoleArgs,
  { allowedServicePrincipals: string[]; accountIds: string[]; allowedAccountIds: string[] }
>({
  name: "iam-trust-policy-specific-principal",
  description:
    'A role\'s trust policy names a specific service or principal: no "*" principal, no NotPrincipal, sts:AssumeRole-style actions only, federated (OIDC) trust only with sub and aud conditions, and another account only from the allowlist and with sts:ExternalId.',
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
    accountIds: accountList(
      "This account (the one AWS account of all three environments): trusted as is.",
    ),
    allowedAccountIds: accountList(
      "Other accounts a role may trust, each only with an sts:ExternalId condition.",
    ),
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
      for (const provider of s.principals["Federated"] ?? []) judgeFederated(s, provider, judge);
      for (const principal of s.principals["AWS"] ?? []) {
        if (principal.includes("*")) continue;
        const account = /^\d{12}$/.test(principal) ? principal : arnAccount(principal);
        if (account !== undefined && judge.config.accountIds.includes(account)) continue;
        if (account === undefined || !judge.config.allowedAccountIds.includes(account)) {
          judge.fail(
            `${s.id} trusts ${principal} of another account, which is not in allowedAccountIds`,
            "trust a principal of this account, or add the account to allowedAccountIds in policy-config.json",
          );
        } else if (!conditionKeys(s).includes("sts:externalid")) {
          judge.fail(
            `${s.id} trusts the account ${account} without an sts:ExternalId condition`,
            'add Condition: { StringEquals: { "sts:ExternalId": "<the id agreed with that account>" } }',
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

/** Lower-cased condition keys under positive (equality or match) operators. */
function conditionKeys(s: Statement, positiveOnly = true): string[] {
  if (!s.condition) return [];
  return Object.entries(s.condition).flatMap(([op, block]) =>
    (positiveOnly && /Not|IfExists$/i.test(op)) || !isRecord(block)
      ? []
      : Object.entries(block)
          .filter(([, v]) =>
            asList(v as unknown).some((x) => typeof x === "string" && x !== "" && x !== "*"),
          )
          .map(([k]) => k.toLowerCase()),
  );
}

/** An OIDC trust must pin the audience and the subject, or any token of that issuer gets in. */
function judgeFederated(s: Statement, provider: string, judge: ResourceJudge<unknown>): void {
  const keys = conditionKeys(s);
  const issuer = provider.replace(/^arn:[^:]*:iam::\d*:oidc-provider\//, "").toLowerCase();
  const missing = ["sub", "aud"].filter(
    (k) => !keys.some((key) => key === `${issuer}:${k}` || key.endsWith(`:${k}`)),
  );
  if (missing.length > 0) {
    judge.fail(
      `${s.id} trusts the federated principal ${provider} without a ${missing.join(" or ")} condition, so any identity of that issuer may assume it`,
      `add StringEquals conditions on ${missing.map((k) => `"${issuer}:${k}"`).join(" and ")}`,
    );
  }
}

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

/**
 * AWS managed policies too broad for any role here (globs over the policy ARN, partition
 * ignored): the administrator and power-user families, every *FullAccess policy, the
 * job-function policies, account-wide read access (which reads every bucket), and the few
 * read-write or power-user policies whose names do not say FullAccess. See the AWS managed
 * policy reference: https://docs.aws.amazon.com/aws-managed-policy/latest/reference/policy-list.html
 */
export const DEFAULT_DENIED_MANAGED_POLICIES = [
  "arn:aws:iam::aws:policy/AdministratorAccess*",
  "arn:aws:iam::aws:policy/PowerUserAccess",
  "arn:aws:iam::aws:policy/*PowerUser*",
  "arn:aws:iam::aws:policy/*FullAccess*",
  "arn:aws:iam::aws:policy/job-function/*",
  // Read-everything policies (ReadOnlyAccess, AmazonS3ReadOnlyAccess, ViewOnlyAccess, ...):
  // each reads every bucket, secret or table of the account, all three environments' data.
  "arn:aws:iam::aws:policy/*ReadOnly*",
  "arn:aws:iam::aws:policy/*ViewOnly*",
  "arn:aws:iam::aws:policy/SecretsManagerReadWrite",
  "arn:aws:iam::aws:policy/IAMFullAccess",
];

/** Where managed policy ARNs are attached, by type: the property holding one ARN or a list. */
const MANAGED_POLICY_PROPERTIES: Readonly<Record<string, string>> = {
  [T.iamRolePolicyAttachment]: "policyArn",
  [T.iamPolicyAttachment]: "policyArn",
  [T.iamUserPolicyAttachment]: "policyArn",
  [T.iamGroupPolicyAttachment]: "policyArn",
  [T.iamRole]: "managedPolicyArns",
  [T.iamRolePolicyAttachmentsExclusive]: "policyArns",
  [T.iamUserPolicyAttachmentsExclusive]: "policyArns",
  [T.iamGroupPolicyAttachmentsExclusive]: "policyArns",
};

const noAdminPolicies = resourcePolicyForType<{ deniedPolicyArns: string[] }>({
  name: "iam-no-broad-managed-policies",
  description:
    "No role, user or group is given a broad AWS managed policy (administrator, power-user, *FullAccess, job-function, read-everything such as ReadOnlyAccess, AmazonS3ReadOnlyAccess or ViewOnlyAccess, ...), however it is attached.",
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
        "Managed policy ARNs (globs) that may not be attached (the partition is ignored).",
    },
  },
  type: Object.keys(MANAGED_POLICY_PROPERTIES),
  validate: (props, judge) => {
    const normal = (a: string) => a.replace(/^arn:aws[a-z-]*:/, "arn:aws:");
    const denied = judge.config.deniedPolicyArns.map(normal);
    const arns = asList(props[MANAGED_POLICY_PROPERTIES[judge.args.type]] as unknown).filter(
      nonEmptyString,
    );
    for (const arn of arns) {
      if (denied.some((d) => globMatch(d, normal(arn)))) {
        judge.fail(
          `it attaches the broad managed policy ${arn}`,
          "attach a least-privilege aws.iam.RolePolicy instead",
        );
      }
    }
  },
});

const noLongLivedCredentials = resourcePolicyForType({
  name: "iam-no-users-or-long-lived-credentials",
  description:
    "The projects create no IAM users, active access keys, login profiles or other long-lived credentials: people and services use roles.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Use a role (assumed by the service, or through SSO by people) instead of a user and its keys.",
  type: [
    T.iamUser,
    T.iamAccessKey,
    T.iamUserLoginProfile,
    T.iamServiceSpecificCredential,
    T.iamSigningCertificate,
    T.iamSshKey,
  ],
  validate: (props, judge) => {
    // A deactivated access key cannot sign requests (the one way to keep one while retiring it).
    if (judge.args.type === T.iamAccessKey && props["status"] === "Inactive") return;
    judge.fail(
      "it is a long-lived credential (IAM users and their keys are never rotated by a deploy)",
      "use a role assumed by the service instead",
    );
  },
});

export const iamPolicies: PackPolicy[] = [
  wildcardAction,
  wildcardResource,
  escalation,
  trustPolicy,
  oneWay,
  noAdminPolicies,
  noLongLivedCredentials,
];
