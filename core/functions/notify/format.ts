/**
 * Turns what arrives on the alerts topic into a Slack incoming-webhook message: validation
 * failures and DMS event envelopes (lib/contracts/alerts.ts), CloudWatch alarms, DMS events, and
 * anything else as raw text, so nothing is dropped.
 */
import {
  isDmsEventBridgeEvent,
  isDmsEventEnvelope,
  isValidationFailureAlert,
  type DmsEventBridgeEvent,
  type ValidationFailureAlert,
} from "../../../lib/contracts/alerts";
import { DATABASES } from "../../../lib/model/stacks";

export interface TextObject {
  readonly type: "plain_text" | "mrkdwn";
  readonly text: string;
  readonly emoji?: boolean;
}
export type Block =
  | { readonly type: "header"; readonly text: TextObject }
  | {
      readonly type: "section";
      readonly text?: TextObject;
      readonly fields?: readonly TextObject[];
    }
  | { readonly type: "context"; readonly elements: readonly TextObject[] };

/** The JSON body posted to the webhook: `text` is the notification fallback, `blocks` the message. */
export interface SlackMessage {
  readonly text: string;
  readonly blocks: readonly Block[];
}

export interface Incoming {
  /** The SNS message body. */
  readonly message: string;
  readonly subject?: string | null;
  readonly topicArn?: string;
}

export interface FormatContext {
  /** The environment this notifier runs in (ENVIRONMENT). */
  readonly environment: string;
  /** The region of this notifier (AWS_REGION), for console links when a message has none. */
  readonly region: string;
}

// Slack's limits: header text 150 characters, section text 3000, a field 2000.
const HEADER_MAX = 150;
const SECTION_MAX = 3000;
const FIELD_MAX = 2000;

/** Slack mrkdwn needs &, < and > escaped; everything else is literal. */
export function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

const header = (text: string): Block => ({
  type: "header",
  text: { type: "plain_text", text: truncate(text, HEADER_MAX), emoji: true },
});
const section = (markdown: string): Block => ({
  type: "section",
  text: { type: "mrkdwn", text: truncate(markdown, SECTION_MAX) },
});
const fields = (pairs: readonly [string, string | null | undefined][]): Block => ({
  type: "section",
  fields: pairs
    .filter((p): p is [string, string] => p[1] !== undefined && p[1] !== null && p[1] !== "")
    .map(([name, value]) => ({ type: "mrkdwn", text: truncate(`*${name}*\n${value}`, FIELD_MAX) })),
});
const context = (markdown: string): Block => ({
  type: "context",
  elements: [{ type: "mrkdwn", text: truncate(markdown, SECTION_MAX) }],
});
const link = (url: string, label: string) => `<${url}|${escape(label)}>`;
const code = (text: string) => `\`${escape(text).replace(/`/g, "'")}\``;

/** The source database named in a resource name (`delius-dev-validate-errors`), if any. */
export function databaseIn(...names: (string | undefined)[]): string | undefined {
  for (const name of names) {
    const found = DATABASES.find((db) =>
      new RegExp(`(^|[^a-z])${db}([^a-z]|$)`, "i").test(name ?? ""),
    );
    if (found) return found;
  }
  return undefined;
}

export function s3ObjectUrl(bucket: string, key: string, region: string): string {
  return `https://${region}.console.aws.amazon.com/s3/object/${encodeURIComponent(bucket)}?region=${region}&prefix=${encodeURIComponent(key)}`;
}

export function formatValidationFailure(
  alert: ValidationFailureAlert,
  ctx: FormatContext,
): SlackMessage {
  const region = alert.region ?? ctx.region;
  const what = alert.database && alert.table ? `${alert.database}.${alert.table}` : alert.key;
  const checks = alert.failedChecks.map((c) => c.check);
  const reasons =
    alert.failedChecks.length > 0
      ? alert.failedChecks.map((c) => `• ${escape(c.message)}`)
      : [escape(alert.reason)];
  return {
    text: `:x: [${alert.environment}] Validation failed: ${escape(what)}: ${escape(alert.key)} was moved to the fail bucket`,
    blocks: [
      header(`:x: Validation failed: ${what} (${alert.environment})`),
      fields([
        ["Environment", escape(alert.environment)],
        ["Database", escape(alert.database ?? "unknown")],
        ["Table", escape(alert.table ?? "unknown")],
        ["Rows", alert.rows === null ? null : String(alert.rows)],
        ["File", code(alert.key)],
        ["Failed checks", checks.map(code).join(", ")],
      ]),
      section(`*Why*\n${reasons.join("\n")}`),
      context(
        `${link(s3ObjectUrl(alert.failBucket, alert.key, region), "Open the file in the S3 console")} · ` +
          `${link(s3ObjectUrl(alert.failBucket, alert.reasonKey, region), "the reason (JSON)")} · ` +
          `fail bucket ${code(alert.failBucket)}`,
      ),
    ],
  };
}

