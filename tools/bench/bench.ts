/**
 * `npm run bench`: the orchestrator's speed figures (the tests assert none of them).
 *
 * 1. Fast paths: `stacks order --env prod` and a usage error, which must not load @pulumi/aws.
 * 2. `stacks plan --env all` against the SDK-load floor: the CPU time node needs to load
 *    @pulumi/pulumi, @pulumi/aws and @pulumi/policy (issue 20: the plan takes at most 2x that).
 * 3. `--parallel`: `up --env prod` with a fake `pulumi` in which every stack takes the same time;
 *    the wall time should be close to the critical path, not to the sum.
 * 4. The plan time of glue_database for 100, 1,000 and 3,000 synthetic tables, generated in a
 *    temporary folder that DATAENG_METADATA_ROOT points lib/model/metadataFiles.ts at. It must grow about
 *    linearly.
 *
 * 5. The offline plan at the real size of Delius and OASys: `plan --env dev` and `--env all` on a
 *    metadata folder grown to n tables by syntheticTables.ts (issue 20: at 755 tables, all
 *    environments in at most 10 s and 600 MB).
 *
 * Sections 2 and 5 report CPU time (user + system) and peak RSS of the child process
 * (tools/bench/usage.js), not wall time: the machine is shared and wall time says more about the
 * other processes than about the plan.
 *
 * Options: --quick (fewer repetitions), --json (the figures as JSON on stdout), --only <n,...>
 * (run only these sections, e.g. --only 2,5), --tables <n,...> (sizes for section 5, default
 * 200,755).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { EDGES } from "../../lib/model/graph";
import { PROJECTS, REPO_ROOT, hasStack } from "../../lib/model/stacks";
import { installFakePulumi } from "../stacks/testing/fakePulumi";
import { growMetadata, growTables } from "./syntheticTables";

const REGISTER = path.join(REPO_ROOT, "tools", "stacks", "register.js");
const CLI = path.join(REPO_ROOT, "tools", "stacks", "cli.ts");
const quick = process.argv.includes("--quick");
const asJson = process.argv.includes("--json");
const USAGE = path.join(REPO_ROOT, "tools", "bench", "usage.js");
const optionValue = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const only = optionValue("--only")?.split(",").map(Number);
const tableSizes = (optionValue("--tables") ?? "200,755").split(",").map(Number);
const log = (line: string) => (asJson ? process.stderr : process.stdout).write(`${line}\n`);

interface Timed {
  seconds: number;
  status: number;
  stdout: string;
  stderr: string;
}

function time(args: string[], env: NodeJS.ProcessEnv = process.env): Timed {
  const started = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, {
    cwd: REPO_ROOT,
    env,
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { seconds, status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function repeat(
  n: number,
  args: string[],
  env?: NodeJS.ProcessEnv,
  expectStatus = 0,
): { median: number; runs: number[] } {
  const runs: number[] = [];
  for (let i = 0; i < n; i++) {
    const r = time(args, env);
    if (r.status !== expectStatus) {
      throw new Error(
        `node ${args.join(" ")} exited ${r.status} (expected ${expectStatus}):\n${r.stderr.slice(-2000)}`,
      );
    }
    runs.push(r.seconds);
  }
  return { median: median(runs), runs };
}

const s = (x: number) => `${x.toFixed(2)} s`;

// ---------------------------------------------------------------------------------------------
// 1. Fast paths

const loadedProbe = [
  `require(${JSON.stringify(CLI)}).main(["order", "--env", "prod"], { io: { out() {}, err() {}, interactive: false, prompt: async () => "" } })`,
  `.then(() => process.stdout.write(String(Object.keys(require.cache).filter((f) => f.includes("@pulumi")).length)));`,
].join("");

function fastPaths() {
  log("1. Fast paths (no Pulumi SDK loaded)");
  const node = repeat(quick ? 3 : 5, ["-e", "0"]);
  const order = repeat(quick ? 3 : 7, ["--require", REGISTER, CLI, "order", "--env", "prod"]);
  const usage = repeat(
    quick ? 3 : 7,
    ["--require", REGISTER, CLI, "order", "--env", "qa"],
    undefined,
    2,
  );
  const help = repeat(quick ? 3 : 5, ["--require", REGISTER, CLI, "--help"]);
  const probe = time(["--require", REGISTER, "-e", loadedProbe]);
  const pulumiModules = Number(probe.stdout.trim());
  log(`   node itself (node -e 0)            ${s(node.median)}`);
  log(`   stacks order --env prod            ${s(order.median)}  (median of ${order.runs.length})`);
  log(`   stacks order --env qa (usage, 2)   ${s(usage.median)}`);
  log(`   stacks --help                      ${s(help.median)}`);
  log(`   @pulumi modules loaded by order    ${pulumiModules}`);
  return {
    nodeSeconds: node.median,
    orderSeconds: order.median,
    usageErrorSeconds: usage.median,
    helpSeconds: help.median,
    pulumiModulesLoaded: pulumiModules,
  };
}

// ---------------------------------------------------------------------------------------------
// 2. plan --env all against loading the SDKs

interface Usage {
  cpuSeconds: number;
  maxRssMb: number;
  wallSeconds: number;
}

/** Runs node with tools/bench/usage.js and returns its CPU time and peak RSS. */
function measured(args: string[], env: NodeJS.ProcessEnv = process.env): Usage & Timed {
  const file = path.join(os.tmpdir(), `bench-usage-${process.pid}-${Date.now()}.jsonl`);
  try {
    const r = time(["--require", USAGE, ...args], { ...env, BENCH_USAGE_FILE: file });
    if (r.status !== 0)
      throw new Error(`node ${args.join(" ")} exited ${r.status}:\n${r.stderr.slice(-2000)}`);
    const u = JSON.parse(fs.readFileSync(file, "utf8").trim().split("\n").pop()!) as Usage;
    return { ...r, cpuSeconds: u.cpuSeconds, maxRssMb: u.maxRssMb, wallSeconds: r.seconds };
  } finally {
    fs.rmSync(file, { force: true });
  }
}

