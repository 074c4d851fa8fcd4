/**
 * A stand-in for a module's exports that loads the real module on first use (a property read,
 * `in`, or listing its keys) and forwards everything to it from then on. jest.config.js maps two
 * of @pulumi/pulumi's requires to it (typescript-shim.js and arborist.js here): the SDK loads
 * them at startup for closure serialization (pulumi.runtime.serializeFunction,
 * computeCodePaths), which no program here uses, and they were a third of the SDK's load in
 * every suite (typescript.js is 9 MB; @npmcli/arborist brings pacote, sigstore, tar and more).
 * Whatever does use them gets the real modules (lazyModule.test.ts runs the serializer).
 * What it must answer like the real module, by source: TypeScript's `__importStar` (tslib's
 * helper as tsc emits it, https://github.com/microsoft/tslib/blob/main/tslib.js) returns a
 * module marked `__esModule` as it is and otherwise copies `Object.keys` of it; proxy invariants
 * forbid reporting a non-configurable property the (empty) target lacks
 * (https://tc39.es/ecma262/#sec-proxy-object-internal-methods-and-internal-slots-getownproperty-p).
 */
"use strict";

/** Reads true once the real module is loaded (for the tests). */
const LOADED = Symbol.for("dataeng.lazyModule.loaded");

function lazyModule(load) {
  let real;
  const module = () => (real ??= load());
  return new Proxy(
    {},
    {
      get(_, key) {
        if (key === LOADED) return real !== undefined;
        // TypeScript's __importStar (how the SDK's compiled code imports arborist) copies every
        // key of a CommonJS module at once; a module marked __esModule is used as it is.
        if (key === "__esModule") return true;
        return Reflect.get(module(), key);
      },
      has: (_, key) => Reflect.has(module(), key),
      ownKeys: () => Reflect.ownKeys(module()),
      getOwnPropertyDescriptor(_, key) {
        const descriptor = Reflect.getOwnPropertyDescriptor(module(), key);
        // A proxy may not report a property of its (empty) target as non-configurable.
        return descriptor && { ...descriptor, configurable: true };
      },
    },
  );
}

module.exports = { lazyModule, LOADED };
