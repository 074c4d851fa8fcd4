/**
 * The table metadata model (schema, types and parsing of one file): one JSON file per table under
 * metadata/databases/<database>/<table>.json. The metadata project publishes these files,
 * pipelines derives DMS table mappings from them, glue_database derives Glue tables, and the
 * validation Lambda checks parquet files against them. metadata/databases/README.md describes
 * the format for the people who write the files.
 */
import * as path from "node:path";
import { z } from "zod";
import {
  mapOracleType,
  normaliseOracleType,
  SUPPORTED_ORACLE_TYPES,
  UnknownOracleTypeError,
} from "./oracleTypes";
import { DMS_COLUMNS } from "./dmsColumns";
import type { Database } from "./stacks";

/** Oracle identifiers as DMS reads them: upper case. */
const ORACLE_NAME = /^[A-Z][A-Z0-9_$#]{0,127}$/;
const oracleName = (what: string) =>
  z.string().regex(ORACLE_NAME, {
    error: `expected an upper-case Oracle ${what} name (a letter, then letters, digits, _ $ #; at most 128)`,
  });

/** Glue's limits on a column comment and a table description. */
export const GLUE_COLUMN_COMMENT_MAX = 255;
export const GLUE_TABLE_DESCRIPTION_MAX = 2048;

const description = (max: number, what: string) =>
  z
    .string()
    .regex(/\S/, { error: "must not be empty or blank" })
    .max(max, {
      error: (issue) =>
        `must be at most ${max} characters (Glue's limit for a ${what}); it has ${String((issue.input as string).length)}`,
    });

/**
 * A column in a source schema change (docs/schema-changes.md): `adding` is declared before the
 * DBA's ALTER TABLE ADD, `dropping` before the DROP COLUMN. Either way it must be nullable and
 * not part of the key, since files written without it have no value for it.
 */
export const COLUMN_TRANSITIONS = ["adding", "dropping"] as const;
export type ColumnTransition = (typeof COLUMN_TRANSITIONS)[number];

export const columnSchema = z.strictObject({
  name: oracleName("column").meta({ description: "The Oracle column name, upper case." }),
  type: z
    .string()
    .superRefine((type, ctx) => {
      try {
        mapOracleType(type);
      } catch (e) {
        if (!(e instanceof UnknownOracleTypeError)) throw e;
        ctx.addIssue({ code: "custom", message: e.message });
      }
    })
    .meta({
      description: `The Oracle column type as the data dictionary shows it, one of ${SUPPORTED_ORACLE_TYPES.join(", ")}.`,
      examples: ["NUMBER(22)", "NUMBER(10,2)", "VARCHAR2(4000)", "DATE", "TIMESTAMP(6)"],
    }),
  nullable: z.boolean().meta({
    description: "false when the Oracle column is NOT NULL (primary-key columns must be).",
  }),
  description: description(GLUE_COLUMN_COMMENT_MAX, "column comment").meta({
    description: "What the column holds; becomes the Glue column comment.",
  }),
  transition: z
    .enum(COLUMN_TRANSITIONS, {
      error: `expected "adding" (the source does not have the column yet) or "dropping" (the source is about to drop it)`,
    })
    .optional()
    .meta({
      description:
        'A source schema change under way: "adding", the Oracle column does not exist yet; "dropping", it is about to be dropped. Files with and without the column both pass validation; Glue has the column. Remove the field (or the column) once `npm run metadata -- import --check` says the change is done (docs/schema-changes.md).',
    }),
});

/** True for a column the source may or may not have during a schema change. */
export const inTransition = (c: { transition?: ColumnTransition }) => c.transition !== undefined;

export const excludedColumnSchema = z.strictObject({
  name: oracleName("column").meta({ description: "The Oracle column name, upper case." }),
  reason: z
    .string()
    .regex(/\S/, { error: "must not be empty or blank: say why the column is never extracted" })
    .meta({
      description: "Why the column is never extracted (for example: personal data not needed).",
    }),
});

export const tableSchema = z
  .strictObject({
    /** The Oracle table name, for example OFFENDER. The file is named after it in lower case. */
    name: oracleName("table").meta({
      description: "The Oracle table name, upper case; the file is named after it in lower case.",
    }),
    /** The Oracle schema (owner) that holds the table. */
    schema: oracleName("schema").meta({
      description: "The Oracle schema (owner) that holds the table, for example DELIUS_APP_SCHEMA.",
    }),
    description: description(GLUE_TABLE_DESCRIPTION_MAX, "table description").meta({
      description: "What the table holds; becomes the Glue table description.",
    }),
    primaryKey: z
      .array(z.string())
      .min(1, { error: "expected at least one primary-key column" })
      .meta({ description: "The primary-key column names, in key order." }),
    columns: z
      .array(columnSchema)
      .min(1, { error: "expected at least one column" })
      .meta({ description: "Every column DMS extracts, in table order." }),
    excludedColumns: z.array(excludedColumnSchema).optional().meta({
      description:
        "Columns of the Oracle table that DMS must never extract (remove-column rules); not in the lake, Glue or validation.",
    }),
  })
  .meta({ title: "Table metadata", description: "One Oracle table extracted by DMS." })
  .superRefine((table, ctx) => {
    const seen = new Set<string>();
    const longColumns: string[] = [];
    const dmsNames = new Set<string>(Object.values(DMS_COLUMNS).map((c) => c.name));
    table.columns.forEach((c, i) => {
      if (seen.has(c.name))
        ctx.addIssue({
          code: "custom",
          path: ["columns", i, "name"],
          message: `duplicate column ${c.name}; each column may appear once`,
        });
      seen.add(c.name);
      if (dmsNames.has(lakeName(c.name)))
        ctx.addIssue({
          code: "custom",
          path: ["columns", i, "name"],
          message: `column ${c.name} clashes with the column "${lakeName(c.name)}" that DMS adds to every file (DMS_COLUMNS in lib/model/dmsColumns.ts)`,
        });
      if (/^LONG( RAW)?$/.test(normaliseOracleType(c.type))) longColumns.push(c.name);
      if (c.transition && !c.nullable)
        ctx.addIssue({
          code: "custom",
          path: ["columns", i, "nullable"],
          message: `column ${c.name} is "${c.transition}", so files without it pass: it must have "nullable": true`,
        });
      if (c.transition && table.primaryKey.includes(c.name))
        ctx.addIssue({
          code: "custom",
          path: ["columns", i, "transition"],
          message: `primary-key column ${c.name} cannot be "${c.transition}": every file must carry the key`,
        });
    });
    if (longColumns.length > 1)
      ctx.addIssue({
        code: "custom",
        path: ["columns"],
        message: `an Oracle table can have only one LONG or LONG RAW column, but this one has ${longColumns.length}: ${longColumns.join(", ")}; check their types`,
      });
    const excluded = new Set<string>();
    (table.excludedColumns ?? []).forEach((c, i) => {
      if (excluded.has(c.name))
        ctx.addIssue({
          code: "custom",
          path: ["excludedColumns", i, "name"],
          message: `column ${c.name} is excluded twice; list it once`,
        });
      excluded.add(c.name);
      if (seen.has(c.name))
        ctx.addIssue({
          code: "custom",
          path: ["excludedColumns", i, "name"],
          message: `column ${c.name} is both in "columns" and in "excludedColumns"; remove it from one of them`,
        });
      if (table.primaryKey.includes(c.name))
        ctx.addIssue({
          code: "custom",
          path: ["excludedColumns", i, "name"],
          message: `primary-key column ${c.name} cannot be excluded: DMS and the lake need the key`,
        });
    });
    const keys = new Set<string>();
    table.primaryKey.forEach((key, i) => {
      if (keys.has(key)) {
        ctx.addIssue({
          code: "custom",
          path: ["primaryKey", i],
          message: `primary-key column ${key} is listed twice`,
        });
        return;
      }
      keys.add(key);
      const column = table.columns.find((c) => c.name === key);
      if (!column)
        ctx.addIssue({
          code: "custom",
          path: ["primaryKey", i],
          message: `primary-key column ${key} is not among the columns; add it to "columns" or fix the name`,
        });
      else if (column.nullable)
        ctx.addIssue({
          code: "custom",
          path: ["primaryKey", i],
          message: `primary-key column ${key} must have "nullable": false`,
        });
    });
  });

export type ColumnMetadata = z.infer<typeof columnSchema>;
export type ExcludedColumn = z.infer<typeof excludedColumnSchema>;
export interface TableMetadata extends z.infer<typeof tableSchema> {
  readonly database: Database;
}

/**
 * The JSON Schema of a table file, for editors and for documentation. A copy is committed as
 * metadata/databases/table.schema.json; lib/model/metadata.test.ts fails when the two differ.
 */
export const tableJsonSchema = () => z.toJSONSchema(tableSchema, { io: "input" });

/** Glue and the parquet files use lower-case names. */
export const lakeName = (oracleName: string) => oracleName.toLowerCase();

export class MetadataError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(
      `Invalid table metadata in ${file}:\n` +
        problems.map((p) => `  - ${p}`).join("\n") +
        `\nFix the file; the expected shape is described in metadata/databases/README.md.`,
    );
    this.name = "MetadataError";
  }
}

