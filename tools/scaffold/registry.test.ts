import * as fs from "node:fs";
import * as path from "node:path";
import { EDGES } from "../../lib/model/graph";
import { ENVIRONMENTS, PROJECTS, REPO_ROOT, STACK_ENVIRONMENTS } from "../../lib/model/stacks";
import { GRAPH_FILE, STACKS_FILE, addEdges, addProject, readRegistry } from "./registry";

const stacksText = fs.readFileSync(path.join(REPO_ROOT, STACKS_FILE), "utf8");
const graphText = fs.readFileSync(path.join(REPO_ROOT, GRAPH_FILE), "utf8");

describe("the registry read from the source files", () => {
  it("is exactly what lib/model/stacks.ts and graph.ts export", () => {
    expect(readRegistry(stacksText, graphText)).toEqual({
      environments: [...ENVIRONMENTS],
      projects: [...PROJECTS],
      stackEnvironments: Object.fromEntries(
        Object.entries(STACK_ENVIRONMENTS).map(([p, envs]) => [p, [...envs]]),
      ),
      edges: EDGES.map((e) => ({ ...e })),
    });
  });

  it("says which literal it cannot read, and what to do", () => {
    const computed = stacksText.replace('"glue_database",\n]', '"glue_database",\n  ...MORE,\n]');
    expect(() => readRegistry(computed, graphText)).toThrow(
      'lib/model/stacks.ts: PROJECTS[5] is not a string literal. "stacks new" edits the registry as literals; restore that shape or add the project by hand.',
    );
    const noEdges = graphText.replace("export const EDGES", "export const OTHER");
    expect(() => readRegistry(stacksText, noEdges)).toThrow(
      'lib/model/graph.ts: no "const EDGES = ..." declaration.',
    );
  });
});

describe("adding a project", () => {
  it("appends it to PROJECTS and STACK_ENVIRONMENTS, ENVIRONMENTS when it has every environment", () => {
    const all = readRegistry(
      addProject(stacksText, "reports", ["dev", "preprod", "prod"]),
      graphText,
    );
    expect(all.projects).toEqual([...PROJECTS, "reports"]);
    expect(all.stackEnvironments.reports).toEqual(["dev", "preprod", "prod"]);
    expect(addProject(stacksText, "reports", [...ENVIRONMENTS])).toContain("reports: ENVIRONMENTS");

    const some = readRegistry(addProject(stacksText, "reports", ["prod"]), graphText);
    expect(some.stackEnvironments.reports).toEqual(["prod"]);
  });

  it("keeps every other line of stacks.ts, comments included", () => {
    const edited = addProject(stacksText, "reports", ["prod"]);
    const removed = stacksText.split("\n").filter((l) => !edited.split("\n").includes(l));
    expect(removed).toEqual(['  "glue_database",', "  glue_database: ENVIRONMENTS,"]);
    const added = edited.split("\n").filter((l) => !stacksText.split("\n").includes(l));
    // Unformatted: the scaffold runs prettier over it afterwards.
    expect(added).toEqual([
      '  "glue_database", "reports",',
      '  glue_database: ENVIRONMENTS, reports: ["prod"],',
    ]);
  });

  it("appends edges to EDGES in order", () => {
    const edges = [
      { from: "reports", to: "core", kind: "explicit" as const, why: 'a "quoted" why' },
      { from: "reports", to: "metadata", kind: "explicit" as const, why: "second" },
    ];
    const registry = readRegistry(stacksText, addEdges(graphText, edges));
    expect(registry.edges).toEqual([...EDGES, ...edges]);
  });
});
