/**
 * The import end to end through its CLI, on a copy of metadata/databases. The CSV fixtures are
 * written as SQL Developer's and sqlplus's CSV exports are: a header row, strings in double
 * quotes (doubled inside), NULL as an empty field, numbers bare, CRLF line ends, and (SQL
 * Developer's "UTF-8 with BOM") a byte-order mark. Column meanings: Oracle Database Reference,
 * ALL_TAB_COLUMNS, ALL_CONS_COLUMNS, ALL_TAB_COMMENTS, ALL_COL_COMMENTS (see dictionary.ts).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { main } from "./cli";
import { recordingIo } from "../stacks/report/io";
import { formatTableFile } from "./import";

const COLUMNS_HEAD = `"OWNER","TABLE_NAME","COLUMN_NAME","DATA_TYPE","DATA_LENGTH","DATA_PRECISION","DATA_SCALE","NULLABLE","COLUMN_ID","CHAR_LENGTH","CHAR_USED"`;
const BOM = "\uFEFF";

/** One ALL_TAB_COLUMNS row as sqlplus writes it. */
function col(
  table: string,
  name: string,
  type: string,
  [length, precision, scale]: [number | "", number | "", number | ""],
  nullable: "Y" | "N",
  id: number,
  charLength: number | "" = 0,
  charUsed = "",
  owner = "DELIUS_APP_SCHEMA",
): string {
  return `"${owner}","${table}","${name}","${type}",${length},${precision},${scale},"${nullable}",${id},${charLength},${charUsed ? `"${charUsed}"` : ""}`;
}

const csv = (lines: string[]) => BOM + lines.join("\r\n") + "\r\n";

let dir: string;
let root: string;
// What the CLI writes, recorded afresh for each test.
let io: ReturnType<typeof recordingIo>;
let out: string[];
let err: string[];

function write(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

const run = (args: string[]) => main(["import", "--database", "delius", ...args], { io, root });

/** Every file under the copy, with its text: to prove that nothing was written. */
function snapshot(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const db of fs.readdirSync(root)) {
    const d = path.join(root, db);
    if (!fs.statSync(d).isDirectory()) continue;
    for (const f of fs.readdirSync(d))
      files[`${db}/${f}`] = fs.readFileSync(path.join(d, f), "utf8");
  }
  return files;
}

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "metadata-import-"));
  root = path.join(dir, "databases");
  fs.cpSync(path.join(__dirname, "..", "..", "metadata", "databases"), root, { recursive: true });
  io = recordingIo();
  ({ stdout: out, stderr: err } = io);
});
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

const T = "CASE_NOTE";
const newTableColumns = [
  COLUMNS_HEAD,
  col(T, "CASE_NOTE_ID", "NUMBER", [22, 22, 0], "N", 1),
  col(T, "AMOUNT", "NUMBER", [22, 10, 2], "Y", 2),
  col(T, "FLAG", "NUMBER", [22, 1, 0], "Y", 3),
  // CHAR length semantics: DATA_LENGTH counts bytes (80 in AL32UTF8), CHAR_LENGTH characters.
  col(T, "TITLE", "VARCHAR2", [80, "", ""], "Y", 4, 20, "C"),
  col(T, "CREATED", "TIMESTAMP(6)", [11, "", 6], "N", 6),
  // Listed out of order: COLUMN_ID decides.
  col(T, "SEQ", "NUMBER", [22, "", 0], "Y", 5),
  col(T, "ANYTHING", "NUMBER", [22, "", ""], "Y", 7),
  col(T, "NAME", "NVARCHAR2", [70, "", ""], "Y", 8, 35, "C"),
  col(T, "ZONE_TIME", "TIMESTAMP(3) WITH TIME ZONE", [13, "", 3], "Y", 9),
];
const newTableKeys = csv([
  `OWNER,TABLE_NAME,COLUMN_NAME,POSITION`,
  `DELIUS_APP_SCHEMA,${T},CASE_NOTE_ID,1`,
]);
const newTableComments = csv([
  `OWNER,TABLE_NAME,COMMENTS`,
  `"DELIUS_APP_SCHEMA","${T}","Notes written on a case, one row per note."`,
]);
const newColumnComments = csv([
  `OWNER,TABLE_NAME,COLUMN_NAME,COMMENTS`,
  `"DELIUS_APP_SCHEMA","${T}","CASE_NOTE_ID","Primary key."`,
  `"DELIUS_APP_SCHEMA","${T}","AMOUNT","Amount, in pounds ""GBP""."`,
  `"DELIUS_APP_SCHEMA","${T}","FLAG","1 when flagged."`,
  // A comment spanning two lines inside its quotes.
  `"DELIUS_APP_SCHEMA","${T}","TITLE","Title of the note,\r\nas typed."`,
  `"DELIUS_APP_SCHEMA","${T}","SEQ","Order of the note."`,
  `"DELIUS_APP_SCHEMA","${T}","CREATED","When it was written."`,
  `"DELIUS_APP_SCHEMA","${T}","ANYTHING","A number without precision."`,
  `"DELIUS_APP_SCHEMA","${T}","NAME","Name in the national character set."`,
  `"DELIUS_APP_SCHEMA","${T}","ZONE_TIME","When, with its offset."`,
]);

