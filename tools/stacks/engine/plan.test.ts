/** The plan's orchestration with an injected evaluator and policy runner (no SDK loaded). */
import type { StackEvaluation } from "../../../lib/plan/evaluate";
import type { PlannedResource } from "../../../lib/plan/plannedResource";
import { type Environment, type Project, stackName } from "../../../lib/model/stacks";
import { main } from "../cli";
import { recordingIo } from "../report/io";
import { type PlanDeps, interruptBudgetFlag, keyInputs } from "./plan";

function resource(
  project: string,
  env: string,
  type: string,
  name: string,
  inputs: Record<string, unknown> = {},
): PlannedResource {
  return {
    urn: `urn:pulumi:${project}-${env}::${project}::${type}::${name}`,
    type,
    name,
    custom: true,
    inputs,
    state: inputs,
    protect: env !== "dev",
    retainOnDelete: false,
    dependencies: [],
    propertyDependencies: {},
  };
}

interface StubOptions {
  failing?: string;
  violations?: Record<
    string,
    { enforcementLevel: "advisory" | "mandatory"; resourceName: string }[]
  >;
  badPolicyConfig?: boolean;
}

function stub(options: StubOptions = {}) {
  const seen: { stack: string; upstream: string[] }[] = [];
  const deps: PlanDeps = {
    evaluate: async (project: Project, env: Environment, { upstream }) => {
      const stack = stackName(project, env);
      seen.push({ stack, upstream: [...upstream.keys()] });
      const failed = stack === options.failing;
      return {
        project,
        env,
        stack,
        resources: [
          resource(project, env, "pulumi:pulumi:StackReference", "core"),
          { ...resource(project, env, "dataeng:storage:SecureBucket", "raw"), custom: false },
          resource(project, env, "aws:s3/bucket:Bucket", `${project}-bucket`, {
            bucket: `mojap-${project}-${env}`,
            tags: { a: "b" },
          }),
        ],
        outputs: failed ? {} : { name: stack },
        errors: failed
          ? [`${stack}: core:bucketNamePrefix: expected 3 to 32 lower-case letters`]
          : [],
        durationMs: 5,
      } satisfies StackEvaluation;
    },
    loadPolicyConfig: () => {
      if (options.badPolicyConfig)
        throw new Error('Invalid policy config policy-config.json:\n  - "nope": unknown policy');
      return { file: "policy-config.json" };
    },
    runPolicies: async (resources, { stackName: s }) =>
      (options.violations?.[s] ?? []).map((v) => ({
        policyName: "s3-bucket-versioning-enabled",
        enforcementLevel: v.enforcementLevel,
        message: `aws:s3/bucket:Bucket "${v.resourceName}": versioning is off. Fix: enable it.`,
        urn: resources.find((r) => r.name === v.resourceName)?.urn,
        resourceType: "aws:s3/bucket:Bucket",
        resourceName: v.resourceName,
      })),
  };
  return { deps, seen };
}

async function plan(argv: string[], deps: PlanDeps) {
  const io = recordingIo();
  const code = await main(["plan", ...argv], { io, planDeps: deps });
  return { code, out: io.stdout.join("\n"), err: io.stderr.join("\n") };
}

