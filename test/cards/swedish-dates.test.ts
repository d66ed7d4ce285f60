import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import { swedishDate } from '../../src/cards/swedish-dates';

describe('Swedish dates on cards', () => {
  it('read as luxon writes them, every 7 h 13 min over two years, in two time zones', () => {
    let checked = 0;
    for (const zone of ['Europe/Stockholm', 'UTC']) {
      for (let t = Date.UTC(2025, 0, 1); t < Date.UTC(2027, 0, 1); t += 7 * 3600e3 + 13 * 60e3) {
        const d = new Date(t);
        const lux = DateTime.fromJSDate(d, { zone }).setLocale('sv');
        assert.equal(swedishDate(d, zone), lux.toFormat('d LLL yyyy'));
        assert.equal(swedishDate(d, zone, true), lux.toFormat('d LLL yyyy HH:mm'));
        checked++;
      }
    }
    assert.ok(checked > 4000);
  });

  it('keeps the local day and hour across the DST changes', () => {
    assert.equal(swedishDate(new Date('2026-03-29T00:59:00Z'), 'Europe/Stockholm', true), '29 mars 2026 01:59');
    assert.equal(swedishDate(new Date('2026-03-29T01:00:00Z'), 'Europe/Stockholm', true), '29 mars 2026 03:00');
    assert.equal(swedishDate(new Date('2026-10-24T22:30:00Z'), 'Europe/Stockholm', true), '25 okt. 2026 00:30');
    assert.equal(swedishDate(new Date('2026-12-31T23:00:00Z'), 'Europe/Stockholm'), '1 jan. 2027');
  });
});
