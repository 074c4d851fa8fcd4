// `npm run test:real`: the real Pulumi CLI tier (tools/realCli/README.md). One worker: the
// scenarios share one backend and run in order; each waits on real CLI calls, not timers.
// The resilience files (tools/realCli/notInCi.js) are too slow for CI's budget: they run with
// `npm run test:resilience` (jest.resilience.config.js).
/** @type {import('jest').Config} */
const base = require("./jest.config.js");
const notInCi = require("./tools/realCli/notInCi.js");

/** A path pattern (a regular expression) matching exactly one file name. */
const fileName = (name) => `/${name.replace(/[.]/g, "\\.")}$`;

module.exports = {
  ...base,
  maxWorkers: 1,
  // The real CLI runs the programs as deployed: no test preload in their NODE_OPTIONS.
  globalSetup: undefined,
  testMatch: ["<rootDir>/**/*.real-cli.test.ts"],
  testPathIgnorePatterns: ["/node_modules/", "/.pulumi-local/", ...notInCi.map(fileName)],
  testTimeout: 480000,
};
