/**
 * A small stand-in for GitHub Actions, enough to check this repository's workflows without
 * GitHub (tools/workflows/workflows.test.ts): it loads a workflow, evaluates the `${{ }}`
 * expressions the workflows use, decides which jobs and steps run (needs, `if`, matrix), and
 * runs each `run:` step in bash as the runner would (`bash --noprofile --norc -eo pipefail`),
 * with `npm` replaced by a stub that records its arguments and answers `npm run stacks -- ...`
 * with canned run reports. `uses:` steps are not run: the test checks their inputs instead. A job
 * that calls a reusable workflow of this repository (`uses: ./.github/workflows/<file>`) runs the
 * called workflow's job in its place, with the contexts GitHub gives it (see `callOf`).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { REPO_ROOT } from "../../lib/model/stacks";

export interface Step {
  readonly name?: string;
  readonly id?: string;
  readonly if?: string | boolean;
  readonly uses?: string;
  readonly run?: string;
  readonly shell?: string;
  readonly with?: Readonly<Record<string, string | number | boolean>>;
  readonly env?: Readonly<Record<string, string | number | boolean>>;
  readonly "continue-on-error"?: boolean;
}

/**
 * A job: either one that runs steps (`runs-on`, `steps`) or one that calls a reusable workflow
 * (`uses`, `with`, `secrets`), which takes only the keys in CALLER_KEYS.
 */
export interface Job {
  readonly name?: string;
  readonly if?: string | boolean;
  readonly needs?: string | readonly string[];
  readonly "runs-on"?: string;
  /** A reusable workflow to call, for example `./.github/workflows/deploy.yml`. */
  readonly uses?: string;
  readonly with?: Readonly<Record<string, string | number | boolean>>;
  readonly secrets?: "inherit" | Readonly<Record<string, string>>;
  readonly "timeout-minutes"?: number;
  readonly environment?: string | { readonly name: string };
  readonly concurrency?:
    string | { readonly group: string; readonly "cancel-in-progress"?: boolean | string };
  readonly permissions?: string | Readonly<Record<string, string>>;
  readonly strategy?: {
    readonly "fail-fast"?: boolean;
    readonly matrix?: Readonly<Record<string, unknown>>;
  };
  readonly env?: Readonly<Record<string, string | number | boolean>>;
  readonly steps?: readonly Step[];
}

/** `on.workflow_call` of a reusable workflow. */
export interface WorkflowCall {
  readonly inputs?: Readonly<
    Record<
      string,
      {
        readonly type: "string" | "boolean" | "number";
        readonly required?: boolean;
        readonly default?: string | boolean | number;
        readonly description?: string;
      }
    >
  >;
  readonly secrets?: Readonly<
    Record<string, { readonly required?: boolean; readonly description?: string } | null>
  >;
}

export interface Workflow {
  readonly name: string;
  readonly on: Readonly<Record<string, unknown>>;
  readonly permissions?: string | Readonly<Record<string, string>>;
  readonly concurrency?:
    string | { readonly group: string; readonly "cancel-in-progress"?: boolean | string };
  readonly defaults?: { readonly run?: { readonly shell?: string } };
  readonly env?: Readonly<Record<string, string | number | boolean>>;
  readonly jobs: Readonly<Record<string, Job>>;
}

export interface LoadedWorkflow {
  /** File name, for example `pulumi_up.yml`. */
  readonly file: string;
  readonly path: string;
  readonly text: string;
  readonly doc: Workflow;
}

export const WORKFLOWS_DIR = path.join(REPO_ROOT, ".github", "workflows");

export function loadWorkflow(file: string): LoadedWorkflow {
  const full = path.join(WORKFLOWS_DIR, file);
  const text = fs.readFileSync(full, "utf8");
  return { file, path: full, text, doc: parse(text) as Workflow };
}

// ---------------------------------------------------------------------------------------------
// Expressions: the subset of GitHub's expression language the workflows use. Anything else
// throws, so that a new construct in a workflow is noticed here instead of silently misread.

export type Value =
  string | number | boolean | null | undefined | Value[] | { [key: string]: Value };

export interface StatusFunctions {
  success(): boolean;
  failure(): boolean;
}

type Token = { kind: "op" | "str" | "num" | "ident"; text: string };

