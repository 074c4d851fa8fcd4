/**
 * The data check on a real git repository: a copy of this checkout committed as the base, the
 * table files changed in its working tree, the base read back with `git archive` as
 * `stacks diff` does, and real parquet files judged by the validation's judgeFile.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { checkoutRevision } from "../engine/diff";
import { copyRepository } from "../testing/gitRepo";
import { dataCheckMarkdown, formatDataCheck, runDataCheck } from "./index";

let repo: ReturnType<typeof copyRepository>;
let base: { dir: string; remove(): void };
const tableFile = (t: string) =>
  path.join(repo.dir, "metadata", "databases", "delius", `${t}.json`);
function edit(t: string, change: (table: { columns: Record<string, unknown>[] }) => void) {
  const table = JSON.parse(fs.readFileSync(tableFile(t), "utf8"));
  change(table);
  fs.writeFileSync(tableFile(t), JSON.stringify(table, null, 2) + "\n");
}
const tier = { name: "TIER", type: "VARCHAR2(4)", nullable: true, description: "Tier." };

beforeAll(async () => {
  repo = copyRepository(["metadata/databases"]); // all the data check reads
  base = await checkoutRevision(repo.dir, repo.git("rev-parse", "HEAD").trim());
  // One change kind per table.
  edit("offender", (t) => void t.columns.push(tier)); // before the DDL, not marked
  edit("event", (t) => void t.columns.push({ ...tier, transition: "adding" }));
  edit("contact", (t) => {
    for (const c of t.columns) if (c.name === "EVENT_ID") c.transition = "dropping";
  });
  edit("disposal", (t) => {
    for (const c of t.columns) if (c.name === "LENGTH") c.type = "VARCHAR2(20)";
  });
}, 60_000);
afterAll(() => {
  base.remove();
  repo.remove();
});

test("each change kind gives its verdict lines", async () => {
  const check = await runDataCheck(base.dir, repo.dir);
  const replay =
    "no order avoids failed files: replay them after the deploy (npm run replay, docs/schema-changes.md)";
  expect(formatDataCheck(check)).toEqual([
    "Data check: 4 table(s) added or changed, 2 with files that will fail validation (DMS-shaped full-load and CDC files, judged by the validation Lambda's checks):",
    "  delius.contact: pass",
    "    ✓ CONTACT files written before the change pass (until the Oracle column EVENT_ID is dropped)",
    "    ✓ once the Oracle column EVENT_ID is dropped, CONTACT files pass",
    "    ⚠ if the Oracle column EVENT_ID is dropped before this is deployed, CONTACT files written in between will fail: missing column event_id; deploy first, then change the source",
    "    → EVENT_ID is marked dropping: files with and without it pass; Glue keeps it, nullable; `npm run metadata -- import --check` says when the source has dropped it",
    "  delius.disposal: FAIL",
    "    ✗ until the Oracle column LENGTH is VARCHAR2(20), DISPOSAL files will fail: incompatible type: length (Oracle VARCHAR2(20)) is FIXED_LEN_BYTE_ARRAY(16) DECIMAL(22,0), expected BYTE_ARRAY annotated STRING (UTF8)",
    "    ✓ once the Oracle column LENGTH is VARCHAR2(20), DISPOSAL files pass",
    `    ⚠ if the Oracle column LENGTH is VARCHAR2(20) before this is deployed, DISPOSAL files written in between will fail: incompatible type: length (Oracle NUMBER(22)) is BYTE_ARRAY STRING, expected DECIMAL over INT32, INT64, FIXED_LEN_BYTE_ARRAY or BYTE_ARRAY; ${replay}`,
    "    ⚠ DISPOSAL.LENGTH NUMBER(22) → VARCHAR2(20): DMS cannot write it into the existing parquet schema (its parquet type changes from FIXED_LEN_BYTE_ARRAY(16) DECIMAL(22,0) to BYTE_ARRAY STRING); the files already in the lake keep the old type: reload the table after the change (docs/schema-changes.md)",
    "  delius.event: pass",
    "    ✓ EVENT files written before the change pass (until the Oracle column TIER exists)",
    "    ✓ once the Oracle column TIER exists, EVENT files pass",
    "    ⚠ if the Oracle column TIER exists before this is deployed, EVENT files written in between will fail: unknown column tier; deploy first, then change the source",
    "    → TIER is marked adding: files with and without it pass; Glue has it, nullable; `npm run metadata -- import --check` says when the source has it",
    "  delius.offender: FAIL",
    "    ✗ until the Oracle column TIER exists, OFFENDER files will fail: missing column tier",
    "    ✓ once the Oracle column TIER exists, OFFENDER files pass",
    `    ⚠ if the Oracle column TIER exists before this is deployed, OFFENDER files written in between will fail: unknown column tier; ${replay}`,
    '    → mark TIER "transition": "adding" to let files without it pass until the Oracle column exists (docs/schema-changes.md)',
  ]);
  expect(check.tables.map((t) => [t.table, t.status])).toEqual([
    ["contact", "pass"],
    ["disposal", "fail"],
    ["event", "pass"],
    ["offender", "fail"],
  ]);
});

test("the comment section lists failing tables first and stays within its budget", async () => {
  const check = await runDataCheck(base.dir, repo.dir);
  const full = dataCheckMarkdown(check, 60_000);
  expect(full.split("\n\n").map((b) => b.split("\n")[0])).toEqual([
    "### Data check: 4 table(s) added or changed, 2 with files that will fail",
    "DMS-shaped full-load and CDC files of each table, before and after the source change, judged by the validation Lambda's checks (unknown columns fail, as in prod).",
    "**delius.disposal**: ❌ files will fail",
    "- ✗ until the Oracle column LENGTH is VARCHAR2(20), DISPOSAL files will fail: incompatible type: length (Oracle VARCHAR2(20)) is FIXED_LEN_BYTE_ARRAY(16) DECIMAL(22,0), expected BYTE_ARRAY annotated STRING (UTF8)",
    "**delius.offender**: ❌ files will fail",
    "- ✗ until the Oracle column TIER exists, OFFENDER files will fail: missing column tier",
    "**delius.contact**: ✅ files pass",
    "- ✓ CONTACT files written before the change pass (until the Oracle column EVENT_ID is dropped)",
    "**delius.event**: ✅ files pass",
    "- ✓ EVENT files written before the change pass (until the Oracle column TIER exists)",
  ]);
  const cut = dataCheckMarkdown(check, 1500);
  expect(cut.length).toBeLessThanOrEqual(1500);
  expect(cut).toMatch(/\n\n…and 3 more table\(s\): see the job's log or --json\.$/);
});
