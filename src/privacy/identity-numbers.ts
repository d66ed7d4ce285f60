/**
 * Detects Swedish personnummer and samordningsnummer in free text (report cards: "Vad hände?"
 * etc.). Teams keeps what is typed, so the product REFUSES such input and stores/logs nothing of
 * it; see lex-sarah.md, "Personal data and secrecy". Callers use the guard in ./guard.ts
 * (`guardText`, `guardFields`), which builds on this detector. Pure: no I/O, no logging, no
 * botbuilder.
 *
 * Hits carry positions and a kind only. The digits never leave `findIdentityNumbers`.
 *
 * The text is first folded (`foldForDetection` in ./normalize): NFKC, invisible format
 * characters (zero-width space, soft hyphen, word joiner, BOM) dropped, every dash and the minus
 * sign read as "-", every space, tab and single line break (CRLF included) read as " ", and the
 * decimal digits of every script (fullwidth, Arabic-Indic, Devanagari, …) read as 0–9. Text
 * pasted from Word, PDF or a case system carries exactly these characters. Hits are mapped back
 * to the original indices, so they cover the invisible characters inside a number too.
 *
 * How the folded text is read. Digits form groups; two groups belong to one chain when one
 * separator stands between them: up to three spaces (after folding: any space, tab or a single
 * line break), a "-" (or "--") or "+" with up to three spaces on either side, or a bare "."; a separator
 * holds at most one line break, so a blank line ends the chain. Any run of whole, consecutive
 * groups of a chain with 10 or 12 digits is a candidate if it is grouped the way people write,
 * type or paste an identity number (B: the separator between date and serial, which may also be
 * absent, a space, or a dash or plus, spaced or not; x: the same space, dot or dash both times):
 *   - YYMMDD B NNNN          850709-9805, 8507099805, 850709 9805, 850709 - 9805, 121212+1212
 *   - YYMMDD B NN NN         850709-98 05
 *   - YY x MM x DD B NNNN    85 07 09-9805, 85.07.09-9805, 85-07-09-9805, 85 07 09 9805
 *   - YY x MM x DD B NN NN   12 12 12-12 12
 *   - YYMM DD B NNNN         1212 12 1212
 *   - 12 digits: each of these with the century glued to the year (19850709-9805,
 *     1985 07 09-9805, 1985-07-09-9805, the ISO date of issue #11) or before it after a space
 *     (19 850709-9805).
 *   - and each of these with one line break anywhere, even inside a group (a number wrapped in
 *     a narrow PDF column or chat window: "85070⏎99805"); the two groups it parts count as one.
 * The + (someone aged 100 or more) is only read between date and serial. A candidate is made of
 * whole groups, so it never starts or ends inside a digit run: nothing is matched in the middle
 * of a longer one (14-digit numbers, IBAN/bank account numbers written without spaces, +46 phone
 * numbers). Digits before or after, past a separator, are fine: "3300-8507099805" (a Nordea
 * personkonto, which IS the personnummer), "rum 12 850709-9805" and "pnr:850709-9805" are caught.
 *
 * Rules that keep ordinary text out (each has a must-not-flag test in test/privacy/):
 *   - Other groupings are what phone numbers, amounts and postal codes look like: "070-123 45 67",
 *     "0411-12 34 56", "08-12 34 56 78", "1 212 121 212 kr", "121 21 Stockholm".
 *   - A date written with dots or dashes and then a space or a spaced dash is a date and a time,
 *     or a date range ("2026-01-15 0930", "2026-01-15 09 30", "15.01.26 0930",
 *     "2026-01-15 – 2026-02-01"): after such a date only a bare dash or plus makes a candidate.
 *   - An ISO-dashed date whose "serial" goes on as "-MM-DD" is the first half of a date range
 *     ("2026-01-05–2026-02-01"), not a number.
 *
 * Each candidate is then read by the `personnummer` library: a real calendar date (for 10 digits
 * the library picks the century from today's date and the +), the samordningsnummer rule (day +
 * 60) and a serial other than 000. For 12 digits the century must also be 18, 19 or 20;
 * "05000101…" is not anyone's number. Interim numbers (letters in the serial) are not looked for.
 *
 * The check digit (Luhn) must fit in every shape but one. In the form the number is written in
 * on paper and in case systems, six or eight date digits, a dash or a plus, four digits
 * ("850709-9806", "19850709-9806", "850709 – 9806"), a number is refused whatever its check
 * digit. The check digit catches every single-digit typo, so requiring it meant that a child's
 * number typed with one wrong digit, the commonest slip of all, always got through, as did
 * anyone who changed the last digit on purpose. Such a number still identifies the child: the
 * date of birth and serial point to one person for anyone who knows the case, and the right
 * last digit can be computed from the other nine. Little else in social services text has this
 * shape with a real date in front (an organisationsnummer has a month of 20 or more; phone
 * numbers, diarienummer and references are grouped otherwise), and a refusal costs the writer a
 * rewording while a stored number cannot be taken back out of Teams. The other shapes (digits
 * only, a space between date and serial, grouped, dotted, ISO-dashed, wrapped) are shared with
 * phone numbers, timestamps and dates with times; there the check digit must fit, which lets
 * nine in ten of those through.
 *
 * Deliberately NOT candidates (documented choices, see the tests): other separators
 * ("850709/9805", "850709_9805", "850709,9805"); a serial split by a dash or otherwise than
 * NN NN ("19850709-98-05"); more than three spaces or two line breaks in one separator; more
 * than one line break at a place that is not one of the groupings above; digits spaced out one
 * by one; digits carrying combining marks; numbers in forms that are not decimal digits even
 * after NFKC (the letter O for 0, Roman numerals, words). This guards against mistakes and
 * casual attempts, not against someone set on getting round it: a number spelled out in words
 * cannot be told from text.
 *
 * Known ambiguity, resolved towards blocking: a candidate with a real date and a fitting check
 * digit is treated as an identity number even if the writer meant something else, e.g. a 070
 * mobile number written without separators ("0701234567" reads as born 2007-01-23), a compact
 * date and time ("20250115 0930"), an ISO date with a dash and a serial ("2026-01-15-0123", a
 * reference some systems build), digits in pairs ("08 12 12 12 18"). Roughly one in ten such
 * numbers with a real date passes the check. In the written form above the check digit does not
 * matter, so a compact date, a dash and a time ("20260115-0930") is always refused. No age or
 * future-date filter is applied: newborns have numbers too, a missing + makes a 100-year-old
 * look young, and the check should not depend on the server clock more than the library already
 * does.
 *
 * Positions are JavaScript string indices (UTF-16 code units) of the ORIGINAL text, `end`
 * exclusive, so `text.slice(hit.start, hit.end)` is the matched number including its separator
 * and any invisible characters inside it.
 */
