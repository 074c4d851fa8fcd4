import { execFileSync } from "node:child_process";
import * as path from "node:path";
import { REPO_ROOT } from "../../lib/model/stacks";
import { main } from "./cli";
import { recordingIo } from "./report/io";

async function cli(...argv: string[]) {
  const io = recordingIo();
  const code = await main(argv, { io, env: { PATH: "" } });
  return { code, out: io.stdout.join("\n"), err: io.stderr.join("\n") };
}

describe("order and graph", () => {
  it("prints prod's order, one project per line", async () => {
    const r = await cli("order", "--env", "prod");
    expect(r).toEqual({
      code: 0,
      out: "core\npipelines_base\nmetadata\npipelines\nglue_database",
      err: "",
    });
  });

  it("says which project it skips in dev", async () => {
    const r = await cli("order", "--env", "dev");
    expect(r.out).toBe("core\nmetadata\npipelines\nglue_database");
    expect(r.err).toBe(
      "skipped pipelines_base-dev: pipelines_base has no stack in dev (its stacks: prod)",
    );
  });

  it("prints stack names for all environments, and JSON on request", async () => {
    const all = await cli("order", "--env", "all", "--project", "core");
    expect(all.out).toBe("core-dev\ncore-preprod\ncore-prod");
    const json = JSON.parse(
      (await cli("order", "--env", "dev", "--project", "metadata", "--with-dependencies", "--json"))
        .out,
    );
    expect(json).toEqual({
      version: 1,
      envs: ["dev"],
      stacks: [
        { stack: "core-dev", project: "core", env: "dev", dependsOn: [] },
        { stack: "metadata-dev", project: "metadata", env: "dev", dependsOn: ["core-dev"] },
      ],
      skipped: [],
    });
  });

  it("prints the graph as Mermaid", async () => {
    const r = await cli("graph");
    expect(r.code).toBe(0);
    expect(r.out.split("\n")[0]).toBe("flowchart LR");
    expect(r.out).toContain("metadata -->|explicit| core");
  });

  it("shows help with exit 0", async () => {
    const r = await cli("--help");
    expect(r.code).toBe(0);
    expect(r.out).toContain("Usage: stacks <command> [options]");
  });
});

describe("usage errors exit 2 and list the valid values", () => {
  it.each([
    [
      ["deploy"],
      'unknown command "deploy"; valid commands: order, graph, plan, preview, up, refresh, destroy, cancel, recover, doctor, init, diff, new.',
    ],
    [
      [],
      "no command given; valid commands: order, graph, plan, preview, up, refresh, destroy, cancel, recover, doctor, init, diff, new.",
    ],
    [
      ["order", "--env", "qa"],
      "argument 'qa' is invalid. Allowed choices are dev, preprod, prod, all.",
    ],
    [
      ["preview", "--env", "all"],
      "argument 'all' is invalid. Allowed choices are dev, preprod, prod.",
    ],
    [["order"], "--env is required; valid values: dev, preprod, prod, all."],
    [
      ["up", "--env", "dev", "--project", "glue"],
      'unknown project "glue"; valid projects: core, pipelines_base, metadata, pipelines, glue_database.',
    ],
    [
      ["preview", "--env", "dev", "--parallel", "0"],
      'expected a whole number of at least 1, got "0".',
    ],
    [
      ["order", "--env", "dev", "--with-dependencies"],
      "--with-dependencies and --with-dependents need at least one --project.",
    ],
    [["order", "--env", "dev", "--yes"], "unknown option '--yes'"],
    [["order", "--env"], "valid environments: dev, preprod, prod (plan and order also take all)."],
    [
      ["plan", "--project"],
      "valid projects: core, pipelines_base, metadata, pipelines, glue_database.",
    ],
  ])("%j", async (argv, message) => {
    const r = await cli(...argv);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
    expect(r.err).toContain('Run "npm run stacks -- --help"');
    expect(r.out).toBe("");
  });
});

/**
 * Runs `body` (lines, inside an async function with `main` and a silent `io`) in a fresh node
 * with the npm scripts' loader; returns its stdout.
 */
function runProbe(body: string[]): string {
  const script = [
    "const { main } = require('./tools/stacks/cli.ts');",
    "const io = { out() {}, err() {}, interactive: false, prompt: async () => '' };",
    "(async () => {",
    ...body,
    "})();",
  ].join("\n");
  return execFileSync(
    process.execPath,
    ["--require", path.join(REPO_ROOT, "tools/stacks/register.js"), "-e", script],
    { cwd: REPO_ROOT, encoding: "utf8" },
  );
}

describe("the fast paths", () => {
  it("answer without loading any Pulumi SDK", () => {
    const probe = [
      "  const codes = [await main(['order', '--env', 'prod'], { io }), await main(['nope'], { io }),",
      "    await main(['graph'], { io }), await main(['order', '--env', 'x'], { io })];",
      "  const loaded = Object.keys(require.cache).filter((f) => f.includes(`${require('path').sep}@pulumi${require('path').sep}`));",
      "  process.stdout.write(JSON.stringify({ codes, loaded }));",
    ];
    expect(JSON.parse(runProbe(probe))).toEqual({ codes: [0, 2, 0, 2], loaded: [] });
  });
});

describe("the entry's layers", () => {
  it("loads only commander, lib/model, the command modules, the selection and io on a fast path", () => {
    const probe = [
      "  const path = require('path');",
      "  const codes = [await main(['order', '--env', 'prod'], { io }), await main(['--help'], { io }),",
      "    await main(['up', '--env', 'dev', '--parallel', '0'], { io })];",
      "  const files = Object.keys(require.cache).map((f) => path.relative(process.cwd(), f).split(path.sep).join('/'));",
      "  const packages = [...new Set(files.filter((f) => f.startsWith('node_modules/')).map((f) => f.split('/')[1]))];",
      "  const repo = files.filter((f) => !f.startsWith('node_modules/'));",
      "  process.stdout.write(JSON.stringify({ codes, packages, repo }));",
    ];
    const { codes, packages, repo } = JSON.parse(runProbe(probe)) as {
      codes: number[];
      packages: string[];
      repo: string[];
    };
    expect(codes).toEqual([0, 0, 2]);
    expect(packages).toEqual(["commander"]);
    const allowed =
      /^(lib\/model\/(stacks|graph)\.ts|tools\/stacks\/(register\.js|codeCache\.js|cli\.ts|commands\/\w+\.ts|engine\/selection\.ts|report\/io\.ts))$/;
    expect(repo.filter((f) => !allowed.test(f))).toEqual([]);
    expect(repo).toContain("tools/stacks/commands/up.ts");
  });
});
