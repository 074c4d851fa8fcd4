import { DMS_COLUMNS, loadDatabase } from "../lib/metadata";
import { tableMappings } from "./tableMappings";

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
