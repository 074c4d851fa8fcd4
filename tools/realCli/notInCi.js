// The real-CLI files kept out of `npm run test:real` (and so out of `.ci/run`) and run by
// `npm run test:resilience` (jest.resilience.config.js) in their own CI job (.github/workflows/test.yml
// `resilience`). Why: tools/realCli/README.md, "Resilience: its own CI job".
module.exports = ["resilience.real-cli.test.ts"];
