/**
 * Replay: failed files moved from the fail bucket back to landing, so that the validation
 * Lambda checks them again (landing's Object Created event) once the metadata is fixed.
 *
 * The layout is the one pipelines/functions/validate writes (validate.ts): a failed file keeps
 * its landing key `<database>/<table>/<file>.parquet` in the fail bucket, with the reason beside
 * it at `<key>.reason.json` (reasonKeyFor). For each failed file, in key order:
 *
 * 1. skip it when landing already has an object at that key: that one is newer (DMS wrote it
 *    again) or not yet validated, and a replay never overwrites it;
 * 2. copy it to landing, pinned to the ETag it was listed with;
 * 3. set its reason file aside under `replayed/<run time>/<key>.reason.json` in the fail bucket
 *    (a record of why it failed; a new failure writes a new reason beside a new copy);
 * 4. delete it from the fail bucket, so that a new failure is not mistaken for an old one, with
 *    its alert markers (`<key>.alerted-<created>`, alertClaimKeyFor): they claim the alert for
 *    the old landing object, and the copy in landing is a new object that alerts on its own.
 */
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  type S3Client,
} from "@aws-sdk/client-s3";
import { copySource, isNotFound } from "../../lib/validation/storage";
import { alertClaimPrefixFor, landingPrefix, reasonKeyFor } from "../../lib/contracts/lakeKeys";

export const REPLAYED_PREFIX = "replayed/";

export interface ReplayOptions {
  readonly s3: S3Client;
  readonly failBucket: string;
  readonly landingBucket: string;
  readonly database: string;
  /** Lower-case table name, as in the keys; all tables of the database when undefined. */
  readonly table?: string;
  /** Only files that failed at or after this time (the fail object's LastModified). */
  readonly since?: Date;
  readonly dryRun: boolean;
  /** The run's time, which names the folder the reason files are set aside in. */
  readonly now: Date;
  /** Told of each file as soon as it is done, so that an S3 error later loses no news. */
  readonly onFile?: (file: ReplayedFile) => void;
}

export interface ReplayedFile {
  readonly key: string;
  readonly failedAt: string;
  readonly outcome: "moved" | "would-move" | "skipped-landing-has-object";
  /** The first line of the reason the validation gave, when the reason file says. */
  readonly reason?: string;
  /** Where the reason file went (or would go); absent when the file had none. */
  readonly reasonSetAsideAt?: string;
  /** skipped: when landing's object was written. */
  readonly landingModified?: string;
}

interface Listed {
  readonly key: string;
  readonly etag?: string;
  readonly lastModified: Date;
}

async function list(s3: S3Client, bucket: string, prefix: string): Promise<Listed[]> {
  const found: Listed[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    );
    for (const o of page.Contents ?? []) {
      if (o.Key)
        found.push({ key: o.Key, etag: o.ETag, lastModified: o.LastModified ?? new Date(0) });
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return found;
}

async function headModified(s3: S3Client, bucket: string, key: string): Promise<Date | undefined> {
  try {
    const out = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
    return out.LastModified ?? new Date(0);
  } catch (e) {
    if (isNotFound(e)) return undefined;
    throw e;
  }
}

async function reasonOf(s3: S3Client, bucket: string, key: string): Promise<string | undefined> {
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const doc = JSON.parse((await out.Body?.transformToString("utf-8")) ?? "{}") as {
      reason?: unknown;
    };
    return typeof doc.reason === "string" ? doc.reason.split("\n")[0] : undefined;
  } catch (e) {
    if (isNotFound(e) || e instanceof SyntaxError) return undefined;
    throw e;
  }
}

const stamp = (d: Date) => d.toISOString().replace(/[:.]/g, "-");

