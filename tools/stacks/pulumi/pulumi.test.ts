import * as path from "node:path";
import {
  parseEventLog,
  parseTextSteps,
  parseTextSummary,
  splitPolicyMessage,
  urnName,
  urnResource,
  urnStack,
} from "./events";
import { CODE_CACHE } from "./nodeOptions";
import { defaultBackendUrl, pulumiArgs, pulumiEnv, spawnPulumi } from "./pulumi";
import { installFakePulumi, summaryEvents } from "../testing/fakePulumi";

const ROOT = "/repo";
const PACK = ["--policy-pack", "/repo/policy", "--policy-pack-config", "/repo/policy-config.json"];

describe("pulumiArgs", () => {
  it("previews with refresh, diff and the policy pack, as the manual procedure does", () => {
    expect(
      pulumiArgs({
        command: "preview",
        stack: "core-dev",
        repoRoot: ROOT,
        eventLog: "/tmp/e.json",
      }),
    ).toEqual([
      "preview",
      "--stack",
      "core-dev",
      "--non-interactive",
      "--refresh",
      "--diff",
      "--suppress-progress",
      ...PACK,
      "--event-log",
      "/tmp/e.json",
    ]);
  });

  it("deploys with --yes (the orchestrator confirmed) and --skip-preview (no second pass), and passes targets and replacements through", () => {
    expect(
      pulumiArgs({
        command: "up",
        stack: "pipelines-prod",
        repoRoot: ROOT,
        targets: ["urn:a"],
        replaces: ["urn:b", "urn:c"],
        configFile: "/repo/.pulumi-local/projects/pipelines/Pulumi.pipelines-prod.yaml",
      }),
    ).toEqual([
      "up",
      "--stack",
      "pipelines-prod",
      "--non-interactive",
      "--yes",
      "--skip-preview",
      "--refresh",
      "--diff",
      "--suppress-progress",
      ...PACK,
      "--target",
      "urn:a",
      "--replace",
      "urn:b",
      "--replace",
      "urn:c",
      "--config-file",
      "/repo/.pulumi-local/projects/pipelines/Pulumi.pipelines-prod.yaml",
    ]);
  });

  it("refreshes, or checks drift with --preview-only --expect-no-changes", () => {
    expect(pulumiArgs({ command: "refresh", stack: "core-dev", repoRoot: ROOT })).toEqual([
      "refresh",
      "--stack",
      "core-dev",
      "--non-interactive",
      "--diff",
      "--suppress-progress",
      "--yes",
    ]);
    expect(
      pulumiArgs({
        command: "refresh",
        stack: "core-dev",
        repoRoot: ROOT,
        previewOnly: true,
        expectNoChanges: true,
      }),
    ).toEqual([
      "refresh",
      "--stack",
      "core-dev",
      "--non-interactive",
      "--diff",
      "--suppress-progress",
      "--preview-only",
      "--expect-no-changes",
    ]);
  });

  it("destroys and cancels without the policy pack", () => {
    expect(
      pulumiArgs({ command: "destroy", stack: "core-dev", repoRoot: ROOT, targets: ["urn:x"] }),
    ).toEqual([
      "destroy",
      "--stack",
      "core-dev",
      "--non-interactive",
      "--yes",
      "--suppress-progress",
      "--target",
      "urn:x",
    ]);
    expect(
      pulumiArgs({ command: "cancel", stack: "core-dev", repoRoot: ROOT, eventLog: "/ignored" }),
    ).toEqual(["cancel", "--stack", "core-dev", "--non-interactive", "--yes"]);
  });
});

