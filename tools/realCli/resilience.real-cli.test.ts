/**
 * Issue 21 with the real Pulumi CLI v3.248.0 and engine (`npm run test:real`), on its own local
 * S3 backend and scratch copy: deploys killed at any point, a resource AWS refuses, and (in
 * flakyBackend.real-cli.test.ts) a backend that fails. The AWS provider stand-in keeps a ledger
 * of what it created, updated and deleted (awsAccount.ts): at the end AWS must equal the state.
 *
 * The metadata stack is grown to TABLES tables per database in the scratch copy (one S3 object
 * each), so it has hundreds of resources. The tests run in order and build on each other.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { cliDir, cliEnv, scratchRepo, stacks, type Ran } from "./harness";
import { doubleCreates, liveResources, readLedger, ledgerKey } from "./awsAccount";
import { MOCK_ACCOUNT_ID } from "../../lib/plan/evaluate";
import { startLocalSts, type LocalSts } from "../stacks/testing/localSts";
import { startLocalS3, S3_ACCESS_KEY, type LocalS3 } from "./s3Server";

/** Extra tables per database: 2 × 75 + 18 real ones = 168 S3 objects, plus the manifest. */
const TABLES = 75;

/** Each test runs several deploys of a stack with hundreds of resources (jest.real.config.js has 8 min). */
const LONG = 25 * 60_000;

let dir: string;
let s3: LocalS3;
let sts: LocalSts;
let repo: string;
let home: string;
let env: NodeJS.ProcessEnv;
let ledger: string;
let signal: string;

const orchestratorEnv = (extra: NodeJS.ProcessEnv = {}) => ({
  ...env,
  PULUMI_BACKEND_URL: s3.backendUrl,
  DATAENG_AWS_LEDGER: ledger,
  ...extra,
});
const orchestrator = (args: readonly string[], extra: NodeJS.ProcessEnv = {}) =>
  stacks(repo, args, orchestratorEnv(extra));

interface Checkpoint {
  checkpoint: {
    latest?: {
      resources?: { urn: string; type: string; id?: string; inputs?: Record<string, unknown> }[];
      pending_operations?: { type: string; resource: { urn: string } }[];
    };
  };
}
const checkpointOf = (project: string, stack: string): Checkpoint | undefined => {
  try {
    const key = `.pulumi/stacks/${project}/${stack}.json`;
    return JSON.parse(s3.readObject(key).toString("utf8")) as Checkpoint;
  } catch {
    return undefined; // not written yet, or being written
  }
};
const metadataResources = () =>
  checkpointOf("metadata", "metadata-dev")?.checkpoint.latest?.resources ?? [];

/** Starts `stacks up`, waits for `until`, then SIGKILLs its whole process group. */
async function killedUp(until: () => boolean, extra: NodeJS.ProcessEnv = {}): Promise<void> {
  const child = spawn(
    process.execPath,
    [
      "--require",
      path.join(repo, "tools/stacks/register.js"),
      path.join(repo, "tools/stacks/cli.ts"),
      ...["up", "--env", "dev", "--project", "metadata", "--yes"],
    ],
    { cwd: repo, env: orchestratorEnv(extra), stdio: "ignore", detached: true },
  );
  const exited = new Promise((r) => child.on("exit", r));
  try {
    for (let i = 0; i < 3000 && !until(); i++) await new Promise((r) => setTimeout(r, 100));
    expect(until()).toBe(true);
  } finally {
    process.kill(-child.pid!, "SIGKILL");
    await exited;
  }
  // The plugins sit in their own process groups; they leave when their parent is gone.
  await new Promise((r) => setTimeout(r, 1500));
}

