import assert from 'node:assert/strict';
import { WorkingCalendar, computeMidsummerEve } from '../../src/review/calendar';

const calendar = new WorkingCalendar();
const legal = new WorkingCalendar({ deFactoHolidays: false });

describe('working calendar (Sweden)', () => {
  describe('isWorkingDay and holidayName', () => {
    // [date, what it is, working with de facto holidays (default), working without, name (default)]
    const table: [string, string, boolean, boolean, string | undefined][] = [
      ['2026-11-23', 'an ordinary Monday', true, true, undefined],
      ['2026-11-21', 'Saturday', false, false, undefined],
      ['2026-11-22', 'Sunday', false, false, undefined],
      ['2026-01-01', 'nyårsdagen (Thursday)', false, false, 'nyårsdagen'],
      ['2026-01-05', 'trettondagsafton (optional, not public)', true, true, undefined],
      ['2026-01-06', 'trettondedag jul (Tuesday)', false, false, 'trettondedag jul'],
      ['2026-04-02', 'skärtorsdagen (observance, not public)', true, true, undefined],
      ['2026-04-03', 'långfredagen', false, false, 'långfredagen'],
      ['2026-04-06', 'annandag påsk 2026', false, false, 'annandag påsk'],
      ['2026-04-07', 'the Tuesday after Easter', true, true, undefined],
      ['2027-03-26', 'långfredagen 2027', false, false, 'långfredagen'],
      ['2027-03-29', 'annandag påsk 2027', false, false, 'annandag påsk'],
      ['2026-04-30', 'valborgsmässoafton (optional)', true, true, undefined],
      ['2026-05-01', 'första maj (Friday)', false, false, 'första maj'],
      ['2026-05-14', 'Kristi himmelsfärdsdag (Thursday)', false, false, 'Kristi himmelsfärdsdag'],
      ['2026-05-15', 'the Friday after Ascension (a working day)', true, true, undefined],
      ['2026-05-25', 'annandag pingst (not a public holiday since 2005)', true, true, undefined],
      ['2025-06-06', 'nationaldagen on a Friday', false, false, 'nationaldagen'],
      ['2028-06-06', 'nationaldagen on a Tuesday', false, false, 'nationaldagen'],
      ['2026-06-19', 'midsommarafton (de facto)', false, true, 'midsommarafton'],
      ['2026-06-20', 'midsommardagen (Saturday)', false, false, 'midsommardagen'],
      ['2026-10-30', 'allhelgonaafton (optional)', true, true, undefined],
      ['2027-11-06', 'alla helgons dag, also Gustav-Adolf-dagen (observance)', false, false, 'alla helgons dag'],
      ['2026-12-23', 'the day before julafton', true, true, undefined],
      ['2026-12-24', 'julafton (de facto, Thursday)', false, true, 'julafton'],
      ['2026-12-25', 'juldagen (Friday)', false, false, 'juldagen'],
      ['2026-12-26', 'annandag jul (Saturday)', false, false, 'annandag jul'],
      ['2026-12-28', 'the Monday after Christmas', true, true, undefined],
      ['2026-12-31', 'nyårsafton (de facto, Thursday)', false, true, 'nyårsafton'],
      ['2027-01-01', 'nyårsdagen (Friday)', false, false, 'nyårsdagen'],
    ];
    for (const [date, what, working, workingLegal, name] of table) {
      it(`${date} ${what}: ${working ? 'working' : 'not working'}${working === workingLegal ? '' : ` (legal: ${workingLegal ? 'working' : 'not working'})`}`, () => {
        assert.equal(calendar.isWorkingDay(date), working);
        assert.equal(legal.isWorkingDay(date), workingLegal);
        assert.equal(calendar.holidayName(date), name);
        // Without the de facto holidays only public holidays have a name.
        assert.equal(legal.holidayName(date), ['julafton', 'midsommarafton', 'nyårsafton'].includes(name ?? '') ? undefined : name);
      });
    }
  });

  describe('midsommarafton', () => {
    const table: [number, string][] = [
      [2025, '2025-06-20'],
      [2026, '2026-06-19'],
      [2027, '2027-06-25'],
      [2028, '2028-06-23'],
      [2029, '2029-06-22'],
      [2030, '2030-06-21'],
    ];
    for (const [year, eve] of table) {
      it(`${year}: ${eve}, the Friday before midsommardagen`, () => {
        assert.equal(computeMidsummerEve(year), eve);
        assert.equal(calendar.holidayName(eve), 'midsommarafton');
        assert.equal(calendar.isWorkingDay(eve), false);
        assert.equal(legal.isWorkingDay(eve), true);
      });
    }

    it('the rule agrees with date-holidays for 2000–2060', () => {
      for (let year = 2000; year <= 2060; year++) {
        const eve = computeMidsummerEve(year);
        assert.equal(calendar.holidayName(eve), 'midsommarafton', String(year));
        assert.equal(new Date(`${eve}T12:00:00Z`).getUTCDay(), 5, `${year}: a Friday`);
      }
    });
  });

  describe('nextWorkingDay', () => {
    // [from, default, legal]
    const table: [string, string, string][] = [
      ['2026-11-23', '2026-11-23', '2026-11-23'], // a working day is its own next working day
      ['2026-11-21', '2026-11-23', '2026-11-23'], // Saturday → Monday
      ['2026-04-03', '2026-04-07', '2026-04-07'], // långfredagen → past Easter to Tuesday
      ['2026-04-06', '2026-04-07', '2026-04-07'],
      ['2027-03-29', '2027-03-30', '2027-03-30'],
      ['2026-05-14', '2026-05-15', '2026-05-15'],
      ['2026-06-19', '2026-06-22', '2026-06-19'],
      ['2026-12-24', '2026-12-28', '2026-12-24'],
      ['2026-12-25', '2026-12-28', '2026-12-28'],
      ['2026-12-31', '2027-01-04', '2026-12-31'],
      ['2027-01-01', '2027-01-04', '2027-01-04'],
    ];
    for (const [from, expected, expectedLegal] of table) {
      it(`${from} → ${expected}${expected === expectedLegal ? '' : ` (legal: ${expectedLegal})`}`, () => {
        assert.equal(calendar.nextWorkingDay(from), expected);
        assert.equal(legal.nextWorkingDay(from), expectedLegal);
      });
    }
  });

  describe('addWorkingDays', () => {
    // [from, n, default, legal]
    const table: [string, number, string, string][] = [
      ['2026-11-23', 1, '2026-11-24', '2026-11-24'],
      ['2026-11-27', 1, '2026-11-30', '2026-11-30'], // Friday + 1 → Monday
      ['2026-11-21', 1, '2026-11-23', '2026-11-23'], // counted strictly after a Saturday
      ['2026-11-23', 4, '2026-11-27', '2026-11-27'],
      ['2026-04-02', 1, '2026-04-07', '2026-04-07'], // over Easter
      ['2026-04-02', 3, '2026-04-09', '2026-04-09'],
      ['2026-12-23', 1, '2026-12-28', '2026-12-24'], // over Christmas
      ['2026-12-28', 2, '2026-12-30', '2026-12-30'],
      ['2026-12-28', 3, '2027-01-04', '2026-12-31'], // over the new year
      ['2026-12-28', 4, '2027-01-05', '2027-01-04'],
      ['2027-01-04', 2, '2027-01-07', '2027-01-07'], // trettondedag jul (Wednesday 6th)
      ['2026-06-18', 1, '2026-06-22', '2026-06-19'], // over midsommar
      ['2026-11-23', 0, '2026-11-23', '2026-11-23'], // 0 = nextWorkingDay
      ['2026-11-22', 0, '2026-11-23', '2026-11-23'],
      ['2026-04-07', -1, '2026-04-02', '2026-04-02'], // backwards over Easter
      ['2027-01-04', -1, '2026-12-30', '2026-12-31'],
      ['2027-01-04', -3, '2026-12-28', '2026-12-29'],
    ];
    for (const [from, n, expected, expectedLegal] of table) {
      it(`${from} ${n >= 0 ? '+' : '−'} ${Math.abs(n)} → ${expected}${expected === expectedLegal ? '' : ` (legal: ${expectedLegal})`}`, () => {
        assert.equal(calendar.addWorkingDays(from, n), expected);
        assert.equal(legal.addWorkingDays(from, n), expectedLegal);
      });
    }

    it('a remembered answer is the answer: asked in any order, again and after the memo fills, every day of 2026 and 2027 gives what a fresh calendar gives', () => {
      const days: string[] = [];
      for (let d = new Date(Date.UTC(2026, 0, 1)); d.getUTCFullYear() < 2028; d.setUTCDate(d.getUTCDate() + 1)) days.push(d.toISOString().slice(0, 10));
      const counts = [-3, -1, 0, 1, 2, 3, 5];
      // Each (day, n) asked once of this one: its memo never answers, so every answer is walked.
      const reference = new WorkingCalendar();
      const expected = new Map(days.flatMap((day) => counts.map((n) => [`${day}|${n}`, reference.addWorkingDays(day, n)] as const)));
      const shared = new WorkingCalendar();
      // Three rounds, the last in reverse: 3 × 730 × 7 asks, enough to fill and clear the memo (20,000).
      for (const round of [days, days, [...days].reverse()]) {
        for (const day of round) for (const n of counts) assert.equal(shared.addWorkingDays(day, n), expected.get(`${day}|${n}`), `${day} + ${n}`);
      }
      assert.ok(new Set(expected.values()).size > 500, 'the answers differ by day, or the comparison proves nothing');
    });

    it('refuses a fractional number of days', () => {
      assert.throws(() => calendar.addWorkingDays('2026-11-23', 1.5), RangeError);
      assert.throws(() => calendar.addWorkingDays('2026-11-23', Number.NaN), RangeError);
    });
  });

  describe('dates and zones', () => {
    for (const bad of ['2026-02-30', '2026-1-5', '2026-13-01', '20261123', '', 'igår']) {
      it(`refuses "${bad}"`, () => {
        assert.throws(() => calendar.isWorkingDay(bad), RangeError);
        assert.throws(() => calendar.nextWorkingDay(bad), RangeError);
        assert.throws(() => calendar.addWorkingDays(bad, 1), RangeError);
        assert.throws(() => calendar.holidayName(bad), RangeError);
      });
    }

    it('defaults: Europe/Stockholm, de facto holidays on', () => {
      assert.equal(calendar.timeZone, 'Europe/Stockholm');
      assert.equal(calendar.deFactoHolidays, true);
      assert.equal(legal.deFactoHolidays, false);
    });

    it('refuses an unknown time zone', () => {
      assert.throws(() => new WorkingCalendar({ timeZone: 'Europe/Stockhom' }), RangeError);
    });

    const instants: [string, string][] = [
      ['2026-12-31T22:59:59Z', '2026-12-31'],
      ['2026-12-31T23:00:00Z', '2027-01-01'], // midnight in Stockholm (CET)
      ['2026-06-30T21:59:59Z', '2026-06-30'],
      ['2026-06-30T22:00:00Z', '2026-07-01'], // midnight in Stockholm (CEST)
    ];
    for (const [instant, date] of instants) {
      it(`dateOf ${instant} → ${date}`, () => assert.equal(calendar.dateOf(new Date(instant)), date));
    }

    it('instances share no state: the de facto option stays with its calendar', () => {
      const a = new WorkingCalendar();
      const b = new WorkingCalendar({ deFactoHolidays: false });
      for (let i = 0; i < 2; i++) {
        // Repeated look-ups hit each calendar's own per-year cache.
        assert.equal(a.isWorkingDay('2026-12-24'), false);
        assert.equal(b.isWorkingDay('2026-12-24'), true);
        assert.equal(a.isWorkingDay('2030-12-31'), false);
        assert.equal(b.isWorkingDay('2030-12-31'), true);
      }
    });
  });
});
