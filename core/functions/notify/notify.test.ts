/**
 * The notifier against a real local HTTP server standing in for Slack's webhook. Waits between
 * attempts are recorded instead of slept, so retries are checked without slowing the tests.
 */
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import type { ValidationFailureAlert } from "../../../lib/contracts/alerts";
import { memoryLogger } from "../../../lib/lambda/log";
import { DOCUMENTED_DMS_EVENT, dmsEventMessage } from "../../../lib/testing/events";
import { createNotifyDeps, makeHandler } from "./index";
import { parseWebhookSecret } from "./secret";

interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}
interface Received {
  method?: string;
  url?: string;
  contentType?: string;
  body: unknown;
}

let server: http.Server;
let port: number;
let replies: Reply[] = [];
let received: Received[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      received.push({
        method: req.method,
        url: req.url,
        contentType: req.headers["content-type"],
        body: JSON.parse(Buffer.concat(chunks).toString("utf8")),
      });
      const reply = replies.length > 1 ? replies.shift()! : (replies[0] ?? { status: 200 });
      res.writeHead(reply.status, { "content-type": "text/plain", ...reply.headers });
      res.end(reply.body ?? (reply.status === 200 ? "ok" : "error"));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  // fetch keeps idle connections open; close them so the worker can exit.
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  replies = [];
  received = [];
});

const SECRET_PATH = "/services/T0001/B0001/s3cr3tT0ken";
const webhook = () => `http://127.0.0.1:${port}${SECRET_PATH}`;

/** `secretValue` is called on every read of the secret, with the URL of the local server. */
function harness(
  secretValue: (url: string, read: number) => string = (url) => url,
  random: () => number = () => 0.5,
) {
  const logger = memoryLogger();
  const sleeps: number[] = [];
  // A clock that moves only when the notifier waits.
  const now = () => Date.parse("2026-11-27T12:00:00Z") + sleeps.reduce((a, b) => a + b, 0);
  const secretsAsked: string[] = [];
  const deps = createNotifyDeps(
    {
      SLACK_WEBHOOK_SECRET_NAME: "dataeng/slack-webhook",
      ENVIRONMENT: "prod",
      AWS_REGION: "eu-west-2",
    },
    {
      logger,
      secrets: {
        async getSecretString(name) {
          secretsAsked.push(name);
          return secretValue(webhook(), secretsAsked.length);
        },
      },
      post: { sleep: async (ms) => void sleeps.push(ms), now, random },
    },
  );
  return { run: makeHandler(() => deps), logs: logger.records, sleeps, secretsAsked };
}

const sns = (message: string, subject: string | null = null) => ({
  Records: [
    {
      EventSource: "aws:sns",
      Sns: {
        Type: "Notification",
        TopicArn: "arn:aws:sns:eu-west-2:123456789012:dataeng-alerts-prod",
        Subject: subject,
        Message: message,
        Timestamp: "2026-11-27T12:00:00.000Z",
      },
    },
  ],
});

const ALERT: ValidationFailureAlert = {
  kind: "validation-failure",
  environment: "prod",
  region: "eu-west-2",
  database: "delius",
  table: "offender",
  key: "delius/offender/LOAD00000001.parquet",
  landingBucket: "mojap-land-prod",
  failBucket: "dataeng-fail-prod",
  reasonKey: "delius/offender/LOAD00000001.parquet.reason.json",
  reason: "missing column surname: ...",
  failedChecks: [
    { check: "columns-present", message: "missing column surname: add it to <metadata> & publish" },
    { check: "primary-key-not-null", message: "offender_id has 1 null value (row 2)" },
  ],
  rows: 3,
  detectedAt: "2026-11-27T12:00:00.000Z",
};

