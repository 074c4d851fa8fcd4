/**
 * A small JSON Schema validator for the subset that the policies' config schemas use. The
 * Pulumi CLI validates policy config against the same schemas but silently ignores unknown keys;
 * config.ts uses this to refuse them too. `unsupportedKeywords` lets a test prove that no schema
 * relies on a keyword this validator would silently skip.
 */
import { type PolicyConfigJSONSchema } from "@pulumi/policy/schema";

type Schema = PolicyConfigJSONSchema | boolean;

export const SUPPORTED_KEYWORDS: ReadonlySet<string> = new Set([
  "type",
  "enum",
  "const",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "multipleOf",
  "minLength",
  "maxLength",
  "pattern",
  "format",
  "items",
  "minItems",
  "maxItems",
  "uniqueItems",
  "properties",
  "required",
  "additionalProperties",
  "description",
  "default",
]);

/** The only `format` supported: a JavaScript regular expression. */
export const SUPPORTED_FORMATS: ReadonlySet<string> = new Set(["regex"]);

export function describeValue(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "an array";
  if (typeof v === "object") return "an object";
  return `${typeof v} ${JSON.stringify(v)}`;
}

function typeMatches(type: string, v: unknown): boolean {
  switch (type) {
    case "string":
      return typeof v === "string";
    case "number":
      return typeof v === "number" && Number.isFinite(v);
    case "integer":
      return typeof v === "number" && Number.isInteger(v);
    case "boolean":
      return typeof v === "boolean";
    case "array":
      return Array.isArray(v);
    case "object":
      return typeof v === "object" && v !== null && !Array.isArray(v);
    case "null":
      return v === null;
    default:
      return false;
  }
}

const deepEqual = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Validates `value` against `schema`; returns problems as `<path>: <reason>`. */
export function validateJsonSchema(value: unknown, schema: Schema, path: string): string[] {
  if (schema === true) return [];
  if (schema === false) return [`${path}: no value is allowed here`];
  const problems: string[] = [];
  const fail = (reason: string) => problems.push(`${path}: ${reason}`);

  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? schema.type : [schema.type];
    if (!types.some((t) => typeMatches(t, value))) {
      fail(`expected ${types.join(" or ")}, got ${describeValue(value)}`);
      return problems;
    }
  }
  if (schema.enum !== undefined && !schema.enum.some((e) => deepEqual(e, value))) {
    fail(
      `expected one of ${schema.enum.map((e) => JSON.stringify(e)).join(", ")}, got ${describeValue(value)}`,
    );
  }
  if (schema.const !== undefined && !deepEqual(schema.const, value)) {
    fail(`expected ${JSON.stringify(schema.const)}, got ${describeValue(value)}`);
  }
  if (typeof value === "number") {
    if (schema.minimum !== undefined && value < schema.minimum)
      fail(`expected at least ${schema.minimum}, got ${value}`);
    if (schema.maximum !== undefined && value > schema.maximum)
      fail(`expected at most ${schema.maximum}, got ${value}`);
    if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum) {
      fail(`expected more than ${schema.exclusiveMinimum}, got ${value}`);
    }
    if (schema.exclusiveMaximum !== undefined && value >= schema.exclusiveMaximum) {
      fail(`expected less than ${schema.exclusiveMaximum}, got ${value}`);
    }
    if (schema.multipleOf !== undefined && value % schema.multipleOf !== 0) {
      fail(`expected a multiple of ${schema.multipleOf}, got ${value}`);
    }
  }
  if (typeof value === "string") {
    if (schema.minLength !== undefined && value.length < schema.minLength) {
      fail(
        `expected at least ${schema.minLength} character${schema.minLength === 1 ? "" : "s"}, got ${JSON.stringify(value)}`,
      );
    }
    if (schema.maxLength !== undefined && value.length > schema.maxLength) {
      fail(`expected at most ${schema.maxLength} characters, got ${value.length}`);
    }
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, "u").test(value)) {
      fail(`expected a string matching /${schema.pattern}/, got ${JSON.stringify(value)}`);
    }
    if (schema.format === "regex") {
      try {
        new RegExp(value);
      } catch (e) {
        fail(`expected a regular expression: ${(e as Error).message}`);
      }
    }
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) {
      fail(
        `expected at least ${schema.minItems} item${schema.minItems === 1 ? "" : "s"}, got ${value.length}`,
      );
    }
    if (schema.maxItems !== undefined && value.length > schema.maxItems) {
      fail(`expected at most ${schema.maxItems} items, got ${value.length}`);
    }
    if (schema.uniqueItems) {
      const seen = new Set<string>();
      for (const item of value) {
        const key = JSON.stringify(item);
        if (seen.has(key)) fail(`expected unique items, ${key} appears more than once`);
        seen.add(key);
      }
    }
    if (schema.items !== undefined && !Array.isArray(schema.items)) {
      const items = schema.items;
      value.forEach((item, i) =>
        problems.push(...validateJsonSchema(item, items, `${path}[${i}]`)),
      );
    }
  }
  if (typeMatches("object", value)) {
    const obj = value as Record<string, unknown>;
    for (const key of schema.required ?? []) {
      if (!(key in obj)) fail(`the key "${key}" is required`);
    }
    for (const [key, v] of Object.entries(obj)) {
      const prop = schema.properties?.[key];
      if (prop !== undefined) problems.push(...validateJsonSchema(v, prop, `${path}.${key}`));
      else if (schema.additionalProperties !== undefined) {
        problems.push(...validateJsonSchema(v, schema.additionalProperties, `${path}.${key}`));
      }
    }
  }
  return problems;
}

/** Keywords (and formats) in `schema` that validateJsonSchema does not implement. */
export function unsupportedKeywords(schema: Schema, path: string): string[] {
  if (typeof schema === "boolean") return [];
  const found: string[] = [];
  for (const [key, v] of Object.entries(schema)) {
    if (!SUPPORTED_KEYWORDS.has(key)) found.push(`${path}: keyword "${key}"`);
    if (key === "format" && !SUPPORTED_FORMATS.has(String(v)))
      found.push(`${path}: format "${String(v)}"`);
  }
  if (schema.items !== undefined) {
    const items = Array.isArray(schema.items) ? schema.items : [schema.items];
    items.forEach((s, i) =>
      found.push(
        ...unsupportedKeywords(s, `${path}.items${Array.isArray(schema.items) ? `[${i}]` : ""}`),
      ),
    );
  }
  for (const [k, s] of Object.entries(schema.properties ?? {}))
    found.push(...unsupportedKeywords(s, `${path}.${k}`));
  if (schema.additionalProperties !== undefined) {
    found.push(...unsupportedKeywords(schema.additionalProperties, `${path}.additionalProperties`));
  }
  return found;
}
