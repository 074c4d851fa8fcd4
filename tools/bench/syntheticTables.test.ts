import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DATABASES } from "../../lib/model/stacks";
import { parseTableFile } from "../../lib/model/tableMetadata";
import { addColumn, growMetadata, growTables, syntheticTable } from "./syntheticTables";

const scratch = () => fs.mkdtempSync(path.join(os.tmpdir(), "synthetic-tables-"));
const files = (dir: string) => fs.readdirSync(dir).sort();

describe("synthetic tables", () => {
  it("grows the repository's tables to 755, split 455 Delius : 300 OASys, each a valid table file", () => {
    const dir = scratch();
    try {
      expect(growMetadata(dir, 755)).toEqual({ delius: 455, oasys: 300 });
      let clobs = 0;
      for (const db of DATABASES) {
        for (const f of files(path.join(dir, db))) {
          const text = fs.readFileSync(path.join(dir, db, f), "utf8");
          const table = parseTableFile(f, text, db);
          if (table.name.startsWith("SYN_") && table.columns.some((c) => c.type === "CLOB"))
            clobs++;
        }
      }
      // Every fifth synthetic table: 446 Delius and 291 OASys tables are synthetic.
      expect(clobs).toBe(Math.floor(446 / 5) + Math.floor(291 / 5));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it("writes the same files for the same count, and refuses to shrink a folder", () => {
    const [a, b] = [scratch(), scratch()];
    try {
      growTables(a, 40);
      growTables(b, 40);
      for (const db of DATABASES) {
        expect(files(path.join(a, db))).toEqual(files(path.join(b, db)));
        for (const f of files(path.join(a, db)))
          expect(fs.readFileSync(path.join(a, db, f), "utf8")).toBe(
            fs.readFileSync(path.join(b, db, f), "utf8"),
          );
      }
      expect(files(path.join(a, "delius"))).toHaveLength(24);
      expect(() => growTables(a, 39)).toThrow(
        `39 tables is below the 40 tables ${a} already holds`,
      );
    } finally {
      for (const d of [a, b]) fs.rmSync(d, { recursive: true, force: true });
    }
  });

  it("gives 3 to 60 columns, the key first, and adds one column to the first Delius table", () => {
    for (let i = 1; i <= 50; i++) {
      const columns = syntheticTable("oasys", i).columns as { name: string }[];
      expect(columns.length).toBeGreaterThanOrEqual(3);
      expect(columns.length).toBeLessThanOrEqual(60);
      expect(columns[0].name).toBe(`SYN_OASYS_${String(i).padStart(4, "0")}_ID`);
    }
    const dir = scratch();
    try {
      growTables(dir, 2);
      expect(addColumn(dir)).toBe(path.join("delius", "syn_delius_0001.json"));
      const table = JSON.parse(
        fs.readFileSync(path.join(dir, "delius", "syn_delius_0001.json"), "utf8"),
      ) as { columns: { name: string }[] };
      expect(table.columns.at(-1)?.name).toBe("SCALE_BENCH_ADDED");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