// The Block Kit layout of every message the notifier posts (Slack's "Reference: blocks",
// https://api.slack.com/reference/block-kit/blocks): a header, a section of fields, a section
// of text and a context line, each text in mrkdwn but the header's.
const md = (text: string) => ({ type: "mrkdwn", text });
const slackMessage = (m: {
  text: string;
  header: string;
  fields: string[];
  body: string;
  context: string;
}) => ({
  text: m.text,
  blocks: [
    { type: "header", text: { type: "plain_text", text: m.header, emoji: true } },
    { type: "section", fields: m.fields.map(md) },
    { type: "section", text: md(m.body) },
    { type: "context", elements: [md(m.context)] },
  ],
});

const noSecretInLogs = (logs: Record<string, unknown>[]) =>
  expect(JSON.stringify(logs)).not.toContain("s3cr3tT0ken");

test("a validation failure is posted once, in exactly this format", async () => {
  const h = harness();

  await expect(
    h.run(sns(JSON.stringify(ALERT), "[prod] Validation failed: delius.offender")),
  ).resolves.toEqual([{ kind: "validation-failure", attempts: 1 }]);

  expect(h.secretsAsked).toEqual(["dataeng/slack-webhook"]);
  expect(received).toHaveLength(1);
  expect(received[0]).toMatchObject({
    method: "POST",
    url: SECRET_PATH,
    contentType: "application/json",
  });
  const s3 =
    "https://eu-west-2.console.aws.amazon.com/s3/object/dataeng-fail-prod?region=eu-west-2&prefix=";
  expect(received[0].body).toEqual(
    slackMessage({
      text: ":x: [prod] Validation failed: delius.offender: delius/offender/LOAD00000001.parquet was moved to the fail bucket",
      header: ":x: Validation failed: delius.offender (prod)",
      fields: [
        "*Environment*\nprod",
        "*Database*\ndelius",
        "*Table*\noffender",
        "*Rows*\n3",
        "*File*\n`delius/offender/LOAD00000001.parquet`",
        "*Failed checks*\n`columns-present`, `primary-key-not-null`",
      ],
      body:
        "*Why*\n• missing column surname: add it to &lt;metadata&gt; &amp; publish\n" +
        "• offender_id has 1 null value (row 2)",
      context:
        `<${s3}delius%2Foffender%2FLOAD00000001.parquet|Open the file in the S3 console> · ` +
        `<${s3}delius%2Foffender%2FLOAD00000001.parquet.reason.json|the reason (JSON)> · fail bucket \`dataeng-fail-prod\``,
    }),
  );
  expect(h.logs).toMatchObject([
    { level: "INFO", message: "posted to slack", kind: "validation-failure", attempts: 1 },
  ]);
  noSecretInLogs(h.logs);
});

test("429 with Retry-After: waits as told, then posts", async () => {
  replies = [
    { status: 429, headers: { "retry-after": "3" }, body: "rate_limited" },
    { status: 200 },
  ];
  const h = harness();

  await expect(h.run(sns(JSON.stringify(ALERT)))).resolves.toEqual([
    { kind: "validation-failure", attempts: 2 },
  ]);

  expect(received).toHaveLength(2);
  expect(received[1].body).toEqual(received[0].body);
  expect(h.sleeps).toEqual([3000]);
  expect(h.logs[0]).toMatchObject({
    level: "WARN",
    message: "slack post retry",
    attempt: 1,
    status: 429,
    delayMs: 3000,
  });
});

test("500 then 200: backs off once, then posts", async () => {
  replies = [{ status: 500 }, { status: 200 }];
  const h = harness();

  await expect(h.run(sns(JSON.stringify(ALERT)))).resolves.toEqual([
    { kind: "validation-failure", attempts: 2 },
  ]);
  expect(received).toHaveLength(2);
  // Equal jitter: half the 1000 ms backoff plus random() (0.5 here) times the other half.
  expect(h.sleeps).toEqual([750]);
});

