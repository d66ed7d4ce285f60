/**
 * Folds text pasted from Word, PDF or a case system into the plain form the identity-number
 * detector reads, and remembers where every folded character came from, so that a hit in the
 * folded text can be mapped back to exactly the original characters (invisible ones included).
 *
 * Per code point, in this order:
 *   1. NFKC (fullwidth digits, the fullwidth plus, superscript minus, compatibility spaces …).
 *   2. Format characters (\p{Cf}: zero-width space/joiners, soft hyphen, word joiner, BOM) are
 *      dropped: they are invisible, so a reader sees the digits as adjacent.
 *   3. Decimal digits of any script (\p{Nd}) become ASCII 0–9.
 *   4. Dashes (\p{Pd}) and the minus sign become "-".
 *   5. Spaces (\p{Z}), tab, line breaks and the other ASCII white space become " "; a CRLF pair
 *      becomes ONE space, so a number split by one line break reads like one split by a space.
 * Everything else is kept as NFKC gives it.
 *
 * Per code point rather than NFKC over the whole string: the mapping back must be exact, and
 * composition across code points (a letter + a combining mark) never involves a digit.
 *
 * Pure: no I/O.
 */

export interface FoldedText {
  /** The folded text. */
  text: string;
  /** For each UTF-16 index of `text`: the original index where its source code point starts. */
  start: readonly number[];
  /** For each UTF-16 index of `text`: the original index just after its source code point(s). */
  end: readonly number[];
}

const FORMAT = /^\p{Cf}$/u;
const DECIMAL_DIGIT = /^\p{Nd}$/u;
const DASH = /^[\p{Pd}\u2212]$/u;
const SPACE = /^[\p{Z}\t\n\v\f\r\u0085]$/u;

/**
 * The value 0–9 of a decimal digit of any script. Unicode's stability policy guarantees that
 * decimal digits (Numeric_Type=Decimal, i.e. \p{Nd}) are encoded in contiguous runs of ten from
 * 0 to 9, so the value is the distance from the start of the run, modulo ten (a few scripts,
 * e.g. the mathematical digits, have several runs back to back). Computed rather than tabled so
 * that it follows the Unicode version of the running Node.
 */
export function decimalDigitValue(codePoint: number): number | undefined {
  if (!DECIMAL_DIGIT.test(String.fromCodePoint(codePoint))) return undefined;
  let first = codePoint;
  while (first > 0 && DECIMAL_DIGIT.test(String.fromCodePoint(first - 1))) first--;
  return (codePoint - first) % 10;
}

/** Folds one character (already NFKC) as described in the module comment; '' drops it. */
function foldChar(ch: string): string {
  if (ch.length === 1 && ch < '\x80') return ch === '\t' || ch === '\n' || ch === '\v' || ch === '\f' || ch === '\r' ? ' ' : ch;
  if (FORMAT.test(ch)) return '';
  const digit = decimalDigitValue(ch.codePointAt(0) ?? 0);
  if (digit !== undefined) return String(digit);
  if (DASH.test(ch)) return '-';
  if (SPACE.test(ch)) return ' ';
  return ch;
}

/** Folds `original` (see the module comment), with the way back to original indices. */
export function foldForDetection(original: string): FoldedText {
  let text = '';
  const start: number[] = [];
  const end: number[] = [];
  let i = 0;
  while (i < original.length) {
    const cp = original.codePointAt(i) ?? 0;
    let width = cp > 0xffff ? 2 : 1;
    // CRLF is one line break.
    if (cp === 0x0d && original.charCodeAt(i + 1) === 0x0a) width = 2;
    const source = original.slice(i, i + width);
    // ASCII is its own NFKC (fast path: most text is ASCII).
    const compat = width === 2 && cp === 0x0d ? ' ' : cp < 0x80 ? source : source.normalize('NFKC');
    for (const ch of compat) {
      const folded = foldChar(ch);
      text += folded;
      for (let k = 0; k < folded.length; k++) {
        start.push(i);
        end.push(i + width);
      }
    }
    i += width;
  }
  return { text, start, end };
}

/** The original range [start, end) of the folded range [from, to) (to > from). */
export function originalRange(folded: FoldedText, from: number, to: number): { start: number; end: number } {
  return { start: folded.start[from] ?? 0, end: folded.end[to - 1] ?? 0 };
}
