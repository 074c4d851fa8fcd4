/**
 * Review rules: what the projects know about their own resources that a reviewer of a preview or
 * of the offline diff must be told, beyond the counts (a role whose ARN another repository
 * grants, a task that reloads every table when it is replaced), and which inputs make the
 * provider replace a resource instead of updating it.
 *
 * A project declares them, as data and pure functions, in an optional `<project>/review.ts`
 * that exports `review: ProjectReview` and imports nothing but lib/model (no Pulumi SDK). The
 * orchestrator (tools/stacks/engine/review.ts) loads every project's file by that convention and
 * applies the rules to the steps of a preview's event log or of the offline diff.
 */

/** One step of a preview (an engine event) or of the offline diff, as a rule sees it. */
export interface ReviewStep {
  /** The engine's op: create, update, replace, create-replacement, delete-replaced, delete, same, ... */
  readonly op: string;
  readonly urn: string;
  readonly type: string;
  /** The logical name (the URN's last part). */
  readonly name: string;
  /** The top-level inputs that change, when the engine says. */
  readonly diffs?: readonly string[];
}

export interface ReviewStack {
  readonly stack: string;
  readonly steps?: readonly ReviewStep[];
}

export interface ReviewFinding {
  /** What would happen, in one sentence (shown in bold). */
  readonly headline: string;
  /** The resource, shown beside the headline in the preview's pull-request comment. */
  readonly urn?: string;
  /** What to do about it: the same for every finding of a rule, shown once under them. */
  readonly detail?: string;
}

/**
 * caution: a `[!CAUTION]` block (a step outside this repository is needed after the deploy);
 * warning: a `[!WARNING]` block. Caution blocks come first.
 */
export const SEVERITIES = ["caution", "warning"] as const;
export type Severity = (typeof SEVERITIES)[number];

export interface ReviewRule {
  /** Names the rule in errors, e.g. `pipelines/dmsRole`. */
  readonly id: string;
  readonly severity: Severity;
  /** The findings, in the order of the stacks and their steps. Pure. */
  readonly findings: (stacks: readonly ReviewStack[]) => ReviewFinding[];
}

/** The inputs whose change makes the provider replace a resource type (Terraform `ForceNew`). */
export interface ReplaceRule {
  /** Top-level input names whose change forces a replacement. */
  readonly inputs: readonly string[];
  /** The upstream schema the entry restates. */
  readonly source: string;
}

export type ReplaceOnChanges = Readonly<Record<string, ReplaceRule>>;

/** What `<project>/review.ts` exports as `review`. */
export interface ProjectReview {
  readonly rules?: readonly ReviewRule[];
  /** Replace-on-change facts of the resource types only this project deploys. */
  readonly replaceOnChanges?: ReplaceOnChanges;
}

/** Ops by which the engine replaces a resource (sdk/go/common/apitype/events.go, v3.248.0). */
export const REPLACING_OPS: ReadonlySet<string> = new Set([
  "replace",
  "create-replacement",
  "delete-replaced",
  "import-replacement",
]);

/** Ops by which the engine deletes a resource, or forgets it. */
export const DELETING_OPS: ReadonlySet<string> = new Set(["delete", "discard"]);

/** A finding as one line of text: the run report's and the diff's warnings. */
export function findingText(f: ReviewFinding): string {
  return f.detail ? `${f.headline} ${f.detail}` : f.headline;
}

/** The upstream Terraform file a replace-on-change entry restates. */
export const terraformSource = (file: string) =>
  `hashicorp/terraform-provider-aws internal/service/${file}`;
