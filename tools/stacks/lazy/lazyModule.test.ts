/* eslint-disable @typescript-eslint/no-require-imports */
// The modules stood in for are @pulumi/pulumi 3.248.0's own (see lazyModule.js,
// typescriptShim.js and arborist.js for the requires and the sources of what they must answer):
// each test checks the stand-in against the real module, or the real SDK function through it.
import * as pulumi from "@pulumi/pulumi";

const { lazyModule, LOADED } = require("./lazyModule.js") as {
  lazyModule<T extends object>(load: () => T): T;
  LOADED: symbol;
};
const loaded = (module: object) => (module as Record<symbol, boolean>)[LOADED];

describe("lazyModule", () => {
  it("loads the module on first use, once, and then is the module", () => {
    let loads = 0;
    class Tree {}
    const real = { version: "1.2.3", Tree, nested: { a: 1 } };
    const lazy = lazyModule(() => {
      loads++;
      return real;
    });
    expect(loads).toBe(0);
    expect(loaded(lazy)).toBe(false);
    expect(lazy.version).toBe("1.2.3");
    expect(new lazy.Tree()).toBeInstanceOf(Tree);
    expect(lazy.nested).toBe(real.nested);
    expect("Tree" in lazy).toBe(true);
    expect(Object.keys(lazy)).toEqual(["version", "Tree", "nested"]);
    expect(loads).toBe(1);
    expect(loaded(lazy)).toBe(true);
  });

  it("lists a module whose exports cannot be redefined (getters, as TypeScript emits them)", () => {
    const real = Object.defineProperty({}, "createProgram", {
      get: () => "the function",
      enumerable: true,
    });
    const lazy = lazyModule(() => real);
    expect({ ...lazy }).toEqual({ createProgram: "the function" });
  });

  it("is taken as it is by TypeScript's __importStar: the load waits for the first use", () => {
    let loads = 0;
    const lazy = lazyModule(() => {
      loads++;
      return { Arborist: class {} };
    });
    // What `import * as x from "cjs"` compiles to (tslib's __importStar) checks this first.
    expect((lazy as { __esModule?: boolean }).__esModule).toBe(true);
    expect(loads).toBe(0);
  });
});

describe("@pulumi/pulumi under jest.config.js's moduleNameMapper", () => {
  // The SDK's own require names, mapped as in its files (runtime/closure/*.js).
  const shim = require("../../typescript-shim") as typeof import("typescript");
  const arborist = require("@npmcli/arborist") as { Arborist: new (o: object) => object };

  it("loads without its closure serializer's typescript and @npmcli/arborist", () => {
    expect(typeof pulumi.ComponentResource).toBe("function");
    expect(loaded(shim)).toBe(false);
    expect(loaded(arborist)).toBe(false);
  });

  it("still parses a function for the closure serializer with the real typescript", () => {
    // The serializer's parser (what pulumi.runtime.serializeFunction uses): TypeScript finds the
    // variables the function captures.
    const { parseFunction } = require("@pulumi/pulumi/runtime/closure/parseFunction") as {
      parseFunction(
        code: string,
      ): [string, { capturedVariables: { required: Map<string, unknown> } }];
    };
    const [error, parsed] = parseFunction("(x) => x * factor");
    expect(error).toBe("");
    expect([...parsed.capturedVariables.required.keys()]).toEqual(["factor"]);
    expect(loaded(shim)).toBe(true);
    expect(shim.version).toBe(require("typescript/package.json").version);
  });

  it("gives the real Arborist on first use", () => {
    expect(typeof new arborist.Arborist({ path: __dirname })).toBe("object");
    expect(loaded(arborist)).toBe(true);
  });
});
