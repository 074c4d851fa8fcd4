/**
 * Assets whose state is small: a FileAsset of a content-addressed copy of the text, so a
 * checkpoint records the file's path and hash instead of the text (issue 20: a StringAsset
 * put the 2.5 MB Lambda bundles and every table file into the state, and each save uploads the
 * whole checkpoint again). The engine hashes the file when it reads the program's inputs, so a
 * change of content is still a change; the offline plan (tools/stacks/inputs.ts) identifies
 * path assets by their content too.
 *
 * The copies live in the repository's `node_modules/.cache/` (the usual home of tools' caches,
 * ignored by git) and the asset's path is relative to the program's working folder, which the
 * Pulumi CLI sets to the project folder: the path, and so the state, is the same on every
 * machine and in every checkout. A file's name is its SHA-256, so it is never rewritten.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { REPO_ROOT } from "../model/stacks";

export const CONTENT_CACHE_DIR = path.join(REPO_ROOT, "node_modules", ".cache", "dataeng-assets");

/**
 * The files written by this process, by extension and text: the offline plan evaluates each
 * program once per environment with the same texts (each Lambda's bundle, 2.5 MB, and each
 * table file), and hashing them again was a tenth of a plan's CPU at today's size.
 */
const written = new Map<string, Map<string, string>>();

/** Writes `text` once under its SHA-256 and returns the file's absolute path. */
export function contentFile(text: string, extension: string): string {
  let byText = written.get(extension);
  if (!byText) written.set(extension, (byText = new Map()));
  const known = byText.get(text);
  if (known !== undefined && fs.existsSync(known)) return known;
  const file = writeContentFile(text, extension);
  byText.set(text, file);
  return file;
}

function writeContentFile(text: string, extension: string): string {
  const digest = createHash("sha256").update(text).digest("hex");
  const file = path.join(CONTENT_CACHE_DIR, `${digest}${extension}`);
  if (!fs.existsSync(file)) {
    try {
      fs.mkdirSync(CONTENT_CACHE_DIR, { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(tmp, text);
      fs.renameSync(tmp, file);
    } catch (e) {
      throw new Error(
        `Could not write ${path.relative(REPO_ROOT, file)}: ${(e as Error).message}\n` +
          `The programs keep asset files there; make node_modules/.cache writable.`,
      );
    }
  }
  return file;
}

/** A FileAsset holding `text`, by a path relative to the working folder (see above). */
export function contentAsset(text: string, extension: string): pulumi.asset.FileAsset {
  return new pulumi.asset.FileAsset(path.relative(process.cwd(), contentFile(text, extension)));
}
