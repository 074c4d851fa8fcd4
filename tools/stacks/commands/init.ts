/** `init`: the env's missing stacks, and every stack file's encryptionsalt (setup/init.ts). */
import { REPO_ROOT } from "../../../lib/model/stacks";
import { type CommandModule, EXIT_FAILED, selectionOf } from "./command";
import { envOption, selectionOptions } from "./options";

export const init: CommandModule = {
  name: "init",
  description:
    "create the env's missing stacks and give every stack file its encryptionsalt (commit them)",
  configure: (cmd) => selectionOptions(cmd.addOption(envOption(false, true))),
  async run(o, deps) {
    const env = deps.env ?? process.env;
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: loads the AWS SDK
    const pulumi = require("../pulumi/pulumi") as typeof import("../pulumi/pulumi");
    if (!deps.spawn && !pulumi.findOnPath("pulumi", env)) {
      deps.io.err(
        `stacks init: the Pulumi CLI ("pulumi") is not on PATH; "npm run stacks -- doctor" says what to install.`,
      );
      return EXIT_FAILED;
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { runInit } = require("../setup/init") as typeof import("../setup/init");
    return runInit({
      stacks: selectionOf(o).stacks,
      repoRoot: deps.repoRoot ?? REPO_ROOT,
      env,
      io: deps.io,
      spawn: deps.spawn ?? pulumi.spawnPulumi,
    });
  },
};
