import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  clearMetadataCache,
  loadAllDatabases,
  loadDatabase,
  metadataRoot,
  tableSource,
} from "./metadataFiles";
import { DMS_COLUMNS, DMS_TIMESTAMP_FORMAT } from "./dmsColumns";
import { glueColumns } from "./glueColumns";
import {
  MetadataError,
  parseTableFile,
  tableJsonSchema,
  type TableMetadata,
} from "./tableMetadata";
import { normaliseOracleType, SUPPORTED_ORACLE_TYPES } from "./oracleTypes";
import { DATABASES, REPO_ROOT } from "./stacks";

const FOOTER = "Fix the file; the expected shape is described in metadata/databases/README.md.";

/** Which SUPPORTED_ORACLE_TYPES form a canonical type is written in. */
const FORMS: [RegExp, (typeof SUPPORTED_ORACLE_TYPES)[number]][] = [
  [/^NUMBER\(\d+,\d+\)$/, "NUMBER(p,s)"],
  [/^NUMBER\(\d+\)$/, "NUMBER(p)"],
  [/^NUMBER$/, "NUMBER"],
  [/^INTEGER$/, "INTEGER"],
  [/^FLOAT$/, "FLOAT"],
  [/^BINARY_FLOAT$/, "BINARY_FLOAT"],
  [/^BINARY_DOUBLE$/, "BINARY_DOUBLE"],
  [/^VARCHAR2\(\d+\)$/, "VARCHAR2(n)"],
  [/^NVARCHAR2\(\d+\)$/, "NVARCHAR2(n)"],
  [/^CHAR\(\d+\)$/, "CHAR(n)"],
  [/^NCHAR\(\d+\)$/, "NCHAR(n)"],
  [/^CLOB$/, "CLOB"],
  [/^NCLOB$/, "NCLOB"],
  [/^LONG$/, "LONG"],
  [/^DATE$/, "DATE"],
  [/^TIMESTAMP\(\d\)$/, "TIMESTAMP(n)"],
  [/^TIMESTAMP\(\d\) WITH TIME ZONE$/, "TIMESTAMP(n) WITH TIME ZONE"],
  [/^TIMESTAMP\(\d\) WITH LOCAL TIME ZONE$/, "TIMESTAMP(n) WITH LOCAL TIME ZONE"],
  [/^RAW\(\d+\)$/, "RAW(n)"],
  [/^LONG RAW$/, "LONG RAW"],
  [/^BLOB$/, "BLOB"],
];
const formOf = (type: string) => FORMS.find(([pattern]) => pattern.test(type))?.[1];

/** A small valid table file, as written on disk. */
const validTable = () => ({
  name: "OFFENDER",
  schema: "DELIUS_APP_SCHEMA",
  description: "People on probation.",
  primaryKey: ["OFFENDER_ID"],
  columns: [
    { name: "OFFENDER_ID", type: "NUMBER(22)", nullable: false, description: "Surrogate key." },
    { name: "CRN", type: "VARCHAR2(7)", nullable: false, description: "Case reference number." },
    { name: "DYNAMIC_RSR_SCORE", type: "number(5, 2)", nullable: true, description: "RSR score." },
    { name: "CREATED_DATETIME", type: "DATE", nullable: false, description: "When created." },
  ],
});

let tmpRoots: string[] = [];

/** A metadata root in a fresh temporary folder, with the given files under delius/. */
function tempRoot(files: Record<string, unknown> = {}): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "metadata-test-"));
  tmpRoots.push(root);
  fs.mkdirSync(path.join(root, "delius"));
  for (const [name, content] of Object.entries(files)) {
    writeTable(root, name, content);
  }
  return root;
}

function writeTable(root: string, name: string, content: unknown): string {
  const file = path.join(root, "delius", name);
  fs.writeFileSync(
    file,
    typeof content === "string" ? content : JSON.stringify(content, null, 2) + "\n",
  );
  return file;
}

/** Loads one bad file from a temporary folder and returns the error. */
function loadError(content: unknown, fileName = "offender.json"): MetadataError {
  const root = tempRoot({ [fileName]: content });
  try {
    loadDatabase("delius", root);
  } catch (e) {
    expect(e).toBeInstanceOf(MetadataError);
    const error = e as MetadataError;
    expect(error.file).toBe(path.relative(process.cwd(), path.join(root, "delius", fileName)));
    expect(error.message).toBe(
      `Invalid table metadata in ${error.file}:\n` +
        error.problems.map((p) => `  - ${p}`).join("\n") +
        `\n${FOOTER}`,
    );
    return error;
  }
  throw new Error("loadDatabase did not throw");
}

