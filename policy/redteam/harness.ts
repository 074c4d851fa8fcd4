/**
 * The red-team harness: plans a real program with one mistake made at registration, through
 * the same offline pipeline as `npm run plan` (lib/plan/evaluate.ts under the planner's mocks,
 * then policy/runner.ts with the real policy-config.json), and says which policies blocked it.
 *
 * A mistake never names a file or a line: it names a resource by type and logical name (what
 * the URN holds, which a refactoring keeps) and changes its inputs or options as a Pulumi
 * resource transform would, adds resources next to the program's own, or removes one. Pulumi
 * cannot drop a registration (a transform only returns new props and options), so a removed
 * resource is still registered and is taken out of the plan the policies judge: the policies
 * see the stack as if the program had never constructed it.
 */
import * as pulumi from "@pulumi/pulumi";
import {
  type ConstructedResources,
  type ProgramChanges,
  evaluateAll,
  evaluateStack,
} from "../../lib/plan/evaluate";
import { type PlannedResource } from "../../lib/plan/plannedResource";
import { type Environment, type Project, stackName } from "../../lib/model/stacks";
import { type LoadedPolicyConfig, type PolicyViolation, runPolicies } from "../runner";

/** A resource of the program: its type token and logical name (or a pattern of names). */
export interface Target {
  readonly type: string;
  readonly name: string | RegExp;
}

/** What the added resources may use of the program: its resources and its AWS provider. */
export interface Program {
  /** The resource the program constructed with this type and name; throws when there is none. */
  resource<T extends pulumi.Resource>(type: string, name: string): T;
  /** Options every top-level resource of the programs carries (the provider with the tags). */
  readonly opts: pulumi.CustomResourceOptions;
}

export type Change =
  | {
      readonly kind: "inputs";
      readonly target: Target;
      readonly mutate: (props: pulumi.Inputs) => pulumi.Inputs;
    }
  | {
      readonly kind: "options";
      readonly target: Target;
      readonly mutate: (opts: pulumi.ResourceOptions) => pulumi.ResourceOptions;
    }
  /** Resources constructed after the program, as if it had constructed them too. */
  | { readonly kind: "add"; readonly add: (program: Program) => void }
  | { readonly kind: "remove"; readonly target: Target }
  /** The resource constructed as another type (an alias such as BucketV2), same name and inputs. */
  | {
      readonly kind: "retype";
      readonly target: Target & { readonly name: string };
      readonly type: string;
      readonly mutate?: (props: pulumi.Inputs) => pulumi.Inputs;
    };

export interface RedTeamCase {
  /** Short kebab-case id, unique. */
  readonly id: string;
  /** What the mistake is, in one line. */
  readonly mistake: string;
  readonly project: Project;
  /** Default prod. */
  readonly env?: Environment;
  readonly changes: readonly Change[];
  /** The policy expected to block it (a mandatory violation of this policy). */
  readonly blockedBy: string;
  /** For a control: the policy whose violation it must report as exempted (advisory, with the reason). */
  readonly exempted?: string;
}

export interface CaseResult {
  readonly id: string;
  readonly blockedBy: string;
  readonly blocked: boolean;
  /** Mandatory violations, by policy name. */
  readonly mandatory: readonly PolicyViolation[];
  /** Violations that an exemption turned advisory. */
  readonly exempted: readonly PolicyViolation[];
  readonly errors: readonly string[];
}

const matches = (target: Target, type: string, name: string) =>
  target.type === type &&
  (typeof target.name === "string" ? target.name === name : target.name.test(name));

const describe = (target: Target) => `${target.type} named ${String(target.name)}`;

/** The case's changes as the planner applies them, and what each one found. */
export function programChanges(c: RedTeamCase) {
  const missing: string[] = [];
  const found = new Map<Change, number>();
  const retyped = new Map<Change, { props: pulumi.Inputs; opts: pulumi.ResourceOptions }>();
  const seen = (change: Change) => found.set(change, (found.get(change) ?? 0) + 1);

  const transform = (args: pulumi.ResourceTransformArgs): pulumi.ResourceTransformResult => {
    let { props, opts } = args;
    for (const change of c.changes) {
      if (change.kind === "add" || !matches(change.target, args.type, args.name)) continue;
      seen(change);
      if (change.kind === "inputs") props = change.mutate(props);
      if (change.kind === "options") opts = change.mutate(opts);
      if (change.kind === "retype")
        retyped.set(change, { props: change.mutate?.(props) ?? props, opts });
    }
    return { props, opts };
  };

  const extend = (constructed: ConstructedResources) => {
    const program: Program = {
      resource<T extends pulumi.Resource>(type: string, name: string): T {
        const resource = constructed.get(`${type}::${name}`);
        if (!resource) throw new MissingTarget(c, describe({ type, name }));
        return resource as T;
      },
      get opts() {
        return {
          provider: program.resource<pulumi.ProviderResource>("pulumi:providers:aws", "aws"),
        };
      },
    };
    for (const change of c.changes) {
      try {
        if (change.kind === "add") change.add(program);
        const retype = change.kind === "retype" ? retyped.get(change) : undefined;
        if (change.kind === "retype" && retype)
          new AnyResource(change.type, change.target.name, retype.props, retype.opts);
      } catch (e) {
        if (!(e instanceof MissingTarget)) throw e;
        missing.push(e.message);
      }
    }
  };

  const changes: ProgramChanges = { transforms: [transform], extend };
  return {
    changes,
    /** Throws when a change found nothing to change: the program moved on, not the mistake. */
    check(): void {
      for (const change of c.changes)
        if (change.kind !== "add" && !found.get(change))
          missing.push(new MissingTarget(c, describe(change.target)).message);
      if (missing.length) throw new Error(missing.join("\n"));
    },
    /** What the policies judge: the plan less the removed and retyped-away resources. */
    judged(resources: readonly PlannedResource[]): PlannedResource[] {
      const gone = c.changes.flatMap((x) =>
        x.kind === "remove" || x.kind === "retype" ? [x.target] : [],
      );
      return resources.filter((r) => !gone.some((t) => matches(t, r.type, r.name)));
    },
  };
}

/** A custom resource of any type token (pulumi.CustomResource itself is abstract). */
export class AnyResource extends pulumi.CustomResource {}

class MissingTarget extends Error {
  constructor(c: RedTeamCase, what: string) {
    super(
      `red-team case ${c.id}: ${stackName(c.project, c.env ?? "prod")} has no ${what}; the program no longer constructs it, ` +
        `so point the case at the resource that now carries the mistake (policy/redteam/cases.ts)`,
    );
  }
}

/** Planned outputs of every unchanged stack of the environments, for StackReferences. */
export async function baseline(envs: readonly Environment[]) {
  return evaluateAll(envs);
}

export async function runCase(
  c: RedTeamCase,
  config: LoadedPolicyConfig,
  upstream: ReadonlyMap<string, Record<string, unknown>>,
): Promise<CaseResult> {
  const env = c.env ?? "prod";
  const plan = programChanges(c);
  const evaluation = await evaluateStack(c.project, env, { upstream, changes: plan.changes });
  plan.check();
  const violations = await runPolicies(plan.judged(evaluation.resources), {
    config,
    stackName: evaluation.stack,
  });
  const mandatory = violations.filter((v) => v.enforcementLevel === "mandatory");
  return {
    id: c.id,
    blockedBy: c.blockedBy,
    blocked: evaluation.errors.length === 0 && mandatory.some((v) => v.policyName === c.blockedBy),
    mandatory,
    exempted: violations.filter((v) => v.exemption !== undefined),
    errors: evaluation.errors,
  };
}
