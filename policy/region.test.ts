import { regionPolicies } from "./region";
import {
  type HandResource,
  describeResourcePolicy,
  describeStackPolicy,
  policyNamed,
} from "./testing";
import { T } from "./types";

const policy = (name: string) => policyNamed(regionPolicies, name);

describeResourcePolicy(
  policy("data-stays-in-region"),
  T.lambdaFunction,
  [
    {
      title: "everything in eu-west-2",
      props: {
        name: "f",
        region: "eu-west-2",
        environment: { variables: { TOPIC: "arn:aws:sns:eu-west-2:123456789012:alerts" } },
      },
      messages: [],
    },
    {
      title: "created in another region, and pointing at a topic in another",
      props: {
        name: "f",
        region: "eu-west-1",
        environment: { variables: { TOPIC: "arn:aws:sns:us-east-1:123456789012:alerts" } },
      },
      messages: [
        `${T.lambdaFunction} "subject": it is created in eu-west-1. Fix: remove region (the provider deploys to eu-west-2).`,
        `${T.lambdaFunction} "subject": environment.variables.TOPIC refers to a resource in us-east-1. Fix: use the resource in eu-west-2 instead.`,
      ],
    },
  ],
  { everyType: true },
);

describeResourcePolicy(
  policy("data-stays-in-region"),
  T.secretsManagerSecret,
  [
    { title: "no replica", props: { name: "s", kmsKeyId: "k" }, messages: [] },
    {
      title: "a replica in Ireland",
      props: { name: "s", replicas: [{ region: "eu-west-1" }] },
      messages: [
        `${T.secretsManagerSecret} "subject": it replicates to eu-west-1. Fix: remove the replica in eu-west-1.`,
      ],
    },
  ],
  { everyType: true },
);

const bucket = (name: string, physical: string): HandResource => ({
  type: T.bucket,
  name,
  props: { bucket: physical, arn: `arn:aws:s3:::${physical}` },
});
describeStackPolicy(policy("s3-replication-stays-in-stack"), [
  {
    title: "to a bucket of the stack",
    resources: [
      bucket("raw", "raw"),
      bucket("copy", "copy"),
      {
        type: T.bucketReplication,
        name: "replication",
        props: { bucket: "raw", rules: [{ destination: { bucket: "arn:aws:s3:::copy" } }] },
      },
    ],
    messages: [],
  },
  {
    title: "to a bucket elsewhere",
    resources: [
      bucket("raw", "raw"),
      {
        type: T.bucketReplication,
        name: "replication",
        props: { bucket: "raw", rules: [{ destination: { bucket: "arn:aws:s3:::dr-copy" } }] },
      },
    ],
    messages: [
      `${T.bucketReplication} "replication": it replicates to arn:aws:s3:::dr-copy, a bucket outside this stack (any region, any account). Fix: replicate only to a bucket of this stack.`,
    ],
  },
]);

const accounts = { accountIds: ["123456789012"], allowedAccountIds: ["210987654321"] };
describeResourcePolicy(
  policy("data-stays-in-account"),
  T.eventTarget,
  [
    {
      title: "a target of this account, and one of an allowlisted account",
      config: accounts,
      props: {
        rule: "r",
        arn: "arn:aws:lambda:eu-west-2:123456789012:function:f",
        deadLetterConfig: { arn: "arn:aws:sqs:eu-west-2:210987654321:dlq" },
      },
      messages: [],
    },
    {
      title: "a target in another account",
      config: accounts,
      props: { rule: "r", arn: "arn:aws:events:eu-west-2:593291632749:event-bus/default" },
      messages: [
        `${T.eventTarget} "subject": arn refers to a resource of the account 593291632749. Fix: point at a resource of this account, or allowlist the account in policy-config.json.`,
      ],
    },
  ],
  { everyType: true },
);
