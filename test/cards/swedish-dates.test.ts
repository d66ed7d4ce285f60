import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import { swedishDate, swedishIsoDay } from '../../src/cards/swedish-dates';

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

describe('ISO days on cards (swedishIsoDay)', () => {
  const luxon = (day: string, zone: string) => DateTime.fromISO(day, { zone }).setLocale('sv').toFormat('d LLL yyyy');
  // Far east and west of UTC, half hours, DST starting or ending at midnight, and Samoa, which skipped a day.
  const ZONES = ['Europe/Stockholm', 'UTC', 'Pacific/Kiritimati', 'Pacific/Pago_Pago', 'Asia/Kolkata', 'America/Sao_Paulo', 'America/Havana', 'Asia/Beirut', 'Australia/Lord_Howe', 'Pacific/Apia', 'utc+3'];

  it('reads as luxon writes DateTime.fromISO(day, { zone }) in Swedish: every month, its first and last days, in every kind of zone', () => {
    let checked = 0;
    for (const year of [2012, 2024, 2026, 2027, 2100, 9999]) {
      for (let month = 1; month <= 12; month++) {
        const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
        for (const date of [1, 9, 10, 28, last]) {
          const day = `${year}-${String(month).padStart(2, '0')}-${String(date).padStart(2, '0')}`;
          for (const zone of ZONES) {
            assert.equal(swedishIsoDay(day, zone), luxon(day, zone), `${day} in ${zone}`);
            checked++;
          }
        }
      }
    }
    assert.ok(checked > 3000);
  });

  it('keeps the day on the days the clocks change, at midnight in some zones', () => {
    for (const [day, zone] of [['2026-03-29', 'Europe/Stockholm'], ['2026-10-25', 'Europe/Stockholm'], ['2018-11-04', 'America/Sao_Paulo'], ['2026-03-08', 'America/Havana'], ['2026-03-29', 'Asia/Beirut']] as const) {
      assert.equal(swedishIsoDay(day, zone), luxon(day, zone), `${day} in ${zone}`);
    }
  });

  const cases: [string, string, string, string][] = [
    // [what, day, zone, expected]
    ['a day in autumn', '2026-11-23', 'Europe/Stockholm', '23 nov. 2026'],
    ['a short month name without a dot', '2026-05-01', 'Europe/Stockholm', '1 maj 2026'],
    ['June and July are written out', '2026-06-30', 'UTC', '30 juni 2026'],
    ['a leap day', '2024-02-29', 'Europe/Stockholm', '29 feb. 2024'],
    ['no leap day in 2026 (luxon: invalid)', '2026-02-29', 'Europe/Stockholm', 'Invalid DateTime'],
    ['no 31 April', '2026-04-31', 'Europe/Stockholm', 'Invalid DateTime'],
    ['no month 13', '2026-13-01', 'Europe/Stockholm', 'Invalid DateTime'],
    ['an invalid zone (luxon: invalid)', '2026-11-23', 'Nowhere/Atlantis', 'Invalid DateTime'],
    ['the day Samoa skipped is put on the next, as luxon does', '2011-12-30', 'Pacific/Apia', '31 dec. 2011'],
    ['a time of day is read in the zone', '2026-11-23T23:30:00Z', 'Europe/Stockholm', '24 nov. 2026'],
    ['the basic ISO form', '20261123', 'Europe/Stockholm', '23 nov. 2026'],
    ['an ISO week day', '2026-W48-1', 'Europe/Stockholm', '23 nov. 2026'],
    ['an early year', '0999-01-02', 'UTC', '2 jan. 0999'],
  ];
  for (const [what, day, zone, expected] of cases) {
    it(`${what}: ${day} in ${zone} reads "${expected}", as luxon writes it`, () => {
      assert.equal(swedishIsoDay(day, zone), expected);
      assert.equal(luxon(day, zone), expected);
    });
  }
});