/** The problems reported for the valid table after `change` has edited it. */
function problemsAfter(change: (table: ReturnType<typeof validTable>) => void): readonly string[] {
  const table = validTable();
  change(table);
  return loadError(table).problems;
}

beforeEach(() => clearMetadataCache());
afterEach(() => {
  for (const root of tmpRoots) fs.rmSync(root, { recursive: true, force: true });
  tmpRoots = [];
  clearMetadataCache();
});

describe("the committed metadata files", () => {
  const all = loadAllDatabases();
  const tables = Object.values(all).flat();

  it("load for every database, at least 6 tables each, sorted by name", () => {
    expect(Object.keys(all)).toEqual([...DATABASES]);
    for (const database of DATABASES) {
      const names = all[database].map((t) => t.name);
      expect(names.length).toBeGreaterThanOrEqual(6);
      expect(names).toEqual([...names].sort((a, b) => lakeOrder(a, b)));
      expect(all[database].every((t) => t.database === database)).toBe(true);
    }
  });

  it("hold the main tables of each system", () => {
    const names = (db: "delius" | "oasys") => all[db].map((t) => t.name);
    expect(names("delius")).toEqual(
      expect.arrayContaining([
        "OFFENDER",
        "EVENT",
        "CONTACT",
        "DISPOSAL",
        "RQMNT",
        "OFFENDER_MANAGER",
        "R_STANDARD_REFERENCE_LIST",
      ]),
    );
    expect(names("oasys")).toEqual(
      expect.arrayContaining([
        "OFFENDER",
        "OASYS_SET",
        "OASYS_SECTION",
        "OASYS_QUESTION",
        "OASYS_ANSWER",
        "ASSESSMENT_SCORES",
      ]),
    );
  });

  it("name each system's schema owner", () => {
    expect(new Set(all.delius.map((t) => t.schema))).toEqual(new Set(["DELIUS_APP_SCHEMA"]));
    expect(new Set(all.oasys.map((t) => t.schema))).toEqual(new Set(["EOR"]));
  });

  it("have 6 to 20 columns per table and at least one composite key", () => {
    for (const table of tables) {
      expect([table.name, table.columns.length >= 6 && table.columns.length <= 20]).toEqual([
        table.name,
        true,
      ]);
    }
    expect(tables.filter((t) => t.primaryKey.length > 1).length).toBeGreaterThanOrEqual(1);
  });

  it("write every type in its canonical spelling", () => {
    const untidy = tables.flatMap((t) =>
      t.columns
        .filter((c) => normaliseOracleType(c.type) !== c.type)
        .map((c) => `${t.database}.${t.name}.${c.name}: ${c.type}`),
    );
    expect(untidy).toEqual([]);
  });

  it("use every supported Oracle type form, delius and oasys together", () => {
    const used = new Set(tables.flatMap((t) => t.columns.map((c) => formOf(c.type))));
    expect(SUPPORTED_ORACLE_TYPES.filter((form) => !used.has(form))).toEqual([]);
    expect(used.has(undefined)).toBe(false);
  });

  it("are the bytes the metadata project publishes: exactly the schema's fields", () => {
    for (const table of tables) {
      const file = path.join(metadataRoot(), table.database, `${table.name.toLowerCase()}.json`);
      const onDisk = JSON.parse(fs.readFileSync(file, "utf8"));
      const { database, ...rest } = table;
      expect(database).toBe(table.database);
      expect(onDisk).toEqual(rest);
    }
  });

  it("are described by the committed metadata/databases/table.schema.json (regenerate it: see the README)", () => {
    const committed = JSON.parse(
      fs.readFileSync(path.join(REPO_ROOT, "metadata", "databases", "table.schema.json"), "utf8"),
    );
    expect(committed).toEqual(tableJsonSchema());
  });
});

/** loadDatabase sorts by file name, which is the lower-case table name. */
const lakeOrder = (a: string, b: string) =>
  a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0;