test("backoff is spread by jitter between half the backoff and all of it", async () => {
  replies = [{ status: 503 }, { status: 503 }, { status: 503 }, { status: 200 }];
  const draws = [0, 0.999, 0.25];
  const h = harness(undefined, () => draws.shift()!);

  await expect(h.run(sns("hello"))).resolves.toEqual([{ kind: "raw", attempts: 4 }]);
  // Backoffs 1000, 2000, 4000 ms: 500 + 0, 1000 + 999, 2000 + 500.
  expect(h.sleeps).toEqual([500, 1999, 2500]);
});

test("always 500: gives up after five attempts and fails the invocation, without revealing the webhook", async () => {
  replies = [{ status: 500, body: `boom at ${SECRET_PATH}` }];
  const h = harness();

  const run = h.run(sns(JSON.stringify(ALERT)));
  await expect(run).rejects.toThrow(
    "Slack answered 500 (boom at /<webhook-path>); gave up after 5 attempts, so the invocation fails and is retried",
  );
  expect(received).toHaveLength(5);
  expect(h.sleeps).toEqual([750, 1500, 3000, 6000]);
  expect(h.logs.at(-1)).toMatchObject({
    level: "ERROR",
    message: "not posted to slack",
    kind: "validation-failure",
  });
  noSecretInLogs(h.logs);
});

test("a Retry-After longer than the function can wait gives up at once", async () => {
  replies = [{ status: 429, headers: { "retry-after": "120" } }];
  const h = harness();

  await expect(h.run(sns(JSON.stringify(ALERT)))).rejects.toThrow(
    "Slack answered 429 (error) with Retry-After 120 s, longer than the 30 s this function waits; gave up after 1 attempt, " +
      "so the invocation fails and is retried",
  );
  expect(received).toHaveLength(1);
  expect(h.sleeps).toEqual([]);
});

test("retries stop before the function's time runs out", async () => {
  replies = [{ status: 429, headers: { "retry-after": "25" } }];
  const h = harness();

  await expect(h.run(sns("hello"))).rejects.toThrow(
    "Slack answered 429 (error); gave up after 4 attempts, since another would end after the 90 s this function allows " +
      "itself, so the invocation fails and is retried",
  );
  expect(received).toHaveLength(4);
  expect(h.sleeps).toEqual([25000, 25000, 25000]);
});

// Slack's answers to a refused webhook ("Sending messages using incoming webhooks", Handling
// errors, Slack API docs): 400 invalid_payload, 403 invalid_token or action_prohibited,
// 404 no_service or channel_not_found, 410 channel_is_archived.
const ROTATED_PATH = "/services/T0001/B0002/r0tat3dT0ken";

test("a 403 makes it re-read the secret once and post to the new webhook", async () => {
  replies = [{ status: 403, body: "invalid_token" }, { status: 200 }];
  const h = harness((url, read) => (read === 1 ? url : url.replace(SECRET_PATH, ROTATED_PATH)));

  await expect(h.run(sns("hello"))).resolves.toEqual([{ kind: "raw", attempts: 2 }]);
  expect(h.secretsAsked).toEqual(["dataeng/slack-webhook", "dataeng/slack-webhook"]);
  expect(received.map((r) => r.url)).toEqual([SECRET_PATH, ROTATED_PATH]);
  expect(h.logs[0]).toMatchObject({
    level: "WARN",
    message: "slack refused the webhook; re-read the secret",
    status: 403,
    changed: true,
  });
  expect(JSON.stringify(h.logs)).not.toContain("r0tat3dT0ken");
  noSecretInLogs(h.logs);
});

test("a refused webhook whose secret is unchanged fails without posting again", async () => {
  replies = [{ status: 404, body: "no_service" }];
  const h = harness();

  await expect(h.run(sns("hello"))).rejects.toThrow(
    "Slack answered 404 (no_service) on attempt 1; not retried, since only 429 and 5xx answers are: check the webhook " +
      "in the secret and the message format; the secret still holds the same webhook URL, so it was not tried again",
  );
  expect(h.secretsAsked).toHaveLength(2);
  expect(received).toHaveLength(1);
});

