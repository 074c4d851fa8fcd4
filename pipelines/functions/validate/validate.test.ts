/**
 * The validation Lambda end to end against a real S3-compatible server (s3rver on loopback):
 * parquet files written by hyparquet-writer land, the handler runs, and the tests look where
 * each object ended up, what the reason says and what was alerted.
 */
import type { ValidationFailureAlert } from "../../../lib/contracts/alerts";
import { memoryLogger } from "../../../lib/lambda/log";
import { createDeps, makeHandler } from "./index";
import { objectCreatedEvent } from "../../../lib/testing/events";
import { validateTestEnv } from "../../../lib/testing/environments";
import { startLocalS3, type LocalS3 } from "../../../lib/testing/s3";
import {
  OFFENDER_TABLE,
  OFFENDER_TABLE_JSON,
  decimal,
  offenderColumns,
  offenderFile,
  string,
  writeParquet,
} from "../../../lib/testing/parquetFiles";
import type { ValidateDeps } from "../../../lib/validation/process";
import { metadataBundleText } from "../../../lib/contracts/metadataBundle";
import { MetadataStore } from "../../../lib/validation/metadataStore";

const LANDING = "landing";
const RAW = "raw-history";
const FAIL = "fail";
const METADATA = "metadata";
const KEY = "delius/offender/LOAD00000001.parquet";
/** The event's time (objectCreated below) as the raw-history infix of full-load files. */
const STAMP = "20261127T120000000Z";
const rawKey = (key: string) => key.replace(/LOAD([0-9A-F]{8}\.parquet)$/, `LOAD-${STAMP}-$1`);
/** A failed file in the fail bucket: the file, the claim of the one alert, the reason. */
const failed = (key: string) => [key, `${key}.alerted-${STAMP}`, `${key}.reason.json`];

const ENV = {
  ...validateTestEnv({ rawHistory: RAW, fail: FAIL, metadata: METADATA }),
  AWS_REGION: "eu-west-2",
};
const NOW = new Date("2026-11-27T12:00:00.000Z");
const BUNDLE = "databases/delius.json";
/** Publishes delius's metadata bundle as the metadata project does, from table files' text. */
const publish = (...tables: string[]) =>
  s3.put(METADATA, BUNDLE, metadataBundleText("delius", tables));

let s3: LocalS3;
beforeAll(async () => {
  s3 = await startLocalS3([LANDING, RAW, FAIL, METADATA]);
});
afterAll(async () => {
  await s3.stop();
});

interface Harness {
  readonly alerts: ValidationFailureAlert[];
  readonly logs: Record<string, unknown>[];
  readonly deps: ValidateDeps;
  run(event: unknown): Promise<unknown>;
}

function harness(
  env: Record<string, string> = {},
  options: { wholeFileBytes?: number; failPublish?: number } = {},
): Harness {
  const alerts: ValidationFailureAlert[] = [];
  let failures = options.failPublish ?? 0;
  const logger = memoryLogger();
  const deps = createDeps(
    { ...ENV, ...env },
    {
      s3: s3.client,
      logger,
      now: () => NOW,
      wholeFileBytes: options.wholeFileBytes,
      alerts: {
        async publish(alert) {
          if (failures-- > 0)
            throw Object.assign(new Error("Rate exceeded"), { name: "ThrottledException" });
          alerts.push(alert);
        },
      },
    },
  );
  return { alerts, logs: logger.records, deps, run: makeHandler(() => deps) };
}

const objectCreated = (key: string, bucket = LANDING) =>
  objectCreatedEvent(bucket, key, "2026-11-27T12:00:00Z");

async function where(key = KEY) {
  return {
    landing: (await s3.keys(LANDING)).filter((k) => k.startsWith(key)),
    raw: (await s3.keys(RAW)).filter((k) => k === key || k === rawKey(key)),
    fail: (await s3.keys(FAIL)).filter((k) => k.startsWith(key)),
  };
}

async function reasonDocument(key = KEY) {
  const bytes = await s3.get(FAIL, `${key}.reason.json`);
  return JSON.parse(Buffer.from(bytes ?? []).toString("utf8")) as Record<string, unknown>;
}

beforeEach(async () => {
  await s3.clear();
  await publish(OFFENDER_TABLE_JSON);
});

