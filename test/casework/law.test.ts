/**
 * Issue #17: the clocks as the law reads them — lagen (1930:173), extensions, ej verkställda
 * beslut and domar, LVU 8–9 §§, 5 § and 26 §, the basis in force on the day evaluated.
 */
import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import { computeClock, type CaseworkClockState, type CaseworkItem, type CaseworkItemType } from '../../src/casework/rules';

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
    const table: [string, string, string, string, boolean, boolean][] = [
      ['decided well before: the new day counts', '2026-06-15', '2026-08-31', '2026-08-31', true, false],
      ['decided on the last day: still in time', '2026-07-02', '2026-08-31', '2026-08-31', true, false],
      ['decided the day after: the item stays late, and says why', '2026-07-03', '2026-08-31', '2026-07-02', false, true],
    ];
    for (const [what, decided, until, due, extended, refused] of table) {
      it(what, () => {
        const c = clock(item('barnavardsutredning', { utredningInledd: opened, forlangningBeslutad: decided, forlangdTill: until }), '2026-07-20')!;
        assert.equal(c.due, due);
        assert.equal(c.extended, extended);
        assert.equal(c.state, extended ? 'i-tid' : 'forsenad');
        assert.equal(Boolean(c.extensionRefused), refused);
        if (refused) assert.match(c.extensionRefused!, /efter att fristen hade gått ut/);
      });
    }
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

    describe('LVU 6 § without underställning: the overdue ansökan (lapse) is not hidden by the overdue underställning', () => {
      // Decided and verkställt Monday 2026-03-02: underställning due 2026-03-09, ansökan due 2026-03-30.
      const lvu6 = item('omedelbart-omhandertagande', { lvuBeslut: '2026-03-02', omhandertagandeVerkstallt: '2026-03-02' });
      // [today, obligation shown, state, lapse named]
      const table: [string, string, CaseworkClockState, boolean][] = [
        ['2026-03-09', 'understallning', 'narmar-sig', false],
        ['2026-03-10', 'understallning', 'forsenad', false],
        ['2026-03-30', 'understallning', 'forsenad', false],
        ['2026-03-31', 'ansokan', 'forsenad', true],
        ['2026-04-06', 'ansokan', 'forsenad', true],
      ];
      for (const [today, obligation, state, lapse] of table) {
        it(`${today}: ${obligation} ${state}`, () => {
          const c = clock(lvu6, today)!;
          assert.deepEqual([c.obligation, c.state], [obligation, state]);
          assert.equal(/upphör/.test(c.consequence ?? ''), lapse);
          if (lapse) assert.equal(c.due, '2026-03-30');
          // The hidden overdue obligation is still named.
          if (lapse) assert.deepEqual(c.alsoOverdue?.map((a) => a.obligation), ['understallning']);
        });
      }
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
});
