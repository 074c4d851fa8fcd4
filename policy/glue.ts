/** Glue: the Data Catalog's databases and tables (and its encryption settings, if managed here). */
import * as glue from "@pulumi/aws/glue";
import { type PackPolicy, asList, isAwsManagedKey, nonEmptyString, resourcePolicy } from "./common";

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

export const gluePolicies: PackPolicy[] = [catalogEncryption, databaseDescribed, tableLocation];
