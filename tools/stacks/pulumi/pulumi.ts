/**
 * Calls the Pulumi CLI: the exact arguments of each call (pure functions, tested as such), the
 * environment it runs with (backend from PULUMI_BACKEND_URL, never a global `pulumi login`), and
 * a runner that spawns `pulumi` from PATH in the project's folder, streams its output line by
 * line and reads the engine event log it wrote. No Pulumi SDK imports.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { DEFAULT_BACKEND_URL } from "../../../lib/model/stacks";
import {
  type RunDetails,
  parseEventLog,
  parseTextSteps,
  parseTextSummary,
  stripAnsi,
} from "./events";
import { withCodeCache } from "./nodeOptions";

export const REAL_COMMANDS = ["preview", "up", "refresh", "destroy", "cancel"] as const;
export type RealCommand = (typeof REAL_COMMANDS)[number];

export interface PulumiCallOptions {
  readonly command: RealCommand;
  /** `<project>-<env>` */
  readonly stack: string;
  readonly repoRoot: string;
  /** --target URNs for this stack. */
  readonly targets?: readonly string[];
  /** --replace URNs for this stack. */
  readonly replaces?: readonly string[];
  /** refresh only: --preview-only. */
  readonly previewOnly?: boolean;
  /** refresh only: --expect-no-changes. */
  readonly expectNoChanges?: boolean;
  /** --config-file (the --local mode's generated config). */
  readonly configFile?: string;
  /**
   * --event-log: where the engine writes its events, read afterwards for counts and steps. The
   * CLI registers the flag only when PULUMI_DEBUG_COMMANDS is true, which pulumiEnv sets.
   */
  readonly eventLog?: string;
}

/** The policy pack and its config, as the seed's manual procedure passes them. */
export function policyPackArgs(repoRoot: string): string[] {
  return [
    "--policy-pack",
    path.join(repoRoot, "policy"),
    "--policy-pack-config",
    path.join(repoRoot, "policy-config.json"),
  ];
}

/** The argv (after `pulumi`) of one call. */
export function pulumiArgs(o: PulumiCallOptions): string[] {
  const args: string[] = [o.command, "--stack", o.stack, "--non-interactive"];
  const repeat = (flag: string, values: readonly string[] = []) => values.flatMap((v) => [flag, v]);
  switch (o.command) {
    // --suppress-progress: the output is captured (the log, the PR comment's diffs), and without
    // it a non-interactive --diff run prints a progress dot every 20 s into it
    // (sdk/go/common/util/cmdutil/spinner.go, pkg/backend/display/diff.go at v3.248.0).
    case "preview":
      args.push("--refresh", "--diff", "--suppress-progress", ...policyPackArgs(o.repoRoot));
      args.push(...repeat("--target", o.targets), ...repeat("--replace", o.replaces));
      break;
    case "up":
      // --yes: the orchestrator asked for confirmation once for the whole run.
      // --skip-preview: without it `up --yes` first runs a whole preview (program, refresh, policy
      // pack, every diff) that nobody reads before the update does it all again; Pulumi's own
      // Automation API deploys the same way (`up --yes --skip-preview`, sdk/nodejs/automation/
      // stack.ts, v3.248.0). Why that is safe here: README "Deploying for real".
      args.push(
        "--yes",
        "--skip-preview",
        "--refresh",
        "--diff",
        "--suppress-progress",
        ...policyPackArgs(o.repoRoot),
      );
      args.push(...repeat("--target", o.targets), ...repeat("--replace", o.replaces));
      break;
    case "refresh":
      args.push("--diff", "--suppress-progress", o.previewOnly ? "--preview-only" : "--yes");
      if (o.expectNoChanges) args.push("--expect-no-changes");
      args.push(...repeat("--target", o.targets));
      break;
    case "destroy":
      args.push("--yes", "--suppress-progress", ...repeat("--target", o.targets));
      break;
    case "cancel":
      args.push("--yes");
      return args;
  }
  if (o.configFile) args.push("--config-file", o.configFile);
  if (o.eventLog) args.push("--event-log", o.eventLog);
  return args;
}

export interface BackendSettings {
  /** The backend URL given to every call through PULUMI_BACKEND_URL. */
  readonly backendUrl: string;
  /** --local: the passphrase file for the passphrase secrets provider. */
  readonly passphraseFile?: string;
  /** --local: variables that keep every AWS call on LocalStack (test credentials). */
  readonly localAwsEnv?: Readonly<Record<string, string>>;
}

/** The backend of a real (not --local) run: PULUMI_BACKEND_URL, or the shared S3 backend. */
export function defaultBackendUrl(env: NodeJS.ProcessEnv): string {
  const given = env.PULUMI_BACKEND_URL?.trim();
  return given ? given : DEFAULT_BACKEND_URL;
}

/**
 * The variables that make the CLI compress the checkpoint it writes (env.go, v3.248.0; it refuses
 * two at once). The engine saves the whole checkpoint after every step (README "At scale"):
 * gzipped, a 755-table glue_database's is 0.3 MB instead of 7.6 MB, and a first deploy uploads
 * that much less on every save. Gzip rather than zstd: node reads it (checkpointFile.ts) without
 * a dependency. A caller's own choice stands.
 */