describe("loadDatabase errors", () => {
  it("reports malformed JSON with the file, line and column", () => {
    const error = loadError('{\n  "name": "OFFENDER",\n  schema: "DELIUS_APP_SCHEMA"\n}\n');
    expect(error.problems).toHaveLength(1);
    // V8's wording differs between Node versions; the position must be there either way.
    expect(error.problems[0]).toMatch(/^not valid JSON: .+ \(line 3,? column 3\)$/);
  });

  it("reports an empty file as malformed JSON", () => {
    expect(loadError("").problems).toEqual(["not valid JSON: Unexpected end of JSON input"]);
  });

  it("accepts a file that starts with a byte-order mark", () => {
    const root = tempRoot({ "offender.json": "\uFEFF" + JSON.stringify(validTable()) });
    expect(loadDatabase("delius", root).map((t) => t.name)).toEqual(["OFFENDER"]);
  });

  it("reports a missing field", () => {
    expect(problemsAfter((t) => delete (t as Partial<typeof t>).description)).toEqual([
      "description: required field is missing; expected a string",
    ]);
    expect(
      problemsAfter((t) => delete (t.columns[1] as Partial<(typeof t.columns)[1]>).nullable),
    ).toEqual([
      "columns[1].nullable (column CRN): required field is missing; expected true or false",
    ]);
  });

  it("reports a field of the wrong type", () => {
    expect(problemsAfter((t) => Object.assign(t.columns[0], { nullable: "no" }))).toEqual([
      'columns[0].nullable (column OFFENDER_ID): expected true or false, got the string "no"',
    ]);
    expect(problemsAfter((t) => Object.assign(t, { primaryKey: "OFFENDER_ID" }))).toEqual([
      'primaryKey: expected an array, got the string "OFFENDER_ID"',
    ]);
    expect(problemsAfter((t) => Object.assign(t, { columns: 3 }))).toEqual([
      "columns: expected an array, got number 3",
    ]);
    expect(loadError([validTable()]).problems).toEqual([
      "(top level): expected an object, got an array",
    ]);
  });

  it("reports an unknown Oracle type with the column's path, name and the type", () => {
    expect(problemsAfter((t) => (t.columns[1].type = "VARCHAR(7)"))).toEqual([
      'columns[1].type (column CRN): unknown Oracle type "VARCHAR(7)": expected one of ' +
        SUPPORTED_ORACLE_TYPES.join(", "),
    ]);
  });

  it("reports a type out of range with the reason", () => {
    expect(problemsAfter((t) => (t.columns[2].type = "NUMBER(50,2)"))).toEqual([
      'columns[2].type (column DYNAMIC_RSR_SCORE): unsupported Oracle type "NUMBER(50,2)": NUMBER precision must be 1 to 38, got 50',
    ]);
  });

  it("reports a duplicate column", () => {
    expect(problemsAfter((t) => t.columns.push({ ...t.columns[1] }))).toEqual([
      "columns[4].name (column CRN): duplicate column CRN; each column may appear once",
    ]);
  });

  it("reports a primary key that is not a column", () => {
    expect(problemsAfter((t) => (t.primaryKey = ["OFFENDER_ID", "EVENT_ID"]))).toEqual([
      'primaryKey[1]: primary-key column EVENT_ID is not among the columns; add it to "columns" or fix the name',
    ]);
  });

  it("reports a nullable primary-key column", () => {
    expect(problemsAfter((t) => (t.columns[0].nullable = true))).toEqual([
      'primaryKey[0]: primary-key column OFFENDER_ID must have "nullable": false',
    ]);
  });

  it("reports a primary-key column listed twice, once", () => {
    expect(problemsAfter((t) => (t.primaryKey = ["OFFENDER_ID", "CRN", "OFFENDER_ID"]))).toEqual([
      "primaryKey[2]: primary-key column OFFENDER_ID is listed twice",
    ]);
    expect(problemsAfter((t) => (t.primaryKey = ["EVENT_ID", "EVENT_ID"]))).toEqual([
      'primaryKey[0]: primary-key column EVENT_ID is not among the columns; add it to "columns" or fix the name',
      "primaryKey[1]: primary-key column EVENT_ID is listed twice",
    ]);
  });

  it("reports an empty primary key and no columns", () => {
    expect(
      problemsAfter((t) => {
        t.primaryKey = [];
        t.columns = [];
      }),
    ).toEqual([
      "primaryKey: expected at least one primary-key column",
      "columns: expected at least one column",
    ]);
  });

  it("reports a file whose name does not match the table", () => {
    expect(loadError(validTable(), "offenders.json").problems).toEqual([
      'name: table OFFENDER must be in a file named offender.json; rename the file or fix "name"',
    ]);
    expect(loadError(validTable(), "OFFENDER.json").problems).toEqual([
      'name: table OFFENDER must be in a file named offender.json; rename the file or fix "name"',
    ]);
  });

  it("reports unknown extra fields, including $schema, with the allowed ones", () => {
    expect(
      problemsAfter((t) => Object.assign(t, { $schema: "../table.schema.json", owner: "x" })),
    ).toEqual([
      '(top level): unknown fields "$schema", "owner"; allowed: name, schema, description, primaryKey, columns, excludedColumns',
    ]);
    expect(problemsAfter((t) => Object.assign(t.columns[3], { precision: 7 }))).toEqual([
      'columns[3] (column CREATED_DATETIME): unknown field "precision"; allowed: name, type, nullable, description, transition',
    ]);
  });

  it("accepts a column in transition and reports one that cannot be: bad value, NOT NULL, key", () => {
    const table = parseTableFile(
      "x/offender.json",
      JSON.stringify({
        ...validTable(),
        columns: [
          ...validTable().columns,
          {
            name: "TIER",
            type: "VARCHAR2(4)",
            nullable: true,
            description: "Tier.",
            transition: "adding",
          },
        ],
      }),
      "delius",
    );
    expect(table.columns[4].transition).toBe("adding");
    expect(problemsAfter((t) => Object.assign(t.columns[2], { transition: "pending" }))).toEqual([
      'columns[2].transition (column DYNAMIC_RSR_SCORE): expected "adding" (the source does not have the column yet) or "dropping" (the source is about to drop it)',
    ]);
    expect(
      problemsAfter((t) => {
        Object.assign(t.columns[1], { transition: "dropping" });
        Object.assign(t.columns[0], { transition: "adding" });
      }),
    ).toEqual([
      'columns[0].nullable (column OFFENDER_ID): column OFFENDER_ID is "adding", so files without it pass: it must have "nullable": true',
      'columns[0].transition (column OFFENDER_ID): primary-key column OFFENDER_ID cannot be "adding": every file must carry the key',
      'columns[1].nullable (column CRN): column CRN is "dropping", so files without it pass: it must have "nullable": true',
    ]);
  });

  it("accepts excluded columns with a reason and reports the ones that break a rule", () => {
    const excludedColumns = [{ name: "NI_NUMBER", reason: "Personal data not needed downstream." }];
    const table = parseTableFile(
      "x/offender.json",
      JSON.stringify({ ...validTable(), excludedColumns }),
      "delius",
    );
    expect(table.excludedColumns).toEqual(excludedColumns);
    expect(
      problemsAfter((t) =>
        Object.assign(t, {
          excludedColumns: [
            { name: "NI_NUMBER", reason: " " },
            { name: "PNC_NUMBER", reason: "again", why: "y" },
          ],
        }),
      ),
    ).toEqual([
      "excludedColumns[0].reason: must not be empty or blank: say why the column is never extracted",
      'excludedColumns[1]: unknown field "why"; allowed: name, reason',
    ]);
    expect(
      problemsAfter((t) =>
        Object.assign(t, {
          excludedColumns: [
            { name: "CRN", reason: "x" },
            { name: "OFFENDER_ID", reason: "x" },
            { name: "NI_NUMBER", reason: "x" },
            { name: "NI_NUMBER", reason: "x" },
          ],
        }),
      ),
    ).toEqual([
      'excludedColumns[0].name: column CRN is both in "columns" and in "excludedColumns"; remove it from one of them',
      'excludedColumns[1].name: column OFFENDER_ID is both in "columns" and in "excludedColumns"; remove it from one of them',
      "excludedColumns[1].name: primary-key column OFFENDER_ID cannot be excluded: DMS and the lake need the key",
      "excludedColumns[3].name: column NI_NUMBER is excluded twice; list it once",
    ]);
  });

  it("reports names that are not upper-case Oracle identifiers", () => {
    const expected = (what: string) =>
      `expected an upper-case Oracle ${what} name (a letter, then letters, digits, _ $ #; at most 128)`;
    expect(
      problemsAfter((t) => {
        t.name = "offender";
        t.schema = "delius-app";
        t.columns[1].name = "Crn";
      }),
    ).toEqual([
      `name: ${expected("table")}`,
      `schema: ${expected("schema")}`,
      `columns[1].name (column Crn): ${expected("column")}`,
    ]);
  });

  it("reports blank descriptions and ones longer than Glue allows", () => {
    expect(
      problemsAfter((t) => {
        t.description = "  ";
        t.columns[0].description = "";
        t.columns[1].description = "x".repeat(256);
      }),
    ).toEqual([
      "description: must not be empty or blank",
      "columns[0].description (column OFFENDER_ID): must not be empty or blank",
      "columns[1].description (column CRN): must be at most 255 characters (Glue's limit for a column comment); it has 256",
    ]);
    expect(problemsAfter((t) => (t.description = "y".repeat(2049)))).toEqual([
      "description: must be at most 2048 characters (Glue's limit for a table description); it has 2049",
    ]);
  });

  it("reports a column that clashes with a column DMS adds", () => {
    expect(
      problemsAfter((t) =>
        t.columns.push({ name: "OP", type: "CHAR(1)", nullable: true, description: "Operation." }),
      ),
    ).toEqual([
      'columns[4].name (column OP): column OP clashes with the column "op" that DMS adds to every file (DMS_COLUMNS in lib/model/dmsColumns.ts)',
    ]);
  });

  it("reports two LONG or LONG RAW columns, which Oracle does not allow", () => {
    expect(
      problemsAfter((t) =>
        t.columns.push(
          { name: "NOTES", type: "LONG", nullable: true, description: "Notes." },
          { name: "SCAN", type: "long  raw", nullable: true, description: "Scan." },
        ),
      ),
    ).toEqual([
      "columns: an Oracle table can have only one LONG or LONG RAW column, but this one has 2: NOTES, SCAN; check their types",
    ]);
  });

  it("reports a missing database folder and what to create", () => {
    const root = tempRoot();
    fs.rmSync(path.join(root, "delius"), { recursive: true });
    const folder = path.relative(process.cwd(), path.join(root, "delius"));
    expect(() => loadDatabase("delius", root)).toThrow(
      new MetadataError(folder, [
        "the folder is missing; create it with one <table>.json file per delius table to extract",
      ]),
    );
    expect(() => loadDatabase("delius", root)).toThrow(
      `Invalid table metadata in ${folder}:\n` +
        "  - the folder is missing; create it with one <table>.json file per delius table to extract\n" +
        FOOTER,
    );
  });

  it("reports a database folder with no table files", () => {
    const root = tempRoot({});
    writeTable(root, "README.md", "not a table");
    const folder = path.relative(process.cwd(), path.join(root, "delius"));
    expect(() => loadDatabase("delius", root)).toThrow(
      `Invalid table metadata in ${folder}:\n` +
        "  - the folder has no <table>.json files; add one per delius table to extract (DMS needs at least one)\n" +
        FOOTER,
    );
  });

  it("reports every problem of a file at once", () => {
    expect(
      problemsAfter((t) => {
        t.columns[1].type = "TEXT";
        Object.assign(t.columns[3], { nullable: 0 });
        Object.assign(t, { extra: true });
      }),
    ).toEqual([
      'columns[1].type (column CRN): unknown Oracle type "TEXT": expected one of ' +
        SUPPORTED_ORACLE_TYPES.join(", "),
      "columns[3].nullable (column CREATED_DATETIME): expected true or false, got number 0",
      '(top level): unknown field "extra"; allowed: name, schema, description, primaryKey, columns, excludedColumns',
    ]);
  });
});

