/**
 * `npm run redteam`: plans every red-team case (policy/redteam/cases.ts) for its environment
 * through the real offline pipeline and prints which were blocked by the policy named, the
 * blocked percentage, and any control (a fine change) that a mandatory violation refused.
 * Exits 1 when a case is not blocked, a control is refused or a case no longer finds the
 * resource it changes, so it works as a regression suite.
 *
 * `--reformat <width>` runs it against the programs reformatted in memory (reformat.ts): the
 * cases name resources, not text, so the result must be the same (run.test.ts runs it so).
 */
import { Command, InvalidArgumentError } from "commander";
import { type Environment } from "../../lib/model/stacks";
import { useReformattedPrograms } from "./reformat";

const cli = new Command("redteam")
  .description("plans the policy pack's red team of realistic mistakes")
  .option(
    "--reformat <width>",
    "run against the programs reformatted in memory by prettier with this print width",
    (value) => {
      const width = Number(value);
      if (!Number.isInteger(width) || width < 20)
        throw new InvalidArgumentError("expected a print width, a whole number of at least 20");
      return width;
    },
  );

async function main(): Promise<number> {
  const { reformat } = cli.parse().opts<{ reformat?: number }>();
  if (reformat !== undefined) {
    const r = await useReformattedPrograms(reformat);
    console.log(
      `Reformatted ${r.changed} of ${r.files} program files in memory (prettier printWidth ${reformat}, tabWidth 4).`,
    );
  }
  // Loaded only now: the programs must load from the reformatted sources.
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { loadPolicyConfig } = require("../runner") as typeof import("../runner");
  const { cases, controls } = require("./cases") as typeof import("./cases");
  const { baseline, runCase } = require("./harness") as typeof import("./harness");
  /* eslint-enable @typescript-eslint/no-require-imports */

  const config = loadPolicyConfig();
  const all = [...cases, ...controls];
  const envs = [...new Set(all.map((c): Environment => c.env ?? "prod"))];
  const planned = await baseline(envs);
  const upstream = new Map([...planned].map(([stack, e]) => [stack, e.outputs]));
  const falsePositives = [...planned.values()].filter((e) => e.errors.length > 0);
  for (const e of falsePositives) console.log(`baseline ${e.stack} failed: ${e.errors.join("; ")}`);

  if (falsePositives.length > 0) return 1;

  // A case that no longer finds the resource it changes is reported, never counted as missed.
  const broken: string[] = [];
  const run = (c: (typeof all)[number]) =>
    runCase(c, config, upstream).catch((e: unknown) => {
      broken.push(c.id);
      console.log(`BROKEN   ${e instanceof Error ? e.message : String(e)}`);
      return undefined;
    });

  let blocked = 0;
  const missed: string[] = [];
  for (const c of cases) {
    const r = await run(c);
    if (!r) continue;
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
    const r = await run(c);
    if (!r) continue;
    // A control with an exemption must also show the exempted violation (plan, comment, report).
    const exempted = r.exempted.filter((v) => v.policyName === c.exempted);
    const unshown = c.exempted !== undefined && exempted.length === 0;
    const ok = r.errors.length === 0 && r.mandatory.length === 0 && !unshown;
    if (!ok) refused.push(c.id);
    console.log(
      `${ok ? "CLEAN  " : "REFUSED"}  ${c.id.padEnd(36)} control${r.mandatory.length ? `: ${r.mandatory.map((v) => v.message).join(" | ")}` : ""}${exempted.length ? `; advisory: ${exempted.map((v) => v.message).join(" | ")}` : ""}${unshown ? `; no exempted ${c.exempted} violation reported` : ""}${r.errors.length ? `  errors: ${r.errors.join("; ")}` : ""}`,
    );
  }
  const percent = ((100 * blocked) / cases.length).toFixed(1);
  console.log(
    `\nRed team: ${blocked} of ${cases.length} blocked (${percent}%); ${controls.length - refused.length} of ${controls.length} controls clean.`,
  );
  if (missed.length) console.log(`Missed: ${missed.join(", ")}`);
  if (refused.length) console.log(`False positives: ${refused.join(", ")}`);
  if (broken.length) console.log(`Broken (update them): ${broken.join(", ")}`);
  return missed.length === 0 && refused.length === 0 && broken.length === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(2);
  },
);
