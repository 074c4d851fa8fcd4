/**
 * The offline plan on the real projects, with the real evaluator and policy pack, and on
 * deliberately broken inputs (an upstream stack that does not export what is read, a bad
 * stack config). One file, so that the Pulumi SDKs load once.
 */
import { evaluateStack } from "../../../lib/plan/evaluate";
import { readStackConfig } from "../../../lib/model/stackFile";
import { main } from "../cli";
import { LOCALSTACK_SERVICES } from "../pulumi/local";
import { recordingIo } from "../report/io";
import { type PlanDeps, defaultPlanDeps } from "./plan";

jest.setTimeout(120_000);

async function plan(argv: string[], planDeps?: PlanDeps) {
  const io = recordingIo();
  const code = await main(["plan", ...argv, "--json"], { io, planDeps });
  return { code, doc: JSON.parse(io.stdout.join("\n")), human: io.stderr.join("\n") };
}

interface StackJson {
  stack: string;
  status: string;
  reason?: string;
  errors: string[];
  resources?: { type: string; name: string; keyInputs: Record<string, string> }[];
  policyViolations: { enforcementLevel: string; message: string }[];
}

const stacksOf = (doc: { stacks: StackJson[] }) =>
  Object.fromEntries(doc.stacks.map((s) => [s.stack, s]));

/** The endpoint services behind each @pulumi/aws module whose resources the stacks create. */
const ENDPOINTS_OF_MODULE: Record<string, string[]> = {
  cloudwatch: ["cloudwatch", "logs", "events"],
  vpc: ["ec2"],
};

describe("plan on the real projects", () => {
  /** `plan --env prod --json`, run once for the two tests that read it. */
  let prod: ReturnType<typeof plan> | undefined;
  const planProd = () => (prod ??= plan(["--env", "prod"]));

  it("points --local at LocalStack for every AWS service a stack uses", async () => {
    const r = await planProd();
    const modules = new Set<string>(
      r.doc.stacks.flatMap((s: StackJson) =>
        (s.resources ?? [])
          .filter((x) => x.type.startsWith("aws:"))
          .map((x) => x.type.split(":")[1].split("/")[0]),
      ),
    );
    const needed = [...modules].flatMap((m) => ENDPOINTS_OF_MODULE[m] ?? [m]);
    expect(needed.filter((s) => !(LOCALSTACK_SERVICES as readonly string[]).includes(s))).toEqual(
      [],
    );
  });

  it("plans every prod stack in order, with no program error and no mandatory violation", async () => {
    const r = await planProd();
    const problems = r.doc.stacks.flatMap((s: StackJson) => [
      ...s.errors,
      ...s.policyViolations.filter((v) => v.enforcementLevel === "mandatory").map((v) => v.message),
    ]);
    expect(problems).toEqual([]);
    expect(r.code).toBe(0);
    const stacks = stacksOf(r.doc);
    expect(Object.keys(stacks)).toEqual([
      "core-prod",
      "pipelines_base-prod",
      "metadata-prod",
      "pipelines-prod",
      "glue_database-prod",
    ]);
    for (const [name, s] of Object.entries(stacks))
      if (name !== "metadata-prod") expect(s.resources!.length).toBeGreaterThan(5);
    // metadata: one bundle per database, whatever the table count (issue 20), and its provider.
    expect(stacks["metadata-prod"].resources!.map((x) => `${x.type} ${x.name}`).sort()).toEqual([
      "aws:s3/bucketObjectv2:BucketObjectv2 delius-bundle",
      "aws:s3/bucketObjectv2:BucketObjectv2 oasys-bundle",
      "pulumi:providers:aws aws",
    ]);
    const roles = stacks["pipelines-prod"]
      .resources!.filter((x) => x.type === "aws:iam/role:Role")
      .map((x) => x.name);
    expect(roles).toEqual(expect.arrayContaining(["delius-dms-role", "oasys-dms-role"]));
    expect(stacks["core-prod"].resources).toContainEqual(
      expect.objectContaining({
        type: "aws:s3/bucket:Bucket",
        keyInputs: expect.objectContaining({ bucket: "mojap-dataeng-raw-history-prod" }),
      }),
    );
    expect(r.human).toContain("<-- glue_database-prod: plan succeeded");
  });

  it("fails naming both stacks and the key when an upstream stack does not export what is read", async () => {
    const real = defaultPlanDeps();
    const deps: PlanDeps = {
      ...real,
      evaluate: async (project, env, options) => {
        const result = await real.evaluate(project, env, options);
        if (result.stack !== "core-dev") return result;
        const { failBucketName: _dropped, ...outputs } = result.outputs;
        return { ...result, outputs };
      },
    };
    const r = await plan(["--env", "dev"], deps);
    expect(r.code).toBe(1);
    const stacks = stacksOf(r.doc);
    expect(stacks["core-dev"].status).toBe("succeeded");
    expect(stacks["metadata-dev"].status).toBe("succeeded");
    expect(stacks["pipelines-dev"].status).toBe("failed");
    expect(stacks["pipelines-dev"].errors.join("\n")).toContain(
      'pipelines-dev: it reads output "failBucketName" of stack core-dev, which core-dev does not export',
    );
    expect(r.human).toContain('it reads output "failBucketName" of stack core-dev');
  });

  it("fails with the stack file and the key on a bad config, and skips the dependents", async () => {
    const real = defaultPlanDeps();
    const deps: PlanDeps = {
      ...real,
      evaluate: (project, env, options) => {
        if (project !== "core") return real.evaluate(project, env, options);
        const config = readStackConfig(project, env);
        return evaluateStack(project, env, {
          ...options,
          config: { ...config, values: { ...config.values, "core:bucketNamePrefix": "Not_Valid" } },
        });
      },
    };
    const r = await plan(["--env", "preprod", "--project", "core", "--project", "metadata"], deps);
    expect(r.code).toBe(1);
    const stacks = stacksOf(r.doc);
    expect(stacks["core-preprod"].errors.join("\n")).toMatch(
      /core\/Pulumi\.core-preprod\.yaml.*core:bucketNamePrefix/s,
    );
    expect(stacks["metadata-preprod"]).toMatchObject({
      status: "skipped",
      reason: "it depends on core-preprod, which failed",
    });
  });

  it("says to plan the upstream stack first when it is not selected", async () => {
    const r = await plan(["--env", "dev", "--project", "glue_database"]);
    expect(r.code).toBe(1);
    expect(stacksOf(r.doc)["glue_database-dev"].errors.join("\n")).toContain(
      'glue_database-dev: it references stack "organization/core/core-dev", which has not been planned',
    );
  });
});
