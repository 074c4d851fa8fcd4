/**
 * A fault-injecting HTTP proxy, on 127.0.0.1 only, in front of the local S3 server: the flaky
 * backend of issue 21. Each request draws from a seeded PRNG (mulberry32), so a seed replays
 * the same faults in the same order of requests:
 *
 * - `slowDown`: 503 with S3's XML error body, Code SlowDown ("Please reduce your request rate.");
 * - `internalError`: 500, Code InternalError ("We encountered an internal error. Please try again.")
 *   (both: https://docs.aws.amazon.com/AmazonS3/latest/API/ErrorResponses.html, the error
 *   document and the codes' list), the request not forwarded;
 * - `reset`: the request is forwarded (a write does happen), then the connection is destroyed
 *   halfway through the response body (or before any response when there is no body);
 * - `slow`: the answer is held back `slowMs` before it is forwarded.
 *
 * Bounded: at most `maxFaults` faults in all, and never more than `maxInARow` failures in a row
 * for the same method and path, so the CLI's own retries (aws-sdk-go-v2's standard retryer:
 * 3 attempts) can get through unless the bound allows them not to.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { mulberry32 } from "../../lib/model/random";

export { mulberry32 };

export interface FaultRates {
  readonly slowDown: number;
  readonly internalError: number;
  readonly reset: number;
  readonly slow: number;
}

export interface FaultyProxyOptions {
  readonly upstream: string; // host:port
  readonly seed: number;
  readonly rates: FaultRates;
  readonly slowMs?: number;
  readonly maxFaults?: number;
  readonly maxInARow?: number;
}

export interface FaultyProxy {
  readonly endpoint: string;
  /** Faults injected so far, by kind, and requests seen. */
  readonly counts: Record<keyof FaultRates | "requests", number>;
  close(): Promise<void>;
}

export function s3ErrorXml(code: string, message: string, requestId: string): string {
  return (
    `<?xml version="1.0" encoding="UTF-8"?>\n` +
    `<Error><Code>${code}</Code><Message>${message}</Message>` +
    `<RequestId>${requestId}</RequestId><HostId>faulty-proxy</HostId></Error>`
  );
}

export async function startFaultyProxy(o: FaultyProxyOptions): Promise<FaultyProxy> {
  const random = mulberry32(o.seed);
  const counts = { slowDown: 0, internalError: 0, reset: 0, slow: 0, requests: 0 };
  const maxFaults = o.maxFaults ?? 50;
  const maxInARow = o.maxInARow ?? 2;
  const inARow = new Map<string, number>();
  const [host, port] = o.upstream.split(":");

  const pick = (key: string): keyof FaultRates | undefined => {
    const r = random();
    const failures = inARow.get(key) ?? 0;
    const total = counts.slowDown + counts.internalError + counts.reset + counts.slow;
    if (total >= maxFaults) return undefined;
    let edge = 0;
    for (const kind of ["slowDown", "internalError", "reset", "slow"] as const) {
      edge += o.rates[kind];
      if (r < edge) return kind !== "slow" && failures >= maxInARow ? undefined : kind;
    }
    return undefined;
  };

  const server = http.createServer((req, res) => {
    counts.requests++;
    const key = `${req.method} ${req.url}`;
    const fault = pick(key);
    if (fault) counts[fault]++;
    if (fault === "slowDown" || fault === "internalError" || fault === "reset") {
      inARow.set(key, (inARow.get(key) ?? 0) + 1);
    } else inARow.delete(key);
    const requestId = `FAULT${counts.requests}`;
    if (fault === "slowDown" || fault === "internalError") {
      req.resume(); // read and drop the body, as S3 does before answering
      req.on("end", () => {
        const body =
          fault === "slowDown"
            ? s3ErrorXml("SlowDown", "Please reduce your request rate.", requestId)
            : s3ErrorXml(
                "InternalError",
                "We encountered an internal error. Please try again.",
                requestId,
              );
        res.writeHead(fault === "slowDown" ? 503 : 500, {
          "content-type": "application/xml",
          "content-length": Buffer.byteLength(body),
          "x-amz-request-id": requestId,
        });
        res.end(body);
      });
      return;
    }
    const upstream = http.request(
      { host, port: Number(port), method: req.method, path: req.url, headers: req.headers },
      (up) => {
        const chunks: Buffer[] = [];
        up.on("data", (c: Buffer) => chunks.push(c));
        up.on("end", () => {
          const body = Buffer.concat(chunks);
          const answer = () => {
            if (fault === "reset") {
              if (body.length > 1) {
                res.writeHead(up.statusCode ?? 500, up.headers);
                res.write(body.subarray(0, Math.floor(body.length / 2)));
              }
              // Give the half body a moment to leave, then cut the connection.
              setTimeout(() => req.socket.destroy(), 20);
              return;
            }
            res.writeHead(up.statusCode ?? 500, up.headers);
            res.end(body);
          };
          if (fault === "slow") setTimeout(answer, o.slowMs ?? 1500);
          else answer();
        });
      },
    );
    upstream.on("error", (e) => {
      res.writeHead(502);
      res.end(`faulty proxy: upstream ${o.upstream}: ${e.message}`);
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address() as AddressInfo;
  return {
    endpoint: `127.0.0.1:${address.port}`,
    counts,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
