import { ENVIRONMENTS, PROJECTS, hasStack, stackName } from "../../../lib/model/stacks";
import {
  CLI_COMMANDS,
  NO_CONFIRMATION_ERROR,
  PULUMI_CLI_VERSION,
  flagsFor,
  parsePulumiArgv,
} from "./pulumiCli";
import { exportStackArgs } from "../setup/init";
import { REAL_COMMANDS, pulumiArgs, pulumiEnv } from "./pulumi";
import { createStackArgs, listStacksArgs, selectStackArgs } from "./selectStack";

const DEBUG = { PULUMI_DEBUG_COMMANDS: "true" };
const refusal = (argv: string[], env: NodeJS.ProcessEnv = DEBUG) => {
  try {
    parsePulumiArgv(argv, env);
  } catch (e) {
    return [(e as Error).message, (e as { exitCode: number }).exitCode];
  }
  return "accepted";
};

describe("the v3.248.0 flag table", () => {
  it("names the CLI version and a source file per command", () => {
    expect(PULUMI_CLI_VERSION).toBe("v3.248.0");
    expect(CLI_COMMANDS.preview.source).toBe("pkg/cmd/pulumi/operations/preview.go");
    expect(CLI_COMMANDS[""].source).toBe("pkg/cmd/pulumi/pulumi.go");
  });

  it("has --policy-pack on up and preview only, and --event-log only under PULUMI_DEBUG_COMMANDS", () => {
    const has = (command: string, flag: string, env: NodeJS.ProcessEnv = DEBUG) =>
      flagsFor(command, env).some((f) => f.name === flag);
    expect(["up", "preview", "refresh", "destroy"].map((c) => has(c, "policy-pack"))).toEqual([
      true,
      true,
      false,
      false,
    ]);
    expect(["up", "preview", "refresh", "destroy"].map((c) => has(c, "event-log"))).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(has("preview", "event-log", {})).toBe(false);
    expect(has("preview", "event-log", { PULUMI_DEBUG_COMMANDS: "1" })).toBe(true);
    expect(has("preview", "event-log", { PULUMI_DEBUG_COMMANDS: "yes" })).toBe(false);
    // global flags are inherited; the stack command's local --show-ids is not
    expect(has("stack select", "non-interactive")).toBe(true);
    expect(has("stack select", "show-ids")).toBe(false);
  });
});

describe("parsePulumiArgv refuses what cobra refuses, with its text", () => {
  it("an unknown long or short flag", () => {
    expect(refusal(["preview", "--stack", "core-dev", "--no-such-flag"])).toEqual([
      "unknown flag: --no-such-flag",
      1,
    ]);
    expect(refusal(["refresh", "--yes", "--policy-pack", "x"])).toEqual([
      "unknown flag: --policy-pack",
      1,
    ]);
    expect(refusal(["up", "--yes", "-x"])).toEqual(["unknown shorthand flag: 'x' in -x", 1]);
    expect(refusal(["up", "-yq"])).toEqual(["unknown shorthand flag: 'q' in -yq", 1]);
  });

  it("--event-log without PULUMI_DEBUG_COMMANDS", () => {
    expect(refusal(["preview", "--event-log", "/tmp/e.json"], {})).toEqual([
      "unknown flag: --event-log",
      1,
    ]);
    expect(refusal(["preview", "--event-log", "/tmp/e.json"])).toBe("accepted");
  });

  it("a flag without its value, and a bad boolean", () => {
    expect(refusal(["preview", "--stack"])).toEqual(["flag needs an argument: --stack", 1]);
    expect(refusal(["preview", "-s"])).toEqual(["flag needs an argument: 's' in -s", 1]);
    expect(refusal(["up", "--yes=maybe"])).toEqual([
      'invalid argument "maybe" for "--yes" flag: strconv.ParseBool: parsing "maybe": invalid syntax',
      1,
    ]);
  });

  it("a non-interactive up, destroy or refresh without --yes (refresh --preview-only is fine)", () => {
    for (const command of ["up", "destroy", "refresh"]) {
      expect(refusal([command, "--stack", "core-dev", "--non-interactive"])).toEqual([
        NO_CONFIRMATION_ERROR,
        2,
      ]);
      expect(refusal([command, "--stack", "core-dev", "--skip-preview"])).toBe("accepted");
      expect(refusal([command, "--stack", "core-dev"], { PULUMI_SKIP_CONFIRMATIONS: "true" })).toBe(
        "accepted",
      );
    }
    expect(refusal(["refresh", "--preview-only"])).toBe("accepted");
    expect(refusal(["up", "--preview-only", "--yes"])).toEqual(["unknown flag: --preview-only", 1]);
    expect(NO_CONFIRMATION_ERROR).toBe(
      "--yes or --skip-preview or --preview-only must be passed in to proceed when running in non-interactive mode",
    );
  });

  it("an unknown command", () => {
    expect(refusal(["deploy"])).toEqual(['unknown command "deploy" for "pulumi"', 1]);
    expect(refusal(["stack", "frobnicate"])).toEqual([
      'unknown command "frobnicate" for "pulumi stack"',
      1,
    ]);
  });

  it("reads values the ways pflag allows", () => {
    const p = parsePulumiArgv(
      ["up", "-s", "core-dev", "--target=urn:a", "-t", "urn:b", "-yf", "--refresh", "--parallel=4"],
      {},
    );
    expect(p.command).toBe("up");
    expect(Object.fromEntries(p.flags)).toEqual({
      stack: ["core-dev"],
      target: ["urn:a", "urn:b"],
      yes: ["true"],
      "skip-preview": ["true"],
      refresh: [""],
      parallel: ["4"],
    });
    // --refresh has a NoOptDefVal: it never takes the next argument
    expect(parsePulumiArgv(["preview", "--refresh", "x"], {}).args).toEqual(["x"]);
  });
});

