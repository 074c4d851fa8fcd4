/**
 * A stand-in for the `pulumi-resource-aws` provider plugin, the one part of the real-CLI tier
 * that is not the real thing: pulumi-aws cannot be built from the Go module proxy (its provider
 * module replaces terraform-provider-aws with a patched local copy). It is served by the Node
 * SDK's own provider host (@pulumi/pulumi/provider `main()`, sdk/nodejs/provider/server.ts at
 * v3.248.0), reports the version @pulumi/aws asks for, and answers from the same facts as the
 * in-process mocks (`mockState`, `mockInvoke` in lib/plan/mockState.ts): ids, ARNs, account, region.
 *
 * State is a pure function of (type, name, inputs), so a diff compares the recorded state with
 * the state the new inputs would produce: an unchanged program has no diff, ever.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { isDeepStrictEqual } from "node:util";
import type * as provider from "@pulumi/pulumi/provider";
import { mockInvoke, mockState } from "../../lib/plan/mockState";
import type * as review from "../stacks/engine/review";
import {
  type AccountBehaviour,
  awsError,
  behaviourFrom,
  hang,
  heldByPause,
  lookUp,
  record,
} from "./awsAccount";

/**
 * The replace table, loaded on first use (zod and the projects' review tables): only a diff
 * with changed inputs needs it. The mocks (lib/plan/mockState.ts) load without the SDK; the
 * provider host needs only @pulumi/pulumi/provider. README: "Where a preview's time goes".
 */
// eslint-disable-next-line @typescript-eslint/no-require-imports
const replaceTable = () => require("../stacks/engine/review") as typeof review;

/** The plugin version @pulumi/aws declares (its package.json `pulumi.version`). */
export function awsPluginVersion(repoRoot: string): string {
  const file = path.join(repoRoot, "node_modules", "@pulumi", "aws", "package.json");
  const pkg = JSON.parse(fs.readFileSync(file, "utf8")) as {
    version?: string;
    pulumi?: { version?: string };
  };
  const version = pkg.pulumi?.version ?? pkg.version;
  if (!version) throw new Error(`${file}: no pulumi.version nor version; reinstall @pulumi/aws`);
  return version;
}

/** `urn:pulumi:<stack>::<project>::<type chain>::<name>` → type and name. */
export function parseUrn(urn: string): { type: string; name: string } {
  const parts = urn.split("::");
  if (parts.length < 4 || !parts[0].startsWith("urn:pulumi:")) throw new Error(`not a URN: ${urn}`);
  const chain = parts[2];
  return { type: chain.slice(chain.lastIndexOf("$") + 1), name: parts.slice(3).join("::") };
}

/** Drops undefined values, as the engine's serialization does, so comparisons are exact. */
function clean(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(clean);
  if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = clean(v);
    return out;
  }
  return value;
}

export function stateFor(urn: string, inputs: Record<string, unknown>) {
  const { type, name } = parseUrn(urn);
  if (!type.startsWith("aws:")) throw new Error(`${urn}: the aws provider does not manage ${type}`);
  const { id, state } = mockState(type, name, inputs);
  return { id, state: clean(state) as Record<string, unknown> };
}

/** The diff of recorded state against what `news` would produce, replaces per the table. */
export function diffState(
  urn: string,
  olds: Record<string, unknown>,
  news: Record<string, unknown>,
) {
  const { type } = parseUrn(urn);
  const wanted = stateFor(urn, news).state;
  const old = clean(olds) as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(old), ...Object.keys(wanted)])].sort();
  const changed = keys.filter((k) => !isDeepStrictEqual(old[k], wanted[k]));
  // The same replace-on-change table as `stacks diff` (tools/stacks/engine/review.ts: lib/model/awsReplaceOnChanges.ts and the projects' review.ts).
  const replaces = replaceTable().replacingInputs(type, changed) ?? [];
  return { changes: changed.length > 0, diffs: changed, replaces };
}