test("a valid file with every mapped type moves to raw-history unchanged, with no alert", async () => {
  const file = offenderFile();
  await s3.put(LANDING, KEY, file);
  const h = harness();

  await h.run(objectCreated(KEY));

  expect(await where()).toEqual({ landing: [], raw: [rawKey(KEY)], fail: [] });
  expect(Buffer.from((await s3.get(RAW, rawKey(KEY))) ?? [])).toEqual(Buffer.from(file));
  expect(h.alerts).toEqual([]);
  expect(h.logs).toHaveLength(1);
  expect(h.logs[0]).toMatchObject({
    level: "INFO",
    message: "file processed",
    key: KEY,
    database: "delius",
    table: "offender",
    rows: 3,
    outcome: "valid",
    destination: "raw-history",
  });
  expect(typeof h.logs[0].durationMs).toBe("number");
  expect(h.logs[0]).not.toHaveProperty("reason");
});

test("a missing column sends the file to fail with a reason beside it and an alert", async () => {
  await s3.put(LANDING, KEY, offenderFile({ surname: undefined, notes: undefined }));
  const h = harness();

  await h.run(objectCreated(KEY));

  expect(await where()).toEqual({ landing: [], raw: [], fail: failed(KEY) });
  const message =
    "missing 2 columns surname, notes: the metadata of delius.offender lists them but the file has no such column; " +
    "check the DMS table mapping, or remove them from metadata/databases/delius/offender.json if the source table dropped them";
  const alert: ValidationFailureAlert = {
    kind: "validation-failure",
    environment: "dev",
    region: "eu-west-2",
    database: "delius",
    table: "offender",
    key: KEY,
    landingBucket: LANDING,
    failBucket: FAIL,
    reasonKey: `${KEY}.reason.json`,
    reason: message,
    failedChecks: [{ check: "columns-present", message }],
    rows: 3,
    detectedAt: "2026-11-27T12:00:00.000Z",
  };
  expect(h.alerts).toEqual([alert]);
  expect(await reasonDocument()).toEqual({
    ...alert,
    size: expect.any(Number),
    etag: expect.stringMatching(/^".+"$/),
    versionId: null,
    metadataKey: "databases/delius.json",
    warnings: [],
  });
  expect(h.logs[0]).toMatchObject({
    level: "WARN",
    outcome: "invalid",
    destination: "fail",
    reason: message,
    failedChecks: ["columns-present"],
  });
});

test("a column in transition passes with and without it: TIER being added, SURNAME being dropped", async () => {
  const columns = OFFENDER_TABLE.columns.map((c) =>
    c.name === "SURNAME" ? { ...c, transition: "dropping" } : c,
  );
  const tier = { name: "TIER", type: "VARCHAR2(4)", nullable: true, description: "Tier" };
  await publish(
    JSON.stringify({ ...OFFENDER_TABLE, columns: [...columns, { ...tier, transition: "adding" }] }),
  );
  const before = "delius/offender/20261127-1200000000.parquet"; // the source as it is today
  const after = "delius/offender/20261127-1300000000.parquet"; // once both DDLs are done
  await s3.put(LANDING, before, offenderFile({}, { kind: "cdc" }));
  await s3.put(
    LANDING,
    after,
    offenderFile(
      { surname: undefined, tier: { element: string("tier"), data: ["A1", null, "B2"] } },
      { kind: "cdc" },
    ),
  );
  // The column's type is still checked when the file has it.
  const wrong = "delius/offender/20261127-1400000000.parquet";
  await s3.put(
    LANDING,
    wrong,
    offenderFile(
      { tier: { element: decimal("tier", "INT32", 4, 0), data: [1, 2, 3] } },
      { kind: "cdc" },
    ),
  );
  const h = harness();

  for (const key of [before, after, wrong]) await h.run(objectCreated(key));

  expect(await where(before)).toEqual({ landing: [], raw: [before], fail: [] });
  expect(await where(after)).toEqual({ landing: [], raw: [after], fail: [] });
  expect(await where(wrong)).toEqual({ landing: [], raw: [], fail: failed(wrong) });
  expect(h.alerts.map((a) => a.failedChecks)).toEqual([
    [
      {
        check: "column-types",
        message:
          "1 column of delius.offender has an incompatible type: tier (Oracle VARCHAR2(4)) is INT32 DECIMAL(4,0), " +
          "expected BYTE_ARRAY annotated STRING (UTF8); correct the type in metadata/databases/delius/offender.json or the DMS endpoint settings",
      },
    ],
  ]);
});

