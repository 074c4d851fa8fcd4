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
  maxWorkers: "100%",
  // Slow suites first, on a clean clone too (no durations cached yet): see the file.
  testSequencer: "<rootDir>/lib/testing/testSequencer.js",
  testMatch: ["<rootDir>/**/*.test.ts"],
  // *.real-cli.test.ts need the real Pulumi CLI: `npm run test:real` (jest.real.config.js).
  testPathIgnorePatterns: ["/node_modules/", "/.pulumi-local/", "\\.real-cli\\.test\\.ts$"],
  transform: {
    "^.+\\.(t|j|mj)s$": swc,
  },
  transformIgnorePatterns: ["/node_modules/(?!(hyparquet|hyparquet-writer)/)"],
  moduleFileExtensions: ["ts", "js", "mjs", "json"],
};
