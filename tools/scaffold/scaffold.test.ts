/**
 * `stacks new` on temporary copies of this checkout: bad input changes no file (hashes before
 * and after); a good one is picked up by the copy's own order, graph, plan, README graph and tsc.
 * The generated program.test.ts is left to `npm test` (a second jest here would double the time).
 */
import { execFile } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import * as ts from "typescript";
import { recordingIo } from "../stacks/report/io";
import { main } from "../stacks/cli";
import { copyCheckout } from "../stacks/testing/gitRepo";
import { type Edge, deploymentOrder } from "../../lib/model/graph";
import { type Project } from "../../lib/model/stacks";
import { docsGraphBlocks, readDocsGraph } from "./docsGraph";
import { newProject } from "./scaffold";

const run = promisify(execFile);

/** The copy's own CLI (its lib/model is the edited one), as `npm run stacks --` runs it. */
async function stacks(dir: string, ...args: string[]) {
  const cli = ["--require", "./tools/stacks/register.js", "tools/stacks/cli.ts", ...args];
  return run(process.execPath, cli, { cwd: dir, maxBuffer: 64 << 20 });
}

/** sha256 of every file under dir (node_modules is a symlink to the real one: left out). */
function hashes(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const full = path.join(entry.parentPath, entry.name);
    const rel = path.relative(dir, full);
    if (rel.startsWith("node_modules") || !entry.isFile()) continue;
    out[rel] = crypto.createHash("sha256").update(fs.readFileSync(full)).digest("hex");
  }
  return out;
}

