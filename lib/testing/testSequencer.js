/**
 * jest's test order (jest.config.js `testSequencer`). jest's own sequencer runs the slowest
 * suites first when its cache holds their last durations, and otherwise the largest files first
 * (@jest/test-sequencer 30.5.2, `sort` in build/index.js; jestjs/jest v30.x
 * packages/jest-test-sequencer/src/index.ts; documented as the base class of a custom sequencer
 * at https://jestjs.io/docs/configuration#testsequencer-string). On a clean clone, as CI runs, there is no cache, and a short
 * file that spawns a process or plans the repository (policy/redteam/run.test.ts, 34 lines, about
 * 15 s) started last and ran alone on one core at the end. Here a suite without a cached
 * duration gets an estimate instead: its size, and more when it does what is known to be slow.
 */
"use strict";
const fs = require("node:fs");
const Sequencer = require("@jest/test-sequencer").default;

/** Calls that start processes, copy the checkout or evaluate programs: seconds each. */
const SLOW =
  /\b(spawn|spawnSync|execFile|execFileSync|copyCheckout|copyRepository|evaluateAll|evaluateStack|planStack|startLocalS3)\(/g;

/** An estimate in jest's unit (ms), comparable with the durations its cache holds. */
function estimate(file) {
  let text = "";
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return undefined; // jest reports the missing file itself
  }
  const kinds = new Set((text.match(SLOW) ?? []).map((call) => call.slice(0, -1)));
  return text.length / 10 + 10_000 * kinds.size;
}

class SlowFirstSequencer extends Sequencer {
  time(test) {
    return super.time(test) ?? estimate(test.path);
  }
}

module.exports = SlowFirstSequencer;
