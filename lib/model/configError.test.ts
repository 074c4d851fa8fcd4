import { ConfigError } from "./configError";

describe("ConfigError", () => {
  it("names the file, lists every problem and says how to fix a stack file by default", () => {
    const e = new ConfigError("core/Pulumi.core-dev.yaml", ["core:x: required", "core:y: bad"]);
    expect(e.message).toBe(
      "Invalid config in core/Pulumi.core-dev.yaml:\n  - core:x: required\n  - core:y: bad\n" +
        'Fix these values under "config:" in core/Pulumi.core-dev.yaml (or with "pulumi config set <key> <value>").',
    );
    expect(e.name).toBe("ConfigError");
    expect(e.file).toBe("core/Pulumi.core-dev.yaml");
    expect(e.stackFile).toBe("core/Pulumi.core-dev.yaml");
    expect(e.problems).toEqual(["core:x: required", "core:y: bad"]);
  });

  it("takes the wording of another kind of file", () => {
    const e = new ConfigError("policy-config.json", ['"x": not a policy'], {
      subject: "policy config",
      fix: "Fix policy-config.json.",
    });
    expect(e.message).toBe(
      'Invalid policy config policy-config.json:\n  - "x": not a policy\nFix policy-config.json.',
    );
    expect(e).toBeInstanceOf(Error);
  });
});
