import { mulberry32 } from "./random";

describe("mulberry32", () => {
  it("gives mulberry32's published sequence for seed 1", () => {
    const next = mulberry32(1);
    expect([next(), next(), next()]).toEqual([
      0.6270739405881613, 0.002735721180215478, 0.5274470399599522,
    ]);
  });

  it("replays the same sequence for the same seed, another for another seed", () => {
    const draw = (seed: number) => {
      const next = mulberry32(seed);
      return Array.from({ length: 5 }, next);
    };
    expect(draw(21)).toEqual(draw(21));
    expect(draw(22)).not.toEqual(draw(21));
  });

  it("stays in [0, 1)", () => {
    const next = mulberry32(7);
    for (let i = 0; i < 10_000; i++) {
      const x = next();
      expect(x >= 0 && x < 1).toBe(true);
    }
  });
});
