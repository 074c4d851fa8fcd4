/**
 * The layout proof on the real engine (issue 18, "Nothing deployed changes"): the dev stacks are
 * deployed by the previous layout's own orchestrator (a `git archive` of BASE_LAYOUT_COMMIT),
 * then the working tree's `stacks preview` runs on the same S3 backend and state. The engine's
 * own event stream must show every deployed URN again, unchanged, except the Lambdas' `code`
 * and, on purpose, issue 20's metadata bundles (METADATA_STACK below).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { isDeepStrictEqual } from "node:util";
import { type Project, REPO_ROOT, stackFilePath } from "../../lib/model/stacks";
import { main } from "../stacks/cli";
import { checkoutRevision, resolveRevision } from "../stacks/engine/diff";
import { type PulumiInvocation, spawnPulumi } from "../stacks/pulumi/pulumi";
import { recordingIo } from "../stacks/report/io";
import { checkpoint, cliDir, cliEnv, scratchRepo, stacks, type Ran } from "./harness";
import { startLocalS3, type LocalS3 } from "./s3Server";

/**
 * The last commit before issue 18 reshaped the layout (lib/ layered, programs split into
 * components, typed contracts). The deployed state comes from this commit's code; when a later
 * reshape must also change nothing deployed, move this to the commit before it.
 */
const BASE_LAYOUT_COMMIT = "5edecf3d2f7e1751b41c6c036e7449de94712de8";

// Each test deploys or previews four stacks, the program running twice per up (preview, then
// update): more than jest.real.config.js's default when the machine is busy.
const DEPLOY_TIMEOUT_MS = 20 * 60_000;

const DEV_PROJECTS: readonly Project[] = ["core", "metadata", "pipelines", "glue_database"];
const DEV_STACKS = DEV_PROJECTS.map((p) => `${p}-dev`);
const projectOf = (stack: string) => DEV_PROJECTS.find((p) => stack === `${p}-dev`)!;

/**
 * The only changes allowed: the Lambdas' own code was restructured on purpose (lib/contracts,
 * lib/validation), so their bundles differ. Whatever form the code asset takes, only the
 * top-level `code` input of these three functions may change.
 */
const LAMBDA = "dataeng:compute:NodeLambda$aws:lambda/function:Function";
const EXPECTED_UPDATES = [
  {
    stack: "core-dev",
    urn: `urn:pulumi:core-dev::core::${LAMBDA}::notify-function`,
  },
  {
    stack: "pipelines-dev",
    urn: `urn:pulumi:pipelines-dev::pipelines::dataeng:pipelines:DmsPipeline$${LAMBDA}::delius-validate-function`,
  },
  {
    stack: "pipelines-dev",
    urn: `urn:pulumi:pipelines-dev::pipelines::dataeng:pipelines:DmsPipeline$${LAMBDA}::oasys-validate-function`,
  },
].map((u) => ({ ...u, op: "update", inputs: ["code"] }));

/**
 * Issue 20's lean state, on purpose (metadata/README.md): the metadata is published as one
 * bundle per database, so metadata-dev deletes every object the old layout deployed (one per
 * table, and the manifest) and creates the two bundles; the validation Lambdas' policies now
 * name the bundle, an update of their `policy` input alone.
 */
const METADATA_STACK = "metadata-dev";
const METADATA_OBJECT = "aws:s3/bucketObjectv2:BucketObjectv2";
const BUNDLES = ["delius-bundle", "oasys-bundle"];
const BUNDLE_POLICY_UPDATES = ["delius", "oasys"].map((db) => ({
  stack: "pipelines-dev",
  name: `${db}-validate-policy`,
  op: "update",
  inputs: ["policy"],
}));

/** An unknown value in the engine's events (plugin.UnknownStringValue, sdk/go/common/resource/plugin/rpc.go). */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** The orchestrator's `--json` run report (tools/stacks/README.md), as much as is read here. */
interface RunReport {
  exitCode: number;
  stacks: { stack: string; status: string; changes?: Record<string, number> }[];
}
const runReport = (r: Ran): RunReport => {
  try {
    return JSON.parse(r.stdout) as RunReport;
  } catch {
    throw new Error(`no JSON report (exit ${r.code}):\n${r.stdout}\n${r.stderr}`);
  }
};

