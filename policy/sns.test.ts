import { snsPolicies } from "./sns";
import { describeResourcePolicy, policyNamed } from "./testing";
import { T } from "./types";

const policy = (name: string) => policyNamed(snsPolicies, name);
const KEY = "arn:aws:kms:eu-west-2:111122223333:key/1234abcd";
const doc = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });

describeResourcePolicy(policy("sns-topic-kms-encrypted"), T.snsTopic, [
  { title: "customer key", props: { name: "alerts", kmsMasterKeyId: KEY }, messages: [] },
  {
    title: "unencrypted",
    props: { name: "alerts" },
    messages: [
      `${T.snsTopic} "subject": it is not encrypted (kmsMasterKeyId is not set). Fix: set kmsMasterKeyId to the customer-managed key ARN.`,
    ],
  },
  {
    title: "the AWS managed key",
    props: { name: "alerts", kmsMasterKeyId: "alias/aws/sns" },
    messages: [
      /it uses the AWS managed key alias\/aws\/sns, which CloudWatch and DMS cannot publish with/,
    ],
  },
]);

describeResourcePolicy(policy("sns-topic-policy-no-public-access"), T.snsTopicPolicy, [
  {
    title: "account and conditioned services",
    props: {
      arn: "arn:aws:sns:eu-west-2:1:alerts",
      policy: doc(
        {
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::111122223333:root" },
          Action: "sns:Publish",
          Resource: "*",
        },
        {
          Effect: "Allow",
          Principal: { Service: ["cloudwatch.amazonaws.com"] },
          Action: "sns:Publish",
          Resource: "*",
          Condition: { StringEquals: { "aws:SourceAccount": "111122223333" } },
        },
      ),
    },
    messages: [],
  },
  {
    title: "anyone may subscribe",
    props: {
      arn: "a",
      policy: doc({
        Sid: "Open",
        Effect: "Allow",
        Principal: "*",
        Action: ["sns:Subscribe"],
        Resource: "*",
      }),
    },
    messages: [
      `${T.snsTopicPolicy} "subject": statement "Open" allows sns:Subscribe to every principal (*) without a condition. Fix: name the principal or add a condition such as aws:SourceAccount.`,
    ],
  },
]);

describeResourcePolicy(policy("sns-subscription-secure-protocol"), T.snsTopicSubscription, [
  {
    title: "lambda",
    props: { topic: "t", protocol: "lambda", endpoint: "arn:aws:lambda:eu-west-2:1:function:f" },
    messages: [],
  },
  {
    title: "plain http",
    props: { topic: "t", protocol: "http", endpoint: "http://example.com" },
    messages: [
      `${T.snsTopicSubscription} "subject": it uses the protocol "http". Fix: use one of lambda, sqs, https, firehose, email (https rather than http).`,
    ],
  },
  {
    title: "sms when configured out",
    props: { topic: "t", protocol: "sms", endpoint: "+44" },
    messages: [/uses the protocol "sms"/],
  },
]);
