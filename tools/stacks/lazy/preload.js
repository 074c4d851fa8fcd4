/**
 * `node --require tools/stacks/lazy/preload.js`: in plain Node, what jest.config.js's
 * moduleNameMapper does in jest's registry (lazyModule.js says why): @pulumi/pulumi's
 * typescript-shim and @npmcli/arborist load on first use. jestGlobalSetup.js puts this in the
 * NODE_OPTIONS of the processes the tests start (the offline plans, the red team, the CLI): a
 * plan there loaded the SDK in 0.7 s of CPU, 0.25 s so.
 */
"use strict";
const path = require("node:path");
const Module = require("node:module");
const { lazyModule } = require("./lazyModule");

const sdk = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
/** The files to defer, by resolved filename: their stand-in, made on the SDK's first require. */
const standIns = new Map([
  [require.resolve("./typescript-shim", { paths: [sdk] }), undefined],
  [require.resolve("@npmcli/arborist", { paths: [sdk] }), undefined],
]);

// Node's loader resolves every require through Module._load (lib/internal/modules/cjs/loader.js,
// Node 20). The stand-in is answered there, not put in require.cache, so that nothing
// appears loaded before it is (tools/stacks/cli.test.ts lists require.cache).
const load = Module._load;
Module._load = function (request, parent, isMain) {
  const named = request.endsWith("/typescript-shim") || request === "@npmcli/arborist";
  if (named && parent?.filename?.startsWith(sdk + path.sep)) {
    const file = Module._resolveFilename(request, parent, isMain);
    if (standIns.has(file) && !require.cache[file]) {
      if (!standIns.get(file))
        standIns.set(
          file,
          lazyModule(() => load(file, parent, isMain)),
        );
      return standIns.get(file);
    }
  }
  return load.apply(this, arguments);
};

// Out of require.cache as well: a process lists only the modules it loaded itself there
// (tools/stacks/cli.test.ts asserts which).
delete require.cache[require.resolve("./lazyModule")];
delete require.cache[__filename];
