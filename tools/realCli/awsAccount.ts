/**
 * The "AWS account" behind the provider stand-in (awsProvider.ts), for the resilience scenarios:
 *
 * - a ledger (`DATAENG_AWS_LEDGER`, one JSON object per line, appended with O_APPEND) of every
 *   create, update and delete the provider performed: what exists in AWS is the fold of it, so
 *   a test can compare AWS with the state and see anything orphaned or created twice;
 * - a pause (`DATAENG_AWS_PAUSE=<logical name>@before|after`): the create or update of that
 *   resource writes `DATAENG_AWS_PAUSE_SIGNAL` and never answers, before or after it reached
 *   AWS, and from then on no create, update or delete reaches AWS or answers: the world stops
 *   at that instant, so a test can kill the CLI exactly there. (The engine runs up to 4 × cores
 *   operations at once, pkg/cmd/pulumi/operations/up.go defaultParallel, v3.248.0: without the
 *   stop, the others would go on creating while the test reacts.)
 * - a refusal (`DATAENG_AWS_REFUSE=<logical name>=<Code>: <message>`): the create or update of
 *   that resource fails as the AWS provider v7 renders an AWS API error (see `awsError`).
 *
 * Without these variables nothing is recorded and nothing fails (the other scenarios).
 */
import * as fs from "node:fs";
import { createHash } from "node:crypto";

export interface LedgerEntry {
  readonly op: "create" | "update" | "delete";
  readonly type: string;
  readonly id: string;
  readonly urn: string;
  readonly state?: Record<string, unknown>;
  readonly inputs?: Record<string, unknown>;
}

export const ledgerKey = (type: string, id: string) => `${type} ${id}`;

export function readLedger(file: string): LedgerEntry[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as LedgerEntry);
}

/** What exists in AWS now: type+id → the last create or update of it. */
export function liveResources(entries: readonly LedgerEntry[]): Map<string, LedgerEntry> {
  const live = new Map<string, LedgerEntry>();
  for (const e of entries) {
    const key = ledgerKey(e.type, e.id);
    if (e.op === "delete") live.delete(key);
    else live.set(key, e);
  }
  return live;
}

/** Creates of a resource that already existed (in real AWS: "already exists", or an overwrite). */
export function doubleCreates(entries: readonly LedgerEntry[]): string[] {
  const live = new Set<string>();
  const doubles: string[] = [];
  for (const e of entries) {
    const key = ledgerKey(e.type, e.id);
    if (e.op === "create" && live.has(key)) doubles.push(`${e.urn} (${e.id})`);
    if (e.op === "delete") live.delete(key);
    else live.add(key);
  }
  return doubles;
}

/** The service and API call behind a create or update of a type (the provider's SDK v2 clients). */
const CALLS: Record<string, { service: string; create: string; update: string; what: string }> = {
  "aws:s3/bucketObjectv2:BucketObjectv2": {
    service: "S3",
    create: "PutObject",
    update: "PutObject",
    what: "S3 Object",
  },
  "aws:sns/topic:Topic": {
    service: "SNS",
    create: "CreateTopic",
    update: "SetTopicAttributes",
    what: "SNS Topic",
  },
  "aws:kms/key:Key": {
    service: "KMS",
    create: "CreateKey",
    update: "UpdateKeyDescription",
    what: "KMS Key",
  },
};

/**
 * An AWS API error as pulumi-aws v7 shows it: the bridged terraform-provider-aws diagnostic,
 * `<action> <Resource> (<id>): operation error <Service>: <Op>, https response error StatusCode:
 * <n>, RequestID: <id>, api error <Code>: <message>` (internal/create/errors.go ProblemStandardMessage;
 * S3 objects: internal/service/s3/object.go "uploading S3 Object (%s) to Bucket (%s): %s"; the
 * aws-sdk-go-v2 part as logged in hashicorp/terraform-provider-aws PR #49953).
 */
