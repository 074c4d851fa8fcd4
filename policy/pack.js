/**
 * The policy pack's entry (package.json "main"). `@pulumi/pulumi/cmd/run-policy-pack` always
 * registers ts-node in type-checking mode before it loads the pack (sdk/nodejs/cmd/run-policy-pack/
 * index.ts and run.ts at v3.248.0, whatever PulumiPolicy.yaml's runtime options say), which
 * builds a TypeScript program over @pulumi/aws's declarations: seconds on every preview. Loading
 * the repository's esbuild hook first makes the pack's own .ts files transpile instead (cached
 * by content, tools/stacks/register.js); ts-node's hook then only sees TypeScript inside
 * node_modules, of which there is none. Then each resource's properties convert from protobuf
 * once per request rather than once per policy (deserializeOnce.ts). README: "Where a preview's
 * time goes".
 */
"use strict";
require("../tools/stacks/register.js");
require("./deserializeOnce.ts").deserializeOncePerRequest(require("@pulumi/policy/deserialize"));
module.exports = require("./index.ts");
