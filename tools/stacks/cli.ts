/**
 * `npm run stacks -- <command> [options]`: runs the five projects' stacks in dependency order,
 * offline (`plan`) or with the Pulumi CLI (`preview`, `up`, `refresh`, `destroy`, `cancel`).
 * See tools/stacks/README.md. Exit codes: 0 success; 1 a stack failed, a mandatory policy was
 * violated or a drift check found changes; 2 a usage error.
 *
 * This file is the entry: commander, the usage errors and the dispatch to commands/<name>.ts.
 * Fast paths (`order`, `graph`, `--help`, usage errors) load only commander, lib/model/stacks.ts
 * and graph.ts, commands/, engine/selection.ts and report/io.ts: everything that loads a Pulumi
 * SDK is required lazily by the command that needs it (cli.test.ts checks both).
 */
import { Command, CommanderError } from "commander";
import { ENVIRONMENTS, PROJECTS } from "../../lib/model/stacks";
import {
  type CliDeps,
  type CommandModule,
  EXIT_FAILED,
  EXIT_OK,
  EXIT_USAGE,
  type ParsedOptions,
  UsageError,
} from "./commands/command";
import { COMMANDS, COMMAND_MODULES } from "./commands/index";
import { type Io, processIo } from "./report/io";

export { type CliDeps, EXIT_FAILED, EXIT_OK, EXIT_USAGE, UsageError } from "./commands/command";
export { COMMANDS } from "./commands/index";
export { PROD_DESTROY_FLAG } from "./commands/options";

const HELP_HINT = `Run "npm run stacks -- --help" (or "<command> --help") for usage.`;

function buildProgram(
  chosen: (command: CommandModule, options: ParsedOptions, args: readonly unknown[]) => void,
  io: Io,
): Command {
  const program = new Command("stacks")
    .description(
      `Runs the projects' stacks (${PROJECTS.join(", ")}) in dependency order.\n` +
        "Exit codes: 0 success; 1 a stack failed, a mandatory policy was violated or drift was found; 2 usage error.",
    )
    .usage("<command> [options]")
    .exitOverride()
    .showHelpAfterError(false)
    .configureOutput({
      writeOut: (s) => io.out(s.replace(/\n$/, "")),
      writeErr: (s) => io.err(s.replace(/\n$/, "")),
    });
  for (const module of COMMAND_MODULES) {
    const cmd = program.command(module.name).description(module.description).exitOverride();
    // `this.processedArgs`: the positional arguments of a command that declares some (`new <project>`).
    module.configure(cmd).action(function (this: Command) {
      chosen(module, this.opts<ParsedOptions>(), this.processedArgs as unknown[]);
    });
  }
  return program;
}

/** Runs the CLI; resolves with the exit code. Never calls process.exit. */
export async function main(argv: readonly string[], deps: CliDeps = {}): Promise<number> {
  const io = deps.io ?? processIo();
  const first = argv[0];
  if (first === undefined) {
    io.err(`stacks: no command given; valid commands: ${COMMANDS.join(", ")}.`);
    io.err(HELP_HINT);
    return EXIT_USAGE;
  }
  if (!first.startsWith("-") && first !== "help" && !COMMANDS.includes(first)) {
    io.err(`stacks: unknown command "${first}"; valid commands: ${COMMANDS.join(", ")}.`);
    io.err(HELP_HINT);
    return EXIT_USAGE;
  }
  let parsed:
    { command: CommandModule; options: ParsedOptions; args: readonly unknown[] } | undefined;
  const program = buildProgram(
    (command, options, args) => (parsed = { command, options, args }),
    io,
  );
  try {
    await program.parseAsync([...argv], { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (["commander.helpDisplayed", "commander.help", "commander.version"].includes(e.code))
        return EXIT_OK;
      if (e.code === "commander.optionMissingArgument" && /--env\b/.test(e.message)) {
        io.err(`valid environments: ${ENVIRONMENTS.join(", ")} (plan and order also take all).`);
      }
      if (e.code === "commander.optionMissingArgument" && /--project\b/.test(e.message)) {
        io.err(`valid projects: ${PROJECTS.join(", ")}.`);
      }
      io.err(HELP_HINT);
      return EXIT_USAGE;
    }
    throw e;
  }
  if (!parsed) {
    io.err(`stacks: no command given; valid commands: ${COMMANDS.join(", ")}.`);
    return EXIT_USAGE;
  }
  try {
    return await parsed.command.run(parsed.options, { ...deps, io }, parsed.args);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`stacks ${parsed.command.name}: ${e.message}`);
      io.err(HELP_HINT);
      return EXIT_USAGE;
    }
    throw e;
  }
}

/**
 * Exits once stdout and stderr are flushed (a large --json report through a pipe is written
 * asynchronously). Exiting explicitly, rather than when the event loop empties, because the
 * Pulumi runtime may keep timers alive after a plan.
 */
function exitWhenFlushed(code: number): void {
  process.exitCode = code;
  process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
}

if (require.main === module) {
  main(process.argv.slice(2)).then(exitWhenFlushed, (e: unknown) => {
    process.stderr.write(
      `stacks: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
    );
    exitWhenFlushed(EXIT_FAILED);
  });
}
