/** Sizes in JSON counted without writing it (src/cards/json-size.ts), against Buffer.byteLength(JSON.stringify(v)). */
import assert from 'node:assert/strict';
import { jsonStringBytes, scalarBytes } from '../../src/cards/json-size';
import { prng } from '../support/random';

const bytes = (v: unknown): number => Buffer.byteLength(JSON.stringify(v), 'utf8');

describe('JSON sizes', () => {
  const strings: [string, string][] = [
    // [what, string]
    ['empty', ''],
    ['ASCII', 'Genomgang klar v.48 (3/12)'],
    ['quotes and backslashes (escaped in two)', '"a\\b"'],
    ['the short escapes \\b \\t \\n \\f \\r', '\b\t\n\f\r'],
    ['other controls (escaped as \\u00XX) and DEL (not escaped)', '\u0000\u0001\u001f\u007f'],
    ['two-byte letters and the middle dot', 'åäöÅÄÖ · é'],
    ['three-byte characters: en dash, word joiner, line separator', '–\u2060\u2028\u2029€'],
    ['an emoji (a surrogate pair, four bytes)', 'a😀b'],
    ['a lone high surrogate, also at the end (escaped in six)', '\ud83d x \ud83d'],
    ['a lone low surrogate', 'x\ude00y'],
    ['a low surrogate before a high one is two lone ones', '\ude00\ud83d'],
    ['the largest code point', '\u{10FFFF}'],
  ];
  for (const [what, s] of strings) {
    it(`a string: ${what}`, () => assert.equal(jsonStringBytes(s), bytes(s), JSON.stringify(s)));
  }

  it('random strings of every kind of character', () => {
    const rnd = prng(20261203);
    const pick = () => {
      const r = rnd();
      if (r < 0.3) return String.fromCharCode(0x20 + Math.floor(rnd() * 0x60));
      if (r < 0.4) return String.fromCharCode(Math.floor(rnd() * 0x20));
      if (r < 0.6) return String.fromCharCode(0x80 + Math.floor(rnd() * 0x780));
      if (r < 0.8) return String.fromCharCode(0x800 + Math.floor(rnd() * 0xf800));
      return String.fromCodePoint(0x10000 + Math.floor(rnd() * 0xfffff));
    };
    for (let i = 0; i < 5000; i++) {
      const s = Array.from({ length: Math.floor(rnd() * 20) }, pick).join('');
      assert.equal(jsonStringBytes(s), bytes(s), JSON.stringify(s));
    }
  });

  const scalars: [string, unknown][] = [
    ['zero', 0], ['minus zero (written 0)', -0], ['a fraction', -1.25], ['a large number', 1e21], ['a small number', 5e-7],
    ['NaN (written null)', Number.NaN], ['Infinity (written null)', Number.POSITIVE_INFINITY], ['true', true], ['false', false], ['null', null], ['a string', 'å"'],
  ];
  for (const [what, v] of scalars) {
    it(`a value: ${what}`, () => assert.equal(scalarBytes(v), bytes(v)));
  }

  it('what JSON leaves out of objects is undefined, a BigInt (which JSON refuses) NaN', () => {
    for (const v of [undefined, () => 1, Symbol('s')]) {
      assert.equal(scalarBytes(v), undefined);
      assert.equal(JSON.stringify({ v }), '{}');
    }
    assert.ok(Number.isNaN(scalarBytes(1n)));
    assert.throws(() => JSON.stringify(1n), TypeError);
  });
});
