/**
 * Issue 21 with the real Pulumi CLI v3.248.0 and engine (`npm run test:real`), on its own local
 * S3 backend and scratch copy: deploys killed at several points, a resource AWS refuses, and (in
 * flakyBackend.real-cli.test.ts) a backend that fails. The AWS provider stand-in keeps a ledger
 * of what it created, updated and deleted (awsAccount.ts): at the end AWS must equal the state.
 *
 * The glue_database stack (one Glue table per table file) is grown with extra tables in the
 * scratch copy until it holds at least MIN_RESOURCES resources; metadata publishes one bundle
 * per database, and is where AWS refuses an update (its dependents are then skipped). Each kill point is hit once, and the two tests
 * build on each other (one backend): every `stacks up` of a stack that size costs tens of
 * seconds, so no deploy is repeated that a later step can reuse.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { cliDir, cliEnv, scratchRepo, stacks, type Ran } from "./harness";
import { doubleCreates, liveResources, readLedger, ledgerKey } from "./awsAccount";
import { MOCK_ACCOUNT_ID } from "../../lib/plan/evaluate";
import { DMS_COLUMNS } from "../../lib/model/dmsColumns";
import { lakeName } from "../../lib/model/tableMetadata";
import { startLocalSts, type LocalSts } from "../stacks/testing/localSts";
import { startLocalS3, S3_ACCESS_KEY, type LocalS3 } from "./s3Server";

/** "Hundreds of resources" (issue 21): glue_database is grown until it has at least this many. */
const MIN_RESOURCES = 200;

/** A safety net for a loaded machine, not a measure: each test runs several deploys. */
const LONG = 25 * 60_000;

let dir: string;
let s3: LocalS3;
let sts: LocalSts;
let repo: string;
let home: string;
let env: NodeJS.ProcessEnv;
let ledger: string;
let signal: string;
/** What doctor, recover and a refused run printed: docs/troubleshooting.md quotes it. */
const transcript: string[] = [];

const orchestratorEnv = (extra: NodeJS.ProcessEnv = {}) => ({
  ...env,
  PULUMI_BACKEND_URL: s3.backendUrl,
  DATAENG_AWS_LEDGER: ledger,
  ...extra,
});
const orchestrator = (args: readonly string[], extra: NodeJS.ProcessEnv = {}) =>
  stacks(repo, args, orchestratorEnv(extra));
/** The stack the kills land in: one Glue table per table file. */
const PROJECT = "glue_database";
const STACK = `${PROJECT}-dev`;
const UP = ["up", "--env", "dev", "--project", PROJECT, "--yes"];

interface StateResource {
  urn: string;
  type: string;
  id?: string;
  inputs?: Record<string, unknown>;
}
interface Checkpoint {
  checkpoint: {
    latest?: {
      resources?: StateResource[];
      pending_operations?: { type: string; resource: { urn: string } }[];
    };
  };
}
const checkpointOf = (project: string, stack: string): Checkpoint | undefined => {
  try {
    return JSON.parse(s3.readCheckpoint(project, stack)) as Checkpoint;
  } catch {
    return undefined; // not written yet, or being written
  }
};
const glueResources = () => checkpointOf(PROJECT, STACK)?.checkpoint.latest?.resources ?? [];

/**
 * Starts `stacks up` with the stand-in paused at `pause` (awsAccount.ts: that operation and every
 * later one never answer), waits for the pause, then SIGKILLs the whole process group, as a
 * cancelled GitHub job does. An `up` that ends before the pause fails the test with its output.
 */
async function killedUp(pause: string): Promise<void> {
  fs.rmSync(signal, { force: true });
  const child = spawn(
    process.execPath,
    [
      "--require",
      path.join(repo, "tools/stacks/register.js"),
      path.join(repo, "tools/stacks/cli.ts"),
      ...UP,
    ],
    {
      cwd: repo,
      env: orchestratorEnv({ DATAENG_AWS_PAUSE: pause, DATAENG_AWS_PAUSE_SIGNAL: signal }),
      stdio: ["ignore", "pipe", "pipe"],
      detached: true,
    },
  );
  let output = "";
  child.stdout.setEncoding("utf8").on("data", (t: string) => (output += t));
  child.stderr.setEncoding("utf8").on("data", (t: string) => (output += t));
  let exited = false;
  const exit = new Promise((r) => child.on("exit", r)).then(() => (exited = true));
  while (!fs.existsSync(signal) && !exited) await new Promise((r) => setTimeout(r, 50));
  if (!exited) process.kill(-child.pid!, "SIGKILL");
  await exit;
  expect({ paused: fs.existsSync(signal), output: fs.existsSync(signal) ? "" : output }).toEqual({
    paused: true,
    output: "",
  });
  // The plugins sit in their own process groups; they leave once their parent is gone
  // (awsProvider.ts polls every 500 ms). The held operations never reach the ledger.
  await new Promise((r) => setTimeout(r, 1000));
}

