/**
 * Posting to a Slack incoming webhook with bounded retries: 429 and 5xx answers and network
 * errors are retried with exponential backoff and jitter, honouring Retry-After; other answers
 * fail at once. The webhook URL is a secret: it never appears in an error or a log line.
 */
import type { Logger } from "../../../lib/lambda/log";
import { equalJitterBackoff } from "../../../lib/lambda/retry";

export interface PostOptions {
  /** Attempts in all, the first included. Default: 5. */
  readonly maxAttempts?: number;
  /**
   * The wait before the second attempt; it doubles each time, each wait drawn with equal
   * jitter (equalJitterBackoff in lib/lambda/retry.ts). Default: 1000 ms.
   */
  readonly baseDelayMs?: number;
  /** The longest wait between attempts. Default: 15000 ms. */
  readonly maxDelayMs?: number;
  /** A Retry-After longer than this gives up at once (the Lambda would time out). Default: 30000 ms. */
  readonly maxRetryAfterMs?: number;
  /** Per-request timeout. Default: 10000 ms. */
  readonly timeoutMs?: number;
  /**
   * No new attempt starts unless it can finish (wait plus request timeout) within this time
   * from the first attempt, so the function ends before a Lambda timeout of 120 s. Default: 90000 ms.
   */
  readonly maxTotalMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
  /** A number in [0, 1). Default: Math.random. */
  readonly random?: () => number;
}

export class SlackPostError extends Error {
  constructor(
    message: string,
    readonly attempts: number,
    readonly status?: number,
  ) {
    super(message);
    this.name = "SlackPostError";
  }
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Retry-After as milliseconds: delay-seconds or an HTTP date. Undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (value === null || value.trim() === "") return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

const retryable = (status: number) => status === 429 || status >= 500;
const attemptsText = (n: number) => `${n} ${n === 1 ? "attempt" : "attempts"}`;

/** Removes the webhook URL (and its secret path) from text that may be logged or thrown. */
export function redact(text: string, url: string): string {
  let out = text.split(url).join("<webhook>");
  try {
    const { pathname } = new URL(url);
    if (pathname.length > 1) out = out.split(pathname).join("/<webhook-path>");
  } catch {
    // not a URL: nothing more to hide
  }
  return out;
}

export async function postToSlack(
  url: string,
  payload: unknown,
  logger: Logger,
  options: PostOptions = {},
): Promise<{ attempts: number }> {
  const maxAttempts = options.maxAttempts ?? 5;
  const baseDelayMs = options.baseDelayMs ?? 1000;
  const maxDelayMs = options.maxDelayMs ?? 15_000;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 30_000;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const maxTotalMs = options.maxTotalMs ?? 90_000;
  const sleep = options.sleep ?? sleepFor;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const body = JSON.stringify(payload);
  const started = now();

  for (let attempt = 1; ; attempt++) {
    let status: number | undefined;
    let problem: string;
    let retryAfterMs: number | undefined;
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      const text = (await response.text()).slice(0, 200);
      if (response.ok) return { attempts: attempt };
      status = response.status;
      problem = `Slack answered ${status}${text ? ` (${redact(text, url)})` : ""}`;
      if (!retryable(status)) {
        throw new SlackPostError(
          `${problem} on attempt ${attempt}; not retried, since only 429 and 5xx answers are: ` +
            `check the webhook in the secret and the message format`,
          attempt,
          status,
        );
      }
      retryAfterMs = parseRetryAfter(response.headers.get("retry-after"), now());
    } catch (e) {
      if (e instanceof SlackPostError) throw e;
      const error = e as Error & { cause?: { code?: string; message?: string } };
      const detail = error.cause?.code ?? error.cause?.message ?? error.message;
      problem = `posting to Slack failed (${redact(`${error.name}: ${detail}`, url)})`;
    }
    if (attempt >= maxAttempts) {
      throw new SlackPostError(
        `${problem}; gave up after ${attemptsText(attempt)}, so the invocation fails and is retried`,
        attempt,
        status,
      );
    }
    if (retryAfterMs !== undefined && retryAfterMs > maxRetryAfterMs) {
      throw new SlackPostError(
        `${problem} with Retry-After ${Math.ceil(retryAfterMs / 1000)} s, longer than the ${maxRetryAfterMs / 1000} s this ` +
          `function waits; gave up after ${attemptsText(attempt)}, so the invocation fails and is retried`,
        attempt,
        status,
      );
    }
    // Retry-After is Slack's own instruction: wait exactly that; otherwise back off with jitter.
    const delayMs = retryAfterMs ?? equalJitterBackoff(attempt, baseDelayMs, maxDelayMs, random());
    if (now() - started + delayMs + timeoutMs > maxTotalMs) {
      throw new SlackPostError(
        `${problem}; gave up after ${attemptsText(attempt)}, since another would end after the ${maxTotalMs / 1000} s ` +
          `this function allows itself, so the invocation fails and is retried`,
        attempt,
        status,
      );
    }
    logger.warn("slack post retry", { attempt, status: status ?? null, problem, delayMs });
    await sleep(delayMs);
  }
}
