import { type TaskOutcome, runScheduled } from "./scheduler";

/** A promise the test resolves or rejects by hand. */
function latch<T = string>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const flush = () => new Promise((r) => setImmediate(r));

// The prod graph: core and pipelines_base are independent; metadata needs core; pipelines needs
// core and pipelines_base; glue needs core and metadata.
const PROD = [
  { id: "core", dependsOn: [] },
  { id: "base", dependsOn: [] },
  { id: "metadata", dependsOn: ["core"] },
  { id: "pipelines", dependsOn: ["core", "base"] },
  { id: "glue", dependsOn: ["core", "metadata"] },
];

function harness(parallel: number, tasks = PROD) {
  const latches = new Map(tasks.map((t) => [t.id, latch()]));
  const running = new Set<string>();
  const started: string[] = [];
  const events: string[] = [];
  let maxRunning = 0;
  const done = runScheduled({
    tasks,
    parallel,
    now: () => 0,
    run: async (t) => {
      running.add(t.id);
      started.push(t.id);
      maxRunning = Math.max(maxRunning, running.size);
      try {
        return await latches.get(t.id)!.promise;
      } finally {
        running.delete(t.id);
      }
    },
    isFailure: (r) => r === "bad",
    onStart: (t) => events.push(`start ${t.id}`),
    onEnd: (t, o) => events.push(`end ${t.id} ${o.status}`),
  });
  return { latches, running, started, events, done, max: () => maxRunning };
}

describe("runScheduled", () => {
  it("runs one at a time in the given order with parallel 1", async () => {
    const h = harness(1);
    for (const id of ["core", "base", "metadata", "pipelines", "glue"]) {
      await flush();
      expect([...h.running]).toEqual([id]);
      h.latches.get(id)!.resolve("ok");
    }
    const outcomes = await h.done;
    expect(outcomes.map((o) => [o.id, o.status])).toEqual([
      ["core", "succeeded"],
      ["base", "succeeded"],
      ["metadata", "succeeded"],
      ["pipelines", "succeeded"],
      ["glue", "succeeded"],
    ]);
    expect(h.max()).toBe(1);
  });

  it("runs independent tasks at once, never more than the limit, each after its dependencies", async () => {
    const h = harness(2);
    await flush();
    expect([...h.running].sort()).toEqual(["base", "core"]);
    h.latches.get("core")!.resolve("ok");
    await flush();
    // metadata is ready; pipelines still waits for base.
    expect([...h.running].sort()).toEqual(["base", "metadata"]);
    h.latches.get("base")!.resolve("ok");
    await flush();
    expect([...h.running].sort()).toEqual(["metadata", "pipelines"]);
    h.latches.get("metadata")!.resolve("ok");
    await flush();
    expect([...h.running].sort()).toEqual(["glue", "pipelines"]);
    h.latches.get("pipelines")!.resolve("ok");
    h.latches.get("glue")!.resolve("ok");
    await h.done;
    expect(h.max()).toBe(2);
  });

  it("with a high limit, starts everything whose dependencies are done (the critical path)", async () => {
    const h = harness(10);
    await flush();
    expect([...h.running].sort()).toEqual(["base", "core"]);
    h.latches.get("core")!.resolve("ok");
    h.latches.get("base")!.resolve("ok");
    await flush();
    expect([...h.running].sort()).toEqual(["metadata", "pipelines"]);
    h.latches.get("metadata")!.resolve("ok");
    h.latches.get("pipelines")!.resolve("ok");
    await flush();
    expect([...h.running]).toEqual(["glue"]);
    h.latches.get("glue")!.resolve("ok");
    await h.done;
  });

  it("skips everything that depends on a failed task, transitively, and lets independent tasks go on", async () => {
    const h = harness(1);
    await flush();
    h.latches.get("core")!.reject(new Error("boom"));
    await flush();
    expect([...h.running]).toEqual(["base"]);
    h.latches.get("base")!.resolve("ok");
    const outcomes = await h.done;
    const byId = Object.fromEntries(outcomes.map((o) => [o.id, o])) as Record<
      string,
      TaskOutcome<string>
    >;
    expect(byId.core).toMatchObject({ status: "failed", reason: "boom" });
    expect(byId.base.status).toBe("succeeded");
    expect(byId.metadata).toMatchObject({
      status: "skipped",
      reason: "it depends on core, which failed",
    });
    expect(byId.pipelines).toMatchObject({
      status: "skipped",
      reason: "it depends on core, which failed",
    });
    expect(byId.glue.status).toBe("skipped");
    expect(h.started).toEqual(["core", "base"]);
    expect(h.events).toEqual([
      "start core",
      "end core failed",
      "end metadata skipped",
      "end pipelines skipped",
      "end glue skipped",
      "start base",
      "end base succeeded",
    ]);
  });

  it("treats a result that isFailure calls a failure like a thrown error", async () => {
    const h = harness(2);
    await flush();
    h.latches.get("base")!.resolve("bad");
    h.latches.get("core")!.resolve("ok");
    await flush();
    h.latches.get("metadata")!.resolve("ok");
    await flush();
    h.latches.get("glue")!.resolve("ok");
    const outcomes = await h.done;
    expect(outcomes.map((o) => `${o.id}:${o.status}`)).toEqual([
      "core:succeeded",
      "base:failed",
      "metadata:succeeded",
      "pipelines:skipped",
      "glue:succeeded",
    ]);
    expect(outcomes[1].result).toBe("bad");
    expect(outcomes[3].reason).toBe("it depends on base, which failed");
  });

  it("says when a dependency was itself skipped", async () => {
    const tasks = [
      { id: "a", dependsOn: [] },
      { id: "b", dependsOn: ["a"] },
      { id: "c", dependsOn: ["b"] },
    ];
    const outcomes = await runScheduled({
      tasks,
      parallel: 1,
      run: (t) => (t.id === "a" ? Promise.reject(new Error("no")) : Promise.resolve("ok")),
    });
    expect(outcomes.map((o) => o.reason)).toEqual([
      "no",
      "it depends on a, which failed",
      "it depends on b, which was skipped",
    ]);
  });

  it("ignores dependencies outside the run and measures with the given clock", async () => {
    let t = 0;
    const outcomes = await runScheduled({
      tasks: [{ id: "x", dependsOn: ["not-in-run"] }],
      parallel: 1,
      now: () => (t += 5),
      run: () => Promise.resolve("ok"),
    });
    expect(outcomes).toEqual([{ id: "x", status: "succeeded", result: "ok", durationMs: 5 }]);
  });

  it("resolves at once with nothing to run", async () => {
    await expect(
      runScheduled({ tasks: [], parallel: 3, run: () => Promise.resolve(1) }),
    ).resolves.toEqual([]);
  });
});
