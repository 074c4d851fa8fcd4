/**
 * The metadata checkpoint's size by table count (issue 20: it may grow by at most 1 KB per
 * table). On a scratch copy of the checkout it deploys core-dev, then metadata-dev at each
 * table count given, with the real Pulumi CLI (tools/realCli) through the orchestrator on a
 * local S3 backend, and prints the checkpoint's bytes, its resources and the growth per table.
 * It measures; it asserts nothing, and no test or CI job runs it:
 *
 *   node --require ./tools/stacks/register.js tools/bench/metadataState.ts 18 200 755
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { cliDir, cliEnv, scratchRepo, stacks } from "../realCli/harness";
import { startLocalS3 } from "../realCli/s3Server";
import { syntheticTable } from "./syntheticTables";
import { DATABASES } from "../../lib/model/stacks";

/** Adds synthetic tables, half to each database, until `root` holds `total` tables. */
function growTo(root: string, total: number): void {
  const files = (db: string) =>
    fs.readdirSync(path.join(root, db)).filter((f) => f.endsWith(".json"));
  let have = DATABASES.reduce((n, db) => n + files(db).length, 0);
  for (let i = 1; have < total; i++) {
    for (const db of DATABASES) {
      const table = syntheticTable(db, i);
      const file = path.join(root, db, `${String(table.name).toLowerCase()}.json`);
      if (have >= total || fs.existsSync(file)) continue;
      fs.writeFileSync(file, `${JSON.stringify(table, null, 2)}\n`);
      have++;
    }
  }
}

async function main(counts: number[]): Promise<void> {
  const repo = scratchRepo();
  const s3 = await startLocalS3();
  const home = fs.mkdtempSync(path.join(os.tmpdir(), "dataeng-metadata-state-"));
  const env = { ...cliEnv(cliDir(), s3, home), PULUMI_BACKEND_URL: s3.backendUrl };
  /** Runs the orchestrator; its seconds, or an error with its output. */
  const must = async (args: string[]) => {
    const started = Date.now();
    const r = await stacks(repo, args, env);
    if (r.code !== 0) throw new Error(`stacks ${args.join(" ")} failed:\n${r.stdout}\n${r.stderr}`);
    return (Date.now() - started) / 1000;
  };
  const rows: { tables: number; bytes: number; resources: number }[] = [];
  try {
    await must(["init", "--env", "dev"]);
    await must(["up", "--env", "dev", "--project", "core", "--yes"]);
    for (const n of counts) {
      growTo(path.join(repo, "metadata", "databases"), n);
      const seconds = await must(["up", "--env", "dev", "--project", "metadata", "--yes"]);
      const text = s3.readCheckpoint("metadata", "metadata-dev");
      const state = JSON.parse(text) as { checkpoint: { latest?: { resources?: unknown[] } } };
      rows.push({
        tables: n,
        bytes: text.length,
        resources: state.checkpoint.latest?.resources?.length ?? 0,
      });
      process.stdout.write(
        `${n} tables: ${text.length} bytes, ${rows.at(-1)!.resources} resources, up ${seconds.toFixed(1)} s\n`,
      );
    }
  } finally {
    await s3.close();
    fs.rmSync(home, { recursive: true, force: true });
    fs.rmSync(repo, { recursive: true, force: true });
  }
  const [first] = rows;
  for (const r of rows.slice(1))
    process.stdout.write(
      `${first.tables} → ${r.tables} tables: ${((r.bytes - first.bytes) / (r.tables - first.tables)).toFixed(3)} bytes per table\n`,
    );
  process.stdout.write(
    `load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}\n`,
  );
}

main(process.argv.slice(2).map(Number)).catch((e: Error) => {
  process.stderr.write(`metadataState: ${e.message}\n`);
  process.exit(1);
});
