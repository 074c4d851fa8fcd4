/**
 * What happens to one landing object: validate it, copy it to raw-history (valid) or to the
 * fail bucket with a reason beside it and an alert (invalid), and only then delete it from
 * landing. Every step can be repeated, so a retried or duplicated event does no harm.
 */
import type { S3Client } from "@aws-sdk/client-s3";
import { VALIDATION_FAILURE_KIND, type ValidationFailureAlert } from "../contracts/alerts";
import type { Logger } from "../lambda/log";
import {
  countMetricFields,
  VALIDATION_METRICS_NAMESPACE,
  VANISHED_METRIC,
} from "../lambda/metrics";
import { badKey, invalidMetadata, unknownTable } from "./checks";
import type { ValidateConfig } from "../contracts/validateEnv";
import {
  alertClaimKeyFor,
  FULL_LOAD_FILE,
  parseLandingKey,
  metadataBundleKey,
  rawHistoryKey,
  reasonKeyFor,
} from "../contracts/lakeKeys";
import { objectsFromEvent, type ObjectRef } from "./event";
import { MetadataStore } from "./metadataStore";
import { StorageReadError } from "./parquet";
import { isNotFound, Storage, type ObjectHead } from "./storage";
import { failedWith, judgeFile, type Verdict } from "./verdict";

/** Where a validation failure is published (the Lambda: its alerts SNS topic). */
export interface AlertPublisher {
  publish(alert: ValidationFailureAlert): Promise<void>;
}

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

/**
 * The dependencies of processEvent over one S3 client: the Lambda builds them with its own
 * clients (pipelines/functions/validate/index.ts); tests and tools with theirs.
 */
export function validationDeps(
  config: ValidateConfig,
  s3: S3Client,
  rest: Pick<ValidateDeps, "alerts" | "logger" | "wholeFileBytes" | "now">,
): ValidateDeps {
  const storage = new Storage(s3);
  return { config, storage, metadata: new MetadataStore(storage, config.metadataBucket), ...rest };
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
  /** The raw-history key of a valid file (full-load files get a time infix: rawHistoryKey). */
  readonly destinationKey?: string;
  /** Invalid files: whether this invocation sent the alert (false: a concurrent duplicate did). */
  readonly alerted?: boolean;
}

export const DEFAULT_WHOLE_FILE_BYTES = 16 * 1024 * 1024;

async function judge(
  ref: { bucket: string; key: string },
  head: ObjectHead,
  deps: ValidateDeps,
): Promise<Verdict> {
  const parsed = parseLandingKey(ref.key);
  if (!parsed.ok) return failedWith(badKey(parsed.message));
  const lookup = await deps.metadata.lookup(parsed.database, parsed.table);
  if (!lookup.found) {
    return failedWith(
      lookup.invalid
        ? invalidMetadata(parsed.database, parsed.table, lookup.detail)
        : unknownTable(parsed.database, parsed.table, lookup.detail),
    );
  }
  const file = deps.storage.asyncBuffer(
    ref.bucket,
    ref.key,
    head,
    deps.wholeFileBytes ?? DEFAULT_WHOLE_FILE_BYTES,
  );
  return judgeFile(file, lookup.table, parsed.file, deps.config.unknownColumns);
}

/**
 * Why a key is no longer in landing: a repeated event (already moved) or something else
 * removed it. `created` is the object's creation time from the event, which names its
 * raw-history key; without it only the fail bucket can be checked.
 */
