import { renderGitHubMarkdown } from "../testing/markdown";
import { NO_TABLE_CHANGES, escapeMarkdown, summaryLines, summaryMarkdown } from "./renderSummary";
import { tableSummary } from "./tableSummary";
import { envOfStack } from "./fromPlans";
import { type ResourceSides } from "./tableState";
import { metadataBundleText } from "../../../lib/contracts/metadataBundle";

// Inputs in the shapes the programs register (see a `plan --json`): the metadata bundle's
// content holds the table files, the Glue table's columns are glueColumns(), the task's mappings
// are pipelines/tableMappings.ts's rules.
type Column = { name: string; type: string; nullable: boolean; description: string };
const col = (name: string, type: string, nullable = true): Column => ({
  name,
  type,
  nullable,
  description: `${name} text`,
});
const table = (name: string, columns: Column[], extra: Record<string, unknown> = {}) => ({
  name,
  schema: "DELIUS_APP_SCHEMA",
  description: `${name} table`,
  primaryKey: [columns[0].name],
  columns,
  ...extra,
});
type Table = ReturnType<typeof table>;
const GLUE: Record<string, string> = {
  "NUMBER(22)": "decimal(22,0)",
  "VARCHAR2(4)": "string",
  "VARCHAR2(7)": "string",
  "VARCHAR2(9)": "string",
  DATE: "timestamp",
  "NUMBER(5,2)": "decimal(5,2)",
  "NUMBER(7,2)": "decimal(7,2)",
};
const metadataBundle = (tables: Table[]) => ({
  bucket: "mojap-dataeng-metadata-dev",
  key: "databases/delius.json",
  content: metadataBundleText(
    "delius",
    tables.map((t) => JSON.stringify(t)),
  ),
});
const glueTable = (t: Table, types: Record<string, string> = GLUE) => ({
  databaseName: "delius_dev",
  name: t.name.toLowerCase(),
  storageDescriptor: {
    columns: t.columns.map((c) => ({
      name: c.name.toLowerCase(),
      type: types[c.type],
      comment: c.description,
    })),
  },
});
const task = (tables: Table[], lob = 64) => ({
  replicationTaskId: "delius-dev-full-load-and-cdc",
  replicationTaskSettings: JSON.stringify({ TargetMetadata: { LobMaxSize: lob } }),
  tableMappings: JSON.stringify({
    rules: [
      ...tables.map((t) => ({
        "rule-type": "selection",
        "rule-name": `include-delius_app_schema-${t.name.toLowerCase()}`,
        "object-locator": { "schema-name": "DELIUS_APP_SCHEMA", "table-name": t.name },
        "rule-action": "include",
      })),
      ...tables.flatMap((t) =>
        ((t as { excludedColumns?: { name: string }[] }).excludedColumns ?? []).map((c) => ({
          "rule-type": "transformation",
          "rule-name": `remove-delius_app_schema-${t.name.toLowerCase()}-${c.name.toLowerCase()}`,
          "rule-target": "column",
          "object-locator": {
            "schema-name": "DELIUS_APP_SCHEMA",
            "table-name": t.name,
            "column-name": c.name,
          },
          "rule-action": "remove-column",
        })),
      ),
      {
        "rule-type": "transformation",
        "rule-name": "rename-schema-delius_app_schema",
        "rule-target": "schema",
        "object-locator": { "schema-name": "DELIUS_APP_SCHEMA" },
        "rule-action": "rename",
        value: "delius",
      },
    ].map((r, i) => ({ ...r, "rule-id": String(i + 1) })),
  }),
});

