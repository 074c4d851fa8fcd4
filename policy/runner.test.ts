import { type PlannedResource } from "../lib/plan/plannedResource";
import { defaultTags } from "../lib/model/tags";
import { policies } from "./policies";
import {
  type LoadedPolicyConfig,
  loadPolicyConfig,
  policyProps,
  providerUrn,
  runPolicies,
  UNKNOWN_SENTINEL,
} from "./runner";
import { parsePolicyConfig } from "./config";
import { T } from "./types";

const STACK = "core-prod";
const urn = (type: string, name: string, parentType?: string) =>
  `urn:pulumi:${STACK}::core::${parentType ? `${parentType}$` : ""}${type}::${name}`;
const PROVIDER_URN = urn(T.awsProvider, "aws");
const KEY = "arn:aws:kms:eu-west-2:123456789012:key/k";

function planned(
  type: string,
  name: string,
  inputs: Record<string, unknown>,
  extra: Partial<PlannedResource> = {},
): PlannedResource {
  return {
    urn: urn(type, name),
    type,
    name,
    custom: true,
    inputs,
    state: { ...inputs },
    id: `${name}-id`,
    provider: `${PROVIDER_URN}::provider-id`,
    protect: false,
    retainOnDelete: false,
    dependencies: [],
    propertyDependencies: Object.fromEntries(Object.keys(inputs).map((k) => [k, []])),
    ...extra,
  };
}
const provider = (tags: Record<string, string> = defaultTags("core", "prod")) =>
  planned(
    T.awsProvider,
    "aws",
    { region: "eu-west-2", defaultTags: JSON.stringify({ tags }) },
    { provider: undefined, urn: PROVIDER_URN },
  );

// Every test stack lives in the mocks' account, which the pack must be told is this one.
const THIS_ACCOUNT = { "data-stays-in-account": { accountIds: ["123456789012"] } };
const config = (value: object): LoadedPolicyConfig =>
  parsePolicyConfig(JSON.stringify({ ...THIS_ACCOUNT, ...value }), "test.json", policies, false);
const realConfig = loadPolicyConfig();

