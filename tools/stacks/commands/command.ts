/**
 * What every command module (commands/<name>.ts) shares: the exit codes, the usage error, the
 * dependencies a test can replace, the parsed options, and how `--env` and the project options
 * become a selection. Loads no Pulumi SDK (the fast paths import it).
 */
import type { Command } from "commander";
import {
  ENVIRONMENTS,
  type Environment,
  type Project,
  isEnvironment,
} from "../../../lib/model/stacks";
import { type Selection, selectStacks } from "../engine/selection";
import type { PlanDeps } from "../engine/plan";
import type { PulumiInvocation, PulumiResult } from "../pulumi/pulumi";
import type { Io } from "../report/io";

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export interface CliDeps {
  readonly io?: Io;
  readonly env?: NodeJS.ProcessEnv;
  readonly repoRoot?: string;
  /** plan: the evaluator and policy runner (default: lib/plan/evaluate.ts and policy/runner.ts). */
  readonly planDeps?: PlanDeps;
  /** Real commands: how `pulumi` is spawned (default: from PATH). */
  readonly spawn?: (call: PulumiInvocation) => Promise<PulumiResult>;
  readonly now?: () => number;
  /** --affected-since: plans and compares both sides (default: engine/diff.ts diffStacks). */
  readonly diffPlans?: (
    o: import("../engine/diff").DiffOptions,
  ) => Promise<Pick<import("../engine/diff").DiffReport, "stacks">>;
}

/** What a command runs with: the dependencies, with the io resolved. */
export type CommandContext = CliDeps & { readonly io: Io };

/** Every option any command declares (commands/options.ts), as commander parses them. */
export interface ParsedOptions {
  env?: string;
  project?: Project[];
  withDependencies?: boolean;
  withDependents?: boolean;
  parallel?: number;
  yes?: boolean;
  json?: boolean;
  local?: boolean;
  target?: string[];
  replace?: string[];
  previewOnly?: boolean;
  expectNoChanges?: boolean;
  commentFile?: string;
  allowProdDestroy?: boolean;
  base?: string;
  affectedSince?: string;
  dependsOn?: string[];
  envs?: string;
}

/**
 * One command of `npm run stacks`. Its module imports only commander, lib/model and this folder
 * at the top; whatever loads a Pulumi SDK (or the AWS SDK) it requires inside `run`, so that the
 * fast paths stay fast.
 */
export interface CommandModule {
  readonly name: string;
  /** The one-line description of `--help`. */
  readonly description: string;
  /** Adds the command's options, built by commands/options.ts. */
  readonly configure: (cmd: Command) => Command;
  /**
   * Runs it; resolves with the exit code. Throws UsageError for a usage error (exit 2). `args`:
   * the positional arguments `configure` declared (`cmd.argument(...)`), as commander parsed them.
   */
  readonly run: (
    options: ParsedOptions,
    context: CommandContext,
    args: readonly unknown[],
  ) => Promise<number> | number;
}

/** `--env` to environments; `withAll`: the command also takes `all`. */
export function envsOf(value: string | undefined, withAll: boolean): Environment[] {
  const valid = withAll ? [...ENVIRONMENTS, "all"] : ENVIRONMENTS;
  if (value === undefined)
    throw new UsageError(`--env is required; valid values: ${valid.join(", ")}.`);
  if (value === "all") return [...ENVIRONMENTS];
  if (!isEnvironment(value))
    throw new UsageError(`unknown environment "${value}"; valid values: ${valid.join(", ")}.`);
  return [value];
}

/** `--env` and the project options to the ordered stacks; `reverse`: dependents first (destroy). */
export function selectionOf(
  o: ParsedOptions,
  { withAll = false, reverse = false }: { withAll?: boolean; reverse?: boolean } = {},
): Selection {
  if ((o.withDependencies || o.withDependents) && (o.project ?? []).length === 0) {
    throw new UsageError(`--with-dependencies and --with-dependents need at least one --project.`);
  }
  return selectStacks({
    envs: envsOf(o.env, withAll),
    projects: o.project,
    withDependencies: o.withDependencies,
    withDependents: o.withDependents,
    reverse,
  });
}