test("the secret is re-read once per invocation, not once per refusal", async () => {
  replies = [{ status: 410, body: "channel_is_archived" }];
  const h = harness((url, read) => url.replace(SECRET_PATH, `/services/T0001/B000${read}/x`));

  await expect(h.run(sns("hello"))).rejects.toThrow("Slack answered 410 (channel_is_archived)");
  expect(h.secretsAsked).toHaveLength(2);
  expect(received.map((r) => r.url)).toEqual([
    "/services/T0001/B0001/x",
    "/services/T0001/B0002/x",
  ]);
});

test("a 4xx other than 429 is not retried", async () => {
  replies = [{ status: 400, body: "invalid_payload" }];
  const h = harness();

  await expect(h.run(sns("hello"))).rejects.toThrow(
    "Slack answered 400 (invalid_payload) on attempt 1; not retried, since only 429 and 5xx answers are: check the webhook " +
      "in the secret and the message format",
  );
  expect(received).toHaveLength(1);
  expect(h.secretsAsked).toHaveLength(2);
});

test("an unreachable webhook is retried, then fails without naming it", async () => {
  const closed = http.createServer();
  await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
  const deadPort = (closed.address() as AddressInfo).port;
  await new Promise((resolve) => closed.close(resolve));
  const h = harness(() => `http://127.0.0.1:${deadPort}${SECRET_PATH}`);

  const error = await h.run(sns("hello")).catch((e: Error) => e);
  expect((error as Error).message).toBe(
    "posting to Slack failed (TypeError: ECONNREFUSED); gave up after 5 attempts, so the invocation fails and is retried",
  );
  noSecretInLogs(h.logs);
});

test("a CloudWatch alarm names the alarm, the state, the database and links to the console", async () => {
  const h = harness();
  const alarm = {
    AlarmName: "delius-prod-validate-errors",
    AlarmDescription:
      "delius (prod): the validation Lambda failed; files may be waiting in landing",
    AWSAccountId: "123456789012",
    NewStateValue: "ALARM",
    NewStateReason:
      "Threshold Crossed: 1 datapoint [2.0 (27/11/26 11:55:00)] was greater than the threshold (0.0).",
    StateChangeTime: "2026-11-27T12:00:00.000+0000",
    Region: "EU (London)",
    AlarmArn: "arn:aws:cloudwatch:eu-west-2:123456789012:alarm:delius-prod-validate-errors",
    OldStateValue: "OK",
    Trigger: {
      MetricName: "Errors",
      Namespace: "AWS/Lambda",
      Dimensions: [{ name: "FunctionName", value: "delius-prod-validate" }],
    },
  };

  await h.run(sns(JSON.stringify(alarm), 'ALARM: "delius-prod-validate-errors" in EU (London)'));

  expect(received[0].body).toEqual(
    slackMessage({
      text: ":rotating_light: [prod] ALARM: delius-prod-validate-errors",
      header: ":rotating_light: ALARM: delius-prod-validate-errors",
      fields: [
        "*Environment*\nprod",
        "*Database*\ndelius",
        "*Table*\nn/a",
        "*State*\nOK → ALARM",
        "*Metric*\nAWS/Lambda Errors (FunctionName=delius-prod-validate)",
        "*When*\n2026-11-27T12:00:00.000+0000",
      ],
      body:
        "*What*\ndelius (prod): the validation Lambda failed; files may be waiting in landing\n" +
        "*Why*\nThreshold Crossed: 1 datapoint [2.0 (27/11/26 11:55:00)] was greater than the threshold (0.0).",
      context:
        "<https://eu-west-2.console.aws.amazon.com/cloudwatch/home?region=eu-west-2#alarmsV2:alarm/delius-prod-validate-errors" +
        "|Open the alarm in the CloudWatch console>",
    }),
  );
});

