import { sqsPolicies } from "./sqs";
import { describeResourcePolicy, policyNamed } from "./testing";
import { T } from "./types";

const policy = (name: string) => policyNamed(sqsPolicies, name);
const KEY = "arn:aws:kms:eu-west-2:111122223333:key/1234abcd";
const queue = `${T.sqsQueue} "subject"`;

describeResourcePolicy(policy("sqs-queue-kms-encrypted"), T.sqsQueue, [
  {
    title: "customer key",
    props: { name: "q", kmsMasterKeyId: KEY, messageRetentionSeconds: 1209600 },
    messages: [],
  },
  {
    title: "SQS-managed encryption",
    props: { name: "q", sqsManagedSseEnabled: true },
    messages: [
      `${queue}: it uses SQS-managed encryption, not a customer-managed key. Fix: set kmsMasterKeyId to the customer-managed key ARN.`,
    ],
  },
  {
    title: "the AWS managed key",
    props: { name: "q", kmsMasterKeyId: "alias/aws/sqs" },
    messages: [/it uses the AWS managed key alias\/aws\/sqs/],
  },
]);

describeResourcePolicy(policy("sqs-queue-message-retention"), T.sqsQueue, [
  { title: "14 days", props: { name: "q", messageRetentionSeconds: 1209600 }, messages: [] },
  {
    title: "the 4-day default",
    props: { name: "q" },
    messages: [
      `${queue}: it keeps messages 345600 seconds, fewer than 604800. Fix: set messageRetentionSeconds to at least 604800.`,
    ],
  },
]);

const doc = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });
describeResourcePolicy(policy("sqs-queue-policy-no-public-access"), T.sqsQueuePolicy, [
  {
    title: "a topic, by source ARN",
    props: {
      queueUrl: "u",
      policy: doc({
        Effect: "Allow",
        Principal: { Service: "sns.amazonaws.com" },
        Action: "sqs:SendMessage",
        Resource: "*",
        Condition: { ArnEquals: { "aws:SourceArn": "arn:aws:sns:eu-west-2:1:t" } },
      }),
    },
    messages: [],
  },
  {
    title: "anyone may send",
    props: {
      queueUrl: "u",
      policy: doc({
        Sid: "Open",
        Effect: "Allow",
        Principal: "*",
        Action: "sqs:SendMessage",
        Resource: "*",
      }),
    },
    messages: [
      `${T.sqsQueuePolicy} "subject": statement "Open" allows sqs:SendMessage to every principal (*) without a condition. Fix: name the principal or add a condition such as aws:SourceArn or aws:SourceAccount.`,
    ],
  },
]);