/** The fields of a CloudWatch alarm state-change message that the message uses. */
export interface CloudWatchAlarm {
  readonly AlarmName: string;
  readonly AlarmDescription?: string | null;
  readonly NewStateValue: string;
  readonly NewStateReason?: string;
  readonly OldStateValue?: string;
  readonly StateChangeTime?: string;
  readonly Region?: string;
  readonly AlarmArn?: string;
  readonly Trigger?: {
    readonly MetricName?: string;
    readonly Namespace?: string;
    readonly Dimensions?: readonly { readonly name?: string; readonly value?: string }[];
  };
}

export function isCloudWatchAlarm(value: unknown): value is CloudWatchAlarm {
  const v = value as Record<string, unknown> | null;
  return (
    typeof v === "object" &&
    v !== null &&
    typeof v.AlarmName === "string" &&
    typeof v.NewStateValue === "string"
  );
}

/**
 * A CloudWatch alarm state change as EventBridge delivers it: the sample events of "Alarm events
 * and EventBridge" (CloudWatch User Guide, cloudwatch-and-eventbridge). None of our rules sends
 * one today; an alarm routed that way is read as well as one sent to SNS directly.
 */
export interface AlarmStateChangeEvent {
  readonly source: "aws.cloudwatch";
  readonly "detail-type": "CloudWatch Alarm State Change";
  readonly resources?: readonly string[];
  readonly detail: {
    readonly alarmName: string;
    readonly state: {
      readonly value: string;
      readonly reason?: string;
      readonly timestamp?: string;
    };
    readonly previousState?: { readonly value?: string };
    readonly configuration?: {
      readonly description?: string;
      readonly metrics?: readonly {
        readonly metricStat?: {
          readonly metric?: {
            readonly name?: string;
            readonly namespace?: string;
            readonly dimensions?: Record<string, string>;
          };
        };
      }[];
    };
  };
}

export function isAlarmStateChangeEvent(value: unknown): value is AlarmStateChangeEvent {
  const v = value as { source?: unknown; "detail-type"?: unknown; detail?: unknown } | null;
  const d = v?.detail as { alarmName?: unknown; state?: { value?: unknown } } | undefined;
  return (
    typeof v === "object" &&
    v !== null &&
    v.source === "aws.cloudwatch" &&
    v["detail-type"] === "CloudWatch Alarm State Change" &&
    typeof d?.alarmName === "string" &&
    typeof d.state?.value === "string"
  );
}

/** The same alarm in the shape CloudWatch sends to SNS, so one formatter serves both. */
export function alarmFromEvent(event: AlarmStateChangeEvent): CloudWatchAlarm {
  const d = event.detail;
  const metric = d.configuration?.metrics?.find((m) => m.metricStat?.metric)?.metricStat?.metric;
  return {
    AlarmName: d.alarmName,
    AlarmDescription: d.configuration?.description ?? null,
    NewStateValue: d.state.value,
    NewStateReason: d.state.reason,
    OldStateValue: d.previousState?.value,
    StateChangeTime: d.state.timestamp,
    AlarmArn: event.resources?.[0],
    Trigger: metric
      ? {
          MetricName: metric.name,
          Namespace: metric.namespace,
          Dimensions: Object.entries(metric.dimensions ?? {}).map(([name, value]) => ({
            name,
            value,
          })),
        }
      : undefined,
  };
}

const STATE_EMOJI: Record<string, string> = {
  ALARM: ":rotating_light:",
  OK: ":white_check_mark:",
  INSUFFICIENT_DATA: ":grey_question:",
};

