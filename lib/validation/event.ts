/**
 * The objects an invocation must validate: from the EventBridge S3 "Object Created" event
 * (how the Pulumi program wires it) or from a classic S3 notification (Records[].s3).
 */

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
