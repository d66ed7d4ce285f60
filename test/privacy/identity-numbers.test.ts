import assert from 'node:assert/strict';
import Personnummer from 'personnummer';
import {
  containsIdentityNumber,
  findIdentityNumbers,
  identityNumberMessage,
  IDENTITY_NUMBER_REDACTION,
  redactIdentityNumbers,
  type IdentityNumberHit,
  type IdentityNumberKind,
} from '../../src/privacy/identity-numbers';

// Test numbers: Skatteverket-style test numbers (198507099805, 19121212-1212, …) and numbers
// built here with the Luhn digit. Every one is checked with the library below, so the table
// cannot rot into testing invalid numbers by mistake.

/** Luhn check digit for the nine digits YYMMDDNNN, as the personnummer scheme defines it. */
function luhnDigit(nine: string): string {
  assert.match(nine, /^\d{9}$/);
  let sum = 0;
  for (let i = 0; i < 9; i++) {
    let v = Number(nine[i]) * (i % 2 === 0 ? 2 : 1);
    if (v > 9) v -= 9;
    sum += v;
  }
  return String((10 - (sum % 10)) % 10);
}

/** YYMMDDNNN (+ optional century prefix) completed with the right check digit. */
function withCheck(digits: string): string {
  return digits + luhnDigit(digits.slice(-9));
}

/** The same number with a wrong check digit. */
function wrongCheck(pin: string): string {
  const last = Number(pin.slice(-1));
  return pin.slice(0, -1) + String((last + 1) % 10);
}

const PERSONNUMMER_10 = '850709-9805';
const PERSONNUMMER_12 = '198507099805';
const GENERATED_PNR = withCheck('031117988'); // 031117-988x, born 2003
const HUNDRED_PLUS_10 = '121212+1212'; // born 1912
const HUNDRED_PLUS_12 = '19121212-1212';
const SAMORDNING_10 = '701063-2391'; // day 63 = 3 + 60
const SAMORDNING_12 = '19' + withCheck('850769980'); // 1985-07-09 as samordningsnummer

describe('identity numbers: test data sanity', () => {
  const valid: [string, IdentityNumberKind][] = [
    [PERSONNUMMER_10, 'personnummer'],
    [PERSONNUMMER_12, 'personnummer'],
    ['8507099813', 'personnummer'],
    [GENERATED_PNR, 'personnummer'],
    [HUNDRED_PLUS_10, 'personnummer'],
    [HUNDRED_PLUS_12, 'personnummer'],
    [SAMORDNING_10, 'samordningsnummer'],
    [SAMORDNING_12, 'samordningsnummer'],
  ];
  for (const [pin, kind] of valid) {
    it(`${pin} is a valid ${kind} according to the library`, () => {
      assert.equal(Personnummer.valid(pin), true);
      assert.equal(Personnummer.parse(pin).isCoordinationNumber(), kind === 'samordningsnummer');
    });
  }

  it('the + form is read as 100 years older', () => {
    assert.equal(Personnummer.parse(HUNDRED_PLUS_10).fullYear, '1912');
    assert.equal(Personnummer.parse('121212-1212').fullYear, '2012');
  });

  it('luhnDigit agrees with the library', () => {
    assert.equal(withCheck('850709980'), '8507099805');
    assert.equal(withCheck('121212121'), '1212121212');
  });
});

/** Expected hit for the `occurrence`-th appearance of `number` in `text`. */
function hitOf(text: string, number: string, kind: IdentityNumberKind = 'personnummer', occurrence = 0): IdentityNumberHit {
  let start = -1;
  for (let i = 0; i <= occurrence; i++) {
    start = text.indexOf(number, start + 1);
    assert.notEqual(start, -1, `test bug: "${number}" not in "${text}"`);
  }
  return { start, end: start + number.length, kind };
}