// Through the same loader as the plan, so both load the SDKs from its V8 code cache
// (tools/stacks/codeCache.js) and the ratio compares like with like.
const SDK_LOAD = [
  "--require",
  REGISTER,
  "-e",
  'require("@pulumi/pulumi"); require("@pulumi/aws"); require("@pulumi/policy");',
];
const planArgs = (env: string) => ["--require", REGISTER, CLI, "plan", "--env", env, "--json"];
const mb = (x: number) => `${x.toFixed(0)} MB`;
const cpu = (u: Usage) =>
  `${s(u.cpuSeconds)} CPU, ${mb(u.maxRssMb)} peak, ${s(u.wallSeconds)} wall`;
const best = <T extends Usage>(runs: T[]) =>
  runs.reduce((a, b) => (b.cpuSeconds < a.cpuSeconds ? b : a));

function planAll() {
  log("2. plan --env all against the SDK-load floor (CPU time)");
  // Alternated, so that both see the same load on a shared machine; the least CPU of each.
  const sdkRuns: Usage[] = [];
  const planRuns: Usage[] = [];
  for (let i = 0; i < (quick ? 2 : 3); i++) {
    sdkRuns.push(measured(SDK_LOAD));
    planRuns.push(measured(planArgs("all")));
  }
  const sdk = best(sdkRuns);
  const plan = best(planRuns);
  const ratio = plan.cpuSeconds / sdk.cpuSeconds;
  // Each plan against the floor run just before it: both saw about the same load.
  const pairedRatio = median(planRuns.map((p, i) => p.cpuSeconds / sdkRuns[i].cpuSeconds));
  log(`   SDK-load floor (pulumi, aws, policy) ${cpu(sdk)}`);
  log(`   stacks plan --env all (13 stacks)    ${cpu(plan)}`);
  log(`   ratio of CPU times                   ${ratio.toFixed(2)}x  (limit 2x)`);
  log(
    `   median of the ${planRuns.length} paired ratios         ${pairedRatio.toFixed(2)}x  (each plan / the floor run before it)`,
  );
  return {
    sdkLoadCpuSeconds: sdk.cpuSeconds,
    sdkLoadMaxRssMb: sdk.maxRssMb,
    planAllCpuSeconds: plan.cpuSeconds,
    planAllMaxRssMb: plan.maxRssMb,
    ratio,
    pairedRatio,
  };
}

