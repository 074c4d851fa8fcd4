/**
 * A V8 code cache for every CommonJS module a process loads (packages and the repository's
 * transpiled .ts alike), so a process that loads @pulumi/pulumi and @pulumi/aws does not parse
 * and compile them again on every run. Node 20 has no built-in one (`module.enableCompileCache`
 * and NODE_COMPILE_CACHE came in Node 22.1). Loaded by tools/stacks/register.js.
 *
 * How (as the v8-compile-cache package does): Module.prototype._compile compiles the module's
 * wrapper with vm.Script, given the cached data when there is some, and calls it with a
 * `require` built as node's makeRequireFunction builds it (lib/internal/modules/helpers.js,
 * v20). ES modules, syntax errors, --inspect-brk, --experimental-policy and
 * DATAENG_NO_CODE_CACHE=1 keep node's own compile.
 * After the process has loaded (half a second without a new module, or at exit) each new
 * script's cache is written: that includes the functions that ran, not only the top level.
 * Entries are keyed by the hash of the file's text, in a folder per V8 version and flags in the
 * OS temp folder; V8 itself rejects data that does not fit (then the module
 * compiles as usual and the entry is rewritten).
 * A missing or read-only temp folder only costs speed. README: "Where a preview's time goes".
 */
"use strict";
const crypto = require("node:crypto");
const fs = require("node:fs");
const Module = require("node:module");
const os = require("node:os");
const path = require("node:path");
const v8 = require("node:v8");
const vm = require("node:vm");

/**
 * The folder of this process's entries. V8 refuses data made under other flags (`--expose-gc`,
 * `--max-old-space-size`, ...): its tag names the V8 version, the flags and the CPU's features
 * (v8.cachedDataVersionTag, Node 20), so processes started with different flags keep apart
 * instead of rewriting each other's entries on every run.
 */
const cacheDir = () =>
  path.join(
    os.tmpdir(),
    `dataeng-v8-cache-${process.getuid ? process.getuid() : "user"}`,
    `${process.versions.v8}-${v8.cachedDataVersionTag()}`,
  );
let dir;
// Node's wrapper parameters; the newline keeps line numbers (lineOffset -1) and columns as they are.
const PREFIX = "(function (exports, require, module, __filename, __dirname) {\n";
const FLUSH_AFTER_MS = 500;
/** Part of every key: a change to how modules are wrapped here starts a new cache. */
const FORMAT = "1";

/** Scripts compiled without usable cached data, written at the next flush. */
let fresh = [];
let timer;
let made = false;

function flush() {
  clearTimeout(timer);
  timer = undefined;
  const scripts = fresh;
  fresh = [];
  if (scripts.length === 0) return;
  try {
    if (!made && fs.mkdirSync(dir, { recursive: true }) !== undefined) {
      // The first entry of this folder: the folder of the layout before it (one per V8 version,
      // whatever the flags) is never read again.
      fs.rmSync(path.join(path.dirname(dir), process.versions.v8), {
        recursive: true,
        force: true,
      });
    }
    made = true;
    for (const { script, file } of scripts) {
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, script.createCachedData());
      fs.renameSync(tmp, file);
    }
  } catch {
    // not writable: the next run compiles again
  }
}

/** The compiled wrapper of `content`, from the cache when it holds an entry V8 accepts. */
function compileCached(content, filename) {
  // A shebang is only valid at the very start of a script: comment it out (same line count).
  const source = content.startsWith("#!") ? `//${content}` : content;
  // Keyed by text alone, so that a copy of the checkout (a `stacks diff` base, the tests' and
  // benches' copies) starts from the same entries. V8 then names the script after the file the
  // entry was made from: a copy's stack trace (or another clone's, its SDK frames too) may name
  // the original's path, for the same text at the same lines; tools/stacks/lazy/debugStacks.js
  // knows the SDK's file by the end of its path for that reason. Keyed by path too, each process in a new copy spent about 0.2 s of CPU
  // compiling and writing the repository's modules again.
  const key = crypto.createHash("sha1").update(FORMAT).update("\0").update(source).digest("hex");
  const file = path.join(dir, `${key}.bin`);
  let cachedData;
  try {
    cachedData = fs.readFileSync(file);
  } catch {
    // not cached yet
  }
  const script = new vm.Script(`${PREFIX}${source}\n})`, {
    filename,
    lineOffset: -1,
    cachedData,
    importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
  });
  if (cachedData === undefined || script.cachedDataRejected) {
    fresh.push({ script, file });
    clearTimeout(timer);
    timer = setTimeout(flush, FLUSH_AFTER_MS);
    timer.unref();
  }
  return script.runInThisContext();
}

/** node's makeRequireFunction (lib/internal/modules/helpers.js, v20), without policy redirects. */
function makeRequire(mod) {
  const require = (id) => mod.require(id);
  require.resolve = (request, options) => Module._resolveFilename(request, mod, false, options);
  require.resolve.paths = (request) => Module._resolveLookupPaths(request, mod);
  require.main = process.mainModule;
  require.extensions = Module._extensions;
  require.cache = Module._cache;
  return require;
}

/** `import(` anywhere (a comment too: a false match only costs the cache for that module). */
const DYNAMIC_IMPORT = /\bimport\s*\(/;
/**
 * Files whose every `import(` is text, never a call: TypeScript's compiler (typescript 5.9.3:
 * messages, emitted code and a comment). It is 9 MB, loaded by ts-node in every policy pack
 * (`@pulumi/pulumi/cmd/run-policy-pack`), and its compile was a third of the pack's start.
 */
const IMPORT_ONLY_IN_TEXT = /[\\/]node_modules[\\/]typescript[\\/]lib[\\/]typescript\.js$/;

const nodeOwn = process.execArgv.some((a) => /^--(inspect-brk|experimental-policy)/.test(a));
// DATAENG_NO_CODE_CACHE=1: compile as node does (the benches' "without" rows).
if (!nodeOwn && !process.env.DATAENG_NO_CODE_CACHE) {
  // V8 rejects cached data made under other flags. @pulumi/pulumi turns this one on when it loads
  // (runtime/closure/v8Hooks.js), part way through a process: on from the start, every module's
  // entry is made and read under the same flags.
  v8.setFlagsFromString("--allow-natives-syntax");
  dir = cacheDir();
  const compile = Module.prototype._compile;
  Module.prototype._compile = function cachedCompile(content, filename, format) {
    // Node 20 drops a script's dynamic-import callback when V8 reads it from cached data ("A
    // dynamic import callback was not specified"): such modules compile as node compiles them.
    if (
      format === "module" ||
      (DYNAMIC_IMPORT.test(content) && !IMPORT_ONLY_IN_TEXT.test(filename))
    ) {
      return compile.call(this, content, filename, format);
    }
    let wrapper;
    try {
      wrapper = compileCached(content, filename);
    } catch {
      // A syntax error (or ES module syntax): node's own compile reports or handles it.
      return compile.call(this, content, filename, format);
    }
    const exports = this.exports;
    return wrapper.call(
      exports,
      exports,
      makeRequire(this),
      this,
      filename,
      path.dirname(filename),
    );
  };
  process.once("exit", flush);
}
