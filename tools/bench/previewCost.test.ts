import { timeline } from "./previewCost";

const line = (pid: number, what: string, event: string, at: number, cpuMs: number) =>
  JSON.stringify({ pid, what, event, at, cpuMs });

describe("the preview's process timeline", () => {
  it("has one row per process, in start order, from the first start; a killed plugin ends at its last tick", () => {
    const jsonl = [
      line(2, "/x/node_modules/@pulumi/pulumi/cmd/run-policy-pack/index.js", "start", 10_500, 0),
      line(1, "/repo/tools/stacks/cli.ts", "start", 10_000, 0),
      line(1, "/repo/tools/stacks/cli.ts", "loaded", 10_250, 200),
      line(
        2,
        "/x/node_modules/@pulumi/pulumi/cmd/run-policy-pack/index.js",
        "loaded",
        11_700,
        1100,
      ),
      line(2, "/x/node_modules/@pulumi/pulumi/cmd/run-policy-pack/index.js", "tick", 13_000, 1900),
      line(3, "/repo/tools/realCli/awsProvider.ts", "start", 12_000, 0),
      line(1, "/repo/tools/stacks/cli.ts", "exit", 14_000, 380),
      "",
    ].join("\n");
    expect(timeline(jsonl)).toEqual([
      "| node process | started at | main module loaded after (CPU) | last seen at | CPU |",
      "| --- | --- | --- | --- | --- |",
      "| orchestrator (tools/stacks/cli.ts) | 0.00 s | 0.25 s (CPU 0.20 s) | 4.00 s | 0.38 s |",
      "| policy pack (run-policy-pack) | 0.50 s | 1.20 s (CPU 1.10 s) | 3.00 s | 1.90 s |",
      "| AWS provider stand-in | 2.00 s | ? | 2.00 s | 0.00 s |",
    ]);
  });
});
