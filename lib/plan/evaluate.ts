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

/** SDK internals the evaluator needs (marked @internal, so missing from the type declarations). */
const internals = {
  waitForRPCs: () => (settings as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs(),
  clearLeakCandidates: () =>
    (runtimeState as unknown as { getStore(): { leakCandidates: Set<unknown> } })
      .getStore()
      .leakCandidates.clear(),
};

export const MOCK_ACCOUNT_ID = "123456789012";

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

/**
 * What a data source returns, by invoke token: the facts both the mocks and the real-CLI tier's
 * AWS provider stand-in (tools/realCli/awsProvider.ts) answer with.
 */
export function mockInvoke(
  token: string,
  inputs: Record<string, unknown>,
): Record<string, unknown> {
  const region = "eu-west-2";
  switch (token) {
    case "aws:index/getCallerIdentity:getCallerIdentity":
      return {
        accountId: MOCK_ACCOUNT_ID,
        arn: `arn:aws:iam::${MOCK_ACCOUNT_ID}:role/plan`,
        userId: "AROAPLAN",
        id: MOCK_ACCOUNT_ID,
      };
    case "aws:ec2/getSecurityGroup:getSecurityGroup":
      return {
        id: "sg-0123456789abcdef0",
        name: inputs.name,
        arn: `arn:aws:ec2:${region}:${MOCK_ACCOUNT_ID}:security-group/sg-0123456789abcdef0`,
        vpcId: "vpc-0123456789abcdef0",
      };
    case "aws:secretsmanager/getSecret:getSecret":
      return {
        id: inputs.name,
        name: inputs.name,
        arn: `arn:aws:secretsmanager:${region}:${MOCK_ACCOUNT_ID}:secret:${inputs.name}-AbC123`,
      };
    default:
      throw new Error(`no mock answers the data source ${token}; add one in lib/plan/evaluate.ts`);
  }
}

/**
 * A deterministic id and the computed attributes a real create would return. Ids and ARNs
 * follow each resource's "Attribute Reference" (and "Import" id format) in the AWS provider's
 * documentation, pulumi/pulumi-aws v7.48.0 docs/resource/<type>.md, which repeats the upstream
 * terraform-provider-aws pages; the ARN formats are AWS's own (Service Authorization
 * Reference, "Resource types defined by <service>").
 */
export function mockState(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
): { id: string; state: Record<string, unknown> } {
  const region = typeof inputs.region === "string" ? inputs.region : "eu-west-2";
  const account = MOCK_ACCOUNT_ID;
  const given = (key: string) =>
    typeof inputs[key] === "string" ? (inputs[key] as string) : undefined;
  const physical = given("name") ?? `${name}-${shortHash(name)}`;
  const service = type.split(":")[1]?.split("/")[0] ?? "unknown";
  const state: Record<string, unknown> = { ...inputs };
  let id = `${name}-id`;
  switch (type) {
    // aws.s3.BucketV2 is an alias of aws.s3.Bucket with the same outputs: id is the bucket name.
    case "aws:s3/bucket:Bucket":
    case "aws:s3/bucketV2:BucketV2":
      id = given("bucket") ?? `${name}-${shortHash(name).slice(0, 7)}`;
      Object.assign(state, {
        bucket: id,
        arn: `arn:aws:s3:::${id}`,
        bucketDomainName: `${id}.s3.amazonaws.com`,
        bucketRegionalDomainName: `${id}.s3.${region}.amazonaws.com`,
        region,
      });
      break;
    // A bucket's separate configuration resources are identified by the bucket's name.
    case "aws:s3/bucketVersioning:BucketVersioning":
    case "aws:s3/bucketVersioningV2:BucketVersioningV2":
    case "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration":
    case "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2":
    case "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock":
    case "aws:s3/bucketOwnershipControls:BucketOwnershipControls":
    case "aws:s3/bucketPolicy:BucketPolicy":
    case "aws:s3/bucketLogging:BucketLogging":
    case "aws:s3/bucketLoggingV2:BucketLoggingV2":
    case "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration":
    case "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2":
    case "aws:s3/bucketAcl:BucketAcl":
    case "aws:s3/bucketAclV2:BucketAclV2":
    case "aws:s3/bucketReplicationConfig:BucketReplicationConfig":
    case "aws:s3/bucketWebsiteConfiguration:BucketWebsiteConfiguration":
      id = given("bucket") ?? id;
      break;
    case "aws:s3/bucketObjectv2:BucketObjectv2":
      id = given("key") ?? id;
      Object.assign(state, {
        arn: `arn:aws:s3:::${given("bucket") ?? "bucket"}/${id}`,
        etag: shortHash(`${name}/etag`),
      });
      break;
    case "aws:kms/key:Key":
      id = `key-${shortHash(name)}`;
      Object.assign(state, { keyId: id, arn: `arn:aws:kms:${region}:${account}:key/${id}` });
      break;
    case "aws:kms/alias:Alias":
      // The alias name already starts with "alias/".
      id = physical;
      Object.assign(state, { name: physical, arn: `arn:aws:kms:${region}:${account}:${physical}` });
      break;
    case "aws:iam/role:Role":
      id = physical;
      Object.assign(state, {
        name: physical,
        arn: `arn:aws:iam::${account}:role/${given("path")?.replace(/^\/|\/$/g, "") ? `${given("path")!.replace(/^\/|\/$/g, "")}/` : ""}${physical}`,
        uniqueId: `AROA${upperHash(name).slice(0, 17)}`,
      });
      break;
    case "aws:iam/policy:Policy":
      Object.assign(state, {
        name: physical,
        arn: `arn:aws:iam::${account}:policy/${physical}`,
        policyId: `ANPA${upperHash(name).slice(0, 17)}`,
      });
      id = state.arn as string;
      break;
    case "aws:iam/user:User":
      id = physical;
      Object.assign(state, {
        name: physical,
        arn: `arn:aws:iam::${account}:user/${physical}`,
        uniqueId: `AIDA${upperHash(name).slice(0, 17)}`,
      });
      break;
    case "aws:iam/rolePolicy:RolePolicy":
      // id is "<role name>:<policy name>"; the role input is the role's name (or id).
      id = `${given("role") ?? "role"}:${physical}`;
      state.name = physical;
      break;
    case "aws:sns/topic:Topic":
      Object.assign(state, { name: physical, arn: `arn:aws:sns:${region}:${account}:${physical}` });
      id = state.arn as string;
      break;
    case "aws:sns/topicPolicy:TopicPolicy":
      id = given("arn") ?? id;
      break;
    case "aws:sns/topicSubscription:TopicSubscription":
      state.arn = `${given("topic") ?? `arn:aws:sns:${region}:${account}:topic`}:${shortHash(name)}-0000-0000-0000-${shortHash(`${name}!`)}0000`;
      id = state.arn as string;
      break;
    case "aws:lambda/function:Function":
      Object.assign(state, {
        name: physical,
        arn: `arn:aws:lambda:${region}:${account}:function:${physical}`,
        invokeArn: `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/arn:aws:lambda:${region}:${account}:function:${physical}/invocations`,
        qualifiedArn: `arn:aws:lambda:${region}:${account}:function:${physical}:$LATEST`,
        version: "$LATEST",
      });
      id = physical;
      break;
    case "aws:lambda/permission:Permission":
      id = given("statementId") ?? name;
      break;
    case "aws:lambda/functionUrl:FunctionUrl":
      id = given("functionName") ?? id;
      state.functionUrl = `https://${shortHash(name)}${shortHash(`${name}!`)}.lambda-url.${region}.on.aws/`;
      break;
    case "aws:cloudwatch/logGroup:LogGroup":
      Object.assign(state, {
        name: physical,
        arn: `arn:aws:logs:${region}:${account}:log-group:${physical}`,
      });
      id = physical;
      break;
    case "aws:cloudwatch/eventRule:EventRule":
      Object.assign(state, {
        name: physical,
        arn: `arn:aws:events:${region}:${account}:rule/${physical}`,
      });
      id = physical;
      break;
    case "aws:cloudwatch/metricAlarm:MetricAlarm":
      Object.assign(state, {
        name: physical,
        arn: `arn:aws:cloudwatch:${region}:${account}:alarm:${physical}`,
      });
      id = physical;
      break;
    case "aws:cloudwatch/eventTarget:EventTarget":
      state.targetId = given("targetId") ?? `${name}-${shortHash(name)}`;
      id = `${given("rule") ?? "rule"}-${state.targetId as string}`;
      break;
    case "aws:scheduler/schedule:Schedule":
      Object.assign(state, {
        name: physical,
        arn: `arn:aws:scheduler:${region}:${account}:schedule/${given("groupName") ?? "default"}/${physical}`,
      });
      id = `${given("groupName") ?? "default"}/${physical}`;
      break;
    case "aws:dms/replicationInstance:ReplicationInstance":
      id = given("replicationInstanceId") ?? id;
      state.replicationInstanceArn = `arn:aws:dms:${region}:${account}:rep:${upperHash(name)}`;
      break;
    case "aws:dms/replicationTask:ReplicationTask":
      id = given("replicationTaskId") ?? id;
      state.replicationTaskArn = `arn:aws:dms:${region}:${account}:task:${upperHash(name)}`;
      break;
    case "aws:dms/endpoint:Endpoint":
    case "aws:dms/s3Endpoint:S3Endpoint":
      id = given("endpointId") ?? id;
      state.endpointArn = `arn:aws:dms:${region}:${account}:endpoint:${upperHash(name)}`;
      break;
    case "aws:dms/replicationSubnetGroup:ReplicationSubnetGroup":
      id = given("replicationSubnetGroupId") ?? id;
      Object.assign(state, {
        replicationSubnetGroupArn: `arn:aws:dms:${region}:${account}:subgrp:${id}`,
        vpcId: "vpc-0123456789abcdef0",
      });
      break;
    case "aws:dms/eventSubscription:EventSubscription":
      id = physical;
      state.arn = `arn:aws:dms:${region}:${account}:es:${physical}`;
      break;
    case "aws:dms/certificate:Certificate":
      id = given("certificateId") ?? id;
      state.certificateArn = `arn:aws:dms:${region}:${account}:cert:${upperHash(name)}`;
      break;
    case "aws:sqs/queue:Queue":
      Object.assign(state, {
        name: physical,
        arn: `arn:aws:sqs:${region}:${account}:${physical}`,
        url: `https://sqs.${region}.amazonaws.com/${account}/${physical}`,
      });
      id = state.url as string;
      break;
    case "aws:sqs/queuePolicy:QueuePolicy":
    case "aws:sqs/redrivePolicy:RedrivePolicy":
      id = given("queueUrl") ?? id;
      break;
    case "aws:secretsmanager/secret:Secret":
      // Secrets Manager appends six random characters to a secret's name in its ARN.
      Object.assign(state, {
        name: physical,
        arn: `arn:aws:secretsmanager:${region}:${account}:secret:${physical}-${shortHash(name).slice(0, 6)}`,
      });
      id = state.arn as string;
      break;
    case "aws:ec2/securityGroup:SecurityGroup":
      id = `sg-${shortHash(name)}${shortHash(`${name}!`).slice(0, 9)}`;
      Object.assign(state, {
        arn: `arn:aws:ec2:${region}:${account}:security-group/${id}`,
        ownerId: account,
        name: physical,
      });
      break;
    case "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule":
    case "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule":
      id = `sgr-${shortHash(name)}${shortHash(`${name}!`).slice(0, 9)}`;
      Object.assign(state, {
        arn: `arn:aws:ec2:${region}:${account}:security-group-rule/${id}`,
        securityGroupRuleId: id,
      });
      break;
    case "aws:ec2/vpcEndpoint:VpcEndpoint":
      id = `vpce-${shortHash(name)}${shortHash(`${name}!`).slice(0, 9)}`;
      Object.assign(state, { arn: `arn:aws:ec2:${region}:${account}:vpc-endpoint/${id}` });
      break;
    case "aws:glue/catalogDatabase:CatalogDatabase":
      id = `${account}:${physical}`;
      Object.assign(state, {
        name: physical,
        arn: `arn:aws:glue:${region}:${account}:database/${physical}`,
      });
      break;
    case "aws:glue/catalogTable:CatalogTable":
      id = `${account}:${given("databaseName") ?? "database"}:${physical}`;
      Object.assign(state, {
        name: physical,
        arn: `arn:aws:glue:${region}:${account}:table/${given("databaseName") ?? "database"}/${physical}`,
      });
      break;
  }
  // Types not modelled above: an ARN in the service's usual shape, so that programs reading
  // one still get a string (a real provider may not return one for every type).
  if (state.arn === undefined && !type.startsWith("pulumi:")) {
    state.arn = `arn:aws:${service}:${region}:${account}:${type.split(":").pop()?.toLowerCase()}/${physical}`;
  }
  return { id, state };
}

function shortHash(text: string): string {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return (h >>> 0).toString(16).padStart(8, "0");
}

const upperHash = (text: string) =>
  shortHash(text).toUpperCase() + shortHash(`${text}!`).toUpperCase();
