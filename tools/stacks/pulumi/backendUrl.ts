/**
 * Reads a self-managed backend URL (PULUMI_BACKEND_URL) the way Pulumi CLI v3.248.0 opens it:
 * `file://<path>` (pkg/backend/diy/backend.go, massageBlobPath: `~` is the home folder, relative
 * paths are made absolute) or `s3://<bucket>[/<prefix>]?<query>` through gocloud.dev v0.46's
 * s3blob (blob/s3blob/s3blob.go and aws/aws.go V2ConfigFromURLParams), after the CLI's
 * translateLegacyS3Params: `disableSSL` becomes `disable_https`, and an endpoint without a
 * scheme gets `http://` (disableSSL=true) or `https://`. pkg/backend/diy/bucket_s3_test.go uses
 * `s3://testbucket?endpoint=<host:port>&s3ForcePathStyle=true&awssdk=v2` against a local server.
 */
import * as os from "node:os";
import * as path from "node:path";

export type BackendLocation =
  | { readonly kind: "file"; readonly url: string; readonly dir: string }
  | {
      readonly kind: "s3";
      readonly url: string;
      readonly bucket: string;
      /** Key prefix inside the bucket ("" or ending in "/"). */
      readonly prefix: string;
      readonly endpoint?: string;
      readonly region?: string;
      readonly profile?: string;
      readonly forcePathStyle: boolean;
    };

/** Query parameters gocloud.dev's s3 opener accepts (anything else is refused). */
const S3_PARAMS = new Set([
  "region",
  "endpoint",
  "profile",
  "dualstack",
  "fips",
  "rate_limiter_capacity",
  "anonymous",
  "hostname_immutable",
  "awssdk",
  "ssetype",
  "kmskeyid",
  "accelerate",
  "use_path_style",
  "s3ForcePathStyle",
  "disable_https",
  "disableSSL",
]);

const TRUE = /^(1|t|true)$/i;
const BOOL = /^(1|0|t|f|true|false)$/i;

export class BackendUrlError extends Error {}

export function parseBackendUrl(url: string, home: string = os.homedir()): BackendLocation {
  if (url.startsWith("file://")) {
    let dir = url.slice("file://".length).replace(/\?.*$/, "");
    if (dir === "~" || dir.startsWith("~/")) dir = path.join(home, dir.slice(1));
    if (dir === "")
      throw new BackendUrlError(`${url}: a file backend needs a path (file://<path>)`);
    return { kind: "file", url, dir: path.resolve(dir) };
  }
  if (!url.startsWith("s3://")) {
    throw new BackendUrlError(
      `${url}: not a self-managed backend this repository uses; expected s3://<bucket> or file://<path>`,
    );
  }
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new BackendUrlError(`${url}: not a valid URL`);
  }
  const bucket = parsed.hostname;
  if (bucket === "") throw new BackendUrlError(`${url}: no bucket name after s3://`);
  const q = parsed.searchParams;
  for (const key of q.keys()) {
    if (!S3_PARAMS.has(key)) {
      throw new BackendUrlError(
        `${url}: unknown query parameter "${key}"; the CLI accepts ${[...S3_PARAMS].join(", ")}`,
      );
    }
  }
  const flag = (name: string) => {
    const values = q.getAll(name);
    const v = values[values.length - 1];
    if (v === undefined) return undefined;
    if (!BOOL.test(v)) throw new BackendUrlError(`${url}: ${name}=${v} is not a boolean`);
    return TRUE.test(v);
  };
  const disableHttps = flag("disableSSL") ?? flag("disable_https") ?? false;
  let endpoint = q.get("endpoint") ?? undefined;
  if (endpoint && !endpoint.includes("://")) {
    endpoint = `${disableHttps ? "http" : "https"}://${endpoint}`;
  }
  const prefix = parsed.pathname.replace(/^\/+/, "");
  return {
    kind: "s3",
    url,
    bucket,
    prefix: prefix === "" || prefix.endsWith("/") ? prefix : `${prefix}/`,
    ...(endpoint ? { endpoint } : {}),
    ...(q.get("region") ? { region: q.get("region")! } : {}),
    ...(q.get("profile") ? { profile: q.get("profile")! } : {}),
    forcePathStyle: (flag("s3ForcePathStyle") ?? flag("use_path_style")) === true,
  };
}
