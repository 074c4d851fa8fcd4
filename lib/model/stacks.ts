/**
 * The one place that says which environments and projects exist, which project has a
 * stack in which environment, and how stacks are named. Loaded by the orchestrator's
 * fast paths too, so it must not import any Pulumi SDK. `npm run stacks -- new` (tools/scaffold)
 * adds a project by editing PROJECTS and STACK_ENVIRONMENTS through the TypeScript compiler API:
 * keep them literals (an array of strings; an object of ENVIRONMENTS or arrays of strings).
 */
import * as path from "node:path";

export const ENVIRONMENTS = ["dev", "preprod", "prod"] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/** Projects in first-deployment order; also the tie-break order of the dependency graph. */
export const PROJECTS = [
  "core",
  "pipelines_base",
  "metadata",
  "pipelines",
  "glue_database",
] as const;
export type Project = (typeof PROJECTS)[number];

/** The source databases that DMS extracts. */
export const DATABASES = ["delius", "oasys"] as const;
export type Database = (typeof DATABASES)[number];

/**
 * Environments in which each project has a stack. pipelines_base holds account-level DMS
 * prerequisites and one AWS account holds all three environments, so it exists once, in prod.
 */
export const STACK_ENVIRONMENTS: Readonly<Record<Project, readonly Environment[]>> = {
  core: ENVIRONMENTS,
  pipelines_base: ["prod"],
  metadata: ENVIRONMENTS,
  pipelines: ENVIRONMENTS,
  glue_database: ENVIRONMENTS,
};

/** Preprod and prod hold real data: stateful resources there are protected and retained. */
export const PROTECTED_ENVIRONMENTS: readonly Environment[] = ["preprod", "prod"];

export const DEFAULT_BACKEND_URL = "s3://analytical-platform-data-engineering-pulumi-backend";

/** The repository root (this file lives in <root>/lib/model). */
export const REPO_ROOT = path.resolve(__dirname, "../..");

export function isEnvironment(value: string): value is Environment {
  return (ENVIRONMENTS as readonly string[]).includes(value);
}

export function isProject(value: string): value is Project {
  return (PROJECTS as readonly string[]).includes(value);
}

export function hasStack(project: Project, env: Environment): boolean {
  return STACK_ENVIRONMENTS[project].includes(env);
}

/** `core-dev`: every project shares one backend, so stack names carry the project. */
export function stackName(project: Project, env: Environment): string {
  return `${project}-${env}`;
}

/** The name a StackReference uses on the self-managed (S3 or file) backend. */
export function stackReferenceName(project: Project, env: Environment): string {
  return `organization/${project}/${stackName(project, env)}`;
}

/** Splits `core-dev` back into its project and environment, or returns undefined. */
export function parseStackName(name: string): { project: Project; env: Environment } | undefined {
  const cut = name.lastIndexOf("-");
  const project = name.slice(0, cut);
  const env = name.slice(cut + 1);
  return cut > 0 && isProject(project) && isEnvironment(env) ? { project, env } : undefined;
}

export function projectDir(project: Project, root: string = REPO_ROOT): string {
  return path.join(root, project);
}

/** `<root>/core/Pulumi.core-dev.yaml` */
export function stackFilePath(
  project: Project,
  env: Environment,
  root: string = REPO_ROOT,
): string {
  return path.join(projectDir(project, root), `Pulumi.${stackName(project, env)}.yaml`);
}

export function isProtectedEnvironment(env: Environment): boolean {
  return PROTECTED_ENVIRONMENTS.includes(env);
}
