/**
 * Seeded pseudo-random numbers for degradation synthesis and training: xoshiro128** seeded through splitmix32.
 * Written here rather than taken from npm because we need the state to be a plain, serialisable value (checkpoints
 * store it) and the same bytes in every JS engine; it only uses 32-bit integer maths (Math.imul), so it is exact.
 */
export interface Rng {
  /** Uniform float in [0, 1) with 32 bits of randomness. */
  next(): number;
  /** Uniform float in [lo, hi). */
  uniform(lo: number, hi: number): number;
  /** Uniform integer in [lo, hi] (both included). */
  int(lo: number, hi: number): number;
  /** Standard normal sample (Box-Muller, no cached spare, so the state stays four integers). */
  normal(): number;
  /** Poisson sample with mean `lambda` (exact for lambda < 30, normal approximation above). */
  poisson(lambda: number): number;
  /** Index drawn with probability proportional to `weights`. */
  choice(weights: readonly number[]): number;
  /** A copy of the internal state, for checkpoints. */
  getState(): RngState;
  setState(state: RngState): void;
}

/** Four unsigned 32-bit integers. */
export type RngState = readonly [number, number, number, number];

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

const rotl = (x: number, k: number): number => ((x << k) | (x >>> (32 - k))) >>> 0;

/** Creates a generator from an integer seed (any JS number; it is reduced to 32 bits). */
export function createRng(seed: number): Rng {
  const sm = splitmix32(Math.floor(seed) | 0);
  const s = new Uint32Array([sm(), sm(), sm(), sm()]);
  if ((s[0] | s[1] | s[2] | s[3]) === 0) s[0] = 1;

  const nextU32 = (): number => {
    const result = Math.imul(rotl(Math.imul(s[1], 5) >>> 0, 7), 9) >>> 0;
    const t = (s[1] << 9) >>> 0;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 11);
    return result;
  };

  const rng: Rng = {
    next: () => nextU32() / 4294967296,
    uniform: (lo, hi) => lo + (hi - lo) * rng.next(),
    int: (lo, hi) => lo + Math.floor(rng.next() * (hi - lo + 1)),
    normal: () => {
      const u1 = 1 - rng.next(); // (0, 1]: log is finite
      const u2 = rng.next();
      return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    },
    poisson: (lambda) => {
      if (lambda <= 0) return 0;
      if (lambda >= 30) return Math.max(0, Math.round(lambda + Math.sqrt(lambda) * rng.normal()));
      const limit = Math.exp(-lambda);
      let k = 0;
      let p = rng.next();
      while (p > limit) {
        k++;
        p *= rng.next();
      }
      return k;
    },
    choice: (weights) => {
      const total = weights.reduce((a, b) => a + b, 0);
      let r = rng.next() * total;
      for (let i = 0; i < weights.length; i++) {
        r -= weights[i];
        if (r < 0) return i;
      }
      return weights.length - 1;
    },
    getState: () => [s[0], s[1], s[2], s[3]],
    setState: (state) => {
      s.set(state);
    },
  };
  return rng;
}
