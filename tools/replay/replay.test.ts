/**
 * Replay against a real local S3 server (s3rver, as the validation Lambda's tests use), with
 * the fail bucket filled by the validation Lambda itself: a file fails, the metadata is fixed,
 * the replay moves it back, and the Lambda then passes it to raw-history.
 */
import { memoryLogger } from "../../lib/lambda/log";
import { metadataBundleText } from "../../lib/contracts/metadataBundle";
import { bucketName } from "../../lib/model/naming";
import { readStackConfig } from "../../lib/model/stackFile";
import { alertClaimKeyFor, metadataBundleKey, rawHistoryKey } from "../../lib/contracts/lakeKeys";
import { readValidateConfig } from "../../lib/contracts/validateEnv";
import { processEvent, validationDeps } from "../../lib/validation/process";
import { OFFENDER_TABLE, offenderFile } from "../../lib/testing/parquetFiles";
import { objectCreatedEvent } from "../../lib/testing/events";
import { validateTestEnv } from "../../lib/testing/environments";
import { localS3Client, startLocalS3, type LocalS3 } from "../../lib/testing/s3";
import { main, parseSince } from "./cli";
import { recordingIo } from "../stacks/report/io";

// The dev stacks' buckets, from the stack files as the CLI reads them.
const FAIL = bucketName(
  readStackConfig("core", "dev").values["core:bucketNamePrefix"],
  "fail",
  "dev",
);
const RAW = bucketName(
  readStackConfig("core", "dev").values["core:bucketNamePrefix"],
  "raw-history",
  "dev",
);
const METADATA = "metadata";
const LANDING = readStackConfig("pipelines", "dev").values["pipelines:landingBucketName"];
const KEY = "delius/offender/LOAD00000001.parquet";
const OTHER = "delius/offender/LOAD00000002.parquet";
const NOW = new Date("2026-12-01T10:00:00.000Z");

let s3: LocalS3;
beforeAll(async () => {
  s3 = await startLocalS3([LANDING, RAW, FAIL, METADATA]);
});
afterAll(async () => {
  await s3.stop();
});

/** A fresh validation Lambda container (its metadata cache is empty): the Lambda's own processing. */
function lambda() {
  const config = readValidateConfig({
    ...validateTestEnv({ rawHistory: RAW, fail: FAIL, metadata: METADATA }),
    AWS_REGION: "eu-west-2",
  });
  const deps = validationDeps(config, s3.client, {
    logger: memoryLogger(),
    now: () => NOW,
    alerts: { publish: async () => undefined },
  });
  return (key: string) =>
    processEvent(objectCreatedEvent(LANDING, key, "2026-12-01T09:00:00Z"), deps);
}

// What the CLI writes, recorded afresh for each test.
let io: ReturnType<typeof recordingIo>;
let out: string[];
let err: string[];
const replay = (...args: string[]) =>
  main(["--env", "dev", "--database", "delius", ...args], {
    io,
    s3: () => s3.client,
    now: () => NOW,
  });

/** Metadata that lists NOTES, which the files lack: they fail; then the fix drops NOTES. */
const BROKEN = JSON.stringify(OFFENDER_TABLE);
const FIXED = JSON.stringify({
  ...OFFENDER_TABLE,
  columns: OFFENDER_TABLE.columns.filter((c) => c.name !== "NOTES"),
});
const STAMP = "2026-12-01T10-00-00-000Z";
/** The validation Lambda's alert marker for a file: the event's time stands for its creation. */
const marker = (key: string) => alertClaimKeyFor(key, new Date("2026-12-01T09:00:00Z"));
/** The fail bucket after both files failed: each with its alert marker and its reason. */
const FAILED = [
  KEY,
  marker(KEY),
  `${KEY}.reason.json`,
  OTHER,
  marker(OTHER),
  `${OTHER}.reason.json`,
];

beforeEach(async () => {
  io = recordingIo();
  ({ stdout: out, stderr: err } = io);
  await s3.clear();
  await s3.put(METADATA, metadataBundleKey("delius"), metadataBundleText("delius", [BROKEN]));
  const validate = lambda();
  for (const key of [KEY, OTHER]) {
    await s3.put(LANDING, key, offenderFile({ notes: undefined }));
    await validate(key);
  }
  expect(await s3.keys(FAIL)).toEqual(FAILED);
  expect(await s3.keys(LANDING)).toEqual([]);
  await s3.put(METADATA, metadataBundleKey("delius"), metadataBundleText("delius", [FIXED]));
});

const REASON =
  "missing column notes: the metadata of delius.offender lists it but the file has no such column; " +
  "check the DMS table mapping, or remove it from metadata/databases/delius/offender.json if the source table dropped it";

