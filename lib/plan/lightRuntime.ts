/**
 * What the Pulumi SDK spends on a program under mocks that an offline plan never needs, turned
 * off while an evaluation runs (lib/plan/evaluate.ts) and put back after it. Measured at 755 tables
 * (tools/bench/bench.ts), these two were a third of a plan's CPU and most of its peak memory.
 *
 * - Wire structs. Every registration turns its inputs into a protobuf `Struct` for the monitor
 *   (runtime/resource.js `req.setObject(gstruct.Struct.fromJavaScript(...))`), the mock monitor
 *   turns it back, turns the mock's answer into another `Struct`, and the SDK turns that back
 *   (runtime/mocks.js `registerResource`, runtime/rpc.js `deserializeProperties`). Nothing is
 *   sent over a wire under mocks, so `Struct.fromJavaScript` makes a `PlainStruct` instead: a
 *   copy of the same JSON values, with keys in the order protobuf's map gives them (sorted), and
 *   the same refusal of `undefined` and functions ("Unexpected struct type.", google-protobuf
 *   3.21 struct_pb.js `Value.fromJavaScript`). Anything else asked of it is answered by a real
 *   `Struct` built on demand.
 * - Promise debugging. `debuggablePromise` (runtime/debuggable.js, @pulumi/pulumi 3.248.0)
 *   writes an id, a context label and a stack trace onto each of the four promises of every
 *   output property and keeps each in a leak-candidate set, only for a message printed when a
 *   real program exits with promises pending. The evaluator clears that set after each
 *   evaluation anyway (evaluate.ts), so here the promise only takes the same two hops.
 * - Output properties. `transferProperties` (runtime/rpc.js) gives every output property of a
 *   resource an Output at once, and four labels for its debuggable promises, each holding the
 *   input's text (`${value}`: a Glue table's sixty columns are "[object Object],..." four
 *   times). Here each Output is made, without labels, when the program first reads it
 *   (lazyOutputs.ts).
 * - Stack traces. Every resource's constructor records the whole stack, with no depth limit, to
 *   send its source position to the engine (resource.js `Resource.stackTrace`, `callsites`);
 *   the mock monitor never reads it, so here there is none, as when no position is known.
 *
 * Each keeps the number of promise hops of the SDK's own code: registrations finish in an order
 * that depends on them, and the plan lists resources in that order (lightRuntime.test.ts).
 */

import { transferPropertiesLazily } from "./lazyOutputs";

type StructModule = { Struct: { fromJavaScript(obj: object): unknown } };
type DebuggableModule = { debuggablePromise: <T>(p: Promise<T>, ctx?: unknown) => Promise<T> };
type RpcModule = { transferProperties: typeof transferPropertiesLazily };
type ResourceClass = { callsites(): unknown[] };

/* eslint-disable @typescript-eslint/no-require-imports -- the SDK's own module instances */
const structModule =
  require("google-protobuf/google/protobuf/struct_pb") as unknown as StructModule;
const debuggable = require("@pulumi/pulumi/runtime/debuggable") as unknown as DebuggableModule;
const rpc = require("@pulumi/pulumi/runtime/rpc") as unknown as RpcModule;
const { Resource } = require("@pulumi/pulumi/resource") as unknown as { Resource: ResourceClass };
/* eslint-enable @typescript-eslint/no-require-imports */

const realFromJavaScript = structModule.Struct.fromJavaScript;
const realDebuggablePromise = debuggable.debuggablePromise;
const realTransferProperties = rpc.transferProperties;
const realCallsites = Resource.callsites;

function copyValue(value: unknown): unknown {
  if (value === null) return null;
  switch (typeof value) {
    case "string":
    case "number":
    case "boolean":
      return value;
    case "object":
      if (Array.isArray(value)) {
        const items = new Array<unknown>(value.length);
        for (let i = 0; i < value.length; i++) items[i] = copyValue(value[i]);
        return items;
      }
      return copyStruct(value as Record<string, unknown>);
    default:
      throw new Error("Unexpected struct type.");
  }
}

/** As Struct.fromJavaScript then toJavaScript: enumerable keys (`for in`), sorted. */
function copyStruct(obj: Record<string, unknown>): Record<string, unknown> {
  const keys: string[] = [];
  for (const key in obj) keys.push(key);
  // Copies of copies are sorted already; sort allocates, and this runs six times per resource.
  if (!isSorted(keys)) keys.sort();
  const out: Record<string, unknown> = {};
  for (const key of keys) out[key] = copyValue(obj[key]);
  return out;
}

function isSorted(keys: readonly string[]): boolean {
  for (let i = 1; i < keys.length; i++) if (keys[i - 1] > keys[i]) return false;
  return true;
}

/** The part of google-protobuf's Struct used here (its declarations are not installed). */
interface StructInstance {
  toJavaScript(): Record<string, unknown>;
  getFieldsMap(): unknown;
  serializeBinary(): unknown;
  toObject(...args: unknown[]): unknown;
}
type StructClass = { new (): StructInstance; fromJavaScript(obj: object): StructInstance };

/**
 * A protobuf Struct that holds its plain JSON value instead of a tree of `Value` messages. It is
 * a real (empty) Struct underneath, because jspb's setters (`req.setObject`) store the message's
 * internal array and the getters hand back this same object; anything beyond toJavaScript
 * (getFieldsMap, serializeBinary, toObject) is answered by a real Struct built on demand.
 */
function plainStructClass(Struct: StructClass) {
  return class PlainStruct extends Struct {
    readonly plainValue: Record<string, unknown>;
    constructor(obj: object) {
      super();
      this.plainValue = copyStruct(obj as Record<string, unknown>);
    }
    /** A new copy each time, as the real Struct builds new objects each time. */
    override toJavaScript(): Record<string, unknown> {
      return copyStruct(this.plainValue);
    }
    real(): StructInstance {
      return realFromJavaScript.call(Struct, this.plainValue) as StructInstance;
    }
    override getFieldsMap(): unknown {
      return this.real().getFieldsMap();
    }
    override serializeBinary(): unknown {
      return this.real().serializeBinary();
    }
    override toObject(...args: unknown[]): unknown {
      return this.real().toObject(...args);
    }
  };
}
export const PlainStruct = plainStructClass(structModule.Struct as unknown as StructClass);

let depth = 0;
let enabled = true;

/** Off, lightenRuntime does nothing: the test that compares plans with and without it. */
export function setLightRuntime(on: boolean): void {
  enabled = on;
}

/** Turns the costs off until the returned function is called (nests). */
export function lightenRuntime(): () => void {
  if (!enabled) return () => undefined;
  if (depth++ === 0) {
    structModule.Struct.fromJavaScript = (obj: object) => new PlainStruct(obj);
    debuggable.debuggablePromise = <T>(p: Promise<T>) => p.then(passThrough).catch(rethrow);
    rpc.transferProperties = transferPropertiesLazily;
    Resource.callsites = () => [];
  }
  let restored = false;
  return () => {
    if (restored) return;
    restored = true;
    if (--depth === 0) {
      structModule.Struct.fromJavaScript = realFromJavaScript;
      debuggable.debuggablePromise = realDebuggablePromise;
      rpc.transferProperties = realTransferProperties;
      Resource.callsites = realCallsites;
    }
  };
}

// The same two hops as the SDK's `.then(...).catch(...)`: with fewer, registrations finish in
// another order and the plan would list core's resources differently.
const passThrough = <T>(value: T) => value;
const rethrow = (e: unknown) => {
  throw e;
};
