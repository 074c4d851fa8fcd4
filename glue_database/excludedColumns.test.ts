import { glueColumns } from "../lib/model/glueColumns";
import { lakeName, tableSchema } from "../lib/model/tableMetadata";

// Glue tables are built from "columns" alone (sourceDatabase.ts calls glueColumns), so a column
// listed in "excludedColumns" never reaches the catalogue: DMS does not extract it either
// (pipelines/tableMappings.ts, removeColumnRules).
test("an excluded column is not a Glue column", () => {
  const table = {
    database: "delius" as const,
    ...tableSchema.parse({
      name: "OFFENDER",
      schema: "DELIUS_APP_SCHEMA",
      description: "People on probation.",
      primaryKey: ["OFFENDER_ID"],
      columns: [
        { name: "OFFENDER_ID", type: "NUMBER(22)", nullable: false, description: "Key." },
        { name: "CRN", type: "VARCHAR2(7)", nullable: false, description: "Case reference." },
      ],
      excludedColumns: [{ name: "NI_NUMBER", reason: "Personal data not needed downstream." }],
    }),
  };
  const names = glueColumns(table).map((c) => c.name);
  expect(names).not.toContain(lakeName("NI_NUMBER"));
  expect(names).toEqual(expect.arrayContaining(["offender_id", "crn"]));
});