describe('findIdentityNumbers: numbers that must be found', () => {
  const p10 = PERSONNUMMER_10;
  const p10bare = p10.replace('-', '');
  const p12 = PERSONNUMMER_12;
  const p12dash = `${p12.slice(0, 8)}-${p12.slice(8)}`;
  const s10 = SAMORDNING_10;
  const s12 = SAMORDNING_12;
  const s12dash = `${s12.slice(0, 8)}-${s12.slice(8)}`;

  // [description, text, the number as it appears in the text, kind]
  const single: [string, string, string, IdentityNumberKind][] = [
    ['10 digits with -', p10, p10, 'personnummer'],
    ['10 digits without separator', p10bare, p10bare, 'personnummer'],
    ['10 digits with space', '850709 9805', '850709 9805', 'personnummer'],
    ['10 digits with non-breaking space', '850709\u00A09805', '850709\u00A09805', 'personnummer'],
    ['10 digits with en dash (word processor)', '850709\u20139805', '850709\u20139805', 'personnummer'],
    ['10 digits with minus sign', '850709\u22129805', '850709\u22129805', 'personnummer'],
    ['10 digits with spaced dash', '850709 - 9805', '850709 - 9805', 'personnummer'],
    ['12 digits without separator', p12, p12, 'personnummer'],
    ['12 digits with -', p12dash, p12dash, 'personnummer'],
    ['12 digits with space', '19850709 9805', '19850709 9805', 'personnummer'],
    ['generated number, born 2003', GENERATED_PNR, GENERATED_PNR, 'personnummer'],
    ['100+ years old, 10 digits with +', HUNDRED_PLUS_10, HUNDRED_PLUS_10, 'personnummer'],
    ['100+ years old, 12 digits', HUNDRED_PLUS_12, HUNDRED_PLUS_12, 'personnummer'],
    ['12 digits with + (accepted by the library)', '19121212+1212', '19121212+1212', 'personnummer'],
    ['born in the 1800s, 12 digits', '18' + withCheck('850709980'), '18' + withCheck('850709980'), 'personnummer'],
    ['samordningsnummer, 10 digits', s10, s10, 'samordningsnummer'],
    ['samordningsnummer, 10 digits bare', s10.replace('-', ''), s10.replace('-', ''), 'samordningsnummer'],
    ['samordningsnummer, 12 digits', s12, s12, 'samordningsnummer'],
    ['samordningsnummer, 12 digits with -', s12dash, s12dash, 'samordningsnummer'],
    ['in a sentence', `Brukaren (${p10}) föll i badrummet.`, p10, 'personnummer'],
    ['at the start', `${p10} föll i badrummet`, p10, 'personnummer'],
    ['at the end', `Det gäller ${p12}`, p12, 'personnummer'],
    ['followed by a full stop', `Det gäller ${p10}.`, p10, 'personnummer'],
    ['followed by a comma', `Brukaren ${p10}, som bor på avdelning 3`, p10, 'personnummer'],
    ['in quotes', `pnr "${p10bare}"`, p10bare, 'personnummer'],
    ['after a colon without space', `pnr:${p10}`, p10, 'personnummer'],
    ['glued to letters', `pnr${p10bare}x`, p10bare, 'personnummer'],
    ['on its own line', `Brukare:\n${p12dash}\nAvdelning 3`, p12dash, 'personnummer'],
    ['Nordea personkonto (clearing + personnummer)', `konto 3300-${p10bare}`, p10bare, 'personnummer'],
    ['after a digit and a space', `rum 12 ${p10}`, p10, 'personnummer'],
    ['followed by a separator and more digits', `${p10}-12`, p10, 'personnummer'],
  ];
  for (const [description, text, number, kind] of single) {
    it(`${description}: ${JSON.stringify(text)}`, () => {
      assert.deepEqual(findIdentityNumbers(text), [hitOf(text, number, kind)]);
      assert.equal(containsIdentityNumber(text), true);
    });
  }

  it('reports exact positions (literal indices)', () => {
    assert.deepEqual(findIdentityNumbers('Pnr 850709-9805.'), [{ start: 4, end: 15, kind: 'personnummer' }]);
    assert.deepEqual(findIdentityNumbers('198507099805'), [{ start: 0, end: 12, kind: 'personnummer' }]);
    assert.deepEqual(findIdentityNumbers('x 701063-2391'), [{ start: 2, end: 13, kind: 'samordningsnummer' }]);
  });

  it('reads a 12-digit number as one hit, not as a 10-digit number inside it', () => {
    assert.deepEqual(findIdentityNumbers(`Det gäller ${p12dash}.`), [hitOf(`Det gäller ${p12dash}.`, p12dash)]);
  });

  it('finds several numbers in one text, in order, with correct positions and kinds', () => {
    const text = `Brukaren ${p10} och hans bror ${HUNDRED_PLUS_12} samt ${s10}, se även ${p10}.`;
    assert.deepEqual(findIdentityNumbers(text), [
      hitOf(text, p10),
      hitOf(text, HUNDRED_PLUS_12),
      hitOf(text, s10, 'samordningsnummer'),
      hitOf(text, p10, 'personnummer', 1),
    ]);
  });

  it('finds adjacent numbers separated only by a comma or a space', () => {
    const comma = `${p10},${HUNDRED_PLUS_10}`;
    assert.deepEqual(findIdentityNumbers(comma), [hitOf(comma, p10), hitOf(comma, HUNDRED_PLUS_10)]);
    const space = `${p10bare} ${s12}`;
    assert.deepEqual(findIdentityNumbers(space), [hitOf(space, p10bare), hitOf(space, s12, 'samordningsnummer')]);
  });

  it('gives the same answer when called repeatedly (no regex state leaks between calls)', () => {
    const text = `a ${p10} b`;
    const first = findIdentityNumbers(text);
    assert.deepEqual(findIdentityNumbers(text), first);
    assert.deepEqual(findIdentityNumbers(`c ${p10}`), [hitOf(`c ${p10}`, p10)]);
  });

  it('returns positions and kind only, never the digits', () => {
    const [hit] = findIdentityNumbers(`pnr ${p10}`);
    assert.ok(hit);
    assert.deepEqual(Object.keys(hit).sort(), ['end', 'kind', 'start']);
    assert.equal(JSON.stringify(hit).includes('9805'), false);
  });
});

