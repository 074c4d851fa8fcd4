import { lakeName, type TableMetadata } from "../lib/metadata";
import { type Database } from "../lib/stacks";

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

  for (const table of tables) {
    add({
      "rule-type": "selection",
      "rule-name": `include-${lakeName(table.schema)}-${lakeName(table.name)}`,
      "object-locator": { "schema-name": table.schema, "table-name": table.name },
      "rule-action": "include",
    });
  }
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
  return { rules };
}

/** Task settings: LOBs in limited mode, logs in CloudWatch, target tables left as they are. */
export const REPLICATION_TASK_SETTINGS = {
  TargetMetadata: {
    SupportLobs: true,
    FullLobMode: false,
    LimitedSizeLobMode: true,
    LobMaxSize: 64,
  },
  FullLoadSettings: { TargetTablePrepMode: "DO_NOTHING" },
  Logging: {
    EnableLogging: true,
    LogComponents: [
      "SOURCE_UNLOAD",
      "SOURCE_CAPTURE",
      "TARGET_LOAD",
      "TARGET_APPLY",
      "TASK_MANAGER",
    ].map((Id) => ({ Id, Severity: "LOGGER_SEVERITY_DEFAULT" })),
  },
};
