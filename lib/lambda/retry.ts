/**
 * The Lambdas' shared timing policy: how long a warm container trusts what it read, and how it
 * backs off between attempts.
 */

/**
 * How long a warm container keeps what it read from S3 or Secrets Manager (table metadata, the
 * Slack webhook URL) before reading it again: a republished table or a rotated webhook is
 * picked up within this time.
 */
export const WARM_CACHE_TTL_MS = 5 * 60_000;

/**
 * The wait before attempt `attempt + 1`: `baseMs` doubled per attempt up to `maxMs`, drawn
 * between half of that and all of it ("equal jitter", AWS Architecture Blog, "Exponential
 * Backoff And Jitter"), so that functions failing together do not retry together.
 * `random` is a number in [0, 1).
 */
export function equalJitterBackoff(
  attempt: number,
  baseMs: number,
  maxMs: number,
  random: number,
): number {
  const backoff = Math.min(maxMs, baseMs * 2 ** (attempt - 1));
  return Math.round(backoff / 2 + (random * backoff) / 2);
}
