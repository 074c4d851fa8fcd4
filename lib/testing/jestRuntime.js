/**
 * jest's module runtime (jest.config.js `runtime`) with V8's code cache for the modules it
 * compiles. jest gives every test file its own module registry, so each of the ~70 suites that
 * load the Pulumi SDKs compiles @pulumi/pulumi's 770 modules again, typescript.js (9 MB, which
 * @pulumi/pulumi loads for closure serialization) among them: without a cache, about 0.65 s of
 * CPU per suite, mostly in vm.compileFunction. V8 can start from a code cache instead of parsing
 * (Node's `cachedData` / `produceCachedData` options of vm.compileFunction, Node 20:
 * https://nodejs.org/docs/latest-v20.x/api/vm.html#vmcompilefunctioncode-params-options): the
 * module's text is still compiled and run anew in each suite's context, so every suite still
 * loads the real SDKs fresh; only the parse is saved.
 *
 * The cache lives in the worker process, per file, and is served only for the very same text
 * (V8 itself checks only the length); V8 rejects a cache of another V8 version or flags, and a
 * rejected one is replaced. The `runtime` option is jest's (https://jestjs.io/docs/configuration#runtime-string);
 * the hook is jest-runtime 30.5's `executor.compile(source, filename)` (packages/jest-runtime/
 * src/ModuleExecutor.ts in jestjs/jest v30.x), which calls `vm.compileFunction`. If a later jest
 * has neither, this runtime is jest's own and only the speed is lost.
 *
 * It also disables, when a test file is done, the AsyncLocalStorage instances that file enabled
 * (see trackAsyncLocalStorages).
 */
"use strict";
const { AsyncLocalStorage } = require("node:async_hooks");
const path = require("node:path");
const vm = require("node:vm");

// The copy of jest-runtime that this jest uses (a dependency of jest-runner).
const jestRunner = path.dirname(require.resolve("jest-runner/package.json"));
const Runtime = require(require.resolve("jest-runtime", { paths: [jestRunner] })).default;

/**
 * vm.compileFunction with a code cache per filename: the first compile of a text produces the
 * cache, later compiles of the same text consume it. `stats` counts both.
 */
function cachingCompileFunction(compileFunction, cache = new Map()) {
  const stats = { produced: 0, used: 0, rejected: 0 };
  const compile = (code, params, options = {}) => {
    const entry = options.filename === undefined ? undefined : cache.get(options.filename);
    if (entry && entry.code === code) {
      const fn = compileFunction(code, params, { ...options, cachedData: entry.data });
      if (!fn.cachedDataRejected) {
        stats.used++;
        return fn;
      }
      stats.rejected++;
      cache.delete(options.filename);
    }
    const fn = compileFunction(code, params, { ...options, produceCachedData: true });
    if (options.filename !== undefined && fn.cachedData) {
      // A copy: node makes fn.cachedData in the test file's context, and holding that Buffer
      // held the whole context (every module the file loaded) for the life of the worker.
      cache.set(options.filename, { code, data: Buffer.from(fn.cachedData) });
      stats.produced++;
    }
    return fn;
  };
  return { compile, stats };
}

/**
 * Records every AsyncLocalStorage of `Storage` (a class, its subclasses included) that starts
 * to hold a store; `disableAll` disables them. Each test file makes its own: jest-circus's
 * jestAdapterInit.js (`testExecutionContext`, loaded anew for every file) and @pulumi/pulumi's
 * runtime/state.js (`global.asyncLocalStorage`, in every file that plans a program). In Node 20
 * an enabled storage stays in a list for the life of the process (lib/async_hooks.js:
 * `_enable` pushes it, only `disable()` takes it out), and a hook runs for every promise and
 * async resource the process makes, calling each listed storage's `_propagate`: left enabled,
 * the worker's later files paid for all the earlier ones' storages (every suite in one process:
 * 5.7 s in `_propagate`; a worker of two runs half the files, so about a quarter of that). A file
 * is done when its runtime is torn down, so its storages are disabled then; `run` and
 * `enterWith` enable a disabled one again
 * (https://nodejs.org/docs/latest-v20.x/api/async_context.html#asynclocalstoragedisable).
 */
function trackAsyncLocalStorages(Storage = AsyncLocalStorage) {
  const enabled = new Set();
  for (const method of ["run", "enterWith"]) {
    const original = Storage.prototype[method];
    Storage.prototype[method] = function (...args) {
      enabled.add(this);
      return Reflect.apply(original, this, args);
    };
  }
  return {
    enabled,
    disableAll() {
      for (const storage of enabled) storage.disable();
      enabled.clear();
    },
  };
}

/**
 * The storages of the test file this worker runs now: tracked from the first runtime on, not
 * on load, so that a test requiring this file patches nothing of the worker's.
 */
let workerStorages;

/** One cache per worker process, shared by the test files it runs. */
const nodeCompileFunction = vm.compileFunction;
const workerCache = cachingCompileFunction(nodeCompileFunction);

class CodeCachingRuntime extends Runtime {
  constructor(...args) {
    super(...args);
    workerStorages ??= trackAsyncLocalStorages();
    const executor = this.executor;
    if (typeof executor?.compile !== "function") return;
    const compile = executor.compile.bind(executor);
    // vm.compileFunction is swapped only while jest compiles a module: the tests' own use of
    // node:vm (the same module object) never sees it.
    executor.compile = (source, filename) => {
      const before = vm.compileFunction;
      vm.compileFunction = workerCache.compile;
      try {
        return compile(source, filename);
      } finally {
        vm.compileFunction = before;
      }
    };
  }

  teardown() {
    super.teardown();
    workerStorages?.disableAll();
  }
}

module.exports = CodeCachingRuntime;
module.exports.cachingCompileFunction = cachingCompileFunction;
module.exports.trackAsyncLocalStorages = trackAsyncLocalStorages;
