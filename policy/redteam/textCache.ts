/**
 * A text made from other texts, kept on disk by the hash of everything it is made from (the
 * tool's version, its options, the input): the red team's reformatting (prettier) and
 * transpiling (esbuild) of the programs give the same output for the same input, and redoing
 * them was about a fifth of every `npm run redteam -- --reformat` (`npm test` runs it). Like
 * tools/stacks/register.js's transpile cache, it lives in the OS temp folder; delete it any time.
 * A folder that cannot be written only costs speed.
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export const DEFAULT_CACHE_DIR = path.join(
  os.tmpdir(),
  `dataeng-redteam-${process.getuid ? process.getuid() : "user"}`,
);

export async function cachedText(
  key: readonly string[],
  make: () => string | Promise<string>,
  dir = DEFAULT_CACHE_DIR,
): Promise<string> {
  const hash = crypto.createHash("sha1");
  for (const part of key) hash.update(part).update("\0");
  const file = path.join(dir, `${hash.digest("hex")}.txt`);
  try {
    return fs.readFileSync(file, "utf8");
  } catch {
    // not made yet
  }
  const text = await make();
  try {
    fs.mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, file);
  } catch {
    // not writable: made again next time
  }
  return text;
}
