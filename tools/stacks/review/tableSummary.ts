/**
 * What a change does to the data, per environment, database and table: tables added or
 * removed and what DMS does about it, columns added, removed, excluded or retyped (each with
 * its Oracle type and the Glue type it maps to), primary-key changes, and for each DMS task
 * whether it stops and restarts, why, and which tables it loads again.
 *
 * Derived from the resources' inputs on both sides (tableState.ts): the metadata objects and
 * Glue tables are the metadata as deployed, the task's tableMappings what DMS selects.
 *
 * DMS facts: the provider stops a running task to modify anything but its tags (pipelines/review.ts);
 * a new task, or a replaced one, starts with a full load of every table; a table added to a
 * running full-load-and-cdc task is loaded with ReloadTables ("Reloading tables during a task",
 * AWS DMS User Guide, CHAP_Tasks.ReloadTables.html: it does not stop the task; the task must be
 * running). A `validation` callback (the pre-merge data check) adds what the validation Lambda
 * will do with each table's files after deploy.
 */
import { mapOracleType } from "../../../lib/model/oracleTypes";
import { lakeName } from "../../../lib/model/tableMetadata";
import { type Environment } from "../../../lib/model/stacks";
import { DMS_TASK_NO_RESTART, DMS_TASK_TYPE } from "../../../pipelines/review";
import {
  type MetadataColumn,
  type PublishedTable,
  type ResourceSides,
  type TableSide,
  json,
  selectedTables,
  tableKey,
  tablesOf,
  taskDatabase,
} from "./tableState";
import { formatValueChange, valueChanges } from "./values";

export interface TableChange {
  readonly env: Environment;
  readonly database: string;
  /** The lake (Glue) name, lower case. */
  readonly table: string;
  /** `SCHEMA.TABLE` in Oracle, when the metadata or the mappings say. */
  readonly source?: string;
  readonly change: "added" | "removed" | "changed";
  /** What changes, one line each (`+ column tier VARCHAR2(4) → string, nullable`). */
  readonly lines: readonly string[];
  /** What the validation Lambda will do with this table's files after deploy (data check). */
  readonly validation?: readonly string[];
}

export interface TaskChange {
  readonly env: Environment;
  readonly database: string;
  readonly stack: string;
  /** The task's resource name, e.g. `delius-task`. */
  readonly task: string;
  readonly action: "created" | "replaced" | "restarted" | "deleted" | "updated" | "unchanged";
  /** Why: the changed inputs with their values, table mappings told as tables. */
  readonly why: readonly string[];
  /** Tables DMS loads (again) because of this change. */
  readonly loads: readonly string[];
}

export interface TableSummary {
  readonly tables: readonly TableChange[];
  readonly tasks: readonly TaskChange[];
}

/** The metadata of both sides, for checks that need more than the lines (the data check). */
export interface TableSides {
  readonly before?: PublishedTable;
  readonly after?: PublishedTable;
}

/** Per table (tableKey): lines of what the validation Lambda will do after deploy. */
export type ValidationLines = (
  change: TableChange,
  sides: TableSides,
) => readonly string[] | undefined;

// ---------------------------------------------------------------------------------------------
// Columns.

function glueTypeOf(side: TableSide, c: MetadataColumn): string {
  const deployed = side.glue?.columns.get(lakeName(c.name))?.type;
  if (deployed) return deployed;
  try {
    return mapOracleType(c.type).glueType;
  } catch {
    return "?";
  }
}

const typed = (side: TableSide, c: MetadataColumn) =>
  `${lakeName(c.name)} ${c.type} → ${glueTypeOf(side, c)}`;
const nullability = (c: MetadataColumn) => (c.nullable ? "nullable" : "NOT NULL");

