import * as aws from "@pulumi/aws";
import { statefulOptions } from "../lib/infra/context";
import { type KeyConfig } from "./config";
import { keyPolicy } from "./keyPolicy";
import { type CoreScope } from "./scope";

/** The customer-managed key of the lake, the alerts topic and the logs, with a readable alias. */
export function dataKey(scope: CoreScope, config: KeyConfig): aws.kms.Key {
  const { env, opts } = scope;
  const key = new aws.kms.Key(
    "data-key",
    {
      description: `Encrypts the data-engineering DMS pipeline buckets, topic and logs (${env})`,
      enableKeyRotation: true,
      deletionWindowInDays: config.kmsDeletionWindowDays,
      policy: keyPolicy(scope.account, scope.region),
    },
    { ...opts, ...statefulOptions(scope.protect) },
  );
  new aws.kms.Alias(
    "data-key-alias",
    { name: `alias/dataeng-${env}`, targetKeyId: key.keyId },
    opts,
  );
  return key;
}
