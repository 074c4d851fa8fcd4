/**
 * What the real-CLI tests share: a scratch copy of the repository (so the checkout is never
 * touched), the environment every real `pulumi` call gets, and small runners.
 */
import { spawn } from "node:child_process";
import * as path from "node:path";
import { install } from "./install";
import { copyCheckout } from "../stacks/testing/gitRepo";
import type { LocalS3 } from "./s3Server";

export const PASSPHRASE = "real-cli-test-passphrase";
export const STAND_IN_BIN = path.join(__dirname, "bin");

/** A copy of every tracked (and new, unignored) file of the checkout, node_modules linked. */
export function scratchRepo(): string {
  return copyCheckout("dataeng-real-cli-");
}

/** The folder holding the real `pulumi` and the language host (built once, or REAL_PULUMI_DIR). */
export function cliDir(): string {
  return install(process.env);
}

/**
 * The environment of every call: the real CLI first on PATH, the AWS provider stand-in on PATH
 * (an ambient plugin: sdk/go/common/workspace/plugins.go, GetPluginPath, at v3.248.0), no
 * plugin downloads (PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION, sdk/go/common/env/env.go), a
 * private PULUMI_HOME, the local S3 server's credentials and nothing of the caller's AWS setup.
 */
export function cliEnv(dir: string, s3: LocalS3, home: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (k.startsWith("AWS_") || k.startsWith("PULUMI_")) continue;
    env[k] = v;
  }
  return {
    ...env,
    ...s3.env,
    PATH: [dir, STAND_IN_BIN, process.env.PATH ?? ""].join(path.delimiter),
    HOME: home,
    PULUMI_HOME: path.join(home, ".pulumi"),
    PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    // Do not let a developer's terminal make the CLI interactive.
    CI: "true",
  };
}

export interface Ran {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export function run(
  cmd: string,
  args: readonly string[],
  cwd: string,
  env: NodeJS.ProcessEnv,
): Promise<Ran> {
  return new Promise((resolve) => {
    const child = spawn(cmd, [...args], { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (t: string) => (stdout += t));
    child.stderr.setEncoding("utf8").on("data", (t: string) => (stderr += t));
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

/** `npm run stacks -- <args>` in the scratch repository, without npm's own output. */
export function stacks(
  repo: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<Ran> {
  return run(
    process.execPath,
    [
      "--require",
      path.join(repo, "tools/stacks/register.js"),
      path.join(repo, "tools/stacks/cli.ts"),
      ...args,
    ],
    repo,
    env,
  );
}

/** The checkpoint of a stack as stored in the bucket, parsed (proof that S3 kept the bytes). */
export function checkpoint(
  s3: LocalS3,
  project: string,
  stack: string,
): {
  checkpoint: {
    latest?: { resources?: { urn: string; type: string; outputs?: Record<string, unknown> }[] };
  };
} {
  const text = s3.readCheckpoint(project, stack);
  return JSON.parse(text) as ReturnType<typeof checkpoint>;
}
