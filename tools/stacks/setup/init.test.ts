/**
 * init with the strict fake `pulumi`: a stack the CLI creates (its salt written into the stack
 * file, as `stack select --create` does), an existing stack whose salt comes from its exported
 * state, a stack whose state uses another provider, and one that already has its salt.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PROJECTS, REPO_ROOT } from "../../../lib/model/stacks";
import { main } from "../cli";
import { saltOfExport } from "./init";
import { recordingIo } from "../report/io";
import { type FakePulumi, installFakePulumi } from "../testing/fakePulumi";

let fake: FakePulumi;
let root: string;
const file = (project: string, stack: string) => path.join(root, project, `Pulumi.${stack}.yaml`);
const original = (project: string, stack: string) =>
  fs.readFileSync(path.join(REPO_ROOT, project, `Pulumi.${stack}.yaml`), "utf8");

beforeEach(() => {
  fake = installFakePulumi();
  root = fs.mkdtempSync(path.join(os.tmpdir(), "init-repo-"));
  for (const project of PROJECTS) {
    fs.mkdirSync(path.join(root, project));
    for (const f of fs
      .readdirSync(path.join(REPO_ROOT, project))
      .filter((f) => /^Pulumi\..*yaml$/.test(f))) {
      fs.copyFileSync(path.join(REPO_ROOT, project, f), path.join(root, project, f));
    }
  }
});
afterEach(() => {
  fake.remove();
  fs.rmSync(root, { recursive: true, force: true });
});

/** `pulumi stack export` of a passphrase stack: apitype.UntypedDeployment with a DeploymentV3. */
const exported = (secretsProviders: object) =>
  JSON.stringify({
    version: 3,
    deployment: {
      manifest: { time: "2026-11-30T10:00:00Z", magic: "", version: "v3.248.0" },
      secrets_providers: secretsProviders,
      resources: [],
    },
  });

describe("init", () => {
  it("creates missing stacks, copies the salt of existing ones from their state, and says what to commit", async () => {
    fake.answer("core-dev", "stack-select", {
      output: "error: no stack named 'core-dev' found\n",
      exitCode: 255,
    });
    fake.answer("", "stack-ls", { output: '[{"name":"metadata-dev","current":false}]\n' });
    fake.answer("core-dev", "stack-select-create", {
      writes: {
        path: file("core", "core-dev"),
        content: `encryptionsalt: v1:bmV3:v1:created\n${original("core", "core-dev")}`,
      },
    });
    fake.answer("metadata-dev", "stack-export", {
      file: exported({ type: "passphrase", state: { salt: "v1:c3RhdGU=:v1:fromstate" } }),
    });
    fake.answer("pipelines-dev", "stack-export", { file: exported({ type: "awskms", state: {} }) });
    fs.writeFileSync(
      file("glue_database", "glue_database-dev"),
      `encryptionsalt: v1:b2xk:v1:had\n${original("glue_database", "glue_database-dev")}`,
    );
    const io = recordingIo();
    const code = await main(["init", "--env", "dev"], { io, env: fake.env(), repoRoot: root });
    expect(io.stdout).toEqual([
      "✓ core-dev: created; salt written (core/Pulumi.core-dev.yaml)",
      "✓ metadata-dev: salt copied from the state (metadata/Pulumi.metadata-dev.yaml)",
      '✗ pipelines-dev: failed: the state\'s secrets provider is "awskms", not passphrase; set the salt with "pulumi stack change-secrets-provider passphrase --stack pipelines-dev" in pipelines/',
      "✓ glue_database-dev: had its salt",
      "Commit the changed stack files: git add core/Pulumi.core-dev.yaml metadata/Pulumi.metadata-dev.yaml",
    ]);
    expect(code).toBe(1);
    expect(fs.readFileSync(file("metadata", "metadata-dev"), "utf8")).toBe(
      `encryptionsalt: v1:c3RhdGU=:v1:fromstate\n${original("metadata", "metadata-dev")}`,
    );
    expect(fs.readFileSync(file("pipelines", "pipelines-dev"), "utf8")).toBe(
      original("pipelines", "pipelines-dev"),
    );
    const calls = fake.calls();
    expect(calls.every((c) => c.refused === "")).toBe(true);
    expect(calls.map((c) => [path.basename(c.cwd), c.argv.slice(0, 4).join(" ")])).toEqual([
      ["core", "stack select --stack core-dev"],
      ["core", "stack ls --json --non-interactive"],
      ["core", "stack select --stack core-dev"],
      ["metadata", "stack select --stack metadata-dev"],
      ["metadata", "stack export --stack metadata-dev"],
      ["pipelines", "stack select --stack pipelines-dev"],
      ["pipelines", "stack export --stack pipelines-dev"],
    ]);
  });

  it("stops at a failed stack select with the CLI's error", async () => {
    fake.answer("core-prod", "stack-select", {
      output: "error: access denied to the backend bucket\n",
      exitCode: 1,
    });
    const io = recordingIo();
    const code = await main(["init", "--env", "prod", "--project", "core"], {
      io,
      env: fake.env(),
      repoRoot: root,
    });
    expect(code).toBe(1);
    expect(io.stdout).toEqual([
      "✗ core-prod: failed: pulumi stack select: error: access denied to the backend bucket",
    ]);
  });
});

describe("saltOfExport", () => {
  it("reads the passphrase salt, and says what is wrong otherwise", () => {
    expect(saltOfExport(exported({ type: "passphrase", state: { salt: "v1:x:v1:y" } }))).toEqual({
      salt: "v1:x:v1:y",
    });
    expect(saltOfExport(JSON.stringify({ version: 3, deployment: { manifest: {} } }))).toEqual({
      error: "the state records no secrets provider",
    });
    expect(saltOfExport("not json")).toEqual({ error: "the export is not JSON" });
  });
});
