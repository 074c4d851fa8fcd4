import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { isStackPolicy } from "./common";
import { cloudwatchPolicies } from "./cloudwatch";
import { dmsPolicies } from "./dms";
import { ec2Policies } from "./ec2";
import { gluePolicies } from "./glue";
import { iamPolicies } from "./iam";
import { kmsPolicies } from "./kms";
import { lambdaPolicies } from "./lambda";
import { policies } from "./policies";
import { loadPolicyConfig } from "./runner";
import { s3Policies } from "./s3";
import { secretsManagerPolicies } from "./secretsmanager";
import { snsPolicies } from "./sns";
import { sqsPolicies } from "./sqs";

const DIR = __dirname;
const read = (file: string) => fs.readFileSync(path.join(DIR, file), "utf8");

describe("the pack's files", () => {
  it("PulumiPolicy.yaml names the nodejs runtime", () => {
    expect(read("PulumiPolicy.yaml")).toMatch(/^runtime: nodejs$/m);
  });

  it("package.json has a name and a version, and no dependencies of its own", () => {
    const pkg = JSON.parse(read("package.json")) as Record<string, unknown>;
    expect(pkg["name"]).toEqual(expect.stringMatching(/^[a-z0-9-]+$/));
    expect(pkg["version"]).toEqual(expect.stringMatching(/^\d+\.\d+\.\d+$/));
    expect(pkg["dependencies"]).toBeUndefined();
    expect(pkg["devDependencies"]).toBeUndefined();
  });

  it("package.json's main loads the esbuild hook, converts properties once, then the pack", () => {
    expect((JSON.parse(read("package.json")) as Record<string, unknown>)["main"]).toBe("pack.js");
    const code = read("pack.js")
      .split("\n")
      .filter((l) => l.startsWith("require(") || l.startsWith("module.exports"));
    expect(code).toEqual([
      'require("../tools/stacks/register.js");',
      'require("./deserializeOnce.ts").deserializeOncePerRequest(require("@pulumi/policy/deserialize"));',
      'module.exports = require("./index.ts");',
    ]);
  });

  it("tsconfig.json extends the root one and only transpiles", () => {
    const { config } = ts.parseConfigFileTextToJson("tsconfig.json", read("tsconfig.json")) as {
      config: { extends: string; compilerOptions: Record<string, unknown> };
    };
    expect(config.extends).toBe("../tsconfig.json");
    expect(config.compilerOptions["noCheck"]).toBe(true);
  });

  it("index.ts only builds the PolicyPack from the policies list", () => {
    const source = read("index.ts");
    const imports = [...source.matchAll(/^import .* from "(.+)";$/gm)].map((m) => m[1]);
    expect(imports).toEqual(["@pulumi/policy", "./policies"]);
    expect(source.match(/new PolicyPack\(/g)).toHaveLength(1);
    expect(source).toMatch(/policies: \[\.\.\.policies\]/);
  });
});

describe("the policies", () => {
  it("are at least 30, with unique kebab-case names", () => {
    expect(policies.length).toBeGreaterThanOrEqual(30);
    const names = policies.map((p) => p.name);
    expect(new Set(names).size).toBe(names.length);
    for (const name of names) expect(name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)+$/);
    expect(names).not.toContain("all");
  });

  it.each(policies.map((p) => [p.name, p] as const))("%s has its metadata", (_name, p) => {
    expect(p.description.length).toBeGreaterThan(20);
    expect(p.remediationSteps.length).toBeGreaterThan(10);
    expect(["advisory", "mandatory"]).toContain(p.enforcementLevel);
    expect(p.resourceTypes.length).toBeGreaterThan(0);
    if (!isStackPolicy(p)) {
      // One type: the engine skips other types without calling it. Several (or "*"): the
      // policy is called for every resource and answers notApplicable itself.
      const single = p.resourceTypes.length === 1 && p.resourceTypes[0] !== "*";
      expect((p.validateResource as { __pulumiType?: string }).__pulumiType).toBe(
        single ? p.resourceTypes[0] : undefined,
      );
    }
  });

  it("live in the module of their AWS service", () => {
    const modules: [string, readonly { resourceTypes: readonly string[] }[], RegExp][] = [
      ["s3", s3Policies, /^aws:s3\//],
      ["kms", kmsPolicies, /^aws:kms\//],
      ["iam", iamPolicies, /^aws:iam\//],
      ["dms", dmsPolicies, /^aws:dms\//],
      ["lambda", lambdaPolicies, /^aws:lambda\//],
      ["sns", snsPolicies, /^aws:sns\//],
      ["cloudwatch", cloudwatchPolicies, /^aws:cloudwatch\//],
      ["secretsmanager", secretsManagerPolicies, /^aws:secretsmanager\//],
      ["sqs", sqsPolicies, /^aws:sqs\//],
      ["ec2", ec2Policies, /^aws:(ec2|vpc)\//],
      ["glue", gluePolicies, /^aws:glue\//],
    ];
    for (const [module, list, service] of modules) {
      for (const p of list) {
        for (const t of p.resourceTypes)
          expect({ module, type: t, ok: service.test(t) }).toEqual({ module, type: t, ok: true });
      }
    }
  });

  it("each has compliant and non-compliant cases in a test file", () => {
    const described = new Set<string>();
    for (const file of fs.readdirSync(DIR).filter((f) => f.endsWith(".test.ts"))) {
      for (const m of read(file).matchAll(
        /describe(?:Resource|Stack)Policy\(\s*(?:policy\(|policyNamed\([^,]+,\s*)"([a-z0-9-]+)"/g,
      )) {
        described.add(m[1]);
      }
    }
    expect(policies.map((p) => p.name).filter((n) => !described.has(n))).toEqual([]);
  });
});

describe("README.md", () => {
  /** Table rows: | `name` | `type`<br>`type` | what | level | blocks | why | fix | counterpart | */
  const rows = new Map(
    read("README.md")
      .split("\n")
      .filter((line) => /^\|\s*`[a-z0-9-]+`\s*\|/.test(line))
      .map((line) =>
        line
          .split(/(?<!\\)\|/)
          .slice(1, -1)
          .map((c) => c.trim()),
      )
      .filter((cells) => cells.length === 8)
      .map((cells) => [
        cells[0].replace(/`/g, ""),
        {
          types: [...cells[1].matchAll(/`([^`]+)`/g)].map((t) => t[1]),
          level: cells[3],
          why: cells[5],
          fix: cells[6],
          counterpart: cells[7],
        },
      ]),
  );

  it("has a table row for every policy, with its types and its level in policy-config.json", () => {
    const config = loadPolicyConfig();
    const wrong = policies.flatMap((p) => {
      const row = rows.get(p.name);
      if (!row) return [`${p.name}: no row`];
      const level = config.policies.get(p.name)?.enforcementLevel;
      return [
        ...(row.level !== level
          ? [`${p.name}: level ${row.level} in README, ${level} in policy-config.json`]
          : []),
        ...(row.types.join(",") !== p.resourceTypes.join(",")
          ? [`${p.name}: types ${row.types.join(",")} in README`]
          : []),
      ];
    });
    expect(wrong).toEqual([]);
    expect([...rows.keys()].filter((n) => !policies.some((p) => p.name === n))).toEqual([]);
    for (const row of rows.values()) {
      expect(row.why.length).toBeGreaterThan(10);
      expect(row.fix.length).toBeGreaterThan(10);
      // A checkov/cdk-nag/awsguard rule, or "none" (with a reason where it helps).
      expect(row.counterpart).toMatch(/^(none|(checkov|cdk-nag|awsguard) )/);
    }
  });

  it("states the counts", () => {
    const mandatory = policies.filter((p) => p.enforcementLevel === "mandatory").length;
    expect(read("README.md")).toContain(`${policies.length} policies: ${mandatory} mandatory`);
  });
});
