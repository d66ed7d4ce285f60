import assert from 'node:assert/strict';
import { caseReferenceKey } from '../../src/store/casework';

/** The fold written out in full, as caseReferenceKey's plain-ASCII shortcut must agree with it. */
const folded = (reference: string) => reference.normalize('NFC').replace(/\s+/g, ' ').trim().toLocaleLowerCase('sv-SE');

describe('caseReferenceKey', () => {
  const table: [string, string][] = [
    ['BoU 2026/12', 'bou 2026/12'],
    ['BOU  2026/12', 'bou 2026/12'],
    [' BoU 2026/12', 'bou 2026/12'],
    ['BoU 2026/12 ', 'bou 2026/12'],
    ['BoU\t2026/12', 'bou 2026/12'],
    ['BoU\u00a02026/12', 'bou 2026/12'],
    ['Äldre 2026:3', 'äldre 2026:3'],
    ['SN-2026.1', 'sn-2026.1'],
    ['A\u030a 1', '\u00e5 1'],
    ['x', 'x'],
    ['', ''],
  ];
  for (const [reference, key] of table) {
    it(`${JSON.stringify(reference)} → ${JSON.stringify(key)}`, () => {
      assert.equal(caseReferenceKey(reference), key);
      assert.equal(caseReferenceKey(reference), folded(reference));
    });
  }

  it('agrees with the full fold on every ASCII character (control characters too), alone and between words', () => {
    for (let c = 0x00; c <= 0x7f; c++) {
      const ch = String.fromCharCode(c);
      for (const reference of [ch, `a${ch}b`, `A ${ch} B`, `${ch}${ch}`]) assert.equal(caseReferenceKey(reference), folded(reference), JSON.stringify(reference));
    }
  });
});
