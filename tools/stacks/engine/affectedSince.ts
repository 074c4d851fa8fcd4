/**
 * Gathers what `--affected-since <git-rev>` decides from (affected.ts): the files that differ
 * between the revision and the working tree (git), and both offline plans compared (diff.ts).
 */
import type { Selection } from "./selection";
import {
  type DiffOptions,
  type DiffReport,
  DiffError,
  diffStacks,
  resolveRevision,
  runChild,
} from "./diff";
import { type AffectedDecision, decideAffected, rulesFor } from "./affected";

export interface AffectedSinceOptions {
  readonly repoRoot: string;
  readonly rev: string;
  readonly selection: Selection;
  readonly log: (line: string) => void;
  /** Plans and compares both sides (default: diff.ts diffStacks); tests share one run's plans. */
  readonly diffPlans?: (o: DiffOptions) => Promise<Pick<DiffReport, "stacks">>;
}

export { DiffError };

/** Paths (tracked changes since `commit`, deleted ones included, and untracked files). */
export async function changedFiles(repoRoot: string, commit: string): Promise<string[]> {
  const git = async (...args: string[]) => {
    const r = await runChild("git", args, repoRoot);
    if (r.code !== 0) throw new DiffError(`git ${args.join(" ")} failed: ${r.stderr.trim()}`);
    return r.stdout.split("\0").filter((f) => f !== "");
  };
  // --no-renames: a rename is its old path deleted and its new path added (both may matter).
  const tracked = await git("diff", "--name-only", "-z", "--no-renames", commit, "--");
  const untracked = await git("ls-files", "-z", "--others", "--exclude-standard");
  return [...new Set([...tracked, ...untracked])].sort();
}

/**
 * Decides which of the selection's stacks run. Throws DiffError when the revision is not a
 * commit; a plan that cannot run on either side selects every stack (never skip on doubt).
 */
export async function affectedSince(o: AffectedSinceOptions): Promise<AffectedDecision> {
  const commit = await resolveRevision(o.repoRoot, o.rev);
  const since = { rev: o.rev, commit };
  const files = await changedFiles(o.repoRoot, commit);
  const everything = files.find((f) => rulesFor(f).some((r) => r.rule.selects === "all"));
  if (everything !== undefined) {
    // Every stack runs whatever the plans say: no need to plan.
    o.log(`--affected-since ${o.rev}: ${everything} changed, so every stack runs.`);
    return decideAffected({ selection: o.selection, since, changedFiles: files });
  }
  const envs = o.selection.envs;
  const diffPlans = o.diffPlans ?? diffStacks;
  try {
    const report = await diffPlans({
      repoRoot: o.repoRoot,
      base: commit,
      envs,
      planArgs: ["--env", envs.length === 1 ? envs[0] : "all"],
      log: o.log,
    });
    return decideAffected({
      selection: o.selection,
      since,
      changedFiles: files,
      diffs: report.stacks,
    });
  } catch (e) {
    if (!(e instanceof DiffError)) throw e;
    const reason = e.message.split("\n")[0];
    return decideAffected({
      selection: o.selection,
      since,
      changedFiles: files,
      diffs: o.selection.stacks.map((s) => ({
        stack: s.stack,
        project: s.project,
        env: s.env,
        status: "failed",
        errors: [reason],
        added: [],
        removed: [],
        changed: [],
        keyInputsOnly: false,
      })),
    });
  }
}
