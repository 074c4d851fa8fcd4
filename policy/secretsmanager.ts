/** Secrets Manager: secrets created by the programs (the credentials themselves pre-exist). */
import * as secretsmanager from "@pulumi/aws/secretsmanager";
import { type PackPolicy, isAwsManagedKey, nonEmptyString, resourcePolicy } from "./common";

const secretKms = resourcePolicy({
  name: "secretsmanager-secret-customer-key",
  description:
    "A Secrets Manager secret is encrypted with a customer-managed KMS key, so that reading it needs the key policy too.",
  enforcementLevel: "mandatory",
  remediationSteps: "Set kmsKeyId to the customer-managed key ARN.",
  resource: secretsmanager.Secret,
  validate: (props, judge) => {
    if (!nonEmptyString(props.kmsKeyId)) {
      judge.fail(
        "kmsKeyId is not set, so it uses the AWS managed key aws/secretsmanager",
        "set kmsKeyId to the customer-managed key ARN",
      );
    } else if (isAwsManagedKey(props.kmsKeyId)) {
      judge.fail(
        `it uses the AWS managed key ${props.kmsKeyId}`,
        "set kmsKeyId to the customer-managed key ARN",
      );
    }
  },
});

export const secretsManagerPolicies: PackPolicy[] = [secretKms];
