/**
 * Table metadata from the metadata bucket, where the metadata project publishes each table's
 * JSON file at metadataObjectKey(database, table). Parsed with parseTableFile, so the
 * Lambda applies the same validation as the repository. Found tables are cached for
 * `ttlMs`, so a warm container picks up a republished table within that time.
 */
import { MetadataError, parseTableFile, type TableMetadata } from "../model/tableMetadata";
import { metadataObjectKey } from "../contracts/lakeKeys";
import type { Database } from "../model/stacks";
import type { Storage } from "./storage";
import { WARM_CACHE_TTL_MS } from "../lambda/retry";

/** Reading the metadata failed for a reason other than a missing key: retry, do not judge the file. */
export class MetadataReadError extends Error {
  constructor(bucket: string, key: string, cause: unknown) {
    const e = cause as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
    const status = e?.$metadata?.httpStatusCode;
    super(
      `reading the table metadata s3://${bucket}/${key} failed (${e?.name ?? "Error"}${status ? ` ${status}` : ""}: ` +
        `${e?.message ?? String(cause)}); the file stays in landing and the event will be retried. If this is 403, ` +
        `check the function's s3:GetObject and kms:Decrypt on the metadata bucket and its key`,
      { cause },
    );
    this.name = "MetadataReadError";
  }
}

export type MetadataLookup =
  | { readonly found: true; readonly table: TableMetadata }
  | { readonly found: false; readonly invalid: boolean; readonly detail: string };

export class MetadataStore {
  private readonly cache = new Map<string, { table: TableMetadata; until: number }>();

  constructor(
    private readonly storage: Storage,
    private readonly bucket: string,
    private readonly ttlMs = WARM_CACHE_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  async lookup(database: Database, table: string): Promise<MetadataLookup> {
    const key = metadataObjectKey(database, table);
    const cached = this.cache.get(key);
    if (cached && cached.until > this.now()) return { found: true, table: cached.table };

    // Only a real missing key (404 NoSuchKey; the function has s3:ListBucket, so S3 does not
    // answer 403 for it) is an unknown table. Anything else (403 from a KMS or policy mistake,
    // NoSuchBucket, throttling) is thrown: the invocation fails and is retried, and no file is
    // sent to fail for it.
    let text: string | undefined;
    try {
      text = await this.storage.getText(this.bucket, key);
    } catch (e) {
      throw new MetadataReadError(this.bucket, key, e);
    }
    if (text === undefined) {
      return { found: false, invalid: false, detail: `s3://${this.bucket}/${key} does not exist` };
    }
    try {
      const parsed = parseTableFile(key, text, database);
      this.cache.set(key, { table: parsed, until: this.now() + this.ttlMs });
      return { found: true, table: parsed };
    } catch (e) {
      if (!(e instanceof MetadataError)) throw e;
      return { found: false, invalid: true, detail: e.problems.join("; ") };
    }
  }
}
