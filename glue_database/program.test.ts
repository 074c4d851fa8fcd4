import { glueColumns } from "../lib/model/glueColumns";
import { loadDatabase } from "../lib/model/metadataFiles";
import { named, ofType, planStack } from "../lib/testing/programs";
import { DATABASES, ENVIRONMENTS } from "../lib/model/stacks";

// The first test evaluates the stacks (SDK and programs load then): seconds of CPU, more on a
// loaded machine, so jest's default 5 s is too short.
jest.setTimeout(30_000);

describe.each(ENVIRONMENTS)("glue_database-%s", (env) => {
  it("references core in the same environment", async () => {
    const { resources } = await planStack("glue_database", env);
    const refs = ofType(resources, "pulumi:pulumi:StackReference");
    expect(refs.map((r) => r.inputs.name)).toEqual([`organization/core/core-${env}`]);
  });

  it("creates one Glue database per source database over raw-history, protected outside dev", async () => {
    const { resources, outputs } = await planStack("glue_database", env);
    for (const db of DATABASES) {
      const database = named(resources, `${db}-database`);
      expect(database.inputs).toMatchObject({
        name: `${db}_${env}`,
        locationUri: `s3://mojap-dataeng-raw-history-${env}/${db}`,
      });
      expect(database.protect).toBe(env !== "dev");
      expect(database.retainOnDelete).toBe(env !== "dev");
    }
    expect(outputs.databases).toEqual(
      Object.fromEntries(
        DATABASES.map((db) => [
          db,
          {
            databaseName: `${db}_${env}`,
            tables: loadDatabase(db).map((t) => t.name.toLowerCase()),
          },
        ]),
      ),
    );
  });

  it("creates one parquet table per metadata table with columns mapped from the Oracle types", async () => {
    const { resources } = await planStack("glue_database", env);
    const tables = ofType(resources, "aws:glue/catalogTable:CatalogTable");
    expect(tables).toHaveLength(DATABASES.reduce((n, db) => n + loadDatabase(db).length, 0));
    for (const db of DATABASES) {
      for (const table of loadDatabase(db)) {
        const name = table.name.toLowerCase();
        const glue = named(resources, `${db}-${name}`);
        expect(glue.inputs).toMatchObject({
          databaseName: `${db}_${env}`,
          name,
          tableType: "EXTERNAL_TABLE",
          parameters: { classification: "parquet", EXTERNAL: "TRUE" },
        });
        const sd = glue.inputs.storageDescriptor as Record<string, unknown>;
        expect(sd.location).toBe(`s3://mojap-dataeng-raw-history-${env}/${db}/${name}/`);
        expect(sd.columns).toEqual(glueColumns(table));
        expect((sd.serDeInfo as Record<string, unknown>).serializationLibrary).toBe(
          "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
        );
      }
    }
  });
});
