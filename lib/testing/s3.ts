/**
 * A real S3-compatible server for the tests: s3rver on a free loopback port, with its files in
 * a temporary folder, and an @aws-sdk/client-s3 client pointed at it.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from "@aws-sdk/client-s3";
import S3rver from "s3rver";

export interface LocalS3 {
  readonly client: S3Client;
  readonly endpoint: string;
  /** Every key in the bucket, sorted. */
  keys(bucket: string): Promise<string[]>;
  put(bucket: string, key: string, body: Uint8Array | string): Promise<void>;
  /** The object's bytes, or undefined when the key does not exist. */
  get(bucket: string, key: string): Promise<Uint8Array | undefined>;
  /** Deletes every object of every bucket. */
  clear(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * An S3 client for a local S3-compatible server at `endpoint` (s3rver): path-style addressing,
 * since the server has no bucket subdomains, and s3rver's fixed credentials.
 */
export function localS3Client(endpoint: string, options: S3ClientConfig = {}): S3Client {
  // The SDK warns once per process that its 2027 releases need Node.js 22; the Lambdas run 22.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  return new S3Client({
    endpoint,
    region: "eu-west-2",
    forcePathStyle: true,
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
    ...options,
  });
}

export async function startLocalS3(buckets: readonly string[]): Promise<LocalS3> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), "validate-s3-"));
  const server = new S3rver({
    address: "127.0.0.1",
    port: 0,
    silent: true,
    directory,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  refuseExistingKeysOnConditionalPut(server);
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const client = localS3Client(endpoint, { maxAttempts: 1 });
  const keys = async (bucket: string) => {
    const out = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
    return (out.Contents ?? []).map((o) => o.Key ?? "").sort();
  };
  return {
    client,
    endpoint,
    keys,
    async put(bucket, key, body) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body }));
    },
    async get(bucket, key) {
      try {
        const out = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return await out.Body?.transformToByteArray();
      } catch (e) {
        if ((e as Error).name === "NoSuchKey") return undefined;
        throw e;
      }
    },
    // Setup between tests: s3rver's own store deletes as its DeleteObject handler does, without
    // a signed request per key (validate.test.ts clears four buckets before each of its tests).
    async clear() {
      const store = (server as unknown as { store: S3rverStore }).store;
      for (const bucket of buckets) {
        const { objects } = await store.listObjects(bucket, {});
        for (const { key } of objects) await store.deleteObject(bucket, key);
      }
    },
    async stop() {
      client.destroy();
      await server.close();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}

/**
 * S3 conditional writes, which s3rver lacks: a PUT with `If-None-Match: *` fails with 412
 * PreconditionFailed when the key exists, atomically per key (concurrent ones are serialised,
 * so exactly one wins). Behaviour and error from the Amazon S3 user guide, "Add preconditions
 * to S3 operations with conditional requests" / "How to prevent object overwrites with
 * conditional writes": https://docs.aws.amazon.com/AmazonS3/latest/userguide/conditional-writes.html
 */
function refuseExistingKeysOnConditionalPut(server: S3rver): void {
  const locks = new Map<string, Promise<void>>();
  const koa = server as unknown as {
    middleware: ((ctx: KoaContext, next: () => Promise<void>) => Promise<void>)[];
    store: { existsObject(bucket: string, key: string): Promise<boolean> };
  };
  const conditional = async (ctx: KoaContext, next: () => Promise<void>) => {
    const noneMatch = ctx.get("if-none-match");
    if (ctx.method !== "PUT" || !noneMatch || ctx.get("x-amz-copy-source")) return next();
    if (noneMatch !== "*") {
      ctx.status = 501;
      ctx.type = "application/xml";
      ctx.body = s3Error("NotImplemented", "If-None-Match on PUT supports only *");
      return;
    }
    const [, bucket, ...rest] = ctx.path.split("/");
    const key = decodeURIComponent(rest.join("/"));
    const id = `${bucket}/${key}`;
    const before = locks.get(id) ?? Promise.resolve();
    let release = () => {};
    const mine = new Promise<void>((resolve) => (release = resolve));
    locks.set(
      id,
      before.then(() => mine),
    );
    await before;
    try {
      if (await koa.store.existsObject(bucket, key)) {
        ctx.status = 412;
        ctx.type = "application/xml";
        ctx.body = s3Error(
          "PreconditionFailed",
          "At least one of the pre-conditions you specified did not hold",
          "<Condition>If-None-Match</Condition>",
        );
        return;
      }
      await next();
    } finally {
      release();
    }
  };
  // Before s3rver's router, which is the last middleware.
  koa.middleware.splice(koa.middleware.length - 1, 0, conditional);
}

/** The part of s3rver 3.7's FilesystemStore (lib/stores/filesystem.js) that clear() uses. */
interface S3rverStore {
  listObjects(bucket: string, options: object): Promise<{ objects: { key: string }[] }>;
  deleteObject(bucket: string, key: string): Promise<void>;
}

interface KoaContext {
  method: string;
  path: string;
  status: number;
  type: string;
  body: unknown;
  get(header: string): string;
}

const s3Error = (code: string, message: string, extra = "") =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message>${extra}</Error>`;