describe("pulumiEnv", () => {
  it("passes the backend through the environment, defaulting to the shared S3 backend", () => {
    expect(defaultBackendUrl({})).toBe("s3://analytical-platform-data-engineering-pulumi-backend");
    expect(defaultBackendUrl({ PULUMI_BACKEND_URL: "s3://other" })).toBe("s3://other");
    const env = pulumiEnv({ PATH: "/bin", AWS_PROFILE: "de" }, { backendUrl: "s3://other" });
    expect(env).toEqual({
      PATH: "/bin",
      AWS_PROFILE: "de",
      PULUMI_BACKEND_URL: "s3://other",
      PULUMI_SKIP_UPDATE_CHECK: "true",
      // --event-log exists only with this (v3.248 operations/*.go)
      PULUMI_DEBUG_COMMANDS: "true",
      // a stack file without encryptionsalt reuses the state's secrets manager, never a new salt
      PULUMI_FALLBACK_TO_STATE_SECRETS_MANAGER: "true",
      // the checkpoint is written gzipped (checkpointFile.ts reads it)
      PULUMI_DIY_BACKEND_GZIP: "true",
      // every node process the CLI starts loads the V8 code cache first (nodeOptions.ts)
      NODE_OPTIONS: `--require "${CODE_CACHE}"`,
    });
    // the caller's own NODE_OPTIONS are kept, after it
    expect(
      pulumiEnv({ NODE_OPTIONS: "--max-old-space-size=4096" }, { backendUrl: "s3://b" }),
    ).toMatchObject({
      NODE_OPTIONS: `--require "${CODE_CACHE}" --max-old-space-size=4096`,
    });
  });

  it("leaves the state's compression to a caller who chose one (the CLI refuses two)", () => {
    for (const chosen of [
      "PULUMI_DIY_BACKEND_ZSTD",
      "PULUMI_SELF_MANAGED_STATE_ZSTD",
      "PULUMI_SELF_MANAGED_STATE_GZIP",
    ]) {
      const env = pulumiEnv({ [chosen]: "true" }, { backendUrl: "s3://other" });
      expect([env[chosen], env.PULUMI_DIY_BACKEND_GZIP]).toEqual(["true", undefined]);
    }
    const off = pulumiEnv({ PULUMI_DIY_BACKEND_GZIP: "false" }, { backendUrl: "s3://other" });
    expect(off.PULUMI_DIY_BACKEND_GZIP).toBe("false");
  });

  it("in --local mode, uses the passphrase file and never a real AWS profile", () => {
    const env = pulumiEnv(
      { PATH: "/bin", AWS_PROFILE: "de", AWS_SESSION_TOKEN: "t", PULUMI_CONFIG_PASSPHRASE: "team" },
      {
        backendUrl: "file:///repo/.pulumi-local/backend",
        passphraseFile: "/p",
        localAwsEnv: { AWS_ACCESS_KEY_ID: "test" },
      },
    );
    expect(env.PULUMI_CONFIG_PASSPHRASE_FILE).toBe("/p");
    expect(env.PULUMI_CONFIG_PASSPHRASE).toBeUndefined();
    expect(env.AWS_PROFILE).toBeUndefined();
    expect(env.AWS_SESSION_TOKEN).toBeUndefined();
    expect(env.AWS_ACCESS_KEY_ID).toBe("test");
  });
});

