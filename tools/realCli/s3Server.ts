/**
 * A real S3-compatible HTTP server on 127.0.0.1 (s3rver, a devDependency) for the real-CLI
 * tier's backend, and the settings the CLI needs to use it.
 *
 * The CLI's S3 client is aws-sdk-go-v2 (gocloud.dev blob, `awssdk=v2`), which by default sends
 * request checksums and may use `aws-chunked` uploads with a trailing checksum, a framing
 * s3rver 3.7 does not decode (it would store the chunk headers with the data). Checked with
 * the CLI v3.248.0 over plain HTTP: it signs the payload and sends the plain body, so s3rver
 * stores exactly what was written; realCli.real-cli.test.ts proves it on every run by reading
 * checkpoints back and parsing them. The client's request checksums stay at their default;
 * only response validation is set to `when_required`, since s3rver returns no checksums and
 * the SDK would warn "Response has no supported checksum" on every read.
 *
 * One fix to s3rver, for the resilience scenarios: its filesystem store writes an object in
 * place (lib/stores/filesystem.js `putObject`, s3rver 3.7.1: `fs.createWriteStream(objectPath)`
 * truncates the old object, then the body is piped in), so a PUT cut off by a killed CLI left a
 * truncated checkpoint that no reader could parse. S3 never does that: "Amazon S3 never adds
 * partial objects; if you receive a success response, Amazon S3 added the entire object"
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_PutObject.html). `atomicPuts` writes
 * beside the object and renames it into place once the whole body has arrived.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { AddressInfo } from "node:net";
import {
  checkpointKeys,
  checkpointText,
  newestCheckpointKey,
} from "../stacks/pulumi/checkpointFile";
// s3rver ships no types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const S3rver = require("s3rver") as new (options: Record<string, unknown>) => {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
  store: FilesystemStore;
};

/** The part of s3rver's FilesystemStore (lib/stores/filesystem.js) that `atomicPuts` replaces. */
interface FilesystemStore {
  getResourcePath(bucket: string, key: string, resource: string): string;
  putMetadata(bucket: string, key: string, metadata: unknown, md5: string): Promise<void>;
  putObject(object: {
    bucket: string;
    key: string;
    content: Buffer | NodeJS.ReadableStream;
    metadata: unknown;
  }): Promise<{ size: number; md5: string }>;
}

/** s3rver's putObject, but the object appears whole or not at all (see the top of the file). */
function atomicPuts(store: FilesystemStore): void {
  store.putObject = async (object) => {
    const objectPath = store.getResourcePath(object.bucket, object.key, "object");
    fs.mkdirSync(path.dirname(objectPath), { recursive: true });
    const partial = `${objectPath}.${process.pid}.${Math.random().toString(36).slice(2)}.partial`;
    const md5 = createHash("md5");
    let size = 0;
    try {
      await new Promise<void>((resolve, reject) => {
        const out = fs.createWriteStream(partial).on("error", reject).on("finish", resolve);
        if (Buffer.isBuffer(object.content)) {
          md5.update(object.content);
          size = object.content.length;
          out.end(object.content);
          return;
        }
        const body = object.content;
        // A request cut off mid-body ends with "aborted" or "error", never with "end".
        body.on("error", reject).on("aborted", () => reject(new Error("request aborted")));
        body.on("data", (chunk: Buffer) => {
          md5.update(chunk);
          size += chunk.length;
        });
        body.pipe(out);
      });
      fs.renameSync(partial, objectPath);
    } catch (e) {
      fs.rmSync(partial, { force: true });
      throw e;
    }
    const digest = md5.digest("hex");
    await store.putMetadata(object.bucket, object.key, object.metadata, digest);
    return { size, md5: digest };
  };
}

/** s3rver's fixed credentials (its README): any other key is refused with 403. */
export const S3_ACCESS_KEY = "S3RVER";
export const S3_SECRET_KEY = "S3RVER";

export interface LocalS3 {
  readonly endpoint: string;
  readonly bucket: string;
  /** Where s3rver keeps the objects: `<dir>/<bucket>/<key>._S3rver_object`. */
  readonly directory: string;
  /** The backend URL for `pulumi login` / PULUMI_BACKEND_URL (pkg/backend/diy/bucket_s3_test.go). */
  readonly backendUrl: string;
  /** The environment the CLI needs to reach it, and nothing else. */
  readonly env: Readonly<Record<string, string>>;
  /** The exact bytes stored under `key`. */
  readObject(key: string): Buffer;
  /** A stack's checkpoint JSON as the CLI finds it (gzipped or not: checkpointFile.ts). */
  readCheckpoint(project: string, stack: string): string;
  listKeys(prefix: string): string[];
  close(): Promise<void>;
}

export async function startLocalS3(bucket = "dataeng-pulumi-backend"): Promise<LocalS3> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), "dataeng-s3-"));
  const server = new S3rver({
    address: "127.0.0.1",
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: bucket }],
  });
  atomicPuts(server.store);
  const address = await server.run();
  const endpoint = `127.0.0.1:${address.port}`;
  const objectPath = (key: string) => path.join(directory, bucket, `${key}._S3rver_object`);
  return {
    endpoint,
    bucket,
    directory,
    backendUrl: `s3://${bucket}?endpoint=${endpoint}&s3ForcePathStyle=true&disableSSL=true&awssdk=v2`,
    env: {
      AWS_ACCESS_KEY_ID: S3_ACCESS_KEY,
      AWS_SECRET_ACCESS_KEY: S3_SECRET_KEY,
      AWS_REGION: "eu-west-2",
      AWS_EC2_METADATA_DISABLED: "true",
      AWS_RESPONSE_CHECKSUM_VALIDATION: "when_required",
    },
    readObject: (key) => fs.readFileSync(objectPath(key)),
    readCheckpoint(project, stack) {
      const present = checkpointKeys(project, stack)
        .filter((key) => fs.existsSync(objectPath(key)))
        .map((key) => ({ key, modified: fs.statSync(objectPath(key)).mtime }));
      const key = newestCheckpointKey(present);
      if (key === undefined) throw new Error(`${stack} has no checkpoint in the local S3 backend`);
      return checkpointText(key, fs.readFileSync(objectPath(key)));
    },
    listKeys(prefix) {
      const root = path.join(directory, bucket);
      const out: string[] = [];
      const walk = (dir: string) => {
        if (!fs.existsSync(dir)) return;
        for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
          const full = path.join(dir, e.name);
          if (e.isDirectory()) walk(full);
          else if (e.name.endsWith("._S3rver_object")) {
            out.push(path.relative(root, full).replace(/\._S3rver_object$/, ""));
          }
        }
      };
      walk(root);
      return out.filter((k) => k.startsWith(prefix)).sort();
    },
    async close() {
      await server.close();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}
