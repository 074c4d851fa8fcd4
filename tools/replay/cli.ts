/**
 * `npm run replay -- --env <env> --database <db> [--table <t>] [--since <time>] [--dry-run]`:
 * moves failed files from the fail bucket back to landing, so that the validation Lambda checks
 * them again after a metadata fix (see replay.ts and tools/replay/README.md). Bucket names come
 * from the stack files: the fail bucket is core's (`bucketName` of core:bucketNamePrefix), the
 * landing bucket pipelines:landingBucketName. Exit codes: 0 done; 1 an S3 error; 2 usage.
 */
import { S3Client } from "@aws-sdk/client-s3";
import { Command, CommanderError, InvalidArgumentError, Option } from "commander";
import { lakeName } from "../../lib/model/tableMetadata";
import { bucketName } from "../../lib/model/naming";
import { readStackConfig } from "../../lib/model/stackFile";
import { DATABASES, ENVIRONMENTS, type Database, type Environment } from "../../lib/model/stacks";
import { type Io, processIo } from "../stacks/report/io";
import { replay, replayLine, replaySummary } from "./replay";

export interface ReplayCliDeps {
  readonly io?: Io;
  /** The S3 client for a region (tests: one pointed at a local S3 server). */
  readonly s3?: (region: string) => S3Client;
  readonly now?: () => Date;
}

interface Flags {
  env: Environment;
  database: Database;
  table?: string;
  since?: Date;
  dryRun?: boolean;
}

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** An ISO 8601 date or date-time (`2026-11-30`, `2026-11-30T09:00Z`), or a span back from now (`36h`, `7d`). */
export function parseSince(value: string, now: Date): Date {
  const span = /^(\d+)([mhd])$/.exec(value);
  if (span) return new Date(now.getTime() - Number(span[1]) * UNITS[span[2]]);
  if (/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value)) {
    const date = new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
    if (!Number.isNaN(date.getTime())) return date;
  }
  throw new InvalidArgumentError(
    `expected an ISO 8601 date or time (2026-11-30, 2026-11-30T09:00:00Z) or a span such as 90m, 36h or 7d, got "${value}".`,
  );
}

export async function main(argv: readonly string[], deps: ReplayCliDeps = {}): Promise<number> {
  const io = deps.io ?? processIo();
  const now = (deps.now ?? (() => new Date()))();
  let flags: Flags | undefined;
  const program = new Command("replay")
    .description(
      "Moves failed files from the fail bucket back to landing so that they are validated again; " +
        "reason files are set aside, newer landing objects are never overwritten.",
    )
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.out(s.replace(/\n$/, "")),
      writeErr: (s) => io.err(s.replace(/\n$/, "")),
    })
    .addOption(
      new Option("--env <env>", "the environment").choices(ENVIRONMENTS).makeOptionMandatory(),
    )
    .addOption(
      new Option("--database <db>", "the source database").choices(DATABASES).makeOptionMandatory(),
    )
    .option("--table <name>", "only this table (default: every table of the database)", (t) =>
      lakeName(t),
    )
    .option(
      "--since <time>",
      "only files that failed at or after this time (ISO 8601, or 90m, 36h, 7d)",
      (v) => parseSince(v, now),
    )
    .option("--dry-run", "list what would move; change nothing")
    .action((options: Flags) => {
      flags = options;
    });
  try {
    await program.parseAsync([...argv], { from: "user" });
  } catch (e) {
    if (e instanceof CommanderError)
      return ["commander.helpDisplayed", "commander.help"].includes(e.code) ? 0 : 2;
    throw e;
  }
  if (!flags) return 2;
  const core = readStackConfig("core", flags.env).values;
  const pipelines = readStackConfig("pipelines", flags.env).values;
  const failBucket = bucketName(core["core:bucketNamePrefix"], "fail", flags.env);
  const landingBucket = pipelines["pipelines:landingBucketName"];
  const region = pipelines["aws:region"] ?? "eu-west-2";
  const s3 = (deps.s3 ?? ((r: string) => new S3Client({ region: r })))(region);
  const options = {
    s3,
    failBucket,
    landingBucket,
    database: flags.database,
    table: flags.table,
    since: flags.since,
    dryRun: Boolean(flags.dryRun),
    now,
    onFile: (r: Parameters<typeof replayLine>[0]) =>
      io.out(replayLine(r, { failBucket, landingBucket })),
  };
  io.err(
    `${options.dryRun ? "Dry run: " : ""}replaying failed ${flags.database}${flags.table ? `.${flags.table}` : ""} files ` +
      `from s3://${failBucket} to s3://${landingBucket}${flags.since ? ` that failed since ${flags.since.toISOString()}` : ""}`,
  );
  try {
    const results = await replay(options);
    io.out(replaySummary(results, options.dryRun));
    return 0;
  } catch (e) {
    const err = e as Error & { $metadata?: { httpStatusCode?: number } };
    if (err.name === "CredentialsProviderError") {
      io.err(
        `replay: no AWS credentials: log in first (for example "aws sso login --profile data-engineering" ` +
          `and "export AWS_PROFILE=data-engineering"), then run it again. Nothing was moved.`,
      );
      return 1;
    }
    io.err(
      `replay: S3 refused (${err.name}${err.$metadata?.httpStatusCode ? ` ${err.$metadata.httpStatusCode}` : ""}): ${err.message}. ` +
        `The files printed above as moved are in landing; run the replay again to carry on (it skips what is done).`,
    );
    return 1;
  } finally {
    if (!deps.s3) s3.destroy();
  }
}

if (require.main === module) {
  // The SDK warns that its 2027 releases need Node.js 22; this tool runs on the repository's Node.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  main(process.argv.slice(2)).then(
    (code) => (process.exitCode = code),
    (e: unknown) => {
      process.stderr.write(
        `replay: unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`,
      );
      process.exitCode = 1;
    },
  );
}