async function afterTheFact(
  bucket: string,
  key: string,
  created: Date | undefined,
  deps: ValidateDeps,
): Promise<Pick<FileResult, "outcome" | "destination" | "reason">> {
  const { config, storage } = deps;
  // A CDC file keeps its key; a full-load file's raw key needs the creation time.
  const isFullLoad = FULL_LOAD_FILE.test(key.slice(key.lastIndexOf("/") + 1));
  const rawKey = created ? rawHistoryKey(key, created) : isFullLoad ? undefined : key;
  if (rawKey && (await storage.head(config.rawHistoryBucket, rawKey)))
    return { outcome: "already-processed", destination: "raw-history" };
  if (await storage.head(config.failBucket, key))
    return { outcome: "already-processed", destination: "fail" };
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
  // Any answer but a real missing key (404; the function has s3:ListBucket, so S3 does not
  // answer 403 for one) is thrown: the invocation fails and is retried.
  for (const candidate of ref.keys) {
    head = await storage.head(ref.bucket, candidate);
    if (head) {
      key = candidate;
      break;
    }
  }
  const parsed = parseLandingKey(key);
  const names = { database: parsed.database, table: parsed.table };
  const base = { bucket: ref.bucket, key, ...names };
  const gone = async () => ({ ...base, ...(await afterTheFact(ref.bucket, key, ref.time, deps)) });
  if (!head) return gone();
  const created = ref.time ?? head.lastModified ?? now();
  const rawKey = rawHistoryKey(key, created);

  // Another invocation for the same key may move it while this one works: then S3 answers 404.
  const movedMeanwhile = async (e: unknown) =>
    (isNotFound(e) || (e instanceof StorageReadError && isNotFound(e.cause))) &&
    !(await storage.head(ref.bucket, key));

  let verdict: Verdict;
  try {
    verdict = await judge({ bucket: ref.bucket, key }, head, deps);
  } catch (e) {
    if (await movedMeanwhile(e)) return gone();
    throw e;
  }
  const valid = verdict.failures.length === 0;
  const source = { bucket: ref.bucket, key, etag: head.etag, versionId: head.versionId };
  const reason = verdict.failures.map((f) => f.message).join("\n");
  let alerted = false;
  try {
    if (valid) {
      await storage.copy(source, { bucket: config.rawHistoryBucket, key: rawKey });
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
        versionId: head.versionId ?? null,
        metadataKey: parsed.ok ? metadataBundleKey(parsed.database) : null,
        warnings: verdict.warnings,
      });
      // Of concurrent duplicates, only the one whose conditional put wins alerts. If the
      // publish fails, the claim is withdrawn so that the retry alerts (at least once).
      // Published before the delete: if the delete fails, the retry finds the claim and does
      // not alert twice.
      const claim = alertClaimKeyFor(key, created);
      if (
        await storage.putJsonIfAbsent(config.failBucket, claim, {
          key,
          etag: head.etag ?? null,
          versionId: head.versionId ?? null,
          detectedAt: alert.detectedAt,
        })
      ) {
        try {
          await deps.alerts.publish(alert);
          alerted = true;
        } catch (e) {
          await storage.delete(config.failBucket, claim).catch(() => undefined);
          throw e;
        }
      }
    }
  } catch (e) {
    if (await movedMeanwhile(e)) return gone();
    throw e;
  }

  // Delete exactly the version that was validated and copied. In a versioned bucket that is
  // its version id (a newer version stays current); otherwise only if the ETag is unchanged.
  let landingKept = false;
  if (head.versionId) {
    await storage.delete(ref.bucket, key, head.versionId);
  } else {
    const current = await storage.head(ref.bucket, key);
    landingKept = current !== undefined && current.etag !== head.etag;
    if (current && !landingKept) await storage.delete(ref.bucket, key);
  }

  return {
    ...base,
    outcome: valid ? "valid" : "invalid",
    destination: valid ? "raw-history" : "fail",
    ...(valid ? { destinationKey: rawKey } : {}),
    rows: verdict.rows,
    size: head.size,
    ...(valid ? {} : { reason, failedChecks: verdict.failures.map((f) => f.check), alerted }),
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
    const fields = {
      ...result,
      durationMs: Date.now() - started,
      // A vanished object is also a metric (VanishedLandingObjects), which an alarm watches.
      ...(result.outcome === "missing"
        ? countMetricFields(VALIDATION_METRICS_NAMESPACE, VANISHED_METRIC, {
            Database: result.database ?? "unknown",
          })
        : {}),
    };
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