test("a wrong type names the column, both types and what to fix", async () => {
  const columns = offenderColumns();
  await s3.put(
    LANDING,
    KEY,
    offenderFile({
      surname: { element: { name: "surname", type: "INT64" }, data: [1n, 2n, 3n] },
      balance: {
        element: decimal("balance", "FIXED_LEN_BYTE_ARRAY", 12, 4, { type_length: 6 }),
        data: columns.get("balance")!.data,
      },
    }),
  );
  const h = harness();

  await h.run(objectCreated(KEY));

  expect(await where()).toEqual({ landing: [], raw: [], fail: failed(KEY) });
  expect(h.alerts.map((a) => a.reason)).toEqual([
    "2 columns of delius.offender have an incompatible type: " +
      "surname (Oracle VARCHAR2(35)) is INT64, expected BYTE_ARRAY annotated STRING (UTF8); " +
      "balance (Oracle NUMBER(12,2)) is FIXED_LEN_BYTE_ARRAY(6) DECIMAL(12,4), expected DECIMAL with scale 2 and precision at most 12; " +
      "correct the type in metadata/databases/delius/offender.json or the DMS endpoint settings",
  ]);
  expect(h.alerts[0].failedChecks.map((c) => c.check)).toEqual(["column-types"]);
});

test("a null primary key fails the file and names the rows", async () => {
  await s3.put(
    LANDING,
    KEY,
    offenderFile({
      offender_id: { element: decimal("offender_id", "INT64", 10, 0), data: [1n, null, null] },
    }),
  );
  const h = harness();

  await h.run(objectCreated(KEY));

  expect(await where()).toEqual({ landing: [], raw: [], fail: failed(KEY) });
  expect(h.alerts.map((a) => a.reason)).toEqual([
    "primary-key column of delius.offender: offender_id has 2 null values (rows 1, 2); DMS should never write a null key: " +
      "check the source rows and the primary key in metadata/databases/delius/offender.json",
  ]);
  expect((await reasonDocument()).failedChecks).toEqual([
    { check: "primary-key-not-null", message: h.alerts[0].reason },
  ]);
});

test("nulls are found in any row group when the file is read by ranges", async () => {
  const ids = Array.from({ length: 25 }, (_, i) => (i === 21 ? null : BigInt(i + 1)));
  const columns = [
    { element: decimal("offender_id", "INT64", 10, 0), data: ids },
    ...[...offenderColumns().entries()]
      .filter(([name]) => name !== "offender_id")
      .map(([, c]) => ({
        element: c.element,
        data: Array.from({ length: 25 }, (_, i) => c.data[i % 3]),
      })),
  ];
  await s3.put(LANDING, KEY, writeParquet(columns, { rowGroupSize: 10 }));
  const h = harness({}, { wholeFileBytes: 0 });

  await h.run(objectCreated(KEY));

  expect(await where()).toEqual({ landing: [], raw: [], fail: failed(KEY) });
  expect(h.alerts[0].reason).toMatch(
    /^primary-key column of delius\.offender: offender_id has 1 null value \(row 21\);/,
  );
  expect(h.alerts[0].rows).toBe(25);
});

test("an unknown column fails by default and only warns with UNKNOWN_COLUMNS=warn", async () => {
  const extra = { middle_name: { element: string("middle_name"), data: ["A", "B", "C"] } };
  await s3.put(LANDING, KEY, offenderFile(extra));
  const failing = harness();
  await failing.run(objectCreated(KEY));
  expect(await where()).toEqual({ landing: [], raw: [], fail: failed(KEY) });
  expect(failing.alerts.map((a) => a.reason)).toEqual([
    "unknown column middle_name: not in the metadata of delius.offender; add it to metadata/databases/delius/offender.json, " +
      "or set UNKNOWN_COLUMNS=warn to let such files through",
  ]);

  const other = "delius/offender/LOAD00000002.parquet";
  await s3.put(LANDING, other, offenderFile(extra));
  const warning = harness({ UNKNOWN_COLUMNS: "warn" });
  await warning.run(objectCreated(other));
  expect(await where(other)).toEqual({ landing: [], raw: [rawKey(other)], fail: [] });
  expect(warning.alerts).toEqual([]);
  expect(warning.logs[0]).toMatchObject({
    level: "WARN",
    outcome: "valid",
    warnings: [
      "unknown column middle_name: not in the metadata of delius.offender; add it to metadata/databases/delius/offender.json " +
        "(UNKNOWN_COLUMNS=warn let the file through)",
    ],
  });
});