function columnLines(before: TableSide, after: TableSide): string[] {
  const b = before.metadata;
  const a = after.metadata;
  if (!b || !a) return glueOnlyLines(before, after);
  const old = new Map(b.columns.map((c) => [c.name, c]));
  const now = new Map(a.columns.map((c) => [c.name, c]));
  const wasExcluded = new Map(b.excludedColumns.map((c) => [c.name, c.reason]));
  const isExcluded = new Map(a.excludedColumns.map((c) => [c.name, c.reason]));
  const lines: string[] = [];
  for (const c of a.columns) {
    const o = old.get(c.name);
    if (!o) {
      const note = wasExcluded.has(c.name) ? " (no longer excluded)" : "";
      lines.push(`+ column ${typed(after, c)}, ${nullability(c)}${note}`);
      continue;
    }
    const [was, is] = [typed(before, o), typed(after, c)];
    if (was !== is) lines.push(`~ column ${is} (was ${o.type} → ${glueTypeOf(before, o)})`);
    if (o.nullable !== c.nullable)
      lines.push(`~ column ${lakeName(c.name)} ${nullability(c)} (was ${nullability(o)})`);
  }
  for (const o of b.columns) {
    if (now.has(o.name)) continue;
    const reason = isExcluded.get(o.name);
    lines.push(
      reason === undefined
        ? `- column ${typed(before, o)}`
        : `- column ${typed(before, o)}: excluded (${reason}): DMS stops extracting it`,
    );
  }
  for (const [name, reason] of isExcluded)
    if (!old.has(name) && !wasExcluded.has(name))
      lines.push(`- column ${lakeName(name)}: excluded (${reason}): DMS never extracts it`);
  if (b.schema !== a.schema) lines.push(`~ Oracle schema ${a.schema} (was ${b.schema})`);
  if (b.primaryKey.join() !== a.primaryKey.join())
    lines.push(`~ primary key ${a.primaryKey.join(", ")} (was ${b.primaryKey.join(", ")})`);
  const described = [
    ...(b.description !== a.description ? ["the table"] : []),
    ...a.columns
      .filter((c) => old.has(c.name) && old.get(c.name)?.description !== c.description)
      .map((c) => lakeName(c.name)),
  ];
  if (described.length > 0) lines.push(`~ description of ${described.join(", ")}`);
  return lines;
}

/** Without the metadata on both sides: what the Glue columns say. */
function glueOnlyLines(before: TableSide, after: TableSide): string[] {
  const b = before.glue?.columns;
  const a = after.glue?.columns;
  if (!b || !a) return [];
  return [
    ...[...a].filter(([n]) => !b.has(n)).map(([n, c]) => `+ column ${n} → ${c.type}`),
    ...[...a]
      .filter(([n, c]) => b.has(n) && b.get(n)?.type !== c.type)
      .map(([n, c]) => `~ column ${n} → ${c.type} (was → ${b.get(n)?.type ?? "?"})`),
    ...[...b].filter(([n]) => !a.has(n)).map(([n, c]) => `- column ${n} → ${c.type}`),
  ];
}

// ---------------------------------------------------------------------------------------------
// Tables.

function addedLines(side: TableSide): string[] {
  const m = side.metadata;
  return [
    ...(m ? m.columns.map((c) => `+ column ${typed(side, c)}, ${nullability(c)}`) : []),
    ...(m && m.primaryKey.length > 0 ? [`primary key ${m.primaryKey.join(", ")}`] : []),
    ...(side.glue ? [`Glue: table ${side.glue.qualifiedName} created`] : []),
    ...(side.selectedBy
      ? [
          `DMS: ${side.selectedBy} selects it: a full load of the new table once it is reloaded (below)`,
        ]
      : []),
  ];
}

function removedLines(side: TableSide): string[] {
  return [
    ...(side.selectedBy
      ? [
          `DMS: dropped from ${side.selectedBy}: its changes stop flowing (the files already in raw-history stay)`,
        ]
      : []),
    ...(side.glue ? [`Glue: table ${side.glue.qualifiedName} deleted`] : []),
    ...(side.metadata ? ["metadata: unpublished: the validation Lambda fails its files"] : []),
  ];
}

const sourceOf = (s: TableSide | undefined) =>
  s?.metadata ? `${s.metadata.schema}.${s.metadata.name}` : undefined;

