import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { gzipSync } from "node:zlib";
import { type LocalS3, startLocalS3 } from "../../../lib/testing/s3";
import { openBackendStore } from "./backendStore";
import { parseBackendUrl } from "./backendUrl";
import { checkpointText, newestCheckpointKey, readStackCheckpoint } from "./checkpointFile";

const KEY = ".pulumi/stacks/core/core-dev.json";
const state = (marker: string) => JSON.stringify({ version: 3, checkpoint: { marker } });

describe("newestCheckpointKey", () => {
  it("takes the newest, and the later key on a tie, as stackPath does", () => {
    const at = (s: number) => new Date(s * 1000);
    expect(
      newestCheckpointKey([
        { key: `${KEY}.gz`, modified: at(1) },
        { key: KEY, modified: at(2) },
      ]),
    ).toBe(KEY);
    expect(
      newestCheckpointKey([
        { key: `${KEY}.gz`, modified: at(2) },
        { key: KEY, modified: at(2) },
      ]),
    ).toBe(`${KEY}.gz`);
    expect(newestCheckpointKey([])).toBeUndefined();
  });
});

describe("checkpointText", () => {
  it("refuses zstd and damaged gzip, naming the key and what to do", () => {
    expect(() => checkpointText(`${KEY}.zst`, Buffer.from("x"))).toThrow(
      `${KEY}.zst is zstd-compressed (PULUMI_DIY_BACKEND_ZSTD), which node 20 cannot read. Unset PULUMI_DIY_BACKEND_ZSTD: the next run writes it gzipped, as the orchestrator does.`,
    );
    expect(() => checkpointText(`${KEY}.gz`, Buffer.from("{}"))).toThrow(
      new RegExp(
        `^${KEY.replace(/\./g, "\\.")}\\.gz is not valid gzip \\(.+\\): the checkpoint is damaged; restore it from the bucket's versions$`,
      ),
    );
  });
});

describe("readStackCheckpoint on a folder backend", () => {
  let dir: string;
  const store = () => openBackendStore({ kind: "file", dir } as never, { env: {} });
  const write = (key: string, body: string | Buffer, seconds: number) => {
    const file = path.join(dir, key);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, body);
    fs.utimesSync(file, seconds, seconds);
  };
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "checkpoint-file-"));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it("reads the gzipped checkpoint, ignoring backups and other stacks", async () => {
    write(`${KEY}.gz`, gzipSync(state("gz")), 100);
    write(`${KEY}.bak`, state("bak"), 200);
    write(".pulumi/stacks/core/core-dev2.json", state("other"), 300);
    expect(await readStackCheckpoint(store(), "core", "core-dev")).toEqual({
      key: `${KEY}.gz`,
      text: state("gz"),
    });
  });

  it("reads the newest form when a run by hand left plain JSON beside it", async () => {
    write(`${KEY}.gz`, gzipSync(state("gz")), 100);
    write(KEY, state("plain"), 200);
    expect((await readStackCheckpoint(store(), "core", "core-dev"))?.text).toBe(state("plain"));
    write(`${KEY}.gz`, gzipSync(state("gz again")), 300);
    expect((await readStackCheckpoint(store(), "core", "core-dev"))?.text).toBe(state("gz again"));
  });

  it("has nothing for a stack never deployed", async () => {
    write(".pulumi/stacks/core/core-prod.json", state("prod"), 100);
    expect(await readStackCheckpoint(store(), "core", "core-dev")).toBeUndefined();
  });
});

describe("readStackCheckpoint on an S3 backend (s3rver)", () => {
  const BUCKET = "state";
  let s3: LocalS3;
  beforeAll(async () => {
    s3 = await startLocalS3([BUCKET]);
  });
  afterAll(() => s3.stop());

  it("lists, dates and reads the objects through the S3 API", async () => {
    const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
    // s3rver's only key pair
    process.env.AWS_ACCESS_KEY_ID = "S3RVER";
    process.env.AWS_SECRET_ACCESS_KEY = "S3RVER";
    const host = new URL(s3.endpoint).host;
    const store = openBackendStore(
      parseBackendUrl(
        `s3://${BUCKET}?endpoint=${host}&s3ForcePathStyle=true&disableSSL=true&awssdk=v2`,
      ),
      { env: {} },
    );
    try {
      expect(await store.modified(KEY)).toBeUndefined();
      await s3.put(BUCKET, `${KEY}.gz`, gzipSync(state("gz")));
      expect(await store.modified(`${KEY}.gz`)).toBeInstanceOf(Date);
      expect(await readStackCheckpoint(store, "core", "core-dev")).toEqual({
        key: `${KEY}.gz`,
        text: state("gz"),
      });
    } finally {
      store.close();
      process.env.AWS_ACCESS_KEY_ID = saved.id;
      process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
      if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID;
      if (saved.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY;
    }
  });
});
