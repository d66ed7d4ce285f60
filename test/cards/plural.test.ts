import assert from 'node:assert/strict';
import { plural, pluralWord } from '../../src/cards/plural';

describe('Swedish count phrases (cards/plural.ts)', () => {
  const cases: [number, string, string, string][] = [
    [0, 'dag', 'dagar', '0 dagar'],
    [1, 'dag', 'dagar', '1 dag'],
    [2, 'dag', 'dagar', '2 dagar'],
    [1, 'försenad', 'försenade', '1 försenad'],
    [5, 'försenad', 'försenade', '5 försenade'],
    [1, 'enhet', 'enheter', '1 enhet'],
    [12, 'enhet', 'enheter', '12 enheter'],
    [1, 'arbetsdag', 'arbetsdagar', '1 arbetsdag'],
  ];
  for (const [n, one, many, want] of cases) {
    it(`${n} ${one}/${many} → "${want}"`, () => assert.equal(plural(n, one, many), want));
  }
  it('the word alone, also for −1', () => {
    assert.equal(pluralWord(-1, 'dag', 'dagar'), 'dag');
    assert.equal(pluralWord(-3, 'dag', 'dagar'), 'dagar');
  });
});
