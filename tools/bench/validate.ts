/**
 * `npm run bench:validate`: how long the validation takes, and how much memory it needs, on
 * DMS-shaped CDC files of 50 MB, 300 MB and 1 GB (DMS's default MaxFileSize), narrow and
 * LOB-heavy (tools/bench/validateShapes.ts). Each file is validated by judgeFile, the
 * function the Lambda runs, in a fresh process (tools/bench/validateChild.ts) that reports
 * its wall time and peak RSS, twice: read from the local disk (what `npm run validate` does)
 * and read as the Lambda reads it, by byte ranges through the AWS SDK from s3rver on
 * loopback. Real S3 adds tens of milliseconds per range read (8 row groups are read at once).
 *
 * Limits (issue 10): the 1 GB files validate in under 120 s and under half of the smallest
 * validateMemoryMb of the pipelines stacks. Exit 1 when one is broken.
 *
 * Options: --sizes 50,300,1000 (MB), --json. Files are kept in the OS temp folder between
 * runs (dataeng-bench-validate-<version>), since writing 2.7 GB takes minutes.
 */
import { spawn } from "node:child_process";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import S3rver from "s3rver";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { REPO_ROOT } from "../../lib/model/stacks";
import { localS3Client } from "../../lib/testing/s3";
import { writeDmsFile, type Shape } from "./validateShapes";

const GENERATOR_VERSION = "2";
const MB = 1024 * 1024;
const LIMIT_SECONDS = 120;
const BUCKET = "landing";

