/**
 * The layers of README.md's folder map, enforced: who may import whom. A new import that crosses
 * a layer fails here with the file, the import and the rule, instead of in a review.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { REPO_ROOT } from "./model/stacks";

interface Rule {
  /** Which files it governs (repository-relative path test). */
  readonly files: RegExp;
  readonly why: string;
  /** A repository-relative import target or package name it may not use. */
  readonly forbidden: RegExp;
}

const PROGRAM_FOLDERS = "(core|pipelines_base|metadata|pipelines|glue_database)";
/** Tests, test folders and the benches (which run against the same local stand-ins) are exempt. */
const isTest = /(\.test\.ts$|\/testing\/|^tools\/bench\/)/;

const RULES: readonly Rule[] = [
  {
    files: /^lib\/(model|contracts)\//,
    forbidden: /^(@pulumi\/|lib\/(infra|plan|testing|lambda|validation)\/|tools\/)/,
    why: "lib/model and lib/contracts are loaded by everything, the orchestrator's fast paths included: no Pulumi SDK, nothing above them",
  },
  {
    files: /^lib\/(lambda|validation)\//,
    forbidden: /^(@pulumi\/|lib\/(infra|plan|testing)\/|tools\/)/,
    why: "the Lambdas' runtime is bundled into the functions: no Pulumi SDK, no infrastructure code",
  },
  {
    files: new RegExp(`^${PROGRAM_FOLDERS}\\/functions\\/`),
    forbidden: /^(@pulumi\/|lib\/(infra|plan)\/|tools\/)/,
    why: "a Lambda's code is bundled alone: it may use lib/lambda, lib/validation, lib/contracts and lib/model only",
  },
  {
    files: /^lib\/infra\//,
    forbidden: /^(lib\/(plan|testing)\/|tools\/)/,
    why: "what builds infrastructure does not depend on the offline plan engine, test stand-ins or tools",
  },
  {
    files: new RegExp(`^${PROGRAM_FOLDERS}\\/(?!functions\\/)`),
    forbidden: /^(lib\/(plan|testing)\/|tools\/|policy\/)/,
    why: "a program is built from lib/model, lib/contracts and lib/infra: never from tools, the plan engine or tests",
  },
  {
    files: /^tools\//,
    forbidden: new RegExp(`^${PROGRAM_FOLDERS}\\/functions\\/`),
    why: "tools use the contracts and lib/validation, never a Lambda's internals",
  },
  {
    files: /.*/,
    forbidden: /^lib\/testing\//,
    why: "lib/testing holds stand-ins for tests only",
  },
];

const IMPORT = /(?:from|import|require)\s*\(?\s*["']([^"']+)["']/g;

/** Every import of a tracked .ts file, resolved to a repository-relative path or a package name. */
function imports(): { file: string; target: string }[] {
  const files = execFileSync("git", ["ls-files", "*.ts"], { cwd: REPO_ROOT, encoding: "utf8" })
    .split("\n")
    .filter((f) => f && fs.existsSync(path.join(REPO_ROOT, f)));
  const found: { file: string; target: string }[] = [];
  for (const file of files) {
    const text = fs.readFileSync(path.join(REPO_ROOT, file), "utf8");
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[1];
      const target = spec.startsWith(".")
        ? path.posix.normalize(path.posix.join(path.posix.dirname(file), spec))
        : spec;
      found.push({ file, target });
    }
  }
  return found;
}

describe("layers (README.md folder map)", () => {
  const all = imports();

  it("reads the repository's imports", () => {
    expect(all.length).toBeGreaterThan(500);
    expect(all).toContainEqual({ file: "lib/infra/context.ts", target: "@pulumi/pulumi" });
  });

  it.each(RULES.map((r) => [r.why, r] as const))("%s", (_why, rule) => {
    const crossing = all
      .filter((i) => rule.files.test(i.file) && !isTest.test(i.file))
      .filter((i) => rule.forbidden.test(i.target))
      .map((i) => `${i.file} imports ${i.target}`);
    expect(crossing).toEqual([]);
  });

  it("would catch a program importing a tool", () => {
    const rule = RULES.find((r) => r.files.test("pipelines/program.ts"))!;
    expect(rule.forbidden.test("tools/stacks/engine/plan")).toBe(true);
    expect(rule.forbidden.test("lib/infra/context")).toBe(false);
  });
});
