import * as fs from "node:fs";
import * as path from "node:path";
import { main } from "../cli";
import {
  type PlanDocument,
  changedPaths,
  comparePlans,
  diffStacks,
  diffWarnings,
  formatDiff,
} from "./diff";
import { copyRepository } from "../testing/gitRepo";
import { renderGitHubMarkdown } from "../testing/markdown";
import { NO_TABLE_CHANGES } from "../review/renderSummary";

describe("changedPaths", () => {
  it("names the paths that differ, comparing JSON strings parsed", () => {
    expect(
      changedPaths(
        {
          name: "a",
          policy: '{"Statement":[{"Effect":"Allow","Action":"s3:GetObject"}]}',
          tags: { "is-production": "false" },
        },
        {
          name: "a",
          policy: '{"Statement":[{"Effect":"Allow","Action":"s3:*"}]}',
          tags: { "is-production": "true" },
        },
      ),
    ).toEqual(["policy.Statement[0].Action", 'tags["is-production"]']);
  });

  it("reports an array that gained or lost items once, not item by item", () => {
    expect(changedPaths({ rules: [1, 2, 3] }, { rules: [1, 9, 2, 3] })).toEqual(["rules"]);
    expect(changedPaths({ rules: [1, 2, 3] }, { rules: [1, 9, 3] })).toEqual(["rules[1]"]);
  });

  it("reports added and removed inputs, and nothing for equal values", () => {
    expect(changedPaths({ a: 1 }, { b: 1 })).toEqual(["a", "b"]);
    expect(changedPaths({ a: [{ b: "x" }] }, { a: [{ b: "x" }] })).toEqual([]);
  });
});

const resource = (
  type: string,
  name: string,
  inputs?: Record<string, unknown>,
  keyInputs = {},
) => ({
  type,
  name,
  urn: `urn:pulumi:pipelines-dev::pipelines::${type}::${name}`,
  keyInputs,
  ...(inputs ? { inputs } : {}),
});
const stack = (
  resources: ReturnType<typeof resource>[],
  status = "succeeded",
  stackName = "pipelines-dev",
) => ({
  stack: stackName,
  project: "pipelines" as const,
  env: "dev" as const,
  status,
  errors: status === "failed" ? [`${stackName}: it broke`] : [],
  ...(status === "failed" ? { reason: `${stackName}: it broke` } : {}),
  resources,
});
const ROLE = "aws:iam/role:Role";
const TASK = "aws:dms/replicationTask:ReplicationTask";