/** One resource step of the engine's event log (sdk/go/common/apitype/events.go, v3.248.0). */
interface StepEvent {
  readonly op: string;
  readonly urn: string;
  readonly old?: StepState;
  readonly new?: StepState;
}
interface StepState {
  readonly urn?: string;
  readonly inputs?: Record<string, unknown>;
  readonly outputs?: Record<string, unknown>;
}

/** Stacks run in parallel: their events arrive in any order. */
const byUrn = (a: { urn: string }, b: { urn: string }) => a.urn.localeCompare(b.urn);

/** The top-level inputs whose values differ between the step's old and new state, sorted. */
function changedInputs(e: StepEvent): string[] {
  const olds = e.old?.inputs ?? {};
  const news = e.new?.inputs ?? {};
  return [...new Set([...Object.keys(olds), ...Object.keys(news)])]
    .filter((k) => !isDeepStrictEqual(olds[k], news[k]))
    .sort();
}

let dir: string;
let s3: LocalS3;
let home: string;
let env: NodeJS.ProcessEnv;
let base: { dir: string; remove(): void } | undefined;
let repo: string | undefined;
let deployedUrns: Map<string, string[]>;

beforeAll(async () => {
  let commit: string;
  try {
    commit = await resolveRevision(REPO_ROOT, BASE_LAYOUT_COMMIT);
  } catch {
    throw new Error(
      `the layout proof deploys ${BASE_LAYOUT_COMMIT} (BASE_LAYOUT_COMMIT in ${path.basename(__filename)}), ` +
        `which is not in this clone: fetch the full history (git fetch --unshallow; in GitHub Actions, ` +
        `actions/checkout with fetch-depth: 0).`,
    );
  }
  dir = cliDir();
  s3 = await startLocalS3();
  home = fs.mkdtempSync(path.join(os.tmpdir(), "dataeng-real-cli-home-"));
  env = { ...cliEnv(dir, s3, home), PULUMI_BACKEND_URL: s3.backendUrl };
  base = await checkoutRevision(REPO_ROOT, commit);
});

