import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { REPO_ROOT } from "../../lib/model/stacks";

const REGISTER = path.join(REPO_ROOT, "tools", "stacks", "register.js");

/** A main module (with a shebang) that requires a .js and a .ts module and reports what it saw. */
function fixture(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "code-cache-fixture-"));
  fs.writeFileSync(
    path.join(dir, "main.js"),
    [
      "#!/usr/bin/env node",
      "const lib = require('./lib.js');",
      "const typed = require('./typed.ts');",
      "let line;",
      "try { lib.fail(); } catch (e) { line = e.stack.split('\\n')[1].replace(__dirname, '<dir>'); }",
      "process.stdout.write(JSON.stringify({",
      "  sum: lib.add(2, 3), greeting: typed.greet('cache'), line,",
      "  isMain: require.main === module, resolved: rel(require.resolve('./lib.js')),",
      "  lookup: require.resolve.paths('x')[0] === require('node:path').join(__dirname, 'node_modules'),",
      "  names: [rel(__filename), rel(lib.file), lib.dir === __dirname],",
      "  cached: require.cache[require.resolve('./lib.js')].exports === lib,",
      "}));",
      "function rel(p) { return require('node:path').relative(__dirname, p); }",
      "if (process.env.STAY) setInterval(() => undefined, 1000);",
    ].join("\n"),
  );
  fs.writeFileSync(
    path.join(dir, "lib.js"),
    [
      "exports.add = (a, b) => a + b;",
      "exports.file = __filename;",
      "exports.dir = __dirname;",
      "exports.fail = function fail() {",
      "  throw new Error('boom');",
      "};",
    ].join("\n"),
  );
  fs.writeFileSync(
    path.join(dir, "typed.ts"),
    "export const greet = (name: string): string => `hello ${name}`;\n",
  );
  return dir;
}

const EXPECTED = {
  sum: 5,
  greeting: "hello cache",
  line: "    at Object.fail (<dir>/lib.js:5:9)",
  isMain: true,
  resolved: "lib.js",
  lookup: true,
  names: ["main.js", "lib.js", true],
  cached: true,
};

let tmp: string;
let app: string;
beforeEach(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "code-cache-tmp-"));
  app = fixture();
});
afterEach(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
  fs.rmSync(app, { recursive: true, force: true });
});

