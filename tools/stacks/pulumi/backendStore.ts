/**
 * Read-only access to a self-managed backend's bookkeeping files (`.pulumi/...`), on S3 through
 * @aws-sdk/client-s3 or in a folder, for `doctor`. Paths are those of pkg/backend/diy at
 * v3.248.0: `.pulumi/meta.yaml` (meta.go), `.pulumi/stacks/...` (store.go) and
 * `.pulumi/locks/<fully qualified stack name>/<lock id>.json` (lock.go).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from "@aws-sdk/client-s3";
import { type BackendLocation } from "./backendUrl";

export interface BackendStore {
  /** Keys under `prefix` (relative to the backend root), sorted. */
  list(prefix: string): Promise<string[]>;
  /** The object's text, or undefined when it does not exist. */
  read(key: string): Promise<string | undefined>;
  /** The object's bytes, or undefined when it does not exist. */
  readBytes(key: string): Promise<Buffer | undefined>;
  /** When the object was last written, or undefined when it does not exist. */
  modified(key: string): Promise<Date | undefined>;
  close(): void;
}

export function openBackendStore(
  location: BackendLocation,
  options: { region?: string; env: NodeJS.ProcessEnv },
): BackendStore {
  if (location.kind === "file") return folderStore(location.dir);
  const client = new S3Client({
    region: location.region ?? options.env.AWS_REGION ?? options.region ?? "eu-west-2",
    ...(location.endpoint ? { endpoint: location.endpoint } : {}),
    forcePathStyle: location.forcePathStyle,
    ...(location.profile ? { profile: location.profile } : {}),
    maxAttempts: 1,
  });
  const full = (key: string) => `${location.prefix}${key}`;
  const readBytes = async (key: string): Promise<Buffer | undefined> => {
    try {
      const out = await client.send(
        new GetObjectCommand({ Bucket: location.bucket, Key: full(key) }),
      );
      const body = await out.Body?.transformToByteArray();
      return body ? Buffer.from(body) : undefined;
    } catch (e) {
      if ((e as Error).name === "NoSuchKey") return undefined;
      throw e;
    }
  };
  return {
    async list(prefix) {
      const keys: string[] = [];
      let token: string | undefined;
      do {
        const out = await client.send(
          new ListObjectsV2Command({
            Bucket: location.bucket,
            Prefix: full(prefix),
            ContinuationToken: token,
          }),
        );
        for (const o of out.Contents ?? []) {
          if (o.Key) keys.push(o.Key.slice(location.prefix.length));
        }
        token = out.IsTruncated ? out.NextContinuationToken : undefined;
      } while (token);
      return keys.sort();
    },
    async read(key) {
      return (await readBytes(key))?.toString("utf8");
    },
    readBytes,
    async modified(key) {
      try {
        const out = await client.send(
          new HeadObjectCommand({ Bucket: location.bucket, Key: full(key) }),
        );
        return out.LastModified;
      } catch (e) {
        if ((e as Error).name === "NotFound") return undefined;
        throw e;
      }
    },
    close: () => client.destroy(),
  };
}

function folderStore(dir: string): BackendStore {
  const readBytes = async (key: string): Promise<Buffer | undefined> => {
    const file = path.join(dir, key);
    return fs.existsSync(file) ? fs.readFileSync(file) : undefined;
  };
  return {
    async list(prefix) {
      const keys: string[] = [];
      const walk = (relative: string) => {
        const at = path.join(dir, relative);
        if (!fs.existsSync(at)) return;
        for (const entry of fs.readdirSync(at, { withFileTypes: true })) {
          const key = relative === "" ? entry.name : `${relative}/${entry.name}`;
          if (entry.isDirectory()) walk(key);
          else keys.push(key);
        }
      };
      if (!fs.existsSync(dir)) throw new Error(`${dir} does not exist`);
      walk(prefix.replace(/\/$/, ""));
      return keys.filter((k) => k.startsWith(prefix)).sort();
    },
    async read(key) {
      return (await readBytes(key))?.toString("utf8");
    },
    readBytes,
    async modified(key) {
      const file = path.join(dir, key);
      return fs.existsSync(file) ? fs.statSync(file).mtime : undefined;
    },
    close: () => undefined,
  };
}