/** Parses and validates the text of one table file; `file` is used in errors and naming. */
export function parseTableFile(file: string, text: string, database: Database): TableMetadata {
  const content = text.replace(/^\uFEFF/, "");
  let json: unknown;
  try {
    json = JSON.parse(content);
  } catch (e) {
    throw new MetadataError(file, [`not valid JSON: ${jsonErrorWithLine(e as Error, content)}`]);
  }
  const table = parseTable(file, json, database);
  const expectedFile = `${lakeName(table.name)}.json`;
  if (path.basename(file) !== expectedFile) {
    throw new MetadataError(file, [
      `name: table ${table.name} must be in a file named ${expectedFile}; rename the file or fix "name"`,
    ]);
  }
  return table;
}

/**
 * Validates one table already parsed from JSON (a table file's content, or one entry of a
 * metadata bundle); `where` names it in errors.
 */
export function parseTable(where: string, json: unknown, database: Database): TableMetadata {
  const result = tableSchema.safeParse(json, { reportInput: true });
  if (!result.success) {
    throw new MetadataError(
      where,
      result.error.issues.map((i) => `${describePath(i.path, json)}: ${issueMessage(i)}`),
    );
  }
  return { ...result.data, database };
}

/** Adds the line and column to V8's "... in JSON at position N". */
function jsonErrorWithLine(e: Error, text: string): string {
  const position = /at position (\d+)/.exec(e.message);
  if (!position || /line \d+/.test(e.message)) return e.message;
  const before = text.slice(0, Number(position[1]));
  const line = before.split("\n").length;
  const column = before.length - before.lastIndexOf("\n");
  return `${e.message} (line ${line}, column ${column})`;
}

