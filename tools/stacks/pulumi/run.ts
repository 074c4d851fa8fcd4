/**
 * Real commands (preview, up, refresh, destroy, cancel): one `pulumi` call per stack, in the
 * project's folder, scheduled in dependency order (reverse for destroy) with at most
 * `--parallel` at a time; a failed stack's dependents are skipped, independent stacks go on.
 * Runs that change nothing ignore the order: see `changesNothing` in engine/selection.ts.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { type Environment, projectDir, stackFilePath } from "../../../lib/model/stacks";
import type { EnvPreview } from "../report/comment";
import { type Io } from "../report/io";
import {
  type BackendSettings,
  type PulumiInvocation,
  type PulumiResult,
  type RealCommand,
  defaultBackendUrl,
  pulumiArgs,
  pulumiEnv,
  readRunDetails,
  spawnPulumi,
} from "./pulumi";
import {
  type RunReport,
  type StackReport,
  endLine,
  reportJson,
  startLine,
  summaryTable,
  violationLines,
} from "../report/report";
import { CLI_EXIT } from "./pulumiCli";
import { selectOrCreateStack } from "./selectStack";
import { runScheduled } from "../engine/scheduler";
import { type SelectedStack, type Selection, orderedReports } from "../engine/selection";

export { orderedReports };
import { urnResource, urnStack } from "./events";
import { changesNothing } from "../engine/selection";

/*
 * Loaded on first use, so `pulumi` starts sooner: the review of the steps (zod, the projects'
 * review tables) and the pull-request comment are only needed once a stack has run, and are
 * loaded while the first `pulumi` runs; --local's YAML only with --local.
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const review = () => require("../engine/review") as typeof import("../engine/review");
const fromSteps = () => require("../review/fromSteps") as typeof import("../review/fromSteps");
const comment = () => require("../report/comment") as typeof import("../report/comment");
const local = () => require("./local") as typeof import("./local");
/* eslint-enable @typescript-eslint/no-require-imports */
let reportingLoaded = false;
function loadReportingSoon(): void {
  if (reportingLoaded) return;
  reportingLoaded = true;
  setImmediate(() => {
    review();
    fromSteps();
  });
}

export interface RunOptions {
  readonly command: RealCommand;
  readonly selection: Selection;
  readonly parallel: number;
  readonly repoRoot: string;
  /** The caller's environment (PATH, PULUMI_BACKEND_URL, credentials). */
  readonly env: NodeJS.ProcessEnv;
  readonly local: boolean;
  readonly targets: readonly string[];
  readonly replaces: readonly string[];
  readonly previewOnly: boolean;
  readonly expectNoChanges: boolean;
  /** preview: where to write the pull-request comment (Markdown). */
  readonly commentFile?: string;
  readonly json: boolean;
  readonly io: Io;
  /** Seam for tests; spawns the real executable by default. */
  readonly spawn?: (call: PulumiInvocation) => Promise<PulumiResult>;
  readonly now?: () => number;
  /** --affected-since: the revision and why each stack that runs was selected. */
  readonly affected?: RunReport["affected"];
}

/** URNs (`urn:pulumi:<stack>::...`) go to their own stack only; any other pattern to every stack. */
export function urnsFor(stack: string, urns: readonly string[]): string[] {
  return urns.filter((u) => {
    const named = urnStack(u);
    return named === undefined || named === stack;
  });
}

