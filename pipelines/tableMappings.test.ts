import { DMS_COLUMNS } from "../lib/model/dmsColumns";
import { loadDatabase } from "../lib/model/metadataFiles";
import { smallOffenderTable } from "../lib/testing/tables";
import { removeColumnRules, tableMappings } from "./tableMappings";

const table = smallOffenderTable;

test("each excluded column becomes a remove-column rule in DMS's documented shape", () => {
  const excluded = table([
    { name: "NI_NUMBER", reason: "Personal data not needed downstream." },
    { name: "SURNAME", reason: "Personal data." },
  ]);
  // Shape from "Transformation rules and actions" (AWS DMS User Guide,
  // CHAP_Tasks.CustomizingTasks.TableMapping.SelectionTransformation.Transformations):
  // rule-target column, the object-locator naming the source column in Oracle's upper case.
  expect(removeColumnRules([excluded])).toEqual([
    {
      "rule-type": "transformation",
      "rule-name": "remove-delius_app_schema-offender-ni_number",
      "rule-target": "column",
      "object-locator": {
        "schema-name": "DELIUS_APP_SCHEMA",
        "table-name": "OFFENDER",
        "column-name": "NI_NUMBER",
      },
      "rule-action": "remove-column",
    },
    {
      "rule-type": "transformation",
      "rule-name": "remove-delius_app_schema-offender-surname",
      "rule-target": "column",
      "object-locator": {
        "schema-name": "DELIUS_APP_SCHEMA",
        "table-name": "OFFENDER",
        "column-name": "SURNAME",
      },
      "rule-action": "remove-column",
    },
  ]);
  const { rules } = tableMappings("delius", [excluded]);
  const removes = rules.filter((r) => r["rule-action"] === "remove-column");
  expect(removes.map((r) => r["rule-id"])).toEqual(["2", "3"]);
  expect(new Set(rules.map((r) => r["rule-id"])).size).toBe(rules.length);
  expect(new Set(rules.map((r) => r["rule-name"])).size).toBe(rules.length);
});

test("a table without excluded columns adds no rule", () => {
  expect(removeColumnRules([table()])).toEqual([]);
  expect(removeColumnRules([table([])])).toEqual([]);
  expect(
    tableMappings("delius", [table()]).rules.some((r) => r["rule-action"] === "remove-column"),
  ).toBe(false);
});

describe("the scn column rule", () => {
  it("adds scn from $AR_H_STREAM_POSITION to every table, as a string, once", () => {
    const { rules } = tableMappings("delius", loadDatabase("delius"));
    const added = rules.filter((r) => r["rule-action"] === "add-column");
    // The shape of an add-column rule: AWS DMS user guide, "Using transformation rule
    // expressions to define column content".
    expect(added).toEqual([
      {
        "rule-type": "transformation",
        "rule-id": String(rules.length),
        "rule-name": "add-column-scn",
        "rule-target": "column",
        "object-locator": { "schema-name": "%", "table-name": "%" },
        "rule-action": "add-column",
        value: DMS_COLUMNS.streamPosition.name,
        expression: "$AR_H_STREAM_POSITION",
        "data-type": { type: "string", length: 50 },
      },
    ]);
    expect(DMS_COLUMNS.streamPosition.name).toBe("scn");
  });
});
