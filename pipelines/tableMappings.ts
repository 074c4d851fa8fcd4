import { DMS_COLUMNS } from "../lib/model/dmsColumns";
import { lakeName, type TableMetadata } from "../lib/model/tableMetadata";
import { type Database } from "../lib/model/stacks";

interface Rule {
  "rule-type": "selection" | "transformation";
  "rule-id": string;
  "rule-name": string;
  [key: string]: unknown;
}

/**
 * DMS table mappings derived from the metadata files: select exactly the tables we hold
 * metadata for, rename each Oracle schema to the database name and lower-case table and
 * column names, so DMS writes `<database>/<table>/<file>.parquet` with the names Glue uses.
 */
export function tableMappings(
  database: Database,
  tables: readonly TableMetadata[],
): { rules: Rule[] } {
  const rules: Rule[] = [];
  const add = (rule: Omit<Rule, "rule-id">) =>
    rules.push({ ...rule, "rule-id": String(rules.length + 1) } as Rule);

  // Whole tables: DMS reads every column the source has. So a column in transition
  // (metadata/databases/README.md) needs no rule: with HandleSourceTableAltered DMS writes an
  // added column and stops writing a dropped one from the DDL on, and a rule naming a column the
  // source does not have yet would have nothing to act on.
  for (const table of tables) {
    add({
      "rule-type": "selection",
      "rule-name": `include-${lakeName(table.schema)}-${lakeName(table.name)}`,
      "object-locator": { "schema-name": table.schema, "table-name": table.name },
      "rule-action": "include",
    });
  }
  for (const rule of removeColumnRules(tables)) add(rule);
  for (const schema of [...new Set(tables.map((t) => t.schema))].sort()) {
    add({
      "rule-type": "transformation",
      "rule-name": `rename-schema-${lakeName(schema)}`,
      "rule-target": "schema",
      "object-locator": { "schema-name": schema },
      "rule-action": "rename",
      value: database,
    });
  }
  add({
    "rule-type": "transformation",
    "rule-name": "lower-case-tables",
    "rule-target": "table",
    "object-locator": { "schema-name": "%", "table-name": "%" },
    "rule-action": "convert-lowercase",
  });
  add({
    "rule-type": "transformation",
    "rule-name": "lower-case-columns",
    "rule-target": "column",
    "object-locator": { "schema-name": "%", "table-name": "%", "column-name": "%" },
    "rule-action": "convert-lowercase",
  });
  for (const rule of streamPositionRules()) add(rule);
  return { rules };
}

/**
 * One `remove-column` transformation per excluded column, so DMS never reads it: personal data
 * that must not be copied never reaches the landing bucket. The rule's shape is the one in
 * "Transformation rules and actions" (AWS DMS User Guide,
 * CHAP_Tasks.CustomizingTasks.TableMapping.SelectionTransformation.Transformations): rule-target
 * `column`, an object-locator naming schema, table and column, and no value. Names are case
 * sensitive there and Oracle's are upper case, as the metadata holds them.
 */
export function removeColumnRules(tables: readonly TableMetadata[]): Omit<Rule, "rule-id">[] {
  return tables.flatMap((table) =>
    (table.excludedColumns ?? []).map((column) => ({
      "rule-type": "transformation" as const,
      "rule-name": `remove-${lakeName(table.schema)}-${lakeName(table.name)}-${lakeName(column.name)}`,
      "rule-target": "column",
      "object-locator": {
        "schema-name": table.schema,
        "table-name": table.name,
        "column-name": column.name,
      },
      "rule-action": "remove-column",
    })),
  );
}

/**
 * The `scn` column on every table: an add-column transformation whose expression is the
 * `$AR_H_STREAM_POSITION` header (the source's stream position, the SCN for Oracle; an empty
 * string on full load). Several changes can share a commit timestamp, so downstream orders
 * changes by it. AWS DMS user guide, "Using transformation rule expressions to define column
 * content" (adding a column; replicating source table headers):
 * https://docs.aws.amazon.com/dms/latest/userguide/CHAP_Tasks.CustomizingTasks.TableMapping.SelectionTransformation.Expressions.html
 * The validation Lambda expects the column (DMS_COLUMNS.streamPosition in lib/model/dmsColumns.ts).
 */
export function streamPositionRules(): Omit<Rule, "rule-id">[] {
  return [
    {
      "rule-type": "transformation",
      "rule-name": `add-column-${DMS_COLUMNS.streamPosition.name}`,
      "rule-target": "column",
      "object-locator": { "schema-name": "%", "table-name": "%" },
      "rule-action": "add-column",
      value: DMS_COLUMNS.streamPosition.name,
      expression: "$AR_H_STREAM_POSITION",
      // DMS needs a length for a string column; 50 holds a 64-bit SCN (20 digits) with room to spare.
      "data-type": { type: "string", length: 50 },
    },
  ];
}
