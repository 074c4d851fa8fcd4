/**
 * The table summary of a real preview, from the engine's event log: resourcePreEvent.metadata
 * with `old`/`new` StepEventStateMetadata and their `inputs` (sdk/go/common/apitype/events.go,
 * pulumi v3.248.0), as the CLI writes them with --event-log.
 */
import { parseEventLog } from "../pulumi/events";
import { summaryLines } from "./renderSummary";
import { hasStepInputs, stacksTableSummary } from "./fromSteps";
import { metadataBundleText } from "../../../lib/contracts/metadataBundle";

const GLUE = "aws:glue/catalogTable:CatalogTable";
const OBJECT = "aws:s3/bucketObjectv2:BucketObjectv2";
const TASK = "aws:dms/replicationTask:ReplicationTask";
const urn = (stack: string, type: string, name: string) =>
  `urn:pulumi:${stack}::${stack.split("-")[0]}::${type}::${name}`;
/** delius's metadata bundle with one table, OFFENDER, of these columns. */
const offender = (columns: { name: string; type: string }[]) => ({
  key: "databases/delius.json",
  content: metadataBundleText("delius", [
    JSON.stringify({
      name: "OFFENDER",
      schema: "DELIUS_APP_SCHEMA",
      primaryKey: ["OFFENDER_ID"],
      columns: columns.map((c) => ({ ...c, nullable: c.name !== "OFFENDER_ID", description: "d" })),
    }),
  ]),
});
const glue = (columns: { name: string; type: string }[]) => ({
  databaseName: "delius_dev",
  name: "offender",
  storageDescriptor: { columns },
});
const task = (lob: number) => ({
  replicationTaskId: "delius-dev-full-load-and-cdc",
  replicationTaskSettings: JSON.stringify({ TargetMetadata: { LobMaxSize: lob } }),
  tableMappings: JSON.stringify({
    rules: [
      {
        "rule-type": "selection",
        "rule-id": "1",
        "rule-name": "include-delius_app_schema-offender",
        "object-locator": { "schema-name": "DELIUS_APP_SCHEMA", "table-name": "OFFENDER" },
        "rule-action": "include",
      },
    ],
  }),
});
const event = (seq: number, op: string, u: string, type: string, old?: object, now?: object) =>
  JSON.stringify({
    sequence: seq,
    timestamp: 0,
    resourcePreEvent: {
      metadata: {
        op,
        urn: u,
        type,
        old: old ? { type, urn: u, inputs: old, outputs: {} } : null,
        new: now ? { type, urn: u, inputs: now, outputs: {} } : null,
        provider: "",
      },
      planning: true,
    },
  });

describe("the table summary of a real preview", () => {
  it("reads the metadata bundle, Glue table and task from the steps' old and new inputs", () => {
    const id = { name: "OFFENDER_ID", type: "NUMBER(22)" };
    const tier = { name: "TIER", type: "VARCHAR2(4)" };
    const glueId = { name: "offender_id", type: "decimal(22,0)" };
    const log = [
      event(
        1,
        "update",
        urn("metadata-dev", OBJECT, "delius-bundle"),
        OBJECT,
        offender([id]),
        offender([id, tier]),
      ),
      event(
        2,
        "update",
        urn("glue_database-dev", GLUE, "delius-offender"),
        GLUE,
        glue([glueId]),
        glue([glueId, { name: "tier", type: "string" }]),
      ),
      event(3, "update", urn("pipelines-dev", TASK, "delius-task"), TASK, task(64), task(128)),
    ].join("\n");
    const stacks = ["metadata-dev", "glue_database-dev", "pipelines-dev"].map((stack) => ({
      stack,
      stepInputs: parseEventLog(log).inputs.filter((i) => i.urn.includes(`:${stack}::`)),
    }));
    expect(hasStepInputs(stacks)).toBe(true);
    expect(summaryLines(stacksTableSummary(stacks))).toEqual([
      "What this does to the data:",
      "dev, delius:",
      "  ~ delius.offender (DELIUS_APP_SCHEMA.OFFENDER)",
      "      + column tier VARCHAR2(4) → string, nullable",
      "  DMS task delius-task (pipelines-dev): stops and restarts (the provider stops a running task to modify it)",
      "      replicationTaskSettings.TargetMetadata.LobMaxSize: 64 → 128",
      "      reloads no table: replication resumes where it stopped",
    ]);
  });

  it("a task replaced by the engine reloads every table it selects", () => {
    const u = urn("pipelines-dev", TASK, "delius-task");
    const log = [
      event(1, "create-replacement", u, TASK, task(64), { ...task(64), replicationTaskId: "x" }),
      event(2, "replace", u, TASK, task(64), { ...task(64), replicationTaskId: "x" }),
    ].join("\n");
    expect(
      summaryLines(
        stacksTableSummary([{ stack: "pipelines-dev", stepInputs: parseEventLog(log).inputs }]),
      ),
    ).toEqual([
      "What this does to the data:",
      "dev, delius:",
      "  DMS task delius-task (pipelines-dev): REPLACED: the new task starts with a full load of every table (1)",
      '      replicationTaskId: "delius-dev-full-load-and-cdc" → "x"',
    ]);
  });

  it("knows nothing without old/new inputs (the text fallback, an old event log)", () => {
    const log = JSON.stringify({
      resourcePreEvent: {
        metadata: { op: "update", urn: urn("pipelines-dev", TASK, "t"), type: TASK },
      },
    });
    expect(hasStepInputs([{ stepInputs: parseEventLog(log).inputs }])).toBe(false);
  });
});
