/**
 * The real Pulumi CLI v3.248.0 in the loop (`npm run test:real`): the real engine, the real
 * Node SDK, the real programs and the real policy pack, on a real S3-compatible server bound to
 * 127.0.0.1, through the orchestrator and through the README's manual procedure. Stand-ins:
 * the AWS provider and the Node.js language host (see tools/realCli/README.md for why).
 *
 * The tests run in order and share one backend: each builds on the state the previous left.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CLI_COMMANDS, flagsFor, PULUMI_CLI_VERSION } from "../stacks/pulumi/pulumiCli";
import { checkpoint, cliDir, cliEnv, run, scratchRepo, stacks, type Ran } from "./harness";
import { MOCK_ACCOUNT_ID } from "../../lib/plan/evaluate";
import { startLocalSts, type LocalSts } from "../stacks/testing/localSts";
import { startLocalS3, S3_ACCESS_KEY, type LocalS3 } from "./s3Server";

const DEV_STACKS = ["core-dev", "metadata-dev", "pipelines-dev", "glue_database-dev"];
const projectOf = (stack: string) => stack.replace(/-dev$/, "");

let dir: string;
let s3: LocalS3;
let sts: LocalSts;
let repo: string;
let home: string;
let env: NodeJS.ProcessEnv;
let stackFilesAfterInit: Map<string, string>;

const pulumi = (args: readonly string[], cwd: string, extra: NodeJS.ProcessEnv = {}) =>
  run(path.join(dir, "pulumi"), args, cwd, { ...env, ...extra });
const orchestrator = (args: readonly string[]) =>
  stacks(repo, args, { ...env, PULUMI_BACKEND_URL: s3.backendUrl });
const report = (r: Ran) => {
  try {
    return JSON.parse(r.stdout) as {
      exitCode: number;
      stacks: {
        stack: string;
        status: string;
        changes?: Record<string, number>;
        policyViolations: {
          policyName: string;
          enforcementLevel: string;
          message: string;
          description?: string;
        }[];
      }[];
    };
  } catch {
    throw new Error(`no JSON report (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  }
};
const stackFiles = () =>
  new Map(
    fs
      .readdirSync(repo, { recursive: true, encoding: "utf8" })
      .filter(
        (f) =>
          /(^|\/)Pulumi\.[^/]+-(dev|preprod|prod)\.yaml$/.test(f) && !f.startsWith("node_modules"),
      )
      .map((f) => [f, fs.readFileSync(path.join(repo, f), "utf8")]),
  );

beforeAll(async () => {
  dir = cliDir();
  s3 = await startLocalS3();
  repo = scratchRepo();
  home = fs.mkdtempSync(path.join(os.tmpdir(), "dataeng-real-cli-home-"));
  // doctor's STS check goes to a local endpoint too: nothing leaves 127.0.0.1.
  sts = await startLocalSts([
    {
      accessKeyId: S3_ACCESS_KEY,
      account: MOCK_ACCOUNT_ID,
      arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:user/real-cli-test`,
      userId: "AIDAREALCLITEST",
    },
  ]);
  env = { ...cliEnv(dir, s3, home), AWS_ENDPOINT_URL_STS: sts.endpoint };
});

afterAll(async () => {
  await s3?.close();
  await sts?.stop();
  if (repo) fs.rmSync(repo, { recursive: true, force: true });
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

test("8. the fast tier's flag table matches the real binary's --help for every command it covers", async () => {
  const version = await pulumi(["version"], repo);
  expect(version.stdout.trim()).toBe(PULUMI_CLI_VERSION);
  for (const debug of [false, true]) {
    const extra = debug ? { PULUMI_DEBUG_COMMANDS: "true" } : {};
    for (const command of Object.keys(CLI_COMMANDS)) {
      const help = await pulumi([...command.split(" ").filter(Boolean), "--help"], repo, extra);
      expect(help.code).toBe(0);
      const real = parseHelpFlags(help.stdout);
      // pflag shows a backquoted word of the usage text in place of the type (`--show-secrets
      // false` is a boolean): ask the binary whether such a flag wants a value.
      for (const f of real.values()) {
        if (f.varname === undefined || PFLAG_TYPES.has(f.varname)) continue;
        const probe = await pulumi(
          [...command.split(" ").filter(Boolean), "--help", `--${f.name}`],
          repo,
          extra,
        );
        f.takesValue = probe.stderr.includes(`flag needs an argument: --${f.name}`);
      }
      const table = flagsFor(command, extra).map((f) => ({
        name: f.name,
        short: f.short ?? "",
        takesValue: f.value !== "none",
      }));
      // A flag the table knows but --help does not show must be a hidden one the command still
      // registers: cobra parses flags before acting on --help, so an unknown one fails there.
      for (const f of table.filter((t) => !real.has(t.name))) {
        const probe = await pulumi(
          [
            ...command.split(" ").filter(Boolean),
            f.takesValue ? `--${f.name}=x` : `--${f.name}`,
            "--help",
          ],
          repo,
          extra,
        );
        // (A value it refuses, such as --output=x, still proves the flag is registered.)
        const unknown = /unknown (shorthand )?flag/.test(probe.stderr) ? probe.stderr.trim() : "";
        expect({ command, flag: f.name, unknown }).toEqual({ command, flag: f.name, unknown: "" });
        real.set(f.name, { ...f });
      }
      // And every flag the real command shows is in the table, with the same shorthand and arity.
      const sorted = (xs: { name: string }[]) =>
        [...xs].sort((a, b) => a.name.localeCompare(b.name));
      const shown = [...real.values()].map(({ name, short, takesValue }) => ({
        name,
        short,
        takesValue,
      }));
      expect({ command, debug, flags: sorted(shown) }).toEqual({
        command,
        debug,
        flags: sorted(table),
      });
    }
  }
});

/** The type names pflag prints after a flag that takes a value (pflag v1.0.10 *.go `Type()`). */
const PFLAG_TYPES = new Set(
  "string int int8 int16 int32 int64 uint uint8 uint16 uint32 uint64 float32 float64 duration stringArray strings stringSlice ints uints stringToString stringToInt bytesHex ip ipMask ipNet count".split(
    " ",
  ),
);

