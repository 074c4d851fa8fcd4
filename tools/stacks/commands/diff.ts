/** `diff --base <git-rev>`: the offline plans of a base revision and the working tree (engine/diff.ts). */
import * as fs from "node:fs";
import { REPO_ROOT } from "../../../lib/model/stacks";
import { type CommandModule, EXIT_FAILED, EXIT_OK, selectionOf } from "./command";
import { baseOption, commentFileOption, envOption, jsonOption, selectionOptions } from "./options";

export const diff: CommandModule = {
  name: "diff",
  description:
    "compare the offline plans of a base git revision and the working tree, resource by resource",
  configure: (cmd) =>
    selectionOptions(cmd.addOption(envOption(true, false).default("all")))
      .addOption(baseOption())
      .addOption(commentFileOption("write a pull-request comment (Markdown) with the diff"))
      .addOption(jsonOption("print the diff as JSON on stdout")),
  async run(o, deps) {
    const selection = selectionOf(o, { withAll: true });
    const { io } = deps;
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy, like plan
    const engine = require("../engine/diff") as typeof import("../engine/diff");
    // Both plans run in child processes, each `plan --json` with these options.
    const planArgs = [
      "--env",
      o.env ?? "all",
      ...(o.project ?? []).flatMap((p) => ["--project", p]),
      ...(o.withDependencies ? ["--with-dependencies"] : []),
      ...(o.withDependents ? ["--with-dependents"] : []),
    ];
    let report: import("../engine/diff").DiffReport;
    try {
      report = await engine.runDiff({
        repoRoot: deps.repoRoot ?? REPO_ROOT,
        base: o.base!,
        envs: selection.envs,
        planArgs,
        log: (line) => io.err(line),
      });
    } catch (e) {
      if (!(e instanceof engine.DiffError)) throw e;
      io.err(`stacks diff: ${e.message}`);
      return EXIT_FAILED;
    }
    (o.json ? io.err : io.out)(engine.formatDiff(report));
    if (o.json) io.out(engine.diffJson(report));
    if (o.commentFile) fs.writeFileSync(o.commentFile, engine.diffComment(report));
    return report.stacks.some((s) => s.status === "failed") ? EXIT_FAILED : EXIT_OK;
  },
};
