/**
 * Issue #17: the clocks as the law reads them — lagen (1930:173), extensions, ej verkställda
 * beslut and domar, LVU 8–9 §§, 5 § and 26 §, the basis in force on the day evaluated.
 */
import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import { caseworkDeadline, computeClock, type CaseworkClockState, type CaseworkItem, type CaseworkItemType } from '../../src/casework/rules';

const shift = (day: string, n: number) => DateTime.fromISO(day, { zone: 'utc' }).plus({ days: n }).toISODate()!;
const item = (type: CaseworkItemType, dates: Partial<CaseworkItem> = {}): CaseworkItem => ({ caseReference: 'BoU 2026/1', type, unitId: 'bou-mottagning', status: 'oppen', ...dates });
const clock = (i: CaseworkItem, today: string) => computeClock(i, { today });

describe('casework clocks as the law reads them (#17)', () => {
  describe('lagen (1930:173) 2 §: a last day on a weekend or holiday moves to the next weekday', () => {
    // [what, orosanmälan (+14 days), nominal day, due day]
    const table: [string, string, string, string][] = [
      ['a Sunday is due on Monday', '2026-11-01', '2026-11-15', '2026-11-16'],
      ['a Saturday is due on Monday', '2026-10-31', '2026-11-14', '2026-11-16'],
      ['a Friday stays', '2026-10-30', '2026-11-13', '2026-11-13'],
      ['långfredagen is due on the Tuesday after annandag påsk', '2026-03-20', '2026-04-03', '2026-04-07'],
      ['midsommarafton (named in the act) is due on Monday', '2026-06-05', '2026-06-19', '2026-06-22'],
      ['julafton is due on 28 December', '2026-12-10', '2026-12-24', '2026-12-28'],
      ['nyårsafton is due on 4 January', '2026-12-17', '2026-12-31', '2027-01-04'],
    ];
    for (const [what, received, nominal, due] of table) {
      it(what, () => {
        const i = item('forhandsbedomning', { orosanmalanMottagen: received });
        const c = clock(i, received)!;
        assert.equal(c.nominalDue, nominal);
        assert.equal(c.due, due);
        // Every boundary day: i tid/närmar sig through the due day, late the day after.
        assert.equal(clock(i, due)!.state, 'narmar-sig');
        assert.equal(clock(i, shift(due, 1))!.state, 'forsenad');
        if (nominal !== due) assert.notEqual(clock(i, shift(nominal, 1))!.state, 'forsenad');
      });
    }
  });

  describe('extensions count only when decided before the deadline they extend', () => {
    // Opened 2026-03-02: four months = Thursday 2026-07-02.
    const opened = '2026-03-02';
    // [what, decided, until, due, extended, refused, cannot be judged]
    const table: [string, string, string, string, boolean, boolean, boolean][] = [
      ['decided well before: the new day counts', '2026-06-15', '2026-08-31', '2026-08-31', true, false, false],
      ['decided on the last day: still in time', '2026-07-02', '2026-08-31', '2026-08-31', true, false, false],
      // Only the latest extension is in the export: it may continue an earlier one the register cannot see.
      ['decided the day after, no earlier extension known: stays late, "kan inte bedömas", not "too late"', '2026-07-03', '2026-08-31', '2026-07-02', false, false, true],
    ];
    for (const [what, decided, until, due, extended, refused, unknown] of table) {
      it(what, () => {
        const c = clock(item('barnavardsutredning', { utredningInledd: opened, forlangningBeslutad: decided, forlangdTill: until }), '2026-07-20')!;
        assert.equal(c.due, due);
        assert.equal(c.extended, extended);
        assert.equal(c.state, extended ? 'i-tid' : 'forsenad');
        assert.equal(Boolean(c.extensionRefused), refused);
        assert.equal(Boolean(c.extensionUnknown), unknown);
        if (unknown) assert.match(c.extensionUnknown!, /^Kan inte bedömas.*tidigare_förlängd_till/);
      });
    }

    describe('a chain of extensions: the latest counts when decided before the previous one ran out', () => {
      // Opened 2026-01-10: four months = Sunday 2026-05-10, due Monday 2026-05-11 (1930:173).
      const base = { utredningInledd: '2026-01-10', forlangdTill: '2026-08-31' };
      // [what, decided, previous end, previous decided, none before, due, extended, refused, unknown]
      const chain: [string, string, string | undefined, string | undefined, boolean, string, boolean, boolean, boolean][] = [
        ['decided on the moved last day of the four months', '2026-05-11', undefined, undefined, false, '2026-08-31', true, false, false],
        ['decided the day after, nothing known of an earlier one: kan inte bedömas', '2026-05-12', undefined, undefined, false, '2026-05-11', false, false, true],
        ['decided the day after, and the export says there was none: too late', '2026-05-12', undefined, undefined, true, '2026-05-11', false, true, false],
        ['decided before the previous extension ran out, which was decided within the four months', '2026-06-20', '2026-06-30', '2026-05-04', false, '2026-08-31', true, false, false],
        ['the previous extension decided on the moved last day of the four months', '2026-06-20', '2026-06-30', '2026-05-11', false, '2026-08-31', true, false, false],
        ['decided on the previous extension\'s last day', '2026-06-30', '2026-06-30', '2026-05-04', false, '2026-08-31', true, false, false],
        // Review of #17: a late FIRST extension is not rescued by a timely second one.
        ['the previous extension was itself decided after the four months: the chain rescues nothing', '2026-06-20', '2026-06-30', '2026-05-12', false, '2026-05-11', false, true, false],
        ['decided within the previous extension, but when that one was decided is not in the export: kan inte bedömas, never rescued', '2026-06-20', '2026-06-30', undefined, false, '2026-05-11', false, false, true],
        ['decided within the four months, the previous decision unknown: the four months were running, in time', '2026-05-08', '2026-06-30', undefined, false, '2026-08-31', true, false, false],
        ['decided the day after the previous extension ran out: too late', '2026-07-01', '2026-06-30', '2026-05-04', false, '2026-05-11', false, true, false],
        ['decided the day after the previous extension ran out, its decision unknown: too late all the same', '2026-07-01', '2026-06-30', undefined, false, '2026-05-11', false, true, false],
        ['the previous end set by the nämnd on a Sunday is not moved: decided on Monday is too late', '2026-06-29', '2026-06-28', '2026-05-04', false, '2026-05-11', false, true, false],
        ['a previous "extension" that ended before the four months: the four months were the running time', '2026-05-12', '2026-04-30', '2026-03-01', false, '2026-05-11', false, true, false],
      ];
      for (const [what, decided, previous, previousDecided, none, due, extended, refused, unknown] of chain) {
        it(what, () => {
          const i = item('barnavardsutredning', {
            ...base, forlangningBeslutad: decided, ...(previous ? { tidigareForlangdTill: previous } : {}), ...(previousDecided ? { tidigareForlangningBeslutad: previousDecided } : {}),
            ...(none ? { ingenTidigareForlangning: true } : {}),
          });
          const c = clock(i, '2026-07-05')!;
          assert.deepEqual([c.due, c.extended, Boolean(c.extensionRefused), Boolean(c.extensionUnknown)], [due, extended, refused, unknown]);
          assert.equal(c.state, extended ? 'i-tid' : 'forsenad');
          if (refused) assert.match(c.extensionRefused!, /efter att (fristen|de fyra månaderna) hade gått ut/);
          if (unknown && previous) assert.match(c.extensionUnknown!, /^Kan inte bedömas.*tidigare_förlängning_beslutad/);
          assert.equal(caseworkDeadline(i).due, due);
        });
      }
    });

    it('the end the nämnd sets is not time set by law: an extension to a Sunday is due that Sunday', () => {
      const i = item('barnavardsutredning', { utredningInledd: opened, forlangningBeslutad: '2026-06-15', forlangdTill: '2026-08-30' });
      assert.deepEqual([caseworkDeadline(i).due, caseworkDeadline(i).nominalDue], ['2026-08-30', '2026-08-30']);
      assert.equal(clock(i, '2026-08-30')!.state, 'narmar-sig');
      assert.equal(clock(i, '2026-08-31')!.state, 'forsenad');
    });
  });

  describe('ej verkställt beslut', () => {
    describe('a nämnd decision is never "i tid": verkställ snarast from day one, rapporteras till IVO at three months', () => {
      // Decided Monday 2026-03-02: the report is due Tuesday 2026-06-02.
      const namnd = item('ej-verkstallt-beslut', { beslutsdatum: '2026-03-02' });
      const table: [string, CaseworkClockState][] = [
        ['2026-03-02', 'narmar-sig'],
        ['2026-03-03', 'narmar-sig'],
        ['2026-05-02', 'narmar-sig'],
        ['2026-05-26', 'narmar-sig'],
        ['2026-06-02', 'narmar-sig'],
        ['2026-06-03', 'forsenad'],
      ];
      for (const [today, state] of table) {
        it(`${today}: ${state}`, () => {
          const c = clock(namnd, today)!;
          assert.deepEqual([c.state, c.due, c.action, c.dueLabel], [state, '2026-06-02', 'Verkställ snarast', 'rapporteras till IVO senast']);
        });
      }
    });

    it('a nämnd decision: "verkställ snarast" at once, "rapporteras till IVO senast …" three months on', () => {
      const decision = item('ej-verkstallt-beslut', { beslutsdatum: '2026-09-01' }); // + 3 months = Tuesday 2026-12-01
      const first = clock(decision, '2026-09-01')!;
      assert.equal(first.action, 'Verkställ snarast');
      assert.equal(first.dueLabel, 'rapporteras till IVO senast');
      assert.equal(first.due, '2026-12-01');
      assert.equal(first.basis, 'SoL 34 kap. 1–2 §§; LSS 28 f–g §§');
      assert.equal(clock(decision, '2026-12-01')!.state, 'narmar-sig');
      assert.equal(clock(decision, '2026-12-02')!.state, 'forsenad');
    });

    it('a report to IVO starts the next three months; an interruption after verkställighet starts them again', () => {
      assert.equal(clock(item('ej-verkstallt-beslut', { beslutsdatum: '2026-06-01', rapporteradIvo: '2026-09-01' }), '2026-09-10')!.due, '2026-12-01');
      const carriedOut = item('ej-verkstallt-beslut', { beslutsdatum: '2026-06-01', verkstalltDatum: '2026-07-01' });
      assert.equal(clock(carriedOut, '2026-09-10'), undefined);
      const interrupted = { ...carriedOut, avbrottDatum: '2026-08-03' };
      assert.equal(clock(interrupted, '2026-09-10')!.due, '2026-11-03');
    });

    describe('IVO is told when a reported decision was carried out (LSS 28 g §): only then is the item done', () => {
      // Decided Monday 2026-03-02: the report is due Tuesday 2026-06-02.
      const NOTICE = 'Anmäl till IVO att beslutet har verkställts (med dagen för verkställigheten)';
      const base = { beslutsdatum: '2026-03-02' };
      // [what, dates, today, expected: undefined when done, else [action, due, state]]
      const table: [string, Partial<CaseworkItem>, string, [string, string, CaseworkClockState] | undefined][] = [
        ['carried out within the three months, never reported: done, no notice owed', { verkstalltDatum: '2026-05-15' }, '2026-05-15', undefined],
        ['carried out on the last day of the three months: done', { verkstalltDatum: '2026-06-02' }, '2026-06-10', undefined],
        ['carried out the day after, not reported: the report (with the day) is late', { verkstalltDatum: '2026-06-03' }, '2026-06-10', [NOTICE, '2026-06-02', 'forsenad']],
        ['carried out the day after, IVO told: done from that day', { verkstalltDatum: '2026-06-03', verkstalltAnmaltIvo: '2026-06-10' }, '2026-06-10', undefined],
        ['reported, then carried out: the notice goes with the next quarterly report', { rapporteradIvo: '2026-06-01', verkstalltDatum: '2026-07-15' }, '2026-07-20', [NOTICE, '2026-09-01', 'narmar-sig']],
        ['reported, carried out, the notice not made by the next report: late', { rapporteradIvo: '2026-06-01', verkstalltDatum: '2026-07-15' }, '2026-09-02', [NOTICE, '2026-09-01', 'forsenad']],
        ['reported, carried out, IVO told: done', { rapporteradIvo: '2026-06-01', verkstalltDatum: '2026-07-15', verkstalltAnmaltIvo: '2026-07-20' }, '2026-07-20', undefined],
        ['a notice dated before the verkställighet was about an earlier one: still owed', { rapporteradIvo: '2026-06-01', verkstalltDatum: '2026-07-15', verkstalltAnmaltIvo: '2026-07-10' }, '2026-07-20', [NOTICE, '2026-09-01', 'narmar-sig']],
        ['interrupted after the report and carried out again within three months: done (the report was of the earlier one)', { rapporteradIvo: '2026-06-01', avbrottDatum: '2026-08-03', verkstalltDatum: '2026-09-01' }, '2026-09-10', undefined],
        ['interrupted, reported as not carried out again, then carried out: notice owed', { avbrottDatum: '2026-08-03', rapporteradIvo: '2026-11-02', verkstalltDatum: '2026-11-20' }, '2026-11-25', [NOTICE, '2027-02-02', 'narmar-sig']],
      ];
      for (const [what, dates, today, expected] of table) {
        it(what, () => {
          const c = clock(item('ej-verkstallt-beslut', { ...base, ...dates }), today);
          assert.deepEqual(c && [c.action, c.due, c.state], expected);
          if (c) {
            assert.equal(c.dueLabel, 'anmäls till IVO senast');
            assert.equal(c.consequence, undefined, 'carried out: the särskild avgift is no longer what the row warns of');
          }
        });
      }

      it('a court judgment is not reported to IVO: carried out late, it is done at once', () => {
        assert.equal(clock(item('ej-verkstallt-beslut', { beslutsdatum: '2026-03-02', domstol: true, verkstalltDatum: '2026-06-20' }), '2026-06-20'), undefined);
      });

      it('the stored deadline agrees: no stop day while the notice is owed, the notice day once made', () => {
        const owed = caseworkDeadline(item('ej-verkstallt-beslut', { ...base, rapporteradIvo: '2026-06-01', verkstalltDatum: '2026-07-15' }));
        assert.deepEqual([owed.due, owed.stopsOn], ['2026-09-01', undefined]);
        const made = caseworkDeadline(item('ej-verkstallt-beslut', { ...base, rapporteradIvo: '2026-06-01', verkstalltDatum: '2026-07-15', verkstalltAnmaltIvo: '2026-07-20' }));
        assert.deepEqual([made.due, made.stopsOn], ['2026-09-01', '2026-07-20']);
      });
    });

    // [days after the judgment, state]: never "i tid", late after the local limit (14 days).
    const judgment: [number, CaseworkClockState][] = [
      [0, 'narmar-sig'],
      [1, 'narmar-sig'],
      [7, 'narmar-sig'],
      [14, 'narmar-sig'],
      [15, 'forsenad'],
    ];
    for (const [days, state] of judgment) {
      it(`a court judgment, day ${days}: ${state}, "ska verkställas omedelbart", local policy named`, () => {
        const dom = item('ej-verkstallt-beslut', { beslutsdatum: '2026-11-02', domstol: true }); // + 14 = Monday 2026-11-16
        const c = clock(dom, shift('2026-11-02', days))!;
        assert.equal(c.state, state);
        assert.equal(c.due, '2026-11-16');
        assert.match(c.action, /ska verkställas omedelbart/i);
        assert.equal(c.localPolicy, true);
        assert.match(c.consequence ?? '', /särskild avgift/);
      });
    }

    it('the local number of days for a judgment is configurable', () => {
      const dom = item('ej-verkstallt-beslut', { beslutsdatum: '2026-11-02', domstol: true });
      assert.equal(computeClock(dom, { today: '2026-11-02', judgmentDays: 7 })!.due, '2026-11-09');
    });

    describe('the local limit for a judgment is not time set by law: lagen (1930:173) does not move it', () => {
      // [what, judgment, judgmentDays, due]
      const table: [string, string, number | undefined, string][] = [
        ['14 days ending on a Sunday stay on the Sunday', '2026-11-01', undefined, '2026-11-15'],
        ['14 days ending on julafton stay on julafton', '2026-12-10', undefined, '2026-12-24'],
        ['a configured 7 days ending on a Saturday stay on the Saturday', '2026-11-07', 7, '2026-11-14'],
      ];
      for (const [what, beslutsdatum, judgmentDays, due] of table) {
        it(what, () => {
          const dom = item('ej-verkstallt-beslut', { beslutsdatum, domstol: true });
          const opts = judgmentDays === undefined ? {} : { judgmentDays };
          const c = computeClock(dom, { today: due, ...opts })!;
          assert.deepEqual([c.due, c.nominalDue, c.state], [due, due, 'narmar-sig']);
          assert.equal(computeClock(dom, { today: shift(due, 1), ...opts })!.state, 'forsenad');
          assert.equal(caseworkDeadline(dom, opts).due, due);
        });
      }
    });

    describe('a judgment whose verkställighet was interrupted must be carried out again (LSS 28 a § 2 st.; SoL 34 kap. 5 § 2 st.)', () => {
      // Judgment 2026-03-02, carried out 2026-03-05, interrupted Monday 2026-05-04: the local 14 days run again, to 2026-05-18.
      const dom = item('ej-verkstallt-beslut', { beslutsdatum: '2026-03-02', domstol: true, verkstalltDatum: '2026-03-05', avbrottDatum: '2026-05-04' });
      const table: [string, CaseworkClockState | undefined][] = [
        ['2026-05-04', 'narmar-sig'],
        ['2026-05-10', 'narmar-sig'],
        ['2026-05-18', 'narmar-sig'],
        ['2026-05-19', 'forsenad'],
        ['2026-06-01', 'forsenad'],
      ];
      for (const [today, state] of table) {
        it(`${today}: ${state ?? 'not running (still carried out)'}`, () => {
          const c = clock(dom, today);
          assert.equal(c?.state, state);
          if (!c) return;
          assert.deepEqual([c.due, c.start.field, c.obligation], ['2026-05-18', 'avbrottDatum', 'dom']);
          assert.match(c.consequence ?? '', /särskild avgift/);
        });
      }
      it('carried out again after the interruption: the clock stops', () => {
        assert.equal(clock({ ...dom, verkstalltDatum: '2026-05-12' }, '2026-06-01'), undefined);
        assert.equal(caseworkDeadline({ ...dom, verkstalltDatum: '2026-05-12' }).stopsOn, '2026-05-12');
      });
    });

    describe('särskild avgift: the nämnd\'s own decisions too (LSS 28 a § 1 st.; SoL 34 kap. 5 § 1 st.), sought by IVO in förvaltningsrätten (28 c §; 34 kap. 8 §)', () => {
      // [what, item fields, today]
      const table: [string, Partial<CaseworkItem>, string][] = [
        ['a nämnd decision on its first day', { beslutsdatum: '2026-01-12' }, '2026-01-12'],
        ['a nämnd decision reported to IVO on time, still not carried out', { beslutsdatum: '2026-01-10', rapporteradIvo: '2026-04-10' }, '2026-06-20'],
        ['a nämnd decision interrupted after verkställighet', { beslutsdatum: '2026-01-10', verkstalltDatum: '2026-02-01', avbrottDatum: '2026-05-04' }, '2026-05-20'],
        ['a nämnd decision under SoL (2001:453)', { beslutsdatum: '2025-03-03' }, '2025-05-01'],
        ['a judgment', { beslutsdatum: '2026-01-12', domstol: true }, '2026-01-12'],
        ['a judgment under SoL (2001:453)', { beslutsdatum: '2025-06-02', domstol: true }, '2025-06-10'],
      ];
      for (const [what, more, today] of table) {
        it(what, () => {
          const c = clock(item('ej-verkstallt-beslut', more), today)!;
          assert.match(c.consequence ?? '', /skälig tid/);
          assert.match(c.consequence ?? '', /IVO ansöka hos förvaltningsrätten om särskild avgift/);
          assert.doesNotMatch(c.consequence ?? '', /^Risk/);
        });
      }
      it('the 2025:400 references name the avgift', () => {
        const c = clock(item('ej-verkstallt-beslut', { beslutsdatum: '2026-01-12' }), '2026-01-12')!;
        assert.match(c.lawRef, /34 kap\. 5 §/);
        assert.match(c.lawRef, /28 a §/);
      });
    });
  });

  describe('LVU', () => {
    it('LVU 6 §: after underställning, the ansökan om vård is due four weeks from verkställigheten; then red with the lapse named', () => {
      const lvu6 = item('omedelbart-omhandertagande', { lvuBeslut: '2026-10-01', omhandertagandeVerkstallt: '2026-10-02', understalltDatum: '2026-10-05' });
      const before = clock(lvu6, '2026-10-29')!; // + 4 weeks = Friday 2026-10-30
      assert.equal(before.obligation, 'ansokan');
      assert.equal(before.due, '2026-10-30');
      assert.equal(before.basis, 'LVU 8–9 §§');
      const late = clock(lvu6, '2026-10-31')!;
      assert.equal(late.state, 'forsenad');
      assert.match(late.consequence ?? '', /upphör/);
      assert.equal(clock({ ...lvu6, ansokanInlamnad: '2026-10-20' }, '2026-10-31'), undefined);
    });

    it('LVU 6 §: the one-week underställning comes first while it is not done', () => {
      const c = clock(item('omedelbart-omhandertagande', { lvuBeslut: '2026-10-01' }), '2026-10-02')!;
      assert.equal(c.obligation, 'understallning');
      assert.equal(c.due, '2026-10-08');
      assert.equal(c.basis, 'LVU 7 §');
    });

    describe('LVU 6 § without underställning: the omhändertagande ends after a week (7 § 3 st.), and the row says so', () => {
      // Decided and verkställt Monday 2026-03-02: underställning due 2026-03-09, ansökan due 2026-03-30.
      const lvu6 = item('omedelbart-omhandertagande', { lvuBeslut: '2026-03-02', omhandertagandeVerkstallt: '2026-03-02' });
      // [today, obligation shown, state, also overdue]: the first lapse is the one that ended the omhändertagande.
      const table: [string, string, CaseworkClockState, string[] | undefined][] = [
        ['2026-03-02', 'understallning', 'narmar-sig', undefined],
        ['2026-03-09', 'understallning', 'narmar-sig', undefined],
        ['2026-03-10', 'understallning', 'forsenad', undefined],
        ['2026-03-30', 'understallning', 'forsenad', undefined],
        ['2026-03-31', 'understallning', 'forsenad', ['ansokan']],
        ['2026-04-06', 'understallning', 'forsenad', ['ansokan']],
      ];
      for (const [today, obligation, state, also] of table) {
        it(`${today}: ${obligation} ${state}, the lapse named`, () => {
          const c = clock(lvu6, today)!;
          assert.deepEqual([c.obligation, c.state, c.due], [obligation, state, '2026-03-09']);
          assert.match(c.consequence ?? '', /upphör omhändertagandet/);
          assert.match(c.consequence ?? '', /LVU 7 § 3 st\./);
          assert.deepEqual(c.alsoOverdue?.map((a) => a.obligation), also);
        });
      }

      // [underställd, today, obligation, state, lapse text]: a late underställning does not revive it.
      const late: [string, string, string, CaseworkClockState, RegExp][] = [
        ['2026-03-09', '2026-03-10', 'ansokan', 'i-tid', /LVU 9 §/],
        ['2026-03-10', '2026-03-10', 'understallning', 'forsenad', /underställdes först efter.*upphörde/],
        ['2026-03-10', '2026-03-25', 'understallning', 'forsenad', /underställdes först efter.*upphörde/],
      ];
      for (const [understalltDatum, today, obligation, state, text] of late) {
        it(`underställd ${understalltDatum}, on ${today}: ${obligation} ${state}`, () => {
          const i = { ...lvu6, understalltDatum };
          const c = clock(i, today)!;
          assert.deepEqual([c.obligation, c.state], [obligation, state]);
          assert.match(c.consequence ?? '', text);
          assert.equal(caseworkDeadline(i).obligation, obligation, 'the stored deadline keeps the lapsed underställning');
        });
      }
    });

    describe('LVU 8 § 2 st. and 9 § 1: a förlängning requested in time prevents the lapse; a granted one moves the day', () => {
      // Decided 2026-10-01, verkställt 2026-10-02, underställd in time: the ansökan is due Friday 2026-10-30.
      const base = { lvuBeslut: '2026-10-01', omhandertagandeVerkstallt: '2026-10-02', understalltDatum: '2026-10-05' };
      const lvu6 = (more: Partial<CaseworkItem>) => item('omedelbart-omhandertagande', { ...base, ...more });
      // [what, fields, today, due, state, extended, text the row shows]
      const table: [string, Partial<CaseworkItem>, string, string, CaseworkClockState, boolean, RegExp][] = [
        ['none requested, the last day', {}, '2026-10-30', '2026-10-30', 'narmar-sig', false, /upphör.*LVU 9 §/],
        ['none requested, the day after: the lapse', {}, '2026-10-31', '2026-10-30', 'forsenad', false, /upphör.*LVU 9 §/],
        ['requested on the last day: no lapse', { forlangningBegard: '2026-10-30' }, '2026-10-30', '2026-10-30', 'narmar-sig', false, /begärd i tid.*upphör inte/],
        ['requested in time, not yet decided: the new day is needed, no lapse claimed', { forlangningBegard: '2026-10-20' }, '2026-10-31', '2026-10-30', 'forsenad', false, /begärd i tid.*ansökan_förlängd_till/],
        ['requested the day after: too late, the lapse stands', { forlangningBegard: '2026-10-31' }, '2026-10-31', '2026-10-30', 'forsenad', false, /upphör.*LVU 9 §/],
        ['granted to a Sunday: the court\'s day, not moved', { forlangningBegard: '2026-10-28', ansokanForlangdTill: '2026-11-15' }, '2026-11-15', '2026-11-15', 'narmar-sig', true, /upphör.*LVU 9 §/],
        ['granted, the day after its end: the lapse', { forlangningBegard: '2026-10-28', ansokanForlangdTill: '2026-11-15' }, '2026-11-16', '2026-11-15', 'forsenad', true, /upphör.*LVU 9 §/],
        ['granted, a further förlängning requested before its end: no lapse', { forlangningBegard: '2026-11-13', ansokanForlangdTill: '2026-11-15' }, '2026-11-16', '2026-11-15', 'forsenad', true, /begärd i tid/],
        ['granted without a recorded request: the court\'s day counts', { ansokanForlangdTill: '2026-11-15' }, '2026-11-02', '2026-11-15', 'i-tid', true, /upphör.*LVU 9 §/],
      ];
      for (const [what, more, today, due, state, extended, text] of table) {
        it(what, () => {
          const i = lvu6(more);
          const c = clock(i, today)!;
          assert.deepEqual([c.obligation, c.due, c.state, c.extended], ['ansokan', due, state, extended]);
          assert.match(c.consequence ?? '', text);
          assert.equal(caseworkDeadline(i).due, due);
        });
      }

      // [what, fields, ansökan made, fulfilled]
      const made: [string, Partial<CaseworkItem>, string, boolean][] = [
        ['on the last day', {}, '2026-10-30', true],
        ['the day after, nothing requested: the omhändertagande had ended', {}, '2026-10-31', false],
        ['after the four weeks, a förlängning requested in time', { forlangningBegard: '2026-10-29' }, '2026-11-03', true],
        ['within the granted time', { forlangningBegard: '2026-10-29', ansokanForlangdTill: '2026-11-13' }, '2026-11-13', true],
        ['after the granted time', { forlangningBegard: '2026-10-29', ansokanForlangdTill: '2026-11-13' }, '2026-11-16', false],
      ];
      for (const [what, more, ansokanInlamnad, fulfilled] of made) {
        it(`ansökan made ${what}: ${fulfilled ? 'done' : 'still red, the lapse named'}`, () => {
          const c = clock(lvu6({ ...more, ansokanInlamnad }), '2026-11-20');
          if (fulfilled) return assert.equal(c, undefined);
          assert.deepEqual([c?.obligation, c?.state], ['ansokan', 'forsenad']);
          assert.match(c!.consequence ?? '', /först efter.*upphörde/);
        });
      }
    });

    describe('LVU 5 §: the court\'s vård decision stops applying if the vård has not started within four weeks of laga kraft', () => {
      // Laga kraft Monday 2026-06-01: four weeks = Monday 2026-06-29.
      const vard = (more: Partial<CaseworkItem> = {}) => item('vard-lvu-verkstallighet', { lagaKraft: '2026-06-01', ...more });
      const table: [string, CaseworkClockState][] = [
        ['2026-06-21', 'i-tid'],
        ['2026-06-22', 'narmar-sig'],
        ['2026-06-29', 'narmar-sig'],
        ['2026-06-30', 'forsenad'],
        ['2026-07-10', 'forsenad'],
      ];
      for (const [today, state] of table) {
        it(`${today}: ${state}, the lapse named`, () => {
          const c = clock(vard(), today)!;
          assert.deepEqual([c.due, c.state], ['2026-06-29', state]);
          assert.match(c.consequence ?? '', /upphör att gälla/);
        });
      }
      it('started on the last day: done; started the day after: still red, the decision had lapsed', () => {
        assert.equal(clock(vard({ vardPaborjad: '2026-06-29' }), '2026-07-10'), undefined);
        const late = clock(vard({ vardPaborjad: '2026-06-30' }), '2026-07-10')!;
        assert.equal(late.state, 'forsenad');
        assert.match(late.consequence ?? '', /först efter.*upphört att gälla/);
      });
    });

    it('LVU 5 §: vård within four weeks of laga kraft; flyttningsförbud every three months (26 §)', () => {
      const vard = clock(item('vard-lvu-verkstallighet', { lagaKraft: '2026-11-02' }), '2026-11-02')!;
      assert.deepEqual([vard.due, vard.basis], ['2026-11-30', 'LVU 5 §']);
      const ff = clock(item('flyttningsforbud', { lvuBeslut: '2026-09-01', senasteOmprovning: '2026-12-01' }), '2026-12-02')!;
      assert.deepEqual([ff.due, ff.basis], ['2027-03-01', 'LVU 26 §']);
    });
  });

  describe('reopened investigations', () => {
    it('count from the first opening and show as reopened, unless a new orosanmälan started a new utredning', () => {
      const reopened = item('barnavardsutredning', { utredningInledd: '2026-07-01', forstaInledd: '2026-03-02', aterOppnad: true });
      const c = clock(reopened, '2026-07-20')!;
      assert.deepEqual([c.due, c.state, c.reopened], ['2026-07-02', 'forsenad', true]);
      const fresh = clock({ ...reopened, nyUtredning: true }, '2026-07-20')!;
      assert.equal(fresh.due, '2026-11-02'); // 1 Nov 2026 is a Sunday
    });
  });

  describe('a corrected opening day (review of #17): the row says which day it replaced', () => {
    // [what, item, expected action, expected startCorrectedFrom]
    const table: [string, CaseworkItem, string, string | undefined][] = [
      ['corrected: the replaced day is named on the row', item('barnavardsutredning', { utredningInledd: '2026-07-15', rattadFran: '2026-07-10' }), 'Utredningen ska vara slutförd (startdag rättad från 2026-07-10)', '2026-07-10'],
      ['corrected and reopened: both shown, counted from the first opening', item('barnavardsutredning', { utredningInledd: '2026-07-15', rattadFran: '2026-07-10', forstaInledd: '2026-03-02', aterOppnad: true }), 'Utredningen ska vara slutförd (startdag rättad från 2026-07-10)', '2026-07-10'],
      ['never corrected: the plain action', item('barnavardsutredning', { utredningInledd: '2026-07-15' }), 'Utredningen ska vara slutförd', undefined],
    ];
    for (const [what, i, action, from] of table) {
      it(what, () => {
        const c = clock(i, '2026-07-20')!;
        assert.equal(c.action, action);
        assert.equal(c.startCorrectedFrom, from);
        // The correction moves nothing: the clock is the one of the day it now has (or the first opening).
        assert.equal(c.due, caseworkDeadline({ ...i, rattadFran: undefined }).due);
      });
    }
  });
});