function tokenize(src: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'") {
      let j = i + 1;
      let text = "";
      while (j < src.length) {
        if (src[j] === "'" && src[j + 1] === "'") {
          text += "'";
          j += 2;
        } else if (src[j] === "'") break;
        else text += src[j++];
      }
      if (j >= src.length) throw new Error(`unterminated string in expression: ${src}`);
      tokens.push({ kind: "str", text });
      i = j + 1;
    } else if (/[0-9]/.test(c)) {
      const m = /^[0-9]+(\.[0-9]+)?/.exec(src.slice(i))!;
      tokens.push({ kind: "num", text: m[0] });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_-]*/.exec(src.slice(i))!;
      tokens.push({ kind: "ident", text: m[0] });
      i += m[0].length;
    } else {
      const two = src.slice(i, i + 2);
      if (["==", "!=", "&&", "||", "<=", ">="].includes(two)) {
        tokens.push({ kind: "op", text: two });
        i += 2;
      } else if ("!().[],<>*".includes(c)) {
        tokens.push({ kind: "op", text: c });
        i++;
      } else {
        throw new Error(`unexpected "${c}" in expression: ${src}`);
      }
    }
  }
  return tokens;
}

const truthy = (v: Value): boolean =>
  !(v === null || v === undefined || v === false || v === 0 || v === "");

function equal(a: Value, b: Value): boolean {
  if (typeof a === "string" && typeof b === "string") return a.toLowerCase() === b.toLowerCase();
  if ((a === null || a === undefined) && (b === null || b === undefined)) return true;
  return a === b;
}

/** Evaluates one expression (without `${{ }}`) against the contexts. */
export function evaluate(
  src: string,
  contexts: Record<string, Value>,
  status?: StatusFunctions,
): Value {
  const tokens = tokenize(src);
  let pos = 0;
  const peek = () => tokens[pos];
  const take = (text?: string) => {
    const t = tokens[pos];
    if (!t || (text !== undefined && t.text !== text)) {
      throw new Error(`expected ${text ?? "a token"} at ${pos} in expression: ${src}`);
    }
    pos++;
    return t;
  };
  const isOp = (text: string) => peek()?.kind === "op" && peek()?.text === text;

  const orExpr = (): Value => {
    let left = andExpr();
    while (isOp("||")) {
      take();
      const right = andExpr();
      left = truthy(left) ? left : right;
    }
    return left;
  };
  const andExpr = (): Value => {
    let left = notExpr();
    while (isOp("&&")) {
      take();
      const right = notExpr();
      left = truthy(left) ? right : left;
    }
    return left;
  };
  const notExpr = (): Value => {
    if (isOp("!")) {
      take();
      return !truthy(notExpr());
    }
    return comparison();
  };
  const comparison = (): Value => {
    const left = primary();
    if (isOp("==") || isOp("!=")) {
      const op = take().text;
      const right = primary();
      return op === "==" ? equal(left, right) : !equal(left, right);
    }
    return left;
  };
  const call = (name: string): Value => {
    take("(");
    const args: Value[] = [];
    while (!isOp(")")) {
      args.push(orExpr());
      if (isOp(",")) take();
    }
    take(")");
    switch (name.toLowerCase()) {
      case "success":
        return status ? status.success() : true;
      case "failure":
        return status ? status.failure() : false;
      case "cancelled":
        return false;
      case "always":
        return true;
      case "format":
        return String(args[0]).replace(/\{(\d+)\}/g, (_, n: string) =>
          String(args[Number(n) + 1] ?? ""),
        );
      default:
        throw new Error(
          `function ${name}() is not supported by tools/workflows/harness.ts: ${src}`,
        );
    }
  };
  const primary = (): Value => {
    const t = take();
    if (t.kind === "str") return t.text;
    if (t.kind === "num") return Number(t.text);
    if (t.kind === "op" && t.text === "(") {
      const v = orExpr();
      take(")");
      return v;
    }
    if (t.kind !== "ident") throw new Error(`unexpected "${t.text}" in expression: ${src}`);
    if (t.text === "true") return true;
    if (t.text === "false") return false;
    if (t.text === "null") return null;
    if (isOp("(")) return call(t.text);
    if (!(t.text in contexts)) throw new Error(`unknown context "${t.text}" in expression: ${src}`);
    let value: Value = contexts[t.text];
    for (;;) {
      if (isOp(".")) {
        take();
        const key = take().text;
        value = member(value, key);
      } else if (isOp("[")) {
        take();
        const key = orExpr();
        take("]");
        value = member(value, String(key));
      } else break;
    }
    return value;
  };
  const member = (value: Value, key: string): Value =>
    value !== null && typeof value === "object" && !Array.isArray(value) ? value[key] : undefined;

  const result = orExpr();
  if (pos !== tokens.length)
    throw new Error(`unexpected "${tokens[pos].text}" in expression: ${src}`);
  return result;
}

