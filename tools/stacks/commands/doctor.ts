/** `doctor`: the preflight (setup/doctor.ts), one ✓/✗ line per check with the fix. */
import { REPO_ROOT } from "../../../lib/model/stacks";
import { type CommandModule, envsOf } from "./command";
import { envOption } from "./options";

export const doctor: CommandModule = {
  name: "doctor",
  description:
    "check the CLI, passphrase, AWS credentials and account, backend and its layout, stack files and locks",
  configure: (cmd) => cmd.addOption(envOption(true, false).default("all")),
  async run(o, deps) {
    // The AWS SDK's four-line notice that its 2027 releases need Node.js 22 would sit among the checks.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
    /* eslint-disable @typescript-eslint/no-require-imports -- lazy: these load the AWS and Pulumi SDKs */
    const pulumi = require("../pulumi/pulumi") as typeof import("../pulumi/pulumi");
    const { runDoctor } = require("../setup/doctor") as typeof import("../setup/doctor");
    const sdkVersion = (require("@pulumi/pulumi/package.json") as { version: string }).version;
    /* eslint-enable @typescript-eslint/no-require-imports */
    const result = await runDoctor({
      envs: envsOf(o.env, true),
      repoRoot: deps.repoRoot ?? REPO_ROOT,
      env: deps.env ?? process.env,
      io: deps.io,
      spawn: deps.spawn ?? pulumi.spawnPulumi,
      sdkVersion,
    });
    return result.exitCode;
  },
};