describe("runPolicies", () => {
  it("reports resource violations with the policy, level, message and resource", async () => {
    const topic = planned(T.snsTopic, "alerts", { name: "alerts" });
    const violations = await runPolicies([provider(), topic], {
      config: realConfig,
      stackName: STACK,
    });
    expect(violations).toEqual([
      {
        policyName: "sns-topic-kms-encrypted",
        enforcementLevel: "mandatory",
        message: `${T.snsTopic} "alerts": it is not encrypted (kmsMasterKeyId is not set). Fix: set kmsMasterKeyId to the customer-managed key ARN.`,
        urn: topic.urn,
        resourceType: T.snsTopic,
        resourceName: "alerts",
      },
    ]);
  });

  it("honours levels: disabled skips, advisory downgrades, config values apply", async () => {
    const topic = planned(T.snsTopic, "alerts", { name: "alerts" });
    const group = planned(T.logGroup, "logs", {
      name: "/aws/lambda/f",
      kmsKeyId: KEY,
      retentionInDays: 14,
    });
    const cfg = config({
      "sns-topic-kms-encrypted": "advisory",
      "cloudwatch-log-group-kms-encrypted": "disabled",
      "cloudwatch-log-group-retention": { enforcementLevel: "mandatory", minDays: 7 },
    });
    expect(
      await runPolicies([provider(), topic, group], { config: cfg, stackName: STACK }),
    ).toEqual([
      expect.objectContaining({
        policyName: "sns-topic-kms-encrypted",
        enforcementLevel: "advisory",
      }),
    ]);
    const strict = config({
      "cloudwatch-log-group-retention": { enforcementLevel: "mandatory", minDays: 30 },
    });
    expect(await runPolicies([provider(), group], { config: strict, stackName: STACK })).toEqual([
      expect.objectContaining({
        policyName: "cloudwatch-log-group-retention",
        enforcementLevel: "mandatory",
        message: expect.stringContaining("it keeps logs 14 days, fewer than 30"),
      }),
    ]);
  });

  it("resolves each resource's provider from its reference, for tags and environment", async () => {
    const bucket = planned(T.bucket, "b", { bucket: "b", forceDestroy: true });
    const only = policies.filter(
      (p) => p.name === "s3-bucket-no-force-destroy" || p.name === "required-tags",
    );
    const prod = await runPolicies([provider(), bucket], {
      config: realConfig,
      stackName: STACK,
      policies: only,
    });
    expect(prod.map((v) => v.message)).toEqual([
      expect.stringContaining("it sets forceDestroy: true in prod"),
    ]);
    const dev = await runPolicies([provider(defaultTags("core", "dev")), bucket], {
      config: realConfig,
      stackName: "core-dev",
      policies: only,
    });
    expect(dev).toEqual([]);
    const untagged = await runPolicies(
      [{ ...bucket, provider: undefined, inputs: { bucket: "b" } }],
      { config: realConfig, stackName: "core-dev", policies: only },
    );
    expect(untagged).toEqual([
      expect.objectContaining({
        policyName: "required-tags",
        urn: bucket.urn,
        message: expect.stringContaining("it lacks the tags business-unit"),
      }),
    ]);
  });

  it("takes the environment from the stack name when nothing is tagged", async () => {
    const bucket = planned(T.bucket, "b", { bucket: "b" }, { provider: undefined });
    const only = policies.filter((p) => p.name === "stateful-resources-protected");
    expect(
      await runPolicies([bucket], {
        config: realConfig,
        stackName: "core-preprod",
        policies: only,
      }),
    ).toEqual([
      expect.objectContaining({
        enforcementLevel: "mandatory",
        message: expect.stringContaining("it holds preprod data but is not protected"),
      }),
    ]);
  });

  it("links stack resources through property dependencies and parents", async () => {
    const component = {
      ...planned("dataeng:storage:SecureBucket", "raw", {}),
      custom: false,
      provider: undefined,
    };
    const child = (
      type: string,
      name: string,
      inputs: Record<string, unknown>,
      deps: Record<string, string[]>,
    ) =>
      planned(type, name, inputs, {
        urn: urn(type, name, "dataeng:storage:SecureBucket"),
        parent: component.urn,
        propertyDependencies: deps,
        dependencies: Object.values(deps).flat(),
      });
    const bucket = child(T.bucket, "raw-bucket", { bucket: "mojap-raw" }, {});
    // Bucket names unknown to the value match: only the dependency ties them.
    const versioning = child(
      T.bucketVersioning,
      "raw-versioning",
      { bucket: "other-name", versioningConfiguration: { status: "Enabled" } },
      { bucket: [bucket.urn] },
    );
    const only = policies.filter((p) => p.name === "s3-bucket-companions");
    const cfg = config({ "s3-bucket-companions": { companions: ["versioning"] } });
    expect(
      await runPolicies([component, bucket, versioning], {
        config: cfg,
        stackName: STACK,
        policies: only,
      }),
    ).toEqual([]);
    expect(
      await runPolicies([component, bucket], { config: cfg, stackName: STACK, policies: only }),
    ).toEqual([
      expect.objectContaining({
        urn: bucket.urn,
        resourceName: "raw-bucket",
        message: expect.stringContaining("it has no aws:s3/bucketVersioning"),
      }),
    ]);
  });

  it("treats an input that came from other resources but is undefined as unknown: advisory, not missing", async () => {
    const key = planned(
      T.kmsKey,
      "key",
      { description: "d", enableKeyRotation: true },
      { protect: true },
    );
    const topic = planned(
      T.snsTopic,
      "alerts",
      { name: "alerts", kmsMasterKeyId: undefined },
      { propertyDependencies: { name: [], kmsMasterKeyId: [key.urn] } },
    );
    const violations = await runPolicies([provider(), key, topic], {
      config: realConfig,
      stackName: STACK,
    });
    expect(violations).toEqual([
      expect.objectContaining({
        policyName: "sns-topic-kms-encrypted",
        enforcementLevel: "advisory",
        message: expect.stringMatching(
          /^aws:sns\/topic:Topic "alerts": cannot judge \.kmsMasterKeyId, which is unknown during preview \(it is judged again once known\)\. Check it by hand/,
        ),
      }),
    ]);
  });

  it("never throws when a policy does, and reports it", async () => {
    const broken = {
      ...policies.find((p) => p.name === "sns-topic-kms-encrypted")!,
      name: "broken",
      validateResource: Object.assign(
        () => {
          throw new Error("boom");
        },
        { __pulumiType: T.snsTopic },
      ),
    };
    const violations = await runPolicies([planned(T.snsTopic, "alerts", {})], {
      config: config({}),
      stackName: STACK,
      policies: [broken],
    });
    expect(violations).toEqual([
      expect.objectContaining({
        policyName: "broken",
        enforcementLevel: "mandatory",
        message: `policy 'broken' failed on ${T.snsTopic} "alerts" (the Pulumi CLI would stop the preview): boom`,
      }),
    ]);
  });

  it("calls a policy of several types only for those types, and one of no type for every resource", async () => {
    const calls: string[] = [];
    const spy = (name: string, marks: object) => ({
      ...policies.find((p) => p.name === "sns-topic-kms-encrypted")!,
      name,
      validateResource: Object.assign((args: { name: string }) => {
        calls.push(`${name}:${args.name}`);
      }, marks),
    });
    const resources = [
      planned(T.snsTopic, "alerts", {}),
      planned(T.kmsKey, "key", {}),
      planned(T.bucket, "raw", {}),
    ];
    await runPolicies(resources, {
      config: config({}),
      stackName: STACK,
      policies: [
        spy("several", { __pulumiTypes: [T.snsTopic, T.kmsKey] }),
        spy("every", {}),
        spy("one", { __pulumiType: T.bucket }),
      ],
    });
    expect(calls).toEqual([
      "several:alerts",
      "every:alerts",
      "several:key",
      "every:key",
      "one:raw",
      "every:raw",
    ]);
  });

  // Its speed is measured by `npm run bench`, never by a timed test (a loaded machine fails those).
  it("runs the whole pack on hundreds of resources with no false positive", async () => {
    const resources = [provider()];
    for (let i = 0; i < 300; i++) {
      resources.push(planned(T.snsTopic, `t${i}`, { name: `t${i}`, kmsMasterKeyId: KEY }));
      resources.push(
        planned(T.bucketObjectv2, `o${i}`, { bucket: "b", key: `k${i}`, content: "{}" }),
      );
    }
    const violations = await runPolicies(resources, { config: realConfig, stackName: STACK });
    expect(violations.filter((v) => v.enforcementLevel === "mandatory")).toEqual([]);
  });
});

describe("helpers", () => {
  it("providerUrn cuts the id off a provider reference", () => {
    expect(providerUrn(`${PROVIDER_URN}::04da6b54-80e4-46f7-96ec-b56ff0331ba9`)).toBe(PROVIDER_URN);
  });

  it("policyProps keeps known values plain and marks unknown ones", () => {
    const plain = policyProps({ a: 1, b: undefined }, { a: [], b: [] });
    expect(plain).toEqual({ a: 1 });
    const marked = policyProps(
      { a: 1, nested: { x: undefined, y: 2 } },
      { nested: ["urn:x"], gone: ["urn:y"] },
    );
    expect(() => (marked as { gone: unknown }).gone).toThrow(/can't be known during preview/);
    expect(() => (marked as { nested: { x: unknown } }).nested.x).toThrow(
      /\.nested\.x can't be known/,
    );
    expect((marked as { nested: { y: number } }).nested.y).toBe(2);
    expect(UNKNOWN_SENTINEL).toEqual(expect.any(String));
  });
});
