import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

type BundleModule = typeof import("./bundle");

let sdk: unknown;

/** A fresh copy of lib/infra/bundle.ts, as a new process would load it (no in-memory bundles). */
function freshBundler(): BundleModule {
  let loaded: BundleModule | undefined;
  jest.isolateModules(() => {
    // Only bundle.ts's own state must be new; the SDK it imports holds none of it, and loading
    // a fresh @pulumi/pulumi took a second or more each time.
    jest.doMock("@pulumi/pulumi", () => (sdk ??= jest.requireActual("@pulumi/pulumi")));
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

  const cacheDir = path.join(os.tmpdir(), `dataeng-lambda-bundles-${process.getuid?.() ?? "user"}`);
  /** The cache files of this test's entries: written since it started and naming its folder. */
  let started: number;
  beforeEach(() => (started = Date.now() - 1000));
  const ownCacheFiles = () =>
    fs
      .readdirSync(cacheDir)
      .map((f) => path.join(cacheDir, f))
      // The folder is shared with every checkout's bundles: read only the fresh files.
      .filter(
        (f) =>
          f.endsWith(".json") &&
          (fs.statSync(f, { throwIfNoEntry: false })?.mtimeMs ?? 0) >= started,
      )
      .filter((f) => fs.readFileSync(f, "utf8").includes(path.basename(dir)));
  // Each test's folder is new, so its cache entries would never be read again.
  afterEach(() => {
    if (fs.existsSync(cacheDir)) for (const f of ownCacheFiles()) fs.rmSync(f, { force: true });
  });

  it("bundles the entry and its imports into one CommonJS file exporting handler", () => {
    const code = freshBundler().bundleSource(path.join(dir, "index.ts"));
    const module = { exports: {} as { handler?: () => string } };
    new Function("module", "exports", "require", code)(module, module.exports, require);
    expect(module.exports.handler?.()).toBe("first");
  });

  it("reuses the cached bundle while its inputs are unchanged, and rebuilds when one changes", () => {
    const entry = path.join(dir, "index.ts");
    const first = freshBundler().bundleSource(entry);
    const cached = ownCacheFiles().find((f) =>
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

describe("the bundle cache's file names", () => {
  /** bundle.ts as loaded from a checkout at `root`. */
  function bundlerIn(root: string): BundleModule {
    let loaded: BundleModule | undefined;
    jest.isolateModules(() => {
      jest.doMock("@pulumi/pulumi", () => (sdk ??= jest.requireActual("@pulumi/pulumi")));
      jest.doMock("../model/stacks", () => ({
        ...jest.requireActual("../model/stacks"),
        REPO_ROOT: root,
      }));
      loaded = jest.requireActual<BundleModule>("./bundle");
    });
    return loaded!;
  }

  it("are the same for an entry in two checkouts, so copies share one file per Lambda", () => {
    const here = bundlerIn("/work/checkout");
    const copy = bundlerIn("/tmp/scratch-copy");
    const entry = path.join("lambda", "validation", "index.ts");
    expect(copy.cacheFile(path.join("/tmp/scratch-copy", entry))).toBe(
      here.cacheFile(path.join("/work/checkout", entry)),
    );
  });

  it("differ between entries", () => {
    const here = bundlerIn("/work/checkout");
    expect(here.cacheFile("/work/checkout/lambda/a/index.ts")).not.toBe(
      here.cacheFile("/work/checkout/lambda/b/index.ts"),
    );
  });
});
