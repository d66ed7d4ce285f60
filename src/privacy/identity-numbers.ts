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
 * Which strings (after folding) are candidates (everything else is ignored):
 *   - 10 digits: YYMMDD-NNNN, YYMMDD+NNNN (the + marks someone aged 100 or more), YYMMDDNNNN
 *   - 12 digits: YYYYMMDD-NNNN, YYYYMMDDNNNN (and YYYYMMDD+NNNN, which the library accepts)
 *   - instead of "-": one space ("850709 9805", people type that; after folding also a tab or
 *     one line break), and a dash with one space on either side ("850709 - 9805").
 *   - YYYY-MM-DD-NNNN ("1985-07-09-9805"): the ISO date with the serial after a dash, as found
 *     in pasted text (issue #11). Only with dashes, not with a space before the serial (that is
 *     an ISO date and a time, see below). See also the ambiguity below.
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
 *   - Date or serial split by other separators: "19850709-98-05", "850709-98 05",
 *     "85 07 09-9805", "85-07-09-9805", "1985-07-09 9805". These aren't how people write or
 *     copy an identity number, and accepting them would match an ISO date followed by a time
 *     ("2026-01-15 0930", "2026-01-15 09 30"), which is common in reports and would be blocked
 *     about one time in ten (whenever the Luhn digit happens to fit).
 *   - Two or more spaces or line breaks between date and serial, digits spaced out one by one,
 *     digits carrying combining marks, and numbers in forms that are not decimal digits even
 *     after NFKC (Roman numerals, words). This is a guard against mistakes, not against someone
 *     trying to get round it.
 *
 * Known ambiguity, resolved towards blocking: any 10 or 12 digits in the shapes above that form
 * a valid date and pass the checksum are treated as an identity number, even if the writer meant
 * something else. For example a 070 mobile number written without separators ("0701234567"
 * reads as born 2007-01-23), a date with a compact time ("20250115 0930"), or an ISO date with a
 * dash and a serial ("2026-01-15-0123", a reference some systems build). Roughly one in ten
 * such numbers with a valid date passes the checksum. No age or future-date filter is applied:
 * newborns have numbers too, a missing + makes a 100-year-old look young, and the check should
 * not depend on the server clock more than the library already does.
 *
 * Positions are JavaScript string indices (UTF-16 code units) of the ORIGINAL text, `end`
 * exclusive, so `text.slice(hit.start, hit.end)` is the matched number including its separator
 * and any invisible characters inside it.
 */
import Personnummer from 'personnummer';
import { foldForDetection, originalRange } from './normalize';

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

// The folded text has only "-" for dashes and " " for spaces (see ./normalize).
const SEPARATOR = '(?: ?[-+] ?| )';

/**
 * Groups: 1 = date part (8 or 6 digits), 2 = separator (optional), 3 = last four digits;
 * or 4, 5, 6 = year, month, day and 7 = last four digits of YYYY-MM-DD-NNNN.
 * The digit lookarounds make each digit run yield at most one reading: "19850709-9805" is only
 * ever the 12-digit number, never "850709-9805" inside it. A 12-digit candidate that fails
 * validation is not retried as a 10-digit one, because that slice would touch a digit.
 */
const CANDIDATE_SOURCE = `(?<!\\d)(?:(\\d{8}|\\d{6})(${SEPARATOR})?(\\d{4})|(\\d{4})-(\\d{2})-(\\d{2})-(\\d{4}))(?!\\d)`;

const LIBRARY_OPTIONS = { allowCoordinationNumber: true, allowInterimNumber: false } as const;

/** The century of a 12-digit number must be one of these. */
const PLAUSIBLE_CENTURIES = new Set(['18', '19', '20']);

/**
 * Finds every personnummer and samordningsnummer in `text`, in order of appearance.
 * Returns positions and kinds only.
 */
export function findIdentityNumbers(text: string): IdentityNumberHit[] {
  const hits: IdentityNumberHit[] = [];
  const folded = foldForDetection(text);
  // A fresh RegExp per call: a shared global regex keeps state in lastIndex.
  const candidates = new RegExp(CANDIDATE_SOURCE, 'g');
  for (let match = candidates.exec(folded.text); match !== null; match = candidates.exec(folded.text)) {
    const kind =
      match[1] !== undefined
        ? classify(match[1], match[2] ?? '', match[3] ?? '')
        : classify(`${match[4]}${match[5]}${match[6]}`, '-', match[7] ?? '');
    if (kind) hits.push({ ...originalRange(folded, match.index, match.index + match[0].length), kind });
  }
  return hits;
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
  let result = text;
  // Back to front so earlier positions stay valid.
  for (const hit of findIdentityNumbers(text).reverse()) {
    result = result.slice(0, hit.start) + IDENTITY_NUMBER_REDACTION + result.slice(hit.end);
  }
  return result;
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
