import { AsyncLocalStorage } from "node:async_hooks";
import * as v8 from "node:v8";
import * as vm from "node:vm";

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { cachingCompileFunction, trackAsyncLocalStorages } = require("./jestRuntime.js") as {
  cachingCompileFunction(compile: typeof vm.compileFunction): {
    compile: typeof vm.compileFunction;
    stats: { produced: number; used: number; rejected: number };
  };
  trackAsyncLocalStorages(Storage: { prototype: AsyncLocalStorage<unknown> }): {
    enabled: Set<AsyncLocalStorage<unknown>>;
    disableAll(): void;
  };
};

/**
 * A module body as jest compiles it: a function of the module's parameters, run in a context
 * (jest-runtime 30.5's ModuleExecutor.compile calls `vm.compileFunction(source, params,
 * { filename, importModuleDynamically, parsingContext })`, node_modules/jest-runtime/build/index.js
 * as installed, from jestjs/jest v30.x; the cache options are Node 20's,
 * https://nodejs.org/docs/latest-v20.x/api/vm.html#vmcompilefunctioncode-params-options).
 */
const body = (value: number) => `module.exports = { value: ${value}, twice: () => ${2 * value} };`;
const PARAMS = ["module", "exports"];

function load(compile: typeof vm.compileFunction, code: string, filename = "/repo/m.js") {
  const fn = compile(code, PARAMS, { filename, parsingContext: vm.createContext({}) });
  const module = { exports: {} as { value?: number; twice?: () => number } };
  fn.call(module.exports, module, module.exports);
  return module.exports;
}

describe("cachingCompileFunction (lib/testing/jestRuntime.js)", () => {
  it("compiles a text once into V8's cache, and runs it from the cache in a new context", () => {
    const calls: (vm.CompileFunctionOptions | undefined)[] = [];
    const { compile, stats } = cachingCompileFunction((code, params, options) => {
      calls.push(options);
      return vm.compileFunction(code, params, options);
    });
    expect(load(compile, body(3))).toMatchObject({ value: 3 });
    const second = load(compile, body(3));
    expect(second.value).toBe(3);
    expect(second.twice!()).toBe(6);
    expect(stats).toEqual({ produced: 1, used: 1, rejected: 0 });
    expect(calls.map((o) => [o?.produceCachedData, Buffer.isBuffer(o?.cachedData)])).toEqual([
      [true, false],
      [undefined, true],
    ]);
  });

  it("never serves a file's cache for another text of that file (V8 checks only the length)", () => {
    const { compile, stats } = cachingCompileFunction(vm.compileFunction);
    expect(load(compile, body(1)).value).toBe(1);
    // Same length, other text: compiled from the text, and cached anew.
    expect(load(compile, body(2)).value).toBe(2);
    expect(load(compile, body(2)).value).toBe(2);
    expect(stats).toEqual({ produced: 2, used: 1, rejected: 0 });
  });

  it("keeps files apart, and compiles without a cache what has no filename", () => {
    const { compile, stats } = cachingCompileFunction(vm.compileFunction);
    expect(load(compile, body(1), "/repo/a.js").value).toBe(1);
    expect(load(compile, body(5), "/repo/b.js").value).toBe(5);
    const fn = compile("return 7;", [], {});
    expect(fn()).toBe(7);
    expect(stats).toEqual({ produced: 2, used: 0, rejected: 0 });
  });

  it("replaces a cache that V8 rejects", () => {
    let corrupt = false;
    const { compile, stats } = cachingCompileFunction((code, params, options) =>
      vm.compileFunction(
        code,
        params,
        corrupt && options?.cachedData
          ? { ...options, cachedData: Buffer.from("not a cache") }
          : options,
      ),
    );
    load(compile, body(4));
    corrupt = true;
    expect(load(compile, body(4)).value).toBe(4);
    corrupt = false;
    expect(load(compile, body(4)).value).toBe(4);
    expect(stats).toEqual({ produced: 2, used: 1, rejected: 1 });
  });

  it("keeps no test file's context alive: the worker's later files would pay for it", async () => {
    // What jest's --detectLeaks does (jest-leak-detector 30.5: a WeakRef, then V8's gc).
    v8.setFlagsFromString("--expose-gc");
    const gc = vm.runInNewContext("gc") as () => void;
    const { compile, stats } = cachingCompileFunction(vm.compileFunction);
    const compileIn = () => {
      const context = vm.createContext({});
      compile(body(8), PARAMS, { filename: "/repo/leak.js", parsingContext: context });
      return new WeakRef(context);
    };
    const context = compileIn();
    for (let i = 0; i < 3 && context.deref(); i++) {
      await new Promise((resolve) => setImmediate(resolve));
      gc();
    }
    expect(stats.produced).toBe(1);
    expect(context.deref()).toBeUndefined();
  });
});

describe("trackAsyncLocalStorages (lib/testing/jestRuntime.js)", () => {
  // A subclass of its own: the tracker patches the prototype it is given, and this one is
  // this test's alone (the worker's tracker watches AsyncLocalStorage itself).
  class Storage extends AsyncLocalStorage<string> {}
  const tracker = trackAsyncLocalStorages(Storage);

  it("records the storages that run or enterWith enabled, and disableAll disables them", async () => {
    const a = new Storage();
    const b = new Storage();
    const idle = new Storage();
    let open = () => {};
    const gate = new Promise<void>((resolve) => (open = resolve));
    const later = a.run("a", () => {
      expect(a.getStore()).toBe("a");
      return gate.then(() => a.getStore());
    });
    await new Promise<void>((resolve) =>
      setImmediate(() => {
        b.enterWith("b");
        expect(b.getStore()).toBe("b");
        resolve();
      }),
    );
    expect([...tracker.enabled]).toEqual([a, b]);
    expect(idle.getStore()).toBeUndefined();

    tracker.disableAll();
    expect(tracker.enabled.size).toBe(0);
    open();
    // Disabled: what a's run scheduled no longer sees its store (Node's documented disable()).
    expect(await later).toBeUndefined();
    // And usable again: run enables it anew, and it is recorded again.
    expect(a.run("again", () => a.getStore())).toBe("again");
    expect([...tracker.enabled]).toEqual([a]);
    tracker.disableAll();
  });
});
