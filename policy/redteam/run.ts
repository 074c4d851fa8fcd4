/**
 * `npm run redteam`: plans every red-team case (policy/redteam/cases.ts) for its environment
 * through the real offline pipeline and prints which were blocked by the policy named, the
 * blocked percentage, and any control (a fine change) that a mandatory violation refused.
 * Exits 1 when a case is not blocked or a control is refused, so it works as a regression suite.
 */
import { ENVIRONMENTS } from "../../lib/model/stacks";
import { loadPolicyConfig } from "../runner";
import { cases, controls } from "./cases";
import { baseline, runCase } from "./harness";

async function main(): Promise<number> {
  const config = loadPolicyConfig();
  const planned = await baseline(ENVIRONMENTS);
  const upstream = new Map([...planned].map(([stack, e]) => [stack, e.outputs]));
  const falsePositives = [...planned.values()].filter((e) => e.errors.length > 0);
  for (const e of falsePositives) console.log(`baseline ${e.stack} failed: ${e.errors.join("; ")}`);

  let blocked = 0;
  const missed: string[] = [];
  for (const c of cases) {
    const r = await runCase(c, config, upstream);
    if (r.blocked) blocked++;
    else missed.push(c.id);
    const others = [...new Set(r.mandatory.map((v) => v.policyName))].filter(
      (n) => n !== c.blockedBy,
    );
    console.log(
      `${r.blocked ? "BLOCKED" : "MISSED "}  ${c.id.padEnd(36)} ${c.blockedBy}${others.length ? ` (also: ${others.join(", ")})` : ""}${r.errors.length ? `  errors: ${r.errors.join("; ")}` : ""}`,
    );
  }
  const refused: string[] = [];
  for (const c of controls) {
    const r = await runCase(c, config, upstream);
    const ok = r.errors.length === 0 && r.mandatory.length === 0;
    if (!ok) refused.push(c.id);
    console.log(
      `${ok ? "CLEAN  " : "REFUSED"}  ${c.id.padEnd(36)} control${r.mandatory.length ? `: ${r.mandatory.map((v) => v.message).join(" | ")}` : ""}${r.errors.length ? `  errors: ${r.errors.join("; ")}` : ""}`,
    );
  }
  const percent = ((100 * blocked) / cases.length).toFixed(1);
  console.log(
    `\nRed team: ${blocked} of ${cases.length} blocked (${percent}%); ${controls.length - refused.length} of ${controls.length} controls clean.`,
  );
  if (missed.length) console.log(`Missed: ${missed.join(", ")}`);
  if (refused.length) console.log(`False positives: ${refused.join(", ")}`);
  return missed.length === 0 && refused.length === 0 && falsePositives.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(2);
  },
);
