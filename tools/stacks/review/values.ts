/**
 * Changed inputs as values, not just paths: each change as `path: before → after`, compact
 * enough for a terminal line and a pull-request comment.
 *
 * - JSON held in a string (a policy, the DMS task's settings and table mappings, a metadata
 *   object's content) is compared parsed, key by key, so a one-key change is one line.
 * - Arrays are compared item by item: by a name the items carry (`rule-name`, `name`, `key`,
 *   ...) when every item has a distinct one, else by their order (a longest common subsequence),
 *   so an inserted item is one `+` line rather than every later item changed.
 * - Secrets stay masked: plan --json already writes a Pulumi secret as `[secret]`
 *   (tools/stacks/inputs.ts REDACTED); a `secure:` value of a stack file is masked the same way.
 * - Long text and large values are elided with their length.
 */
import { REDACTED } from "../engine/inputs";

/** Pulumi's wire form of a secret (specialSigKey, specialSecretSig: SDK runtime/rpc.ts), should one reach here. */
const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** One changed value; `before`/`after` are absent when the value was added/removed. */
export interface ValueChange {
  /** Where, e.g. `replicationTaskSettings.TargetMetadata.LobMaxSize`, `content.columns{TIER}`. */
  readonly path: string;
  readonly before?: string;
  readonly after?: string;
}

/** Longest rendered value before it is elided. */
export const MAX_VALUE_LENGTH = 120;

export const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

/** A JSON object or array held as a string (as many AWS inputs are), parsed; else undefined. */
export function parsedJson(v: unknown): unknown {
  if (typeof v !== "string" || !/^\s*[[{]/.test(v)) return undefined;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return undefined;
  }
}

/** `a.b` or `a["key with-dashes"]`: how an input path is written. */
export const keyPath = (prefix: string, key: string) =>
  /^[A-Za-z_$][\w$]*$/.test(key)
    ? prefix === ""
      ? key
      : `${prefix}.${key}`
    : `${prefix}[${JSON.stringify(key)}]`;

/** Keys that name an item of an array, in the order they are tried. */
const ITEM_KEYS = ["rule-name", "name", "table", "key", "Id", "Sid", "id"];

/** The key whose string value is present and distinct in every item of both arrays, if any. */
function identityKey(a: readonly unknown[], b: readonly unknown[]): string | undefined {
  return ITEM_KEYS.find((k) =>
    [a, b].every((items) => {
      const names = items.map((i) => (isObject(i) ? i[k] : undefined));
      return names.every((n) => typeof n === "string") && new Set(names).size === names.length;
    }),
  );
}

/** Index pairs of a longest common subsequence of equal items. */
function commonItems(a: readonly string[], b: readonly string[]): [number, number][] {
  const n = a.length;
  const m = b.length;
  const len: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--)
    for (let j = m - 1; j >= 0; j--)
      len[i][j] = a[i] === b[j] ? len[i + 1][j + 1] + 1 : Math.max(len[i + 1][j], len[i][j + 1]);
  const pairs: [number, number][] = [];
  for (let i = 0, j = 0; i < n && j < m;) {
    if (a[i] === b[j]) {
      pairs.push([i, j]);
      i++;
      j++;
    } else if (len[i + 1][j] >= len[i][j + 1]) i++;
    else j++;
  }
  return pairs;
}

/** The raw changes between two values: path, and the values (undefined = absent). */
export function rawChanges(
  a: unknown,
  b: unknown,
  prefix = "",
): { path: string; before: unknown; after: unknown }[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return [];
  const pa = parsedJson(a);
  const pb = parsedJson(b);
  if (pa !== undefined && pb !== undefined) return rawChanges(pa, pb, prefix);
  const here = prefix === "" ? "(value)" : prefix;
  if (a === undefined || b === undefined) return [{ path: here, before: a, after: b }];
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    return keys.flatMap((k) => rawChanges(a[k], b[k], keyPath(prefix, k)));
  }
  if (Array.isArray(a) && Array.isArray(b)) return arrayChanges(a, b, prefix);
  return [{ path: here, before: a, after: b }];
}

