import { parseBackendUrl } from "./backendUrl";

describe("parseBackendUrl", () => {
  it("reads the S3-compatible form of pkg/backend/diy/bucket_s3_test.go, with the CLI's legacy translation", () => {
    expect(
      parseBackendUrl(
        "s3://state?endpoint=127.0.0.1:9000&s3ForcePathStyle=true&disableSSL=true&awssdk=v2",
      ),
    ).toEqual({
      kind: "s3",
      url: "s3://state?endpoint=127.0.0.1:9000&s3ForcePathStyle=true&disableSSL=true&awssdk=v2",
      bucket: "state",
      prefix: "",
      endpoint: "http://127.0.0.1:9000",
      forcePathStyle: true,
    });
    // without disableSSL a scheme-less endpoint is https (translateLegacyS3Params)
    expect(parseBackendUrl("s3://state?endpoint=minio:9000")).toMatchObject({
      endpoint: "https://minio:9000",
    });
    expect(parseBackendUrl("s3://state?endpoint=http://x:1&use_path_style=true")).toMatchObject({
      endpoint: "http://x:1",
      forcePathStyle: true,
    });
  });

  it("reads the shared bucket, a prefix, region and profile", () => {
    expect(
      parseBackendUrl(
        "s3://analytical-platform-data-engineering-pulumi-backend/team/a?region=eu-west-2&profile=de",
      ),
    ).toEqual({
      kind: "s3",
      url: "s3://analytical-platform-data-engineering-pulumi-backend/team/a?region=eu-west-2&profile=de",
      bucket: "analytical-platform-data-engineering-pulumi-backend",
      prefix: "team/a/",
      region: "eu-west-2",
      profile: "de",
      forcePathStyle: false,
    });
  });

  it("reads file backends, ~ as the home folder", () => {
    expect(parseBackendUrl("file:///srv/state")).toEqual({
      kind: "file",
      url: "file:///srv/state",
      dir: "/srv/state",
    });
    expect(parseBackendUrl("file://~/state", "/home/me")).toMatchObject({ dir: "/home/me/state" });
  });

  it("refuses what gocloud.dev refuses, saying what and where", () => {
    expect(() => parseBackendUrl("s3://state?endpoint=x&forcePathStyle=true")).toThrow(
      's3://state?endpoint=x&forcePathStyle=true: unknown query parameter "forcePathStyle"; the CLI accepts region, endpoint, profile, dualstack, fips, rate_limiter_capacity, anonymous, hostname_immutable, awssdk, ssetype, kmskeyid, accelerate, use_path_style, s3ForcePathStyle, disable_https, disableSSL',
    );
    expect(() => parseBackendUrl("s3://state?disableSSL=yes")).toThrow(
      "s3://state?disableSSL=yes: disableSSL=yes is not a boolean",
    );
    expect(() => parseBackendUrl("https://api.pulumi.com")).toThrow(
      "https://api.pulumi.com: not a self-managed backend this repository uses; expected s3://<bucket> or file://<path>",
    );
    expect(() => parseBackendUrl("file://")).toThrow(
      "file://: a file backend needs a path (file://<path>)",
    );
  });
});
