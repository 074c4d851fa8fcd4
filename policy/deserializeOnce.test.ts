/**
 * deserializeOncePerRequest against the SDK's own analyzer handlers (@pulumi/policy 1.21.0
 * server.js `makeAnalyzeRpcFun` / `makeAnalyzeStackRpcFun`, which `serve` gives the engine's
 * gRPC calls), fed protobuf requests as the engine builds them (pulumirpc.AnalyzeRequest and
 * AnalyzeStackRequest, @pulumi/pulumi/proto/analyzer_pb.js): the same diagnostics, each
 * resource's properties converted once per request.
 */
import * as path from "node:path";
import { policies } from "./policies";
import { type DeserializeModule, deserializeOncePerRequest } from "./deserializeOnce";

type Message = { toObject(): unknown };
type Handler = (
  call: { request: unknown },
  callback: (err: unknown, res?: Message) => void,
) => Promise<void>;
/* eslint-disable @typescript-eslint/no-require-imports -- the SDK's internal modules, untyped */
const server = require("@pulumi/policy/server") as Record<string, (...a: unknown[]) => Handler>;
const sdk = require("@pulumi/policy/deserialize") as DeserializeModule;
const analyzer = require("@pulumi/pulumi/proto/analyzer_pb");
const { Struct } = require(
  require.resolve("google-protobuf/google/protobuf/struct_pb.js", {
    paths: [path.dirname(require.resolve("@pulumi/pulumi/proto/analyzer_pb"))],
  }),
);
/* eslint-enable @typescript-eslint/no-require-imports */

const original = sdk.deserializeProperties;
afterAll(() => {
  sdk.deserializeProperties = original;
});

const STACK = "urn:pulumi:glue_database-dev::glue_database";
const PROVIDER = {
  type: "pulumi:providers:aws",
  name: "aws",
  props: { region: "eu-west-2", allowedAccountIds: ["123456789012"] },
};
const RESOURCES = [
  {
    type: "aws:s3/bucket:Bucket",
    name: "raw",
    // force-destroyed, unversioned, inline ACL: several policies fail it.
    props: { bucket: "raw-dev", forceDestroy: true, acl: "private", tags: { Owner: "x" } },
  },
  {
    type: "aws:glue/catalogTable:CatalogTable",
    name: "delius-offender",
    props: {
      databaseName: "delius_dev",
      name: "offender",
      tableType: "EXTERNAL_TABLE",
      storageDescriptor: {
        location: "s3://raw-dev/delius/offender/",
        columns: [
          { name: "offender_id", type: "decimal(38,0)" },
          { name: "surname", type: "string" },
        ],
      },
    },
  },
];

function options() {
  const o = new analyzer.AnalyzerResourceOptions();
  o.setProtect(false);
  return o;
}
function provider() {
  const p = new analyzer.AnalyzerProviderResource();
  p.setType(PROVIDER.type);
  p.setName(PROVIDER.name);
  p.setUrn(`${STACK}::${PROVIDER.type}::${PROVIDER.name}`);
  p.setProperties(Struct.fromJavaScript(PROVIDER.props));
  return p;
}
function fill<T extends { setType(v: string): void }>(m: T, r: (typeof RESOURCES)[number]): T {
  const msg = m as unknown as Record<string, (v: unknown) => void>;
  msg["setType"](r.type);
  msg["setName"](r.name);
  msg["setUrn"](`${STACK}::${r.type}::${r.name}`);
  msg["setProperties"](Struct.fromJavaScript(r.props));
  msg["setOptions"](options());
  msg["setProvider"](provider());
  return m;
}

async function call(handler: Handler, request: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    void handler({ request }, (err, res) => (err ? reject(err) : resolve(res!.toObject())));
  });
}
const analyze = (r: (typeof RESOURCES)[number]) =>
  call(
    server["makeAnalyzeRpcFun"]("dataeng", "1.0.0", "advisory", policies),
    fill(new analyzer.AnalyzeRequest(), r),
  );
function analyzeStack() {
  const req = new analyzer.AnalyzeStackRequest();
  req.setResourcesList(RESOURCES.map((r) => fill(new analyzer.AnalyzerResource(), r)));
  return call(server["makeAnalyzeStackRpcFun"]("dataeng", "1.0.0", "advisory", policies), req);
}

/** The SDK's deserializeProperties, counting its calls: each converts a whole message. */
let converted = 0;
const counting: DeserializeModule["deserializeProperties"] = (struct, proxySecrets) => {
  converted++;
  return original(struct, proxySecrets);
};
async function conversions<T>(fn: () => Promise<T>): Promise<[T, number]> {
  converted = 0;
  const result = await fn();
  return [result, converted];
}

describe("deserializeOncePerRequest", () => {
  it("gives the SDK's analyzer the same diagnostics, converting each message once", async () => {
    sdk.deserializeProperties = counting;
    const before = await conversions(() => Promise.all(RESOURCES.map(analyze)));
    const beforeStack = await conversions(analyzeStack);
    // Without it: the resource's and the provider's properties again for every policy run
    // (the SDK calls its module's export each time, so the counter sees every conversion).
    expect(before[1]).toBeGreaterThan(20);
    expect(beforeStack[1]).toBeGreaterThan(10 * RESOURCES.length);

    deserializeOncePerRequest(sdk);
    const after = await conversions(() => Promise.all(RESOURCES.map(analyze)));
    const afterStack = await conversions(analyzeStack);
    expect(after[0]).toEqual(before[0]);
    expect(afterStack[0]).toEqual(beforeStack[0]);
    // Per request: the resource's properties and its provider's, once each.
    expect(after[1]).toBe(2 * RESOURCES.length);
    expect(afterStack[1]).toBe(2 * RESOURCES.length);
    // Real findings, so that "the same" compares something.
    const names = (before[0] as { diagnosticsList: { policyname: string }[] }[]).flatMap((r) =>
      r.diagnosticsList.map((d) => d.policyname),
    );
    expect(names).toEqual(expect.arrayContaining(["s3-bucket-no-force-destroy"]));
  });

  it("converts every time for remediations, which get their own secret-preserving copy", () => {
    sdk.deserializeProperties = original;
    deserializeOncePerRequest(sdk);
    const struct = Struct.fromJavaScript({ a: { b: 1 } });
    expect(sdk.deserializeProperties(struct, false)).toBe(sdk.deserializeProperties(struct, false));
    expect(sdk.deserializeProperties(struct, true)).not.toBe(
      sdk.deserializeProperties(struct, true),
    );
    expect(sdk.deserializeProperties(struct, true)).toEqual({ a: { b: 1 } });
  });

  it("applies once however often it is called", () => {
    deserializeOncePerRequest(sdk);
    const applied = sdk.deserializeProperties;
    deserializeOncePerRequest(sdk);
    expect(sdk.deserializeProperties).toBe(applied);
  });

  it("refuses an SDK without the function, saying what to do", () => {
    expect(() => deserializeOncePerRequest({} as DeserializeModule)).toThrow(
      "policy/deserializeOnce.ts: @pulumi/policy/deserialize no longer exports deserializeProperties " +
        "(written for @pulumi/policy 1.21.x); update deserializeOncePerRequest for the new SDK or " +
        "drop it from policy/pack.js.",
    );
  });
});
