/**
 * Making cards fit under Teams' message limit by measuring, not by guessing: the builders render,
 * measure and shrink (fewer items, then shorter texts) until the card fits.
 */
import { CardTooLargeError, type AdaptiveCard, type CardRenderer } from './render';
import type { Templates } from './templates';

/**
 * The largest cap in [0, max] for which `fits(cap)` holds, assuming that a smaller cap never makes
 * the card bigger; undefined when not even 0 fits.
 */
export function largestFitting(max: number, fits: (cap: number) => boolean): number | undefined {
  if (fits(max)) return max;
  if (!fits(0)) return undefined;
  let lo = 0;
  let hi = max;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

/**
 * Renders `name` with `data(cap)`, where cap limits the length of the card's long texts: the whole
 * text first, then the largest cap that fits. Throws CardTooLargeError when nothing fits.
 */
export function renderShortened<K extends keyof Templates>(r: CardRenderer, name: K, longest: number, data: (cap: number) => Templates[K]): AdaptiveCard {
  const full = r.measure(name, data(longest));
  if (full.bytes <= r.maxBytes) return full.card;
  const cap = largestFitting(longest, (c) => r.fits(name, data(c)));
  if (cap === undefined) throw new CardTooLargeError(name, full.bytes);
  return r.render(name, data(cap));
}

/** Length in code points, as `shorten` counts. */
export const charCount = (s: string): number => [...s].length;
