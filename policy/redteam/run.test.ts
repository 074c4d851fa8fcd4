import { spawnSync } from "node:child_process";
import * as path from "node:path";

// The whole red team, as `npm run redteam` runs it, in its own process (it swaps the `.ts`
// loader that tools/stacks/register.js installs, which jest's module system bypasses), against
// the programs reformatted in memory with other prettier settings: every case names resources,
// not text, so each must still find its resource and be blocked.
describe("npm run redteam -- --reformat 60", () => {
  it("blocks every case by the policy it names and refuses no control, on reformatted programs", () => {
    const root = path.join(__dirname, "..", "..");
    const run = spawnSync(
      process.execPath,
      ["--require", "./tools/stacks/register.js", "policy/redteam/run.ts", "--reformat", "60"],
      { cwd: root, encoding: "utf8", timeout: 300_000 },
    );
    const files = /Reformatted (\d+) of (\d+) program files/.exec(run.stdout);
    const summary =
      /Red team: (\d+) of (\d+) blocked \(([\d.]+)%\); (\d+) of (\d+) controls clean\./.exec(
        run.stdout,
      );
    expect({
      status: run.status,
      missed: run.stdout.match(/^MISSED .*$/gm) ?? [],
      broken: run.stdout.match(/^BROKEN .*$/gm) ?? [],
    }).toEqual({ status: 0, missed: [], broken: [] });
    // Most program files changed: the old red team's text anchors would all have broken.
    expect(files).not.toBeNull();
    expect(Number(files![1])).toBeGreaterThan(Number(files![2]) / 2);
    expect(summary).not.toBeNull();
    expect(summary![1]).toBe(summary![2]);
    expect(Number(summary![2])).toBeGreaterThanOrEqual(90);
    expect(summary![4]).toBe(summary![5]);
  }, 300_000);
});
