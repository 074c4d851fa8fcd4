/**
 * The SDK gives every promise it tracks a stack trace (`_debugStackTrace: new Error().stack` in
 * `debuggablePromise`, runtime/debuggable.js, @pulumi/pulumi v3.248.0), which it reads only to
 * print a promise still pending when the program exits (`promiseDebugString`, as a template
 * literal). In a program that `pulumi` runs, `cmd/run` has installed source-map-support first
 * (sdk/nodejs/cmd/run/index.ts), whose formatter maps and copies every frame of every trace:
 * several traces per resource, half the CPU of glue_database's program at 755 tables (11 of 22 s).
 * Once source-map-support is installed, those traces are formatted when read instead: the same
 * formatter on the same frames gives the same text. Every other stack is formatted at once, as
 * before. Loaded by tools/stacks/register.js. README: "Where a preview's time goes".
 */
"use strict";
const Module = require("node:module");
const path = require("node:path");

// By the end of the path: V8 names a script compiled from the code cache after the file the
// entry was made from, which may be another checkout's copy of the SDK (codeCache.js).
const DEBUGGABLE = path.join(path.sep, "@pulumi", "pulumi", "runtime", "debuggable.js");

/** A stack trace formatted on first read (String(), a template literal, `+`). */
class DeferredStack {
  #format;
  #text;
  constructor(format) {
    this.#format = format;
  }
  toString() {
    if (this.#format) {
      this.#text = this.#format();
      this.#format = undefined;
    }
    return this.#text;
  }
  [Symbol.toPrimitive]() {
    return this.toString();
  }
}

/** `format` (an Error.prepareStackTrace), deferring the SDK's promise traces only. */
function deferDebugStacks(format) {
  return function prepareStackTrace(error, frames) {
    const top = frames[0];
    if (
      top &&
      top.getFunctionName() === "debuggablePromise" &&
      top.getFileName()?.endsWith(DEBUGGABLE)
    ) {
      return new DeferredStack(() => format(error, frames));
    }
    return format(error, frames);
  };
}

// source-map-support sets Error.prepareStackTrace once, when `source-map-support/register` loads
// (install(), source-map-support 0.5.21); the wrapper goes on top of it right after.
let installed = false;
const load = Module._load;
Module._load = function (request) {
  const exports = load.apply(this, arguments);
  if (
    !installed &&
    request === "source-map-support/register" &&
    typeof Error.prepareStackTrace === "function"
  ) {
    installed = true;
    Error.prepareStackTrace = deferDebugStacks(Error.prepareStackTrace);
  }
  return exports;
};

// Out of require.cache, as preload.js: a process lists only the modules it loaded itself there.
delete require.cache[__filename];
