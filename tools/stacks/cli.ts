/**
 * `npm run stacks -- <command> [options]`: runs the five projects' stacks in dependency order,
 * offline (`plan`) or with the Pulumi CLI (`preview`, `up`, `refresh`, `destroy`, `cancel`).
 * See tools/stacks/README.md. Exit codes: 0 success; 1 a stack failed, a mandatory policy was
 * violated or a drift check found changes; 2 a usage error.
 *
 * Fast paths (`order`, `graph`, `--help`, usage errors) load only commander and lib/model/stacks.ts and
 * lib/model/graph.ts: everything that loads a Pulumi SDK is required lazily by the command that needs it.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { EDGES, toMermaid } from "../../lib/model/graph";
import {
  ENVIRONMENTS,
  type Environment,
  PROJECTS,
  type Project,
  REPO_ROOT,
  isEnvironment,
  isProject,
} from "../../lib/model/stacks";
import { type Io, processIo } from "./io";
import type { PlanDeps } from "./plan";
import type { PulumiInvocation, PulumiResult, RealCommand } from "./pulumi";
import {
  type RunReport,
  type StackReport,
  endLine,
  reportJson,
  startLine,
  summaryTable,
} from "./report";
import { type Selection, selectStacks } from "./selection";

export const COMMANDS = [
  "order",
  "graph",
  "plan",
  "preview",
  "up",
  "refresh",
  "destroy",
  "cancel",
  // setup: tools/stacks/doctor.ts and init.ts
  "doctor",
  "init",
  "diff",
  // after a killed up: tools/stacks/recover.ts
  "recover",
] as const;
export type CommandName = (typeof COMMANDS)[number];

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** Flag that `destroy --env prod` requires on top of confirmation. */
export const PROD_DESTROY_FLAG = "--allow-prod-destroy";

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
}

interface ParsedOptions {
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
}

const HELP_HINT = `Run "npm run stacks -- --help" (or "<command> --help") for usage.`;

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

