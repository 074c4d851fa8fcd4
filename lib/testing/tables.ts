/**
 * A small parsed table for tests of what is derived from metadata (Glue columns, DMS rules),
 * parsed by the real schema (lib/model/tableMetadata.ts). Its columns are two of the real
 * metadata/databases/delius/offender.json, with their Oracle types as the data dictionary gives
 * them (ALL_TAB_COLUMNS DATA_TYPE/DATA_PRECISION, Oracle Database Reference 19c:
 * https://docs.oracle.com/en/database/oracle/oracle-database/19/refrn/ALL_TAB_COLUMNS.html).
 */
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
