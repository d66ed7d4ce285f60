/**
 * Issue #17, the other statutory clocks: the omedelbar skyddsbedömning ("genast"), the
 * vårdnadsöverflyttning considerations (two years in the same familjehem, then yearly), the first
 * vårdplan revision (two years of placement), the jourhem limit (two months after the utredning)
 * and the uppföljning limit (six months). Every boundary day, both sides of a law change.
 */
import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import {
  CASEWORK_RULES,
  caseworkDeadline,
  caseworkUrgentTypes,
  computeClock,
  findRules,
  type CaseworkClockState,
  type CaseworkItem,
  type CaseworkItemType,
} from '../../src/casework/rules';

const shift = (day: string, n: number) => DateTime.fromISO(day, { zone: 'utc' }).plus({ days: n }).toISODate()!;
const item = (type: CaseworkItemType, dates: Partial<CaseworkItem> = {}): CaseworkItem => ({ caseReference: 'BoU 2026/1', type, unitId: 'bou-mottagning', status: 'oppen', ...dates });
const clock = (i: CaseworkItem, today: string) => computeClock(i, { today });

/** i tid before the warning window (närmar sig for a duty urgent from the start), närmar sig through the due day, försenad the day after. */
function assertBoundaries(i: CaseworkItem, due: string, urgent = false): void {
  const table: [number, CaseworkClockState][] = [[-8, urgent ? 'narmar-sig' : 'i-tid'], [-7, 'narmar-sig'], [-1, 'narmar-sig'], [0, 'narmar-sig'], [1, 'forsenad']];
  for (const [offset, state] of table) {
    const c = clock(i, shift(due, offset))!;
    assert.deepEqual([c.due, c.state, c.daysLeft], [due, state, offset === 0 ? 0 : -offset], `${i.type} on ${shift(due, offset)}`);
  }
  assert.equal(caseworkDeadline(i).due, due, 'the stored deadline');
}

