/**
 * `node --require ./tools/stacks/register.js file.ts`: runs the repository's TypeScript with
 * esbuild's transform (esbuild is already a dependency: lib/infra/bundle.ts bundles the Lambdas with
 * it). Only `.ts` files outside node_modules are transformed; packages load untouched. That is
 * what makes it cheaper than tsx for the orchestrator: tsx also scans every `.js` file it loads
 * (all of @pulumi/aws's) for ES module syntax, which added about 0.6 s to every offline plan.
 * Transforms are cached on disk by content hash (in the OS temp folder), like tsx's. The key and
 * the source map name the file, not its folder: the source map's `sources` resolve against the
 * file itself (https://tc39.es/source-map/#resolving-sources), and a copy of the checkout in
 * another folder (a `stacks diff` base, the tests' copies) then reuses the entries, and the V8
 * code cache's too (codeCache.js keys by the transpiled text).
 * It also installs the V8 code cache (codeCache.js) and makes @pulumi/pulumi load its
 * closure serializer's dependencies (TypeScript, @npmcli/arborist) on first use, as the tests do
 * (tools/stacks/lazy/preload.js): no program here serializes a function, and they were about half
 * a second of CPU in every program and policy pack. In a program `pulumi` runs, the SDK's
 * trace of each promise it tracks is formatted only when read (tools/stacks/lazy/debugStacks.js).
 * README: "Where a preview's time goes".
 */
"use strict";
require("./lazy/preload.js");
require("./lazy/debugStacks.js");
require("./codeCache.js");
const crypto = require("node:crypto");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");

let esbuild;
const cacheDir = path.join(
  os.tmpdir(),
  `dataeng-stacks-ts-${process.getuid ? process.getuid() : "user"}`,
);
const OPTIONS = {
  loader: "ts",
  format: "cjs",
  target: "node20",
  sourcemap: "inline",
  // As tsconfig.json says (target ES2022): class fields use define semantics.
  tsconfigRaw: { compilerOptions: { useDefineForClassFields: true } },
};
const VERSION = "2";

function compile(code, filename) {
  const sourcefile = path.basename(filename);
  const key = crypto
    .createHash("sha1")
    .update(VERSION)
    .update("\0")
    .update(sourcefile)
    .update("\0")
    .update(code)
    .digest("hex");
  const cached = path.join(cacheDir, `${key}.js`);
  try {
    return fs.readFileSync(cached, "utf8");
  } catch {
    // not cached yet
  }
  esbuild ??= require("esbuild");
  let out;
  try {
    out = esbuild.transformSync(code, { ...OPTIONS, sourcefile }).code;
  } catch {
    // A syntax error: esbuild names the file as given, and the full path says which checkout.
    return esbuild.transformSync(code, { ...OPTIONS, sourcefile: filename }).code;
  }
  try {
    fs.mkdirSync(cacheDir, { recursive: true });
    const tmp = `${cached}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, out);
    fs.renameSync(tmp, cached);
  } catch {
    // a read-only temp folder only costs speed
  }
  return out;
}

const previous = require.extensions[".ts"];
require.extensions[".ts"] = function loadTs(module, filename) {
  if (filename.includes(`${path.sep}node_modules${path.sep}`)) {
    if (previous) return previous(module, filename);
    throw new Error(
      `${filename}: TypeScript inside node_modules is not supported by tools/stacks/register.js`,
    );
  }
  module._compile(compile(fs.readFileSync(filename, "utf8"), filename), filename);
};