export function makeProvider(version: string, account: AccountBehaviour = {}): provider.Provider {
  /** The pause and the refusal of awsAccount.ts, around the call that reaches AWS. */
  const perform = async <T>(
    op: "create" | "update",
    urn: string,
    inputs: Record<string, unknown>,
    call: () => T,
  ): Promise<T> => {
    const { type, name } = parseUrn(urn);
    await heldByPause(account);
    if (account.refuse?.name === name) {
      throw new Error(awsError(type, op, inputs, name, account.refuse.refusal));
    }
    const paused = account.pause?.name === name ? account.pause : undefined;
    if (paused?.when === "before") await hang(account, paused.signal, `${op} ${urn} before`);
    const result = call();
    if (paused?.when === "after") await hang(account, paused.signal, `${op} ${urn} after`);
    return result;
  };
  return {
    version,
    async check(_urn, _olds, news) {
      return { inputs: news };
    },
    async diff(_id, urn, olds, news) {
      const d = diffState(urn, olds as Record<string, unknown>, news as Record<string, unknown>);
      return {
        changes: d.changes,
        replaces: d.replaces,
        // The real provider creates the replacement before deleting the old one.
        deleteBeforeReplace: false,
        stables: [],
      };
    },
    async create(urn, inputs) {
      const news = inputs as Record<string, unknown>;
      return perform("create", urn, news, () => {
        const { id, state } = stateFor(urn, news);
        record(account, { op: "create", type: parseUrn(urn).type, id, urn, state, inputs: news });
        return { id, outs: state };
      });
    },
    async read(id, urn, props) {
      if (!account.ledger) {
        // Nothing drifts in this stand-in: AWS is exactly what was last written.
        return { id, props: props ?? {} };
      }
      // With a ledger, AWS is what the ledger holds: a resource never created (or deleted)
      // reads as gone (an empty id, sdk/nodejs/provider/provider.ts ReadResult), and a read
      // for an import (no props) returns the live state and the inputs that made it.
      const live = lookUp(account, parseUrn(urn).type, id);
      if (!live) return { id: "", props: {} };
      return { id, props: live.state ?? {}, inputs: live.inputs ?? {} };
    },
    async update(id, urn, _olds, news) {
      const inputs = news as Record<string, unknown>;
      return perform("update", urn, inputs, () => {
        const { state } = stateFor(urn, inputs);
        record(account, { op: "update", type: parseUrn(urn).type, id, urn, state, inputs });
        return { outs: state };
      });
    },
    async delete(id, urn) {
      await heldByPause(account);
      record(account, { op: "delete", type: parseUrn(urn).type, id, urn });
    },
    async invoke(token, inputs) {
      return { outputs: mockInvoke(token, (inputs ?? {}) as Record<string, unknown>) };
    },
  };
}

/**
 * `pulumi import` reads a resource by id alone: its ReadRequest has no `properties`
 * (pkg/resource/deploy/step.go ImportStep, v3.248.0), and the Node SDK's provider server calls
 * `req.getProperties().toJavaScript()` unconditionally (sdk/nodejs/provider/server.ts `read`),
 * failing with "Cannot read properties of undefined (reading 'toJavaScript')" (seen with the
 * real CLI). The real pulumi-aws is written in Go and has no such gap: an absent Struct reads
 * as empty here too.
 */
export function acceptReadsWithoutProperties(): void {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { ReadRequest } = require("@pulumi/pulumi/proto/provider_pb") as {
    ReadRequest: { prototype: { getProperties(): unknown } };
  };
  // The google-protobuf the SDK itself loads.
  const sdk = require.resolve("@pulumi/pulumi/provider");
  const { Struct } = require(
    require.resolve("google-protobuf/google/protobuf/struct_pb", { paths: [sdk] }),
  ) as {
    Struct: new () => unknown;
  };
  const original = ReadRequest.prototype.getProperties;
  ReadRequest.prototype.getProperties = function (this: unknown) {
    return original.call(this) ?? new Struct();
  };
  // A resource that is gone has no state: the engine tells "does not exist" by nil outputs
  // (sdk/go/common/resource/plugin/provider_plugin.go Read; step.go ImportStep), but the Node
  // server always sets a Struct, even for `{ id: "" }`. With an empty id, send none.
  const { ReadResponse } = require("@pulumi/pulumi/proto/provider_pb") as {
    ReadResponse: { prototype: { getId(): string; setProperties(v: unknown): unknown } };
  };
  const set = ReadResponse.prototype.setProperties;
  ReadResponse.prototype.setProperties = function (this: { getId(): string }, value: unknown) {
    return this.getId() === "" ? this : set.call(this, value);
  };
  /* eslint-enable @typescript-eslint/no-require-imports */
}

if (require.main === module) {
  // Loaded only here: @pulumi/pulumi/provider starts a gRPC server on import of main().
  const repoRoot = process.env.DATAENG_REPO_ROOT ?? path.resolve(__dirname, "..", "..");
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { main } = require("@pulumi/pulumi/provider") as typeof provider;
  acceptReadsWithoutProperties();
  void main(
    makeProvider(awsPluginVersion(repoRoot), behaviourFrom(process.env)),
    process.argv.slice(2),
  );
  // Plugins run in their own process group (cmdutil.RegisterProcessGroup), so an engine killed
  // with SIGKILL cannot take them along: leave when the parent is gone instead of lingering.
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent) process.exit(0);
  }, 500).unref();
}
