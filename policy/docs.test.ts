import * as fs from "node:fs";
import { type PackPolicy } from "./common";
import { BEGIN, END, README_FILE, blocksWhere, renderRuleTable, withRuleTable } from "./docs";
import { policies } from "./policies";
import { loadPolicyConfig } from "./runner";

const config = loadPolicyConfig();

describe("policy/README.md's rule table", () => {
  it("is what `npm run policy:docs` renders from the pack (run it if this fails)", () => {
    const readme = fs.readFileSync(README_FILE, "utf8");
    expect(readme).toBe(withRuleTable(readme, renderRuleTable(policies, config)));
  });

  it("would be stale after a change to a policy's description", () => {
    const readme = fs.readFileSync(README_FILE, "utf8");
    const changed = policies.map((p, i) =>
      i === 0 ? ({ ...p, description: `${p.description} Changed.` } as PackPolicy) : p,
    );
    expect(withRuleTable(readme, renderRuleTable(changed, config))).not.toBe(readme);
  });

  it("says where each level blocks", () => {
    expect(blocksWhere("mandatory", {})).toBe("everywhere");
    expect(blocksWhere("mandatory", { mandatoryEnvironments: ["prod"] })).toBe(
      "in prod only (advisory elsewhere)",
    );
    expect(blocksWhere("advisory", { mandatoryEnvironments: ["prod"] })).toBe("never (advisory)");
    const table = renderRuleTable(policies, config);
    expect(table).toContain(
      "| `cloudwatch-alarm-has-actions` | `aws:cloudwatch/metricAlarm:MetricAlarm` |",
    );
    expect(table).toMatch(
      /\| `lambda-tracing-active` \|[^\n]*\| mandatory \| in prod only \(advisory elsewhere\) \|/,
    );
  });

  it("refuses a policy with no catalogue entry, naming it", () => {
    const extra = { ...policies[0], name: "made-up-policy" } as PackPolicy;
    expect(() => renderRuleTable([...policies, extra], config)).toThrow(
      'policy/catalogue.ts has no entry for made-up-policy: add why it matters and its counterpart (or "none")',
    );
  });

  it("refuses a README without its markers", () => {
    expect(() => withRuleTable("# no table", "x")).toThrow(
      `expected the markers "${BEGIN}" and "${END}" once each, in that order`,
    );
  });
});
