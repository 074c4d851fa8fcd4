/**
 * What `npm run stacks -- new` (tools/stacks/commands/new.ts) runs: tools/scaffold/scaffold.ts
 * with its output. Exit codes as the rest of `stacks`: 0 created; 1 a write
 * failed (and was rolled back); 2 bad input (nothing changed).
 */
import { type Io } from "../stacks/report/io";
import { ScaffoldError, newProject } from "./scaffold";
import { RegistryShapeError } from "./registry";

/** Creates the project and prints what it wrote, or why nothing was written. */
export async function createProject(
  parsed: { project: string; dependsOn?: string[]; envs?: string },
  deps: { io: Io; repoRoot: string },
): Promise<number> {
  const { io } = deps;
  try {
    const result = await newProject({
      root: deps.repoRoot,
      project: parsed.project,
      dependsOn: parsed.dependsOn,
      envs: parsed.envs?.split(",").map((e) => e.trim()),
    });
    io.out(`Created ${parsed.project}:`);
    for (const f of result.created) io.out(`  + ${f}`);
    for (const f of result.changed) io.out(`  ~ ${f}`);
    io.out(
      `Next: replace the TODOs (purpose in ${parsed.project}/README.md, Pulumi.yaml and program.ts; ` +
        `each new edge's "why" in lib/model/graph.ts), add its row to README.md's project table, ` +
        `then "npm run stacks -- plan --env ${result.envs[0]} --project ${parsed.project} --with-dependencies".`,
    );
    return 0;
  } catch (e) {
    if (e instanceof ScaffoldError || e instanceof RegistryShapeError) {
      io.err(`stacks new: ${e.message} Nothing was changed.`);
      return 2;
    }
    io.err((e as Error).message);
    return 1;
  }
}
