import { equalJitterBackoff, WARM_CACHE_TTL_MS } from "./retry";

test("equal jitter: between half and all of the doubled wait, capped", () => {
  expect([1, 2, 3, 4, 5, 6].map((a) => equalJitterBackoff(a, 1000, 15_000, 0))).toEqual([
    500, 1000, 2000, 4000, 7500, 7500,
  ]);
  expect([1, 2, 3, 4, 5, 6].map((a) => equalJitterBackoff(a, 1000, 15_000, 0.999999))).toEqual([
    1000, 2000, 4000, 8000, 15_000, 15_000,
  ]);
  expect(equalJitterBackoff(2, 1000, 15_000, 0.5)).toBe(1500);
});

test("a warm container re-reads what it cached after five minutes", () => {
  expect(WARM_CACHE_TTL_MS).toBe(300_000);
});
