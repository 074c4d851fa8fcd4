import { judgedTypes } from "./coverage";
import { policies } from "./policies";
import { describeStackPolicy, policyNamed } from "./testing";
import { T } from "./types";

const PROD = new Map([["dataeng:stack", "core-prod"]]);
const DEV = new Map([["dataeng:stack", "core-dev"]]);
const provider = {
  type: T.awsProvider,
  name: "aws",
  props: { region: "eu-west-2" },
  provider: null,
};
const website = {
  type: "aws:s3/bucketWebsiteConfiguration:BucketWebsiteConfiguration",
  name: "site",
  props: { bucket: "b" },
};
const message = (env: string) =>
  `aws:s3/bucketWebsiteConfiguration:BucketWebsiteConfiguration "site": no policy of the pack judges the type aws:s3/bucketWebsiteConfiguration:BucketWebsiteConfiguration (in ${env}). Fix: add a policy for it, or allowlist it with a reason in policy-config.json (every-resource-type-judged.allowedTypes).`;

describeStackPolicy(policyNamed(policies, "every-resource-type-judged"), [
  {
    title: "judged types and a component",
    stackTags: PROD,
    resources: [
      provider,
      { type: T.bucket, name: "b", props: { bucket: "b" } },
      { type: "dataeng:storage:SecureBucket", name: "raw", props: {}, provider: null },
    ],
    messages: [],
  },
  {
    title: "an unjudged type in prod",
    stackTags: PROD,
    resources: [provider, website],
    messages: [message("prod")],
  },
  {
    title: "an unjudged type in dev is advisory",
    stackTags: DEV,
    resources: [provider, website],
    messages: [message("dev")],
    level: "advisory",
  },
  {
    title: "an allowlisted type",
    stackTags: PROD,
    config: { allowedTypes: { [website.type]: "hosts a public page, by design" } },
    resources: [provider, website],
    messages: [],
  },
]);

describe("judgedTypes", () => {
  it("counts the types policies name, not the every-type wildcard", () => {
    const judged = judgedTypes(policies);
    expect(judged.has(T.sqsQueue)).toBe(true);
    expect(judged.has(T.iamUserPolicy)).toBe(true);
    expect(judged.has("*")).toBe(false);
  });
});
