/**
 * `npm run stacks -- recover --env <env> [--project <p>]... --yes`: the way out after a killed
 * `up` (see pending.ts for what the engine leaves and why each step is needed). Per stack:
 *
 * 1. refuses while the stack is locked (a run may still be going: `stacks cancel` first);
 * 2. each pending create that AWS names by its inputs (pending.ts awsIdOf) is imported with
 *    `pulumi import` by that id: the engine's Read says whether AWS has it; "does not exist"
 *    means the create never happened, and the operation is only dropped;
 * 3. `pulumi refresh --clear-pending-creates --yes` drops what is left and reads every resource
 *    back from AWS (so a killed update or delete is recorded as AWS has it);
 * 4. reads the checkpoint again: no pending operation may remain.
 *
 * Then `stacks up` finishes the deploy. A pending create that AWS names itself stops recover
 * with what to check by hand.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { projectDir } from "../../../lib/model/stacks";
import { type BackendStore } from "../pulumi/backendStore";
import { readStackCheckpoint } from "../pulumi/checkpointFile";
import { type Io } from "../report/io";
import { awsIdOf, describePending, readCheckpoint, type PendingOperation } from "./pending";
import { type PulumiInvocation, type PulumiResult } from "../pulumi/pulumi";
import { type SelectedStack } from "../engine/selection";

export interface RecoverOptions {
  readonly stacks: readonly SelectedStack[];
  readonly repoRoot: string;
  /** The environment of every pulumi call (backend set). */
  readonly env: NodeJS.ProcessEnv;
  readonly store: BackendStore;
  readonly io: Io;
  readonly spawn: (call: PulumiInvocation) => Promise<PulumiResult>;
}

/** The stack's checkpoint facts (pending.ts); an empty checkpoint when it has none. */
async function checkpointFacts(o: RecoverOptions, s: SelectedStack) {
  const found = await readStackCheckpoint(o.store, s.project, s.stack);
  return found && readCheckpoint(found.text, found.key);
}
const lockDir = (s: SelectedStack) => `.pulumi/locks/organization/${s.project}/${s.stack}/`;
const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

/**
 * The `pulumi import --file` document for pending creates and their AWS ids (import.go
 * importFile): each provider and parent once in the name table, by URN.
 */
export function importFile(ops: readonly { op: PendingOperation; id: string }[]) {
  const nameTable: Record<string, string> = {};
  const nameOf = (kind: string, urn: string) => {
    const known = Object.keys(nameTable).find((k) => nameTable[k] === urn);
    if (known) return known;
    const name = `${kind}${Object.keys(nameTable).filter((k) => k.startsWith(kind)).length}`;
    nameTable[name] = urn;
    return name;
  };
  const resources = ops.map(({ op, id }) => {
    const spec: Record<string, string> = { type: op.type, name: op.name, id };
    // A provider reference is `<urn>::<id>`; the name table wants the URN.
    if (op.provider) {
      spec.provider = nameOf("provider", op.provider.slice(0, op.provider.lastIndexOf("::")));
    }
    if (op.parent && !op.parent.includes(`::${ROOT_STACK_TYPE}::`)) {
      spec.parent = nameOf("parent", op.parent);
    }
    return spec;
  });
  return { nameTable, resources };
}

export async function recoverStacks(o: RecoverOptions): Promise<number> {
  let failed = 0;
  for (const s of o.stacks) {
    const ok = await recoverOne(o, s);
    if (!ok) failed++;
  }
  o.io.out(
    failed === 0
      ? `recover: done. Next: npm run stacks -- up --env ${o.stacks[0]?.env} ${o.stacks.map((s) => `--project ${s.project}`).join(" ")} --yes`
      : `recover: ${failed} stack(s) not recovered (see above).`,
  );
  return failed === 0 ? 0 : 1;
}

