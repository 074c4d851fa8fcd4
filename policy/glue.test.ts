import { gluePolicies } from "./glue";
import { describeResourcePolicy, policyNamed } from "./testing";
import { T } from "./types";

const policy = (name: string) => policyNamed(gluePolicies, name);
const KEY = "arn:aws:kms:eu-west-2:111122223333:key/1234abcd";

describeResourcePolicy(
  policy("glue-data-catalog-encryption-customer-key"),
  T.glueDataCatalogEncryption,
  [
    {
      title: "customer key for both",
      props: {
        dataCatalogEncryptionSettings: {
          encryptionAtRest: { catalogEncryptionMode: "SSE-KMS", sseAwsKmsKeyId: KEY },
          connectionPasswordEncryption: {
            returnConnectionPasswordEncrypted: true,
            awsKmsKeyId: KEY,
          },
        },
      },
      messages: [],
    },
    {
      title: "disabled",
      props: {
        dataCatalogEncryptionSettings: {
          encryptionAtRest: { catalogEncryptionMode: "DISABLED" },
          connectionPasswordEncryption: { returnConnectionPasswordEncrypted: false },
        },
      },
      messages: [
        `${T.glueDataCatalogEncryption} "subject": catalogEncryptionMode is "DISABLED". Fix: set encryptionAtRest.catalogEncryptionMode: "SSE-KMS" with sseAwsKmsKeyId.`,
        `${T.glueDataCatalogEncryption} "subject": connection passwords are not encrypted with a customer-managed key. Fix: set connectionPasswordEncryption { returnConnectionPasswordEncrypted: true, awsKmsKeyId }.`,
      ],
    },
  ],
);

describeResourcePolicy(policy("glue-catalog-database-described"), T.glueCatalogDatabase, [
  {
    title: "described, in S3",
    props: { name: "delius_prod", description: "delius (prod)", locationUri: "s3://raw/delius" },
    messages: [],
  },
  {
    title: "undescribed, in HDFS",
    props: { name: "delius_prod", locationUri: "hdfs://x" },
    messages: [
      `${T.glueCatalogDatabase} "subject": it has no description. Fix: set description to the source database and environment.`,
      `${T.glueCatalogDatabase} "subject": its locationUri "hdfs://x" is not an s3:// URI. Fix: set locationUri to s3://<bucket>/<prefix>.`,
    ],
  },
]);

const columns = [{ name: "offender_id", type: "decimal(10,0)" }];
describeResourcePolicy(policy("glue-catalog-table-s3-location"), T.glueCatalogTable, [
  {
    title: "external parquet table",
    props: {
      databaseName: "d",
      name: "t",
      tableType: "EXTERNAL_TABLE",
      storageDescriptor: { location: "s3://raw/delius/t/", columns },
    },
    messages: [],
  },
  {
    title: "no location, no columns",
    props: { databaseName: "d", name: "t", tableType: "EXTERNAL_TABLE", storageDescriptor: {} },
    messages: [
      `${T.glueCatalogTable} "subject": its storageDescriptor.location null is not an s3:// URI. Fix: set storageDescriptor.location to s3://<bucket>/<prefix>/.`,
      `${T.glueCatalogTable} "subject": it declares no columns. Fix: set storageDescriptor.columns from the table's metadata.`,
    ],
  },
  {
    title: "a managed table",
    props: {
      databaseName: "d",
      name: "t",
      tableType: "MANAGED_TABLE",
      storageDescriptor: { location: "s3://raw/t/", columns },
    },
    messages: [/its tableType is "MANAGED_TABLE"/],
  },
]);

const OWN = { ownBuckets: ["mojap-dataeng-*"] };
describeResourcePolicy(policy("glue-data-in-own-buckets"), T.glueCatalogTable, [
  {
    title: "a table over this account's raw-history bucket",
    props: {
      storageDescriptor: { location: "s3://mojap-dataeng-raw-history-prod/delius/offender/" },
    },
    config: OWN,
    messages: [],
  },
  {
    title: "a table over another account's bucket",
    props: { storageDescriptor: { location: "s3://partner-exports/delius/offender/" } },
    config: OWN,
    messages: [
      `${T.glueCatalogTable} "subject": its storageDescriptor.location is in bucket partner-exports, which is not one of this account's (mojap-dataeng-*). Fix: point it at this account's raw-history bucket, or add the bucket to ownBuckets if it is ours.`,
    ],
  },
  {
    title: "no bucket of this account configured",
    props: { storageDescriptor: { location: "s3://partner-exports/x/" } },
    messages: [
      /cannot judge whether bucket partner-exports is this account's: ownBuckets is empty/,
    ],
    level: "advisory",
  },
]);

describeResourcePolicy(policy("glue-data-in-own-buckets"), T.glueCatalogDatabase, [
  {
    title: "a database in this account's bucket",
    props: { locationUri: "s3://mojap-dataeng-raw-history-dev/delius" },
    config: OWN,
    messages: [],
  },
  {
    title: "a database in another account's bucket",
    props: { locationUri: "s3://mojap-dataeng.evil.example/delius" },
    config: OWN,
    messages: [
      `${T.glueCatalogDatabase} "subject": its locationUri is in bucket mojap-dataeng.evil.example, which is not one of this account's (mojap-dataeng-*). Fix: point it at this account's raw-history bucket, or add the bucket to ownBuckets if it is ours.`,
    ],
  },
]);
