/**
 * The contract of the real Pulumi CLI, v3.248.0, as data: which commands the orchestrator calls,
 * the flags each one registers (global and per command; long and short names; whether a flag
 * takes a value), which exist only when PULUMI_DEBUG_COMMANDS is true, and which commands refuse
 * to run non-interactively without a confirmation flag. The strict fake `pulumi`
 * (testing/fakePulumi.ts) and the tests of every argv the orchestrator builds read it from here.
 *
 * Read from github.com/pulumi/pulumi at tag v3.248.0 (commit a88168d865b7fd428e5a929cc54aeceaf72d203f):
 * - global flags: pkg/cmd/pulumi/pulumi.go (root `PersistentFlags()`), plus cobra's own
 *   `--help/-h` (spf13/cobra v1.10.2, pkg/go.mod);
 * - commands: pkg/cmd/pulumi/operations/{up,preview,refresh,destroy}.go, pkg/cmd/pulumi/cancel/cancel.go,
 *   pkg/cmd/pulumi/stack/{stack,stack_select,stack_export,stack_list}.go,
 *   pkg/cmd/pulumi/state/{state,state_upgrade}.go, pkg/cmd/pulumi/version/version.go;
 * - `--output` from `outputflag.Var` (pkg/util/outputflag/outputflag.go); `--remote*` flags are
 *   left out: `RemoteArgs.ApplyFlags` registers them only with PULUMI_EXPERIMENTAL
 *   (pkg/cmd/pulumi/deployment/remote.go, `RemoteSupported`), and nothing here uses them;
 * - error texts: spf13/pflag v1.0.10 errors.go (`unknown flag: --%s`, `unknown shorthand flag: %q in -%s`,
 *   `flag needs an argument: --%s`), printed by the CLI as `error: <text>` (pkg/cmd/pulumi/main.go,
 *   sdk/go/common/util/cmdutil/exit.go) with exit code 1; the confirmation error is
 *   `backenderr.NoConfirmationInNonInteractiveError` (pkg/backend/backenderr/backenderr.go), exit
 *   code 2 (`ExitConfigurationError`, pkg/cmd/pulumi/cmd/exit_codes.go).
 *
 * Re-read with `node tools/stacks/testing/readCliFlags.js <pulumi git dir> <tag> <file.go>...`
 * when the pinned CLI version changes.
 */

export const PULUMI_CLI_VERSION = "v3.248.0";

export interface FlagSpec {
  readonly name: string;
  readonly short?: string;
  /** none: a boolean (`--flag` or `--flag=false`); required: `--flag v` or `--flag=v`;
   * optional: a NoOptDefVal flag, bare or `--flag=v` only (it never takes the next argument). */
  readonly value: "none" | "required" | "optional";
  /** Registered with PersistentFlags(): inherited by subcommands. */
  readonly persistent?: true;
  /** Registered only inside `if env.DebugCommands.Value()`. */
  readonly debugOnly?: true;
}

export interface CommandSpec {
  /** The Go file that registers the command's flags. */
  readonly source: string;
  readonly flags: readonly FlagSpec[];
}

/**
 * Every flag of the table, declared once, in its most common form (keyed by long name). The
 * commands' lists below name them in the order their Go file registers them.
 */