test("a DMS event, as JSON or as plain text, shows the event message", async () => {
  const h = harness();
  const json = {
    "Event Source": "replication-task",
    "Event Time": "2026-11-27 12:00:00.000",
    "Identifier Link":
      "https://console.aws.amazon.com/dms/v2/home?region=eu-west-2#taskDetails/oasys-prod-task\nSourceId: oasys-prod-task ",
    "Source ID": "oasys-prod-task",
    "Event ID": "http://docs.aws.amazon.com/dms/latest/userguide/CHAP_Events.html#DMS-EVENT-0078 ",
    "Event Message":
      "Replication task has failed. Reason: Last Error ORA-01017: invalid username/password.",
  };
  const text = Object.entries(json)
    .map(([k, v]) => `${k} : ${v.split("\n")[0]}`)
    .join("\n");

  await h.run(sns(JSON.stringify(json), "DMS Notification Message"));
  await h.run(sns(text, "DMS Notification Message"));

  const expected = slackMessage({
    text: ":warning: [prod] DMS replication-task oasys-prod-task: Replication task has failed. Reason: Last Error ORA-01017: invalid username/password.",
    header: ":warning: DMS replication-task: oasys-prod-task",
    fields: [
      "*Environment*\nprod",
      "*Database*\noasys",
      "*Table*\nn/a",
      "*When*\n2026-11-27 12:00:00.000",
      "*Event*\n<http://docs.aws.amazon.com/dms/latest/userguide/CHAP_Events.html#DMS-EVENT-0078|DMS-EVENT-0078>",
    ],
    body: "*What*\nReplication task has failed. Reason: Last Error ORA-01017: invalid username/password.",
    context:
      "<https://console.aws.amazon.com/dms/v2/home?region=eu-west-2#taskDetails/oasys-prod-task|Open in the DMS console>",
  });
  expect(received.map((r) => r.body)).toEqual([expected, expected]);
  expect(h.logs.map((l) => l.kind)).toEqual(["dms-event", "dms-event"]);
});

test("anything else is posted as raw text, never dropped", async () => {
  const h = harness();

  await h.run(sns("Something <odd> & unexpected happened\nsecond line", "Budget alert"));

  expect(received[0].body).toEqual(
    slackMessage({
      text: ":bell: [prod] Budget alert",
      header: ":bell: Budget alert",
      fields: ["*Environment*\nprod", "*Database*\nn/a", "*Table*\nn/a"],
      body: "```Something &lt;odd&gt; &amp; unexpected happened\nsecond line```",
      context:
        "<https://eu-west-2.console.aws.amazon.com/sns/v3/home?region=eu-west-2#/topic/arn:aws:sns:eu-west-2:123456789012:dataeng-alerts-prod" +
        "|Open the alerts topic in the SNS console>",
    }),
  );
});

describe("the webhook secret", () => {
  test("holds the URL itself or JSON {url}", async () => {
    const h = harness((url) => JSON.stringify({ url }));
    await h.run(sns("hello"));
    expect(received).toHaveLength(1);
    expect(parseWebhookSecret("s", " https://hooks.slack.com/services/T/B/x ")).toBe(
      "https://hooks.slack.com/services/T/B/x",
    );
  });

  test("a wrong value fails with what to store, never quoting the value", async () => {
    const h = harness(() => '{"webhook": "https://hooks.slack.com/services/T/B/s3cr3tT0ken"}');
    const error = (await h.run(sns("hello")).catch((e: Error) => e)) as Error;
    expect(error.message).toBe(
      'The secret dataeng/slack-webhook does not hold a Slack webhook URL: the JSON has no string "url". Store the URL itself, ' +
        'or JSON {"url": "https://hooks.slack.com/services/..."}, as the secret\'s value (SLACK_WEBHOOK_SECRET_NAME names the secret).',
    );
    expect(() => parseWebhookSecret("s", "s3cr3tT0ken")).toThrow("the value is not a URL.");
    expect(received).toHaveLength(0);
  });
});

