/**
 * `npm run bench:validate`: how long the validation takes, and how much memory it needs, on
 * DMS-shaped CDC files of 50 MB, 300 MB and 1 GB (DMS's default MaxFileSize), narrow and
 * LOB-heavy (tools/bench/validateShapes.ts). Each file is validated by judgeFile, the
 * function the Lambda runs, in a fresh process (tools/bench/validateChild.ts) that reports
 * its wall time and peak RSS.
 *
 * Limits (issue 10): the 1 GB files validate in under 120 s and under half of the smallest
 * validateMemoryMb of the pipelines stacks. Exit 1 when one is broken.
 *
 * Options: --sizes 50,300,1000 (MB), --json. Files are kept in the OS temp folder between
 * runs (dataeng-bench-validate-<version>), since writing 2.7 GB takes minutes.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse } from "yaml";
import { REPO_ROOT } from "../../lib/stacks";
import { writeDmsFile, type Shape } from "./validateShapes";

const GENERATOR_VERSION = "2";
const MB = 1024 * 1024;
const LIMIT_SECONDS = 120;

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

interface Row {
  shape: Shape;
  targetMb: number;
  fileMb: number;
  rows: number;
  rowGroups: number;
  seconds: number;
  peakRssMb: number;
  valid: boolean;
}

function main(): number {
  const dir = path.join(os.tmpdir(), `dataeng-bench-validate-${GENERATOR_VERSION}`);
  fs.mkdirSync(dir, { recursive: true });
  const memoryMb = configuredMemoryMb();
  const results: Row[] = [];
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
      const child = spawnSync(
        process.execPath,
        [
          "--require",
          path.join(REPO_ROOT, "tools", "stacks", "register.js"),
          path.join(__dirname, "validateChild.ts"),
          file,
          shape,
        ],
        { encoding: "utf8" },
      );
      if (child.status !== 0) throw new Error(`validating ${file} failed:\n${child.stderr}`);
      const measured = JSON.parse(child.stdout) as {
        seconds: number;
        peakRssMb: number;
        failures: string[];
      };
      if (measured.failures.length > 0)
        log(`  ${shape} ${targetMb} MB is invalid: ${measured.failures.join("; ")}`);
      const row: Row = {
        shape,
        targetMb,
        fileMb: fs.statSync(file).size / MB,
        rows,
        rowGroups,
        seconds: measured.seconds,
        peakRssMb: measured.peakRssMb,
        valid: measured.failures.length === 0,
      };
      results.push(row);
      log(
        `${shape.padEnd(9)} ${row.fileMb.toFixed(0).padStart(5)} MB  ${String(rows).padStart(9)} rows  ` +
          `${String(rowGroups).padStart(5)} row groups  ${row.seconds.toFixed(1).padStart(6)} s  ` +
          `peak ${row.peakRssMb.toFixed(0).padStart(5)} MB RSS  ${row.valid ? "valid" : "INVALID"}`,
      );
    }
  }
  const broken = results
    .filter((r) => r.targetMb >= 1000)
    .flatMap((r) => [
      ...(r.seconds >= LIMIT_SECONDS
        ? [`${r.shape} 1 GB took ${r.seconds.toFixed(1)} s (limit ${LIMIT_SECONDS} s)`]
        : []),
      ...(r.peakRssMb >= memoryMb / 2
        ? [
            `${r.shape} 1 GB peaked at ${r.peakRssMb.toFixed(0)} MB (limit ${memoryMb / 2} MB, half of validateMemoryMb ${memoryMb})`,
          ]
        : []),
      ...(r.valid ? [] : [`${r.shape} 1 GB was judged invalid`]),
    ]);
  log(
    `limits for 1 GB: under ${LIMIT_SECONDS} s and under ${memoryMb / 2} MB (half of the smallest validateMemoryMb, ${memoryMb})`,
  );
  for (const b of broken) log(`LIMIT BROKEN: ${b}`);
  if (asJson) process.stdout.write(`${JSON.stringify({ memoryMb, results, broken }, null, 2)}\n`);
  return broken.length > 0 ? 1 : 0;
}

process.exitCode = main();
