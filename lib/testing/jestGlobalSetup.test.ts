import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
// eslint-disable-next-line @typescript-eslint/no-require-imports
const setup = require("./jestGlobalSetup") as {
  prepare(env: NodeJS.ProcessEnv, scratch?: { shm?: string; uid?: number }): void;
  scratchDir(o?: { env?: NodeJS.ProcessEnv; shm?: string; uid?: number }): string | undefined;
};

describe("the tests' scratch folder (jestGlobalSetup.js)", () => {
  // A plain temp folder stands in for /dev/shm: what scratchDir relies on is a writable folder
  // shared by all users (Linux mounts a tmpfs there with mode 1777: shm_overview(7),
  // https://man7.org/linux/man-pages/man7/shm_overview.7.html), in which anyone may plant a name.
  let shm: string;
  const uid = process.getuid!();
  const mine = () => path.join(shm, `dataeng-tests-${uid}`);
  beforeEach(() => (shm = fs.mkdtempSync(path.join(os.tmpdir(), "shm-"))));
  afterEach(() => fs.rmSync(shm, { recursive: true, force: true }));

  it("is this user's own folder on the tmpfs, made private, and the same one the next time", () => {
    expect(setup.scratchDir({ env: {}, shm, uid })).toBe(mine());
    expect(fs.statSync(mine()).mode & 0o777).toBe(0o700);
    fs.writeFileSync(path.join(mine(), "left"), "");
    expect(setup.scratchDir({ env: {}, shm, uid })).toBe(mine());
    expect(fs.readdirSync(mine())).toEqual(["left"]);
  });

  it("keeps a TMPDIR the user set, and /tmp where there is no tmpfs", () => {
    expect(setup.scratchDir({ env: { TMPDIR: "/var/tmp" }, shm, uid })).toBeUndefined();
    expect(fs.existsSync(mine())).toBe(false);
    expect(setup.scratchDir({ env: {}, shm: path.join(shm, "none"), uid })).toBeUndefined();
  });

  it("refuses a folder it cannot trust: a symlink planted there, or one others can write", () => {
    const elsewhere = fs.mkdtempSync(path.join(shm, "elsewhere-"));
    fs.symlinkSync(elsewhere, mine());
    expect(setup.scratchDir({ env: {}, shm, uid })).toBeUndefined();
    fs.unlinkSync(mine());
    fs.mkdirSync(mine(), { mode: 0o700 });
    fs.chmodSync(mine(), 0o777);
    expect(setup.scratchDir({ env: {}, shm, uid })).toBeUndefined();
    // Owned by someone else (the uid it is asked for is not the folder's owner).
    fs.chmodSync(mine(), 0o700);
    fs.renameSync(mine(), path.join(shm, `dataeng-tests-${uid + 1}`));
    expect(setup.scratchDir({ env: {}, shm, uid: uid + 1 })).toBeUndefined();
  });

  it("is what globalSetup gives the workers, with the preload, once however often it runs", () => {
    const env: NodeJS.ProcessEnv = { NODE_OPTIONS: "--max-old-space-size=4096" };
    setup.prepare(env, { shm, uid });
    setup.prepare(env, { shm, uid });
    expect(env.TMPDIR).toBe(mine());
    expect(env.NODE_OPTIONS).toBe(
      `--max-old-space-size=4096 --require ${JSON.stringify(path.resolve(__dirname, "../../tools/stacks/lazy/preload.js"))}`,
    );
  });
});
