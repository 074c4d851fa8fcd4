/**
 * Proof that the red team does not depend on the programs' text: the programs' sources,
 * reformatted in memory by prettier with other settings than the repository's, stand in for
 * the files while the red team runs (`npm run redteam -- --reformat`).
 *
 * Every `.ts` file that constructs resources is reformatted (the five projects' folders and
 * lib/infra, not tests or Lambda code); it must not be loaded yet, so this runs first.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { transformSync, version as esbuildVersion } from "esbuild";
import * as prettier from "prettier";
import { PROJECTS, REPO_ROOT } from "../../lib/model/stacks";
import { cachedText } from "./textCache";

const PRETTIER_OPTIONS = { tabWidth: 4, trailingComma: "none" } as const;
// As tools/stacks/register.js compiles (tsconfig.json: class fields use define semantics).
const ESBUILD_OPTIONS = {
  loader: "ts",
  format: "cjs",
  target: "node20",
  tsconfigRaw: { compilerOptions: { useDefineForClassFields: true } },
} as const;

type Loader = (module: { _compile(code: string, file: string): void }, filename: string) => void;
const extensions = require.extensions as unknown as Record<string, Loader>;

function programFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory())
      return ["node_modules", "functions"].includes(entry.name) ? [] : programFiles(file);
    return entry.name.endsWith(".ts") && !entry.name.endsWith(".test.ts") ? [file] : [];
  });
}

export interface Reformatted {
  readonly files: number;
  /** Files whose text the reformatting changed. */
  readonly changed: number;
}

export async function useReformattedPrograms(printWidth: number): Promise<Reformatted> {
  const files = [...PROJECTS, path.join("lib", "infra")].flatMap((dir) =>
    programFiles(path.join(REPO_ROOT, dir)),
  );
  const loaded = files.filter((file) => require.cache[file]);
  if (loaded.length)
    throw new Error(`reformat before loading the programs; already loaded: ${loaded.join(", ")}`);
  const sources = new Map<string, string>();
  let changed = 0;
  for (const file of files) {
    const text = fs.readFileSync(file, "utf8");
    // prettier.format reads no configuration file: its output is a function of these.
    const options = { ...PRETTIER_OPTIONS, printWidth };
    const formatted = await cachedText(
      ["prettier", prettier.version, JSON.stringify(options), path.extname(file), text],
      () => prettier.format(text, { ...options, filepath: file }),
    );
    if (formatted !== text) changed++;
    sources.set(file, formatted);
  }
  const original = extensions[".ts"];
  if (!original) throw new Error("run the red team with node --require ./tools/stacks/register.js");
  // Transpiled now, while the hook below must stay synchronous (no source map: the output
  // does not depend on the file's name).
  const compiled = new Map<string, string>();
  for (const [file, text] of sources) {
    compiled.set(
      file,
      await cachedText(
        ["esbuild", esbuildVersion, JSON.stringify(ESBUILD_OPTIONS), text],
        () => transformSync(text, { ...ESBUILD_OPTIONS, sourcefile: file }).code,
      ),
    );
  }
  extensions[".ts"] = (module, filename) => {
    const code = compiled.get(filename);
    if (code === undefined) return original(module, filename);
    module._compile(code, filename);
  };
  return { files: files.length, changed };
}
