import assert from 'node:assert/strict';
import {
  chatMessageWarning,
  containsIdentityNumber,
  guardFields,
  guardText,
  identityRefusalMessage,
  IDENTITY_NUMBER_REDACTION,
} from '../../src/privacy/guard';

// Test numbers as in identity-numbers.test.ts.
const PNR_10 = '850709-9805';
const PNR_12 = '198507099805';
const SAMORDNING_10 = '701063-2391';
/** Fragments of the test numbers that must never appear in a message. */
const DIGIT_FRAGMENTS = ['850709', '9805', '8507', '701063', '2391', '0709'];

function assertNoDigitsOfNumbers(text: string): void {
  for (const f of DIGIT_FRAGMENTS) assert.ok(!text.includes(f), `"${text}" contains ${f}`);
}

describe('guardText', () => {
  it('passes text without an identity number', () => {
    assert.deepEqual(guardText('Ring 070-123 45 67 den 2026-11-21, ärende 2026-1234.', 'Vad hände?'), { ok: true });
    assert.deepEqual(guardText('', 'Vad hände?'), { ok: true });
  });

  it('refuses, keeps the text and replaces only the number', () => {
    const long = `${'Brukaren fick fel medicin. '.repeat(100)}Gäller ${PNR_10}, rum 3.`;
    const r = guardText(long, 'Vad hände?');
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.equal(r.count, 1);
    assert.equal(r.masked, `${'Brukaren fick fel medicin. '.repeat(100)}Gäller ${IDENTITY_NUMBER_REDACTION}, rum 3.`);
    assert.match(r.message, /^Fältet "Vad hände\?" ser ut att innehålla ett personnummer eller samordningsnummer\./);
    assert.match(r.message, /ersatts med \[personnummer borttaget\]; resten av texten finns kvar/);
    assertNoDigitsOfNumbers(r.message);
    assert.equal(containsIdentityNumber(r.masked), false);
  });

  it('masks pasted forms exactly, invisible characters included', () => {
    const r = guardText('Se ８５０７０９－９８０５ och 85070\u200B9\u00AD9805.', 'Kommentar');
    assert.ok(!r.ok);
    if (r.ok) return;
    assert.equal(r.count, 2);
    assert.equal(r.masked, `Se ${IDENTITY_NUMBER_REDACTION} och ${IDENTITY_NUMBER_REDACTION}.`);
    assert.match(r.message, /^Fältet "Kommentar" ser ut att innehålla två personnummer eller samordningsnummer\. Numren har ersatts/);
  });

  it('names the lines of a text of several lines', () => {
    const r = guardText(`Rad ett\nRad två ${PNR_12}\r\nRad tre\nRad fyra ${SAMORDNING_10} och ${PNR_10}`, 'Vad hände?');
    assert.ok(!r.ok);
    if (r.ok) return;
    assert.equal(r.count, 3);
    assert.match(r.message, /ser ut att innehålla tre personnummer eller samordningsnummer \(på rad 2 och 4\)\./);
    assert.equal(r.masked, `Rad ett\nRad två ${IDENTITY_NUMBER_REDACTION}\r\nRad tre\nRad fyra ${IDENTITY_NUMBER_REDACTION} och ${IDENTITY_NUMBER_REDACTION}`);
  });

  it('a number split by a line break is named by the line it starts on', () => {
    const r = guardText('Brukaren\n850709\n9805 föll', 'Vad hände?');
    assert.ok(!r.ok);
    if (r.ok) return;
    assert.match(r.message, /\(på rad 2\)/);
    assert.equal(r.masked, `Brukaren\n${IDENTITY_NUMBER_REDACTION} föll`);
  });

  it('with replacement "" removes the number, and what it leaves is clean too', () => {
    const r = guardText(`BoU ${PNR_10}`, 'Ärendenummer', { replacement: '' });
    assert.ok(!r.ok);
    if (r.ok) return;
    assert.equal(r.masked, 'BoU ');
    assert.match(r.message, /Numret har tagits bort; resten av texten finns kvar/);
    // Removing the middle number joins "850709- " and "9805" into a new one: masked again.
    const joined = guardText('850709-198507099805 9805', 'Fält', { replacement: '' });
    assert.ok(!joined.ok);
    if (joined.ok) return;
    assert.equal(containsIdentityNumber(joined.masked), false);
    assert.equal(joined.count, 1);
  });

  it('refuses a replacement with digits (it could form a number)', () => {
    assert.throws(() => guardText(PNR_10, 'x', { replacement: '000000-0000' }), RangeError);
    assert.throws(() => guardText(PNR_10, 'x', { replacement: '٠' }), RangeError);
    assert.throws(() => guardText(PNR_10, 'x', { replacement: '①' }), RangeError); // NFKC: "1"
    assert.deepEqual(guardText('inget', 'x', { replacement: '1' }), { ok: true }); // only checked when used
  });
});