import Personnummer from 'personnummer';
import { foldForDetection, originalRange, type FoldedText } from './normalize';

export type IdentityNumberKind = 'personnummer' | 'samordningsnummer';

export interface IdentityNumberHit {
  /** Index of the first character of the number in the text. */
  start: number;
  /** Index just after the last character (exclusive). */
  end: number;
  kind: IdentityNumberKind;
}

/** Replacement used by `redactIdentityNumbers`. */
export const IDENTITY_NUMBER_REDACTION = '[personnummer borttaget]';

const LIBRARY_OPTIONS = { allowCoordinationNumber: true, allowInterimNumber: false } as const;

/** The century of a 12-digit number must be one of these. */
const PLAUSIBLE_CENTURIES = new Set(['18', '19', '20']);

/**
 * A separator between two digit groups, as one character: " " spaces only, "-" and "+" bare,
 * "=" and "#" a dash or plus with spaces around it, "." a bare dot.
 */
type SeparatorCode = ' ' | '-' | '+' | '=' | '#' | '.';

/** Separators allowed between date and serial (a dot is not one). */
const BOUNDARY = new Set<string>([' ', '-', '+', '=', '#']);
/** Separators allowed inside a date written in parts (YY x MM x DD). */
const DATE_PART = new Set<string>([' ', '.', '-']);
/** Most spaces on either side of a separator; more reads as a layout gap. */
const MAX_SPACES = 3;

/** A chain of digit groups in the folded text, and what stands between them. */
interface Chain {
  /** [start, end) of each group in the folded text. */
  groups: [number, number][];
  /** seps[k] stands between groups k and k + 1. */
  seps: SeparatorCode[];
  /** wraps[k]: seps[k] is only spaces and holds a line break. */
  wraps: boolean[];
}

/** How a candidate reads: the library's sign, and whether the check digit may be wrong. */
interface Reading {
  sign: '-' | '+';
  /** The written form (YYMMDD-NNNN, YYYYMMDD-NNNN, or +): the check digit is not required. */
  written: boolean;
}

