import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { statefulOptions } from "../lib/infra/context";
import { glueColumns } from "../lib/model/glueColumns";
import { lakeName, type TableMetadata } from "../lib/model/tableMetadata";

export interface GlueSourceDatabaseArgs {
  /** The Glue database name, for example delius_dev. */
  databaseName: pulumi.Input<string>;
  description: pulumi.Input<string>;
  /** `s3://<raw-history bucket>/<database>`: each table lives under `<location>/<table>/`. */
  location: pulumi.Input<string>;
  /** One Glue table per entry. */
  tables: readonly TableMetadata[];
  /** Protect the database and keep it when it leaves the program. Default: false. */
  protect?: boolean;
}

const PARQUET = {
  inputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
  outputFormat: "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
  serializationLibrary: "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe",
};

/** A Glue catalog database over one source database's parquet files in raw-history. */
export class GlueSourceDatabase extends pulumi.ComponentResource {
  public readonly database: aws.glue.CatalogDatabase;
  public readonly tableNames: string[];

  constructor(name: string, args: GlueSourceDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super("dataeng:glue:SourceDatabase", name, {}, opts);
    const keep = statefulOptions(args.protect ?? false);
    this.database = new aws.glue.CatalogDatabase(
      `${name}-database`,
      { name: args.databaseName, description: args.description, locationUri: args.location },
      { parent: this, ...keep },
    );
    this.tableNames = args.tables.map((table) => {
      const tableName = lakeName(table.name);
      new aws.glue.CatalogTable(
        `${name}-${tableName}`,
        {
          databaseName: this.database.name,
          name: tableName,
          description: table.description,
          tableType: "EXTERNAL_TABLE",
          parameters: { classification: "parquet", EXTERNAL: "TRUE" },
          storageDescriptor: {
            location: pulumi.interpolate`${args.location}/${tableName}/`,
            inputFormat: PARQUET.inputFormat,
            outputFormat: PARQUET.outputFormat,
            serDeInfo: { serializationLibrary: PARQUET.serializationLibrary },
            columns: glueColumns(table),
          },
        },
        { parent: this },
      );
      return tableName;
    });
    this.registerOutputs({ databaseName: this.database.name, tableNames: this.tableNames });
  }
}
