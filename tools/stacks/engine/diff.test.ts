import * as fs from "node:fs";
import * as path from "node:path";
import { main } from "../cli";
import { type PlanDocument, changedPaths, comparePlans, diffWarnings, formatDiff } from "./diff";
import { copyRepository } from "../testing/gitRepo";

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
          },
          {
            type: TASK,
            name: "delius-task",
            urn: `urn:pulumi:pipelines-dev::pipelines::${TASK}::delius-task`,
            paths: ["tableMappings.rules", "tags.a"],
            replacedBy: [],
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
      }),
    ).toBe(
      [
        "Offline diff: base main (0123456789ab) -> working tree, dev",
        "pipelines-dev: 0 to add, 0 to remove, 0 to update, 1 to replace (the base plan has key inputs only: compared those)",
        "  +- aws:iam/role:Role r: name (replaced: name cannot change in place)",
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
  const tables = (f: string) => path.join(repo.dir, "metadata", "databases", "delius", f);

  beforeAll(() => {
    repo = copyRepository();
    // The working tree: a table renamed, a column added, the LOB size halved, the dmsRole renamed.
    const rqmnt = JSON.parse(fs.readFileSync(tables("rqmnt.json"), "utf8"));
    fs.rmSync(tables("rqmnt.json"));
    fs.writeFileSync(
      tables("rqmnt_history.json"),
      JSON.stringify({ ...rqmnt, name: "RQMNT_HISTORY" }, null, 2) + "\n",
    );
    const offender = JSON.parse(fs.readFileSync(tables("offender.json"), "utf8"));
    offender.columns.push({
      name: "NEW_COL",
      type: "DATE",
      nullable: true,
      description: "A new date.",
    });
    fs.writeFileSync(tables("offender.json"), JSON.stringify(offender, null, 2) + "\n");
    // The stack file leaves lobMaxSizeKb at the schema's default (64): setting it halves it.
    edit(
      "pipelines/Pulumi.pipelines-dev.yaml",
      "  pipelines:landingBucketName: mojap-land-dev\n",
      "  pipelines:landingBucketName: mojap-land-dev\n  pipelines:lobMaxSizeKb: 32\n",
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
    expect(out.join("\n").split("\n")).toEqual([
      `Offline diff: base HEAD (${commit.slice(0, 12)}) -> working tree, dev`,
      dmsRole("delius"),
      dmsRole("oasys"),
      `WARNING: DMS task delius-task in pipelines-dev would be stopped and started again (replicationTaskSettings, tableMappings changed): ${restart} A table added to the mappings must then be reloaded before its changes flow.`,
      `WARNING: DMS task oasys-task in pipelines-dev would be stopped and started again (replicationTaskSettings changed): ${restart}`,
      "core-dev: no changes",
      "metadata-dev: 1 to add, 1 to remove, 2 to update, 0 to replace",
      "  +  aws:s3/bucketObjectv2:BucketObjectv2 delius-rqmnt_history",
      "  -  aws:s3/bucketObjectv2:BucketObjectv2 delius-rqmnt",
      "  ~  aws:s3/bucketObjectv2:BucketObjectv2 delius-offender: content.columns",
      "  ~  aws:s3/bucketObjectv2:BucketObjectv2 manifest: content.databases.delius[5].sha256, content.databases.delius[8].key, content.databases.delius[8].sha256, content.databases.delius[8].table",
      "pipelines-dev: 0 to add, 0 to remove, 6 to update, 8 to replace",
      "  +- aws:iam/role:Role delius-dms-role: name (replaced: name cannot change in place)",
      "  +- aws:iam/role:Role delius-secrets-access-role: name (replaced: name cannot change in place)",
      "  +- aws:iam/role:Role oasys-dms-role: name (replaced: name cannot change in place)",
      "  +- aws:iam/role:Role oasys-secrets-access-role: name (replaced: name cannot change in place)",
      "  +- aws:iam/rolePolicy:RolePolicy delius-secrets-access-policy: role (replaced: role cannot change in place)",
      "  +- aws:iam/rolePolicy:RolePolicy oasys-secrets-access-policy: role (replaced: role cannot change in place)",
      "  +- aws:iam/rolePolicy:RolePolicy delius-dms-role-policy: role (replaced: role cannot change in place)",
      "  +- aws:iam/rolePolicy:RolePolicy oasys-dms-role-policy: role (replaced: role cannot change in place)",
      "  ~  aws:dms/endpoint:Endpoint delius-source: secretsManagerAccessRoleArn",
      "  ~  aws:dms/endpoint:Endpoint oasys-source: secretsManagerAccessRoleArn",
      "  ~  aws:dms/s3Endpoint:S3Endpoint delius-target: serviceAccessRoleArn",
      "  ~  aws:dms/s3Endpoint:S3Endpoint oasys-target: serviceAccessRoleArn",
      '  ~  aws:dms/replicationTask:ReplicationTask delius-task: replicationTaskSettings.TargetMetadata.LobMaxSize, tableMappings.rules[8]["object-locator"]["table-name"], tableMappings.rules[8]["rule-name"]',
      "  ~  aws:dms/replicationTask:ReplicationTask oasys-task: replicationTaskSettings.TargetMetadata.LobMaxSize",
      "glue_database-dev: 1 to add, 1 to remove, 1 to update, 0 to replace",
      "  +  aws:glue/catalogTable:CatalogTable delius-rqmnt_history",
      "  -  aws:glue/catalogTable:CatalogTable delius-rqmnt",
      "  ~  aws:glue/catalogTable:CatalogTable delius-offender: storageDescriptor.columns",
    ]);
    const markdown = fs.readFileSync(comment, "utf8");
    expect(markdown).toContain(
      "> [!CAUTION]\n>\n> **dmsRole delius-dms-role in pipelines-dev would be replaced.",
    );
    expect(markdown).toContain(
      "> [!WARNING]\n>\n> **DMS task delius-task in pipelines-dev would be stopped and started again (replicationTaskSettings, tableMappings changed)",
    );
    expect(markdown).not.toMatch(/\[!CAUTION\][^[]*DMS task/);
    expect(markdown).toContain("| pipelines-dev | 0 | 0 | 6 | 8 |  |");
    expect(markdown).toContain(
      "```diff\nmetadata-dev:\n  +  aws:s3/bucketObjectv2:BucketObjectv2 delius-rqmnt_history\n",
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
    expect(doc.stacks[2].changed).toEqual([
      {
        urn: "urn:pulumi:glue_database-dev::glue_database::dataeng:glue:SourceDatabase$aws:glue/catalogTable:CatalogTable::delius-offender",
        type: "aws:glue/catalogTable:CatalogTable",
        name: "delius-offender",
        paths: ["storageDescriptor.columns"],
        replacedBy: [],
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
