// `npm run test:resilience`: the real-CLI resilience files (issue 21) that `npm run test:real`
// leaves out (tools/realCli/notInCi.js; why: tools/realCli/README.md, "Resilience: its own CI
// job"); CI runs them in the `resilience` job of .github/workflows/test.yml. Same
// settings as the real tier: one worker, the real Pulumi CLI from `npm run real-cli -- install`.
/** @type {import('jest').Config} */
const real = require("./jest.real.config.js");
const notInCi = require("./tools/realCli/notInCi.js");

module.exports = {
  ...real,
  testMatch: notInCi.map((name) => `<rootDir>/tools/realCli/${name}`),
  testPathIgnorePatterns: ["/node_modules/", "/.pulumi-local/"],
};