/** The text of a `${{ }}`-wrapped or bare `if:` condition. */
export function conditionText(condition: string | boolean): string {
  if (typeof condition === "boolean") return String(condition);
  const m = /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(condition);
  return (m ? m[1] : condition).trim();
}

/** Whether an `if:` holds. Without a status function, GitHub ANDs it with success(). */
export function holds(
  condition: string | boolean | undefined,
  contexts: Record<string, Value>,
  status: StatusFunctions,
) {
  if (condition === undefined) return status.success();
  const text = conditionText(condition);
  const hasStatus = /\b(success|failure|cancelled|always)\s*\(/.test(text);
  return (hasStatus || status.success()) && truthy(evaluate(text, contexts, status));
}

/** Replaces every `${{ expr }}` in a string by its value. */
export function interpolate(text: string, contexts: Record<string, Value>): string {
  return text.replace(/\$\{\{([\s\S]*?)\}\}/g, (_, expr: string) => {
    const v = evaluate(expr.trim(), contexts);
    return v === null || v === undefined
      ? ""
      : typeof v === "object"
        ? JSON.stringify(v)
        : String(v);
  });
}

// ---------------------------------------------------------------------------------------------
// Reusable workflows, as GitHub documents them: "Reuse workflows"
// (https://docs.github.com/actions/how-tos/reuse-automations/reuse-workflows), the "Reusable
// workflows reference" (https://docs.github.com/actions/reference/workflows-and-actions/reusable-workflows)
// and "Workflow syntax" (jobs.<job_id>.uses, .with, .secrets, .secrets.inherit). Anything those
// pages leave open is refused rather than guessed.

/** "Supported keywords for jobs that call a reusable workflow" (reusable workflows reference). */
export const CALLER_KEYS = [
  "name",
  "uses",
  "with",
  "secrets",
  "strategy",
  "needs",
  "if",
  "concurrency",
  "permissions",
] as const;

/** A job that calls a reusable workflow, and what it calls. */
export interface Call {
  readonly called: LoadedWorkflow;
  /** The called workflow's one job. */
  readonly jobId: string;
  readonly declared: WorkflowCall;
}

export const isCall = (job: Job): boolean => job.uses !== undefined;

/**
 * The workflow a job calls, checked: a file of this repository's .github/workflows (GitHub
 * supports no subfolder), triggered by workflow_call, the calling job using only CALLER_KEYS,
 * and one job in the called workflow (how GitHub folds several jobs' results into the caller's
 * needs.<job>.result is not documented, so the harness models only one).
 */
export function callOf(wf: LoadedWorkflow, id: string): Call {
  const job = wf.doc.jobs[id];
  const where = `${wf.file} ${id}`;
  const m = /^\.\/\.github\/workflows\/([^/]+\.ya?ml)$/.exec(job.uses ?? "");
  if (!m) {
    throw new Error(
      `${where}: uses "${job.uses}": the harness runs only reusable workflows of this repository, ` +
        "as ./.github/workflows/<file>.yml (GitHub supports no subfolders there)",
    );
  }
  const extra = Object.keys(job).filter((k) => !(CALLER_KEYS as readonly string[]).includes(k));
  if (extra.length > 0) {
    throw new Error(
      `${where}: a job that calls a reusable workflow takes only ${CALLER_KEYS.join(", ")}; ` +
        `move ${extra.join(", ")} into the called workflow's job`,
    );
  }
  const called = loadWorkflow(m[1]);
  const on = called.doc.on as Record<string, WorkflowCall | null> | null;
  if (!on || typeof on !== "object" || !("workflow_call" in on)) {
    throw new Error(`${where}: ${called.file} has no "on: workflow_call", so it cannot be called`);
  }
  const jobIds = Object.keys(called.doc.jobs);
  if (jobIds.length !== 1) {
    throw new Error(
      `${where}: ${called.file} has ${jobIds.length} jobs; the harness models called workflows ` +
        "of one job (GitHub does not document how several results fold into the caller's)",
    );
  }
  if (called.doc.jobs[jobIds[0]].strategy?.matrix) {
    throw new Error(
      `${where}: ${called.file} ${jobIds[0]}: a matrix in a called job is not modelled`,
    );
  }
  return { called, jobId: jobIds[0], declared: on.workflow_call ?? {} };
}

/**
 * What GitHub checks of a call before the run starts: callOf, the names in `with` and `secrets`
 * declared by the called workflow, required ones given, and the permissions.
 */
export function checkCall(wf: LoadedWorkflow, id: string): Call {
  const call = callOf(wf, id);
  const where = `${wf.file} ${id}`;
  const job = wf.doc.jobs[id];
  const inputs = call.declared.inputs ?? {};
  for (const name of Object.keys(job.with ?? {})) {
    if (!(name in inputs)) {
      throw new Error(
        `${where}: with.${name}: ${call.called.file} declares no such input (it has: ${Object.keys(inputs).join(", ") || "none"})`,
      );
    }
  }
  for (const [name, spec] of Object.entries(inputs)) {
    if (spec.required && !(name in (job.with ?? {})))
      throw new Error(`${where}: ${call.called.file} requires input "${name}"; pass it in with:`);
  }
  const secrets = call.declared.secrets ?? {};
  const given = job.secrets === "inherit" ? undefined : (job.secrets ?? {});
  for (const name of Object.keys(given ?? {})) {
    if (!(name in secrets)) {
      throw new Error(
        `${where}: secrets.${name}: ${call.called.file} declares no such secret under on.workflow_call.secrets`,
      );
    }
  }
  for (const [name, spec] of Object.entries(secrets)) {
    if (given && spec?.required && !(name in given))
      throw new Error(
        `${where}: ${call.called.file} requires secret "${name}"; pass it in secrets:`,
      );
  }
  checkCallPermissions(wf, id, call);
  return call;
}

/**
 * The called workflow's `inputs` context: the caller's `with` (checked by checkCall), evaluated in
 * the caller's contexts, each of its declared type ("Any inputs that you pass must match the
 * input specifications defined in the called workflow"), defaults filled in.
 */
export function callInputs(
  wf: LoadedWorkflow,
  id: string,
  call: Call,
  contexts: Record<string, Value>,
): Record<string, Value> {
  const where = `${wf.file} ${id}`;
  const declared = call.declared.inputs ?? {};
  const given = wf.doc.jobs[id].with ?? {};
  const inputs: Record<string, Value> = {};
  for (const [name, raw] of Object.entries(given)) {
    const spec = declared[name]; // checkCall made sure it is declared
    const whole = typeof raw === "string" ? /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(raw) : null;
    let value: Value = whole
      ? evaluate(whole[1].trim(), contexts)
      : typeof raw === "string"
        ? interpolate(raw, contexts)
        : raw;
    // An expression that yields nothing (an input of another event) passes the type's empty value.
    if (value === null || value === undefined)
      value = spec.type === "string" ? "" : spec.type === "number" ? 0 : false;
    if (typeof value !== spec.type) {
      throw new Error(
        `${where}: with.${name} is ${JSON.stringify(value)}, but ${call.called.file} declares it ${spec.type}`,
      );
    }
    inputs[name] = value;
  }
  for (const [name, spec] of Object.entries(declared)) {
    if (!(name in inputs)) inputs[name] = spec.default ?? (spec.type === "string" ? "" : null);
  }
  return inputs;
}

/**
 * The called workflow's `secrets` context: what the caller maps, each a declared secret
 * ("Any secrets that you pass must match the names defined in the called workflow"), or every
 * secret of the caller with `secrets: inherit`; nothing else, but GITHUB_TOKEN ("The called
 * workflow is automatically granted access to github.token and secrets.GITHUB_TOKEN").
 */
export function callSecrets(
  wf: LoadedWorkflow,
  id: string,
  contexts: Record<string, Value>,
): Record<string, Value> {
  const callerSecrets = (contexts.secrets ?? {}) as Record<string, Value>;
  const given = wf.doc.jobs[id].secrets;
  if (given === "inherit") return { ...callerSecrets };
  const secrets: Record<string, Value> = { GITHUB_TOKEN: callerSecrets.GITHUB_TOKEN };
  for (const [name, raw] of Object.entries(given ?? {})) secrets[name] = interpolate(raw, contexts);
  return secrets;
}

type Permissions = string | Readonly<Record<string, string>> | undefined;
const LEVEL: Record<string, number> = { none: 0, read: 1, write: 2 };
function levelOf(perms: Permissions, scope: string): number | undefined {
  if (perms === undefined) return undefined;
  if (perms === "read-all") return LEVEL.read;
  if (perms === "write-all") return LEVEL.write;
  if (typeof perms === "string") throw new Error(`unknown permissions "${perms}"`);
  return LEVEL[perms[scope] ?? "none"];
}

/**
 * "The GITHUB_TOKEN permissions passed from the caller workflow can be only downgraded (not
 * elevated) by the called workflow": every scope the called job asks for must be granted by the
 * calling job. (A caller that sets none passes the repository's default, which the harness
 * cannot know: then nothing is checked.)
 */
export function checkCallPermissions(wf: LoadedWorkflow, id: string, call: Call): void {
  const granted: Permissions = wf.doc.jobs[id].permissions ?? wf.doc.permissions;
  if (granted === undefined) return;
  const asked: Permissions =
    call.called.doc.jobs[call.jobId].permissions ?? call.called.doc.permissions;
  const scopes =
    typeof asked === "object" ? Object.keys(asked) : asked === undefined ? [] : ["contents"];
  for (const scope of scopes) {
    if ((levelOf(asked, scope) ?? 0) > (levelOf(granted, scope) ?? 0)) {
      throw new Error(
        `${wf.file} ${id}: ${call.called.file} ${call.jobId} asks for ${scope}: ` +
          `${typeof asked === "object" ? asked[scope] : asked}, more than the calling job grants; ` +
          "grant it in the calling job's permissions",
      );
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Running jobs.

/** What `npm run stacks -- ...` answers in a simulation. */
export interface NpmStub {
  /** Printed on stdout for `--json`, by command (`up`) or command and env (`up:prod`). */
  readonly reports?: Readonly<Record<string, string>>;
  /** Exit code, by command or command and env (default 0). */
  readonly exitCodes?: Readonly<Record<string, number>>;
  /** Written to the file given with --comment-file. */
  readonly comment?: string;
}

export interface SimulationInput {
  /** Contexts `github`, `inputs`, `vars` and `secrets` (the rest are filled in per job). */
  readonly github: Record<string, Value>;
  readonly inputs?: Record<string, Value>;
  readonly vars?: Record<string, Value>;
  readonly secrets?: Record<string, Value>;
  /**
   * Secrets of GitHub environments, by environment name: a job that runs in an environment sees
   * them in `secrets`, over the secrets of the same name it was given otherwise.
   */
  readonly environmentSecrets?: Readonly<Record<string, Record<string, Value>>>;
  readonly npm?: NpmStub;
  /** Only decide which jobs run (each counts as succeeded); run no step. */
  readonly dryRun?: boolean;
  /**
   * Jobs that end cancelled instead of running when their turn comes, as a job waiting in a
   * concurrency group does when a newer run's job supersedes it. The run itself is not
   * cancelled, so `cancelled()` stays false and `failure()` sees no failure: only
   * `needs.<job>.result` ("cancelled") tells.
   */
  readonly cancelJobs?: readonly string[];
}

export interface StepRun {
  readonly name: string;
  readonly ran: boolean;
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface JobRun {
  readonly job: string;
  readonly matrix: Readonly<Record<string, string>>;
  readonly status: "success" | "failure" | "skipped" | "cancelled";
  /** The GitHub environment the job ran in, if any. */
  readonly environment?: string;
  /** For a job that calls a reusable workflow: the job that ran in its place (`deploy.yml deploy`). */
  readonly called?: string;
  readonly steps: readonly StepRun[];
  /** Arguments of every `npm` call, in order. */
  readonly npmCalls: readonly (readonly string[])[];
  /** What the job wrote to $GITHUB_STEP_SUMMARY. */
  readonly summary: string;
  /** The job's $RUNNER_TEMP. */
  readonly runnerTemp: string;
}

// Plain bash, so that the many npm calls of a simulation cost no Node.js start-up each.
const NPM_STUB = `#!/usr/bin/env bash
# npm, as seen by a simulated job: records its arguments, answers "run stacks" from $STUB_DIR.
{ printf '%s\\x1f' "$@"; printf '\\x1e'; } >> "$STUB_LOG"
[[ "\${1:-}" == run ]] || exit 0
shift
args=()
for a in "$@"; do [[ "$a" == --silent || "$a" == -s ]] || args+=("$a"); done
[[ "\${args[0]:-}" == stacks ]] || exit 0
args=("\${args[@]:1}")
[[ "\${args[0]:-}" == -- ]] && args=("\${args[@]:1}")
command="\${args[0]:-}" env="" json="" comment=""
for ((i = 0; i < \${#args[@]}; i++)); do
  case "\${args[i]}" in
    --env) env="\${args[i + 1]:-}" ;;
    --json) json=1 ;;
    --comment-file) comment="\${args[i + 1]:-}" ;;
  esac
done
pick() { # the stub file of a kind for "command:env", else for "command"
  if [[ -e "$STUB_DIR/$1.$command:$env" ]]; then echo "$STUB_DIR/$1.$command:$env"
  elif [[ -e "$STUB_DIR/$1.$command" ]]; then echo "$STUB_DIR/$1.$command"; fi
}
if [[ -n "$comment" && -e "$STUB_DIR/comment" ]]; then cp "$STUB_DIR/comment" "$comment"; fi
if [[ -n "$json" ]]; then f=$(pick report); if [[ -n "$f" ]]; then cat "$f"; fi; fi
f=$(pick exit)
if [[ -n "$f" ]]; then exit "$(cat "$f")"; fi
exit 0
`;

function matrixLegs(job: Job): Record<string, string>[] {
  const matrix = job.strategy?.matrix;
  if (!matrix) return [{}];
  let legs: Record<string, string>[] = [{}];
  for (const [key, values] of Object.entries(matrix)) {
    if (!Array.isArray(values)) throw new Error(`matrix "${key}" must be a list in this harness`);
    legs = legs.flatMap((leg) => values.map((v) => ({ ...leg, [key]: String(v) })));
  }
  return legs;
}

function needsOf(job: Job): string[] {
  return job.needs === undefined
    ? []
    : typeof job.needs === "string"
      ? [job.needs]
      : [...job.needs];
}

function readOutputs(file: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = fs.existsSync(file) ? fs.readFileSync(file, "utf8").split("\n") : [];
  for (let i = 0; i < lines.length; i++) {
    const heredoc = /^([A-Za-z0-9_-]+)<<(.+)$/.exec(lines[i]);
    if (heredoc) {
      const body: string[] = [];
      for (i++; i < lines.length && lines[i] !== heredoc[2]; i++) body.push(lines[i]);
      outputs[heredoc[1]] = body.join("\n");
      continue;
    }
    const eq = lines[i].indexOf("=");
    if (eq > 0) outputs[lines[i].slice(0, eq)] = lines[i].slice(eq + 1);
  }
  return outputs;
}

const stringifyEnv = (env: Readonly<Record<string, string | number | boolean>> | undefined) =>
  Object.fromEntries(Object.entries(env ?? {}).map(([k, v]) => [k, String(v)]));

/**
 * Runs a workflow's jobs as GitHub would for one event: in `needs` order, each matrix leg, `if`
 * conditions evaluated, `run:` steps executed in bash under `workDir`.
 */
export function simulate(wf: LoadedWorkflow, input: SimulationInput, workDir: string): JobRun[] {
  // GitHub checks every call when the run starts, skipped jobs' included.
  const calls = new Map(
    Object.keys(wf.doc.jobs)
      .filter((id) => isCall(wf.doc.jobs[id]))
      .map((id) => [id, checkCall(wf, id)]),
  );
  const runs: JobRun[] = [];
  const statusOf = new Map<string, JobRun["status"]>();
  const pending = Object.keys(wf.doc.jobs);
  const ancestors = (id: string): string[] =>
    needsOf(wf.doc.jobs[id]).flatMap((n) => [n, ...ancestors(n)]);
  while (pending.length > 0) {
    const index = pending.findIndex((id) => needsOf(wf.doc.jobs[id]).every((n) => statusOf.has(n)));
    if (index < 0)
      throw new Error(`${wf.file}: jobs ${pending.join(", ")} need jobs that never run`);
    const [id] = pending.splice(index, 1);
    const job = wf.doc.jobs[id];
    const before = ancestors(id).map((n) => statusOf.get(n));
    const jobStatus: StatusFunctions = {
      success: () => before.every((s) => s === "success"),
      failure: () => before.some((s) => s === "failure"),
    };
    // The `needs` context: each direct need's result (success, failure, cancelled or skipped).
    const needs: Record<string, Value> = Object.fromEntries(
      needsOf(job).map((n) => [n, { result: statusOf.get(n) ?? "skipped", outputs: {} }]),
    );
    const legs = matrixLegs(job).map((matrix) => {
      const contexts: Record<string, Value> = {
        github: input.github,
        inputs: input.inputs ?? {},
        vars: input.vars ?? {},
        secrets: input.secrets ?? {},
        matrix,
        needs,
      };
      if (!holds(job.if, contexts, jobStatus)) {
        return idle(id, matrix, "skipped");
      }
      if (input.cancelJobs?.includes(id)) {
        return idle(id, matrix, "cancelled");
      }
      const call = calls.get(id);
      if (call) {
        // The called job sees the caller's github and vars, its own inputs and the secrets passed.
        const calledInput: SimulationInput = {
          ...input,
          inputs: callInputs(wf, id, call, contexts),
          secrets: callSecrets(wf, id, contexts),
          cancelJobs: undefined,
        };
        if (input.dryRun) {
          return idle(id, matrix, "success");
        }
        const [run] = simulate(call.called, calledInput, workDir);
        return { ...run, job: id, matrix, called: `${call.called.file} ${call.jobId}` };
      }
      if (input.dryRun) {
        return idle(id, matrix, "success");
      }
      const dir = fs.mkdtempSync(
        path.join(workDir, `${wf.file}-${[id, ...Object.values(matrix)].join("-")}-`),
      );
      return runJob(wf, id, matrix, input, dir, needs);
    });
    runs.push(...legs);
    statusOf.set(
      id,
      legs.some((l) => l.status === "failure")
        ? "failure"
        : legs.some((l) => l.status === "cancelled")
          ? "cancelled"
          : legs.every((l) => l.status === "skipped")
            ? "skipped"
            : "success",
    );
  }
  return runs;
}

/** A job that ran no step: skipped, cancelled, or counted as succeeded in a dry run. */
const idle = (job: string, matrix: Record<string, string>, status: JobRun["status"]): JobRun => ({
  job,
  matrix,
  status,
  steps: [],
  npmCalls: [],
  summary: "",
  runnerTemp: "",
});

function runJob(
  wf: LoadedWorkflow,
  id: string,
  matrix: Record<string, string>,
  input: SimulationInput,
  dir: string,
  needs: Record<string, Value>,
): JobRun {
  const job = wf.doc.jobs[id];
  if (!job.steps || !job["runs-on"])
    throw new Error(
      `${wf.file} ${id}: a job needs runs-on and steps, or uses (a reusable workflow)`,
    );
  const runnerTemp = path.join(dir, "runner-temp");
  const bin = path.join(dir, "bin");
  const stubDir = path.join(dir, "stub");
  for (const d of [runnerTemp, bin, stubDir]) fs.mkdirSync(d, { recursive: true });
  fs.writeFileSync(path.join(bin, "npm"), NPM_STUB, { mode: 0o755 });
  for (const [key, report] of Object.entries(input.npm?.reports ?? {})) {
    fs.writeFileSync(path.join(stubDir, `report.${key}`), report);
  }
  for (const [key, code] of Object.entries(input.npm?.exitCodes ?? {})) {
    fs.writeFileSync(path.join(stubDir, `exit.${key}`), String(code));
  }
  if (input.npm?.comment !== undefined)
    fs.writeFileSync(path.join(stubDir, "comment"), input.npm.comment);
  const stubLog = path.join(dir, "npm-calls.log");
  const summaryFile = path.join(dir, "step-summary.md");
  const outputFile = path.join(dir, "github-output");
  fs.writeFileSync(stubLog, "");
  fs.writeFileSync(summaryFile, "");

  const pre: Record<string, Value> = {
    github: input.github,
    inputs: input.inputs ?? {},
    vars: input.vars ?? {},
    matrix,
    needs,
  };
  const environment =
    job.environment === undefined
      ? undefined
      : interpolate(
          typeof job.environment === "string" ? job.environment : job.environment.name,
          pre,
        );
  if (environment === "") throw new Error(`${wf.file} ${id}: environment evaluates to ""`);
  const base: Record<string, Value> = {
    ...pre,
    secrets: {
      ...(input.secrets ?? {}),
      ...(environment ? (input.environmentSecrets?.[environment] ?? {}) : {}),
    },
    runner: { temp: runnerTemp, os: "Linux" },
  };
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(stringifyEnv(wf.doc.env)))
    env[k] = interpolate(v, { ...base, env });
  for (const [k, v] of Object.entries(stringifyEnv(job.env)))
    env[k] = interpolate(v, { ...base, env });

  const stepOutputs: Record<string, Value> = {};
  const steps: StepRun[] = [];
  let failed = false;
  const stepStatus: StatusFunctions = { success: () => !failed, failure: () => failed };
  for (const [i, step] of job.steps.entries()) {
    const name = step.name ?? step.uses ?? `step ${i + 1}`;
    const contexts = { ...base, env, steps: stepOutputs };
    if (!holds(step.if, contexts, stepStatus)) {
      steps.push({ name, ran: false, exitCode: 0, stdout: "", stderr: "" });
      continue;
    }
    if (step.run === undefined) {
      steps.push({ name, ran: true, exitCode: 0, stdout: "", stderr: "" });
      if (step.id)
        stepOutputs[step.id] = { outputs: {}, outcome: "success", conclusion: "success" };
      continue;
    }
    const stepEnv: Record<string, string> = { ...env };
    for (const [k, v] of Object.entries(stringifyEnv(step.env)))
      stepEnv[k] = interpolate(v, contexts);
    const shell = step.shell ?? wf.doc.defaults?.run?.shell;
    if (shell !== "bash")
      throw new Error(`${wf.file} ${id}: step "${name}" must run in bash (defaults.run.shell)`);
    fs.writeFileSync(outputFile, "");
    const script = path.join(dir, `step-${i + 1}.sh`);
    fs.writeFileSync(script, step.run);
    const result = spawnSync("bash", ["--noprofile", "--norc", "-eo", "pipefail", script], {
      cwd: REPO_ROOT,
      encoding: "utf8",
      env: {
        HOME: process.env.HOME ?? dir,
        PATH: `${bin}${path.delimiter}${process.env.PATH ?? ""}`,
        CI: "true",
        GITHUB_ACTIONS: "true",
        RUNNER_TEMP: runnerTemp,
        GITHUB_OUTPUT: outputFile,
        GITHUB_STEP_SUMMARY: summaryFile,
        GITHUB_ENV: path.join(dir, "github-env"),
        STUB_DIR: stubDir,
        STUB_LOG: stubLog,
        ...stepEnv,
      },
    });
    const exitCode = result.status ?? 1;
    steps.push({ name, ran: true, exitCode, stdout: result.stdout, stderr: result.stderr });
    const outcome = exitCode === 0 ? "success" : "failure";
    if (step.id)
      stepOutputs[step.id] = { outputs: readOutputs(outputFile), outcome, conclusion: outcome };
    if (exitCode !== 0 && !step["continue-on-error"]) failed = true;
  }
  // One record per call (\x1e), one field per argument (\x1f), as the stub wrote them.
  const npmCalls = fs
    .readFileSync(stubLog, "utf8")
    .split("\x1e")
    .slice(0, -1)
    .map((call) => call.split("\x1f").slice(0, -1));
  return {
    job: id,
    matrix,
    status: failed ? "failure" : "success",
    environment,
    steps,
    npmCalls,
    summary: fs.readFileSync(summaryFile, "utf8"),
    runnerTemp,
  };
}

/** The arguments after `npm run [--silent] stacks --`, or undefined for other npm calls. */
export function stacksArgs(npmArgs: readonly string[]): string[] | undefined {
  if (npmArgs[0] !== "run") return undefined;
  const rest = npmArgs.slice(1).filter((a) => a !== "--silent" && a !== "-s");
  if (rest[0] !== "stacks") return undefined;
  return rest[1] === "--" ? rest.slice(2) : rest.slice(1);
}
