/**
 * Real commands end to end through the CLI, with a fake `pulumi` first on PATH that records the
 * argv, working folder and backend of every call. The repository is a temporary copy of the
 * projects' Pulumi.yaml and stack files, so --local writes nothing into the checkout.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { PROJECTS, REPO_ROOT } from "../../../lib/model/stacks";
import { main } from "../cli";
import { recordingIo } from "../report/io";
import { type FakePulumi, installFakePulumi, summaryEvents } from "../testing/fakePulumi";

let fake: FakePulumi;
let root: string;

beforeEach(() => {
  fake = installFakePulumi();
  root = fs.mkdtempSync(path.join(os.tmpdir(), "stacks-repo-"));
  for (const project of PROJECTS) {
    fs.mkdirSync(path.join(root, project));
    for (const f of fs
      .readdirSync(path.join(REPO_ROOT, project))
      .filter((f) => /^Pulumi\..*yaml$/.test(f))) {
      // As after `init`: every stack file has its committed encryptionsalt (a test below
      // removes one).
      const text = fs.readFileSync(path.join(REPO_ROOT, project, f), "utf8");
      fs.writeFileSync(path.join(root, project, f), `encryptionsalt: v1:c2FsdA==:v1:test\n${text}`);
    }
  }
});

afterEach(() => {
  fake.remove();
  fs.rmSync(root, { recursive: true, force: true });
});

async function run(
  argv: string[],
  options: { env?: NodeJS.ProcessEnv; interactive?: boolean; answers?: string[] } = {},
) {
  const io = recordingIo({ interactive: options.interactive, answers: options.answers });
  const code = await main(argv, { io, env: options.env ?? fake.env(), repoRoot: root });
  return { code, io, out: io.stdout.join("\n"), err: io.stderr.join("\n"), calls: fake.calls() };
}

const PACK = (r: string) => [
  "--policy-pack",
  `${r}/policy`,
  "--policy-pack-config",
  `${r}/policy-config.json`,
];
const stackOf = (argv: string[]) => argv[argv.indexOf("--stack") + 1];
const withoutEventLog = (argv: string[]) => {
  const at = argv.indexOf("--event-log");
  return at < 0 ? argv : [...argv.slice(0, at), ...argv.slice(at + 2)];
};

describe("preview", () => {
  it("calls pulumi once per stack, in order, in the project's folder, with the default S3 backend", async () => {
    const r = await run(["preview", "--env", "dev", "--parallel", "1"]);
    expect(r.code).toBe(0);
    expect(r.calls.map((c) => c.cwd)).toEqual(
      ["core", "metadata", "pipelines", "glue_database"].map((p) => path.join(root, p)),
    );
    expect(r.calls.map((c) => withoutEventLog(c.argv))).toEqual(
      ["core-dev", "metadata-dev", "pipelines-dev", "glue_database-dev"].map((stack) => [
        "preview",
        "--stack",
        stack,
        "--non-interactive",
        "--refresh",
        "--diff",
        "--suppress-progress",
        ...PACK(root),
      ]),
    );
    expect(r.calls.every((c) => c.argv.includes("--event-log"))).toBe(true);
    expect(new Set(r.calls.map((c) => c.backendUrl))).toEqual(
      new Set(["s3://analytical-platform-data-engineering-pulumi-backend"]),
    );
    expect(r.out).toContain("--> core-dev: preview started");
    expect(r.out).toMatch(/<-- core-dev: preview succeeded in \d+\.\d s/);
    expect(r.out).toContain("[core-dev] fake pulumi preview core-dev");
    expect(r.out).toMatch(/pipelines_base-dev\s+skipped\s+-.*pipelines_base has no stack in dev/);
    expect(r.out).toContain("4 succeeded, 0 failed, 1 skipped. Exit code 0.");
  });

  it("uses PULUMI_BACKEND_URL when it is set", async () => {
    const r = await run(["preview", "--env", "prod", "--project", "core"], {
      env: fake.env({ PULUMI_BACKEND_URL: "s3://somewhere-else" }),
    });
    expect(r.calls.map((c) => [stackOf(c.argv), c.backendUrl])).toEqual([
      ["core-prod", "s3://somewhere-else"],
    ]);
  });

  it("reports change counts from the engine's event log", async () => {
    fake.answer("core-dev", "preview", {
      events: summaryEvents({ create: 2, update: 1, same: 40 }),
    });
    const r = await run(["preview", "--env", "dev", "--project", "core", "--json"]);
    const doc = JSON.parse(r.out);
    expect(doc.stacks[0]).toMatchObject({
      stack: "core-dev",
      status: "succeeded",
      changes: { create: 2, update: 1, replace: 0, delete: 0, same: 40 },
    });
    expect(r.err).toContain("2 to create, 1 to update, 0 to replace, 0 to delete, 40 unchanged");
  });

  it("previews every stack even when a dependency's preview fails, and exits 1", async () => {
    // A preview reads its dependencies' deployed outputs, not their previews: nothing to skip.
    fake.answer("core-prod", "preview", {
      output: "error: the stack is currently locked by 1 lock(s)",
      exitCode: 255,
    });
    const r = await run(["preview", "--env", "prod"]);
    expect(r.code).toBe(1);
    expect(r.calls.map((c) => stackOf(c.argv)).sort()).toEqual([
      "core-prod",
      "glue_database-prod",
      "metadata-prod",
      "pipelines-prod",
      "pipelines_base-prod",
    ]);
    expect(r.out).not.toContain("skipped: it depends on");
    expect(r.out).toMatch(
      /core-prod: error: the stack is currently locked .*npm run stacks -- cancel --env prod --project core/,
    );
    expect(r.out).toContain("4 succeeded, 1 failed, 0 skipped. Exit code 1.");
  });

  it("says a checkpoint looked for as plain JSON was a failed listing, not a lost state", async () => {
    // v3.248.0 when the listing that finds `core-prod.json.gz` fails (flakyBackend.real-cli.test)
    fake.answer("core-prod", "preview", {
      output:
        'error: failed to load checkpoint: blob (key ".pulumi/stacks/core/core-prod.json") (code=NotFound): operation error S3: GetObject, https response error StatusCode: 404, RequestID: , HostID: , NoSuchKey: The specified key does not exist.',
      exitCode: 255,
    });
    fake.answer("metadata-prod", "preview", {
      output: "error: no stack named 'metadata-prod' found",
      exitCode: 255,
    });
    const r = await run(["preview", "--env", "prod", "--project", "core", "--project", "metadata"]);
    expect(r.code).toBe(1);
    expect(r.out).toContain(
      "NoSuchKey: The specified key does not exist. The CLI did not get the bucket's listing and looked for the plain core-prod.json instead of the gzipped checkpoint (a transient backend error): rerun. If it persists: npm run stacks -- doctor --env prod.",
    );
    expect(r.out).toContain(
      'The stack does not exist yet: "npm run stacks -- up --env prod --project metadata" creates it. If it was deployed before, the backend did not answer a listing (a transient backend error): rerun.',
    );
  });

  it("previews stacks side by side by default, dependents included", async () => {
    // Each waits until the other has started: they can only both succeed side by side, and
    // metadata-prod depends on core-prod.
    fake.answer("core-prod", "preview", { waitForStart: "metadata-prod" });
    fake.answer("metadata-prod", "preview", { waitForStart: "core-prod" });
    const r = await run(["preview", "--env", "prod", "--project", "core", "--project", "metadata"]);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/preview core-prod, metadata-prod with backend .*, up to \d+ at a time/);
  });

  it("still skips the dependents of a failed up", async () => {
    fake.answer("core-prod", "up", {
      output: "error: the stack is currently locked by 1 lock(s)",
      exitCode: 255,
    });
    const r = await run(["up", "--env", "prod", "--yes"]);
    expect(r.code).toBe(1);
    expect(r.calls.filter((c) => c.argv[0] === "up").map((c) => stackOf(c.argv))).toEqual([
      "core-prod",
      "pipelines_base-prod",
    ]);
    expect(r.out).toContain("<-- metadata-prod: skipped: it depends on core-prod, which failed");
    expect(r.out).toContain("<-- pipelines-prod: skipped: it depends on core-prod, which failed");
    expect(r.out).toContain(
      "<-- glue_database-prod: skipped: it depends on core-prod, which failed",
    );
    expect(r.out).toContain("1 succeeded, 1 failed, 3 skipped. Exit code 1.");
  });

  it("writes the pull-request comment, with the dmsRole warning, and merges environments", async () => {
    const role =
      "urn:pulumi:pipelines-dev::pipelines::dataeng:pipelines:DmsPipeline$aws:iam/role:Role::delius-dms-role";
    fake.answer("pipelines-dev", "preview", {
      output: "Previewing update (pipelines-dev):\n    +-aws:iam/role:Role: (replace)\n",
      events: summaryEvents({ replace: 1, same: 30 }, [
        { op: "replace", urn: role, type: "aws:iam/role:Role" },
      ]),
    });
    const file = path.join(root, "out", "comment.md");
    const dev = await run(["preview", "--env", "dev", "--comment-file", file]);
    expect(dev.code).toBe(0);
    expect(dev.out).toContain(
      "WARNING: dmsRole delius-dms-role in pipelines-dev would be replaced.",
    );
    await run(["preview", "--env", "prod", "--comment-file", file]);
    const md = fs.readFileSync(file, "utf8");
    expect(md.indexOf("[!CAUTION]")).toBeLessThan(md.indexOf("### dev"));
    expect(md).toContain("### dev");
    expect(md).toContain("### prod");
    expect(md).toContain("| pipelines | ✅ succeeded | 0 | 0 | 1 | 0 |  |");
    expect(md).toContain("+-aws:iam/role:Role: (replace)");
  });
});

describe("up", () => {
  it("refuses without --yes when nobody is at a terminal", async () => {
    const r = await run(["up", "--env", "dev"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain(
      "up needs confirmation, and this is not a terminal: pass --yes to confirm.",
    );
    expect(r.calls).toEqual([]);
  });

  it("asks on a terminal, and does nothing unless confirmed", async () => {
    const no = await run(["up", "--env", "dev"], { interactive: true, answers: ["n"] });
    expect(no.code).toBe(1);
    expect(no.io.prompts[0]).toContain(
      "This deploys core-dev, metadata-dev, pipelines-dev, glue_database-dev",
    );
    expect(no.calls).toEqual([]);
    const yes = await run(["up", "--env", "dev", "--project", "core"], {
      interactive: true,
      answers: ["yes"],
    });
    expect(yes.code).toBe(0);
    expect(yes.calls).toHaveLength(2);
  });

  it("creates a missing stack, then deploys with the policy pack", async () => {
    // v3.248.0's answer to a select of a missing stack (backenderr.StackNotFoundError)
    fake.answer("pipelines_base-prod", "stack-select", {
      output: "error: no stack named 'pipelines_base-prod' found\n",
      exitCode: 255,
    });
    fake.answer("", "stack-ls", { output: "[]\n" });
    const r = await run(["up", "--env", "prod", "--project", "pipelines_base", "--yes"]);
    expect(r.code).toBe(0);
    expect(r.calls.map((c) => [c.cwd, withoutEventLog(c.argv)])).toEqual([
      [
        path.join(root, "pipelines_base"),
        ["stack", "select", "--stack", "pipelines_base-prod", "--non-interactive"],
      ],
      [path.join(root, "pipelines_base"), ["stack", "ls", "--json", "--non-interactive"]],
      [
        path.join(root, "pipelines_base"),
        [
          "stack",
          "select",
          "--stack",
          "pipelines_base-prod",
          "--create",
          "--secrets-provider",
          "passphrase",
          "--non-interactive",
        ],
      ],
      [
        path.join(root, "pipelines_base"),
        [
          "up",
          "--stack",
          "pipelines_base-prod",
          "--non-interactive",
          "--yes",
          "--skip-preview",
          "--refresh",
          "--diff",
          "--suppress-progress",
          ...PACK(root),
        ],
      ],
    ]);
  });

  it("runs independent stacks at the same time with --parallel", async () => {
    // Each of the two waits until the other has started: they can only both succeed side by side.
    fake.answer("core-prod", "up", { waitForStart: "pipelines_base-prod" });
    fake.answer("pipelines_base-prod", "up", { waitForStart: "core-prod" });
    const r = await run(["up", "--env", "prod", "--parallel", "2", "--yes"]);
    expect(r.code).toBe(0);
    const ups = r.calls.filter((c) => c.argv[0] === "up").map((c) => stackOf(c.argv));
    expect(ups.slice(0, 2).sort()).toEqual(["core-prod", "pipelines_base-prod"]);
    expect(ups.indexOf("glue_database-prod")).toBeGreaterThan(ups.indexOf("metadata-prod"));
  });

  it("passes --target and --replace only to the stack their URN names", async () => {
    const urn =
      "urn:pulumi:pipelines-dev::pipelines::aws:dms/replicationInstance:ReplicationInstance::delius-replication-instance";
    const r = await run(["up", "--env", "dev", "--yes", "--target", urn, "--replace", urn]);
    expect(r.code).toBe(0);
    const ups = r.calls.filter((c) => c.argv[0] === "up");
    expect(ups.map((c) => stackOf(c.argv))).toEqual(["pipelines-dev"]);
    expect(withoutEventLog(ups[0].argv).slice(-4)).toEqual(["--target", urn, "--replace", urn]);
    expect(r.out).toContain("<-- core-dev: skipped: no --target names a resource of this stack");
  });

  it("refuses a URN of a stack the run does not select", async () => {
    const r = await run([
      "up",
      "--env",
      "dev",
      "--yes",
      "--replace",
      "urn:pulumi:core-prod::core::aws:kms/key:Key::data-key",
    ]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("names stack core-prod, which this run does not select");
    expect(r.calls).toEqual([]);
  });
});

describe("destroy", () => {
  it("runs dependents first", async () => {
    const r = await run(["destroy", "--env", "dev", "--yes"]);
    expect(r.code).toBe(0);
    expect(r.calls.map((c) => withoutEventLog(c.argv))).toEqual(
      ["glue_database-dev", "pipelines-dev", "metadata-dev", "core-dev"].map((stack) => [
        "destroy",
        "--stack",
        stack,
        "--non-interactive",
        "--yes",
        "--suppress-progress",
      ]),
    );
  });

  it("refuses prod without the extra flag, even with --yes", async () => {
    const r = await run(["destroy", "--env", "prod", "--yes"]);
    expect(r.code).toBe(2);
    expect(r.err).toContain("destroying prod stacks is refused without --allow-prod-destroy");
    expect(r.calls).toEqual([]);
    const ok = await run([
      "destroy",
      "--env",
      "prod",
      "--yes",
      "--allow-prod-destroy",
      "--project",
      "core",
    ]);
    expect(ok.code).toBe(0);
    expect(ok.calls.map((c) => stackOf(c.argv))).toEqual(["core-prod"]);
  });

  it("asks for the environment's name on a terminal", async () => {
    const r = await run(["destroy", "--env", "dev", "--project", "glue_database"], {
      interactive: true,
      answers: ["dev"],
    });
    expect(r.io.prompts[0]).toContain('Type "dev" to continue');
    expect(r.code).toBe(0);
  });
});

describe("refresh", () => {
  it("is a drift check with --preview-only --expect-no-changes: drift exits 1 but skips nothing", async () => {
    // v3.248: backenderr.NoChangesExpectedError's text, printed as the command's error, and
    // exit code 7 (ExitNoChanges, pkg/cmd/pulumi/cmd/exit_codes.go)
    fake.answer("core-dev", "refresh", {
      exitCode: 7,
      output: "error: no changes were expected but changes were proposed\n",
      events: summaryEvents({ update: 1, same: 44 }),
    });
    const r = await run([
      "refresh",
      "--env",
      "dev",
      "--preview-only",
      "--expect-no-changes",
      "--json",
    ]);
    expect(r.code).toBe(1);
    const core = r.calls.find((c) => stackOf(c.argv) === "core-dev")!;
    expect(withoutEventLog(core.argv)).toEqual([
      "refresh",
      "--stack",
      "core-dev",
      "--non-interactive",
      "--diff",
      "--suppress-progress",
      "--preview-only",
      "--expect-no-changes",
    ]);
    const doc = JSON.parse(r.out);
    expect(
      doc.stacks.map((s: { stack: string; status: string }) => `${s.stack}:${s.status}`),
    ).toEqual([
      "core-dev:drifted",
      "pipelines_base-dev:skipped",
      "metadata-dev:succeeded",
      "pipelines-dev:succeeded",
      "glue_database-dev:succeeded",
    ]);
    expect(doc.summary).toEqual({
      stacks: 5,
      succeeded: 3,
      failed: 0,
      drifted: 1,
      skipped: 1,
      exempted: 0,
    });
  });

  it("refuses the drift flags on other commands", async () => {
    const r = await run(["preview", "--env", "dev", "--expect-no-changes"]);
    expect(r.code).toBe(2);
  });
});

describe("cancel", () => {
  it("explains what it does to the lock, then asks", async () => {
    const r = await run(["cancel", "--env", "dev", "--project", "pipelines"], {
      interactive: true,
      answers: ["yes"],
    });
    expect(r.err).toContain("cancel removes the update lock of pipelines-dev");
    expect(r.err).toContain('"npm run stacks -- doctor --env dev"');
    expect(r.err).toContain('"stacks recover" brings the state back in line with AWS');
    expect(r.code).toBe(0);
    expect(r.calls.map((c) => c.argv)).toEqual([
      ["cancel", "--stack", "pipelines-dev", "--non-interactive", "--yes"],
    ]);
  });
});

describe("--local", () => {
  it("uses a file backend, a passphrase file and a generated LocalStack config inside the checkout", async () => {
    const r = await run(["up", "--env", "dev", "--project", "core", "--local", "--yes"], {
      env: fake.env({ AWS_PROFILE: "real-account" }),
    });
    expect(r.code).toBe(0);
    const local = path.join(root, ".pulumi-local");
    const [create, up] = r.calls;
    expect(create.cwd).toBe(path.join(local, "projects", "core"));
    expect(up.cwd).toBe(path.join(root, "core"));
    for (const c of r.calls) {
      expect(c.backendUrl).toBe(`file://${local}/backend`);
      expect(c.passphraseFile).toBe(path.join(local, "passphrase"));
      expect(c.awsProfile).toBe("");
    }
    const configFile = path.join(local, "projects", "core", "Pulumi.core-dev.yaml");
    expect(withoutEventLog(up.argv).slice(-2)).toEqual(["--config-file", configFile]);
    const config = parse(fs.readFileSync(configFile, "utf8")).config;
    expect(config).toMatchObject({
      "aws:region": "eu-west-2",
      "core:bucketNamePrefix": "mojap-dataeng",
      "aws:accessKey": "test",
      "aws:secretKey": "test",
      "aws:skipCredentialsValidation": true,
      "aws:skipRequestingAccountId": true,
      "aws:s3UsePathStyle": true,
    });
    expect(config["aws:endpoints"]).toContainEqual({ s3: "http://localhost:4566" });
    expect(fs.readFileSync(path.join(local, "passphrase"), "utf8").trim().length).toBeGreaterThan(
      20,
    );
    expect(fs.readFileSync(path.join(root, "core", "Pulumi.core-dev.yaml"), "utf8")).toBe(
      `encryptionsalt: v1:c2FsdA==:v1:test\n${fs.readFileSync(path.join(REPO_ROOT, "core", "Pulumi.core-dev.yaml"), "utf8")}`,
    );
  });
});

it("says how to install the Pulumi CLI when it is not on PATH", async () => {
  const r = await run(["preview", "--env", "dev"], { env: { PATH: fake.dir } });
  expect(r.code).toBe(1);
  expect(r.err).toContain('the Pulumi CLI ("pulumi") is not on PATH');
});

describe("the secrets salt", () => {
  it("runs a stack file without encryptionsalt on a scratch copy, so the committed file never changes", async () => {
    const file = path.join(root, "core", "Pulumi.core-dev.yaml");
    const saltless = fs.readFileSync(path.join(REPO_ROOT, "core", "Pulumi.core-dev.yaml"), "utf8");
    fs.writeFileSync(file, saltless);
    const r = await run(["preview", "--env", "dev", "--project", "core"]);
    expect(r.code).toBe(0);
    const argv = r.calls[0].argv;
    const copy = argv[argv.indexOf("--config-file") + 1];
    expect(path.basename(copy)).toBe("Pulumi.core-dev.yaml");
    expect(copy.startsWith(root)).toBe(false);
    expect(r.out).toContain(
      '[core-dev] Pulumi.core-dev.yaml has no encryptionsalt: running on a scratch copy so that it stays unchanged. Run "npm run stacks -- init --env dev" and commit the salt.',
    );
    expect(fs.readFileSync(file, "utf8")).toBe(saltless);
  });

  it("deploys a stack that up has just created on its stack file, which now holds the new salt", async () => {
    const file = path.join(root, "core", "Pulumi.core-dev.yaml");
    const saltless = fs.readFileSync(path.join(REPO_ROOT, "core", "Pulumi.core-dev.yaml"), "utf8");
    fs.writeFileSync(file, saltless);
    // stack select --create saves the new stack's salt into its stack file (InitStack)
    fake.answer("core-dev", "stack-select", {
      output: "error: no stack named 'core-dev' found\n",
      exitCode: 255,
    });
    fake.answer("", "stack-ls", { output: "[]\n" });
    fake.answer("core-dev", "stack-select-create", {
      writes: { path: file, content: `encryptionsalt: v1:bmV3:v1:created\n${saltless}` },
    });
    const r = await run(["up", "--env", "dev", "--project", "core", "--yes"]);
    expect(r.code).toBe(0);
    const up = r.calls.find((c) => c.argv[0] === "up")!;
    expect(up.argv).not.toContain("--config-file");
    expect(r.out).not.toContain("has no encryptionsalt");
  });

  it("gives every call PULUMI_FALLBACK_TO_STATE_SECRETS_MANAGER, PULUMI_DEBUG_COMMANDS and the state's gzip", async () => {
    const r = await run(["up", "--env", "prod", "--project", "pipelines_base", "--yes"]);
    expect(r.code).toBe(0);
    expect(r.calls.map((c) => [c.argv.slice(0, 2), c.refused, c.pulumiEnv])).toEqual(
      [
        ["stack", "select"],
        ["up", "--stack"],
      ].map((start) => [
        start,
        "",
        {
          PULUMI_BACKEND_URL: "s3://analytical-platform-data-engineering-pulumi-backend",
          PULUMI_SKIP_UPDATE_CHECK: "true",
          PULUMI_DEBUG_COMMANDS: "true",
          PULUMI_FALLBACK_TO_STATE_SECRETS_MANAGER: "true",
          PULUMI_DIY_BACKEND_GZIP: "true",
        },
      ]),
    );
  });
});

describe("policy violations from the engine", () => {
  const bucket = "urn:pulumi:core-dev::core::aws:s3/bucket:Bucket::raw-history";
  const violations = [
    {
      policyName: "s3-bucket-logging",
      description: "S3 buckets must log access to the access-logs bucket.",
      message:
        "Bucket raw-history has no access logging configured.\nSet `logging` to the access-logs bucket.",
      urn: bucket,
      enforcementLevel: "advisory" as const,
    },
    {
      policyName: "required-tags",
      description: "Every resource carries the team's tags.",
      message: "raw-history is missing the tags owner, is-production.",
      urn: bucket,
      enforcementLevel: "mandatory" as const,
    },
  ];

  it("reports each violation's own message with policy and resource, the description only beside it", async () => {
    fake.answer("core-dev", "preview", {
      events: summaryEvents({ same: 3 }, [], violations),
      exitCode: 255,
    });
    const file = path.join(root, "comment.md");
    const r = await run([
      "preview",
      "--env",
      "dev",
      "--project",
      "core",
      "--json",
      "--comment-file",
      file,
    ]);
    const doc = JSON.parse(r.out);
    expect(doc.stacks[0].policyViolations).toEqual([
      {
        policyName: "s3-bucket-logging",
        enforcementLevel: "advisory",
        message:
          "Bucket raw-history has no access logging configured.\nSet `logging` to the access-logs bucket.",
        description: "S3 buckets must log access to the access-logs bucket.",
        urn: bucket,
        resourceType: "aws:s3/bucket:Bucket",
        resourceName: "raw-history",
      },
      {
        policyName: "required-tags",
        enforcementLevel: "mandatory",
        message: "raw-history is missing the tags owner, is-production.",
        description: "Every resource carries the team's tags.",
        urn: bucket,
        resourceType: "aws:s3/bucket:Bucket",
        resourceName: "raw-history",
      },
    ]);
    const human = r.err.split("\n");
    const at = human.findIndex((l) => l.startsWith("<-- core-dev: preview failed"));
    expect(human.slice(at + 1, at + 5)).toEqual([
      "    mandatory required-tags on aws:s3/bucket:Bucket raw-history: raw-history is missing the tags owner, is-production.",
      "        (required-tags: Every resource carries the team's tags.)",
      "    advisory s3-bucket-logging on aws:s3/bucket:Bucket raw-history: Bucket raw-history has no access logging configured. Set `logging` to the access-logs bucket.",
      "        (s3-bucket-logging: S3 buckets must log access to the access-logs bucket.)",
    ]);
    const md = fs.readFileSync(file, "utf8");
    expect(md).toContain(
      "- ❌ mandatory `required-tags` on `aws:s3/bucket:Bucket` `raw-history` (core-dev): raw-history is missing the tags owner, is-production.<br><sub>Every resource carries the team's tags.</sub>",
    );
    expect(md).toContain(
      "- ⚠️ advisory `s3-bucket-logging` on `aws:s3/bucket:Bucket` `raw-history` (core-dev): Bucket raw-history has no access logging configured. Set `logging` to the access-logs bucket.<br><sub>S3 buckets must log access to the access-logs bucket.</sub>",
    );
  });
});
