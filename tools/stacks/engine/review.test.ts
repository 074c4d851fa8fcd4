/**
 * The DMS task warnings of the real preview: steps read from an engine event log whose events
 * have the shape of sdk/go/common/apitype/events.go (pulumi v3.248.0): resourcePreEvent.metadata
 * with op, urn, type and diffs ("Keys that changed with this step").
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { dmsTaskWarnings } from "../../../pipelines/review";
import { parseEventLog } from "../pulumi/events";
import { renderComment } from "../report/comment";
import { type StackReport } from "../report/report";
import {
  REVIEW_FILE,
  ReviewError,
  loadReview,
  mergeReviews,
  replacingInputs,
  repoReview,
  reviewWarnings,
} from "./review";

const TASK = "aws:dms/replicationTask:ReplicationTask";
const URN = `urn:pulumi:pipelines-dev::pipelines::dataeng:pipelines:DmsPipeline$${TASK}::delius-task`;

const log = (...metadata: object[]) =>
  metadata
    .map((m, i) =>
      JSON.stringify({
        sequence: i,
        timestamp: 0,
        resourcePreEvent: { metadata: { provider: "", ...m } },
      }),
    )
    .join("\n");

function report(steps: StackReport["steps"]): StackReport {
  return {
    stack: "pipelines-dev",
    project: "pipelines",
    env: "dev",
    status: "succeeded",
    durationMs: 1,
    errors: [],
    policyViolations: [],
    steps,
    changes: { create: 0, update: 1, replace: 0, delete: 0, same: 9 },
  };
}

const RESTART =
  "DMS task delius-task in pipelines-dev would be stopped and started again (replicationTaskSettings changed): " +
  "the provider stops a running task to modify it. Deploy when a pause in replication is acceptable.";

describe("dmsTaskWarnings on a real preview's steps", () => {
  it("warns when a task-settings change stops the task, from the engine's diffs", () => {
    const { steps } = parseEventLog(
      log({ op: "update", urn: URN, type: TASK, diffs: ["replicationTaskSettings", "tags"] }),
    );
    expect(steps).toEqual([
      {
        op: "update",
        urn: URN,
        type: TASK,
        name: "delius-task",
        diffs: ["replicationTaskSettings", "tags"],
      },
    ]);
    expect(dmsTaskWarnings([report(steps)])).toEqual([RESTART]);
  });

  it("says nothing when only tags change, and warns when the engine does not say what changes", () => {
    expect(
      dmsTaskWarnings([
        report([
          { op: "update", urn: URN, type: TASK, name: "delius-task", diffs: ["tags", "tagsAll"] },
        ]),
      ]),
    ).toEqual([]);
    expect(
      dmsTaskWarnings([report([{ op: "update", urn: URN, type: TASK, name: "delius-task" }])]),
    ).toEqual([
      "DMS task delius-task in pipelines-dev would be stopped and started again (the engine did not say which inputs change): " +
        "the provider stops a running task to modify it. Deploy when a pause in replication is acceptable. " +
        "A table added to the mappings must then be reloaded before its changes flow.",
    ]);
  });

  it("warns about a replaced or deleted task", () => {
    const { steps } = parseEventLog(
      log(
        { op: "create-replacement", urn: URN, type: TASK, diffs: ["replicationTaskId"] },
        { op: "replace", urn: URN, type: TASK, diffs: ["replicationTaskId"] },
      ),
    );
    expect(dmsTaskWarnings([report(steps)])).toEqual([
      "DMS task delius-task in pipelines-dev would be replaced (replicationTaskId changed): the new task starts with a full load of every table again.",
    ]);
    expect(
      dmsTaskWarnings([report([{ op: "delete", urn: URN, type: TASK, name: "delius-task" }])]),
    ).toEqual([
      "DMS task delius-task in pipelines-dev would be deleted: replication of its tables stops.",
    ]);
  });

  it("puts the warning at the top of the preview comment", () => {
    const steps = [
      {
        op: "update",
        urn: URN,
        type: TASK,
        name: "delius-task",
        diffs: ["replicationTaskSettings"],
      },
    ];
    const comment = renderComment([{ env: "dev", stacks: [report(steps)] }]);
    // Right under the table summary, which leads (events without old/new inputs: not known).
    expect(comment).toContain(
      `## Pulumi preview\n\n### What this does to the data\n\nNot known: no stack's engine event log was read (see the workflow log).\n\n> [!WARNING]\n>\n> **${RESTART}**\n\n`,
    );
  });
});

describe("the review registry (engine/review.ts)", () => {
  const roots: string[] = [];
  afterAll(() => roots.forEach((r) => fs.rmSync(r, { recursive: true, force: true })));

  function rootWith(files: Record<string, string>): string {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "stacks-review-"));
    roots.push(root);
    for (const [project, text] of Object.entries(files)) {
      fs.mkdirSync(path.join(root, project));
      fs.writeFileSync(path.join(root, project, REVIEW_FILE), text);
    }
    return root;
  }

  it("collects the projects' rules, caution first, and merges their replace-on-change rows", () => {
    const review = repoReview();
    expect(review.rules.map((r) => [r.id, r.severity])).toEqual([
      ["pipelines/dmsRole", "caution"],
      ["pipelines/dmsTask", "warning"],
    ]);
    expect(review.replaceOnChanges["aws:dms/replicationTask:ReplicationTask"]?.inputs).toEqual([
      "replicationTaskId",
      "replicationInstanceArn",
      "sourceEndpointArn",
      "targetEndpointArn",
    ]);
    expect(
      review.replaceOnChanges["aws:dms/replicationSubnetGroup:ReplicationSubnetGroup"]?.inputs,
    ).toEqual(["replicationSubnetGroupId"]);
    expect(replacingInputs("aws:iam/role:Role", ["name", "tags"])).toEqual(["name"]);
    expect(replacingInputs("aws:unknown/thing:Thing", ["name"])).toBeUndefined();
  });

  it("warns dmsRole before the task, whatever the order of the steps", () => {
    const warnings = reviewWarnings([
      report([
        { op: "replace", urn: URN, type: TASK, name: "delius-task", diffs: ["replicationTaskId"] },
        {
          op: "delete",
          urn: "urn:pulumi:pipelines-dev::pipelines::aws:iam/role:Role::delius-dms-role",
          type: "aws:iam/role:Role",
          name: "delius-dms-role",
        },
      ]),
    ]);
    expect(warnings.map((w) => w.slice(0, 40))).toEqual([
      "dmsRole delius-dms-role in pipelines-dev",
      "DMS task delius-task in pipelines-dev wo",
    ]);
  });

  it("refuses a type that two files declare, naming both", () => {
    const row = { inputs: ["name"], source: "x" };
    expect(() =>
      mergeReviews([
        { file: "core/review.ts", review: { replaceOnChanges: { "aws:x/y:Y": row } } },
        { file: "metadata/review.ts", review: { replaceOnChanges: { "aws:x/y:Y": row } } },
      ]),
    ).toThrow(
      new ReviewError(
        "metadata/review.ts: replaceOnChanges declares aws:x/y:Y, which core/review.ts declares already; keep one of them.",
      ),
    );
    expect(() =>
      mergeReviews([
        { file: "core/review.ts", review: { replaceOnChanges: { "aws:iam/role:Role": row } } },
      ]),
    ).toThrow(/core\/review.ts: .*aws:iam\/role:Role, which lib\/model\/awsReplaceOnChanges.ts/);
  });

  it("says which file is wrong and where: a missing export, a bad severity", () => {
    expect(() => loadReview(rootWith({ core: "export const rules = [];\n" }))).toThrow(
      "core/review.ts: `export const review: ProjectReview` (lib/model/review.ts) is invalid: the file does not export review.",
    );
    const bad = `export const review = { rules: [{ id: "x", severity: "loud", findings: () => [] }] };\n`;
    expect(() => loadReview(rootWith({ metadata: bad }))).toThrow(
      /^metadata\/review.ts: `export const review: ProjectReview` \(lib\/model\/review.ts\) is invalid at rules.0.severity: /,
    );
  });

  it("needs no review.ts: a project without one adds nothing", () => {
    const review = loadReview(rootWith({}));
    expect(review.rules).toEqual([]);
    expect("aws:dms/replicationTask:ReplicationTask" in review.replaceOnChanges).toBe(false);
    expect("aws:s3/bucket:Bucket" in review.replaceOnChanges).toBe(true);
  });
});