describe("stacks new refuses bad input and changes nothing", () => {
  let dir: string;
  let before: Record<string, string>;
  beforeAll(() => {
    dir = copyCheckout("scaffold-bad-");
    before = hashes(dir);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const PULUMI_CHARS =
    '"my project" is not a valid Pulumi project name: project names may only contain alphanumerics, ' +
    "hyphens, underscores, and periods (the rule of Pulumi v3.248.0, sdk/go/common/tokens/project.go).";
  const OURS =
    "is not a valid project name: project names here are lower-case letters, digits and underscores, " +
    'starting with a letter (like "glue_database"), because the name is also the folder, the config ' +
    'namespace and part of every stack name "<project>-<env>".';
  it.each([
    [["my project"], PULUMI_CHARS],
    [
      ["Pulumi"],
      '"Pulumi" is not a valid Pulumi project name: project name must not be `Pulumi` and must not start ' +
        "with the prefix `Pulumi.` to avoid collision with standard libraries (the rule of Pulumi " +
        "v3.248.0, sdk/go/common/tokens/project.go).",
    ],
    [["my-reports"], `"my-reports" ${OURS}`],
    [["Reports"], `"Reports" ${OURS}`],
    [
      ["core"],
      'project "core" already exists (lib/model/stacks.ts, PROJECTS: core, pipelines_base, metadata, ' +
        "pipelines, glue_database); choose another name.",
    ],
    [
      ["tools"],
      'a file or folder "tools" already exists at the repository root; choose another name or move it.',
    ],
    [
      ["reports", "--depends-on", "core", "--depends-on", "lake"],
      'unknown dependency "lake" in --depends-on; existing projects: core, pipelines_base, metadata, ' +
        "pipelines, glue_database.",
    ],
    [
      ["reports", "--envs", "dev,qa"],
      'unknown environment "qa" in --envs; valid environments: dev, preprod, prod.',
    ],
    [
      ["reports", "--depends-on", "pipelines_base"],
      "reports would have a stack in dev, preprod, where its dependency pipelines_base has none " +
        "(pipelines_base's stacks: prod); narrow --envs or drop the dependency.",
    ],
    [
      ["reports", "--depends-on", "core", "reports"],
      "--depends-on core reports would make a cycle: The dependency graph has a cycle among: reports.",
    ],
  ])("new %j", async (args, message) => {
    const io = recordingIo();
    expect(await main(["new", ...args], { io, repoRoot: dir })).toBe(2);
    expect(io.stderr).toEqual([`stacks new: ${message} Nothing was changed.`]);
    expect(io.stdout).toEqual([]);
    expect(hashes(dir)).toEqual(before);
  });

  it("puts every file back when a write fails half way", async () => {
    let writes = 0;
    const failing = (file: string, text: string) => {
      if (++writes === 11) throw new Error(`disk full writing ${path.basename(file)}`);
      fs.writeFileSync(file, text);
    };
    await expect(newProject({ root: dir, project: "reports", writeFile: failing })).rejects.toThrow(
      "stacks new: writing reports failed (disk full writing graph.ts); every file was put back as it was.",
    );
    expect(writes).toBe(11);
    expect(hashes(dir)).toEqual(before);
  });
});

describe("a new project is picked up with no other edit", () => {
  let dir: string;
  let created: string;
  /** The copy's commands, started together once `new` is done: they run while tsc checks. */
  let started: Record<"order" | "graph" | "graphJson" | "plan" | "prettier", Promise<string>>;
  beforeAll(async () => {
    dir = copyCheckout("scaffold-new-");
    created = (
      await stacks(dir, "new", "reports", "--depends-on", "pipelines_base", "--envs", "prod")
    ).stdout;
    const node = (...args: string[]) =>
      run(process.execPath, args, { cwd: dir, maxBuffer: 64 << 20 }).then(
        (r) => r.stdout + r.stderr,
      );
    const plan = ["--env", "prod", "--project", "reports", "--with-dependencies", "--json"];
    started = {
      order: stacks(dir, "order", "--env", "prod").then((r) => r.stdout),
      graph: stacks(dir, "graph").then((r) => r.stdout),
      graphJson: stacks(dir, "graph", "--json").then((r) => r.stdout),
      plan: stacks(dir, "plan", ...plan).then((r) => r.stdout),
      // The other half of `npm run lint` (eslint is too slow for this test: run it by hand), on
      // what `new` wrote (the "Created" list below); the rest of lib/model is the checkout's own.
      prettier: node(
        "node_modules/prettier/bin/prettier.cjs",
        "--check",
        "reports",
        "lib/model/stacks.ts",
        "lib/model/graph.ts",
        "README.md",
      ),
    };
    // Awaited by the tests; marked handled so an early failure is reported there.
    for (const p of Object.values(started)) p.catch(() => undefined);
  }, 60_000);
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("type-checks with its tsconfig.json, and `tsc -b` at the root includes it", () => {
    const host = {
      ...ts.sys,
      onUnRecoverableConfigFileDiagnostic: (d: ts.Diagnostic) => {
        throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
      },
    };
    // noCheck off: deploys only transpile; type-check as `npm run typecheck` does.
    const config = ts.getParsedCommandLineOfConfigFile(
      path.join(dir, "reports/tsconfig.json"),
      { noCheck: false },
      host,
    )!;
    const own = config.fileNames.filter((f) => f.startsWith(path.join(dir, "reports/")));
    expect(own.map((f) => path.basename(f)).sort()).toEqual([
      "index.ts",
      "program.test.ts",
      "program.ts",
    ]);
    // The scaffold's own files only: what they import from the checkout (lib/ and the SDKs)
    // is checked by `npm run typecheck`; asking for every file's diagnostics doubled this test.
    // Parsed as tsc parses: JSDocParsingMode.ParseForTypeErrors, tsc's default since TypeScript
    // 5.3 (`defaultJSDocParsingMode` in typescript 5.9's lib/_tsc.js), skips the doc comments of
    // .ts files, which hold no types there: the SDKs' 6 MB of declarations are mostly those.
    const compilerHost = ts.createCompilerHost(config.options);
    compilerHost.jsDocParsingMode = ts.JSDocParsingMode.ParseForTypeErrors;
    const program = ts.createProgram({
      rootNames: own,
      options: config.options,
      host: compilerHost,
    });
    const diagnostics = own.flatMap((f) =>
      ts.getPreEmitDiagnostics(program, program.getSourceFile(f)),
    );
    expect(diagnostics.map((d) => ts.flattenDiagnosticMessageText(d.messageText, "\n"))).toEqual(
      [],
    );
    const root = ts.getParsedCommandLineOfConfigFile(path.join(dir, "tsconfig.json"), {}, host)!;
    expect(root.fileNames).toEqual(expect.arrayContaining(own));
  }, 60_000);

  it("creates the project's files, registers it, and formats them as lint checks", async () => {
    expect(created.split("\n").slice(0, 11)).toEqual([
      "Created reports:",
      "  + reports/Pulumi.yaml",
      "  + reports/index.ts",
      "  + reports/program.ts",
      "  + reports/program.test.ts",
      "  + reports/tsconfig.json",
      "  + reports/README.md",
      "  + reports/Pulumi.reports-prod.yaml",
      "  ~ lib/model/stacks.ts",
      "  ~ lib/model/graph.ts",
      "  ~ README.md",
    ]);
    const stacksTs = fs.readFileSync(path.join(dir, "lib/model/stacks.ts"), "utf8");
    expect(stacksTs).toContain('  "glue_database",\n  "reports",\n] as const;');
    expect(stacksTs).toContain('  glue_database: ENVIRONMENTS,\n  reports: ["prod"],\n};');
    expect(fs.readFileSync(path.join(dir, "reports/Pulumi.reports-prod.yaml"), "utf8")).toBe(
      "config:\n  aws:region: eu-west-2\n",
    );
    expect(await started.prettier).toContain("All matched files use Prettier code style!");
  }, 60_000);

  it("is in the copy's order and graph", async () => {
    expect(await started.order).toBe(
      "core\npipelines_base\nmetadata\npipelines\nglue_database\nreports\n",
    );
    expect((await started.graph).split("\n").at(-2)).toBe("  reports -->|explicit| pipelines_base");
  }, 60_000);

  it("plans offline, after pipelines_base-prod: its provider carries the project's tags", async () => {
    const report = JSON.parse(await started.plan) as {
      stacks: { stack: string; status: string; resources: PlannedJson[] }[];
    };
    expect(report.stacks.map((s) => [s.stack, s.status])).toEqual([
      ["pipelines_base-prod", "succeeded"],
      ["reports-prod", "succeeded"],
    ]);
    const [provider, ...others] = report.stacks[1].resources;
    expect(others).toEqual([]);
    expect(provider.urn).toBe("urn:pulumi:reports-prod::reports::pulumi:providers:aws::aws");
    expect(JSON.parse(provider.inputs.defaultTags).tags).toMatchObject({
      environment: "prod",
      "source-code":
        "https://github.com/ministryofjustice/data-engineering-pulumi/tree/main/reports",
    });
  }, 60_000);

  it("passes the README graph test: the copy's README shows the copy's graph and order", async () => {
    // docsGraph.test.ts's assertion, with the copy's graph (its lib/model, via its CLI).
    const { projects, edges } = JSON.parse(await started.graphJson) as {
      projects: Project[];
      edges: Edge[];
    };
    const order = deploymentOrder(projects, edges, projects);
    expect(order.at(-1)).toBe("reports");
    const readme = fs.readFileSync(path.join(dir, "README.md"), "utf8");
    expect(readDocsGraph(readme)).toEqual(docsGraphBlocks((await started.graph).trimEnd(), order));
  }, 60_000);
});

interface PlannedJson {
  urn: string;
  inputs: Record<string, string>;
}