/** Moves (or, with dryRun, lists) the failed files; S3 errors are thrown as they come. */
export async function replay(o: ReplayOptions): Promise<ReplayedFile[]> {
  const objects = await list(o.s3, o.failBucket, landingPrefix(o.database, o.table));
  const keys = new Set(objects.map((x) => x.key));
  const failed = objects
    .filter((x) => x.key.split("/").length === 3 && x.key.toLowerCase().endsWith(".parquet"))
    .filter((x) => !o.since || x.lastModified >= o.since)
    .sort((a, b) => (a.key < b.key ? -1 : 1));
  const results: ReplayedFile[] = [];
  const done = (r: ReplayedFile) => {
    results.push(r);
    o.onFile?.(r);
  };
  for (const file of failed) {
    const reasonKey = reasonKeyFor(file.key);
    const hasReason = keys.has(reasonKey);
    const base = {
      key: file.key,
      failedAt: file.lastModified.toISOString(),
      ...(hasReason ? { reason: await reasonOf(o.s3, o.failBucket, reasonKey) } : {}),
    };
    const landingModified = await headModified(o.s3, o.landingBucket, file.key);
    if (landingModified) {
      done({
        ...base,
        outcome: "skipped-landing-has-object",
        landingModified: landingModified.toISOString(),
      });
      continue;
    }
    const asideKey = `${REPLAYED_PREFIX}${stamp(o.now)}/${reasonKey}`;
    const aside = hasReason ? { reasonSetAsideAt: `s3://${o.failBucket}/${asideKey}` } : {};
    if (o.dryRun) {
      done({ ...base, outcome: "would-move", ...aside });
      continue;
    }
    await o.s3.send(
      new CopyObjectCommand({
        Bucket: o.landingBucket,
        Key: file.key,
        CopySource: copySource(o.failBucket, file.key),
        CopySourceIfMatch: file.etag,
      }),
    );
    if (hasReason) {
      await o.s3.send(
        new CopyObjectCommand({
          Bucket: o.failBucket,
          Key: asideKey,
          CopySource: copySource(o.failBucket, reasonKey),
        }),
      );
      await o.s3.send(new DeleteObjectCommand({ Bucket: o.failBucket, Key: reasonKey }));
    }
    await o.s3.send(new DeleteObjectCommand({ Bucket: o.failBucket, Key: file.key }));
    for (const marker of alertMarkersOf(file.key, keys))
      await o.s3.send(new DeleteObjectCommand({ Bucket: o.failBucket, Key: marker }));
    done({ ...base, outcome: "moved", ...aside });
  }
  return results;
}

/** The alert markers the validation Lambda left beside a failed file (alertClaimKeyFor). */
function alertMarkersOf(key: string, keys: ReadonlySet<string>): string[] {
  const prefix = alertClaimPrefixFor(key);
  return [...keys].filter((k) => k.startsWith(prefix)).sort();
}

/** What `npm run replay` prints for one file. */
export function replayLine(
  r: ReplayedFile,
  o: Pick<ReplayOptions, "failBucket" | "landingBucket">,
): string {
  const from = `s3://${o.failBucket}/${r.key}`;
  const to = `s3://${o.landingBucket}/${r.key}`;
  const why = ` (failed ${r.failedAt}${r.reason ? `: ${r.reason}` : ""})`;
  switch (r.outcome) {
    case "moved":
      return (
        `moved ${from} -> ${to}${why}` +
        (r.reasonSetAsideAt ? `; reason set aside at ${r.reasonSetAsideAt}` : "")
      );
    case "would-move":
      return (
        `would move ${from} -> ${to}${why}` +
        (r.reasonSetAsideAt ? `; reason to ${r.reasonSetAsideAt}` : "")
      );
    default:
      return `skipped ${from}: ${to} exists (written ${r.landingModified}); a replay never overwrites landing`;
  }
}

/** The last line: totals. */
export function replaySummary(results: readonly ReplayedFile[], dryRun: boolean): string {
  if (results.length === 0) return "No failed files to replay.";
  const moved = results.filter((r) => r.outcome !== "skipped-landing-has-object").length;
  return (
    `${dryRun ? "Dry run: would move" : "Moved"} ${moved} file(s) to landing, skipped ${results.length - moved}.` +
    (dryRun ? " Nothing was changed." : " The validation Lambda checks each moved file again.")
  );
}