describe("reading what pulumi reported", () => {
  const role =
    "urn:pulumi:pipelines-dev::pipelines::dataeng:pipelines:DmsPipeline$aws:iam/role:Role::delius-dms-role";

  it("takes counts, steps, policy events and errors from the event log, ignoring bad lines", () => {
    const log = [
      JSON.stringify({
        sequence: 1,
        resourcePreEvent: { metadata: { op: "same", urn: "urn:pulumi:s::p::t::same", type: "t" } },
      }),
      JSON.stringify({
        sequence: 2,
        resourcePreEvent: {
          metadata: { op: "create-replacement", urn: role, type: "aws:iam/role:Role" },
        },
      }),
      JSON.stringify({
        sequence: 3,
        resourcePreEvent: { metadata: { op: "replace", urn: role, type: "aws:iam/role:Role" } },
      }),
      JSON.stringify({
        sequence: 4,
        resourcePreEvent: {
          metadata: { op: "delete-replaced", urn: role, type: "aws:iam/role:Role" },
        },
      }),
      "not json",
      JSON.stringify({
        sequence: 5,
        policyEvent: {
          resourceUrn: role,
          message: "\u001b[31mno tags\u001b[0m",
          policyName: "required-tags",
          policyPackName: "dataeng",
          enforcementLevel: "mandatory",
        },
      }),
      JSON.stringify({
        sequence: 6,
        diagnosticEvent: { severity: "error", message: "error: boom\n", color: "never" },
      }),
      JSON.stringify({
        sequence: 7,
        summaryEvent: { resourceChanges: { create: 1, same: 4, replace: 1, update: 2, delete: 1 } },
      }),
    ].join("\n");
    expect(parseEventLog(log)).toEqual({
      changes: { create: 1, update: 2, replace: 1, delete: 1, same: 4 },
      steps: [{ op: "replace", urn: role, type: "aws:iam/role:Role", name: "delius-dms-role" }],
      // These events carry no old/new state: no inputs, only what was replaced.
      inputs: [
        { urn: "urn:pulumi:s::p::t::same", type: "t", name: "same" },
        {
          urn: role,
          type: "aws:iam/role:Role",
          name: "delius-dms-role",
          replacedBy: ["(replaced)"],
        },
      ],
      policies: [
        {
          policyName: "required-tags",
          enforcementLevel: "mandatory",
          message: "no tags",
          urn: role,
          policyPack: "dataeng",
        },
      ],
      errors: ["error: boom"],
    });
  });

  it("splits a policy event's message into the violation's own message and the policy's description", () => {
    const urn = "urn:pulumi:core-dev::core::dataeng:core:Buckets$aws:s3/bucket:Bucket::raw-history";
    const log = summaryEvents(
      {},
      [],
      [
        {
          policyName: "p",
          description: "What the policy wants.",
          message: "What is wrong\nwith raw-history.",
          urn,
        },
      ],
    )
      .map((e) => JSON.stringify(e))
      .join("\n");
    expect(parseEventLog(log).policies).toEqual([
      {
        policyName: "p",
        enforcementLevel: "mandatory",
        message: "What is wrong\nwith raw-history.",
        description: "What the policy wants.",
        urn,
        policyPack: "dataeng-policies",
      },
    ]);
    // reportViolation() without a message: the description is all the engine sends
    expect(splitPolicyMessage("Only the description")).toEqual({ message: "Only the description" });
    expect(splitPolicyMessage("Description\n")).toEqual({ message: "Description" });
    expect(urnResource(urn)).toEqual({
      resourceType: "aws:s3/bucket:Bucket",
      resourceName: "raw-history",
    });
    expect(urnResource("**bucket**")).toBeUndefined();
  });

  it("reads an exemption's reason back from the violation's message", () => {
    // The pack reports an exempted finding as advisory, its message ending with the reason
    // (lib/model/policyExemption.ts exemptedMessage); the engine's policyEvent has no field for it.
    const urn = "urn:pulumi:core-prod::core::aws:s3/bucket:Bucket::access-logs";
    const log = summaryEvents(
      {},
      [],
      [
        {
          policyName: "s3-access-logging",
          enforcementLevel: "advisory",
          description: "Buckets log their access.",
          message: "access-logs logs nowhere (exempted: it is the log bucket: INC-42)",
          urn,
        },
        {
          policyName: "p",
          enforcementLevel: "advisory",
          description: "P.",
          message: "not exempted (see ADR 7)",
          urn,
        },
      ],
    )
      .map((e) => JSON.stringify(e))
      .join("\n");
    const [waived, plain] = parseEventLog(log).policies;
    expect(waived).toMatchObject({
      enforcementLevel: "advisory",
      message: "access-logs logs nowhere (exempted: it is the log bucket: INC-42)",
      exemption: "it is the log bucket: INC-42",
    });
    expect(plain.exemption).toBeUndefined();
  });

  it("falls back on the text summary of a preview or an update", () => {
    const preview =
      "Previewing update (core-dev):\n ...\nResources:\n    + 3 to create\n    ~ 1 to update\n    +-1 to replace\n    - 2 to delete\n    7 changes. 12 unchanged\n";
    expect(parseTextSummary(preview)).toEqual({
      create: 3,
      update: 1,
      replace: 1,
      delete: 2,
      same: 12,
    });
    expect(
      parseTextSummary("Resources:\n    + 2 created\n    5 unchanged\n\nDuration: 3s\n"),
    ).toEqual({
      create: 2,
      update: 0,
      replace: 0,
      delete: 0,
      same: 5,
    });
    expect(parseTextSummary("error: no stack named 'x' found")).toBeUndefined();
  });

  it("reads replaced and deleted resources from the --diff text when there is no event log", () => {
    const text = [
      "  pulumi:pulumi:Stack: (same)",
      "    [urn=urn:pulumi:pipelines-dev::pipelines::pulumi:pulumi:Stack::pipelines-pipelines-dev]",
      "    +-aws:iam/role:Role: (replace)",
      `        [urn=${role}]`,
      "    - aws:s3/bucket:Bucket: (delete)",
      "        [urn=urn:pulumi:pipelines-dev::pipelines::aws:s3/bucket:Bucket::old]",
    ].join("\n");
    expect(parseTextSteps(text)).toEqual([
      { op: "replace", urn: role, type: "aws:iam/role:Role", name: "delius-dms-role" },
      {
        op: "delete",
        urn: "urn:pulumi:pipelines-dev::pipelines::aws:s3/bucket:Bucket::old",
        type: "aws:s3/bucket:Bucket",
        name: "old",
      },
    ]);
  });

  it("splits URNs", () => {
    expect(urnName(role)).toBe("delius-dms-role");
    expect(urnStack(role)).toBe("pipelines-dev");
    expect(urnStack("**bucket**")).toBeUndefined();
  });
});

