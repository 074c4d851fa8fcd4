/** SNS: the alerts topic, its policy and its subscriptions. */
import * as sns from "@pulumi/aws/sns";
import { type PackPolicy, isAwsManagedKey, nonEmptyString, resourcePolicy } from "./common";
import { judgeNoPublicAccess } from "./documents";

const topicKms = resourcePolicy({
  name: "sns-topic-kms-encrypted",
  description: "An SNS topic encrypts messages at rest with a customer-managed KMS key.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Set kmsMasterKeyId to the customer-managed key ARN, and let the publishing services use the key in its key policy.",
  resource: sns.Topic,
  validate: (props, judge) => {
    const key = props.kmsMasterKeyId;
    if (!nonEmptyString(key)) {
      judge.fail(
        "it is not encrypted (kmsMasterKeyId is not set)",
        "set kmsMasterKeyId to the customer-managed key ARN",
      );
    } else if (isAwsManagedKey(key)) {
      judge.fail(
        `it uses the AWS managed key ${key}, which CloudWatch and DMS cannot publish with`,
        "set kmsMasterKeyId to the customer-managed key ARN",
      );
    }
  },
});

const topicPolicyNotPublic = resourcePolicy({
  name: "sns-topic-policy-no-public-access",
  description: "An SNS topic policy grants nothing to every principal (*) without a condition.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Name the principal (the account or the publishing services) or add a condition such as aws:SourceAccount.",
  resource: sns.TopicPolicy,
  validate: (props, judge) => {
    judgeNoPublicAccess(
      props.policy,
      judge,
      "name the principal or add a condition such as aws:SourceAccount",
    );
  },
});

const subscriptionProtocol = resourcePolicy<
  sns.TopicSubscriptionArgs,
  { allowedProtocols: string[] }
>({
  name: "sns-subscription-secure-protocol",
  description:
    "An SNS subscription delivers over an allowed protocol: never plain HTTP, which sends alerts in clear text.",
  enforcementLevel: "mandatory",
  remediationSteps: "Use https (or lambda, sqs, firehose) instead of http.",
  config: {
    allowedProtocols: {
      type: "array",
      items: {
        type: "string",
        enum: [
          "lambda",
          "sqs",
          "https",
          "http",
          "email",
          "email-json",
          "firehose",
          "application",
          "sms",
        ],
      },
      minItems: 1,
      uniqueItems: true,
      default: ["lambda", "sqs", "https", "firehose", "email"],
      description: "Protocols subscriptions may use.",
    },
  },
  resource: sns.TopicSubscription,
  validate: (props, judge) => {
    if (!judge.config.allowedProtocols.includes(props.protocol)) {
      judge.fail(
        `it uses the protocol ${JSON.stringify(props.protocol)}`,
        `use one of ${judge.config.allowedProtocols.join(", ")}${props.protocol === "http" ? " (https rather than http)" : ""}`,
      );
    }
  },
});

export const snsPolicies: PackPolicy[] = [topicKms, topicPolicyNotPublic, subscriptionProtocol];
