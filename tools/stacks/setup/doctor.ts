/**
 * `npm run stacks -- doctor [--env <env>]`: a preflight for engineers and CI. One line per
 * check, ✓ or ✗ with the fix; exit 0 only when every check passes. It needs no credentials to
 * run: without them it says what is missing. Checks, in order:
 *
 * - the `pulumi` CLI on PATH, and its version (`pulumi version`) against `@pulumi/pulumi`;
 * - PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE (the passphrase secrets provider);
 * - the env's stack files: present, one `aws:region`, and their `encryptionsalt` (see `init`);
 * - AWS credentials: STS GetCallerIdentity through the AWS SDK's default credential chain, and the
 *   account against the one the stack files expect (`aws:allowedAccountIds`, else the account
 *   of the ARNs they hold);
 * - the backend (PULUMI_BACKEND_URL or the shared S3 bucket): reachable, and its layout version
 *   (`.pulumi/meta.yaml` version 1 is project-scoped, which `organization/<project>/<stack>`
 *   StackReferences need; otherwise `pulumi state upgrade`);
 * - locks of the env's stacks (`.pulumi/locks/organization/<project>/<stack>/*.json`), with age;
 * - pending operations in their checkpoints (`.pulumi/stacks/<project>/<stack>.json`, pending.ts).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { parse } from "yaml";
import {
  type Environment,
  PROJECTS,
  type Project,
  hasStack,
  stackFilePath,
  stackName,
} from "../../../lib/model/stacks";
import { type BackendLocation, parseBackendUrl } from "../pulumi/backendUrl";
import { type BackendStore, openBackendStore } from "../pulumi/backendStore";
import { readStackCheckpoint } from "../pulumi/checkpointFile";
import { type Io } from "../report/io";
import {
  type PulumiInvocation,
  type PulumiResult,
  defaultBackendUrl,
  findOnPath,
} from "../pulumi/pulumi";
import { hasEncryptionSalt } from "../pulumi/run";
import { describePending, readCheckpoint } from "./pending";

export interface Check {
  readonly ok: boolean;
  readonly label: string;
  readonly detail: string;
  /** What to do, when the check failed. */
  readonly fix?: string;
}

export interface DoctorOptions {
  readonly envs: readonly Environment[];
  readonly repoRoot: string;
  readonly env: NodeJS.ProcessEnv;
  readonly io: Io;
  readonly spawn: (call: PulumiInvocation) => Promise<PulumiResult>;
  /** The version of @pulumi/pulumi the programs use. */
  readonly sdkVersion: string;
  readonly now?: () => Date;
}

const INSTALL = (version: string) =>
  `install it: curl -fsSL https://get.pulumi.com | sh -s -- --version ${version} (https://www.pulumi.com/docs/install/)`;