// ---------------------------------------------------------------------------------------------
// 5. The offline plan at the real size (synthetic tables, syntheticTables.ts)

function atScale() {
  log("5. offline plan on a metadata folder grown to n tables (CPU time, peak RSS)");
  const results: {
    tables: number;
    env: string;
    cpuSeconds: number;
    maxRssMb: number;
    msPerTable: number;
  }[] = [];
  for (const n of tableSizes) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stacks-bench-scale-"));
    try {
      growMetadata(dir, n);
      const env = { ...process.env, DATAENG_METADATA_ROOT: dir };
      for (const e of ["dev", "all"]) {
        const runs: (Usage & Timed)[] = [];
        for (let i = 0; i < (quick ? 1 : 2); i++) runs.push(measured(planArgs(e), env));
        const u = best(runs);
        const doc = JSON.parse(u.stdout) as {
          stacks: { stack: string; errors: string[]; resources?: unknown[] }[];
        };
        const failed = doc.stacks.filter((x) => x.errors.length > 0);
        if (failed.length > 0)
          throw new Error(`plan --env ${e} failed at ${n} tables:\n${failed[0].errors.join("\n")}`);
        results.push({
          tables: n,
          env: e,
          cpuSeconds: u.cpuSeconds,
          maxRssMb: u.maxRssMb,
          msPerTable: (u.cpuSeconds * 1000) / n,
        });
        log(`   ${String(n).padStart(5)} tables, plan --env ${e.padEnd(3)}  ${cpu(u)}`);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  const all = results.filter((r) => r.env === "all");
  if (all.length >= 2) {
    const [a, b] = [all[0], all[all.length - 1]];
    log(
      `   plan --env all grows ${(((b.cpuSeconds - a.cpuSeconds) * 1000) / (b.tables - a.tables)).toFixed(2)} ms CPU and ` +
        `${((b.maxRssMb - a.maxRssMb) / (b.tables - a.tables)).toFixed(2)} MB per table (limits at 755: 10 s, 600 MB)`,
    );
  }
  return { results };
}

// ---------------------------------------------------------------------------------------------
// 3. --parallel against the critical path

/** The longest chain of prod stacks, in stacks. */
function criticalPathLength(): number {
  const depth = new Map<string, number>();
  const prod = PROJECTS.filter((p) => hasStack(p, "prod"));
  const d = (p: string): number => {
    if (!depth.has(p)) {
      const deps = EDGES.filter((e) => e.from === p).map((e) => e.to);
      depth.set(p, 1 + Math.max(0, ...deps.map(d)));
    }
    return depth.get(p)!;
  };
  return Math.max(...prod.map(d));
}

function parallel() {
  log("3. up --env prod with a fake pulumi where every stack takes the same time");
  const each = quick ? 0.3 : 0.5;
  const fake = installFakePulumi();
  try {
    for (const p of PROJECTS) fake.answer(`${p}-prod`, "up", { sleepSeconds: each });
    const env = fake.env();
    const run = (n: number) => {
      const r = time(
        [
          "--require",
          REGISTER,
          CLI,
          "up",
          "--env",
          "prod",
          "--yes",
          "--json",
          "--parallel",
          String(n),
        ],
        env,
      );
      if (r.status !== 0) throw new Error(`up --parallel ${n} failed:\n${r.stderr.slice(-2000)}`);
      const doc = JSON.parse(r.stdout) as {
        durationMs: number;
        stacks: { durationMs: number; status: string }[];
      };
      const sum = doc.stacks.reduce((t, x) => t + x.durationMs, 0) / 1000;
      return { wall: doc.durationMs / 1000, sum };
    };
    const serial = run(1);
    const par = run(PROJECTS.length);
    const critical = criticalPathLength();
    const perStack = serial.sum / PROJECTS.length;
    log(
      `   each stack (fake pulumi)           ${s(perStack)} (sleep ${each} s plus a stack select and process start)`,
    );
    log(
      `   --parallel 1: wall                 ${s(serial.wall)}  (sum of stacks ${s(serial.sum)})`,
    );
    log(
      `   --parallel ${PROJECTS.length}: wall                 ${s(par.wall)}  (sum of stacks ${s(par.sum)})`,
    );
    log(`   critical path                      ${critical} stacks = ${s(critical * perStack)}`);
    return {
      secondsPerStack: perStack,
      serialWallSeconds: serial.wall,
      parallelWallSeconds: par.wall,
      sumSeconds: par.sum,
      criticalPathStacks: critical,
      criticalPathSeconds: critical * perStack,
    };
  } finally {
    fake.remove();
  }
}

// ---------------------------------------------------------------------------------------------
// 4. glue_database with synthetic tables

function glue() {
  log("4. plan of glue_database-dev with synthetic tables (DATAENG_METADATA_ROOT)");
  const sizes = [100, 1000, 3000];
  const results: { tables: number; seconds: number; resources: number; processSeconds: number }[] =
    [];
  for (const n of sizes) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "stacks-bench-tables-"));
    try {
      growTables(dir, n);
      const env = { ...process.env, DATAENG_METADATA_ROOT: dir };
      // Best of two: the machine is shared, and interference only ever adds time.
      let best: { seconds: number; resources: number; processSeconds: number } | undefined;
      for (let attempt = 0; attempt < (quick ? 1 : 2); attempt++) {
        const r = time(
          [
            "--require",
            REGISTER,
            CLI,
            "plan",
            "--env",
            "dev",
            "--project",
            "core",
            "--project",
            "glue_database",
            "--json",
          ],
          env,
        );
        const doc = JSON.parse(r.stdout) as {
          stacks: { stack: string; durationMs: number; errors: string[]; resources?: unknown[] }[];
        };
        const g = doc.stacks.find((x) => x.stack === "glue_database-dev")!;
        if (g.errors.length > 0)
          throw new Error(`glue_database-dev failed with ${n} tables:\n${g.errors.join("\n")}`);
        const resources = (g.resources ?? []).length;
        if (resources < n) {
          log(
            `   skipped: lib/model/metadataFiles.ts does not read DATAENG_METADATA_ROOT (planned ${resources} resources for ${n} tables)`,
          );
          return { skipped: true as const };
        }
        if (!best || g.durationMs / 1000 < best.seconds) {
          best = { seconds: g.durationMs / 1000, resources, processSeconds: r.seconds };
        }
      }
      results.push({ tables: n, ...best! });
      log(
        `   ${String(n).padStart(5)} tables: ${s(best!.seconds)} for the stack (${best!.resources} resources), ` +
          `${((best!.seconds * 1000) / n).toFixed(2)} ms per table; whole run ${s(best!.processSeconds)}`,
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  // A straight line through the smallest and the largest size predicts the middle one.
  const [a, b, c] = results;
  const slope = (c.seconds - a.seconds) / (c.tables - a.tables);
  const predicted = a.seconds + slope * (b.tables - a.tables);
  const deviation = (b.seconds - predicted) / predicted;
  log(
    `   a line through ${a.tables} and ${c.tables} tables (${(slope * 1000).toFixed(2)} ms per table) predicts ` +
      `${s(predicted)} for ${b.tables}; measured ${s(b.seconds)} (${deviation >= 0 ? "+" : ""}${(deviation * 100).toFixed(0)}%)`,
  );
  log(`   3000/1000 time ratio ${(c.seconds / b.seconds).toFixed(2)} (linear: about 3)`);
  return { results, msPerTable: slope * 1000, linearFitDeviation: deviation };
}

function main() {
  log(
    `Benchmark of tools/stacks on ${os.cpus().length} cores, node ${process.version}${quick ? " (--quick)" : ""}`,
  );
  const run = <T>(n: number, section: () => T) =>
    only && !only.includes(n) ? undefined : section();
  const figures = {
    fastPaths: run(1, fastPaths),
    planAll: run(2, planAll),
    parallel: run(3, parallel),
    glue: run(4, glue),
    atScale: run(5, atScale),
  };
  if (asJson) process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
}

main();
