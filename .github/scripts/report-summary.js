// Renders the run report that `npm run stacks -- <command> --json` prints (tools/stacks/README.md,
// `version` 1) as Markdown: for the job summary of pulumi_up and drift, the drift issue, and the
// offline-plan comment of pull requests from forks.
//
//   node .github/scripts/report-summary.js <report.json> [--title <text>] [--resources]
//
// A missing, empty or unreadable report (the command failed before it could write one) gives a
// short note that points at the job log instead, never an error: this runs after failures too.
// Plain CommonJS on purpose: the workflows run it with node and actions/github-script requires it.
"use strict";

const fs = require("node:fs");

/** GitHub refuses issue and pull-request comments (and issue bodies) longer than this. */
const GITHUB_BODY_LIMIT = 65536;

const ICON = { succeeded: "✅", failed: "❌", drifted: "⚠️", skipped: "⏭️" };

/** @param {string} text */
function cell(text) {
  return String(text).replace(/\|/g, "\\|").replace(/\r?\n/g, " ");
}

/** @param {string} text @param {number} max */
function firstLine(text, max = 160) {
  const line =
    String(text)
      .split("\n")
      .find((l) => l.trim() !== "") ?? "";
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** The text on one line (whitespace runs become one space), at most `max` characters. */
function clip(text, max) {
  const line = String(text).replace(/\s+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/**
 * Reads a report file. Returns `{ report }`, or `{ problem }` saying why there is none.
 * @param {string} file
 */
function readReport(file) {
  let text;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return { problem: "the command wrote no run report" };
  }
  if (text.trim() === "") return { problem: "the command wrote no run report" };
  try {
    const report = JSON.parse(text);
    if (!report || report.version !== 1 || !Array.isArray(report.stacks)) {
      return { problem: "the run report is not a version 1 report of tools/stacks" };
    }
    return { report };
  } catch {
    return { problem: "the run report is not valid JSON" };
  }
}

/** Counts of the report's stacks by status. */
function totals(report) {
  const count = (status) => report.stacks.filter((s) => s.status === status).length;
  return {
    succeeded: count("succeeded"),
    failed: count("failed"),
    drifted: count("drifted"),
    skipped: count("skipped"),
  };
}

/** "drift" when a stack drifted, "failed" when one failed otherwise, else "clean". */
function outcome(report) {
  const t = totals(report);
  if (t.drifted > 0) return "drift";
  if (t.failed > 0 || report.exitCode !== 0) return "failed";
  return "clean";
}

function formatDuration(ms) {
  if (typeof ms !== "number" || !Number.isFinite(ms)) return "-";
  if (ms < 60000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${s % 60} s`;
}

function stackTable(report) {
  const plan = report.command === "plan";
  const rows = report.stacks.map((s) => {
    const status = `${ICON[s.status] ?? ""} ${s.status}`.trim();
    const note = s.reason ? cell(firstLine(s.reason)) : "";
    const skipped = s.status === "skipped";
    if (plan) {
      const violations = s.policyViolations ?? [];
      const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory").length;
      const resources = skipped || !s.resources ? "-" : String(s.resources.length);
      const m = skipped ? "-" : String(mandatory);
      const a = skipped ? "-" : String(violations.length - mandatory);
      return `| ${s.stack} | ${status} | ${resources} | ${m} | ${a} | ${note} |`;
    }
    const c = s.changes;
    const n = (k) => (c && typeof c[k] === "number" ? String(c[k]) : "-");
    return `| ${s.stack} | ${status} | ${n("create")} | ${n("update")} | ${n("replace")} | ${n("delete")} | ${note} |`;
  });
  const header = plan
    ? [
        "| stack | result | resources | mandatory | advisory | note |",
        "|---|---|---:|---:|---:|---|",
      ]
    : [
        "| stack | result | create | update | replace | delete | note |",
        "|---|---|---:|---:|---:|---:|---|",
      ];
  return [...header, ...rows].join("\n");
}

function policyLines(report, max) {
  const items = report.stacks.flatMap((s) =>
    (s.policyViolations ?? []).map((v) => ({ stack: s.stack, v })),
  );
  const sorted = [
    ...items.filter((i) => i.v.enforcementLevel === "mandatory"),
    ...items.filter((i) => i.v.enforcementLevel !== "mandatory"),
  ];
  const lines = sorted.slice(0, max).map(({ stack, v }) => {
    const level = v.enforcementLevel === "mandatory" ? "❌ mandatory" : "⚠️ advisory";
    const where =
      v.resourceType && v.resourceName
        ? ` on \`${cell(v.resourceType)}\` \`${cell(v.resourceName)}\``
        : v.resourceName
          ? ` on \`${cell(v.resourceName)}\``
          : v.urn
            ? ` on \`${cell(v.urn)}\``
            : "";
    // The violation's own message; the policy's description (real runs) only as a second line.
    const about = v.description ? `<br><sub>${cell(clip(v.description, 300))}</sub>` : "";
    return `- ${level} \`${cell(v.policyName)}\`${where} (${stack}): ${cell(clip(v.message, 400))}${about}`;
  });
  if (sorted.length > max) lines.push(`- … ${sorted.length - max} more: see the job log.`);
  return lines;
}

function resourceSection(report) {
  const parts = [];
  for (const s of report.stacks) {
    if (!s.resources || s.resources.length === 0) continue;
    const rows = s.resources.map(
      (r) => `| \`${cell(r.type)}\` | ${cell(r.name)} | ${r.protect ? "yes" : ""} |`,
    );
    parts.push(
      `<details><summary>${s.stack}: ${s.resources.length} resources</summary>\n\n` +
        ["| type | name | protected |", "|---|---|---|", ...rows].join("\n") +
        "\n</details>",
    );
  }
  return parts;
}

/**
 * The Markdown of a report.
 * @param {any} report a parsed version 1 run report
 * @param {{ title?: string, resources?: boolean, maxPolicies?: number }} [options]
 */
function renderReport(report, options = {}) {
  const title = options.title ?? `stacks ${report.command}`;
  const t = totals(report);
  const counts = [`${t.succeeded} succeeded`, `${t.failed} failed`];
  if (t.drifted > 0) counts.push(`${t.drifted} drifted`);
  counts.push(`${t.skipped} skipped`);
  const verdict =
    outcome(report) === "drift"
      ? "Drift found"
      : outcome(report) === "failed"
        ? "Failed"
        : "Succeeded";
  const parts = [
    `### ${title}`,
    `**${verdict}**: ${report.stacks.length} stacks (${counts.join(", ")}) in ${formatDuration(report.durationMs)}, exit code ${report.exitCode}.`,
  ];
  const warnings = Array.isArray(report.warnings) ? report.warnings : [];
  if (warnings.length > 0) {
    parts.push(["> [!CAUTION]", ...warnings.map((w) => `> ${cell(w)}`)].join("\n>\n"));
  }
  parts.push(stackTable(report));
  const policies = policyLines(report, options.maxPolicies ?? 50);
  if (policies.length > 0) parts.push(["**Policy violations**", "", ...policies].join("\n"));
  if (options.resources) parts.push(...resourceSection(report));
  return fit(parts.join("\n\n") + "\n");
}

/** The note written instead of a report when there is none. */
function renderMissing(title, problem) {
  return `### ${title}\n\n**No run report**: ${problem}. The job log says what went wrong.\n`;
}

/** Cuts text to GitHub's limit (with room for a marker and a footer), at a line boundary. */
function fit(text, limit = GITHUB_BODY_LIMIT - 2000) {
  if (text.length <= limit) return text;
  const cut = text.lastIndexOf("\n", limit - 200);
  return `${text.slice(0, cut > 0 ? cut : limit - 200)}\n\n… trimmed to fit GitHub's limit: see the job log.\n`;
}

/** Renders a report file, or the note that stands in for it. */
function renderFile(file, options = {}) {
  const title = options.title ?? "stacks";
  const { report, problem } = readReport(file);
  return report ? renderReport(report, { ...options, title }) : renderMissing(title, problem);
}

function main(argv) {
  const args = [...argv];
  const options = {};
  let file;
  while (args.length > 0) {
    const arg = args.shift();
    if (arg === "--title") options.title = args.shift();
    else if (arg === "--resources") options.resources = true;
    else if (file === undefined) file = arg;
    else throw new Error(`unexpected argument "${arg}"`);
  }
  if (!file)
    throw new Error("usage: report-summary.js <report.json> [--title <text>] [--resources]");
  process.stdout.write(renderFile(file, options));
}

module.exports = {
  GITHUB_BODY_LIMIT,
  readReport,
  totals,
  outcome,
  renderReport,
  renderMissing,
  renderFile,
  fit,
};

if (require.main === module) main(process.argv.slice(2));