const STATE_COMPRESSION = [
  "PULUMI_DIY_BACKEND_GZIP",
  "PULUMI_DIY_BACKEND_ZSTD",
  "PULUMI_SELF_MANAGED_STATE_GZIP",
  "PULUMI_SELF_MANAGED_STATE_ZSTD",
];

/** The environment of a call: the caller's, with the backend (and --local settings) applied. */
export function pulumiEnv(base: NodeJS.ProcessEnv, settings: BackendSettings): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...base,
    PULUMI_BACKEND_URL: settings.backendUrl,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    // v3.248 registers --event-log on up/preview/refresh/destroy only under this variable
    // (`if env.DebugCommands.Value()` in pkg/cmd/pulumi/operations/*.go); the Automation API
    // sets it for the same reason.
    PULUMI_DEBUG_COMMANDS: "true",
    // A stack file without `encryptionsalt` would otherwise get a brand-new passphrase secrets
    // manager (a new salt) on every call; with this the CLI reuses the one recorded in the
    // stack's state (pkg/cmd/pulumi/stack/secrets.go, SecretsManagerLoader.FallbackToState).
    PULUMI_FALLBACK_TO_STATE_SECRETS_MANAGER: "true",
    ...(STATE_COMPRESSION.some((name) => base[name]) ? {} : { PULUMI_DIY_BACKEND_GZIP: "true" }),
  };
  if (settings.passphraseFile) {
    delete env.PULUMI_CONFIG_PASSPHRASE;
    env.PULUMI_CONFIG_PASSPHRASE_FILE = settings.passphraseFile;
  }
  if (settings.localAwsEnv) {
    // Never let a --local run pick up real credentials from a profile or the environment.
    for (const key of [
      "AWS_PROFILE",
      "AWS_DEFAULT_PROFILE",
      "AWS_SESSION_TOKEN",
      "AWS_ROLE_ARN",
      "AWS_WEB_IDENTITY_TOKEN_FILE",
    ]) {
      delete env[key];
    }
    Object.assign(env, settings.localAwsEnv);
  }
  // Every node process the CLI starts gets the V8 code cache from its first module.
  env.NODE_OPTIONS = withCodeCache(base.NODE_OPTIONS);
  return env;
}

/** The absolute path of `name` on the PATH of `env`, or undefined. */
export function findOnPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? "").split(path.delimiter)) {
    if (dir === "") continue;
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export interface PulumiInvocation {
  readonly argv: readonly string[];
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Each line of output (stdout and stderr), as it comes. */
  readonly onLine?: (line: string, stream: "stdout" | "stderr") => void;
}

export interface PulumiResult {
  readonly exitCode: number;
  /** stdout and stderr interleaved as they arrived, colour codes removed. */
  readonly output: string;
}

/** Spawns `pulumi` (resolved on the PATH of `env`) and collects its output. */
export function spawnPulumi(call: PulumiInvocation): Promise<PulumiResult> {
  return new Promise((resolve) => {
    const chunks: string[] = [];
    let child;
    try {
      child = spawn("pulumi", [...call.argv], {
        cwd: call.cwd,
        env: call.env,
        stdio: ["ignore", "pipe", "pipe"],
      });
    } catch (e) {
      resolve({ exitCode: 127, output: `could not start pulumi: ${(e as Error).message}` });
      return;
    }
    const pending: Record<"stdout" | "stderr", string> = { stdout: "", stderr: "" };
    const take = (stream: "stdout" | "stderr", text: string, flush = false) => {
      pending[stream] += text;
      const lines = pending[stream].split("\n");
      pending[stream] = flush ? "" : (lines.pop() ?? "");
      for (const raw of lines) {
        if (flush && raw === "") continue;
        const line = stripAnsi(raw).replace(/\r$/, "");
        chunks.push(line);
        call.onLine?.(line, stream);
      }
    };
    child.stdout.setEncoding("utf8").on("data", (t: string) => take("stdout", t));
    child.stderr.setEncoding("utf8").on("data", (t: string) => take("stderr", t));
    let settled = false;
    const finish = (exitCode: number) => {
      if (settled) return;
      settled = true;
      take("stdout", "", true);
      take("stderr", "", true);
      resolve({ exitCode, output: chunks.join("\n") });
    };
    // A failure to start may be followed by "close" or not: whichever comes first settles.
    child.on("error", (e) => {
      chunks.push(`could not start pulumi: ${e.message}`);
      if (child.pid === undefined) finish(127);
    });
    child.on("close", (code, signal) => finish(code ?? (signal ? 128 : 1)));
  });
}

/** Counts, steps, policy results and errors of a finished call: event log first, text as fallback. */
export function readRunDetails(eventLogFile: string | undefined, output: string): RunDetails {
  let fromLog: RunDetails | undefined;
  if (eventLogFile && fs.existsSync(eventLogFile)) {
    fromLog = parseEventLog(fs.readFileSync(eventLogFile, "utf8"));
  }
  const changes = fromLog?.changes ?? parseTextSummary(output);
  const steps = fromLog && fromLog.steps.length > 0 ? fromLog.steps : parseTextSteps(output);
  return {
    ...(changes ? { changes } : {}),
    steps,
    inputs: fromLog?.inputs ?? [],
    policies: fromLog?.policies ?? [],
    errors: fromLog?.errors ?? [],
    ...(fromLog?.resourceErrors ? { resourceErrors: fromLog.resourceErrors } : {}),
  };
}
