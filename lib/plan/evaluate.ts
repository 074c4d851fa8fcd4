/**
 * Evaluates a project's Pulumi program in-process under mocks, as `pulumi preview` would run
 * it but with no engine, cloud or credentials. Config comes from the stack file, every
 * StackReference is answered with the upstream stack's planned outputs, and every registered
 * resource is captured with its options (protect, parent, dependencies). The SDKs and the
 * programs load once per process; each evaluation only re-runs the program function.
 */
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as rpc from "@pulumi/pulumi/runtime/rpc";
import * as settings from "@pulumi/pulumi/runtime/settings";
import * as runtimeState from "@pulumi/pulumi/runtime/state";
import { lightenRuntime } from "./lightRuntime";
import { type PlannedResource } from "./plannedResource";
import { readStackConfig, type StackConfig } from "../model/stackFile";
import {
  ENVIRONMENTS,
  type Environment,
  type Project,
  REPO_ROOT,
  hasStack,
  stackName,
} from "../model/stacks";
import { deploymentOrder } from "../model/graph";
import { mockInvoke, mockState } from "./mockState";

// The mocks' answers, in a module without the SDK (the AWS provider stand-in loads it alone).
export { MOCK_ACCOUNT_ID, mockInvoke, mockState } from "./mockState";

/** SDK internals the evaluator needs (marked @internal, so missing from the type declarations). */
const internals = {
  waitForRPCs: () => (settings as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs(),
  clearLeakCandidates: () =>
    (runtimeState as unknown as { getStore(): { leakCandidates: Set<unknown> } })
      .getStore()
      .leakCandidates.clear(),
};

export interface StackEvaluation {
  readonly project: Project;
  readonly env: Environment;
  readonly stack: string;
  readonly resources: PlannedResource[];
  /** The program's outputs, resolved; empty when the program failed. */
  readonly outputs: Record<string, unknown>;
  /** What went wrong, each naming the stack; empty on success. */
  readonly errors: string[];
  readonly durationMs: number;
}

export interface EvaluateOptions {
  /** Planned outputs of upstream stacks, by stack name (`core-dev`). */
  upstream?: ReadonlyMap<string, Record<string, unknown>>;
  /** Config to use instead of reading the stack file (tests of bad config). */
  config?: StackConfig;
  /** Changes made to the program at registration (policy/redteam's mistakes). */
  changes?: ProgramChanges;
}

/**
 * Pulumi's stack transforms (`pulumi.runtime.registerResourceTransform`) stand refused under
 * the mocks (runtime/mocks.js in @pulumi/pulumi 3.248 sets `supportsTransforms = false`, and
 * the mock monitor has no callback server), so the planner applies them itself, where the SDK
 * hands a resource to the monitor (runtime/resource.js `registerResource`): each transform
 * sees every resource's type, name, props and options, in order, and may return new ones.
 */
export interface ProgramChanges {
  readonly transforms?: readonly SyncResourceTransform[];
  /** Runs once the program has returned; may construct further resources. */
  readonly extend?: (constructed: ConstructedResources) => void;
}
export type SyncResourceTransform = (
  args: pulumi.ResourceTransformArgs,
) => pulumi.ResourceTransformResult | undefined;
/** The resources the program constructed, by `${type}::${name}`. */
export type ConstructedResources = ReadonlyMap<string, pulumi.Resource>;

type Program = () => unknown;
const programs = new Map<Project, Program>();

function loadProgram(project: Project): Program {
  let program = programs.get(project);
  if (!program) {
    // Each project's index.ts exports its program as a function (`export =`); loaded on
    // first use so that evaluating one project does not load the others.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    program = require(path.join(REPO_ROOT, project, "index.ts")) as Program;
    programs.set(project, program);
  }
  return program;
}

// Evaluations share the Pulumi runtime's global state, so they run one at a time.
let queue: Promise<unknown> = Promise.resolve();

export function evaluateStack(
  project: Project,
  env: Environment,
  options: EvaluateOptions = {},
): Promise<StackEvaluation> {
  const run = queue.then(() => evaluateNow(project, env, options));
  queue = run.catch(() => undefined);
  return run;
}

async function evaluateNow(
  project: Project,
  env: Environment,
  options: EvaluateOptions,
): Promise<StackEvaluation> {
  const started = performance.now();
  const stack = stackName(project, env);
  const errors: string[] = [];
  const fail = (e: unknown) => {
    const message = cleanError(e instanceof Error ? e.message : String(e));
    if (!errors.includes(message)) errors.push(message);
  };
  const resources: PlannedResource[] = [];
  let outputs: Record<string, unknown> = {};
  // A failed registration surfaces only as an unhandled rejection, which a test runner may
  // swallow, so failures are also caught where they happen (see watchFailures).
  const onRejection = (reason: unknown) => fail(reason);
  process.on("unhandledRejection", onRejection);
  failureSink = fail;
  // The SDK records a stack trace for every promise it makes; evaluations report messages,
  // never stacks, so traces stay empty meanwhile (they cost a third of a plan's time).
  const traceLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  const restoreRuntime = lightenRuntime();
  try {
    const config = options.config ?? readStackConfig(project, env);
    await pulumi.runtime.setMocks(
      new PlanMocks(options.upstream ?? new Map()),
      project,
      stack,
      false,
    );
    captureRegistrations(resources);
    pulumi.runtime.setAllConfig(config.values, config.secretKeys);
    const program = loadProgram(project);
    current = { transforms: options.changes?.transforms ?? [], constructed: new Map() };
    const result = await Promise.resolve(program());
    options.changes?.extend?.(current.constructed);
    // A failed registration leaves its resource's outputs pending forever, so let every
    // registration finish first and only read the outputs of a program that did not fail.
    await settle(errors, resources);
    if (errors.length === 0) {
      const resolved = await (
        pulumi.output(result ?? {}) as unknown as { promise(): Promise<unknown> }
      ).promise();
      outputs = (resolved ?? {}) as Record<string, unknown>;
    }
  } catch (e) {
    fail(e);
  } finally {
    await settle(errors, resources).catch(fail);
    process.off("unhandledRejection", onRejection);
    failureSink = undefined;
    current = undefined;
    Error.stackTraceLimit = traceLimit;
    restoreRuntime();
    // Registrations stuck behind a failure are expected here; don't report them as leaks at exit.
    internals.clearLeakCandidates();
  }
  return {
    project,
    env,
    stack,
    resources,
    outputs: errors.length > 0 ? {} : outputs,
    errors: errors.map((e) => `${stack}: ${e}`),
    durationMs: performance.now() - started,
  };
}

/** Pulumi's error text, without the serialization chain and with both stacks named. */
export function cleanError(message: string): string {
  const text = message.replace(/(error serializing property "[^"]*": )+/g, "");
  const missing = /Required output '(.+)' does not exist on stack '(.+?)'\.?/.exec(text);
  if (missing) {
    const upstream = missing[2].split("/").pop();
    return (
      `it reads output "${missing[1]}" of stack ${upstream}, which ${upstream} does not export; ` +
      `export it from that project's program or fix the key`
    );
  }
  return text;
}

/**
 * Waits until the program's registrations have all happened. A failed registration leaves
 * the resources that depend on it waiting forever (the real engine would stop the program),
 * so once something failed, it waits only until registrations go quiet.
 */
async function settle(errors: readonly string[], resources: readonly unknown[]): Promise<void> {
  let finished = false;
  const rpcs = internals.waitForRPCs().then(
    () => (finished = true),
    () => (finished = true),
  );
  let seen = -1;
  let quietSince = performance.now();
  const started = performance.now();
  while (!finished) {
    await Promise.race([rpcs, new Promise((resolve) => setTimeout(resolve, 20))]);
    if (resources.length !== seen) {
      seen = resources.length;
      quietSince = performance.now();
    }
    if (errors.length > 0 && performance.now() - quietSince > 100) break;
    if (performance.now() - started > SETTLE_LIMIT_MS) {
      throw new Error(
        `the program did not finish within ${SETTLE_LIMIT_MS / 1000} s: some resource waits on ` +
          `a value that never resolves (a dependency cycle?)`,
      );
    }
  }
  await new Promise((resolve) => setImmediate(resolve));
}

const SETTLE_LIMIT_MS = 120_000;

/**
 * Evaluates every stack of the given environments in deployment order, feeding each stack's
 * outputs to the stacks that reference it.
 */
export async function evaluateAll(
  envs: readonly Environment[] = ENVIRONMENTS,
  projects?: readonly Project[],
): Promise<Map<string, StackEvaluation>> {
  const results = new Map<string, StackEvaluation>();
  const upstream = new Map<string, Record<string, unknown>>();
  for (const env of envs) {
    for (const project of deploymentOrder(projects)) {
      if (!hasStack(project, env)) continue;
      const result = await evaluateStack(project, env, { upstream });
      upstream.set(result.stack, result.outputs);
      results.set(result.stack, result);
    }
  }
  return results;
}

// ---------------------------------------------------------------------------------------------
// Capturing registrations with their options: the mocks' own callback sees only type, name and
// inputs, so the mock monitor's RPCs are wrapped to read the whole request.

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getProtect(): boolean;
  getRetainondelete(): boolean;
  getProvider(): string;
  getDependenciesList(): string[];
  getPropertydependenciesMap(): { entries(): Iterable<[string, { getUrnsList(): string[] }]> };
  getObject(): unknown;
  getProperties(): unknown;
}
interface RegisterResponse {
  getUrn(): string;
  getId(): string;
  getObject(): unknown;
  getProperties?(): unknown;
}
type Callback = (err: unknown, resp?: RegisterResponse) => void;

function captureRegistrations(into: PlannedResource[]): void {
  const monitor = settings.getMonitor() as unknown as Record<
    string,
    (req: RegisterRequest, cb: Callback) => unknown
  >;
  for (const method of ["registerResource", "readResource"] as const) {
    const original = monitor[method].bind(monitor);
    monitor[method] = (req, callback) =>
      withRequest(req, () =>
        original(req, (err, resp) => {
          if (err && failureSink) {
            failureSink(err);
            return;
          }
          if (!err && resp) {
            const read = method === "readResource";
            const inputs =
              mockedInputs.get(req) ?? deserialize(read ? req.getProperties() : req.getObject());
            const stateStruct = read ? resp.getProperties?.() : resp.getObject();
            into.push({
              urn: resp.getUrn(),
              type: req.getType(),
              name: req.getName(),
              custom: read ? true : req.getCustom(),
              inputs,
              state: stateStruct ? deserialize(stateStruct) : {},
              id: resp.getId?.() || undefined,
              parent: req.getParent() || undefined,
              provider: req.getProvider() || undefined,
              protect: read ? false : req.getProtect(),
              retainOnDelete: read ? false : req.getRetainondelete(),
              dependencies: read ? [] : req.getDependenciesList(),
              propertyDependencies: read
                ? {}
                : Object.fromEntries(
                    [...req.getPropertydependenciesMap().entries()].map(([k, v]) => [
                      k,
                      v.getUrnsList(),
                    ]),
                  ),
            });
          }
          callback(err, resp);
        }),
      );
  }
}

/**
 * The inputs the mocks were given for each request: the mock monitor deserializes the request
 * for them (runtime/mocks.js `registerResource` and `readResource` call `newResource` with
 * `deserializeProperties(req.getObject())` before their first await), and the capture reads
 * the same, so it takes theirs instead of deserializing the request a second time.
 */
const mockedInputs = new WeakMap<object, Record<string, unknown>>();
let requestInFlight: object | undefined;

function withRequest<T>(req: object, call: () => T): T {
  requestInFlight = req;
  try {
    return call();
  } finally {
    requestInFlight = undefined;
  }
}

/** Where the current evaluation's failures go (evaluations run one at a time). */
let failureSink: ((e: unknown) => void) | undefined;

/**
 * Registration fails while serializing a resource's inputs (a rejected Output such as a
 * missing upstream output, or a throwing apply), or in the monitor (a mock refusing).
 * Both are wrapped once per process to report to the current evaluation. The failed
 * registration is then left pending, like the resources that depend on it, instead of
 * rejecting: Pulumi would let that rejection go unhandled, which ends a real program but
 * only confuses a long-lived process or a test runner.
 */
function watchFailures(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const rpcModule = require("@pulumi/pulumi/runtime/rpc") as Record<string, unknown>;
  if (rpcModule.__dataengWatched) return;
  for (const name of ["serializeResourceProperties", "serializeProperties", "serializeProperty"]) {
    const original = rpcModule[name] as (...args: unknown[]) => Promise<unknown>;
    rpcModule[name] = async (...args: unknown[]) => {
      try {
        return await original(...args);
      } catch (e) {
        if (!failureSink) throw e;
        failureSink(e);
        return new Promise(() => undefined);
      }
    };
  }
  // A missing StackReference output rejects several Outputs inside the SDK at once, each
  // unhandled; report it once and leave the dependents pending instead.
  const originalRequireOutput = pulumi.StackReference.prototype.requireOutput;
  pulumi.StackReference.prototype.requireOutput = function (
    this: pulumi.StackReference,
    key: pulumi.Input<string>,
  ) {
    if (!failureSink) return originalRequireOutput.call(this, key);
    return pulumi.all([this.name, this.outputs, key]).apply(([stack, outputs, name]) => {
      if (name in outputs) return outputs[name];
      failureSink?.(new Error(`Required output '${name}' does not exist on stack '${stack}'.`));
      return new Promise<never>(() => undefined);
    });
  };
  rpcModule.__dataengWatched = true;
}
watchFailures();

/** The current evaluation's transforms and the resources it constructed so far. */
let current:
  | { transforms: readonly SyncResourceTransform[]; constructed: Map<string, pulumi.Resource> }
  | undefined;

/** Applies the current evaluation's transforms (see ProgramChanges) as each resource registers. */
function applyTransforms(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const runtime = require("@pulumi/pulumi/runtime/resource") as Record<string, unknown>;
  if (runtime.__dataengTransforms) return;
  const original = runtime.registerResource as (...args: unknown[]) => unknown;
  runtime.registerResource = (...args: unknown[]) => {
    // (res, parent, type, name, custom, remote, newDependency, props, opts, ...)
    const [res, , type, name, custom] = args as [pulumi.Resource, unknown, string, string, boolean];
    if (current) {
      current.constructed.set(`${type}::${name}`, res);
      for (const transform of current.transforms) {
        const result = transform({
          type,
          name,
          custom,
          props: args[7] as pulumi.Inputs,
          opts: args[8] as pulumi.ResourceOptions,
        });
        if (result) [args[7], args[8]] = [result.props, result.opts];
      }
    }
    return original(...args);
  };
  runtime.__dataengTransforms = true;
}
applyTransforms();

/**
 * Every registration's response is turned into text for a debug line that is never printed
 * (runtime/resource.js); the mocks echo the inputs, so for a Lambda that is its whole bundled
 * code. Responses print as their type instead.
 */
function skipDebugFormatting(): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const proto = require("@pulumi/pulumi/proto/resource_pb") as Record<
    string,
    { prototype: object } | undefined
  >;
  for (const name of ["RegisterResourceResponse", "ReadResourceResponse"]) {
    const cls = proto[name];
    if (cls)
      Object.defineProperty(cls.prototype, "toString", {
        value: () => `[${name}]`,
        configurable: true,
      });
  }
}
skipDebugFormatting();

const deserialize = (struct: unknown) =>
  rpc.deserializeProperties(struct as Parameters<typeof rpc.deserializeProperties>[0]) as Record<
    string,
    unknown
  >;

// ---------------------------------------------------------------------------------------------
// What the mocks answer: inputs echoed back plus the computed values the programs read.

class PlanMocks implements pulumi.runtime.Mocks {
  constructor(private readonly upstream: ReadonlyMap<string, Record<string, unknown>>) {}

  newResource(args: pulumi.runtime.MockResourceArgs): {
    id: string;
    state: Record<string, unknown>;
  } {
    if (requestInFlight) mockedInputs.set(requestInFlight, args.inputs);
    if (args.type === "pulumi:pulumi:StackReference") {
      const referenced = String(args.inputs.name);
      const stack = referenced.split("/").pop() ?? referenced;
      const outputs = this.upstream.get(stack);
      if (!outputs) {
        throw new Error(
          `it references stack "${referenced}", which has not been planned: plan it first ` +
            `(for example with --with-dependencies)`,
        );
      }
      return { id: referenced, state: { name: referenced, outputs, secretOutputNames: [] } };
    }
    return mockState(args.type, args.name, args.inputs);
  }

  call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    return mockInvoke(args.token, args.inputs);
  }
}
