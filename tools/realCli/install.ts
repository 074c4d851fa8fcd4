/**
 * `npm run real-cli -- install`: puts the real Pulumi CLI (built from source with Go) and the
 * Node.js language host stand-in into one folder per CLI version, once per machine, and prints
 * that folder as the last line. `REAL_PULUMI_DIR` names a folder to use instead (checked, never
 * built into).
 *
 * The CLI is the Go package github.com/pulumi/pulumi/pkg/v3/cmd/pulumi at the version of
 * tools/realCli/go/go.mod, built from that wrapper module because pkg/go.mod's replace
 * directives make `go install …@version` refuse it; the version is stamped the way the
 * release build does (-X …/sdk/v3/go/common/version.Version).
 */
import { spawnSync } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");
export const GO_MODULE_DIR = path.join(__dirname, "go");
const CLI_PACKAGE = "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi";
const VERSION_VAR = "github.com/pulumi/pulumi/sdk/v3/go/common/version.Version";

/** The CLI version the wrapper module requires (`require github.com/pulumi/pulumi/pkg/v3 vX`). */
export function cliVersion(
  goMod = fs.readFileSync(path.join(GO_MODULE_DIR, "go.mod"), "utf8"),
): string {
  const m = /^require github\.com\/pulumi\/pulumi\/pkg\/v3 (v\d+\.\d+\.\d+)\s*$/m.exec(goMod);
  if (!m)
    throw new Error(
      "tools/realCli/go/go.mod: no `require github.com/pulumi/pulumi/pkg/v3 v<x.y.z>` line",
    );
  return m[1];
}

/** The CLI must match the SDK the programs run with (@pulumi/pulumi's installed version). */
export function checkSdkMatches(version: string, sdkVersion: string): void {
  if (version !== `v${sdkVersion}`) {
    throw new Error(
      `tools/realCli/go/go.mod builds the CLI ${version} but node_modules has @pulumi/pulumi ${sdkVersion}: ` +
        `set both to the same version (then run \`go mod tidy\` in tools/realCli/go)`,
    );
  }
}

export function cacheDir(env: NodeJS.ProcessEnv, version: string): string {
  const base = env.XDG_CACHE_HOME?.trim() || path.join(os.homedir(), ".cache");
  return path.join(base, "dataeng-pulumi", version);
}

export const BINARIES = ["pulumi", "pulumi-language-nodejs"] as const;

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** REAL_PULUMI_DIR, checked: it must hold both executables. */
export function givenDir(dir: string): string {
  const abs = path.resolve(dir);
  const missing = BINARIES.filter((b) => !isExecutable(path.join(abs, b)));
  if (missing.length > 0) {
    throw new Error(
      `REAL_PULUMI_DIR=${dir} has no executable ${missing.join(" nor ")}: point it at a folder holding ` +
        `${BINARIES.join(" and ")}, or unset it to build them with \`npm run real-cli -- install\``,
    );
  }
  return abs;
}

