/**
 * `npm run stacks -- new <project> [--depends-on <p>...] [--envs dev,preprod,prod]`: the command
 * line of tools/scaffold/scaffold.ts. Exit codes as the rest of `stacks`: 0 created; 1 a write
 * failed (and was rolled back); 2 bad input (nothing changed).
 */
import { Command, CommanderError } from "commander";
import { type Io } from "../stacks/io";
import { ScaffoldError, newProject } from "./scaffold";
import { RegistryShapeError } from "./registry";

export async function runNewCommand(
  argv: readonly string[],
  deps: { io: Io; repoRoot: string },
): Promise<number> {
  const { io } = deps;
  let parsed: { project: string; dependsOn?: string[]; envs?: string } | undefined;
  const command = new Command("stacks new")
    .description(
      "create a Pulumi project (folder, Pulumi.yaml, program and test, tsconfig, stack files, README) " +
        "and register it in lib/model/stacks.ts, lib/model/graph.ts and README.md's graph",
    )
    .argument("<project>", "the project's name: lower-case letters, digits and underscores")
    .option(
      "--depends-on <project...>",
      "projects it reads through StackReferences (explicit edges; repeatable)",
    )
    .option("--envs <list>", "comma-separated environments with a stack (default: all)")
    .exitOverride()
    .showHelpAfterError('Run "npm run stacks -- new --help" for usage.')
    .configureOutput({
      writeOut: (s) => io.out(s.replace(/\n$/, "")),
      writeErr: (s) => io.err(s.replace(/\n$/, "")),
    })
    .action((project: string, o: { dependsOn?: string[]; envs?: string }) => {
      parsed = { project, ...o };
    });
  try {
    await command.parseAsync([...argv], { from: "user" });
  } catch (e) {
    if (!(e instanceof CommanderError)) throw e;
    return e.code === "commander.helpDisplayed" ? 0 : 2;
  }
  if (!parsed) return 2;
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
