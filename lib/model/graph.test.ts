import {
  EDGES,
  deploymentOrder,
  dependenciesOf,
  dependentsOf,
  toMermaid,
  withDependencies,
  withDependents,
  type Edge,
} from "./graph";
import { PROJECTS, type Project } from "./stacks";

describe("the dependency graph", () => {
  it("deploys the projects in exactly the first-deployment order", () => {
    expect(deploymentOrder()).toEqual([
      "core",
      "pipelines_base",
      "metadata",
      "pipelines",
      "glue_database",
    ]);
  });

  it("marks StackReference edges explicit and convention edges implicit", () => {
    expect(EDGES.map((e) => `${e.from}->${e.to}:${e.kind}`)).toEqual([
      "metadata->core:explicit",
      "pipelines->core:explicit",
      "pipelines->metadata:implicit",
      "pipelines->pipelines_base:implicit",
      "glue_database->core:explicit",
      "glue_database->metadata:implicit",
    ]);
  });

  it("puts every dependency before its dependent, whatever the selection order", () => {
    const order = deploymentOrder(["glue_database", "pipelines", "core", "metadata"]);
    expect(order).toEqual(["core", "metadata", "pipelines", "glue_database"]);
    for (const e of EDGES) {
      if (order.includes(e.from) && order.includes(e.to)) {
        expect(order.indexOf(e.to)).toBeLessThan(order.indexOf(e.from));
      }
    }
  });

  it("closes a selection over dependencies and dependents", () => {
    expect([...withDependencies(["glue_database"])].sort()).toEqual([
      "core",
      "glue_database",
      "metadata",
    ]);
    expect([...withDependents(["metadata"])].sort()).toEqual([
      "glue_database",
      "metadata",
      "pipelines",
    ]);
    expect([...withDependents(["core"])].sort()).toEqual([
      "core",
      "glue_database",
      "metadata",
      "pipelines",
    ]);
    expect(dependenciesOf("pipelines")).toEqual(["core", "metadata", "pipelines_base"]);
    expect(dependentsOf("pipelines_base")).toEqual(["pipelines"]);
  });

  it("refuses a cycle, naming the projects in it", () => {
    const cyclic: Edge[] = [
      ...EDGES,
      { from: "core", to: "glue_database", kind: "implicit", why: "test" },
    ];
    expect(() => deploymentOrder(undefined, cyclic)).toThrow(
      "The dependency graph has a cycle among: core, metadata, pipelines, glue_database",
    );
  });

  it("orders a project list given to it, as tools/scaffold does before writing a new project", () => {
    const projects = [...PROJECTS, "reports"] as Project[];
    const edge = (from: string, to: string) =>
      ({ from, to, kind: "explicit", why: "test" }) as Edge;
    const edges = [edge("reports", "core"), ...EDGES];
    expect(deploymentOrder(projects, edges, projects)).toEqual([
      "core",
      "pipelines_base",
      "metadata",
      "pipelines",
      "glue_database",
      "reports",
    ]);
    expect(() =>
      deploymentOrder(projects, [...edges, edge("reports", "reports")], projects),
    ).toThrow("The dependency graph has a cycle among: reports");
  });

  it("renders Mermaid with dotted arrows for implicit edges", () => {
    expect(toMermaid()).toBe(
      [
        "flowchart LR",
        "  metadata -->|explicit| core",
        "  pipelines -->|explicit| core",
        "  pipelines -.->|implicit| metadata",
        "  pipelines -.->|implicit| pipelines_base",
        "  glue_database -->|explicit| core",
        "  glue_database -.->|implicit| metadata",
      ].join("\n"),
    );
  });
});