const FLAGS: Readonly<Record<string, FlagSpec>> = Object.fromEntries(
  (
    [
      { name: "cwd", short: "C", value: "required", persistent: true },
      { name: "emoji", short: "e", value: "none", persistent: true },
      { name: "fully-qualify-stack-names", short: "Q", value: "none", persistent: true },
      { name: "disable-integrity-checking", value: "none", persistent: true },
      { name: "logflow", value: "none", persistent: true },
      { name: "logtostderr", value: "none", persistent: true },
      { name: "non-interactive", value: "none", persistent: true },
      { name: "tracing", value: "required", persistent: true },
      { name: "otel-traces", value: "required", persistent: true },
      { name: "profiling", value: "required", persistent: true },
      { name: "memprofilerate", value: "required", persistent: true },
      { name: "verbose", short: "v", value: "required", persistent: true },
      { name: "color", value: "required", persistent: true },
      { name: "tracing-header", value: "required", persistent: true },
      { name: "debug", short: "d", value: "none", persistent: true },
      { name: "expect-no-changes", value: "none", persistent: true },
      { name: "stack", short: "s", value: "required", persistent: true },
      { name: "config-file", value: "required", persistent: true },
      { name: "config", short: "c", value: "required", persistent: true },
      { name: "config-path", value: "none", persistent: true },
      { name: "secrets-provider", value: "required", persistent: true },
      { name: "client", value: "required", persistent: true },
      { name: "message", short: "m", value: "required", persistent: true },
      { name: "target", short: "t", value: "required", persistent: true },
      { name: "exclude", short: "x", value: "required", persistent: true },
      { name: "replace", value: "required", persistent: true },
      { name: "target-replace", value: "required", persistent: true },
      { name: "target-dependents", value: "none", persistent: true },
      { name: "exclude-dependents", value: "none", persistent: true },
      { name: "policy-pack", value: "required", persistent: true },
      { name: "policy-pack-config", value: "required", persistent: true },
      { name: "diff", value: "none", persistent: true },
      { name: "json", short: "j", value: "none" },
      { name: "parallel", short: "p", value: "required", persistent: true },
      { name: "refresh", short: "r", value: "optional", persistent: true },
      { name: "run-program", value: "none", persistent: true },
      { name: "show-config", value: "none", persistent: true },
      { name: "show-policy-remediations", value: "none", persistent: true },
      { name: "show-replacement-steps", value: "none", persistent: true },
      { name: "show-sames", value: "none", persistent: true },
      { name: "show-secrets", value: "none" },
      { name: "show-reads", value: "none", persistent: true },
      { name: "urns", value: "none", persistent: true },
      { name: "skip-preview", short: "f", value: "none", persistent: true },
      { name: "suppress-outputs", value: "none", persistent: true },
      { name: "suppress-progress", value: "none", persistent: true },
      { name: "show-full-output", value: "none", persistent: true },
      { name: "suppress-permalink", value: "optional", persistent: true },
      { name: "yes", short: "y", value: "none", persistent: true },
      { name: "continue-on-error", value: "none", persistent: true },
      { name: "attach-debugger", value: "optional", persistent: true },
      { name: "plan", value: "required", persistent: true },
      { name: "strict", value: "none", persistent: true },
      { name: "skip-plugin-pre-install", value: "none", persistent: true },
      { name: "neo", value: "none", persistent: true },
      { name: "neo-task-on-failure", value: "none", persistent: true },
      { name: "copilot", value: "none", persistent: true },
      { name: "event-log", value: "required", persistent: true, debugOnly: true },
      { name: "exec-kind", value: "required", persistent: true },
      { name: "exec-agent", value: "required", persistent: true },
      { name: "output", value: "required" },
      { name: "save-plan", value: "required", persistent: true },
      { name: "import-file", value: "required", persistent: true },
      { name: "preview-only", value: "none", persistent: true },
      { name: "skip-pending-creates", value: "none", persistent: true },
      { name: "clear-pending-creates", value: "none", persistent: true },
      { name: "import-pending-creates", value: "required", persistent: true },
      { name: "remove", value: "none", persistent: true },
      { name: "exclude-protected", value: "none", persistent: true },
      { name: "show-ids", short: "i", value: "none" },
      { name: "show-urns", short: "u", value: "none" },
      { name: "show-name", value: "none" },
      { name: "create", short: "c", value: "none", persistent: true },
      { name: "file", value: "required", persistent: true },
      { name: "version", value: "required", persistent: true },
      { name: "all", short: "a", value: "none", persistent: true },
      { name: "organization", short: "o", value: "required", persistent: true },
      { name: "project", short: "p", value: "required", persistent: true },
      { name: "tag", short: "t", value: "required", persistent: true },
    ] satisfies FlagSpec[]
  ).map((f) => [f.name, f]),
);