function buildProgram(
  run: (command: CommandName, options: ParsedOptions) => void,
  io: Io,
): Command {
  const program = new Command("stacks")
    .description(
      "Runs the projects' stacks (core, pipelines_base, metadata, pipelines, glue_database) in dependency order.\n" +
        "Exit codes: 0 success; 1 a stack failed, a mandatory policy was violated or drift was found; 2 usage error.",
    )
    .usage("<command> [options]")
    .exitOverride()
    .showHelpAfterError(false)
    .configureOutput({
      writeOut: (s) => io.out(s.replace(/\n$/, "")),
      writeErr: (s) => io.err(s.replace(/\n$/, "")),
    });

  const envOption = (withAll: boolean, required: boolean) =>
    new Option("--env <env>", `the environment${required ? " (required)" : ""}`).choices([
      ...ENVIRONMENTS,
      ...(withAll ? ["all"] : []),
    ]);

  const selectionOptions = (cmd: Command) =>
    cmd
      .option(
        "--project <name>",
        `a project to run (repeatable; default: all): ${PROJECTS.join(", ")}`,
        collectProject,
      )
      .option("--with-dependencies", "also run every project the given projects depend on")
      .option("--with-dependents", "also run every project that depends on the given projects");

  const realOptions = (cmd: Command) =>
    selectionOptions(cmd)
      .option(
        "--parallel <n>",
        "run up to n independent stacks at a time (default 1)",
        parsePositive,
      )
      .option(
        "--local",
        "file backend in .pulumi-local/, passphrase secrets, AWS provider on LocalStack",
      )
      .option(
        "--json",
        "print a machine-readable run report on stdout (everything else goes to stderr)",
      );

  const add = (name: CommandName, description: string, configure: (cmd: Command) => Command) => {
    const cmd = program.command(name).description(description).exitOverride();
    configure(cmd).action((options: ParsedOptions) => run(name, options));
  };

  add("order", "print the deployment order for an environment, one project per line", (cmd) =>
    selectionOptions(cmd.addOption(envOption(true, true))).option(
      "--json",
      "print the order as JSON",
    ),
  );
  add("graph", "print the dependency graph as a Mermaid flowchart", (cmd) =>
    cmd.option("--json", "print the edges as JSON"),
  );
  add(
    "plan",
    "plan offline: evaluate the programs under mocks and run the policy pack (no cloud, no CLI)",
    (cmd) =>
      selectionOptions(cmd.addOption(envOption(true, false).default("all"))).option(
        "--json",
        "print a machine-readable report on stdout",
      ),
  );
  add("preview", "pulumi preview --refresh --diff with the policy pack, per stack", (cmd) =>
    realOptions(cmd.addOption(envOption(false, true)))
      .option("--target <urn>", "passed through to its stack's pulumi call (repeatable)", collect)
      .option("--replace <urn>", "passed through to its stack's pulumi call (repeatable)", collect)
      .option("--comment-file <path>", "write a pull-request comment (Markdown) with the results"),
  );
  add(
    "up",
    "pulumi up --refresh --diff with the policy pack, per stack (creates missing stacks)",
    (cmd) =>
      realOptions(cmd.addOption(envOption(false, true)))
        .option("--yes", "do not ask for confirmation")
        .option("--target <urn>", "passed through to its stack's pulumi call (repeatable)", collect)
        .option(
          "--replace <urn>",
          "passed through to its stack's pulumi call (repeatable)",
          collect,
        ),
  );
  add(
    "refresh",
    "pulumi refresh per stack; with --preview-only --expect-no-changes, a drift check",
    (cmd) =>
      realOptions(cmd.addOption(envOption(false, true)))
        .option("--preview-only", "only show what the refresh would change")
        .option("--expect-no-changes", "fail (exit 1) when the refresh finds changes (drift)")
        .option(
          "--target <urn>",
          "passed through to its stack's pulumi call (repeatable)",
          collect,
        ),
  );
  add("destroy", "pulumi destroy per stack, dependents first", (cmd) =>
    realOptions(cmd.addOption(envOption(false, true)))
      .option("--yes", "do not ask for confirmation")
      .option(PROD_DESTROY_FLAG, "required to destroy prod stacks")
      .option("--target <urn>", "passed through to its stack's pulumi call (repeatable)", collect),
  );
  add("cancel", "remove a stuck update's lock (pulumi cancel) per stack", (cmd) =>
    realOptions(cmd.addOption(envOption(false, true))).option(
      "--yes",
      "do not ask for confirmation",
    ),
  );
  addSetupCommands(add, envOption, selectionOptions);
  add(
    "recover",
    "after a killed up: import the pending creates AWS has, drop the others, refresh (see docs/troubleshooting.md)",
    (cmd) =>
      selectionOptions(cmd.addOption(envOption(false, true))).option(
        "--yes",
        "do not ask for confirmation",
      ),
  );
  // diff (tools/stacks/diff.ts): the offline plans of a base revision and the working tree.
  add(
    "diff",
    "compare the offline plans of a base git revision and the working tree, resource by resource",
    (cmd) =>
      selectionOptions(cmd.addOption(envOption(true, false).default("all")))
        .requiredOption(
          "--base <git-rev>",
          "the revision to compare with (a branch, tag or commit)",
        )
        .option("--comment-file <path>", "write a pull-request comment (Markdown) with the diff")
        .option("--json", "print the diff as JSON on stdout"),
  );
  return program;
}

/** doctor (the preflight) and init (the stacks' secrets salt), kept apart from the run commands. */
function addSetupCommands(
  add: (name: CommandName, description: string, configure: (cmd: Command) => Command) => void,
  envOption: (withAll: boolean, required: boolean) => Option,
  selectionOptions: (cmd: Command) => Command,
) {
  add(
    "doctor",
    "check the CLI, passphrase, AWS credentials and account, backend and its layout, stack files and locks",
    (cmd) => cmd.addOption(envOption(true, false).default("all")),
  );
  add(
    "init",
    "create the env's missing stacks and give every stack file its encryptionsalt (commit them)",
    (cmd) => selectionOptions(cmd.addOption(envOption(false, true))),
  );
}

