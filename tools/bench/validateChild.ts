/**
 * One measured validation for `npm run bench:validate`, in its own process so that its peak
 * memory (maxRSS, what Lambda reports as "Max Memory Used") is the validation's alone.
 * Usage: validateChild.ts <file> <narrow|lob-heavy>; prints one JSON line.
 */
import * as path from "node:path";
import { judgeFile } from "../../pipelines/functions/validate/verdict";
import { fileBuffer } from "../validate/localFile";
import { benchTable, type Shape } from "./validateShapes";

async function main() {
  const [file, shape] = process.argv.slice(2);
  const table = benchTable(shape as Shape);
  const buffer = fileBuffer(file);
  const started = process.hrtime.bigint();
  const verdict = await judgeFile(buffer, table, path.basename(file), "fail");
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  buffer.close();
  process.stdout.write(
    `${JSON.stringify({
      seconds,
      peakRssMb: process.resourceUsage().maxRSS / 1024,
      rows: verdict.rows,
      failures: verdict.failures.map((f) => f.message),
    })}\n`,
  );
}

void main();