const FIELDS = {
  table: Object.keys(tableSchema.shape),
  column: Object.keys(columnSchema.shape),
  excludedColumn: Object.keys(excludedColumnSchema.shape),
};

const EXPECTED: Record<string, string> = {
  string: "a string",
  boolean: "true or false",
  array: "an array",
  object: "an object",
};

function describeValue(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return `the string ${JSON.stringify(value)}`;
  if (typeof value === "object") return "an object";
  return `${typeof value} ${String(value)}`;
}

/** zod's own messages, reworded to say what was expected and what the file holds. */
function issueMessage(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "invalid_type": {
      const expected = EXPECTED[issue.expected] ?? issue.expected;
      return issue.input === undefined
        ? `required field is missing; expected ${expected}`
        : `expected ${expected}, got ${describeValue(issue.input)}`;
    }
    case "unrecognized_keys": {
      const fields =
        issue.path[0] === "columns"
          ? FIELDS.column
          : issue.path[0] === "excludedColumns"
            ? FIELDS.excludedColumn
            : FIELDS.table;
      const keys = issue.keys.map((k) => `"${k}"`).join(", ");
      return `unknown field${issue.keys.length > 1 ? "s" : ""} ${keys}; allowed: ${fields.join(", ")}`;
    }
    default:
      return issue.message;
  }
}

/** `columns[3].type (column SURNAME)`: the JSON path, plus the column's name when it has one. */
function describePath(p: readonly PropertyKey[], json: unknown): string {
  if (p.length === 0) return "(top level)";
  const text = p
    .map((k, i) => (typeof k === "number" ? `[${k}]` : `${i > 0 ? "." : ""}${String(k)}`))
    .join("");
  if (p[0] === "columns" && typeof p[1] === "number") {
    const columns = (json as { columns?: unknown }).columns;
    const name = Array.isArray(columns) ? (columns[p[1]] as { name?: unknown })?.name : undefined;
    if (typeof name === "string" && name !== "") return `${text} (column ${name})`;
  }
  return text;
}
