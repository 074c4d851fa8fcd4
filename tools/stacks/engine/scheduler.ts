/**
 * Runs tasks that depend on each other: a task starts once everything it depends on has
 * succeeded, at most `parallel` at a time, in the given priority order among the ready ones.
 * When a task fails, everything that depends on it (transitively) is skipped and reported as
 * such; tasks that do not depend on it go on. Pure scheduling: the work, the clock and the
 * notifications are injected, so tests drive it with latches instead of timers.
 */

export interface ScheduledTask {
  readonly id: string;
  /** Ids of tasks that must succeed first; ids that are not in the run are ignored. */
  readonly dependsOn: readonly string[];
}

export type TaskStatus = "succeeded" | "failed" | "skipped";

export interface TaskOutcome<R> {
  readonly id: string;
  readonly status: TaskStatus;
  /** What `run` returned (succeeded, or failed by `isFailure`). */
  readonly result?: R;
  /** Why it failed (the error thrown) or why it was skipped. */
  readonly reason?: string;
  readonly durationMs: number;
}

export interface ScheduleOptions<T extends ScheduledTask, R> {
  /** In priority order: among tasks that are ready, the earliest starts first. */
  readonly tasks: readonly T[];
  /** At most this many tasks run at a time (at least 1). */
  readonly parallel: number;
  readonly run: (task: T) => Promise<R>;
  /** Whether a returned result is a failure that skips the task's dependents. Default: never. */
  readonly isFailure?: (result: R) => boolean;
  readonly now?: () => number;
  readonly onStart?: (task: T) => void;
  readonly onEnd?: (task: T, outcome: TaskOutcome<R>) => void;
}

/** Runs every task; resolves with one outcome per task, in the tasks' order. Never rejects. */
export async function runScheduled<T extends ScheduledTask, R>(
  options: ScheduleOptions<T, R>,
): Promise<TaskOutcome<R>[]> {
  const { tasks, run } = options;
  const now = options.now ?? (() => performance.now());
  const limit = Math.max(1, Math.floor(options.parallel));
  const ids = new Set(tasks.map((t) => t.id));
  if (ids.size !== tasks.length) throw new Error("runScheduled: task ids must be unique");
  const outcomes = new Map<string, TaskOutcome<R>>();
  const waiting = [...tasks];
  let running = 0;

  return new Promise<TaskOutcome<R>[]>((resolve) => {
    const finish = (task: T, outcome: TaskOutcome<R>) => {
      outcomes.set(task.id, outcome);
      options.onEnd?.(task, outcome);
    };

    const pump = () => {
      // Skip whatever depends on a task that failed or was skipped, until nothing changes.
      let changed = true;
      while (changed) {
        changed = false;
        for (const task of [...waiting]) {
          const blocker = task.dependsOn
            .filter((d) => ids.has(d))
            .map((d) => outcomes.get(d))
            .find((o) => o !== undefined && o.status !== "succeeded");
          if (blocker) {
            waiting.splice(waiting.indexOf(task), 1);
            const why = blocker.status === "failed" ? "failed" : "was skipped";
            finish(task, {
              id: task.id,
              status: "skipped",
              reason: `it depends on ${blocker.id}, which ${why}`,
              durationMs: 0,
            });
            changed = true;
          }
        }
      }
      for (const task of [...waiting]) {
        if (running >= limit) break;
        const ready = task.dependsOn.every(
          (d) => !ids.has(d) || outcomes.get(d)?.status === "succeeded",
        );
        if (!ready) continue;
        waiting.splice(waiting.indexOf(task), 1);
        running++;
        start(task);
      }
      if (running === 0 && waiting.length === 0) {
        resolve(tasks.map((t) => outcomes.get(t.id)!));
      }
    };

    const start = (task: T) => {
      const started = now();
      options.onStart?.(task);
      let promise: Promise<R>;
      try {
        promise = Promise.resolve(run(task));
      } catch (e) {
        promise = Promise.reject(e);
      }
      promise
        .then(
          (result): TaskOutcome<R> => ({
            id: task.id,
            status: options.isFailure?.(result) ? "failed" : "succeeded",
            result,
            durationMs: now() - started,
          }),
          (e: unknown): TaskOutcome<R> => ({
            id: task.id,
            status: "failed",
            reason: e instanceof Error ? e.message : String(e),
            durationMs: now() - started,
          }),
        )
        .then((outcome) => {
          running--;
          try {
            finish(task, outcome);
          } finally {
            pump();
          }
        })
        .catch((e: unknown) =>
          process.emitWarning(`stacks: a progress callback threw: ${String(e)}`),
        );
    };

    pump();
  });
}
