/**
 * The size of values in JSON (JSON.stringify, UTF-8), counted without writing the JSON: the
 * renderer measures every card it makes against Teams' limit, and writing a 14 KB card out just
 * to count it was a tenth of its rendering. test/cards/json-size.test.ts holds the counts equal
 * to Buffer.byteLength(JSON.stringify(v)).
 */

/** Bytes of a string in JSON, quotes included: escapes as JSON.stringify writes them, UTF-8 for the rest. */
export function jsonStringBytes(s: string): number {
  let n = s.length + 2;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // Printable ASCII other than '"' and '\' is one byte, as counted above.
    if (c < 0x80) n += asciiBytes(c) - 1;
    else if (c < 0x800) n += 1;
    // A pair is four bytes for its two units.
    else if (c >= 0xd800 && c <= 0xdbff && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 2;
      i++;
    }
    // A lone surrogate is written as an escape ("\udc00"), as well-formed JSON.stringify does.
    else if (c >= 0xd800 && c <= 0xdfff) n += 5;
    else n += 2;
  }
  return n;
}

/** '"' and '\' and \b \t \n \f \r are escaped in two characters, other controls as \u00XX. */
function asciiBytes(c: number): number {
  if (c === 0x22 || c === 0x5c) return 2;
  if (c >= 0x20) return 1;
  return c === 0x08 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d ? 2 : 6;
}

/**
 * Bytes of a value that is not an object or array: undefined for what JSON leaves out of an
 * object (and writes as null in an array), NaN for a BigInt, which JSON.stringify refuses (so that
 * a total with one is NaN, and the caller asks JSON.stringify, which throws as it always did).
 */
export function scalarBytes(v: unknown): number | undefined {
  switch (typeof v) {
    case 'string':
      return jsonStringBytes(v);
    case 'number':
      return Number.isFinite(v) ? String(v).length : 4;
    case 'boolean':
      return v ? 4 : 5;
    case 'bigint':
      return Number.NaN;
    case 'object':
      return 4; // null: objects and arrays are the caller's
    default:
      return undefined;
  }
}
