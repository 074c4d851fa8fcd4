import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { loadDatabase, metadataRoot } from "../lib/model/metadataFiles";
import { CONTENT_CACHE_DIR } from "../lib/infra/contentAsset";
import { named, ofType, planStack } from "../lib/testing/programs";
import { DATABASES, ENVIRONMENTS } from "../lib/model/stacks";
import { type PlannedResource } from "../lib/plan/plannedResource";

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
  it("publishes every table file byte for byte, KMS-encrypted, to core's metadata bucket", async () => {
    const { resources, outputs } = await planStack("metadata", env);
    const objects = ofType(resources, "aws:s3/bucketObjectv2:BucketObjectv2");
    const tables = DATABASES.flatMap((db) =>
      loadDatabase(db).map((t) => ({ db, name: t.name.toLowerCase() })),
    );
    expect(objects).toHaveLength(tables.length + 1);
    expect(outputs.tableCount).toBe(tables.length);
    for (const { db, name } of tables) {
      expect(named(resources, `${db}-${name}`).inputs).toMatchObject({
        bucket: `mojap-dataeng-metadata-${env}`,
        key: `databases/${db}/${name}.json`,
        contentType: "application/json",
        serverSideEncryption: "aws:kms",
        kmsKeyId: expect.stringMatching(/^arn:aws:kms:eu-west-2:123456789012:key\//),
      });
      // Byte for byte, from a content-addressed copy: the state keeps its path and hash only.
      const object = named(resources, `${db}-${name}`);
      expect(object.inputs.content).toBeUndefined();
      const { file, bytes } = await sourceOf(object);
      const original = fs.readFileSync(path.join(metadataRoot(), db, `${name}.json`));
      expect(bytes.equals(original)).toBe(true);
      expect(file).toBe(
        path.join(CONTENT_CACHE_DIR, `${createHash("sha256").update(original).digest("hex")}.json`),
      );
    }
    const refs = ofType(resources, "pulumi:pulumi:StackReference");
    expect(refs.map((r) => r.inputs.name)).toEqual([`organization/core/core-${env}`]);
  });

  it("writes a manifest listing each table's key and content hash", async () => {
    const { resources } = await planStack("metadata", env);
    const manifestObject = named(resources, "manifest");
    expect(manifestObject.inputs.content).toBeUndefined();
    const manifest = JSON.parse((await sourceOf(manifestObject)).bytes.toString("utf8"));
    for (const db of DATABASES) {
      expect(manifest.databases[db].map((t: { table: string }) => t.table)).toEqual(
        loadDatabase(db).map((t) => t.name.toLowerCase()),
      );
      for (const entry of manifest.databases[db]) {
        const object = named(resources, `${db}-${entry.table}`);
        expect(entry.key).toBe(object.inputs.key);
        const { bytes } = await sourceOf(object);
        expect(entry.sha256).toBe(createHash("sha256").update(bytes).digest("hex"));
      }
    }
  });
});
