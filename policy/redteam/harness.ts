/**
 * The red-team harness: plans a copy of a real program with a few lines changed, through the
 * same offline pipeline as `npm run plan` (lib/plan/evaluate.ts under the planner's mocks, then
 * policy/runner.ts with the real policy-config.json), and says which policies blocked it.
 *
 * The copy lives in memory: while a case runs, the `.ts` loader that tools/stacks/register.js
 * installs compiles the edited text in place of the file, and every repository module is
 * reloaded, so the program sees the edit exactly as if it had been written in the file.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { transformSync } from "esbuild";
import { evaluateAll, evaluateStack, forgetPrograms } from "../../lib/plan/evaluate";
import { type Environment, type Project, REPO_ROOT } from "../../lib/model/stacks";
import { type LoadedPolicyConfig, type PolicyViolation, runPolicies } from "../runner";

export interface Edit {
  /** Repository-relative path of the file to change. */
  readonly file: string;
  /** Text that must occur exactly once in the file. */
  readonly find: string;
  readonly replace: string;
}

export interface RedTeamCase {
  /** Short kebab-case id, unique. */
  readonly id: string;
  /** What the mistake is, in one line. */
  readonly mistake: string;
  readonly project: Project;
  /** Default prod. */
  readonly env?: Environment;
  readonly edits: readonly Edit[];
  /** The policy expected to block it (a mandatory violation of this policy). */
  readonly blockedBy: string;
}

export interface CaseResult {
  readonly id: string;
  readonly blockedBy: string;
  readonly blocked: boolean;
  /** Mandatory violations, by policy name. */
  readonly mandatory: readonly PolicyViolation[];
  readonly errors: readonly string[];
}

/** Applies the edits to the files' current text; throws if a `find` is not there exactly once. */
export function editedSources(edits: readonly Edit[]): Map<string, string> {
  const sources = new Map<string, string>();
  for (const edit of edits) {
    const file = path.join(REPO_ROOT, edit.file);
    const text = sources.get(file) ?? fs.readFileSync(file, "utf8");
    const count = text.split(edit.find).length - 1;
    if (count !== 1) {
      throw new Error(
        `${edit.file}: the red-team edit expects ${JSON.stringify(edit.find)} exactly once, found ${count}; update the case`,
      );
    }
    sources.set(
      file,
      text.replace(edit.find, () => edit.replace),
    );
  }
  return sources;
}

type Loader = (module: { _compile(code: string, file: string): void }, filename: string) => void;
const extensions = require.extensions as unknown as Record<string, Loader>;

/** Modules of the repository that a program may load (not the SDKs, the pack or the tools). */
function isProgramModule(file: string): boolean {
  const rel = path.relative(REPO_ROOT, file);
  return (
    !rel.startsWith("..") &&
    !rel.split(path.sep).includes("node_modules") &&
    !rel.startsWith(`policy${path.sep}`) &&
    !rel.startsWith(`tools${path.sep}`) &&
    rel !== path.join("lib", "evaluate.ts") &&
    rel !== path.join("lib", "stacks.ts")
  );
}

function reloadPrograms(): void {
  for (const file of Object.keys(require.cache))
    if (isProgramModule(file)) delete require.cache[file];
  forgetPrograms();
}

/** Runs `fn` with the edited files standing in for the real ones. */
async function withEdits<T>(sources: Map<string, string>, fn: () => Promise<T>): Promise<T> {
  const original = extensions[".ts"];
  if (!original) throw new Error("run the red team with node --require ./tools/stacks/register.js");
  extensions[".ts"] = (module, filename) => {
    const text = sources.get(filename);
    if (text === undefined) return original(module, filename);
    const code = transformSync(text, {
      loader: "ts",
      format: "cjs",
      target: "node20",
      sourcefile: filename,
    }).code;
    module._compile(code, filename);
  };
  reloadPrograms();
  try {
    return await fn();
  } finally {
    extensions[".ts"] = original;
    reloadPrograms();
  }
}

/** Planned outputs of every unchanged stack of the environments, for StackReferences. */
export async function baseline(envs: readonly Environment[]) {
  return evaluateAll(envs);
}

export async function runCase(
  c: RedTeamCase,
  config: LoadedPolicyConfig,
  upstream: ReadonlyMap<string, Record<string, unknown>>,
): Promise<CaseResult> {
  const env = c.env ?? "prod";
  const sources = editedSources(c.edits);
  const evaluation = await withEdits(sources, () => evaluateStack(c.project, env, { upstream }));
  const violations = await runPolicies(evaluation.resources, {
    config,
    stackName: evaluation.stack,
  });
  const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory");
  return {
    id: c.id,
    blockedBy: c.blockedBy,
    blocked: evaluation.errors.length === 0 && mandatory.some((v) => v.policyName === c.blockedBy),
    mandatory,
    errors: evaluation.errors,
  };
}