/** up registers --exclude without -x (preview, refresh and destroy have it). */
const EXCLUDE_WITHOUT_SHORTHAND: FlagSpec = {
  name: "exclude",
  value: "required",
  persistent: true,
};
/** up registers --show-secrets with PersistentFlags() (preview, stack and stack export with Flags()). */
const SHOW_SECRETS_PERSISTENT: FlagSpec = { name: "show-secrets", value: "none", persistent: true };
/** stack ls registers --json with PersistentFlags() (the operations with Flags()). */
const JSON_PERSISTENT: FlagSpec = { name: "json", short: "j", value: "none", persistent: true };
/** state upgrade registers --yes with Flags() (the others with PersistentFlags()). */
const YES_LOCAL: FlagSpec = { name: "yes", short: "y", value: "none" };

/** The flags named (space-separated names from FLAGS, or a FlagSpec for another form), in order. */
function flags(...parts: (string | FlagSpec)[]): FlagSpec[] {
  return parts.flatMap((part) =>
    typeof part !== "string"
      ? [part]
      : part.split(" ").map((name) => {
          const f = FLAGS[name];
          if (!f) throw new Error(`no flag --${name} in FLAGS`);
          return f;
        }),
  );
}

/**
 * Flags per command path ("" is the root command). A command accepts its own flags and the
 * persistent flags of each command above it (cobra's inheritance).
 */
export const CLI_COMMANDS: Readonly<Record<string, CommandSpec>> = {
  "": {
    source: "pkg/cmd/pulumi/pulumi.go",
    flags: flags(
      "cwd emoji fully-qualify-stack-names disable-integrity-checking logflow logtostderr non-interactive tracing otel-traces profiling memprofilerate verbose color tracing-header",
    ),
  },
  up: {
    source: "pkg/cmd/pulumi/operations/up.go",
    flags: flags(
      "debug expect-no-changes stack config-file config config-path secrets-provider client message target",
      EXCLUDE_WITHOUT_SHORTHAND,
      "replace target-replace target-dependents exclude-dependents policy-pack policy-pack-config diff json parallel refresh run-program show-config show-policy-remediations show-replacement-steps show-sames",
      SHOW_SECRETS_PERSISTENT,
      "show-reads urns skip-preview suppress-outputs suppress-progress show-full-output suppress-permalink yes continue-on-error attach-debugger plan strict skip-plugin-pre-install neo neo-task-on-failure copilot event-log exec-kind exec-agent output",
    ),
  },
  preview: {
    source: "pkg/cmd/pulumi/operations/preview.go",
    flags: flags(
      "debug expect-no-changes stack config-file config config-path save-plan show-secrets import-file client message target exclude replace target-replace target-dependents exclude-dependents policy-pack policy-pack-config diff json output parallel refresh run-program show-config show-policy-remediations show-replacement-steps show-sames show-reads urns suppress-outputs show-full-output suppress-progress suppress-permalink attach-debugger skip-plugin-pre-install neo neo-task-on-failure copilot event-log exec-kind exec-agent",
    ),
  },
  refresh: {
    source: "pkg/cmd/pulumi/operations/refresh.go",
    flags: flags(
      "run-program debug expect-no-changes stack config-file config config-path message target exclude diff json output parallel preview-only show-replacement-steps show-sames urns skip-preview suppress-outputs suppress-progress suppress-permalink yes target-dependents exclude-dependents skip-pending-creates clear-pending-creates import-pending-creates skip-plugin-pre-install neo copilot event-log exec-kind exec-agent client",
    ),
  },
  destroy: {
    source: "pkg/cmd/pulumi/operations/destroy.go",
    flags: flags(
      "run-program debug remove stack config-file config config-path message target exclude target-dependents exclude-protected diff json output parallel preview-only refresh show-config show-replacement-steps show-sames urns skip-preview suppress-outputs show-full-output suppress-progress suppress-permalink continue-on-error yes skip-plugin-pre-install neo copilot event-log exec-kind exec-agent client",
    ),
  },
  cancel: {
    source: "pkg/cmd/pulumi/cancel/cancel.go",
    flags: flags("yes stack"),
  },
  stack: {
    source: "pkg/cmd/pulumi/stack/stack.go",
    flags: flags("stack show-ids show-urns show-secrets show-name output"),
  },
  "stack select": {
    source: "pkg/cmd/pulumi/stack/stack_select.go",
    flags: flags("stack create secrets-provider"),
  },
  "stack export": {
    source: "pkg/cmd/pulumi/stack/stack_export.go",
    flags: flags("stack file version show-secrets"),
  },
  "stack ls": {
    source: "pkg/cmd/pulumi/stack/stack_list.go",
    flags: flags(JSON_PERSISTENT, "all organization project tag"),
  },
  state: {
    source: "pkg/cmd/pulumi/state/state.go",
    flags: flags(),
  },
  "state upgrade": {
    source: "pkg/cmd/pulumi/state/state_upgrade.go",
    flags: flags(YES_LOCAL),
  },
  version: {
    source: "pkg/cmd/pulumi/version/version.go",
    flags: flags(),
  },
};