/** Both sides of a small delius in dev: the metadata bundle, Glue tables and the task. */
function resources(
  before: { tables: Table[]; lob?: number; types?: Record<string, string> },
  after: { tables: Table[]; lob?: number; types?: Record<string, string> },
): ResourceSides[] {
  const out = new Map<string, ResourceSides>();
  const put = (
    stack: string,
    type: string,
    name: string,
    side: "before" | "after",
    inputs: Record<string, unknown>,
  ) => {
    const urn = `urn:pulumi:${stack}::p::${type}::${name}`;
    out.set(urn, { ...(out.get(urn) ?? { stack, type, name, urn }), [side]: inputs });
  };
  for (const [side, s] of [
    ["before", before],
    ["after", after],
  ] as const) {
    put(
      "metadata-dev",
      "aws:s3/bucketObjectv2:BucketObjectv2",
      "delius-bundle",
      side,
      metadataBundle(s.tables),
    );
    for (const t of s.tables) {
      const n = `delius-${t.name.toLowerCase()}`;
      put(
        "glue_database-dev",
        "aws:glue/catalogTable:CatalogTable",
        n,
        side,
        glueTable(t, s.types),
      );
    }
    put(
      "pipelines-dev",
      "aws:dms/replicationTask:ReplicationTask",
      "delius-task",
      side,
      task(s.tables, s.lob),
    );
  }
  return [...out.values()];
}

const OFFENDER = table("OFFENDER", [
  col("OFFENDER_ID", "NUMBER(22)", false),
  col("CRN", "VARCHAR2(7)", false),
]);
const EVENT = table("EVENT", [col("EVENT_ID", "NUMBER(22)", false), col("SCORE", "NUMBER(5,2)")]);
const summary = (...args: Parameters<typeof resources>) =>
  tableSummary(resources(...args), envOfStack);
const lines = (...args: Parameters<typeof resources>) => summaryLines(summary(...args));

