/**
 * `npm run validate -- <file.parquet> --table <database>/<table> [--key <landing key>] [--json]`
 * runs the validation Lambda's checks on a local file against this repository's metadata.
 * Exit 0: valid (warnings allowed); 1: invalid; 2: usage error.
 */
import { Command, CommanderError, Option } from "commander";
import { UsageError, validateLocalFile, type LocalResult } from "./validateFile";

function text(result: LocalResult): string {
  const lines = [
    `${result.valid ? "valid" : "invalid"}: ${result.file} as ${result.key} (${result.rows ?? "?"} rows)`,
    ...result.failures.map((f) => `  ✗ ${f.check}: ${f.message}`),
    ...result.warnings.map((w) => `  ! warning: ${w}`),
  ];
  return `${lines.join("\n")}\n`;
}

export async function main(
  argv: readonly string[],
  out: Pick<NodeJS.WritableStream, "write"> = process.stdout,
  err: Pick<NodeJS.WritableStream, "write"> = process.stderr,
) {
  const program = new Command("validate")
    .description("Run the validation Lambda's checks on a local parquet file")
    .argument("<file>", "the parquet file, for example one downloaded from the fail bucket")
    .requiredOption("--table <database/table>", "the table it belongs to, such as delius/offender")
    .option("--key <key>", "its landing key (default: <database>/<table>/<file name>)")
    .addOption(
      new Option("--unknown-columns <mode>", "what an unknown column does, as UNKNOWN_COLUMNS")
        .choices(["fail", "warn"])
        .default("fail"),
    )
    .option("--json", "print the result as JSON")
    .exitOverride()
    .configureOutput({ writeOut: (s) => out.write(s), writeErr: (s) => err.write(s) });
  try {
    program.parse([...argv], { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    throw e;
  }
  const opts = program.opts<{
    table: string;
    key?: string;
    unknownColumns: "fail" | "warn";
    json?: boolean;
  }>();
  try {
    const result = await validateLocalFile({
      file: program.args[0],
      table: opts.table,
      key: opts.key,
      unknownColumns: opts.unknownColumns,
    });
    out.write(opts.json ? `${JSON.stringify(result, null, 2)}\n` : text(result));
    return result.valid ? 0 : 1;
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    err.write(`error: ${e.message}\n`);
    return 2;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (e: unknown) => {
      process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
      process.exitCode = 2;
    },
  );
}
