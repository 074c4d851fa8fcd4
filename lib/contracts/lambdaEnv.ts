/**
 * A Lambda's environment as a contract: one zod schema that the program uses to build the
 * variables (buildEnvironment: every key, values of any kind, so Pulumi Inputs pass through)
 * and the Lambda uses to parse them (parseEnvironment: every problem at once).
 */
import { z } from "zod";
import { ENVIRONMENTS, isEnvironment, type Environment } from "../model/stacks";

/** A Lambda's environment variables are missing or wrong: every problem at once, and where to fix them. */
export class EnvironmentError extends Error {
  constructor(
    functionName: string,
    readonly problems: readonly string[],
    whereSet: string,
  ) {
    super(
      `The ${functionName} function's environment variables are wrong:\n` +
        problems.map((p) => `  - ${p}`).join("\n") +
        `\nSet them on the Lambda (${whereSet}).`,
    );
    this.name = "EnvironmentError";
  }
}

export type Env = Readonly<Record<string, string | undefined>>;

export interface LambdaEnvironment<S extends z.ZodType<object>> {
  /** As in the error: "The <functionName> function's environment variables are wrong". */
  readonly functionName: string;
  /** Where the program sets the variables, for the error. */
  readonly whereSet: string;
  readonly schema: S;
}

/** A variable that must be set and not blank; its value trimmed. */
export const requiredVar = (name: string, expected: string) => {
  const error = `${name} is not set; expected ${expected}`;
  return z.string({ error }).trim().min(1, { error });
};

/** A variable that may be unset; blank counts as unset, the value trimmed. */
export const optionalVar = () =>
  z
    .string()
    .optional()
    .transform((v) => v?.trim() || undefined);

/** ENVIRONMENT: dev, preprod or prod (the stack's environment). */
export const environmentVar = () => {
  const error = (issue: { input?: unknown }) =>
    `ENVIRONMENT is ${JSON.stringify(issue.input ?? null)}; expected one of ${ENVIRONMENTS.join(", ")}`;
  return z
    .string({ error })
    .refine((v) => isEnvironment(v.trim()), { error })
    .transform((v) => v.trim() as Environment);
};

/** Parses `env`; a bad environment throws an EnvironmentError naming every problem. */
export function parseEnvironment<S extends z.ZodType<object>>(
  contract: LambdaEnvironment<S>,
  env: Env,
): z.output<S> {
  const result = contract.schema.safeParse(env);
  if (result.success) return result.data;
  throw new EnvironmentError(
    contract.functionName,
    result.error.issues.map((i) => i.message),
    contract.whereSet,
  );
}

/** The names of a contract's variables. */
export type EnvKey<S extends z.ZodObject> = keyof z.input<S> & string;

/**
 * The variables the program sets, in the schema's order: every key of the schema must be given
 * and no other (a value of any type, so the program passes Pulumi Inputs through).
 */
export function buildEnvironment<S extends z.ZodObject, T extends Record<EnvKey<S>, unknown>>(
  contract: LambdaEnvironment<S>,
  values: T & { readonly [K in Exclude<keyof T, EnvKey<S>>]: never },
): { [K in EnvKey<S>]: T[K] } {
  const all = values as Record<string, unknown>;
  return Object.fromEntries(Object.keys(contract.schema.shape).map((k) => [k, all[k]])) as {
    [K in EnvKey<S>]: T[K];
  };
}
