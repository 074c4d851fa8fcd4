/**
 * The alert message that the validation Lambda publishes to the alerts SNS topic and the
 * notifier Lambda turns into a Slack message. Both functions import this module, so the
 * shape is defined once. The SNS message body is `JSON.stringify(alert)`.
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
 * An SNS subject for the alert: SNS allows at most 100 printable ASCII characters without
 * line breaks.
 */
export function alertSubject(alert: ValidationFailureAlert): string {
  const what = alert.database && alert.table ? `${alert.database}.${alert.table}` : alert.key;
  return snsSubject(`[${alert.environment}] Validation failed: ${what}`);
}

export function snsSubject(text: string): string {
  const ascii = text.replace(/[^\x20-\x7e]/g, "?").trim();
  return ascii.length <= 100 ? ascii : `${ascii.slice(0, 97)}...`;
}
