/**
 * NODE_OPTIONS for the `pulumi` process, so that every node process the CLI starts (the language
 * host, the program, the policy pack, the provider stand-in) has the V8 code cache
 * (tools/stacks/codeCache.js) from its first module. What a policy pack's runner
 * (`@pulumi/pulumi/cmd/run-policy-pack`) loads before the pack's own main, the SDK, ts-node and
 * TypeScript, is otherwise compiled anew on every run: the language host passes a pack's
 * `nodeargs` after that entry point (`RunPlugin` in sdk/nodejs/cmd/pulumi-language-nodejs/main.go,
 * v3.248.0), and the engine hands its whole environment to every plugin
 * (`execPlugin` in sdk/go/common/resource/plugin/plugin.go). Only the code cache: register.js's
 * .ts hook must come after ts-node's in the pack (policy/pack.js).
 */
import * as path from "node:path";

export const CODE_CACHE = path.resolve(__dirname, "..", "codeCache.js");

/**
 * `given` (the caller's NODE_OPTIONS, kept) with `--require <codeCache.js>` in front. Node reads a
 * double-quoted value with `\` escaping `"` and `\` (src/node_options.cc, ParseNodeOptionsEnvVar).
 */
export function withCodeCache(given: string | undefined, file = CODE_CACHE): string {
  const quoted = `"${file.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
  const require = `--require ${quoted}`;
  if (given === undefined || given.trim() === "") return require;
  return given.includes(require) ? given : `${require} ${given}`;
}
