import { glueColumns } from "../lib/model/glueColumns";
import { lakeName } from "../lib/model/tableMetadata";
import { smallOffenderTable } from "../lib/testing/tables";

// Glue tables are built from "columns" alone (sourceDatabase.ts calls glueColumns), so a column
// listed in "excludedColumns" never reaches the catalogue: DMS does not extract it either
// (pipelines/tableMappings.ts, removeColumnRules).
test("an excluded column is not a Glue column", () => {
  const table = smallOffenderTable([
    { name: "NI_NUMBER", reason: "Personal data not needed downstream." },
  ]);
  const names = glueColumns(table).map((c) => c.name);
  expect(names).not.toContain(lakeName("NI_NUMBER"));
  expect(names).toEqual(expect.arrayContaining(["offender_id", "crn"]));
});