/** The version a `pulumi` binary reports, or undefined when it does not run. */
function reportedVersion(bin: string): string | undefined {
  const r = spawnSync(bin, ["version"], {
    encoding: "utf8",
    env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" },
  });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

/** One line that says what is missing and how to fix it, from a failed `go` run. */
export function goFailure(stderr: string, goproxy: string): string {
  const lines = stderr
    .split("\n")
    .map((l) => l.trim())
    .filter(Boolean);
  const proxyLine = lines.find((l) =>
    /proxy|reading https?:|dial tcp|no such host|connection refused|403|404|410|i\/o timeout/i.test(
      l,
    ),
  );
  if (proxyLine) {
    return (
      `the Go module proxy (GOPROXY=${goproxy}) did not serve the CLI's modules (${proxyLine}); ` +
      `check GOPROXY and network access, or set REAL_PULUMI_DIR to a folder with pulumi and pulumi-language-nodejs`
    );
  }
  return `go build of ${CLI_PACKAGE} failed: ${lines.slice(-1)[0] ?? "no output"}`;
}

function goEnv(name: string): string {
  const r = spawnSync("go", ["env", name], { encoding: "utf8" });
  return r.status === 0 ? r.stdout.trim() : "";
}

function buildCli(dir: string, version: string, log: (line: string) => void): void {
  const probe = spawnSync("go", ["env", "GOVERSION"], { encoding: "utf8" });
  if (probe.error || probe.status !== 0) {
    throw new Error(
      "go is not on PATH: install Go 1.25.11 or newer (https://go.dev/doc/install), " +
        "or set REAL_PULUMI_DIR to a folder with pulumi and pulumi-language-nodejs",
    );
  }
  const started = Date.now();
  log(
    `building the Pulumi CLI ${version} with ${probe.stdout.trim()} (first time only: several minutes)`,
  );
  const tmp = path.join(dir, `pulumi.${process.pid}.tmp`);
  const r = spawnSync(
    "go",
    ["build", "-o", tmp, "-ldflags", `-X ${VERSION_VAR}=${version}`, CLI_PACKAGE],
    { cwd: GO_MODULE_DIR, encoding: "utf8", env: { ...process.env, GOFLAGS: "-mod=readonly" } },
  );
  fs.writeFileSync(path.join(dir, "build.log"), `${r.stdout ?? ""}${r.stderr ?? ""}`);
  if (r.status !== 0) {
    fs.rmSync(tmp, { force: true });
    throw new Error(goFailure(r.stderr ?? String(r.error), goEnv("GOPROXY")));
  }
  fs.renameSync(tmp, path.join(dir, "pulumi"));
  log(`built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

/**
 * Bundles the language host stand-in into one executable file (esbuild, node20), so the folder
 * works from any checkout. Rewritten only when its bytes change.
 */
export function bundleLanguageHost(dir: string): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const esbuild = require("esbuild") as typeof import("esbuild");
  const out = esbuild.buildSync({
    entryPoints: [path.join(__dirname, "languageHost.ts")],
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    write: false,
    banner: { js: "#!/usr/bin/env node" },
    logLevel: "silent",
  });
  const code = out.outputFiles[0].contents;
  const target = path.join(dir, "pulumi-language-nodejs");
  const same =
    fs.existsSync(target) &&
    crypto.createHash("sha256").update(fs.readFileSync(target)).digest("hex") ===
      crypto.createHash("sha256").update(code).digest("hex");
  if (!same) {
    const tmp = `${target}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, code, { mode: 0o755 });
    fs.renameSync(tmp, target);
  }
  return target;
}

/** Installs (or checks) and returns the folder holding pulumi and pulumi-language-nodejs. */
export function install(
  env: NodeJS.ProcessEnv,
  log: (line: string) => void = () => undefined,
): string {
  if (env.REAL_PULUMI_DIR?.trim()) return givenDir(env.REAL_PULUMI_DIR.trim());
  const version = cliVersion();
  const sdk = JSON.parse(
    fs.readFileSync(
      path.join(REPO_ROOT, "node_modules", "@pulumi", "pulumi", "package.json"),
      "utf8",
    ),
  ) as { version: string };
  checkSdkMatches(version, sdk.version);
  const dir = cacheDir(env, version);
  fs.mkdirSync(dir, { recursive: true });
  const cli = path.join(dir, "pulumi");
  if (reportedVersion(cli) === version) log(`${cli} ${version} already built`);
  else buildCli(dir, version, log);
  bundleLanguageHost(dir);
  return dir;
}

if (require.main === module) {
  const [command, ...rest] = process.argv.slice(2);
  if (command !== "install" || rest.length > 0) {
    process.stderr.write("usage: npm run real-cli -- install\n");
    process.exit(2);
  }
  try {
    const dir = install(process.env, (line) => process.stdout.write(`${line}\n`));
    process.stdout.write(`${dir}\n`);
  } catch (e) {
    process.stderr.write(`error: ${(e as Error).message}\n`);
    process.exit(1);
  }
}
