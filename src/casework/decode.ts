/**
 * Turns the bytes of a case system export into text before anything reads it, so a file saved in
 * another encoding is either decoded correctly or refused with a reason, never garbled.
 *
 * Accepted: UTF-8 (with or without BOM), UTF-16 LE/BE with a BOM, and Windows-1252 (what Excel and
 * older case systems write as "CSV" on Swedish Windows; Latin-1 text is a subset of it). A file
 * that is not valid UTF-8 is taken as Windows-1252 only when it is plausible: no NUL, no byte that
 * Windows-1252 leaves undefined and no control characters other than tab and line breaks. Anything
 * else is refused: guessing would put wrong letters into case references and unit names.
 *
 * Pure: no I/O. Messages are Swedish (they reach the person who exported the file) and never
 * repeat the file's content.
 */
import iconv from 'iconv-lite';

export type CsvEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export type DecodeResult =
  | { ok: true; text: string; encoding: CsvEncoding; bom: boolean }
  | { ok: false; line: number; message: string };

/** Charsets a client may declare (Content-Type charset); others are refused by the HTTP edge. */
const DECLARED: Record<string, CsvEncoding> = {
  'utf-8': 'utf-8',
  utf8: 'utf-8',
  'us-ascii': 'utf-8',
  // Without a BOM, plain "UTF-16" is big-endian (RFC 2781); with one, the BOM decides.
  'utf-16': 'utf-16be',
  'utf-16le': 'utf-16le',
  'utf-16be': 'utf-16be',
  'windows-1252': 'windows-1252',
  cp1252: 'windows-1252',
  'iso-8859-1': 'windows-1252',
  latin1: 'windows-1252',
};

/** The encoding a declared charset names, or undefined when the import cannot read it. */
export function declaredEncoding(charset: string): CsvEncoding | undefined {
  return DECLARED[charset.trim().toLowerCase()];
}

const SAVE_AS = 'Spara exporten som "CSV UTF-8" och försök igen.';

/** Bytes Windows-1252 does not define. */
const CP1252_UNDEFINED = new Set([0x81, 0x8d, 0x8f, 0x90, 0x9d]);

function lineAt(bytes: Uint8Array, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < bytes.length; i++) if (bytes[i] === 0x0a) line++;
  return line;
}

function lineInText(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < index; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

const NUL_MESSAGE = `Filen innehåller NUL-tecken och är troligen inte en CSV-fil (eller UTF-16 utan byte-ordningsmärke). ${SAVE_AS}`;

function checkText(text: string, encoding: CsvEncoding, bom: boolean): DecodeResult {
  const nul = text.indexOf('\u0000');
  if (nul !== -1) return { ok: false, line: lineInText(text, nul), message: NUL_MESSAGE };
  return { ok: true, text, encoding, bom };
}

function decodeUtf16(bytes: Uint8Array, encoding: 'utf-16le' | 'utf-16be', bom: boolean): DecodeResult {
  try {
    return checkText(new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes), encoding, bom);
  } catch {
    return { ok: false, line: 1, message: `Filen är märkt som UTF-16 men innehåller ogiltiga tecken. ${SAVE_AS}` };
  }
}

/** The first offset Windows-1252 cannot explain, or -1. */
function implausibleCp1252(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (CP1252_UNDEFINED.has(b) || b === 0x7f) return i;
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d) return i;
  }
  return -1;
}

/**
 * Decodes an export. `declared` is a charset the sender named (HTTP Content-Type); when given, it
 * is trusted for the encoding and the bytes must be valid in it.
 */
export function decodeCsvBytes(input: Uint8Array, declared?: CsvEncoding): DecodeResult {
  const bytes = input;
  if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) return decodeUtf16(bytes.subarray(2), 'utf-16le', true);
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) return decodeUtf16(bytes.subarray(2), 'utf-16be', true);
  if (declared === 'utf-16le' || declared === 'utf-16be') return decodeUtf16(bytes, declared, false);

  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  if (declared !== 'windows-1252') {
    const body = bom ? bytes.subarray(3) : bytes;
    try {
      return checkText(new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body), 'utf-8', bom);
    } catch {
      // A BOM or a declared charset says UTF-8: the file is broken, not in another encoding.
      if (bom || declared === 'utf-8') {
        const lossy = new TextDecoder('utf-8', { ignoreBOM: true }).decode(body);
        return { ok: false, line: lineInText(lossy, Math.max(lossy.indexOf('\uFFFD'), 0)), message: `Filen är märkt som UTF-8 men innehåller ogiltiga tecken. ${SAVE_AS}` };
      }
    }
  }

  const bad = implausibleCp1252(bytes);
  if (bad !== -1) {
    if (bytes[bad] === 0) return { ok: false, line: lineAt(bytes, bad), message: NUL_MESSAGE };
    return {
      ok: false,
      line: lineAt(bytes, bad),
      message: `Filens teckenkodning kunde inte avgöras: den är varken UTF-8, UTF-16 med byte-ordningsmärke eller Windows-1252. ${SAVE_AS}`,
    };
  }
  return { ok: true, text: iconv.decode(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), 'win1252'), encoding: 'windows-1252', bom: false };
}
