/**
 * The scheduled sweep: an EventBridge schedule invokes the validation Lambda, which lists its
 * database's prefix of the landing bucket and alerts when objects have waited there longer
 * than LANDING_MAX_AGE_MINUTES (an event lost, a function failing on every retry). One alert
 * per sweep, naming the oldest objects; each stale object is also counted in a metric.
 */
import { ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import { PublishCommand, type SNSClient } from "@aws-sdk/client-sns";
import { landingPrefix } from "../../../lib/contracts/lakeKeys";
import { snsSubject } from "../../../lib/lambda/alert";
import type { Logger } from "../../../lib/lambda/log";
import { countMetricFields, VALIDATION_METRICS_NAMESPACE } from "../../../lib/lambda/metrics";

export const STALE_METRIC = "StaleLandingObjects";

/** The EventBridge scheduled event ("detail-type": "Scheduled Event", source "aws.events"). */
export function isScheduledEvent(event: unknown): boolean {
  const e = event as Record<string, unknown> | null;
  return e?.source === "aws.events" && e?.["detail-type"] === "Scheduled Event";
}

export interface SweepSettings {
  readonly landingBucket: string;
  readonly database: string;
  readonly maxAgeMinutes: number;
  readonly environment: string;
  readonly alertsTopicArn: string;
}

export interface StaleObject {
  readonly key: string;
  readonly lastModified: string;
  readonly ageMinutes: number;
}

export async function sweepLanding(
  s3: S3Client,
  sns: Pick<SNSClient, "send">,
  settings: SweepSettings,
  logger: Logger,
  now: Date = new Date(),
): Promise<StaleObject[]> {
  const stale: StaleObject[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({
        Bucket: settings.landingBucket,
        Prefix: landingPrefix(settings.database),
        ContinuationToken: token,
      }),
    );
    for (const o of page.Contents ?? []) {
      if (!o.Key || !o.LastModified) continue;
      const ageMinutes = Math.floor((now.getTime() - o.LastModified.getTime()) / 60_000);
      if (ageMinutes > settings.maxAgeMinutes)
        stale.push({ key: o.Key, lastModified: o.LastModified.toISOString(), ageMinutes });
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  stale.sort((a, b) => b.ageMinutes - a.ageMinutes);
  logger[stale.length > 0 ? "warn" : "info"]("landing swept", {
    bucket: settings.landingBucket,
    database: settings.database,
    maxAgeMinutes: settings.maxAgeMinutes,
    stale: stale.length,
    oldest: stale.slice(0, 10),
    ...countMetricFields(
      VALIDATION_METRICS_NAMESPACE,
      STALE_METRIC,
      { Database: settings.database },
      now,
    ),
    [STALE_METRIC]: stale.length,
  });
  if (stale.length > 0) {
    const lines = stale
      .slice(0, 20)
      .map(
        (o) =>
          `- s3://${settings.landingBucket}/${o.key} (${o.ageMinutes} minutes, since ${o.lastModified})`,
      );
    await sns.send(
      new PublishCommand({
        TopicArn: settings.alertsTopicArn,
        Subject: snsSubject(
          `[${settings.environment}] ${stale.length} ${settings.database} files waiting in landing`,
        ),
        Message:
          `${stale.length} object(s) under s3://${settings.landingBucket}/${settings.database}/ have waited more than ` +
          `${settings.maxAgeMinutes} minutes without being validated:\n${lines.join("\n")}` +
          (stale.length > 20 ? `\n... and ${stale.length - 20} more` : "") +
          `\nLook at the validation Lambda's errors and its event dead-letter queue; replay a file by copying it onto itself.`,
      }),
    );
  }
  return stale;
}
