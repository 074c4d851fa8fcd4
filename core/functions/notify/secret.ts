/** The Slack webhook URL, from a Secrets Manager secret (the URL itself, or JSON {"url": "..."}). */
import { GetSecretValueCommand, type SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { WARM_CACHE_TTL_MS } from "../../../lib/lambda/retry";

export interface SecretSource {
  /** The secret's SecretString. */
  getSecretString(name: string): Promise<string | undefined>;
}

export function secretsManagerSource(client: SecretsManagerClient): SecretSource {
  return {
    async getSecretString(name) {
      const out = await client.send(new GetSecretValueCommand({ SecretId: name }));
      return out.SecretString;
    },
  };
}

export class WebhookSecretError extends Error {
  constructor(name: string, problem: string) {
    super(
      `The secret ${name} does not hold a Slack webhook URL: ${problem}. Store the URL itself, or JSON ` +
        `{"url": "https://hooks.slack.com/services/..."}, as the secret's value (SLACK_WEBHOOK_SECRET_NAME names the secret).`,
    );
    this.name = "WebhookSecretError";
  }
}

/** The URL in a secret's value. Errors never quote the value, which is secret. */
export function parseWebhookSecret(name: string, value: string | undefined): string {
  const text = value?.trim() ?? "";
  if (text === "") throw new WebhookSecretError(name, "the secret has no string value");
  let candidate: unknown = text;
  if (text.startsWith("{")) {
    try {
      candidate = (JSON.parse(text) as { url?: unknown }).url;
    } catch {
      throw new WebhookSecretError(name, "the value starts with { but is not valid JSON");
    }
    if (typeof candidate !== "string")
      throw new WebhookSecretError(name, 'the JSON has no string "url"');
  }
  let url: URL;
  try {
    url = new URL((candidate as string).trim());
  } catch {
    throw new WebhookSecretError(name, "the value is not a URL");
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new WebhookSecretError(
      name,
      `the URL's scheme is ${url.protocol.replace(":", "")}, not https`,
    );
  }
  return url.toString();
}

/** Reads the webhook URL and keeps it for `ttlMs`, so a rotated webhook is picked up in time. */
export class WebhookUrlCache {
  private cached?: { url: string; until: number };

  constructor(
    private readonly source: SecretSource,
    private readonly name: string,
    private readonly ttlMs = WARM_CACHE_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  async get(): Promise<string> {
    if (this.cached && this.cached.until > this.now()) return this.cached.url;
    return this.read();
  }

  /**
   * Reads the secret again whatever the cache holds: after Slack refused the URL (a revoked or
   * rotated webhook answers 403, 404 or 410), the secret may already hold its successor.
   */
  async refresh(): Promise<string> {
    return this.read();
  }

  private async read(): Promise<string> {
    const url = parseWebhookSecret(this.name, await this.source.getSecretString(this.name));
    this.cached = { url, until: this.now() + this.ttlMs };
    return url;
  }
}
