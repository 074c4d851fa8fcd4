// Pull-request comments of pulumi_preview: one comment per environment, found again by a hidden
// marker (`<!-- stacks-preview:<env> -->`) and updated in place on later pushes.
//
// - postPreviewComment: same-repository pull requests, from the preview job itself (its token can
//   write to pull requests). The body is the comment that `stacks preview --comment-file` wrote.
// - postForkComments: pull requests from forks (and Dependabot), whose token is read-only. Their
//   offline-plan summary travels as an artifact to the pulumi_preview_comment workflow
//   (workflow_run), which posts it. The artifact is untrusted data: its environment must be one
//   we know, its pull-request number must name an open pull request whose head is the commit that
//   the run planned, and markers inside it are removed.
//
// Used from actions/github-script (`require("./.github/scripts/pr-comment.js")`); tested in
// tools/workflows/workflows.test.ts with a fake GitHub client.
"use strict";

const fs = require("node:fs");
const path = require("node:path");

const ENVIRONMENTS = ["dev", "preprod", "prod"];
const GITHUB_BODY_LIMIT = 65536;
/** Name of the fork artifact of one environment: `stacks-preview-<env>`. */
const ARTIFACT_PATTERN = /^stacks-preview-(dev|preprod|prod)$/;

/** @param {string} env */
function assertEnv(env) {
  if (!ENVIRONMENTS.includes(env)) {
    throw new Error(`unknown environment "${env}"; expected one of ${ENVIRONMENTS.join(", ")}`);
  }
  return env;
}

/** The hidden first line that identifies the comment of one environment. */
function previewMarker(env) {
  return `<!-- stacks-preview:${assertEnv(env)} -->`;
}

/** Removes anything that looks like one of our markers from text we did not write. */
function stripMarkers(text) {
  return String(text).replace(/<!--\s*stacks-[\s\S]*?-->/g, "");
}

/** marker + content + footer, the content cut at a line boundary so that the whole fits. */
function composeBody(marker, content, footer) {
  const room = GITHUB_BODY_LIMIT - marker.length - footer.length - 200;
  let text = String(content).replace(/\s+$/, "");
  if (text.length > room) {
    const cut = text.lastIndexOf("\n", room);
    text = `${text.slice(0, cut > 0 ? cut : room)}\n\n… trimmed to fit GitHub's comment limit: see the workflow log.`;
  }
  return `${marker}\n${text}\n\n${footer}\n`;
}

function runUrl(context) {
  return `${context.serverUrl}/${context.repo.owner}/${context.repo.repo}/actions/runs/${context.runId}`;
}

/**
 * Updates the bot's comment that carries `marker`, or creates one.
 * @returns {Promise<{ action: "created" | "updated", id: number }>}
 */
async function upsertComment(github, { owner, repo, issueNumber, marker, body }) {
  const comments = await github.paginate(github.rest.issues.listComments, {
    owner,
    repo,
    issue_number: issueNumber,
    per_page: 100,
  });
  const existing = comments.find(
    (c) => c.user && c.user.type === "Bot" && typeof c.body === "string" && c.body.includes(marker),
  );
  if (existing) {
    await github.rest.issues.updateComment({ owner, repo, comment_id: existing.id, body });
    return { action: "updated", id: existing.id };
  }
  const created = await github.rest.issues.createComment({
    owner,
    repo,
    issue_number: issueNumber,
    body,
  });
  return { action: "created", id: created.data.id };
}

/**
 * Same-repository pull requests: posts (or updates) the comment of one environment from the file
 * that `stacks preview --comment-file` wrote; a note pointing at the log when there is none.
 */
async function postPreviewComment({ github, context, core, env, commentFile }) {
  const marker = previewMarker(env);
  const pr = context.payload.pull_request;
  if (!pr) throw new Error("postPreviewComment runs on pull_request events only");
  let content;
  try {
    content = fs.readFileSync(commentFile, "utf8");
  } catch {
    content = "";
  }
  if (content.trim() === "") {
    content =
      `## Pulumi preview: ${env}\n\n` +
      `**The preview of ${env} failed before it wrote a report** (credentials, backend or CLI ` +
      `problem): see the workflow log.`;
  }
  const sha = pr.head && pr.head.sha ? pr.head.sha.slice(0, 7) : "?";
  const footer = `<sub>Environment **${env}**, commit ${sha}, [workflow run](${runUrl(context)}). Updated in place on every push.</sub>`;
  const result = await upsertComment(github, {
    owner: context.repo.owner,
    repo: context.repo.repo,
    issueNumber: pr.number,
    marker,
    body: composeBody(marker, stripMarkers(content), footer),
  });
  core.info(`${result.action} the ${env} preview comment (${result.id}) on #${pr.number}`);
  return result;
}

function readSmall(file, max = 200) {
  try {
    return fs.readFileSync(file, "utf8").slice(0, max).trim();
  } catch {
    return "";
  }
}

/**
 * Fork pull requests: posts the offline-plan comments that the pulumi_preview run `workflowRun`
 * left as artifacts, downloaded into `dir` (one folder per artifact, named after it).
 * @returns {Promise<Array<{ env: string, action: string, issueNumber?: number }>>}
 */