function tableChanges(
  resources: readonly ResourceSides[],
  envOf: (stack: string) => Environment | undefined,
): { change: TableChange; sides: TableSides }[] {
  const before = tablesOf(resources, "before", envOf);
  const after = tablesOf(resources, "after", envOf);
  const keys = [...new Set([...before.keys(), ...after.keys()])].sort();
  const out: { change: TableChange; sides: TableSides }[] = [];
  for (const key of keys) {
    const [env, database, table] = key.split("/") as [Environment, string, string];
    const b = before.get(key);
    const a = after.get(key);
    const change = !b ? "added" : !a ? "removed" : "changed";
    const lines = !b ? addedLines(a!) : !a ? removedLines(b) : columnLines(b, a);
    if (lines.length === 0) continue;
    const source = sourceOf(a) ?? sourceOf(b);
    out.push({
      change: { env, database, table, ...(source ? { source } : {}), change, lines },
      sides: {
        ...(b?.metadata ? { before: b.metadata } : {}),
        ...(a?.metadata ? { after: a.metadata } : {}),
      },
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// DMS tasks.

const topLevel = (p: string) => /^[^.[{]+/.exec(p)?.[0] ?? p;

/** The table mappings' change told as tables: selected, dropped, columns removed or kept. */
function mappingLines(before: Record<string, unknown>, after: Record<string, unknown>): string[] {
  const was = selectedTables(before);
  const is = selectedTables(after);
  const added = [...is.keys()].filter((t) => !was.has(t));
  const dropped = [...was.keys()].filter((t) => !is.has(t));
  const wasRemoved = removedColumns(before);
  const isRemoved = removedColumns(after);
  const removes = [...isRemoved].filter((c) => !wasRemoved.has(c));
  const keeps = [...wasRemoved].filter((c) => !isRemoved.has(c));
  const lines = [
    ...(added.length > 0 ? [`tableMappings: selects ${added.join(", ")}`] : []),
    ...(dropped.length > 0 ? [`tableMappings: no longer selects ${dropped.join(", ")}`] : []),
    ...(removes.length > 0 ? [`tableMappings: removes column ${removes.join(", ")}`] : []),
    ...(keeps.length > 0 ? [`tableMappings: no longer removes column ${keeps.join(", ")}`] : []),
  ];
  // Told above as tables and columns; rule-ids renumber whenever a rule comes or goes.
  const others = valueChanges(before.tableMappings, after.tableMappings).filter(
    (c) => !/^rules\{(include|remove)-/.test(c.path) && !/\["rule-id"\]$/.test(c.path),
  );
  for (const c of others) lines.push(`tableMappings.${formatValueChange(c)}`);
  if (lines.length === 0) lines.push("tableMappings: rules renumbered");
  return lines;
}

/** `table.column` (lake names) of the task's remove-column rules. */
function removedColumns(inputs: Record<string, unknown>): Set<string> {
  const rules = (json(inputs.tableMappings) as { rules?: unknown[] } | undefined)?.rules ?? [];
  return new Set(
    rules.flatMap((r) => {
      const at = (r as Record<string, unknown>)["object-locator"] as
        Record<string, string> | undefined;
      return (r as Record<string, unknown>)["rule-action"] === "remove-column" && at
        ? [lakeName(`${at["table-name"]}.${at["column-name"]}`)]
        : [];
    }),
  );
}

function taskChange(r: ResourceSides, env: Environment): TaskChange {
  const inputs = (r.after ?? r.before)!;
  const base = { env, database: taskDatabase(r.name, inputs), stack: r.stack, task: r.name };
  const all = (i: Record<string, unknown> | undefined) => [...selectedTables(i ?? {}).keys()];
  if (!r.before) return { ...base, action: "created", why: [], loads: all(r.after) };
  if (!r.after) return { ...base, action: "deleted", why: [], loads: [] };
  const changes = valueChanges(r.before, r.after);
  const inputsChanged = [...new Set(changes.map((c) => topLevel(c.path)))];
  const why = [
    ...changes.filter((c) => topLevel(c.path) !== "tableMappings").map(formatValueChange),
    ...(inputsChanged.includes("tableMappings") ? mappingLines(r.before, r.after) : []),
  ];
  if ((r.replacedBy ?? []).length > 0)
    return { ...base, action: "replaced", why, loads: all(r.after) };
  if (inputsChanged.length === 0) return { ...base, action: "unchanged", why, loads: [] };
  if (inputsChanged.every((i) => DMS_TASK_NO_RESTART.includes(i)))
    return { ...base, action: "updated", why, loads: [] };
  const was = selectedTables(r.before);
  return { ...base, action: "restarted", why, loads: all(r.after).filter((t) => !was.has(t)) };
}

/**
 * The table summary of a change. `envOf` maps a stack name to its environment; `validation`,
 * when given, adds the data check's lines to each table.
 */
export function tableSummary(
  resources: readonly ResourceSides[],
  envOf: (stack: string) => Environment | undefined,
  validation?: ValidationLines,
): TableSummary {
  const tables = tableChanges(resources, envOf).map(({ change, sides }) => {
    const lines = validation?.(change, sides);
    return lines && lines.length > 0 ? { ...change, validation: lines } : change;
  });
  const touched = new Set(tables.map((t) => `${t.env}/${t.database}`));
  const tasks = resources
    .filter((r) => r.type === DMS_TASK_TYPE)
    .flatMap((r) => {
      const env = envOf(r.stack);
      return env ? [taskChange(r, env)] : [];
    })
    .filter((t) => t.action !== "unchanged" || touched.has(`${t.env}/${t.database}`));
  return { tables, tasks };
}

export { tableKey };
