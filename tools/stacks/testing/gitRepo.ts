/**
 * A throwaway git repository holding a copy of this checkout (tracked and untracked files that
 * git does not ignore), committed once, with node_modules a symlink to the real one: the base
 * that `stacks diff` tests compare a changed working tree with. Real git, real plans: no
 * stand-in. The file list is what git itself would commit (`git ls-files --cached --others
 * --exclude-standard`, git-ls-files(1): https://git-scm.com/docs/git-ls-files), so the base holds exactly the checkout's files.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { REPO_ROOT } from "../../../lib/model/stacks";

/**
 * Copies the checkout's files (as git would commit them, modes kept) into a new temporary folder
 * named after `prefix`, with node_modules a symlink to the real one; returns the folder.
 */
export function copyCheckout(prefix: string, only?: readonly string[]): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const files = execFileSync(
    "git",
    ["ls-files", "-z", "--cached", "--others", "--exclude-standard"],
    { cwd: REPO_ROOT, encoding: "utf8" },
  )
    .split("\0")
    .filter((f) => f !== "" && fs.existsSync(path.join(REPO_ROOT, f))) // not deleted in the tree
    .filter((f) => !only || only.some((folder) => f.startsWith(`${folder}/`)));
  for (const f of files) {
    const from = path.join(REPO_ROOT, f);
    const to = path.join(dir, f);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.copyFileSync(from, to);
    fs.chmodSync(to, fs.statSync(from).mode);
  }
  fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  return dir;
}

/** The copy committed once in a new git repository; `only` keeps just these folders (faster). */
export function copyRepository(only?: readonly string[]): {
  dir: string;
  git(...args: string[]): string;
  remove(): void;
} {
  const dir = copyCheckout("stacks-diff-repo-", only);
  const git = (...args: string[]) =>
    execFileSync("git", args, {
      cwd: dir,
      encoding: "utf8",
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: "test",
        GIT_AUTHOR_EMAIL: "test@example.com",
        GIT_COMMITTER_NAME: "test",
        GIT_COMMITTER_EMAIL: "test@example.com",
      },
    });
  git("init", "--quiet", "--initial-branch=main");
  fs.appendFileSync(path.join(dir, ".git", "info", "exclude"), "/node_modules\n");
  git("add", "-A");
  git("commit", "--quiet", "--no-gpg-sign", "-m", "base");
  return { dir, git, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
