import { dmsRoleChanges } from "../../../pipelines/review";
import { COMMENT_MARKER, type EnvPreview, renderComment, trimText, waterFill } from "./comment";
import { renderGitHubMarkdown } from "../testing/markdown";
import { type StackReport } from "./report";
import { metadataBundleText } from "../../../lib/contracts/metadataBundle";
import { EXEMPTED_URN, exemptedViolation } from "../testing/violations";

const ROLE =
  "urn:pulumi:pipelines-prod::pipelines::dataeng:pipelines:DmsPipeline$aws:iam/role:Role::oasys-dms-role";

function stack(
  project: string,
  env: "dev" | "preprod" | "prod",
  extra: Partial<StackReport> = {},
): StackReport {
  return {
    stack: `${project}-${env}`,
    project: project as StackReport["project"],
    env,
    status: "succeeded",
    durationMs: 1000,
    changes: { create: 1, update: 2, replace: 0, delete: 0, same: 10 },
    errors: [],
    policyViolations: [],
    output: `Previewing update (${project}-${env}):\n  + aws:s3/bucket:Bucket: (create)`,
    ...extra,
  };
}

const prod: EnvPreview = {
  env: "prod",
  stacks: [
    stack("core", "prod"),
    stack("pipelines", "prod", {
      changes: { create: 0, update: 0, replace: 1, delete: 0, same: 40 },
      steps: [{ op: "replace", urn: ROLE, type: "aws:iam/role:Role", name: "oasys-dms-role" }],
      policyViolations: [
        {
          policyName: "required-tags",
          enforcementLevel: "advisory",
          message: "missing tag owner",
          urn: ROLE,
          resourceType: "aws:iam/role:Role",
          resourceName: "oasys-dms-role",
        },
      ],
    }),
    stack("glue_database", "prod", {
      status: "skipped",
      reason: "it depends on metadata-prod, which failed",
      changes: undefined,
    }),
    stack("metadata", "prod", {
      status: "failed",
      reason: "metadata-prod: error: boom",
      changes: undefined,
      errors: ["error: boom"],
    }),
  ],
};

