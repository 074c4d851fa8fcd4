import { loadPolicyConfig } from "../runner";
import { policies } from "../policies";
import { cases, controls } from "./cases";
import { editedSources } from "./harness";

// The full run plans every case (npm run redteam); these checks keep the cases honest cheaply.
describe("red-team cases", () => {
  const config = loadPolicyConfig();

  it("have unique ids and name a mandatory policy of the pack", () => {
    const ids = [...cases, ...controls].map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    const wrong = cases.filter(
      (c) =>
        !policies.some((p) => p.name === c.blockedBy) ||
        config.policies.get(c.blockedBy)?.enforcementLevel !== "mandatory",
    );
    expect(wrong.map((c) => `${c.id}: ${c.blockedBy}`)).toEqual([]);
    expect(controls.every((c) => c.blockedBy === "")).toBe(true);
  });

  it("cover at least 90 mistakes, and every mandatory policy that judges a program's mistake", () => {
    expect(cases.length).toBeGreaterThanOrEqual(90);
    const named = new Set(cases.map((c) => c.blockedBy));
    // The provider and tags come from one helper (lib/infra/context.ts); a program cannot get them
    // wrong by a few lines. Public bucket and queue policies are in cases of the shared judge.
    const exempt = [
      "aws-provider-default-tags",
      "aws-provider-allowed-region",
      "required-tags",
      "s3-bucket-policy-no-public-access",
      "sqs-queue-policy-no-public-access",
    ];
    const missing = policies
      .filter((p) => config.policies.get(p.name)?.enforcementLevel === "mandatory")
      .map((p) => p.name)
      .filter((n) => !named.has(n) && !exempt.includes(n));
    expect(missing).toEqual([]);
  });

  it("edit text that is still in the programs, exactly once", () => {
    for (const c of [...cases, ...controls]) expect(() => editedSources(c.edits)).not.toThrow();
  });

  it("refuse an edit whose text is gone, naming the file and the text", () => {
    expect(() =>
      editedSources([{ file: "core/program.ts", find: "no such text", replace: "" }]),
    ).toThrow(
      'core/program.ts: the red-team edit expects "no such text" exactly once, found 0; update the case',
    );
  });
});
