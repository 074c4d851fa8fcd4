/**
 * The functions as Lambda runs them: each entry bundled by lib/infra/bundle.ts (what the Pulumi
 * programs upload), loaded in a separate Node.js process with only environment variables, and
 * invoked. The AWS SDK clients are pointed at local servers through AWS_ENDPOINT_URL_<SERVICE>:
 * S3 at s3rver, SNS and Secrets Manager at small fakes, Slack at a local webhook. The alert the
 * validate bundle publishes is then handed to the notify bundle.
 */
import { execFile } from "node:child_process";
import { metadataBundleKey } from "../../lib/contracts/lakeKeys";
import { metadataBundleText } from "../../lib/contracts/metadataBundle";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { bundleSource } from "../../lib/infra/bundle";
import {
  fakeSecretsManager,
  fakeSlack,
  fakeSns,
  type FakeServer,
  type Published,
} from "../../lib/testing/fakeAws";
import { startLocalS3, type LocalS3 } from "../../lib/testing/s3";
import { TEST_ALERTS_TOPIC_ARN, validateTestEnv } from "../../lib/testing/environments";
import { OFFENDER_TABLE_JSON, offenderFile } from "../../lib/testing/parquetFiles";

const run = promisify(execFile);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lambda-bundles-"));
const RUNNER = `
const { handler } = require(process.argv[1]);
handler(JSON.parse(process.argv[2])).then(
  (result) => process.stdout.write("RESULT " + JSON.stringify(result) + "\\n"),
  (error) => { process.stdout.write("ERROR " + error.message + "\\n"); process.exitCode = 1; },
);`;

let s3: LocalS3;
let sns: FakeServer<Published>;
let slack: FakeServer<unknown>;
let secrets: FakeServer<string>;

beforeAll(async () => {
  s3 = await startLocalS3(["landing", "raw-history", "fail", "metadata"]);
  sns = await fakeSns();
  slack = await fakeSlack();
  secrets = await fakeSecretsManager({
    "dataeng/slack": JSON.stringify({ url: `${slack.endpoint}/services/T/B/token` }),
  });
});
afterAll(async () => {
  await Promise.all([s3.stop(), sns.close(), slack.close(), secrets.close()]);
  fs.rmSync(dir, { recursive: true, force: true });
});

function bundle(entry: string): string {
  const file = path.join(dir, `${entry.replace(/\W/g, "_")}.js`);
  fs.writeFileSync(file, bundleSource(entry));
  return file;
}

/** Invokes the bundle's handler in a fresh `node`, as the Lambda runtime would. */
async function invoke(file: string, event: unknown, env: Record<string, string>) {
  const out = await run(process.execPath, ["-e", RUNNER, file, JSON.stringify(event)], {
    env: {
      PATH: process.env.PATH ?? "",
      HOME: dir,
      NODE_NO_WARNINGS: "1",
      AWS_REGION: "eu-west-2",
      AWS_ACCESS_KEY_ID: "S3RVER",
      AWS_SECRET_ACCESS_KEY: "S3RVER",
      AWS_EC2_METADATA_DISABLED: "true",
      ...env,
    },
  }).catch((e: { stdout: string; stderr: string }) => e);
  const lines = out.stdout.trim().split("\n");
  const last = lines.pop() ?? "";
  return {
    result: last.startsWith("RESULT ") ? (JSON.parse(last.slice(7)) as unknown) : last,
    logs: lines.map((l) => JSON.parse(l) as Record<string, unknown>),
    stderr: out.stderr,
  };
}

const objectCreated = (key: string) => ({
  source: "aws.s3",
  "detail-type": "Object Created",
  detail: { bucket: { name: "landing" }, object: { key, size: 1 } },
});

test("the bundles export handler, and run end to end: validate moves files and alerts, notify posts the alert", async () => {
  const validate = bundle("pipelines/functions/validate/index.ts");
  const notify = bundle("core/functions/notify/index.ts");
  const validateEnv = {
    AWS_ENDPOINT_URL_S3: s3.endpoint,
    AWS_ENDPOINT_URL_SNS: sns.endpoint,
    ...validateTestEnv(
      { rawHistory: "raw-history", fail: "fail", metadata: "metadata" },
      "preprod",
    ),
  };
  await s3.put(
    "metadata",
    metadataBundleKey("delius"),
    metadataBundleText("delius", [OFFENDER_TABLE_JSON]),
  );
  // Not a LOAD file, so a CDC file: DMS writes its SCN in scn.
  await s3.put("landing", "delius/offender/good.parquet", offenderFile({}, { kind: "cdc" }));
  await s3.put(
    "landing",
    "delius/offender/bad.parquet",
    offenderFile({ surname: undefined }, { kind: "cdc" }),
  );

  const good = await invoke(validate, objectCreated("delius/offender/good.parquet"), validateEnv);
  const bad = await invoke(validate, objectCreated("delius/offender/bad.parquet"), validateEnv);

  expect(good.result).toMatchObject([{ outcome: "valid", destination: "raw-history", rows: 3 }]);
  expect(bad.result).toMatchObject([
    { outcome: "invalid", destination: "fail", failedChecks: ["columns-present"] },
  ]);
  expect(good.logs).toMatchObject([
    { level: "INFO", key: "delius/offender/good.parquet", outcome: "valid" },
  ]);
  expect(await s3.keys("landing")).toEqual([]);
  expect(await s3.keys("raw-history")).toEqual(["delius/offender/good.parquet"]);
  expect(await s3.keys("fail")).toEqual([
    "delius/offender/bad.parquet",
    expect.stringMatching(/^delius\/offender\/bad\.parquet\.alerted-\d{8}T\d{9}Z$/),
    "delius/offender/bad.parquet.reason.json",
  ]);
  expect(sns.received).toHaveLength(1);
  expect(sns.received[0]).toMatchObject({
    topicArn: TEST_ALERTS_TOPIC_ARN,
    subject: "[preprod] Validation failed: delius.offender",
  });
  expect(JSON.parse(sns.received[0].message ?? "")).toMatchObject({
    kind: "validation-failure",
    environment: "preprod",
    table: "offender",
  });

  const posted = await invoke(
    notify,
    {
      Records: [
        {
          EventSource: "aws:sns",
          Sns: { Message: sns.received[0].message, Subject: sns.received[0].subject },
        },
      ],
    },
    {
      AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.endpoint,
      SLACK_WEBHOOK_SECRET_NAME: "dataeng/slack",
      ENVIRONMENT: "preprod",
    },
  );

  expect(posted.result).toEqual([{ kind: "validation-failure", attempts: 1 }]);
  expect(secrets.received).toEqual(["dataeng/slack"]);
  expect(slack.received).toHaveLength(1);
  expect(slack.received[0]).toMatchObject({
    text: expect.stringContaining("[preprod] Validation failed: delius.offender"),
  });
  expect(JSON.stringify(posted.logs)).not.toContain("/services/T/B/token");
}, 30_000);