describe("renderComment", () => {
  it("puts the dmsRole warning first, then a table per environment, policy results and diffs", () => {
    const md = renderComment([{ env: "dev", stacks: [stack("core", "dev")] }, prod]);
    const lines = md.split("\n");
    expect(lines[0]).toBe(COMMENT_MARKER);
    expect(lines[2]).toBe("## Pulumi preview");
    expect(md).toContain(
      "> [!CAUTION]\n>\n> **dmsRole oasys-dms-role in pipelines-prod would be replaced.**",
    );
    expect(md).toContain(
      "> The landing bucket policy in data-engineering-infra grants this role's ARN",
    );
    expect(md.indexOf("[!CAUTION]")).toBeLessThan(md.indexOf("### dev"));
    expect(md.indexOf("### dev")).toBeLessThan(md.indexOf("### prod"));
    expect(md).toContain("| project | result | creates | updates | replaces | deletes | note |");
    expect(md).toContain("| core | ✅ succeeded | 1 | 2 | 0 | 0 |  |");
    expect(md).toContain("| pipelines | ✅ succeeded | 0 | 0 | 1 | 0 |  |");
    expect(md).toContain("| metadata | ❌ failed | - | - | - | - | metadata-prod: error: boom |");
    expect(md).toContain(
      "| glue_database | ⏭️ skipped | - | - | - | - | it depends on metadata-prod, which failed |",
    );
    expect(md).toContain("**1 stack(s) failed**");
    expect(md).toContain("**Policy results (prod)**: 0 mandatory, 1 advisory.");
    expect(md).toContain(
      "- ⚠️ advisory `required-tags` on `aws:iam/role:Role` `oasys-dms-role` (pipelines-prod): missing tag owner",
    );
    expect(md).toContain(
      "<details><summary>core-prod: succeeded, 1 to create, 2 to update, 0 to replace, 0 to delete, 10 unchanged</summary>",
    );
    expect(md).toContain(
      "```diff\nPreviewing update (core-prod):\n  + aws:s3/bucket:Bucket: (create)\n```",
    );
    expect(md).toContain("<details><summary>metadata-prod: failed</summary>");
  });

  it("lists an exemption after the mandatory findings, with its reason", () => {
    const urn = EXEMPTED_URN;
    const md = renderComment([
      {
        env: "prod",
        stacks: [
          stack("core", "prod", {
            policyViolations: [
              {
                policyName: "required-tags",
                enforcementLevel: "advisory",
                message: "missing tag owner",
                urn,
              },
              exemptedViolation,
              { policyName: "kms", enforcementLevel: "mandatory", message: "no key", urn },
            ],
          }),
        ],
      },
    ]);
    expect(md).toContain(
      "**Policy results (prod)**: 1 mandatory, 2 advisory (1 exempted, each with its reason).",
    );
    const lines = md.split("\n").filter((l) => l.startsWith("- "));
    expect(lines).toEqual([
      `- ❌ mandatory \`kms\` on \`${urn}\` (core-prod): no key`,
      "- 🔕 exempted (reason: it is the log bucket) `s3-access-logging` on `aws:s3/bucket:Bucket` `access-logs` (core-prod): access-logs logs nowhere (exempted: it is the log bucket)",
      `- ⚠️ advisory \`required-tags\` on \`${urn}\` (core-prod): missing tag owner`,
    ]);
  });

  it("warns about a deleted dmsRole too, and not about other roles", () => {
    const stacks = [
      stack("pipelines", "dev", {
        steps: [
          {
            op: "delete",
            urn: "urn:x::delius-dms-role",
            type: "aws:iam/role:Role",
            name: "delius-dms-role",
          },
          {
            op: "replace",
            urn: "urn:x::delius-validate-role",
            type: "aws:iam/role:Role",
            name: "delius-validate-role",
          },
          {
            op: "update",
            urn: "urn:x::oasys-dms-role",
            type: "aws:iam/role:Role",
            name: "oasys-dms-role",
          },
        ],
      }),
    ];
    expect(dmsRoleChanges(stacks)).toEqual([
      {
        stack: "pipelines-dev",
        name: "delius-dms-role",
        urn: "urn:x::delius-dms-role",
        action: "deleted",
      },
    ]);
    expect(renderComment([{ env: "dev", stacks }])).toContain(
      "**dmsRole delius-dms-role in pipelines-dev would be deleted.**",
    );
    expect(renderComment([{ env: "dev", stacks: [stack("core", "dev")] }])).not.toContain(
      "CAUTION",
    );
  });

  it("uses a longer fence when a diff holds backticks", () => {
    const md = renderComment([
      { env: "dev", stacks: [stack("core", "dev", { output: "a ``` b" })] },
    ]);
    expect(md).toContain("````diff\na ``` b\n````");
  });

  it("stays under GitHub's limit by trimming diffs, never the summary or the warning", () => {
    const huge = (n: number) =>
      Array.from(
        { length: n },
        (_, i) => `    ~ aws:glue/catalogTable:CatalogTable: (update) table_${i}`,
      ).join("\n");
    const previews: EnvPreview[] = [
      {
        env: "prod",
        stacks: [
          stack("core", "prod", { output: "short diff" }),
          stack("pipelines", "prod", { output: huge(3000), steps: prod.stacks[1].steps }),
          stack("glue_database", "prod", { output: huge(2000) }),
        ],
      },
    ];
    const full = renderComment(previews, { limit: 10_000_000 });
    expect(full.length).toBeGreaterThan(65_536);
    const md = renderComment(previews);
    expect(md.length).toBeLessThanOrEqual(65_536);
    expect(md.length).toBeGreaterThan(60_000);
    expect(md).toContain("[!CAUTION]");
    expect(md).toContain("| pipelines | ✅ succeeded | 1 | 2 | 0 | 0 |  |");
    expect(md).toContain("short diff");
    expect(md).toContain("more lines trimmed to fit GitHub's comment limit: see the workflow log.");
    // The two long diffs share the room.
    const kept = (name: string) =>
      md.split(`<details><summary>${name}`)[1].split("</details>")[0].length;
    expect(Math.abs(kept("pipelines-prod") - kept("glue_database-prod"))).toBeLessThan(500);
  });

  describe("the table summary", () => {
    // Steps as the engine's event log gives them (pulumi/events.ts StepInputs): n new tables,
    // in delius's metadata bundle, and a Glue table each, created.
    const created = (n: number): Partial<StackReport>[] => {
      const names = Array.from({ length: n }, (_, i) => `table_${i}`);
      const urn = (stack: string, type: string, t: string) =>
        `urn:pulumi:${stack}::p::${type}::delius-${t}`;
      return [
        {
          stepInputs: [
            {
              urn: urn("metadata-prod", "aws:s3/bucketObjectv2:BucketObjectv2", "bundle"),
              type: "aws:s3/bucketObjectv2:BucketObjectv2",
              name: "delius-bundle",
              after: {
                key: "databases/delius.json",
                content: metadataBundleText(
                  "delius",
                  names.map((t) =>
                    JSON.stringify({
                      name: t.toUpperCase(),
                      schema: "DELIUS_APP_SCHEMA",
                      primaryKey: ["ID"],
                      columns: [
                        { name: "ID", type: "NUMBER(22)", nullable: false, description: "d" },
                      ],
                    }),
                  ),
                ),
              },
            },
          ],
        },
        {
          stepInputs: names.map((t) => ({
            urn: urn("glue_database-prod", "aws:glue/catalogTable:CatalogTable", t),
            type: "aws:glue/catalogTable:CatalogTable",
            name: `delius-${t}`,
            after: {
              databaseName: "delius_prod",
              name: t,
              storageDescriptor: { columns: [{ name: "id", type: "decimal(22,0)" }] },
            },
          })),
        },
      ];
    };
    const huge = (n: number) =>
      Array.from(
        { length: n },
        (_, i) => `    + aws:glue/catalogTable:CatalogTable: (create) t${i}`,
      ).join("\n");
    const previews = (tables: number, diffLines: number): EnvPreview[] => {
      const [metadata, glue] = created(tables);
      return [
        {
          env: "prod",
          stacks: [
            stack("metadata", "prod", { ...metadata, output: huge(diffLines) }),
            stack("pipelines", "prod", { steps: prod.stacks[1].steps }),
            stack("glue_database", "prod", { ...glue, output: huge(diffLines) }),
          ],
        },
      ];
    };

    it("leads the comment, whole, while the diffs are trimmed", () => {
      const md = renderComment(previews(2, 3000));
      expect(md.length).toBeLessThanOrEqual(65_536);
      expect(md).toMatch(
        new RegExp(
          `^${COMMENT_MARKER}\\n\\n## Pulumi preview\\n\\n### What this does to the data\\n\\n\\*\\*prod, delius\\*\\*\\n\\n- \\*\\*\\\\\\+ delius\\.table_0 \\(DELIUS_APP_SCHEMA\\.TABLE_0\\): new table\\*\\*\\n  - \\\\\\+ column id NUMBER\\(22\\) → decimal\\(22,0\\), NOT NULL\\n  - primary key ID\\n  - Glue: table delius_prod\\.table_0 created\\n- `,
        ),
      );
      expect(md).toContain("more lines trimmed to fit GitHub's comment limit");
      const rendered = renderGitHubMarkdown(md);
      expect(rendered.alerts.map((a) => a.kind)).toEqual(["CAUTION"]);
      expect(rendered.tables).toHaveLength(1);
      expect(rendered.details).toEqual({ opened: 3, closed: 3 });
    });

    it("with hundreds of tables changed: diffs omitted first, then the summary trimmed to fit", () => {
      const md = renderComment(previews(1500, 2000));
      expect(md.length).toBeLessThanOrEqual(65_536);
      expect(md).toContain("Diff omitted to fit GitHub's comment limit");
      expect(md).toContain("- **\\+ delius.table_0 (DELIUS_APP_SCHEMA.TABLE_0): new table**");
      expect(md).toMatch(/… \d+ more tables and tasks not shown to fit GitHub's comment limit/);
      expect(md).toContain("[!CAUTION]");
      expect(md).toContain("| pipelines | ✅ succeeded | 1 | 2 | 0 | 0 |  |");
      renderGitHubMarkdown(md);
    });

    it("says when no event log gave the steps' inputs", () => {
      expect(renderComment([prod])).toContain(
        "### What this does to the data\n\nNot known: no stack's engine event log was read (see the workflow log).",
      );
    });
  });

  it("omits diffs, then shortens the policy list, when even that is needed", () => {
    const violations = Array.from({ length: 200 }, (_, i) => ({
      policyName: `p${i}`,
      enforcementLevel: (i === 150 ? "mandatory" : "advisory") as "mandatory" | "advisory",
      message: "x".repeat(100),
    }));
    const previews: EnvPreview[] = [
      {
        env: "dev",
        stacks: [stack("core", "dev", { policyViolations: violations, output: "d".repeat(5000) })],
      },
    ];
    const md = renderComment(previews, { limit: 8000 });
    expect(md.length).toBeLessThanOrEqual(8000);
    expect(md).toContain("**Policy results (dev)**: 1 mandatory, 199 advisory.");
    expect(md).toContain("❌ mandatory `p150`");
    expect(md).toMatch(/- … \d+ more not shown to fit GitHub's comment limit/);
    expect(md).toContain("Diff omitted to fit GitHub's comment limit");
    expect(md).toContain("| core | ✅ succeeded | 1 | 2 | 0 | 0 |  |");
  });
});

describe("helpers", () => {
  it("water-fills budgets: short items whole, long ones share the rest", () => {
    expect(
      waterFill(
        [
          ["a", 10],
          ["b", 1000],
          ["c", 1000],
        ],
        310,
      ),
    ).toEqual(
      new Map([
        ["a", 10],
        ["b", 150],
        ["c", 150],
      ]),
    );
  });

  it("trims text at a line boundary with a note", () => {
    expect(trimText("aaa\nbbb\nccc", 100)).toBe("aaa\nbbb\nccc");
    expect(trimText("aaa\nbbb\nccc", 8)).toBe(
      "aaa\nbbb\n… 1 more lines trimmed to fit GitHub's comment limit: see the workflow log.",
    );
  });
});
