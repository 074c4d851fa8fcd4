import { parquetMetadata, parquetReadObjects } from "hyparquet";
import { parseTableFile } from "../model/tableMetadata";
import { judgeFile } from "../validation/verdict";
import { cdcFileName, dmsFile, inMemory } from "./files";

const TABLE = {
  name: "OFFENDER",
  schema: "DELIUS_APP",
  description: "People on probation",
  primaryKey: ["OFFENDER_ID"],
  columns: [
    { name: "OFFENDER_ID", type: "NUMBER(10)", nullable: false, description: "Key" },
    { name: "SURNAME", type: "VARCHAR2(35)", nullable: true, description: "Family name" },
    { name: "BALANCE", type: "NUMBER(12,2)", nullable: true, description: "Money owed" },
    { name: "RISK", type: "NUMBER(2)", nullable: true, description: "Risk" },
    { name: "BORN", type: "DATE", nullable: true, description: "Born on" },
    { name: "PHOTO", type: "BLOB", nullable: true, description: "Photograph" },
    { name: "SCORE", type: "BINARY_FLOAT", nullable: true, description: "Score" },
  ],
};
const table = parseTableFile("offender.json", JSON.stringify(TABLE), "delius");

describe("dmsFile", () => {
  it("names files as DMS does: LOAD counter for full load, time for CDC", () => {
    expect(dmsFile(table, "full-load").name).toBe("LOAD00000001.parquet");
    expect(dmsFile(table, "cdc").name).toBe("20261203-1200000000.parquet");
    expect(cdcFileName(new Date("2014-10-29T11:34:01Z"))).toBe("20141029-1134010000.parquet");
  });

  it("writes Op, the timestamp and the SCN around the table's columns, I/U/D on CDC", async () => {
    const { bytes } = dmsFile(table, "cdc");
    const buffer = inMemory(bytes);
    const meta = parquetMetadata(buffer.slice(0));
    expect(meta.schema.slice(1).map((e) => e.name)).toEqual([
      "Op",
      "extraction_timestamp",
      "offender_id",
      "surname",
      "balance",
      "risk",
      "born",
      "photo",
      "score",
      "scn",
    ]);
    const rows = await parquetReadObjects({ file: buffer, columns: ["Op", "scn", "offender_id"] });
    expect(rows).toEqual([
      { Op: "I", scn: "8123456789", offender_id: 1 },
      { Op: "U", scn: "8123456790", offender_id: 2 },
      { Op: "D", scn: "8123456790", offender_id: 3 },
    ]);
  });

  it("writes files the validation passes, full load and CDC", async () => {
    for (const kind of ["full-load", "cdc"] as const) {
      const file = dmsFile(table, kind);
      expect(await judgeFile(inMemory(file.bytes), table, file.name, "fail")).toEqual({
        failures: [],
        warnings: [],
        rows: 3,
      });
    }
  });
});