test("moves failed files back to landing, sets their reasons aside, and they then validate", async () => {
  expect(await replay()).toBe(0);
  expect(err).toEqual([`replaying failed delius files from s3://${FAIL} to s3://${LANDING}`]);
  expect(out).toEqual([
    expect.stringMatching(
      new RegExp(
        `^moved s3://${FAIL}/${KEY} -> s3://${LANDING}/${KEY} \\(failed 20\\d\\d-[\\d-]+T[\\d:.]+Z: ${REASON.replace(/[.()]/g, "\\$&")}\\); ` +
          `reason set aside at s3://${FAIL}/replayed/${STAMP}/${KEY}\\.reason\\.json$`,
      ),
    ),
    expect.stringMatching(new RegExp(`^moved s3://${FAIL}/${OTHER} -> s3://${LANDING}/${OTHER} `)),
    "Moved 2 file(s) to landing, skipped 0. The validation Lambda checks each moved file again.",
  ]);
  expect(await s3.keys(LANDING)).toEqual([KEY, OTHER]);
  expect(await s3.keys(FAIL)).toEqual([
    `replayed/${STAMP}/${KEY}.reason.json`,
    `replayed/${STAMP}/${OTHER}.reason.json`,
  ]);
  // The bytes are the failed file's, unchanged.
  expect(Buffer.from((await s3.get(LANDING, KEY))!)).toEqual(
    Buffer.from(offenderFile({ notes: undefined })),
  );
  // After the metadata fix the Lambda (a new container) passes them.
  const validate = lambda();
  await validate(KEY);
  await validate(OTHER);
  // Full-load files get their event time in raw-history (rawHistoryKey), so a reload never overwrites.
  const created = new Date("2026-12-01T09:00:00Z");
  expect(await s3.keys(RAW)).toEqual([rawHistoryKey(KEY, created), rawHistoryKey(OTHER, created)]);
  expect(await s3.keys(LANDING)).toEqual([]);
});

test("never overwrites an object that landing already has, and says so", async () => {
  const newer = offenderFile();
  await s3.put(LANDING, KEY, newer);
  expect(await replay()).toBe(0);
  expect(out[0]).toMatch(
    new RegExp(
      `^skipped s3://${FAIL}/${KEY}: s3://${LANDING}/${KEY} exists \\(written [\\dT:.Z-]+\\); a replay never overwrites landing$`,
    ),
  );
  expect(out[2]).toBe(
    "Moved 1 file(s) to landing, skipped 1. The validation Lambda checks each moved file again.",
  );
  expect(Buffer.from((await s3.get(LANDING, KEY))!)).toEqual(Buffer.from(newer));
  // The skipped file keeps everything; the moved one leaves only its reason, set aside.
  expect(await s3.keys(FAIL)).toEqual([
    KEY,
    marker(KEY),
    `${KEY}.reason.json`,
    `replayed/${STAMP}/${OTHER}.reason.json`,
  ]);
});

test("--dry-run lists what would move and changes nothing", async () => {
  expect(await replay("--dry-run")).toBe(0);
  expect(out.map((l) => l.split(" (")[0])).toEqual([
    `would move s3://${FAIL}/${KEY} -> s3://${LANDING}/${KEY}`,
    `would move s3://${FAIL}/${OTHER} -> s3://${LANDING}/${OTHER}`,
    "Dry run: would move 2 file(s) to landing, skipped 0. Nothing was changed.",
  ]);
  expect(await s3.keys(FAIL)).toEqual(FAILED);
  expect(await s3.keys(LANDING)).toEqual([]);
});

test("--table and --since narrow what moves", async () => {
  expect(await replay("--table", "CONTACT")).toBe(0);
  expect(out).toEqual(["No failed files to replay."]);
  out.length = 0;
  // The files failed moments ago (s3rver's LastModified is the real clock): none since tomorrow.
  const tomorrow = new Date(Date.now() + 86_400_000).toISOString();
  expect(await replay("--table", "offender", "--since", tomorrow)).toBe(0);
  expect(out).toEqual(["No failed files to replay."]);
  expect(await s3.keys(LANDING)).toEqual([]);
});

test("a bad --since is a usage error that says what is accepted", async () => {
  expect(await replay("--since", "yesterday")).toBe(2);
  expect(err.join("\n")).toContain(
    `expected an ISO 8601 date or time (2026-11-30, 2026-11-30T09:00:00Z) or a span such as 90m, 36h or 7d, got "yesterday".`,
  );
});

test("an S3 error stops the run with what was refused, after printing what was done", async () => {
  const refusing = localS3Client(s3.endpoint, { maxAttempts: 1 });
  // s3rver answers NoSuchBucket for a bucket it does not have, as S3 does.
  const code = await main(["--env", "prod", "--database", "delius"], {
    io,
    s3: () => refusing,
    now: () => NOW,
  });
  refusing.destroy();
  expect(code).toBe(1);
  expect(err.at(-1)).toMatch(
    /^replay: S3 refused \(NoSuchBucket 404\): The specified bucket does not exist\. The files printed above as moved are in landing; run the replay again to carry on \(it skips what is done\)\.$/,
  );
  expect(out).toEqual([]);
});

test("parseSince reads dates, times and spans back from now", () => {
  expect(parseSince("2026-11-30", NOW).toISOString()).toBe("2026-11-30T00:00:00.000Z");
  expect(parseSince("2026-11-30T09:15:00Z", NOW).toISOString()).toBe("2026-11-30T09:15:00.000Z");
  expect(parseSince("36h", NOW).toISOString()).toBe("2026-11-29T22:00:00.000Z");
  expect(parseSince("90m", NOW).toISOString()).toBe("2026-12-01T08:30:00.000Z");
});
