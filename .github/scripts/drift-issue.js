// The drift workflow's issue: one open issue per environment, found again by a hidden marker
// (`<!-- stacks-drift:<env> -->`). When `stacks refresh --preview-only --expect-no-changes` finds
// drift, the issue is opened, or its body is replaced with the latest summary (and a comment says
// that the drift was seen again). When a later check is clean, the issue is closed with a comment.
// A check that failed for another reason (credentials, a broken stack) leaves the issue alone: the
// failed job is the signal then.
//
// Used from actions/github-script (`require("./.github/scripts/drift-issue.js")`); tested in
// tools/workflows/workflows.test.ts with a fake GitHub client.
"use strict";

const { readReport, renderReport, outcome, fit } = require("./report-summary.js");

const ENVIRONMENTS = ["dev", "preprod", "prod"];
const LABEL = "drift";

function driftMarker(env) {
  if (!ENVIRONMENTS.includes(env)) throw new Error(`unknown environment "${env}"`);
  return `<!-- stacks-drift:${env} -->`;
}

function issueTitle(env) {
  return `Drift detected in ${env}`;
}

function issueBody(env, report, runUrl) {
  const summary = renderReport(report, { title: `Drift check of ${env}` });
  const drifted = report.stacks.filter((s) => s.status === "drifted").map((s) => s.stack);
  return fit(
    [
      driftMarker(env),
      `The nightly drift check (\`npm run stacks -- refresh --env ${env} --preview-only --expect-no-changes\`) ` +
        `found resources in AWS that differ from the Pulumi state of: ${drifted.map((s) => `\`${s}\``).join(", ")}.`,
      `Latest check: [workflow run](${runUrl}).`,
      summary,
      "**What to do**: read the diff in the run's log. If the change in AWS was wanted, put it in the code " +
        "(or accept it with `npm run stacks -- refresh --env " +
        env +
        " --project <project>`); if not, deploy again to put AWS back (`pulumi_up` workflow, or " +
        "`npm run stacks -- up --env " +
        env +
        " --project <project>`). This issue closes itself after the next clean check.",
    ].join("\n\n") + "\n",
  );
}

async function findOpenIssue(github, { owner, repo, env }) {
  const marker = driftMarker(env);
  const issues = await github.paginate(github.rest.issues.listForRepo, {
    owner,
    repo,
    state: "open",
    per_page: 100,
  });
  return issues.find(
    (i) =>
      !i.pull_request &&
      i.user &&
      i.user.type === "Bot" &&
      typeof i.body === "string" &&
      i.body.includes(marker),
  );
}

/**
 * Opens, updates or closes the environment's drift issue from a run report.
 * @param {{ github: any, owner: string, repo: string, env: string, report: any, runUrl: string }} args
 * @returns {Promise<{ action: "created" | "updated" | "closed" | "none", number?: number, outcome: string }>}
 */
async function syncDriftIssue({ github, owner, repo, env, report, runUrl }) {
  const state = report ? outcome(report) : "failed";
  if (state === "failed") return { action: "none", outcome: state };
  const existing = await findOpenIssue(github, { owner, repo, env });
  if (state === "drift") {
    const body = issueBody(env, report, runUrl);
    if (existing) {
      await github.rest.issues.update({
        owner,
        repo,
        issue_number: existing.number,
        title: issueTitle(env),
        body,
      });
      await github.rest.issues.createComment({
        owner,
        repo,
        issue_number: existing.number,
        body: `Drift seen again by the [drift check](${runUrl}); the description has the latest summary.`,
      });
      return { action: "updated", number: existing.number, outcome: state };
    }
    const created = await github.rest.issues.create({
      owner,
      repo,
      title: issueTitle(env),
      body,
      labels: [LABEL],
    });
    return { action: "created", number: created.data.number, outcome: state };
  }
  if (existing) {
    await github.rest.issues.createComment({
      owner,
      repo,
      issue_number: existing.number,
      body: `The [drift check](${runUrl}) of ${env} found no drift any more: closing.`,
    });
    await github.rest.issues.update({
      owner,
      repo,
      issue_number: existing.number,
      state: "closed",
      state_reason: "completed",
    });
    return { action: "closed", number: existing.number, outcome: state };
  }
  return { action: "none", outcome: state };
}

/** The drift job's step: reads the report file and syncs the issue. */
async function run({ github, context, core, env, reportFile }) {
  const { report, problem } = readReport(reportFile);
  if (!report) core.warning(`drift check of ${env}: ${problem}; the issue is left as it is`);
  const runUrl = `${context.serverUrl}/${context.repo.owner}/${context.repo.repo}/actions/runs/${context.runId}`;
  const result = await syncDriftIssue({
    github,
    owner: context.repo.owner,
    repo: context.repo.repo,
    env,
    report,
    runUrl,
  });
  core.info(
    `drift check of ${env}: ${result.outcome}; issue ${result.action}${result.number ? ` #${result.number}` : ""}`,
  );
  return result;
}

module.exports = { LABEL, driftMarker, issueTitle, issueBody, findOpenIssue, syncDriftIssue, run };
