/**
 * `npm run bench:scale -- --tables <n>`: issue 20's table at n tables. On a scratch copy of the
 * checkout (the checkout is never touched) it grows the metadata to n tables, then runs the real
 * Pulumi CLI (tools/realCli) through the orchestrator on a local S3 backend (s3rver) and prints:
 * first `stacks up --env dev`, a no-change `stacks preview --env dev`, after one column is added
 * to one table the pull request's preview (`--affected-since` the commit before it) and the
 * `up` of every dev stack (as pulumi_up runs it), a no-change preview of core-dev alone, the checkpoint
 * sizes of pipelines, metadata and glue_database, and the offline `plan --env dev` / `--env all`
 * time and peak RSS; each real-CLI row also gives the CPU the local S3 server (the S3 stand-in,
 * in this process) spent on it. It measures; it asserts nothing, and no test or CI job runs it.
 *
 * Options: --tables <n> (required, at least the checkout's count), --parallel <n> (passed to the
 * orchestrator; default 1, as pulumi_up runs), --keep (leave the scratch copy and print its path),
 * --json (the figures as JSON on stdout). `--preview-cost [runs]` instead breaks a no-change
 * preview of core-dev down (previewCost.ts).
 */
import { execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { cliDir, cliEnv, scratchRepo } from "../realCli/harness";
import { startLocalS3, type LocalS3 } from "../realCli/s3Server";
import { previewCost } from "./previewCost";
import { growTables, addColumn } from "./syntheticTables";

interface Args {
  tables: number;
  parallel: number;
  /** Whether --parallel was given (previews then use it too). */
  parallelGiven: boolean;
  keep: boolean;
  json: boolean;
}

function parseArgs(argv: readonly string[]): Args {
  const args: Args = { tables: 0, parallel: 1, parallelGiven: false, keep: false, json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const num = (name: string) => {
      const v = Number(argv[++i]);
      if (!Number.isInteger(v) || v <= 0)
        throw new Error(`${name} needs a positive whole number, got ${argv[i] ?? "nothing"}`);
      return v;
    };
    if (a === "--tables") args.tables = num("--tables");
    else if (a === "--parallel") {
      args.parallel = num("--parallel");
      args.parallelGiven = true;
    } else if (a === "--keep") args.keep = true;
    else if (a === "--json") args.json = true;
    else
      throw new Error(`unknown option ${a}; use --tables <n> [--parallel <n>] [--keep] [--json]`);
  }
  if (args.tables === 0) throw new Error("--tables <n> is required, for example --tables 200");
  return args;
}

interface Timed {
  seconds: number;
  code: number;
  stdout: string;
  stderr: string;
  /** Peak resident set of the process tree's largest process (GNU time's %M), in MB. */
  peakMb?: number;
}

/** Runs `node <args>` in `cwd` under GNU time (for the peak RSS when asked). */
function timed(
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
  peak = false,
): Promise<Timed> {
  const rssFile = path.join(os.tmpdir(), `scale-bench-rss-${process.pid}-${Date.now()}`);
  const [cmd, argv] = peak
    ? ["/usr/bin/time", ["-f", "%M", "-o", rssFile, process.execPath, ...args]]
    : [process.execPath, [...args]];
  const started = process.hrtime.bigint();
  return new Promise((resolve) => {
    const child = spawn(cmd, argv, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (t: string) => (stdout += t));
    child.stderr.setEncoding("utf8").on("data", (t: string) => (stderr += t));
    child.on("error", (e) => resolve({ seconds: 0, code: 1, stdout, stderr: e.message }));
    child.on("close", (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      let peakMb: number | undefined;
      if (peak) {
        peakMb = Number(fs.readFileSync(rssFile, "utf8").trim().split("\n").pop()) / 1024;
        fs.rmSync(rssFile, { force: true });
      }
      resolve({ seconds, code: code ?? 1, stdout, stderr, peakMb });
    });
  });
}

interface StackTimes {
  stack: string;
  status: string;
  seconds: number;
}

interface Row {
  what: string;
  seconds: number;
  stacks?: StackTimes[];
  note?: string;
}

const log = (json: boolean) => (line: string) =>
  (json ? process.stderr : process.stdout).write(`${line}\n`);

async function main(): Promise<void> {
  if (process.argv[2] === "--preview-cost") return previewCost(Number(process.argv[3] ?? 3));
  const args = parseArgs(process.argv.slice(2));
  const say = log(args.json);
  const dir = cliDir();
  const repo = scratchRepo();
  const grown = growTables(path.join(repo, "metadata", "databases"), args.tables);
  say(`scratch copy ${repo}: ${args.tables} tables (${grown.delius} delius, ${grown.oasys} oasys)`);
  const s3: LocalS3 = await startLocalS3();
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "dataeng-scale-home-"));
  const env = { ...cliEnv(dir, s3, home), PULUMI_BACKEND_URL: s3.backendUrl };
  const register = path.join(repo, "tools", "stacks", "register.js");
  const cli = path.join(repo, "tools", "stacks", "cli.ts");
  const rows: Row[] = [];
  const stacks = (argv: readonly string[], peak = false) =>
    timed(["--require", register, cli, ...argv], repo, env, peak);

  /** An orchestrator run with --json; fails the bench with its output when it fails. */
  const orchestrated = async (what: string, argv: readonly string[]) => {
    say(`... ${what}`);
    // The local S3 server runs in this process, which otherwise only waits: its CPU is the
    // S3 stand-in's part of the row (real S3 does that work on its side of the network).
    const s3Cpu = process.cpuUsage();
    const r = await stacks([...argv, "--json"]);
    const { user, system } = process.cpuUsage(s3Cpu);
    let report: {
      exitCode: number;
      stacks: { stack: string; status: string; durationMs: number }[];
    };
    try {
      report = JSON.parse(r.stdout) as typeof report;
    } catch {
      throw new Error(`${what}: no JSON report (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
    }
    if (report.exitCode !== 0)
      throw new Error(`${what} failed (exit ${report.exitCode}):\n${r.stderr}`);
    const row: Row = {
      what,
      seconds: r.seconds,
      note: `local S3 server ${((user + system) / 1e6).toFixed(1)} s CPU`,
      stacks: report.stacks
        .filter((s) => s.status !== "skipped")
        .map((s) => ({ stack: s.stack, status: s.status, seconds: s.durationMs / 1000 })),
    };
    rows.push(row);
    say(`    ${formatRow(row)}`);
    return row;
  };

  try {
    const init = await stacks(["init", "--env", "dev"]);
    if (init.code !== 0) throw new Error(`stacks init failed:\n${init.stdout}\n${init.stderr}`);
    const parallel = ["--parallel", String(args.parallel)];
    await orchestrated("first `stacks up --env dev`", ["up", "--env", "dev", "--yes", ...parallel]);
    // Previews change nothing and run side by side by default (engine/selection.ts
    // changesNothing), as the pull-request workflow runs them: --parallel only when asked.
    const previewParallel = args.parallelGiven ? parallel : [];
    await orchestrated("`stacks preview --env dev`, no change", [
      "preview",
      "--env",
      "dev",
      ...previewParallel,
    ]);
    // What a pull request runs (.github/workflows/pulumi_preview.yml): only the stacks the
    // change affects, decided from the offline plans of the base commit and the change.
    const base = commitAll(repo, "bench base");
    const changed = addColumn(path.join(repo, "metadata", "databases"));
    await orchestrated(
      `pull-request \`stacks preview --env dev --affected-since\` after one column added to ${changed}`,
      ["preview", "--env", "dev", "--affected-since", base, ...previewParallel],
    );
    await orchestrated("`stacks up --env dev` of that change, every stack as pulumi_up runs it", [
      "up",
      "--env",
      "dev",
      "--yes",
      ...parallel,
    ]);
    await orchestrated("core-dev preview, no change", [
      "preview",
      "--env",
      "dev",
      "--project",
      "core",
    ]);

    // The JSON's size (what the lean-state targets measure), and what is stored: gzipped.
    const sizes = ["pipelines", "metadata", "glue_database"].map((project) => {
      const json = Buffer.byteLength(s3.readCheckpoint(project, `${project}-dev`));
      const stored = s3
        .listKeys(`.pulumi/stacks/${project}/${project}-dev.json`)
        .filter((k) => !k.endsWith(".bak"))
        .map((k) => s3.readObject(k).length);
      return `${project} ${(json / 1e6).toFixed(2)} MB (stored ${stored.map((b) => `${(b / 1e6).toFixed(2)} MB`).join(" + ")})`;
    });
    rows.push({ what: `checkpoints: ${sizes.join(" / ")}`, seconds: 0 });
    say(`    ${sizes.join(" / ")}`);

    for (const scope of ["dev", "all"]) {
      say(`... offline plan --env ${scope}`);
      const r = await stacks(["plan", "--env", scope], true);
      if (r.code !== 0) throw new Error(`plan --env ${scope} failed:\n${r.stderr}`);
      const row: Row = {
        what: `offline \`plan --env ${scope}\``,
        seconds: r.seconds,
        note: `${r.peakMb!.toFixed(0)} MB peak RSS`,
      };
      rows.push(row);
      say(`    ${formatRow(row)}`);
    }
  } finally {
    await s3.close();
    fs.rmSync(home, { recursive: true, force: true });
    if (args.keep) say(`kept ${repo}`);
    else fs.rmSync(repo, { recursive: true, force: true });
  }

  const load = os.loadavg().map((l) => l.toFixed(1));
  if (args.json) {
    process.stdout.write(`${JSON.stringify({ tables: args.tables, load, rows }, null, 2)}\n`);
    return;
  }
  say(
    `\n${args.tables} tables, ${new Date().toISOString().slice(0, 10)}, load average ${load.join(" ")} (${os.cpus().length} cores)`,
  );
  for (const row of rows) say(`| ${row.what} | ${formatRow(row)} |`);
}