/**
 * Finds every personnummer and samordningsnummer in `text`, in order of appearance.
 * Returns positions and kinds only.
 *
 * A hand-written scanner rather than one regular expression: the groupings above would make an
 * alternation that is hard to keep free of backtracking, while this reads each character a
 * bounded number of times (a chain is tried from each group over at most 12 digits).
 */
export function findIdentityNumbers(text: string): IdentityNumberHit[] {
  const hits: IdentityNumberHit[] = [];
  const folded = foldForDetection(text);
  const t = folded.text;
  let i = 0;
  while (i < t.length) {
    if (!isDigit(t, i)) {
      i++;
      continue;
    }
    const chain: Chain = { groups: [], seps: [], wraps: [] };
    for (let at = i; ; ) {
      let end = at;
      while (isDigit(t, end)) end++;
      chain.groups.push([at, end]);
      const sep = readSeparator(folded, text, end);
      if (!sep) {
        i = end;
        break;
      }
      chain.seps.push(sep.code);
      chain.wraps.push(sep.wrap);
      at = sep.next;
    }
    for (const [from, to, kind] of numbersIn(t, chain)) hits.push({ ...originalRange(folded, from, to), kind });
  }
  return hits;
}

function isDigit(t: string, i: number): boolean {
  const c = t.charCodeAt(i);
  return c >= 48 && c <= 57;
}

/** The spaces at `from`, counted up to one more than MAX_SPACES. */
function spacesAt(t: string, from: number): number {
  let n = 0;
  while (n <= MAX_SPACES && t[from + n] === ' ') n++;
  return n;
}

/** Line breaks in original text; CRLF is one. \v is Word's manual line break. */
const LINE_BREAK = /\r\n|[\n\r\v\f\u0085\u2028\u2029]/g;

/**
 * The separator starting at folded index `at` (just after a digit group), if a digit follows
 * it. Reads a bounded number of characters: the spaces (at most MAX_SPACES + 1 counted on either
 * side), the mark and the digit after it.
 */
function readSeparator(
  folded: FoldedText,
  original: string,
  at: number,
): { code: SeparatorCode; wrap: boolean; next: number } | undefined {
  const t = folded.text;
  const before = spacesAt(t, at);
  let i = at + before;
  const mark = t[i] === '-' || t[i] === '+' || t[i] === '.' ? t[i] : '';
  if (mark) i++;
  // "--" is how many type a dash on a keyboard without one.
  if (mark === '-' && t[i] === '-') i++;
  const after = mark ? spacesAt(t, i) : 0;
  i += after;
  if (i === at || before > MAX_SPACES || after > MAX_SPACES || !isDigit(t, i)) return undefined;
  if (mark === '.' && before + after > 0) return undefined;
  // A blank line (two breaks) ends the chain: what follows is a new paragraph.
  const breaks = (original.slice(folded.start[at], folded.end[i - 1]).match(LINE_BREAK) ?? []).length;
  if (breaks > 1) return undefined;
  const spaced = before + after > 0;
  const code: SeparatorCode = mark === '' ? ' ' : mark === '.' ? '.' : mark === '-' ? (spaced ? '=' : '-') : spaced ? '#' : '+';
  return { code, wrap: mark === '' && breaks === 1, next: i };
}

/** Most groups a reading has: the century, YY, MM, DD, NN, NN, and one more parted by a line break. */
const MAX_GROUPS = 7;

/** The identity numbers in one chain, as folded ranges [from, to) with their kind. */
function numbersIn(t: string, chain: Chain): [number, number, IdentityNumberKind][] {
  const { groups } = chain;
  const lengths = groups.map(([from, to]) => to - from);
  const found: [number, number, IdentityNumberKind][] = [];
  for (let a = 0; a < groups.length; ) {
    // The runs of whole groups from `a` with 10 or 12 digits; the longer is tried first, so
    // "19 850709-9805" is one 12-digit hit, not the 10-digit one inside it.
    let ten = -1;
    let twelve = -1;
    for (let b = a, n = 0; b < groups.length && b - a < MAX_GROUPS; b++) {
      n += lengths[b]!;
      if (n === 10) ten = b;
      if (n >= 12) {
        if (n === 12) twelve = b;
        break;
      }
    }
    let next = a + 1;
    for (const b of [twelve, ten]) {
      const kind = b < 0 ? undefined : identify(t, chain, lengths, a, b);
      if (kind) {
        found.push([groups[a]![0], groups[b]![1], kind]);
        next = b + 1;
        break;
      }
    }
    a = next;
  }
  return found;
}

