import { accessPolicies } from "./access";
import { describeResourcePolicy, policyNamed } from "./testing";
import { T } from "./types";

const policy = (name: string) => policyNamed(accessPolicies, name);
const ACCOUNT = "123456789012";
const config = { accountIds: [ACCOUNT], allowedAccountIds: [], organizationIds: ["o-abcdefghij"] };
const doc = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });
const allow = (extra: object) => ({
  Effect: "Allow",
  Action: "s3:GetObject",
  Resource: "arn:aws:s3:::b/*",
  ...extra,
});
const FIX_ANYONE =
  "name a principal of this account, or add a condition on aws:SourceAccount, aws:SourceArn or aws:PrincipalOrgID naming this account or organisation";
const FIX_SERVICE =
  'add Condition: { StringEquals: { "aws:SourceAccount": "<this account>" } } or an aws:SourceArn of this account';
const bucketPolicy = `${T.bucketPolicy} "subject"`;

describeResourcePolicy(policy("resource-policy-principals-restricted"), T.bucketPolicy, [
  {
    title: "this account's role, and a service from this account",
    config,
    props: {
      bucket: "b",
      policy: doc(
        allow({ Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/reader` } }),
        allow({
          Principal: { Service: "logging.s3.amazonaws.com" },
          Action: "s3:PutObject",
          Condition: { StringEquals: { "aws:SourceAccount": ACCOUNT } },
        }),
        allow({
          Principal: "*",
          Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abcdefghij" } },
        }),
        {
          Effect: "Deny",
          Principal: "*",
          Action: "s3:*",
          Resource: "*",
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
      ),
    },
    messages: [],
  },
  {
    title: "anyone, under a condition that restricts nothing",
    config,
    props: {
      bucket: "b",
      policy: doc(
        allow({ Principal: "*", Condition: { Bool: { "aws:SecureTransport": "true" } } }),
        allow({
          Principal: { AWS: "*" },
          Condition: { ArnLike: { "aws:SourceArn": "arn:aws:s3:::*" } },
        }),
        allow({
          Principal: "*",
          Condition: { StringEqualsIfExists: { "aws:SourceAccount": ACCOUNT } },
        }),
      ),
    },
    messages: [
      `${bucketPolicy}: statement 1 lets every principal ("*") s3:GetObject without a condition that restricts it to this account, organisation or source. Fix: ${FIX_ANYONE}.`,
      `${bucketPolicy}: statement 2 lets every principal ("*") s3:GetObject without a condition that restricts it to this account, organisation or source. Fix: ${FIX_ANYONE}.`,
      `${bucketPolicy}: statement 3 lets every principal ("*") s3:GetObject without a condition that restricts it to this account, organisation or source. Fix: ${FIX_ANYONE}.`,
    ],
  },
  {
    title: "another account, and a service for any account",
    config,
    props: {
      bucket: "b",
      policy: doc(
        allow({ Principal: { AWS: "arn:aws:iam::999999999999:root" } }),
        allow({ Principal: { Service: "logging.s3.amazonaws.com" }, Action: "s3:PutObject" }),
      ),
    },
    messages: [
      `${bucketPolicy}: statement 1 lets the principal arn:aws:iam::999999999999:root of another account s3:GetObject without a condition that restricts it to this account, organisation or source. Fix: ${FIX_ANYONE}.`,
      `${bucketPolicy}: statement 2 lets the service logging.s3.amazonaws.com on behalf of any account s3:PutObject without a condition that restricts it to this account, organisation or source. Fix: ${FIX_SERVICE}.`,
    ],
  },
  {
    title: "an allowlisted account",
    config: { ...config, allowedAccountIds: ["999999999999"] },
    props: { bucket: "b", policy: doc(allow({ Principal: { AWS: "999999999999" } })) },
    messages: [],
  },
]);

describeResourcePolicy(policy("resource-policy-principals-restricted"), T.kmsKey, [
  { title: "no inline policy", config, props: { description: "d" }, messages: [] },
  {
    title: "a key any account's CloudWatch may use",
    config,
    props: {
      policy: doc({
        Effect: "Allow",
        Principal: { Service: "cloudwatch.amazonaws.com" },
        Action: "kms:Decrypt",
        Resource: "*",
      }),
    },
    messages: [
      `${T.kmsKey} "subject": statement 1 lets the service cloudwatch.amazonaws.com on behalf of any account kms:Decrypt without a condition that restricts it to this account, organisation or source. Fix: ${FIX_SERVICE}.`,
    ],
  },
]);

describeResourcePolicy(policy("resource-policy-principals-restricted"), T.vpcEndpoint, [
  {
    title: "only this account's buckets through the endpoint",
    config,
    props: {
      policy: doc({
        Effect: "Allow",
        Principal: "*",
        Action: "s3:GetObject",
        Resource: "*",
        Condition: { StringEquals: { "aws:ResourceAccount": ACCOUNT } },
      }),
    },
    messages: [],
  },
  {
    title: "any bucket of any account through the endpoint",
    config,
    props: { policy: doc({ Effect: "Allow", Principal: "*", Action: "s3:*", Resource: "*" }) },
    messages: [
      `${T.vpcEndpoint} "subject": statement 1 lets every principal ("*") s3:* without a condition that restricts it to this account, organisation or source. Fix: ${FIX_ANYONE}.`,
    ],
  },
]);
