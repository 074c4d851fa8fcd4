/**
 * jest.config.js `globalSetup`: runs once before the workers start, which inherit its
 * environment, and so do the processes the tests start. Two things go there:
 * - Those processes load @pulumi/pulumi's closure-serializer dependencies on first use
 *   (tools/stacks/lazy/preload.js), as the suites do.
 * - The tests' scratch files go to memory (scratchDir below).
 * Sources: `globalSetup` runs once before all test suites (https://jestjs.io/docs/configuration#globalsetup-string);
 * jest-worker 30.5 starts each worker with `env: { ...process.env, JEST_WORKER_ID }`
 * (packages/jest-worker/src/workers/ChildProcessWorker.ts, jestjs/jest v30.x), so a variable set
 * here reaches the workers; node reads NODE_OPTIONS' `--require` in every process it starts
 * (https://nodejs.org/docs/latest-v20.x/api/cli.html#node_optionsoptions).
 */
"use strict";
const fs = require("node:fs");
const path = require("node:path");

/**
 * A folder of this user's on the machine's tmpfs (/dev/shm on Linux), or undefined. The suites
 * copy the checkout, make git repositories and write thousands of small files that they delete
 * again; on ext4 (these machines' /tmp) creating and deleting them cost about a tenth of the
 * suite's time in the kernel (ext4's inode allocation: `find_get_block_common`,
 * `recently_deleted`), which tmpfs does not have. os.tmpdir() reads TMPDIR
 * (https://nodejs.org/docs/latest-v20.x/api/os.html#ostmpdir), as do git, tar and bash's
 * mktemp in the processes the tests start. A TMPDIR the user set is kept; so is /tmp where there
 * is no tmpfs, or when the folder there is not this user's own (a symlink or another owner's).
 */
function scratchDir({ env = process.env, shm = "/dev/shm", uid = process.getuid?.() } = {}) {
  if (env.TMPDIR || uid === undefined) return undefined;
  const dir = path.join(shm, `dataeng-tests-${uid}`);
  try {
    fs.mkdirSync(dir, { mode: 0o700 });
  } catch (e) {
    if (e.code !== "EEXIST") return undefined; // no tmpfs here, or not writable
  }
  try {
    const stat = fs.lstatSync(dir);
    if (!stat.isDirectory() || stat.uid !== uid || (stat.mode & 0o077) !== 0) return undefined;
    fs.accessSync(dir, fs.constants.W_OK);
    return dir;
  } catch {
    return undefined;
  }
}

/** What globalSetup does, to `env`: the preload in NODE_OPTIONS, and TMPDIR (see scratchDir). */
function prepare(env, scratch = {}) {
  const preload = `--require ${JSON.stringify(path.join(__dirname, "..", "..", "tools", "stacks", "lazy", "preload.js"))}`;
  const options = env.NODE_OPTIONS ?? "";
  if (!options.includes(preload)) env.NODE_OPTIONS = `${options} ${preload}`.trim();
  const dir = scratchDir({ env, ...scratch });
  if (dir) env.TMPDIR = dir;
}

// jest calls it with its configs, which it does not need.
module.exports = () => prepare(process.env);
module.exports.prepare = prepare;
module.exports.scratchDir = scratchDir;
