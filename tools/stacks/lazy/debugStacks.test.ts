import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { transformSync } from "esbuild";
import { REPO_ROOT } from "../../../lib/model/stacks";

const REGISTER = path.join(REPO_ROOT, "tools", "stacks", "register.js");
const DEBUGGABLE = require.resolve("@pulumi/pulumi/runtime/debuggable.js");

/**
 * A program as `pulumi` runs it: source-map-support first (sdk/nodejs/cmd/run/index.ts,
 * v3.248.0), then code with a source map that makes tracked promises ten frames deep, so that
 * every frame of their trace is the fixture's own and two runs' traces can be compared whole.
 */
function fixture(withSourceMapSupport: boolean): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "debug-stacks-"));
  const ts = [
    `const { debuggablePromise } = require(${JSON.stringify(DEBUGGABLE)});`,
    "export function deep(n: number, p: Promise<number>): Promise<number> {",
    '  return n === 0 ? debuggablePromise(p, "ctx") : deep(n - 1, p);',
    "}",
    "export function fail(): Error {",
    '  return new Error("boom");',
    "}",
  ].join("\n");
  const js = transformSync(ts, {
    loader: "ts",
    format: "cjs",
    sourcemap: "inline",
    sourcefile: "deep.ts",
  });
  // Each fixture's own text: the code cache serves an entry by text, and V8 then names the
  // script after the file the entry was made from (tools/stacks/codeCache.js).
  const own = `// ${dir}`;
  fs.writeFileSync(path.join(dir, "deep.js"), js.code + own);
  fs.writeFileSync(
    path.join(dir, "main.js"),
    [
      own,
      withSourceMapSupport ? 'require("source-map-support/register");' : "",
      `const { promiseDebugString } = require(${JSON.stringify(DEBUGGABLE)});`,
      'const { deep, fail } = require("./deep.js");',
      // debuggablePromise marks the promise it is given (and returns another).
      "const p = Promise.resolve(1);",
      "deep(12, p);",
      "const stored = typeof p._debugStackTrace;",
      "process.stdout.write(JSON.stringify({",
      "  stored, leak: promiseDebugString(p), error: fail().stack.split('\\n').slice(0, 2),",
      "  prepare: Error.prepareStackTrace.name,",
      "}));",
    ].join("\n"),
  );
  return dir;
}

function run(dir: string, nodeArgs: string[]) {
  const r = spawnSync(process.execPath, [...nodeArgs, path.join(dir, "main.js")], {
    // Without the code cache, which may name the SDK's files after another checkout's copy
    // (tools/stacks/codeCache.js): both runs then name the same files.
    env: {
      ...process.env,
      NODE_PATH: path.join(REPO_ROOT, "node_modules"),
      DATAENG_NO_CODE_CACHE: "1",
    },
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`exit ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as {
    stored: string;
    leak: string;
    error: string[];
    prepare: string;
  };
}

type Result = ReturnType<typeof run>;

describe("the SDK's promise traces under source-map-support", () => {
  // One program, run with register.js (deferred) and without (node's eager formatting).
  let dir: string;
  let deferred: Result;
  let eager: Result;
  beforeAll(() => {
    dir = fixture(true);
    deferred = run(dir, ["--require", REGISTER]);
    eager = run(dir, []);
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("are formatted when read, into the text node formats at once without register.js", () => {
    expect(eager.stored).toBe("string");
    expect(deferred.stored).toBe("object");
    expect(deferred.leak).toBe(eager.leak);
    const lines = deferred.leak.split("\n");
    expect(lines.slice(0, 4)).toEqual([
      "CONTEXT(0): ctx",
      "STACK_TRACE:",
      "Error: ",
      // source-map-support maps the SDK's own frame to its TypeScript source too.
      expect.stringMatching(/^ {4}at debuggablePromise \(.*\/runtime\/debuggable\.ts:\d+:\d+\)$/),
    ]);
    // Mapped through deep.js's source map, as source-map-support maps it.
    expect(lines.slice(4)).toHaveLength(9);
    for (const frame of lines.slice(4)) expect(frame).toMatch(/at deep \(.*deep\.ts:3:\d+\)$/);
  });

  it("leave every other stack to source-map-support, formatted at once", () => {
    expect(deferred.error).toEqual(eager.error);
    expect(deferred.error).toEqual(["Error: boom", expect.stringMatching(/deep\.ts:6:\d+\)$/)]);
    expect(deferred.prepare).toBe("prepareStackTrace");
  });
});

describe("without source-map-support (the offline plan, the tools)", () => {
  it("nothing changes", () => {
    const dir = fixture(false);
    try {
      const r = run(dir, ["--require", REGISTER]);
      const plain = run(dir, []);
      // Node 20.20's own formatter, as without register.js.
      expect(r.prepare).toBe("ErrorPrepareStackTrace");
      expect(plain.prepare).toBe("ErrorPrepareStackTrace");
      expect(r.stored).toBe("string");
      expect(r.leak).toBe(plain.leak);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
