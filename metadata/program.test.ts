import { createHash } from "node:crypto";
import { loadDatabase } from "../lib/model/metadataFiles";
import { named, ofType, planStack } from "../lib/testing/programs";
import { DATABASES, ENVIRONMENTS } from "../lib/model/stacks";

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
    }
    const refs = ofType(resources, "pulumi:pulumi:StackReference");
    expect(refs.map((r) => r.inputs.name)).toEqual([`organization/core/core-${env}`]);
  });

  it("writes a manifest listing each table's key and content hash", async () => {
    const { resources } = await planStack("metadata", env);
    const manifest = JSON.parse(named(resources, "manifest").inputs.content as string);
    for (const db of DATABASES) {
      expect(manifest.databases[db].map((t: { table: string }) => t.table)).toEqual(
        loadDatabase(db).map((t) => t.name.toLowerCase()),
      );
      for (const entry of manifest.databases[db]) {
        const object = named(resources, `${db}-${entry.table}`);
        expect(entry.key).toBe(object.inputs.key);
        expect(entry.sha256).toBe(
          createHash("sha256")
            .update(object.inputs.content as string)
            .digest("hex"),
        );
      }
    }
  });
});