describe('guardFields', () => {
  it('returns errors for refused fields and every string value, masked where refused', () => {
    const data = { decision: `Beslut för ${PNR_10}`, motivation: 'Ingen anmälan.', caseRef: `BoU ${PNR_12}`, outcome: 'x', n: 3, obj: { a: PNR_10 } };
    const r = guardFields(data, { decision: 'Beslut eller ställningstagande', motivation: 'Motivering', caseRef: { label: 'Ärendenummer', replacement: '' }, n: 'Nummer' });
    assert.equal(r.ok, false);
    assert.deepEqual(Object.keys(r.errors).sort(), ['caseRef', 'decision']);
    assert.match(r.errors.decision ?? '', /^Fältet "Beslut eller ställningstagande" ser ut att innehålla/);
    assert.match(r.errors.caseRef ?? '', /^Fältet "Ärendenummer" ser ut att innehålla.*tagits bort/);
    assert.deepEqual(r.values, {
      decision: `Beslut för ${IDENTITY_NUMBER_REDACTION}`,
      motivation: 'Ingen anmälan.',
      caseRef: 'BoU ',
      outcome: 'x',
    });
    assertNoDigitsOfNumbers(JSON.stringify(r));
  });

  it('is ok when nothing is found, and echoes the strings unchanged', () => {
    const r = guardFields({ comment: 'Genomgång klar, LS-2026-0001.', week: '2026-W47' }, { comment: 'Kommentar' });
    assert.deepEqual(r, { ok: true, errors: {}, values: { comment: 'Genomgång klar, LS-2026-0001.', week: '2026-W47' } });
  });
});

describe('identityRefusalMessage', () => {
  const table: [string, Parameters<typeof identityRefusalMessage>[1], RegExp][] = [
    ['one number', { count: 1 }, /^Fältet "Vad hände\?" ser ut att innehålla ett personnummer eller samordningsnummer\. Numret har ersatts med \[personnummer borttaget\]; resten av texten finns kvar\. Skriv till exempel "brukaren" eller ärendenumret i stället, så att personen inte kan identifieras, och skicka igen\.$/],
    ['two numbers', { count: 2 }, /ser ut att innehålla två personnummer eller samordningsnummer\. Numren har ersatts/],
    ['eleven numbers', { count: 11 }, /ser ut att innehålla 11 personnummer/],
    ['lines', { count: 3, lines: [1, 2, 7] }, /\(på rad 1, 2 och 7\)\./],
    ['one line', { count: 1, lines: [4] }, /\(på rad 4\)\./],
    ['removed', { count: 1, replacement: '' }, /Numret har tagits bort;/],
  ];
  for (const [description, found, pattern] of table) {
    it(description, () => assert.match(identityRefusalMessage('Vad hände?', found), pattern));
  }

  it('trims the label and falls back to "Texten"', () => {
    assert.match(identityRefusalMessage('  Åtgärder ', { count: 1 }), /^Fältet "Åtgärder" ser ut att innehålla/);
    assert.match(identityRefusalMessage(' ', { count: 1 }), /^Texten ser ut att innehålla/);
  });
});

describe('chatMessageWarning', () => {
  it('says what was found, that Teams keeps it, and how to delete it in Teams', () => {
    const text = chatMessageWarning();
    assert.match(text, /personnummer eller samordningsnummer/);
    assert.match(text, /Teams sparar allt som skrivs i chatten/);
    assert.match(text, /Fler alternativ \(\.\.\.\) och sedan Ta bort/);
    assert.match(text, /tryck länge på meddelandet och välj Ta bort/);
    assert.doesNotMatch(text, /\d/);
  });
});