const arg = (name: string) => {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const sizes = (arg("--sizes") ?? "50,300,1000").split(",").map(Number);
const asJson = process.argv.includes("--json");
const log = (line: string) => (asJson ? process.stderr : process.stdout).write(`${line}\n`);

/** The smallest validation Lambda memory configured in any pipelines stack (default 1024). */
function configuredMemoryMb(): number {
  const dir = path.join(REPO_ROOT, "pipelines");
  const values = fs
    .readdirSync(dir)
    .filter((f) => /^Pulumi\.pipelines-.+\.yaml$/.test(f))
    .map((f) => {
      const config = (
        parse(fs.readFileSync(path.join(dir, f), "utf8")) as { config?: Record<string, unknown> }
      ).config;
      return Number(config?.["pipelines:validateMemoryMb"] ?? 1024);
    });
  return Math.min(...values);
}

interface Measured {
  seconds: number;
  peakRssMb: number;
  failures: string[];
}

interface Row {
  shape: Shape;
  targetMb: number;
  fileMb: number;
  rows: number;
  rowGroups: number;
  local: Measured;
  s3: Measured;
  valid: boolean;
}

function measure(args: string[]): Promise<Measured> {
  const register = path.join(REPO_ROOT, "tools", "stacks", "register.js");
  const child = spawn(
    process.execPath,
    ["--require", register, path.join(__dirname, "validateChild.ts"), ...args],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let out = "";
  let err = "";
  child.stdout.on("data", (d: Buffer) => (out += d.toString()));
  child.stderr.on("data", (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) =>
    child.on("close", (code) =>
      code === 0
        ? resolve(JSON.parse(out) as Measured)
        : reject(new Error(`validating ${args[0]} failed:\n${err}`)),
    ),
  );
}

async function main(): Promise<number> {
  const dir = path.join(os.tmpdir(), `dataeng-bench-validate-${GENERATOR_VERSION}`);
  fs.mkdirSync(dir, { recursive: true });
  const memoryMb = configuredMemoryMb();
  const results: Row[] = [];
  const s3Dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-validate-s3-"));
  const server = new S3rver({
    address: "127.0.0.1",
    port: 0,
    silent: true,
    directory: s3Dir,
    configureBuckets: [{ name: BUCKET }],
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const s3 = localS3Client(endpoint, {
    // s3rver stores an aws-chunked (checksum-trailer) upload as it arrives, framing included.
    requestChecksumCalculation: "WHEN_REQUIRED",
  });
  log(
    "shape       file        rows     groups |  read from disk: time, peak RSS | read by ranges from s3rver",
  );
  for (const shape of ["narrow", "lob-heavy"] as const) {
    for (const targetMb of sizes) {
      // A CDC file name, so every row-level rule (scn too) runs.
      const folder = path.join(dir, `${shape}-${targetMb}`);
      const file = path.join(folder, "20261127-1200000000.parquet");
      const info = path.join(folder, "info.json");
      if (!fs.existsSync(info)) {
        fs.mkdirSync(folder, { recursive: true });
        const started = Date.now();
        const written = writeDmsFile(file, shape, targetMb * MB);
        fs.writeFileSync(info, JSON.stringify(written));
        log(`wrote ${shape} ${targetMb} MB in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      }
      const { rows, rowGroups } = JSON.parse(fs.readFileSync(info, "utf8")) as {
        rows: number;
        rowGroups: number;
      };
      const key = `delius/offender/${path.basename(file)}`;
      await s3.send(
        new PutObjectCommand({
          Bucket: BUCKET,
          Key: key,
          Body: fs.createReadStream(file),
          ContentLength: fs.statSync(file).size,
        }),
      );
      const local = await measure([file, shape, "local"]);
      const viaS3 = await measure([file, shape, "s3", endpoint, BUCKET, key]);
      const failures = [...local.failures, ...viaS3.failures];
      if (failures.length > 0) log(`  ${shape} ${targetMb} MB is invalid: ${failures.join("; ")}`);
      const row: Row = {
        shape,
        targetMb,
        fileMb: fs.statSync(file).size / MB,
        rows,
        rowGroups,
        local,
        s3: viaS3,
        valid: failures.length === 0,
      };
      results.push(row);
      const fig = (m: Measured) =>
        `${m.seconds.toFixed(1).padStart(6)} s ${m.peakRssMb.toFixed(0).padStart(5)} MB`;
      log(
        `${shape.padEnd(9)} ${row.fileMb.toFixed(0).padStart(5)} MB ${String(rows).padStart(9)} rows ` +
          `${String(rowGroups).padStart(4)} groups | local ${fig(local)} | via S3 API ${fig(viaS3)} | ` +
          `${row.valid ? "valid" : "INVALID"}`,
      );
    }
  }
  s3.destroy();
  await server.close();
  fs.rmSync(s3Dir, { recursive: true, force: true });
  const broken = results
    .filter((r) => r.targetMb >= 1000)
    .flatMap((r) => [
      ...(["local", "s3"] as const).flatMap((how) => {
        const m = r[how];
        return [
          ...(m.seconds >= LIMIT_SECONDS
            ? [`${r.shape} 1 GB (${how}) took ${m.seconds.toFixed(1)} s (limit ${LIMIT_SECONDS} s)`]
            : []),
          ...(m.peakRssMb >= memoryMb / 2
            ? [
                `${r.shape} 1 GB (${how}) peaked at ${m.peakRssMb.toFixed(0)} MB (limit ${memoryMb / 2} MB, half of validateMemoryMb ${memoryMb})`,
              ]
            : []),
        ];
      }),
      ...(r.valid ? [] : [`${r.shape} 1 GB was judged invalid`]),
    ]);
  log(
    `limits for 1 GB: under ${LIMIT_SECONDS} s and under ${memoryMb / 2} MB (half of the smallest validateMemoryMb, ${memoryMb})`,
  );
  for (const b of broken) log(`LIMIT BROKEN: ${b}`);
  if (asJson) process.stdout.write(`${JSON.stringify({ memoryMb, results, broken }, null, 2)}\n`);
  return broken.length > 0 ? 1 : 0;
}

main().then(
  (code) => (process.exitCode = code),
  (e: unknown) => {
    process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
    process.exitCode = 2;
  },
);