/** The kind of number that groups a to b (inclusive) of the chain are, if they are one. */
function identify(t: string, chain: Chain, chainLengths: readonly number[], a: number, b: number): IdentityNumberKind | undefined {
  const { groups, seps, wraps } = chain;
  let digits = '';
  for (let k = a; k <= b; k++) digits += t.slice(groups[k]![0], groups[k]![1]);
  const lengths = chainLengths.slice(a, b + 1);
  const between = seps.slice(a, b);
  let reading = readGrouping(digits, lengths, between);
  // One line break may part a group: read the two halves as one (never a written form).
  for (let k = 0; !reading && k < between.length; k++) {
    if (!wraps[a + k]) continue;
    const joined = [...lengths.slice(0, k), lengths[k]! + lengths[k + 1]!, ...lengths.slice(k + 2)];
    const r = readGrouping(digits, joined, [...between.slice(0, k), ...between.slice(k + 1)]);
    if (r) reading = { ...r, written: false };
  }
  if (!reading || startsDateRange(t, chain, chainLengths, a, b)) return undefined;
  return kindOf(digits, reading);
}

/**
 * An ISO-dashed date whose "serial" is a year followed by "-MM-DD" is the first half of a date
 * range ("2026-01-05–2026-02-01"), not a number.
 */