async function runSetupCommand(
  command: "doctor" | "init",
  o: ParsedOptions,
  deps: CliDeps & { io: Io },
): Promise<number> {
  const env = deps.env ?? process.env;
  const repoRoot = deps.repoRoot ?? REPO_ROOT;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: loads the AWS SDK
  const pulumi = require("./pulumi") as typeof import("./pulumi");
  const spawn = deps.spawn ?? pulumi.spawnPulumi;
  if (command === "doctor") {
    // The AWS SDK's four-line notice that its 2027 releases need Node.js 22 would sit among the checks.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { runDoctor } = require("./doctor") as typeof import("./doctor");
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const sdkVersion = (require("@pulumi/pulumi/package.json") as { version: string }).version;
    const result = await runDoctor({
      envs: envsOf("plan", o.env),
      repoRoot,
      env,
      io: deps.io,
      spawn,
      sdkVersion,
    });
    return result.exitCode;
  }
  if (!deps.spawn && !pulumi.findOnPath("pulumi", env)) {
    deps.io.err(
      `stacks init: the Pulumi CLI ("pulumi") is not on PATH; "npm run stacks -- doctor" says what to install.`,
    );
    return EXIT_FAILED;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { runInit } = require("./init") as typeof import("./init");
  return runInit({
    stacks: selectionOf(command, o).stacks,
    repoRoot,
    env,
    io: deps.io,
    spawn,
  });
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
  if (
    !first.startsWith("-") &&
    first !== "help" &&
    !(COMMANDS as readonly string[]).includes(first)
  ) {
    io.err(`stacks: unknown command "${first}"; valid commands: ${COMMANDS.join(", ")}.`);
    io.err(HELP_HINT);
    return EXIT_USAGE;
  }
  let parsed: { command: CommandName; options: ParsedOptions } | undefined;
  const program = buildProgram((command, options) => (parsed = { command, options }), io);
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
    return await execute(parsed.command, parsed.options, { ...deps, io });
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`stacks ${parsed.command}: ${e.message}`);
      io.err(HELP_HINT);
      return EXIT_USAGE;
    }
    throw e;
  }
}

function envsOf(command: CommandName, value: string | undefined): Environment[] {
  const valid =
    command === "plan" || command === "order" || command === "diff"
      ? [...ENVIRONMENTS, "all"]
      : ENVIRONMENTS;
  if (value === undefined)
    throw new UsageError(`--env is required; valid values: ${valid.join(", ")}.`);
  if (value === "all") return [...ENVIRONMENTS];
  if (!isEnvironment(value))
    throw new UsageError(`unknown environment "${value}"; valid values: ${valid.join(", ")}.`);
  return [value];
}

function selectionOf(command: CommandName, o: ParsedOptions): Selection {
  if ((o.withDependencies || o.withDependents) && (o.project ?? []).length === 0) {
    throw new UsageError(`--with-dependencies and --with-dependents need at least one --project.`);
  }
  return selectStacks({
    envs: envsOf(command, o.env),
    projects: o.project,
    withDependencies: o.withDependencies,
    withDependents: o.withDependents,
    reverse: command === "destroy",
  });
}

async function execute(
  command: CommandName,
  o: ParsedOptions,
  deps: CliDeps & { io: Io },
): Promise<number> {
  const { io } = deps;
  switch (command) {
    case "graph":
      io.out(
        o.json
          ? JSON.stringify({ version: 1, projects: PROJECTS, edges: EDGES }, null, 2)
          : toMermaid(),
      );
      return EXIT_OK;
    case "order":
      return printOrder(selectionOf(command, o), o, io);
    case "plan":
      return runPlanCommand(selectionOf(command, o), o, deps);
    case "doctor":
    case "init":
      return runSetupCommand(command, o, deps);
    case "diff":
      return runDiffCommand(selectionOf(command, o), o, deps);
    case "recover":
      return runRecoverCommand(selectionOf(command, o), o, deps);
    default:
      return runRealCommand(command, selectionOf(command, o), o, deps);
  }
}

function printOrder(selection: Selection, o: ParsedOptions, io: Io): number {
  if (o.json) {
    io.out(
      JSON.stringify(
        {
          version: 1,
          envs: selection.envs,
          stacks: selection.stacks.map((s) => ({
            stack: s.stack,
            project: s.project,
            env: s.env,
            dependsOn: s.dependsOn,
          })),
          skipped: selection.skipped,
        },
        null,
        2,
      ),
    );
    return EXIT_OK;
  }
  const single = selection.envs.length === 1;
  for (const s of selection.stacks) io.out(single ? s.project : s.stack);
  for (const s of selection.skipped) io.err(`skipped ${s.stack}: ${s.reason}`);
  return EXIT_OK;
}

