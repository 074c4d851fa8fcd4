/** One invocation of the notifier: every SNS record becomes one Slack message. */
import type { NotifyConfig } from "../../../lib/contracts/notifyEnv";
import type { Logger } from "../../../lib/lambda/log";
import { toSlack, type Incoming, type MessageKind } from "./format";
import { postToSlack, redact, SlackPostError, type PostOptions } from "./post";
import type { WebhookUrlCache } from "./secret";

export interface NotifyDeps {
  readonly config: NotifyConfig;
  readonly webhook: WebhookUrlCache;
  readonly logger: Logger;
  readonly post?: PostOptions;
}

/** The messages in an invocation: SNS records, or (invoked some other way) the event itself as text. */
export function incomingMessages(event: unknown): Incoming[] {
  const records = (event as { Records?: unknown })?.Records;
  if (Array.isArray(records) && records.length > 0) {
    return records.map(
      (r: { Sns?: { Message?: unknown; Subject?: unknown; TopicArn?: unknown } }) => {
        const sns = r?.Sns;
        if (sns && typeof sns.Message === "string") {
          return {
            message: sns.Message,
            subject: typeof sns.Subject === "string" ? sns.Subject : null,
            topicArn: typeof sns.TopicArn === "string" ? sns.TopicArn : undefined,
          };
        }
        return { message: JSON.stringify(r) };
      },
    );
  }
  return [{ message: typeof event === "string" ? event : JSON.stringify(event) }];
}

export interface Posted {
  readonly kind: MessageKind;
  readonly attempts: number;
}

/** Posts every message; if any could not be posted, the invocation fails so it is retried. */
export async function notify(event: unknown, deps: NotifyDeps): Promise<Posted[]> {
  let url = await deps.webhook.get();
  let reread = false;
  const posted: Posted[] = [];
  const errors: Error[] = [];
  // A 4xx other than 429 can mean the webhook was revoked or rotated: read the secret again,
  // once per invocation, and post again only if it now holds another URL.
  const post = async (message: unknown): Promise<{ attempts: number }> => {
    try {
      return await postToSlack(url, message, deps.logger, deps.post);
    } catch (e) {
      if (reread || !isRefusal(e)) throw e;
      reread = true;
      const fresh = await deps.webhook.refresh();
      const changed = fresh !== url;
      deps.logger.warn("slack refused the webhook; re-read the secret", {
        status: e.status,
        changed,
      });
      if (!changed) {
        throw new SlackPostError(
          `${e.message}; the secret still holds the same webhook URL, so it was not tried again`,
          e.attempts,
          e.status,
        );
      }
      url = fresh;
      const retried = await postToSlack(url, message, deps.logger, deps.post);
      return { attempts: e.attempts + retried.attempts };
    }
  };
  for (const incoming of incomingMessages(event)) {
    const started = Date.now();
    const { kind, message } = toSlack(incoming, deps.config);
    try {
      const { attempts } = await post(message);
      posted.push({ kind, attempts });
      deps.logger.info("posted to slack", {
        kind,
        subject: incoming.subject ?? null,
        attempts,
        durationMs: Date.now() - started,
      });
    } catch (e) {
      const error = e as Error;
      errors.push(error);
      deps.logger.error("not posted to slack", {
        kind,
        subject: incoming.subject ?? null,
        error: redact(`${error.name}: ${error.message}`, url),
        durationMs: Date.now() - started,
      });
    }
  }
  if (errors.length === 1) throw errors[0];
  if (errors.length > 1)
    throw new AggregateError(errors, `${errors.length} messages could not be posted to Slack`);
  return posted;
}

/** Slack refused the request itself (4xx other than 429), which a new webhook URL may cure. */
function isRefusal(e: unknown): e is SlackPostError {
  return (
    e instanceof SlackPostError &&
    e.status !== undefined &&
    e.status >= 400 &&
    e.status < 500 &&
    e.status !== 429
  );
}
