/**
 * What happens to one landing object: validate it, copy it to raw-history (valid) or to the
 * fail bucket with a reason beside it and an alert (invalid), and only then delete it from
 * landing. Every step can be repeated, so a retried or duplicated event does no harm.
 */
import { lakeName, metadataObjectKey } from "../../../lib/metadata";
import {
  VALIDATION_FAILURE_KIND,
  type ValidationFailureAlert,
} from "../../../lib/lambda/alert";
import type { Logger } from "../../../lib/lambda/log";
import type { AlertPublisher } from "./alerts";
import {
  badKey,
  checkColumnsPresent,
  checkColumnTypes,
  checkPrimaryKeyNulls,
  checkUnknownColumns,
  emptyFile,
  invalidMetadata,
  unknownTable,
  unreadable,
  type Failure,
} from "./checks";
import type { ValidateConfig } from "./config";
import { objectsFromEvent, parseLandingKey, type ObjectRef } from "./event";
import type { MetadataStore } from "./metadataStore";
import {
  readParquetSummary,
  scanParquet,
  StorageReadError,
  UnreadableParquetError,
} from "./parquet";
import { isAccessDenied, isNotFound, type ObjectHead, type Storage } from "./storage";

export interface ValidateDeps {
  readonly config: ValidateConfig;
  readonly storage: Storage;
  readonly metadata: MetadataStore;
  readonly alerts: AlertPublisher;
  readonly logger: Logger;
  /** Files up to this size are fetched in one request; larger ones by ranges. Default: 16 MiB. */
  readonly wholeFileBytes?: number;
  readonly now?: () => Date;
}

export type Outcome =
  /** Copied to raw-history and deleted from landing. */
  | "valid"
  /** Copied to the fail bucket with a reason, alert published, deleted from landing. */
  | "invalid"
  /** Not in landing any more but already in raw-history or fail: a repeated event. */
  | "already-processed"
  /** In neither landing, raw-history nor fail: something else removed it. */
  | "missing"
  /** Processing failed (storage or SNS); the invocation fails so the event is retried. */
  | "error";

export interface FileResult {
  readonly bucket: string;
  readonly key: string;
  readonly database: string | null;
  readonly table: string | null;
  readonly outcome: Outcome;
  readonly destination?: "raw-history" | "fail";
  readonly rows?: number | null;
  readonly size?: number;
  readonly reason?: string;
  readonly failedChecks?: readonly string[];
  readonly warnings?: readonly string[];
  /** The landing object changed while it was validated, so it was left for its own event. */
  readonly landingKept?: boolean;
}

interface Verdict {
  readonly failures: Failure[];
  readonly warnings: string[];
  readonly rows: number | null;
}

export const DEFAULT_WHOLE_FILE_BYTES = 16 * 1024 * 1024;

/** The JSON object written beside a failed file: `<key>.reason.json`. */
export const reasonKeyFor = (key: string) => `${key}.reason.json`;

async function judge(
  ref: { bucket: string; key: string },
  head: ObjectHead,
  deps: ValidateDeps,
): Promise<Verdict> {
  const none = (failure: Failure, rows: number | null = null): Verdict => ({
    failures: [failure],
    warnings: [],
    rows,
  });
  if (head.size === 0) return none(emptyFile());
  const parsed = parseLandingKey(ref.key);
  if (!parsed.ok) return none(badKey(parsed.message));

  const lookup = await deps.metadata.lookup(parsed.database, parsed.table);
  if (!lookup.found) {
    return none(
      lookup.invalid
        ? invalidMetadata(parsed.database, parsed.table, lookup.detail)
        : unknownTable(parsed.database, parsed.table, lookup.detail),
    );
  }
  const table = lookup.table;
  const file = deps.storage.asyncBuffer(
    ref.bucket,
    ref.key,
    head,
    deps.wholeFileBytes ?? DEFAULT_WHOLE_FILE_BYTES,
  );

  let summary;
  try {
    summary = await readParquetSummary(file);
  } catch (e) {
    if (e instanceof UnreadableParquetError) return none(unreadable(e.message));
    throw e;
  }
  const failures: Failure[] = [];
  const warnings: string[] = [];
  const present = checkColumnsPresent(table, summary.columns);
  if (present) failures.push(present);
  const types = checkColumnTypes(table, summary.columns);
  if (types) failures.push(types);
  const unknown = checkUnknownColumns(table, summary.columns, deps.config.unknownColumns);
  if (unknown.failure) failures.push(unknown.failure);
  if (unknown.warning) warnings.push(unknown.warning);
  try {
    const nulls = await scanParquet(file, summary, table.primaryKey.map(lakeName));
    const keyNulls = checkPrimaryKeyNulls(table, nulls);
    if (keyNulls) failures.push(keyNulls);
  } catch (e) {
    if (!(e instanceof UnreadableParquetError)) throw e;
    failures.push(unreadable(e.message));
  }
  return { failures, warnings, rows: summary.rows };
}

/** Why a key is no longer in landing: a repeated event (already moved) or something else removed it. */
async function afterTheFact(
  bucket: string,
  key: string,
  deps: ValidateDeps,
): Promise<Pick<FileResult, "outcome" | "destination" | "reason">> {
  const { config, storage } = deps;
  try {
    if (await storage.head(config.rawHistoryBucket, key))
      return { outcome: "already-processed", destination: "raw-history" };
    if (await storage.head(config.failBucket, key))
      return { outcome: "already-processed", destination: "fail" };
  } catch (e) {
    return {
      outcome: "missing",
      reason: `s3://${bucket}/${key} is not in landing, and checking raw-history and fail for it failed: ${(e as Error).message}`,
    };
  }
  return {
    outcome: "missing",
    reason:
      `s3://${bucket}/${key} is in neither landing, raw-history nor fail: something other than this function ` +
      `removed it; look at the landing bucket's versions and CloudTrail`,
  };
}

