/** `order`: the deployment order for `--env`, one project per line (`--env all`: one stack per line). */
import { type CommandModule, EXIT_OK, selectionOf } from "./command";
import { envOption, jsonOption, selectionOptions } from "./options";

export const order: CommandModule = {
  name: "order",
  description: "print the deployment order for an environment, one project per line",
  configure: (cmd) =>
    selectionOptions(cmd.addOption(envOption(true, true))).addOption(
      jsonOption("print the order as JSON"),
    ),
  run(o, { io }) {
    const selection = selectionOf(o, { withAll: true });
    if (o.json) {
      io.out(
        JSON.stringify(
          {
            version: 1,
            envs: selection.envs,
            stacks: selection.stacks.map((s) => ({
              stack: s.stack,
              project: s.project,
              env: s.env,
              dependsOn: s.dependsOn,
            })),
            skipped: selection.skipped,
          },
          null,
          2,
        ),
      );
      return EXIT_OK;
    }
    const single = selection.envs.length === 1;
    for (const s of selection.stacks) io.out(single ? s.project : s.stack);
    for (const s of selection.skipped) io.err(`skipped ${s.stack}: ${s.reason}`);
    return EXIT_OK;
  },
};
