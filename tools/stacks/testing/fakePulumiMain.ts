/**
 * The executable part of the fake `pulumi` (see fakePulumi.ts). Strict like the real CLI: the
 * argv is parsed against the v3.248.0 flag table in ../pulumiCli.ts, and a call the real CLI
 * would refuse fails the same way (`error: <cobra's text>` on stderr, the CLI's exit code)
 * before anything is recorded as run. A refused call is still logged, marked as refused.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { CliUsageError, parsePulumiArgv } from "../pulumi/pulumiCli";

const US = "\x1f";

function main(argv: string[]): number {
  const dir = process.env.FAKE_PULUMI_DIR;
  if (!dir) {
    process.stderr.write("fake pulumi: FAKE_PULUMI_DIR is not set\n");
    return 99;
  }
  const record = (refused: string) =>
    fs.appendFileSync(
      path.join(dir, "calls.log"),
      [
        process.cwd(),
        process.env.PULUMI_BACKEND_URL ?? "",
        process.env.PULUMI_CONFIG_PASSPHRASE_FILE ?? "",
        process.env.AWS_PROFILE ?? "",
        refused,
        JSON.stringify(
          Object.fromEntries(Object.entries(process.env).filter(([k]) => k.startsWith("PULUMI_"))),
        ),
        ...argv,
      ].join(US) + "\n",
    );
  let parsed;
  try {
    parsed = parsePulumiArgv(argv, process.env);
  } catch (e) {
    if (!(e instanceof CliUsageError)) throw e;
    record(e.message);
    process.stderr.write(`error: ${e.message}\n`);
    return e.exitCode;
  }
  record("");
  // `stack select --create` answers as "stack-select-create": a stack that select does not find
  // can still be created (selectStack.ts calls both).
  const cmd = parsed.command.replace(" ", "-") + (parsed.flags.has("create") ? "-create" : "");
  const stack = parsed.flags.get("stack")?.at(-1) ?? parsed.args[0] ?? "";
  const eventLog = parsed.flags.get("event-log")?.at(-1);
  const key = path.join(dir, `${stack}.${cmd}`);
  fs.writeFileSync(path.join(dir, `started.${stack}.${cmd}`), "");
  const read = (suffix: string) =>
    fs.existsSync(`${key}.${suffix}`) ? fs.readFileSync(`${key}.${suffix}`, "utf8") : undefined;
  const other = read("waitfor");
  if (other !== undefined) {
    const started = path.join(dir, `started.${other}.${cmd}`);
    for (let i = 0; i < 400 && !fs.existsSync(started); i++) sleep(0.025);
    if (!fs.existsSync(started)) {
      process.stderr.write(`error: ${other} never started while ${stack} ran\n`);
      return 3;
    }
  }
  const seconds = read("sleep");
  if (seconds !== undefined) sleep(Number(seconds));
  process.stdout.write(read("out") ?? `fake pulumi ${cmd} ${stack}\n`);
  const events = read("events");
  if (eventLog && events !== undefined) fs.writeFileSync(eventLog, events);
  const fileFlag = parsed.flags.get("file")?.at(-1);
  const file = read("file");
  if (fileFlag && file !== undefined) fs.writeFileSync(fileFlag, file);
  // What the real command would write elsewhere (e.g. the salt `stack select --create` saves).
  const writes = read("writes");
  if (writes !== undefined) {
    const { path: target, content } = JSON.parse(writes) as { path: string; content: string };
    fs.writeFileSync(target, content);
  }
  const code = read("code");
  return code === undefined ? 0 : Number(code);
}

function sleep(seconds: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, seconds * 1000);
}

process.exitCode = main(process.argv.slice(2));
