/**
 * The S3 operations the validation needs, over @aws-sdk/client-s3. The client is built by the
 * caller, so tests point it at a local S3-compatible server.
 */
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import type { AsyncBuffer } from "hyparquet";
import { StorageReadError } from "./parquet";

export interface ObjectHead {
  readonly size: number;
  readonly etag: string | undefined;
  /** Set when the bucket is versioned: the version that was looked at. */
  readonly versionId?: string;
  readonly lastModified?: Date;
}

interface S3ErrorLike {
  name?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number };
}

/**
 * A real missing key: 404 NoSuchKey (GET) or 404 NotFound (HEAD, which has no body to say
 * more). A 404 NoSuchBucket is not a missing key but a wrong bucket name: an error.
 */
export function isNotFound(e: unknown): boolean {
  const err = e as S3ErrorLike;
  if (err?.name === "NoSuchBucket" || err?.Code === "NoSuchBucket") return false;
  return (
    err?.name === "NoSuchKey" || err?.name === "NotFound" || err?.$metadata?.httpStatusCode === 404
  );
}

/** A conditional write lost: the key exists (412 PreconditionFailed) or a concurrent write won (409). */
export function isConditionLost(e: unknown): boolean {
  const err = e as S3ErrorLike;
  const status = err?.$metadata?.httpStatusCode;
  return (
    err?.name === "PreconditionFailed" ||
    err?.name === "ConditionalRequestConflict" ||
    status === 412 ||
    status === 409
  );
}

/** `bucket/key` for CopySource, with the key URL-encoded segment by segment. */
export function copySource(bucket: string, key: string): string {
  return `${bucket}/${key.split("/").map(encodeURIComponent).join("/")}`;
}

export class Storage {
  constructor(private readonly s3: S3Client) {}

  /** The object's size and ETag, or undefined when the key does not exist. */
  async head(bucket: string, key: string): Promise<ObjectHead | undefined> {
    try {
      const out = await this.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
      return {
        size: out.ContentLength ?? 0,
        etag: out.ETag,
        ...(out.VersionId && out.VersionId !== "null" ? { versionId: out.VersionId } : {}),
        ...(out.LastModified ? { lastModified: out.LastModified } : {}),
      };
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  /**
   * The object as text unless its ETag is still `etag`: a conditional GET (If-None-Match),
   * which S3 answers 304 Not Modified when the object has not changed ("IfNoneMatch: Return
   * the object only if its entity tag (ETag) is different from the one specified in this
   * header; otherwise, return a 304 Not Modified error", Amazon S3 API Reference, GetObject:
   * https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html; the same text documents
   * GetObjectCommandInput.IfNoneMatch in @aws-sdk/client-s3). The SDK throws the 304 as an error.
   * `missing` when the key does not exist; other errors (403, NoSuchBucket) are thrown.
   */
  async getTextIfChanged(
    bucket: string,
    key: string,
    etag?: string,
  ): Promise<
    | { readonly state: "changed"; readonly text: string; readonly etag: string | undefined }
    | { readonly state: "unchanged" }
    | { readonly state: "missing" }
  > {
    try {
      const out = await this.s3.send(
        new GetObjectCommand({ Bucket: bucket, Key: key, IfNoneMatch: etag }),
      );
      const text = (await out.Body?.transformToString("utf-8")) ?? "";
      return { state: "changed", text, etag: out.ETag };
    } catch (e) {
      if (etag !== undefined && (e as S3ErrorLike)?.$metadata?.httpStatusCode === 304)
        return { state: "unchanged" };
      if (isNotFound(e)) return { state: "missing" };
      throw e;
    }
  }

  async getBytes(
    bucket: string,
    key: string,
    range?: { start: number; end: number },
    etag?: string,
  ): Promise<Uint8Array> {
    const out = await this.s3.send(
      new GetObjectCommand({
        Bucket: bucket,
        Key: key,
        Range: range ? `bytes=${range.start}-${range.end - 1}` : undefined,
        IfMatch: etag,
      }),
    );
    return (await out.Body?.transformToByteArray()) ?? new Uint8Array();
  }

  /**
   * The object as hyparquet's AsyncBuffer. A file up to `wholeFileBytes` is fetched once;
   * a larger one is read by ranges as hyparquet asks, so memory stays bounded. Every read is
   * pinned to `head.etag`, so a file overwritten meanwhile fails the read instead of mixing
   * two versions. Storage errors surface as StorageReadError.
   */
  asyncBuffer(bucket: string, key: string, head: ObjectHead, wholeFileBytes: number): AsyncBuffer {
    const size = head.size;
    const read = async (start: number, end: number): Promise<ArrayBuffer> => {
      try {
        const bytes = await this.getBytes(bucket, key, { start, end }, head.etag);
        return bytes.buffer.slice(
          bytes.byteOffset,
          bytes.byteOffset + bytes.byteLength,
        ) as ArrayBuffer;
      } catch (e) {
        throw new StorageReadError(
          `reading s3://${bucket}/${key} bytes ${start}-${end - 1} failed: ${(e as Error).message}`,
          e,
        );
      }
    };
    const clamp = (start: number, end?: number): [number, number] => {
      const s = Math.max(0, Math.min(start, size));
      const e = Math.max(s, Math.min(end ?? size, size));
      return [s, e];
    };
    if (size <= wholeFileBytes) {
      let whole: Promise<ArrayBuffer> | undefined;
      return {
        byteLength: size,
        slice: async (start, end) => {
          whole ??= size === 0 ? Promise.resolve(new ArrayBuffer(0)) : read(0, size);
          return (await whole).slice(...clamp(start, end));
        },
      };
    }
    return {
      byteLength: size,
      slice: async (start, end) => {
        const [s, e] = clamp(start, end);
        return s === e ? new ArrayBuffer(0) : read(s, e);
      },
    };
  }

  /**
   * Server-side copy of the version that was validated: `versionId` pins it in a versioned
   * bucket, and `etag` makes S3 refuse if the source changed since it was validated.
   */
  async copy(
    from: { bucket: string; key: string; etag?: string; versionId?: string },
    to: { bucket: string; key: string },
  ): Promise<void> {
    const version = from.versionId ? `?versionId=${encodeURIComponent(from.versionId)}` : "";
    await this.s3.send(
      new CopyObjectCommand({
        Bucket: to.bucket,
        Key: to.key,
        CopySource: copySource(from.bucket, from.key) + version,
        CopySourceIfMatch: from.etag,
      }),
    );
  }

  /**
   * Writes a small JSON object only if the key does not exist yet (S3 conditional write,
   * If-None-Match: *). Returns false when it already existed or a concurrent write won: the
   * atomic "first one wins" that lets one of several duplicate invocations alert.
   */
  async putJsonIfAbsent(bucket: string, key: string, value: unknown): Promise<boolean> {
    try {
      await this.s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: key,
          Body: `${JSON.stringify(value)}\n`,
          ContentType: "application/json",
          IfNoneMatch: "*",
        }),
      );
      return true;
    } catch (e) {
      if (isConditionLost(e)) return false;
      throw e;
    }
  }

  async putJson(bucket: string, key: string, value: unknown): Promise<void> {
    await this.s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: `${JSON.stringify(value, null, 2)}\n`,
        ContentType: "application/json",
      }),
    );
  }

  /** Deletes the key, or only the given version of it (a newer version stays current). */
  async delete(bucket: string, key: string, versionId?: string): Promise<void> {
    await this.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }));
  }
}
