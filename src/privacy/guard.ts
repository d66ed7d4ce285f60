/**
 * THE guard for free text: every place where people type or import text (the report form, the
 * case step forms, review comments, CSV columns, chat messages, the IVO diarienummer) calls this
 * module, so that all of them catch the same identity numbers and say the same thing.
 *
 * A field with a personnummer or samordningsnummer is refused, but the text is not lost: the
 * caller shows the card again with `masked`, in which only the number is replaced (by
 * "[personnummer borttaget]" unless the caller chooses otherwise), and with `message` next to
 * the field. Nothing is stored until the writer sends the corrected text; then it passes,
 * because the marker holds no digits. Messages name the field and, for text of several lines,
 * the lines; they never repeat the number.
 *
 * Pure: no I/O, no logging.
 */
import { findIdentityNumbers, IDENTITY_NUMBER_REDACTION, type IdentityNumberHit } from './identity-numbers';
import { foldForDetection } from './normalize';

// The detector, for callers that need positions (the CSV import names the line inside a cell).
export { containsIdentityNumber, findIdentityNumbers, IDENTITY_NUMBER_REDACTION, mayHoldIdentityNumber, type IdentityNumberHit } from './identity-numbers';

export interface GuardOptions {
  /**
   * What replaces each number in `masked`. Default "[personnummer borttaget]". Use '' for a
   * short field whose format the marker would break (a case reference): the number is removed.
   */
  replacement?: string;
}

export type GuardResult =
  | { ok: true }
  | {
      ok: false;
      /** Swedish, names the field, never the digits. */
      message: string;
      /** The value with only the numbers replaced (see `GuardOptions.replacement`). */
      masked: string;
      /** How many numbers were found. */
      count: number;
    };

/** Checks one free-text value; `label` is the field's label as the user sees it. */
export function guardText(value: string, label: string, opts: GuardOptions = {}): GuardResult {
  const hits = findIdentityNumbers(value);
  if (hits.length === 0) return { ok: true };
  const replacement = opts.replacement ?? IDENTITY_NUMBER_REDACTION;
  if (/\d/.test(foldForDetection(replacement).text)) throw new RangeError('guardText: the replacement must not contain digits');
  // Removing a number can join what stood on either side into a new one ("850709-" + number +
  // " 9805" with replacement ''), so mask until nothing is left. Each pass removes at least ten
  // digits and adds none, so this ends.
  let masked = mask(value, hits, replacement);
  for (let more = findIdentityNumbers(masked); more.length > 0; more = findIdentityNumbers(masked)) {
    masked = mask(masked, more, replacement);
  }
  return {
    ok: false,
    message: identityRefusalMessage(label, { count: hits.length, lines: linesOf(value, hits), replacement }),
    masked,
    count: hits.length,
  };
}

/** A field to guard: its label, and optionally its own replacement. */
export type GuardedField = string | ({ label: string } & GuardOptions);

export interface GuardFieldsResult {
  ok: boolean;
  /** Field id → message, for each refused field. */
  errors: Record<string, string>;
  /**
   * Every string value of `data`, with the refused fields masked: what to echo into the card
   * shown again (so the writer keeps the text and only the number is gone).
   */
  values: Record<string, string>;
}

/**
 * Checks the listed fields of a submitted card (`fields`: field id → label, or label and
 * options). Values that are not strings are not text and are skipped (and not echoed).
 */
export function guardFields(data: Record<string, unknown>, fields: Record<string, GuardedField>): GuardFieldsResult {
  const errors: Record<string, string> = {};
  const values: Record<string, string> = {};
  for (const [id, v] of Object.entries(data)) if (typeof v === 'string') values[id] = v;
  for (const [id, field] of Object.entries(fields)) {
    const v = data[id];
    if (typeof v !== 'string') continue;
    const { label, ...opts } = typeof field === 'string' ? { label: field } : field;
    const result = guardText(v, label, opts);
    if (!result.ok) {
      errors[id] = result.message;
      values[id] = result.masked;
    }
  }
  return { ok: Object.keys(errors).length === 0, errors, values };
}

const COUNT_WORDS = ['', 'ett', 'två', 'tre', 'fyra', 'fem', 'sex', 'sju', 'åtta', 'nio', 'tio'];

/** Swedish list: "1", "1 och 4", "1, 2 och 4". */
function swedishList(items: readonly (string | number)[]): string {
  const all = items.map(String);
  return all.length <= 1 ? all.join('') : `${all.slice(0, -1).join(', ')} och ${all[all.length - 1]}`;
}

/**
 * The message for a refused field. `lines` (1-based, of the numbers) is shown only when given
 * and non-empty; the caller passes it for text of more than one line.
 */
export function identityRefusalMessage(
  fieldLabel: string,
  found: { count: number; lines?: readonly number[]; replacement?: string },
): string {
  const label = fieldLabel.trim();
  const subject = label ? `Fältet "${label}"` : 'Texten';
  const many = found.count > 1;
  const countWord = COUNT_WORDS[found.count] ?? String(found.count);
  const what = many ? `${countWord} personnummer eller samordningsnummer` : 'ett personnummer eller samordningsnummer';
  const lines = found.lines && found.lines.length > 0 ? ` (på rad ${swedishList(found.lines)})` : '';
  const replacement = found.replacement ?? IDENTITY_NUMBER_REDACTION;
  const done = replacement ? `ersatts med ${replacement}` : 'tagits bort';
  return (
    `${subject} ser ut att innehålla ${what}${lines}. ${many ? 'Numren' : 'Numret'} har ${done}; resten av texten finns kvar. ` +
    'Skriv till exempel "brukaren" eller ärendenumret i stället, så att personen inte kan identifieras, och skicka igen.'
  );
}

/**
 * Shown when a chat message contains an identity number. Teams keeps every chat message, so the
 * writer is asked to delete it (the bot cannot delete a user's message).
 */
export function chatMessageWarning(): string {
  return (
    'Ditt meddelande ser ut att innehålla ett personnummer eller samordningsnummer. ' +
    'Teams sparar allt som skrivs i chatten, så ta bort meddelandet: ' +
    'håll muspekaren över det, välj Fler alternativ (...) och sedan Ta bort. ' +
    'I mobilen: tryck länge på meddelandet och välj Ta bort. ' +
    'Skriv sedan igen med ärendenumret eller "brukaren" i stället för numret.'
  );
}

/**
 * The value with each hit replaced. One pass from the front (hits are in order and do not
 * overlap): the guard sees every free-text input, so a text full of numbers must not cost
 * time quadratic in its length.
 */
function mask(value: string, hits: readonly IdentityNumberHit[], replacement: string): string {
  let out = '';
  let at = 0;
  for (const hit of hits) {
    out += value.slice(at, hit.start) + replacement;
    at = hit.end;
  }
  return out + value.slice(at);
}

/** The distinct 1-based lines where hits start, or none for single-line text. One pass, as `mask`. */
function linesOf(value: string, hits: readonly IdentityNumberHit[]): number[] {
  if (!/[\r\n\u2028\u2029]/.test(value)) return [];
  const breaks = /\r\n|[\r\n\u2028\u2029]/g;
  const lines = new Set<number>();
  let line = 1;
  let next = breaks.exec(value);
  for (const hit of hits) {
    for (; next !== null && next.index < hit.start; next = breaks.exec(value)) line++;
    lines.add(line);
  }
  return [...lines];
}
