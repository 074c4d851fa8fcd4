/**
 * IAM-style policy documents (IAM policies, trust policies, bucket, key and topic policies),
 * normalised so that policies can ask simple questions of them. A document arrives as a JSON
 * string (what the programs pass) or as an object.
 */
import { type ResourceJudge, asList, globMatch, isRecord, parseMaybeJson } from "./common";

export interface Statement {
  readonly sid?: string;
  readonly effect: string;
  /** `Principal: "*"` or `{ AWS: "*" }`: anyone. */
  readonly anyPrincipal: boolean;
  /** Principal values by kind (`AWS`, `Service`, `Federated`, `CanonicalUser`). */
  readonly principals: Readonly<Record<string, readonly string[]>>;
  readonly hasNotPrincipal: boolean;
  readonly actions: readonly string[];
  readonly hasNotAction: boolean;
  readonly resources: readonly string[];
  readonly hasNotResource: boolean;
  readonly condition: Readonly<Record<string, unknown>> | undefined;
  /** `Sid` or the statement's position, for messages. */
  readonly id: string;
}

export type ParsedDocument =
  | { readonly ok: true; readonly statements: readonly Statement[] }
  | { readonly ok: false; readonly reason: string };

const strings = (v: unknown): string[] =>
  asList(v as unknown).filter((x): x is string => typeof x === "string");

export function parsePolicyDocument(value: unknown): ParsedDocument {
  if (value === undefined || value === null || value === "") {
    return { ok: false, reason: "the policy document is empty" };
  }
  const parsed = parseMaybeJson(value);
  if (!parsed.ok) return { ok: false, reason: `the policy document: ${parsed.reason}` };
  const doc = parsed.value;
  if (!isRecord(doc)) return { ok: false, reason: "the policy document is not a JSON object" };
  const raw = doc["Statement"];
  if (raw === undefined) return { ok: false, reason: "the policy document has no Statement" };
  const list = asList(raw as unknown);
  const statements: Statement[] = [];
  for (const [i, s] of list.entries()) {
    if (!isRecord(s)) return { ok: false, reason: `statement ${i + 1} is not an object` };
    const principal = s["Principal"];
    const principals: Record<string, string[]> = {};
    if (isRecord(principal)) {
      for (const [kind, v] of Object.entries(principal)) principals[kind] = strings(v);
    }
    const anyPrincipal = principal === "*" || (principals["AWS"] ?? []).includes("*");
    const sid = typeof s["Sid"] === "string" && s["Sid"] !== "" ? s["Sid"] : undefined;
    statements.push({
      sid,
      effect: typeof s["Effect"] === "string" ? s["Effect"] : "",
      anyPrincipal,
      principals,
      hasNotPrincipal: s["NotPrincipal"] !== undefined,
      actions: strings(s["Action"]),
      hasNotAction: s["NotAction"] !== undefined,
      resources: strings(s["Resource"]),
      hasNotResource: s["NotResource"] !== undefined,
      condition: isRecord(s["Condition"]) ? s["Condition"] : undefined,
      id: sid ? `statement "${sid}"` : `statement ${i + 1}`,
    });
  }
  return { ok: true, statements };
}

export const isAllow = (s: Statement) => s.effect === "Allow";

/** Has at least one condition operator with at least one key. */
export const hasCondition = (s: Statement) =>
  s.condition !== undefined &&
  Object.values(s.condition).some((block) => isRecord(block) && Object.keys(block).length > 0);

/**
 * An Allow statement that lets anyone in (principal `*`) without a condition that restricts
 * the caller to some account, organisation, source or network: a condition such as
 * aws:SecureTransport, a wildcard ARN or a negated operator narrows nothing.
 */
export function publicAllowStatements(statements: readonly Statement[]): Statement[] {
  return statements.filter(
    (s) =>
      isAllow(s) && (s.anyPrincipal || s.hasNotPrincipal) && !restrictsToTrusted(s, ANY_ACCOUNT),
  );
}

/**
 * Judges a resource policy (bucket, topic, queue or key policy): each statement that lets
 * anyone in without a condition fails with `fix`; `where` follows the statement's id in the
 * message (for example " of its key policy").
 */
export function judgeNoPublicAccess(
  policy: unknown,
  judge: Pick<ResourceJudge<unknown>, "fail" | "cannotJudge">,
  fix: string,
  where = "",
): void {
  const doc = parsePolicyDocument(policy);
  if (!doc.ok) return judge.cannotJudge(doc.reason);
  for (const s of publicAllowStatements(doc.statements)) {
    judge.fail(
      `${s.id}${where} allows ${s.actions.join(", ") || "actions"} to every principal (*) without a condition`,
      fix,
    );
  }
}

/** `*`, `*:*` or `service:*`: every action (of a service). */
export function isFullWildcardAction(action: string): boolean {
  return action === "*" || /^[a-z0-9-]+:\*$/i.test(action) || action === "*:*";
}

/** True when some allowlist glob covers the action (which may itself hold wildcards). */
export function actionAllowed(action: string, allowlist: readonly string[]): boolean {
  return allowlist.some((pattern) => globMatch(pattern, action));
}

