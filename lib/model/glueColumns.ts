/** The Glue table columns of a table's metadata (glue_database builds its tables from them). */
import { DMS_COLUMNS } from "./dmsColumns";
import { mapOracleType, type MappedType } from "./oracleTypes";
import { lakeName, type TableMetadata } from "./tableMetadata";

/** The Glue columns of a table: its own columns mapped from Oracle, then DMS's columns. */
export function glueColumns(
  table: TableMetadata,
): { name: string; type: string; comment: string }[] {
  return [
    ...table.columns.map((c) => ({
      name: lakeName(c.name),
      type: (mapOracleType(c.type) as MappedType).glueType,
      comment: c.description,
    })),
    ...Object.values(DMS_COLUMNS).map((d) => ({
      name: d.name,
      type: d.glueType,
      comment: d.comment,
    })),
  ];
}
