// @pulumi/pulumi's `require("@npmcli/arborist")`, loaded on first use (see lazyModule.js): the
// copy the SDK resolves, by its folder's path (a path is not a name jest.config.js maps).
// The SDK's require: `__importStar(require("@npmcli/arborist"))` at the top of
// runtime/closure/codePaths.js (@pulumi/pulumi 3.248.0, as installed), used only by
// computeCodePaths when a function is serialized.
"use strict";
const path = require("node:path");
const { lazyModule } = require("./lazyModule");
const sdk = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
const folder = path.dirname(require.resolve("@npmcli/arborist/package.json", { paths: [sdk] }));
module.exports = lazyModule(() => require(folder));
