/** Glue: the Data Catalog's databases and tables (and its encryption settings, if managed here). */
import * as glue from "@pulumi/aws/glue";
import {
  type PackPolicy,
  asList,
  globMatch,
  isAwsManagedKey,
  nonEmptyString,
  read,
  resourcePolicy,
  resourcePolicyForType,
} from "./common";
import { T } from "./types";

const catalogEncryption = resourcePolicy({
  name: "glue-data-catalog-encryption-customer-key",
  description:
    "Where the Data Catalog's encryption settings are managed, metadata at rest and connection passwords are encrypted with a customer-managed KMS key. (Glue databases and tables have no encryption setting of their own.)",
  enforcementLevel: "mandatory",
  remediationSteps:
    'Set encryptionAtRest { catalogEncryptionMode: "SSE-KMS", sseAwsKmsKeyId } and connectionPasswordEncryption { returnConnectionPasswordEncrypted: true, awsKmsKeyId }.',
  resource: glue.DataCatalogEncryptionSettings,
  validate: (props, judge) => {
    const settings = props.dataCatalogEncryptionSettings;
    const atRest = settings?.encryptionAtRest;
    if (
      atRest?.catalogEncryptionMode !== "SSE-KMS" &&
      atRest?.catalogEncryptionMode !== "SSE-KMS-WITH-SERVICE-ROLE"
    ) {
      judge.fail(
        `catalogEncryptionMode is ${JSON.stringify(atRest?.catalogEncryptionMode ?? "DISABLED")}`,
        'set encryptionAtRest.catalogEncryptionMode: "SSE-KMS" with sseAwsKmsKeyId',
      );
    } else if (!nonEmptyString(atRest.sseAwsKmsKeyId) || isAwsManagedKey(atRest.sseAwsKmsKeyId)) {
      judge.fail(
        "the catalog is not encrypted with a customer-managed key",
        "set encryptionAtRest.sseAwsKmsKeyId to the customer-managed key ARN",
      );
    }
    const passwords = settings?.connectionPasswordEncryption;
    if (
      passwords?.returnConnectionPasswordEncrypted !== true ||
      !nonEmptyString(passwords.awsKmsKeyId)
    ) {
      judge.fail(
        "connection passwords are not encrypted with a customer-managed key",
        "set connectionPasswordEncryption { returnConnectionPasswordEncrypted: true, awsKmsKeyId }",
      );
    }
  },
});

const databaseDescribed = resourcePolicy({
  name: "glue-catalog-database-described",
  description: "A Glue database says what it holds and where its data lives (an s3:// location).",
  enforcementLevel: "advisory",
  remediationSteps: "Set description and locationUri (s3://<raw-history bucket>/<database>).",
  resource: glue.CatalogDatabase,
  validate: (props, judge) => {
    if (!nonEmptyString(props.description))
      judge.fail("it has no description", "set description to the source database and environment");
    if (props.locationUri !== undefined && !props.locationUri.startsWith("s3://")) {
      judge.fail(
        `its locationUri ${JSON.stringify(props.locationUri)} is not an s3:// URI`,
        "set locationUri to s3://<bucket>/<prefix>",
      );
    }
  },
});

const tableLocation = resourcePolicy({
  name: "glue-catalog-table-s3-location",
  description:
    "A Glue table is an external table over an s3:// location, with its columns declared.",
  enforcementLevel: "advisory",
  remediationSteps:
    'Set tableType "EXTERNAL_TABLE", storageDescriptor.location to s3://<bucket>/<prefix>/ and storageDescriptor.columns.',
  resource: glue.CatalogTable,
  validate: (props, judge) => {
    if (
      props.tableType !== undefined &&
      props.tableType !== "EXTERNAL_TABLE" &&
      props.tableType !== "VIRTUAL_VIEW"
    ) {
      judge.fail(
        `its tableType is ${JSON.stringify(props.tableType)}`,
        'set tableType: "EXTERNAL_TABLE"',
      );
    }
    if (props.tableType === "VIRTUAL_VIEW") return;
    const location = props.storageDescriptor?.location;
    if (!nonEmptyString(location) || !location.startsWith("s3://")) {
      judge.fail(
        `its storageDescriptor.location ${JSON.stringify(location ?? null)} is not an s3:// URI`,
        "set storageDescriptor.location to s3://<bucket>/<prefix>/",
      );
    }
    if (asList(props.storageDescriptor?.columns).length === 0) {
      judge.fail(
        "it declares no columns",
        "set storageDescriptor.columns from the table's metadata",
      );
    }
  },
});

/** Where each Glue type keeps its S3 location. */
const LOCATION_PATHS: Readonly<Record<string, readonly string[]>> = {
  [T.glueCatalogDatabase]: ["locationUri"],
  [T.glueCatalogTable]: ["storageDescriptor", "location"],
};

/**
 * An S3 URI names a bucket but no account, and bucket names are global: the pack can only tell
 * a bucket of this account by its name (this account's naming, in policy-config.json).
 */
const ownBuckets = resourcePolicyForType<{ ownBuckets: string[] }>({
  name: "glue-data-in-own-buckets",
  description:
    "A Glue database's locationUri and a Glue table's storageDescriptor.location are in a bucket of this account (ownBuckets in policy-config.json): a table over another account's bucket makes Athena read, and write, personal data where our keys, policies and logs do not reach.",
  enforcementLevel: "mandatory",
  remediationSteps:
    "Point the location at this account's raw-history bucket (s3://<raw-history bucket>/<database>/<table>/), or add the bucket's name to ownBuckets if it is ours.",
  config: {
    ownBuckets: {
      type: "array",
      items: { type: "string", pattern: "^[a-z0-9.*?-]+$" },
      uniqueItems: true,
      default: [],
      description: "Names (globs) of this account's buckets, where Glue locations may point.",
    },
  },
  type: Object.keys(LOCATION_PATHS),
  validate: (props, judge) => {
    const path = LOCATION_PATHS[judge.args.type];
    const location = read(props, ...path);
    if (!nonEmptyString(location) || !location.startsWith("s3://")) return;
    const bucket = location.slice("s3://".length).split("/")[0];
    if (judge.config.ownBuckets.length === 0) {
      return judge.cannotJudge(
        `whether bucket ${bucket} is this account's: ownBuckets is empty in policy-config.json`,
      );
    }
    if (!judge.config.ownBuckets.some((p) => globMatch(p, bucket, false))) {
      judge.fail(
        `its ${path.join(".")} is in bucket ${bucket}, which is not one of this account's (${judge.config.ownBuckets.join(", ")})`,
        "point it at this account's raw-history bucket, or add the bucket to ownBuckets if it is ours",
      );
    }
  },
});

export const gluePolicies: PackPolicy[] = [
  catalogEncryption,
  databaseDescribed,
  tableLocation,
  ownBuckets,
];
