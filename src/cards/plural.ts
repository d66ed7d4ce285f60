/**
 * Swedish count phrases for cards: "1 dag" but "2 dagar", "1 försenad" but "3 försenade". One
 * shared function, so no card says "1 dagar sedan" or "(av 1 enheter)". Swedish has no rule that
 * derives the plural, so callers give both forms.
 */

/** The word for `count`: `one` for exactly 1 (or −1), `many` otherwise (0 included: "0 dagar"). */
export function pluralWord(count: number, one: string, many: string): string {
  return Math.abs(count) === 1 ? one : many;
}

/** The count and its word: plural(1, 'dag', 'dagar') → "1 dag", plural(3, 'dag', 'dagar') → "3 dagar". */
export function plural(count: number, one: string, many: string): string {
  return `${count} ${pluralWord(count, one, many)}`;
}
