import * as fs from "node:fs";
import * as path from "node:path";
import { loadPolicyConfig } from "../runner";
import { policies } from "../policies";
import { T, inputs, add, remove } from "./changes";
import { cases, controls } from "./cases";
import { type RedTeamCase, programChanges } from "./harness";

// The full run plans every case (npm run redteam, run.test.ts); these checks keep the cases
// honest cheaply.
describe("red-team cases", () => {
  const config = loadPolicyConfig();

  it("have unique ids and name a mandatory policy of the pack", () => {
    const ids = [...cases, ...controls].map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    const wrong = cases.filter(
      (c) =>
        !policies.some((p) => p.name === c.blockedBy) ||
        config.policies.get(c.blockedBy)?.enforcementLevel !== "mandatory",
    );
    expect(wrong.map((c) => `${c.id}: ${c.blockedBy}`)).toEqual([]);
    expect(controls.every((c) => c.blockedBy === "")).toBe(true);
    const exempted = controls.flatMap((c) => (c.exempted === undefined ? [] : [c.exempted]));
    expect(exempted.length).toBeGreaterThan(0);
    expect(exempted.filter((n) => !policies.some((p) => p.name === n))).toEqual([]);
  });

  it("cover at least 90 mistakes, and every mandatory policy that judges a program's mistake", () => {
    expect(cases.length).toBeGreaterThanOrEqual(90);
    const named = new Set(cases.map((c) => c.blockedBy));
    // The provider and tags come from one helper (lib/infra/context.ts); a program cannot get them
    // wrong by a few lines. Public bucket and queue policies are in cases of the shared judge.
    const exempt = [
      "aws-provider-default-tags",
      "aws-provider-allowed-region",
      "required-tags",
      "s3-bucket-policy-no-public-access",
      "sqs-queue-policy-no-public-access",
    ];
    const missing = policies
      .filter((p) => config.policies.get(p.name)?.enforcementLevel === "mandatory")
      .map((p) => p.name)
      .filter((n) => !named.has(n) && !exempt.includes(n));
    expect(missing).toEqual([]);
  });

  it("name resources by type token and logical name, never a file or its text", () => {
    const token = /^(pulumi:providers:\w+|[\w-]+:[\w-]+(\/[\w-]+)?:\w+)$/;
    const targets = [...cases, ...controls].flatMap((c) =>
      c.changes.flatMap((x) => (x.kind === "add" ? [] : [`${c.id} ${x.target.type}`])),
    );
    expect(targets.length).toBeGreaterThan(60);
    expect(targets.filter((t) => !token.test(t.split(" ")[1]))).toEqual([]);
    for (const file of ["cases.ts", "changes.ts", "harness.ts"]) {
      const text = fs.readFileSync(path.join(__dirname, file), "utf8");
      expect({ file, paths: text.match(/["'`][\w./-]+\.ts["'`]/g) ?? [] }).toEqual({
        file,
        paths: [],
      });
      expect({ file, fs: /node:fs|readFileSync/.test(text) }).toEqual({ file, fs: false });
    }
  });
});

describe("a case's changes", () => {
  const c = (changes: RedTeamCase["changes"]): RedTeamCase => ({
    id: "test-case",
    mistake: "a test",
    project: "pipelines",
    changes,
    blockedBy: "dms-replication-instance-multi-az",
  });
  // What the SDK hands the planner's transforms for one registration.
  const register = (plan: ReturnType<typeof programChanges>, name: string, props = {}) =>
    plan.changes.transforms![0]({ type: T.instance, name, custom: true, props, opts: {} });

  it("change the inputs of the resource they name, and only that one", () => {
    const plan = programChanges(
      c([inputs(T.instance, "delius-replication-instance", (p) => ({ ...p, multiAz: false }))]),
    );
    expect(
      register(plan, "delius-replication-instance", { multiAz: true, kmsKeyArn: "k" }),
    ).toEqual({
      props: { multiAz: false, kmsKeyArn: "k" },
      opts: {},
    });
    expect(register(plan, "oasys-replication-instance", { multiAz: true })).toEqual({
      props: { multiAz: true },
      opts: {},
    });
    expect(() => plan.check()).not.toThrow();
  });

  it("fail loudly when the resource they change is not in the stack (never 'not blocked')", () => {
    const plan = programChanges(c([inputs(T.instance, "delius-instance", (p) => p)]));
    register(plan, "delius-replication-instance");
    expect(() => plan.check()).toThrow(
      "red-team case test-case: pipelines-prod has no aws:dms/replicationInstance:ReplicationInstance named delius-instance; " +
        "the program no longer constructs it, so point the case at the resource that now carries the mistake (policy/redteam/cases.ts)",
    );
  });

  it("fail loudly when a resource they remove, or one an added resource uses, is not there", () => {
    const plan = programChanges(
      c([
        remove(T.publicAccessBlock, /-public-access-block$/),
        add((p) => p.resource(T.role, "notify-role")),
      ]),
    );
    plan.changes.extend!(new Map());
    expect(() => plan.check()).toThrow(
      [
        "red-team case test-case: pipelines-prod has no aws:iam/role:Role named notify-role; the program no longer constructs it, so point the case at the resource that now carries the mistake (policy/redteam/cases.ts)",
        "red-team case test-case: pipelines-prod has no aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock named /-public-access-block$/; the program no longer constructs it, so point the case at the resource that now carries the mistake (policy/redteam/cases.ts)",
      ].join("\n"),
    );
  });
});