const tableFiles = (db: string) =>
  fs
    .readdirSync(path.join(repo, "metadata", "databases", db))
    .filter((f) => f.endsWith(".json"))
    .sort();
/** The logical name glue_database gives a table file's Glue table (`<db>-<table>`). */
const tableName = (db: string, file: string) => `${db}-${file.replace(/\.json$/, "")}`;

/** Adds (or rewrites) `extra` tables per database, copies of offender.json under new names. */
function growMetadata(extra: number, seed: string) {
  for (const db of ["delius", "oasys"]) {
    const folder = path.join(repo, "metadata", "databases", db);
    const template = JSON.parse(fs.readFileSync(path.join(folder, "offender.json"), "utf8")) as {
      name: string;
      description: string;
    };
    for (let i = 1; i <= extra; i++) {
      const name = `EXTRA_TABLE_${String(i).padStart(3, "0")}`;
      const table = { ...template, name, description: `${seed} ${i}` };
      fs.writeFileSync(
        path.join(folder, `${name.toLowerCase()}.json`),
        JSON.stringify(table, null, 2) + "\n",
      );
    }
  }
}
let extraTables = 0;

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
  // One Glue table per table file, so enough extra tables for MIN_RESOURCES tables alone.
  const tables = tableFiles("delius").length + tableFiles("oasys").length;
  extraTables = Math.max(0, Math.ceil((MIN_RESOURCES - tables) / 2));
  growMetadata(extraTables, "Extra table");
});

