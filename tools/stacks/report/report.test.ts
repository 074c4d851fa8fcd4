import {
  type RunReport,
  type StackReport,
  endLine,
  formatDuration,
  reportJson,
  startLine,
  summaryTable,
  violationLines,
} from "./report";
import { EXEMPTED_URN, exemptedViolation } from "../testing/violations";

const base = { errors: [], policyViolations: [] } as const;
const stacks: StackReport[] = [
  {
    ...base,
    stack: "core-prod",
    project: "core",
    env: "prod",
    status: "succeeded",
    durationMs: 12_345,
    changes: { create: 2, update: 1, replace: 0, delete: 0, same: 40 },
    steps: [],
    output: "not in the JSON",
  },
  {
    ...base,
    stack: "pipelines_base-prod",
    project: "pipelines_base",
    env: "prod",
    status: "failed",
    durationMs: 61_000,
    reason: "pipelines_base-prod: error: boom",
    errors: ["error: boom"],
  },
  {
    ...base,
    stack: "pipelines-prod",
    project: "pipelines",
    env: "prod",
    status: "skipped",
    durationMs: 0,
    reason: "it depends on pipelines_base-prod, which failed",
  },
];
const report: RunReport = {
  command: "up",
  envs: ["prod"],
  local: false,
  durationMs: 73_400,
  stacks,
  warnings: ["dmsRole x would be replaced."],
  exitCode: 1,
};

describe("progress lines", () => {
  it("names the stack, the status, the duration and the change counts", () => {
    expect(startLine("up", "core-prod")).toBe("--> core-prod: up started");
    expect(endLine("up", stacks[0])).toBe(
      "<-- core-prod: up succeeded in 12.3 s (2 to create, 1 to update, 0 to replace, 0 to delete, 40 unchanged)",
    );
    expect(endLine("up", stacks[1])).toBe(
      "<-- pipelines_base-prod: up failed in 1 min 1 s (changes unknown): pipelines_base-prod: error: boom",
    );
    expect(endLine("up", stacks[2])).toBe(
      "<-- pipelines-prod: skipped: it depends on pipelines_base-prod, which failed",
    );
    expect(formatDuration(999)).toBe("1.0 s");
  });
});

describe("the run report", () => {
  it("is a table of every stack with totals and warnings", () => {
    expect(summaryTable(report)).toBe(
      [
        "Run report: up, env prod, 3 stacks in 1 min 13 s",
        "",
        "STACK                RESULT     DURATION   CREATE  UPDATE  REPLACE  DELETE  NOTE",
        "core-prod            succeeded  12.3 s     2       1       0        0",
        "pipelines_base-prod  failed     1 min 1 s  -       -       -        -       pipelines_base-prod: error: boom",
        "pipelines-prod       skipped    -          -       -       -        -       it depends on pipelines_base-prod, which failed",
        "",
        "1 succeeded, 1 failed, 1 skipped. Exit code 1.",
        "",
        "WARNING: dmsRole x would be replaced.",
      ].join("\n"),
    );
  });

  it("gives the same as JSON, without the CLI's output", () => {
    const doc = JSON.parse(reportJson(report));
    expect(doc).toEqual({
      version: 1,
      command: "up",
      envs: ["prod"],
      local: false,
      ok: false,
      exitCode: 1,
      durationMs: 73_400,
      summary: { stacks: 3, succeeded: 1, failed: 1, drifted: 0, skipped: 1, exempted: 0 },
      warnings: ["dmsRole x would be replaced."],
      stacks: [
        {
          stack: "core-prod",
          project: "core",
          env: "prod",
          status: "succeeded",
          durationMs: 12_345,
          changes: { create: 2, update: 1, replace: 0, delete: 0, same: 40 },
          steps: [],
          errors: [],
          policyViolations: [],
        },
        {
          stack: "pipelines_base-prod",
          project: "pipelines_base",
          env: "prod",
          status: "failed",
          durationMs: 61_000,
          reason: "pipelines_base-prod: error: boom",
          errors: ["error: boom"],
          policyViolations: [],
        },
        {
          stack: "pipelines-prod",
          project: "pipelines",
          env: "prod",
          status: "skipped",
          durationMs: 0,
          reason: "it depends on pipelines_base-prod, which failed",
          errors: [],
          policyViolations: [],
        },
      ],
    });
  });
});

describe("the run report's table summary", () => {
  const tables = {
    tables: [
      {
        env: "prod" as const,
        database: "delius",
        table: "offender",
        source: "DELIUS_APP_SCHEMA.OFFENDER",
        change: "changed" as const,
        lines: ["+ column tier VARCHAR2(4) → string, nullable"],
      },
    ],
    tasks: [],
  };
  const withTables: RunReport = { ...report, stacks: [stacks[0]], tables };

  it("opens the report, under its title", () => {
    expect(summaryTable(withTables).split("\n").slice(0, 6)).toEqual([
      "Run report: up, env prod, 1 stacks in 1 min 13 s",
      "",
      "What this does to the data:",
      "prod, delius:",
      "  ~ delius.offender (DELIUS_APP_SCHEMA.OFFENDER)",
      "      + column tier VARCHAR2(4) → string, nullable",
    ]);
  });

  it("is in --json as data, and the steps' inputs are not", () => {
    const doc = JSON.parse(
      reportJson({
        ...withTables,
        stacks: [{ ...stacks[0], stepInputs: [{ urn: "u", type: "t", name: "n", after: {} }] }],
      }),
    );
    expect(doc.tables).toEqual(tables);
    expect(Object.keys(doc)).toEqual([
      "version",
      "command",
      "envs",
      "local",
      "ok",
      "exitCode",
      "durationMs",
      "summary",
      "warnings",
      "tables",
      "stacks",
    ]);
    expect(doc.stacks[0].stepInputs).toBeUndefined();
  });
});

describe("exemptions", () => {
  const urn = EXEMPTED_URN;
  const waived: StackReport = {
    ...stacks[0],
    policyViolations: [
      exemptedViolation,
      {
        policyName: "required-tags",
        enforcementLevel: "advisory",
        message: "missing tag owner",
        urn,
        resourceType: "aws:s3/bucket:Bucket",
        resourceName: "access-logs",
      },
    ],
  };

  it("are listed in the run report, each with its stack, policy, resource and reason", () => {
    const text = summaryTable({ ...report, stacks: [waived, stacks[1]], warnings: [] });
    expect(text.split("\n").slice(-3)).toEqual([
      "",
      "Exemptions (1): reported as advisory, each with its reason",
      "  core-prod  s3-access-logging on aws:s3/bucket:Bucket access-logs: it is the log bucket",
    ]);
    // none: no section at all
    expect(summaryTable(report)).not.toContain("Exemptions");
  });

  it("are counted on the stack's line and marked in its violation lines", () => {
    expect(endLine("up", waived)).toContain(
      "0 mandatory and 2 advisory policy violations (1 exempted)",
    );
    expect(violationLines(waived)).toEqual([
      "    advisory (exempted) s3-access-logging on aws:s3/bucket:Bucket access-logs: access-logs logs nowhere (exempted: it is the log bucket)",
      "    advisory required-tags on aws:s3/bucket:Bucket access-logs: missing tag owner",
    ]);
  });

  it("are counted in --json, and each keeps its reason", () => {
    const doc = JSON.parse(reportJson({ ...report, stacks: [waived] }));
    expect(doc.summary.exempted).toBe(1);
    expect(doc.stacks[0].policyViolations[0].exemption).toBe("it is the log bucket");
  });
});
