/**
 * A local STS endpoint on node:http (127.0.0.1 only) that answers GetCallerIdentity as the AWS
 * Query API does, from the AWS STS API reference
 * (https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html, "Example 1 -
 * Called by an IAM user"; errors as in
 * https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html). Strict: a request that
 * is not a signed (SigV4) form POST of Action=GetCallerIdentity&Version=2011-06-15 is refused,
 * and an unknown access key gets InvalidClientTokenId (HTTP 403).
 */
import * as http from "node:http";
import { type AddressInfo } from "node:net";

export interface Identity {
  readonly accessKeyId: string;
  readonly account: string;
  readonly arn: string;
  readonly userId: string;
}

export interface LocalSts {
  readonly endpoint: string;
  /** Requests served, as "<Action> <access key>". */
  readonly requests: string[];
  stop(): Promise<void>;
}

const NS = "https://sts.amazonaws.com/doc/2011-06-15/";

function errorXml(code: string, message: string): string {
  return (
    `<ErrorResponse xmlns="${NS}"><Error><Type>Sender</Type><Code>${code}</Code>` +
    `<Message>${message}</Message></Error><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ErrorResponse>`
  );
}

export async function startLocalSts(identities: readonly Identity[]): Promise<LocalSts> {
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (body += c));
    req.on("end", () => {
      const send = (status: number, xml: string) => {
        res.writeHead(status, { "content-type": "text/xml" });
        res.end(xml);
      };
      const form = new URLSearchParams(body);
      const auth = req.headers.authorization ?? "";
      const key = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/\d{8}\/[\w-]+\/sts\/aws4_request/.exec(
        auth,
      )?.[1];
      if (
        req.method !== "POST" ||
        !/application\/x-www-form-urlencoded/.test(req.headers["content-type"] ?? "")
      ) {
        send(400, errorXml("InvalidAction", "Only form-encoded POST requests are accepted here."));
        return;
      }
      if (!key) {
        send(
          403,
          errorXml("MissingAuthenticationToken", "Request is missing Authentication Token"),
        );
        return;
      }
      requests.push(`${form.get("Action")} ${key}`);
      if (form.get("Action") !== "GetCallerIdentity" || form.get("Version") !== "2011-06-15") {
        send(
          400,
          errorXml(
            "InvalidAction",
            `Could not find operation ${form.get("Action")} for version ${form.get("Version")}`,
          ),
        );
        return;
      }
      const who = identities.find((i) => i.accessKeyId === key);
      if (!who) {
        send(
          403,
          errorXml(
            "InvalidClientTokenId",
            "The security token included in the request is invalid.",
          ),
        );
        return;
      }
      send(
        200,
        `<GetCallerIdentityResponse xmlns="${NS}"><GetCallerIdentityResult>` +
          `<Arn>${who.arn}</Arn><UserId>${who.userId}</UserId><Account>${who.account}</Account>` +
          `</GetCallerIdentityResult><ResponseMetadata><RequestId>01234567-89ab-cdef-0123-456789abcdef</RequestId>` +
          `</ResponseMetadata></GetCallerIdentityResponse>`,
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