describe("loadDatabase", () => {
  it("returns the tables of the folder, sorted by file name, with their database", () => {
    const event = { ...validTable(), name: "EVENT", primaryKey: ["OFFENDER_ID"] };
    const root = tempRoot({ "offender.json": validTable(), "event.json": event });
    writeTable(root, "notes.txt", "ignored: not a .json file");
    const tables = loadDatabase("delius", root);
    expect(tables.map((t) => [t.database, t.name])).toEqual([
      ["delius", "EVENT"],
      ["delius", "OFFENDER"],
    ]);
    expect(tables[1]).toEqual({ ...validTable(), database: "delius" });
  });

  it("caches per folder until clearMetadataCache", () => {
    const root = tempRoot({ "offender.json": validTable() });
    const first = loadDatabase("delius", root);
    expect(first[0].description).toBe("People on probation.");

    writeTable(root, "offender.json", { ...validTable(), description: "Changed." });
    expect(loadDatabase("delius", root)[0].description).toBe("People on probation.");
    // A relative spelling of the same folder shares the cache entry.
    expect(loadDatabase("delius", path.relative(process.cwd(), root))[0].description).toBe(
      "People on probation.",
    );

    clearMetadataCache();
    expect(loadDatabase("delius", root)[0].description).toBe("Changed.");
  });

  it("hands out a new array each time, so a caller cannot reorder the cache", () => {
    const event = { ...validTable(), name: "EVENT" };
    const root = tempRoot({ "offender.json": validTable(), "event.json": event });
    const first = loadDatabase("delius", root);
    first.reverse();
    expect(loadDatabase("delius", root).map((t) => t.name)).toEqual(["EVENT", "OFFENDER"]);
  });

  it("caches errors nowhere: a fixed file loads on the next call", () => {
    const root = tempRoot({ "offender.json": "{" });
    expect(() => loadDatabase("delius", root)).toThrow(MetadataError);
    writeTable(root, "offender.json", validTable());
    expect(loadDatabase("delius", root).map((t) => t.name)).toEqual(["OFFENDER"]);
  });
});

