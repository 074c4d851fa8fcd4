/**
 * A fake `pulumi` executable for tests: put first on PATH, it records each call (working
 * folder, PULUMI_BACKEND_URL, passphrase file, argv) and answers with canned output, an engine
 * event log and an exit code per stack and command. A call can also wait until another stack's
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
  readonly argv: string[];
}

export interface CannedAnswer {
  /** Printed on stdout. */
  readonly output?: string;
  /** Engine events (one object per line of the event log). */
  readonly events?: readonly object[];
  readonly exitCode?: number;
  /** Do not finish before this stack's call (same command) has started. */
  readonly waitForStart?: string;
  /** Take this long (the benchmark's stand-in for real work; tests never time anything). */
  readonly sleepSeconds?: number;
}

// Records are one line each: fields separated by US (\x1f), calls by newline.
const SCRIPT = `#!/usr/bin/env bash
dir="$FAKE_PULUMI_DIR"
cmd="$1"; [ "$1" = stack ] && cmd="stack-$2"
stack=""; events=""
prev=""
for a in "$@"; do
  [ "$prev" = "--stack" ] && stack="$a"
  [ "$prev" = "--event-log" ] && events="$a"
  prev="$a"
done
{
  printf '%s\\x1f%s\\x1f%s\\x1f%s' "$PWD" "$PULUMI_BACKEND_URL" "$PULUMI_CONFIG_PASSPHRASE_FILE" "$AWS_PROFILE"
  for a in "$@"; do printf '\\x1f%s' "$a"; done
  printf '\\n'
} >> "$dir/calls.log"
key="$dir/$stack.$cmd"
touch "$dir/started.$stack.$cmd"
if [ -f "$key.waitfor" ]; then
  other="$(cat "$key.waitfor")"
  for i in $(seq 1 400); do [ -f "$dir/started.$other.$cmd" ] && break; sleep 0.025; done
  [ -f "$dir/started.$other.$cmd" ] || { echo "error: $other never started while $stack ran" >&2; exit 3; }
fi
[ -f "$key.sleep" ] && sleep "$(cat "$key.sleep")"
if [ -f "$key.out" ]; then cat "$key.out"; else echo "fake pulumi $cmd $stack"; fi
[ -n "$events" ] && [ -f "$key.events" ] && cp "$key.events" "$events"
if [ -f "$key.code" ]; then exit "$(cat "$key.code")"; fi
exit 0
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
          const [cwd, backendUrl, passphraseFile, awsProfile, ...argv] = l.split("\x1f");
          return { cwd, backendUrl, passphraseFile, awsProfile, argv };
        });
    },
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** Engine events for a run that plans these op counts (and optionally steps). */
export function summaryEvents(
  changes: Record<string, number>,
  steps: { op: string; urn: string; type: string }[] = [],
): object[] {
  return [
    { sequence: 0, timestamp: 0, preludeEvent: { config: {} } },
    ...steps.map((s, i) => ({
      sequence: i + 1,
      timestamp: 0,
      resourcePreEvent: { metadata: { ...s, provider: "" } },
    })),
    {
      sequence: steps.length + 1,
      timestamp: 0,
      summaryEvent: {
        maybeCorrupt: false,
        durationSeconds: 1,
        resourceChanges: changes,
        policyPacks: {},
      },
    },
  ];
}