test("a file for a table without metadata goes to fail as an unknown table", async () => {
  const key = "delius/court_order/LOAD00000001.parquet";
  await s3.put(LANDING, key, offenderFile());
  const h = harness();

  await h.run(objectCreated(key));

  expect(await where(key)).toEqual({ landing: [], raw: [], fail: failed(key) });
  expect(h.alerts).toMatchObject([
    {
      database: "delius",
      table: "court_order",
      failedChecks: [{ check: "known-table" }],
      rows: null,
      reason:
        "no metadata for table delius.court_order: the metadata bundle s3://metadata/databases/delius.json (1 table) has no table court_order; " +
        "add metadata/databases/delius/court_order.json and publish it (the metadata project), or drop the table from the DMS table mapping",
    },
  ]);
});

const RELOAD = "; if DMS wrote this file, reload the table in DMS to replace its rows";

test.each([
  [
    "a corrupt file (a data page overwritten)",
    () => overwrite(offenderFile(), 4, 60),
    /^row group 0 \(rows 0 to 2\) cannot be decoded \(.+\): the file is corrupt; if DMS wrote/,
  ],
  [
    "a corrupt file (the footer overwritten)",
    () => {
      const f = offenderFile();
      return overwrite(f, f.length - 40, f.length - 8);
    },
    /^the parquet footer cannot be read \(.+\): the file is corrupt; if DMS wrote/,
  ],
  [
    "a truncated file",
    () => offenderFile().slice(0, 200),
    `not a readable parquet file: it does not end with PAR1, so it is truncated or corrupt${RELOAD}`,
  ],
  [
    "a file that is not parquet",
    () => new TextEncoder().encode("id,name\n1,Smith\n"),
    `not a parquet file: it does not start with the parquet magic bytes PAR1 (it starts with "id,n")${RELOAD}`,
  ],
  [
    "an empty file",
    () => new Uint8Array(),
    "the file is empty (0 bytes): DMS never writes empty files, so the write was cut short; reload the table in DMS if rows are missing",
  ],
])("%s goes to fail with a reason and an alert", async (_what, content, reason) => {
  await s3.put(LANDING, KEY, content());
  const h = harness();

  await h.run(objectCreated(KEY));

  expect(await where()).toEqual({ landing: [], raw: [], fail: failed(KEY) });
  expect(h.alerts).toHaveLength(1);
  if (typeof reason === "string") expect(h.alerts[0].reason).toBe(reason);
  else expect(h.alerts[0].reason).toMatch(reason);
  expect((await reasonDocument()).reason).toBe(h.alerts[0].reason);
  expect(h.logs[0]).toMatchObject({ outcome: "invalid", destination: "fail" });
});

/** The file with bytes start to end overwritten (the magic bytes at both ends kept). */
function overwrite(file: Uint8Array, start: number, end: number): Uint8Array {
  const copy = new Uint8Array(file);
  copy.fill(0xff, start, end);
  return copy;
}

test("a key that is not <database>/<table>/<file>.parquet goes to fail", async () => {
  const key = "delius/offender/extra/LOAD00000001.csv";
  await s3.put(LANDING, key, "a,b\n");
  const h = harness();

  await h.run(objectCreated(key));

  expect(await where(key)).toEqual({ landing: [], raw: [], fail: failed(key) });
  expect(h.alerts[0]).toMatchObject({
    database: "delius",
    table: "offender",
    failedChecks: [{ check: "key-layout" }],
    reason:
      'the key "delius/offender/extra/LOAD00000001.csv" is not <database>/<table>/<file>.parquet, the layout DMS writes; ' +
      "only DMS output belongs in the landing bucket",
  });
});