function newTableArgs() {
  return [
    "--columns",
    write("columns.csv", csv(newTableColumns)),
    "--primary-keys",
    write("keys.csv", newTableKeys),
    "--table-comments",
    write("tables.csv", newTableComments),
    "--column-comments",
    write("comments.csv", newColumnComments),
  ];
}

describe("metadata import: a new table", () => {
  it("writes the canonical file, formatted as prettier does, and says so", async () => {
    expect(await run(newTableArgs())).toBe(0);
    const file = path.join(root, "delius", "case_note.json");
    expect(JSON.parse(fs.readFileSync(file, "utf8"))).toEqual({
      name: "CASE_NOTE",
      schema: "DELIUS_APP_SCHEMA",
      description: "Notes written on a case, one row per note.",
      primaryKey: ["CASE_NOTE_ID"],
      columns: [
        { name: "CASE_NOTE_ID", type: "NUMBER(22)", nullable: false, description: "Primary key." },
        {
          name: "AMOUNT",
          type: "NUMBER(10,2)",
          nullable: true,
          description: 'Amount, in pounds "GBP".',
        },
        { name: "FLAG", type: "NUMBER(1)", nullable: true, description: "1 when flagged." },
        {
          name: "TITLE",
          type: "VARCHAR2(20)",
          nullable: true,
          description: "Title of the note,\r\nas typed.",
        },
        { name: "SEQ", type: "INTEGER", nullable: true, description: "Order of the note." },
        {
          name: "CREATED",
          type: "TIMESTAMP(6)",
          nullable: false,
          description: "When it was written.",
        },
        {
          name: "ANYTHING",
          type: "NUMBER",
          nullable: true,
          description: "A number without precision.",
        },
        {
          name: "NAME",
          type: "NVARCHAR2(35)",
          nullable: true,
          description: "Name in the national character set.",
        },
        {
          name: "ZONE_TIME",
          type: "TIMESTAMP(3) WITH TIME ZONE",
          nullable: true,
          description: "When, with its offset.",
        },
      ],
    });
    expect(fs.readFileSync(file, "utf8")).toContain(`  "primaryKey": ["CASE_NOTE_ID"],\n`);
    expect(out).toEqual([`${path.relative(process.cwd(), file)}: created`]);
    // A second run changes nothing.
    out.length = 0;
    expect(await run([...newTableArgs(), "--check", "--tables", "case_note"])).toBe(0);
    expect(out).toEqual(["No differences: 1 table(s) of delius match the export."]);
  });

  it("refuses a table without a primary key and writes nothing", async () => {
    const before = snapshot();
    const args = newTableArgs();
    args[3] = write("keys.csv", csv([`OWNER,TABLE_NAME,COLUMN_NAME,POSITION`]));
    expect(await run(args)).toBe(1);
    expect(err).toEqual([
      "metadata import: nothing was written; fix these problems and run it again:",
      "  - CASE_NOTE: the table has no primary key in the primary-keys export; DMS and the lake need one. Export the columns of its P constraint (ALL_CONS_COLUMNS), or ask the source team for a key",
    ]);
    expect(snapshot()).toEqual(before);
  });

  it("refuses an unknown Oracle type, naming the table, column and value, and writes no table at all", async () => {
    const before = snapshot();
    const lines = [...newTableColumns, col("OTHER", "ID", "XMLTYPE", [2000, "", ""], "N", 1)];
    const args = newTableArgs();
    args[1] = write("columns.csv", csv(lines));
    expect(await run(args)).toBe(1);
    expect(err[1]).toMatch(
      /^ {2}- .*columns\.csv line 11: OTHER\.ID: DATA_TYPE "XMLTYPE" gives unknown Oracle type "XMLTYPE": expected one of NUMBER\(p,s\)/,
    );
    expect(snapshot()).toEqual(before);
  });

  it("refuses a table of another schema than the database's, naming both", async () => {
    const before = snapshot();
    const args = newTableArgs();
    args[1] = write(
      "columns.csv",
      csv([COLUMNS_HEAD, col(T, "CASE_NOTE_ID", "NUMBER", [22, 22, 0], "N", 1, 0, "", "EOR")]),
    );
    expect(await run(args)).toBe(1);
    expect(err.slice(1)).toEqual([
      "  - CASE_NOTE: its OWNER EOR is not DELIUS_APP_SCHEMA, the schema of every other delius table; check --database, or the WHERE owner = ... of the export",
    ]);
    expect(snapshot()).toEqual(before);
  });

  it("passes a negative NUMBER scale to the type check, which refuses it with its reason", async () => {
    const args = newTableArgs();
    args[1] = write(
      "columns.csv",
      csv([...newTableColumns, col(T, "ROUNDED", "NUMBER", [22, 10, -2], "Y", 10)]),
    );
    expect(await run(args)).toBe(1);
    expect(err.slice(1)).toEqual([
      expect.stringMatching(
        /columns\.csv line 11: CASE_NOTE\.ROUNDED: DATA_TYPE "NUMBER" gives unsupported Oracle type "NUMBER\(10,-2\)": NUMBER scale must be 0 to the precision \(10\), got -2$/,
      ),
    ]);
  });

  it("refuses NVARCHAR2 without CHAR_LENGTH, since DATA_LENGTH counts bytes", async () => {
    const head = `OWNER,TABLE_NAME,COLUMN_NAME,DATA_TYPE,DATA_LENGTH,DATA_PRECISION,DATA_SCALE,NULLABLE,COLUMN_ID`;
    const args = newTableArgs();
    args[1] = write(
      "columns.csv",
      csv([
        head,
        `DELIUS_APP_SCHEMA,${T},CASE_NOTE_ID,NUMBER,22,22,0,N,1`,
        `DELIUS_APP_SCHEMA,${T},NAME,NVARCHAR2,70,,,Y,2`,
      ]),
    );
    expect(await run(args)).toBe(1);
    expect(err.slice(1)).toEqual([
      expect.stringMatching(
        /columns\.csv line 3: CASE_NOTE\.NAME: NVARCHAR2 with national character set needs CHAR_LENGTH, since DATA_LENGTH \(70\) counts bytes; add CHAR_LENGTH to the columns export$/,
      ),
    ]);
  });

  it("refuses a malformed CSV with its file and line", async () => {
    const args = newTableArgs();
    args[3] = write(
      "keys.csv",
      `OWNER,TABLE_NAME,COLUMN_NAME,POSITION\r\nDELIUS_APP_SCHEMA,${T},CASE_NOTE_ID\r\n`,
    );
    expect(await run(args)).toBe(1);
    expect(err[1]).toBe(
      `  - ${args[3]}: not a valid CSV file: Invalid Record Length: expect 4, got 3 on line 2`,
    );
  });

  it("refuses a header without the required columns", async () => {
    const args = newTableArgs();
    args[3] = write(
      "keys.csv",
      `OWNER,TABLE_NAME,COLUMN_NAME\r\nDELIUS_APP_SCHEMA,${T},CASE_NOTE_ID\r\n`,
    );
    expect(await run(args)).toBe(1);
    expect(err[1]).toBe(
      `  - ${args[3]}: the header row lacks POSITION; it has OWNER, TABLE_NAME, COLUMN_NAME. Export the view with a header row and the columns OWNER, TABLE_NAME, COLUMN_NAME, POSITION.`,
    );
  });

  it("refuses a column comment over Glue's 255 characters, naming table and column", async () => {
    const args = newTableArgs();
    const long = "x".repeat(256);
    args[7] = write("comments.csv", newColumnComments.replace('"Primary key."', `"${long}"`));
    expect(await run(args)).toBe(1);
    expect(err).toContain(
      "  - CASE_NOTE.CASE_NOTE_ID: the export's comment has 256 characters, over Glue's limit of 255 for a column comment. Shorten it in Oracle (COMMENT ON) or give a shorter one in a --column-comments file",
    );
  });

  it("refuses a column with no comment anywhere", async () => {
    const args = newTableArgs();
    args[7] = write("comments.csv", newColumnComments.replace(/.*"FLAG".*\r\n/, ""));
    expect(await run(args)).toBe(1);
    expect(err.slice(1)).toEqual([
      "  - CASE_NOTE.FLAG: no comment in the export and no description in the metadata; add a comment in Oracle (COMMENT ON) or write one in a --column-comments file (OWNER,TABLE_NAME,COLUMN_NAME,COMMENTS)",
    ]);
  });
});

