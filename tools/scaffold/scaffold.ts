/**
 * `stacks new`: creates a Pulumi project the way the repository's five are laid out and
 * registers it (lib/model/stacks.ts, lib/model/graph.ts, README.md's graph). Everything is
 * validated and every file's new content computed before the first write; if a write fails,
 * the files written so far are put back and the new folder removed.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as babel from "prettier/plugins/babel";
import * as estree from "prettier/plugins/estree";
import * as markdown from "prettier/plugins/markdown";
import * as typescript from "prettier/plugins/typescript";
import * as yamlPlugin from "prettier/plugins/yaml";
import * as prettier from "prettier/standalone";
import { parse } from "yaml";
import { type Edge, type EdgeKind, deploymentOrder, toMermaid } from "../../lib/model/graph";
import { type Project } from "../../lib/model/stacks";
import { README_FILE, writeDocsGraph } from "./docsGraph";
import { pulumiProjectNameProblem, repositoryProjectNameProblem } from "./names";
import {
  GRAPH_FILE,
  type Registry,
  type RegistryEdge,
  STACKS_FILE,
  addEdges,
  addProject,
  readRegistry,
} from "./registry";
import { projectFiles } from "./templates";

export interface NewProjectRequest {
  /** The repository root to change. */
  readonly root: string;
  readonly project: string;
  readonly dependsOn?: readonly string[];
  /** Default: every environment. */
  readonly envs?: readonly string[];
  /** How files are written (tests make it fail to check the rollback). */
  readonly writeFile?: (file: string, text: string) => void;
}

export interface NewProjectResult {
  /** Relative paths, in the order written. */
  readonly created: string[];
  readonly changed: string[];
  /** The environments it has stacks in. */
  readonly envs: string[];
}

/** Bad input: nothing was changed. */
export class ScaffoldError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ScaffoldError";
  }
}

export const WHY_PLACEHOLDER = "TODO which outputs it reads from this project";

export async function newProject(request: NewProjectRequest): Promise<NewProjectResult> {
  const { root, project } = request;
  const read = (file: string) => fs.readFileSync(path.join(root, file), "utf8");
  const registry = readRegistry(read(STACKS_FILE), read(GRAPH_FILE));
  checkName(root, project, registry);
  const envs = checkEnvs(project, request.envs, registry);
  const dependsOn = checkDependencies(project, request.dependsOn ?? [], envs, registry);
  const newEdges: RegistryEdge[] = dependsOn.map((to) => ({
    from: project,
    to,
    kind: "explicit" as EdgeKind,
    why: WHY_PLACEHOLDER,
  }));
  const projects = [...registry.projects, project] as Project[];
  const edges = [...registry.edges, ...newEdges] as Edge[];
  let order: Project[];
  try {
    order = deploymentOrder(projects, edges, projects);
  } catch (e) {
    throw new ScaffoldError(
      `--depends-on ${dependsOn.join(" ")} would make a cycle: ${(e as Error).message}.`,
    );
  }
  const regions = Object.fromEntries(envs.map((env) => [env, regionOf(root, env, registry)]));

  const created = projectFiles({ project, envs, dependsOn, regions });
  const changed: Record<string, string> = {
    [STACKS_FILE]: addProject(read(STACKS_FILE), project, envs),
    [GRAPH_FILE]: addEdges(read(GRAPH_FILE), newEdges),
    [README_FILE]: writeDocsGraph(read(README_FILE), toMermaid(edges), order),
  };
  const writes: Record<string, string> = {};
  for (const [file, text] of Object.entries({ ...created, ...changed })) {
    writes[file] = await format(root, file, text);
  }
  const check = readRegistry(writes[STACKS_FILE], writes[GRAPH_FILE]);
  if (!check.projects.includes(project) || check.edges.length !== edges.length) {
    throw new Error(
      `stacks new: the edited registry does not hold ${project}; nothing was written`,
    );
  }
  writeAll(root, project, writes, request.writeFile ?? ((f, t) => fs.writeFileSync(f, t)));
  return { created: Object.keys(created), changed: Object.keys(changed), envs };
}