/** cobra adds `--help/-h` to every command. */
const HELP_FLAG: FlagSpec = { name: "help", short: "h", value: "none" };

/**
 * Commands that, non-interactively, need `--yes` or `--skip-preview` (or PULUMI_SKIP_CONFIRMATIONS),
 * and the refresh/destroy `--preview-only` exemption: up.go, refresh.go and destroy.go (`if
 * !interactive && !yes`). A process without a terminal is never interactive (cmdutil.Interactive).
 */
export const NEEDS_CONFIRMATION: Readonly<Record<string, { previewOnlyExempts: boolean }>> = {
  up: { previewOnlyExempts: false },
  refresh: { previewOnlyExempts: true },
  destroy: { previewOnlyExempts: true },
};

/**
 * Exit codes of v3.248.0 (pkg/cmd/pulumi/cmd/exit_codes.go): 1 any error (flag errors too),
 * 2 a configuration error such as a missing confirmation, 7 `--expect-no-changes` found changes.
 */
export const CLI_EXIT = { error: 1, configuration: 2, noChanges: 7 } as const;

export const NO_CONFIRMATION_ERROR =
  "--yes or --skip-preview or --preview-only must be passed in to proceed when running in non-interactive mode";

/** env.Bool in sdk/go/common/util/env/env.go: "1" or "true" (any case). */
export function envBool(value: string | undefined): boolean {
  return value === "1" || value?.toLowerCase() === "true";
}

export interface ParsedCall {
  /** The command path, e.g. "preview" or "stack select". */
  readonly command: string;
  /** Each flag given, by long name, with its values in order ("true" for a bare boolean). */
  readonly flags: ReadonlyMap<string, readonly string[]>;
  readonly args: readonly string[];
}

export class CliUsageError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
  }
}

/** The flags `command` accepts in an environment (`--event-log` only with PULUMI_DEBUG_COMMANDS). */
export function flagsFor(command: string, env: NodeJS.ProcessEnv): FlagSpec[] {
  const own = CLI_COMMANDS[command];
  if (!own) throw new Error(`${command} is not in the CLI table of ${PULUMI_CLI_VERSION}`);
  const words = command.split(" ");
  const inherited = words
    .map((_, i) => (i === 0 ? "" : words.slice(0, i).join(" ")))
    .flatMap((parent) => (CLI_COMMANDS[parent]?.flags ?? []).filter((f) => f.persistent));
  const debug = envBool(env.PULUMI_DEBUG_COMMANDS);
  // A command's own flag shadows an inherited one of the same name (cobra merges by name).
  const byName = new Map<string, FlagSpec>();
  for (const f of [HELP_FLAG, ...inherited, ...own.flags]) {
    if (!f.debugOnly || debug) byName.set(f.name, f);
  }
  return [...byName.values()];
}

const BOOL_VALUES = [
  "1",
  "0",
  "t",
  "f",
  "T",
  "F",
  "true",
  "false",
  "TRUE",
  "FALSE",
  "True",
  "False",
];

