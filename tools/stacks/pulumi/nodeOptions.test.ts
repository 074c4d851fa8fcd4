import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CODE_CACHE, withCodeCache } from "./nodeOptions";

describe("withCodeCache", () => {
  it("requires the repository's code cache, keeping what the caller gave, once", () => {
    expect(CODE_CACHE).toBe(path.join(__dirname, "..", "codeCache.js"));
    expect(fs.existsSync(CODE_CACHE)).toBe(true);
    expect(withCodeCache(undefined, "/r/codeCache.js")).toBe('--require "/r/codeCache.js"');
    expect(withCodeCache("  ", "/r/codeCache.js")).toBe('--require "/r/codeCache.js"');
    const given = "--require /x/trace.js --max-old-space-size=4096";
    const once = withCodeCache(given, "/r/codeCache.js");
    expect(once).toBe(`--require "/r/codeCache.js" ${given}`);
    // a nested call (a process started with these options starting pulumi again) adds nothing
    expect(withCodeCache(once, "/r/codeCache.js")).toBe(once);
  });

  it("quotes a path as node reads NODE_OPTIONS: spaces, quotes and backslashes", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'node options "x\\y" '));
    try {
      const file = path.join(dir, "loaded.js");
      fs.writeFileSync(file, "process.stdout.write('loaded:' + __filename);\n");
      const r = spawnSync(process.execPath, ["-e", "0"], {
        env: { ...process.env, NODE_OPTIONS: withCodeCache("--no-warnings", file) },
        encoding: "utf8",
      });
      expect(r.stderr).toBe("");
      expect(r.stdout).toBe(`loaded:${file}`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
