// @pulumi/pulumi's `require("../../typescript-shim")`, loaded on first use (see lazyModule.js).
// The absolute path is not one jest.config.js maps, so it loads the SDK's own shim. The SDK's
// requires (@pulumi/pulumi 3.248.0, as installed): at the top of runtime/closure/parseFunction.js,
// and inside functions in runtime/closure/rewriteSuper.js, utils.js and
// provider/experimental/analyzer.js, all of them closure serialization or component analysis.
"use strict";
const { lazyModule } = require("./lazyModule");
module.exports = lazyModule(() => require(require.resolve("@pulumi/pulumi/typescript-shim")));
