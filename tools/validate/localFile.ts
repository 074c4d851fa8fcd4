/** A local file as hyparquet's AsyncBuffer: each slice is one positioned read, nothing more is held. */
import * as fs from "node:fs";
import type { AsyncBuffer } from "hyparquet";

export function fileBuffer(file: string): AsyncBuffer & { close(): void } {
  const fd = fs.openSync(file, "r");
  const size = fs.fstatSync(fd).size;
  return {
    byteLength: size,
    slice(start: number, end?: number): ArrayBuffer {
      const s = Math.max(0, Math.min(start, size));
      const e = Math.max(s, Math.min(end ?? size, size));
      const bytes = Buffer.allocUnsafe(e - s);
      let done = 0;
      while (done < bytes.length) {
        const n = fs.readSync(fd, bytes, done, bytes.length - done, s + done);
        if (n === 0) break;
        done += n;
      }
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + done) as ArrayBuffer;
    },
    close: () => fs.closeSync(fd),
  };
}