describe("tableSummary", () => {
  it("a nullable column added: its Oracle and Glue types; the task keeps running", () => {
    const tier = { ...OFFENDER, columns: [...OFFENDER.columns, col("TIER", "VARCHAR2(4)")] };
    expect(lines({ tables: [OFFENDER, EVENT] }, { tables: [tier, EVENT] })).toEqual([
      "What this does to the data:",
      "dev, delius:",
      "  ~ delius.offender (DELIUS_APP_SCHEMA.OFFENDER)",
      "      + column tier VARCHAR2(4) → string, nullable",
      "  DMS task delius-task (pipelines-dev): no change, keeps running",
    ]);
  });

  it("a task setting changed: stops and restarts, with the value, and reloads no table", () => {
    expect(lines({ tables: [OFFENDER] }, { tables: [OFFENDER], lob: 128 })).toEqual([
      "What this does to the data:",
      "dev, delius:",
      "  DMS task delius-task (pipelines-dev): stops and restarts (the provider stops a running task to modify it)",
      "      replicationTaskSettings.TargetMetadata.LobMaxSize: 64 → 128",
      "      reloads no table: replication resumes where it stopped",
    ]);
  });

  it("a table added and one removed: Glue, the task's mappings and the reload of the new one", () => {
    expect(lines({ tables: [OFFENDER, EVENT] }, { tables: [OFFENDER] })).toEqual([
      "What this does to the data:",
      "dev, delius:",
      "  - delius.event (DELIUS_APP_SCHEMA.EVENT): removed",
      "      DMS: dropped from delius-task: its changes stop flowing (the files already in raw-history stay)",
      "      Glue: table delius_dev.event deleted",
      "      metadata: unpublished: the validation Lambda fails its files",
      "  DMS task delius-task (pipelines-dev): stops and restarts (the provider stops a running task to modify it)",
      "      tableMappings: no longer selects event",
      "      reloads no table: replication resumes where it stopped",
    ]);
    expect(lines({ tables: [OFFENDER] }, { tables: [EVENT, OFFENDER] })).toEqual([
      "What this does to the data:",
      "dev, delius:",
      "  + delius.event (DELIUS_APP_SCHEMA.EVENT): new table",
      "      + column event_id NUMBER(22) → decimal(22,0), NOT NULL",
      "      + column score NUMBER(5,2) → decimal(5,2), nullable",
      "      primary key EVENT_ID",
      "      Glue: table delius_dev.event created",
      "      DMS: delius-task selects it: a full load of the new table once it is reloaded (below)",
      "  DMS task delius-task (pipelines-dev): stops and restarts (the provider stops a running task to modify it)",
      "      tableMappings: selects event",
      "      then reload event: its full load (ReloadTables; the task keeps running)",
    ]);
  });

  it("a column retyped, made NOT NULL, removed, excluded; the key changed", () => {
    const before = table("EVENT", [
      col("EVENT_ID", "NUMBER(22)", false),
      col("SCORE", "NUMBER(5,2)"),
      col("CRN", "VARCHAR2(7)"),
      col("NI_NUMBER", "VARCHAR2(9)"),
      col("OLD", "DATE"),
    ]);
    const after = table(
      "EVENT",
      [
        col("EVENT_ID", "NUMBER(22)", false),
        col("SCORE", "NUMBER(7,2)"),
        col("CRN", "VARCHAR2(7)", false),
      ],
      {
        primaryKey: ["EVENT_ID", "CRN"],
        excludedColumns: [{ name: "NI_NUMBER", reason: "Personal data not needed downstream." }],
      },
    );
    expect(lines({ tables: [before] }, { tables: [after] })).toEqual(
      [
        "What this does to the data:",
        "dev, delius:",
        "  ~ delius.event (DELIUS_APP_SCHEMA.EVENT)",
        "      ~ column score NUMBER(7,2) → decimal(7,2) (was NUMBER(5,2) → decimal(5,2))",
        "      ~ column crn NOT NULL (was nullable)",
        "      - column ni_number VARCHAR2(9) → string: excluded (Personal data not needed downstream.): DMS stops extracting it",
        "      - column old DATE → timestamp",
        "      ~ primary key EVENT_ID, CRN (was EVENT_ID)",
        "  DMS task delius-task (pipelines-dev): stops and restarts (the provider stops a running task to modify it)",
        "tableMappings: removes column event.ni_number",
        "      reloads no table: replication resumes where it stopped",
      ].map((l) => (l.startsWith("tableMappings") ? `      ${l}` : l)),
    );
  });

  it("a Glue type mapping changed in lib/ alone: the same Oracle type, another Glue type", () => {
    const types = { ...GLUE, "NUMBER(5,2)": "double" };
    expect(lines({ tables: [EVENT] }, { tables: [EVENT], types })).toEqual([
      "What this does to the data:",
      "dev, delius:",
      "  ~ delius.event (DELIUS_APP_SCHEMA.EVENT)",
      "      ~ column score NUMBER(5,2) → double (was NUMBER(5,2) → decimal(5,2))",
      "  DMS task delius-task (pipelines-dev): no change, keeps running",
    ]);
  });

  it("adds the data check's lines to each table, with both sides' metadata", () => {
    const tier = { ...OFFENDER, columns: [...OFFENDER.columns, col("TIER", "VARCHAR2(4)")] };
    const seen: string[] = [];
    const s = tableSummary(
      resources({ tables: [OFFENDER] }, { tables: [tier] }),
      envOfStack,
      (t, sides) => {
        seen.push(
          `${t.env}/${t.database}/${t.table}: ${sides.before?.columns.length} → ${sides.after?.columns.length}`,
        );
        return [
          "until the Oracle column TIER exists, OFFENDER files will fail: missing column tier",
        ];
      },
    );
    expect(seen).toEqual(["dev/delius/offender: 2 → 3"]);
    expect(summaryLines(s)).toContain(
      "      validation: until the Oracle column TIER exists, OFFENDER files will fail: missing column tier",
    );
  });

  it("a change that touches no table says so in one line", () => {
    expect(lines({ tables: [OFFENDER] }, { tables: [OFFENDER] })).toEqual([NO_TABLE_CHANGES]);
    expect(summaryMarkdown(summary({ tables: [OFFENDER] }, { tables: [OFFENDER] }))).toBe(
      `### What this does to the data\n\n${NO_TABLE_CHANGES}`,
    );
  });

  it("reads tables only from a bundle object at databases/<db>.json of the bundle's format", () => {
    const tier = { ...OFFENDER, columns: [...OFFENDER.columns, col("TIER", "VARCHAR2(4)")] };
    const withMetadata = (content: string, key = "databases/delius.json") =>
      resources({ tables: [OFFENDER] }, { tables: [tier] }).map((r) =>
        r.type === "aws:s3/bucketObjectv2:BucketObjectv2"
          ? { ...r, after: { ...r.after, key, content } }
          : r,
      );
    const bundle = JSON.parse(metadataBundleText("delius", [JSON.stringify(tier)]));
    const added = "      + column tier VARCHAR2(4) → string, nullable";
    // The Glue column alone shows the change; the published Oracle side is what it was.
    for (const [content, key] of [
      [JSON.stringify({ ...bundle, format: "another" })],
      [JSON.stringify({ ...bundle, tables: "none" })],
      [JSON.stringify(tier)],
      [JSON.stringify(bundle), "databases/delius/offender.json"],
    ])
      expect(summaryLines(tableSummary(withMetadata(content, key), envOfStack))).not.toContain(
        added,
      );
    expect(summaryLines(tableSummary(withMetadata(JSON.stringify(bundle)), envOfStack))).toContain(
      added,
    );
  });
});

