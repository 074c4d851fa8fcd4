/**
 * A stack's checkpoint file in a self-managed backend, found and read as the CLI reads it.
 *
 * The CLI writes `.pulumi/stacks/<project>/<stack>.json`, gzipped as `.json.gz` under
 * PULUMI_DIY_BACKEND_GZIP (which `pulumiEnv` sets) or zstd-compressed as `.json.zst` under
 * PULUMI_DIY_BACKEND_ZSTD, and it reads whichever of the three was written last (`stackPath`,
 * pkg/backend/diy/state.go, v3.248.0: the newest by modification time, the later key on a tie).
 * A run without the variable (by hand, say) writes plain JSON and moves the compressed file to
 * `.bak` (`saveCheckpoint`), so either form may be there.
 */
import { gunzipSync } from "node:zlib";
import { type BackendStore } from "./backendStore";

/** The keys the CLI looks at for a stack's checkpoint, in its listing order. */
export function checkpointKeys(project: string, stack: string): string[] {
  const plain = `.pulumi/stacks/${project}/${stack}.json`;
  return [plain, `${plain}.gz`, `${plain}.zst`];
}

/** The key the CLI reads among those present, given each one's modification time. */
export function newestCheckpointKey(
  present: readonly { key: string; modified: Date }[],
): string | undefined {
  let best: { key: string; modified: Date } | undefined;
  for (const p of [...present].sort((a, b) => (a.key < b.key ? -1 : 1))) {
    if (!best || p.modified >= best.modified) best = p;
  }
  return best?.key;
}

/** The checkpoint's JSON text, from the bytes stored under `key`. */
export function checkpointText(key: string, bytes: Buffer): string {
  if (key.endsWith(".zst")) {
    throw new Error(
      `${key} is zstd-compressed (PULUMI_DIY_BACKEND_ZSTD), which node 20 cannot read. ` +
        `Unset PULUMI_DIY_BACKEND_ZSTD: the next run writes it gzipped, as the orchestrator does.`,
    );
  }
  if (!key.endsWith(".gz")) return bytes.toString("utf8");
  try {
    return gunzipSync(bytes).toString("utf8");
  } catch (e) {
    throw new Error(
      `${key} is not valid gzip (${(e as Error).message}): the checkpoint is damaged; restore it from the bucket's versions`,
    );
  }
}

/** A stack's checkpoint in the backend: its key and JSON text, or undefined when it has none. */
export async function readStackCheckpoint(
  store: BackendStore,
  project: string,
  stack: string,
): Promise<{ key: string; text: string } | undefined> {
  const listed = new Set(await store.list(`.pulumi/stacks/${project}/`));
  const present = checkpointKeys(project, stack).filter((k) => listed.has(k));
  const key =
    present.length <= 1
      ? present[0]
      : newestCheckpointKey(
          await Promise.all(
            present.map(async (k) => ({
              key: k,
              modified: (await store.modified(k)) ?? new Date(0),
            })),
          ),
        );
  const bytes = key === undefined ? undefined : await store.readBytes(key);
  return key === undefined || bytes === undefined
    ? undefined
    : { key, text: checkpointText(key, bytes) };
}
