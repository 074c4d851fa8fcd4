/**
 * `npm run bench:scale -- --preview-cost [runs]`: where a no-change preview of core-dev goes.
 * On a scratch copy with a local S3 backend, deploys core-dev once, then times (each `runs`
 * times, median, with the load average beside it): node's start; the SDK's load, the program's,
 * the policy pack's and the AWS provider stand-in's modules; the README's preview and the
 * orchestrator's, each without and with the V8 code cache (DATAENG_NO_CODE_CACHE=1,
 * tools/stacks/codeCache.js). Then one orchestrated preview with every node process traced
 * (processTrace.js): when each started and loaded, and its CPU time.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { cliDir, cliEnv, run, scratchRepo } from "../realCli/harness";
import { startLocalS3 } from "../realCli/s3Server";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const load = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");

interface TraceEvent {
  pid: number;
  what: string;
  event: "start" | "loaded" | "tick" | "exit";
  at: number;
  cpuMs: number;
}

/** Which of a preview's processes a node command line is. */
function processName(what: string): string {
  if (what.endsWith("cli.ts")) return "orchestrator (tools/stacks/cli.ts)";
  if (what.endsWith("pulumi-language-nodejs")) return "language host stand-in";
  if (what.includes("run-policy-pack")) return "policy pack (run-policy-pack)";
  if (what.endsWith("awsProvider.ts")) return "AWS provider stand-in";
  if (what.includes(`cmd${path.sep}run`)) return "program (cmd/run, core/index.ts)";
  return what;
}

/** processTrace.js's lines as a table: per process, when it started and loaded, and its CPU. */
export function timeline(jsonl: string): string[] {
  const events = jsonl
    .split("\n")
    .filter(Boolean)
    .map((l) => JSON.parse(l) as TraceEvent);
  const t0 = Math.min(...events.map((e) => e.at));
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const rows = [...new Set(events.map((e) => e.pid))].map((pid) => {
    const mine = events.filter((e) => e.pid === pid);
    const start = mine.find((e) => e.event === "start")!;
    const loaded = mine.find((e) => e.event === "loaded");
    const last = mine.reduce((a, b) => (b.at > a.at ? b : a));
    return {
      start: start.at,
      line:
        `| ${processName(start.what)} | ${s(start.at - t0)} | ` +
        `${loaded ? `${s(loaded.at - start.at)} (CPU ${s(loaded.cpuMs)})` : "?"} | ` +
        `${s(last.at - t0)} | ${s(Math.max(...mine.map((e) => e.cpuMs)))} |`,
    };
  });
  return [
    "| node process | started at | main module loaded after (CPU) | last seen at | CPU |",
    "| --- | --- | --- | --- | --- |",
    ...rows.sort((a, b) => a.start - b.start).map((r) => r.line),
  ];
}

/**
 * Wall and CPU seconds (user + system of the command and every child it waited for: GNU time),
 * CPU being the steadier figure on a shared machine. Runs asynchronously: the S3 server answers
 * from this process's event loop.
 */
async function seconds(
  cmd: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<{ wall: number; cpu: number }> {
  const started = process.hrtime.bigint();
  const r = await run("/usr/bin/time", ["-f", "cpu %U %S", cmd, ...args], cwd, env);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(" ")} failed:\n${r.stdout}\n${r.stderr}`);
  const [, user, system] = /cpu ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr) ?? ["", "NaN", "NaN"];
  return {
    wall: Number(process.hrtime.bigint() - started) / 1e9,
    cpu: Number(user) + Number(system),
  };
}

export async function previewCost(runs = 3, log = (l: string) => console.log(l)): Promise<void> {
  const repo = scratchRepo();
  const s3 = await startLocalS3();
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "dataeng-cost-home-"));
  const env = { ...cliEnv(cliDir(), s3, home), PULUMI_BACKEND_URL: s3.backendUrl };
  const register = path.join(repo, "tools", "stacks", "register.js");
  const cli = path.join(repo, "tools", "stacks", "cli.ts");
  const core = path.join(repo, "core");
  try {
    await seconds(
      process.execPath,
      ["--require", register, cli, "init", "--env", "dev", "--project", "core"],
      repo,
      env,
    );
    await seconds(
      process.execPath,
      ["--require", register, cli, "up", "--env", "dev", "--project", "core", "--yes"],
      repo,
      env,
    );
    await seconds("pulumi", ["login", s3.backendUrl], core, env);
    await seconds("pulumi", ["stack", "select", "core-dev"], core, env);
    const noCache = { DATAENG_NO_CODE_CACHE: "1" };
    const figure = async (
      what: string,
      cmd: string,
      args: string[],
      cwd = core,
      extra: NodeJS.ProcessEnv = {},
    ) => {
      const times: { wall: number; cpu: number }[] = [];
      for (let i = 0; i < runs; i++)
        times.push(await seconds(cmd, args, cwd, { ...env, ...extra }));
      const wall = times.map((t) => t.wall);
      log(
        `${what}: ${median(wall).toFixed(2)} s wall (${wall.map((t) => t.toFixed(2)).join(", ")}), ` +
          `${median(times.map((t) => t.cpu)).toFixed(2)} s CPU; load ${load()}`,
      );
    };
    /** The same figure without and then with the V8 code cache (tools/stacks/codeCache.js). */
    const cached = async (what: string, cmd: string, args: string[], cwd = core) => {
      await figure(`${what}, no code cache`, cmd, args, cwd, noCache);
      await figure(`${what}, code cache`, cmd, args, cwd);
    };
    const withHook = (code: string) => ["--require", register, "-e", code];
    await figure("node start", process.execPath, ["-e", "0"]);
    await cached("node + @pulumi/pulumi", process.execPath, withHook("require('@pulumi/pulumi')"));
    await cached(
      "core program loaded (not run)",
      process.execPath,
      withHook("require('./index.ts')"),
    );
    await cached(
      "policy pack's modules loaded (policies.ts, without starting its server)",
      process.execPath,
      withHook("require('./policies.ts')"),
      path.join(repo, "policy"),
    );
    await cached(
      "AWS provider stand-in loaded (awsProvider.ts and the SDK's provider host)",
      process.execPath,
      withHook("require('../tools/realCli/awsProvider.ts'); require('@pulumi/pulumi/provider')"),
    );
    await cached("the README's pulumi preview --refresh --diff --policy-pack", "pulumi", [
      "preview",
      "--non-interactive",
      "--refresh",
      "--diff",
      "--policy-pack=../policy",
      "--policy-pack-config=../policy-config.json",
    ]);
    const orchestrated = [
      "--require",
      register,
      cli,
      "preview",
      "--env",
      "dev",
      "--project",
      "core",
    ];
    await cached("stacks preview --env dev --project core", process.execPath, orchestrated, repo);
    // One more, with every node process tracing itself: where the seconds go.
    const trace = path.join(home, "processes.jsonl");
    await seconds(process.execPath, orchestrated, repo, {
      ...env,
      PREVIEW_COST_TRACE: trace,
      NODE_OPTIONS: `--require ${path.join(repo, "tools", "bench", "processTrace.js")}`,
    });
    for (const line of timeline(fs.readFileSync(trace, "utf8"))) log(line);
  } finally {
    await s3.close();
    fs.rmSync(home, { recursive: true, force: true });
    fs.rmSync(repo, { recursive: true, force: true });
  }
}