function arrayChanges(a: unknown[], b: unknown[], prefix: string) {
  const id = identityKey(a, b);
  if (id !== undefined) {
    const name = (i: unknown) => (i as Record<string, string>)[id];
    const before = new Map(a.map((i) => [name(i), i]));
    const after = new Map(b.map((i) => [name(i), i]));
    const at = (n: string) => `${prefix}{${n}}`;
    return [
      ...a
        .filter((i) => !after.has(name(i)))
        .map((i) => ({ path: at(name(i)), before: i, after: undefined })),
      ...b.flatMap((i) =>
        before.has(name(i))
          ? rawChanges(before.get(name(i)), i, at(name(i)))
          : [{ path: at(name(i)), before: undefined, after: i }],
      ),
    ];
  }
  if (a.length === b.length)
    return a.flatMap((item, i) => rawChanges(item, b[i], `${prefix}[${i}]`));
  // Items kept in order are unchanged; of the rest, those at the same place are changed in place.
  const pairs = commonItems(
    a.map((i) => JSON.stringify(i)),
    b.map((i) => JSON.stringify(i)),
  );
  const out: { path: string; before: unknown; after: unknown }[] = [];
  let i = 0;
  let j = 0;
  for (const [pi, pj] of [...pairs, [a.length, b.length] as [number, number]]) {
    const gone = a.slice(i, pi);
    const come = b.slice(j, pj);
    const both = Math.min(gone.length, come.length);
    for (let k = 0; k < both; k++) out.push(...rawChanges(gone[k], come[k], `${prefix}[${j + k}]`));
    for (let k = both; k < gone.length; k++)
      out.push({ path: `${prefix}[${i + k}]`, before: gone[k], after: undefined });
    for (let k = both; k < come.length; k++)
      out.push({ path: `${prefix}[${j + k}]`, before: undefined, after: come[k] });
    i = pi + 1;
    j = pj + 1;
  }
  return out;
}

/** A value as one short line: JSON, secrets masked, long text and large values elided. */
export function compactValue(value: unknown, max = MAX_VALUE_LENGTH): string {
  const masked = mask(value);
  if (typeof masked === "string" && masked.includes("\n")) {
    const lines = masked.split("\n").length;
    return `(text, ${lines} lines, ${masked.length} characters)`;
  }
  const text = JSON.stringify(masked) ?? "undefined";
  if (text.length <= max) return text;
  if (typeof masked === "string")
    return `${JSON.stringify(masked.slice(0, max - 30))}… (${masked.length} characters)`;
  const size = Array.isArray(masked)
    ? `${masked.length} items`
    : isObject(masked)
      ? `${Object.keys(masked).length} keys`
      : `${text.length} characters`;
  return `${text.slice(0, max - 20)}… (${size})`;
}

/** `[secret]` for a Pulumi secret (already redacted by plan --json) or a `secure:` value. */
function mask(value: unknown): unknown {
  if (typeof value === "string")
    return value === REDACTED || value.startsWith("secure:") ? REDACTED : value;
  if (Array.isArray(value)) return value.map(mask);
  if (isObject(value)) {
    if (Object.keys(value).length === 1 && "secure" in value) return REDACTED; // a stack file's `secure:` key
    if (value[SECRET_SIG_KEY] === SECRET_SIG) return REDACTED; // a secret in Pulumi's wire form
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mask(v)]));
  }
  return value;
}

/** The changes between two input sets, each value compact and masked. */
export function valueChanges(before: unknown, after: unknown): ValueChange[] {
  return rawChanges(before, after).map((c) => ({
    path: c.path,
    ...(c.before !== undefined ? { before: compactValue(c.before) } : {}),
    ...(c.after !== undefined ? { after: compactValue(c.after) } : {}),
  }));
}

/** `path: before → after`, `path: + after` (added) or `path: - before` (removed). */
export function formatValueChange(c: ValueChange): string {
  if (c.before === undefined) return `${c.path}: + ${c.after ?? ""}`;
  if (c.after === undefined) return `${c.path}: - ${c.before}`;
  return `${c.path}: ${c.before} → ${c.after}`;
}
