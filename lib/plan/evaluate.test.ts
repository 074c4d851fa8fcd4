import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { clearMetadataCache } from "../model/metadataFiles";
import { cleanError, evaluateStack } from "./evaluate";
import { readStackConfig } from "../model/stackFile";

const coreOutputs = {
  kmsKeyArn: "arn:aws:kms:eu-west-2:123456789012:key/k",
  metadataBucketName: "mojap-dataeng-metadata-dev",
  rawHistoryBucketName: "mojap-dataeng-raw-history-dev",
};

describe("evaluating a stack under mocks", () => {
  it("captures resources with their options, parents and provider", async () => {
    const result = await evaluateStack("pipelines_base", "prod");
    expect(result.errors).toEqual([]);
    const role = result.resources.find((r) => r.name === "dms-vpc-role")!;
    expect(role.urn).toBe(
      "urn:pulumi:pipelines_base-prod::pipelines_base::aws:iam/role:Role::dms-vpc-role",
    );
    expect(role.protect).toBe(false);
    expect(role.provider).toMatch(
      /^urn:pulumi:pipelines_base-prod::pipelines_base::pulumi:providers:aws::aws::/,
    );
    const group = result.resources.find((r) => r.name === "replication-subnet-group")!;
    expect(group.dependencies).toContain(role.urn);
  });

  it("fails naming both stacks and the key when an upstream output is missing", async () => {
    const { kmsKeyArn: _omitted, ...withoutKey } = coreOutputs;
    const result = await evaluateStack("metadata", "dev", {
      upstream: new Map([["core-dev", withoutKey]]),
    });
    expect(result.errors).toEqual([
      'metadata-dev: it reads output "kmsKeyArn" of stack core-dev, which core-dev does not export; export it from that project\'s program or fix the key',
    ]);
    expect(result.outputs).toEqual({});
  });

  it("fails saying so when the referenced stack was not planned", async () => {
    const result = await evaluateStack("glue_database", "dev", { upstream: new Map() });
    expect(result.errors).toEqual([
      'glue_database-dev: it references stack "organization/core/core-dev", which has not been planned: plan it first (for example with --with-dependencies)',
    ]);
  });

  it("stops on bad config with the stack file, the key and what was expected", async () => {
    const config = readStackConfig("pipelines_base", "prod");
    const values: Record<string, string> = {
      ...config.values,
      "pipelines_base:oraclePort": "99999",
    };
    delete values["pipelines_base:vpcId"];
    const result = await evaluateStack("pipelines_base", "prod", { config: { ...config, values } });
    expect(result.errors).toEqual([
      [
        "pipelines_base-prod: Invalid config in pipelines_base/Pulumi.pipelines_base-prod.yaml:",
        "  - pipelines_base:vpcId: missing; expected a VPC id",
        "  - pipelines_base:oraclePort: expected a whole number from 1 to 65535, got 99999",
        'Fix these values under "config:" in pipelines_base/Pulumi.pipelines_base-prod.yaml (or with "pulumi config set <key> <value>").',
      ].join("\n"),
    ]);
    expect(result.resources).toEqual([]);
  });

  it("refuses a missing aws:region", async () => {
    const config = readStackConfig("glue_database", "dev");
    const result = await evaluateStack("glue_database", "dev", {
      config: { ...config, values: {} },
      upstream: new Map([["core-dev", coreOutputs]]),
    });
    expect(result.errors[0]).toContain(
      "aws:region: missing; expected an AWS region such as eu-west-2",
    );
  });

  describe("with broken metadata", () => {
    let root: string;
    beforeEach(() => {
      root = fs.mkdtempSync(path.join(os.tmpdir(), "metadata-"));
      for (const db of ["delius", "oasys"]) fs.mkdirSync(path.join(root, db));
      process.env.DATAENG_METADATA_ROOT = root;
      clearMetadataCache();
    });
    afterEach(() => {
      delete process.env.DATAENG_METADATA_ROOT;
      clearMetadataCache();
      fs.rmSync(root, { recursive: true, force: true });
    });

    it("names the file and the bad type", async () => {
      const table = {
        name: "OFFENDER",
        schema: "DELIUS_APP_SCHEMA",
        description: "People on probation",
        primaryKey: ["OFFENDER_ID"],
        columns: [
          { name: "OFFENDER_ID", type: "NUMBER(18)", nullable: false, description: "Key" },
          {
            name: "CRN",
            type: "VARCHAR3(7)",
            nullable: false,
            description: "Case reference number",
          },
        ],
      };
      fs.writeFileSync(path.join(root, "delius", "offender.json"), JSON.stringify(table));
      const result = await evaluateStack("glue_database", "dev", {
        upstream: new Map([["core-dev", coreOutputs]]),
      });
      expect(result.errors).toHaveLength(1);
      expect(result.errors[0]).toMatch(
        /^glue_database-dev: Invalid table metadata in .*delius\/offender\.json:\n/,
      );
      expect(result.errors[0]).toContain(
        'columns[1].type (column CRN): unknown Oracle type "VARCHAR3(7)"',
      );
    });

    it("names the file of malformed JSON", async () => {
      fs.writeFileSync(path.join(root, "delius", "event.json"), '{ "name": "EVENT", ');
      const result = await evaluateStack("glue_database", "dev", {
        upstream: new Map([["core-dev", coreOutputs]]),
      });
      expect(result.errors[0]).toMatch(/delius\/event\.json:\n {2}- not valid JSON/);
    });
  });
});

describe("errors", () => {
  it("cleans Pulumi's serialization chain from errors", () => {
    expect(cleanError('error serializing property "a": error serializing property "b": boom')).toBe(
      "boom",
    );
  });
});