function growMetadata(seed: string) {
  for (const db of ["delius", "oasys"]) {
    const folder = path.join(repo, "metadata", "databases", db);
    const template = JSON.parse(fs.readFileSync(path.join(folder, "offender.json"), "utf8")) as {
      name: string;
      description: string;
    };
    for (let i = 1; i <= TABLES; i++) {
      const name = `EXTRA_TABLE_${String(i).padStart(3, "0")}`;
      const table = { ...template, name, description: `${seed} ${i}` };
      fs.writeFileSync(
        path.join(folder, `${name.toLowerCase()}.json`),
        JSON.stringify(table, null, 2) + "\n",
      );
    }
  }
}

beforeAll(async () => {
  dir = cliDir();
  s3 = await startLocalS3();
  repo = scratchRepo();
  home = fs.mkdtempSync(path.join(os.tmpdir(), "dataeng-resilience-home-"));
  ledger = path.join(home, "aws-ledger.jsonl");
  signal = path.join(home, "paused");
  sts = await startLocalSts([
    {
      accessKeyId: S3_ACCESS_KEY,
      account: MOCK_ACCOUNT_ID,
      arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:user/real-cli-test`,
      userId: "AIDAREALCLITEST",
    },
  ]);
  env = { ...cliEnv(dir, s3, home), AWS_ENDPOINT_URL_STS: sts.endpoint };
  growMetadata("Extra table");
});

afterAll(async () => {
  // What doctor, recover and a refused run printed: docs/troubleshooting.md quotes it.
  if (transcript.length > 0) {
    fs.writeFileSync(
      path.join(os.tmpdir(), "resilience-transcript.txt"),
      transcript.join("\n=====\n"),
    );
  }
  await s3?.close();
  await sts?.stop();
  if (repo) fs.rmSync(repo, { recursive: true, force: true });
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

const ok = (r: Ran) => ({ code: r.code, out: r.code === 0 ? "" : r.stdout + r.stderr });
const pendingOps = () =>
  (checkpointOf("metadata", "metadata-dev")?.checkpoint.latest?.pending_operations ?? []).map(
    (o) => [o.type, o.resource.urn.split("::").pop()],
  );
const OBJECT = "aws:s3/bucketObjectv2:BucketObjectv2";
const key = (db: string, table: string) => `databases/${db}/${table}.json`;

/** After a kill: doctor names the lock and every pending operation; recover (after cancel) clears them. */
async function doctorThenRecover(expectImported: string[]): Promise<string> {
  const pending = pendingOps();
  expect(pending.length).toBeGreaterThan(0);
  const doctor = await orchestrator(["doctor", "--env", "dev"]);
  expect(doctor.code).toBe(1);
  expect(doctor.stdout.split("\n").filter((l) => l.startsWith("✗"))).toEqual([
    "✗ locks: 1 lock(s):",
    "✗ pending operations: a run was killed while it changed resources:",
  ]);
  expect(doctor.stdout).toContain(`      metadata-dev: ${pending.length} pending operation(s):\n`);
  for (const [op, name] of pending) {
    expect(doctor.stdout).toContain(`        ${OBJECT} ${name} (${op}): `);
  }
  expect(doctor.stdout).toContain(
    "    fix: if no run is in progress: npm run stacks -- cancel --env dev --project metadata --yes && " +
      "npm run stacks -- recover --env dev --project metadata --yes && " +
      "npm run stacks -- up --env dev --project metadata --yes (docs/troubleshooting.md)\n",
  );
  // recover refuses while the lock is there, and says how to remove it.
  const locked = await orchestrator(["recover", "--env", "dev", "--project", "metadata", "--yes"]);
  expect(locked.code).toBe(1);
  expect(locked.stdout).toContain("locked (.pulumi/locks/organization/metadata/metadata-dev/");
  expect(
    ok(await orchestrator(["cancel", "--env", "dev", "--project", "metadata", "--yes"])),
  ).toEqual({ code: 0, out: "" });
  const recover = await orchestrator(["recover", "--env", "dev", "--project", "metadata", "--yes"]);
  expect(ok(recover)).toEqual({ code: 0, out: "" });
  for (const name of expectImported) {
    expect(recover.stdout).toMatch(
      new RegExp(`\\[metadata-dev\\] ${name}: AWS has \\S+: imported into the state\n`),
    );
  }
  expect(recover.stdout).toContain("[metadata-dev] recovered: no pending operation left;");
  expect(pendingOps()).toEqual([]);
  const clean = await orchestrator(["doctor", "--env", "dev"]);
  expect(ok(clean)).toEqual({ code: 0, out: "" });
  return doctor.stdout + recover.stdout;
}

/** AWS (the ledger) holds exactly what the state holds, and nothing was created twice. */
function expectLedgerEqualsState() {
  const entries = readLedger(ledger);
  expect(doubleCreates(entries)).toEqual([]);
  const inState = ["core", "metadata"].flatMap((p) =>
    (checkpointOf(p, `${p}-dev`)?.checkpoint.latest?.resources ?? [])
      .filter((r) => r.type.startsWith("aws:"))
      .map((r) => ledgerKey(r.type, r.id!)),
  );
  expect([...liveResources(entries).keys()].sort()).toEqual(inState.sort());
}

/** The state a finished run must have: one object per table file, its exact text as content, no pending op. */
function expectCompleteMetadata() {
  const objects = metadataResources().filter((r) => r.type === OBJECT);
  const expected = ["delius", "oasys"].flatMap((db) =>
    fs
      .readdirSync(path.join(repo, "metadata", "databases", db))
      .filter((f) => f.endsWith(".json"))
      .map((f) => ({
        name: `${db}-${f.replace(/\.json$/, "")}`,
        key: key(db, f.replace(/\.json$/, "")),
        content: fs.readFileSync(path.join(repo, "metadata", "databases", db, f), "utf8"),
      })),
  );
  expect(objects.length).toBe(2 * TABLES + 18 + 1);
  const byName = new Map(objects.map((o) => [o.urn.split("::").pop(), o.inputs]));
  for (const e of expected) {
    expect({
      name: e.name,
      key: byName.get(e.name)?.key,
      same: byName.get(e.name)?.content === e.content,
    }).toEqual({
      name: e.name,
      key: e.key,
      same: true,
    });
  }
  expect(pendingOps()).toEqual([]);
}

test(
  "1. a first deploy of metadata (hundreds of resources) killed early, then right after a create reached AWS, is recovered and finished",
  async () => {
    expect(ok(await orchestrator(["init", "--env", "dev"]))).toEqual({ code: 0, out: "" });
    expect(ok(await orchestrator(["up", "--env", "dev", "--project", "core", "--yes"]))).toEqual({
      code: 0,
      out: "",
    });

    // Early: the third object's create was sent but never reached AWS.
    fs.rmSync(signal, { force: true });
    await killedUp(() => fs.existsSync(signal), {
      DATAENG_AWS_PAUSE: "delius-disposal@before",
      DATAENG_AWS_PAUSE_SIGNAL: signal,
    });
    expect(pendingOps()).toContainEqual(["creating", "delius-disposal"]);
    const early = await doctorThenRecover([]);
    expect(early).toContain(
      "[metadata-dev] delius-disposal: AWS has no databases/delius/disposal.json: the create never happened; the operation is dropped\n",
    );

    // Right after a create was sent and done in AWS: the engine never heard back.
    fs.rmSync(signal, { force: true });
    await killedUp(() => fs.existsSync(signal), {
      DATAENG_AWS_PAUSE: "delius-extra_table_040@after",
      DATAENG_AWS_PAUSE_SIGNAL: signal,
    });
    expect(pendingOps()).toContainEqual(["creating", "delius-extra_table_040"]);
    transcript.push(await doctorThenRecover(["delius-extra_table_040"]));

    const up = await orchestrator(["up", "--env", "dev", "--project", "metadata", "--yes"]);
    expect(ok(up)).toEqual({ code: 0, out: "" });
    expectCompleteMetadata();
    expectLedgerEqualsState();
  },
  LONG,
);

test(
  "2. an update of every table killed while an update is in flight is recovered and finished",
  async () => {
    growMetadata("Extra table, described again");
    fs.rmSync(signal, { force: true });
    await killedUp(() => fs.existsSync(signal), {
      DATAENG_AWS_PAUSE: "oasys-extra_table_030@before",
      DATAENG_AWS_PAUSE_SIGNAL: signal,
    });
    expect(pendingOps()).toContainEqual(["updating", "oasys-extra_table_030"]);
    await doctorThenRecover([]);
    const up = await orchestrator(["up", "--env", "dev", "--project", "metadata", "--yes"]);
    expect(ok(up)).toEqual({ code: 0, out: "" });
    expectCompleteMetadata();
    expectLedgerEqualsState();
    // Nothing left to do: the state equals the program, input for input.
    const preview = await orchestrator([
      "preview",
      "--env",
      "dev",
      "--project",
      "metadata",
      "--json",
    ]);
    const changes = (
      JSON.parse(preview.stdout) as { stacks: { changes: Record<string, number> }[] }
    ).stacks[0].changes;
    expect({ ...changes, same: 0 }).toEqual({
      create: 0,
      update: 0,
      replace: 0,
      delete: 0,
      same: 0,
    });
  },
  LONG,
);

const transcript: string[] = [];

test(
  "3. an update AWS refuses fails the stack naming the resource and AWS's message; its dependents are skipped; lifted, a rerun completes",
  async () => {
    const file = path.join(repo, "metadata", "databases", "delius", "offender.json");
    const original = fs.readFileSync(file, "utf8");
    fs.writeFileSync(file, original.replace(/"description": "[^"]*"/, '"description": "Changed."'));
    const refusal = "AccessDenied: Access Denied";
    const r = await orchestrator(
      ["up", "--env", "dev", "--project", "metadata", "--with-dependents", "--yes", "--json"],
      { DATAENG_AWS_REFUSE: `delius-offender=${refusal}` },
    );
    const rep = JSON.parse(r.stdout) as {
      exitCode: number;
      stacks: {
        stack: string;
        status: string;
        reason?: string;
        failedResources?: { resourceType: string; resourceName: string; message: string }[];
      }[];
    };
    expect(rep.exitCode).toBe(1);
    const aws = new RegExp(
      "uploading S3 Object \\(databases/delius/offender\\.json\\) to Bucket \\(\\S+\\): operation error S3: PutObject, " +
        "https response error StatusCode: 403, RequestID: [0-9a-f-]{36}, api error AccessDenied: Access Denied",
    );
    const [metadata, pipelines] = rep.stacks;
    expect(metadata.stack).toBe("metadata-dev");
    expect({ status: metadata.status, reason: metadata.reason }).toEqual({
      status: "failed",
      reason: expect.stringMatching(
        /^metadata-dev: aws:s3\/bucketObjectv2:BucketObjectv2 delius-offender: /,
      ),
    });
    expect(metadata.failedResources?.map((f) => [f.resourceType, f.resourceName])).toEqual([
      [OBJECT, "delius-offender"],
    ]);
    expect(metadata.failedResources![0].message).toMatch(aws);
    expect(metadata.reason).toMatch(
      /^metadata-dev: aws:s3\/bucketObjectv2:BucketObjectv2 delius-offender: uploading S3 Object/,
    );
    expect([pipelines.stack, pipelines.status, pipelines.reason]).toEqual([
      "pipelines-dev",
      "skipped",
      "it depends on metadata-dev, which failed",
    ]);
    expect(r.stderr).toContain("<-- metadata-dev: up failed in ");
    transcript.push(r.stderr);

    const again = await orchestrator(["up", "--env", "dev", "--project", "metadata", "--yes"]);
    expect(ok(again)).toEqual({ code: 0, out: "" });
    expectCompleteMetadata();
    expectLedgerEqualsState();
  },
  LONG,
);
