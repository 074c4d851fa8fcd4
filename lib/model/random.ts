/**
 * The one seeded pseudo-random generator of the repository, for everything that must give the
 * same "random" data on every run: the benches' synthetic tables and DMS files, and the fault
 * injection of the real-CLI tier. In lib/model so that every layer may import it.
 *
 * mulberry32, Tommy Ettinger's public-domain 32-bit generator (as published in
 * bryc/code, jshash/PRNGs.md): small, fast, and good enough for test data, not for secrets.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