afterAll(async () => {
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
  (checkpointOf(PROJECT, STACK)?.checkpoint.latest?.pending_operations ?? []).map((o) => [
    o.type,
    o.resource.urn.split("::").pop(),
  ]);
const TABLE = "aws:glue/catalogTable:CatalogTable";
const OBJECT = "aws:s3/bucketObjectv2:BucketObjectv2";
/** Each source database's Glue database name, as deployed (`<db>_<env>`). */
const glueDatabase = (db: string) =>
  String(
    glueResources().find(
      (r) =>
        r.type === "aws:glue/catalogDatabase:CatalogDatabase" && r.urn.endsWith(`::${db}-database`),
    )?.inputs?.name,
  );
/**
 * A Glue table's id in AWS: `<catalog>:<database>:<table>`, the catalog the account's
 * (terraform-provider-aws internal/service/glue/catalog_table.go, createTableID).
 */
const glueId = (name: string) => {
  const [db, table] = name.split(/-(.*)/);
  return `${MOCK_ACCOUNT_ID}:${glueDatabase(db)}:${table}`;
};

/**
 * After a kill: doctor names the lock and every pending operation with the way out; recover
 * refuses while locked, then (after cancel) imports the pending creates AWS has (the ledger
 * says which: a create answered just before the kill may not have been saved yet), drops the
 * others, and leaves no pending operation. `paused` is the create the kill caught: imported
 * when it was paused after reaching AWS, dropped when before.
 */
async function doctorThenRecover(paused?: { name: string; inAws: boolean }): Promise<string> {
  const pending = pendingOps();
  expect(pending.length).toBeGreaterThan(0);
  const doctor = await orchestrator(["doctor", "--env", "dev"]);
  expect(doctor.code).toBe(1);
  expect(doctor.stdout.split("\n").filter((l) => l.startsWith("✗"))).toEqual([
    "✗ locks: 1 lock(s):",
    "✗ pending operations: a run was killed while it changed resources:",
  ]);
  expect(doctor.stdout).toMatch(
    /\n {6}glue_database-dev: \.pulumi\/locks\/organization\/glue_database\/glue_database-dev\/\S+\.json by \S+@\S+ \(pid \d+\) at \S+, \d+ min old\n/,
  );
  expect(doctor.stdout).toContain(`      ${STACK}: ${pending.length} pending operation(s):\n`);
  for (const [op, name] of pending) {
    const way =
      op === "creating"
        ? `imported as ${glueId(String(name))} if AWS has it, else dropped`
        : "a refresh reads it back from AWS and drops the operation";
    expect(doctor.stdout).toContain(`        ${TABLE} ${name} (${op}): ${way}\n`);
  }
  expect(doctor.stdout).toContain(
    `    fix: if no run is in progress: npm run stacks -- cancel --env dev --project ${PROJECT} --yes && ` +
      `npm run stacks -- recover --env dev --project ${PROJECT} --yes && ` +
      `npm run stacks -- up --env dev --project ${PROJECT} --yes (docs/troubleshooting.md)\n`,
  );
  // recover refuses while the lock is there, and says how to remove it.
  const locked = await orchestrator(["recover", "--env", "dev", "--project", PROJECT, "--yes"]);
  expect(locked.code).toBe(1);
  expect(locked.stdout).toContain(`locked (.pulumi/locks/organization/${PROJECT}/${STACK}/`);
  const cancel = await orchestrator(["cancel", "--env", "dev", "--project", PROJECT, "--yes"]);
  expect(ok(cancel)).toEqual({ code: 0, out: "" });
  const recover = await orchestrator(["recover", "--env", "dev", "--project", PROJECT, "--yes"]);
  expect(ok(recover)).toEqual({ code: 0, out: "" });
  // Each pending create is settled exactly once: imported if AWS has it, else dropped.
  const creates = pending.filter(([op]) => op === "creating").map(([, name]) => String(name));
  const live = liveResources(readLedger(ledger));
  const inAws = (name: string) => live.has(ledgerKey(TABLE, glueId(name)));
  if (paused)
    expect({ [paused.name]: inAws(paused.name) }).toEqual({ [paused.name]: paused.inAws });
  const settled = recover.stdout
    .split("\n")
    .filter(
      (l) => l.startsWith(`[${STACK}] `) && / \S+: AWS has /.test(` ${l.slice(STACK.length + 3)}`),
    )
    .map((l) => l.slice(STACK.length + 3))
    .sort();
  const expected = creates.map((name) =>
    inAws(name)
      ? `${name}: AWS has ${glueId(name)}: imported into the state`
      : `${name}: AWS has no ${glueId(name)}: the create never happened; the operation is dropped`,
  );
  expect(settled).toEqual(expected.sort());
  expect(recover.stdout).toContain(`[${STACK}] recovered: no pending operation left;`);
  expect(pendingOps()).toEqual([]);
  const clean = await orchestrator(["doctor", "--env", "dev"]);
  expect(ok(clean)).toEqual({ code: 0, out: "" });
  return `$ npm run stacks -- doctor --env dev\n${doctor.stdout}\n$ npm run stacks -- recover --env dev --project ${PROJECT} --yes\n${locked.stdout}\n$ npm run stacks -- cancel ...\n$ npm run stacks -- recover --env dev --project ${PROJECT} --yes\n${recover.stdout}`;
}

/** AWS (the ledger) holds exactly what the state holds, and nothing was created twice. */
function expectLedgerEqualsState() {
  const entries = readLedger(ledger);
  expect(doubleCreates(entries)).toEqual([]);
  const inState = ["core", "metadata", PROJECT].flatMap((p) =>
    (checkpointOf(p, `${p}-dev`)?.checkpoint.latest?.resources ?? [])
      .filter((r) => r.type.startsWith("aws:"))
      .map((r) => ledgerKey(r.type, r.id!)),
  );
  expect([...liveResources(entries).keys()].sort()).toEqual(inState.sort());
}

/**
 * The state an uninterrupted run leaves: exactly one Glue table per table file (no other table
 * URN), each with the inputs the program gives it from its file (its database, lake name,
 * description and columns, in order), no pending operation, and at least MIN_RESOURCES resources.
 */
function expectCompleteGlue() {
  const resources = glueResources();
  expect(resources.length).toBeGreaterThanOrEqual(MIN_RESOURCES);
  const actual = resources
    .filter((r) => r.type === TABLE)
    .map((r) => {
      const i = r.inputs ?? {};
      const sd = i.storageDescriptor as { columns?: { name?: string }[] } | undefined;
      return {
        name: r.urn.split("::").pop()!,
        databaseName: i.databaseName,
        table: i.name,
        description: i.description,
        columns: (sd?.columns ?? []).map((c) => c.name),
      };
    });
  const expected = ["delius", "oasys"].flatMap((db) =>
    tableFiles(db).map((f) => {
      const file = JSON.parse(
        fs.readFileSync(path.join(repo, "metadata", "databases", db, f), "utf8"),
      ) as { name: string; description: string; columns: { name: string }[] };
      return {
        name: tableName(db, f),
        databaseName: glueDatabase(db),
        table: lakeName(file.name),
        description: file.description,
        // the table's columns in file order, then the columns DMS adds (lib/model/glueColumns.ts)
        columns: [
          ...file.columns.map((c) => lakeName(c.name)),
          ...Object.values(DMS_COLUMNS).map((d) => d.name),
        ],
      };
    }),
  );
  const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
  expect(actual.sort(byName)).toEqual(expected.sort(byName));
  expect(pendingOps()).toEqual([]);
}

/**
 * The middle table file of a database: where "mid-way" kills land (the program creates the
 * Glue tables database by database, in file order).
 */
const middle = (db: string) => tableName(db, tableFiles(db)[Math.floor(tableFiles(db).length / 2)]);

test(
  "1. a first deploy of glue_database (hundreds of resources) killed early, then mid-way right after a create reached AWS, is recovered and finished",
  async () => {
    expect(ok(await orchestrator(["init", "--env", "dev"]))).toEqual({ code: 0, out: "" });
    const deps = ["up", "--env", "dev", "--project", "core", "--project", "metadata", "--yes"];
    expect(ok(await orchestrator(deps))).toEqual({ code: 0, out: "" });

    // Early: the third table's create was sent but never reached AWS.
    const early = tableName("delius", tableFiles("delius")[2]);
    await killedUp(`${early}@before`);
    expect(pendingOps()).toContainEqual(["creating", early]);
    transcript.push(await doctorThenRecover({ name: early, inAws: false }));

    // Mid-way, right after a create was done in AWS: the engine never heard back. The engine
    // creates up to 8 tables at once, in no fixed order across the two databases, so "mid-way"
    // is the middle of the tables the state does not hold yet.
    const inState = new Set(glueResources().map((r) => r.urn.split("::").pop()));
    const missing = ["delius", "oasys"]
      .flatMap((db) => tableFiles(db).map((f) => tableName(db, f)))
      .filter((name) => !inState.has(name));
    expect(missing.length).toBeGreaterThan(2);
    const mid = missing[Math.floor(missing.length / 2)];
    await killedUp(`${mid}@after`);
    expect(pendingOps()).toContainEqual(["creating", mid]);
    transcript.push(await doctorThenRecover({ name: mid, inAws: true }));

    const up = await orchestrator(UP);
    expect(ok(up)).toEqual({ code: 0, out: "" });
    expectCompleteGlue();
    expectLedgerEqualsState();
  },
  LONG,
);

test(
  "2. an update of every Glue table killed mid-way is recovered; then AWS refuses metadata's update, the run names it and skips the dependents; lifted, a rerun completes",
  async () => {
    growMetadata(extraTables, "Extra table, described again");
    const mid = middle("delius");
    await killedUp(`${mid}@before`);
    expect(pendingOps()).toContainEqual(["updating", mid]);
    await doctorThenRecover();

    // Then a change the killed run never saw, and AWS refuses it.
    const offender = path.join(repo, "metadata", "databases", "delius", "offender.json");
    const original = fs.readFileSync(offender, "utf8");
    fs.writeFileSync(
      offender,
      original.replace(/"description": "[^"]*"/, '"description": "Changed."'),
    );

    const refusal = "AccessDenied: Access Denied";
    const metadataUp = ["up", "--env", "dev", "--project", "metadata", "--yes"];
    const r = await orchestrator([...metadataUp, "--with-dependents", "--json"], {
      DATAENG_AWS_REFUSE: `delius-bundle=${refusal}`,
    });
    const rep = JSON.parse(r.stdout) as {
      exitCode: number;
      stacks: {
        stack: string;
        status: string;
        reason?: string;
        failedResources?: {
          urn: string;
          resourceType: string;
          resourceName: string;
          message: string;
        }[];
      }[];
    };
    expect(rep.exitCode).toBe(1);
    const aws = new RegExp(
      "^uploading S3 Object \\(databases/delius\\.json\\) to Bucket \\(mojap-dataeng-metadata-dev\\): operation error S3: PutObject, " +
        "https response error StatusCode: 403, RequestID: [0-9a-f-]{36}, api error AccessDenied: Access Denied$",
    );
    const [metadata, ...dependents] = rep.stacks;
    expect(metadata.stack).toBe("metadata-dev");
    expect(metadata.status).toBe("failed");
    // Exactly the refused resource, with AWS's message (each failure shown whole if not).
    expect(metadata.failedResources).toEqual([
      {
        urn: expect.stringMatching(/::delius-bundle$/),
        resourceType: OBJECT,
        resourceName: "delius-bundle",
        message: expect.stringMatching(aws),
      },
    ]);
    expect(metadata.reason).toMatch(
      /^metadata-dev: aws:s3\/bucketObjectv2:BucketObjectv2 delius-bundle: uploading S3 Object/,
    );
    expect(dependents.map((d) => [d.stack, d.status, d.reason])).toEqual([
      ["pipelines-dev", "skipped", "it depends on metadata-dev, which failed"],
      ["glue_database-dev", "skipped", "it depends on metadata-dev, which failed"],
    ]);
    expect(r.stderr).toContain("<-- metadata-dev: up failed in ");
    transcript.push(
      `$ npm run stacks -- up --env dev --project metadata --with-dependents --yes\n${r.stderr}`,
    );

    expect(ok(await orchestrator(metadataUp))).toEqual({ code: 0, out: "" });
    const again = await orchestrator(UP);
    expect(ok(again)).toEqual({ code: 0, out: "" });
    expectCompleteGlue();
    expectLedgerEqualsState();
  },
  LONG,
);
