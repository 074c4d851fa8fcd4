/**
 * Every option of `npm run stacks`, declared once: a command module adds the ones it takes with
 * `cmd.addOption(...)` or one of the groups below. Flags, descriptions and parsers here are the
 * CLI's text (its `--help`) and behaviour.
 */
import { type Command, InvalidArgumentError, Option } from "commander";
import { ENVIRONMENTS, PROJECTS, type Project, isProject } from "../../../lib/model/stacks";

/** Flag that `destroy --env prod` requires on top of confirmation. */
export const PROD_DESTROY_FLAG = "--allow-prod-destroy";

function collectProject(value: string, previous: Project[] = []): Project[] {
  if (!isProject(value)) {
    throw new InvalidArgumentError(
      `unknown project "${value}"; valid projects: ${PROJECTS.join(", ")}.`,
    );
  }
  return previous.includes(value) ? previous : [...previous, value];
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

function parsePositive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) {
    throw new InvalidArgumentError(`expected a whole number of at least 1, got "${value}".`);
  }
  return n;
}

/** `--env`; `withAll`: `all` is a choice too; `required` only says so in the help (envsOf checks). */
export const envOption = (withAll: boolean, required: boolean) =>
  new Option("--env <env>", `the environment${required ? " (required)" : ""}`).choices([
    ...ENVIRONMENTS,
    ...(withAll ? ["all"] : []),
  ]);

/** `--json`, described as what the command prints. */
export const jsonOption = (description: string) => new Option("--json", description);

/** `--comment-file <path>`, described as what the comment holds. */
export const commentFileOption = (description: string) =>
  new Option("--comment-file <path>", description);

export const targetOption = () =>
  new Option("--target <urn>", "passed through to its stack's pulumi call (repeatable)").argParser(
    collect,
  );

export const replaceOption = () =>
  new Option("--replace <urn>", "passed through to its stack's pulumi call (repeatable)").argParser(
    collect,
  );

export const yesOption = () => new Option("--yes", "do not ask for confirmation");

export const allowProdDestroyOption = () =>
  new Option(PROD_DESTROY_FLAG, "required to destroy prod stacks");

export const previewOnlyOption = () =>
  new Option("--preview-only", "only show what the refresh would change");

export const expectNoChangesOption = () =>
  new Option("--expect-no-changes", "fail (exit 1) when the refresh finds changes (drift)");

export const baseOption = () =>
  new Option(
    "--base <git-rev>",
    "the revision to compare with (a branch, tag or commit)",
  ).makeOptionMandatory();

/** `--affected-since <git-rev>` (preview, up): only the stacks a change since the revision can affect. */
export const affectedSinceOption = () =>
  new Option(
    "--affected-since <git-rev>",
    "run only the stacks whose offline plan differs from the revision's, their reachable dependents, and what the rules select (skipped ones listed with the reason)",
  );

/** `--project` (repeatable), `--with-dependencies`, `--with-dependents`. */
export const selectionOptions = (cmd: Command) =>
  cmd
    .addOption(
      new Option(
        "--project <name>",
        `a project to run (repeatable; default: all): ${PROJECTS.join(", ")}`,
      ).argParser(collectProject),
    )
    .addOption(
      new Option("--with-dependencies", "also run every project the given projects depend on"),
    )
    .addOption(
      new Option("--with-dependents", "also run every project that depends on the given projects"),
    );

/** What every command that calls the Pulumi CLI takes: the selection, `--parallel`, `--local`, `--json`. */
export const realOptions = (cmd: Command) =>
  selectionOptions(cmd)
    .addOption(
      new Option(
        "--parallel <n>",
        "run up to n stacks at a time; a stack still waits for its dependencies, except in a preview or a --preview-only refresh (default: 1; for those, the number of CPUs, at least 2)",
      ).argParser(parsePositive),
    )
    .addOption(
      new Option(
        "--local",
        "file backend in .pulumi-local/, passphrase secrets, AWS provider on LocalStack",
      ),
    )
    .addOption(
      jsonOption("print a machine-readable run report on stdout (everything else goes to stderr)"),
    );