describe("summaryMarkdown", () => {
  it("escapes what Markdown would read as markup, and nothing GitHub shows differently", () => {
    const text = "+ a_b _c_ *d* `e` <f> [g](h) | ~~i~~ \\ j";
    expect(escapeMarkdown(text)).toBe(
      "\\+ a_b \\_c\\_ \\*d\\* \\`e\\` \\<f\\> \\[g\\](h) \\| \\~\\~i\\~\\~ \\\\ j",
    );
    expect(renderGitHubMarkdown(escapeMarkdown(text)).html).toBe(
      "<p>+ a_b _c_ *d* `e` &lt;f&gt; [g](h) | ~~i~~ \\ j</p>\n",
    );
  });

  it("renders each table as a list item with its lines, escaped", () => {
    const tier = { ...OFFENDER, columns: [...OFFENDER.columns, col("TIER", "VARCHAR2(4)")] };
    const text = summaryMarkdown(summary({ tables: [OFFENDER] }, { tables: [tier], lob: 128 }));
    const { html } = renderGitHubMarkdown(text);
    expect(html).toBe(
      [
        "<h3>What this does to the data</h3>",
        "<p><strong>dev, delius</strong></p>",
        "<ul>",
        "<li><strong>~ delius.offender (DELIUS_APP_SCHEMA.OFFENDER)</strong>",
        "<ul>",
        "<li>+ column tier VARCHAR2(4) → string, nullable</li>",
        "</ul>",
        "</li>",
        "<li><strong>DMS task delius-task (pipelines-dev): stops and restarts (the provider stops a running task to modify it)</strong>",
        "<ul>",
        "<li>replicationTaskSettings.TargetMetadata.LobMaxSize: 64 → 128</li>",
        "<li>reloads no table: replication resumes where it stopped</li>",
        "</ul>",
        "</li>",
        "</ul>",
        "",
      ].join("\n"),
    );
  });

  it("fits a budget with hundreds of tables: details first, then whole tables, with a note", () => {
    const many = Array.from({ length: 300 }, (_, i) =>
      table(`T${i}`, [col("ID", "NUMBER(22)", false), col("NAME", "VARCHAR2(7)")]),
    );
    const s = summary({ tables: [] }, { tables: many });
    const full = summaryMarkdown(s);
    expect(full.length).toBeGreaterThan(60_000);
    const short = summaryMarkdown(s, 45_000);
    expect(short.length).toBeLessThanOrEqual(45_000);
    expect(short).toContain(
      "- **\\+ delius.t0 (DELIUS_APP_SCHEMA.T0): new table**\n  - \\+ column id",
    );
    expect(short).toMatch(
      /- \*\*\\\+ delius\.t99 \(DELIUS_APP_SCHEMA\.T99\): new table\*\*\n {2}- … 5 more lines: see the workflow log\n- \*\*DMS task delius-task \(pipelines-dev\): stops and restarts/,
    );
    const tiny = summaryMarkdown(s, 3_000);
    expect(tiny.length).toBeLessThanOrEqual(3_000);
    expect(tiny).toMatch(
      /\n… \d+ more tables and tasks not shown to fit GitHub's comment limit: see the workflow log\.$/,
    );
    renderGitHubMarkdown(tiny);
  });
});
