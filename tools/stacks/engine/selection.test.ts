import { selectProjects, selectStacks } from "./selection";

describe("selectStacks", () => {
  it("orders prod's stacks as the graph says, each waiting for its dependencies", () => {
    const s = selectStacks({ envs: ["prod"] });
    expect(s.stacks.map((x) => x.stack)).toEqual([
      "core-prod",
      "pipelines_base-prod",
      "metadata-prod",
      "pipelines-prod",
      "glue_database-prod",
    ]);
    expect(s.skipped).toEqual([]);
    const deps = Object.fromEntries(s.stacks.map((x) => [x.stack, [...x.dependsOn].sort()]));
    expect(deps["core-prod"]).toEqual([]);
    expect(deps["pipelines_base-prod"]).toEqual([]);
    expect(deps["metadata-prod"]).toEqual(["core-prod"]);
    expect(deps["pipelines-prod"]).toEqual(
      expect.arrayContaining(["core-prod", "pipelines_base-prod"]),
    );
    expect(deps["glue_database-prod"]).toEqual(["core-prod", "metadata-prod"]);
  });

  it("skips pipelines_base in dev and preprod, saying why, and never selects another env's stack", () => {
    for (const env of ["dev", "preprod"] as const) {
      const s = selectStacks({ envs: [env] });
      expect(s.stacks.map((x) => x.project)).toEqual([
        "core",
        "metadata",
        "pipelines",
        "glue_database",
      ]);
      expect(s.stacks.every((x) => x.env === env && x.stack.endsWith(`-${env}`))).toBe(true);
      expect(s.stacks.flatMap((x) => x.dependsOn).every((d) => d.endsWith(`-${env}`))).toBe(true);
      expect(s.skipped).toEqual([
        {
          project: "pipelines_base",
          env,
          stack: `pipelines_base-${env}`,
          reason: `pipelines_base has no stack in ${env} (its stacks: prod)`,
        },
      ]);
      expect(s.order).toEqual([
        `core-${env}`,
        `pipelines_base-${env}`,
        `metadata-${env}`,
        `pipelines-${env}`,
        `glue_database-${env}`,
      ]);
    }
  });

  it("runs environment after environment for several envs", () => {
    const s = selectStacks({ envs: ["dev", "prod"], projects: ["core"] });
    expect(s.stacks.map((x) => x.stack)).toEqual(["core-dev", "core-prod"]);
  });

  it("selects only the named projects, or adds their dependencies or dependents", () => {
    expect([...selectProjects({ projects: ["glue_database"] })]).toEqual(["glue_database"]);
    expect(
      selectStacks({ envs: ["dev"], projects: ["glue_database"] }).stacks[0].dependsOn,
    ).toEqual([]);
    expect(
      selectStacks({
        envs: ["prod"],
        projects: ["glue_database"],
        withDependencies: true,
      }).stacks.map((x) => x.project),
    ).toEqual(["core", "metadata", "glue_database"]);
    expect(
      selectStacks({
        envs: ["prod"],
        projects: ["pipelines_base"],
        withDependents: true,
      }).stacks.map((x) => x.project),
    ).toEqual(["pipelines_base", "pipelines"]);
    expect(
      selectStacks({ envs: ["dev"], projects: ["pipelines"], withDependencies: true }).stacks.map(
        (x) => x.project,
      ),
    ).toEqual(expect.arrayContaining(["core", "pipelines"]));
  });

  it("reverses the order and the waits for destroy: dependents first", () => {
    const s = selectStacks({ envs: ["prod"], reverse: true });
    expect(s.stacks.map((x) => x.project)).toEqual([
      "glue_database",
      "pipelines",
      "metadata",
      "pipelines_base",
      "core",
    ]);
    const core = s.stacks.find((x) => x.project === "core")!;
    expect([...core.dependsOn].sort()).toEqual([
      "glue_database-prod",
      "metadata-prod",
      "pipelines-prod",
    ]);
    expect(s.stacks.find((x) => x.project === "glue_database")!.dependsOn).toEqual([]);
  });
});
