/**
 * The real-CLI tier's stand-ins and installer, in the fast tier: the pure parts, against the
 * behaviour of sdk/nodejs/cmd/pulumi-language-nodejs/main.go (v3.248.0) they copy.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as http from "node:http";
import {
  acceptReadsWithoutProperties,
  diffState,
  makeProvider,
  parseUrn,
  stateFor,
} from "./awsProvider";
import { awsError, behaviourFrom, doubleCreates, liveResources, readLedger } from "./awsAccount";
import { REPO_ROOT } from "../../lib/model/stacks";
import { mulberry32, startFaultyProxy } from "./faultyProxy";
import { checkSdkMatches, cliVersion, givenDir, goFailure } from "./install";
import {
  constructArguments,
  constructConfig,
  getPackagesFromDir,
  packageInfo,
  parseOptions,
  splitArgs,
} from "./languageHost";

const BUCKET_URN =
  "urn:pulumi:core-dev::core::dataeng:storage:SecureBucket$aws:s3/bucket:Bucket::fail-bucket";

describe("language host stand-in", () => {
  test("parseOptions refuses what main.go parseOptions refuses, with its texts", () => {
    expect(parseOptions({})).toEqual({ typescript: true, tsconfigpath: "", nodeargs: "" });
    expect(parseOptions({ typescript: false, tsconfig: "t.json" })).toEqual({
      typescript: false,
      tsconfigpath: "t.json",
      nodeargs: "",
    });
    expect(() => parseOptions({ typescript: "yes" })).toThrow(
      "typescript option must be a boolean",
    );
    expect(() => parseOptions({ packagemanager: "pip" })).toThrow(
      'packagemanager option must be one of auto, npm, yarn, pnpm or bun, got "pip"',
    );
  });

  test("constructArguments leaves empty values out and puts the entry point after the flags", () => {
    expect(
      constructArguments({
        runPath: "/n/run/index.js",
        monitor: "127.0.0.1:1",
        engine: "127.0.0.1:2",
        organization: "organization",
        project: "core",
        rootDirectory: "/r/core",
        stack: "core-dev",
        pwd: "/r/core",
        dryRun: true,
        parallel: 16,
        tracing: "",
        entryPoint: ".",
        args: [],
      }),
    ).toEqual([
      "/n/run/index.js",
      "--monitor",
      "127.0.0.1:1",
      "--engine",
      "127.0.0.1:2",
      "--organization",
      "organization",
      "--project",
      "core",
      "--root-directory",
      "/r/core",
      "--stack",
      "core-dev",
      "--pwd",
      "/r/core",
      "--dry-run",
      "--parallel",
      "16",
      ".",
    ]);
  });

  test("constructConfig passes keys as <namespace>:config:<name> and refuses a key without a namespace", () => {
    expect(
      constructConfig(
        new Map([
          ["aws:region", "eu-west-2"],
          ["core:prefix", "x"],
        ]),
      ),
    ).toBe('{"aws:config:region":"eu-west-2","core:config:prefix":"x"}');
    expect(() => constructConfig(new Map([["region", "x"]]))).toThrow(
      "could not parse region as a configuration key",
    );
  });

  test("packageInfo names plugins as getPluginName and getPluginVersion do", () => {
    expect(
      packageInfo({
        name: "@pulumi/aws",
        version: "7.48.0",
        pulumi: { resource: true, name: "aws", version: "7.48.0" },
      }),
    ).toEqual({
      name: "aws",
      kind: "resource",
      version: "v7.48.0",
      server: "",
    });
    expect(
      packageInfo({ name: "@pulumi/random", version: "4.0.0", pulumi: { resource: true } })?.name,
    ).toBe("random");
    expect(packageInfo({ name: "@pulumi/pulumi", version: "3.248.0" })).toBeUndefined();
    expect(() =>
      packageInfo({ name: "acme-thing", version: "1.0.0", pulumi: { resource: true } }),
    ).toThrow(`Missing property "name" for the third-party plugin 'acme-thing'`);
  });

  test("getPackagesFromDir reads only node_modules package.json files and skips policy packs", () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "langhost-"));
    const write = (rel: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      fs.writeFileSync(path.join(root, rel), text);
    };
    write("package.json", JSON.stringify({ name: "@pulumi/top", pulumi: { resource: true } }));
    write(
      "node_modules/@pulumi/aws/package.json",
      JSON.stringify({ name: "@pulumi/aws", version: "7.48.0", pulumi: { resource: true } }),
    );
    write("policy/PulumiPolicy.yaml", "runtime: nodejs\n");
    write(
      "policy/node_modules/@pulumi/gcp/package.json",
      JSON.stringify({ name: "@pulumi/gcp", version: "1.0.0", pulumi: { resource: true } }),
    );
    expect(getPackagesFromDir(root).map((p) => `${p.name}@${p.version}`)).toEqual(["aws@v7.48.0"]);
    fs.rmSync(root, { recursive: true, force: true });
  });

  test("splitArgs splits nodeargs like shlex", () => {
    expect(splitArgs(`--max-old-space-size=4096 --title "a b" 'c d'`)).toEqual([
      "--max-old-space-size=4096",
      "--title",
      "a b",
      "c d",
    ]);
    expect(() => splitArgs(`"open`)).toThrow("EOF found when expecting closing quote");
  });
});

describe("AWS provider stand-in", () => {
  test("state comes from the mocks' facts and an unchanged input never diffs", () => {
    const { id, state } = stateFor(BUCKET_URN, {
      bucket: "mojap-dataeng-fail-dev",
      forceDestroy: false,
    });
    expect(id).toBe("mojap-dataeng-fail-dev");
    expect(state.arn).toBe("arn:aws:s3:::mojap-dataeng-fail-dev");
    expect(
      diffState(BUCKET_URN, state, { bucket: "mojap-dataeng-fail-dev", forceDestroy: false }),
    ).toEqual({
      changes: false,
      diffs: [],
      replaces: [],
    });
  });

  test("a changed name replaces, another changed input updates in place", () => {
    const { state } = stateFor(BUCKET_URN, { bucket: "a", forceDestroy: false });
    expect(diffState(BUCKET_URN, state, { bucket: "b", forceDestroy: false })).toEqual({
      changes: true,
      // The name and every output the mocks derive from it (lib/plan/mockState.ts).
      diffs: ["arn", "bucket", "bucketDomainName", "bucketRegionalDomainName"],
      replaces: ["bucket"],
    });
    expect(diffState(BUCKET_URN, state, { bucket: "a", forceDestroy: true })).toEqual({
      changes: true,
      diffs: ["forceDestroy"],
      replaces: [],
    });
  });

  test("parseUrn takes the last type of the chain; a non-aws type is refused", () => {
    expect(parseUrn(BUCKET_URN)).toEqual({ type: "aws:s3/bucket:Bucket", name: "fail-bucket" });
    expect(() => stateFor("urn:pulumi:s::p::random:index/x:X::n", {})).toThrow(
      "the aws provider does not manage random:index/x:X",
    );
    expect(() => parseUrn("nope")).toThrow("not a URN: nope");
  });

  test("never loads the whole SDK: not to start, not for a refresh's reads, not for a diff", () => {
    const probe = [
      "const { makeProvider } = require('./tools/realCli/awsProvider.ts');",
      "const loaded = (f) => Object.keys(require.cache).some((k) => k.endsWith(f));",
      "const p = makeProvider('7.0.0');",
      "p.read('id-1', 'urn:pulumi:s::p::aws:s3/bucket:Bucket::b', { bucket: 'b' }).then(async (r) => {",
      "  const atStart = [loaded('lib/plan/evaluate.ts'), loaded('@pulumi/pulumi/index.js')];",
      "  const d = await p.diff('b', 'urn:pulumi:s::p::aws:s3/bucket:Bucket::b', {}, { bucket: 'b' });",
      "  const after = [loaded('lib/plan/mockState.ts'), loaded('lib/plan/evaluate.ts'), loaded('@pulumi/pulumi/index.js')];",
      "  process.stdout.write(JSON.stringify({ atStart, read: r, replaces: d.replaces, after }));",
      "});",
    ].join("\n");
    const out = execFileSync(
      process.execPath,
      ["--require", path.join(REPO_ROOT, "tools/stacks/register.js"), "-e", probe],
      { cwd: REPO_ROOT, encoding: "utf8" },
    );
    expect(JSON.parse(out)).toEqual({
      atStart: [false, false],
      read: { id: "id-1", props: { bucket: "b" } },
      replaces: ["bucket"],
      // the mocks' answers (lib/plan/mockState.ts) came without the offline plan and the SDK
      after: [true, false, false],
    });
  });
});

const OBJECT_URN =
  "urn:pulumi:metadata-dev::metadata::aws:s3/bucketObjectv2:BucketObjectv2::delius-offender";
const OBJECT_INPUTS = { bucket: "meta", key: "metadata/delius/offender.json", content: "{}" };

describe("AWS account behind the provider stand-in", () => {
  const dirs: string[] = [];
  const tmp = () => {
    dirs.push(fs.mkdtempSync(path.join(os.tmpdir(), "aws-account-")));
    return dirs.at(-1)!;
  };
  afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

  test("the ledger records creates, updates and deletes; reads answer from it; a create twice is seen", async () => {
    const ledger = path.join(tmp(), "ledger.jsonl");
    const p = makeProvider("7.48.0", behaviourFrom({ DATAENG_AWS_LEDGER: ledger }));
    expect(await p.read!("metadata/delius/offender.json", OBJECT_URN, {})).toEqual({
      id: "",
      props: {},
    });
    const created = await p.create!(OBJECT_URN, OBJECT_INPUTS);
    expect(created.id).toBe("metadata/delius/offender.json");
    const read = await p.read!(created.id, OBJECT_URN, {});
    expect(read).toEqual({ id: created.id, props: created.outs, inputs: OBJECT_INPUTS });
    await p.update!(created.id, OBJECT_URN, created.outs, { ...OBJECT_INPUTS, content: "[]" });
    expect((await p.read!(created.id, OBJECT_URN, {})).inputs).toEqual({
      ...OBJECT_INPUTS,
      content: "[]",
    });
    await p.create!(OBJECT_URN, OBJECT_INPUTS);
    expect(doubleCreates(readLedger(ledger))).toEqual([
      `${OBJECT_URN} (metadata/delius/offender.json)`,
    ]);
    await p.delete!(created.id, OBJECT_URN, {});
    expect(liveResources(readLedger(ledger)).size).toBe(0);
    expect(readLedger(ledger).map((e) => e.op)).toEqual(["create", "update", "create", "delete"]);
  });

  test("a refused resource fails as pulumi-aws renders an AWS error; others go through", async () => {
    const p = makeProvider(
      "7.48.0",
      behaviourFrom({ DATAENG_AWS_REFUSE: "delius-offender=AccessDenied: Access Denied" }),
    );
    await expect(p.create!(OBJECT_URN, OBJECT_INPUTS)).rejects.toThrow(
      /^uploading S3 Object \(metadata\/delius\/offender\.json\) to Bucket \(meta\): operation error S3: PutObject, https response error StatusCode: 403, RequestID: [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}, api error AccessDenied: Access Denied$/,
    );
    await expect(
      p.create!(OBJECT_URN.replace("offender", "event"), OBJECT_INPUTS),
    ).resolves.toMatchObject({
      id: "metadata/delius/offender.json",
    });
    expect(
      awsError("aws:sns/topic:Topic", "create", {}, "alerts", "ThrottlingException: Rate exceeded"),
    ).toMatch(
      /^creating SNS Topic \(alerts\): operation error SNS: CreateTopic, https response error StatusCode: 400, RequestID: \S+, api error ThrottlingException: Rate exceeded$/,
    );
    expect(() => awsError("aws:glue/job:Job", "create", {}, "j", "X: y")).toThrow(
      "no AWS call known for aws:glue/job:Job",
    );
  });

  test("a pause signals and never answers, before or after AWS saw the create", async () => {
    const dir = tmp();
    const ledger = path.join(dir, "ledger.jsonl");
    const signal = path.join(dir, "signal");
    for (const when of ["before", "after"] as const) {
      fs.rmSync(signal, { force: true });
      const p = makeProvider(
        "7.48.0",
        behaviourFrom({
          DATAENG_AWS_LEDGER: ledger,
          DATAENG_AWS_PAUSE: `delius-offender@${when}`,
          DATAENG_AWS_PAUSE_SIGNAL: signal,
        }),
      );
      let answered = false;
      void p.create!(OBJECT_URN, OBJECT_INPUTS).then(() => (answered = true));
      await new Promise((r) => setTimeout(r, 50));
      expect({ when, answered, signal: fs.readFileSync(signal, "utf8") }).toEqual({
        when,
        answered: false,
        signal: `create ${OBJECT_URN} ${when}\n`,
      });
      expect({ when, live: liveResources(readLedger(ledger)).size }).toEqual({
        when,
        live: when === "after" ? 1 : 0,
      });
      // From then on the world stands still: another create neither reaches AWS nor answers.
      let other = false;
      void p.create!(OBJECT_URN.replace("delius-offender", "delius-event"), OBJECT_INPUTS).then(
        () => (other = true),
      );
      await new Promise((r) => setTimeout(r, 50));
      expect({ when, other, live: liveResources(readLedger(ledger)).size }).toEqual({
        when,
        other: false,
        live: when === "after" ? 1 : 0,
      });
      fs.rmSync(ledger, { force: true });
    }
  });

  test("the Node provider server reads without properties (an import) and answers a gone resource with no state", () => {
    acceptReadsWithoutProperties();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pb = require("@pulumi/pulumi/proto/provider_pb") as {
      ReadRequest: new () => { getProperties(): { toJavaScript(): unknown } };
      ReadResponse: new () => {
        setId(id: string): void;
        setProperties(v: unknown): void;
        getProperties(): unknown;
      };
    };
    expect(new pb.ReadRequest().getProperties().toJavaScript()).toEqual({});
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { Struct } = require("google-protobuf/google/protobuf/struct_pb") as {
      Struct: { fromJavaScript(v: unknown): unknown };
    };
    const gone = new pb.ReadResponse();
    gone.setId("");
    gone.setProperties(Struct.fromJavaScript({}));
    expect(gone.getProperties()).toBeUndefined();
    const found = new pb.ReadResponse();
    found.setId("k");
    found.setProperties(Struct.fromJavaScript({ a: 1 }));
    expect(found.getProperties()).toBeDefined();
  });

  test("bad settings are refused with the expected form", () => {
    expect(() => behaviourFrom({ DATAENG_AWS_PAUSE: "x" })).toThrow(
      "expected <name>@before or <name>@after",
    );
    expect(() => behaviourFrom({ DATAENG_AWS_PAUSE: "x@after" })).toThrow(
      "DATAENG_AWS_PAUSE_SIGNAL",
    );
    expect(() => behaviourFrom({ DATAENG_AWS_REFUSE: "x" })).toThrow(
      "expected <name>=<Code>: <message>",
    );
  });
});

describe("faulty proxy", () => {
  test("mulberry32 replays the same sequence for a seed", () => {
    const a = mulberry32(21);
    const b = mulberry32(21);
    const xs = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  test("answers SlowDown and InternalError with S3's XML, cuts a body halfway, and stays bounded", async () => {
    const body = "x".repeat(1000);
    const upstream = http.createServer((_req, res) => res.end(body));
    await new Promise<void>((r) => upstream.listen(0, "127.0.0.1", r));
    const port = (upstream.address() as { port: number }).port;
    const get = (endpoint: string) =>
      new Promise<{ status?: number; text: string; error?: string }>((resolve) => {
        const req = http.get(`http://${endpoint}/k`, (res) => {
          let text = "";
          res.setEncoding("utf8").on("data", (t: string) => (text += t));
          res.on("end", () => resolve({ status: res.statusCode, text }));
          res.on("error", (e) => resolve({ status: res.statusCode, text, error: e.message }));
        });
        req.on("error", (e) => resolve({ text: "", error: e.message }));
      });
    const only = async (rates: Partial<Record<"slowDown" | "internalError" | "reset", number>>) => {
      const proxy = await startFaultyProxy({
        upstream: `127.0.0.1:${port}`,
        seed: 1,
        rates: { slowDown: 0, internalError: 0, reset: 0, slow: 0, ...rates },
        maxFaults: 1,
      });
      const first = await get(proxy.endpoint);
      const second = await get(proxy.endpoint);
      await proxy.close();
      expect(proxy.endpoint).toMatch(/^127\.0\.0\.1:\d+$/);
      return { first, second };
    };
    const slow = await only({ slowDown: 1 });
    expect(slow.first.status).toBe(503);
    expect(slow.first.text).toMatch(
      /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<Error><Code>SlowDown<\/Code><Message>Please reduce your request rate\.<\/Message><RequestId>FAULT1<\/RequestId>/,
    );
    // maxFaults 1: the second request goes through.
    expect(slow.second).toEqual({ status: 200, text: body });
    const internal = await only({ internalError: 1 });
    expect([
      internal.first.status,
      /<Code>InternalError<\/Code>/.test(internal.first.text),
    ]).toEqual([500, true]);
    const reset = await only({ reset: 1 });
    expect(reset.first.text.length).toBeLessThan(body.length);
    expect(reset.first.error ?? "").toMatch(/aborted|socket hang up|ECONNRESET/);
    await new Promise<void>((r) => upstream.close(() => r()));
  });
});

describe("install", () => {
  test("the CLI version comes from the wrapper module and must match @pulumi/pulumi", () => {
    expect(cliVersion()).toBe("v3.248.0");
    expect(() => cliVersion("module x\n")).toThrow(
      "no `require github.com/pulumi/pulumi/pkg/v3 v<x.y.z>` line",
    );
    expect(() => checkSdkMatches("v3.248.0", "3.248.0")).not.toThrow();
    expect(() => checkSdkMatches("v3.248.0", "3.249.1")).toThrow(
      "tools/realCli/go/go.mod builds the CLI v3.248.0 but node_modules has @pulumi/pulumi 3.249.1",
    );
  });

  test("a proxy failure becomes one line that names GOPROXY and the way out", () => {
    const stderr =
      "go: downloading github.com/pulumi/pulumi/pkg/v3 v3.248.0\n" +
      "go: github.com/pulumi/pulumi/pkg/v3@v3.248.0: reading https://proxy.example/github.com/pulumi/pulumi/pkg/v3/@v/v3.248.0.zip: 403 Forbidden\n";
    const line = goFailure(stderr, "https://proxy.example");
    expect(line).toBe(
      "the Go module proxy (GOPROXY=https://proxy.example) did not serve the CLI's modules (go: github.com/pulumi/pulumi/pkg/v3@v3.248.0: reading https://proxy.example/github.com/pulumi/pulumi/pkg/v3/@v/v3.248.0.zip: 403 Forbidden); check GOPROXY and network access, or set REAL_PULUMI_DIR to a folder with pulumi and pulumi-language-nodejs",
    );
    expect(line).not.toContain("\n");
  });

  test("REAL_PULUMI_DIR must hold both executables", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "realdir-"));
    fs.writeFileSync(path.join(dir, "pulumi"), "#!/bin/sh\n", { mode: 0o755 });
    expect(() => givenDir(dir)).toThrow(
      `REAL_PULUMI_DIR=${dir} has no executable pulumi-language-nodejs`,
    );
    fs.writeFileSync(path.join(dir, "pulumi-language-nodejs"), "#!/bin/sh\n", { mode: 0o755 });
    expect(givenDir(dir)).toBe(dir);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
