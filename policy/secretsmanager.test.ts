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

describeResourcePolicy(
  policyNamed(secretsManagerPolicies, "secretsmanager-no-secret-value-in-code"),
  T.secretsManagerSecretVersion,
  [
    {
      title: "a version without a value (rotation fills it)",
      props: { secretId: "s" },
      messages: [],
    },
    {
      title: "the value written by the program",
      props: { secretId: "dataeng/hook", secretString: "https://hooks.slack.com/x" },
      messages: [
        `${T.secretsManagerSecretVersion} "subject": it writes the value of dataeng/hook from the program. Fix: remove it and put the value with aws secretsmanager put-secret-value.`,
      ],
    },
  ],
);
