// The real-CLI files kept out of `npm run test:real` (and so out of CI) and run by
// `npm run test:resilience` (jest.resilience.config.js). Why: tools/realCli/README.md, "Not in CI yet".
module.exports = ["resilience.real-cli.test.ts", "flakyBackend.real-cli.test.ts"];