// ------------------------------------------------------------------------------------------
// Who a statement lets in, and whether its condition really narrows that down

/** Accounts and organisations that count as "ours" when a policy lets a principal in. */
export interface Trusted {
  /** This account (the one account that holds all three environments) and allowlisted ones. */
  readonly accountIds: readonly string[];
  readonly organizationIds: readonly string[];
  /** Any one account or organisation counts (for checks that only ask "is it public?"). */
  readonly anyAccount?: boolean;
}

/** Any named account, organisation or source restricts the caller: the "public" question. */
export const ANY_ACCOUNT: Trusted = { accountIds: [], organizationIds: [], anyAccount: true };

const allowedAccount = (account: string, trusted: Trusted) =>
  trusted.anyAccount ? /^\d{12}$/.test(account) : trusted.accountIds.includes(account);

/** Condition keys whose value names the caller's account, organisation or source. */
const ACCOUNT_KEYS = [
  "kms:calleraccount",
  "aws:sourceaccount",
  "aws:principalaccount",
  "aws:sourceowner",
  "aws:resourceaccount",
];
const ORG_KEYS = ["aws:principalorgid", "aws:sourceorgid", "aws:resourceorgid"];
const ARN_KEYS = ["aws:sourcearn", "aws:principalarn"];
const NETWORK_KEYS = ["aws:sourcevpc", "aws:sourcevpce"];
/** Operators that require the key to equal (or match) the value; negated and IfExists forms do not. */
const POSITIVE_OPERATOR =
  /^(ForAnyValue:|ForAllValues:)?(StringEquals|StringEqualsIgnoreCase|StringLike|ArnEquals|ArnLike)$/i;

/** The account field of an ARN, or undefined when the value is not an ARN. */
export function arnAccount(arn: string): string | undefined {
  const parts = arn.split(":");
  return parts[0] === "arn" && parts.length >= 6 ? parts[4] : undefined;
}

/** The region field of an ARN, or undefined when the value is not an ARN. */
export function arnRegion(arn: string): string | undefined {
  const parts = arn.split(":");
  return parts[0] === "arn" && parts.length >= 6 ? parts[3] : undefined;
}

/** An ARN or account ID of an allowed account (no wildcard in the account field). */
function ourAccountValue(value: string, trusted: Trusted): boolean {
  if (/^\d{12}$/.test(value)) return allowedAccount(value, trusted);
  const account = arnAccount(value);
  return account !== undefined && allowedAccount(account, trusted);
}

/**
 * An ARN that ties the caller to one of our accounts (account field allowed, no wildcard), or,
 * for S3 bucket ARNs, which carry no account, to a named bucket (bucket names are unique).
 */
function ourSourceArn(value: string, trusted: Trusted): boolean {
  const parts = value.split(":");
  if (parts[0] !== "arn" || parts.length < 6) return false;
  if (parts[4] === "")
    return (
      parts[2] === "s3" && !/[*?]/.test(parts.slice(5).join(":").split("/")[0]) && parts[5] !== ""
    );
  return allowedAccount(parts[4], trusted);
}

/**
 * True when the condition restricts the caller to an allowed account, organisation, source ARN
 * or network. A condition that restricts nothing (aws:SecureTransport, a wildcard ARN, a
 * negated or IfExists operator, another account) does not count.
 */
export function restrictsToTrusted(s: Statement, trusted: Trusted): boolean {
  if (!s.condition) return false;
  for (const [operator, block] of Object.entries(s.condition)) {
    if (!POSITIVE_OPERATOR.test(operator) || !isRecord(block)) continue;
    for (const [rawKey, raw] of Object.entries(block)) {
      const key = rawKey.toLowerCase();
      const values = strings(raw);
      if (values.length === 0) continue;
      const all = (ok: (v: string) => boolean) => values.every(ok);
      if (ACCOUNT_KEYS.includes(key) && all((v) => ourAccountValue(v, trusted))) return true;
      if (
        ORG_KEYS.includes(key) &&
        all((v) =>
          trusted.anyAccount ? /^o-[a-z0-9]+$/.test(v) : trusted.organizationIds.includes(v),
        )
      )
        return true;
      if (
        (ARN_KEYS.includes(key) || key.startsWith("kms:encryptioncontext:")) &&
        all((v) => ourSourceArn(v, trusted))
      )
        return true;
      if (NETWORK_KEYS.includes(key) && all((v) => /^vpce?-[0-9a-f]+$/.test(v))) return true;
    }
  }
  return false;
}

/** `s3.eu-west-2.amazonaws.com`: one service in one region, no wildcard. */
const ONE_SERVICE_ENDPOINT = /^[a-z0-9-]+\.[a-z]{2}(-[a-z]+)+-[0-9]\.amazonaws\.com$/;

/**
 * True when a statement on Resource "*" grants only KMS actions and its conditions pin them to
 * one service of one region (kms:ViaService) called from one of `accountIds`
 * (kms:CallerAccount), both with StringEquals: the shape of AWS's own key policies, "Allow
 * access through <service> for all principals in the account" (AWS KMS Developer Guide,
 * "AWS KMS condition keys", kms:ViaService and kms:CallerAccount:
 * https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html). The key is then
 * usable only as that service's encryption of this account's data. StringLike, IfExists,
 * ForAnyValue, several services or another account do not count.
 */
