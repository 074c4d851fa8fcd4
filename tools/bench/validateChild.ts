/**
 * One measured validation for `npm run bench:validate`, in its own process so that its peak
 * memory is the validation's alone: VmHWM from /proc/self/status (the peak resident set of
 * this process image; getrusage's maxRSS would carry over the parent's peak across exec).
 *
 * Usage: validateChild.ts <file> <narrow|lob-heavy> local
 *        validateChild.ts <file> <narrow|lob-heavy> s3 <endpoint> <bucket> <key>
 * The s3 form reads the object as the Lambda does (Storage.asyncBuffer: byte ranges, pinned
 * to the ETag) from an S3-compatible server. Prints one JSON line.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { AsyncBuffer } from "hyparquet";
import { DEFAULT_WHOLE_FILE_BYTES } from "../../lib/validation/process";
import { Storage } from "../../lib/validation/storage";
import { judgeFile } from "../../lib/validation/verdict";
import { localS3Client } from "../../lib/testing/s3";
import { fileBuffer } from "../validate/localFile";
import { benchTable, type Shape } from "./validateShapes";

function peakRssMb(): number {
  try {
    const line = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync("/proc/self/status", "utf8"));
    if (line) return Number(line[1]) / 1024;
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS / 1024;
}

async function main() {
  const [file, shape, mode, endpoint, bucket, key] = process.argv.slice(2);
  const table = benchTable(shape as Shape);
  let buffer: AsyncBuffer;
  let close = () => {};
  let name = path.basename(file);
  if (mode === "s3") {
    const s3 = localS3Client(endpoint);
    const storage = new Storage(s3);
    const head = await storage.head(bucket, key);
    if (!head) throw new Error(`s3://${bucket}/${key} is missing`);
    buffer = storage.asyncBuffer(bucket, key, head, DEFAULT_WHOLE_FILE_BYTES);
    close = () => s3.destroy();
    name = path.basename(key);
  } else {
    const local = fileBuffer(file);
    buffer = local;
    close = local.close;
  }
  const started = process.hrtime.bigint();
  const verdict = await judgeFile(buffer, table, name, "fail");
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  close();
  process.stdout.write(
    `${JSON.stringify({
      seconds,
      peakRssMb: peakRssMb(),
      rows: verdict.rows,
      failures: verdict.failures.map((f) => f.message),
    })}\n`,
  );
}

void main();
