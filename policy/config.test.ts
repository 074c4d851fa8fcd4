import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { isStackPolicy } from "./common";
import {
  DEFAULT_POLICY_CONFIG_FILE,
  PolicyConfigError,
  parsePolicyConfig,
  readPolicyConfig,
} from "./config";
import { unsupportedKeywords, validateJsonSchema } from "./jsonSchema";
import { policies } from "./policies";
import { loadPolicyConfig } from "./runner";

const FILE = "policy-config.json";
const parse = (value: unknown, requireEveryPolicy = false) =>
  parsePolicyConfig(JSON.stringify(value), FILE, policies, requireEveryPolicy);
/** The problems a config raises, or [] when it loads. */
function problems(value: unknown, requireEveryPolicy = false): readonly string[] {
  try {
    parse(value, requireEveryPolicy);
    return [];
  } catch (e) {
    if (e instanceof PolicyConfigError) return e.problems;
    throw e;
  }
}

describe("the repository's policy-config.json", () => {
  const raw = JSON.parse(fs.readFileSync(DEFAULT_POLICY_CONFIG_FILE, "utf8")) as Record<
    string,
    unknown
  >;

  it("loads: every key names a policy, every entry validates against its schema", () => {
    expect(() => loadPolicyConfig()).not.toThrow();
  });

  it("sets the level of every policy explicitly, and no level for all", () => {
    const loaded = loadPolicyConfig();
    expect(
      policies.filter((p) => !loaded.policies.get(p.name)?.explicit).map((p) => p.name),
    ).toEqual([]);
    expect(raw["all"]).toBeUndefined();
  });

  it("gives each policy the level it declares (security mandatory, hygiene and cost advisory)", () => {
    const loaded = loadPolicyConfig();
    const differing = policies
      .filter((p) => loaded.policies.get(p.name)?.enforcementLevel !== p.enforcementLevel)
      .map(
        (p) =>
          `${p.name}: ${loaded.policies.get(p.name)?.enforcementLevel} in ${FILE}, ${p.enforcementLevel} in the policy`,
      );
    expect(differing).toEqual([]);
  });

  // Each default has one home, the policy's config schema (issue 18): the file says only
  // what differs from it, and the pack (configWithDefaults) fills in the rest.
  it("gives no config value equal to its schema default", () => {
    const restated = policies.flatMap((p) => {
      const given = raw[p.name];
      if (typeof given !== "object" || given === null) return [];
      return Object.entries(given as Record<string, unknown>)
        .filter(([k]) => k !== "enforcementLevel")
        .filter(
          ([k, v]) =>
            JSON.stringify(v) === JSON.stringify(p.configSchema?.properties?.[k]?.default),
        )
        .map(([k]) => `${p.name}.${k}`);
    });
    expect(restated).toEqual([]);
  });

  it("still gives every policy every config key, from the schema where the file is silent", () => {
    const config = loadPolicyConfig();
    const missing = policies.flatMap((p) =>
      Object.keys(p.configSchema?.properties ?? {})
        .filter((k) => config.policies.get(p.name)?.config[k] === undefined)
        .map((k) => `${p.name}.${k}`),
    );
    expect(missing).toEqual([]);
    expect(config.policies.get("lambda-runtime-allowed")?.config["allowedRuntimes"]).toEqual([
      "nodejs22.x",
      "nodejs24.x",
    ]);
  });
});

describe("policy config schemas", () => {
  it.each(policies.filter((p) => p.configSchema).map((p) => [p.name, p] as const))(
    "%s: defaults that validate, only supported keywords",
    (_n, p) => {
      const props = p.configSchema!.properties;
      expect(Object.keys(props)).not.toContain("enforcementLevel");
      for (const [key, schema] of Object.entries(props)) {
        expect(schema.default).toBeDefined();
        expect(schema.description).toEqual(expect.any(String));
        expect(validateJsonSchema(schema.default, schema, key)).toEqual([]);
      }
      expect(unsupportedKeywords({ properties: props }, p.name)).toEqual([]);
    },
  );

  it("pack stack policies and resource policies both carry their schema", () => {
    expect(policies.some((p) => isStackPolicy(p) && p.configSchema)).toBe(true);
    expect(policies.some((p) => !isStackPolicy(p) && p.configSchema)).toBe(true);
  });
});

