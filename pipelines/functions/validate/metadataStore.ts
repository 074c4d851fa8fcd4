/**
 * Table metadata from the metadata bucket, where the metadata project publishes each table's
 * JSON file at metadataObjectKey(database, table). Parsed with parseTableFile, so the
 * Lambda applies the same validation as the repository. Found tables are cached for
 * `ttlMs`, so a warm container picks up a republished table within that time.
 */
import {
  MetadataError,
  metadataObjectKey,
  parseTableFile,
  type TableMetadata,
} from "../../../lib/metadata";
import type { Database } from "../../../lib/stacks";
import { isAccessDenied, type Storage } from "./storage";

export type MetadataLookup =
  | { readonly found: true; readonly table: TableMetadata }
  | { readonly found: false; readonly invalid: boolean; readonly detail: string };

export class MetadataStore {
  private readonly cache = new Map<string, { table: TableMetadata; until: number }>();

  constructor(
    private readonly storage: Storage,
    private readonly bucket: string,
    private readonly ttlMs = 5 * 60_000,
    private readonly now: () => number = Date.now,
  ) {}

  async lookup(database: Database, table: string): Promise<MetadataLookup> {
    const key = metadataObjectKey(database, table);
    const cached = this.cache.get(key);
    if (cached && cached.until > this.now()) return { found: true, table: cached.table };

    let text: string | undefined;
    try {
      text = await this.storage.getText(this.bucket, key);
    } catch (e) {
      // Without s3:ListBucket S3 answers a missing key with 403, so a 403 is most often an unknown table.
      if (!isAccessDenied(e)) throw e;
      return {
        found: false,
        invalid: false,
        detail:
          `reading s3://${this.bucket}/${key} was denied (403), which S3 also answers for a missing key ` +
          `when the function may not list the bucket; if the file exists, grant the function s3:GetObject on it`,
      };
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