test("the same event twice: the second finds the file already moved and changes nothing", async () => {
  await s3.put(LANDING, KEY, offenderFile({ surname: undefined }));
  const h = harness();

  await h.run(objectCreated(KEY));
  const first = await where();
  const reasonBefore = await reasonDocument();
  await h.run(objectCreated(KEY));

  expect(first).toEqual({ landing: [], raw: [], fail: failed(KEY) });
  expect(await where()).toEqual(first);
  expect(await reasonDocument()).toEqual(reasonBefore);
  expect(h.alerts).toHaveLength(1);
  expect(h.logs.map((l) => [l.outcome, l.destination])).toEqual([
    ["invalid", "fail"],
    ["already-processed", "fail"],
  ]);
});

test("a valid file's duplicate event is harmless too, and a vanished file is reported as missing", async () => {
  await s3.put(LANDING, KEY, offenderFile());
  const h = harness();
  await h.run(objectCreated(KEY));
  await h.run(objectCreated(KEY));
  await h.run(objectCreated("delius/offender/LOAD00000009.parquet"));

  expect(await where()).toEqual({ landing: [], raw: [rawKey(KEY)], fail: [] });
  expect(h.logs.map((l) => l.outcome)).toEqual(["valid", "already-processed", "missing"]);
  expect(h.logs[2].reason).toBe(
    "s3://landing/delius/offender/LOAD00000009.parquet is in neither landing, raw-history nor fail: something other than " +
      "this function removed it; look at the landing bucket's versions and CloudTrail",
  );
});

test("when the alert cannot be published the invocation fails, the file stays in landing, and a retry finishes the job", async () => {
  await s3.put(LANDING, KEY, offenderFile({ surname: undefined }));
  const h = harness({}, { failPublish: 1 });

  await expect(h.run(objectCreated(KEY))).rejects.toThrow("Rate exceeded");
  expect((await where()).landing).toEqual([KEY]);
  expect(h.logs[0]).toMatchObject({
    level: "ERROR",
    outcome: "error",
    reason:
      "ThrottledException: Rate exceeded; the file stays in landing and the event will be retried",
  });

  await h.run(objectCreated(KEY));
  expect(await where()).toEqual({ landing: [], raw: [], fail: failed(KEY) });
  expect(h.alerts).toHaveLength(1);
});

test("a classic S3 notification with a URL-encoded key is accepted", async () => {
  const key = "delius/offender/20261127 1200000000.parquet";
  await s3.put(LANDING, key, offenderFile({}, { kind: "cdc" }));
  const h = harness();

  await h.run({
    Records: [
      {
        eventSource: "aws:s3",
        eventName: "ObjectCreated:Put",
        s3: {
          bucket: { name: LANDING },
          object: { key: "delius/offender/20261127+1200000000.parquet", size: 10 },
        },
      },
    ],
  });

  expect(await where(key)).toEqual({ landing: [], raw: [key], fail: [] });
});

/** Every bundle read of a container: the ETag it sent and what S3 answered. */
function recordBundleReads(deps: ValidateDeps) {
  const reads: { sent: string | undefined; state: string }[] = [];
  const storage = deps.storage;
  const read = storage.getTextIfChanged.bind(storage);
  storage.getTextIfChanged = async (bucket, key, etag) => {
    const out = await read(bucket, key, etag);
    reads.push({ sent: etag, state: out.state });
    return out;
  };
  return reads;
}

const json = (table: object) => `${JSON.stringify(table, null, 2)}\n`;
const BROKEN_OFFENDER = json({ ...OFFENDER_TABLE, columns: [] });

test("a container reads the bundle once and reuses it across invocations", async () => {
  const h = harness();
  const reads = recordBundleReads(h.deps);
  for (const n of [1, 2])
    await s3.put(LANDING, `delius/offender/LOAD0000000${n}.parquet`, offenderFile());
  await h.run(objectCreated("delius/offender/LOAD00000001.parquet"));
  await publish(BROKEN_OFFENDER);
  await h.run(objectCreated("delius/offender/LOAD00000002.parquet"));

  expect(h.logs.map((l) => l.outcome)).toEqual(["valid", "valid"]);
  expect(reads).toEqual([{ sent: undefined, state: "changed" }]);

  // A fresh container reads the (now broken) bundle and says which table is wrong.
  const fresh = harness();
  await s3.put(LANDING, "delius/offender/LOAD00000003.parquet", offenderFile());
  await fresh.run(objectCreated("delius/offender/LOAD00000003.parquet"));
  expect(fresh.alerts[0].failedChecks.map((c) => c.check)).toEqual(["known-table"]);
  expect(fresh.alerts[0].reason).toMatch(
    /^the metadata of delius\.offender \(databases\/delius\.json\) is invalid: columns: expected at least one column; /,
  );
});

