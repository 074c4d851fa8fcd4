import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { loadDatabase, metadataRoot } from "../lib/model/metadataFiles";
import { CONTENT_CACHE_DIR } from "../lib/infra/contentAsset";
import { named, ofType, planStack } from "../lib/testing/programs";
import { DATABASES, ENVIRONMENTS } from "../lib/model/stacks";
import { type PlannedResource } from "../lib/plan/plannedResource";
import { parseMetadataBundle } from "../lib/contracts/metadataBundle";

/** The file an object's `source` FileAsset names (relative to the working folder), and its bytes. */
async function sourceOf(object: PlannedResource): Promise<{ file: string; bytes: Buffer }> {
  const source = object.inputs.source as { __pulumiAsset?: boolean; path?: Promise<string> };
  expect(source.__pulumiAsset).toBe(true);
  const file = path.resolve(await source.path!);
  return { file, bytes: fs.readFileSync(file) };
}

// The first test evaluates the stacks (SDK and programs load then): seconds of CPU, more on a
// loaded machine, so jest's default 5 s is too short.
jest.setTimeout(30_000);

describe.each(ENVIRONMENTS)("metadata-%s", (env) => {
  it("publishes one KMS-encrypted bundle per database, with every table file's content, to core's metadata bucket", async () => {
    const { resources, outputs } = await planStack("metadata", env);
    const objects = ofType(resources, "aws:s3/bucketObjectv2:BucketObjectv2");
    expect(objects.map((o) => o.name)).toEqual(DATABASES.map((db) => `${db}-bundle`));
    expect(outputs.tableCount).toBe(DATABASES.reduce((n, db) => n + loadDatabase(db).length, 0));
    expect(outputs.bundleKeys).toEqual({
      delius: "databases/delius.json",
      oasys: "databases/oasys.json",
    });
    for (const db of DATABASES) {
      const object = named(resources, `${db}-bundle`);
      expect(object.inputs).toMatchObject({
        bucket: `mojap-dataeng-metadata-${env}`,
        key: `databases/${db}.json`,
        contentType: "application/json",
        serverSideEncryption: "aws:kms",
        kmsKeyId: expect.stringMatching(/^arn:aws:kms:eu-west-2:123456789012:key\//),
      });
      // From a content-addressed copy: the state keeps its path and hash only.
      expect(object.inputs.content).toBeUndefined();
      const { file, bytes } = await sourceOf(object);
      expect(file).toBe(
        path.join(CONTENT_CACHE_DIR, `${createHash("sha256").update(bytes).digest("hex")}.json`),
      );
      const bundle = JSON.parse(bytes.toString("utf8"));
      expect(Object.keys(bundle)).toEqual(["format", "version", "database", "tables"]);
      expect(bundle).toMatchObject({ format: "dataeng-metadata-bundle", version: 1, database: db });
      // Every table file, in file-name order, with exactly the content of the file.
      const files = fs
        .readdirSync(path.join(metadataRoot(), db))
        .filter((f) => f.endsWith(".json"))
        .sort();
      expect(bundle.tables).toEqual(
        files.map((f) => JSON.parse(fs.readFileSync(path.join(metadataRoot(), db, f), "utf8"))),
      );
      // And the Lambda's reader accepts it, table by table.
      const read = parseMetadataBundle(`s3://b/databases/${db}.json`, bytes.toString("utf8"), db);
      expect([...read.keys()]).toEqual(files.map((f) => f.replace(/\.json$/, "")));
      expect([...read.values()].every((t) => t.ok)).toBe(true);
    }
    const refs = ofType(resources, "pulumi:pulumi:StackReference");
    expect(refs.map((r) => r.inputs.name)).toEqual([`organization/core/core-${env}`]);
  });
});