describe("a malformed policy config fails with the file, the key and the reason", () => {
  it("not JSON", () => {
    expect(() => parsePolicyConfig("{ mandatory", FILE, policies)).toThrow(
      /^Invalid policy config policy-config\.json:\n {2}- the file is not valid JSON: /,
    );
  });

  it("not an object", () => {
    expect(problems(["mandatory"])).toEqual([
      "expected a JSON object keyed by policy name, got an array",
    ]);
  });

  it("a misspelled policy name, with a suggestion", () => {
    expect(problems({ "s3-bucket-versioning-enable": "mandatory" })).toEqual([
      '"s3-bucket-versioning-enable": not a policy of this pack; did you mean "s3-bucket-versioning-enabled"?',
    ]);
  });

  it("a misspelled config key, with a suggestion and the keys it has", () => {
    expect(
      problems({ "cloudwatch-log-group-retention": { enforcementLevel: "advisory", maxDay: 30 } }),
    ).toEqual([
      '"cloudwatch-log-group-retention".maxDay: not a config key of cloudwatch-log-group-retention; did you mean "maxDays"? (its keys: minDays, maxDays)',
    ]);
  });

  it("a config key on a policy that takes none", () => {
    expect(
      problems({ "s3-bucket-tls-only": { enforcementLevel: "mandatory", minTls: 1.2 } }),
    ).toEqual([
      '"s3-bucket-tls-only".minTls: not a config key of s3-bucket-tls-only (it takes none)',
    ]);
  });

  it("values that break the schema", () => {
    expect(
      problems({
        "lambda-runtime-allowed": { allowedRuntimes: ["nodejs22.x", 22, "nodejs22.x"] },
        "cloudwatch-log-group-retention": { minDays: "30", maxDays: 0 },
        "lambda-environment-no-plaintext-secrets": { secretNamePattern: "(unclosed" },
        "dms-endpoint-ssl": { allowedSslModes: [] },
        "s3-bucket-companions": { companions: ["versioning", "encryptoin"] },
      }),
    ).toEqual([
      '"lambda-runtime-allowed".allowedRuntimes: expected unique items, "nodejs22.x" appears more than once',
      '"lambda-runtime-allowed".allowedRuntimes[1]: expected string, got number 22',
      '"cloudwatch-log-group-retention".minDays: expected integer, got string "30"',
      '"cloudwatch-log-group-retention".maxDays: expected at least 1, got 0',
      '"lambda-environment-no-plaintext-secrets".secretNamePattern: expected a regular expression: Invalid regular expression: /(unclosed/: Unterminated group',
      '"dms-endpoint-ssl".allowedSslModes: expected at least 1 item, got 0',
      '"s3-bucket-companions".companions[1]: expected one of "encryption", "public-access-block", "versioning", "ownership-controls", "policy", got string "encryptoin"',
    ]);
  });

  it("bad enforcement levels", () => {
    expect(
      problems({
        "kms-key-description": "warn",
        "kms-key-rotation-enabled": { enforcementLevel: "remediate" },
        all: { enforcementLevel: "advisory", extra: 1 },
        "kms-alias-naming": 3,
      }),
    ).toEqual([
      '"all".extra: "all" takes only an enforcementLevel',
      '"kms-key-description": expected an enforcement level (advisory, mandatory, disabled), got string "warn"',
      '"kms-key-rotation-enabled".enforcementLevel: enforcement level "remediate" does nothing here, since no policy of this pack remediates; use "mandatory" or "advisory"',
      '"kms-alias-naming": expected an enforcement level or an object, got number 3',
    ]);
  });

  it("a policy left out", () => {
    const all = Object.fromEntries(policies.map((p) => [p.name, p.enforcementLevel]));
    delete all["kms-key-description"];
    expect(problems(all, true)).toEqual([
      '"kms-key-description": not configured; give it a level ("mandatory" for a security check, "advisory" for hygiene or cost)',
    ]);
    expect(problems({ ...all, all: "advisory" }, true)).toEqual([]);
  });

  it("a file that cannot be read names the file", () => {
    const missing = path.join(os.tmpdir(), "no-such-policy-config.json");
    expect(() => readPolicyConfig(missing, policies)).toThrow(
      new RegExp(
        `^Invalid policy config ${missing.replace(/[.\\]/g, "\\$&")}:\\n {2}- cannot read the file: ENOENT`,
      ),
    );
  });

  it("loadPolicyConfig reads another file and names it", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-config-"));
    const file = path.join(dir, "policy-config.json");
    fs.writeFileSync(file, JSON.stringify({ "sns-topic-kms-encryptd": "mandatory" }));
    expect(() => loadPolicyConfig(file)).toThrow(
      `Invalid policy config ${file}:\n  - "sns-topic-kms-encryptd": not a policy of this pack; did you mean "sns-topic-kms-encrypted"?`,
    );
    fs.rmSync(dir, { recursive: true });
  });
});

