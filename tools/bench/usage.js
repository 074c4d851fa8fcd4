/**
 * `node --require tools/bench/usage.js ...`: at exit, appends the process's CPU time and peak
 * resident memory (process.resourceUsage()) as one JSON line to $BENCH_USAGE_FILE. The bench
 * compares CPU time, not wall time: the machine it runs on is shared.
 */
"use strict";
const fs = require("node:fs");

const file = process.env.BENCH_USAGE_FILE;
if (file) {
  process.on("exit", () => {
    const u = process.resourceUsage();
    const line = {
      cpuSeconds: (u.userCPUTime + u.systemCPUTime) / 1e6,
      userSeconds: u.userCPUTime / 1e6,
      systemSeconds: u.systemCPUTime / 1e6,
      maxRssMb: u.maxRSS / 1024,
    };
    fs.appendFileSync(file, `${JSON.stringify(line)}\n`);
  });
}