function startsDateRange(t: string, chain: Chain, lengths: readonly number[], a: number, b: number): boolean {
  const { groups, seps } = chain;
  if (b - a < 3 || b + 2 >= groups.length || seps[b] !== '-' || seps[b + 1] !== '-') return false;
  if (lengths[b + 1] !== 2 || lengths[b + 2] !== 2) return false;
  for (let k = a; k < b; k++) if (seps[k] !== '-') return false;
  const part = (k: number) => Number(t.slice(groups[k]![0], groups[k]![1]));
  const [year, month, day] = [part(b), part(b + 1), part(b + 2)];
  return year >= 1900 && year <= 2099 && month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

/**
 * Whether groups of these lengths, with these separators between them, are one of the
 * groupings of the module comment, and how they read. `digits` is all of them (10 or 12).
 */
function readGrouping(digits: string, lengths: readonly number[], seps: readonly SeparatorCode[]): Reading | undefined {
  let ten = lengths;
  let tenSeps = seps;
  if (digits.length === 12) {
    if (!PLAUSIBLE_CENTURIES.has(digits.slice(0, 2))) return undefined;
    // The century before the year after a space ("19 850709-9805"), or glued to it.
    if (lengths[0] === 2 && seps[0] === ' ') {
      ten = lengths.slice(1);
      tenSeps = seps.slice(1);
    } else if (lengths[0]! > 2) {
      ten = [lengths[0]! - 2, ...lengths.slice(1)];
    } else {
      return undefined;
    }
  }
  const boundary = boundaryOf(ten, tenSeps);
  if (boundary === undefined) return undefined;
  return {
    sign: boundary === '+' || boundary === '#' ? '+' : '-',
    // Two groups: the date (6 or 8 digits) and the serial, with a dash or plus between them.
    written: lengths.length === 2 && boundary !== '' && boundary !== ' ',
  };
}

/**
 * For a 10-digit grouping: the separator between date and serial ('' when there is none), or
 * undefined if the grouping is not one of the module comment's.
 */
function boundaryOf(lengths: readonly number[], seps: readonly SeparatorCode[]): SeparatorCode | '' | undefined {
  const [s0, s1, s2, s3] = seps;
  switch (lengths.join(' ')) {
    case '10':
      return '';
    case '6 4': // YYMMDD B NNNN
      return BOUNDARY.has(s0!) ? s0 : undefined;
    case '6 2 2': // YYMMDD B NN NN
      return BOUNDARY.has(s0!) && s1 === ' ' ? s0 : undefined;
    case '4 2 4': // YYMM DD B NNNN
      return s0 === ' ' && BOUNDARY.has(s1!) ? s1 : undefined;
    case '2 2 2 4': // YY x MM x DD B NNNN
      return boundaryAfterDateParts(s0!, s1!, s2!);
    case '2 2 2 2 2': // YY x MM x DD B NN NN
      return s3 === ' ' ? boundaryAfterDateParts(s0!, s1!, s2!) : undefined;
    default:
      return undefined;
  }
}

/** YY x MM x DD B: the same x twice, and B. */
function boundaryAfterDateParts(x: SeparatorCode, x2: SeparatorCode, boundary: SeparatorCode): SeparatorCode | undefined {
  if (x !== x2 || !DATE_PART.has(x) || !BOUNDARY.has(boundary)) return undefined;
  // A date with dots or dashes, then a space or a spaced dash: a date and a time, or a range.
  if (x !== ' ' && boundary !== '-' && boundary !== '+') return undefined;
  return boundary;
}

/** Luhn check digit of nine digits, as the personnummer scheme defines it. */
function luhnDigit(nine: string): string {
  let sum = 0;
  for (let k = 0; k < 9; k++) {
    let v = (nine.charCodeAt(k) - 48) * (k % 2 === 0 ? 2 : 1);
    if (v > 9) v -= 9;
    sum += v;
  }
  return String((10 - (sum % 10)) % 10);
}

/**
 * The kind of number, if `digits` (10 or 12) read as `reading` is one. The check digit must fit
 * unless the reading is the written form (see the module comment); the library is then given
 * the number with the right check digit, so that it judges date, serial and century alone.
 */
function kindOf(digits: string, reading: Reading): IdentityNumberKind | undefined {
  const check = luhnDigit(digits.slice(-10, -1));
  if (!reading.written && check !== digits.slice(-1)) return undefined;
  const fixed = digits.slice(0, -1) + check;
  let parsed: Personnummer;
  try {
    parsed = Personnummer.parse(`${fixed.slice(0, -4)}${reading.sign}${fixed.slice(-4)}`, LIBRARY_OPTIONS);
  } catch {
    return undefined;
  }
  return parsed.isCoordinationNumber() ? 'samordningsnummer' : 'personnummer';
}

export function containsIdentityNumber(text: string): boolean {
  return findIdentityNumbers(text).length > 0;
}

/**
 * Replaces each identity number with "[personnummer borttaget]".
 *
 * The product does not silently redact what staff type: a field containing an identity number
 * is refused (`guardText` in ./guard.ts), and the card comes back with this masking and a
 * message, so that the writer knows and nothing of the original is stored.
 */
export function redactIdentityNumbers(text: string): string {
  // One pass from the front (hits are in order and do not overlap), so that a text full of
  // numbers costs linear time.
  let result = '';
  let at = 0;
  for (const hit of findIdentityNumbers(text)) {
    result += text.slice(at, hit.start) + IDENTITY_NUMBER_REDACTION;
    at = hit.end;
  }
  return result + text.slice(at);
}

/**
 * The Swedish message for a refused free-text field whose text is NOT given back (a reply in
 * chat). Never repeats the number. Where the card comes back with the masked text, `guardText`
 * gives the message that says so.
 */
export function identityNumberMessage(fieldLabel: string): string {
  const label = fieldLabel.trim();
  const subject = label ? `Fältet "${label}"` : 'Texten';
  return (
    `${subject} ser ut att innehålla ett personnummer eller samordningsnummer. ` +
    'Ta bort numret och skriv till exempel "brukaren" eller ärendenumret i stället, ' +
    'så att personen inte kan identifieras.'
  );
}

/**
 * False only when `text[from, to)` cannot hold an identity number, so that the detector runs on
 * the few cells and lines that could (it folds every character it reads, which for a whole export
 * took longer than all the rest of a casework import's validation). It lives here, beside the
 * detector, so that a change to what the detector reads as a separator changes it too
 * (test/casework/fast-paths.test.ts checks the two against each other). A number needs ten digits after folding,
 * joined only by separators (spaces, line breaks, "-", "+", "."; the scanner below).
 * ASCII other than those, and the Latin letters U+00C0–U+017F (å, ä, ö, é …, which fold to
 * letters), end a run; any other character might fold into a digit, a dash, a space or nothing,
 * so the text is handed to the detector. The count is an upper bound of any chain's digits.
 */
export function mayHoldIdentityNumber(text: string, from = 0, to = text.length): boolean {
  let digits = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0x30 && c <= 0x39) {
      if (++digits >= 10) return true;
    } else if (c === 0x20 || c === 0x2d || c === 0x2b || c === 0x2e || (c >= 0x09 && c <= 0x0d)) {
      // A separator: the chain may go on.
    } else if (c < 0x80 || (c >= 0xc0 && c <= 0x17f)) {
      digits = 0;
    } else {
      return true;
    }
  }
  return false;
}