test("missing environment variables are all named", () => {
  expect(() => createNotifyDeps({ ENVIRONMENT: "staging" })).toThrow(
    "The notify function's environment variables are wrong:\n" +
      "  - SLACK_WEBHOOK_SECRET_NAME is not set; expected the name of the secret holding the Slack webhook URL\n" +
      '  - ENVIRONMENT is "staging"; expected one of dev, preprod, prod\n' +
      "Set them on the Lambda (the core project sets them in core/program.ts).",
  );
});

describe("DMS events from EventBridge", () => {
  test("the documented event, published as it is, names the task from its console link", async () => {
    const h = harness();
    await h.run(sns(JSON.stringify(DOCUMENTED_DMS_EVENT)));
    expect(received[0].body).toEqual(
      slackMessage({
        text: ":warning: [prod] DMS task taskName: Replication task started, with flag = fresh start",
        header: ":warning: DMS task state change: taskName (prod)",
        fields: [
          "*Environment*\nprod",
          "*Database*\nn/a",
          "*Table*\nn/a",
          "*Task*\n`taskName`",
          "*Event*\nREPLICATION_TASK_STARTED · DMS-EVENT-0069",
          "*When*\n1970-01-01T00:00:00Z",
        ],
        body: "*What*\nReplication task started, with flag = fresh start",
        context:
          "<https://console.aws.amazon.com/dms/v2/home?region=us-east-1#taskDetails/taskName|Open in the DMS console>",
      }),
    );
    expect(h.logs.map((l) => l.kind)).toEqual(["dms-event"]);
  });

  test("a task failure in the pipelines' envelope names the task, its database and the environment", async () => {
    const h = harness();
    // The documented event with the failure category and the eventId key of the current page.
    const failed = {
      ...DOCUMENTED_DMS_EVENT,
      region: "eu-west-2",
      detail: {
        type: "ReplicationTask",
        category: "Failure",
        eventType: "REPLICATION_TASK_FAILED",
        eventId: "DMS-EVENT-0078",
        resourceLink:
          "https://console.aws.amazon.com/dms/v2/home?region=eu-west-2#taskDetails/delius-prod-full-load-and-cdc",
        detailMessage: "Last Error ORA-01017: invalid username/password; logon denied <stop>",
      },
    };
    await h.run(sns(dmsEventMessage("delius-prod-full-load-and-cdc", failed)));
    const body = received[0].body as { text: string; blocks: { fields?: { text: string }[] }[] };
    expect(body.text).toBe(
      ":rotating_light: [prod] DMS task delius-prod-full-load-and-cdc: Last Error ORA-01017: invalid username/password; logon denied &lt;stop&gt;",
    );
    expect(body.blocks[0]).toEqual({
      type: "header",
      text: {
        type: "plain_text",
        text: ":rotating_light: DMS task failure: delius-prod-full-load-and-cdc (prod)",
        emoji: true,
      },
    });
    expect(body.blocks[1].fields?.map((f) => f.text)).toEqual([
      "*Environment*\nprod",
      "*Database*\ndelius",
      "*Table*\nn/a",
      "*Task*\n`delius-prod-full-load-and-cdc`",
      "*Event*\nREPLICATION_TASK_FAILED · DMS-EVENT-0078",
      "*When*\n1970-01-01T00:00:00Z",
    ]);
  });

  test("a replication instance event is named by the identifier the envelope carries", async () => {
    const h = harness();
    // detail-type and category from the instance table of CHAP_EventBridge ("LowStorage:
    // Free storage for the replication instance is low"); no console link, so none is guessed.
    const lowStorage = {
      ...DOCUMENTED_DMS_EVENT,
      "detail-type": "DMS Replication Instance Storage State Change",
      region: "eu-west-2",
      resources: ["arn:aws:dms:eu-west-2:123456789012:rep:ABCDEFGHIJKLMNOPQRSTUVWXYZ"],
      detail: {
        type: "ReplicationInstance",
        category: "LowStorage",
        detailMessage: "Free storage for the replication instance is low.",
      },
    };
    await h.run(sns(dmsEventMessage("oasys-prod-replication", lowStorage)));
    const body = received[0].body as {
      blocks: {
        text?: { text: string };
        fields?: { text: string }[];
        elements?: { text: string }[];
      }[];
    };
    expect(body.blocks[0].text?.text).toBe(
      ":warning: DMS replication instance low storage: oasys-prod-replication (prod)",
    );
    expect(body.blocks[1].fields?.map((f) => f.text)).toEqual([
      "*Environment*\nprod",
      "*Database*\noasys",
      "*Table*\nn/a",
      "*Replication instance*\n`oasys-prod-replication`",
      "*When*\n1970-01-01T00:00:00Z",
    ]);
    expect(body.blocks[3].elements?.[0].text).toBe(
      "<https://eu-west-2.console.aws.amazon.com/dms/v2/home?region=eu-west-2#dashboard|Open in the DMS console>",
    );
  });

  test("an envelope without a DMS event inside is posted raw, not misread", async () => {
    const h = harness();
    await h.run(
      sns(JSON.stringify({ kind: "dms-event", resourceName: "x", event: { source: "aws.s3" } })),
    );
    expect(h.logs.map((l) => l.kind)).toEqual(["raw"]);
  });
});