export async function runReal(o: RunOptions): Promise<RunReport> {
  const now = o.now ?? (() => performance.now());
  const started = now();
  const spawn = (call: PulumiInvocation) => {
    const running = (o.spawn ?? spawnPulumi)(call);
    loadReportingSoon();
    return running;
  };
  const humanOut = o.json ? o.io.err : o.io.out;

  const settings: BackendSettings = o.local
    ? (() => {
        const { localAwsEnv, localPaths, localstackEndpoint } = local();
        const paths = localPaths(o.repoRoot);
        return {
          backendUrl: paths.backendUrl,
          passphraseFile: paths.passphraseFile,
          localAwsEnv: localAwsEnv(localstackEndpoint(o.env)),
        };
      })()
    : { backendUrl: defaultBackendUrl(o.env) };
  const childEnv = pulumiEnv(o.env, settings);
  const eventDir = fs.mkdtempSync(path.join(os.tmpdir(), "stacks-events-"));
  // With --target, only the stacks that a target names run.
  const targeted = (s: SelectedStack) =>
    o.targets.length === 0 || urnsFor(s.stack, o.targets).length > 0;
  const reports = new Map<string, StackReport>();

  const runOne = async (s: SelectedStack): Promise<StackReport> => {
    const t0 = now();
    const base = { stack: s.stack, project: s.project, env: s.env };
    const failed = (reason: string, output = ""): StackReport => ({
      ...base,
      status: "failed",
      durationMs: now() - t0,
      reason,
      errors: [reason],
      policyViolations: [],
      output,
    });
    const cwd = projectDir(s.project, o.repoRoot);
    const onLine = (line: string) => humanOut(`[${s.stack}] ${line}`);
    let configFile: string | undefined;
    let createDir = cwd;
    if (o.local && o.command !== "cancel") {
      try {
        const prepared = local().prepareLocal(o.repoRoot, s.project, s.env, o.env);
        configFile = prepared.configFile;
        createDir = prepared.scratchDir;
        if (prepared.omittedSecrets.length > 0) {
          humanOut(
            `[${s.stack}] --local leaves out secure config values: ${prepared.omittedSecrets.join(", ")}`,
          );
        }
      } catch (e) {
        return failed(`${s.stack}: could not prepare --local: ${(e as Error).message}`);
      }
    }
    // A missing stack is created before the first up (and, on the local backend, before a preview).
    if (o.command === "up" || (o.local && o.command === "preview")) {
      const created = await selectOrCreateStack(spawn, s.stack, {
        cwd: createDir,
        env: childEnv,
        onLine,
      });
      if (created.exitCode !== 0) {
        return failed(
          `${s.stack}: could not select or create the stack: ${lastError(created.output)}`,
          created.output,
        );
      }
    }
    // After the creation above: a stack created just now has its new salt in its stack file.
    if (!o.local && o.command !== "cancel") {
      configFile = saltlessStackFileCopy(o.repoRoot, s, eventDir);
      if (configFile) {
        humanOut(
          `[${s.stack}] ${path.basename(stackFilePath(s.project, s.env, o.repoRoot))} has no encryptionsalt: ` +
            `running on a scratch copy so that it stays unchanged. Run "npm run stacks -- init --env ${s.env}" and commit the salt.`,
        );
      }
    }
    const eventLog = o.command === "cancel" ? undefined : path.join(eventDir, `${s.stack}.json`);
    const argv = pulumiArgs({
      command: o.command,
      stack: s.stack,
      repoRoot: o.repoRoot,
      targets: urnsFor(s.stack, o.targets),
      replaces: urnsFor(s.stack, o.replaces),
      previewOnly: o.previewOnly,
      expectNoChanges: o.expectNoChanges,
      configFile,
      eventLog,
    });
    const result = await spawn({ argv, cwd, env: childEnv, onLine });
    const details = readRunDetails(eventLog, result.output);
    const durationMs = now() - t0;
    const policyViolations = details.policies.map((p) => ({
      policyName: p.policyName,
      enforcementLevel: p.enforcementLevel,
      message: p.message,
      ...(p.description ? { description: p.description } : {}),
      ...(p.urn ? { urn: p.urn, ...urnResource(p.urn) } : {}),
      ...(p.exemption !== undefined ? { exemption: p.exemption } : {}),
    }));
    const common = {
      ...base,
      durationMs,
      ...(details.changes ? { changes: details.changes } : {}),
      steps: details.steps,
      stepInputs: details.inputs,
      policyViolations,
      output: result.output,
    };
    if (result.exitCode === 0) return { ...common, status: "succeeded", errors: [] };
    // --expect-no-changes makes the CLI fail with "no changes were expected but changes occurred"
    // (or "... were proposed"): that is drift, not a failure, as long as nothing else went wrong.
    const c = details.changes;
    const NO_CHANGES_EXPECTED = /no changes were expected/i;
    const otherErrors = details.errors.filter((e) => !NO_CHANGES_EXPECTED.test(e));
    const drift =
      o.command === "refresh" &&
      o.expectNoChanges &&
      otherErrors.length === 0 &&
      (result.exitCode === CLI_EXIT.noChanges ||
        NO_CHANGES_EXPECTED.test(result.output) ||
        details.errors.length > 0 ||
        (c !== undefined && c.create + c.update + c.replace + c.delete > 0));
    if (drift) {
      return {
        ...common,
        status: "drifted",
        reason: `${s.stack}: the refresh found drift (changes were not expected)`,
        errors: [],
      };
    }
    // A resource AWS refused: name it first, with AWS's message.
    const refused = details.resourceErrors?.[0];
    const first = refused
      ? `${refused.resourceType} ${refused.resourceName}: ${refused.message}`
      : details.errors[0];
    const error = first ?? lastError(result.output) ?? `pulumi exited with code ${result.exitCode}`;
    // One full stop between the CLI's sentence and the hint's.
    const reason = `${s.stack}: ${error}${hint(result.output, s).replace(/^\./, error.endsWith(".") ? "" : ".")}`;
    return {
      ...common,
      status: "failed",
      reason,
      errors: details.errors.length > 0 ? details.errors : [reason],
      ...(details.resourceErrors ? { failedResources: details.resourceErrors } : {}),
    };
  };

  const independent = changesNothing(o);
  const tasks = o.selection.stacks
    .filter(targeted)
    .map((s) => ({ ...s, id: s.stack, ...(independent ? { dependsOn: [] } : {}) }));
  humanOut(
    `${o.command} ${tasks.map((s) => s.stack).join(", ") || "(no stacks)"} with backend ${settings.backendUrl}` +
      (o.parallel > 1 ? `, up to ${o.parallel} at a time` : ""),
  );
  for (const s of o.selection.skipped) humanOut(`<-- ${s.stack}: skipped: ${s.reason}`);
  for (const s of o.selection.stacks.filter((s) => !targeted(s))) {
    const skipped: StackReport = {
      stack: s.stack,
      project: s.project,
      env: s.env,
      status: "skipped",
      durationMs: 0,
      reason: "no --target names a resource of this stack",
      errors: [],
      policyViolations: [],
    };
    reports.set(s.stack, skipped);
    humanOut(endLine(o.command, skipped));
  }
  await runScheduled({
    tasks,
    parallel: o.parallel,
    now,
    isFailure: (r: StackReport) => r.status === "failed",
    run: runOne,
    onStart: (s) => humanOut(startLine(o.command, s.stack)),
    onEnd: (s, outcome) => {
      const report: StackReport = outcome.result ?? {
        stack: s.stack,
        project: s.project,
        env: s.env,
        status: outcome.status === "skipped" ? "skipped" : "failed",
        durationMs: outcome.durationMs,
        reason: outcome.reason,
        errors: outcome.status === "failed" && outcome.reason ? [outcome.reason] : [],
        policyViolations: [],
      };
      reports.set(s.stack, report);
      humanOut(endLine(o.command, report));
      for (const line of violationLines(report)) humanOut(line);
    },
  });
  fs.rmSync(eventDir, { recursive: true, force: true });

  const stacks = orderedReports(o.selection, reports);
  const failed = stacks.some((s) => s.status === "failed" || s.status === "drifted");
  const report: RunReport = {
    command: o.command,
    envs: o.selection.envs,
    local: o.local,
    durationMs: now() - started,
    stacks,
    warnings: o.command === "preview" || o.command === "up" ? review().reviewWarnings(stacks) : [],
    // Only when the event log gave the steps' inputs: without them "no table changes" would be a guess.
    ...((o.command === "preview" || o.command === "up") && fromSteps().hasStepInputs(stacks)
      ? { tables: fromSteps().stacksTableSummary(stacks) }
      : {}),
    exitCode: failed ? 1 : 0,
    ...(o.affected ? { affected: o.affected } : {}),
  };
  if (o.commentFile) writeComment(o.commentFile, report);
  humanOut("");
  humanOut(summaryTable(report));
  if (o.json) o.io.out(reportJson(report));
  return report;
}

