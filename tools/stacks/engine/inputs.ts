/**
 * A resource's inputs as JSON, for `plan --json` and `diff`: every value the program registered,
 * with secrets redacted and assets replaced by what identifies their content.
 *
 * Under mocks the evaluator keeps Pulumi's wire forms (the SDK's runtime/rpc.ts
 * `deserializeProperty`, @pulumi/pulumi v3.248.0): a secret is an object whose
 * `4dabf18193072939515e22adb298388d` key (specialSigKey) is `1b47061264138c4ac30d75fd1eb44270`
 * (specialSecretSig) with the value under `value`; assets and archives are the SDK's
 * classes, marked `__pulumiAsset` / `__pulumiArchive`, whose contents are promises.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

const SPECIAL_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** What a secret becomes. Two secrets never compare as changed: the diff cannot see them. */
export const REDACTED = "[secret]";

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/**
 * Digests by path, size and modification time: the plan meets each Lambda's 2.5 MB bundle once
 * per environment, and reading and hashing it each time was a twentieth of a plan's CPU.
 */
const digests = new Map<string, Promise<string>>();

async function fileDigest(file: string): Promise<string> {
  try {
    // A missing file fails in readFile, as before, so its message names the same call.
    const stat = await fs.promises.stat(file).catch(() => fs.promises.readFile(file));
    if (!("mtimeMs" in stat)) return createHash("sha256").update(stat).digest("hex");
    const key = `${path.resolve(file)}\0${stat.size}\0${stat.mtimeMs}`;
    let digest = digests.get(key);
    if (!digest) {
      digest = fs.promises
        .readFile(file)
        .then((content) => createHash("sha256").update(content).digest("hex"));
      digests.set(key, digest);
    }
    return await digest;
  } catch (e) {
    return `unreadable: ${(e as Error).message}`;
  }
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export async function jsonValue(value: unknown): Promise<Json | undefined> {
  if (value === undefined) return undefined;
  if (value === null || typeof value === "boolean" || typeof value === "string") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : String(value);
  if (Array.isArray(value)) {
    const items = await Promise.all(value.map(jsonValue));
    return items.map((v) => (v === undefined ? null : v));
  }
  if (typeof value !== "object") return String(value);
  const o = value as Record<string, unknown>;
  if (o[SPECIAL_SIG_KEY] === SECRET_SIG) return REDACTED;
  if (o.__pulumiAsset === true) {
    if ("text" in o) return { asset: { sha256: sha256(String(await o.text)) } };
    // By content: the same file in two checkouts (diff's base and head) is the same asset.
    if ("path" in o) return { asset: { sha256: await fileDigest(String(await o.path)) } };
    if ("uri" in o) return { asset: { uri: String(await o.uri) } };
  }
  if (o.__pulumiArchive === true) {
    if ("assets" in o) {
      const assets = (await o.assets) as Record<string, unknown>;
      return { archive: (await jsonValue({ ...assets })) as Json };
    }
    if ("path" in o) return { archive: { path: String(await o.path) } };
    if ("uri" in o) return { archive: { uri: String(await o.uri) } };
  }
  const out: Record<string, Json> = {};
  for (const key of Object.keys(o).sort()) {
    const v = await jsonValue(o[key]);
    if (v !== undefined) out[key] = v;
  }
  return out;
}

/** A resource's inputs as JSON (keys sorted, unknowns left out). */
export async function jsonInputs(inputs: Record<string, unknown>): Promise<Record<string, Json>> {
  // Most resources hold no asset: converted without a promise per value (at 755 tables the
  // promises were a tenth of the plan's CPU). The result is the same as jsonValue's.
  const plain = hasAsset(inputs) ? await jsonValue(inputs) : jsonValueSync(inputs);
  return (plain ?? {}) as Record<string, Json>;
}

function hasAsset(value: unknown): boolean {
  if (typeof value !== "object" || value === null) return false;
  if (Array.isArray(value)) return value.some(hasAsset);
  const o = value as Record<string, unknown>;
  if (o[SPECIAL_SIG_KEY] === SECRET_SIG) return false;
  if (o.__pulumiAsset === true || o.__pulumiArchive === true) return true;
  return Object.values(o).some(hasAsset);
}

/** jsonValue for a value that holds no asset or archive (hasAsset is false). */
function jsonValueSync(value: unknown): Json | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value === "boolean" || typeof value === "string") return value;
  if (typeof value === "number") return Number.isFinite(value) ? value : String(value);
  if (Array.isArray(value)) return value.map((v) => jsonValueSync(v) ?? null);
  if (typeof value !== "object") return String(value);
  const o = value as Record<string, unknown>;
  if (o[SPECIAL_SIG_KEY] === SECRET_SIG) return REDACTED;
  const out: Record<string, Json> = {};
  for (const key of Object.keys(o).sort()) {
    const v = jsonValueSync(o[key]);
    if (v !== undefined) out[key] = v;
  }
  return out;
}
