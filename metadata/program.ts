import * as aws from "@pulumi/aws";
import { contentAsset } from "../lib/infra/contentAsset";
import { stackContext, upstreamString } from "../lib/infra/context";
import { loadDatabase, tableSource } from "../lib/model/metadataFiles";
import { metadataBundleKey } from "../lib/contracts/lakeKeys";
import { metadataBundleText } from "../lib/contracts/metadataBundle";
import { DATABASES } from "../lib/model/stacks";

/**
 * metadata: publishes one metadata bundle per database (lib/contracts/metadataBundle.ts): every
 * table file of the database, as validated, in one object. One resource per database, not per
 * table, so the checkpoint does not grow with the table count (issue 20), and its source is a
 * content-addressed file (its state: path and hash, not the tables' text).
 */
export function metadataProgram() {
  const ctx = stackContext("metadata", {});
  const core = ctx.reference("core");
  const bucket = upstreamString(core, "metadataBucketName");
  const kmsKeyId = upstreamString(core, "kmsKeyArn");
  const opts = { provider: ctx.provider };

  let tableCount = 0;
  const bundleKeys: Record<string, string> = {};
  for (const database of DATABASES) {
    // Validates every file first: a bad file stops the deploy with its name and field.
    const tables = loadDatabase(database);
    tableCount += tables.length;
    const key = metadataBundleKey(database);
    new aws.s3.BucketObjectv2(
      `${database}-bundle`,
      {
        bucket,
        key,
        source: contentAsset(metadataBundleText(database, tables.map(tableSource)), ".json"),
        contentType: "application/json",
        serverSideEncryption: "aws:kms",
        kmsKeyId,
      },
      opts,
    );
    bundleKeys[database] = key;
  }

  return { metadataBucketName: bucket, bundleKeys, tableCount };
}
