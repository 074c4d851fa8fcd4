/**
 * `npm run validate`'s work, without the command line: the Lambda's checks (judgeFile, the
 * same function the Lambda calls) on a local file, against this repository's metadata.
 */
import * as path from "node:path";
import { lakeName, MetadataError, type TableMetadata } from "../../lib/model/tableMetadata";
import { loadDatabase, metadataRoot } from "../../lib/model/metadataFiles";
import { DATABASES, type Database } from "../../lib/model/stacks";
import { badKey, unknownTable, type Failure } from "../../lib/validation/checks";
import { type UnknownColumnsMode } from "../../lib/contracts/validateEnv";
import { parseLandingKey } from "../../lib/contracts/lakeKeys";
import { failedWith, judgeFile, type Verdict } from "../../lib/validation/verdict";
import { fileBuffer } from "./localFile";

export class UsageError extends Error {
  override name = "UsageError";
}

export interface LocalResult extends Verdict {
  readonly file: string;
  readonly key: string;
  readonly table: string;
  readonly valid: boolean;
}

function findTable(database: Database, table: string): TableMetadata | Failure {
  let tables: TableMetadata[];
  try {
    tables = loadDatabase(database);
  } catch (e) {
    if (!(e instanceof MetadataError)) throw e;
    return { check: "known-table", message: e.message };
  }
  const found = tables.find((t) => lakeName(t.name) === table);
  if (found) return found;
  const file = path.relative(process.cwd(), path.join(metadataRoot(), database, `${table}.json`));
  return unknownTable(database, table, `${file} does not exist in this repository`);
}

export async function validateLocalFile(options: {
  file: string;
  /** `<database>/<table>`, as in the landing key. */
  table: string;
  /** The landing key; default `<database>/<table>/<file name>`. */
  key?: string;
  unknownColumns?: UnknownColumnsMode;
}): Promise<LocalResult> {
  const [database, table, ...rest] = options.table.split("/");
  if (!database || !table || rest.length > 0)
    throw new UsageError(
      `--table must be <database>/<table>, such as delius/offender; got "${options.table}"`,
    );
  if (!(DATABASES as readonly string[]).includes(database))
    throw new UsageError(
      `--table names the database "${database}"; expected one of ${DATABASES.join(", ")}`,
    );
  const key = options.key ?? `${database}/${table}/${path.basename(options.file)}`;
  let buffer;
  try {
    buffer = fileBuffer(options.file);
  } catch (e) {
    throw new UsageError(`cannot read ${options.file}: ${(e as Error).message}`);
  }
  try {
    const parsed = parseLandingKey(key);
    let verdict: Verdict;
    if (!parsed.ok) verdict = failedWith(badKey(parsed.message));
    else if (parsed.database !== database || parsed.table !== table)
      throw new UsageError(
        `--key "${key}" is a file of ${parsed.database}/${parsed.table}, not of --table ${options.table}`,
      );
    else {
      const found = findTable(database as Database, table);
      verdict =
        "check" in found
          ? failedWith(found)
          : await judgeFile(buffer, found, parsed.file, options.unknownColumns ?? "fail");
    }
    return {
      file: options.file,
      key,
      table: `${database}/${table}`,
      valid: verdict.failures.length === 0,
      ...verdict,
    };
  } finally {
    buffer.close();
  }
}
