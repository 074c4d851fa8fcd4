/**
 * `npm run metadata -- import --database <db> --columns <csv> --primary-keys <csv>
 *   [--table-comments <csv>] [--column-comments <csv>] [--tables A,B] [--check]`
 *
 * Writes or updates metadata/databases/<db>/<table>.json from CSV exports of Oracle's data
 * dictionary (see tools/metadata/README.md). `--check` writes nothing and exits 1 naming every
 * difference: drift detection for a scheduled job. Exit codes: 0 done (or no difference); 1 bad
 * input (nothing written) or, with --check, differences; 2 a usage error.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Command, CommanderError, Option } from "commander";
import { MetadataError, parseTableFile, type TableMetadata } from "../../lib/model/tableMetadata";
import { metadataRoot } from "../../lib/model/metadataFiles";
import { DATABASES, type Database } from "../../lib/model/stacks";
import { type Io, processIo } from "../stacks/report/io";
import { CsvFileError, readCsv } from "./csv";
import {
  COLUMN_COMMENTS_HEADER,
  COLUMNS_HEADER,
  PRIMARY_KEYS_HEADER,
  Problems,
  TABLE_COMMENTS_HEADER,
  readDictionary,
} from "./dictionary";
import { planImport, writeImport } from "./import";

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

interface ImportFlags {
  database: Database;
  columns: string;
  primaryKeys: string;
  tableComments?: string;
  columnComments?: string;
  tables?: string;
  check?: boolean;
}

export interface MetadataCliDeps {
  readonly io?: Io;
  /** The metadata/databases folder (tests use a copy). */
  readonly root?: string;
}

/** Runs the CLI; resolves with the exit code. Never calls process.exit. */
export async function main(argv: readonly string[], deps: MetadataCliDeps = {}): Promise<number> {
  const io = deps.io ?? processIo();
  let flags: ImportFlags | undefined;
  const program = new Command("metadata")
    .description("Table metadata tools.")
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.out(s.replace(/\n$/, "")),
      writeErr: (s) => io.err(s.replace(/\n$/, "")),
    });
  program
    .command("import")
    .description(
      "write or update metadata/databases/<db>/<table>.json from CSV exports of Oracle's data dictionary",
    )
    .exitOverride()
    .addOption(
      new Option("--database <db>", "the source database").choices(DATABASES).makeOptionMandatory(),
    )
    .requiredOption(
      "--columns <csv>",
      `ALL_TAB_COLUMNS export: ${COLUMNS_HEADER.join(", ")} (CHAR_LENGTH, CHAR_USED too if you can)`,
    )
    .requiredOption(
      "--primary-keys <csv>",
      `ALL_CONS_COLUMNS export of the P constraints: ${PRIMARY_KEYS_HEADER.join(", ")}`,
    )
    .option(
      "--table-comments <csv>",
      `ALL_TAB_COMMENTS export: ${TABLE_COMMENTS_HEADER.join(", ")}`,
    )
    .option(
      "--column-comments <csv>",
      `ALL_COL_COMMENTS export: ${COLUMN_COMMENTS_HEADER.join(", ")}`,
    )
    .option(
      "--tables <names>",
      "only these tables, comma-separated (default: every table of the columns export)",
    )
    .option(
      "--check",
      "write nothing; exit 1 naming every difference between the export and the metadata",
    )
    .action((options: ImportFlags) => {
      flags = options;
    });
  try {
    await program.parseAsync([...argv], { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError) {
      return ["commander.helpDisplayed", "commander.help", "commander.version"].includes(e.code)
        ? EXIT_OK
        : EXIT_USAGE;
    }
    throw e;
  }
  if (!flags) {
    io.err(`metadata: no command given; valid commands: import. Run "npm run metadata -- --help".`);
    return EXIT_USAGE;
  }
  return runImport(flags, deps.root ?? metadataRoot(), io);
}

function loadExisting(
  root: string,
  database: Database,
  problems: Problems,
): Map<string, TableMetadata> {
  const dir = path.join(root, database);
  const tables = new Map<string, TableMetadata>();
  const files = fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((f) => f.endsWith(".json"))
        .sort()
    : [];
  for (const f of files) {
    const file = path.join(dir, f);
    try {
      const table = parseTableFile(
        path.relative(process.cwd(), file) || file,
        fs.readFileSync(file, "utf8"),
        database,
      );
      tables.set(table.name, table);
    } catch (e) {
      if (!(e instanceof MetadataError)) throw e;
      problems.add(e.message);
    }
  }
  return tables;
}

async function runImport(flags: ImportFlags, root: string, io: Io): Promise<number> {
  const problems = new Problems();
  const read = (file: string | undefined, header: readonly string[]) => {
    if (file === undefined) return undefined;
    try {
      return { file, rows: readCsv(file, header) };
    } catch (e) {
      if (!(e instanceof CsvFileError)) throw e;
      problems.add(e.message);
      return { file, rows: [] };
    }
  };
  const columns = read(flags.columns, COLUMNS_HEADER)!;
  const primaryKeys = read(flags.primaryKeys, PRIMARY_KEYS_HEADER)!;
  const tableComments = read(flags.tableComments, TABLE_COMMENTS_HEADER);
  const columnComments = read(flags.columnComments, COLUMN_COMMENTS_HEADER);
  const existing = loadExisting(root, flags.database, problems);
  const tables = flags.tables
    ?.split(",")
    .map((t) => t.trim().toUpperCase())
    .filter((t) => t !== "");
  if (problems.empty) {
    const dictionary = readDictionary(
      { columns, primaryKeys, tableComments, columnComments },
      problems,
    );
    const result = await planImport(
      { database: flags.database, root, dictionary, tables, existing },
      problems,
    );
    if (problems.empty) {
      for (const w of result.warnings) io.err(`warning: ${w}`);
      const shown = (file: string) => path.relative(process.cwd(), file) || file;
      const changed = result.tables.filter((t) => t.status !== "unchanged");
      if (flags.check) {
        for (const t of changed)
          for (const d of t.differences) io.out(`${flags.database}.${t.table}: ${d}`);
        for (const m of result.missing) io.out(`${flags.database}.${m}`);
        const count = changed.reduce((n, t) => n + t.differences.length, 0) + result.missing.length;
        if (count === 0) {
          io.out(
            `No differences: ${result.tables.length} table(s) of ${flags.database} match the export.`,
          );
          return EXIT_OK;
        }
        io.err(
          `${count} difference(s) between the export and metadata/databases/${flags.database}: run the import without --check to apply them.`,
        );
        return EXIT_FAILED;
      }
      writeImport(result);
      for (const t of result.tables) {
        io.out(
          `${shown(t.file)}: ${t.status === "new" ? "created" : t.status === "changed" ? "updated" : "unchanged"}`,
        );
        for (const d of t.status === "changed" ? t.differences : []) io.out(`  ${d}`);
      }
      for (const m of result.missing) io.err(`warning: ${flags.database}.${m}`);
      return EXIT_OK;
    }
  }
  io.err(`metadata import: nothing was written; fix these problems and run it again:`);
  for (const p of problems.list) io.err(`  - ${p}`);
  return EXIT_FAILED;
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (e: unknown) => {
      process.stderr.write(
        `metadata: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
      );
      process.exitCode = EXIT_FAILED;
    },
  );
}