describe("spawnPulumi", () => {
  it("streams each line without colour codes and returns the exit code", async () => {
    const fake = installFakePulumi();
    try {
      fake.answer("core-dev", "preview", {
        output: "\u001b[32mfirst\u001b[0m\nsecond\n",
        exitCode: 3,
      });
      const lines: string[] = [];
      const r = await spawnPulumi({
        argv: ["preview", "--stack", "core-dev"],
        cwd: fake.dir,
        env: fake.env(),
        onLine: (l) => lines.push(l),
      });
      expect(r).toEqual({ exitCode: 3, output: "first\nsecond" });
      expect(lines).toEqual(["first", "second"]);
    } finally {
      fake.remove();
    }
  });

  it("meets a strict fake: --event-log is refused unless PULUMI_DEBUG_COMMANDS is true, as in v3.248", async () => {
    const fake = installFakePulumi();
    try {
      const argv = pulumiArgs({
        command: "preview",
        stack: "core-dev",
        repoRoot: ROOT,
        eventLog: path.join(fake.dir, "e.json"),
      });
      const bare = await spawnPulumi({ argv, cwd: fake.dir, env: fake.env() });
      expect(bare).toEqual({ exitCode: 1, output: "error: unknown flag: --event-log" });
      expect(fake.calls().map((c) => c.refused)).toEqual(["unknown flag: --event-log"]);
      const env = pulumiEnv(fake.env(), { backendUrl: "file:///tmp/b" });
      const ok = await spawnPulumi({ argv, cwd: fake.dir, env });
      expect(ok).toEqual({ exitCode: 0, output: "fake pulumi preview core-dev" });
      const yesMissing = await spawnPulumi({
        argv: ["up", "--stack", "core-dev", "--non-interactive"],
        cwd: fake.dir,
        env,
      });
      expect(yesMissing).toEqual({
        exitCode: 2,
        output:
          "error: --yes or --skip-preview or --preview-only must be passed in to proceed when running in non-interactive mode",
      });
    } finally {
      fake.remove();
    }
  });

  it("reports a CLI that cannot start instead of hanging", async () => {
    const r = await spawnPulumi({ argv: ["version"], cwd: "/", env: { PATH: "/nonexistent" } });
    expect(r.exitCode).toBe(127);
    expect(r.output).toContain("could not start pulumi");
  });
});
