import { type PlannedResource } from "../lib/plan/plannedResource";
import { exemptedMessage, exemptionOf, policyExemptionTag } from "../lib/model/policyExemption";
import { defaultTags } from "../lib/model/tags";
import { type PackResourcePolicy, type PackStackPolicy } from "./common";
import { PolicyConfigError, parsePolicyConfig } from "./config";
import { urnMatches } from "./exemptions";
import { policies } from "./policies";
import { runPolicies } from "./runner";
import {
  describeResourcePolicy,
  policyNamed,
  runResourcePolicy,
  runStackPolicy,
  urnOf,
} from "./testing";
import { T } from "./types";

const sns = policyNamed(policies, "sns-topic-kms-encrypted") as PackResourcePolicy;
const unencrypted = `${T.snsTopic} "alerts": it is not encrypted (kmsMasterKeyId is not set). Fix: set kmsMasterKeyId to the customer-managed key ARN.`;
const REASON = "Carries only test pings: agreed with security on 2026-12-01";

describe("an exemption in policy-config.json", () => {
  const exemptions = (resource: string) => ({
    exemptions: [{ resource, reason: REASON }],
  });

  it("turns the violation of that resource into an advisory that names the reason", async () => {
    const outcome = await runResourcePolicy(sns, {
      type: T.snsTopic,
      name: "alerts",
      props: { name: "alerts" },
      config: exemptions(urnOf(T.snsTopic, "alerts")),
    });
    expect(outcome.reports).toEqual([
      {
        message: `${unencrypted} (exempted: ${REASON})`,
        enforcementLevel: "advisory",
        urn: undefined,
      },
    ]);
  });

  it("matches a URN glob, and nothing else", async () => {
    const config = exemptions("urn:pulumi:*-prod::*::aws:sns/topic:Topic::alert*");
    const matched = await runResourcePolicy(sns, {
      type: T.snsTopic,
      name: "alerts",
      props: {},
      config,
    });
    const other = await runResourcePolicy(sns, {
      type: T.snsTopic,
      name: "events",
      props: {},
      config,
    });
    expect(matched.reports.map((r) => r.enforcementLevel)).toEqual(["advisory"]);
    expect(other.reports.map((r) => r.enforcementLevel)).toEqual(["mandatory"]);
    expect(other.reports[0].message).not.toContain("exempted");
  });

  it("exempts a resource from a stack policy too", async () => {
    const protectedPolicy = policyNamed(
      policies,
      "stateful-resources-protected",
    ) as PackStackPolicy;
    const bucket = { type: T.bucketV2, name: "scratch", props: {} };
    const stackTags = new Map([["dataeng:stack", "core-prod"]]);
    const urn = "urn:pulumi:test-prod::test::aws:s3/bucketV2:BucketV2::scratch";
    const exempted = await runStackPolicy(protectedPolicy, [bucket], {
      stackTags,
      config: { exemptions: [{ resource: urn, reason: REASON }] },
    });
    const blocked = await runStackPolicy(protectedPolicy, [bucket], { stackTags });
    expect(exempted.reports).toEqual([
      {
        message: `${T.bucketV2} "scratch": it holds prod data but is not protected. Fix: create it with { protect: true, retainOnDelete: true } (statefulOptions in lib/infra/context.ts). (exempted: ${REASON})`,
        enforcementLevel: "advisory",
        urn,
      },
    ]);
    expect(blocked.reports.map((r) => r.enforcementLevel)).toEqual(["mandatory"]);
  });

  it("exempts from the named policy only", async () => {
    const outcome = await runResourcePolicy(sns, {
      type: T.snsTopic,
      name: "alerts",
      props: { tags: policyExemptionTag("sqs-queue-kms-encrypted", REASON) },
    });
    expect(outcome.reports.map((r) => r.enforcementLevel)).toEqual(["mandatory"]);
  });
});

describe("an exemption tag where the resource is declared", () => {
  it("turns the violation into an advisory that names the reason", async () => {
    const outcome = await runResourcePolicy(sns, {
      type: T.snsTopic,
      name: "alerts",
      props: { tags: policyExemptionTag("sns-topic-kms-encrypted", REASON) },
    });
    expect(outcome.reports).toEqual([
      {
        message: `${unencrypted} (exempted: ${REASON})`,
        enforcementLevel: "advisory",
        urn: undefined,
      },
    ]);
  });
});