interface HelpFlag {
  name: string;
  short: string;
  takesValue: boolean;
  varname?: string;
}

/** cobra's usage lines: `  -s, --name type   text`, `      --name   text` (pflag FlagUsages). */
function parseHelpFlags(help: string): Map<string, HelpFlag> {
  const out = new Map<string, HelpFlag>();
  let inFlags = false;
  for (const line of help.split("\n")) {
    if (/^(Global )?Flags:$/.test(line)) {
      inFlags = true;
      continue;
    }
    if (/^\S/.test(line)) inFlags = false;
    if (!inFlags) continue;
    const m = /^\s+(?:-(\w), )?--([\w-]+)(?: (\w+))?(\[=[^\]]*\])?(?:\s{2,}|$)/.exec(line);
    if (!m) continue;
    const flag: HelpFlag = {
      name: m[2],
      short: m[1] ?? "",
      takesValue: m[3] !== undefined || m[4] !== undefined,
    };
    if (m[3] !== undefined && m[4] === undefined) flag.varname = m[3];
    out.set(m[2], flag);
  }
  return out;
}

test("1. stacks init then stacks up --env dev deploy in order through the S3 backend; a preview then shows no changes", async () => {
  const init = await orchestrator(["init", "--env", "dev"]);
  expect({ code: init.code, out: init.stdout + init.stderr }).toEqual({
    code: 0,
    out: expect.stringContaining("created; salt written"),
  });
  stackFilesAfterInit = stackFiles();

  const up = await orchestrator(["up", "--env", "dev", "--yes", "--parallel", "2", "--json"]);
  const upReport = report(up);
  expect({ exitCode: upReport.exitCode, stderr: upReport.exitCode === 0 ? "" : up.stderr }).toEqual(
    { exitCode: 0, stderr: "" },
  );
  expect(upReport.stacks.map((s) => [s.stack, s.status])).toEqual([
    ["core-dev", "succeeded"],
    ["pipelines_base-dev", "skipped"],
    ["metadata-dev", "succeeded"],
    ["pipelines-dev", "succeeded"],
    ["glue_database-dev", "succeeded"],
  ]);
  // The bucket holds exactly what the CLI wrote: each checkpoint parses, with its resources.
  for (const stack of DEV_STACKS) {
    const resources = checkpoint(s3, projectOf(stack), stack).checkpoint.latest?.resources ?? [];
    expect(resources.length).toBeGreaterThan(3);
  }
  expect(s3.readObject(".pulumi/meta.yaml").toString()).toBe("version: 1\n");
  // The orchestrator has the CLI gzip every checkpoint (pulumiEnv): no plain copy is written.
  const stateKeys = s3.listKeys(".pulumi/stacks/").filter((k) => !k.endsWith(".bak"));
  expect(stateKeys.filter((k) => !k.endsWith(".json.gz"))).toEqual([]);
  expect(stateKeys).toEqual(
    expect.arrayContaining(
      DEV_STACKS.map((stack) => `.pulumi/stacks/${projectOf(stack)}/${stack}.json.gz`),
    ),
  );
  // metadata-dev read core-dev's outputs through a StackReference answered by the backend.
  const ref = checkpoint(s3, "metadata", "metadata-dev").checkpoint.latest!.resources!.find(
    (r) => r.type === "pulumi:pulumi:StackReference",
  );
  expect(ref?.outputs?.name).toBe("organization/core/core-dev");
  const coreOutputs = checkpoint(s3, "core", "core-dev").checkpoint.latest!.resources!.find(
    (r) => r.type === "pulumi:pulumi:Stack",
  )!.outputs!;
  expect((ref!.outputs!.outputs as Record<string, unknown>).metadataBucketName).toBe(
    coreOutputs.metadataBucketName,
  );

  const preview = report(
    await orchestrator(["preview", "--env", "dev", "--parallel", "2", "--json"]),
  );
  expect(preview.exitCode).toBe(0);
  for (const s of preview.stacks.filter((x) => x.status !== "skipped")) {
    const { same = 0, ...changed } = s.changes ?? {};
    expect({ stack: s.stack, changed: Object.values(changed).reduce((a, b) => a + b, 0) }).toEqual({
      stack: s.stack,
      changed: 0,
    });
    expect(same).toBeGreaterThan(0);
  }
});