describe("loaded settings", () => {
  it("apply schema defaults, the file's values, and all's level", () => {
    const loaded = parse({
      all: "advisory",
      "cloudwatch-log-group-retention": { minDays: 14 },
      "kms-key-description": "disabled",
    });
    expect(loaded.policies.get("cloudwatch-log-group-retention")).toEqual({
      enforcementLevel: "advisory",
      config: { minDays: 14, maxDays: 731, exemptions: [] },
      explicit: false,
    });
    expect(loaded.policies.get("kms-key-description")?.enforcementLevel).toBe("disabled");
    expect(loaded.policies.get("s3-bucket-tls-only")).toEqual({
      enforcementLevel: "advisory",
      config: { exemptions: [] },
      explicit: false,
    });
  });

  it("fall back on the policy's own level", () => {
    expect(parse({}).policies.get("s3-bucket-tls-only")?.enforcementLevel).toBe("mandatory");
  });
});

describe("validateJsonSchema", () => {
  it.each([
    [1.5, { type: "integer" }, ["x: expected integer, got number 1.5"]],
    ["a", { type: ["integer", "null"] }, ['x: expected integer or null, got string "a"']],
    [
      5,
      { exclusiveMaximum: 5, multipleOf: 2 },
      ["x: expected less than 5, got 5", "x: expected a multiple of 2, got 5"],
    ],
    ["", { minLength: 1 }, ['x: expected at least 1 character, got ""']],
    ["b", { pattern: "^a" }, ['x: expected a string matching /^a/, got "b"']],
    [
      { a: 1, b: "x" },
      {
        type: "object",
        required: ["c"],
        properties: { a: { type: "string" } },
        additionalProperties: false,
      },
      [
        'x: the key "c" is required',
        "x.a: expected string, got number 1",
        "x.b: no value is allowed here",
      ],
    ],
    [
      [1, 2, 3],
      { maxItems: 2, items: { maximum: 2 } },
      ["x: expected at most 2 items, got 3", "x[2]: expected at most 2, got 3"],
    ],
    ["ok", { const: "ok", enum: ["ok"] }, []],
  ] as const)("%j against %j", (value, schema, expected) => {
    expect(validateJsonSchema(value, schema as never, "x")).toEqual(expected);
  });

  it("finds keywords it does not implement", () => {
    expect(
      unsupportedKeywords(
        { type: "string", format: "email", items: { contains: { type: "string" } } } as never,
        "p",
      ),
    ).toEqual(['p: format "email"', 'p.items: keyword "contains"']);
  });
});
