/** KMS: customer-managed keys and their aliases. */
import * as kms from "@pulumi/aws/kms";
import { type PackPolicy, accountList, asList, nonEmptyString, resourcePolicy } from "./common";
import { arnAccount, judgeNoPublicAccess } from "./documents";

const SYMMETRIC = "SYMMETRIC_DEFAULT";

const rotation = resourcePolicy<kms.KeyArgs, { maxRotationPeriodDays: number }>({
  name: "kms-key-rotation-enabled",
  description: "A symmetric customer-managed KMS key rotates its key material automatically.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Set enableKeyRotation: true (and rotationPeriodInDays no longer than the configured maximum).",
  config: {
    maxRotationPeriodDays: {
      type: "integer",
      minimum: 90,
      maximum: 2560,
      default: 365,
      description: "Longest rotation period accepted when rotationPeriodInDays is set.",
    },
  },
  resource: kms.Key,
  validate: (props, judge) => {
    const spec = props.customerMasterKeySpec ?? SYMMETRIC;
    if (spec !== SYMMETRIC) return; // AWS rotates only symmetric keys automatically.
    if (props.enableKeyRotation !== true) {
      judge.fail("automatic key rotation is off", "set enableKeyRotation: true");
    }
    const period = props.rotationPeriodInDays;
    if (typeof period === "number" && period > judge.config.maxRotationPeriodDays) {
      judge.fail(
        `it rotates every ${period} days, more than ${judge.config.maxRotationPeriodDays}`,
        `set rotationPeriodInDays to at most ${judge.config.maxRotationPeriodDays}`,
      );
    }
  },
});

const description = resourcePolicy({
  name: "kms-key-description",
  description:
    "A KMS key says what it encrypts, so that nobody schedules the deletion of a key in use.",
  enforcementLevel: "advisory",
  remediationSteps: "Set description to what the key encrypts and for which environment.",
  resource: kms.Key,
  validate: (props, judge) => {
    if (!nonEmptyString(props.description)) {
      judge.fail(
        "it has no description",
        "set description to what the key encrypts and for which environment",
      );
    }
  },
});

const policyNotPublic = resourcePolicy({
  name: "kms-key-policy-no-public-principal",
  description: "A KMS key policy grants nothing to every principal (*) without a condition.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Name the principal (the account root, a role or a service) or add a condition such as aws:SourceAccount or kms:CallerAccount.",
  resource: kms.Key,
  validate: (props, judge) => {
    if (props.policy === undefined) return; // The default key policy grants the account only.
    judgeNoPublicAccess(
      props.policy,
      judge,
      "name the principal or add a condition such as aws:SourceAccount or kms:CallerAccount",
      " of its key policy",
    );
  },
});

const deletionWindow = resourcePolicy<kms.KeyArgs, { minDeletionWindowDays: number }>({
  name: "kms-key-deletion-window",
  description:
    "A KMS key scheduled for deletion waits long enough for a mistake to be noticed and cancelled.",
  enforcementLevel: "advisory",
  remediationSteps:
    "Set deletionWindowInDays to at least the configured minimum (AWS allows 7 to 30; the default is 30).",
  config: {
    minDeletionWindowDays: {
      type: "integer",
      minimum: 7,
      maximum: 30,
      default: 30,
      description: "Shortest deletion window accepted.",
    },
  },
  resource: kms.Key,
  validate: (props, judge) => {
    const days = props.deletionWindowInDays;
    if (days === undefined) return; // AWS default: 30 days.
    if (typeof days !== "number")
      return judge.cannotJudge(`deletionWindowInDays ${JSON.stringify(days)}`);
    if (days < judge.config.minDeletionWindowDays) {
      judge.fail(
        `its deletion window is ${days} days, less than ${judge.config.minDeletionWindowDays}`,
        `set deletionWindowInDays to at least ${judge.config.minDeletionWindowDays}`,
      );
    }
  },
});

const aliasNaming = resourcePolicy<kms.AliasArgs, { namePattern: string }>({
  name: "kms-alias-naming",
  description:
    "A KMS alias has a name of this repository's form (not an AWS reserved alias/aws/ name) and targets a key.",
  enforcementLevel: "advisory",
  remediationSteps: "Name the alias alias/dataeng-<env> (see namePattern) and set targetKeyId.",
  config: {
    namePattern: {
      type: "string",
      format: "regex",
      minLength: 1,
      default: "^alias/[A-Za-z0-9/_-]+$",
      description:
        "Regular expression the alias name must match (names under alias/aws/ are refused anyway).",
    },
  },
  resource: kms.Alias,
  validate: (props, judge) => {
    const name = props.name;
    if (name === undefined) {
      if (props.namePrefix === undefined)
        judge.fail("it has no name", "set name, for example alias/dataeng-<env>");
    } else if (name.startsWith("alias/aws/")) {
      judge.fail(
        `its name ${JSON.stringify(name)} is in the prefix AWS reserves for its managed keys`,
        "rename it, for example alias/dataeng-<env>",
      );
    } else if (!new RegExp(judge.config.namePattern).test(name)) {
      judge.fail(
        `its name ${JSON.stringify(name)} does not match ${judge.config.namePattern}`,
        "rename it, for example alias/dataeng-<env>",
      );
    }
    if (!nonEmptyString(props.targetKeyId)) {
      judge.fail("it targets no key", "set targetKeyId to the key's keyId");
    }
  },
});

/** Grant operations that let the grantee hand the key on or widen its own grant. */
const DELEGATING_OPERATIONS = ["CreateGrant", "RetireGrant"];

const grantScoped = resourcePolicy<kms.GrantArgs, { accountIds: string[] }>({
  name: "kms-grant-scoped",
  description:
    "A KMS grant goes to a principal of this account (or an AWS service), never lets the grantee create further grants, and lists its operations.",
  enforcementLevel: "mandatory",
  remediationSteps:
    'Set granteePrincipal to a role of this account and operations to what it needs (for example ["Decrypt"]), without CreateGrant.',
  config: {
    accountIds: accountList(
      "This account (the one AWS account that holds all three environments).",
    ),
  },
  resource: kms.Grant,
  validate: (props, judge) => {
    for (const [what, principal] of [
      ["granteePrincipal", props.granteePrincipal],
      ["retiringPrincipal", props.retiringPrincipal],
    ] as const) {
      if (!nonEmptyString(principal) || principal.endsWith(".amazonaws.com")) continue;
      const account = /^\d{12}$/.test(principal) ? principal : arnAccount(principal);
      if (
        account === undefined ||
        principal.includes("*") ||
        !judge.config.accountIds.includes(account)
      ) {
        judge.fail(
          `its ${what} ${principal} is not a principal of this account`,
          "grant the key to a role of this account only",
        );
      }
    }
    const operations = asList(props.operations);
    const delegating = operations.filter((o) => DELEGATING_OPERATIONS.includes(o));
    if (delegating.length > 0) {
      judge.fail(
        `it lets the grantee ${delegating.join(" and ")}, passing the key on`,
        "remove CreateGrant and RetireGrant from operations",
      );
    }
  },
});

export const kmsPolicies: PackPolicy[] = [
  grantScoped,
  rotation,
  description,
  policyNotPublic,
  deletionWindow,
  aliasNaming,
];