test("the undelivered-alerts alarm, in the message shape CloudWatch sends to SNS", async () => {
  const h = harness();
  // The Message of aws/aws-lambda-go events/testdata/cloudwatch-alarm-sns-payload-single-metric.json
  // (AWS's own fixture of an alarm notification), with our undelivered-alerts alarm's names.
  const alarm = {
    AlarmName: "dataeng-notify-failures-prod",
    AlarmDescription:
      'Alerts (prod) could not be posted to Slack and wait in the queue dataeng-notify-failures-prod; see core/README.md "Undelivered alerts"',
    AWSAccountId: "123456789012",
    NewStateValue: "ALARM",
    NewStateReason:
      "Threshold Crossed: 1 out of the last 1 datapoints [1.0 (27/11/26 11:55:00)] was greater than the threshold (0.0) (minimum 1 datapoint for OK -> ALARM transition).",
    StateChangeTime: "2026-11-27T12:00:00.123+0000",
    Region: "EU (London)",
    AlarmArn: "arn:aws:cloudwatch:eu-west-2:123456789012:alarm:dataeng-notify-failures-prod",
    OldStateValue: "OK",
    Trigger: {
      MetricName: "ApproximateNumberOfMessagesVisible",
      Namespace: "AWS/SQS",
      StatisticType: "Statistic",
      Statistic: "MAXIMUM",
      Unit: null,
      Dimensions: [{ value: "dataeng-notify-failures-prod", name: "QueueName" }],
      Period: 300,
      EvaluationPeriods: 1,
      ComparisonOperator: "GreaterThanThreshold",
      Threshold: 0.0,
      TreatMissingData: "notBreaching",
      EvaluateLowSampleCountPercentile: "",
    },
  };
  await h.run(sns(JSON.stringify(alarm), 'ALARM: "dataeng-notify-failures-prod" in EU (London)'));
  const body = received[0].body as { text: string; blocks: { fields?: { text: string }[] }[] };
  expect(body.text).toBe(":rotating_light: [prod] ALARM: dataeng-notify-failures-prod");
  expect(body.blocks[1].fields?.map((f) => f.text)).toEqual([
    "*Environment*\nprod",
    "*Database*\nn/a",
    "*Table*\nn/a",
    "*State*\nOK → ALARM",
    "*Metric*\nAWS/SQS ApproximateNumberOfMessagesVisible (QueueName=dataeng-notify-failures-prod)",
    "*When*\n2026-11-27T12:00:00.123+0000",
  ]);
  expect(h.logs.map((l) => l.kind)).toEqual(["cloudwatch-alarm"]);
});

