/**
 * `recover`: after a killed `up`, import the pending creates AWS has, drop the others and refresh
 * (setup/recover.ts), on the backend of PULUMI_BACKEND_URL. Needs --yes: it changes the state.
 */
import { REPO_ROOT } from "../../../lib/model/stacks";
import { type CommandModule, UsageError, selectionOf } from "./command";
import { envOption, selectionOptions, yesOption } from "./options";

export const recover: CommandModule = {
  name: "recover",
  description:
    "after a killed up: import the pending creates AWS has, drop the others, refresh (see docs/troubleshooting.md)",
  configure: (cmd) =>
    selectionOptions(cmd.addOption(envOption(false, true))).addOption(yesOption()),
  async run(o, deps) {
    const selection = selectionOf(o);
    if (!o.yes) {
      throw new UsageError(
        `recover changes the state (imports, refresh): pass --yes once you know no run is going on.`,
      );
    }
    const env = deps.env ?? process.env;
    /* eslint-disable @typescript-eslint/no-require-imports -- lazy: these load the AWS SDK */
    const pulumi = require("../pulumi/pulumi") as typeof import("../pulumi/pulumi");
    const { openBackendStore } =
      require("../pulumi/backendStore") as typeof import("../pulumi/backendStore");
    const { parseBackendUrl } =
      require("../pulumi/backendUrl") as typeof import("../pulumi/backendUrl");
    const { recoverStacks } = require("../setup/recover") as typeof import("../setup/recover");
    /* eslint-enable @typescript-eslint/no-require-imports */
    const backendUrl = pulumi.defaultBackendUrl(env);
    const store = openBackendStore(parseBackendUrl(backendUrl), { env });
    try {
      return await recoverStacks({
        stacks: selection.stacks,
        repoRoot: deps.repoRoot ?? REPO_ROOT,
        env: pulumi.pulumiEnv(env, { backendUrl }),
        store,
        io: deps.io,
        spawn: deps.spawn ?? pulumi.spawnPulumi,
      });
    } finally {
      store.close();
    }
  },
};
