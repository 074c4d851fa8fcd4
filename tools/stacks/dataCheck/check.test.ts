import { parseTableFile, type TableMetadata } from "../../../lib/model/tableMetadata";
import { OFFENDER_TABLE } from "../../../lib/testing/parquetFiles";
import { checkTable, checkTables } from "./check";

type Column = (typeof OFFENDER_TABLE.columns)[number] & { transition?: string };
const table = (columns: Column[] = OFFENDER_TABLE.columns): TableMetadata =>
  parseTableFile("offender.json", JSON.stringify({ ...OFFENDER_TABLE, columns }), "delius");
const TIER = { name: "TIER", type: "VARCHAR2(4)", nullable: true, description: "Tier" };
const base = table();
const without = (name: string) => OFFENDER_TABLE.columns.filter((c) => c.name !== name);
const retyped = (name: string, type: string) =>
  OFFENDER_TABLE.columns.map((c) => (c.name === name ? { ...c, type } : c));

describe("checkTable", () => {
  it("a nullable column added before the DDL: files fail until the Oracle column exists", async () => {
    expect(await checkTable(base, table([...OFFENDER_TABLE.columns, TIER]))).toEqual({
      database: "delius",
      table: "offender",
      status: "fail",
      lines: [
        {
          status: "fail",
          text: "until the Oracle column TIER exists, OFFENDER files will fail: missing column tier",
        },
        { status: "pass", text: "once the Oracle column TIER exists, OFFENDER files pass" },
        {
          status: "warn",
          text: "if the Oracle column TIER exists before this is deployed, OFFENDER files written in between will fail: unknown column tier; no order avoids failed files: replay them after the deploy (npm run replay, docs/schema-changes.md)",
        },
        {
          status: "info",
          text: 'mark TIER "transition": "adding" to let files without it pass until the Oracle column exists (docs/schema-changes.md)',
        },
      ],
    });
  });

  it("a column removed from the metadata before the source drops it: files fail until then", async () => {
    const verdict = await checkTable(base, table(without("SURNAME")));
    expect(verdict.status).toBe("fail");
    expect(verdict.lines.map((l) => `${l.status}: ${l.text}`)).toEqual([
      "fail: until the Oracle column SURNAME is dropped, OFFENDER files will fail: unknown column surname",
      "pass: once the Oracle column SURNAME is dropped, OFFENDER files pass",
      "warn: if the Oracle column SURNAME is dropped before this is deployed, OFFENDER files written in between will fail: missing column surname; no order avoids failed files: replay them after the deploy (npm run replay, docs/schema-changes.md)",
      'info: keep SURNAME with "transition": "dropping" until the Oracle column is dropped, so that files with it still pass (docs/schema-changes.md)',
    ]);
  });

  it("a retype DMS cannot write into the existing parquet schema says so", async () => {
    const verdict = await checkTable(base, table(retyped("BALANCE", "VARCHAR2(20)")));
    expect(verdict.lines.map((l) => `${l.status}: ${l.text}`)).toEqual([
      "fail: until the Oracle column BALANCE is VARCHAR2(20), OFFENDER files will fail: incompatible type: balance (Oracle VARCHAR2(20)) is FIXED_LEN_BYTE_ARRAY(16) DECIMAL(12,2), expected BYTE_ARRAY annotated STRING (UTF8)",
      "pass: once the Oracle column BALANCE is VARCHAR2(20), OFFENDER files pass",
      "warn: if the Oracle column BALANCE is VARCHAR2(20) before this is deployed, OFFENDER files written in between will fail: incompatible type: balance (Oracle NUMBER(12,2)) is BYTE_ARRAY STRING, expected DECIMAL over INT32, INT64, FIXED_LEN_BYTE_ARRAY or BYTE_ARRAY; no order avoids failed files: replay them after the deploy (npm run replay, docs/schema-changes.md)",
      "warn: OFFENDER.BALANCE NUMBER(12,2) → VARCHAR2(20): DMS cannot write it into the existing parquet schema (its parquet type changes from FIXED_LEN_BYTE_ARRAY(16) DECIMAL(12,2) to BYTE_ARRAY STRING); the files already in the lake keep the old type: reload the table after the change (docs/schema-changes.md)",
    ]);
  });

  it("a compatible retype (a longer VARCHAR2) passes both shapes, with no warning", async () => {
    const verdict = await checkTable(base, table(retyped("SURNAME", "VARCHAR2(100)")));
    expect(verdict.lines.map((l) => `${l.status}: ${l.text}`)).toEqual([
      "pass: OFFENDER files written before the change pass (until the Oracle column SURNAME is VARCHAR2(100))",
      "pass: once the Oracle column SURNAME is VARCHAR2(100), OFFENDER files pass",
    ]);
    expect(verdict.status).toBe("pass");
  });

  it("the same column marked adding: files with and without it pass", async () => {
    const verdict = await checkTable(
      base,
      table([...OFFENDER_TABLE.columns, { ...TIER, transition: "adding" }]),
    );
    expect(verdict.status).toBe("pass");
    expect(verdict.lines.map((l) => `${l.status}: ${l.text}`)).toEqual([
      "pass: OFFENDER files written before the change pass (until the Oracle column TIER exists)",
      "pass: once the Oracle column TIER exists, OFFENDER files pass",
      "warn: if the Oracle column TIER exists before this is deployed, OFFENDER files written in between will fail: unknown column tier; deploy first, then change the source",
      "info: TIER is marked adding: files with and without it pass; Glue has it, nullable; `npm run metadata -- import --check` says when the source has it",
    ]);
  });

  it("a column marked dropping: files with and without it pass", async () => {
    const dropping = OFFENDER_TABLE.columns.map((c) =>
      c.name === "SURNAME" ? { ...c, transition: "dropping" } : c,
    );
    const verdict = await checkTable(base, table(dropping));
    expect(verdict.status).toBe("pass");
    expect(verdict.lines.map((l) => `${l.status}: ${l.text}`)).toEqual([
      "pass: OFFENDER files written before the change pass (until the Oracle column SURNAME is dropped)",
      "pass: once the Oracle column SURNAME is dropped, OFFENDER files pass",
      "warn: if the Oracle column SURNAME is dropped before this is deployed, OFFENDER files written in between will fail: missing column surname; deploy first, then change the source",
      "info: SURNAME is marked dropping: files with and without it pass; Glue keeps it, nullable; `npm run metadata -- import --check` says when the source has dropped it",
    ]);
  });

  it("an adding column made firm (the import found it in the source): its files pass", async () => {
    const adding = table([...OFFENDER_TABLE.columns, { ...TIER, transition: "adding" }]);
    const verdict = await checkTable(adding, table([...OFFENDER_TABLE.columns, TIER]));
    expect(verdict.lines).toEqual([{ status: "pass", text: "OFFENDER files pass" }]);
  });

  it("a transition the base already declared is not this change's: only the new change shows", async () => {
    const adding = table([...OFFENDER_TABLE.columns, { ...TIER, transition: "adding" }]);
    const alsoDropping = table([
      ...OFFENDER_TABLE.columns.map((c) =>
        c.name === "SURNAME" ? { ...c, transition: "dropping" } : c,
      ),
      { ...TIER, transition: "adding" },
    ]);
    expect((await checkTable(adding, alsoDropping)).lines.map((l) => l.text).slice(0, 2)).toEqual([
      "OFFENDER files written before the change pass (until the Oracle column SURNAME is dropped)",
      "once the Oracle column SURNAME is dropped, OFFENDER files pass",
    ]);
  });

  it("a new table and a change that leaves the source alone: one line each", async () => {
    expect((await checkTable(undefined, base)).lines).toEqual([
      { status: "pass", text: "new table OFFENDER: its full load and CDC files pass" },
    ]);
    const described = table(
      OFFENDER_TABLE.columns.map((c) => ({ ...c, description: `${c.description}.` })),
    );
    expect((await checkTable(base, described)).lines).toEqual([
      { status: "pass", text: "OFFENDER files pass" },
    ]);
  });
});

describe("checkTables", () => {
  it("checks only added and changed tables, and stays fast for hundreds of tables", async () => {
    const plain = table();
    const withTier = table([...OFFENDER_TABLE.columns, TIER]);
    const named = (t: TableMetadata, i: number) => ({ ...t, name: `T${i}` });
    const base = Array.from({ length: 300 }, (_, i) => named(plain, i));
    const head = base.map((t, i) => (i < 200 ? named(withTier, i) : t));
    const started = performance.now();
    const verdicts = await checkTables({ delius: base }, { delius: head });
    expect(performance.now() - started).toBeLessThan(3000);
    expect(verdicts).toHaveLength(200);
    expect(verdicts[199]).toMatchObject({ table: "t199", status: "fail" });
    expect(verdicts[199].lines[0].text).toBe(
      "until the Oracle column TIER exists, T199 files will fail: missing column tier",
    );
  });
});