describe("plan (stubbed evaluator and policy pack)", () => {
  it("plans in order, answering each stack's references with the upstream stacks' outputs", async () => {
    const s = stub();
    const r = await plan(["--env", "dev"], s.deps);
    expect(r.code).toBe(0);
    expect(s.seen).toEqual([
      { stack: "core-dev", upstream: [] },
      { stack: "metadata-dev", upstream: ["core-dev"] },
      { stack: "pipelines-dev", upstream: ["core-dev", "metadata-dev"] },
      { stack: "glue_database-dev", upstream: ["core-dev", "metadata-dev", "pipelines-dev"] },
    ]);
    expect(r.out).toContain("core-dev: 1 resource, planned in");
    expect(r.out).toMatch(/aws:s3\/bucket:Bucket\s+core-bucket\s+bucket=mojap-core-dev\n/);
    expect(r.out).toContain("<-- pipelines_base-dev: skipped: pipelines_base has no stack in dev");
    expect(r.out).toContain("4 succeeded, 0 failed, 1 skipped. Exit code 0.");
  });

  it("exits 1 on a mandatory violation, naming the resource; advisory ones do not fail", async () => {
    const s = stub({
      violations: {
        "core-prod": [{ enforcementLevel: "mandatory", resourceName: "core-bucket" }],
        "metadata-prod": [{ enforcementLevel: "advisory", resourceName: "metadata-bucket" }],
      },
    });
    const r = await plan(["--env", "prod", "--json"], s.deps);
    expect(r.code).toBe(1);
    expect(r.err).toContain(
      '[mandatory] s3-bucket-versioning-enabled: aws:s3/bucket:Bucket "core-bucket": versioning is off. Fix: enable it.',
    );
    const doc = JSON.parse(r.out);
    const byStack = Object.fromEntries(doc.stacks.map((x: { stack: string }) => [x.stack, x]));
    expect(byStack["core-prod"]).toMatchObject({
      status: "failed",
      reason: "1 mandatory policy violation",
    });
    expect(byStack["metadata-prod"].status).toBe("succeeded");
    expect(byStack["metadata-prod"].policyViolations).toHaveLength(1);
    // A policy failure does not stop the dependents from being planned.
    expect(byStack["glue_database-prod"].status).toBe("succeeded");
    expect(byStack["core-prod"].resources).toEqual([
      {
        type: "aws:s3/bucket:Bucket",
        name: "core-bucket",
        urn: "urn:pulumi:core-prod::core::aws:s3/bucket:Bucket::core-bucket",
        protect: true,
        keyInputs: { bucket: "mojap-core-prod" },
        // --json carries every input (tools/stacks/engine/inputs.ts).
        inputs: { bucket: "mojap-core-prod", tags: { a: "b" } },
      },
    ]);
  });

  it("exits 1 on a program error and skips the stacks that depend on it", async () => {
    const s = stub({ failing: "core-preprod" });
    const r = await plan(["--env", "all"], s.deps);
    expect(r.code).toBe(1);
    expect(s.seen.map((x) => x.stack)).not.toContain("metadata-preprod");
    expect(r.out).toContain(
      "core-preprod: core:bucketNamePrefix: expected 3 to 32 lower-case letters",
    );
    expect(r.out).toContain(
      "<-- metadata-preprod: skipped: it depends on core-preprod, which failed",
    );
    expect(r.out).toContain("<-- core-prod: plan succeeded");
    expect(r.out).toContain("9 succeeded, 1 failed, 5 skipped. Exit code 1.");
  });

  it("tells an invalid policy-config.json once and fails every stack, still planning them all", async () => {
    const s = stub({ badPolicyConfig: true });
    const r = await plan(["--env", "dev"], s.deps);
    expect(r.code).toBe(1);
    expect(r.err).toBe(
      'The policy pack cannot run: Invalid policy config policy-config.json:\n  - "nope": unknown policy',
    );
    expect(s.seen).toHaveLength(4);
    expect(r.out).toContain(
      "core-dev: the policy pack did not run: policy-config.json is invalid (see the error above)",
    );
  });
});

describe("keyInputs", () => {
  it("shows what identifies a resource, scalars only, shortened", () => {
    expect(
      keyInputs({
        type: "aws:lambda/function:Function",
        inputs: { name: "f", runtime: "nodejs22.x", memorySize: 256, code: {} },
      }),
    ).toEqual({
      name: "f",
      runtime: "nodejs22.x",
      memorySize: "256",
    });
    expect(
      keyInputs({ type: "aws:unknown/thing:Thing", inputs: { name: "x".repeat(100) } }).name,
    ).toHaveLength(80);
  });
});

describe("interruptBudgetFlag", () => {
  it("raises V8's optimisation budget to sixteen times node 20's default", () => {
    expect(interruptBudgetFlag(["--require", "./tools/stacks/register.js"], "")).toBe(
      "--interrupt-budget=1081344",
    );
    expect(interruptBudgetFlag([], undefined)).toBe("--interrupt-budget=1081344");
  });

  it("keeps a budget given to node on its command line or in NODE_OPTIONS", () => {
    expect(interruptBudgetFlag(["--interrupt-budget=1000"], "")).toBeUndefined();
    expect(interruptBudgetFlag(["--interrupt_budget", "1000"], "")).toBeUndefined();
    expect(interruptBudgetFlag([], "--max-old-space-size=4096 --interrupt-budget=1000")).toBe(
      undefined,
    );
    expect(interruptBudgetFlag(["--interrupt-budget-factor-for-feedback-allocation=8"], "")).toBe(
      "--interrupt-budget=1081344",
    );
  });
});