/** Makes the scratch copy a git repository with everything committed; returns the commit. */
function commitAll(repo: string, message: string): string {
  const git = (...argv: string[]) =>
    execFileSync("git", argv, {
      cwd: repo,
      encoding: "utf8",
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: "bench",
        GIT_AUTHOR_EMAIL: "bench@example.invalid",
        GIT_COMMITTER_NAME: "bench",
        GIT_COMMITTER_EMAIL: "bench@example.invalid",
      },
    }).trim();
  if (!fs.existsSync(path.join(repo, ".git"))) {
    git("init", "--quiet", "--initial-branch=main");
    // node_modules is a link to the checkout's (harness.ts scratchRepo): never commit it.
    fs.appendFileSync(path.join(repo, ".git", "info", "exclude"), "/node_modules\n");
  }
  git("add", "-A");
  git("commit", "--quiet", "--no-gpg-sign", "--allow-empty", "-m", message);
  return git("rev-parse", "HEAD");
}

function formatRow(row: Row): string {
  if (row.seconds === 0) return "";
  const per = row.stacks?.map((s) => `${s.stack} ${s.seconds.toFixed(1)} s`).join(", ");
  return [`${row.seconds.toFixed(1)} s`, per ? `(${per})` : "", row.note ?? ""]
    .filter(Boolean)
    .join(" ");
}

main().catch((e: Error) => {
  process.stderr.write(`bench:scale: ${e.message}\n`);
  process.exit(1);
});