describeResourcePolicy(
  policyNamed(policies, "policy-exemption-tags-valid"),
  T.snsTopic,
  [
    {
      title: "a tag naming a policy, with a reason",
      props: { tags: policyExemptionTag("sns-topic-kms-encrypted", REASON) },
      messages: [],
    },
    {
      title: "a tag naming no policy of the pack",
      props: { tags: policyExemptionTag("sns-topic-kms-encryptd", REASON) },
      messages: [
        `${T.snsTopic} "subject": its tag dataeng:policy-exemption:sns-topic-kms-encryptd exempts it from "sns-topic-kms-encryptd", which is not a policy of this pack; did you mean "sns-topic-kms-encrypted"?. Fix: name an existing policy (policy/README.md lists them) or remove the tag.`,
      ],
    },
    {
      title: "a tag without a reason",
      props: { tags: policyExemptionTag("sns-topic-kms-encrypted", " ") },
      messages: [
        `${T.snsTopic} "subject": its tag dataeng:policy-exemption:sns-topic-kms-encrypted gives no reason. Fix: set the tag's value to why it may break sns-topic-kms-encrypted, and who agreed.`,
      ],
    },
    {
      title: "a reason AWS refuses as a tag value",
      props: { tags: policyExemptionTag("sns-topic-kms-encrypted", "test only (see #12)") },
      messages: [
        `${T.snsTopic} "subject": the reason in its tag dataeng:policy-exemption:sns-topic-kms-encrypted is not a valid AWS tag value (only letters, digits, spaces and _ . : / = + - @, at most 256 characters). Fix: reword the reason within those characters, or exempt the resource in policy-config.json instead.`,
      ],
    },
  ],
  { everyType: true },
);

describe("exemptions in policy-config.json are checked", () => {
  const FILE = "policy-config.json";
  function problems(value: object): readonly string[] {
    try {
      parsePolicyConfig(JSON.stringify(value), FILE, policies, false);
      return [];
    } catch (e) {
      if (e instanceof PolicyConfigError) return e.problems;
      throw e;
    }
  }
  const urn = "urn:pulumi:core-prod::core::aws:sns/topic:Topic::alerts";

  it("loads a well-formed exemption", () => {
    const loaded = parsePolicyConfig(
      JSON.stringify({
        "sns-topic-kms-encrypted": { exemptions: [{ resource: urn, reason: REASON }] },
      }),
      FILE,
      policies,
      false,
    );
    expect(loaded.policies.get("sns-topic-kms-encrypted")?.config["exemptions"]).toEqual([
      { resource: urn, reason: REASON },
    ]);
  });

  it("refuses an exemption without a reason, or with a blank one", () => {
    expect(
      problems({
        "sns-topic-kms-encrypted": {
          exemptions: [{ resource: urn }, { resource: urn, reason: "  " }],
        },
      }),
    ).toEqual([
      `"sns-topic-kms-encrypted".exemptions[0]: the exemption of ${urn} from sns-topic-kms-encrypted has no reason; add "reason": why it may break sns-topic-kms-encrypted, and who agreed`,
      `"sns-topic-kms-encrypted".exemptions[1]: the exemption of ${urn} from sns-topic-kms-encrypted has no reason; add "reason": why it may break sns-topic-kms-encrypted, and who agreed`,
    ]);
  });

  it("refuses an exemption for a policy that does not exist", () => {
    expect(
      problems({ "sns-topic-kms-encryptd": { exemptions: [{ resource: urn, reason: REASON }] } }),
    ).toEqual([
      `"sns-topic-kms-encryptd": not a policy of this pack; did you mean "sns-topic-kms-encrypted"?`,
    ]);
  });

  it("refuses a resource that is not a URN, unknown keys and a list of the wrong kind", () => {
    expect(
      problems({
        "sns-topic-kms-encrypted": {
          exemptions: [{ resource: "alerts", reason: REASON, by: "me" }],
        },
        "sqs-queue-kms-encrypted": { exemptions: { resource: urn, reason: REASON } },
      }),
    ).toEqual([
      `"sns-topic-kms-encrypted".exemptions[0].by: not a key of an exemption (its keys: resource, reason)`,
      `"sns-topic-kms-encrypted".exemptions[0].resource: expected the resource's URN (urn:pulumi:<stack>::<project>::<type>::<name>, * matching any characters), got string "alerts"`,
      `"sqs-queue-kms-encrypted".exemptions: expected a list of { "resource": <URN>, "reason": <why> }, got an object`,
    ]);
  });

  it("refuses a top-level exemptions list, which the Pulumi CLI would never pass to the pack", () => {
    expect(problems({ exemptions: [{ resource: urn, reason: REASON }] })).toEqual([
      `"exemptions": exemptions go under the policy they exempt, "<policy>": { "enforcementLevel": ..., "exemptions": [{ "resource": <URN>, "reason": <why> }] }, since the Pulumi CLI hands each policy only its own config`,
    ]);
  });
});