describe('findIdentityNumbers: invalid numbers are not blocked', () => {
  const cases: [string, string][] = [
    ['wrong check digit, 10 digits', wrongCheck(PERSONNUMMER_10)],
    ['wrong check digit, 10 digits bare', wrongCheck('8507099805')],
    ['wrong check digit, 12 digits', wrongCheck(PERSONNUMMER_12)],
    ['wrong check digit, +', wrongCheck(HUNDRED_PLUS_10)],
    ['wrong check digit, samordningsnummer', wrongCheck(SAMORDNING_10)],
    ['wrong check digit, samordningsnummer 12 digits', wrongCheck(SAMORDNING_12)],
    // Right check digit, impossible date: only the date check can reject these.
    ['month 13', withCheck('851309980')],
    ['month 00', withCheck('850009980')],
    ['day 32', withCheck('850732980')],
    ['day 00', withCheck('850700980')],
    ['30 February', withCheck('850230980')],
    ['29 February in a non-leap year', '19' + withCheck('850229980')],
    ['29 February 1900 (not a leap year)', '19' + withCheck('000229980')],
    ['samordningsnummer day 92 (32 + 60)', withCheck('850792980')],
    ['samordningsnummer day 60 (0 + 60)', withCheck('850760980')],
    ['serial 000', withCheck('850709000')],
    // 12 digits need a plausible century (18, 19, 20); the library alone would accept 0585.
    ['century 05', '05' + withCheck('850709980')],
    ['century 17', '17' + withCheck('850709980')],
    ['century 21', '21' + withCheck('850709980')],
  ];
  for (const [description, pin] of cases) {
    it(`${description}: ${pin}`, () => {
      // The check digit is the only flaw for the first group; the rest fail on date or range.
      assert.deepEqual(findIdentityNumbers(`Det gäller ${pin}.`), []);
      assert.equal(containsIdentityNumber(pin), false);
    });
  }

  it('29 February in a leap year is found (control for the non-leap case)', () => {
    const pin = '19' + withCheck('840229980');
    assert.equal(Personnummer.valid(pin), true);
    assert.deepEqual(findIdentityNumbers(pin), [{ start: 0, end: 12, kind: 'personnummer' }]);
  });

  it('passes the + to the library: 29 February 1900 does not exist, 2000 does', () => {
    const serial = withCheck('000229980').slice(6);
    assert.deepEqual(findIdentityNumbers(`000229+${serial}`), []);
    assert.deepEqual(findIdentityNumbers(`000229-${serial}`), [{ start: 0, end: 11, kind: 'personnummer' }]);
  });

  it('the century rule only rejects what the library accepts (control)', () => {
    assert.equal(Personnummer.valid('05' + withCheck('850709980')), true);
  });
});

