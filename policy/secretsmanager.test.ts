import { secretsManagerPolicies } from "./secretsmanager";
import { describeResourcePolicy, policyNamed } from "./testing";
import { T } from "./types";

describeResourcePolicy(
  policyNamed(secretsManagerPolicies, "secretsmanager-secret-customer-key"),
  T.secretsManagerSecret,
  [
    {
      title: "customer key",
      props: { name: "s", kmsKeyId: "arn:aws:kms:eu-west-2:1:key/k" },
      messages: [],
    },
    {
      title: "the default key",
      props: { name: "s" },
      messages: [
        `${T.secretsManagerSecret} "subject": kmsKeyId is not set, so it uses the AWS managed key aws/secretsmanager. Fix: set kmsKeyId to the customer-managed key ARN.`,
      ],
    },
    {
      title: "the AWS managed key by alias",
      props: { name: "s", kmsKeyId: "alias/aws/secretsmanager" },
      messages: [/uses the AWS managed key alias\/aws\/secretsmanager/],
    },
  ],
);