async function postForkComments({ github, context, core, dir, workflowRun }) {
  const owner = context.repo.owner;
  const repo = context.repo.repo;
  const results = [];
  let entries = [];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    core.info(`no fork preview artifacts in ${dir}`);
    return results;
  }
  for (const entry of entries) {
    const match = entry.isDirectory() ? ARTIFACT_PATTERN.exec(entry.name) : null;
    if (!match) continue;
    const env = match[1];
    const folder = path.join(dir, entry.name);
    const number = readSmall(path.join(folder, "pr-number"));
    if (!/^[1-9][0-9]{0,9}$/.test(number)) {
      core.warning(`${entry.name}: no valid pull-request number; nothing posted`);
      results.push({ env, action: "rejected" });
      continue;
    }
    const issueNumber = Number(number);
    const { data: pr } = await github.rest.pulls.get({ owner, repo, pull_number: issueNumber });
    if (pr.state !== "open" || !pr.head || pr.head.sha !== workflowRun.head_sha) {
      core.warning(
        `${entry.name}: #${issueNumber} is not an open pull request whose head is ${workflowRun.head_sha}; nothing posted`,
      );
      results.push({ env, action: "rejected", issueNumber });
      continue;
    }
    let content = "";
    try {
      content = fs.readFileSync(path.join(folder, "comment.md"), "utf8");
    } catch {
      content = "";
    }
    if (content.trim() === "")
      content = `The offline plan of ${env} wrote no summary: see the workflow log.`;
    const marker = previewMarker(env);
    const header =
      `## Offline plan: ${env}\n\n` +
      `> [!NOTE]\n> This pull request comes from a fork (or Dependabot), so it gets no cloud credentials: ` +
      `this is the **offline plan** (Pulumi mocks and the policy pack, no AWS), not a preview against ` +
      `the real stacks. A maintainer can run the real preview from a branch of this repository.\n\n`;
    const runLink = workflowRun.html_url
      ? `[workflow run](${workflowRun.html_url})`
      : "workflow run";
    const footer = `<sub>Environment **${env}**, commit ${workflowRun.head_sha.slice(0, 7)}, ${runLink}. Updated in place on every push.</sub>`;
    const result = await upsertComment(github, {
      owner,
      repo,
      issueNumber,
      marker,
      body: composeBody(marker, header + stripMarkers(content), footer),
    });
    core.info(`${result.action} the ${env} offline-plan comment (${result.id}) on #${issueNumber}`);
    results.push({ env, action: result.action, issueNumber });
  }
  return results;
}

/** The hidden first line of the offline-diff comment (one per pull request, all environments). */
const DIFF_MARKER = "<!-- stacks-diff -->";
/** Name of the artifact the offline-diff job leaves: comment.md and pr-number. */
const DIFF_ARTIFACT = "stacks-diff";

/**
 * Every pull request (forks included): posts the `stacks diff` comment that the pulumi_preview
 * run `workflowRun` left as the `stacks-diff` artifact, downloaded into `dir`. The artifact is
 * untrusted data, checked as postForkComments checks its own.
 * @returns {Promise<{ action: string, issueNumber?: number }>}
 */
async function postDiffComment({ github, context, core, dir, workflowRun }) {
  const owner = context.repo.owner;
  const repo = context.repo.repo;
  const folder = path.join(dir, DIFF_ARTIFACT);
  if (!fs.existsSync(folder)) {
    core.info(`no ${DIFF_ARTIFACT} artifact in ${dir}`);
    return { action: "none" };
  }
  const number = readSmall(path.join(folder, "pr-number"));
  if (!/^[1-9][0-9]{0,9}$/.test(number)) {
    core.warning(`${DIFF_ARTIFACT}: no valid pull-request number; nothing posted`);
    return { action: "rejected" };
  }
  const issueNumber = Number(number);
  const { data: pr } = await github.rest.pulls.get({ owner, repo, pull_number: issueNumber });
  if (pr.state !== "open" || !pr.head || pr.head.sha !== workflowRun.head_sha) {
    core.warning(
      `${DIFF_ARTIFACT}: #${issueNumber} is not an open pull request whose head is ${workflowRun.head_sha}; nothing posted`,
    );
    return { action: "rejected", issueNumber };
  }
  let content = "";
  try {
    content = fs.readFileSync(path.join(folder, "comment.md"), "utf8");
  } catch {
    content = "";
  }
  if (content.trim() === "") content = "The offline diff wrote no comment: see the workflow log.";
  const runLink = workflowRun.html_url ? `[workflow run](${workflowRun.html_url})` : "workflow run";
  const footer = `<sub>Commit ${workflowRun.head_sha.slice(0, 7)}, ${runLink}. Updated in place on every push.</sub>`;
  const result = await upsertComment(github, {
    owner,
    repo,
    issueNumber,
    marker: DIFF_MARKER,
    body: composeBody(DIFF_MARKER, stripMarkers(content), footer),
  });
  core.info(`${result.action} the offline-diff comment (${result.id}) on #${issueNumber}`);
  return { action: result.action, issueNumber };
}

module.exports = {
  DIFF_MARKER,
  postDiffComment,
  ENVIRONMENTS,
  GITHUB_BODY_LIMIT,
  ARTIFACT_PATTERN,
  previewMarker,
  stripMarkers,
  composeBody,
  upsertComment,
  postPreviewComment,
  postForkComments,
};