describe("metadata import: an existing table", () => {
  // audited_interaction.json as committed, exported back with one column added, one retyped,
  // one removed and the key changed; no comments at all in the export.
  const A = "AUDITED_INTERACTION";
  const exported = [
    COLUMNS_HEAD,
    col(A, "DATE_TIME", "TIMESTAMP(6)", [11, "", 6], "N", 1),
    col(A, "USER_ID", "NUMBER", [22, 22, 0], "N", 2),
    col(A, "BUSINESS_INTERACTION_ID", "NUMBER", [22, 22, 0], "N", 3),
    col(A, "OUTCOME", "CHAR", [1, "", ""], "N", 4, 1, "B"),
    col(A, "INTERACTION_PARAMETERS", "VARCHAR2", [8000, "", ""], "Y", 5, 8000, "B"),
    col(A, "SPG_FLAG", "NUMBER", [22, 1, 0], "Y", 6),
    col(A, "NI_NUMBER", "VARCHAR2", [9, "", ""], "Y", 7, 9, "B"),
  ];
  const keys = csv([
    `OWNER,TABLE_NAME,COLUMN_NAME,POSITION`,
    `DELIUS_APP_SCHEMA,${A},DATE_TIME,1`,
    `DELIUS_APP_SCHEMA,${A},USER_ID,2`,
  ]);
  const file = () => path.join(root, "delius", "audited_interaction.json");

  beforeEach(() => {
    // A person excluded NI_NUMBER.
    const table = JSON.parse(fs.readFileSync(file(), "utf8"));
    table.excludedColumns = [{ name: "NI_NUMBER", reason: "Personal data not needed downstream." }];
    fs.writeFileSync(file(), JSON.stringify(table, null, 2) + "\n");
  });

  const args = () => [
    "--columns",
    write("columns.csv", csv(exported)),
    "--primary-keys",
    write("keys.csv", keys),
    "--column-comments",
    write(
      "comments.csv",
      csv([
        `OWNER,TABLE_NAME,COLUMN_NAME,COMMENTS`,
        `DELIUS_APP_SCHEMA,${A},SPG_FLAG,1 when the case is SPG.`,
      ]),
    ),
    "--tables",
    "AUDITED_INTERACTION",
  ];

  it("--check names every difference, exits 1 and writes nothing (the excluded column is not new)", async () => {
    const before = snapshot();
    expect(await run([...args(), "--check"])).toBe(1);
    expect(out).toEqual([
      "delius.AUDITED_INTERACTION: column INTERACTION_PARAMETERS retyped: VARCHAR2(4000) -> VARCHAR2(8000)",
      "delius.AUDITED_INTERACTION: column SPG_FLAG is new: NUMBER(1), nullable",
      "delius.AUDITED_INTERACTION: column CLIENT_SESSION_ID removed (was RAW(16))",
      "delius.AUDITED_INTERACTION: primary key (DATE_TIME, USER_ID, BUSINESS_INTERACTION_ID) -> (DATE_TIME, USER_ID)",
    ]);
    expect(err).toEqual([
      "4 difference(s) between the export and metadata/databases/delius: run the import without --check to apply them.",
    ]);
    expect(snapshot()).toEqual(before);
  });

  it("updates the file, keeping the descriptions and exclusions a person wrote", async () => {
    const before = JSON.parse(fs.readFileSync(file(), "utf8"));
    expect(await run(args())).toBe(0);
    const after = JSON.parse(fs.readFileSync(file(), "utf8"));
    expect(after.description).toBe(before.description);
    expect(after.excludedColumns).toEqual([
      { name: "NI_NUMBER", reason: "Personal data not needed downstream." },
    ]);
    expect(after.primaryKey).toEqual(["DATE_TIME", "USER_ID"]);
    expect(after.columns.map((c: { name: string }) => c.name)).toEqual([
      "DATE_TIME",
      "USER_ID",
      "BUSINESS_INTERACTION_ID",
      "OUTCOME",
      "INTERACTION_PARAMETERS",
      "SPG_FLAG",
    ]);
    expect(after.columns[4]).toEqual({ ...before.columns[4], type: "VARCHAR2(8000)" });
    expect(after.columns[0]).toEqual(before.columns[0]);
    expect(after.columns[5].description).toBe("1 when the case is SPG.");
    expect(out[0]).toMatch(/audited_interaction\.json: updated$/);
    expect(out.slice(1)).toEqual([
      "  column INTERACTION_PARAMETERS retyped: VARCHAR2(4000) -> VARCHAR2(8000)",
      "  column SPG_FLAG is new: NUMBER(1), nullable",
      "  column CLIENT_SESSION_ID removed (was RAW(16))",
      "  primary key (DATE_TIME, USER_ID, BUSINESS_INTERACTION_ID) -> (DATE_TIME, USER_ID)",
    ]);
  });

  it("keeps the file's description when the export's comment is over Glue's limit, with a warning", async () => {
    const a = args();
    a[5] = write(
      "comments.csv",
      csv([
        `OWNER,TABLE_NAME,COLUMN_NAME,COMMENTS`,
        `DELIUS_APP_SCHEMA,${A},SPG_FLAG,1 when SPG.`,
        `DELIUS_APP_SCHEMA,${A},OUTCOME,${"y".repeat(300)}`,
      ]),
    );
    expect(await run(a)).toBe(0);
    expect(err).toEqual([
      "warning: AUDITED_INTERACTION.OUTCOME: the export's comment has 300 characters, over Glue's limit of 255 for a column comment; kept the description in the file. Shorten the comment in Oracle (COMMENT ON).",
    ]);
    expect(JSON.parse(fs.readFileSync(file(), "utf8")).columns[3].description).toBe(
      "S when the interaction succeeded, F when it failed.",
    );
  });

  it("--check without --tables also names the tables that the export lacks", async () => {
    const a = args().slice(0, 6);
    expect(await run([...a, "--check"])).toBe(1);
    expect(out).toContain(
      "delius.CONTACT: in the metadata but not in the export (dropped, renamed, or not exported?)",
    );
  });
});

