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

/** An Allow statement that lets anyone in (principal `*`) with no condition to narrow it. */
export function publicAllowStatements(statements: readonly Statement[]): Statement[] {
  return statements.filter(
    (s) => isAllow(s) && (s.anyPrincipal || s.hasNotPrincipal) && !hasCondition(s),
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
