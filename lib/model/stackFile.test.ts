import { parseStackFile, readStackConfig, SECRET_PLACEHOLDER, StackFileError } from "./stackFile";

const FILE = "core/Pulumi.core-dev.yaml";

describe("reading a stack file", () => {
  it("passes values as the Pulumi CLI does: scalars as strings, structures as JSON", () => {
    const config = parseStackFile(
      FILE,
      [
        "config:",
        "  aws:region: eu-west-2",
        "  core:days: 30",
        "  core:on: true",
        "  core:list:",
        "    - a",
        "    - 2",
      ].join("\n"),
    );
    expect(config.values).toEqual({
      "aws:region": "eu-west-2",
      "core:days": "30",
      "core:on": "true",
      "core:list": '["a",2]',
    });
    expect(config.secretKeys).toEqual([]);
  });

  it("replaces secure values, also inside objects, by a placeholder and marks them secret", () => {
    const config = parseStackFile(
      FILE,
      [
        "config:",
        "  core:token:",
        "    secure: AAABAJ3x",
        "  core:nested:",
        "    user: u",
        "    pass:",
        "      secure: AAAB",
      ].join("\n"),
    );
    expect(config.values["core:token"]).toBe(SECRET_PLACEHOLDER);
    expect(JSON.parse(config.values["core:nested"])).toEqual({
      user: "u",
      pass: SECRET_PLACEHOLDER,
    });
    expect(config.secretKeys).toEqual(["core:token", "core:nested"]);
  });

  it("names the file, line and column of malformed YAML", () => {
    expect(() =>
      parseStackFile(FILE, "config:\n  aws:region: eu-west-2\n   core:x: [1, 2\n"),
    ).toThrow(
      "core/Pulumi.core-dev.yaml: not valid YAML at line 2, column 15: Nested mappings are not allowed in compact mappings",
    );
  });

  it("names a key without namespace and says how to write it", () => {
    expect(() => parseStackFile(FILE, "config:\n  region: eu-west-2\n")).toThrow(
      'core/Pulumi.core-dev.yaml: config key "region" has no namespace; write it as <project>:region (or aws:region for the provider)',
    );
  });

  it("names an empty value", () => {
    expect(() => parseStackFile(FILE, "config:\n  core:x:\n")).toThrow(
      'core/Pulumi.core-dev.yaml: config key "core:x" has no value; give it one or remove the key',
    );
  });

  it("refuses a config section that is not a mapping", () => {
    expect(() => parseStackFile(FILE, "config:\n  - a\n")).toThrow(StackFileError);
    expect(() => parseStackFile(FILE, "- a\n")).toThrow(
      'expected a mapping with a "config:" section',
    );
  });

  it("reads the real stack files", () => {
    const config = readStackConfig("pipelines", "prod");
    expect(config.file).toBe("pipelines/Pulumi.pipelines-prod.yaml");
    expect(JSON.parse(config.values["pipelines:databases"]).delius.secretName).toBe(
      "dms/delius-prod/oracle-connection",
    );
    expect(config.values["pipelines:multiAz"]).toBe("true");
  });

  it("names a missing stack file", () => {
    expect(() => readStackConfig("core", "dev", "/nonexistent")).toThrow(
      'core/Pulumi.core-dev.yaml: the stack file is missing; create it with at least "config:\\n  aws:region: eu-west-2"',
    );
  });
});
