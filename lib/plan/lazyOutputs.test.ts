import * as pulumi from "@pulumi/pulumi";
import * as debuggable from "@pulumi/pulumi/runtime/debuggable";
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import { transferPropertiesLazily } from "./lazyOutputs";

type Resolvers = ReturnType<typeof transferPropertiesLazily>;
const sdkTransfer = rpc.transferProperties as unknown as (
  onto: object,
  label: string,
  props: object,
) => Resolvers;

const PROPS = { id: undefined, urn: undefined, arn: undefined, name: undefined };

/** Counts microtasks until every promise given has settled, and on which tick each did. */
async function settleTicks(
  promises: Record<string, Promise<unknown>>,
): Promise<Record<string, number>> {
  const ticks: Record<string, number> = {};
  let tick = 0;
  for (const [name, p] of Object.entries(promises)) {
    p.then(
      () => (ticks[name] = tick),
      () => (ticks[name] = tick),
    );
  }
  while (Object.keys(ticks).length < Object.keys(promises).length && tick < 200) {
    await null;
    tick++;
  }
  return ticks;
}

/** An Output with the members the SDK marks @internal (missing from its declarations). */
interface OutputInternals {
  apply(f: (v: unknown) => unknown): OutputInternals;
  promise(): Promise<unknown>;
  readonly isKnown: Promise<boolean>;
  readonly isSecret: Promise<boolean>;
  allResources(): Promise<Set<unknown>>;
}
const outputOf = (onto: Record<string, unknown>, k: string) => onto[k] as OutputInternals;

describe("transferPropertiesLazily", () => {
  afterEach(() => jest.restoreAllMocks());

  it("defines the same enumerable properties as the SDK, and no Output until one is read", () => {
    const made = jest.spyOn(
      debuggable as unknown as { debuggablePromise(p: Promise<unknown>): Promise<unknown> },
      "debuggablePromise",
    );
    const lazy: Record<string, unknown> = {};
    const resolvers = transferPropertiesLazily(lazy, "r", PROPS);
    expect(Object.keys(resolvers)).toEqual(["arn", "name"]);
    expect(Object.keys(lazy)).toEqual(["arn", "name"]);
    expect(made).not.toHaveBeenCalled();

    const arn = outputOf(lazy, "arn");
    expect(pulumi.Output.isInstance(arn)).toBe(true);
    expect(outputOf(lazy, "arn")).toBe(arn);
    // The SDK's four promises for the one property read, none for the other.
    expect(made).toHaveBeenCalledTimes(4);
  });

  it("settles an Output read before registration finished on the same microtask as the SDK's", async () => {
    const sdk: Record<string, unknown> = {};
    const lazy: Record<string, unknown> = {};
    const sdkResolvers = sdkTransfer(sdk, "r", PROPS);
    const lazyResolvers = transferPropertiesLazily(lazy, "r", PROPS);
    const dependency = { urn: "dep" };
    const applied = (onto: Record<string, unknown>) =>
      outputOf(onto, "arn")
        .apply((v) => `${String(v)}!`)
        .promise();
    const pending = {
      sdkApply: applied(sdk),
      lazyApply: applied(lazy),
      sdkKnown: outputOf(sdk, "name").isKnown,
      lazyKnown: outputOf(lazy, "name").isKnown,
    };
    sdkResolvers.arn("arn:aws:s3:::b", true, false, [dependency]);
    lazyResolvers.arn("arn:aws:s3:::b", true, false, [dependency]);
    sdkResolvers.name("b", false, false);
    lazyResolvers.name("b", false, false);

    const ticks = await settleTicks(pending);
    expect(ticks.lazyApply).toBe(ticks.sdkApply);
    expect(ticks.lazyKnown).toBe(ticks.sdkKnown);
    expect(await pending.lazyApply).toBe("arn:aws:s3:::b!");
    expect(await pending.lazyKnown).toBe(false);
    // Its resources: the one it belongs to and those its value came from.
    const resources = await outputOf(lazy, "arn").allResources();
    expect(resources.size).toBe(2);
    expect(resources.has(lazy)).toBe(true);
    expect(resources.has(dependency)).toBe(true);
  });

  it("gives an Output read after registration finished the resolved value, knowledge and secrecy", async () => {
    const lazy: Record<string, unknown> = {};
    const resolvers = transferPropertiesLazily(lazy, "r", PROPS);
    resolvers.arn("arn:aws:kms:eu-west-2:123456789012:key/k", true, true, []);
    resolvers.name(undefined, false, false);

    const arn = outputOf(lazy, "arn");
    expect(await arn.promise()).toBe("arn:aws:kms:eu-west-2:123456789012:key/k");
    expect(await arn.isKnown).toBe(true);
    expect(await arn.isSecret).toBe(true);
    expect(await outputOf(lazy, "name").isKnown).toBe(false);
  });

  it("rejects with the registration's error, whether read before or after it failed", async () => {
    const failure = new Error("the mock refused the resource");
    // Every promise of the Output rejects, as the SDK's do.
    const rejections = (output: OutputInternals) =>
      Promise.all(
        [output.promise(), output.isKnown, output.isSecret].map((p) =>
          p.then(
            () => "settled",
            (e: unknown) => e,
          ),
        ),
      );
    const before: Record<string, unknown> = {};
    const early = transferPropertiesLazily(before, "r", PROPS);
    const readBefore = rejections(outputOf(before, "arn"));
    early.arn(undefined, false, false, [], failure);
    expect(await readBefore).toEqual([failure, failure, failure]);

    const after: Record<string, unknown> = {};
    transferPropertiesLazily(after, "r", PROPS).arn(undefined, false, false, [], failure);
    expect(await rejections(outputOf(after, "arn"))).toEqual([failure, failure, failure]);
  });

  it("leaves the Output pending on a gRPC error, as the SDK does (the engine reports it)", async () => {
    const lazy: Record<string, unknown> = {};
    const resolvers = transferPropertiesLazily(lazy, "r", PROPS);
    const read = outputOf(lazy, "arn").promise();
    resolvers.arn(undefined, false, false, [], Object.assign(new Error("gone"), { code: 14 }));
    const ticks = await settleTicks({ read });
    expect(ticks.read).toBeUndefined();
  });

  it("refuses a property the resource already has, with the SDK's message", () => {
    const message = "Property 'arn' is already initialized on target 'r";
    expect(() => sdkTransfer({ arn: 1 }, "r", PROPS)).toThrow(message);
    expect(() => transferPropertiesLazily({ arn: 1 }, "r", PROPS)).toThrow(message);
  });

  it("keeps a value the resource assigns itself", () => {
    const lazy: Record<string, unknown> = {};
    transferPropertiesLazily(lazy, "r", PROPS);
    lazy.name = "set by a subclass";
    expect(lazy.name).toBe("set by a subclass");
  });
});
