// `npm run test:real`: the real Pulumi CLI tier (tools/realCli/README.md). One worker: the
// scenarios share one backend and run in order; each waits on real CLI calls, not timers.
/** @type {import('jest').Config} */
const base = require("./jest.config.js");

module.exports = {
  ...base,
  maxWorkers: 1,
  testMatch: ["<rootDir>/**/*.real-cli.test.ts"],
  testPathIgnorePatterns: ["/node_modules/", "/.pulumi-local/"],
  testTimeout: 480000,
};
