/**
 * jest.config.js `globalSetup`: runs once before the workers start, which inherit its
 * environment, and so do the processes the tests start. Those load @pulumi/pulumi's
 * closure-serializer dependencies on first use (tools/stacks/lazy/preload.js), as the suites do.
 * Sources: `globalSetup` runs once before all test suites (https://jestjs.io/docs/configuration#globalsetup-string);
 * jest-worker 30.5 starts each worker with `env: { ...process.env, JEST_WORKER_ID }`
 * (packages/jest-worker/src/workers/ChildProcessWorker.ts, jestjs/jest v30.x), so a variable set
 * here reaches the workers; node reads NODE_OPTIONS' `--require` in every process it starts
 * (https://nodejs.org/docs/latest-v20.x/api/cli.html#node_optionsoptions).
 */
"use strict";
const path = require("node:path");

module.exports = () => {
  const preload = `--require ${JSON.stringify(path.join(__dirname, "..", "..", "tools", "stacks", "lazy", "preload.js"))}`;
  const options = process.env.NODE_OPTIONS ?? "";
  if (!options.includes(preload)) process.env.NODE_OPTIONS = `${options} ${preload}`.trim();
};