function checkName(root: string, project: string, registry: Registry): void {
  const pulumi = pulumiProjectNameProblem(project);
  if (pulumi) {
    throw new ScaffoldError(
      `"${project}" is not a valid Pulumi project name: ${pulumi} (the rule of Pulumi v3.248.0, sdk/go/common/tokens/project.go).`,
    );
  }
  const ours = repositoryProjectNameProblem(project, registry.environments);
  if (ours) throw new ScaffoldError(`"${project}" is not a valid project name: ${ours}.`);
  if (registry.projects.includes(project)) {
    throw new ScaffoldError(
      `project "${project}" already exists (${STACKS_FILE}, PROJECTS: ${registry.projects.join(", ")}); choose another name.`,
    );
  }
  if (fs.existsSync(path.join(root, project))) {
    throw new ScaffoldError(
      `a file or folder "${project}" already exists at the repository root; choose another name or move it.`,
    );
  }
}

function checkEnvs(
  project: string,
  envs: readonly string[] | undefined,
  registry: Registry,
): string[] {
  if (envs === undefined) return [...registry.environments];
  const unknown = envs.filter((e) => !registry.environments.includes(e));
  if (unknown.length > 0) {
    throw new ScaffoldError(
      `unknown environment "${unknown[0]}" in --envs; valid environments: ${registry.environments.join(", ")}.`,
    );
  }
  if (envs.length === 0) {
    throw new ScaffoldError(
      `--envs is empty: ${project} needs a stack in at least one environment.`,
    );
  }
  return registry.environments.filter((e) => envs.includes(e));
}

function checkDependencies(
  project: string,
  dependsOn: readonly string[],
  envs: readonly string[],
  registry: Registry,
): string[] {
  const unique = [...new Set(dependsOn)];
  for (const dep of unique) {
    if (dep === project) continue; // the cycle check names it
    if (!registry.projects.includes(dep)) {
      throw new ScaffoldError(
        `unknown dependency "${dep}" in --depends-on; existing projects: ${registry.projects.join(", ")}.`,
      );
    }
    const missing = envs.filter((e) => !registry.stackEnvironments[dep].includes(e));
    if (missing.length > 0) {
      throw new ScaffoldError(
        `${project} would have a stack in ${missing.join(", ")}, where its dependency ${dep} has none ` +
          `(${dep}'s stacks: ${registry.stackEnvironments[dep].join(", ")}); narrow --envs or drop the dependency.`,
      );
    }
  }
  return unique;
}

/** `aws:region` as the first registered project with a stack in `env` sets it. */
function regionOf(root: string, env: string, registry: Registry): string {
  for (const p of registry.projects.filter((p) => registry.stackEnvironments[p].includes(env))) {
    const file = path.join(root, p, `Pulumi.${p}-${env}.yaml`);
    const region = fs.existsSync(file)
      ? (parse(fs.readFileSync(file, "utf8")) as { config?: Record<string, unknown> })?.config?.[
          "aws:region"
        ]
      : undefined;
    if (typeof region === "string") return region;
  }
  throw new ScaffoldError(
    `no existing stack file in ${env} sets aws:region, so the new stack file's region is unknown; add one first.`,
  );
}

/**
 * Formats as `npm run lint` checks it. Prettier's standalone build with its plugins: the main
 * entry loads itself through a dynamic import, which jest's CommonJS runtime cannot run. The
 * options are the repository's .prettierrc.json (its only prettier config).
 */
async function format(root: string, file: string, text: string): Promise<string> {
  const options = JSON.parse(fs.readFileSync(path.join(root, ".prettierrc.json"), "utf8"));
  return prettier.format(text, {
    ...options,
    filepath: file,
    plugins: [babel, estree, markdown, typescript, yamlPlugin],
  });
}

function writeAll(
  root: string,
  project: string,
  writes: Record<string, string>,
  writeFile: (file: string, text: string) => void,
): void {
  const dir = path.join(root, project);
  const originals = new Map<string, string>();
  let made = false;
  try {
    fs.mkdirSync(dir);
    made = true;
    for (const [file, text] of Object.entries(writes)) {
      const full = path.join(root, file);
      if (fs.existsSync(full)) originals.set(full, fs.readFileSync(full, "utf8"));
      writeFile(full, text);
    }
  } catch (e) {
    for (const [full, text] of originals) fs.writeFileSync(full, text);
    if (made) fs.rmSync(dir, { recursive: true, force: true });
    throw new Error(
      `stacks new: writing ${project} failed (${(e as Error).message}); every file was put back as it was.`,
    );
  }
}