function run(env: NodeJS.ProcessEnv = {}, { dir = app, nodeArgs = [] as string[] } = {}) {
  const r = spawnSync(
    process.execPath,
    [...nodeArgs, "--require", REGISTER, path.join(dir, "main.js")],
    {
      env: { ...process.env, TMPDIR: tmp, ...env },
      encoding: "utf8",
    },
  );
  if (r.status !== 0) throw new Error(`exit ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as unknown;
}

const cacheRoot = () => path.join(tmp, `dataeng-v8-cache-${process.getuid!()}`);
/** The one folder of entries the runs wrote (named after V8's version and flags). */
function cacheDir(): string {
  const folders = fs.existsSync(cacheRoot()) ? fs.readdirSync(cacheRoot()) : [];
  expect(folders.length).toBeLessThanOrEqual(1);
  return path.join(cacheRoot(), folders[0] ?? "none");
}

/** The cache's entries (name → bytes), for the V8 version running these tests. */
function entries(): Map<string, Buffer> {
  if (!fs.existsSync(cacheDir())) return new Map();
  const names = fs.readdirSync(cacheDir()).filter((f) => f.endsWith(".bin"));
  return new Map(names.map((f) => [f, fs.readFileSync(path.join(cacheDir(), f))]));
}

/**
 * register.js's transpile cache as a first run without the code cache leaves it: it holds
 * typed.ts, so esbuild (which register.js loads only to transpile) is not among the modules of
 * the runs that follow. Made by one such run before the tests, and copied into each test's temp
 * folder (its entries are keyed by the file's name and text, not its folder).
 */
let transpiled: string;
beforeAll(() => {
  transpiled = fs.mkdtempSync(path.join(os.tmpdir(), "code-cache-transpiled-"));
  const dir = fixture();
  try {
    expect(run({ DATAENG_NO_CODE_CACHE: "1", TMPDIR: transpiled }, { dir })).toEqual(EXPECTED);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  // register.js's transpile folder only: no code cache was written.
  expect(fs.readdirSync(transpiled)).toEqual([expect.stringMatching(/^dataeng-stacks-ts-/)]);
});
afterAll(() => fs.rmSync(transpiled, { recursive: true, force: true }));
const warm = () => fs.cpSync(transpiled, tmp, { recursive: true });

describe("the V8 code cache", () => {
  it("runs modules exactly as node does, and the first run writes one entry per module", () => {
    warm();
    expect(fs.existsSync(cacheDir())).toBe(false);
    expect(run()).toEqual(EXPECTED);
    // main.js, lib.js, typed.ts (as transpiled): register.js itself loads before the cache.
    expect(entries().size).toBe(3);
    expect(fs.readdirSync(cacheDir()).filter((f) => !f.endsWith(".bin"))).toEqual([]);
  });

  it("reads the entries on the next run and leaves them as they are", () => {
    warm();
    run();
    const first = entries();
    expect(run()).toEqual(EXPECTED);
    expect(entries()).toEqual(first);
  });

  it("rewrites an entry V8 refuses (here: garbage) and still runs", () => {
    warm();
    run();
    for (const f of entries().keys())
      fs.writeFileSync(path.join(cacheDir(), f), "not a code cache");
    expect(run()).toEqual(EXPECTED);
    const after = entries();
    expect(after.size).toBe(3);
    for (const bytes of after.values()) expect(bytes.toString()).not.toBe("not a code cache");
  });

  it("leaves a module with a dynamic import() to node, which a cached copy would break", () => {
    // Node 20 loses a script's dynamic-import callback when V8 reads it from cached data:
    // "A dynamic import callback was not specified" on the second run (prettier's index.cjs).
    fs.writeFileSync(
      path.join(app, "dynamic.js"),
      "module.exports = () => import('node:path').then((m) => typeof m.join);\n",
    );
    fs.writeFileSync(
      path.join(app, "main.js"),
      "require('./dynamic.js')().then((t) => process.stdout.write(JSON.stringify(t)));\n",
    );
    run();
    expect(run()).toBe("function");
    expect(entries().size).toBe(1); // main.js only
  });

  it("caches TypeScript's compiler, whose every import( is text", () => {
    // typescript.js (9 MB, loaded by every policy pack's ts-node) holds `import("` in messages
    // and in the code it emits, never as a call; another module with the same text is not cached.
    const lib = path.join(app, "node_modules", "typescript", "lib");
    fs.mkdirSync(lib, { recursive: true });
    const text = 'exports.emit = (m) => `import("${m}")`;\n';
    fs.writeFileSync(path.join(lib, "typescript.js"), text);
    fs.writeFileSync(
      path.join(app, "node_modules", "typescript", "package.json"),
      JSON.stringify({ main: "lib/typescript.js" }),
    );
    fs.writeFileSync(path.join(app, "typescript.js"), text);
    fs.writeFileSync(
      path.join(app, "main.js"),
      [
        "const ts = require('typescript');",
        "const other = require('./typescript.js');",
        "process.stdout.write(JSON.stringify([ts.emit('a'), other.emit('b')]));",
      ].join("\n"),
    );
    expect(run()).toEqual(['import("a")', 'import("b")']);
    expect(run()).toEqual(['import("a")', 'import("b")']);
    expect(entries().size).toBe(2); // main.js and node_modules/typescript/lib/typescript.js
  });

  it("keeps the entries of processes started with other V8 flags apart", () => {
    // V8 refuses data made under other flags: sharing one folder, each kind of process
    // rewrote the other's entries on every run.
    warm();
    run();
    const [plain] = fs.readdirSync(cacheRoot());
    const first = entries();
    expect(run({}, { nodeArgs: ["--expose-gc"] })).toEqual(EXPECTED);
    const folders = fs.readdirSync(cacheRoot());
    expect(folders).toHaveLength(2);
    const other = path.join(
      cacheRoot(),
      folders.find((f) => f !== plain)!,
    );
    expect(fs.readdirSync(other).filter((f) => f.endsWith(".bin"))).toHaveLength(3);
    run();
    const again = fs.readdirSync(path.join(cacheRoot(), plain)).filter((f) => f.endsWith(".bin"));
    expect(
      new Map(again.map((f) => [f, fs.readFileSync(path.join(cacheRoot(), plain, f))])),
    ).toEqual(first);
  });

  it("removes the folder of the layout before it (one per V8 version) when it starts its own", () => {
    const legacy = path.join(cacheRoot(), process.versions.v8);
    fs.mkdirSync(legacy, { recursive: true });
    fs.writeFileSync(path.join(legacy, "old.bin"), "an entry of the old layout");
    expect(run({ DATAENG_NO_CODE_CACHE: "1" })).toEqual(EXPECTED);
    expect(fs.existsSync(legacy)).toBe(true); // no entry written, nothing removed
    expect(run()).toEqual(EXPECTED);
    expect(fs.readdirSync(cacheRoot())).toEqual([path.basename(cacheDir())]);
    expect(entries().size).toBe(3);
  });

  it("runs without a cache when the temp folder cannot hold one", () => {
    fs.writeFileSync(path.join(tmp, "file"), "");
    expect(run({ TMPDIR: path.join(tmp, "file") })).toEqual(EXPECTED);
  });

  it("writes the entries of a process that never exits by itself (a plugin the engine kills)", async () => {
    warm();
    const child = spawn(process.execPath, ["--require", REGISTER, path.join(app, "main.js")], {
      env: { ...process.env, TMPDIR: tmp, STAY: "1" },
      stdio: "ignore",
    });
    try {
      for (let i = 0; i < 100 && entries().size < 3; i++) {
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(entries().size).toBe(3);
    } finally {
      child.kill("SIGKILL");
    }
  });
});
