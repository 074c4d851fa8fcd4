/**
 * Bundles a Lambda's TypeScript entry with esbuild while the Pulumi program runs, so a fresh
 * clone deploys without a separate build step and nothing built is committed. The output is
 * deterministic (paths relative to the repository), so an unchanged function shows no diff.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { buildSync, version as esbuildVersion, type BuildOptions } from "esbuild";
import { REPO_ROOT } from "../model/stacks";
import { contentAsset } from "./contentAsset";

/** The Node.js major version the bundles target; the Lambda runtime must match. */
export const LAMBDA_NODE_TARGET = "node22";

const OPTIONS: BuildOptions = {
  absWorkingDir: REPO_ROOT,
  bundle: true,
  platform: "node",
  target: LAMBDA_NODE_TARGET,
  format: "cjs",
  write: false,
  metafile: true,
  legalComments: "none",
  logLevel: "silent",
  // Paths in the bundle as the checkout sees them, so that a checkout whose node_modules is a
  // symlink (stacks diff's base revision) bundles the same bytes as the working tree.
  preserveSymlinks: true,
};

/**
 * Bundles outlive the process in the OS temp folder: each remembers the files it was built
 * from and is reused only while every one of them is byte for byte the same (a new import can
 * only appear by changing a file already listed). The plan and the tests then skip a second
 * of bundling the AWS SDK each time.
 */
const CACHE_DIR = path.join(os.tmpdir(), `dataeng-lambda-bundles-${process.getuid?.() ?? "user"}`);

interface CachedBundle {
  readonly inputs: string[];
  readonly digest: string;
  readonly code: string;
}

const bundles = new Map<string, string>();

/** The bundled JavaScript of `entry`, built once per process (and cached on disk). */
export function bundleSource(entry: string): string {
  const file = path.resolve(REPO_ROOT, entry);
  let code = bundles.get(file);
  if (code === undefined) {
    code = readCache(file) ?? build(file);
    bundles.set(file, code);
  }
  return code;
}

function build(file: string): string {
  try {
    const result = buildSync({ ...OPTIONS, entryPoints: [file] });
    const code = result.outputFiles![0].text;
    writeCache(file, Object.keys(result.metafile!.inputs).sort(), code);
    return code;
  } catch (e) {
    throw new Error(
      `Could not bundle the Lambda entry ${path.relative(REPO_ROOT, file)}: ${(e as Error).message}\n` +
        `Fix the function's source (npm run typecheck shows the details).`,
    );
  }
}

/**
 * One cache file per entry, named by its path inside the checkout, not on disk: every checkout
 * (scratch copies, `stacks diff`'s base revision) shares it, so the folder holds one file per
 * Lambda instead of growing by a bundle per copy (it had reached 1.7 GB). A copy whose inputs
 * differ rebuilds and replaces it: the inputs' digest decides, never the name.
 */
export function cacheFile(file: string): string {
  const { absWorkingDir: _checkout, ...options } = OPTIONS;
  const key = createHash("sha256")
    .update(`${esbuildVersion}\0${JSON.stringify(options)}\0${path.relative(REPO_ROOT, file)}`)
    .digest("hex");
  return path.join(CACHE_DIR, `${key}.json`);
}

/** A digest of the inputs' names and contents; undefined when one no longer exists. */
function digestOf(inputs: readonly string[]): string | undefined {
  const hash = createHash("sha256");
  for (const input of inputs) {
    let content: Buffer;
    try {
      content = fs.readFileSync(path.resolve(REPO_ROOT, input));
    } catch {
      return undefined;
    }
    hash.update(input).update("\0").update(content).update("\0");
  }
  return hash.digest("hex");
}

function readCache(file: string): string | undefined {
  try {
    const cached = JSON.parse(fs.readFileSync(cacheFile(file), "utf8")) as CachedBundle;
    return digestOf(cached.inputs) === cached.digest ? cached.code : undefined;
  } catch {
    return undefined; // not cached yet, or unreadable: build
  }
}

function writeCache(file: string, inputs: string[], code: string): void {
  const digest = digestOf(inputs);
  if (digest === undefined) return;
  try {
    fs.mkdirSync(CACHE_DIR, { recursive: true });
    const target = cacheFile(file);
    const tmp = `${target}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify({ inputs, digest, code } satisfies CachedBundle));
    fs.renameSync(tmp, target);
  } catch {
    // a read-only temp folder only costs speed
  }
}

/**
 * The function code as a zip archive holding index.js (handler `index.handler`). The bundle is
 * a content-addressed file, so the state keeps its path and hash, not its 2.5 MB of text.
 */
export function lambdaCode(entry: string): pulumi.asset.AssetArchive {
  return new pulumi.asset.AssetArchive({
    "index.js": contentAsset(bundleSource(entry), ".js"),
  });
}