describe("the offline runner", () => {
  it("reports an exempted violation as advisory, with the reason in `exemption`", async () => {
    const PROVIDER_URN = "urn:pulumi:core-prod::core::pulumi:providers:aws::aws";
    const base = {
      custom: true,
      protect: false,
      retainOnDelete: false,
      dependencies: [],
      propertyDependencies: {},
    };
    const provider: PlannedResource = {
      ...base,
      urn: PROVIDER_URN,
      type: T.awsProvider,
      name: "aws",
      inputs: {
        region: "eu-west-2",
        defaultTags: JSON.stringify({ tags: defaultTags("core", "prod") }),
      },
      state: {},
      id: "p",
    };
    const tags = policyExemptionTag("sns-topic-kms-encrypted", REASON);
    const topic: PlannedResource = {
      ...base,
      urn: "urn:pulumi:core-prod::core::aws:sns/topic:Topic::alerts",
      type: T.snsTopic,
      name: "alerts",
      inputs: { name: "alerts", tags },
      state: { name: "alerts", tags },
      id: "alerts",
      provider: `${PROVIDER_URN}::p`,
    };
    const config = parsePolicyConfig(
      JSON.stringify({ "data-stays-in-account": { accountIds: ["123456789012"] } }),
      "test.json",
      policies,
      false,
    );
    const violations = await runPolicies([provider, topic], { config, stackName: "core-prod" });
    expect(violations.filter((v) => v.policyName === "sns-topic-kms-encrypted")).toEqual([
      {
        policyName: "sns-topic-kms-encrypted",
        enforcementLevel: "advisory",
        message: `${unencrypted} (exempted: ${REASON})`,
        urn: topic.urn,
        resourceType: T.snsTopic,
        resourceName: "alerts",
        exemption: REASON,
      },
    ]);
    expect(violations.filter((v) => v.enforcementLevel === "mandatory")).toEqual([]);
  });
});

describe("urnMatches", () => {
  it("treats * as any characters and everything else literally", () => {
    expect(urnMatches("urn:pulumi:*::core::*::a.b", "urn:pulumi:core-dev::core::x$y::a.b")).toBe(
      true,
    );
    expect(urnMatches("urn:pulumi:*::core::*::a.b", "urn:pulumi:core-dev::core::x::aXb")).toBe(
      false,
    );
    expect(urnMatches(42, "urn:pulumi:x")).toBe(false);
  });
});

describe("the reason, read back from a message", () => {
  it("is what exemptedMessage appended, and nothing when no exemption applied", () => {
    const message = exemptedMessage(unencrypted, REASON);
    expect(exemptionOf(message)).toBe(REASON);
    // a reason may itself end with a parenthesis, and the engine may add a trailing newline
    expect(exemptionOf(`${exemptedMessage("m", "agreed (see ADR 7)")}\n`)).toBe(
      "agreed (see ADR 7)",
    );
    expect(exemptionOf(unencrypted)).toBeUndefined();
    expect(exemptionOf("bucket (exempted from nothing)")).toBeUndefined();
  });
});
