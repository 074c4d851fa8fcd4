/**
 * The lake's key layout: where an object of one table lives in each bucket. DMS writes the
 * landing keys; the validation Lambda moves a file to raw-history or to fail (with its reason
 * and alert claim beside it); the metadata project publishes one metadata bundle per database; tools/replay,
 * tools/validate and the pipelines program read the same layout from here.
 */
import { DATABASES, type Database } from "../model/stacks";

export type LandingKey =
  | {
      readonly ok: true;
      readonly database: Database;
      readonly table: string;
      readonly file: string;
    }
  | {
      readonly ok: false;
      readonly database: string | null;
      readonly table: string | null;
      readonly message: string;
    };

/**
 * The prefix of a database's files, or of one of its tables' files, in landing and in fail
 * (`<database>/` or `<database>/<table>/`): the start of the layout below.
 */
export const landingPrefix = (database: string, table?: string) =>
  table ? `${database}/${table}/` : `${database}/`;

const SEGMENT = /^[a-z][a-z0-9_$#]*$/;

/** Splits `<database>/<table>/<file>.parquet`, the layout DMS writes into the landing bucket. */
export function parseLandingKey(key: string): LandingKey {
  const parts = key.split("/");
  const [database, table, file] = parts;
  if (parts.length !== 3 || !file || !file.toLowerCase().endsWith(".parquet")) {
    return {
      ok: false,
      database: parts.length > 1 ? (database ?? null) : null,
      table: parts.length > 2 ? (table ?? null) : null,
      message:
        `the key "${key}" is not <database>/<table>/<file>.parquet, the layout DMS writes; ` +
        `only DMS output belongs in the landing bucket`,
    };
  }
  if (!(DATABASES as readonly string[]).includes(database)) {
    return {
      ok: false,
      database,
      table,
      message:
        `the key "${key}" names the database "${database}", which is not one of ${DATABASES.join(", ")}; ` +
        `only DMS output for those databases belongs in the landing bucket`,
    };
  }
  if (!SEGMENT.test(table)) {
    return {
      ok: false,
      database,
      table,
      message:
        `the key "${key}" names the table "${table}", which is not a lower-case Oracle table name; ` +
        `check the DMS table mapping's rename rules`,
    };
  }
  return { ok: true, database: database as Database, table, file };
}

/** A time as it appears in keys: `20261127T120000000Z` (ISO 8601 without separators). */
const keyTime = (at: Date) => at.toISOString().replace(/[-:.]/g, "");

/**
 * `LOAD00000001.parquet` (a hexadecimal counter): a full-load file. DMS names CDC files by
 * time, such as `20141029-1134010000.parquet` (AWS DMS user guide, "Using Amazon S3 as a
 * target": https://docs.aws.amazon.com/dms/latest/userguide/CHAP_Target.S3.html).
 */
export const FULL_LOAD_FILE = /^LOAD([0-9A-F]{8}\.parquet)$/i;

/**
 * Where a landing file goes in raw-history. DMS names full-load files LOAD00000001.parquet,
 * LOAD00000002.parquet, ... and starts again at 1 on every reload, so a full-load file gets
 * the time S3 created it as an infix: `LOAD00000001.parquet` created 2026-11-27 12:00:00 UTC
 * becomes `LOAD-20261127T120000000Z-00000001.parquet`. A reload never overwrites an earlier
 * load, and files sort by load time. CDC files are named by DMS from the time of their
 * changes (20261127-1200000000.parquet) and keep their names, so their order is DMS's.
 * The same event always gives the same key, so a retried copy overwrites itself only.
 */
export function rawHistoryKey(key: string, created: Date): string {
  const slash = key.lastIndexOf("/");
  const file = key.slice(slash + 1);
  const m = FULL_LOAD_FILE.exec(file);
  if (!m) return key;
  return `${key.slice(0, slash + 1)}LOAD-${keyTime(created)}-${m[1]}`;
}

/**
 * A failed file keeps its landing key in the fail bucket, with the JSON object that gives the
 * reason beside it: `<key>.reason.json`.
 */
export const reasonKeyFor = (key: string) => `${key}.reason.json`;

/**
 * The marker in the fail bucket that one invocation has alerted for one landing object (key and
 * creation time), written with a conditional put so that of concurrent duplicates exactly one alerts.
 */
export const alertClaimKeyFor = (key: string, created: Date) =>
  `${alertClaimPrefixFor(key)}${keyTime(created)}`;

/** What every alert claim of one landing key starts with, whatever its creation time. */
export const alertClaimPrefixFor = (key: string) => `${key}.alerted-`;

/**
 * Where the metadata project publishes a database's metadata bundle (metadataBundle.ts: every
 * table of the database in one object) in the metadata bucket.
 */
export const metadataBundleKey = (database: string) => `databases/${database}.json`;