afterAll(async () => {
  await s3?.close();
  base?.remove();
  if (repo) fs.rmSync(repo, { recursive: true, force: true });
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

test(
  "the previous layout's orchestrator deploys the dev stacks onto the S3 backend",
  async () => {
    const init = await stacks(base!.dir, ["init", "--env", "dev"], env);
    expect({ code: init.code, err: init.code === 0 ? "" : init.stdout + init.stderr }).toEqual({
      code: 0,
      err: "",
    });
    const up = runReport(
      await stacks(base!.dir, ["up", "--env", "dev", "--yes", "--parallel", "2", "--json"], env),
    );
    expect(up.stacks.map((s) => [s.stack, s.status])).toEqual([
      ["core-dev", "succeeded"],
      ["pipelines_base-dev", "skipped"],
      ["metadata-dev", "succeeded"],
      ["pipelines-dev", "succeeded"],
      ["glue_database-dev", "succeeded"],
    ]);
    expect(up.exitCode).toBe(0);
    deployedUrns = new Map(
      DEV_STACKS.map((stack) => [
        stack,
        (checkpoint(s3, projectOf(stack), stack).checkpoint.latest?.resources ?? [])
          .map((r) => r.urn)
          .sort(),
      ]),
    );
    for (const u of EXPECTED_UPDATES) expect(deployedUrns.get(u.stack)).toContain(u.urn);
  },
  DEPLOY_TIMEOUT_MS,
);

test(
  "the working tree's stacks preview on that state: same URNs; only the three Lambdas' code changes, and metadata moves to its bundles",
  async () => {
    expect(deployedUrns).toBeDefined();
    repo = scratchRepo();
    // The same stacks: the working tree's stack files get the salts the deploy wrote.
    for (const stack of DEV_STACKS) {
      const project = projectOf(stack);
      const salt = /^encryptionsalt: .+$/m.exec(
        fs.readFileSync(stackFilePath(project, "dev", base!.dir), "utf8"),
      )?.[0];
      expect({ stack, salt: Boolean(salt) }).toEqual({ stack, salt: true });
      const file = stackFilePath(project, "dev", repo);
      const own = fs.readFileSync(file, "utf8").replace(/^encryptionsalt: .*\n?/m, "");
      fs.writeFileSync(file, `${own.replace(/\n?$/, "\n")}${salt}\n`);
    }

    // The engine's own events, read from the --event-log file of each call the orchestrator makes.
    const events = new Map<string, StepEvent[]>();
    const observe = async (call: PulumiInvocation) => {
      const result = await spawnPulumi(call);
      const at = call.argv.indexOf("--event-log");
      const stack = call.argv[call.argv.indexOf("--stack") + 1];
      if (at >= 0 && fs.existsSync(call.argv[at + 1])) {
        events.set(stack, stepEvents(fs.readFileSync(call.argv[at + 1], "utf8")));
      }
      return result;
    };
    const io = recordingIo();
    const code = await main(["preview", "--env", "dev", "--parallel", "2", "--json"], {
      io,
      env,
      repoRoot: repo,
      spawn: observe,
    });
    const preview = JSON.parse(io.stdout.join("\n")) as RunReport;
    expect({ code, err: code === 0 ? "" : io.stderr.join("\n") }).toEqual({ code: 0, err: "" });
    expect(preview.stacks.map((s) => [s.stack, s.status])).toEqual([
      ["core-dev", "succeeded"],
      ["pipelines_base-dev", "skipped"],
      ["metadata-dev", "succeeded"],
      ["pipelines-dev", "succeeded"],
      ["glue_database-dev", "succeeded"],
    ]);

    // A URN's name is its last `::` segment, its type the last `$` part of its third
    // (sdk/go/common/resource/urn.go).
    const nameOf = (urn: string) => urn.split("::").slice(3).join("::");
    const typeOf = (urn: string) => urn.split("::")[2].split("$").pop();
    for (const stack of DEV_STACKS) {
      const steps = (events.get(stack) ?? []).filter((e) => e.op !== "refresh");
      // Every resource the previous layout deployed, under the same URN, and nothing else (but
      // the bundles): a renamed or re-parented resource would show a new URN (or an alias).
      const created = steps.filter((e) => e.op === "create").map((e) => e.urn);
      expect({ stack, created: created.map(nameOf).sort() }).toEqual({
        stack,
        created: stack === METADATA_STACK ? BUNDLES : [],
      });
      expect({ stack, urns: [...new Set(steps.map((e) => e.urn))].sort() }).toEqual({
        stack,
        urns: [...deployedUrns.get(stack)!, ...created].sort(),
      });
      expect({ stack, aliased: steps.filter((e) => e.old?.urn && e.old.urn !== e.urn) }).toEqual({
        stack,
        aliased: [],
      });
    }
    // Every other step is a `same` (or a read of a StackReference), except these three updates
    // whose only changed input is `code`...
    const changes = DEV_STACKS.flatMap((stack) =>
      (events.get(stack) ?? [])
        .filter((e) => !["same", "read", "refresh"].includes(e.op))
        .map((e) => ({ ...e, stack })),
    );
    const isLambda = (urn: string) => EXPECTED_UPDATES.some((u) => u.urn === urn);
    const lambdas = changes.filter((c) => isLambda(c.urn));
    expect(
      lambdas
        .map((c) => ({ stack: c.stack, urn: c.urn, op: c.op, inputs: changedInputs(c) }))
        .sort(byUrn),
    ).toEqual([...EXPECTED_UPDATES].sort(byUrn));
    // ...and the preview's shadow of those updates: @pulumi/pulumi/provider's server (which serves
    // the AWS provider stand-in) sets no supportsPreview in ConfigureResponse (provider/server.js,
    // v3.248.0), so the engine leaves an updated resource's outputs unknown in a preview (the real
    // provider predicts them). An input that held one of those Lambdas' ARN is then unknown, and
    // an input that forces replacement (a subscription's endpoint) shows a replace. Allowed only
    // when every changed input is exactly that: an updated Lambda's ARN becoming unknown.
    const lambdaArns = new Set(lambdas.map((c) => c.old?.outputs?.arn));
    expect(lambdaArns.size).toBe(EXPECTED_UPDATES.length);
    const shadowed = (c: StepEvent) => {
      const inputs = changedInputs(c);
      return (
        inputs.length > 0 &&
        inputs.every(
          (k) =>
            lambdaArns.has(c.old?.inputs?.[k]) &&
            [UNKNOWN, undefined].includes(c.new?.inputs?.[k] as string | undefined),
        )
      );
    };
    const shadowUrns = new Set(
      changes
        .filter((c) => !isLambda(c.urn) && ["update", "replace"].includes(c.op) && shadowed(c))
        .map((c) => c.urn),
    );
    // metadata-dev: every object the old layout deployed deleted, the two bundles created.
    const metadataSteps = changes.filter((c) => c.stack === METADATA_STACK);
    const oldObjects = deployedUrns
      .get(METADATA_STACK)!
      .filter((u) => typeOf(u) === METADATA_OBJECT && !BUNDLES.includes(nameOf(u)));
    expect(oldObjects.length).toBeGreaterThan(BUNDLES.length);
    expect(
      metadataSteps
        .map((c) => ({ name: nameOf(c.urn), op: c.op }))
        .sort((a, b) => (a.name < b.name ? -1 : 1)),
    ).toEqual(
      [
        ...oldObjects.map((u) => ({ name: nameOf(u), op: "delete" })),
        ...BUNDLES.map((name) => ({ name, op: "create" })),
      ].sort((a, b) => (a.name < b.name ? -1 : 1)),
    );
    // pipelines-dev: the validation Lambdas' policies, their `policy` input alone.
    const isBundlePolicy = (c: { stack: string; urn: string }) =>
      BUNDLE_POLICY_UPDATES.some((u) => u.stack === c.stack && u.name === nameOf(c.urn));
    expect(
      changes
        .filter(isBundlePolicy)
        .map((c) => ({ stack: c.stack, name: nameOf(c.urn), op: c.op, inputs: changedInputs(c) }))
        .sort((a, b) => (a.name < b.name ? -1 : 1)),
    ).toEqual(BUNDLE_POLICY_UPDATES);
    const unexplained = changes
      .filter(
        (c) =>
          !isLambda(c.urn) &&
          !shadowUrns.has(c.urn) &&
          c.stack !== METADATA_STACK &&
          !isBundlePolicy(c),
      )
      .map((c) => ({ stack: c.stack, urn: c.urn, op: c.op, inputs: changedInputs(c) }));
    expect(unexplained).toEqual([]);
    // The orchestrator's report counts no create and no delete, but metadata-dev's.
    for (const s of preview.stacks.filter((x) => x.status !== "skipped")) {
      const metadata = s.stack === METADATA_STACK;
      expect({ stack: s.stack, create: s.changes?.create, delete: s.changes?.delete }).toEqual({
        stack: s.stack,
        create: metadata ? BUNDLES.length : 0,
        delete: metadata ? oldObjects.length : 0,
      });
    }
  },
  DEPLOY_TIMEOUT_MS,
);

/**
 * The resource steps of an event log (`resourcePreEvent`; one JSON event per line), in order.
 * Strict: a line that is not JSON fails the test.
 */
function stepEvents(text: string): StepEvent[] {
  const out: StepEvent[] = [];
  for (const line of text.split("\n")) {
    if (line.trim() === "") continue;
    const event = JSON.parse(line) as { resourcePreEvent?: { metadata: StepEvent } };
    const m = event.resourcePreEvent?.metadata;
    if (m) out.push({ op: m.op, urn: m.urn, old: m.old, new: m.new });
  }
  return out;
}
