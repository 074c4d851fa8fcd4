import { AsyncLocalStorage } from "node:async_hooks";
import * as v8 from "node:v8";
import * as vm from "node:vm";

interface Entry {
  data?: Buffer;
}
const { cachingCompileFunction, sharedPackageSources, trackAsyncLocalStorages } =
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require("./jestRuntime.js") as {
    cachingCompileFunction(options?: { Script?: typeof vm.Script; cache?: Map<string, Entry> }): {
      compile: typeof vm.compileFunction;
      refresh(): void;
      stats: { produced: number; used: number; rejected: number };
    };
    trackAsyncLocalStorages(Storage: { prototype: AsyncLocalStorage<unknown> }): {
      enabled: Set<AsyncLocalStorage<unknown>>;
      disableAll(): void;
    };
    sharedPackageSources(rootDir: string): {
      sources: Map<string, string>;
      fill(cacheFS: Map<string, string>): void;
      collect(cacheFS: Map<string, string>): void;
    };
  };

/**
 * A module body as jest compiles it: a function of the module's parameters, run in a context
 * (jest-runtime 30.5's ModuleExecutor.compile calls `vm.compileFunction(source, params,
 * { filename, importModuleDynamically, parsingContext })`, node_modules/jest-runtime/build/index.js
 * as installed, from jestjs/jest v30.x; the cache options are Node 20's,
 * https://nodejs.org/docs/latest-v20.x/api/vm.html#class-vmscript).
 */
const body = (value: number) =>
  `"use strict";\nmodule.exports = { value: ${value}, twice: () => [${value}, ${value}].reduce((a, b) => a + b) };`;
const PARAMS = ["module", "exports"];

function load(compile: typeof vm.compileFunction, code: string, filename = "/repo/m.js") {
  const fn = compile(code, PARAMS, { filename, parsingContext: vm.createContext({}) });
  const module = { exports: {} as { value?: number; twice?: () => number } };
  fn.call(module.exports, module, module.exports);
  return module.exports;
}

/**
 * vm.Script, recording the cachedData each compile was given; `rejects()` makes it report what
 * Node reports when V8 rejects a cache (`cachedDataRejected: true`). A real rejection cannot be
 * forced here: V8's own compilation cache serves a text compiled before in the process without
 * reading the cachedData at all.
 */
function recordingScript(given: (Buffer | undefined)[], rejects = () => false) {
  return class extends vm.Script {
    constructor(code: string, options: vm.ScriptOptions) {
      given.push(options.cachedData as Buffer | undefined);
      super(code, options);
      if (options.cachedData && rejects()) {
        Object.defineProperty(this, "cachedDataRejected", { value: true });
      }
    }
  };
}

