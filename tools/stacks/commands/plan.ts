/** `plan`: the offline plan of the selected stacks (engine/plan.ts), printed and reported. */
import type { RunReport, StackReport } from "../report/report";
import { type CommandModule, EXIT_FAILED, EXIT_OK, selectionOf } from "./command";
import { envOption, jsonOption, selectionOptions } from "./options";
import { orderedReports } from "../engine/selection";

export const plan: CommandModule = {
  name: "plan",
  description:
    "plan offline: evaluate the programs under mocks and run the policy pack (no cloud, no CLI)",
  configure: (cmd) =>
    selectionOptions(cmd.addOption(envOption(true, false).default("all"))).addOption(
      jsonOption("print a machine-readable report on stdout"),
    ),
  async run(o, deps) {
    const selection = selectionOf(o, { withAll: true });
    const { io } = deps;
    const human = o.json ? io.err : io.out;
    const now = deps.now ?? (() => performance.now());
    const started = now();
    /* eslint-disable @typescript-eslint/no-require-imports -- lazy: these load the Pulumi SDKs */
    const engine = require("../engine/plan") as typeof import("../engine/plan");
    const report = require("../report/report") as typeof import("../report/report");
    /* eslint-enable @typescript-eslint/no-require-imports */
    human(
      `Planning ${selection.stacks.length} stacks offline (Pulumi mocks, no cloud): ` +
        `${selection.stacks.map((s) => s.stack).join(", ")}`,
    );
    for (const s of selection.skipped) human(`<-- ${s.stack}: skipped: ${s.reason}`);
    const reports = new Map<string, StackReport>();
    await engine.planStacks(selection.stacks, deps.planDeps ?? engine.defaultPlanDeps(), {
      onNotice: (message) => io.err(message),
      onStart: (s) => human(report.startLine("plan", s.stack)),
      onEnd: (r) => {
        reports.set(r.stack, r);
        human(report.endLine("plan", r));
        if (r.status !== "skipped") human(engine.formatStackPlan(r));
      },
    });
    const stacks = orderedReports(selection, reports);
    const result: RunReport = {
      command: "plan",
      envs: selection.envs,
      local: false,
      durationMs: now() - started,
      stacks,
      warnings: [],
      exitCode: stacks.some((s) => s.status === "failed") ? EXIT_FAILED : EXIT_OK,
    };
    human("");
    human(report.summaryTable(result));
    if (o.json) io.out(report.reportJson(result));
    return result.exitCode;
  },
};
