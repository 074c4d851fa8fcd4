/**
 * A real S3-compatible server for the tests: s3rver on a free loopback port, with its files in
 * a temporary folder, and an @aws-sdk/client-s3 client pointed at it.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
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

export async function startLocalS3(buckets: readonly string[]): Promise<LocalS3> {
  // The SDK warns once per process that its 2027 releases need Node.js 22; the Lambdas run 22.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), "validate-s3-"));
  const server = new S3rver({
    address: "127.0.0.1",
    port: 0,
    silent: true,
    directory,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({
    endpoint,
    region: "eu-west-2",
    forcePathStyle: true,
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
    maxAttempts: 1,
  });
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
    async clear() {
      for (const bucket of buckets) {
        for (const key of await keys(bucket))
          await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
      }
    },
    async stop() {
      client.destroy();
      await server.close();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}