/**
 * When the committed stack file has no `encryptionsalt`, the CLI saves one into the file it
 * reads the config from (pkg/cmd/pulumi/config/io.go, getAndSaveSecretsManager): the salt from
 * the state (PULUMI_FALLBACK_TO_STATE_SECRETS_MANAGER) or a new one. So such a stack runs with
 * `--config-file` on a scratch copy, and the committed file is never written by a run. Returns
 * the copy's path, or undefined when the stack file has its salt (or does not exist).
 */
export function saltlessStackFileCopy(
  repoRoot: string,
  s: SelectedStack,
  scratchRoot: string,
): string | undefined {
  const file = stackFilePath(s.project, s.env, repoRoot);
  if (!fs.existsSync(file)) return undefined;
  const text = fs.readFileSync(file, "utf8");
  if (hasEncryptionSalt(text)) return undefined;
  const copy = path.join(scratchRoot, s.stack, path.basename(file));
  fs.mkdirSync(path.dirname(copy), { recursive: true });
  fs.writeFileSync(copy, text);
  return copy;
}

/** Whether a stack file's YAML has a top-level `encryptionsalt` (the passphrase provider's salt). */
export function hasEncryptionSalt(stackFileText: string): boolean {
  return /^encryptionsalt:\s*\S/m.test(stackFileText);
}

