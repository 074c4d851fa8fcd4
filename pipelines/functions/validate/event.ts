/**
 * The objects an invocation must validate: from the EventBridge S3 "Object Created" event
 * (how the Pulumi program wires it) or from a classic S3 notification (Records[].s3).
 */
import { DATABASES, type Database } from "../../../lib/model/stacks";

export interface ObjectRef {
  readonly bucket: string;
  /**
   * Keys to try, in order. S3 notifications URL-encode keys ("a b" arrives as "a+b"); the
   * decoded key comes first and the raw one is kept in case a key was sent unencoded.
   */
  readonly keys: readonly string[];
  /** The size the event reported, if any. */
  readonly size?: number;
  /** When S3 created the object, as the event says (EventBridge `time`, S3 `eventTime`). */
  readonly time?: Date;
}

function timeOf(value: unknown): Date | undefined {
  if (typeof value !== "string") return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

export class UnrecognisedEventError extends Error {
  constructor(event: unknown) {
    const text = JSON.stringify(event) ?? String(event);
    super(
      `Unrecognised event: expected an EventBridge S3 "Object Created" event (detail.bucket.name, ` +
        `detail.object.key) or an S3 notification (Records[].s3); got ${text.slice(0, 500)}. ` +
        `Check the trigger of this function.`,
    );
    this.name = "UnrecognisedEventError";
  }
}

/** Decodes a key from an S3 notification: `+` is a space, then percent-decoding. */
export function decodeEventKey(key: string): string {
  try {
    return decodeURIComponent(key.replace(/\+/g, " "));
  } catch {
    return key;
  }
}

function candidates(raw: string): string[] {
  const decoded = decodeEventKey(raw);
  return decoded === raw ? [raw] : [decoded, raw];
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;
const get = (v: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>((at, k) => (isRecord(at) ? at[k] : undefined), v);

export function objectsFromEvent(event: unknown): ObjectRef[] {
  if (isRecord(event) && event.source === "aws.s3" && event["detail-type"] === "Object Created") {
    const bucket = get(event, "detail", "bucket", "name");
    const key = get(event, "detail", "object", "key");
    const size = get(event, "detail", "object", "size");
    if (typeof bucket === "string" && typeof key === "string" && key !== "") {
      return [
        {
          bucket,
          keys: candidates(key),
          size: typeof size === "number" ? size : undefined,
          time: timeOf(event.time),
        },
      ];
    }
  }
  if (isRecord(event) && Array.isArray(event.Records)) {
    const refs = event.Records.flatMap((r: unknown): ObjectRef[] => {
      const name = get(r, "eventName");
      if (typeof name === "string" && !name.startsWith("ObjectCreated")) return [];
      const bucket = get(r, "s3", "bucket", "name");
      const key = get(r, "s3", "object", "key");
      const size = get(r, "s3", "object", "size");
      if (typeof bucket !== "string" || typeof key !== "string" || key === "") return [];
      return [
        {
          bucket,
          keys: candidates(key),
          size: typeof size === "number" ? size : undefined,
          time: timeOf(get(r, "eventTime")),
        },
      ];
    });
    if (refs.length > 0 || event.Records.length > 0) return refs;
  }
  throw new UnrecognisedEventError(event);
}

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
  const stamp = created.toISOString().replace(/[-:.]/g, "");
  return `${key.slice(0, slash + 1)}LOAD-${stamp}-${m[1]}`;
}
