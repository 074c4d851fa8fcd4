/**
 * pending.ts and recover.ts against a folder backend and a recording `spawn`: what is read from a
 * checkpoint, the exact pulumi calls recover makes, and what it refuses. The real engine runs
 * the same path in tools/realCli/resilience.real-cli.test.ts.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { openBackendStore } from "../pulumi/backendStore";
import { recordingIo } from "../report/io";
import { awsIdOf, describePending, readCheckpoint } from "./pending";
import type { PulumiInvocation, PulumiResult } from "../pulumi/pulumi";
import { parsePulumiArgv } from "../pulumi/pulumiCli";
import { importFile, recoverStacks } from "./recover";
import { main } from "../cli";

const STACK = "urn:pulumi:metadata-dev::metadata::pulumi:pulumi:Stack::metadata-metadata-dev";
const PROVIDER = "urn:pulumi:metadata-dev::metadata::pulumi:providers:aws::aws";
const objectUrn = (name: string) =>
  `urn:pulumi:metadata-dev::metadata::aws:s3/bucketObjectv2:BucketObjectv2::${name}`;
const op = (type: string, name: string, key: string) => ({
  type,
  resource: {
    urn: objectUrn(name),
    type: "aws:s3/bucketObjectv2:BucketObjectv2",
    inputs: { key, bucket: "b" },
    parent: STACK,
    provider: `${PROVIDER}::0f6b`,
  },
});
const checkpoint = (ops: unknown[], urns: string[] = []) =>
  JSON.stringify({
    version: 3,
    checkpoint: {
      stack: "organization/metadata/metadata-dev",
      latest: { resources: urns.map((urn) => ({ urn })), pending_operations: ops },
    },
  });

describe("pending operations", () => {
  test("are read from checkpoint.latest.pending_operations with resource, operation and the way out", () => {
    const facts = readCheckpoint(
      checkpoint([
        op("creating", "delius-event", "metadata/delius/event.json"),
        op("updating", "oasys-set", "k"),
      ]),
      "cp.json",
    );
    expect(facts.pending.map((p) => [p.type, p.name, p.op])).toEqual([
      ["aws:s3/bucketObjectv2:BucketObjectv2", "delius-event", "creating"],
      ["aws:s3/bucketObjectv2:BucketObjectv2", "oasys-set", "updating"],
    ]);
    expect(facts.pending.map(describePending)).toEqual([
      "aws:s3/bucketObjectv2:BucketObjectv2 delius-event (creating): imported as metadata/delius/event.json if AWS has it, else dropped",
      "aws:s3/bucketObjectv2:BucketObjectv2 oasys-set (updating): a refresh reads it back from AWS and drops the operation",
    ]);
    const key = { ...facts.pending[0], type: "aws:kms/key:Key", name: "key" };
    expect(awsIdOf(key)).toBeUndefined();
    expect(describePending(key)).toBe(
      "aws:kms/key:Key key (creating): AWS names it itself, so it cannot be looked up; check AWS, delete any copy, then recover drops it",
    );
  });

  test("a Glue table is named by its catalog, read from its database's id in the state", () => {
    const GLUE_TABLE = "aws:glue/catalogTable:CatalogTable";
    const table = (name: string, inputs: Record<string, unknown>) => ({
      type: "creating",
      resource: {
        urn: `urn:pulumi:glue_database-dev::glue_database::dataeng:glue:SourceDatabase$${GLUE_TABLE}::${name}`,
        type: GLUE_TABLE,
        inputs,
      },
    });
    const text = JSON.stringify({
      version: 3,
      checkpoint: {
        latest: {
          resources: [
            {
              urn: "urn:pulumi:glue_database-dev::glue_database::aws:glue/catalogDatabase:CatalogDatabase::delius-database",
              type: "aws:glue/catalogDatabase:CatalogDatabase",
              id: "123456789012:delius_dev",
              inputs: { name: "delius_dev" },
            },
          ],
          pending_operations: [
            table("delius-offender", { databaseName: "delius_dev", name: "offender" }),
            table("oasys-set", { databaseName: "oasys_dev", name: "oasys_set" }),
            table("x-given", { catalogId: "210987654321", databaseName: "x", name: "t" }),
          ],
        },
      },
    });
    // internal/service/glue/catalog_table.go: "<catalog>:<database>:<table>"
    expect(readCheckpoint(text, "cp").pending.map(awsIdOf)).toEqual([
      "123456789012:delius_dev:offender",
      undefined, // its database is not in the state: no catalog to name it by
      "210987654321:x:t",
    ]);
  });

  test("a damaged checkpoint or an unknown operation is an error naming the file", () => {
    expect(() => readCheckpoint("{", "cp.json")).toThrow(
      /^cp\.json is not valid JSON .*restore it from the bucket's versions$/,
    );
    expect(() =>
      readCheckpoint(checkpoint([{ type: "waiting", resource: { urn: "u" } }]), "cp.json"),
    ).toThrow('cp.json: pending_operations[0] has no resource URN or an unknown type "waiting"');
  });

  test("the import file names each provider and parent once, by URN, and leaves the root stack parent out", () => {
    const COMPONENT = "urn:pulumi:metadata-dev::metadata::dataeng:x:Y::c";
    const ops = readCheckpoint(
      checkpoint([op("creating", "delius-event", "k1"), op("creating", "delius-contact", "k2")]),
      "cp",
    ).pending;
    const child = { ...ops[1], parent: COMPONENT };
    expect(
      importFile([
        { op: ops[0], id: "k1" },
        { op: child, id: "k2" },
      ]),
    ).toEqual({
      nameTable: { provider0: PROVIDER, parent0: COMPONENT },
      resources: [
        {
          type: "aws:s3/bucketObjectv2:BucketObjectv2",
          name: "delius-event",
          id: "k1",
          provider: "provider0",
        },
        {
          type: "aws:s3/bucketObjectv2:BucketObjectv2",
          name: "delius-contact",
          id: "k2",
          provider: "provider0",
          parent: "parent0",
        },
      ],
    });
  });
});

describe("recover", () => {
  let root: string;
  const write = (key: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(root, key)), { recursive: true });
    fs.writeFileSync(path.join(root, key), text);
  };
  const CP = ".pulumi/stacks/metadata/metadata-dev.json";
  const stacks = [
    { project: "metadata" as const, env: "dev" as const, stack: "metadata-dev", dependsOn: [] },
  ];
  beforeEach(() => (root = fs.mkdtempSync(path.join(os.tmpdir(), "recover-"))));
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  const runRecover = async (answer: (call: PulumiInvocation) => PulumiResult) => {
    const io = recordingIo();
    const calls: string[][] = [];
    const code = await recoverStacks({
      stacks,
      repoRoot: "/repo",
      env: {},
      store: openBackendStore({ kind: "file", dir: root } as never, { env: {} }),
      io,
      spawn: async (call) => {
        // Every call must pass the v3.248.0 flag table, as the strict fake pulumi checks it.
        parsePulumiArgv(call.argv, { PULUMI_DEBUG_COMMANDS: "true" });
        calls.push([...call.argv]);
        return answer(call);
      },
    });
    return { code, out: io.stdout, calls };
  };

  test("imports the pending creates AWS has in one pulumi import, leaves out the ids AWS has not and tries again, then refreshes with --clear-pending-creates", async () => {
    write(
      CP,
      checkpoint([
        op("creating", "delius-event", "metadata/delius/event.json"),
        op("creating", "delius-contact", "metadata/delius/contact.json"),
        op("creating", "delius-rqmnt", "metadata/delius/rqmnt.json"),
      ]),
    );
    const imported: string[][] = [];
    const r = await runRecover((call) => {
      if (call.argv[0] === "import") {
        const file = JSON.parse(
          fs.readFileSync(call.argv[call.argv.indexOf("--file") + 1], "utf8"),
        ) as { resources: { id: string; name: string }[] };
        imported.push(file.resources.map((x) => x.name));
        if (file.resources.some((x) => x.id === "metadata/delius/contact.json")) {
          // The engine stopped at the missing id; delius-event was imported before it did.
          write(
            CP,
            checkpoint(
              [op("creating", "delius-event", "metadata/delius/event.json")],
              [objectUrn("delius-event")],
            ),
          );
          return {
            exitCode: 255,
            output: "error: resource 'metadata/delius/contact.json' does not exist",
          };
        }
        return { exitCode: 0, output: "Resources:\n    + 1 imported" };
      }
      write(CP, checkpoint([], [objectUrn("delius-event"), objectUrn("delius-rqmnt")]));
      return { exitCode: 0, output: "" };
    });
    expect(imported).toEqual([
      ["delius-event", "delius-contact", "delius-rqmnt"],
      ["delius-rqmnt"],
    ]);
    const importCall = [
      "import",
      "--stack",
      "metadata-dev",
      "--non-interactive",
      "--file",
      "--yes",
      "--skip-preview",
      "--protect=false",
      "--generate-code=false",
      "--suppress-progress",
    ];
    expect(
      r.calls.map((c) => c.filter((a) => !a.startsWith("/") && !a.includes("stacks-recover-"))),
    ).toEqual([
      importCall,
      importCall,
      [
        "refresh",
        "--stack",
        "metadata-dev",
        "--non-interactive",
        "--yes",
        "--clear-pending-creates",
        "--suppress-progress",
      ],
    ]);
    expect(r.out).toEqual([
      "[metadata-dev] 3 pending operation(s)",
      "[metadata-dev]   aws:s3/bucketObjectv2:BucketObjectv2 delius-event (creating): imported as metadata/delius/event.json if AWS has it, else dropped",
      "[metadata-dev]   aws:s3/bucketObjectv2:BucketObjectv2 delius-contact (creating): imported as metadata/delius/contact.json if AWS has it, else dropped",
      "[metadata-dev]   aws:s3/bucketObjectv2:BucketObjectv2 delius-rqmnt (creating): imported as metadata/delius/rqmnt.json if AWS has it, else dropped",
      "[metadata-dev] delius-event: AWS has metadata/delius/event.json: imported into the state",
      "[metadata-dev] delius-contact: AWS has no metadata/delius/contact.json: the create never happened; the operation is dropped",
      "[metadata-dev] delius-rqmnt: AWS has metadata/delius/rqmnt.json: imported into the state",
      "[metadata-dev] recovered: no pending operation left; 2 resources in the state, read back from AWS.",
      "recover: done. Next: npm run stacks -- up --env dev --project metadata --yes",
    ]);
    expect(r.code).toBe(0);
  });

  test("refuses while locked, naming the cancel to run; calls nothing", async () => {
    write(CP, checkpoint([op("creating", "delius-event", "k")]));
    write(".pulumi/locks/organization/metadata/metadata-dev/abc.json", "{}");
    const r = await runRecover(() => ({ exitCode: 0, output: "" }));
    expect(r.code).toBe(1);
    expect(r.calls).toEqual([]);
    expect(r.out[0]).toBe(
      '[metadata-dev] locked (.pulumi/locks/organization/metadata/metadata-dev/abc.json): a run may still be going. If none is (check the Actions tab and ask the team), run "npm run stacks -- cancel --env dev --project metadata --yes", then recover again.',
    );
  });

  test("fails when an import fails otherwise, or when operations remain after the refresh", async () => {
    write(CP, checkpoint([op("creating", "delius-event", "k")]));
    const failing = await runRecover(() => ({
      exitCode: 1,
      output: "error: getting stack: SlowDown",
    }));
    expect(failing.code).toBe(1);
    expect(failing.out).toContain(
      "[metadata-dev] pulumi import failed (exit 1):\nerror: getting stack: SlowDown",
    );
    const stuck = await runRecover(() => ({ exitCode: 0, output: "" }));
    expect(stuck.code).toBe(1);
    expect(stuck.out).toContain(
      `[metadata-dev] still 1 pending operation(s) after the refresh: ${objectUrn("delius-event")} (creating)`,
    );
  });
});

test("stacks recover without --yes is a usage error that says why", async () => {
  const io = recordingIo();
  const code = await main(["recover", "--env", "dev", "--project", "metadata"], { io, env: {} });
  expect(code).toBe(2);
  expect(io.stderr[0]).toBe(
    "stacks recover: recover changes the state (imports, refresh): pass --yes once you know no run is going on.",
  );
});

test("stacks recover --yes reads PULUMI_BACKEND_URL's checkpoint and runs the refresh in the project's folder on that backend", async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "recover-cli-"));
  try {
    const key = path.join(root, ".pulumi/stacks/metadata/metadata-dev.json");
    fs.mkdirSync(path.dirname(key), { recursive: true });
    fs.writeFileSync(key, checkpoint([op("updating", "oasys-set", "k")]));
    const io = recordingIo();
    const calls: PulumiInvocation[] = [];
    const code = await main(["recover", "--env", "dev", "--project", "metadata", "--yes"], {
      io,
      env: { PULUMI_BACKEND_URL: `file://${root}` },
      repoRoot: "/repo",
      spawn: async (call) => {
        calls.push(call);
        // The refresh reads the update back and drops the operation.
        fs.writeFileSync(key, checkpoint([], [objectUrn("oasys-set")]));
        return { exitCode: 0, output: "" };
      },
    });
    expect(calls.map((c) => [c.argv[0], c.cwd, c.env.PULUMI_BACKEND_URL])).toEqual([
      ["refresh", path.join("/repo", "metadata"), `file://${root}`],
    ]);
    expect(io.stdout).toEqual([
      "[metadata-dev] 1 pending operation(s)",
      "[metadata-dev]   aws:s3/bucketObjectv2:BucketObjectv2 oasys-set (updating): a refresh reads it back from AWS and drops the operation",
      "[metadata-dev] recovered: no pending operation left; 1 resources in the state, read back from AWS.",
      "recover: done. Next: npm run stacks -- up --env dev --project metadata --yes",
    ]);
    expect(code).toBe(0);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