describe("metadata import: columns in transition", () => {
  // audited_interaction.json with SPG_FLAG and TIER marked "adding" and CLIENT_SESSION_ID marked
  // "dropping"; the DBA has since added SPG_FLAG and dropped CLIENT_SESSION_ID, not yet TIER.
  const A = "AUDITED_INTERACTION";
  const file = () => path.join(root, "delius", "audited_interaction.json");
  const adding = (name: string, type: string) => ({
    name,
    type,
    nullable: true,
    description: `${name}, being added.`,
    transition: "adding",
  });
  beforeEach(() => {
    const table = JSON.parse(fs.readFileSync(file(), "utf8"));
    for (const c of table.columns) if (c.name === "CLIENT_SESSION_ID") c.transition = "dropping";
    table.columns.push(adding("SPG_FLAG", "NUMBER(1)"), adding("TIER", "VARCHAR2(4)"));
    fs.writeFileSync(file(), JSON.stringify(table, null, 2) + "\n");
  });
  const args = () => [
    "--columns",
    write(
      "columns.csv",
      csv([
        COLUMNS_HEAD,
        col(A, "DATE_TIME", "TIMESTAMP(6)", [11, "", 6], "N", 1),
        col(A, "USER_ID", "NUMBER", [22, 22, 0], "N", 2),
        col(A, "BUSINESS_INTERACTION_ID", "NUMBER", [22, 22, 0], "N", 3),
        col(A, "OUTCOME", "CHAR", [1, "", ""], "N", 4, 1, "B"),
        col(A, "INTERACTION_PARAMETERS", "VARCHAR2", [4000, "", ""], "Y", 5, 4000, "B"),
        col(A, "SPG_FLAG", "NUMBER", [22, 1, 0], "Y", 7),
      ]),
    ),
    "--primary-keys",
    write(
      "keys.csv",
      csv([
        `OWNER,TABLE_NAME,COLUMN_NAME,POSITION`,
        `DELIUS_APP_SCHEMA,${A},DATE_TIME,1`,
        `DELIUS_APP_SCHEMA,${A},USER_ID,2`,
        `DELIUS_APP_SCHEMA,${A},BUSINESS_INTERACTION_ID,3`,
      ]),
    ),
    "--tables",
    A,
  ];

  it("--check says which pending columns now exist in the source and which are gone", async () => {
    const before = snapshot();
    expect(await run([...args(), "--check"])).toBe(1);
    expect(out).toEqual([
      'delius.AUDITED_INTERACTION: column SPG_FLAG is marked "adding" and now exists in the source: it can be made firm (the import without --check removes "transition")',
      'delius.AUDITED_INTERACTION: column CLIENT_SESSION_ID is marked "dropping" and is gone from the source: it can be removed (the import without --check removes it)',
    ]);
    expect(snapshot()).toEqual(before);
  });

  it("the import makes SPG_FLAG firm, removes CLIENT_SESSION_ID and keeps TIER adding", async () => {
    expect(await run(args())).toBe(0);
    const columns = JSON.parse(fs.readFileSync(file(), "utf8")).columns as {
      name: string;
      transition?: string;
    }[];
    expect(columns.map((c) => [c.name, c.transition ?? "firm"])).toEqual([
      ["DATE_TIME", "firm"],
      ["USER_ID", "firm"],
      ["BUSINESS_INTERACTION_ID", "firm"],
      ["OUTCOME", "firm"],
      ["INTERACTION_PARAMETERS", "firm"],
      ["SPG_FLAG", "firm"],
      ["TIER", "adding"],
    ]);
    out = [];
    expect(await run([...args(), "--check"])).toBe(0);
  });
});

describe("formatTableFile", () => {
  // The committed files pass `prettier --check .` (CI runs it), so formatting their content
  // must give their exact text back.
  const databases = path.join(__dirname, "..", "..", "metadata", "databases");
  const files = ["delius", "oasys"].flatMap((db) =>
    fs.readdirSync(path.join(databases, db)).map((f) => path.join(databases, db, f)),
  );
  it.each(files)("writes %s byte for byte as prettier does", (file) => {
    const text = fs.readFileSync(file, "utf8");
    expect(formatTableFile(JSON.parse(text))).toBe(text);
  });
});

describe("metadata CLI usage", () => {
  it("rejects an unknown database", async () => {
    expect(
      await main(["import", "--database", "nope", "--columns", "a", "--primary-keys", "b"], {
        io,
        root,
      }),
    ).toBe(2);
    expect(err.join("\n")).toContain(
      "argument 'nope' is invalid. Allowed choices are delius, oasys.",
    );
  });
});