/** [major, minor, patch] of "v3.248.0" or "3.248.0", or undefined. */
export function semver(v: string): [number, number, number] | undefined {
  const m = /^v?(\d+)\.(\d+)\.(\d+)/.exec(v.trim());
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

/** The CLI must be the SDK's major version and at least as new (an older engine may not know what the SDK asks of it). */
export function cliVersionCheck(cli: string, sdk: string): Check {
  const c = semver(cli);
  const s = semver(sdk);
  if (!c || !s) {
    return {
      ok: false,
      label: "pulumi version",
      detail: `could not read the version "${cli.trim()}"`,
      fix: INSTALL(sdk),
    };
  }
  const older = c[0] < s[0] || (c[0] === s[0] && (c[1] < s[1] || (c[1] === s[1] && c[2] < s[2])));
  const ok = c[0] === s[0] && !older;
  return {
    ok,
    label: "pulumi version",
    detail: `${cli.trim()}, ${ok ? "matches" : older ? "older than" : "a different major version from"} @pulumi/pulumi ${sdk}`,
    ...(ok ? {} : { fix: INSTALL(sdk) }),
  };
}

function passphraseCheck(env: NodeJS.ProcessEnv): Check {
  const label = "stack passphrase";
  if (env.PULUMI_CONFIG_PASSPHRASE) {
    return { ok: true, label, detail: "PULUMI_CONFIG_PASSPHRASE is set" };
  }
  const file = env.PULUMI_CONFIG_PASSPHRASE_FILE;
  if (file) {
    try {
      fs.accessSync(file, fs.constants.R_OK);
      return { ok: true, label, detail: `PULUMI_CONFIG_PASSPHRASE_FILE is ${file}` };
    } catch {
      return {
        ok: false,
        label,
        detail: `PULUMI_CONFIG_PASSPHRASE_FILE is ${file}, which cannot be read`,
        fix: "point it at a readable file holding the team's stack passphrase",
      };
    }
  }
  return {
    ok: false,
    label,
    detail: "neither PULUMI_CONFIG_PASSPHRASE nor PULUMI_CONFIG_PASSPHRASE_FILE is set",
    fix: "export PULUMI_CONFIG_PASSPHRASE=<the team's stack passphrase, from the team password store>",
  };
}

interface StackFileFacts {
  readonly stack: string;
  readonly project: Project;
  readonly env: Environment;
  readonly file: string;
  readonly region?: string;
  readonly allowedAccounts: string[];
  /** Accounts named by ARNs in the file, with the key that holds each. */
  readonly arnAccounts: { account: string; key: string }[];
  readonly salted: boolean;
}

function readStackFiles(o: DoctorOptions, checks: Check[]): StackFileFacts[] {
  const facts: StackFileFacts[] = [];
  for (const env of o.envs) {
    for (const project of PROJECTS.filter((p) => hasStack(p, env))) {
      const file = stackFilePath(project, env, o.repoRoot);
      const relative = path.relative(o.repoRoot, file);
      const stack = stackName(project, env);
      if (!fs.existsSync(file)) {
        checks.push({
          ok: false,
          label: `stack file ${relative}`,
          detail: "missing",
          fix: `restore it from git (git checkout -- ${relative}); every stack of ${env} needs its stack file`,
        });
        continue;
      }
      const text = fs.readFileSync(file, "utf8");
      let config: Record<string, unknown> = {};
      try {
        config = ((parse(text) as { config?: Record<string, unknown> } | null)?.config ??
          {}) as Record<string, unknown>;
      } catch (e) {
        checks.push({
          ok: false,
          label: `stack file ${relative}`,
          detail: `not valid YAML: ${(e as Error).message.split("\n")[0]}`,
          fix: "fix the YAML",
        });
        continue;
      }
      const allowed = config["aws:allowedAccountIds"];
      const arnAccounts: { account: string; key: string }[] = [];
      const walk = (key: string, v: unknown) => {
        if (typeof v === "string") {
          const m = /^arn:aws[\w-]*:[\w-]+:[\w-]*:(\d{12}):/.exec(v);
          if (m) arnAccounts.push({ account: m[1], key });
        } else if (v && typeof v === "object") {
          for (const [k, inner] of Object.entries(v)) walk(`${key}.${k}`, inner);
        }
      };
      for (const [k, v] of Object.entries(config)) walk(k, v);
      facts.push({
        stack,
        project,
        env,
        file: relative,
        ...(typeof config["aws:region"] === "string" ? { region: config["aws:region"] } : {}),
        allowedAccounts: Array.isArray(allowed) ? allowed.map(String) : [],
        arnAccounts,
        salted: hasEncryptionSalt(text),
      });
    }
  }
  const present = facts.map((f) => f.file);
  if (present.length > 0) {
    checks.push({
      ok: true,
      label: "stack files",
      detail: `${present.length} present (${o.envs.join(", ")})`,
    });
  }
  const unsalted = facts.filter((f) => !f.salted);
  checks.push(
    unsalted.length === 0
      ? { ok: true, label: "secrets salt", detail: "every stack file has its encryptionsalt" }
      : {
          ok: false,
          label: "secrets salt",
          detail: `no encryptionsalt in ${unsalted.map((f) => f.file).join(", ")}`,
          fix: `${o.envs.map((e) => `npm run stacks -- init --env ${e}`).join("; ")}, then commit the stack files`,
        },
  );
  const regions = [...new Set(facts.map((f) => f.region ?? "(none)"))];
  const noRegion = facts.filter((f) => f.region === undefined);
  checks.push(
    noRegion.length === 0 && regions.length === 1
      ? { ok: true, label: "AWS region", detail: `${regions[0]} (aws:region of every stack file)` }
      : {
          ok: false,
          label: "AWS region",
          detail:
            noRegion.length > 0
              ? `no aws:region in ${noRegion.map((f) => f.file).join(", ")}`
              : `the stack files disagree: ${regions.join(", ")}`,
          fix: "give every stack file the same aws:region",
        },
  );
  return facts;
}

/** The account the stack files expect, or undefined when they name none. */
export function expectedAccount(
  facts: readonly StackFileFacts[],
): { account: string; from: string } | { conflict: string } | undefined {
  const allowed = facts.flatMap((f) =>
    f.allowedAccounts.map((a) => ({ account: a, from: `${f.file} aws:allowedAccountIds` })),
  );
  const named =
    allowed.length > 0
      ? allowed
      : facts.flatMap((f) =>
          f.arnAccounts.map((a) => ({ account: a.account, from: `${f.file} ${a.key}` })),
        );
  if (named.length === 0) return undefined;
  const accounts = [...new Set(named.map((n) => n.account))];
  if (accounts.length > 1)
    return { conflict: named.map((n) => `${n.account} (${n.from})`).join(", ") };
  return named[0];
}

async function awsChecks(facts: readonly StackFileFacts[], checks: Check[]) {
  const region = facts.find((f) => f.region)?.region ?? "eu-west-2";
  const sts = new STSClient({ region, maxAttempts: 1 });
  let account: string | undefined;
  try {
    const id = await sts.send(new GetCallerIdentityCommand({}));
    account = id.Account;
    checks.push({
      ok: true,
      label: "AWS credentials",
      detail: `${id.Arn} (account ${id.Account})`,
    });
  } catch (e) {
    const err = e as Error;
    const none =
      err.name === "CredentialsProviderError" || /Could not load credentials/i.test(err.message);
    checks.push({
      ok: false,
      label: "AWS credentials",
      detail: none
        ? "none found (environment, shared config/SSO profile, web identity)"
        : `STS GetCallerIdentity failed: ${err.name}: ${err.message}`,
      fix: none
        ? "aws sso login --profile <profile> && export AWS_PROFILE=<profile> (in CI: the OIDC role step)"
        : "renew the credentials (aws sso login) or check the profile",
    });
  } finally {
    sts.destroy();
  }
  const expected = expectedAccount(facts);
  if (expected && "conflict" in expected) {
    checks.push({
      ok: false,
      label: "AWS account",
      detail: `the stack files name different accounts: ${expected.conflict}`,
      fix: "make the stack files name one account",
    });
  } else if (!expected) {
    checks.push({
      ok: account !== undefined,
      label: "AWS account",
      detail: account
        ? `${account}; the stack files name no account to compare with`
        : "unknown without credentials",
      ...(account ? {} : { fix: "fix the credentials first" }),
    });
  } else if (account === undefined) {
    checks.push({
      ok: false,
      label: "AWS account",
      detail: `expected ${expected.account} (${expected.from}); unknown without credentials`,
      fix: "fix the credentials first",
    });
  } else {
    const ok = account === expected.account;
    checks.push({
      ok,
      label: "AWS account",
      detail: ok
        ? `${account}, as ${expected.from} expects`
        : `${account}, but ${expected.from} expects ${expected.account}`,
      ...(ok
        ? {}
        : { fix: `use credentials for account ${expected.account} (another AWS_PROFILE)` }),
    });
  }
}

interface LockContent {
  pid?: number;
  username?: string;
  hostname?: string;
  timestamp?: string;
}

export function formatAge(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} days ${hours % 24} h`;
}

async function backendChecks(
  o: DoctorOptions,
  facts: readonly StackFileFacts[],
  checks: Check[],
): Promise<void> {
  const url = defaultBackendUrl(o.env);
  let location: BackendLocation;
  try {
    location = parseBackendUrl(url);
  } catch (e) {
    checks.push({
      ok: false,
      label: "backend",
      detail: (e as Error).message,
      fix: "fix PULUMI_BACKEND_URL",
    });
    return;
  }
  const store: BackendStore = openBackendStore(location, {
    region: facts.find((f) => f.region)?.region,
    env: o.env,
  });
  try {
    let meta: string | undefined;
    let stackKeys: string[];
    try {
      meta = await store.read(".pulumi/meta.yaml");
      stackKeys = await store.list(".pulumi/stacks/");
    } catch (e) {
      const err = e as Error;
      checks.push({
        ok: false,
        label: "backend",
        detail: `${url} is not reachable: ${err.name}: ${err.message}`,
        fix:
          location.kind === "s3"
            ? "check the AWS credentials and the bucket name (PULUMI_BACKEND_URL)"
            : "create the folder or fix PULUMI_BACKEND_URL",
      });
      return;
    }
    checks.push({ ok: true, label: "backend", detail: `${url} is reachable` });
    const upgrade = `PULUMI_BACKEND_URL='${url}' pulumi state upgrade (once, for the whole backend; then commit nothing: it moves the state)`;
    let version: unknown;
    if (meta !== undefined) {
      try {
        version = (parse(meta) as { version?: unknown } | null)?.version;
      } catch {
        version = "unreadable";
      }
    }
    // meta.go: no meta.yaml and no legacy stacks means a new backend, which the CLI makes version 1.
    const legacyStacks = stackKeys.filter((k) =>
      /^\.pulumi\/stacks\/[^/]+\.json(\.gz|\.zst)?$/.test(k),
    );
    if (version === 1) {
      checks.push({
        ok: true,
        label: "backend layout",
        detail: "project-scoped (.pulumi/meta.yaml version 1)",
      });
    } else if (meta === undefined && legacyStacks.length === 0) {
      checks.push({
        ok: true,
        label: "backend layout",
        detail: "empty: the CLI makes it project-scoped (version 1) on first use",
      });
    } else {
      checks.push({
        ok: false,
        label: "backend layout",
        detail:
          meta === undefined
            ? `legacy (no .pulumi/meta.yaml; ${legacyStacks.length} stack(s) in the old layout): organization/<project>/<stack> StackReferences are refused`
            : `.pulumi/meta.yaml has version ${JSON.stringify(version)}, not 1 (project-scoped)`,
        fix: upgrade,
      });
    }
    const now = (o.now ?? (() => new Date()))();
    const locks: string[] = [];
    for (const f of facts) {
      // lock.go: .pulumi/locks/<fully qualified name>/<lock id>.json; the name is
      // organization/<project>/<stack> when project-scoped (backend.go FullyQualifiedName).
      const dirs = [
        `.pulumi/locks/organization/${f.project}/${f.stack}/`,
        `.pulumi/locks/${f.stack}/`,
      ];
      for (const dir of dirs) {
        for (const key of (await store.list(dir)).filter((k) => k.endsWith(".json"))) {
          let lock: LockContent = {};
          try {
            lock = JSON.parse((await store.read(key)) ?? "{}") as LockContent;
          } catch {
            lock = {};
          }
          const at = lock.timestamp ? new Date(lock.timestamp) : undefined;
          const age =
            at && !Number.isNaN(at.getTime())
              ? `${formatAge(now.getTime() - at.getTime())} old`
              : "age unknown";
          locks.push(
            `${f.stack}: ${key} by ${lock.username ?? "?"}@${lock.hostname ?? "?"} (pid ${lock.pid ?? "?"}) at ${lock.timestamp ?? "?"}, ${age}`,
          );
        }
      }
    }
    const cancelFor = [...new Set(locks.map((l) => l.split(":")[0]))];
    checks.push(
      locks.length === 0
        ? { ok: true, label: "locks", detail: `none on ${facts.length} stack(s)` }
        : {
            ok: false,
            label: "locks",
            detail: `${locks.length} lock(s):\n      ${locks.join("\n      ")}`,
            fix:
              "if no run is in progress (check the Actions tab and ask the team), remove them: " +
              cancelFor
                .map((stack) => {
                  const f = facts.find((x) => x.stack === stack)!;
                  return `npm run stacks -- cancel --env ${f.env} --project ${f.project}`;
                })
                .join("; "),
          },
    );
    checks.push(await pendingCheck(store, facts, cancelFor));
  } finally {
    store.close();
  }
}

/** Pending operations a killed run left in each checkpoint (setup/pending.ts). */
async function pendingCheck(
  store: BackendStore,
  facts: readonly StackFileFacts[],
  locked: readonly string[],
): Promise<Check> {
  const lines: string[] = [];
  const fixes: string[] = [];
  for (const f of facts) {
    const found = await readStackCheckpoint(store, f.project, f.stack);
    if (found === undefined) continue;
    const { pending } = readCheckpoint(found.text, found.key);
    if (pending.length === 0) continue;
    lines.push(`${f.stack}: ${pending.length} pending operation(s):`);
    lines.push(...pending.map((op) => `  ${describePending(op)}`));
    const cancel = locked.includes(f.stack)
      ? `npm run stacks -- cancel --env ${f.env} --project ${f.project} --yes && `
      : "";
    fixes.push(
      `${cancel}npm run stacks -- recover --env ${f.env} --project ${f.project} --yes && npm run stacks -- up --env ${f.env} --project ${f.project} --yes`,
    );
  }
  return lines.length === 0
    ? { ok: true, label: "pending operations", detail: "none" }
    : {
        ok: false,
        label: "pending operations",
        detail: `a run was killed while it changed resources:\n      ${lines.join("\n      ")}`,
        fix: `if no run is in progress: ${fixes.join("; ")} (docs/troubleshooting.md)`,
      };
}

export async function runDoctor(o: DoctorOptions): Promise<{ checks: Check[]; exitCode: number }> {
  const checks: Check[] = [];
  const cli = findOnPath("pulumi", o.env);
  if (!cli) {
    checks.push({
      ok: false,
      label: "pulumi CLI",
      detail: "not on PATH",
      fix: INSTALL(o.sdkVersion),
    });
  } else {
    const version = await o.spawn({
      argv: ["version"],
      cwd: o.repoRoot,
      env: { ...o.env, PULUMI_SKIP_UPDATE_CHECK: "true" },
    });
    checks.push({ ok: true, label: "pulumi CLI", detail: cli });
    checks.push(
      version.exitCode === 0
        ? cliVersionCheck(
            // the version line (a warning could come first on stderr)
            version.output.split("\n").find((l) => semver(l) !== undefined) ?? version.output,
            o.sdkVersion,
          )
        : {
            ok: false,
            label: "pulumi version",
            detail: `"pulumi version" failed (exit ${version.exitCode}): ${version.output.trim()}`,
            fix: INSTALL(o.sdkVersion),
          },
    );
  }
  checks.push(passphraseCheck(o.env));
  const facts = readStackFiles(o, checks);
  await awsChecks(facts, checks);
  await backendChecks(o, facts, checks);
  for (const c of checks) {
    o.io.out(`${c.ok ? "✓" : "✗"} ${c.label}: ${c.detail}`);
    if (!c.ok && c.fix) o.io.out(`    fix: ${c.fix}`);
  }
  const failed = checks.filter((c) => !c.ok).length;
  o.io.out(
    failed === 0
      ? `All ${checks.length} checks passed.`
      : `${failed} of ${checks.length} checks failed.`,
  );
  return { checks, exitCode: failed === 0 ? 0 : 1 };
}