test("2. the README's manual procedure: login, stack select, preview --refresh --diff with the policy pack", async () => {
  const login = await pulumi(["login", s3.backendUrl], repo);
  expect(login.stdout).toContain(`Logged in to`);
  const cwd = path.join(repo, "pipelines");
  const select = await pulumi(["stack", "select", "pipelines-dev"], cwd);
  expect(select.code).toBe(0);
  const preview = await pulumi(
    [
      "preview",
      "--refresh",
      "--diff",
      "--policy-pack=../policy",
      "--policy-pack-config=../policy-config.json",
    ],
    cwd,
  );
  expect({
    code: preview.code,
    err: preview.code === 0 ? "" : preview.stdout + preview.stderr,
  }).toEqual({ code: 0, err: "" });
  expect(preview.stdout).toMatch(/Resources:\n\s+\d+ unchanged\n/);
  expect(preview.stdout).toContain("dataeng-dms-pipelines|local|../policy");
});

test("3. an insecure copy of a program is refused with the violation's own message in the report and the PR comment", async () => {
  // The KMS key's module of core (core/dataKey.ts): a copy with rotation off.
  const program = path.join(repo, "core", "dataKey.ts");
  const original = fs.readFileSync(program, "utf8");
  expect(original).toContain("enableKeyRotation: true");
  fs.writeFileSync(
    program,
    original.replace("enableKeyRotation: true", "enableKeyRotation: false"),
  );
  const commentFile = path.join(home, "comment.md");
  try {
    const r = await orchestrator([
      "preview",
      "--env",
      "dev",
      "--project",
      "core",
      "--json",
      "--comment-file",
      commentFile,
    ]);
    const rep = report(r);
    expect(rep.exitCode).toBe(1);
    const mandatory = rep.stacks[0].policyViolations.filter(
      (v) => v.enforcementLevel === "mandatory",
    );
    expect(mandatory.map((v) => v.policyName)).toEqual(["kms-key-rotation-enabled"]);
    const v = mandatory[0];
    // The engine's message is "<description>\n<message>"; the report keeps them apart.
    expect(v.message).not.toBe(v.description);
    expect(v.message.length).toBeGreaterThan(10);
    expect(fs.readFileSync(commentFile, "utf8")).toContain(v.message);
  } finally {
    fs.writeFileSync(program, original);
  }
});

