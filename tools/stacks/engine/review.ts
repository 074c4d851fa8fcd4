/**
 * The review rules and replace-on-change facts, collected from the projects by convention: each
 * project of lib/model/stacks.ts may have a `review.ts` exporting `review: ProjectReview`
 * (lib/model/review.ts). The orchestrator names no project and knows no resource type: the
 * warnings of the preview's comment, of the run report and of the offline diff, and which input
 * changes are replacements, all come from here.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import { AWS_REPLACE_ON_CHANGES } from "../../../lib/model/awsReplaceOnChanges";
import {
  type ProjectReview,
  type ReplaceOnChanges,
  type ReplaceRule,
  type ReviewFinding,
  type ReviewRule,
  type ReviewStack,
  SEVERITIES,
  type Severity,
  findingText,
} from "../../../lib/model/review";
import { PROJECTS, REPO_ROOT, projectDir } from "../../../lib/model/stacks";

export const REVIEW_FILE = "review.ts";

export interface Review {
  /** Every project's rules, caution before warning, then in project order. */
  readonly rules: readonly ReviewRule[];
  /** The generic AWS facts merged with every project's. */
  readonly replaceOnChanges: ReplaceOnChanges;
}

const replaceRule = z.object({ inputs: z.array(z.string()), source: z.string().min(1) });
const projectReview = z.object({
  rules: z
    .array(
      z.object({
        id: z.string().min(1),
        severity: z.enum(SEVERITIES),
        findings: z.custom<ReviewRule["findings"]>((f) => typeof f === "function", {
          message: "expected a function (stacks) => findings",
        }),
      }),
    )
    .optional(),
  replaceOnChanges: z.record(z.string(), replaceRule).optional(),
});

export class ReviewError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ReviewError";
  }
}

/** Merges the projects' reviews (in order) with the generic facts; a type declared twice is an error. */
export function mergeReviews(
  reviews: readonly { readonly file: string; readonly review: ProjectReview }[],
): Review {
  const replaceOnChanges: Record<string, ReplaceRule> = { ...AWS_REPLACE_ON_CHANGES };
  const owner = new Map(
    Object.keys(replaceOnChanges).map((t) => [t, "lib/model/awsReplaceOnChanges.ts"]),
  );
  for (const { file, review } of reviews) {
    for (const [type, rule] of Object.entries(review.replaceOnChanges ?? {})) {
      const first = owner.get(type);
      if (first) {
        throw new ReviewError(
          `${file}: replaceOnChanges declares ${type}, which ${first} declares already; keep one of them.`,
        );
      }
      owner.set(type, file);
      replaceOnChanges[type] = rule;
    }
  }
  const rules = reviews.flatMap((r) => r.review.rules ?? []);
  const bySeverity = (s: Severity) => rules.filter((r) => r.severity === s);
  return { rules: SEVERITIES.flatMap(bySeverity), replaceOnChanges };
}

/** Reads `<project>/review.ts` of every project that has one. */
export function loadReview(root: string = REPO_ROOT): Review {
  const reviews = PROJECTS.flatMap((project) => {
    const file = path.join(projectDir(project, root), REVIEW_FILE);
    if (!fs.existsSync(file)) return [];
    const shown = path.relative(root, file);
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- found by convention
    const exported = (require(file) as { review?: unknown }).review;
    const parsed = projectReview.safeParse(exported);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ReviewError(
        `${shown}: \`export const review: ProjectReview\` (lib/model/review.ts) is invalid` +
          (issue.path.length > 0 ? ` at ${issue.path.join(".")}` : "") +
          `: ${exported === undefined ? "the file does not export review" : issue.message}.`,
      );
    }
    return [{ file: shown, review: parsed.data as ProjectReview }];
  });
  return mergeReviews(reviews);
}

let loaded: Review | undefined;

/** The repository's review, loaded once. */
export function repoReview(): Review {
  return (loaded ??= loadReview());
}

export interface SeverityFindings {
  readonly severity: Severity;
  readonly findings: readonly ReviewFinding[];
}

/** The findings of every rule, grouped by severity (caution first); empty groups left out. */
export function reviewFindings(
  stacks: readonly ReviewStack[],
  rules: readonly ReviewRule[] = repoReview().rules,
): SeverityFindings[] {
  return SEVERITIES.map((severity) => ({
    severity,
    findings: rules.filter((r) => r.severity === severity).flatMap((r) => r.findings(stacks)),
  })).filter((g) => g.findings.length > 0);
}

/** The findings as the run report's and the diff's warnings: one line each, caution first. */
export function reviewWarnings(
  stacks: readonly ReviewStack[],
  rules: readonly ReviewRule[] = repoReview().rules,
): string[] {
  return reviewFindings(stacks, rules).flatMap((g) => g.findings.map(findingText));
}

/** The top-level inputs among `changed` that force a replacement of a `type` (undefined: no facts). */
export function replacingInputs(
  type: string,
  changed: readonly string[],
  table: ReplaceOnChanges = repoReview().replaceOnChanges,
): string[] | undefined {
  const rule = table[type];
  if (!rule) return undefined;
  return changed.filter((input) => rule.inputs.includes(input));
}