describe("parseTableFile", () => {
  it("parses valid text and adds the database", () => {
    const table = parseTableFile("x/offender.json", JSON.stringify(validTable()), "oasys");
    expect(table).toEqual({ ...validTable(), database: "oasys" });
  });

  it("names the file it was given in errors", () => {
    expect(() => parseTableFile("somewhere/offender.json", "nope", "delius")).toThrow(
      /^Invalid table metadata in somewhere\/offender\.json:\n {2}- not valid JSON: /,
    );
  });
});

describe("glueColumns", () => {
  it("maps the table's columns to lower-case Glue columns, then adds DMS's columns", () => {
    const table: TableMetadata = { ...validTable(), database: "delius" };
    expect(glueColumns(table)).toEqual([
      { name: "offender_id", type: "decimal(22,0)", comment: "Surrogate key." },
      { name: "crn", type: "string", comment: "Case reference number." },
      { name: "dynamic_rsr_score", type: "decimal(5,2)", comment: "RSR score." },
      { name: "created_datetime", type: "timestamp", comment: "When created." },
      {
        name: "op",
        type: "string",
        comment: "DMS operation: I (insert, and every full-load row), U (update) or D (delete)",
      },
      {
        name: "extraction_timestamp",
        type: "string",
        comment:
          "yyyy-MM-dd HH:mm:ss.SSSSSS: commit time of the change in the source; full load: when DMS read the row",
      },
      {
        name: "scn",
        type: "string",
        comment:
          "Oracle SCN of the change (DMS $AR_H_STREAM_POSITION), orders changes committed in the same instant; empty on full load",
      },
    ]);
  });

  it("ends every real table with the DMS columns, named as DMS_COLUMNS says", () => {
    for (const table of Object.values(loadAllDatabases()).flat()) {
      const columns = glueColumns(table);
      expect(columns).toHaveLength(table.columns.length + 3);
      // All three are strings: DMS writes none of them as a parquet TIMESTAMP or number.
      expect(columns.slice(-3).map((c) => [c.name, c.type])).toEqual([
        [DMS_COLUMNS.operation.name, "string"],
        [DMS_COLUMNS.commitTimestamp.name, "string"],
        [DMS_COLUMNS.streamPosition.name, "string"],
      ]);
      expect(new Set(columns.map((c) => c.name)).size).toBe(columns.length);
    }
  });
});

