/**
 * Output properties made when a program first reads them. The SDK gives every output property
 * of a custom resource an Output at construction (runtime/rpc.js `transferProperties`,
 * @pulumi/pulumi 3.248.0): four pending promises, each wrapped by `debuggablePromise`, and an
 * `OutputImpl` that chains about ten more promises and a Proxy onto them. An AWS resource has
 * tens of output properties and a program reads few of them: the 13 stacks of `plan --env all`
 * made 7,079 such Outputs and read 224, and the unread ones were a sixth of the plan's CPU.
 *
 * Here each property is an accessor instead. Read before its registration finished, it makes
 * the SDK's Output then, of four pending promises that the resolver settles: the Output is the
 * same and settles on the same microtask as the SDK's, since its chain starts from the promises
 * the resolver settles, not from the time it was made. Read after, it makes an Output of
 * promises already settled, which settles a few microtasks after the SDK's would have; none of
 * the programs here reads a property that late (lightRuntime.test.ts compares the plans).
 * Never read, it costs two closures.
 */

type Resolver = (
  v: unknown,
  isKnown: boolean,
  isSecret: boolean,
  deps?: unknown[],
  err?: unknown,
) => void;
type OutputClass = new (resources: unknown, ...promises: Promise<unknown>[]) => unknown;
type DebuggableModule = { debuggablePromise: <T>(p: Promise<T>, ctx?: unknown) => Promise<T> };

/* eslint-disable @typescript-eslint/no-require-imports -- the SDK's own module instances */
const { Output } = require("@pulumi/pulumi/output") as unknown as { Output: OutputClass };
const debuggable = require("@pulumi/pulumi/runtime/debuggable") as unknown as DebuggableModule;
const { isGrpcError } = require("@pulumi/pulumi/errors") as unknown as {
  isGrpcError(e: unknown): boolean;
};
/* eslint-enable @typescript-eslint/no-require-imports */

type Settler = { resolve(v: unknown): void; reject(e: unknown): void };
type Outcome = { values: unknown[] } | { error: unknown };

/** runtime/rpc.js `transferProperties`, with each property's Output made on first read. */
export function transferPropertiesLazily(
  onto: Record<string, unknown>,
  label: string,
  props: object,
): Record<string, Resolver> {
  const resolvers: Record<string, Resolver> = {};
  for (const k of Object.keys(props)) {
    if (k === "id" || k === "urn") continue;
    if (Object.prototype.hasOwnProperty.call(onto, k))
      throw new Error(`Property '${k}' is already initialized on target '${label}`);
    let settlers: Settler[] | undefined;
    let outcome: Outcome | undefined;
    let output: unknown;
    Object.defineProperty(onto, k, {
      get: () => {
        if (output === undefined) {
          if (outcome) output = settledOutput(onto, outcome);
          else {
            settlers = [];
            output = pendingOutput(onto, settlers);
          }
        }
        return output;
      },
      // A subclass may assign its own value, as it could to the SDK's plain property.
      set: (value: unknown) => void (output = value),
      enumerable: true,
      configurable: true,
    });
    resolvers[k] = (v, isKnown, isSecret, deps = [], err) => {
      if (err) {
        // The SDK skips a gRPC error here (the engine reports it); it rejects anything else.
        if (isGrpcError(err)) return;
        if (settlers) for (const s of settlers) s.reject(err);
        else outcome = { error: err };
      } else if (settlers) {
        [v, isKnown, isSecret, deps].forEach((value, i) => settlers![i].resolve(value));
      } else outcome = { values: [v, isKnown, isSecret, deps] };
    };
  }
  return resolvers;
}

/** As the SDK makes it: four pending promises, each through `debuggablePromise`. */
function pendingOutput(onto: object, settlers: Settler[]): unknown {
  const pending = () =>
    debuggable.debuggablePromise(
      new Promise((resolve, reject) => void settlers.push({ resolve, reject })),
    );
  return new Output(onto, pending(), pending(), pending(), pending());
}

/** The SDK's would be settled by now, its debuggable hops taken: these start settled. */
function settledOutput(onto: object, outcome: Outcome): unknown {
  const settled = (i: number) =>
    "error" in outcome ? Promise.reject(outcome.error) : Promise.resolve(outcome.values[i]);
  return new Output(onto, settled(0), settled(1), settled(2), settled(3));
}
