/**
 * What the commands that call the Pulumi CLI (preview, up, refresh, destroy, cancel) share:
 * the selection, the check of `--target`/`--replace` URNs against it, the CLI on PATH, the
 * confirmation, then one call per stack through the scheduler (pulumi/run.ts).
 */
import type { Command } from "commander";
import { type Environment, REPO_ROOT } from "../../../lib/model/stacks";
import { type Selection, defaultParallel } from "../engine/selection";
import type { RealCommand } from "../pulumi/pulumi";
import type { Io } from "../report/io";
import {
  type CommandModule,
  EXIT_FAILED,
  EXIT_OK,
  type ParsedOptions,
  UsageError,
  selectionOf,
} from "./command";
import { envOption, realOptions } from "./options";

/** What a run asks before it starts: `question`, answered by typing `expected`. */
export interface Confirmation {
  readonly question: string;
  readonly expected: string;
}

/** The facts a command's own texts and checks need. */
export interface RealRun {
  readonly options: ParsedOptions;
  readonly selection: Selection;
  /** The stacks, comma-separated, in run order. */
  readonly list: string;
  readonly envName: Environment;
}

export interface RealCommandSpec {
  readonly name: RealCommand;
  readonly description: string;
  /** The command's own options, after `--env` and realOptions. */
  readonly options?: (cmd: Command) => Command;
  /** Usage checks of the command's own options (throw UsageError), before anything runs. */
  readonly check?: (run: Omit<RealRun, "list">) => void;
  /** Printed on stderr before the confirmation, even with --yes. */
  readonly notice?: (run: RealRun) => string;
  /** Set: the command asks first, unless --yes (which it then declares). */
  readonly confirmation?: (run: RealRun) => Confirmation;
}

async function confirm(io: Io, question: string, expected: string): Promise<boolean> {
  const answer = (await io.prompt(`${question} Type "${expected}" to continue: `)).trim();
  return answer === expected;
}

/** URNs of `urn:pulumi:<stack>::` form must name a selected stack. */
function checkUrns(o: ParsedOptions, selection: Selection): void {
  const selected = selection.stacks.map((s) => s.stack);
  for (const urn of [...(o.target ?? []), ...(o.replace ?? [])]) {
    const named = /^urn:pulumi:([^:]+)::/.exec(urn)?.[1];
    if (named !== undefined && !selected.includes(named)) {
      throw new UsageError(
        `${urn} names stack ${named}, which this run does not select; selected stacks: ${selected.join(", ") || "none"}. ` +
          `Add the right --env and --project.`,
      );
    }
  }
}

export function realCommand(spec: RealCommandSpec): CommandModule {
  const { name: command } = spec;
  return {
    name: command,
    description: spec.description,
    configure: (cmd) => {
      const common = realOptions(cmd.addOption(envOption(false, true)));
      return spec.options ? spec.options(common) : common;
    },
    async run(o, deps) {
      const requested = selectionOf(o, { reverse: command === "destroy" });
      const { io } = deps;
      const env = deps.env ?? process.env;
      const envName = requested.envs[0];
      const repoRoot = deps.repoRoot ?? REPO_ROOT;
      spec.check?.({ options: o, selection: requested, envName });
      checkUrns(o, requested);
      const affected =
        o.affectedSince === undefined ? undefined : await affectedStacks(o.affectedSince);
      if (affected === null) return EXIT_FAILED;
      const selection = affected?.selection ?? requested;
      if (selection.stacks.length === 0 && !affected) {
        for (const s of selection.skipped) io.err(`skipped ${s.stack}: ${s.reason}`);
        io.err(`stacks ${command}: no stack to run in ${envName}.`);
        return EXIT_OK;
      }
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: not needed by fast paths
      const pulumi = require("../pulumi/pulumi") as typeof import("../pulumi/pulumi");
      // With --affected-since and nothing affected, the run only reports what it skipped.
      const runsAny = selection.stacks.length > 0;
      if (runsAny && !deps.spawn && !pulumi.findOnPath("pulumi", env)) {
        io.err(
          `stacks ${command}: the Pulumi CLI ("pulumi") is not on PATH. Install it (https://www.pulumi.com/docs/install/) ` +
            `and try again; "npm run plan" needs no CLI and plans every stack offline.`,
        );
        return EXIT_FAILED;
      }
      const run: RealRun = {
        options: o,
        selection,
        list: selection.stacks.map((s) => s.stack).join(", "),
        envName,
      };
      if (spec.notice && runsAny) io.err(spec.notice(run));
      if (spec.confirmation && !o.yes && runsAny) {
        if (!io.interactive) {
          throw new UsageError(
            `${command} needs confirmation, and this is not a terminal: pass --yes to confirm.`,
          );
        }
        const { question, expected } = spec.confirmation(run);
        if (!(await confirm(io, question, expected))) {
          io.err(`stacks ${command}: not confirmed; nothing was done.`);
          return EXIT_FAILED;
        }
      }
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { runReal } = require("../pulumi/run") as typeof import("../pulumi/run");
      const report = await runReal({
        command,
        selection,
        parallel: o.parallel ?? defaultParallel({ command, previewOnly: Boolean(o.previewOnly) }),
        repoRoot,
        env,
        local: Boolean(o.local),
        targets: o.target ?? [],
        replaces: o.replace ?? [],
        previewOnly: Boolean(o.previewOnly),
        expectNoChanges: Boolean(o.expectNoChanges),
        commentFile: o.commentFile,
        json: Boolean(o.json),
        io,
        spawn: deps.spawn,
        now: deps.now,
        affected: affected && { since: affected.since, selected: affected.selected },
      });
      return report.exitCode;

      /** The narrowed selection (engine/affected.ts), or null when the revision is unusable. */
      async function affectedStacks(rev: string) {
        type Engine = typeof import("../engine/affectedSince");
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy: not needed by fast paths
        const { DiffError, affectedSince } = require("../engine/affectedSince") as Engine;
        const humanOut = o.json ? io.err : io.out;
        try {
          const decision = await affectedSince({
            repoRoot,
            rev,
            selection: requested,
            log: (line) => io.err(line),
            diffPlans: deps.diffPlans,
          });
          for (const s of decision.selected) {
            humanOut(`selected ${s.stack}: ${s.reasons.join("; ")}`);
          }
          return decision;
        } catch (e) {
          if (!(e instanceof DiffError)) throw e;
          io.err(`stacks ${command}: ${e.message.replace(/^--base /, "--affected-since ")}`);
          return null;
        }
      }
    },
  };
}
