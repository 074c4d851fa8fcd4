/**
 * Between two stacks, the offline plan gives back the memory of the one before. A stack's
 * program keeps all its registrations in flight at once, so V8 promotes them to the old
 * generation, and it collects that generation only once the heap has grown several times over:
 * at 755 tables the heap reached 760 MB for about 100 MB of live data. One full collection
 * between stacks, when the heap grew by more than GROWTH_MB since the last one, costs tens of
 * milliseconds and keeps the peak near what a single stack needs.
 */
import * as v8 from "node:v8";
import * as vm from "node:vm";

const GROWTH_MB = 64;
/** Below this, a heap is left to V8: the plan of the repository's own tables never gets there. */
const FLOOR_MB = 256;
const MB = 1024 * 1024;
let usedAfterLast = 0;
let collect: (() => void) | undefined;

/**
 * V8's `gc` function, which node gives only with --expose-gc: the flag is set for as long as
 * it takes to read the function from a new context, as jest-leak-detector does
 * (jestjs/jest v30, packages/jest-leak-detector/src/index.ts `_runGarbageCollector`).
 */
function collector(): () => void {
  if (!collect) {
    const exposed = (globalThis as { gc?: () => void }).gc;
    if (exposed) collect = exposed;
    else {
      v8.setFlagsFromString("--expose-gc");
      const gc: unknown = vm.runInNewContext("typeof gc === 'function' ? gc : undefined");
      v8.setFlagsFromString("--no-expose-gc");
      // A runtime that refuses the flag only loses the memory saving.
      collect = typeof gc === "function" ? (gc as () => void) : () => undefined;
    }
  }
  return collect;
}

/** Collects garbage if the heap holds over FLOOR_MB and grew by GROWTH_MB since the last time. */
export function releaseGrownHeap(): boolean {
  const used = v8.getHeapStatistics().used_heap_size;
  if (used < FLOOR_MB * MB || used - usedAfterLast < GROWTH_MB * MB) return false;
  collector()();
  usedAfterLast = v8.getHeapStatistics().used_heap_size;
  return true;
}
