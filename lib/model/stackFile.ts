/**
 * Reads a stack file (Pulumi.<project>-<env>.yaml) the way the Pulumi CLI hands config to a
 * program: every value as a string, objects and lists as JSON. Secure values cannot be
 * decrypted here, so they become a placeholder and are marked secret. No Pulumi SDK imports.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseDocument } from "yaml";
import { type Environment, type Project, REPO_ROOT, stackFilePath } from "./stacks";

export const SECRET_PLACEHOLDER = "[secret]";

export interface StackConfig {
  /** The stack file, relative to the repository root. */
  readonly file: string;
  /** `namespace:key` → value, as the Pulumi CLI passes config to a program. */
  readonly values: Record<string, string>;
  /** Keys whose values were `secure:` (their values are SECRET_PLACEHOLDER). */
  readonly secretKeys: string[];
}

export class StackFileError extends Error {
  constructor(
    readonly file: string,
    detail: string,
  ) {
    super(`${file}: ${detail}`);
    this.name = "StackFileError";
  }
}

export function readStackConfig(
  project: Project,
  env: Environment,
  root: string = REPO_ROOT,
): StackConfig {
  const file = stackFilePath(project, env, root);
  const relative = path.relative(root, file);
  if (!fs.existsSync(file)) {
    throw new StackFileError(
      relative,
      `the stack file is missing; create it with at least "config:\\n  aws:region: eu-west-2"`,
    );
  }
  return parseStackFile(relative, fs.readFileSync(file, "utf8"));
}

export function parseStackFile(file: string, text: string): StackConfig {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const where = e.linePos ? ` at line ${e.linePos[0].line}, column ${e.linePos[0].col}` : "";
    throw new StackFileError(
      file,
      `not valid YAML${where}: ${e.message.split("\n")[0].replace(/ at line \d+, column \d+:?$/, "")}`,
    );
  }
  const top = doc.toJS() as unknown;
  if (top === null || top === undefined) return { file, values: {}, secretKeys: [] };
  if (!isPlainObject(top))
    throw new StackFileError(file, `expected a mapping with a "config:" section`);
  const config = top.config ?? {};
  if (!isPlainObject(config)) {
    throw new StackFileError(file, `"config:" must be a mapping of <namespace>:<key> to values`);
  }
  const values: Record<string, string> = {};
  const secretKeys: string[] = [];
  for (const [key, raw] of Object.entries(config)) {
    if (!/^[A-Za-z0-9_.-]+:[A-Za-z0-9_.:-]+$/.test(key)) {
      throw new StackFileError(
        file,
        `config key "${key}" has no namespace; write it as <project>:${key} (or aws:${key} for the provider)`,
      );
    }
    if (raw === null || raw === undefined) {
      throw new StackFileError(
        file,
        `config key "${key}" has no value; give it one or remove the key`,
      );
    }
    let secret = false;
    const decoded = replaceSecure(raw, () => (secret = true));
    if (secret) secretKeys.push(key);
    values[key] =
      typeof decoded === "object" && decoded !== null ? JSON.stringify(decoded) : String(decoded);
  }
  return { file, values, secretKeys };
}

function replaceSecure(value: unknown, onSecret: () => void): unknown {
  if (isPlainObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 1 && keys[0] === "secure") {
      onSecret();
      return SECRET_PLACEHOLDER;
    }
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, replaceSecure(v, onSecret)]),
    );
  }
  if (Array.isArray(value)) return value.map((v) => replaceSecure(v, onSecret));
  return value;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
