import { spawnSync } from "node:child_process";
import * as path from "node:path";

// The whole red team, as `npm run redteam` runs it (its own process: the harness swaps the
// `.ts` loader that tools/stacks/register.js installs, which jest's module system bypasses).
describe("npm run redteam", () => {
  it("blocks every case by the policy it names and refuses no control", () => {
    const root = path.join(__dirname, "..", "..");
    const run = spawnSync(
      process.execPath,
      ["--require", "./tools/stacks/register.js", "policy/redteam/run.ts"],
      { cwd: root, encoding: "utf8", timeout: 300_000 },
    );
    const summary =
      /Red team: (\d+) of (\d+) blocked \(([\d.]+)%\); (\d+) of (\d+) controls clean\./.exec(
        run.stdout,
      );
    expect({ status: run.status, missed: run.stdout.match(/^MISSED .*$/gm) ?? [] }).toEqual({
      status: 0,
      missed: [],
    });
    expect(summary).not.toBeNull();
    expect(summary![1]).toBe(summary![2]);
    expect(summary![4]).toBe(summary![5]);
  }, 300_000);
});