/**
 * Parses an argv (after `pulumi`) the way cobra and pflag do for these commands, or throws a
 * CliUsageError with the CLI's own text. Only the commands in CLI_COMMANDS are known.
 */
export function parsePulumiArgv(argv: readonly string[], env: NodeJS.ProcessEnv): ParsedCall {
  let command = "";
  let at = 0;
  while (at < argv.length && !argv[at].startsWith("-")) {
    const next = command === "" ? argv[at] : `${command} ${argv[at]}`;
    if (!CLI_COMMANDS[next]) break;
    command = next;
    at++;
  }
  if (command === "" || command === "stack" || command === "state") {
    throw new CliUsageError(
      `unknown command ${JSON.stringify(argv[at] ?? "")} for ${JSON.stringify(`pulumi${command ? ` ${command}` : ""}`)}`,
      1,
    );
  }
  const specs = flagsFor(command, env);
  const long = new Map(specs.map((f) => [f.name, f]));
  const short = new Map(specs.filter((f) => f.short).map((f) => [f.short!, f]));
  const flags = new Map<string, string[]>();
  const args: string[] = [];
  const set = (f: FlagSpec, value: string, shown: string) => {
    if (f.value === "none" && !BOOL_VALUES.includes(value)) {
      throw new CliUsageError(
        `invalid argument ${JSON.stringify(value)} for ${JSON.stringify(shown)} flag: strconv.ParseBool: parsing ${JSON.stringify(value)}: invalid syntax`,
        1,
      );
    }
    flags.set(f.name, [...(flags.get(f.name) ?? []), value]);
  };
  const rest = argv.slice(at);
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i];
    if (a === "--") {
      args.push(...rest.slice(i + 1));
      break;
    }
    if (a.startsWith("--")) {
      const eq = a.indexOf("=");
      const name = a.slice(2, eq < 0 ? undefined : eq);
      const f = long.get(name);
      if (!f) throw new CliUsageError(`unknown flag: --${name}`, 1);
      if (eq >= 0) set(f, a.slice(eq + 1), `--${name}`);
      else if (f.value === "none") set(f, "true", `--${name}`);
      else if (f.value === "optional") set(f, "", `--${name}`);
      else if (i + 1 < rest.length) set(f, rest[++i], `--${name}`);
      else throw new CliUsageError(`flag needs an argument: --${name}`, 1);
      continue;
    }
    if (a.startsWith("-") && a !== "-") {
      const shorthands = a.slice(1);
      for (let c = 0; c < shorthands.length; c++) {
        const ch = shorthands[c];
        const f = short.get(ch);
        if (!f) throw new CliUsageError(`unknown shorthand flag: '${ch}' in -${shorthands}`, 1);
        const after = shorthands.slice(c + 1);
        if (after.startsWith("=")) {
          set(f, after.slice(1), `-${ch}`);
          break;
        }
        if (f.value === "none") {
          set(f, "true", `-${ch}`);
        } else if (f.value === "optional") {
          set(f, after, `-${ch}`);
          break;
        } else if (after !== "") {
          set(f, after, `-${ch}`);
          break;
        } else if (i + 1 < rest.length) {
          set(f, rest[++i], `-${ch}`);
        } else {
          throw new CliUsageError(`flag needs an argument: '${ch}' in -${shorthands}`, 1);
        }
      }
      continue;
    }
    args.push(a);
  }
  const confirm = NEEDS_CONFIRMATION[command];
  if (confirm) {
    const on = (name: string) =>
      (flags.get(name) ?? []).some((v) => envBool(v) || v === "t" || v === "T");
    const yes = on("yes") || on("skip-preview") || envBool(env.PULUMI_SKIP_CONFIRMATIONS);
    if (!yes && !(confirm.previewOnlyExempts && on("preview-only"))) {
      throw new CliUsageError(NO_CONFIRMATION_ERROR, CLI_EXIT.configuration);
    }
  }
  return { command, flags, args };
}
