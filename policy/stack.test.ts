import { defaultTags } from "../lib/model/tags";
import { stackPolicies } from "./stack";
import { type HandResource, awsProvider, describeStackPolicy, policyNamed } from "./testing";
import { T } from "./types";

const policy = (name: string) => policyNamed(stackPolicies, name);
const topic = (extra: Partial<HandResource> = {}): HandResource => ({
  type: T.snsTopic,
  name: "alerts",
  props: { name: "alerts" },
  ...extra,
});

describeStackPolicy(policy("required-tags"), [
  { title: "tags from the provider's defaultTags", resources: [topic()], messages: [] },
  {
    title: "tags on the resource itself",
    resources: [
      topic({ provider: null, props: { name: "alerts", tags: defaultTags("core", "dev") } }),
    ],
    messages: [],
  },
  {
    title: "an untaggable type is not judged",
    resources: [{ type: T.kmsAlias, name: "a", props: { name: "alias/x" }, provider: null }],
    messages: [],
  },
  {
    title: "no provider tags",
    resources: [topic({ provider: awsProvider(null) })],
    messages: [
      `${T.snsTopic} "alerts": it lacks the tags business-unit, application, owner, environment, is-production, source-code (neither its tags nor its provider's defaultTags set them). Fix: create it with the stack's provider (ctx.provider, or ctx.componentOptions for a component), whose defaultTags carry the required tags.`,
    ],
  },
  {
    title: "the resource's tags add to the provider's",
    resources: [
      topic({
        provider: awsProvider({ owner: "x" }),
        props: { name: "alerts", tags: { "business-unit": "Platforms" } },
      }),
    ],
    config: { requiredTags: ["owner", "business-unit", "cost-centre"] },
    messages: [
      /it lacks the tag cost-centre \(neither its tags nor its provider's defaultTags set it\)/,
    ],
  },
  {
    title: "additional types when configured",
    resources: [{ type: "aws:sqs/queue:Queue", name: "q", props: {}, provider: null }],
    config: { additionalTaggableTypes: ["aws:sqs/queue:Queue"] },
    messages: [/^aws:sqs\/queue:Queue "q": it lacks the tags/],
  },
]);

const PROD = new Map([["dataeng:stack", "core-prod"]]);
const key: HandResource = {
  type: T.kmsKey,
  name: "data-key",
  props: { description: "d" },
  protect: true,
};
const bucket: HandResource = {
  type: T.bucket,
  name: "raw-history-bucket",
  props: { bucket: "b" },
  protect: true,
};
describeStackPolicy(policy("stateful-resources-protected"), [
  { title: "protected in prod", resources: [key, bucket], stackTags: PROD, messages: [] },
  {
    title: "unprotected in dev",
    resources: [{ ...key, protect: false, provider: awsProvider(defaultTags("core", "dev")) }],
    stackTags: new Map([["dataeng:stack", "core-dev"]]),
    messages: [],
  },
  {
    title: "a copied environment: dev tag does not exempt a prod resource",
    resources: [{ ...key, protect: false, provider: awsProvider(defaultTags("core", "dev")) }],
    stackTags: PROD,
    messages: [
      `${T.kmsKey} "data-key": it holds prod data but is not protected. Fix: create it with { protect: true, retainOnDelete: true } (statefulOptions in lib/infra/context.ts).`,
    ],
  },
  {
    title: "unprotected in prod",
    stackTags: PROD,
    resources: [
      key,
      { ...bucket, protect: false },
      { type: T.glueCatalogDatabase, name: "delius-database", props: { name: "delius_prod" } },
    ],
    messages: [
      `${T.bucket} "raw-history-bucket": it holds prod data but is not protected. Fix: create it with { protect: true, retainOnDelete: true } (statefulOptions in lib/infra/context.ts).`,
      `${T.glueCatalogDatabase} "delius-database": it holds prod data but is not protected. Fix: create it with { protect: true, retainOnDelete: true } (statefulOptions in lib/infra/context.ts).`,
    ],
  },
  {
    title: "the environment from the stack name",
    resources: [{ ...bucket, protect: false, provider: null }],
    stackTags: new Map([["dataeng:stack", "core-preprod"]]),
    messages: [/"raw-history-bucket": it holds preprod data but is not protected/],
  },
  {
    title: "no way to tell the environment",
    resources: [{ ...bucket, protect: false, provider: null }],
    messages: [
      /"raw-history-bucket": cannot judge whether it must be protected: the stack name is unknown/,
    ],
    level: "advisory",
  },
]);
