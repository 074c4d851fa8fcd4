/**
 * `NODE_OPTIONS="--require tools/bench/processTrace.js" PREVIEW_COST_TRACE=<file>`: every node
 * process of a preview (orchestrator, language host stand-in, program, policy pack, provider
 * stand-in) appends to <file> when it started, when its main module had loaded (the first
 * turn of the event loop) and its CPU time then, and its CPU time every 200 ms after, since the
 * engine kills plugins rather than letting them exit. Read by previewCost.ts (`timeline`).
 */
"use strict";
const fs = require("node:fs");

const file = process.env.PREVIEW_COST_TRACE;
if (file) {
  const origin = performance.timeOrigin;
  const what = process.argv.slice(1, 2).join(" ");
  const cpuMs = () => {
    const { user, system } = process.cpuUsage();
    return Math.round((user + system) / 1000);
  };
  const write = (event) => {
    const at = Math.round(origin + performance.now());
    const line = JSON.stringify({ pid: process.pid, what, event, at, cpuMs: cpuMs() });
    try {
      fs.appendFileSync(file, `${line}\n`);
    } catch {
      // the bench reads what it gets
    }
  };
  fs.appendFileSync(
    file,
    `${JSON.stringify({ pid: process.pid, what, event: "start", at: Math.round(origin), cpuMs: 0 })}\n`,
  );
  setImmediate(() => write("loaded"));
  setInterval(() => write("tick"), 200).unref();
  process.on("exit", () => write("exit"));
}
