import { createHash } from "node:crypto";
import * as aws from "@pulumi/aws";
import { contentAsset } from "../lib/infra/contentAsset";
import { stackContext, upstreamString } from "../lib/infra/context";
import { loadDatabase, tableSource } from "../lib/model/metadataFiles";
import { metadataObjectKey, METADATA_MANIFEST_KEY } from "../lib/contracts/lakeKeys";
import { lakeName } from "../lib/model/tableMetadata";
import { DATABASES } from "../lib/model/stacks";

/**
 * metadata: publishes every table file, byte for byte, and a manifest listing them. Each object's
 * source is a content-addressed copy of the file as validated (its state: path and hash, not
 * the table's text).
 */
export function metadataProgram() {
  const ctx = stackContext("metadata", {});
  const core = ctx.reference("core");
  const bucket = upstreamString(core, "metadataBucketName");
  const kmsKeyId = upstreamString(core, "kmsKeyArn");
  const opts = { provider: ctx.provider };

  const manifest: Record<string, { table: string; key: string; sha256: string }[]> = {};
  for (const database of DATABASES) {
    // Validates every file first: a bad file stops the deploy with its name and field.
    const tables = loadDatabase(database);
    manifest[database] = tables.map((table) => {
      const content = tableSource(table);
      const key = metadataObjectKey(database, table.name);
      new aws.s3.BucketObjectv2(
        `${database}-${lakeName(table.name)}`,
        {
          bucket,
          key,
          source: contentAsset(content, ".json"),
          contentType: "application/json",
          serverSideEncryption: "aws:kms",
          kmsKeyId,
        },
        opts,
      );
      return { table: lakeName(table.name), key, sha256: sha256(content) };
    });
  }
  const manifestObject = new aws.s3.BucketObjectv2(
    "manifest",
    {
      bucket,
      key: METADATA_MANIFEST_KEY,
      // A file too: the manifest lists every table, so as text it would grow the state per table.
      source: contentAsset(JSON.stringify({ databases: manifest }, null, 2) + "\n", ".json"),
      contentType: "application/json",
      serverSideEncryption: "aws:kms",
      kmsKeyId,
    },
    opts,
  );

  return {
    metadataBucketName: bucket,
    manifestKey: manifestObject.key,
    tableCount: Object.values(manifest).reduce((n, t) => n + t.length, 0),
  };
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