describe("comparePlans", () => {
  const base: PlanDocument = {
    stacks: [
      stack([
        resource(ROLE, "delius-dms-role", { name: "dataeng-delius-dms-dev", path: "/" }),
        resource(TASK, "delius-task", {
          replicationTaskId: "t",
          tableMappings: '{"rules":[]}',
          tags: { a: "1" },
        }),
        resource("aws:kms/key:Key", "gone", { description: "x" }),
      ]),
    ],
  };

  it("marks replace-on-change inputs as replacements and warns about the dmsRole and the task", () => {
    const head: PlanDocument = {
      stacks: [
        stack([
          resource(ROLE, "delius-dms-role", { name: "dataeng-delius-dms-role-dev", path: "/" }),
          resource(TASK, "delius-task", {
            replicationTaskId: "t",
            tableMappings: '{"rules":[{"rule-id":"1"}]}',
            tags: { a: "2" },
          }),
          resource("aws:glue/catalogTable:CatalogTable", "delius-new", { name: "new" }),
        ]),
      ],
    };
    const diffs = comparePlans(base, head);
    expect(diffs).toEqual([
      {
        stack: "pipelines-dev",
        project: "pipelines",
        env: "dev",
        status: "compared",
        errors: [],
        keyInputsOnly: false,
        added: [
          {
            type: "aws:glue/catalogTable:CatalogTable",
            name: "delius-new",
            urn: "urn:pulumi:pipelines-dev::pipelines::aws:glue/catalogTable:CatalogTable::delius-new",
          },
        ],
        removed: [
          {
            type: "aws:kms/key:Key",
            name: "gone",
            urn: "urn:pulumi:pipelines-dev::pipelines::aws:kms/key:Key::gone",
          },
        ],
        changed: [
          {
            type: ROLE,
            name: "delius-dms-role",
            urn: `urn:pulumi:pipelines-dev::pipelines::${ROLE}::delius-dms-role`,
            paths: ["name"],
            replacedBy: ["name"],
            values: [
              {
                path: "name",
                before: '"dataeng-delius-dms-dev"',
                after: '"dataeng-delius-dms-role-dev"',
              },
            ],
          },
          {
            type: TASK,
            name: "delius-task",
            urn: `urn:pulumi:pipelines-dev::pipelines::${TASK}::delius-task`,
            paths: ["tableMappings.rules", "tags.a"],
            replacedBy: [],
            values: [
              { path: "tableMappings.rules[0]", after: '{"rule-id":"1"}' },
              { path: "tags.a", before: '"1"', after: '"2"' },
            ],
          },
        ],
      },
    ]);
    expect(diffWarnings(diffs)).toEqual([
      // comment.ts's dmsRole warning, word for word, as the real preview's comment has it.
      "dmsRole delius-dms-role in pipelines-dev would be replaced. The landing bucket policy in data-engineering-infra grants this role's ARN: after this deploy, recreate that policy (re-run data-engineering-infra's deploy), or DMS can no longer write to the landing bucket.",
      "DMS task delius-task in pipelines-dev would be stopped and started again (tableMappings changed): the provider stops a running task to modify it. Deploy when a pause in replication is acceptable. A table added to the mappings must then be reloaded before its changes flow.",
    ]);
  });

  it("does not warn about a task whose tags alone changed, and warns when a task is replaced", () => {
    const tagsOnly: PlanDocument = {
      stacks: [
        stack([
          base.stacks[0].resources![0],
          resource(TASK, "delius-task", {
            replicationTaskId: "t",
            tableMappings: '{"rules":[]}',
            tags: { a: "9" },
          }),
        ]),
      ],
    };
    expect(diffWarnings(comparePlans(base, tagsOnly))).toEqual([]);
    const renamed: PlanDocument = {
      stacks: [
        stack([
          base.stacks[0].resources![0],
          resource(TASK, "delius-task", {
            replicationTaskId: "u",
            tableMappings: '{"rules":[]}',
            tags: { a: "1" },
          }),
        ]),
      ],
    };
    expect(diffWarnings(comparePlans(base, renamed))).toEqual([
      "DMS task delius-task in pipelines-dev would be replaced (replicationTaskId changed): the new task starts with a full load of every table again.",
    ]);
  });

  it("compares key inputs when the base plan predates full inputs, and says so", () => {
    const old: PlanDocument = { stacks: [stack([resource(ROLE, "r", undefined, { name: "a" })])] };
    const head: PlanDocument = {
      stacks: [stack([resource(ROLE, "r", { name: "b", path: "/" }, { name: "b" })])],
    };
    const [d] = comparePlans(old, head);
    expect(d.keyInputsOnly).toBe(true);
    expect(d.changed.map((c) => [c.paths, c.replacedBy])).toEqual([[["name"], ["name"]]]);
    expect(
      formatDiff({
        base: { rev: "main", commit: "0123456789abcdef" },
        envs: ["dev"],
        stacks: [d],
        warnings: [],
        unknownTypes: [],
        tables: { tables: [], tasks: [] },
      }),
    ).toBe(
      [
        "Offline diff: base main (0123456789ab) -> working tree, dev",
        NO_TABLE_CHANGES,
        "pipelines-dev: 0 to add, 0 to remove, 0 to update, 1 to replace (the base plan has key inputs only: compared those)",
        "  +- aws:iam/role:Role r: name (replaced: name cannot change in place)",
        '       name: "a" → "b"',
      ].join("\n"),
    );
  });

  it("reports a stack that either side failed to plan as not compared", () => {
    const [d] = comparePlans({ stacks: [stack([], "failed")] }, { stacks: [stack([])] });
    expect(d.status).toBe("failed");
    expect(d.errors).toEqual(["the base revision's plan failed: pipelines-dev: it broke"]);
  });
});

