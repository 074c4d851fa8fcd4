// @pulumi/pulumi's `require("../../typescript-shim")`, loaded on first use (see lazyModule.js).
// The absolute path is not one jest.config.js maps, so it loads the SDK's own shim.
"use strict";
const { lazyModule } = require("./lazyModule");
module.exports = lazyModule(() => require(require.resolve("@pulumi/pulumi/typescript-shim")));