test("once its copy is older than the TTL, a container asks with the ETag: 304 keeps it, a republished bundle replaces it", async () => {
  const h = harness();
  let clock = 0;
  const deps = {
    ...h.deps,
    metadata: new MetadataStore(h.deps.storage, METADATA, 1000, () => clock),
  };
  const run = makeHandler(() => deps);
  const reads = recordBundleReads(deps);
  for (const n of [1, 2, 3])
    await s3.put(LANDING, `delius/offender/LOAD0000000${n}.parquet`, offenderFile());

  await run(objectCreated("delius/offender/LOAD00000001.parquet"));
  clock = 1000;
  await run(objectCreated("delius/offender/LOAD00000002.parquet"));
  await publish(BROKEN_OFFENDER);
  clock = 2000;
  await run(objectCreated("delius/offender/LOAD00000003.parquet"));

  const etag = reads[1]?.sent;
  expect(etag).toMatch(/^".+"$/);
  expect(reads).toEqual([
    { sent: undefined, state: "changed" },
    { sent: etag, state: "unchanged" },
    { sent: etag, state: "changed" },
  ]);
  expect(h.logs.map((l) => l.outcome)).toEqual(["valid", "valid", "invalid"]);
});

test("a file of a table the container's copy lacks makes it ask S3 again at once (a table just added)", async () => {
  await publish(json({ ...OFFENDER_TABLE, name: "COURT_ORDER" }));
  const h = harness();
  const reads = recordBundleReads(h.deps);
  for (const n of [1, 2])
    await s3.put(LANDING, `delius/offender/LOAD0000000${n}.parquet`, offenderFile());

  await h.run(objectCreated("delius/offender/LOAD00000001.parquet"));
  await publish(json({ ...OFFENDER_TABLE, name: "COURT_ORDER" }), OFFENDER_TABLE_JSON);
  await h.run(objectCreated("delius/offender/LOAD00000002.parquet"));

  expect(h.logs.map((l) => l.outcome)).toEqual(["invalid", "valid"]);
  expect(reads.map((r) => r.state)).toEqual(["changed", "changed"]);
});

test.each([
  [
    "a missing bundle sends the file to fail, saying the metadata project has not published it",
    () => s3.clear(),
    "no metadata for table delius.offender: the metadata bundle s3://metadata/databases/delius.json does not exist: " +
      "the metadata project (metadata-<env>) has not published it; add metadata/databases/delius/offender.json and " +
      "publish it (the metadata project), or drop the table from the DMS table mapping",
  ],
  [
    "a bundle of another version sends the file to fail, saying which versions and what to deploy",
    () => {
      const bundle = JSON.parse(metadataBundleText("delius", [OFFENDER_TABLE_JSON]));
      return s3.put(METADATA, BUNDLE, JSON.stringify({ ...bundle, version: 2 }));
    },
    "the metadata of delius.offender (databases/delius.json) is invalid: the metadata bundle " +
      "s3://metadata/databases/delius.json has version 2, but this reader knows version 1 only; deploy the " +
      "validation function (pipelines) and the metadata project from the same commit, then replay the files " +
      "it failed (npm run replay)",
  ],
])("%s", async (_what, arrange, reason) => {
  await arrange();
  await s3.put(LANDING, KEY, offenderFile());
  const h = harness();

  await h.run(objectCreated(KEY));

  expect(await where()).toEqual({ landing: [], raw: [], fail: failed(KEY) });
  expect(h.alerts).toMatchObject([{ failedChecks: [{ check: "known-table" }], reason }]);
});

test("the same event delivered twice at once: after any retries, one copy in raw-history and nothing lost", async () => {
  const file = offenderFile();
  await s3.put(LANDING, KEY, file);
  const a = harness();
  const b = harness();

  const settled = await Promise.allSettled([a.run(objectCreated(KEY)), b.run(objectCreated(KEY))]);
  // s3rver (unlike S3) can answer 500 when a copy races a delete of the same key; a failed
  // invocation is retried by Lambda, so do what the retry would.
  for (const [i, s] of settled.entries())
    if (s.status === "rejected") await [a, b][i].run(objectCreated(KEY));

  expect(await where()).toEqual({ landing: [], raw: [rawKey(KEY)], fail: [] });
  expect(Buffer.from((await s3.get(RAW, rawKey(KEY))) ?? [])).toEqual(Buffer.from(file));
  for (const outcome of [...a.logs, ...b.logs].map((l) => l.outcome))
    expect(["valid", "already-processed", "error"]).toContain(outcome);
});