describe("every pulumi call the orchestrator builds is accepted by the v3.248.0 CLI", () => {
  const env = pulumiEnv({}, { backendUrl: "s3://bucket" });
  const localEnv = pulumiEnv(
    {},
    { backendUrl: "file:///x", passphraseFile: "/p", localAwsEnv: { AWS_ACCESS_KEY_ID: "test" } },
  );
  const URN = "urn:pulumi:core-dev::core::aws:s3/bucket:Bucket::raw-history";
  const cases: { name: string; argv: string[]; env: NodeJS.ProcessEnv }[] = [];
  cases.push({ name: "stack ls", argv: listStacksArgs(), env });
  for (const project of PROJECTS) {
    for (const e of ENVIRONMENTS.filter((e) => hasStack(project, e))) {
      const stack = stackName(project, e);
      cases.push({ name: `${stack} stack select --create`, argv: createStackArgs(stack), env });
      cases.push({ name: `${stack} stack select`, argv: selectStackArgs(stack), env });
      cases.push({
        name: `${stack} init: stack export`,
        argv: exportStackArgs(stack, `/tmp/${stack}.json`),
        env,
      });
      for (const command of REAL_COMMANDS) {
        for (const local of [false, true]) {
          for (const targeting of [{}, { targets: [URN, "**bucket**"], replaces: [URN] }]) {
            for (const refreshOptions of command === "refresh"
              ? [
                  { previewOnly: false, expectNoChanges: false },
                  { previewOnly: true, expectNoChanges: true },
                  { previewOnly: true, expectNoChanges: false },
                  { previewOnly: false, expectNoChanges: true },
                ]
              : [{}]) {
              cases.push({
                name: `${stack} ${command} local=${local} ${JSON.stringify({ ...targeting, ...refreshOptions })}`,
                argv: pulumiArgs({
                  command,
                  stack,
                  repoRoot: "/repo",
                  ...targeting,
                  ...refreshOptions,
                  ...(local ? { configFile: `/repo/.pulumi-local/${stack}.yaml` } : {}),
                  ...(command === "cancel" ? {} : { eventLog: `/tmp/${stack}.json` }),
                }),
                env: local ? localEnv : env,
              });
            }
          }
        }
      }
    }
  }

  cases.push({ name: "doctor: pulumi version", argv: ["version"], env });

  it("enumerates every command, stack, --local, --target/--replace and drift option", () => {
    // 13 stacks x (select --create + select + export + preview 4 + up 4 + refresh 16 + destroy 4
    // + cancel 4), stack ls, version
    expect(cases.length).toBe(13 * 35 + 2);
  });

  it.each(cases.map((c) => [c.name, c] as const))("%s", (_name, c) => {
    expect(refusal(c.argv, c.env)).toBe("accepted");
  });
});
