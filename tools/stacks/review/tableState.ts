/**
 * The tables as the deployed resources describe them, read from resource inputs (a plan's, or
 * the engine's old/new inputs of a preview step), one side at a time:
 *
 * - a database's metadata bundle (`aws:s3/bucketObjectv2:BucketObjectv2` at
 *   `databases/<db>.json`, lib/contracts: metadataBundleKey, metadataBundle.ts): each table's
 *   Oracle columns, types, key and excluded columns, as the validation Lambda will read them;
 * - a Glue table (`aws:glue/catalogTable:CatalogTable` in `<db>_<env>`, naming.ts
 *   glueDatabaseName): the Glue type each column maps to;
 * - a DMS replication task: the tables its table mappings select (pipelines/tableMappings.ts).
 *
 * Reading the inputs rather than the metadata files means a change in lib/ or a stack file that
 * alters a table shows up too. Tolerant: an input of another shape is ignored, not fatal.
 */
import { METADATA_BUNDLE_FORMAT } from "../../../lib/contracts/metadataBundle";
import { glueDatabaseName } from "../../../lib/model/naming";
import { DATABASES, type Environment } from "../../../lib/model/stacks";
import { DMS_TASK_TYPE } from "../../../pipelines/review";

export const METADATA_OBJECT_TYPE = "aws:s3/bucketObjectv2:BucketObjectv2";
export const GLUE_TABLE_TYPE = "aws:glue/catalogTable:CatalogTable";

/** One resource with its inputs before and after (absent on the side it does not exist). */
export interface ResourceSides {
  readonly stack: string;
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly before?: Record<string, unknown>;
  readonly after?: Record<string, unknown>;
  /** The top-level inputs that force a replacement (empty or absent: an update). */
  readonly replacedBy?: readonly string[];
}

export interface MetadataColumn {
  readonly name: string;
  readonly type: string;
  readonly nullable: boolean;
  readonly description?: string;
}

/** A table's metadata as published (one table of the metadata bundle's content). */
export interface PublishedTable {
  readonly name: string;
  readonly schema: string;
  readonly description?: string;
  readonly primaryKey: readonly string[];
  readonly columns: readonly MetadataColumn[];
  readonly excludedColumns: readonly { readonly name: string; readonly reason: string }[];
}

export interface GlueTable {
  /** `<db>_<env>.<table>`. */
  readonly qualifiedName: string;
  readonly description?: string;
  /** By lake (lower-case) name: Glue type and comment. */
  readonly columns: ReadonlyMap<string, { readonly type: string; readonly comment?: string }>;
}

/** What one side knows of a table. */
export interface TableSide {
  readonly metadata?: PublishedTable;
  readonly glue?: GlueTable;
  /** The DMS task (resource name) whose mappings select the table. */
  readonly selectedBy?: string;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

/** A JSON string input parsed (undefined when it is not JSON); any other value as it is. */
export function json(v: unknown): unknown {
  if (typeof v !== "string") return v;
  try {
    return JSON.parse(v) as unknown;
  } catch {
    return undefined;
  }
}

const BUNDLE_KEY = /^databases\/([a-z0-9_]+)\.json$/;

/** The tables of a metadata bundle object's content; none when it is not a bundle. */
export function bundledTables(inputs: Record<string, unknown>): PublishedTable[] {
  const bundle = json(inputs.content);
  if (!isObject(bundle) || bundle.format !== METADATA_BUNDLE_FORMAT) return [];
  if (!Array.isArray(bundle.tables)) return [];
  return bundle.tables.flatMap((t) => publishedTable(t) ?? []);
}

function publishedTable(t: unknown): PublishedTable | undefined {
  if (!isObject(t) || typeof t.name !== "string" || !Array.isArray(t.columns)) return undefined;
  const columns = t.columns.filter(isObject).map((c) => ({
    name: String(c.name),
    type: String(c.type),
    nullable: c.nullable !== false,
    ...(typeof c.description === "string" ? { description: c.description } : {}),
  }));
  const excluded = Array.isArray(t.excludedColumns) ? t.excludedColumns.filter(isObject) : [];
  return {
    name: t.name,
    schema: String(t.schema ?? ""),
    ...(typeof t.description === "string" ? { description: t.description } : {}),
    primaryKey: Array.isArray(t.primaryKey) ? t.primaryKey.map(String) : [],
    columns,
    excludedColumns: excluded.map((c) => ({ name: String(c.name), reason: String(c.reason) })),
  };
}

function glueTable(inputs: Record<string, unknown>): GlueTable {
  const sd = isObject(inputs.storageDescriptor) ? inputs.storageDescriptor : {};
  const columns = Array.isArray(sd.columns) ? sd.columns.filter(isObject) : [];
  return {
    qualifiedName: `${String(inputs.databaseName)}.${String(inputs.name)}`,
    ...(typeof inputs.description === "string" ? { description: inputs.description } : {}),
    columns: new Map(
      columns.map((c) => [
        String(c.name),
        { type: String(c.type), ...(typeof c.comment === "string" ? { comment: c.comment } : {}) },
      ]),
    ),
  };
}

/** The database a task serves: its schema-rename rule's value, else its name's first part. */
export function taskDatabase(name: string, inputs: Record<string, unknown>): string {
  const rules = (json(inputs.tableMappings) as { rules?: unknown[] } | undefined)?.rules ?? [];
  const rename = rules.filter(isObject).find((r) => r["rule-target"] === "schema");
  return typeof rename?.value === "string" ? rename.value : name.split("-")[0];
}

/** The `<lake table>` names a task's mappings select, with their `SCHEMA.TABLE`. */
export function selectedTables(inputs: Record<string, unknown>): Map<string, string> {
  const rules = (json(inputs.tableMappings) as { rules?: unknown[] } | undefined)?.rules ?? [];
  const out = new Map<string, string>();
  for (const r of rules.filter(isObject)) {
    const at = r["object-locator"];
    if (r["rule-type"] !== "selection" || r["rule-action"] !== "include" || !isObject(at)) continue;
    out.set(
      String(at["table-name"]).toLowerCase(),
      `${String(at["schema-name"])}.${String(at["table-name"])}`,
    );
  }
  return out;
}

/** `<env>/<database>/<table>`: how tables are keyed here and in the data check. */
export const tableKey = (env: string, database: string, table: string) =>
  `${env}/${database}/${table}`;

/** Every table one side describes, by tableKey. */
export function tablesOf(
  resources: readonly ResourceSides[],
  side: "before" | "after",
  envOf: (stack: string) => Environment | undefined,
): Map<string, TableSide> {
  const tables = new Map<string, TableSide>();
  const merge = (key: string, part: TableSide) => tables.set(key, { ...tables.get(key), ...part });
  for (const r of resources) {
    const inputs = r[side];
    const env = envOf(r.stack);
    if (!inputs || !env) continue;
    if (r.type === METADATA_OBJECT_TYPE) {
      const db = BUNDLE_KEY.exec(String(inputs.key))?.[1];
      if (db)
        for (const metadata of bundledTables(inputs))
          merge(tableKey(env, db, metadata.name.toLowerCase()), { metadata });
    } else if (r.type === GLUE_TABLE_TYPE) {
      const db = DATABASES.find((d) => glueDatabaseName(d, env) === inputs.databaseName);
      if (db) merge(tableKey(env, db, String(inputs.name)), { glue: glueTable(inputs) });
    } else if (r.type === DMS_TASK_TYPE) {
      const db = taskDatabase(r.name, inputs);
      for (const t of selectedTables(inputs).keys())
        merge(tableKey(env, db, t), { selectedBy: r.name });
    }
  }
  return tables;
}