describe("stacks diff on a real git repository", () => {
  let repo: ReturnType<typeof copyRepository>;
  const out: string[] = [];
  const err: string[] = [];
  const io = {
    out: (l: string) => void out.push(l),
    err: (l: string) => void err.push(l),
    interactive: false,
    prompt: () => Promise.reject(new Error("no prompt")),
  };
  const edit = (file: string, from: string, to: string) => {
    const p = path.join(repo.dir, file);
    const text = fs.readFileSync(p, "utf8");
    if (!text.includes(from)) throw new Error(`${file} does not contain ${from}`);
    fs.writeFileSync(p, text.replace(from, to));
  };
  type TableFile = {
    primaryKey: string[];
    columns: { name: string; type: string; nullable: boolean; description: string }[];
    excludedColumns?: { name: string; reason: string }[];
  };
  const tables = (f: string) => path.join(repo.dir, "metadata", "databases", "delius", f);

  beforeAll(() => {
    repo = copyRepository();
    // The working tree: each kind of table change (issue 19), the LOB size raised, the dmsRole
    // renamed. A table renamed (one added, one removed):
    const rqmnt = JSON.parse(fs.readFileSync(tables("rqmnt.json"), "utf8"));
    fs.rmSync(tables("rqmnt.json"));
    fs.writeFileSync(
      tables("rqmnt_history.json"),
      JSON.stringify({ ...rqmnt, name: "RQMNT_HISTORY" }, null, 2) + "\n",
    );
    const change = (file: string, how: (t: TableFile) => void) => {
      const t = JSON.parse(fs.readFileSync(tables(file), "utf8")) as TableFile;
      how(t);
      fs.writeFileSync(tables(file), JSON.stringify(t, null, 2) + "\n");
    };
    // A nullable column added; a column retyped; a column excluded; a primary key widened.
    change("offender.json", (t) =>
      t.columns.push({
        name: "TIER",
        type: "VARCHAR2(4)",
        nullable: true,
        description: "Management tier code.",
      }),
    );
    change("event.json", (t) => {
      t.columns.find((c) => c.name === "EVENT_NUMBER")!.type = "NUMBER(10)";
    });
    change("contact.json", (t) => {
      t.columns = t.columns.filter((c) => c.name !== "CONTACT_START_TIME");
      t.excludedColumns = [{ name: "CONTACT_START_TIME", reason: "Not needed downstream." }];
    });
    change("offender_manager.json", (t) => t.primaryKey.push("OFFENDER_ID"));
    // The stack file leaves lobMaxSizeKb at the schema's default (64): setting it raises it.
    edit(
      "pipelines/Pulumi.pipelines-dev.yaml",
      "  pipelines:landingBucketName: mojap-land-dev\n",
      "  pipelines:landingBucketName: mojap-land-dev\n  pipelines:lobMaxSizeKb: 128\n",
    );
    // A change in lib/ alone that alters a Glue type: BINARY_FLOAT (oasys.assessment_scores).
    edit(
      "lib/model/oracleTypes.ts",
      "[/^BINARY_FLOAT$/, () => FLOAT]",
      "[/^BINARY_FLOAT$/, () => DOUBLE]",
    );
    edit(
      "lib/model/naming.ts",
      "`${NAME_PREFIX}-${db}-dms-${env}`",
      "`${NAME_PREFIX}-${db}-dms-role-${env}`",
    );
  });
  afterAll(() => repo.remove());
  beforeEach(() => {
    out.length = 0;
    err.length = 0;
  });

  it("prints every added, removed, changed and replaced resource per stack, with the warnings", async () => {
    const comment = path.join(repo.dir, "comment.md");
    const code = await main(["diff", "--base", "HEAD", "--env", "dev", "--comment-file", comment], {
      io,
      repoRoot: repo.dir,
    });
    expect(err.join("\n")).toMatch(
      /^Planning HEAD \([0-9a-f]{12}\) and the working tree offline\.\.\.$/,
    );
    expect(code).toBe(0);
    const commit = repo.git("rev-parse", "HEAD").trim();
    const restart =
      "the provider stops a running task to modify it. Deploy when a pause in replication is acceptable.";
    const dmsRole = (db: string) =>
      `WARNING: dmsRole ${db}-dms-role in pipelines-dev would be replaced. The landing bucket policy in data-engineering-infra grants this role's ARN: after this deploy, recreate that policy (re-run data-engineering-infra's deploy), or DMS can no longer write to the landing bucket.`;
    // Hashes (the metadata bundle's, the Lambda bundle's) change with any metadata or Lambda edit.
    const shown = out
      .join("\n")
      .replace(/[0-9a-f]{64}/g, "<sha256>")
      .split("\n");
    expect(shown).toEqual([
      `Offline diff: base HEAD (${commit.slice(0, 12)}) -> working tree, dev`,
      "What this does to the data:",
      "dev, delius:",
      "  ~ delius.contact (DELIUS_APP_SCHEMA.CONTACT)",
      "      - column contact_start_time DATE → timestamp: excluded (Not needed downstream.): DMS stops extracting it",
      "      validation: fail: until the Oracle column CONTACT_START_TIME is dropped, CONTACT files will fail: unknown column contact_start_time",
      "      validation: pass: once the Oracle column CONTACT_START_TIME is dropped, CONTACT files pass",
      "      validation: warn: if the Oracle column CONTACT_START_TIME is dropped before this is deployed, CONTACT files written in between will fail: missing column contact_start_time; no order avoids failed files: replay them after the deploy (npm run replay, docs/schema-changes.md)",
      '      validation: info: keep CONTACT_START_TIME with "transition": "dropping" until the Oracle column is dropped, so that files with it still pass (docs/schema-changes.md)',
      "  ~ delius.event (DELIUS_APP_SCHEMA.EVENT)",
      "      ~ column event_number NUMBER(10) → decimal(10,0) (was VARCHAR2(10) → string)",
      "      validation: fail: until the Oracle column EVENT_NUMBER is NUMBER(10), EVENT files will fail: incompatible type: event_number (Oracle NUMBER(10)) is BYTE_ARRAY STRING, expected DECIMAL over INT32, INT64, FIXED_LEN_BYTE_ARRAY or BYTE_ARRAY",
      "      validation: pass: once the Oracle column EVENT_NUMBER is NUMBER(10), EVENT files pass",
      "      validation: warn: if the Oracle column EVENT_NUMBER is NUMBER(10) before this is deployed, EVENT files written in between will fail: incompatible type: event_number (Oracle VARCHAR2(10)) is FIXED_LEN_BYTE_ARRAY(16) DECIMAL(10,0), expected BYTE_ARRAY annotated STRING (UTF8); no order avoids failed files: replay them after the deploy (npm run replay, docs/schema-changes.md)",
      "      validation: warn: EVENT.EVENT_NUMBER VARCHAR2(10) → NUMBER(10): DMS cannot write it into the existing parquet schema (its parquet type changes from BYTE_ARRAY STRING to FIXED_LEN_BYTE_ARRAY(16) DECIMAL(10,0)); the files already in the lake keep the old type: reload the table after the change (docs/schema-changes.md)",
      "  ~ delius.offender (DELIUS_APP_SCHEMA.OFFENDER)",
      "      + column tier VARCHAR2(4) → string, nullable",
      "      validation: fail: until the Oracle column TIER exists, OFFENDER files will fail: missing column tier",
      "      validation: pass: once the Oracle column TIER exists, OFFENDER files pass",
      "      validation: warn: if the Oracle column TIER exists before this is deployed, OFFENDER files written in between will fail: unknown column tier; no order avoids failed files: replay them after the deploy (npm run replay, docs/schema-changes.md)",
      '      validation: info: mark TIER "transition": "adding" to let files without it pass until the Oracle column exists (docs/schema-changes.md)',
      "  ~ delius.offender_manager (DELIUS_APP_SCHEMA.OFFENDER_MANAGER)",
      "      ~ primary key OFFENDER_MANAGER_ID, OFFENDER_ID (was OFFENDER_MANAGER_ID)",
      "      validation: pass: OFFENDER_MANAGER files pass",
      "  - delius.rqmnt (DELIUS_APP_SCHEMA.RQMNT): removed",
      "      DMS: dropped from delius-task: its changes stop flowing (the files already in raw-history stay)",
      "      Glue: table delius_dev.rqmnt deleted",
      "      metadata: unpublished: the validation Lambda fails its files",
      "  + delius.rqmnt_history (DELIUS_APP_SCHEMA.RQMNT_HISTORY): new table",
      "      + column rqmnt_id NUMBER(22) → decimal(22,0), NOT NULL",
      "      + column disposal_id NUMBER(22) → decimal(22,0), NOT NULL",
      "      + column offender_id NUMBER(22) → decimal(22,0), NOT NULL",
      "      + column rqmnt_type_main_category_id NUMBER(22) → decimal(22,0), nullable",
      "      + column rqmnt_type_sub_category_id NUMBER(22) → decimal(22,0), nullable",
      "      + column length NUMBER(22) → decimal(22,0), nullable",
      "      + column start_date DATE → timestamp, NOT NULL",
      "      + column commencement_date DATE → timestamp, nullable",
      "      + column expected_end_date DATE → timestamp, nullable",
      "      + column termination_date DATE → timestamp, nullable",
      "      + column rqmnt_termination_reason_id NUMBER(22) → decimal(22,0), nullable",
      "      + column active_flag NUMBER(1) → decimal(1,0), NOT NULL",
      "      + column rqmnt_notes CLOB → string, nullable",
      "      + column partition_area_id NUMBER(22) → decimal(22,0), NOT NULL",
      "      + column soft_deleted NUMBER(1) → decimal(1,0), NOT NULL",
      "      + column row_version NUMBER(22) → decimal(22,0), NOT NULL",
      "      + column created_datetime DATE → timestamp, NOT NULL",
      "      + column last_updated_datetime DATE → timestamp, NOT NULL",
      "      primary key RQMNT_ID",
      "      Glue: table delius_dev.rqmnt_history created",
      "      DMS: delius-task selects it: a full load of the new table once it is reloaded (below)",
      "      validation: pass: new table RQMNT_HISTORY: its full load and CDC files pass",
      "  DMS task delius-task (pipelines-dev): stops and restarts (the provider stops a running task to modify it)",
      "      replicationTaskSettings.TargetMetadata.LobMaxSize: 64 → 128",
      "      tableMappings: selects rqmnt_history",
      "      tableMappings: no longer selects rqmnt",
      "      tableMappings: removes column contact.contact_start_time",
      "      then reload rqmnt_history: its full load (ReloadTables; the task keeps running)",
      "dev, oasys:",
      "  ~ oasys.assessment_scores (EOR.ASSESSMENT_SCORES)",
      "      ~ column static_score BINARY_FLOAT → double (was BINARY_FLOAT → float)",
      "      ~ column dynamic_score BINARY_FLOAT → double (was BINARY_FLOAT → float)",
      "  DMS task oasys-task (pipelines-dev): stops and restarts (the provider stops a running task to modify it)",
      "      replicationTaskSettings.TargetMetadata.LobMaxSize: 64 → 128",
      "      reloads no table: replication resumes where it stopped",
      dmsRole("delius"),
      dmsRole("oasys"),
      `WARNING: DMS task delius-task in pipelines-dev would be stopped and started again (replicationTaskSettings, tableMappings changed): ${restart} A table added to the mappings must then be reloaded before its changes flow.`,
      `WARNING: DMS task oasys-task in pipelines-dev would be stopped and started again (replicationTaskSettings changed): ${restart}`,
      "Data check: 5 table(s) added or changed, 3 with files that will fail validation (DMS-shaped full-load and CDC files, judged by the validation Lambda's checks):",
      "  delius.contact: FAIL",
      "    ✗ until the Oracle column CONTACT_START_TIME is dropped, CONTACT files will fail: unknown column contact_start_time",
      "    ✓ once the Oracle column CONTACT_START_TIME is dropped, CONTACT files pass",
      "    ⚠ if the Oracle column CONTACT_START_TIME is dropped before this is deployed, CONTACT files written in between will fail: missing column contact_start_time; no order avoids failed files: replay them after the deploy (npm run replay, docs/schema-changes.md)",
      '    → keep CONTACT_START_TIME with "transition": "dropping" until the Oracle column is dropped, so that files with it still pass (docs/schema-changes.md)',
      "  delius.event: FAIL",
      "    ✗ until the Oracle column EVENT_NUMBER is NUMBER(10), EVENT files will fail: incompatible type: event_number (Oracle NUMBER(10)) is BYTE_ARRAY STRING, expected DECIMAL over INT32, INT64, FIXED_LEN_BYTE_ARRAY or BYTE_ARRAY",
      "    ✓ once the Oracle column EVENT_NUMBER is NUMBER(10), EVENT files pass",
      "    ⚠ if the Oracle column EVENT_NUMBER is NUMBER(10) before this is deployed, EVENT files written in between will fail: incompatible type: event_number (Oracle VARCHAR2(10)) is FIXED_LEN_BYTE_ARRAY(16) DECIMAL(10,0), expected BYTE_ARRAY annotated STRING (UTF8); no order avoids failed files: replay them after the deploy (npm run replay, docs/schema-changes.md)",
      "    ⚠ EVENT.EVENT_NUMBER VARCHAR2(10) → NUMBER(10): DMS cannot write it into the existing parquet schema (its parquet type changes from BYTE_ARRAY STRING to FIXED_LEN_BYTE_ARRAY(16) DECIMAL(10,0)); the files already in the lake keep the old type: reload the table after the change (docs/schema-changes.md)",
      "  delius.offender: FAIL",
      "    ✗ until the Oracle column TIER exists, OFFENDER files will fail: missing column tier",
      "    ✓ once the Oracle column TIER exists, OFFENDER files pass",
      "    ⚠ if the Oracle column TIER exists before this is deployed, OFFENDER files written in between will fail: unknown column tier; no order avoids failed files: replay them after the deploy (npm run replay, docs/schema-changes.md)",
      '    → mark TIER "transition": "adding" to let files without it pass until the Oracle column exists (docs/schema-changes.md)',
      "  delius.offender_manager: pass",
      "    ✓ OFFENDER_MANAGER files pass",
      "  delius.rqmnt_history: pass",
      "    ✓ new table RQMNT_HISTORY: its full load and CDC files pass",
      "core-dev: no changes",
      // One bundle per database: the tables it changes are named in the summary above.
      "metadata-dev: 0 to add, 0 to remove, 1 to update, 0 to replace",
      "  ~  aws:s3/bucketObjectv2:BucketObjectv2 delius-bundle: source.asset.sha256",
      '       source.asset.sha256: "<sha256>" → "<sha256>"',
      "pipelines-dev: 0 to add, 0 to remove, 8 to update, 8 to replace",
      "  +- aws:iam/role:Role delius-dms-role: name (replaced: name cannot change in place)",
      '       name: "dataeng-delius-dms-dev" → "dataeng-delius-dms-role-dev"',
      "  +- aws:iam/role:Role delius-secrets-access-role: name (replaced: name cannot change in place)",
      '       name: "dataeng-delius-dms-dev-secrets" → "dataeng-delius-dms-role-dev-secrets"',
      "  +- aws:iam/role:Role oasys-dms-role: name (replaced: name cannot change in place)",
      '       name: "dataeng-oasys-dms-dev" → "dataeng-oasys-dms-role-dev"',
      "  +- aws:iam/role:Role oasys-secrets-access-role: name (replaced: name cannot change in place)",
      '       name: "dataeng-oasys-dms-dev-secrets" → "dataeng-oasys-dms-role-dev-secrets"',
      "  +- aws:iam/rolePolicy:RolePolicy delius-secrets-access-policy: role (replaced: role cannot change in place)",
      '       role: "dataeng-delius-dms-dev-secrets" → "dataeng-delius-dms-role-dev-secrets"',
      "  +- aws:iam/rolePolicy:RolePolicy oasys-secrets-access-policy: role (replaced: role cannot change in place)",
      '       role: "dataeng-oasys-dms-dev-secrets" → "dataeng-oasys-dms-role-dev-secrets"',
      "  +- aws:iam/rolePolicy:RolePolicy delius-dms-role-policy: role (replaced: role cannot change in place)",
      '       role: "dataeng-delius-dms-dev" → "dataeng-delius-dms-role-dev"',
      "  +- aws:iam/rolePolicy:RolePolicy oasys-dms-role-policy: role (replaced: role cannot change in place)",
      '       role: "dataeng-oasys-dms-dev" → "dataeng-oasys-dms-role-dev"',
      "  ~  aws:dms/endpoint:Endpoint delius-source: secretsManagerAccessRoleArn",
      '       secretsManagerAccessRoleArn: "arn:aws:iam::123456789012:role/dataeng-delius-dms-dev-secrets" → "arn:aws:iam::123456789012:role/dataeng-delius-dms-role-dev-secrets"',
      "  ~  aws:dms/endpoint:Endpoint oasys-source: secretsManagerAccessRoleArn",
      '       secretsManagerAccessRoleArn: "arn:aws:iam::123456789012:role/dataeng-oasys-dms-dev-secrets" → "arn:aws:iam::123456789012:role/dataeng-oasys-dms-role-dev-secrets"',
      "  ~  aws:dms/s3Endpoint:S3Endpoint delius-target: serviceAccessRoleArn",
      '       serviceAccessRoleArn: "arn:aws:iam::123456789012:role/dataeng-delius-dms-dev" → "arn:aws:iam::123456789012:role/dataeng-delius-dms-role-dev"',
      "  ~  aws:dms/s3Endpoint:S3Endpoint oasys-target: serviceAccessRoleArn",
      '       serviceAccessRoleArn: "arn:aws:iam::123456789012:role/dataeng-oasys-dms-dev" → "arn:aws:iam::123456789012:role/dataeng-oasys-dms-role-dev"',
      '  ~  aws:lambda/function:Function delius-validate-function: code.archive["index.js"].asset.sha256',
      '       code.archive["index.js"].asset.sha256: "<sha256>" → "<sha256>"',
      '  ~  aws:lambda/function:Function oasys-validate-function: code.archive["index.js"].asset.sha256',
      '       code.archive["index.js"].asset.sha256: "<sha256>" → "<sha256>"',
      "  ~  aws:dms/replicationTask:ReplicationTask delius-task: replicationTaskSettings.TargetMetadata.LobMaxSize, tableMappings.rules",
      "       replicationTaskSettings.TargetMetadata.LobMaxSize: 64 → 128",
      '       tableMappings.rules{include-delius_app_schema-rqmnt}: - {"rule-type":"selection","rule-name":"include-delius_app_schema-rqmnt","object-locator":{"schema-nam… (5 keys)',
      '       tableMappings.rules{include-delius_app_schema-rqmnt_history}: + {"rule-type":"selection","rule-name":"include-delius_app_schema-rqmnt_history","object-locator":{"sc… (5 keys)',
      '       tableMappings.rules{remove-delius_app_schema-contact-contact_start_time}: + {"rule-type":"transformation","rule-name":"remove-delius_app_schema-contact-contact_start_time","rul… (6 keys)',
      '       tableMappings.rules{rename-schema-delius_app_schema}["rule-id"]: "10" → "11"',
      '       tableMappings.rules{lower-case-tables}["rule-id"]: "11" → "12"',
      '       tableMappings.rules{lower-case-columns}["rule-id"]: "12" → "13"',
      '       tableMappings.rules{add-column-scn}["rule-id"]: "13" → "14"',
      "  ~  aws:dms/replicationTask:ReplicationTask oasys-task: replicationTaskSettings.TargetMetadata.LobMaxSize",
      "       replicationTaskSettings.TargetMetadata.LobMaxSize: 64 → 128",
      "glue_database-dev: 1 to add, 1 to remove, 4 to update, 0 to replace",
      "  +  aws:glue/catalogTable:CatalogTable delius-rqmnt_history",
      "  -  aws:glue/catalogTable:CatalogTable delius-rqmnt",
      "  ~  aws:glue/catalogTable:CatalogTable oasys-assessment_scores: storageDescriptor.columns[5].type, storageDescriptor.columns[6].type",
      '       storageDescriptor.columns{static_score}.type: "float" → "double"',
      '       storageDescriptor.columns{dynamic_score}.type: "float" → "double"',
      "  ~  aws:glue/catalogTable:CatalogTable delius-event: storageDescriptor.columns[2].type",
      '       storageDescriptor.columns{event_number}.type: "string" → "decimal(10,0)"',
      "  ~  aws:glue/catalogTable:CatalogTable delius-contact: storageDescriptor.columns",
      '       storageDescriptor.columns{contact_start_time}: - {"comment":"Start time of the contact; only the time part is meaningful.","name":"contact_start_time… (3 keys)',
      "  ~  aws:glue/catalogTable:CatalogTable delius-offender: storageDescriptor.columns",
      '       storageDescriptor.columns{tier}: + {"comment":"Management tier code.","name":"tier","type":"string"}',
    ]);
    const markdown = fs.readFileSync(comment, "utf8");
    expect(markdown).toContain(
      "> [!CAUTION]\n>\n> **dmsRole delius-dms-role in pipelines-dev would be replaced.",
    );
    expect(markdown).toContain(
      "> [!WARNING]\n>\n> **DMS task delius-task in pipelines-dev would be stopped and started again (replicationTaskSettings, tableMappings changed)",
    );
    expect(markdown).not.toMatch(/\[!CAUTION\][^[]*DMS task/);
    expect(markdown).toContain("| pipelines-dev | 0 | 0 | 8 | 8 |  |");
    // The table summary leads, before the alerts; the comment renders as GitHub Markdown.
    expect(markdown).toMatch(
      /^## Offline diff against `HEAD` \([0-9a-f]{7}\)\n\n### What this does to the data\n\n\*\*dev, delius\*\*\n\n- \*\*\\~ delius\.contact/,
    );
    expect(markdown).toContain(
      "- **\\~ delius.offender (DELIUS_APP_SCHEMA.OFFENDER)**\n  - \\+ column tier VARCHAR2(4) → string, nullable\n",
    );
    const rendered = renderGitHubMarkdown(markdown);
    expect(rendered.alerts.map((a) => a.kind)).toEqual(["CAUTION", "WARNING"]);
    expect(rendered.tables).toEqual([["stack", "added", "removed", "updated", "replaced", "note"]]);
    expect(rendered.details).toEqual({ opened: 1, closed: 1 });
    expect(rendered.html).toContain(
      "<li><strong>~ delius.offender (DELIUS_APP_SCHEMA.OFFENDER)</strong>\n<ul>\n<li>+ column tier VARCHAR2(4) → string, nullable</li>",
    );
    expect(markdown.indexOf("### What this does to the data")).toBeLessThan(
      markdown.indexOf("[!CAUTION]"),
    );
    expect(markdown).toContain(
      "**delius.offender**: ❌ files will fail\n\n- ✗ until the Oracle column TIER exists, OFFENDER files will fail: missing column tier\n",
    );
    expect(markdown).toContain(
      "```diff\nmetadata-dev:\n  ~  aws:s3/bucketObjectv2:BucketObjectv2 delius-bundle: source.asset.sha256\n",
    );
  }, 120_000);

  it("--json carries the same diff as data", async () => {
    expect(
      await main(
        [
          "diff",
          "--base",
          "HEAD",
          "--env",
          "dev",
          "--project",
          "glue_database",
          "--with-dependencies",
          "--json",
        ],
        { io, repoRoot: repo.dir },
      ),
    ).toBe(0);
    const doc = JSON.parse(out.join("\n"));
    expect(doc.version).toBe(1);
    expect(doc.ok).toBe(true);
    expect(doc.stacks.map((s: { stack: string }) => s.stack)).toEqual([
      "core-dev",
      "metadata-dev",
      "glue_database-dev",
    ]);
    expect(
      doc.stacks[2].changed.find((c: { name: string }) => c.name === "delius-offender"),
    ).toEqual({
      urn: "urn:pulumi:glue_database-dev::glue_database::dataeng:glue:SourceDatabase$aws:glue/catalogTable:CatalogTable::delius-offender",
      type: "aws:glue/catalogTable:CatalogTable",
      name: "delius-offender",
      paths: ["storageDescriptor.columns"],
      replacedBy: [],
      values: [
        {
          path: "storageDescriptor.columns{tier}",
          after: '{"comment":"Management tier code.","name":"tier","type":"string"}',
        },
      ],
    });
    // The table summary as data: no pipelines stack in this selection, so no DMS task.
    expect(doc.tables.tasks).toEqual([]);
    expect(doc.tables.tables).toContainEqual({
      env: "dev",
      database: "delius",
      table: "offender",
      source: "DELIUS_APP_SCHEMA.OFFENDER",
      change: "changed",
      lines: ["+ column tier VARCHAR2(4) → string, nullable"],
      // The data check's verdicts in the table's validation slot.
      validation: [
        "fail: until the Oracle column TIER exists, OFFENDER files will fail: missing column tier",
        "pass: once the Oracle column TIER exists, OFFENDER files pass",
        "warn: if the Oracle column TIER exists before this is deployed, OFFENDER files written in between will fail: unknown column tier; no order avoids failed files: replay them after the deploy (npm run replay, docs/schema-changes.md)",
        'info: mark TIER "transition": "adding" to let files without it pass until the Oracle column exists (docs/schema-changes.md)',
      ],
    });
    expect(doc.tables.tables.map((t: { table: string }) => t.table)).toEqual([
      "contact",
      "event",
      "offender",
      "offender_manager",
      "rqmnt",
      "rqmnt_history",
      "assessment_scores",
    ]);
    expect(doc.dataCheck.notes).toEqual([]);
    expect(doc.dataCheck.tables.map((t: { table: string; status: string }) => t)).toMatchObject([
      { database: "delius", table: "contact", status: "fail" },
      { database: "delius", table: "event", status: "fail" },
      { database: "delius", table: "offender", status: "fail" },
      { database: "delius", table: "offender_manager", status: "pass" },
      {
        database: "delius",
        table: "rqmnt_history",
        status: "pass",
        lines: [
          { status: "pass", text: "new table RQMNT_HISTORY: its full load and CDC files pass" },
        ],
      },
    ]);
  }, 120_000);

  it("needs --base: a usage error", async () => {
    expect(await main(["diff", "--env", "dev"], { io, repoRoot: repo.dir })).toBe(2);
    expect(err[0]).toBe("error: required option '--base <git-rev>' not specified");
  });

  it("refuses a base that is not a commit, saying how to fetch it", async () => {
    expect(
      await main(["diff", "--base", "no-such-branch", "--env", "dev"], { io, repoRoot: repo.dir }),
    ).toBe(1);
    expect(err).toEqual([
      "stacks diff: --base no-such-branch: not a commit of this repository. Fetch it first (git fetch origin <branch>; in GitHub Actions, actions/checkout with fetch-depth: 0).",
    ]);
  });
});

describe("stacks diff when an offline plan cannot run", () => {
  // The two plans run side by side; whichever ends first, the report names the side that broke,
  // and the base when both did, as when they ran one after the other.
  let repo: ReturnType<typeof copyRepository>;
  const err: string[] = [];
  const io = {
    out: () => undefined,
    err: (l: string) => void err.push(l),
    interactive: false,
    prompt: () => Promise.reject(new Error("no prompt")),
  };
  const cli = () => path.join(repo.dir, "tools", "stacks", "cli.ts");
  let original: string;
  const breakCli = (message: string) =>
    fs.writeFileSync(cli(), `throw new Error(${JSON.stringify(message)});\n${original}`);
  /**
   * Runs `stacks diff`, which must fail, and returns what it printed on stderr. One stack is
   * enough for a plan that runs: what is asserted is which side the report names.
   */
  const failedDiff = async () => {
    const argv = ["diff", "--base", "HEAD", "--env", "dev", "--project", "core"];
    expect(await main(argv, { io, repoRoot: repo.dir })).toBe(1);
    return err.join("\n");
  };

  beforeAll(() => {
    repo = copyRepository();
    original = fs.readFileSync(cli(), "utf8");
  });
  afterAll(() => repo.remove());
  beforeEach(() => (err.length = 0));
  afterEach(() => fs.writeFileSync(cli(), original));

  it("names the working tree when its plan fails and the base's runs", async () => {
    breakCli("the working tree is broken");
    const text = await failedDiff();
    expect(text).toContain("the offline plan of the working tree did not run (exit code 1)");
    expect(text).toContain("the working tree is broken");
    expect(text).not.toContain("the base revision HEAD did not run");
  }, 120_000);

  it("names the base revision when both fail", async () => {
    breakCli("the base is broken");
    repo.git("commit", "--quiet", "--no-gpg-sign", "-am", "broken base");
    breakCli("the working tree is broken");
    const text = await failedDiff();
    expect(text).toContain("the offline plan of the base revision HEAD did not run (exit code 1)");
    expect(text).toContain("the base is broken");
    expect(text).not.toContain("the working tree is broken");
    // --affected-since's comparison (diffStacks) plans the same way and fails the same way.
    await expect(
      diffStacks({
        repoRoot: repo.dir,
        base: "HEAD",
        envs: ["dev"],
        planArgs: ["--env", "dev"],
        log: () => undefined,
      }),
    ).rejects.toThrow(
      /the offline plan of the base revision HEAD did not run[^]*the base is broken/,
    );
  }, 120_000);
});
