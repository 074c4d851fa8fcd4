/**
 * The alert envelopes published to the alerts SNS topic and read by the notifier Lambda
 * (core/functions/notify), defined once for both sides:
 * - the validation failure the validation Lambda publishes (the SNS message body is
 *   `JSON.stringify(alert)`);
 * - the DMS event envelope that the pipelines' EventBridge rules publish through an input
 *   transformer (dmsEventMessageTemplate), wrapping the DMS event as EventBridge delivers it.
 */

/** One check that a file did not pass. */
export interface FailedCheck {
  /** A stable name, for example `columns-present` or `primary-key-not-null`. */
  readonly check: string;
  /** What was wrong, where, and what to do. */
  readonly message: string;
}

export const VALIDATION_FAILURE_KIND = "validation-failure";

/** A parquet file from DMS that failed validation and was moved to the fail bucket. */
export interface ValidationFailureAlert {
  readonly kind: typeof VALIDATION_FAILURE_KIND;
  /** dev, preprod or prod. */
  readonly environment: string;
  /** The AWS region of the buckets (for console links), when known. */
  readonly region: string | null;
  /** The source database (`delius`, `oasys`), or null when the key does not name one. */
  readonly database: string | null;
  /** The lower-case table name, or null when the key does not name one. */
  readonly table: string | null;
  /** The landing key; the file has the same key in the fail bucket. */
  readonly key: string;
  readonly landingBucket: string;
  readonly failBucket: string;
  /** The key of the JSON object beside the file in the fail bucket that gives the reason. */
  readonly reasonKey: string;
  /** The failed checks' messages in one string. */
  readonly reason: string;
  readonly failedChecks: readonly FailedCheck[];
  /** Rows in the file, when it could be read. */
  readonly rows: number | null;
  /** When the function decided (ISO 8601). */
  readonly detectedAt: string;
}

export type Alert = ValidationFailureAlert;

export function isValidationFailureAlert(value: unknown): value is ValidationFailureAlert {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    v.kind === VALIDATION_FAILURE_KIND &&
    typeof v.environment === "string" &&
    typeof v.key === "string" &&
    typeof v.failBucket === "string" &&
    typeof v.reason === "string" &&
    Array.isArray(v.failedChecks)
  );
}

/**
 * A DMS event as EventBridge delivers it (and, with no input transformer, as the rule's SNS
 * target publishes it): the example event of "Working with Amazon EventBridge events and
 * notifications" (AWS DMS User Guide, CHAP_EventBridge) and the DMS section of the EventBridge
 * events reference (events-ref-dms). Older pages name the event id `eventName`, newer ones
 * `eventId`; both are read.
 */
export interface DmsEventBridgeEvent {
  readonly source: "aws.dms";
  readonly "detail-type": string;
  readonly time?: string;
  readonly region?: string;
  readonly resources?: readonly string[];
  readonly detail: {
    readonly type?: string;
    readonly category?: string;
    readonly eventType?: string;
    readonly eventId?: string;
    readonly eventName?: string;
    readonly resourceLink?: string;
    readonly detailMessage?: string;
  };
}

export function isDmsEventBridgeEvent(value: unknown): value is DmsEventBridgeEvent {
  const v = value as Record<string, unknown> | null;
  return (
    typeof v === "object" &&
    v !== null &&
    v.source === "aws.dms" &&
    typeof v["detail-type"] === "string" &&
    typeof v.detail === "object" &&
    v.detail !== null
  );
}

/**
 * What the pipelines' EventBridge targets publish: the event whole, and the identifier of the
 * task or instance it is about (the event's ARN holds only DMS's internal resource id).
 * dmsEventMessageTemplate writes it; the notifier reads it with isDmsEventEnvelope.
 */
export interface DmsEventEnvelope {
  readonly kind: typeof DMS_EVENT_KIND;
  readonly resourceName: string;
  readonly event: DmsEventBridgeEvent;
}

export function isDmsEventEnvelope(value: unknown): value is DmsEventEnvelope {
  const v = value as Record<string, unknown> | null;
  return (
    typeof v === "object" &&
    v !== null &&
    v.kind === DMS_EVENT_KIND &&
    typeof v.resourceName === "string" &&
    isDmsEventBridgeEvent(v.event)
  );
}

export const DMS_EVENT_KIND = "dms-event";

/**
 * The SNS message for a DMS event, as an EventBridge input template (InputTransformer):
 * `{"kind": "dms-event", "resourceName": <id>, "event": <the event>}`. `<aws.events.event.json>`
 * is EventBridge's predefined variable for the whole original event, usable only as a JSON value
 * ("Amazon EventBridge input transformation", EventBridge User Guide, eb-transform-target-input).
 */
export function dmsEventMessageTemplate(resourceName: string): string {
  return `{"kind":"${DMS_EVENT_KIND}","resourceName":${JSON.stringify(resourceName)},"event":<aws.events.event.json>}`;
}
