// Tests sit beside the code as *.test.ts. @swc/jest only transpiles (no type check: `npm run
// typecheck` does that once). hyparquet and hyparquet-writer ship ES modules only, which jest's
// CommonJS runtime cannot load untransformed, so they are transpiled too.
/** @type {import('jest').Config} */
const swc = [
  "@swc/jest",
  {
    jsc: { parser: { syntax: "typescript" }, target: "es2022" },
    module: { type: "commonjs" },
  },
];

module.exports = {
  testEnvironment: "node",
  // Both cores: the suite is mostly CPU-bound evaluation of programs, one worker per core.
  // `npm test` starts jest with V8's young generation at 32 MB a half instead of 16 (package.json),
  // and the workers inherit it (jest-worker 30.5 forks them with the parent's process.execArgv):
  // every suite allocates hundreds of MB that die young, and a larger nursery scavenges less
  // often and promotes less of it. Paired cold runs, 8 pairs: 0.96 of the wall time.
  maxWorkers: "100%",
  // Slow suites first, on a clean clone too (no durations cached yet): see the file.
  testSequencer: "<rootDir>/lib/testing/testSequencer.js",
  // Each test file loads the SDKs into its own module registry; V8's code cache spares the
  // parse of the same 15 MB in every one of them (see the file).
  runtime: "<rootDir>/lib/testing/jestRuntime.js",
  testMatch: ["<rootDir>/**/*.test.ts"],
  // *.real-cli.test.ts need the real Pulumi CLI: `npm run test:real` (jest.real.config.js).
  testPathIgnorePatterns: ["/node_modules/", "/.pulumi-local/", "\\.real-cli\\.test\\.ts$"],
  transform: {
    "^.+\\.(t|j|mj)s$": swc,
  },
  transformIgnorePatterns: ["/node_modules/(?!(hyparquet|hyparquet-writer)/)"],
  // @pulumi/pulumi's closure-serialization dependencies load on first use, not in every suite
  // that loads the SDK (tools/stacks/lazy/lazyModule.js says why that is safe).
  moduleNameMapper: {
    "^(\\.\\./)+typescript-shim$": "<rootDir>/tools/stacks/lazy/typescriptShim.js",
    "^@npmcli/arborist$": "<rootDir>/tools/stacks/lazy/arborist.js",
  },
  // The same for the processes the tests start (offline plans, the red team): see the file.
  globalSetup: "<rootDir>/lib/testing/jestGlobalSetup.js",
  moduleFileExtensions: ["ts", "js", "mjs", "json"],
};
