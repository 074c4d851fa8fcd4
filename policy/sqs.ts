/** SQS: queues (the notifier's queue of undelivered alerts) and queue policies. */
import * as sqs from "@pulumi/aws/sqs";
import { type PackPolicy, isAwsManagedKey, nonEmptyString, resourcePolicy } from "./common";
import { judgeNoPublicAccess } from "./documents";

const queueKms = resourcePolicy({
  name: "sqs-queue-kms-encrypted",
  description:
    "An SQS queue encrypts messages with a customer-managed KMS key (SQS-managed SSE is not under our key policy).",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Set kmsMasterKeyId to the customer-managed key ARN; senders need kms:GenerateDataKey on it.",
  resource: sqs.Queue,
  validate: (props, judge) => {
    const key = props.kmsMasterKeyId;
    if (!nonEmptyString(key)) {
      judge.fail(
        props.sqsManagedSseEnabled === true
          ? "it uses SQS-managed encryption, not a customer-managed key"
          : "it is not encrypted with a customer-managed key (kmsMasterKeyId is not set)",
        "set kmsMasterKeyId to the customer-managed key ARN",
      );
    } else if (isAwsManagedKey(key)) {
      judge.fail(
        `it uses the AWS managed key ${key}`,
        "set kmsMasterKeyId to the customer-managed key ARN",
      );
    }
  },
});

const retention = resourcePolicy<sqs.QueueArgs, { minRetentionSeconds: number }>({
  name: "sqs-queue-message-retention",
  description:
    "An SQS queue keeps messages long enough for someone to act on them (the default is 4 days).",
  enforcementLevel: "advisory",
  remediationSteps:
    "Set messageRetentionSeconds to at least the configured minimum (at most 1209600, 14 days).",
  config: {
    minRetentionSeconds: {
      type: "integer",
      minimum: 60,
      maximum: 1209600,
      default: 604800,
      description: "Shortest message retention accepted, in seconds.",
    },
  },
  resource: sqs.Queue,
  validate: (props, judge) => {
    const seconds = props.messageRetentionSeconds ?? 345600;
    if (typeof seconds !== "number")
      return judge.cannotJudge(`messageRetentionSeconds ${JSON.stringify(seconds)}`);
    if (seconds < judge.config.minRetentionSeconds) {
      judge.fail(
        `it keeps messages ${seconds} seconds, fewer than ${judge.config.minRetentionSeconds}`,
        `set messageRetentionSeconds to at least ${judge.config.minRetentionSeconds}`,
      );
    }
  },
});

const queuePolicyNotPublic = resourcePolicy({
  name: "sqs-queue-policy-no-public-access",
  description: "An SQS queue policy grants nothing to every principal (*) without a condition.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Name the principal or add a condition such as aws:SourceArn or aws:SourceAccount.",
  resource: sqs.QueuePolicy,
  validate: (props, judge) => {
    judgeNoPublicAccess(
      props.policy,
      judge,
      "name the principal or add a condition such as aws:SourceArn or aws:SourceAccount",
    );
  },
});

export const sqsPolicies: PackPolicy[] = [queueKms, retention, queuePolicyNotPublic];