/** The last `error:` line of the CLI's output, or its last non-empty line. */
export function lastError(output: string): string | undefined {
  const lines = output
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "");
  const errors = lines.filter((l) => /^error:/i.test(l));
  return errors.length > 0 ? errors[errors.length - 1] : lines[lines.length - 1];
}

function hint(output: string, s: SelectedStack): string {
  if (/no stack named/i.test(output)) {
    return (
      `. The stack does not exist yet: "npm run stacks -- up --env ${s.env} --project ${s.project}" creates it. ` +
      `If it was deployed before, the backend did not answer a listing (a transient backend error): rerun.`
    );
  }
  // The CLI finds a gzipped checkpoint by listing the bucket, and assumes the plain file when the
  // listing fails (stackPath, pkg/backend/diy/state.go, v3.248.0): the state is still there.
  if (/failed to load checkpoint: blob \(key "[^"]*\.json"\) \(code=NotFound\)/.test(output)) {
    return (
      `. The CLI did not get the bucket's listing and looked for the plain ${s.stack}.json instead of ` +
      `the gzipped checkpoint (a transient backend error): rerun. If it persists: npm run stacks -- doctor --env ${s.env}.`
    );
  }
  if (/currently locked/i.test(output)) {
    return (
      `. If nothing else is running against it (check the Actions tab and ask the team), remove the ` +
      `lock with "npm run stacks -- cancel --env ${s.env} --project ${s.project}".`
    );
  }
  if (/PULUMI_CONFIG_PASSPHRASE|passphrase/i.test(output)) {
    return ". Set PULUMI_CONFIG_PASSPHRASE (or PULUMI_CONFIG_PASSPHRASE_FILE) to the team's stack passphrase.";
  }
  return "";
}

/**
 * Writes the pull-request comment. Runs for several environments can share one comment: each
 * run keeps its environments' reports in `<file>.json` and the comment is rendered from them all.
 */
export function writeComment(file: string, report: RunReport): void {
  const sidecar = `${file}.json`;
  let previews: EnvPreview[] = [];
  if (fs.existsSync(sidecar)) {
    try {
      previews = JSON.parse(fs.readFileSync(sidecar, "utf8")) as EnvPreview[];
    } catch {
      previews = [];
    }
  }
  for (const env of report.envs) {
    const fresh: EnvPreview = { env, stacks: report.stacks.filter((s) => s.env === env) };
    const at = previews.findIndex((p) => p.env === env);
    if (at >= 0) previews[at] = fresh;
    else previews.push(fresh);
  }
  const order: Environment[] = ["dev", "preprod", "prod"];
  previews.sort((a, b) => order.indexOf(a.env) - order.indexOf(b.env));
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(sidecar, JSON.stringify(previews));
  fs.writeFileSync(file, comment().renderComment(previews));
}
