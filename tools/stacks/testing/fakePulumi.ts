/**
 * A fake `pulumi` executable for tests: put first on PATH, it records each call (working
 * folder, PULUMI_BACKEND_URL, passphrase file, argv) and answers with canned output, an engine
 * event log and an exit code per stack and command. It is strict: an argv that the real CLI
 * v3.248.0 refuses (../pulumiCli.ts) fails with the CLI's own error and exit code. A call can also wait until another stack's
 * call has started (a latch through the file system), which proves that two ran at once.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

export interface FakeCall {
  readonly cwd: string;
  readonly backendUrl: string;
  readonly passphraseFile: string;
  readonly awsProfile: string;
  /** The CLI's error when it refused the argv (unknown flag, missing --yes, ...); "" otherwise. */
  readonly refused: string;
  /** The PULUMI_* variables of the call's environment. */
  readonly pulumiEnv: Readonly<Record<string, string>>;
  readonly argv: string[];
}

export interface CannedAnswer {
  /** Printed on stdout. */
  readonly output?: string;
  /** Engine events (one object per line of the event log). */
  readonly events?: readonly object[];
  readonly exitCode?: number;
  /** Written to the path given with `--file` (what `stack export --file` writes). */
  readonly file?: string;
  /** Written when the call runs: what the real command saves elsewhere (e.g. a stack file). */
  readonly writes?: { readonly path: string; readonly content: string };
  /** Do not finish before this stack's call (same command) has started. */
  readonly waitForStart?: string;
  /** Take this long (the benchmark's stand-in for real work; tests never time anything). */
  readonly sleepSeconds?: number;
}

const MAIN = path.join(__dirname, "fakePulumiMain.ts");
const REGISTER = path.join(__dirname, "..", "register.js");

// The executable: node with the repository's TypeScript loader, running fakePulumiMain.ts.
const SCRIPT = `#!/bin/sh
exec "${process.execPath}" --require "${REGISTER}" "${MAIN}" "$@"
`;

export interface FakePulumi {
  /** Where answers and the call log live. */
  readonly dir: string;
  /** Put this first on PATH. */
  readonly binDir: string;
  /** An environment with the fake first on PATH. */
  env(extra?: NodeJS.ProcessEnv): NodeJS.ProcessEnv;
  answer(stack: string, command: string, answer: CannedAnswer): void;
  calls(): FakeCall[];
  remove(): void;
}

export function installFakePulumi(): FakePulumi {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fake-pulumi-"));
  const binDir = path.join(dir, "bin");
  fs.mkdirSync(binDir);
  fs.writeFileSync(path.join(binDir, "pulumi"), SCRIPT, { mode: 0o755 });
  return {
    dir,
    binDir,
    env: (extra = {}) => ({
      PATH: `${binDir}${path.delimiter}${process.env.PATH ?? ""}`,
      HOME: process.env.HOME,
      FAKE_PULUMI_DIR: dir,
      ...extra,
    }),
    answer(stack, command, a) {
      const key = path.join(dir, `${stack}.${command}`);
      if (a.output !== undefined) fs.writeFileSync(`${key}.out`, a.output);
      if (a.events)
        fs.writeFileSync(`${key}.events`, a.events.map((e) => JSON.stringify(e)).join("\n") + "\n");
      if (a.exitCode !== undefined) fs.writeFileSync(`${key}.code`, String(a.exitCode));
      if (a.file !== undefined) fs.writeFileSync(`${key}.file`, a.file);
      if (a.writes) fs.writeFileSync(`${key}.writes`, JSON.stringify(a.writes));
      if (a.waitForStart) fs.writeFileSync(`${key}.waitfor`, a.waitForStart);
      if (a.sleepSeconds !== undefined) fs.writeFileSync(`${key}.sleep`, String(a.sleepSeconds));
    },
    calls() {
      const log = path.join(dir, "calls.log");
      if (!fs.existsSync(log)) return [];
      return fs
        .readFileSync(log, "utf8")
        .split("\n")
        .filter((l) => l !== "")
        .map((l) => {
          const [cwd, backendUrl, passphraseFile, awsProfile, refused, pulumiVars, ...argv] =
            l.split("\x1f");
          const pulumiEnv = JSON.parse(pulumiVars) as Record<string, string>;
          return { cwd, backendUrl, passphraseFile, awsProfile, refused, pulumiEnv, argv };
        });
    },
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/*
 * Engine events in the schema of sdk/go/common/apitype/events.go (pulumi/pulumi v3.248.0):
 * `EngineEvent { sequence, timestamp, <one event> }`; `StepEventMetadata { op, urn, type, old,
 * new, keys, diffs, detailedDiff, provider }`; `SummaryEvent { maybeCorrupt, durationSeconds,
 * resourceChanges, PolicyPacks (PascalCase in the JSON tag), isPreview, result }`;
 * `PolicyEvent { resourceUrn, message, color, policyName, policyPackName, policyPackVersion,
 * policyPackVersionTag, enforcementLevel }`.
 */

export interface FakeViolation {
  readonly policyName: string;
  /** The policy's description (PolicyArgs.description). */
  readonly description: string;
  /** The message the policy passed to reportViolation. */
  readonly message: string;
  readonly urn?: string;
  readonly enforcementLevel?: "advisory" | "mandatory" | "remediate";
}

/**
 * A policyEvent as the engine writes it for a violation: @pulumi/policy 1.21 reports
 * `description + "\n" + message` (node_modules/@pulumi/policy/server.js, makeReportViolationFun)
 * and the engine passes that string through as `message`.
 */
export function policyEvent(v: FakeViolation, sequence = 0): object {
  return {
    sequence,
    timestamp: 0,
    policyEvent: {
      ...(v.urn ? { resourceUrn: v.urn } : {}),
      message: `${v.description}\n${v.message}`,
      color: "never",
      policyName: v.policyName,
      policyPackName: "dataeng-policies",
      policyPackVersion: "0.1.0",
      policyPackVersionTag: "0.1.0",
      enforcementLevel: v.enforcementLevel ?? "mandatory",
    },
  };
}

/** Engine events for a run that plans these op counts (and optionally steps and violations). */
export function summaryEvents(
  changes: Record<string, number>,
  steps: { op: string; urn: string; type: string }[] = [],
  violations: readonly FakeViolation[] = [],
  options: { isPreview?: boolean; result?: "succeeded" | "failed" } = {},
): object[] {
  return [
    { sequence: 0, timestamp: 0, preludeEvent: { config: {} } },
    ...steps.map((s, i) => ({
      sequence: i + 1,
      timestamp: 0,
      resourcePreEvent: {
        metadata: {
          op: s.op,
          urn: s.urn,
          type: s.type,
          old: null,
          new: null,
          detailedDiff: null,
          provider: "",
        },
        planning: options.isPreview ?? true,
      },
    })),
    ...violations.map((v, i) => policyEvent(v, steps.length + 1 + i)),
    {
      sequence: steps.length + violations.length + 1,
      timestamp: 0,
      summaryEvent: {
        maybeCorrupt: false,
        durationSeconds: 1,
        resourceChanges: changes,
        PolicyPacks: {},
        isPreview: options.isPreview ?? true,
        result: options.result ?? "succeeded",
      },
    },
  ];
}
