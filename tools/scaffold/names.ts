/**
 * Which project names `stacks new` accepts: Pulumi's own rule first, then what this repository's
 * stack naming and layout need. Each function returns the problem as a sentence, or undefined.
 */

/** Pulumi's limit on stack names, which `<project>-<env>` must respect. */
const STACK_NAME_LIMIT = 100;

/**
 * Pulumi's rule, ported from v3.248.0 (github.com/pulumi/pulumi, tag v3.248.0):
 * sdk/go/common/tokens/project.go `ValidateProjectName` (not empty, at most 100 characters,
 * only `[A-Za-z0-9_.-]`, the pattern of sdk/go/common/tokens/names.go `IsName`) and
 * pkg/workspace/templates.go `ValidateProjectName` (`pulumi new` and `pulumi up` also refuse
 * `pulumi` and the prefix `pulumi.`, case-insensitively). The messages are Pulumi's.
 */
export function pulumiProjectNameProblem(name: string): string | undefined {
  if (name === "") return "project names may not be empty";
  if (name.length > 100) return "project names are limited to 100 characters";
  if (!/^[A-Za-z0-9_.-]+$/.test(name)) {
    return "project names may only contain alphanumerics, hyphens, underscores, and periods";
  }
  const lower = name.toLowerCase();
  if (lower === "pulumi" || lower.startsWith("pulumi.")) {
    return (
      "project name must not be `Pulumi` and must not start with the prefix `Pulumi.` " +
      "to avoid collision with standard libraries"
    );
  }
  return undefined;
}

/**
 * This repository's rule, on top of Pulumi's: lower-case letters, digits and underscores,
 * starting with a letter (as core, pipelines_base, glue_database). The name becomes the folder,
 * the stack names `<project>-<env>` (split back on the last "-" by parseStackName, so a "-" in a
 * project reads ambiguously: is `a-dev-prod` project `a-dev` or `a`?), the config namespace
 * `<project>:<key>`, a TypeScript property key in lib/model/stacks.ts and the program's function
 * name; upper case would also make folders differ only by case on case-insensitive disks.
 * Each stack name must stay within Pulumi's 100 characters (sdk/go/common/tokens/stack_name.go,
 * v3.248.0: "a stack name cannot exceed 100 characters").
 */
export function repositoryProjectNameProblem(
  name: string,
  environments: readonly string[],
): string | undefined {
  if (!/^[a-z][a-z0-9_]*$/.test(name)) {
    return (
      "project names here are lower-case letters, digits and underscores, starting with a letter " +
      '(like "glue_database"), because the name is also the folder, the config namespace and ' +
      'part of every stack name "<project>-<env>"'
    );
  }
  const longestEnv = Math.max(...environments.map((e) => e.length));
  const limit = STACK_NAME_LIMIT - 1 - longestEnv;
  if (name.length > limit) {
    return `project names here are limited to ${limit} characters, so that "<project>-<env>" stays within Pulumi's 100-character stack names`;
  }
  return undefined;
}

/** `glue_database` → `glueDatabase`: the program function is `<camel>Program`. */
export function camelCase(name: string): string {
  return name.replace(/_+([a-z0-9])/g, (_, c: string) => c.toUpperCase()).replace(/_+$/, "");
}