describe('the other statutory clocks (#17)', () => {
  describe('omedelbar skyddsbedömning: "genast" (SoL 20 kap. 1 §)', () => {
    // "Genast" is no period counted in days: lagen (1930:173) does not move it, and the protection
    // question cannot wait for Monday (socialjouren answers at weekends).
    const table: [string, string][] = [
      ['a Thursday', '2026-11-12'],
      ['a Saturday: not moved to Monday', '2026-11-14'],
      ['a Sunday: not moved to Monday', '2026-11-22'],
      ['julafton: not moved past the holidays', '2026-12-24'],
      ['trettondedag jul: not moved', '2027-01-06'],
    ];
    for (const [what, received] of table) {
      it(`received on ${what}: due that day, late the next`, () => {
        const i = item('skyddsbedomning', { orosanmalanMottagen: received });
        const c = clock(i, received)!;
        assert.deepEqual([c.due, c.nominalDue, c.daysLeft, c.state], [received, received, 0, 'narmar-sig']);
        assert.equal(c.basis, 'SoL 20 kap. 1 §');
        assert.equal(c.dueLabel, 'genast – senast');
        const late = clock(i, shift(received, 1))!;
        assert.deepEqual([late.state, late.daysLeft], ['forsenad', -1]);
        assert.equal(caseworkDeadline(i).due, received);
      });
    }

    it('is never "i tid", and the status summary counts it as närmar sig from the first day', () => {
      assert.ok(caseworkUrgentTypes().includes('skyddsbedomning'));
      // Even with no warning window and an orosanmälan dated tomorrow (a clock skew), never "i tid".
      assert.equal(computeClock(item('skyddsbedomning', { orosanmalanMottagen: '2026-11-20' }), { today: '2026-11-19', warnDays: 0 })!.state, 'narmar-sig');
    });

    it('cites SoL (2001:453) 11 kap. 1 a § while it was in force, and has no rule before 2013', () => {
      const i = item('skyddsbedomning', { orosanmalanMottagen: '2025-06-30' });
      assert.equal(clock(i, '2025-06-30')!.basis, 'SoL (2001:453) 11 kap. 1 a §');
      assert.deepEqual([clock(i, '2025-07-01')!.basis, clock(i, '2025-07-01')!.state], ['SoL 20 kap. 1 §', 'forsenad']);
      assert.throws(() => clock(item('skyddsbedomning', { orosanmalanMottagen: '2012-12-31' }), '2013-01-02'), RangeError);
    });

    it('a skyddsbedömning and a förhandsbedömning for the same orosanmälan are two clocks', () => {
      const dates = { orosanmalanMottagen: '2026-11-02' };
      assert.equal(clock(item('skyddsbedomning', dates), '2026-11-03')!.state, 'forsenad');
      assert.equal(clock(item('forhandsbedomning', dates), '2026-11-03')!.due, '2026-11-16');
    });
  });

  describe('vårdnadsöverflyttning: after two years in the same familjehem, then yearly (SoL 22 kap. 14 §; LVU 13 c §)', () => {
    it('two years from the placement, at every boundary day', () => {
      const i = item('vardnadsoverflyttning', { placeringStart: '2024-12-02' });
      assertBoundaries(i, '2026-12-02');
      const c = clock(i, '2026-11-20')!;
      assert.deepEqual([c.obligation, c.basis, c.lawRefVerified], ['forsta', 'SoL 22 kap. 14 §; LVU 13 c §', true]);
    });

    it('a two-year day on a Sunday is due on Monday (lagen 1930:173)', () => {
      const c = clock(item('vardnadsoverflyttning', { placeringStart: '2024-11-29' }), '2026-11-20')!;
      assert.deepEqual([c.nominalDue, c.due], ['2026-11-29', '2026-11-30']);
    });

    it('once considered at two years, the next consideration is due a year after the latest one', () => {
      const i = item('vardnadsoverflyttning', { placeringStart: '2023-03-10', senasteOvervagande: '2025-03-12' });
      assertBoundaries(i, '2026-03-12');
      const c = clock(i, '2026-03-01')!;
      assert.deepEqual([c.obligation, c.action, c.state], ['arlig', 'Årligt övervägande', 'i-tid']);
      assert.equal(clock(i, '2026-03-13')!.state, 'forsenad');
      // Without the placement day, the latest consideration alone carries the yearly clock.
      assert.equal(clock(item('vardnadsoverflyttning', { senasteOvervagande: '2025-03-12' }), '2026-03-01')!.due, '2026-03-12');
    });

    // [what, placement start, latest consideration, today, obligation, due, state]
    const table: [string, string, string | undefined, string, string, string, CaseworkClockState][] = [
      ['considered on the two-year day: the first is done', '2024-06-03', '2026-06-03', '2026-11-20', 'arlig', '2027-06-03', 'i-tid'],
      ['considered the day before two years: not the consideration the law asks for', '2024-12-02', '2026-12-01', '2026-12-02', 'forsta', '2026-12-02', 'narmar-sig'],
      ['considered early and not again: late the day after two years', '2024-12-02', '2026-06-01', '2026-12-03', 'forsta', '2026-12-02', 'forsenad'],
    ];
    for (const [what, placeringStart, senasteOvervagande, today, obligation, due, state] of table) {
      it(what, () => {
        const c = clock(item('vardnadsoverflyttning', { placeringStart, ...(senasteOvervagande ? { senasteOvervagande } : {}) }), today)!;
        assert.deepEqual([c.obligation, c.due, c.state], [obligation, due, state]);
      });
    }

    it('the stored deadline is the first consideration while an early one does not count', () => {
      const early = item('vardnadsoverflyttning', { placeringStart: '2024-12-02', senasteOvervagande: '2026-06-01' });
      const d = caseworkDeadline(early);
      assert.deepEqual([d.obligation, d.due, d.stopsOn], ['forsta', '2026-12-02', undefined]);
      const done = caseworkDeadline(item('vardnadsoverflyttning', { placeringStart: '2024-06-03', senasteOvervagande: '2026-06-03' }));
      assert.deepEqual([d.obligations.length, done.obligation, done.due], [2, 'arlig', '2027-06-03']);
    });

    describe('the law in force when the consideration falls due decides the period (three years until 30 June 2022)', () => {
      // [what, placement start, nominal day, due day]
      const history: [string, string, string, string][] = [
        ['placed 2019-06-30: three years, due on the old rule\'s last day', '2019-06-30', '2022-06-30', '2022-06-30'],
        ['placed 2019-07-01: three years would fall after the old rule; two had passed, due when the new rule took effect', '2019-07-01', '2022-07-01', '2022-07-01'],
        ['placed 2020-03-01: two years had passed on 1 July 2022: due that day', '2020-03-01', '2022-07-01', '2022-07-01'],
        ['placed 2020-07-01: two years end on the new rule\'s first day', '2020-07-01', '2022-07-01', '2022-07-01'],
        ['placed 2020-07-04: two years, not three', '2020-07-04', '2022-07-04', '2022-07-04'],
        ['placed 2021-01-15: two years, on a Sunday: Monday', '2021-01-15', '2023-01-15', '2023-01-16'],
        ['placed 2023-06-30: two years under SoL (2001:453), read today under SoL 22 kap. 14 §', '2023-06-30', '2025-06-30', '2025-06-30'],
        ['placed 2023-07-01: two years under SoL 2025:400', '2023-07-01', '2025-07-01', '2025-07-01'],
      ];
      for (const [what, placeringStart, nominal, due] of history) {
        it(what, () => {
          const d = caseworkDeadline(item('vardnadsoverflyttning', { placeringStart }));
          assert.deepEqual([d.nominalDue, d.due], [nominal, due]);
          assert.equal(clock(item('vardnadsoverflyttning', { placeringStart }), '2026-11-20')!.basis, 'SoL 22 kap. 14 §; LVU 13 c §');
        });
      }

      it('the yearly consideration exists from 1 March 2021 (SFS 2020:1260): an older consideration is due again that day', () => {
        const d = caseworkDeadline(item('vardnadsoverflyttning', { placeringStart: '2015-01-10', senasteOvervagande: '2019-06-01' }));
        assert.deepEqual([d.obligation, d.due], ['arlig', '2021-03-01']);
        assert.equal(computeClock(item('vardnadsoverflyttning', { placeringStart: '2015-01-10', senasteOvervagande: '2020-06-01' }), { today: '2021-05-01' })!.basis, 'SoL (2001:453) 6 kap. 8 § 2 st.');
      });

      it('evaluated under the old law, the clock cites it', () => {
        const c = computeClock(item('vardnadsoverflyttning', { placeringStart: '2022-09-01' }), { today: '2024-08-20' })!;
        assert.deepEqual([c.due, c.basis, c.lawRefVerified], ['2024-09-02', 'SoL (2001:453) 6 kap. 8 b §', false]);
      });
    });
  });

  describe('the first vårdplan revision: at the latest when the child has been placed two years (SoL 9 kap. 13 §)', () => {
    it('two years from the placement, at every boundary day', () => {
      const i = item('vardplan-revidering', { placeringStart: '2024-12-02' });
      assertBoundaries(i, '2026-12-02');
      const c = clock(i, '2026-11-20')!;
      assert.deepEqual([c.basis, c.state, c.lawRefVerified], ['SoL 9 kap. 13 §', 'i-tid', true]);
      assert.match(c.lawRef, /långsiktiga boende/);
    });

    it('a Saturday is due on Monday', () => {
      assert.equal(caseworkDeadline(item('vardplan-revidering', { placeringStart: '2024-11-28' })).due, '2026-11-30');
    });

    it('under SoL (2001:453) 11 kap. 3 § from 1 March 2021; a child placed two years before that was due that day', () => {
      assert.equal(computeClock(item('vardplan-revidering', { placeringStart: '2019-05-10' }), { today: '2021-05-01' })!.basis, 'SoL (2001:453) 11 kap. 3 § 2 st.');
      assert.equal(caseworkDeadline(item('vardplan-revidering', { placeringStart: '2019-05-10' })).due, '2021-05-10');
      assert.equal(caseworkDeadline(item('vardplan-revidering', { placeringStart: '2018-01-10' })).due, '2021-03-01');
    });

    it('the item closes when the case system closes it (the revision is made)', () => {
      assert.equal(computeClock({ ...item('vardplan-revidering', { placeringStart: '2024-12-02' }), status: 'avslutad' }, { today: '2026-12-10' }), undefined);
    });
  });

  describe('jourhem: at most two months after the utredning ended (SoL 22 kap. 4 §)', () => {
    it('two months from the day the utredning ended (beslutsdatum), at every boundary day', () => {
      const i = item('jourhem', { beslutsdatum: '2026-09-30' });
      assertBoundaries(i, '2026-11-30');
      const c = clock(i, '2026-11-25')!;
      assert.equal(c.basis, 'SoL 22 kap. 4 §');
      assert.match(c.consequence ?? '', /särskilda skäl/);
    });

    // A limit on how long the child may stay, not a period for an act: lagen (1930:173) does not extend it.
    const noShift: [string, string, string][] = [
      ['a Sunday stays a Sunday', '2026-09-29', '2026-11-29'],
      ['julafton stays julafton', '2026-10-24', '2026-12-24'],
      ['31 December + 2 months = 28 February', '2026-12-31', '2027-02-28'],
      ['31 December + 2 months = 29 February in a leap year', '2027-12-31', '2028-02-29'],
    ];
    for (const [what, ended, due] of noShift) {
      it(what, () => {
        const i = item('jourhem', { beslutsdatum: ended });
        assert.deepEqual([caseworkDeadline(i).due, caseworkDeadline(i).nominalDue], [due, due]);
        assert.equal(clock(i, due)!.state, 'narmar-sig');
        assert.equal(clock(i, shift(due, 1))!.state, 'forsenad');
      });
    }

    // Ended 2026-09-30: two months = 2026-11-30. [what, decided, until, the export says no earlier decision, due, extended, refused, unknown]
    const extensions: [string, string, string, boolean, string, boolean, boolean, boolean][] = [
      ['särskilda skäl decided in time: the decided end counts', '2026-11-20', '2027-01-31', false, '2027-01-31', true, false, false],
      ['decided on the last day: still in time', '2026-11-30', '2027-01-31', false, '2027-01-31', true, false, false],
      ['decided the day after, no earlier decision: the placement stays late, and the row says why', '2026-12-01', '2027-01-31', true, '2026-11-30', false, true, false],
      ['decided the day after, nothing known of an earlier decision: stays late, "kan inte bedömas"', '2026-12-01', '2027-01-31', false, '2026-11-30', false, false, true],
    ];
    for (const [what, decided, until, none, due, extended, refused, unknown] of extensions) {
      it(what, () => {
        const c = clock(item('jourhem', { beslutsdatum: '2026-09-30', forlangningBeslutad: decided, forlangdTill: until, ...(none ? { ingenTidigareForlangning: true } : {}) }), '2026-12-05')!;
        assert.deepEqual([c.due, c.extended, Boolean(c.extensionRefused), Boolean(c.extensionUnknown)], [due, extended, refused, unknown]);
        if (refused) assert.match(c.extensionRefused!, /jourhemmet/);
        if (refused) assert.doesNotMatch(c.extensionRefused!, /utredningen/);
        if (unknown) assert.match(c.extensionUnknown!, /jourhemmet.*tidigare_förlängd_till/);
      });
    }

    it('an extended end on a Sunday is not moved either', () => {
      assert.equal(caseworkDeadline(item('jourhem', { beslutsdatum: '2026-09-30', forlangningBeslutad: '2026-11-02', forlangdTill: '2027-01-31' })).due, '2027-01-31'); // a Sunday
    });
  });

  describe('uppföljning: ends within six months (SoL 23 kap. 5 §)', () => {
    it('six months from the end of the utredning or the placement, at every boundary day', () => {
      const i = item('uppfoljning', { beslutsdatum: '2026-06-02' });
      assertBoundaries(i, '2026-12-02');
      const c = clock(i, '2026-12-03')!;
      assert.deepEqual([c.basis, c.state, c.action], ['SoL 23 kap. 5 §', 'forsenad', 'Uppföljningen ska avslutas']);
      assert.match(c.consequence ?? '', /stöd i lag/);
    });

    // Like the jourhem, a limit on how long a state may last: the uppföljning may be decided without
    // consent (23 kap. 1–2 §§) and "ska avslutas senast sex månader" bounds that intrusion; lagen
    // (1930:173) gives time to do an act, it does not lengthen an intervention.
    const noShift: [string, string, string][] = [
      ['a sixth month ending on a Sunday stays on the Sunday', '2026-05-29', '2026-11-29'],
      ['a Saturday stays on the Saturday', '2026-05-28', '2026-11-28'],
      ['julafton stays julafton', '2026-06-24', '2026-12-24'],
      ['31 August + 6 months = 28 February', '2026-08-31', '2027-02-28'],
    ];
    for (const [what, ended, due] of noShift) {
      it(what, () => {
        const i = item('uppfoljning', { beslutsdatum: ended });
        assert.deepEqual([caseworkDeadline(i).due, caseworkDeadline(i).nominalDue], [due, due]);
        assert.equal(clock(i, due)!.state, 'narmar-sig');
        assert.equal(clock(i, shift(due, 1))!.state, 'forsenad');
      });
    }

    it('jourhem and uppföljning are read alike, under both laws', () => {
      for (const day of ['2024-06-01', '2026-06-01']) {
        for (const type of ['jourhem', 'uppfoljning'] as const) {
          const i = item(type, { beslutsdatum: day });
          assert.equal(findRules(i)[0]!.rule.noWeekdayShift, true, `${type} from ${day}`);
        }
      }
    });

    it('under the old law the reference is shown for checking', () => {
      const c = computeClock(item('uppfoljning', { beslutsdatum: '2025-03-03' }), { today: '2025-06-30' })!;
      assert.deepEqual([c.due, c.basis, c.lawRefVerified], ['2025-09-03', 'SoL (2001:453) 11 kap. 4 c §', false]);
      assert.equal(computeClock(item('uppfoljning', { beslutsdatum: '2025-03-03' }), { today: '2025-07-01' })!.basis, 'SoL 23 kap. 5 §');
    });
  });

  describe('a second extension of the same utredning', () => {
    // Opened 2026-03-02: four months = 2026-07-02. The export carries the latest extension decision.
    it('decided after the first extension ran out (so after the four months too): refused, the item stays late', () => {
      const c = clock(item('barnavardsutredning', { utredningInledd: '2026-03-02', forlangningBeslutad: '2026-09-01', forlangdTill: '2026-10-30', tidigareForlangdTill: '2026-08-31' }), '2026-09-10')!;
      assert.deepEqual([c.due, c.state, c.extended, c.extensionUnknown], ['2026-07-02', 'forsenad', false, undefined]);
      assert.match(c.extensionRefused ?? '', /efter att fristen hade gått ut/);
    });

    it('decided after the four months, the first extension not in the export: late, but not branded "too late"', () => {
      const c = clock(item('barnavardsutredning', { utredningInledd: '2026-03-02', forlangningBeslutad: '2026-09-01', forlangdTill: '2026-10-30' }), '2026-09-10')!;
      assert.deepEqual([c.due, c.state, c.extended, c.extensionRefused], ['2026-07-02', 'forsenad', false, undefined]);
      assert.match(c.extensionUnknown ?? '', /Kan inte bedömas/);
    });

    it('a jourhem stay extended twice: the second decided before the first ran out counts', () => {
      // Ended 2026-09-30: two months = 2026-11-30; first extension to 2027-01-15, second decided 2027-01-10 to 2027-03-31.
      const ok = item('jourhem', { beslutsdatum: '2026-09-30', forlangningBeslutad: '2027-01-10', forlangdTill: '2027-03-31', tidigareForlangdTill: '2027-01-15', tidigareForlangningBeslutad: '2026-11-25' });
      assert.deepEqual([clock(ok, '2027-02-01')!.due, clock(ok, '2027-02-01')!.extended], ['2027-03-31', true]);
      // Review of #17: the first decision made after the two months is not rescued by the second.
      const lateFirst = clock({ ...ok, tidigareForlangningBeslutad: '2026-12-01' }, '2027-02-01')!;
      assert.deepEqual([lateFirst.due, lateFirst.state, lateFirst.extended], ['2026-11-30', 'forsenad', false]);
      assert.match(lateFirst.extensionRefused ?? '', /förra beslutet om längre vård i jourhemmet/);
      const unknownFirst = clock({ ...ok, tidigareForlangningBeslutad: undefined }, '2027-02-01')!;
      assert.deepEqual([unknownFirst.due, unknownFirst.state, unknownFirst.extended], ['2026-11-30', 'forsenad', false]);
      assert.match(unknownFirst.extensionUnknown ?? '', /^Kan inte bedömas.*jourhemmet.*tidigare_förlängning_beslutad/);
      const late = clock({ ...ok, tidigareForlangdTill: '2027-01-09' }, '2027-02-01')!;
      assert.deepEqual([late.due, late.state], ['2026-11-30', 'forsenad']);
      assert.match(late.extensionRefused ?? '', /jourhemmet/);
      assert.match(clock({ ...ok, tidigareForlangdTill: undefined }, '2027-02-01')!.extensionUnknown ?? '', /Kan inte bedömas/);
    });

    it('an extension "for viss tid" that ends before the four months changes nothing', () => {
      const c = clock(item('barnavardsutredning', { utredningInledd: '2026-03-02', forlangningBeslutad: '2026-05-01', forlangdTill: '2026-06-30' }), '2026-06-20')!;
      assert.deepEqual([c.due, c.extended, c.extensionRefused], ['2026-07-02', false, undefined]);
    });
  });

  it('every consequence and extension text fits the longest warning the review card is sized for', () => {
    // test/cards/samples.ts sizes the review card for this warning; none of the rules may write a longer one.
    const longest = 'Förlängningen beslutades först efter att fristen hade gått ut och räddar inte utredningen (förlängning får bara beslutas för viss tid innan fristen löpt ut).';
    let checked = 0;
    for (const r of CASEWORK_RULES) {
      for (const text of [r.consequence, r.extension?.refused, r.extension?.unknown, r.lapse?.lateAct, r.courtExtension?.pending]) {
        if (!text) continue;
        checked++;
        assert.ok(text.length <= longest.length, `${r.type}/${r.obligation} (${text.length}): ${text}`);
      }
    }
    assert.ok(checked >= 20, `${checked}`);
  });
});