test("an alarm state change from EventBridge is formatted like the same alarm from SNS", async () => {
  const h = harness();
  // "State change for a single-metric alarm", the first sample of "Alarm events and
  // EventBridge" (CloudWatch User Guide; awsdocs/amazon-cloudwatch-user-guide
  // doc_source/cloudwatch-and-eventbridge.md at 20a560c), as it is there.
  const event = {
    version: "0",
    id: "c4c1c1c9-6542-e61b-6ef0-8c4d36933a92",
    "detail-type": "CloudWatch Alarm State Change",
    source: "aws.cloudwatch",
    account: "123456789012",
    time: "2019-10-02T17:04:40Z",
    region: "us-east-1",
    resources: ["arn:aws:cloudwatch:us-east-1:123456789012:alarm:ServerCpuTooHigh"],
    detail: {
      alarmName: "ServerCpuTooHigh",
      configuration: {
        description: "Goes into alarm when server CPU utilization is too high!",
        metrics: [
          {
            id: "30b6c6b2-a864-43a2-4877-c09a1afc3b87",
            metricStat: {
              metric: {
                dimensions: { InstanceId: "i-12345678901234567" },
                name: "CPUUtilization",
                namespace: "AWS/EC2",
              },
              period: 300,
              stat: "Average",
            },
            returnData: true,
          },
        ],
      },
      previousState: {
        reason:
          "Threshold Crossed: 1 out of the last 1 datapoints [0.0666851903306472 (01/10/19 13:46:00)] was not greater than the threshold (50.0) (minimum 1 datapoint for ALARM -> OK transition).",
        reasonData:
          '{"version":"1.0","queryDate":"2019-10-01T13:56:40.985+0000","startDate":"2019-10-01T13:46:00.000+0000","statistic":"Average","period":300,"recentDatapoints":[0.0666851903306472],"threshold":50.0}',
        timestamp: "2019-10-01T13:56:40.987+0000",
        value: "OK",
      },
      state: {
        reason:
          "Threshold Crossed: 1 out of the last 1 datapoints [99.50160229693434 (02/10/19 16:59:00)] was greater than the threshold (50.0) (minimum 1 datapoint for OK -> ALARM transition).",
        reasonData:
          '{"version":"1.0","queryDate":"2019-10-02T17:04:40.985+0000","startDate":"2019-10-02T16:59:00.000+0000","statistic":"Average","period":300,"recentDatapoints":[99.50160229693434],"threshold":50.0}',
        timestamp: "2019-10-02T17:04:40.989+0000",
        value: "ALARM",
      },
    },
  };
  await h.run(sns(JSON.stringify(event)));
  const body = received[0].body as {
    text: string;
    blocks: {
      text?: { text: string };
      fields?: { text: string }[];
      elements?: { text: string }[];
    }[];
  };
  expect(body.text).toBe(":rotating_light: [prod] ALARM: ServerCpuTooHigh");
  expect(body.blocks[1].fields?.map((f) => f.text)).toEqual([
    "*Environment*\nprod",
    "*Database*\nn/a",
    "*Table*\nn/a",
    "*State*\nOK → ALARM",
    "*Metric*\nAWS/EC2 CPUUtilization (InstanceId=i-12345678901234567)",
    "*When*\n2019-10-02T17:04:40.989+0000",
  ]);
  expect(body.blocks[2].text?.text).toBe(
    "*What*\nGoes into alarm when server CPU utilization is too high!\n*Why*\n" +
      "Threshold Crossed: 1 out of the last 1 datapoints [99.50160229693434 (02/10/19 16:59:00)] was greater than the threshold (50.0) (minimum 1 datapoint for OK -&gt; ALARM transition).",
  );
  expect(body.blocks[3].elements?.[0].text).toBe(
    "<https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#alarmsV2:alarm/ServerCpuTooHigh|Open the alarm in the CloudWatch console>",
  );
  expect(h.logs.map((l) => l.kind)).toEqual(["cloudwatch-alarm"]);
});