test("4. pulumi stack -u lists URNs and pulumi up --replace <urn> replaces that resource only", async () => {
  const cwd = path.join(repo, "pipelines");
  const listed = await pulumi(["stack", "-u", "--stack", "pipelines-dev"], cwd);
  // pkg/cmd/pulumi/stack/stack.go renderResourceRow: "    <tree>URN: <urn>" under each row.
  const urns = listed.stdout
    .split("\n")
    .map((l) => /URN: (urn:pulumi:\S+)$/.exec(l)?.[1])
    .filter((u): u is string => u !== undefined);
  expect(urns.length).toBeGreaterThan(40);
  // A leaf: replacing the replication instance (deleteBeforeReplace) also replaces the task
  // that depends on it, as the engine must (see "What the real CLI found" in the README).
  const urn = urns.find((u) => u.endsWith("::delius-validate-errors"));
  expect(urn).toBe(
    "urn:pulumi:pipelines-dev::pipelines::dataeng:pipelines:DmsPipeline$aws:cloudwatch/metricAlarm:MetricAlarm::delius-validate-errors",
  );
  const up = await pulumi(
    [
      "up",
      "--yes",
      "--stack",
      "pipelines-dev",
      "--replace",
      urn!,
      "--policy-pack=../policy",
      "--policy-pack-config=../policy-config.json",
    ],
    cwd,
  );
  expect({ code: up.code, err: up.code === 0 ? "" : up.stdout + up.stderr }).toEqual({
    code: 0,
    err: "",
  });
  expect(up.stdout).toMatch(/Resources:\n\s+\+-1 replaced\n\s+\d+ unchanged\n/);
});

test("5. a lock left by a killed up is shown by stacks doctor with its age and cleared by stacks cancel", async () => {
  const cwd = path.join(repo, "glue_database");
  const child = spawn(
    path.join(dir, "pulumi"),
    ["up", "--yes", "--stack", "glue_database-dev", "--refresh"],
    {
      cwd,
      env: { ...env, PULUMI_BACKEND_URL: s3.backendUrl },
      stdio: "ignore",
      detached: true,
    },
  );
  const lockPrefix = ".pulumi/locks/organization/glue_database/glue_database-dev/";
  for (let i = 0; i < 300 && s3.listKeys(lockPrefix).length === 0; i++)
    await new Promise((r) => setTimeout(r, 100));
  expect(s3.listKeys(lockPrefix)).toHaveLength(1);
  process.kill(-child.pid!, "SIGKILL");
  await new Promise((r) => child.on("exit", r));

  const upAgain = await orchestrator([
    "up",
    "--env",
    "dev",
    "--project",
    "glue_database",
    "--yes",
    "--json",
  ]);
  expect(report(upAgain).exitCode).toBe(1);
  expect(upAgain.stderr + upAgain.stdout).toContain("the stack is currently locked");

  const doctor = await orchestrator(["doctor", "--env", "dev"]);
  expect(doctor.code).toBe(1);
  // Every other check passes (local STS, local S3): the lock is the one failure.
  expect(doctor.stdout.split("\n").filter((l) => l.startsWith("✗"))).toEqual([
    "✗ locks: 1 lock(s):",
  ]);
  expect(doctor.stdout).toMatch(
    /\n {6}glue_database-dev: \.pulumi\/locks\/organization\/glue_database\/glue_database-dev\/[0-9a-f-]+\.json by \S+@\S+ \(pid \d+\) at \S+, \d+ min old\n/,
  );

  const cancel = await orchestrator([
    "cancel",
    "--env",
    "dev",
    "--project",
    "glue_database",
    "--yes",
  ]);
  expect(cancel.code).toBe(0);
  expect(s3.listKeys(lockPrefix)).toEqual([]);
  const clean = await orchestrator(["doctor", "--env", "dev"]);
  expect({ code: clean.code, out: clean.code === 0 ? "" : clean.stdout }).toEqual({
    code: 0,
    out: "",
  });
  const up = report(
    await orchestrator(["up", "--env", "dev", "--project", "glue_database", "--yes", "--json"]),
  );
  expect(up.exitCode).toBe(0);
});

test("6. no stack file changed (salt included) since init", () => {
  expect(stackFiles()).toEqual(stackFilesAfterInit);
});

test("7. stacks destroy --env dev removes everything, dependents first", async () => {
  const r = await orchestrator(["destroy", "--env", "dev", "--yes", "--json"]);
  const rep = report(r);
  expect(rep.exitCode).toBe(0);
  expect(rep.stacks.map((s) => [s.stack, s.status])).toEqual([
    ["glue_database-dev", "succeeded"],
    ["pipelines-dev", "succeeded"],
    ["metadata-dev", "succeeded"],
    ["pipelines_base-dev", "skipped"],
    ["core-dev", "succeeded"],
  ]);
  for (const stack of DEV_STACKS) {
    expect({
      stack,
      resources: checkpoint(s3, projectOf(stack), stack).checkpoint.latest?.resources ?? [],
    }).toEqual({
      stack,
      resources: [],
    });
  }
  expect(stackFiles()).toEqual(stackFilesAfterInit);
});