test("a 403 on landing is an error, even for a key already moved: the function has s3:ListBucket, so S3 would say 404", async () => {
  await s3.put(LANDING, KEY, offenderFile());
  const h = harness();
  await h.run(objectCreated(KEY));
  const storage = h.deps.storage;
  const head = storage.head.bind(storage);
  storage.head = async (bucket, key) => {
    if (bucket === LANDING)
      throw Object.assign(new Error("Forbidden"), {
        name: "403",
        $metadata: { httpStatusCode: 403 },
      });
    return head(bucket, key);
  };

  await expect(h.run(objectCreated(KEY))).rejects.toThrow("Forbidden");
  expect(h.logs.map((l) => [l.outcome, l.destination])).toEqual([
    ["valid", "raw-history"],
    ["error", undefined],
  ]);
});

test.each([
  ["403 (a KMS or bucket policy mistake)", 403, "AccessDenied"],
  ["500", 500, "InternalError"],
])(
  "a metadata read failing with %s is an error to retry, not an unknown table",
  async (_what, status, name) => {
    await s3.put(LANDING, KEY, offenderFile());
    const h = harness();
    const storage = h.deps.storage;
    storage.getTextIfChanged = async () => {
      throw Object.assign(new Error("no"), { name, $metadata: { httpStatusCode: status } });
    };

    await expect(h.run(objectCreated(KEY))).rejects.toThrow(
      `reading the table metadata s3://metadata/databases/delius.json failed (${name} ${status}: no); ` +
        "the file stays in landing and the event will be retried. If this is 403, check the function's s3:GetObject " +
        "and kms:Decrypt on the metadata bucket and its key",
    );
    expect(await where()).toEqual({ landing: [KEY], raw: [], fail: [] });
    expect(h.alerts).toEqual([]);
  },
);

