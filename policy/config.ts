/**
 * Reads and validates policy-config.json. The Pulumi CLI applies this file but silently ignores
 * a misspelled policy name or config key; this loader refuses them, names the file, the key and
 * the reason, and returns each policy's level and config (schema defaults applied).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { ConfigError } from "../lib/model/configError";
import { type PackPolicy, configWithDefaults } from "./common";
import { EXEMPTIONS_KEY, TOP_LEVEL_EXEMPTIONS_PROBLEM, exemptionProblems } from "./exemptions";
import { describeValue, validateJsonSchema } from "./jsonSchema";

/** Levels policy-config.json may give. "remediate" is refused: no policy here remediates. */
export const CONFIG_LEVELS = ["advisory", "mandatory", "disabled"] as const;
export type ConfigLevel = (typeof CONFIG_LEVELS)[number];

export interface PolicySettings {
  readonly enforcementLevel: ConfigLevel;
  /** The policy's config: its schema's defaults overlaid with the file's values. */
  readonly config: Readonly<Record<string, unknown>>;
  /** Whether the file names this policy (rather than it falling back on "all" or its default). */
  readonly explicit: boolean;
}

export interface LoadedPolicyConfig {
  /** The file it was read from. */
  readonly file: string;
  readonly policies: ReadonlyMap<string, PolicySettings>;
}

/** The shared config error (lib/model/configError.ts); this name is kept for the pack's callers. */
export { ConfigError as PolicyConfigError };

/** A policy-config.json that does not validate, worded for that file. */
export function policyConfigError(file: string, problems: readonly string[]): ConfigError {
  return new ConfigError(file, problems, {
    subject: "policy config",
    fix:
      `Fix ${path.basename(file)}: each key names a policy of policy/ (or "all"), each value is a level ` +
      `(${CONFIG_LEVELS.join(", ")}) or { "enforcementLevel": ..., <config keys of that policy> }.`,
  });
}

/** The repository root's policy-config.json (this file lives in <root>/policy). */
export const DEFAULT_POLICY_CONFIG_FILE = path.resolve(__dirname, "..", "policy-config.json");

function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [
    i,
    ...new Array<number>(b.length).fill(0),
  ]);
  for (let j = 1; j <= b.length; j++) d[0][j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(
        d[i - 1][j] + 1,
        d[i][j - 1] + 1,
        d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
  }
  return d[a.length][b.length];
}

/** `; did you mean "x"?` when a known name is close to the given one. */
export function suggestion(given: string, known: Iterable<string>): string {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const dist = editDistance(given.toLowerCase(), k.toLowerCase());
    if (dist < bestDistance) [best, bestDistance] = [k, dist];
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(given.length / 4))
    ? `; did you mean "${best}"?`
    : "";
}

/** `where` is how the message names the value, for example `"all"` or `"x".enforcementLevel`. */
function checkLevel(where: string, level: unknown, problems: string[]): level is ConfigLevel {
  if ((CONFIG_LEVELS as readonly unknown[]).includes(level)) return true;
  if (level === "remediate") {
    problems.push(
      `${where}: enforcement level "remediate" does nothing here, since no policy of this pack remediates; use "mandatory" or "advisory"`,
    );
  } else {
    problems.push(
      `${where}: expected an enforcement level (${CONFIG_LEVELS.join(", ")}), got ${describeValue(level)}`,
    );
  }
  return false;
}

/**
 * Validates the text of a policy config. `requireEveryPolicy` (the default) refuses a file that
 * leaves a policy unconfigured, unless it sets a level for "all".
 */