export function awsError(
  type: string,
  op: "create" | "update",
  inputs: Record<string, unknown>,
  name: string,
  refusal: string,
): string {
  const call = CALLS[type];
  if (!call) throw new Error(`DATAENG_AWS_REFUSE: no AWS call known for ${type}; add it to CALLS`);
  const requestId = createHash("sha256").update(`${type}${name}`).digest("hex").slice(0, 32);
  const rid = `${requestId.slice(0, 8)}-${requestId.slice(8, 12)}-${requestId.slice(12, 16)}-${requestId.slice(16, 20)}-${requestId.slice(20)}`;
  const status = /^(AccessDenied|AccessDeniedException)\b/.test(refusal) ? 403 : 400;
  const sdk = `operation error ${call.service}: ${call[op]}, https response error StatusCode: ${status}, RequestID: ${rid}, api error ${refusal}`;
  if (call.service === "S3") {
    return `uploading S3 Object (${String(inputs.key)}) to Bucket (${String(inputs.bucket)}): ${sdk}`;
  }
  return `${op === "create" ? "creating" : "updating"} ${call.what} (${name}): ${sdk}`;
}

export interface AccountBehaviour {
  readonly ledger?: string;
  readonly pause?: { name: string; when: "before" | "after"; signal: string };
  readonly refuse?: { name: string; refusal: string };
}

export function behaviourFrom(env: NodeJS.ProcessEnv): AccountBehaviour {
  const pause = env.DATAENG_AWS_PAUSE
    ? /^(.+)@(before|after)$/.exec(env.DATAENG_AWS_PAUSE)
    : undefined;
  if (env.DATAENG_AWS_PAUSE && (!pause || !env.DATAENG_AWS_PAUSE_SIGNAL)) {
    throw new Error(
      `DATAENG_AWS_PAUSE=${env.DATAENG_AWS_PAUSE}: expected <name>@before or <name>@after, with DATAENG_AWS_PAUSE_SIGNAL=<file>`,
    );
  }
  const refuse = env.DATAENG_AWS_REFUSE
    ? /^([^=]+)=(\w+: .+)$/.exec(env.DATAENG_AWS_REFUSE)
    : undefined;
  if (env.DATAENG_AWS_REFUSE && !refuse) {
    throw new Error(
      `DATAENG_AWS_REFUSE=${env.DATAENG_AWS_REFUSE}: expected <name>=<Code>: <message>`,
    );
  }
  return {
    ...(env.DATAENG_AWS_LEDGER ? { ledger: env.DATAENG_AWS_LEDGER } : {}),
    ...(pause
      ? {
          pause: {
            name: pause[1],
            when: pause[2] as "before" | "after",
            signal: env.DATAENG_AWS_PAUSE_SIGNAL!,
          },
        }
      : {}),
    ...(refuse ? { refuse: { name: refuse[1], refusal: refuse[2] } } : {}),
  };
}

export function record(b: AccountBehaviour, entry: LedgerEntry): void {
  if (b.ledger) fs.appendFileSync(b.ledger, JSON.stringify(entry) + "\n");
}

/** What AWS holds under this id now (undefined: nothing), when a ledger is kept. */
export function lookUp(b: AccountBehaviour, type: string, id: string): LedgerEntry | undefined {
  return b.ledger ? liveResources(readLedger(b.ledger)).get(ledgerKey(type, id)) : undefined;
}

/** The accounts whose pause was reached: every later operation is held too (see the top of the file). */
const stopped = new WeakSet<AccountBehaviour>();

/** Signals the pause and never returns: the engine waits for an answer that does not come. */
export function hang(account: AccountBehaviour, signal: string, what: string): Promise<never> {
  stopped.add(account);
  fs.writeFileSync(signal, `${what}\n`);
  return never();
}

/** After the pause: an operation that never reaches AWS and never answers; before it: none. */
export function heldByPause(account: AccountBehaviour): Promise<never> | undefined {
  return stopped.has(account) ? never() : undefined;
}

const never = () => new Promise<never>(() => undefined);
