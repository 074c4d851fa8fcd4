/**
 * Small local HTTP servers speaking just enough of the SNS (query) and Secrets Manager (JSON)
 * protocols for the bundled functions to run against them, plus a Slack webhook stand-in.
 * Each records what it was sent.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeServer<T> {
  readonly endpoint: string;
  readonly received: T[];
  close(): Promise<void>;
}

async function serve<T>(
  handle: (
    body: string,
    req: http.IncomingMessage,
  ) => { status?: number; type: string; body: string; record: T },
): Promise<FakeServer<T>> {
  const received: T[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const out = handle(Buffer.concat(chunks).toString("utf8"), req);
      received.push(out.record);
      res.writeHead(out.status ?? 200, { "content-type": out.type });
      res.end(out.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    received,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

export interface Published {
  readonly topicArn: string | null;
  readonly subject: string | null;
  readonly message: string | null;
}

/** SNS Publish over the AWS query protocol. */
export function fakeSns(): Promise<FakeServer<Published>> {
  return serve((body) => {
    const form = new URLSearchParams(body);
    return {
      type: "text/xml",
      body:
        `<PublishResponse xmlns="http://sns.amazonaws.com/doc/2010-03-31/"><PublishResult><MessageId>m-1</MessageId>` +
        `</PublishResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></PublishResponse>`,
      record: {
        topicArn: form.get("TopicArn"),
        subject: form.get("Subject"),
        message: form.get("Message"),
      },
    };
  });
}

/** Secrets Manager GetSecretValue over the AWS JSON 1.1 protocol, answering from `secrets`. */
export function fakeSecretsManager(secrets: Record<string, string>): Promise<FakeServer<string>> {
  return serve((body, req) => {
    const id = (JSON.parse(body) as { SecretId: string }).SecretId;
    const value = secrets[id];
    const target = String(req.headers["x-amz-target"]);
    if (target !== "secretsmanager.GetSecretValue" || value === undefined) {
      return {
        status: 400,
        type: "application/x-amz-json-1.1",
        body: JSON.stringify({
          __type: "ResourceNotFoundException",
          message: "Secrets Manager can't find the specified secret.",
        }),
        record: id,
      };
    }
    return {
      type: "application/x-amz-json-1.1",
      body: JSON.stringify({
        ARN: `arn:aws:secretsmanager:eu-west-2:123456789012:secret:${id}-AbCdEf`,
        Name: id,
        SecretString: value,
        VersionId: "v1",
      }),
      record: id,
    };
  });
}

/** A Slack incoming webhook that answers 200 and keeps each posted JSON body. */
export function fakeSlack(): Promise<FakeServer<unknown>> {
  return serve((body) => ({ type: "text/plain", body: "ok", record: JSON.parse(body) as unknown }));
}
