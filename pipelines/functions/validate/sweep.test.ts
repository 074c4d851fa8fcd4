/** The landing sweep against s3rver: which objects are stale, the one alert, the metric. */
import type { PublishCommand } from "@aws-sdk/client-sns";
import { memoryLogger } from "../../../lib/lambda/log";
import { TEST_ALERTS_TOPIC_ARN, validateTestEnv } from "../../../lib/testing/environments";
import { readValidateConfig as readConfig } from "../../../lib/contracts/validateEnv";
import { createDeps, makeHandler } from "./index";
import { isScheduledEvent, sweepLanding } from "./sweep";
import { startLocalS3, type LocalS3 } from "../../../lib/testing/s3";

let s3: LocalS3;
beforeAll(async () => {
  s3 = await startLocalS3(["landing"]);
});
afterAll(() => s3.stop());

// The scheduled event's shape: Amazon EventBridge user guide, "Creating a rule that runs on a schedule".
const scheduled = {
  version: "0",
  id: "89d1a02d-5ec7-412e-82f5-13505f849b41",
  "detail-type": "Scheduled Event",
  source: "aws.events",
  account: "123456789012",
  time: "2026-11-27T12:00:00Z",
  region: "eu-west-2",
  resources: ["arn:aws:events:eu-west-2:123456789012:rule/delius-landing-sweep-dev"],
  detail: {},
};

test("objects older than the limit in the database's prefix alert once; others do not", async () => {
  await s3.put("landing", "delius/offender/LOAD00000001.parquet", "x");
  await s3.put("landing", "oasys/assessment/LOAD00000001.parquet", "x");
  const sent: PublishCommand[] = [];
  const sns = { send: async (c: PublishCommand) => void sent.push(c) };
  const logger = memoryLogger();
  const settings = {
    landingBucket: "landing",
    database: "delius",
    maxAgeMinutes: 60,
    environment: "dev",
    alertsTopicArn: TEST_ALERTS_TOPIC_ARN,
  };

  expect(isScheduledEvent(scheduled)).toBe(true);
  expect(await sweepLanding(s3.client, sns as never, settings, logger)).toEqual([]);
  expect(sent).toHaveLength(0);

  const later = new Date(Date.now() + 90 * 60_000);
  const stale = await sweepLanding(s3.client, sns as never, settings, logger, later);
  expect(stale.map((o) => [o.key, o.ageMinutes])).toEqual([
    ["delius/offender/LOAD00000001.parquet", 90],
  ]);
  expect(sent).toHaveLength(1);
  expect(sent[0].input.Subject).toBe("[dev] 1 delius files waiting in landing");
  expect(sent[0].input.Message).toMatch(
    /^1 object\(s\) under s3:\/\/landing\/delius\/ have waited more than 60 minutes without being validated:\n- s3:\/\/landing\/delius\/offender\/LOAD00000001\.parquet \(90 minutes, since /,
  );
  expect(logger.records[1]).toMatchObject({ level: "WARN", stale: 1, StaleLandingObjects: 1 });
});

test("the sweep settings come together or not at all", () => {
  const base = {
    RAW_HISTORY_BUCKET: "r",
    FAIL_BUCKET: "f",
    METADATA_BUCKET: "m",
    ALERTS_TOPIC_ARN: "a",
    ENVIRONMENT: "dev",
  };
  expect(readConfig(base).sweep).toBeUndefined();
  expect(
    readConfig({ ...base, LANDING_BUCKET: "l", DATABASE: "delius", LANDING_MAX_AGE_MINUTES: "120" })
      .sweep,
  ).toEqual({ landingBucket: "l", database: "delius", maxAgeMinutes: 120 });
  expect(() => readConfig({ ...base, LANDING_BUCKET: "l" })).toThrow(
    "DATABASE, LANDING_MAX_AGE_MINUTES not set; the landing sweep needs all of LANDING_BUCKET, DATABASE, LANDING_MAX_AGE_MINUTES",
  );
  expect(() =>
    readConfig({ ...base, LANDING_BUCKET: "l", DATABASE: "delius", LANDING_MAX_AGE_MINUTES: "0" }),
  ).toThrow('LANDING_MAX_AGE_MINUTES is "0"; expected a whole number of minutes, at least 1');
});

test("the handler sweeps on a scheduled event, and says what is missing when the sweep is not configured", async () => {
  const env = validateTestEnv({ rawHistory: "r", fail: "f", metadata: "m" });
  const logger = memoryLogger();
  const sns = { send: async () => ({}) };
  const unconfigured = makeHandler(
    () => createDeps(env, { s3: s3.client, logger }),
    () => ({ s3: s3.client, sns }),
  );
  await expect(unconfigured(scheduled)).rejects.toThrow(
    "a scheduled event reached the validation function, but LANDING_BUCKET, DATABASE and LANDING_MAX_AGE_MINUTES " +
      "are not set; the pipelines project sets them (pipelines/landingSweep.ts)",
  );
  const configured = makeHandler(
    () =>
      createDeps(
        { ...env, LANDING_BUCKET: "landing", DATABASE: "oasys", LANDING_MAX_AGE_MINUTES: "60" },
        { s3: s3.client, logger },
      ),
    () => ({ s3: s3.client, sns }),
  );
  expect(await configured(scheduled)).toEqual([]);
  expect(logger.records.at(-1)).toMatchObject({
    message: "landing swept",
    database: "oasys",
    stale: 0,
  });
});
