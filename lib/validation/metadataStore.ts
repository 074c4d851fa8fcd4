/**
 * Table metadata from the metadata bucket, where the metadata project publishes one bundle per
 * database (lib/contracts/metadataBundle.ts) at metadataBundleKey(database). A container reads
 * a database's bundle once and keeps it: it asks S3 again, with the bundle's ETag
 * (If-None-Match: 304 when unchanged, the new bundle when republished), once the copy is older
 * than `ttlMs`, or at once when a file names a table the copy does not have (a table just added).
 * Each table is validated with the repository's own schema (parseTable).
 */
import {
  MetadataBundleError,
  parseMetadataBundle,
  type BundledTable,
} from "../contracts/metadataBundle";
import { metadataBundleKey } from "../contracts/lakeKeys";
import type { TableMetadata } from "../model/tableMetadata";
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

/** What the container knows of one database's bundle, and when S3 last confirmed it. */
interface Copy {
  readonly checkedAt: number;
  readonly etag?: string;
  readonly bundle:
    | { readonly state: "read"; readonly tables: ReadonlyMap<string, BundledTable> }
    | { readonly state: "missing" }
    | { readonly state: "invalid"; readonly detail: string };
}

export class MetadataStore {
  private readonly copies = new Map<Database, Copy>();

  constructor(
    private readonly storage: Storage,
    private readonly bucket: string,
    private readonly ttlMs = WARM_CACHE_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  async lookup(database: Database, table: string): Promise<MetadataLookup> {
    let copy = this.copies.get(database);
    const fresh = copy && this.now() - copy.checkedAt < this.ttlMs;
    const known = copy?.bundle.state === "read" && copy.bundle.tables.has(table);
    if (!copy || !fresh || !known) copy = await this.refresh(database, copy);
    const where = `s3://${this.bucket}/${metadataBundleKey(database)}`;
    const { bundle } = copy;
    if (bundle.state === "missing")
      return {
        found: false,
        invalid: false,
        detail:
          `the metadata bundle ${where} does not exist: the metadata project (metadata-<env>) ` +
          `has not published it`,
      };
    if (bundle.state === "invalid") return { found: false, invalid: true, detail: bundle.detail };
    const entry = bundle.tables.get(table);
    if (!entry)
      return {
        found: false,
        invalid: false,
        detail: `the metadata bundle ${where} (${count(bundle.tables.size)}) has no table ${table}`,
      };
    return entry.ok
      ? { found: true, table: entry.table }
      : { found: false, invalid: true, detail: entry.detail };
  }

  /**
   * Asks S3 for the bundle unless it still has the copy's ETag. Only a real missing key (404
   * NoSuchKey; the function has s3:ListBucket, so S3 does not answer 403 for it) is a missing
   * bundle. Anything else (403 from a KMS or policy mistake, NoSuchBucket, throttling) is
   * thrown: the invocation fails and is retried, and no file is sent to fail for it.
   */
  private async refresh(database: Database, copy: Copy | undefined): Promise<Copy> {
    const key = metadataBundleKey(database);
    let read;
    try {
      read = await this.storage.getTextIfChanged(this.bucket, key, copy?.etag);
    } catch (e) {
      throw new MetadataReadError(this.bucket, key, e);
    }
    const checkedAt = this.now();
    let next: Copy;
    if (read.state === "missing") next = { checkedAt, bundle: { state: "missing" } };
    // "unchanged" answers only a request that sent the copy's ETag.
    else if (read.state === "unchanged") next = { ...(copy as Copy), checkedAt };
    else {
      const etag = read.etag;
      try {
        const where = `s3://${this.bucket}/${key}`;
        const tables = parseMetadataBundle(where, read.text, database);
        next = { checkedAt, etag, bundle: { state: "read", tables } };
      } catch (e) {
        if (!(e instanceof MetadataBundleError)) throw e;
        next = { checkedAt, etag, bundle: { state: "invalid", detail: e.message } };
      }
    }
    this.copies.set(database, next);
    return next;
  }
}

const count = (n: number) => `${n} ${n === 1 ? "table" : "tables"}`;
