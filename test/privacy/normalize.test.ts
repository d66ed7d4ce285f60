import assert from 'node:assert/strict';
import { decimalDigitValue, foldForDetection, originalRange } from '../../src/privacy/normalize';

describe('decimalDigitValue', () => {
  // Intl formats 0–9 in each numbering system: an oracle independent of the code under test.
  const systems = Intl.supportedValuesOf('numberingSystem');
  it('Intl knows several digit systems (control)', () => {
    for (const s of ['arab', 'arabext', 'deva', 'beng', 'fullwide', 'mathbold', 'thai']) assert.ok(systems.includes(s), s);
  });

  for (const system of systems) {
    const digits = Array.from({ length: 10 }, (_, d) => new Intl.NumberFormat('en', { numberingSystem: system, useGrouping: false }).format(d));
    // Only systems that write each digit as one \p{Nd} code point (not e.g. Roman, Han numerals).
    if (!digits.every((d) => [...d].length === 1 && /^\p{Nd}$/u.test(d))) continue;
    it(`reads the ${system} digits ${digits.join('')} as 0–9`, () => {
      assert.deepEqual(
        digits.map((d) => decimalDigitValue(d.codePointAt(0)!)),
        [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
      );
    });
  }

  it('every \\p{Nd} code point gets a value, and each run of ten counts 0–9', () => {
    let checked = 0;
    for (let cp = 0; cp <= 0x10ffff; cp++) {
      if (cp >= 0xd800 && cp <= 0xdfff) continue;
      const value = decimalDigitValue(cp);
      if (!/^\p{Nd}$/u.test(String.fromCodePoint(cp))) {
        assert.equal(value, undefined);
        continue;
      }
      checked++;
      assert.ok(value !== undefined && value >= 0 && value <= 9, cp.toString(16));
      if (value > 0) assert.equal(decimalDigitValue(cp - 1), value - 1, cp.toString(16));
    }
    assert.ok(checked >= 600, String(checked));
  });

  it('is undefined for things that are numbers but not decimal digits', () => {
    for (const ch of ['²', '½', 'Ⅻ', '①', 'a', '-', ' ']) assert.equal(decimalDigitValue(ch.codePointAt(0)!), undefined, ch);
  });
});

describe('foldForDetection', () => {
  // [description, input, folded text]
  const table: [string, string, string][] = [
    ['plain ASCII is unchanged', 'Pnr 850709-9805, rum 12.', 'Pnr 850709-9805, rum 12.'],
    ['letters with diacritics are kept', 'Åsa på Östermalm', 'Åsa på Östermalm'],
    ['format characters are dropped', 'a\u200Bb\u00ADc\u2060d\uFEFFe\u200Cf\u200Dg', 'abcdefg'],
    ['dashes and the minus sign become "-"', '\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uFE58\uFE63\uFF0D\u058A', '-----------'],
    ['spaces, tab and line breaks become " "', 'a\u00A0b\u2009c\u202Fd\te\nf\rg\u3000h\u2028i', 'a b c d e f g h i'],
    ['CRLF is one space', 'a\r\nb\n\rc', 'a b  c'],
    ['fullwidth digits and signs (NFKC)', '８５０７０９－９８０５＋', '850709-9805+'],
    ['Arabic-Indic, Devanagari and mathematical digits', '\u0663\u0967\u{1D7D7}', '319'],
    ['ligatures expand (NFKC)', '\uFB01', 'fi'],
    ['a lone surrogate is kept as it is', 'a\uD800b', 'a\uD800b'],
  ];
  for (const [description, input, expected] of table) {
    it(`${description}: ${JSON.stringify(input)}`, () => {
      const folded = foldForDetection(input);
      assert.equal(folded.text, expected);
      assert.equal(folded.start.length, folded.text.length);
      assert.equal(folded.end.length, folded.text.length);
    });
  }

  it('maps every folded index back to its source character', () => {
    const input = 'x\u200B８\u{1D7D7}\r\n-\uFB01';
    const folded = foldForDetection(input);
    assert.equal(folded.text, 'x89 -fi');
    assert.deepEqual(folded.start, [0, 2, 3, 5, 7, 8, 8]);
    assert.deepEqual(folded.end, [1, 3, 5, 7, 8, 9, 9]);
    // Dropped characters inside a range are covered by it.
    assert.deepEqual(originalRange(folded, 0, 3), { start: 0, end: 5 });
    assert.equal(input.slice(0, 5), 'x\u200B８\u{1D7D7}');
  });
});