describe("metadata files", () => {
  it("reads the committed files from <repo>/metadata/databases by default", () => {
    expect(metadataRoot()).toBe(path.join(REPO_ROOT, "metadata", "databases"));
    expect(metadataRoot("/x")).toBe(path.join("/x", "metadata", "databases"));
  });
});

describe("tableSource", () => {
  it("gives the exact text a loaded table was parsed from, and refuses a table that was not loaded", () => {
    const [table] = loadDatabase("delius");
    const file = path.join(metadataRoot(), "delius", `${table.name.toLowerCase()}.json`);
    expect(tableSource(table)).toBe(fs.readFileSync(file, "utf8"));
    expect(() => tableSource({ ...table })).toThrow(
      `table ${table.name} was not loaded from a file by loadDatabase`,
    );
  });
});

describe("DMS_TIMESTAMP_FORMAT", () => {
  // The format of TimestampColumnName values, from the AWS DMS API reference (S3Settings).
  it.each(["2026-11-27 12:00:00.000000", "1999-12-31 23:59:59.123456"])("accepts %s", (v) =>
    expect(DMS_TIMESTAMP_FORMAT.test(v)).toBe(true),
  );
  it.each([
    "2026-11-27T12:00:00.000000",
    "2026-11-27 12:00:00.000",
    "2026-11-27 12:00:00",
    "2026-13-27 12:00:00.000000",
    "2026-11-27 24:00:00.000000",
    " 2026-11-27 12:00:00.000000",
  ])("refuses %j", (v) => expect(DMS_TIMESTAMP_FORMAT.test(v)).toBe(false));
});
