/**
 * The real-CLI tier's stand-ins and installer, in the fast tier: the pure parts, against the
 * behaviour of sdk/nodejs/cmd/pulumi-language-nodejs/main.go (v3.248.0) they copy.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { diffState, parseUrn, stateFor } from "./awsProvider";
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
      // The name and every output the mocks derive from it (lib/plan/evaluate.ts).
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
