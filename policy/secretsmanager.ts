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

const noVersionFromCode = resourcePolicy({
  name: "secretsmanager-no-secret-value-in-code",
  description:
    "No deploy writes a secret's value (aws:secretsmanager/secretVersion with secretString or secretBinary): the value would sit in the program, the stack file or the state. Values are put in by hand or by rotation.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Remove the aws.secretsmanager.SecretVersion; put the value with `aws secretsmanager put-secret-value` and pass only the secret's name in config.",
  resource: secretsmanager.SecretVersion,
  validate: (props, judge) => {
    if (props.secretString !== undefined || props.secretBinary !== undefined) {
      judge.fail(
        `it writes the value of ${String(props.secretId)} from the program`,
        "remove it and put the value with aws secretsmanager put-secret-value",
      );
    }
  },
});

export const secretsManagerPolicies: PackPolicy[] = [secretKms, noVersionFromCode];
