/**
 * The metadata bundle: one JSON object per database in the metadata bucket, at
 * metadataBundleKey(database) (lakeKeys.ts), holding every table file of that database. The metadata project
 * writes it (metadataBundleText), the validation Lambda and the review read it
 * (parseMetadataBundle). One object per database, not per table, keeps metadata's checkpoint
 * from growing with the table count (issue 20). The shape (documented in metadata/README.md):
 *
 *   { "format": "dataeng-metadata-bundle", "version": 1, "database": "delius",
 *     "tables": [ <the content of metadata/databases/delius/<table>.json>, ... ] }
 *
 * `tables` is sorted by file name. A change of shape is a new version; a reader refuses a
 * version it does not know rather than guess.
 */
import { z } from "zod";
import { lakeName, MetadataError, parseTable, type TableMetadata } from "../model/tableMetadata";
import type { Database } from "../model/stacks";

export const METADATA_BUNDLE_FORMAT = "dataeng-metadata-bundle";
export const METADATA_BUNDLE_VERSION = 1;

/** The bundle's text: the table files' content, as validated, in a versioned envelope. */
export function metadataBundleText(database: Database, tableFiles: readonly string[]): string {
  const bundle = {
    format: METADATA_BUNDLE_FORMAT,
    version: METADATA_BUNDLE_VERSION,
    database,
    tables: tableFiles.map((text) => JSON.parse(text.replace(/^\uFEFF/, "")) as unknown),
  };
  return `${JSON.stringify(bundle, null, 2)}\n`;
}

/** A bundle that cannot be read at all (not JSON, another format, version or database). */
export class MetadataBundleError extends Error {
  constructor(where: string, problem: string, fix: string) {
    super(`the metadata bundle ${where} ${problem}; ${fix}`);
    this.name = "MetadataBundleError";
  }
}

const envelope = z.object({
  format: z.literal(METADATA_BUNDLE_FORMAT),
  version: z.number(),
  database: z.string(),
  tables: z.array(z.unknown()),
});

/** One table of a bundle: its metadata, or why its entry is invalid (the others still count). */
export type BundledTable =
  | { readonly ok: true; readonly table: TableMetadata }
  | { readonly ok: false; readonly detail: string };

/**
 * Reads a bundle's text, `where` naming it in errors (`s3://bucket/key`). Throws
 * MetadataBundleError when the envelope is wrong; a bad table entry is kept as invalid, so
 * that one bad table does not stop the others being validated. Keyed by lake (lower-case) name.
 */
export function parseMetadataBundle(
  where: string,
  text: string,
  database: Database,
): Map<string, BundledTable> {
  const redeploy = `publish it again with the metadata project (metadata-<env>)`;
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, ""));
  } catch (e) {
    throw new MetadataBundleError(where, `is not valid JSON (${(e as Error).message})`, redeploy);
  }
  const parsed = envelope.safeParse(json);
  if (!parsed.success) {
    const fields = parsed.error.issues.map((i) => i.path.join(".") || "(the whole object)");
    throw new MetadataBundleError(
      where,
      `is not a ${METADATA_BUNDLE_FORMAT} object (bad or missing: ${[...new Set(fields)].join(", ")})`,
      redeploy,
    );
  }
  const { version, tables } = parsed.data;
  if (version !== METADATA_BUNDLE_VERSION) {
    throw new MetadataBundleError(
      where,
      `has version ${version}, but this reader knows version ${METADATA_BUNDLE_VERSION} only`,
      `deploy the validation function (pipelines) and the metadata project from the same commit, ` +
        `then replay the files it failed (npm run replay)`,
    );
  }
  if (parsed.data.database !== database) {
    throw new MetadataBundleError(
      where,
      `holds the database "${parsed.data.database}", not "${database}"`,
      redeploy,
    );
  }
  const out = new Map<string, BundledTable>();
  tables.forEach((entry, i) => {
    const raw = (entry as { name?: unknown } | null)?.name;
    const name = typeof raw === "string" ? lakeName(raw) : `tables[${i}]`;
    try {
      out.set(name, { ok: true, table: parseTable(`${where} tables[${i}]`, entry, database) });
    } catch (e) {
      if (!(e instanceof MetadataError)) throw e;
      out.set(name, { ok: false, detail: e.problems.join("; ") });
    }
  });
  return out;
}