export function formatAlarm(alarm: CloudWatchAlarm, ctx: FormatContext): SlackMessage {
  // The message's Region is a long name ("EU (London)"); the ARN has the code the console wants.
  const region = alarm.AlarmArn?.split(":")[3] || ctx.region;
  const emoji = STATE_EMOJI[alarm.NewStateValue] ?? ":bell:";
  const trigger = alarm.Trigger;
  const metric = trigger?.MetricName
    ? `${trigger.Namespace ?? ""}${trigger.Namespace ? " " : ""}${trigger.MetricName}`
    : undefined;
  const dimensions = (trigger?.Dimensions ?? []).map((d) => `${d.name}=${d.value}`).join(", ");
  const url = `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#alarmsV2:alarm/${encodeURIComponent(alarm.AlarmName)}`;
  const database = databaseIn(
    alarm.AlarmName,
    ...(trigger?.Dimensions ?? []).map((d) => d.value),
    alarm.AlarmDescription ?? undefined,
  );
  const lines = [
    alarm.AlarmDescription ? `*What*\n${escape(alarm.AlarmDescription)}` : undefined,
    alarm.NewStateReason ? `*Why*\n${escape(alarm.NewStateReason)}` : undefined,
  ].filter((l): l is string => l !== undefined);
  return {
    text: `${emoji} [${ctx.environment}] ${escape(alarm.NewStateValue)}: ${escape(alarm.AlarmName)}`,
    blocks: [
      header(`${emoji} ${alarm.NewStateValue}: ${alarm.AlarmName}`),
      fields([
        ["Environment", escape(ctx.environment)],
        ["Database", database ?? "n/a"],
        ["Table", "n/a"],
        [
          "State",
          escape(
            alarm.OldStateValue
              ? `${alarm.OldStateValue} → ${alarm.NewStateValue}`
              : alarm.NewStateValue,
          ),
        ],
        ["Metric", metric ? escape(metric + (dimensions ? ` (${dimensions})` : "")) : undefined],
        ["When", alarm.StateChangeTime ? escape(alarm.StateChangeTime) : undefined],
      ]),
      ...(lines.length > 0 ? [section(lines.join("\n"))] : []),
      context(link(url, "Open the alarm in the CloudWatch console")),
    ],
  };
}

/** A DMS event-subscription message: its "Event Message" and the fields around it. */
export interface DmsEvent {
  readonly eventSource?: string;
  readonly eventTime?: string;
  readonly sourceId?: string;
  readonly eventId?: string;
  readonly eventMessage: string;
  readonly link?: string;
}

const firstUrl = (text: string | undefined) => text?.match(/https?:\/\/\S+/)?.[0];

/** Reads a DMS event from its JSON form or its plain-text form (`Event Message : ...` lines). */
export function parseDmsEvent(message: string, json: unknown): DmsEvent | undefined {
  let record: Record<string, string> = {};
  if (typeof json === "object" && json !== null) {
    record = Object.fromEntries(
      Object.entries(json).filter(([, v]) => typeof v === "string"),
    ) as Record<string, string>;
  } else {
    for (const line of message.split(/\r?\n/)) {
      const m = line.match(/^\s*([A-Za-z][A-Za-z ]*?)\s*:\s*(.*)$/);
      if (m) record[m[1]] = m[2].trim();
    }
  }
  const eventMessage = record["Event Message"];
  if (typeof eventMessage !== "string") return undefined;
  return {
    eventSource: record["Event Source"]?.trim(),
    eventTime: record["Event Time"]?.trim(),
    sourceId: (record["Source ID"] ?? record["SourceId"])?.trim(),
    eventId: record["Event ID"]?.trim(),
    eventMessage: eventMessage.trim(),
    link: firstUrl(record["Identifier Link"]),
  };
}

export function formatDmsEvent(event: DmsEvent, ctx: FormatContext): SlackMessage {
  const source = event.sourceId ?? "unknown source";
  const url =
    event.link ??
    `https://${ctx.region}.console.aws.amazon.com/dms/v2/home?region=${ctx.region}#dashboard`;
  const eventId = firstUrl(event.eventId);
  return {
    text: `:warning: [${ctx.environment}] DMS ${escape(event.eventSource ?? "event")} ${escape(source)}: ${escape(event.eventMessage)}`,
    blocks: [
      header(`:warning: DMS ${event.eventSource ?? "event"}: ${source}`),
      fields([
        ["Environment", escape(ctx.environment)],
        ["Database", databaseIn(event.sourceId) ?? "n/a"],
        ["Table", "n/a"],
        ["When", event.eventTime ? escape(event.eventTime) : undefined],
        [
          "Event",
          eventId
            ? link(eventId, eventId.split("#").pop() ?? eventId)
            : event.eventId
              ? escape(event.eventId)
              : undefined,
        ],
      ]),
      section(`*What*\n${escape(event.eventMessage)}`),
      context(link(url, "Open in the DMS console")),
    ],
  };
}

/** "StateChange" → "state change", as the DMS event tables write the categories. */
const words = (camel: string) => camel.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();