async function runPlanCommand(
  selection: Selection,
  o: ParsedOptions,
  deps: CliDeps & { io: Io },
): Promise<number> {
  const { io } = deps;
  const human = o.json ? io.err : io.out;
  const now = deps.now ?? (() => performance.now());
  const started = now();
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: loads the Pulumi SDKs
  const plan = require("./plan") as typeof import("./plan");
  human(
    `Planning ${selection.stacks.length} stacks offline (Pulumi mocks, no cloud): ` +
      `${selection.stacks.map((s) => s.stack).join(", ")}`,
  );
  for (const s of selection.skipped) human(`<-- ${s.stack}: skipped: ${s.reason}`);
  const reports = new Map<string, StackReport>();
  await plan.planStacks(selection.stacks, deps.planDeps ?? plan.defaultPlanDeps(), {
    onNotice: (message) => io.err(message),
    onStart: (s) => human(startLine("plan", s.stack)),
    onEnd: (r) => {
      reports.set(r.stack, r);
      human(endLine("plan", r));
      if (r.status !== "skipped") human(plan.formatStackPlan(r));
    },
  });
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { orderedReports } = require("./run") as typeof import("./run");
  const stacks = orderedReports(selection, reports);
  const report: RunReport = {
    command: "plan",
    envs: selection.envs,
    local: false,
    durationMs: now() - started,
    stacks,
    warnings: [],
    exitCode: stacks.some((s) => s.status === "failed") ? EXIT_FAILED : EXIT_OK,
  };
  human("");
  human(summaryTable(report));
  if (o.json) io.out(reportJson(report));
  return report.exitCode;
}

/** diff: both plans run in child processes; see tools/stacks/diff.ts. */
async function runDiffCommand(
  selection: Selection,
  o: ParsedOptions,
  deps: CliDeps & { io: Io },
): Promise<number> {
  const { io } = deps;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy, like plan
  const diff = require("./diff") as typeof import("./diff");
  const planArgs = [
    "--env",
    o.env ?? "all",
    ...(o.project ?? []).flatMap((p) => ["--project", p]),
    ...(o.withDependencies ? ["--with-dependencies"] : []),
    ...(o.withDependents ? ["--with-dependents"] : []),
  ];
  let report: import("./diff").DiffReport;
  try {
    report = await diff.runDiff({
      repoRoot: deps.repoRoot ?? REPO_ROOT,
      base: o.base!,
      envs: selection.envs,
      planArgs,
      log: (line) => io.err(line),
    });
  } catch (e) {
    if (!(e instanceof diff.DiffError)) throw e;
    io.err(`stacks diff: ${e.message}`);
    return EXIT_FAILED;
  }
  (o.json ? io.err : io.out)(diff.formatDiff(report));
  if (o.json) io.out(diff.diffJson(report));
  if (o.commentFile) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    (require("node:fs") as typeof import("node:fs")).writeFileSync(
      o.commentFile,
      diff.diffComment(report),
    );
  }
  return report.stacks.some((s) => s.status === "failed") ? EXIT_FAILED : EXIT_OK;
}

/** recover: tools/stacks/recover.ts, on the backend of PULUMI_BACKEND_URL. */
async function runRecoverCommand(
  selection: Selection,
  o: ParsedOptions,
  deps: CliDeps & { io: Io },
): Promise<number> {
  const { io } = deps;
  const env = deps.env ?? process.env;
  if (!o.yes) {
    throw new UsageError(
      `recover changes the state (imports, refresh): pass --yes once you know no run is going on.`,
    );
  }
  /* eslint-disable @typescript-eslint/no-require-imports -- lazy: loads the AWS SDK */
  const pulumi = require("./pulumi") as typeof import("./pulumi");
  const { openBackendStore } = require("./backendStore") as typeof import("./backendStore");
  const { parseBackendUrl } = require("./backendUrl") as typeof import("./backendUrl");
  const { recoverStacks } = require("./recover") as typeof import("./recover");
  /* eslint-enable @typescript-eslint/no-require-imports */
  const backendUrl = pulumi.defaultBackendUrl(env);
  const store = openBackendStore(parseBackendUrl(backendUrl), { env });
  try {
    return await recoverStacks({
      stacks: selection.stacks,
      repoRoot: deps.repoRoot ?? REPO_ROOT,
      env: pulumi.pulumiEnv(env, { backendUrl }),
      store,
      io,
      spawn: deps.spawn ?? pulumi.spawnPulumi,
    });
  } finally {
    store.close();
  }
}