async function recoverOne(o: RecoverOptions, s: SelectedStack): Promise<boolean> {
  const say = (line: string) => o.io.out(`[${s.stack}] ${line}`);
  const locks = (await o.store.list(lockDir(s))).filter((k) => k.endsWith(".json"));
  if (locks.length > 0) {
    say(
      `locked (${locks.join(", ")}): a run may still be going. If none is (check the Actions tab and ask the team), ` +
        `run "npm run stacks -- cancel --env ${s.env} --project ${s.project} --yes", then recover again.`,
    );
    return false;
  }
  const facts = await checkpointFacts(o, s);
  if (facts === undefined) {
    say("no checkpoint in the backend: nothing to recover.");
    return true;
  }
  say(`${facts.pending.length} pending operation(s)`);
  for (const op of facts.pending) say(`  ${describePending(op)}`);
  const creates = facts.pending.filter((op) => op.op === "creating" && !facts.urns.has(op.urn));
  const unknown = creates.filter((op) => awsIdOf(op) === undefined);
  if (unknown.length > 0) {
    say(
      `cannot tell whether AWS has ${unknown.map((op) => op.urn).join(", ")}: AWS names them itself. ` +
        `Look for them in the AWS console (or CloudTrail's Create events at the time of the run), delete any copy, ` +
        `then drop the operations: pulumi refresh --stack ${s.stack} --clear-pending-creates --yes (in ${s.project}/).`,
    );
    return false;
  }
  const cwd = projectDir(s.project, o.repoRoot);
  if (!(await importWhatAwsHas(o, s, cwd, creates, say))) return false;
  const refresh = await o.spawn({
    argv: [
      "refresh",
      "--stack",
      s.stack,
      "--non-interactive",
      "--yes",
      "--clear-pending-creates",
      "--suppress-progress",
    ],
    cwd,
    env: o.env,
  });
  if (refresh.exitCode !== 0) {
    say(`pulumi refresh failed (exit ${refresh.exitCode}):\n${refresh.output.trim()}`);
    return false;
  }
  const after = (await checkpointFacts(o, s)) ?? readCheckpoint("{}", "no checkpoint");
  if (after.pending.length > 0) {
    say(
      `still ${after.pending.length} pending operation(s) after the refresh: ${after.pending.map((p) => `${p.urn} (${p.op})`).join(", ")}`,
    );
    return false;
  }
  say(
    `recovered: no pending operation left; ${after.urns.size} resources in the state, read back from AWS.`,
  );
  return true;
}

/**
 * Imports the pending creates AWS has, all in one `pulumi import` (each call starts the engine,
 * the provider and the program's plugins: tens of seconds). The import stops at the first id AWS
 * does not have (step.go ImportStep: "resource '<id>' does not exist"); those creates never
 * happened, so they are left out and the rest tried again. Imports that finished before the
 * engine stopped are already in the state (each step's end is saved, pkg/backend/snapshot.go).
 */
async function importWhatAwsHas(
  o: RecoverOptions,
  s: SelectedStack,
  cwd: string,
  creates: readonly PendingOperation[],
  say: (line: string) => void,
): Promise<boolean> {
  let left = creates.map((op) => ({ op, id: awsIdOf(op)! }));
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "stacks-recover-"));
  try {
    while (left.length > 0) {
      const file = path.join(scratch, "import.json");
      fs.writeFileSync(file, JSON.stringify(importFile(left), null, 2));
      const r = await o.spawn({
        argv: [
          "import",
          "--stack",
          s.stack,
          "--non-interactive",
          "--file",
          file,
          "--yes",
          "--skip-preview",
          "--protect=false",
          "--generate-code=false",
          "--suppress-progress",
        ],
        cwd,
        env: o.env,
      });
      const absent = r.exitCode === 0 ? [] : left.filter(({ id }) => doesNotExist(r.output, id));
      if (r.exitCode !== 0 && absent.length === 0) {
        say(`pulumi import failed (exit ${r.exitCode}):\n${r.output.trim()}`);
        return false;
      }
      const inState =
        r.exitCode === 0
          ? new Set(left.map(({ op }) => op.urn))
          : ((await checkpointFacts(o, s))?.urns ?? new Set<string>());
      for (const { op, id } of left) {
        if (absent.some((a) => a.op === op)) {
          say(`${op.name}: AWS has no ${id}: the create never happened; the operation is dropped`);
        } else if (inState.has(op.urn)) say(`${op.name}: AWS has ${id}: imported into the state`);
      }
      left = left.filter(({ op }) => !inState.has(op.urn) && !absent.some((a) => a.op === op));
    }
    return true;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

const doesNotExist = (output: string, id: string) =>
  output.includes(`resource '${id}' does not exist`);
