/**
 * doctor against real servers: s3rver as the S3 backend (the URL form the Pulumi CLI accepts,
 * `s3://<bucket>?endpoint=<host:port>&s3ForcePathStyle=true&disableSSL=true&awssdk=v2`), a local
 * STS endpoint (testing/localSts.ts) reached through the AWS SDK's own AWS_ENDPOINT_URL_STS,
 * and the strict fake `pulumi` for `pulumi version`. The AWS SDK reads credentials from
 * process.env, so each test sets them there (and restores them); nothing reaches beyond 127.0.0.1
 * (the instance metadata service is switched off, the shared config files point nowhere).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { gzipSync } from "node:zlib";
import { PROJECTS, REPO_ROOT } from "../../../lib/model/stacks";
import { type LocalS3, startLocalS3 } from "../../../lib/testing/s3";
import { main } from "../cli";
import { cliVersionCheck, formatAge } from "./doctor";
import { recordingIo } from "../report/io";
import { type FakePulumi, installFakePulumi } from "../testing/fakePulumi";
import { type LocalSts, startLocalSts } from "../testing/localSts";

const BUCKET = "pulumi-state";
// The account the stack files name (pipelines:oracleCaCertificateArn); s3rver's only key pair.
const ALICE = {
  accessKeyId: "S3RVER",
  account: "123456789012",
  arn: "arn:aws:iam::123456789012:user/Alice",
  userId: "AIDAJQABLZS4A3QDU576Q",
};
const SALT = "encryptionsalt: v1:c2FsdA==:v1:test\n";

let s3: LocalS3;
let sts: LocalSts;
let fake: FakePulumi;
let root: string;
const savedEnv = { ...process.env };

beforeAll(async () => {
  s3 = await startLocalS3([BUCKET]);
  sts = await startLocalSts([ALICE]);
});
afterAll(async () => {
  await s3.stop();
  await sts.stop();
});

beforeEach(() => {
  sts.requests.length = 0;
  fake = installFakePulumi();
  fake.answer("", "version", { output: "v3.248.0\n" });
  root = fs.mkdtempSync(path.join(os.tmpdir(), "doctor-repo-"));
  for (const project of PROJECTS) {
    fs.mkdirSync(path.join(root, project));
    for (const f of fs
      .readdirSync(path.join(REPO_ROOT, project))
      .filter((f) => /^Pulumi\..*yaml$/.test(f))) {
      const text = fs.readFileSync(path.join(REPO_ROOT, project, f), "utf8");
      fs.writeFileSync(path.join(root, project, f), f === "Pulumi.yaml" ? text : SALT + text);
    }
  }
  const nowhere = path.join(root, "no-aws-config");
  Object.assign(process.env, {
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_CONFIG_FILE: nowhere,
    AWS_SHARED_CREDENTIALS_FILE: nowhere,
    AWS_ENDPOINT_URL_STS: sts.endpoint,
    AWS_REGION: "eu-west-2",
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  });
  for (const k of [
    "AWS_PROFILE",
    "AWS_ACCESS_KEY_ID",
    "AWS_SECRET_ACCESS_KEY",
    "AWS_SESSION_TOKEN",
    "AWS_WEB_IDENTITY_TOKEN_FILE",
    "AWS_ROLE_ARN",
  ]) {
    delete process.env[k];
  }
});

afterEach(async () => {
  fake.remove();
  fs.rmSync(root, { recursive: true, force: true });
  await s3.clear();
  for (const k of Object.keys(process.env)) if (!(k in savedEnv)) delete process.env[k];
  Object.assign(process.env, savedEnv);
});

const backendUrl = () =>
  `s3://${BUCKET}?endpoint=${s3.endpoint.replace("http://", "")}&s3ForcePathStyle=true&disableSSL=true&awssdk=v2`;

function withCredentials() {
  process.env.AWS_ACCESS_KEY_ID = ALICE.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = "S3RVER";
}

async function doctor(args: string[], extraEnv: NodeJS.ProcessEnv = {}) {
  const io = recordingIo();
  const env = fake.env({
    PULUMI_BACKEND_URL: backendUrl(),
    PULUMI_CONFIG_PASSPHRASE: "team",
    ...extraEnv,
  });
  const code = await main(["doctor", ...args], { io, env, repoRoot: root });
  return { code, lines: io.stdout.join("\n").split("\n") };
}

describe("doctor", () => {
  it("passes every check with the CLI, passphrase, credentials of the expected account and a project-scoped backend", async () => {
    withCredentials();
    await s3.put(BUCKET, ".pulumi/meta.yaml", "version: 1\n");
    const r = await doctor(["--env", "dev"]);
    expect(r.lines).toEqual([
      `✓ pulumi CLI: ${path.join(fake.binDir, "pulumi")}`,
      "✓ pulumi version: v3.248.0, matches @pulumi/pulumi 3.248.0",
      "✓ stack passphrase: PULUMI_CONFIG_PASSPHRASE is set",
      "✓ stack files: 4 present (dev)",
      "✓ secrets salt: every stack file has its encryptionsalt",
      "✓ AWS region: eu-west-2 (aws:region of every stack file)",
      "✓ AWS credentials: arn:aws:iam::123456789012:user/Alice (account 123456789012)",
      "✓ AWS account: 123456789012, as pipelines/Pulumi.pipelines-dev.yaml pipelines:oracleCaCertificateArn expects",
      `✓ backend: ${backendUrl()} is reachable`,
      "✓ backend layout: project-scoped (.pulumi/meta.yaml version 1)",
      "✓ locks: none on 4 stack(s)",
      "✓ pending operations: none",
      "All 12 checks passed.",
    ]);
    expect(r.code).toBe(0);
    expect(sts.requests).toContain("GetCallerIdentity S3RVER");
  });

  it("lists the env's locks with their age and the cancel to run, and refuses a legacy layout with the upgrade", async () => {
    withCredentials();
    await s3.put(BUCKET, ".pulumi/stacks/core-dev.json", "{}");
    const twoHoursAgo = new Date(Date.now() - 2 * 3600_000 - 20_000).toISOString();
    // lock.go lockContent: { pid, username, hostname, timestamp }
    await s3.put(
      BUCKET,
      ".pulumi/locks/organization/core/core-dev/7f3c.json",
      JSON.stringify({
        pid: 4242,
        username: "runner",
        hostname: "gh-runner-1",
        timestamp: twoHoursAgo,
      }),
    );
    // another env's lock is not this env's business
    await s3.put(BUCKET, ".pulumi/locks/organization/core/core-prod/aaaa.json", "{}");
    const r = await doctor(["--env", "dev"]);
    expect(r.code).toBe(1);
    expect(r.lines).toContain(
      `✗ backend layout: legacy (no .pulumi/meta.yaml; 1 stack(s) in the old layout): organization/<project>/<stack> StackReferences are refused`,
    );
    expect(r.lines).toContain(
      `    fix: PULUMI_BACKEND_URL='${backendUrl()}' pulumi state upgrade (once, for the whole backend; then commit nothing: it moves the state)`,
    );
    const at = r.lines.indexOf("✗ locks: 1 lock(s):");
    expect(r.lines.slice(at, at + 3)).toEqual([
      "✗ locks: 1 lock(s):",
      `      core-dev: .pulumi/locks/organization/core/core-dev/7f3c.json by runner@gh-runner-1 (pid 4242) at ${twoHoursAgo}, 2 h 0 min old`,
      "    fix: if no run is in progress (check the Actions tab and ask the team), remove them: npm run stacks -- cancel --env dev --project core",
    ]);
    expect(r.lines.at(-1)).toBe("2 of 12 checks failed.");
  });

  it("lists the pending operations a killed run left, with recover (after cancel when locked) as the fix", async () => {
    withCredentials();
    await s3.put(BUCKET, ".pulumi/meta.yaml", "version: 1\n");
    // A self-managed checkpoint (apitype CheckpointV3): checkpoint.latest.pending_operations.
    const checkpoint = (project: string, stack: string, ops: unknown[]) =>
      JSON.stringify({
        version: 3,
        checkpoint: {
          stack: `organization/${project}/${stack}`,
          latest: { resources: [], pending_operations: ops },
        },
      });
    const pendingOp = (
      stack: string,
      project: string,
      type: string,
      name: string,
      op: string,
      inputs: object,
    ) => ({
      type: op,
      resource: { urn: `urn:pulumi:${stack}::${project}::${type}::${name}`, type, inputs },
    });
    await s3.put(
      BUCKET,
      ".pulumi/stacks/metadata/metadata-dev.json",
      checkpoint("metadata", "metadata-dev", [
        pendingOp(
          "metadata-dev",
          "metadata",
          "aws:s3/bucketObjectv2:BucketObjectv2",
          "delius-event",
          "creating",
          {
            key: "metadata/delius/event.json",
          },
        ),
        pendingOp(
          "metadata-dev",
          "metadata",
          "aws:s3/bucketObjectv2:BucketObjectv2",
          "oasys-set",
          "updating",
          {},
        ),
      ]),
    );
    await s3.put(BUCKET, ".pulumi/locks/organization/metadata/metadata-dev/1a2b.json", "{}");
    // gzipped, as the orchestrator's runs write it (PULUMI_DIY_BACKEND_GZIP)
    await s3.put(
      BUCKET,
      ".pulumi/stacks/core/core-dev.json.gz",
      gzipSync(
        checkpoint("core", "core-dev", [
          pendingOp("core-dev", "core", "aws:kms/key:Key", "data-key", "creating", {}),
        ]),
      ),
    );
    // a checkpoint with nothing pending is not listed
    await s3.put(
      BUCKET,
      ".pulumi/stacks/pipelines/pipelines-dev.json",
      checkpoint("pipelines", "pipelines-dev", []),
    );
    const r = await doctor(["--env", "dev"]);
    expect(r.code).toBe(1);
    const at = r.lines.indexOf(
      "✗ pending operations: a run was killed while it changed resources:",
    );
    expect(r.lines.slice(at)).toEqual([
      "✗ pending operations: a run was killed while it changed resources:",
      "      core-dev: 1 pending operation(s):",
      "        aws:kms/key:Key data-key (creating): AWS names it itself, so it cannot be looked up; check AWS, delete any copy, then recover drops it",
      "      metadata-dev: 2 pending operation(s):",
      "        aws:s3/bucketObjectv2:BucketObjectv2 delius-event (creating): imported as metadata/delius/event.json if AWS has it, else dropped",
      "        aws:s3/bucketObjectv2:BucketObjectv2 oasys-set (updating): a refresh reads it back from AWS and drops the operation",
      "    fix: if no run is in progress: npm run stacks -- recover --env dev --project core --yes && npm run stacks -- up --env dev --project core --yes; " +
        "npm run stacks -- cancel --env dev --project metadata --yes && npm run stacks -- recover --env dev --project metadata --yes && npm run stacks -- up --env dev --project metadata --yes (docs/troubleshooting.md)",
      "2 of 12 checks failed.",
    ]);
  });

  it("runs without credentials, a passphrase or the CLI, and says what is missing", async () => {
    const r = await doctor(["--env", "prod"], {
      PATH: "/nonexistent",
      PULUMI_CONFIG_PASSPHRASE: "",
    });
    expect(r.code).toBe(1);
    expect(r.lines).toEqual([
      "✗ pulumi CLI: not on PATH",
      "    fix: install it: curl -fsSL https://get.pulumi.com | sh -s -- --version 3.248.0 (https://www.pulumi.com/docs/install/)",
      "✗ stack passphrase: neither PULUMI_CONFIG_PASSPHRASE nor PULUMI_CONFIG_PASSPHRASE_FILE is set",
      "    fix: export PULUMI_CONFIG_PASSPHRASE=<the team's stack passphrase, from the team password store>",
      "✓ stack files: 5 present (prod)",
      "✓ secrets salt: every stack file has its encryptionsalt",
      "✓ AWS region: eu-west-2 (aws:region of every stack file)",
      "✗ AWS credentials: none found (environment, shared config/SSO profile, web identity)",
      "    fix: aws sso login --profile <profile> && export AWS_PROFILE=<profile> (in CI: the OIDC role step)",
      "✗ AWS account: expected 123456789012 (pipelines/Pulumi.pipelines-prod.yaml pipelines:oracleCaCertificateArn); unknown without credentials",
      "    fix: fix the credentials first",
      expect.stringMatching(
        new RegExp(
          `^✗ backend: ${backendUrl().replace(/[?.]/g, "\\$&")} is not reachable: CredentialsProviderError: `,
        ),
      ),
      "    fix: check the AWS credentials and the bucket name (PULUMI_BACKEND_URL)",
      "5 of 8 checks failed.",
    ]);
    expect(sts.requests).toEqual([]);
  });

  it("names the account aws:allowedAccountIds expects when the credentials are for another", async () => {
    withCredentials();
    await s3.put(BUCKET, ".pulumi/meta.yaml", "version: 1\n");
    const file = path.join(root, "core", "Pulumi.core-dev.yaml");
    fs.writeFileSync(
      file,
      fs
        .readFileSync(file, "utf8")
        .replace("config:\n", 'config:\n  aws:allowedAccountIds: ["999999999999"]\n'),
    );
    const r = await doctor(["--env", "dev"]);
    expect(r.code).toBe(1);
    expect(r.lines).toContain(
      "✗ AWS account: 123456789012, but core/Pulumi.core-dev.yaml aws:allowedAccountIds expects 999999999999",
    );
    expect(r.lines).toContain(
      "    fix: use credentials for account 999999999999 (another AWS_PROFILE)",
    );
    expect(r.lines.at(-1)).toBe("1 of 12 checks failed.");
  });

  it("names credentials STS refuses and a stack file without its salt", async () => {
    process.env.AWS_ACCESS_KEY_ID = "AKIAUNKNOWN";
    process.env.AWS_SECRET_ACCESS_KEY = "x";
    fs.writeFileSync(
      path.join(root, "core", "Pulumi.core-dev.yaml"),
      fs.readFileSync(path.join(REPO_ROOT, "core", "Pulumi.core-dev.yaml"), "utf8"),
    );
    const r = await doctor(["--env", "dev"]);
    expect(r.code).toBe(1);
    expect(r.lines).toContain(
      "✗ AWS credentials: STS GetCallerIdentity failed: InvalidClientTokenId: The security token included in the request is invalid.",
    );
    expect(r.lines).toContain("✗ secrets salt: no encryptionsalt in core/Pulumi.core-dev.yaml");
    expect(r.lines).toContain(
      "    fix: npm run stacks -- init --env dev, then commit the stack files",
    );
  });

  it("file backends: reads meta.yaml from the folder", async () => {
    withCredentials();
    const dir = path.join(root, "backend");
    fs.mkdirSync(path.join(dir, ".pulumi"), { recursive: true });
    fs.writeFileSync(path.join(dir, ".pulumi", "meta.yaml"), "version: 0\n");
    const r = await doctor(["--env", "dev"], { PULUMI_BACKEND_URL: `file://${dir}` });
    expect(r.lines).toContain(`✓ backend: file://${dir} is reachable`);
    expect(r.lines).toContain(
      "✗ backend layout: .pulumi/meta.yaml has version 0, not 1 (project-scoped)",
    );
  });
});

describe("doctor's rules", () => {
  it("wants the CLI at the SDK's major version and no older", () => {
    expect(cliVersionCheck("v3.248.0\n", "3.248.0").ok).toBe(true);
    expect(cliVersionCheck("v3.250.1", "3.248.0").ok).toBe(true);
    expect(cliVersionCheck("v3.247.9", "3.248.0")).toEqual({
      ok: false,
      label: "pulumi version",
      detail: "v3.247.9, older than @pulumi/pulumi 3.248.0",
      fix: "install it: curl -fsSL https://get.pulumi.com | sh -s -- --version 3.248.0 (https://www.pulumi.com/docs/install/)",
    });
    expect(cliVersionCheck("v4.0.0", "3.248.0").detail).toBe(
      "v4.0.0, a different major version from @pulumi/pulumi 3.248.0",
    );
  });

  it("formats lock ages", () => {
    expect(formatAge(59_000)).toBe("0 min");
    expect(formatAge(61 * 60_000)).toBe("1 h 1 min");
    expect(formatAge(50 * 3600_000)).toBe("2 days 2 h");
  });
});
