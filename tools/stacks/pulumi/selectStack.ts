/**
 * Selects a stack, and creates it only when the backend lists no stack of that name.
 *
 * Why not `pulumi stack select --create` straight away: with a gzipped state (pulumiEnv sets
 * PULUMI_DIY_BACKEND_GZIP) the CLI finds a stack's checkpoint by listing the bucket, and when
 * that listing fails it assumes the plain `<stack>.json` (`stackPath`, pkg/backend/diy/state.go,
 * v3.248.0), which is not there. `--create` would then take an existing stack for a new one and
 * save an empty checkpoint over its `<stack>.json.gz` (`CreateStack`, backend.go). `stack ls`
 * fails loudly instead when its listing fails (`getStacks`), so a stack is created only after a
 * listing that worked and did not name it.
 */
import { type PulumiInvocation, type PulumiResult } from "./pulumi";

type Spawn = (call: PulumiInvocation) => Promise<PulumiResult>;

export const selectStackArgs = (stack: string) => [
  "stack",
  "select",
  "--stack",
  stack,
  "--non-interactive",
];
export const listStacksArgs = () => ["stack", "ls", "--json", "--non-interactive"];
/** Creates the stack, with the passphrase secrets provider like the existing ones. */
export const createStackArgs = (stack: string) => [
  "stack",
  "select",
  "--stack",
  stack,
  "--create",
  "--secrets-provider",
  "passphrase",
  "--non-interactive",
];

/** `pulumi stack select`'s StackNotFoundError (pkg/backend/backenderr/backenderr.go). */
const NOT_FOUND = /no stack named '[^']*' found/;

export async function selectOrCreateStack(
  spawn: Spawn,
  stack: string,
  call: Omit<PulumiInvocation, "argv">,
): Promise<PulumiResult> {
  const selected = await spawn({ ...call, argv: selectStackArgs(stack) });
  if (selected.exitCode === 0 || !NOT_FOUND.test(selected.output)) return selected;
  const listed = await spawn({ ...call, argv: listStacksArgs() });
  if (listed.exitCode !== 0) return listed;
  let names: string[];
  try {
    // The output has stderr too: the JSON array is what stdout printed.
    const json = listed.output.slice(
      listed.output.indexOf("["),
      listed.output.lastIndexOf("]") + 1,
    );
    names = (JSON.parse(json) as { name: string }[]).map((s) => s.name);
  } catch {
    return {
      exitCode: 1,
      output: `error: pulumi stack ls --json printed no JSON:\n${listed.output}`,
    };
  }
  // A project-scoped name is `organization/<project>/<stack>` unless it is the current project's.
  if (names.some((n) => n === stack || n.endsWith(`/${stack}`))) {
    return {
      exitCode: 1,
      output:
        `error: pulumi stack select found no stack ${stack}, then pulumi stack ls listed it: ` +
        `the backend did not answer a listing (a transient backend error). Nothing was created; rerun.`,
    };
  }
  return spawn({ ...call, argv: createStackArgs(stack) });
}
