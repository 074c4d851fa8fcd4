/**
 * Reads a project's stack config in one place and validates it with a zod schema, so that a
 * missing or ill-typed value stops the program with the stack file, the key and what was
 * expected, instead of failing deep inside a resource.
 */
import { z } from "zod";

/** Pulumi hands every config value over as a string; these parse the common shapes. */
export const configNumber = (what = "a number") =>
  z.preprocess(
    (v) => (typeof v === "string" && v.trim() !== "" && !Number.isNaN(Number(v)) ? Number(v) : v),
    z.number({ error: `expected ${what}` }),
  );

export const configInteger = (min: number, max: number) =>
  configNumber(`a whole number from ${min} to ${max}`).pipe(
    z
      .number()
      .int({ error: `expected a whole number from ${min} to ${max}` })
      .min(min, { error: `expected a whole number from ${min} to ${max}` })
      .max(max, { error: `expected a whole number from ${min} to ${max}` }),
  );

export const configBoolean = () =>
  z.preprocess(
    (v) => (v === "true" ? true : v === "false" ? false : v),
    z.boolean({ error: "expected true or false" }),
  );

/** A JSON list or object in the stack file arrives as a JSON string. */
export const configJson = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => {
    if (typeof v !== "string") return v;
    try {
      return JSON.parse(v);
    } catch {
      return v;
    }
  }, schema);

export const configString = (what = "a non-empty string") =>
  z.string({ error: `expected ${what}` }).min(1, { error: `expected ${what}` });

import { ConfigError } from "../model/configError";
export { ConfigError };

/**
 * Validates the config of one project namespace. `all` is every config value of the stack,
 * keyed `namespace:key` as Pulumi gives them. Keys of the namespace that the schema does not
 * know are errors too, since a misspelled key would otherwise be silently ignored.
 */
export function parseProjectConfig<S extends z.ZodRawShape>(
  namespace: string,
  shape: S,
  all: Record<string, string>,
  stackFile: string,
): z.infer<z.ZodObject<S>> {
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [fullKey, value] of Object.entries(all)) {
    const [ns, key] = splitKey(fullKey);
    if (ns !== namespace) continue;
    if (key in shape) values[key] = value;
    else {
      const known = Object.keys(shape).map((k) => `${namespace}:${k}`);
      problems.push(
        `${namespace}:${key}: unknown key; ` +
          (known.length > 0
            ? `the keys of ${namespace} are ${known.join(", ")}`
            : `${namespace} has no config keys of its own: remove it`),
      );
    }
  }
  const result = z.object(shape).safeParse(values);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const key = `${namespace}:${issue.path.map(String).join(".")}`;
      const value = valueAt(values, issue.path);
      problems.push(
        value === undefined
          ? `${key}: missing; ${issue.message}`
          : `${key}: ${issue.message}, got ${shown(value)}`,
      );
    }
  }
  if (problems.length > 0) throw new ConfigError(stackFile, problems);
  return (result as { data: z.infer<z.ZodObject<S>> }).data;
}

/** Config values are text in the stack file: show them as written. */
function shown(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

function splitKey(fullKey: string): [string, string] {
  const i = fullKey.indexOf(":");
  return i < 0 ? ["", fullKey] : [fullKey.slice(0, i), fullKey.slice(i + 1)];
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v = root;
  for (const p of path) {
    if (typeof v === "string") {
      try {
        v = JSON.parse(v);
      } catch {
        return v;
      }
    }
    v = v && typeof v === "object" ? (v as Record<PropertyKey, unknown>)[p] : undefined;
  }
  return v;
}

/** The retention periods CloudWatch Logs accepts. */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
  3653,
] as const;

export const configLogRetentionDays = () =>
  configNumber().pipe(
    z.number().refine((d) => (LOG_RETENTION_DAYS as readonly number[]).includes(d), {
      error: `expected one of the retention periods CloudWatch Logs accepts: ${LOG_RETENTION_DAYS.join(", ")}`,
    }),
  );

/**
 * The keys of one section of a project's parsed config: a program reads its whole namespace
 * with one schema and hands each part of its components only the section it is about.
 */
export function configSection<S extends z.ZodRawShape>(
  config: z.infer<z.ZodObject<S>>,
  section: S,
): z.infer<z.ZodObject<S>> {
  return Object.fromEntries(
    Object.keys(section)
      .filter((key) => key in config)
      .map((key) => [key, (config as Record<string, unknown>)[key]]),
  ) as z.infer<z.ZodObject<S>>;
}
