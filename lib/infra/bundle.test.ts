import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

type BundleModule = typeof import("./bundle");

/** A fresh copy of lib/infra/bundle.ts, as a new process would load it (no in-memory bundles). */
function freshBundler(): BundleModule {
  let loaded: BundleModule | undefined;
  jest.isolateModules(() => {
    loaded = jest.requireActual<BundleModule>("./bundle");
  });
  return loaded!;
}

describe("bundling a Lambda entry", () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "bundle-test-"));
    fs.writeFileSync(
      path.join(dir, "index.ts"),
      'import { word } from "./word";\nexport const handler = () => word;\n',
    );
    fs.writeFileSync(path.join(dir, "word.ts"), 'export const word = "first";\n');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const cacheFiles = () => {
    const cacheDir = path.join(
      os.tmpdir(),
      `dataeng-lambda-bundles-${process.getuid?.() ?? "user"}`,
    );
    return fs.readdirSync(cacheDir).map((f) => path.join(cacheDir, f));
  };

  it("bundles the entry and its imports into one CommonJS file exporting handler", () => {
    const code = freshBundler().bundleSource(path.join(dir, "index.ts"));
    const module = { exports: {} as { handler?: () => string } };
    new Function("module", "exports", "require", code)(module, module.exports, require);
    expect(module.exports.handler?.()).toBe("first");
  });

  it("reuses the cached bundle while its inputs are unchanged, and rebuilds when one changes", () => {
    const entry = path.join(dir, "index.ts");
    const first = freshBundler().bundleSource(entry);
    const cached = cacheFiles().find((f) =>
      JSON.parse(fs.readFileSync(f, "utf8")).inputs.some((i: string) =>
        i.endsWith(`${path.basename(dir)}/word.ts`),
      ),
    )!;
    const writtenAt = fs.statSync(cached).mtimeMs;

    expect(freshBundler().bundleSource(entry)).toBe(first);
    expect(fs.statSync(cached).mtimeMs).toBe(writtenAt);

    fs.writeFileSync(path.join(dir, "word.ts"), 'export const word = "second";\n');
    const rebuilt = freshBundler().bundleSource(entry);
    expect(rebuilt).toContain('"second"');
    expect(rebuilt).not.toContain('"first"');
  });

  it("names the entry when it cannot be bundled", () => {
    fs.writeFileSync(
      path.join(dir, "index.ts"),
      'import { nothing } from "./missing";\nexport const handler = nothing;\n',
    );
    expect(() => freshBundler().bundleSource(path.join(dir, "index.ts"))).toThrow(
      /^Could not bundle the Lambda entry .*index\.ts: Build failed with 1 error:\n.*Could not resolve "\.\/missing"/s,
    );
  });
});
