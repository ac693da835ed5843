import "@/lib/server/server-only";

/**
 * A small seeded pseudo-random source (mulberry32) for the demo world: the same seed gives the same
 * world on every machine and every run. Not for anything secret.
 */
export type Random = {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max], both included. */
  int(min: number, max: number): number;
  /** Uniform float in [min, max). */
  float(min: number, max: number): number;
  /** True with probability p. */
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Picks by weight; weights need not sum to 1. */
  weighted<T>(items: readonly { value: T; weight: number }[]): T;
  /** Approximately normal (mean 0, sd 1): the sum of four uniforms, rescaled. Bounded at ±3.46 sd. */
  normal(): number;
  /** exp(mu + sigma·normal): a right-skewed positive amount around `median`. */
  logNormal(median: number, sigma: number): number;
  /** Lowercase base-36 characters, e.g. for deterministic ids. */
  token(length: number): string;
  /** An independent source derived from this one and a label (stable regardless of later draws elsewhere). */
  fork(label: string): Random;
};

function hashLabel(label: string): number {
  // FNV-1a, 32-bit.
  let hash = 0x811c9dc5;
  for (let i = 0; i < label.length; i++) {
    hash ^= label.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}

export function createRandom(seed: number): Random {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const random: Random = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    float: (min, max) => min + next() * (max - min),
    chance: (p) => next() < p,
    pick: (items) => {
      if (items.length === 0) throw new Error("pick from an empty list");
      return items[Math.floor(next() * items.length)];
    },
    weighted: (items) => {
      const total = items.reduce((sum, item) => sum + item.weight, 0);
      let roll = next() * total;
      for (const item of items) {
        roll -= item.weight;
        if (roll < 0) return item.value;
      }
      return items[items.length - 1].value;
    },
    normal: () => (next() + next() + next() + next() - 2) * Math.sqrt(3),
    logNormal: (median, sigma) => median * Math.exp(sigma * random.normal()),
    token: (length) => {
      let out = "";
      while (out.length < length) out += Math.floor(next() * 2_176_782_336).toString(36).padStart(6, "0");
      return out.slice(0, length);
    },
    fork: (label) => createRandom((hashLabel(label) ^ Math.floor(next() * 4_294_967_296)) >>> 0),
  };
  return random;
}

/** A source derived only from a seed and a label: independent of draw order elsewhere. */
export function randomFor(seed: number, label: string): Random {
  return createRandom((seed ^ hashLabel(label)) >>> 0);
}
