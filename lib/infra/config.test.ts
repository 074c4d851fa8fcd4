import { z } from "zod";
import {
  ConfigError,
  configBoolean,
  configInteger,
  configJson,
  configSection,
  configLogRetentionDays,
  configString,
  parseProjectConfig,
} from "./config";

const shape = {
  name: configString("a bucket name prefix"),
  days: configInteger(7, 30).default(30),
  enabled: configBoolean().default(false),
  retention: configLogRetentionDays().default(90),
  subnets: configJson(z.array(z.string()).min(2, { error: "expected at least two subnets" })),
};
const FILE = "core/Pulumi.core-dev.yaml";

function problems(values: Record<string, string>): string {
  try {
    parseProjectConfig("core", shape, values, FILE);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error("expected a ConfigError");
}

describe("project config", () => {
  it("parses Pulumi's string values into typed values and applies defaults", () => {
    const config = parseProjectConfig(
      "core",
      shape,
      {
        "aws:region": "eu-west-2",
        "core:name": "x",
        "core:enabled": "true",
        "core:subnets": '["a","b"]',
      },
      FILE,
    );
    expect(config).toEqual({
      name: "x",
      days: 30,
      enabled: true,
      retention: 90,
      subnets: ["a", "b"],
    });
  });

  it("names the stack file, each bad key, what was expected and what was given", () => {
    expect(
      problems({
        "core:days": "45",
        "core:enabled": "yes",
        "core:retention": "100",
        "core:subnets": '["a"]',
      }),
    ).toBe(
      [
        "Invalid config in core/Pulumi.core-dev.yaml:",
        "  - core:name: missing; expected a bucket name prefix",
        "  - core:days: expected a whole number from 7 to 30, got 45",
        "  - core:enabled: expected true or false, got yes",
        "  - core:retention: expected one of the retention periods CloudWatch Logs accepts: 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653, got 100",
        '  - core:subnets: expected at least two subnets, got ["a"]',
        'Fix these values under "config:" in core/Pulumi.core-dev.yaml (or with "pulumi config set <key> <value>").',
      ].join("\n"),
    );
  });

  it("rejects a number that is not a number", () => {
    expect(
      problems({ "core:name": "x", "core:subnets": '["a","b"]', "core:days": "ten" }),
    ).toContain("core:days: expected a whole number from 7 to 30, got ten");
  });

  it("refuses a misspelled key instead of ignoring it", () => {
    expect(
      problems({ "core:name": "x", "core:subnets": '["a","b"]', "core:dayz": "10" }),
    ).toContain(
      "core:dayz: unknown key; the keys of core are core:name, core:days, core:enabled, core:retention, core:subnets",
    );
  });

  it("ignores other namespaces", () => {
    expect(() =>
      parseProjectConfig(
        "core",
        shape,
        { "core:name": "x", "core:subnets": '["a","b"]', "pipelines:x": "1" },
        FILE,
      ),
    ).not.toThrow();
  });
});

describe("nested config", () => {
  it("names the missing nested key by its path", () => {
    const nested = {
      databases: configJson(
        z.strictObject({ delius: z.strictObject({ secretName: configString("a secret name") }) }),
      ),
    };
    expect(() =>
      parseProjectConfig("pipelines", nested, { "pipelines:databases": '{"delius":{}}' }, FILE),
    ).toThrow("pipelines:databases.delius.secretName: missing; expected a secret name");
  });

  it("says when a project has no config keys of its own", () => {
    expect(() => parseProjectConfig("metadata", {}, { "metadata:x": "1" }, FILE)).toThrow(
      "metadata:x: unknown key; metadata has no config keys of its own: remove it",
    );
  });
});

describe("configSection", () => {
  const section = { days: shape.days, enabled: shape.enabled };

  it("keeps exactly the section's keys of the parsed config, with their values", () => {
    const config = parseProjectConfig(
      "core",
      shape,
      { "core:name": "x", "core:days": "8", "core:subnets": '["a","b"]' },
      FILE,
    );
    expect(configSection(config, section)).toStrictEqual({ days: 8, enabled: false });
  });

  it("leaves out an optional key that is not set rather than setting it to undefined", () => {
    const optional = { owner: z.string().optional(), days: shape.days };
    expect(configSection({ days: 7 }, optional)).toStrictEqual({ days: 7 });
    expect(Object.keys(configSection({ days: 7 }, optional))).toEqual(["days"]);
  });
});