test("a metadata bucket that does not exist (NoSuchBucket, a 404 too) is an error, not an unknown table", async () => {
  await s3.put(LANDING, KEY, offenderFile());
  const h = harness({ METADATA_BUCKET: "no-such-metadata-bucket" });

  await expect(h.run(objectCreated(KEY))).rejects.toThrow(
    /^reading the table metadata s3:\/\/no-such-metadata-bucket\/databases\/delius\.json failed \(NoSuchBucket 404: /,
  );
  expect(await where()).toEqual({ landing: [KEY], raw: [], fail: [] });
  expect(h.alerts).toEqual([]);
});

test("an invalid file's event delivered three times at once sends one alert", async () => {
  await s3.put(LANDING, KEY, offenderFile({ surname: undefined }));
  const runs = [harness(), harness(), harness()];

  const settled = await Promise.allSettled(runs.map((h) => h.run(objectCreated(KEY))));
  for (const [i, s] of settled.entries())
    if (s.status === "rejected") await runs[i].run(objectCreated(KEY));

  expect(runs.flatMap((h) => h.alerts)).toHaveLength(1);
  expect(await where()).toEqual({ landing: [], raw: [], fail: failed(KEY) });
});

test("a reload never overwrites the earlier load in raw-history", async () => {
  const h = harness();
  const first = offenderFile();
  await s3.put(LANDING, KEY, first);
  await h.run(objectCreated(KEY));
  const second = offenderFile({}, { rowGroupSize: 1 });
  await s3.put(LANDING, KEY, second);
  await h.run({ ...objectCreated(KEY), time: "2026-11-28T08:30:05Z" });

  expect(await s3.keys(RAW)).toEqual([
    "delius/offender/LOAD-20261127T120000000Z-00000001.parquet",
    "delius/offender/LOAD-20261128T083005000Z-00000001.parquet",
  ]);
  expect(Buffer.from((await s3.get(RAW, rawKey(KEY))) ?? [])).toEqual(Buffer.from(first));
  expect(h.logs.map((l) => l.destinationKey)).toEqual([
    "delius/offender/LOAD-20261127T120000000Z-00000001.parquet",
    "delius/offender/LOAD-20261128T083005000Z-00000001.parquet",
  ]);
});

const CDC_KEY = "delius/offender/20261127-1200000000.parquet";

test("a CDC file as DMS writes it (I, U, D and their SCNs) keeps its name in raw-history", async () => {
  await s3.put(LANDING, CDC_KEY, offenderFile({}, { kind: "cdc" }));
  const h = harness();
  await h.run(objectCreated(CDC_KEY));
  expect(await where(CDC_KEY)).toEqual({ landing: [], raw: [CDC_KEY], fail: [] });
});

test.each([
  [
    "an Op other than I, U or D",
    { Op: { element: string("Op"), data: ["I", "X", "d"] } },
    'delius.offender: op has 2 values not I, U or D (rows 1, 2: "X", "d"); DMS writes only I, U and D in Op: ' +
      "the file was not written by this task's S3 endpoint",
  ],
  [
    "an extraction_timestamp not in DMS's format",
    {
      extraction_timestamp: {
        element: string("extraction_timestamp"),
        data: ["2026-11-27 12:00:00.123456", "2026-11-27T12:00:00Z", null],
      },
    },
    'delius.offender: extraction_timestamp has 2 values not in the format yyyy-MM-dd HH:mm:ss.SSSSSS (rows 1, 2: "2026-11-27T12:00:00Z", null); ' +
      "DMS writes TimestampColumnName values as yyyy-MM-dd HH:mm:ss.SSSSSS: check the S3 target endpoint settings",
  ],
  [
    "a change without its SCN",
    { scn: { element: string("scn"), data: ["8123456789", "", null] } },
    'delius.offender: scn has 2 values empty (a change without its SCN) (rows 1, 2: "", null); the add-column rule ' +
      "fills scn from $AR_H_STREAM_POSITION on every change: check the task's table mappings",
  ],
])("a CDC file with %s fails", async (_what, changes, reason) => {
  await s3.put(LANDING, CDC_KEY, offenderFile(changes, { kind: "cdc" }));
  const h = harness();
  await h.run(objectCreated(CDC_KEY));
  expect(h.alerts.map((a) => a.reason)).toEqual([reason]);
});

test("a vanished landing object is logged with the VanishedLandingObjects metric", async () => {
  const h = harness();
  await h.run(objectCreated("delius/offender/LOAD00000009.parquet"));
  expect(h.logs[0]).toMatchObject({
    level: "WARN",
    outcome: "missing",
    Database: "delius",
    VanishedLandingObjects: 1,
    _aws: {
      CloudWatchMetrics: [
        {
          Namespace: "DataEngineering/Validation",
          Dimensions: [["Database"]],
          Metrics: [{ Name: "VanishedLandingObjects", Unit: "Count" }],
        },
      ],
    },
  });
});

test("in a versioned landing bucket the validated version is copied and deleted, by its version id", async () => {
  // s3rver has no versioning, so the version ids S3 would answer are added here and the calls
  // recorded: HeadObject answers VersionId in a versioned bucket (Amazon S3 API reference).
  await s3.put(LANDING, KEY, offenderFile());
  const h = harness();
  const storage = h.deps.storage;
  const calls: unknown[][] = [];
  const head = storage.head.bind(storage);
  const copy = storage.copy.bind(storage);
  const remove = storage.delete.bind(storage);
  storage.head = async (bucket, key) => {
    const found = await head(bucket, key);
    calls.push(["head", bucket, key]);
    return found && bucket === LANDING
      ? { ...found, versionId: "3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrH" }
      : found;
  };
  storage.copy = async (from, to) => {
    calls.push(["copy", from.versionId, to.key]);
    await copy({ ...from, versionId: undefined }, to);
  };
  storage.delete = async (bucket, key, versionId) => {
    calls.push(["delete", bucket, key, versionId]);
    await remove(bucket, key);
  };

  await h.run(objectCreated(KEY));

  expect(calls).toEqual([
    ["head", LANDING, KEY],
    ["copy", "3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrH", rawKey(KEY)],
    ["delete", LANDING, KEY, "3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrH"],
  ]);
  expect(await where()).toEqual({ landing: [], raw: [rawKey(KEY)], fail: [] });
});
