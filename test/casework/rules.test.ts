import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import {
  CASEWORK_RULES,
  DEFAULT_WARN_DAYS,
  ITEM_TYPES,
  ITEM_TYPE_TITLES,
  addAmount,
  caseworkDeadline,
  calendarDayOf,
  caseworkRulesProblems,
  caseworkUrgentTypes,
  computeClock,
  daysBetween,
  findRule,
  isIsoDate,
  rulesAt,
  type CaseworkClockState,
  type CaseworkItem,
  type CaseworkItemType,
  type CaseworkRule,
} from '../../src/casework/rules';

const TZ = 'Europe/Stockholm';
/** 'YYYY-MM-DD' shifted by n calendar days. */
const shift = (day: string, n: number) => DateTime.fromISO(day, { zone: 'utc' }).plus({ days: n }).toISODate()!;
const item = (type: CaseworkItemType, dates: Partial<CaseworkItem> = {}): CaseworkItem => ({
  caseReference: 'BoU 2026/1',
  type,
  unitId: 'bou-mottagning',
  status: 'oppen',
  ...dates,
});

describe('casework rules', () => {
  describe('rule data', () => {
    it('has no problems: one whole amount per rule, no overlaps or gaps, the same start fields over time', () => {
      assert.deepEqual(caseworkRulesProblems(), []);
    });

    it('every type has a Swedish title and a rule in force today', () => {
      for (const type of ITEM_TYPES) assert.ok(ITEM_TYPE_TITLES[type].length > 0, type);
      assert.deepEqual(
        [...new Set(rulesAt('2026-11-22').map((r) => r.type))].sort(),
        [...ITEM_TYPES].sort(),
      );
    });

    it('exactly one rule per type and obligation on every day from 2013-06-01 (or the duty\'s first day) to 2030-12-31', () => {
      // A duty that came later (the first vårdplan revision, 1 March 2021) has no rule before it.
      const firstDay = new Map<string, string>();
      for (const r of CASEWORK_RULES) {
        const key = `${r.type}/${r.obligation}`;
        if (!firstDay.has(key) || r.validFrom < firstDay.get(key)!) firstDay.set(key, r.validFrom);
      }
      assert.equal(firstDay.get('vardplan-revidering/revidering'), '2021-03-01');
      for (let day = '2013-06-01'; day <= '2030-12-31'; day = shift(day, 1)) {
        const rules = rulesAt(day);
        const expected = [...firstDay].filter(([, first]) => first <= day).map(([key]) => key).sort();
        assert.deepEqual(rules.map((r) => `${r.type}/${r.obligation}`).sort(), expected, day);
      }
      for (const type of ITEM_TYPES) assert.ok(rulesAt('2021-03-01').some((r) => r.type === type), type);
    });

    it('finds the problems it is meant to find', () => {
      const base = CASEWORK_RULES.filter((r) => r.type !== 'forhandsbedomning');
      const f = (validFrom: string, validTo?: string, amount: CaseworkRule['amount'] = { days: 14 }): CaseworkRule => ({
        type: 'forhandsbedomning',
        validFrom,
        ...(validTo ? { validTo } : {}),
        amount,
        from: ['orosanmalanMottagen'],
        obligation: 'forhandsbedomning',
        basis: 'x',
        action: 'x',
        dueLabel: 'senast',
        lawRef: 'x',
        verified: false,
      });
      assert.match(caseworkRulesProblems([...base, f('2013-01-01', '2025-06-30'), f('2025-06-30')]).join(), /overlaps/);
      assert.match(caseworkRulesProblems([...base, f('2013-01-01', '2025-06-29'), f('2025-07-01')]).join(), /gap/);
      assert.match(caseworkRulesProblems([...base, f('2013-01-01', undefined, { days: 14, months: 1 })]).join(), /amount/);
      // Zero days is "genast" (the skyddsbedömning); zero weeks or months is a mistake.
      assert.deepEqual(caseworkRulesProblems([...base, f('2013-01-01', undefined, { days: 0 })]), []);
      assert.match(caseworkRulesProblems([...base, f('2013-01-01', undefined, { months: 0 })]).join(), /amount/);
      assert.match(caseworkRulesProblems([...base, f('2013-01-01', undefined, { days: -1 })]).join(), /amount/);
      // Choosing the period by the due day, shifting to a weekday and ignoring early stops are part of an obligation's shape.
      assert.match(caseworkRulesProblems([...base, f('2013-01-01', '2025-06-30'), { ...f('2025-07-01'), noWeekdayShift: true }]).join(), /differ/);
      assert.match(caseworkRulesProblems([...base, f('2013-01-01', '2025-06-30'), { ...f('2025-07-01'), lawAtDue: true }]).join(), /differ/);
      assert.match(caseworkRulesProblems(base).join(), /forhandsbedomning: no rule/);
      // A local-policy number is not time set by law: lagen (1930:173) must not move it.
      assert.match(caseworkRulesProblems([...base, { ...f('2013-01-01'), localPolicy: true }]).join(), /local policy.*1930:173/);
      assert.deepEqual(caseworkRulesProblems([...base, { ...f('2013-01-01'), localPolicy: true, noWeekdayShift: true }]), []);
      // A lapse, a court-granted extension and the extension chain are part of an obligation's shape.
      const lapse = { lateAct: 'x' };
      assert.match(caseworkRulesProblems([...base, f('2013-01-01', '2025-06-30'), { ...f('2025-07-01'), lapse }]).join(), /differ/);
      const court = { requested: 'forlangningBegard', until: 'ansokanForlangdTill', pending: 'x' } as const;
      assert.match(caseworkRulesProblems([...base, f('2013-01-01', '2025-06-30'), { ...f('2025-07-01'), courtExtension: court }]).join(), /differ/);
      // A lapse needs the consequence that names it.
      assert.match(caseworkRulesProblems([...base, { ...f('2013-01-01'), lapse }]).join(), /lapse.*consequence/);
    });

    const switchTable: [string, string | Date, Record<string, RegExp>][] = [
      [
        'the last day of SoL 2001:453',
        '2025-06-30',
        {
          forhandsbedomning: /^11 kap\. 1 a § socialtjänstlagen \(2001:453\)/,
          barnavardsutredning: /^11 kap\. 2 § socialtjänstlagen \(2001:453\)/,
          'overvagande-sol': /^6 kap\. 8 § socialtjänstlagen \(2001:453\)/,
          'ej-verkstallt-beslut': /^16 kap\. 6 f § socialtjänstlagen \(2001:453\)/,
          'omprovning-lvu3': /^13 § andra stycket LVU/,
        },
      ],
      [
        'the first day of SoL 2025:400',
        '2025-07-01',
        {
          forhandsbedomning: /^20 kap\. 2 § socialtjänstlagen \(2025:400\)/,
          barnavardsutredning: /^20 kap\. 3 § socialtjänstlagen \(2025:400\)/,
          'overvagande-sol': /^22 kap\. 13 § socialtjänstlagen \(2025:400\)/,
          'ej-verkstallt-beslut': /^34 kap\. 1–2 §§ socialtjänstlagen \(2025:400\)/,
          'omprovning-lvu3': /^13 § andra stycket LVU/,
        },
      ],
      // 22:30 UTC on 30 June is 00:30 on 1 July in Stockholm (CEST).
      ['a moment just after midnight in Stockholm', new Date('2025-06-30T22:30:00Z'), { forhandsbedomning: /2025:400/ }],
      ['a moment just before midnight in Stockholm', new Date('2025-06-30T21:59:00Z'), { forhandsbedomning: /2001:453/ }],
    ];
    for (const [name, date, expected] of switchTable) {
      it(`rulesAt switches at 2025-07-01: ${name}`, () => {
        const rules = rulesAt(date);
        for (const [type, pattern] of Object.entries(expected)) {
          assert.match(rules.find((r) => r.type === type)?.lawRef ?? '', pattern, type);
        }
      });
    }

    it('the LVU rules and the amounts are the same on both sides of 2025-07-01', () => {
      const before = rulesAt('2025-06-30');
      const after = rulesAt('2025-07-01');
      for (const type of ITEM_TYPES) {
        const a = before.find((r) => r.type === type)!;
        const b = after.find((r) => r.type === type)!;
        assert.deepEqual(a.amount, b.amount, type);
        if (type.includes('lvu') || type === 'omedelbart-omhandertagande') assert.equal(a, b, type);
      }
    });

    it('every reference in force from 2025-07-01 is verified and names its source', () => {
      for (const r of rulesAt('2025-07-01')) {
        assert.equal(r.verified, true, r.type);
        assert.ok(r.source, r.type);
      }
    });

    it('no rule before the 14-day förhandsbedömning existed (2013-01-01)', () => {
      assert.equal(rulesAt('2012-12-31').find((r) => r.type === 'forhandsbedomning'), undefined);
      assert.ok(rulesAt('2013-01-01').find((r) => r.type === 'forhandsbedomning'));
    });
  });

  describe('calendar arithmetic', () => {
    const table: [string, string, CaseworkRule['amount'], string][] = [
      ['31 January + 4 months = 31 May', '2027-01-31', { months: 4 }, '2027-05-31'],
      ['31 October + 4 months = 28 February', '2026-10-31', { months: 4 }, '2027-02-28'],
      ['31 October + 4 months = 29 February in a leap year', '2027-10-31', { months: 4 }, '2028-02-29'],
      ['30 August 2026 + 6 months = 28 February 2027', '2026-08-30', { months: 6 }, '2027-02-28'],
      ['30 August 2027 + 6 months = 29 February 2028 (leap year)', '2027-08-30', { months: 6 }, '2028-02-29'],
      ['30 August 2028 + 6 months = 28 February 2029', '2028-08-30', { months: 6 }, '2029-02-28'],
      ['29 February 2028 + 6 months = 29 August', '2028-02-29', { months: 6 }, '2028-08-29'],
      ['31 May + 6 months = 30 November', '2026-05-31', { months: 6 }, '2026-11-30'],
      ['30 November + 3 months = 28 February', '2026-11-30', { months: 3 }, '2027-02-28'],
      ['30 November 2027 + 3 months = 29 February 2028', '2027-11-30', { months: 3 }, '2028-02-29'],
      ['14 days across the spring DST change (29 March 2026)', '2026-03-20', { days: 14 }, '2026-04-03'],
      ['14 days across the autumn DST change (25 October 2026)', '2026-10-20', { days: 14 }, '2026-11-03'],
      ['14 days from the DST day itself', '2026-03-29', { days: 14 }, '2026-04-12'],
      ['1 week across the autumn DST change', '2026-10-22', { weeks: 1 }, '2026-10-29'],
      ['1 week across the spring DST change', '2026-03-26', { weeks: 1 }, '2026-04-02'],
      ['14 days over the new year', '2026-12-25', { days: 14 }, '2027-01-08'],
      ['4 months over the new year', '2026-09-30', { months: 4 }, '2027-01-30'],
    ];
    for (const [name, start, amount, due] of table) {
      it(name, () => assert.equal(addAmount(start, amount, TZ), due));
    }

    it('agrees with luxon\'s calendar arithmetic in Stockholm for every day of 2023–2028 and every rule length', () => {
      const amounts = [{ days: 14 }, { days: 1 }, { weeks: 1 }, { weeks: 4 }, { months: 1 }, { months: 2 }, { months: 3 }, { months: 4 }, { months: 6 }, { months: 12 }];
      let day = DateTime.fromISO('2023-01-01', { zone: TZ });
      let checked = 0;
      while (day.year < 2029) {
        const iso = day.toISODate()!;
        for (const a of amounts) {
          assert.equal(addAmount(iso, a, TZ), day.plus(a).toISODate(), `${iso} + ${JSON.stringify(a)}`);
          checked++;
        }
        day = day.plus({ days: 1 });
      }
      assert.ok(checked > 20_000);
      assert.throws(() => addAmount('2026-02-30', { days: 1 }, TZ), /not a date/);
      assert.throws(() => addAmount('2026-02-01', { days: 1 }, 'Mars/Olympus'), /time zone/);
    });

    it('daysBetween counts calendar days, DST or not', () => {
      assert.equal(daysBetween('2026-03-28', '2026-03-30'), 2);
      assert.equal(daysBetween('2026-10-24', '2026-10-26'), 2);
      assert.equal(daysBetween('2026-11-22', '2026-11-22'), 0);
      assert.equal(daysBetween('2026-11-23', '2026-11-22'), -1);
      assert.equal(daysBetween('2027-12-31', '2028-03-01'), 61);
    });

    it('isIsoDate accepts real dates only', () => {
      for (const ok of ['2026-01-31', '2028-02-29', '2025-07-01']) assert.equal(isIsoDate(ok), true, ok);
      for (const bad of ['2026-02-29', '2026-02-30', '2026-13-01', '2026-1-31', '20260131', '2026-01-31T00:00', '']) {
        assert.equal(isIsoDate(bad), false, bad);
      }
    });

    it('calendarDayOf reads a moment in Stockholm time, DST included', () => {
      assert.equal(calendarDayOf(new Date('2026-03-28T22:59:00Z')), '2026-03-28'); // 23:59 CET
      assert.equal(calendarDayOf(new Date('2026-03-28T23:00:00Z')), '2026-03-29'); // 00:00 CET
      assert.equal(calendarDayOf(new Date('2026-03-29T21:59:00Z')), '2026-03-29'); // 23:59 CEST
      assert.equal(calendarDayOf(new Date('2026-03-29T22:00:00Z')), '2026-03-30');
      assert.equal(calendarDayOf(new Date('2026-10-24T22:00:00Z')), '2026-10-25'); // 00:00 CEST
      assert.equal(calendarDayOf(new Date('2026-10-25T22:59:00Z')), '2026-10-25'); // 23:59 CET
      assert.equal(calendarDayOf(new Date('2026-10-25T23:00:00Z')), '2026-10-26');
    });

    it('calendarDayOf gives a calendar date back as it is, in any zone, and refuses what is not one', () => {
      for (const day of ['2026-03-29', '2026-10-25', '2024-02-29', '2026-12-31']) {
        for (const tz of ['Europe/Stockholm', 'America/Sao_Paulo', 'Pacific/Apia', 'UTC']) assert.equal(calendarDayOf(day, tz), day, `${day} in ${tz}`);
      }
      for (const bad of ['2026-02-30', '2026-2-3', '2026-03-29T00:00', '']) assert.throws(() => calendarDayOf(bad), RangeError, bad);
      assert.throws(() => calendarDayOf('2026-03-29', 'Europe/Atlantis'), RangeError);
    });
  });

  describe('computeClock', () => {
    // [name, item, due, extended]
    const clocks: [string, CaseworkItem, string, boolean][] = [
      ['förhandsbedömning: received + 14 days = långfredagen, moved past Easter to Tuesday (1930:173)', item('forhandsbedomning', { orosanmalanMottagen: '2026-03-20' }), '2026-04-07', false],
      ['barnavårdsutredning: opened 31 January + 4 months', item('barnavardsutredning', { utredningInledd: '2027-01-31' }), '2027-05-31', false],
      ['barnavårdsutredning: opened 31 October + 4 months = Sunday 28 February, due Monday', item('barnavardsutredning', { utredningInledd: '2026-10-31' }), '2027-03-01', false],
      [
        'barnavårdsutredning: a decided extension replaces the four months',
        item('barnavardsutredning', { utredningInledd: '2026-10-31', forlangningBeslutad: '2027-02-20', forlangdTill: '2027-04-15' }),
        '2027-04-15',
        true,
      ],
      ['övervägande SoL: placement start + 6 months (leap year)', item('overvagande-sol', { placeringStart: '2027-08-30' }), '2028-02-29', false],
      [
        'övervägande SoL: the last övervägande + 6 months, not the placement (a Sunday: due Monday)',
        item('overvagande-sol', { placeringStart: '2027-08-30', senasteOvervagande: '2028-02-27' }),
        '2028-08-28',
        false,
      ],
      ['övervägande LVU 2 §: placement start + 6 months (a Sunday: due Monday)', item('overvagande-lvu2', { placeringStart: '2026-08-30' }), '2027-03-01', false],
      [
        'övervägande LVU 2 §: the last övervägande + 6 months',
        item('overvagande-lvu2', { placeringStart: '2026-08-30', senasteOvervagande: '2027-02-25' }),
        '2027-08-25',
        false,
      ],
      ['omprövning LVU 3 §: decision + 6 months', item('omprovning-lvu3', { lvuBeslut: '2026-10-31' }), '2027-04-30', false],
      [
        'omprövning LVU 3 §: the last omprövning + 6 months',
        item('omprovning-lvu3', { lvuBeslut: '2026-10-31', senasteOmprovning: '2027-04-20' }),
        '2027-10-20',
        false,
      ],
      ['omedelbart omhändertagande: decision + 1 week (over the autumn DST change)', item('omedelbart-omhandertagande', { lvuBeslut: '2026-10-22' }), '2026-10-29', false],
      ['ej verkställt beslut: reported to IVO within decision + 3 months (a Sunday: Monday)', item('ej-verkstallt-beslut', { beslutsdatum: '2026-11-30' }), '2027-03-01', false],
    ];

    for (const [name, it_, due, extended] of clocks) {
      describe(name, () => {
        // [today relative to the due day, state, daysLeft] with the default warnDays (7).
        const boundaries: [string, number, CaseworkClockState][] = [
          ['the day before the warning window', -(DEFAULT_WARN_DAYS + 1), 'i-tid'],
          ['the first day of the warning window', -DEFAULT_WARN_DAYS, 'narmar-sig'],
          ['the day before the due day', -1, 'narmar-sig'],
          ['the due day (i tid until its end)', 0, 'narmar-sig'],
          ['the day after the due day', 1, 'forsenad'],
        ];
        for (const [when, offset, state] of boundaries) {
          it(`${when}: ${state}`, () => {
            const clock = computeClock(it_, { today: shift(due, offset), warnDays: DEFAULT_WARN_DAYS, timeZone: TZ });
            assert.ok(clock);
            assert.equal(clock.due, due);
            // A duty that applies from day one (verkställ snarast) is never "i tid".
            assert.equal(clock.state, state === 'i-tid' && findRule(it_)!.rule.urgentFromStart ? 'narmar-sig' : state);
            assert.equal(clock.daysLeft, offset === 0 ? 0 : -offset);
            assert.equal(clock.extended, extended);
            assert.equal(clock.lawRefVerified, true);
            assert.equal(clock.lawRef, findRule(it_)!.rule.lawRef);
          });
        }
      });
    }

    it('warnDays is configurable: 0 warns on the due day only; 14 warns two weeks ahead', () => {
      const x = item('forhandsbedomning', { orosanmalanMottagen: '2026-11-02' }); // due Monday 2026-11-16
      assert.equal(computeClock(x, { today: '2026-11-15', warnDays: 0 })?.state, 'i-tid');
      assert.equal(computeClock(x, { today: '2026-11-16', warnDays: 0 })?.state, 'narmar-sig');
      assert.equal(computeClock(x, { today: '2026-11-02', warnDays: 14 })?.state, 'narmar-sig');
      assert.equal(computeClock(x, { today: '2026-11-02', warnDays: 13 })?.state, 'i-tid');
      assert.equal(computeClock(x, { today: '2026-11-09' })?.state, 'narmar-sig'); // default 7
      assert.throws(() => computeClock(x, { today: '2026-11-08', warnDays: -1 }), RangeError);
      assert.throws(() => computeClock(x, { today: '2026-11-08', warnDays: 1.5 }), RangeError);
    });

    it('a moment as today: the due day is i tid until 23:59 Stockholm time, DST included', () => {
      const autumn = item('forhandsbedomning', { orosanmalanMottagen: '2026-10-11' }); // 14 days = Sunday 25 Oct (DST day): due Monday 26 Oct
      assert.deepEqual(
        [new Date('2026-10-26T22:59:00Z'), new Date('2026-10-26T23:00:00Z')].map((today) => computeClock(autumn, { today })?.state),
        ['narmar-sig', 'forsenad'],
      );
      const spring = item('forhandsbedomning', { orosanmalanMottagen: '2026-03-15' }); // 14 days = Sunday 29 March (DST day): due Monday 30 March
      assert.deepEqual(
        [new Date('2026-03-30T21:59:00Z'), new Date('2026-03-30T22:00:00Z')].map((today) => computeClock(spring, { today })?.daysLeft),
        [0, -1],
      );
    });

    it('the period comes from the day the clock starts; the basis shown is the law in force on the day evaluated', () => {
      const old = computeClock(item('forhandsbedomning', { orosanmalanMottagen: '2025-06-30' }), { today: '2025-07-10' });
      assert.equal(old?.due, '2025-07-14');
      assert.match(old?.lawRef ?? '', /20 kap\. 2 § socialtjänstlagen \(2025:400\)/);
      assert.equal(old?.basis, 'SoL 20 kap. 2 §');
      // Evaluated while the old law was in force, the same clock cites it.
      assert.equal(computeClock(item('forhandsbedomning', { orosanmalanMottagen: '2025-06-20' }), { today: '2025-06-30' })?.basis, 'SoL (2001:453) 11 kap. 1 a §');
      const fresh = computeClock(item('forhandsbedomning', { orosanmalanMottagen: '2025-07-01' }), { today: '2025-07-10' });
      assert.match(fresh?.lawRef ?? '', /20 kap\. 2 § socialtjänstlagen \(2025:400\)/);
      const investigation = computeClock(item('barnavardsutredning', { utredningInledd: '2025-06-30' }), { today: '2025-10-01' });
      assert.equal(investigation?.due, '2025-10-30');
      assert.match(investigation?.lawRef ?? '', /20 kap\. 3 § socialtjänstlagen \(2025:400\)/);
      assert.equal(investigation?.basis, 'SoL 20 kap. 3 §');
      // Övervägande: the latest övervägande starts the current period.
      const placed = item('overvagande-sol', { placeringStart: '2025-03-01', senasteOvervagande: '2025-08-28' });
      assert.match(computeClock(placed, { today: '2025-09-01' })?.lawRef ?? '', /22 kap\. 13 §/);
      assert.deepEqual(computeClock(placed, { today: '2025-09-01' })?.start, { field: 'senasteOvervagande', date: '2025-08-28' });
    });

    it('not running: closed items, and decisions carried out on or before today', () => {
      assert.equal(computeClock({ ...item('forhandsbedomning', { orosanmalanMottagen: '2026-11-01' }), status: 'avslutad' }, { today: '2026-11-20' }), undefined);
      // Carried out within the three months (due 2026-11-02), never reported: done.
      const decision = item('ej-verkstallt-beslut', { beslutsdatum: '2026-08-01', verkstalltDatum: '2026-10-20' });
      assert.equal(computeClock(decision, { today: '2026-10-20' }), undefined);
      assert.equal(computeClock(decision, { today: '2026-11-20' }), undefined);
      // A verkställt date after today is not a fact yet: the clock still runs.
      assert.equal(computeClock(decision, { today: '2026-10-19' })?.action, 'Verkställ snarast');
      // Carried out after the three months: done once IVO was told (LSS 28 g §), not before.
      const late = item('ej-verkstallt-beslut', { beslutsdatum: '2026-08-01', verkstalltDatum: '2026-11-10' });
      assert.equal(computeClock(late, { today: '2026-11-20' })?.state, 'forsenad');
      assert.equal(computeClock({ ...late, verkstalltAnmaltIvo: '2026-11-12' }, { today: '2026-11-12' }), undefined);
    });

    it('the stored deadline counts exactly as computeClock, every day around the due day (what the status SQL relies on)', () => {
      // The status query: overdue when due_on < today, approaching when today <= due_on <= today + warn days,
      // neither when stops_on <= today.
      const sqlState = (i: CaseworkItem, d: { due: string; stopsOn?: string }, today: string): CaseworkClockState | undefined => {
        if (d.stopsOn && d.stopsOn <= today) return undefined;
        const until = DateTime.fromISO(today).plus({ days: DEFAULT_WARN_DAYS }).toISODate()!;
        return d.due < today ? 'forsenad' : d.due <= until || urgentTypes.includes(i.type) ? 'narmar-sig' : 'i-tid';
      };
      const urgentTypes = caseworkUrgentTypes();
      assert.deepEqual(urgentTypes, ['skyddsbedomning', 'ej-verkstallt-beslut']);
      const items = [
        ...clocks.map(([, i]) => i),
        item('skyddsbedomning', { orosanmalanMottagen: '2026-11-22' }),
        item('vardnadsoverflyttning', { placeringStart: '2024-11-29' }),
        item('vardnadsoverflyttning', { placeringStart: '2024-12-02', senasteOvervagande: '2026-06-01' }),
        item('vardnadsoverflyttning', { placeringStart: '2023-03-10', senasteOvervagande: '2025-03-12' }),
        item('vardplan-revidering', { placeringStart: '2024-11-28' }),
        item('jourhem', { beslutsdatum: '2026-09-29' }),
        item('jourhem', { beslutsdatum: '2026-09-30', forlangningBeslutad: '2026-11-20', forlangdTill: '2027-01-31' }),
        item('uppfoljning', { beslutsdatum: '2026-05-29' }),
        item('ej-verkstallt-beslut', { beslutsdatum: '2026-08-01', verkstalltDatum: '2026-11-10' }),
        item('ej-verkstallt-beslut', { beslutsdatum: '2026-10-01', verkstalltDatum: '2027-03-01' }),
      ];
      // #17 review: lapses that a late act does not undo, extensions by the court, interrupted judgments, extension
      // chains. Checked from the day of their latest recorded event on: before it, that event is not a fact yet
      // (the import refuses future dates of past events) and an item with two obligations may then differ.
      const fromLatestEvent = [
        item('omedelbart-omhandertagande', { lvuBeslut: '2026-03-02', omhandertagandeVerkstallt: '2026-03-02' }),
        item('omedelbart-omhandertagande', { lvuBeslut: '2026-03-02', omhandertagandeVerkstallt: '2026-03-02', understalltDatum: '2026-03-10' }),
        item('omedelbart-omhandertagande', { lvuBeslut: '2026-10-01', omhandertagandeVerkstallt: '2026-10-02', understalltDatum: '2026-10-05', ansokanInlamnad: '2026-10-31' }),
        item('omedelbart-omhandertagande', { lvuBeslut: '2026-10-01', omhandertagandeVerkstallt: '2026-10-02', understalltDatum: '2026-10-05', forlangningBegard: '2026-10-20' }),
        item('omedelbart-omhandertagande', { lvuBeslut: '2026-10-01', omhandertagandeVerkstallt: '2026-10-02', understalltDatum: '2026-10-05', forlangningBegard: '2026-10-28', ansokanForlangdTill: '2026-11-15' }),
        item('vard-lvu-verkstallighet', { lagaKraft: '2026-06-01', vardPaborjad: '2026-06-30' }),
        item('ej-verkstallt-beslut', { beslutsdatum: '2026-03-02', domstol: true, verkstalltDatum: '2026-03-05', avbrottDatum: '2026-05-04' }),
        item('ej-verkstallt-beslut', { beslutsdatum: '2026-11-01', domstol: true }),
        item('barnavardsutredning', { utredningInledd: '2026-01-10', forlangningBeslutad: '2026-06-20', forlangdTill: '2026-08-30', tidigareForlangdTill: '2026-06-30' }),
        item('barnavardsutredning', { utredningInledd: '2026-01-10', forlangningBeslutad: '2026-06-20', forlangdTill: '2026-08-31' }),
        item('uppfoljning', { beslutsdatum: '2026-05-28' }),
        // The notice to IVO once a reportable decision was carried out (LSS 28 g §).
        item('ej-verkstallt-beslut', { beslutsdatum: '2026-03-02', rapporteradIvo: '2026-06-01', verkstalltDatum: '2026-07-15' }),
        item('ej-verkstallt-beslut', { beslutsdatum: '2026-03-02', rapporteradIvo: '2026-06-01', verkstalltDatum: '2026-07-15', verkstalltAnmaltIvo: '2026-07-20' }),
        item('ej-verkstallt-beslut', { beslutsdatum: '2026-03-02', verkstalltDatum: '2026-06-03', verkstalltAnmaltIvo: '2026-06-10' }),
        item('ej-verkstallt-beslut', { beslutsdatum: '2026-03-02', verkstalltDatum: '2026-06-03' }),
      ];
      const notEvents = new Set(['forlangdTill', 'tidigareForlangdTill', 'ansokanForlangdTill', 'forstaInledd']);
      const latestEvent = (i: CaseworkItem) =>
        Object.entries(i).filter(([k, v]) => typeof v === 'string' && /^\d{4}-\d\d-\d\d$/.test(v) && !notEvents.has(k)).map(([, v]) => v as string).sort().at(-1)!;
      for (const i of [...items, ...fromLatestEvent]) {
        const d = caseworkDeadline(i, { timeZone: TZ });
        const first = fromLatestEvent.includes(i) ? latestEvent(i) : '';
        for (let offset = -40; offset <= 40; offset++) {
          const today = DateTime.fromISO(d.due).plus({ days: offset }).toISODate()!;
          if (today < first) continue;
          assert.equal(sqlState(i, d, today), computeClock(i, { today, timeZone: TZ })?.state, `${i.type} ${JSON.stringify(i)} on ${today}`);
        }
      }
    });

    it('throws when the start date is missing or no rule covers it (the import prevents both)', () => {
      assert.throws(() => computeClock(item('forhandsbedomning'), { today: '2026-11-20' }), /no start date or no rule/);
      assert.throws(() => computeClock(item('barnavardsutredning', { orosanmalanMottagen: '2026-11-01' }), { today: '2026-11-20' }), RangeError);
      assert.throws(() => computeClock(item('forhandsbedomning', { orosanmalanMottagen: '2012-12-31' }), { today: '2013-01-10' }), RangeError);
      assert.throws(() => computeClock(item('forhandsbedomning', { orosanmalanMottagen: '2026-11-01' }), { today: '2026-11-31' }), RangeError);
    });
  });
});
