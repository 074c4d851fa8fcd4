/**
 * `--affected-since`: the rules for what the offline plan cannot see (one test each), the
 * decision from compared plans, and real runs on a real git repository with the strict fake
 * `pulumi`. The real plans are costly, so the git-repository cases share them: each side is
 * planned once per content (a tree hash), whichever case asks first.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { main } from "../cli";
import { recordingIo } from "../report/io";
import { type FakePulumi, installFakePulumi } from "../testing/fakePulumi";
import { copyRepository } from "../testing/gitRepo";
import { FILE_RULES, decideAffected, rulesFor } from "./affected";
import { affectedSince, changedFiles } from "./affectedSince";
import {
  type DiffOptions,
  type DiffReport,
  type PlanDocument,
  checkoutRevision,
  comparePlans,
  diffReport,
  planCheckout,
} from "./diff";
import { selectStacks } from "./selection";

const DEV = selectStacks({ envs: ["dev"] });
const DEV_STACKS = ["core-dev", "metadata-dev", "pipelines-dev", "glue_database-dev"];
const since = { rev: "base", commit: "c0ffee" };
const same = (rev: string) =>
  `its offline plan is the same at ${rev} (no resource or input differs)`;

describe("FILE_RULES: what the offline plan cannot see", () => {
  const cases: [string, string, string | undefined][] = [
    ["policy", "policy/s3.ts", undefined],
    ["policy", "policy-config.json", undefined],
    ["project-file", "pipelines/Pulumi.yaml", undefined],
    ["dependencies", "package.json", undefined],
    ["dependencies", "package-lock.json", undefined],
    ["compile-options", "tsconfig.json", undefined],
    ["compile-options", "core/tsconfig.json", undefined],
    ["cli-calls", "tools/stacks/pulumi/pulumi.ts", undefined],
    ["cli-calls", ".github/workflows/pulumi_preview.yml", undefined],
    ["cli-calls", ".github/workflows/deploy.yml", undefined],
    ["plan-engine", "lib/plan/evaluate.ts", undefined],
    ["plan-engine", "tools/stacks/engine/diff.ts", undefined],
    ["stack-file", "glue_database/Pulumi.glue_database-prod.yaml", "glue_database-prod"],
  ];
  it.each(cases)("%s: %s", (id, file, stack) => {
    expect(rulesFor(file).map((r) => ({ id: r.rule.id, stack: r.stack }))).toEqual([{ id, stack }]);
  });

  it("has a case above for every rule, and leaves what the plans see to the plans", () => {
    expect(FILE_RULES.map((r) => r.id).sort()).toEqual([...new Set(cases.map((c) => c[0]))].sort());
    for (const file of [
      "README.md",
      "metadata/databases/delius/offender.json",
      "lib/model/naming.ts",
      "pipelines/index.ts",
      ".github/workflows/test.yml",
      "tools/stacks/README.md",
      "policyish.json",
    ]) {
      expect({ file, rules: rulesFor(file) }).toEqual({ file, rules: [] });
    }
  });
});

// ---------------------------------------------------------------------------------------------

const res = (stack: string, name: string, inputs: Record<string, unknown>) => ({
  type: "aws:kms/key:Key",
  name,
  urn: `urn:pulumi:${stack}::p::aws:kms/key:Key::${name}`,
  keyInputs: {},
  inputs,
});
const KEY = { description: "k", keyUsage: "ENCRYPT_DECRYPT" };
const plan = (
  over: Record<string, { status?: string; inputs?: Record<string, unknown> }> = {},
): PlanDocument => ({
  stacks: DEV.stacks.map((s) => ({
    stack: s.stack,
    project: s.project,
    env: s.env,
    status: over[s.stack]?.status ?? "succeeded",
    errors: over[s.stack]?.status === "failed" ? [`${s.stack}: it broke`] : [],
    ...(over[s.stack]?.status === "failed" ? { reason: `${s.stack}: it broke` } : {}),
    resources: [res(s.stack, "key", over[s.stack]?.inputs ?? KEY)],
  })),
});
const decide = (base: PlanDocument, head: PlanDocument, files: string[] = []) =>
  decideAffected({ selection: DEV, since, changedFiles: files, diffs: comparePlans(base, head) });
const reasonsOf = (d: ReturnType<typeof decide>) =>
  Object.fromEntries(d.selected.map((s) => [s.stack, s.reasons]));

describe("decideAffected", () => {
  it("skips every stack whose plans are equal, with the reason, and keeps the run's order", () => {
    const d = decide(plan(), plan());
    expect(d.selected).toEqual([]);
    expect(d.selection.stacks).toEqual([]);
    expect(d.selection.order).toEqual(DEV.order);
    expect(d.selection.skipped.map((s) => [s.stack, s.reason])).toEqual([
      ["pipelines_base-dev", "pipelines_base has no stack in dev (its stacks: prod)"],
      ...DEV_STACKS.map((s) => [s, same("base")]),
    ]);
  });

  it("selects a stack whose base plan failed, and its dependents (never skip on doubt)", () => {
    const d = decide(plan({ "core-dev": { status: "failed" } }), plan());
    expect(reasonsOf(d)).toEqual({
      "core-dev": [
        "its offline plan could not be compared: the base revision's plan failed: core-dev: it broke",
      ],
      "metadata-dev": [
        expect.stringMatching(/^it depends on core-dev, whose resources may get new ids/),
      ],
      "pipelines-dev": [
        expect.stringMatching(/^it depends on core-dev/),
        expect.stringMatching(/^it depends on metadata-dev/),
      ],
      "glue_database-dev": [
        expect.stringMatching(/^it depends on core-dev/),
        expect.stringMatching(/^it depends on metadata-dev/),
      ],
    });
  });

  it("reaches dependents through a replacement, not through an update in place", () => {
    // aws:kms/key:Key's keyUsage forces a replacement (lib/model/awsReplaceOnChanges.ts); its
    // description does not.
    const updated = decide(
      plan(),
      plan({ "core-dev": { inputs: { ...KEY, description: "new" } } }),
    );
    expect(updated.selected.map((s) => s.stack)).toEqual(["core-dev"]);
    const replaced = decide(
      plan(),
      plan({ "core-dev": { inputs: { ...KEY, keyUsage: "SIGN_VERIFY" } } }),
    );
    expect(replaced.selected.map((s) => s.stack)).toEqual(DEV_STACKS);
  });

  it("reaches a selected dependent through a dependency the run does not select", () => {
    const glueOnly = selectStacks({ envs: ["dev"], projects: ["glue_database"] });
    const replaced = plan({ "core-dev": { inputs: { ...KEY, keyUsage: "SIGN_VERIFY" } } });
    const d = decideAffected({
      selection: glueOnly,
      since,
      changedFiles: [],
      diffs: comparePlans(plan(), replaced),
    });
    expect(reasonsOf(d as ReturnType<typeof decide>)).toEqual({
      "glue_database-dev": [
        "it depends on core-dev, whose resources may get new ids (replaced, deleted or not compared)",
        "it depends on metadata-dev, whose resources may get new ids (replaced, deleted or not compared)",
      ],
    });
  });

  it("selects a stack the working tree could not plan (a skipped stack is not compared)", () => {
    const head = plan();
    const d = decide(plan(), {
      stacks: head.stacks.map((s) =>
        s.stack === "glue_database-dev" ? { ...s, status: "skipped" } : s,
      ),
    });
    expect(reasonsOf(d)).toEqual({
      "glue_database-dev": ["it was not compared (no plan of it on either side)"],
    });
  });

  it("applies the rules to the files that changed: all stacks, or the stack file's own", () => {
    expect(decide(plan(), plan(), ["README.md"]).selected).toEqual([]);
    expect(
      reasonsOf(
        decide(plan(), plan(), [
          "metadata/Pulumi.metadata-dev.yaml",
          "metadata/Pulumi.metadata-prod.yaml",
        ]),
      ),
    ).toEqual({
      "metadata-dev": [
        expect.stringMatching(/^metadata\/Pulumi\.metadata-dev\.yaml changed: secure values/),
      ],
    });
    const all = decide(plan(), plan(), ["policy-config.json"]);
    expect(all.selected.map((s) => s.stack)).toEqual(DEV_STACKS);
    expect(all.selected[0].reasons).toEqual([
      "policy-config.json changed: the policy pack judges every stack, and its verdicts are not part of the compared plans",
    ]);
  });
});

it("is an option of preview and up only: refresh and destroy refuse it (drift checks everything)", async () => {
  for (const command of ["refresh", "destroy"]) {
    const io = recordingIo();
    expect(await main([command, "--env", "dev", "--affected-since", "HEAD"], { io })).toBe(2);
    expect(io.stderr[0]).toBe("error: unknown option '--affected-since'");
  }
});

// ---------------------------------------------------------------------------------------------

describe("--affected-since on a real git repository", () => {
  let repo: ReturnType<typeof copyRepository>;
  let fake: FakePulumi;
  let c0: string;
  const planned = new Map<string, Promise<PlanDocument>>();
  let planRuns = 0;
  /** The plans of the README-only change (case 2): equal, as any change the plans cannot see. */
  let equalPlans: DiffReport;

  /** The tree hash of a commit, or of the working tree (through a scratch index). */
  const treeOf = (commit?: string) => {
    if (commit) return repo.git("rev-parse", `${commit}^{tree}`).trim();
    const env = { ...process.env, GIT_INDEX_FILE: path.join(repo.dir, ".git", "scratch-index") };
    execFileSync("git", ["add", "-A"], { cwd: repo.dir, env });
    return execFileSync("git", ["write-tree"], { cwd: repo.dir, env, encoding: "utf8" }).trim();
  };
  const planOnce = (tree: string, plan: () => Promise<PlanDocument>) => {
    if (!planned.has(tree)) {
      planRuns++;
      planned.set(tree, plan());
    }
    return planned.get(tree)!;
  };
  /** diff.ts runDiff's steps, with each side planned once per content. */
  const diffPlans = async (o: DiffOptions): Promise<DiffReport> => {
    const base = await planOnce(treeOf(o.base), async () => {
      const checkout = await checkoutRevision(o.repoRoot, o.base);
      try {
        return await planCheckout(checkout.dir, o.planArgs, "the base");
      } finally {
        checkout.remove();
      }
    });
    const head = await planOnce(treeOf(), () => planCheckout(o.repoRoot, o.planArgs, "the head"));
    return diffReport({ rev: o.base, commit: o.base }, o.envs, base, head);
  };
  const run = async (argv: string[]) => {
    const io = recordingIo();
    const code = await main(argv, { io, env: fake.env(), repoRoot: repo.dir, diffPlans });
    return { code, io, json: JSON.parse(io.stdout.join("\n")) as Record<string, unknown> };
  };
  const calledStacks = () =>
    fake
      .calls()
      .filter((c) => c.argv[0] !== "stack")
      .map((c) => c.argv[c.argv.indexOf("--stack") + 1]);
  const write = (file: string, text: string) => fs.writeFileSync(path.join(repo.dir, file), text);
  const read = (file: string) => fs.readFileSync(path.join(repo.dir, file), "utf8");

  beforeAll(() => {
    repo = copyRepository();
    c0 = repo.git("rev-parse", "HEAD").trim();
    // One table's metadata: a new column; and the README.
    const table = "metadata/databases/delius/offender.json";
    const offender = JSON.parse(read(table));
    offender.columns.push({
      name: "NEW_COL",
      type: "DATE",
      nullable: true,
      description: "A date.",
    });
    write(table, JSON.stringify(offender, null, 2) + "\n");
    write("README.md", read("README.md") + "\nA line.\n");
  });
  beforeEach(() => {
    fake = installFakePulumi();
  });
  afterEach(() => fake.remove());
  afterAll(() => repo.remove());

  it("previews only metadata-dev and glue_database-dev after one table's change (pipelines-dev only if its plan changed)", async () => {
    const { code, io, json } = await run([
      "preview",
      "--env",
      "dev",
      "--affected-since",
      c0,
      "--json",
    ]);
    expect(code).toBe(0);
    const report = await diffPlans({
      repoRoot: repo.dir,
      base: c0,
      envs: ["dev"],
      planArgs: ["--env", "dev"],
      log: () => {},
    });
    const pipelines = report.stacks.find((s) => s.stack === "pipelines-dev")!;
    const changed = (s: string) => report.stacks.find((d) => d.stack === s)!.changed.length;
    expect(changed("metadata-dev")).toBeGreaterThan(0);
    expect(changed("glue_database-dev")).toBeGreaterThan(0);
    const expected = [
      "metadata-dev",
      ...(pipelines.changed.length + pipelines.added.length + pipelines.removed.length > 0
        ? ["pipelines-dev"]
        : []),
      "glue_database-dev",
    ];
    // Previews run side by side (changesNothing in selection.ts): the order of calls is free.
    expect([...calledStacks()].sort()).toEqual([...expected].sort());
    expect(fake.calls().every((c) => c.refused === "")).toBe(true);
    const stacks = json.stacks as { stack: string; status: string; reason?: string }[];
    expect(stacks.filter((s) => s.status === "skipped").map((s) => [s.stack, s.reason])).toEqual([
      ["core-dev", same(c0)],
      ["pipelines_base-dev", "pipelines_base has no stack in dev (its stacks: prod)"],
      ...(expected.includes("pipelines-dev") ? [] : [["pipelines-dev", same(c0)]]),
    ]);
    expect(json.affected).toEqual({
      since: { rev: c0, commit: c0 },
      selected: expected.map((stack) => ({
        stack,
        reasons: [expect.stringMatching(new RegExp(`^its offline plan differs from ${c0}'s \\(`))],
      })),
    });
    expect(io.stderr).toContain(`<-- core-dev: skipped: ${same(c0)}`);
    expect(
      io.stderr.some((l) => l.startsWith("selected metadata-dev: its offline plan differs")),
    ).toBe(true);
  }, 120_000);

  it("deploys nothing after a README-only change, and lists every stack as skipped", async () => {
    repo.git("add", "-A");
    repo.git("commit", "--quiet", "--no-gpg-sign", "-m", "one table's column");
    write("README.md", read("README.md") + "\nAnother line.\n");
    const { code, io, json } = await run([
      "up",
      "--env",
      "dev",
      "--affected-since",
      "HEAD",
      "--yes",
      "--json",
    ]);
    expect(code).toBe(0);
    expect(fake.calls()).toEqual([]);
    expect(json.affected).toEqual({
      since: { rev: "HEAD", commit: repo.git("rev-parse", "HEAD").trim() },
      selected: [],
    });
    expect((json.summary as Record<string, number>).skipped).toBe(5);
    for (const s of DEV_STACKS) expect(io.stderr).toContain(`<-- ${s}: skipped: ${same("HEAD")}`);
    // HEAD's tree is the first run's working tree: only the README-only tree was planned anew.
    expect(planRuns).toBe(3);
    equalPlans = await diffPlans({
      repoRoot: repo.dir,
      base: "HEAD",
      envs: ["dev"],
      planArgs: ["--env", "dev"],
      log: () => {},
    });
    expect(planRuns).toBe(3);
  }, 120_000);

  it("selects the stack whose stack file changed, though the plans are equal", async () => {
    const file = "core/Pulumi.core-dev.yaml";
    const before = read(file);
    write(file, `${before}# a comment the plan cannot see\n`);
    try {
      expect(await changedFiles(repo.dir, "HEAD")).toEqual(["README.md", file]);
      const d = await affectedSince({
        repoRoot: repo.dir,
        rev: "HEAD",
        selection: DEV,
        log: () => {},
        diffPlans: () => Promise.resolve(equalPlans),
      });
      expect(d.selected).toEqual([
        {
          stack: "core-dev",
          reasons: [
            `${file} changed: secure values, the encryptionsalt and provider settings of a stack file are placeholders or absent in the plan`,
          ],
        },
      ]);
      expect(d.selection.stacks.map((s) => s.stack)).toEqual(["core-dev"]);
    } finally {
      write(file, before);
    }
  });

  it("selects every stack after a change under policy/, without planning", async () => {
    write("policy/common.ts", `${read("policy/common.ts")}\n// a change\n`);
    const d = await affectedSince({
      repoRoot: repo.dir,
      rev: "HEAD",
      selection: DEV,
      log: () => {},
      diffPlans: () => Promise.reject(new Error("must not plan")),
    });
    expect(d.selected.map((s) => s.stack)).toEqual(DEV_STACKS);
    expect(d.selected[0].reasons).toEqual([
      "policy/common.ts changed: the policy pack judges every stack, and its verdicts are not part of the compared plans",
    ]);
    repo.git("checkout", "--quiet", "--", "policy/common.ts");
  });

  it("refuses a revision that is not a commit, saying how to fetch it", async () => {
    const io = recordingIo();
    const code = await main(["preview", "--env", "dev", "--affected-since", "ba5e"], {
      io,
      env: fake.env(),
      repoRoot: repo.dir,
      diffPlans,
    });
    expect(code).toBe(1);
    expect(io.stderr).toEqual([
      "stacks preview: --affected-since ba5e: not a commit of this repository. Fetch it first (git fetch origin <branch>; in GitHub Actions, actions/checkout with fetch-depth: 0).",
    ]);
    expect(fake.calls()).toEqual([]);
  });
});
