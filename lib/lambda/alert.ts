/** The SNS subjects of the alerts the Lambdas publish (lib/contracts/alerts.ts has the bodies). */
import type { ValidationFailureAlert } from "../contracts/alerts";

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