export async function processObject(ref: ObjectRef, deps: ValidateDeps): Promise<FileResult> {
  const { config, storage } = deps;
  const now = deps.now ?? (() => new Date());
  let key = ref.keys[0];
  let head: ObjectHead | undefined;
  for (const candidate of ref.keys) {
    try {
      head = await storage.head(ref.bucket, candidate);
    } catch (e) {
      // Without s3:ListBucket on landing, S3 answers 403 for a key that is gone. If the file is
      // already in raw-history or fail this is a repeated event; otherwise the error stands.
      if (!isAccessDenied(e)) throw e;
      const done = await afterTheFact(ref.bucket, candidate, deps);
      if (done.outcome === "already-processed") {
        const parsed = parseLandingKey(candidate);
        return {
          bucket: ref.bucket,
          key: candidate,
          database: parsed.database,
          table: parsed.table,
          ...done,
        };
      }
      throw e;
    }
    if (head) {
      key = candidate;
      break;
    }
  }
  const parsed = parseLandingKey(key);
  const names = { database: parsed.database, table: parsed.table };
  const base = { bucket: ref.bucket, key, ...names };
  if (!head) return { ...base, ...(await afterTheFact(ref.bucket, key, deps)) };

  // Another invocation for the same key may move it while this one works: then S3 answers 404.
  const movedMeanwhile = async (e: unknown) =>
    (isNotFound(e) || (e instanceof StorageReadError && isNotFound(e.cause))) &&
    !(await storage.head(ref.bucket, key));

  let verdict: Verdict;
  try {
    verdict = await judge({ bucket: ref.bucket, key }, head, deps);
  } catch (e) {
    if (await movedMeanwhile(e)) return { ...base, ...(await afterTheFact(ref.bucket, key, deps)) };
    throw e;
  }
  const valid = verdict.failures.length === 0;
  const source = { bucket: ref.bucket, key, etag: head.etag };
  const reason = verdict.failures.map((f) => f.message).join("\n");
  try {
    if (valid) {
      await storage.copy(source, { bucket: config.rawHistoryBucket, key });
    } else {
      await storage.copy(source, { bucket: config.failBucket, key });
      const alert: ValidationFailureAlert = {
        kind: VALIDATION_FAILURE_KIND,
        environment: config.environment,
        region: config.region,
        ...names,
        key,
        landingBucket: ref.bucket,
        failBucket: config.failBucket,
        reasonKey: reasonKeyFor(key),
        reason,
        failedChecks: verdict.failures,
        rows: verdict.rows,
        detectedAt: now().toISOString(),
      };
      await storage.putJson(config.failBucket, reasonKeyFor(key), {
        ...alert,
        size: head.size,
        etag: head.etag ?? null,
        metadataKey: parsed.ok ? metadataObjectKey(parsed.database, parsed.table) : null,
        warnings: verdict.warnings,
      });
      // Published before the delete: if the delete fails, the retry alerts again rather than never.
      await deps.alerts.publish(alert);
    }
  } catch (e) {
    if (await movedMeanwhile(e)) return { ...base, ...(await afterTheFact(ref.bucket, key, deps)) };
    throw e;
  }

  // Delete only the version that was validated and copied; a newer one has its own event.
  const current = await storage.head(ref.bucket, key);
  const landingKept = current !== undefined && current.etag !== head.etag;
  if (current && !landingKept) await storage.delete(ref.bucket, key);

  return {
    ...base,
    outcome: valid ? "valid" : "invalid",
    destination: valid ? "raw-history" : "fail",
    rows: verdict.rows,
    size: head.size,
    ...(valid ? {} : { reason, failedChecks: verdict.failures.map((f) => f.check) }),
    ...(verdict.warnings.length > 0 ? { warnings: verdict.warnings } : {}),
    ...(landingKept ? { landingKept } : {}),
  };
}

/**
 * Handles one invocation: every object in the event, one log line each. If any object could
 * not be processed (storage or SNS errors), the invocation fails after the others are done,
 * so EventBridge retries it; repeating the objects that were done is harmless.
 */
export async function processEvent(event: unknown, deps: ValidateDeps): Promise<FileResult[]> {
  const refs = objectsFromEvent(event);
  const results: FileResult[] = [];
  const errors: Error[] = [];
  for (const ref of refs) {
    const started = Date.now();
    let result: FileResult;
    try {
      result = await processObject(ref, deps);
    } catch (e) {
      const error = e as Error;
      errors.push(error);
      const parsed = parseLandingKey(ref.keys[0]);
      result = {
        bucket: ref.bucket,
        key: ref.keys[0],
        database: parsed.database,
        table: parsed.table,
        outcome: "error",
        reason: `${error.name}: ${error.message}; the file stays in landing and the event will be retried`,
      };
    }
    results.push(result);
    const fields = { ...result, durationMs: Date.now() - started };
    if (result.outcome === "error") deps.logger.error("file not processed", fields);
    else if (result.outcome === "invalid" || result.outcome === "missing" || result.warnings)
      deps.logger.warn("file processed", fields);
    else deps.logger.info("file processed", fields);
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1)
    throw new AggregateError(
      errors,
      `${errors.length} of ${refs.length} files could not be processed`,
    );
  return results;
}
