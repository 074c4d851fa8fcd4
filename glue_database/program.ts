import * as pulumi from "@pulumi/pulumi";
import { stackContext, upstreamString } from "../lib/infra/context";
import { loadDatabase } from "../lib/model/metadataFiles";
import { glueDatabaseName } from "../lib/model/naming";
import { DATABASES } from "../lib/model/stacks";
import { GlueSourceDatabase } from "./sourceDatabase";

/** glue_database: the Glue catalog over raw-history, one table per metadata table. */
export function glueDatabaseProgram() {
  const ctx = stackContext("glue_database", {});
  const rawHistory = upstreamString(ctx.reference("core"), "rawHistoryBucketName");

  const databases = Object.fromEntries(
    DATABASES.map((db) => {
      const glue = new GlueSourceDatabase(
        db,
        {
          databaseName: glueDatabaseName(db, ctx.env),
          description: `${db} (${ctx.env}) extracted by AWS DMS: parquet files in raw-history`,
          location: pulumi.interpolate`s3://${rawHistory}/${db}`,
          tables: loadDatabase(db),
          protect: ctx.protectStateful,
        },
        ctx.componentOptions,
      );
      return [db, { databaseName: glue.database.name, tables: glue.tableNames }];
    }),
  );
  return { databases };
}