export function pinnedToAccountAndService(
  actions: readonly string[],
  condition: Statement["condition"],
  accountIds: readonly string[],
): boolean {
  if (actions.length === 0 || !actions.every((a) => /^kms:/i.test(a))) return false;
  if (!condition) return false;
  const equals: Record<string, string[]> = {};
  for (const [operator, block] of Object.entries(condition)) {
    if (operator !== "StringEquals" || !isRecord(block)) continue;
    for (const [key, raw] of Object.entries(block)) equals[key.toLowerCase()] = strings(raw);
  }
  const services = equals["kms:viaservice"] ?? [];
  const callers = equals["kms:calleraccount"] ?? [];
  return (
    services.length === 1 &&
    ONE_SERVICE_ENDPOINT.test(services[0]) &&
    callers.length > 0 &&
    callers.every((a) => accountIds.includes(a))
  );
}

/** Why a statement's principal is not one of ours, or undefined when it is. */
export function foreignPrincipal(
  s: Statement,
  trusted: Trusted,
  where: "resource" | "trust",
): string | undefined {
  if (s.hasNotPrincipal) return "NotPrincipal (everyone else)";
  if (s.anyPrincipal) return 'every principal ("*")';
  for (const value of s.principals["AWS"] ?? []) {
    if (value.includes("*")) return `the wildcard principal ${value}`;
    if (!ourAccountValue(value, trusted)) return `the principal ${value} of another account`;
  }
  if ((s.principals["CanonicalUser"] ?? []).length > 0) return "a canonical user (another account)";
  if (where === "resource" && (s.principals["Federated"] ?? []).length > 0)
    return `the federated principal ${s.principals["Federated"]!.join(", ")}`;
  if (where === "resource" && (s.principals["Service"] ?? []).length > 0)
    return `the service ${s.principals["Service"]!.join(", ")} on behalf of any account`;
  return undefined;
}

// ------------------------------------------------------------------------------------------
// Actions and resources

/** An action pattern with a wildcard (`*`, `s3:*`, `s3:*Object`, `iam:Put?olePolicy`). */
export const hasWildcard = (action: string) => /[*?]/.test(action);

/**
 * A resource that covers a whole service, account or resource type rather than named
 * resources: `*`, `arn:aws:s3:::*`, `arn:aws:iam::123456789012:role/*`, a wildcard region or account.
 */
export function isBroadResource(resource: string): boolean {
  if (resource === "*" || resource === "arn:*") return true;
  const parts = resource.split(":");
  if (parts[0] !== "arn" || parts.length < 6) return /^[*?]/.test(resource);
  if (/[*?]/.test(parts[1]) || /[*?]/.test(parts[2]) || parts[4].includes("*")) return true;
  const rest = parts.slice(5).join(":");
  // An S3 ARN's resource starts with the bucket name: "b/*" is one bucket's objects.
  if (parts[2] === "s3") return /^([*?]|$)/.test(rest);
  // "*", "role/*", "secret:*", "key/*", "function:*", "*/*": every resource (of a type).
  return /^([A-Za-z0-9_.-]+[/:])?[*?]+(\/[*?]*)?$/.test(rest) || /^[*?]/.test(rest);
}

/**
 * Actions that let a principal raise its own privileges (Rhino Security Labs' list of IAM
 * privilege-escalation methods, https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/).
 */
export const ESCALATION_ACTIONS = [
  "iam:CreatePolicyVersion",
  "iam:SetDefaultPolicyVersion",
  "iam:CreateAccessKey",
  "iam:CreateLoginProfile",
  "iam:UpdateLoginProfile",
  "iam:AttachUserPolicy",
  "iam:AttachGroupPolicy",
  "iam:AttachRolePolicy",
  "iam:PutUserPolicy",
  "iam:PutGroupPolicy",
  "iam:PutRolePolicy",
  "iam:AddUserToGroup",
  "iam:UpdateAssumeRolePolicy",
  "iam:CreatePolicy",
  "iam:CreateRole",
];

/** Actions that, with iam:PassRole on any role, run code as a role of the caller's choice. */
export const PASS_ROLE_COMPANIONS = [
  "lambda:CreateFunction",
  "lambda:UpdateFunctionConfiguration",
  "ec2:RunInstances",
  "glue:CreateDevEndpoint",
  "glue:CreateJob",
  "glue:UpdateJob",
  "cloudformation:CreateStack",
  "cloudformation:UpdateStack",
  "datapipeline:CreatePipeline",
  "ecs:RunTask",
  "ecs:RegisterTaskDefinition",
  "sagemaker:CreateNotebookInstance",
  "codebuild:CreateProject",
  "dms:CreateReplicationInstance",
  "states:CreateStateMachine",
  "scheduler:CreateSchedule",
  "events:PutTargets",
];

/** True when some statement action (which may hold wildcards) grants `action`. */
export function grants(statementActions: readonly string[], action: string): boolean {
  return statementActions.some((a) => globMatch(a, action));
}
