/**
 * The dependency graph between projects, declared once as data. The orchestrator, CI and
 * the docs all read the order from here. No Pulumi SDK imports: the CLI's fast paths use it.
 * `npm run stacks -- new` (tools/scaffold) adds edges to EDGES by editing this file through the
 * TypeScript compiler API: keep EDGES an array literal of object literals with string values.
 */
import { PROJECTS, type Project } from "./stacks";

/**
 * explicit: the dependent reads the dependency's outputs through a StackReference.
 * implicit: the dependent relies on the dependency by convention (fixed names, shared files),
 * so the engine cannot see it, but it must still be deployed first.
 */
export type EdgeKind = "explicit" | "implicit";

export interface Edge {
  /** The project that depends. */
  readonly from: Project;
  /** The project it depends on, deployed first. */
  readonly to: Project;
  readonly kind: EdgeKind;
  readonly why: string;
}

export const EDGES: readonly Edge[] = [
  { from: "metadata", to: "core", kind: "explicit", why: "metadata bucket and KMS key" },
  { from: "pipelines", to: "core", kind: "explicit", why: "buckets, KMS key, alerts topic" },
  {
    from: "pipelines",
    to: "metadata",
    kind: "implicit",
    why: "the validation Lambda reads the table metadata that metadata publishes",
  },
  {
    from: "pipelines",
    to: "pipelines_base",
    kind: "implicit",
    why: "AWS-fixed DMS role names, replication subnet group and security group names",
  },
  { from: "glue_database", to: "core", kind: "explicit", why: "raw-history bucket" },
  { from: "glue_database", to: "metadata", kind: "implicit", why: "the same metadata files" },
];

export function dependenciesOf(project: Project): Project[] {
  return EDGES.filter((e) => e.from === project).map((e) => e.to);
}

export function dependentsOf(project: Project): Project[] {
  return EDGES.filter((e) => e.to === project).map((e) => e.from);
}

/** The projects plus everything they depend on, transitively. */
export function withDependencies(projects: Iterable<Project>): Set<Project> {
  return closure(projects, dependenciesOf);
}

/** The projects plus everything that depends on them, transitively. */
export function withDependents(projects: Iterable<Project>): Set<Project> {
  return closure(projects, dependentsOf);
}

function closure(start: Iterable<Project>, next: (p: Project) => Project[]): Set<Project> {
  const seen = new Set<Project>();
  const todo = [...start];
  while (todo.length > 0) {
    const p = todo.pop()!;
    if (!seen.has(p)) {
      seen.add(p);
      todo.push(...next(p));
    }
  }
  return seen;
}

/**
 * A topological order (dependencies first) of the given projects, ties broken by the order of
 * `projects` (PROJECTS'); edges to projects outside the selection are ignored. Throws on a
 * cycle. tools/scaffold passes a registry that is not written yet, to refuse a cycle first.
 */
export function deploymentOrder(
  selection: Iterable<Project> = PROJECTS,
  edges: readonly Edge[] = EDGES,
  projects: readonly Project[] = PROJECTS,
): Project[] {
  const selected = new Set(selection);
  const order: Project[] = [];
  const done = new Set<Project>();
  while (done.size < selected.size) {
    const ready = projects.find(
      (p) =>
        selected.has(p) &&
        !done.has(p) &&
        edges.every((e) => e.from !== p || !selected.has(e.to) || done.has(e.to)),
    );
    if (ready === undefined) {
      const stuck = projects.filter((p) => selected.has(p) && !done.has(p));
      throw new Error(`The dependency graph has a cycle among: ${stuck.join(", ")}`);
    }
    order.push(ready);
    done.add(ready);
  }
  return order;
}

/** The graph as a Mermaid flowchart: an arrow from each project to what it depends on. */
export function toMermaid(edges: readonly Edge[] = EDGES): string {
  const lines = ["flowchart LR"];
  for (const e of edges) {
    const arrow = e.kind === "explicit" ? "-->" : "-.->";
    lines.push(`  ${e.from} ${arrow}|${e.kind}| ${e.to}`);
  }
  return lines.join("\n");
}
