/**
 * Greedy shrinking of a failing JSON activity: drop keys and array items, replace values with
 * simpler ones and shorten strings, keeping each change that still fails the same way. The result
 * is the reproducer the report shows.
 */
import { setOwn } from './generators';

type Json = unknown;

/** A deep copy that keeps own "__proto__" keys as data (JSON.parse defines them as own properties). */
export function clone<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T);
}

function children(v: Json): (string | number)[] {
  if (Array.isArray(v)) return v.map((_, i) => i);
  if (v && typeof v === 'object') return Object.keys(v);
  return [];
}

function getAt(root: Json, path: readonly (string | number)[]): Json {
  let v = root;
  for (const k of path) v = (v as Record<string | number, Json>)[k];
  return v;
}

/** A copy of `root` with the value at `path` replaced (or removed when `value` is REMOVE). */
const REMOVE = Symbol('remove');
function withAt(root: Json, path: readonly (string | number)[], value: Json | typeof REMOVE): Json {
  if (path.length === 0) return value === REMOVE ? undefined : value;
  const [head, ...rest] = path;
  if (Array.isArray(root)) {
    const copy = root.slice();
    if (rest.length === 0 && value === REMOVE) copy.splice(head as number, 1);
    else copy[head as number] = withAt(copy[head as number], rest, value);
    return copy;
  }
  const copy: Record<string, Json> = {};
  for (const [k, v] of Object.entries(root as Record<string, Json>)) {
    if (k === head) {
      if (rest.length === 0 && value === REMOVE) continue;
      setOwn(copy, k, withAt(v, rest, value));
    } else setOwn(copy, k, v);
  }
  return copy;
}

function simpler(v: Json): Json[] {
  if (typeof v === 'string') {
    if (v.length <= 1) return v.length ? [''] : [];
    // Halves first, then a quarter off either end (what matters may sit in the middle).
    const half = Math.ceil(v.length / 2);
    const quarter = Math.ceil(v.length / 4);
    return ['', v.slice(0, half), v.slice(half), v.slice(quarter), v.slice(0, v.length - quarter)];
  }
  if (Array.isArray(v)) return v.length ? [[]] : [];
  if (v && typeof v === 'object') return Object.keys(v).length ? [{}] : [];
  if (typeof v === 'number') return v !== 0 ? [0] : [];
  return [];
}

/**
 * Shrinks `start` while `stillFails` holds, with at most `budget` calls to it. Keys in `keep`
 * (top level) are never removed, e.g. the activity id that links log lines to the request.
 */
export async function shrinkJson(start: Json, stillFails: (candidate: Json) => Promise<boolean>, budget: number, keep: readonly string[] = []): Promise<{ value: Json; tries: number }> {
  let best = clone(start);
  let tries = 0;
  let progress = true;
  while (progress && tries < budget) {
    progress = false;
    // Breadth-first over paths, so whole subtrees go first.
    const queue: (string | number)[][] = [[]];
    while (queue.length && tries < budget) {
      const path = queue.shift()!;
      let here: Json;
      try {
        here = getAt(best, path);
      } catch {
        continue; // the path went away with an earlier change
      }
      if (path.length > 0 && here === undefined) continue;
      const locked = path.length === 1 && keep.includes(String(path[0]));
      const candidates: Json[] = [];
      if (path.length > 0 && !locked) candidates.push(withAt(best, path, REMOVE));
      if (!locked) for (const s of simpler(here)) candidates.push(withAt(best, path, s));
      let removed = false;
      for (const [i, c] of candidates.entries()) {
        if (tries >= budget) break;
        tries++;
        if (await stillFails(c)) {
          best = c;
          progress = true;
          removed = i === 0 && path.length > 0 && !locked;
          break;
        }
      }
      // Array items after a removed one moved up: the next pass looks at them again.
      if (!removed) for (const k of children(getAt(best, path))) queue.push([...path, k]);
    }
  }
  return { value: best, tries };
}
