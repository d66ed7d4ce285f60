/**
 * Detects Swedish personnummer and samordningsnummer in free text (report cards: "Vad hände?"
 * etc.). Teams keeps what is typed, so the product REFUSES such input with
 * `identityNumberMessage` and stores/logs nothing of it; see lex-sarah.md, "Personal data and
 * secrecy". Pure: no I/O, no logging, no botbuilder.
 *
 * Hits carry positions and a kind only. The digits never leave `findIdentityNumbers`.
 *
 * Which strings are candidates (everything else is ignored):
 *   - 10 digits: YYMMDD-NNNN, YYMMDD+NNNN (the + marks someone aged 100 or more), YYMMDDNNNN
 *   - 12 digits: YYYYMMDD-NNNN, YYYYMMDDNNNN (and YYYYMMDD+NNNN, which the library accepts)
 *   - instead of "-": a space ("850709 9805", people type that), a non-breaking/thin space,
 *     the Unicode dashes that word processors substitute (‐ ‑ ‒ – — ―, minus −), and a dash
 *     with one space on either side ("850709 - 9805").
 * A candidate must not touch another digit on either side, so nothing is matched in the middle
 * of a longer digit run (14-digit numbers, IBAN/bank account numbers written without spaces,
 * +46 phone numbers). A separator before or after is fine: "3300-8507099805" (a Nordea
 * personkonto, which IS the personnummer) and "pnr:850709-9805" are caught.
 *
 * Each candidate must then pass the `personnummer` library: Luhn checksum, a real calendar date
 * (for 10 digits the library picks the century from today's date and the +), and the
 * samordningsnummer rule (day + 60). Interim numbers (letters in the serial) are not looked for.
 * For 12 digits the century must also be 18, 19 or 20; "05000101…" is not anyone's number.
 *
 * Deliberately NOT candidates (documented choices, see the tests):
 *   - Date or serial split by further separators: "19850709-98-05", "850709-98 05",
 *     "1985-07-09-9805", "85 07 09-9805". These aren't how people write or copy an identity
 *     number, and accepting them would start to match an ISO date followed by a time or a
 *     serial ("2026-01-15 0930", "2026-01-15-0001"), which is common in reports and would be
 *     blocked about one time in ten (whenever the Luhn digit happens to fit).
 *   - Digits split across lines, spaced out digit by digit, or written with non-ASCII digits.
 *     This is a guard against mistakes, not against someone trying to get round it.
 *
 * Known ambiguity, resolved towards blocking: any 10 or 12 digits in the shapes above that form
 * a valid date and pass the checksum are treated as an identity number, even if the writer meant
 * something else. For example a 070 mobile number written without separators ("0701234567"
 * reads as born 2007-01-23) or a date with a compact time ("20250115 0930"). Roughly one in ten
 * such numbers with a valid date passes the checksum. No age or future-date filter is applied:
 * newborns have numbers too, a missing + makes a 100-year-old look young, and the check should
 * not depend on the server clock more than the library already does.
 *
 * Positions are JavaScript string indices (UTF-16 code units), `end` exclusive, so
 * `text.slice(hit.start, hit.end)` is the matched number including its separator.
 */
import Personnummer from 'personnummer';

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

const SPACES = ' \\u00A0\\u2009\\u202F';
// Hyphen-minus, the Unicode hyphens and dashes U+2010–U+2015, and the minus sign.
const DASHES = '\\-\\u2010-\\u2015\\u2212';
const SEPARATOR = `(?:[${SPACES}]?[${DASHES}+][${SPACES}]?|[${SPACES}])`;

/**
 * Groups: 1 = date part (8 or 6 digits), 2 = separator (optional), 3 = last four digits.
 * The digit lookarounds make each digit run yield at most one reading: "19850709-9805" is only
 * ever the 12-digit number, never "850709-9805" inside it. A 12-digit candidate that fails
 * validation is not retried as a 10-digit one, because that slice would touch a digit.
 */
const CANDIDATE_SOURCE = `(?<!\\d)(\\d{8}|\\d{6})(${SEPARATOR})?(\\d{4})(?!\\d)`;

const LIBRARY_OPTIONS = { allowCoordinationNumber: true, allowInterimNumber: false } as const;

/** The century of a 12-digit number must be one of these. */
const PLAUSIBLE_CENTURIES = new Set(['18', '19', '20']);

/**
 * Finds every personnummer and samordningsnummer in `text`, in order of appearance.
 * Returns positions and kinds only.
 */
export function findIdentityNumbers(text: string): IdentityNumberHit[] {
  const hits: IdentityNumberHit[] = [];
  // A fresh RegExp per call: a shared global regex keeps state in lastIndex.
  const candidates = new RegExp(CANDIDATE_SOURCE, 'g');
  for (let match = candidates.exec(text); match !== null; match = candidates.exec(text)) {
    const kind = classify(match[1] ?? '', match[2] ?? '', match[3] ?? '');
    if (kind) hits.push({ start: match.index, end: match.index + match[0].length, kind });
  }
  return hits;
}

export function containsIdentityNumber(text: string): boolean {
  return findIdentityNumbers(text).length > 0;
}

/**
 * Replaces each identity number with "[personnummer borttaget]".
 *
 * For defensive use only, where text must be shown back or passed on and refusing is not
 * possible. The product does not silently redact what staff type: a report field containing an
 * identity number is refused with `identityNumberMessage`, so that the writer knows and nothing
 * of the original is stored.
 */
export function redactIdentityNumbers(text: string): string {
  let result = text;
  // Back to front so earlier positions stay valid.
  for (const hit of findIdentityNumbers(text).reverse()) {
    result = result.slice(0, hit.start) + IDENTITY_NUMBER_REDACTION + result.slice(hit.end);
  }
  return result;
}

/** The Swedish message shown when a free-text field is refused. Never repeats the number. */
export function identityNumberMessage(fieldLabel: string): string {
  const label = fieldLabel.trim();
  const subject = label ? `Fältet "${label}"` : 'Texten';
  return (
    `${subject} ser ut att innehålla ett personnummer eller samordningsnummer. ` +
    'Ta bort numret och skriv till exempel "brukaren" eller ärendenumret i stället, ' +
    'så att personen inte kan identifieras.'
  );
}

function classify(datePart: string, separator: string, lastFour: string): IdentityNumberKind | undefined {
  if (datePart.length === 8 && !PLAUSIBLE_CENTURIES.has(datePart.slice(0, 2))) return undefined;
  // The library knows "-" and "+"; "+" only changes the century of a 10-digit number.
  const sign = separator.includes('+') ? '+' : '-';
  let parsed: Personnummer;
  try {
    parsed = Personnummer.parse(`${datePart}${sign}${lastFour}`, LIBRARY_OPTIONS);
  } catch {
    return undefined;
  }
  return parsed.isCoordinationNumber() ? 'samordningsnummer' : 'personnummer';
}
