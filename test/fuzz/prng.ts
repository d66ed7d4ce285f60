/** A small seeded PRNG (mulberry32) with the helpers the generators need: runs are repeatable by seed. */

export class Rng {
  private state: number;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new Error('pick from an empty list');
    return items[Math.floor(this.next() * items.length)]!;
  }

  /** Picks by weight: `[[weight, value], ...]`. */
  weighted<T>(table: readonly (readonly [number, T])[]): T {
    const total = table.reduce((s, [w]) => s + w, 0);
    let x = this.next() * total;
    for (const [w, v] of table) {
      if ((x -= w) < 0) return v;
    }
    return table[table.length - 1]![1];
  }

  /** A child generator whose sequence depends only on this one's next value (stable sub-streams). */
  fork(): Rng {
    return new Rng(Math.floor(this.next() * 4294967296));
  }
}

/**
 * The seed from FUZZ_SEED (decimal or 0x hex; "random" for one from the clock), else `fallback`:
 * a fixed default keeps `npm test` repeatable, FUZZ_SEED=random explores further.
 */
export function seedFromEnv(fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.FUZZ_SEED?.trim();
  if (raw === 'random') return (Date.now() ^ (process.pid << 16)) >>> 0;
  if (raw) {
    const n = raw.startsWith('0x') ? Number.parseInt(raw.slice(2), 16) : Number(raw);
    if (!Number.isFinite(n)) throw new Error(`FUZZ_SEED must be a number, got "${raw}"`);
    return n >>> 0;
  }
  return fallback >>> 0;
}

/** FUZZ_COUNT (a positive whole number), else `fallback`. */
export function countFromEnv(fallback: number, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.FUZZ_COUNT?.trim();
  if (!raw) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`FUZZ_COUNT must be a positive whole number, got "${raw}"`);
  return n;
}