async function confirm(io: Io, question: string, expected: string): Promise<boolean> {
  const answer = (await io.prompt(`${question} Type "${expected}" to continue: `)).trim();
  return answer === expected;
}

async function runRealCommand(
  command: Exclude<CommandName, "order" | "graph" | "plan" | "diff">,
  selection: Selection,
  o: ParsedOptions,
  deps: CliDeps & { io: Io },
): Promise<number> {
  const { io } = deps;
  const env = deps.env ?? process.env;
  const repoRoot = deps.repoRoot ?? REPO_ROOT;
  if ((o.previewOnly || o.expectNoChanges) && command !== "refresh") {
    throw new UsageError(`--preview-only and --expect-no-changes apply to refresh only.`);
  }
  const envName = selection.envs[0];
  if (command === "destroy" && envName === "prod" && !o.allowProdDestroy) {
    throw new UsageError(
      `destroying prod stacks is refused without ${PROD_DESTROY_FLAG}: prod holds real data. ` +
        `If you really mean it, add ${PROD_DESTROY_FLAG} (protected resources still refuse to be deleted).`,
    );
  }
  const selected = selection.stacks.map((s) => s.stack);
  for (const urn of [...(o.target ?? []), ...(o.replace ?? [])]) {
    const named = /^urn:pulumi:([^:]+)::/.exec(urn)?.[1];
    if (named !== undefined && !selected.includes(named)) {
      throw new UsageError(
        `${urn} names stack ${named}, which this run does not select; selected stacks: ${selected.join(", ") || "none"}. ` +
          `Add the right --env and --project.`,
      );
    }
  }
  if (selection.stacks.length === 0) {
    for (const s of selection.skipped) io.err(`skipped ${s.stack}: ${s.reason}`);
    io.err(`stacks ${command}: no stack to run in ${envName}.`);
    return EXIT_OK;
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: not needed by fast paths
  const pulumi = require("./pulumi") as typeof import("./pulumi");
  if (!deps.spawn && !pulumi.findOnPath("pulumi", env)) {
    io.err(
      `stacks ${command}: the Pulumi CLI ("pulumi") is not on PATH. Install it (https://www.pulumi.com/docs/install/) ` +
        `and try again; "npm run plan" needs no CLI and plans every stack offline.`,
    );
    return EXIT_FAILED;
  }
  const list = selection.stacks.map((s) => s.stack).join(", ");
  if (command === "cancel") {
    io.err(
      `cancel removes the update lock of ${list}${o.local ? " (local backend)" : ""}. If an update is still running ` +
        `against one of them, it is not stopped, but its changes will be missing from the state. First make sure ` +
        `nothing is running (check the Actions tab and ask the team), and afterwards run ` +
        `"npm run stacks -- refresh --env ${envName}" to bring the state back in line with AWS.`,
    );
  }
  if (command === "up" || command === "destroy" || command === "cancel") {
    if (!o.yes) {
      if (!io.interactive) {
        throw new UsageError(
          `${command} needs confirmation, and this is not a terminal: pass --yes to confirm.`,
        );
      }
      const question =
        command === "destroy"
          ? `This destroys every resource of ${list}, dependents first.`
          : command === "up"
            ? `This deploys ${list}${o.local ? " to LocalStack" : ""}, in this order.`
            : `This cancels the lock of ${list}.`;
      const ok = await confirm(io, question, command === "destroy" ? envName : "yes");
      if (!ok) {
        io.err(`stacks ${command}: not confirmed; nothing was done.`);
        return EXIT_FAILED;
      }
    }
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { runReal } = require("./run") as typeof import("./run");
  const report = await runReal({
    command: command as RealCommand,
    selection,
    parallel: o.parallel ?? 1,
    repoRoot,
    env,
    local: Boolean(o.local),
    targets: o.target ?? [],
    replaces: o.replace ?? [],
    previewOnly: Boolean(o.previewOnly),
    expectNoChanges: Boolean(o.expectNoChanges),
    commentFile: o.commentFile,
    json: Boolean(o.json),
    io,
    spawn: deps.spawn,
    now: deps.now,
  });
  return report.exitCode;
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