describe('findIdentityNumbers: no false positives', () => {
  const p10bare = '8507099805';
  const cases: [string, string][] = [
    // Dates and times
    ['ISO date', 'Händelsen inträffade 2026-11-22.'],
    ['day/month year', 'Händelsen inträffade 22/11 2026 på kvällen.'],
    ['compact date', 'Datum 20261122'],
    ['dotted date', '22.11.2026'],
    ['date and time', '2026-11-22 09:30'],
    ['date and time, dotted', '2026-11-22 kl. 21.15'],
    ['time range', 'kl. 09:30–10:15'],
    ['compact time range', '0930-1015'],
    ['week', 'vecka 47, 2026'],
    // Phone numbers
    ['mobile, grouped', 'Ring 070-123 45 67'],
    ['mobile, compact', 'Ring 0701234567'],
    ['mobile, dash only', 'Ring 070-1234567'],
    ['landline Stockholm', 'Ring 08-123 456 78'],
    ['landline Göteborg', 'Ring 031-12 34 56'],
    ['international', 'Ring +46701234567'],
    ['international, grouped', 'Ring +46 70 123 45 67'],
    // Case numbers and other references
    ['lex Sarah case number', 'öppna LS-2026-0001'],
    ['diary number with slash', 'ärende 2026/1234'],
    ['Dnr', 'Dnr SN 2026/123'],
    ['BoU', 'BoU 2026/123'],
    ['year-serial', 'ärende 2026-1234'],
    ['year-long serial', 'SN 2026-000123'],
    ['organisationsnummer (municipality)', 'Stockholms stad 212000-0142'],
    // Amounts, postal codes, ordinary numbers
    ['amount with spaces', 'Skadan kostade 12 500 kr'],
    ['large amount', 'Budget 1 250 000 kr'],
    ['amount without spaces', '125000 kr'],
    ['amount with decimals', '1 234,50 kr'],
    ['postal code', 'Storgatan 1, 123 45 Stockholm'],
    ['postal code compact', '12345 Stockholm'],
    ['ordinary numbers', '3 personer, 10 % av tiden, rum 214'],
    ['empty text', ''],
    // Longer digit runs that contain a valid-looking 10-digit slice
    ['14-digit number', `12${p10bare}34`],
    ['11-digit number', `1${p10bare}`],
    ['10 digits followed by more digits', `${p10bare}12`],
    ['12 digits with an implausible century containing a valid 10-digit tail', `85${p10bare}`],
    ['IBAN, electronic form', `SE455000${p10bare}1234`],
    ['account number', `Konto 123${p10bare}`],
    ['long reference', `Referens 0000${p10bare}0000`],
    ['six digits, space, more than four digits', `850709 98051234`],
  ];
  it('the digit-run cases really do contain a valid number (control)', () => {
    assert.equal(Personnummer.valid(p10bare), true);
  });
  for (const [description, text] of cases) {
    it(`${description}: ${JSON.stringify(text)}`, () => {
      assert.deepEqual(findIdentityNumbers(text), []);
      assert.equal(containsIdentityNumber(text), false);
    });
  }
});