/**
 * The task or instance the event is about: the console link ends in its identifier
 * (`#taskDetails/<task id>`); the ARN in `resources` only has DMS's internal resource id.
 */
export function dmsResourceName(event: DmsEventBridgeEvent): string {
  const fromLink = event.detail.resourceLink?.match(/#[A-Za-z]+\/([^/?#\s]+)\s*$/)?.[1];
  return fromLink ? decodeURIComponent(fromLink) : (event.resources?.[0] ?? "unknown resource");
}

export function formatDmsEventBridge(
  event: DmsEventBridgeEvent,
  ctx: FormatContext,
  resourceName?: string,
): SlackMessage {
  const d = event.detail;
  const what = /Instance/.test(event["detail-type"]) ? "replication instance" : "task";
  const name = resourceName ?? dmsResourceName(event);
  const failed = d.category === "Failure";
  const emoji = failed ? ":rotating_light:" : ":warning:";
  const category = d.category ? words(d.category) : "event";
  const eventId = d.eventId ?? d.eventName;
  const region = event.region ?? ctx.region;
  const url =
    d.resourceLink ??
    `https://${region}.console.aws.amazon.com/dms/v2/home?region=${region}#dashboard`;
  const message = d.detailMessage ?? d.eventType ?? event["detail-type"];
  return {
    text: `${emoji} [${ctx.environment}] DMS ${what} ${escape(name)}: ${escape(message)}`,
    blocks: [
      header(`${emoji} DMS ${what} ${category}: ${name} (${ctx.environment})`),
      fields([
        ["Environment", escape(ctx.environment)],
        ["Database", databaseIn(name) ?? "n/a"],
        ["Table", "n/a"],
        [what === "task" ? "Task" : "Replication instance", code(name)],
        [
          "Event",
          [d.eventType, eventId]
            .filter(Boolean)
            .map((t) => escape(t!))
            .join(" · "),
        ],
        ["When", event.time ? escape(event.time) : undefined],
      ]),
      section(`*What*\n${escape(message)}`),
      context(link(url, "Open in the DMS console")),
    ],
  };
}

export function formatRaw(incoming: Incoming, ctx: FormatContext): SlackMessage {
  const topic = incoming.topicArn?.split(":").pop();
  const title = incoming.subject?.trim() || `Message on ${topic ?? "the alerts topic"}`;
  const body = incoming.message.replace(/```/g, "'''");
  return {
    text: `:bell: [${ctx.environment}] ${escape(title)}`,
    blocks: [
      header(`:bell: ${title}`),
      fields([
        ["Environment", escape(ctx.environment)],
        ["Database", databaseIn(incoming.subject ?? undefined, incoming.message) ?? "n/a"],
        ["Table", "n/a"],
      ]),
      section(`\`\`\`${truncate(escape(body), SECTION_MAX - 6)}\`\`\``),
      context(
        link(
          `https://${ctx.region}.console.aws.amazon.com/sns/v3/home?region=${ctx.region}#/topic/${incoming.topicArn ?? ""}`,
          "Open the alerts topic in the SNS console",
        ),
      ),
    ],
  };
}

export type MessageKind = "validation-failure" | "cloudwatch-alarm" | "dms-event" | "raw";

/** Picks the format by the message's content; anything unrecognised is posted as raw text. */
export function toSlack(
  incoming: Incoming,
  ctx: FormatContext,
): { kind: MessageKind; message: SlackMessage } {
  let json: unknown;
  try {
    json = JSON.parse(incoming.message);
  } catch {
    json = undefined;
  }
  if (isValidationFailureAlert(json))
    return { kind: "validation-failure", message: formatValidationFailure(json, ctx) };
  if (isCloudWatchAlarm(json)) return { kind: "cloudwatch-alarm", message: formatAlarm(json, ctx) };
  if (isAlarmStateChangeEvent(json))
    return { kind: "cloudwatch-alarm", message: formatAlarm(alarmFromEvent(json), ctx) };
  if (isDmsEventEnvelope(json))
    return { kind: "dms-event", message: formatDmsEventBridge(json.event, ctx, json.resourceName) };
  if (isDmsEventBridgeEvent(json))
    return { kind: "dms-event", message: formatDmsEventBridge(json, ctx) };
  const dms = parseDmsEvent(incoming.message, json);
  if (dms) return { kind: "dms-event", message: formatDmsEvent(dms, ctx) };
  return { kind: "raw", message: formatRaw(incoming, ctx) };
}
