/**
 * `new <project> [--depends-on <p>...] [--envs dev,preprod,prod]`: creates a Pulumi project and
 * registers it (tools/scaffold). Exit codes: 0 created; 1 a write failed (rolled back); 2 bad
 * input (nothing changed).
 */
import { REPO_ROOT } from "../../../lib/model/stacks";
import { type CommandModule } from "./command";

export const newProject: CommandModule = {
  name: "new",
  description:
    "create a Pulumi project (folder, Pulumi.yaml, program and test, tsconfig, stack files, README) " +
    "and register it in lib/model/stacks.ts, lib/model/graph.ts and README.md's graph",
  configure: (cmd) =>
    cmd
      .argument("<project>", "the project's name: lower-case letters, digits and underscores")
      .option(
        "--depends-on <project...>",
        "projects it reads through StackReferences (explicit edges; repeatable)",
      )
      .option("--envs <list>", "comma-separated environments with a stack (default: all)"),
  run(o, { io, repoRoot }, args) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: loads TypeScript and prettier
    const scaffold = require("../../scaffold/command") as typeof import("../../scaffold/command");
    return scaffold.createProject(
      { project: String(args[0]), dependsOn: o.dependsOn, envs: o.envs },
      { io, repoRoot: repoRoot ?? REPO_ROOT },
    );
  },
};