describe('findIdentityNumbers: documented choices', () => {
  // Other separators are not candidates (see the module comment): accepting them would also
  // match ISO dates followed by a time or serial. These assertions pin the choice down.
  const notCandidates: string[] = ['19850709-98-05', '850709-98 05', '1985-07-09-9805', '85 07 09-9805', '8 5 0 7 0 9 9 8 0 5'];
  for (const text of notCandidates) {
    it(`does not look for numbers split differently: ${JSON.stringify(text)}`, () => {
      assert.deepEqual(findIdentityNumbers(text), []);
    });
  }

  // Ambiguity resolved towards blocking: a 070 mobile number written without separators, or a
  // compact date + time, is indistinguishable from an identity number when date and checksum fit.
  it('blocks a compact 070 number that is also a valid personnummer (born 2007)', () => {
    const phone = withCheck('070123456');
    assert.equal(Personnummer.valid(phone), true);
    assert.deepEqual(findIdentityNumbers(`Ring ${phone}`), [{ start: 5, end: 15, kind: 'personnummer' }]);
    const grouped = `${phone.slice(0, 3)}-${phone.slice(3, 6)} ${phone.slice(6, 8)} ${phone.slice(8)}`;
    assert.deepEqual(findIdentityNumbers(`Ring ${grouped}`), []);
  });

  it('blocks a compact date + time when it is also a valid number, not the ISO form', () => {
    const stamp = '20' + withCheck('250115093'); // 20250115 093x
    const spaced = `${stamp.slice(0, 8)} ${stamp.slice(8)}`;
    assert.deepEqual(findIdentityNumbers(spaced), [{ start: 0, end: 13, kind: 'personnummer' }]);
    assert.deepEqual(findIdentityNumbers(`2025-01-15 ${stamp.slice(8)}`), []);
  });
});

describe('redactIdentityNumbers', () => {
  const cases: [string, string][] = [
    ['', ''],
    ['Inget nummer här, ärende LS-2026-0001.', 'Inget nummer här, ärende LS-2026-0001.'],
    [`Pnr ${PERSONNUMMER_10}.`, `Pnr ${IDENTITY_NUMBER_REDACTION}.`],
    [
      `${PERSONNUMMER_12} och ${SAMORDNING_10}, tel 070-123 45 67`,
      `${IDENTITY_NUMBER_REDACTION} och ${IDENTITY_NUMBER_REDACTION}, tel 070-123 45 67`,
    ],
    [`${wrongCheck(PERSONNUMMER_10)} ${HUNDRED_PLUS_10}`, `${wrongCheck(PERSONNUMMER_10)} ${IDENTITY_NUMBER_REDACTION}`],
  ];
  for (const [input, expected] of cases) {
    it(`${JSON.stringify(input)} → ${JSON.stringify(expected)}`, () => {
      assert.equal(IDENTITY_NUMBER_REDACTION, '[personnummer borttaget]');
      assert.equal(redactIdentityNumbers(input), expected);
      assert.equal(containsIdentityNumber(redactIdentityNumbers(input)), false);
    });
  }
});

describe('identityNumberMessage', () => {
  it('names the field, says what was found and what to do instead', () => {
    assert.equal(
      identityNumberMessage('Vad hände?'),
      'Fältet "Vad hände?" ser ut att innehålla ett personnummer eller samordningsnummer. ' +
        'Ta bort numret och skriv till exempel "brukaren" eller ärendenumret i stället, ' +
        'så att personen inte kan identifieras.',
    );
  });

  it('trims the label and falls back to "Texten" without one', () => {
    assert.match(identityNumberMessage('  Åtgärder  '), /^Fältet "Åtgärder" ser ut/);
    assert.match(identityNumberMessage(''), /^Texten ser ut att innehålla ett personnummer/);
    assert.match(identityNumberMessage('   '), /^Texten ser ut/);
  });

  it('contains no digits (it can never echo a number)', () => {
    assert.doesNotMatch(identityNumberMessage('Vad hände?'), /\d/);
  });
});
