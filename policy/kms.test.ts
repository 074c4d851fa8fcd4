import { kmsPolicies } from "./kms";
import { describeResourcePolicy, policyNamed } from "./testing";
import { T } from "./types";

const policy = (name: string) => policyNamed(kmsPolicies, name);
const key = `${T.kmsKey} "subject"`;
const doc = (...Statement: object[]) => JSON.stringify({ Version: "2012-10-17", Statement });
const accountAdmin = {
  Sid: "AccountAdministersThroughIam",
  Effect: "Allow",
  Principal: { AWS: "arn:aws:iam::111122223333:root" },
  Action: "kms:*",
  Resource: "*",
};

describeResourcePolicy(policy("kms-key-rotation-enabled"), T.kmsKey, [
  { title: "rotation on", props: { description: "d", enableKeyRotation: true }, messages: [] },
  {
    title: "asymmetric keys cannot rotate",
    props: { customerMasterKeySpec: "RSA_2048", keyUsage: "SIGN_VERIFY" },
    messages: [],
  },
  {
    title: "rotation off",
    props: { description: "d", enableKeyRotation: false },
    messages: [`${key}: automatic key rotation is off. Fix: set enableKeyRotation: true.`],
  },
  {
    title: "a rotation period longer than configured",
    props: { enableKeyRotation: true, rotationPeriodInDays: 730 },
    config: { maxRotationPeriodDays: 365 },
    messages: [
      `${key}: it rotates every 730 days, more than 365. Fix: set rotationPeriodInDays to at most 365.`,
    ],
  },
]);

describeResourcePolicy(policy("kms-key-description"), T.kmsKey, [
  {
    title: "described",
    props: { description: "Encrypts the lake (prod)", enableKeyRotation: true },
    messages: [],
  },
  {
    title: "blank description",
    props: { description: " ", enableKeyRotation: true },
    messages: [
      `${key}: it has no description. Fix: set description to what the key encrypts and for which environment.`,
    ],
  },
]);

describeResourcePolicy(policy("kms-key-policy-no-public-principal"), T.kmsKey, [
  { title: "no policy (the default key policy)", props: { enableKeyRotation: true }, messages: [] },
  {
    title: "account root and a conditioned service",
    props: {
      policy: doc(accountAdmin, {
        Effect: "Allow",
        Principal: { Service: "logs.eu-west-2.amazonaws.com" },
        Action: ["kms:Decrypt*"],
        Resource: "*",
        Condition: {
          ArnLike: {
            "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:eu-west-2:111122223333:log-group:*",
          },
        },
      }),
    },
    messages: [],
  },
  {
    title: '"*" narrowed by a condition',
    props: {
      policy: doc({
        ...accountAdmin,
        Principal: "*",
        Condition: { StringEquals: { "kms:CallerAccount": "111122223333" } },
      }),
    },
    messages: [],
  },
  {
    title: '"*" without a condition',
    props: { policy: doc({ ...accountAdmin, Principal: { AWS: "*" } }) },
    messages: [
      `${key}: statement "AccountAdministersThroughIam" of its key policy allows kms:* to every principal (*) without a condition. Fix: name the principal or add a condition such as aws:SourceAccount or kms:CallerAccount.`,
    ],
  },
  {
    title: "an empty condition does not count",
    props: { policy: doc({ ...accountAdmin, Principal: "*", Condition: { StringEquals: {} } }) },
    messages: [/allows kms:\* to every principal/],
  },
]);

describeResourcePolicy(policy("kms-key-deletion-window"), T.kmsKey, [
  { title: "AWS default", props: { enableKeyRotation: true }, messages: [] },
  { title: "30 days", props: { deletionWindowInDays: 30 }, messages: [] },
  {
    title: "7 days",
    props: { deletionWindowInDays: 7 },
    messages: [
      `${key}: its deletion window is 7 days, less than 30. Fix: set deletionWindowInDays to at least 30.`,
    ],
  },
  {
    title: "7 days when configured so",
    props: { deletionWindowInDays: 7 },
    config: { minDeletionWindowDays: 7 },
    messages: [],
  },
]);

const alias = `${T.kmsAlias} "subject"`;
describeResourcePolicy(policy("kms-alias-naming"), T.kmsAlias, [
  {
    title: "alias/dataeng-prod",
    props: { name: "alias/dataeng-prod", targetKeyId: "1234abcd" },
    messages: [],
  },
  {
    title: "a reserved alias/aws/ name without a key",
    props: { name: "alias/aws/s3", targetKeyId: "" },
    messages: [
      `${alias}: its name "alias/aws/s3" is in the prefix AWS reserves for its managed keys. Fix: rename it, for example alias/dataeng-<env>.`,
      `${alias}: it targets no key. Fix: set targetKeyId to the key's keyId.`,
    ],
  },
  {
    title: "a name outside the configured pattern",
    props: { name: "alias/other", targetKeyId: "k" },
    config: { namePattern: "^alias/dataeng-" },
    messages: [/its name "alias\/other" does not match \^alias\/dataeng-/],
  },
]);

const grantConfig = { accountIds: ["111122223333"] };
describeResourcePolicy(policy("kms-grant-scoped"), T.kmsGrant, [
  {
    title: "decrypt for a role of this account",
    config: grantConfig,
    props: {
      keyId: "k",
      granteePrincipal: "arn:aws:iam::111122223333:role/r",
      operations: ["Decrypt"],
    },
    messages: [],
  },
  {
    title: "another account, allowed to pass the key on",
    config: grantConfig,
    props: {
      keyId: "k",
      granteePrincipal: "arn:aws:iam::999999999999:role/r",
      operations: ["Decrypt", "CreateGrant"],
    },
    messages: [
      `${T.kmsGrant} "subject": its granteePrincipal arn:aws:iam::999999999999:role/r is not a principal of this account. Fix: grant the key to a role of this account only.`,
      `${T.kmsGrant} "subject": it lets the grantee CreateGrant, passing the key on. Fix: remove CreateGrant and RetireGrant from operations.`,
    ],
  },
]);