describe("cachingCompileFunction (lib/testing/jestRuntime.js)", () => {
  it("makes a file's cache once its first test file is done, and runs it from the cache in a new context", () => {
    const given: (Buffer | undefined)[] = [];
    const { compile, refresh, stats } = cachingCompileFunction({ Script: recordingScript(given) });
    expect(load(compile, body(3))).toMatchObject({ value: 3 });
    // Still in the first test file: no cache yet.
    expect(load(compile, body(3)).value).toBe(3);
    refresh();
    const second = load(compile, body(3));
    expect(second.value).toBe(3);
    expect(second.twice!()).toBe(6);
    expect(stats).toEqual({ produced: 1, used: 1, rejected: 0 });
    expect(given.map((data) => Buffer.isBuffer(data))).toEqual([false, false, true]);
  });

  it("caches the functions that ran, which a cache made at compile time lacks", () => {
    const cache = new Map<string, Entry>();
    const { compile, refresh } = cachingCompileFunction({ cache });
    load(compile, body(2)).twice!();
    refresh();
    const atCompile = vm.compileFunction(body(2), PARAMS, { produceCachedData: true });
    expect(cache.get("/repo/m.js")!.data!.length).toBeGreaterThan(atCompile.cachedData!.length);
  });

  it("keeps the code's own lines and columns in stack traces, as compileFunction does", () => {
    const { compile } = cachingCompileFunction();
    const fn = compile('\n  throw new Error("here");', [], { filename: "/repo/throws.js" });
    expect(() => fn()).toThrow(
      expect.objectContaining({ stack: expect.stringContaining("/repo/throws.js:2:9") }),
    );
    // The very error jest reports without this cache (its realm's SyntaxError, not this test's).
    let thrown: unknown;
    try {
      compile("module.exports = {", PARAMS, { filename: "/repo/bad.js" });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ name: "SyntaxError", message: "Unexpected end of input" });
  });

  it("never serves a file's cache for another text of that file (V8 checks only the length)", () => {
    const { compile, refresh, stats } = cachingCompileFunction();
    expect(load(compile, body(1)).value).toBe(1);
    refresh();
    // Same length, other text: compiled from the text, and cached anew.
    expect(load(compile, body(2)).value).toBe(2);
    refresh();
    expect(load(compile, body(2)).value).toBe(2);
    expect(stats).toEqual({ produced: 2, used: 1, rejected: 0 });
  });

  it("keeps files apart, and compiles without a cache what has no filename", () => {
    const { compile, refresh, stats } = cachingCompileFunction();
    expect(load(compile, body(1), "/repo/a.js").value).toBe(1);
    expect(load(compile, body(5), "/repo/b.js").value).toBe(5);
    const fn = compile("return 7;", [], {});
    expect(fn()).toBe(7);
    refresh();
    expect(stats).toEqual({ produced: 2, used: 0, rejected: 0 });
  });

  it("replaces a cache that V8 rejects", () => {
    let reject = false;
    const given: (Buffer | undefined)[] = [];
    const { compile, refresh, stats } = cachingCompileFunction({
      Script: recordingScript(given, () => reject),
    });
    load(compile, body(4));
    refresh();
    reject = true;
    expect(load(compile, body(4)).value).toBe(4);
    reject = false;
    refresh();
    expect(load(compile, body(4)).value).toBe(4);
    expect(stats).toEqual({ produced: 2, used: 1, rejected: 1 });
    // The rejected cache was compiled again without one, and that one served the last load.
    expect(given.map((data) => Buffer.isBuffer(data))).toEqual([false, true, false, true]);
  });

  it("keeps no test file's context alive: the worker's later files would pay for it", async () => {
    // What jest's --detectLeaks does (jest-leak-detector 30.5: a WeakRef, then V8's gc).
    v8.setFlagsFromString("--expose-gc");
    const gc = vm.runInNewContext("gc") as () => void;
    const { compile, refresh, stats } = cachingCompileFunction();
    const compileIn = () => {
      const context = vm.createContext({});
      const fn = compile(body(8), PARAMS, { filename: "/repo/leak.js", parsingContext: context });
      const module = { exports: {} };
      fn.call(module.exports, module, module.exports);
      return new WeakRef(context);
    };
    const context = compileIn();
    refresh();
    for (let i = 0; i < 3 && context.deref(); i++) {
      await new Promise((resolve) => setImmediate(resolve));
      gc();
    }
    expect(stats.produced).toBe(1);
    expect(context.deref()).toBeUndefined();
  });
});

describe("sharedPackageSources (lib/testing/jestRuntime.js)", () => {
  it("gives each test file the checkout's package files read before, and nothing else", () => {
    const shared = sharedPackageSources("/repo");
    // What a test file read (jest's cacheFS holds its own source too, set by jest-runner).
    shared.collect(
      new Map([
        ["/repo/node_modules/@pulumi/pulumi/index.js", "sdk"],
        ["/repo/lib/model/stacks.ts", "a source a test may rewrite"],
        ["/repo/lib/model/stacks.test.ts", "the test file"],
        ["/tmp/copy/node_modules/x/index.js", "another checkout's package"],
        ["/repo/node_modules_old/y.js", "not the packages folder"],
      ]),
    );
    expect([...shared.sources.keys()]).toEqual(["/repo/node_modules/@pulumi/pulumi/index.js"]);

    // The next test file starts with them, and keeps what jest-runner put there itself.
    const next = new Map([["/repo/policy/s3.test.ts", "next test file"]]);
    shared.fill(next);
    expect([...next]).toEqual([
      ["/repo/policy/s3.test.ts", "next test file"],
      ["/repo/node_modules/@pulumi/pulumi/index.js", "sdk"],
    ]);
    // A text a test file already holds is its own.
    const own = new Map([["/repo/node_modules/@pulumi/pulumi/index.js", "newer"]]);
    shared.fill(own);
    expect(own.get("/repo/node_modules/@pulumi/pulumi/index.js")).toBe("newer");
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
