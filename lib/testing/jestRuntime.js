/**
 * jest's module runtime (jest.config.js `runtime`) with V8's code cache for the modules it
 * compiles. jest gives every test file its own module registry, so each of the ~70 suites that
 * load the Pulumi SDKs compiles @pulumi/pulumi's 770 modules again, typescript.js (9 MB, which
 * @pulumi/pulumi loads for closure serialization) among them: without a cache, about 0.65 s of
 * CPU per suite, mostly in vm.compileFunction. V8 can start from a code cache instead of parsing
 * (Node 20's vm.Script `cachedData` and `script.createCachedData()`:
 * https://nodejs.org/docs/latest-v20.x/api/vm.html#scriptcreatecacheddata): the module's text is
 * still compiled and run anew in each suite's context, so every suite still loads the real SDKs
 * fresh; only the parse and compile are saved.
 *
 * The cache is made when the first file to load a module is done, not when it compiles it: V8
 * compiles a function when it is first called, and a cache made after the run holds the
 * functions that ran too (the same SDK functions run in every suite), which a cache made at
 * compile time (compileFunction's `produceCachedData`) lacks: those were compiled again in every
 * suite. It lives in the worker process, per file, and is served only for the very same text
 * (V8 itself checks only the length); V8 rejects a cache of another V8 version or flags, and a
 * rejected one is replaced. The `runtime` option is jest's (https://jestjs.io/docs/configuration#runtime-string);
 * the hook is jest-runtime 30.5's `executor.compile(source, filename)` (packages/jest-runtime/
 * src/ModuleExecutor.ts in jestjs/jest v30.x), which calls `vm.compileFunction(source, params,
 * { filename, importModuleDynamically, parsingContext })`. If a later jest has neither, this
 * runtime is jest's own and only the speed is lost.
 *
 * It also reads the packages' files once per worker (see sharedPackageSources), and disables,
 * when a test file is done, the AsyncLocalStorage instances that file enabled (see
 * trackAsyncLocalStorages).
 */
"use strict";
const { AsyncLocalStorage } = require("node:async_hooks");
const path = require("node:path");
const vm = require("node:vm");

// The copy of jest-runtime that this jest uses (a dependency of jest-runner).
const jestRunner = path.dirname(require.resolve("jest-runner/package.json"));
const Runtime = require(require.resolve("jest-runtime", { paths: [jestRunner] })).default;

const nodeCompileFunction = vm.compileFunction;

/**
 * vm.compileFunction as jest calls it, built on vm.Script so that the cache can be made after
 * the function ran: the function is the script's value, `(function (params) {\n` + code + `\n})`,
 * with lineOffset -1 so that lines and columns are the code's own, as with compileFunction. A
 * syntax error throws from the same call, for jest to report. `refresh()`, once a test file is
 * done, makes the cache of each file compiled without one; `stats` counts both.
 */
function cachingCompileFunction({ Script = vm.Script, cache = new Map() } = {}) {
  const stats = { produced: 0, used: 0, rejected: 0 };
  /** Entries compiled without a cache since the last refresh, with their scripts. */
  let fresh = [];
  const compile = (code, params = [], options = {}) => {
    const { filename, parsingContext, importModuleDynamically } = options;
    const source = `(function (${params.join(", ")}) {\n${code}\n})`;
    const scriptOptions = { filename, lineOffset: -1, importModuleDynamically };
    const entry = filename === undefined ? undefined : cache.get(filename);
    let script;
    if (entry?.data && entry.source === source) {
      script = new Script(source, { ...scriptOptions, cachedData: entry.data });
      if (script.cachedDataRejected) {
        stats.rejected++;
        script = undefined;
      } else {
        stats.used++;
      }
    }
    if (script === undefined) {
      try {
        script = new Script(source, scriptOptions);
      } catch (error) {
        // The wrapper would word it otherwise: report the error compileFunction gives.
        if (error?.name === "SyntaxError") nodeCompileFunction(code, params, options);
        throw error;
      }
      if (filename !== undefined) {
        const made = { filename, source, data: undefined, script };
        cache.set(filename, made);
        fresh.push(made);
      }
    }
    return parsingContext ? script.runInContext(parsingContext) : script.runInThisContext();
  };
  const refresh = () => {
    for (const entry of fresh) {
      // A later compile of the same file in this test file replaced the entry: that one counts.
      if (cache.get(entry.filename) !== entry) continue;
      entry.data = entry.script.createCachedData();
      entry.script = undefined;
      stats.produced++;
    }
    fresh = [];
  };
  return { compile, refresh, stats };
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
 * The text of the installed packages' files, read once per worker instead of once per test file.
 * jest gives each test file a new `cacheFS` (filename to text; jest-runner 30.5's testWorker.js
 * `runTest`), which jest-runtime's FileCache reads before the disk (build/index.js as installed,
 * from jestjs/jest v30.x packages/jest-runtime/src/FileCache.ts): reading the SDKs' ~700 files
 * again was about 20 ms of every suite that loads them. Only files under the checkout's own
 * node_modules are shared: `npm ci` writes them before a run and no test changes them, where a
 * test may write a source file of its own and load it again.
 */
function sharedPackageSources(rootDir) {
  const packages = path.join(rootDir, "node_modules") + path.sep;
  const sources = new Map();
  return {
    sources,
    /** Before a test file: its cacheFS starts with the packages' texts read so far. */
    fill(cacheFS) {
      for (const [file, text] of sources) if (!cacheFS.has(file)) cacheFS.set(file, text);
    },
    /** After it: what it read of the packages joins them. */
    collect(cacheFS) {
      for (const [file, text] of cacheFS) {
        if (typeof text === "string" && file.startsWith(packages)) sources.set(file, text);
      }
    },
  };
}

/** Per worker, made by the first runtime (it knows the rootDir). */
let packageSources;

/**
 * The storages of the test file this worker runs now: tracked from the first runtime on, not
 * on load, so that a test requiring this file patches nothing of the worker's.
 */
let workerStorages;

/** One cache per worker process, shared by the test files it runs. */
const workerCache = cachingCompileFunction();

class CodeCachingRuntime extends Runtime {
  /** jest-runtime 30.5's constructor: (config, environment, resolver, transformer, cacheFS, ...). */
  constructor(...args) {
    const [config, , , , cacheFS] = args;
    if (cacheFS instanceof Map && typeof config?.rootDir === "string") {
      packageSources ??= sharedPackageSources(config.rootDir);
      packageSources.fill(cacheFS);
    }
    super(...args);
    this.testFileSources = cacheFS;
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
    // Before jest's own teardown, which empties cacheFS (FileCache.clear).
    if (this.testFileSources instanceof Map) packageSources?.collect(this.testFileSources);
    super.teardown();
    workerCache.refresh();
    workerStorages?.disableAll();
  }
}

module.exports = CodeCachingRuntime;
module.exports.cachingCompileFunction = cachingCompileFunction;
module.exports.trackAsyncLocalStorages = trackAsyncLocalStorages;
module.exports.sharedPackageSources = sharedPackageSources;
