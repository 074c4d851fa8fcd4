import { defaultTags } from "../lib/model/tags";
import { providerPolicies } from "./provider";
import { describeResourcePolicy, policyNamed } from "./testing";
import { T } from "./types";

const policy = (name: string) => policyNamed(providerPolicies, name);
const prov = `${T.awsProvider} "subject"`;
/** Provider inputs as the SDK sends them: nested values as JSON strings. */
const withTags = (tags: Record<string, string>) => ({
  region: "eu-west-2",
  defaultTags: JSON.stringify({ tags }),
});

describeResourcePolicy(policy("aws-provider-default-tags"), T.awsProvider, [
  {
    title: "lib/model/tags.ts defaultTags, as a JSON string",
    props: withTags(defaultTags("pipelines", "dev")),
    provider: null,
    messages: [],
  },
  {
    title: "as an object",
    props: { defaultTags: { tags: defaultTags("core", "prod") } },
    provider: null,
    messages: [],
  },
  {
    title: "no default tags",
    props: { region: "eu-west-2" },
    provider: null,
    messages: [
      `${prov}: its defaultTags lack business-unit, application, owner, environment, is-production, source-code. Fix: create the provider with defaultTags: { tags: defaultTags(project, env) } from lib/model/tags.ts.`,
    ],
  },
  {
    title: "an unknown environment and a contradicting is-production",
    props: withTags({ ...defaultTags("core", "prod"), environment: "production" }),
    provider: null,
    messages: [
      /its environment tag "production" is not one of dev, preprod, prod/,
      `${prov}: its is-production tag is "true" but environment production means "false". Fix: create the provider with defaultTags: { tags: defaultTags(project, env) } from lib/model/tags.ts.`,
    ],
  },
  {
    title: "is-production false in prod",
    props: withTags({ ...defaultTags("core", "prod"), "is-production": "false" }),
    provider: null,
    messages: [/its is-production tag is "false" but environment prod means "true"/],
  },
]);

describeResourcePolicy(policy("aws-provider-allowed-region"), T.awsProvider, [
  { title: "London", props: { region: "eu-west-2" }, provider: null, messages: [] },
  {
    title: "Virginia",
    props: { region: "us-east-1" },
    provider: null,
    messages: [
      `${prov}: it deploys to us-east-1. Fix: set aws:region to one of eu-west-2 in the stack file.`,
    ],
  },
  {
    title: "region from the environment",
    props: {},
    provider: null,
    messages: [/cannot judge its region: it is not set on the provider/],
    level: "advisory",
  },
]);
