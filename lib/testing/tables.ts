/** A small parsed table for tests of what is derived from metadata (Glue columns, DMS rules). */
import { tableSchema, type TableMetadata } from "../model/tableMetadata";

/** delius.OFFENDER with two columns, and the given excluded columns when there are any. */
export const smallOffenderTable = (
  excludedColumns?: { name: string; reason: string }[],
): TableMetadata => ({
  database: "delius",
  ...tableSchema.parse({
    name: "OFFENDER",
    schema: "DELIUS_APP_SCHEMA",
    description: "People on probation.",
    primaryKey: ["OFFENDER_ID"],
    columns: [
      { name: "OFFENDER_ID", type: "NUMBER(22)", nullable: false, description: "Key." },
      { name: "CRN", type: "VARCHAR2(7)", nullable: false, description: "Case reference." },
    ],
    ...(excludedColumns ? { excludedColumns } : {}),
  }),
});