export function parsePolicyConfig(
  text: string,
  file: string,
  pack: readonly PackPolicy[],
  requireEveryPolicy = true,
): LoadedPolicyConfig {
  const problems: string[] = [];
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw policyConfigError(file, [`the file is not valid JSON: ${(e as Error).message}`]);
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw policyConfigError(file, [
      `expected a JSON object keyed by policy name, got ${describeValue(raw)}`,
    ]);
  }
  const entries = raw as Record<string, unknown>;
  const byName = new Map(pack.map((p) => [p.name, p]));

  let allLevel: ConfigLevel | undefined;
  if ("all" in entries) {
    const v = entries["all"];
    const level =
      typeof v === "object" && v !== null && !Array.isArray(v)
        ? (v as Record<string, unknown>)["enforcementLevel"]
        : v;
    if (typeof v === "object" && v !== null && !Array.isArray(v)) {
      for (const k of Object.keys(v)) {
        if (k !== "enforcementLevel")
          problems.push(`"all".${k}: "all" takes only an enforcementLevel`);
      }
    }
    if (checkLevel('"all"', level, problems)) allLevel = level;
  }

  const settings = new Map<string, PolicySettings>();
  for (const [key, value] of Object.entries(entries)) {
    if (key === "all") continue;
    const policy = byName.get(key);
    if (!policy && key === EXEMPTIONS_KEY) {
      problems.push(TOP_LEVEL_EXEMPTIONS_PROBLEM);
      continue;
    }
    if (!policy) {
      problems.push(`"${key}": not a policy of this pack${suggestion(key, byName.keys())}`);
      continue;
    }
    let level: ConfigLevel | undefined;
    let given: Record<string, unknown> = {};
    if (typeof value === "string") {
      if (checkLevel(`"${key}"`, value, problems)) level = value;
    } else if (typeof value === "object" && value !== null && !Array.isArray(value)) {
      const { enforcementLevel, ...rest } = value as Record<string, unknown>;
      if (
        enforcementLevel !== undefined &&
        checkLevel(`"${key}".enforcementLevel`, enforcementLevel, problems)
      ) {
        level = enforcementLevel;
      }
      given = rest;
      const properties = policy.configSchema?.properties ?? {};
      for (const [k, v] of Object.entries(rest)) {
        if (k === EXEMPTIONS_KEY) {
          problems.push(...exemptionProblems(key, v));
          continue;
        }
        const schema = properties[k];
        if (!schema) {
          // Exemptions are every policy's; the list names the policy's own keys.
          const known = Object.keys(properties).filter((p) => p !== EXEMPTIONS_KEY);
          problems.push(
            `"${key}".${k}: not a config key of ${key}` +
              (known.length > 0
                ? `${suggestion(k, known)} (its keys: ${known.join(", ")})`
                : " (it takes none)"),
          );
          continue;
        }
        problems.push(...validateJsonSchema(v, schema, `"${key}".${k}`));
      }
      for (const k of policy.configSchema?.required ?? []) {
        if (!(k in rest) && properties[k]?.default === undefined)
          problems.push(`"${key}".${k}: required`);
      }
    } else {
      problems.push(
        `"${key}": expected an enforcement level or an object, got ${describeValue(value)}`,
      );
      continue;
    }
    settings.set(key, {
      enforcementLevel: level ?? allLevel ?? policy.enforcementLevel,
      config: configWithDefaults(policy.configSchema, given),
      explicit: level !== undefined,
    });
  }

  for (const policy of pack) {
    if (settings.has(policy.name)) continue;
    if (requireEveryPolicy && allLevel === undefined && !(policy.name in entries)) {
      problems.push(
        `"${policy.name}": not configured; give it a level ("mandatory" for a security check, "advisory" for hygiene or cost)`,
      );
    }
    settings.set(policy.name, {
      enforcementLevel: allLevel ?? policy.enforcementLevel,
      config: configWithDefaults(policy.configSchema, {}),
      explicit: false,
    });
  }
  if (problems.length > 0) throw policyConfigError(file, problems);
  return { file, policies: settings };
}

export function readPolicyConfig(
  file: string,
  pack: readonly PackPolicy[],
  requireEveryPolicy = true,
): LoadedPolicyConfig {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    throw policyConfigError(file, [`cannot read the file: ${(e as Error).message}`]);
  }
  return parsePolicyConfig(text, file, pack, requireEveryPolicy);
}
