/**
 * `npm run bench:scale -- --preview-cost [runs]`: where a no-change preview of core-dev goes.
 * On a scratch copy with a local S3 backend, deploys core-dev once, then times (each `runs`
 * times, median): node's start and the SDK's load; the program's and the policy pack's modules
 * loaded with ts-node (as the CLI did) and with the esbuild hook; then the whole preview (plain,
 * the README's procedure, and through the orchestrator), as checked out and again with the
 * compile as it was before issue 20 (typescript: true, the pack's index.ts as its entry).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { cliDir, cliEnv, run, scratchRepo } from "../realCli/harness";
import { startLocalS3 } from "../realCli/s3Server";

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Runs asynchronously: the S3 server answers from this process's event loop. */
async function seconds(
  cmd: string,
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<number> {
  const started = process.hrtime.bigint();
  const r = await run(cmd, args, cwd, env);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(" ")} failed:\n${r.stdout}\n${r.stderr}`);
  return Number(process.hrtime.bigint() - started) / 1e9;
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
    const figure = async (what: string, cmd: string, args: string[], cwd = core) => {
      const times: number[] = [];
      for (let i = 0; i < runs; i++) times.push(await seconds(cmd, args, cwd, env));
      log(`${what}: ${median(times).toFixed(2)} s (${times.map((t) => t.toFixed(2)).join(", ")})`);
    };
    await figure("node start", process.execPath, ["-e", "0"]);
    await figure("node + @pulumi/pulumi", process.execPath, ["-e", "require('@pulumi/pulumi')"]);
    const yaml = fs.readFileSync(path.join(core, "Pulumi.yaml"), "utf8");
    log(
      `core/Pulumi.yaml runtime: ${yaml.slice(yaml.indexOf("runtime:")).split("\nmain")[0].replace(/\n/g, " ")}`,
    );
    await figure(
      "core program loaded with ts-node (transpile only), as typescript: true does",
      process.execPath,
      [
        "-e",
        "require('ts-node').register({transpileOnly: true, project: 'tsconfig.json'}); require('./index.ts')",
      ],
    );
    await figure("core program loaded with tools/stacks/register.js", process.execPath, [
      "--require",
      register,
      "-e",
      "require('./index.ts')",
    ]);
    await figure(
      "policy pack (policies.ts, without starting its server) loaded with ts-node (type-check mode, noCheck), as run-policy-pack does",
      process.execPath,
      [
        "-e",
        "require('ts-node').register({typeCheck: true, project: 'tsconfig.json'}); require('./policies.ts')",
      ],
      path.join(repo, "policy"),
    );
    await figure(
      "policy pack (policies.ts, without starting its server) loaded with tools/stacks/register.js",
      process.execPath,
      ["--require", register, "-e", "require('./policies.ts')"],
      path.join(repo, "policy"),
    );
    const previews = async (label: string) => {
      await figure(`${label}: pulumi preview (no policy pack)`, "pulumi", [
        "preview",
        "--non-interactive",
      ]);
      await figure(
        `${label}: the README's pulumi preview --refresh --diff --policy-pack`,
        "pulumi",
        [
          "preview",
          "--non-interactive",
          "--refresh",
          "--diff",
          "--policy-pack=../policy",
          "--policy-pack-config=../policy-config.json",
        ],
      );
      await figure(
        `${label}: stacks preview --env dev --project core`,
        process.execPath,
        ["--require", register, cli, "preview", "--env", "dev", "--project", "core"],
        repo,
      );
    };
    await previews("as checked out");
    // The compile as it was: ts-node for the program (typescript: true) and the pack's index.ts.
    const yamlFile = path.join(core, "Pulumi.yaml");
    fs.writeFileSync(
      yamlFile,
      yaml.replace(/ {2}options:\n(?: {4}.*\n)+/, "  options:\n    typescript: true\n"),
    );
    const pkgFile = path.join(repo, "policy", "package.json");
    const pkg = JSON.parse(fs.readFileSync(pkgFile, "utf8")) as Record<string, unknown>;
    delete pkg.main;
    fs.writeFileSync(pkgFile, JSON.stringify(pkg));
    await previews("with ts-node (as before issue 20)");
  } finally {
    await s3.close();
    fs.rmSync(home, { recursive: true, force: true });
    fs.rmSync(repo, { recursive: true, force: true });
  }
}
