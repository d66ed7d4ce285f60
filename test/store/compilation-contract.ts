/**
 * The sammanställning's stored figures (src/store/compilation.ts), the same in every adapter:
 * test/store/sqlite.test.ts always, test/store/mssql.test.ts with a connection string.
 */
import assert from 'node:assert/strict';
import type { ReportStateCode } from '../../src/store/report-records';
import type { Store } from '../../src/store/store';
import { newReport, sampleOrg } from './contract';

const BY = { entraId: 'aaaaaaaa-0000-0000-0000-000000000001', name: 'Anna Chef' };
const at = (iso: string) => new Date(iso);

export function runCompilationContract(name: string, open: () => Promise<Store>): void {
  describe(`store contract (sammanställning): ${name}`, function () {
    let store: Store;
    beforeEach(async () => {
      store = await open();
      await store.migrate();
      await store.organisation.sync(sampleOrg(), at('2026-01-01T00:00:00.000Z'));
    });
    afterEach(async () => store.close());

    const file = async (createdAt: string, over: Parameters<typeof newReport>[0] = {}) =>
      (await store.reports.create(newReport({ createdAt: at(createdAt), ...over }), { actorEntraId: BY.entraId, action: 'report.create', entityType: 'report' })).report;
    const guard = (r: { id: number; reference: string }, from: ReportStateCode, to: ReportStateCode, when: string) => ({ reportId: r.id, reference: r.reference, from, to, actor: BY, at: at(when) });
    const decide = (r: { id: number; reference: string }, from: ReportStateCode, when: string, decided: string, recommended: string, requiresAnmalan: boolean) =>
      store.cases.recordDecision(guard(r, from, 'bedomd', when), { answersJson: '{}', recommendedOutcome: recommended, recommendationJson: '{}', decidedOutcome: decided, requiresAnmalan, ...(decided !== recommended ? { motivation: 'Motiverat.' } : {}) });

    it('counts the period\'s rapporter, their decisions in force, anmälningar, times, åtgärder, reviews and casework', async () => {
      const q = { committeeId: 'sn', unitIds: ['bou', 'vuxen'], from: at('2026-01-01T00:00:00.000Z'), to: at('2026-07-01T00:00:00.000Z'), today: '2026-06-15', fromWeek: '2026-W01', toWeek: '2026-W26' };
      // Outside the period or the units: never counted.
      await file('2025-12-31T23:59:59.999Z');
      await file('2026-03-01T09:00:00.000Z', { unitId: 'eken', committeeId: 'von' });
      await file('2026-07-01T00:00:00.000Z');

      const a = await file('2026-02-02T08:00:00.000Z', { category: 'fysiska', urgent: true });
      // Assessed after 26.5 hours as serious, re-assessed later (the first decision times it).
      assert.ok(await decide(a, 'rapporterad', '2026-02-03T10:30:00.000Z', 'allvarligt', 'allvarligt', true));
      assert.ok(await decide(a, 'bedomd', '2026-02-05T10:00:00.000Z', 'allvarligt', 'allvarligt', true));
      assert.ok(await store.cases.recordFiling(guard(a, 'bedomd', 'anmald', '2026-02-10T09:00:00.000Z'), { filedOn: '2026-02-10', ivoDiarienummer: 'IVO 1', investigationAttached: false }));
      assert.ok(await store.cases.markInvestigationSent(guard(a, 'anmald', 'anmald', '2026-03-01T09:00:00.000Z'), '2026-03-12'));

      const b = await file('2026-03-02T08:00:00.000Z', { category: 'fysiska', unitId: 'vuxen', urgent: false });
      // Recommended serious, decided not: a departure.
      assert.ok(await decide(b, 'rapporterad', '2026-03-02T09:59:00.000Z', 'ej-allvarligt', 'allvarligt', false));

      const c = await file('2026-04-01T08:00:00.000Z', { category: 'bemotande', urgent: false });
      assert.ok(await decide(c, 'rapporterad', '2026-04-01T12:00:00.000Z', 'allvarligt', 'allvarligt', true));
      assert.ok(await store.cases.recordFiling(guard(c, 'bedomd', 'anmald', '2026-04-03T09:00:00.000Z'), { filedOn: '2026-04-03', ivoDiarienummer: 'IVO 2', investigationAttached: true }));

      await file('2026-05-01T08:00:00.000Z', { category: 'bemotande', urgent: true }); // not assessed yet

      // Serious, taken back, serious again: the anmälan answers the last run (as its clock counts).
      const d = await file('2026-05-02T08:00:00.000Z', { category: 'annat', unitId: 'vuxen', urgent: false });
      assert.ok(await decide(d, 'rapporterad', '2026-05-02T09:00:00.000Z', 'allvarligt', 'allvarligt', true));
      assert.ok(await decide(d, 'bedomd', '2026-05-03T09:00:00.000Z', 'ej-allvarligt', 'allvarligt', false));
      assert.ok(await decide(d, 'bedomd', '2026-05-20T09:00:00.000Z', 'allvarligt', 'allvarligt', true));
      assert.ok(await store.cases.recordFiling(guard(d, 'bedomd', 'anmald', '2026-05-22T09:00:00.000Z'), { filedOn: '2026-05-22', ivoDiarienummer: 'IVO 3', investigationAttached: true }));

      // Filed under this nämnd for a unit that belongs to another today: counted where it was filed.
      await file('2026-05-05T08:00:00.000Z', { unitId: 'eken', committeeId: 'sn', category: 'annat', urgent: false });

      await store.cases.addAction(a.id, a.reference, { text: 'Ny rutin', owner: BY, dueOn: '2026-06-01', createdAt: at('2026-02-06T09:00:00.000Z') }, BY);
      await store.cases.addAction(c.id, c.reference, { text: 'Utbildning', owner: BY, dueOn: '2026-06-30', createdAt: at('2026-04-02T09:00:00.000Z') }, BY);
      const followUp = await store.cases.addAction(c.id, c.reference, { text: 'Uppföljning', owner: BY, dueOn: '2026-06-30', createdAt: at('2026-04-02T09:00:00.000Z') }, BY);
      assert.equal(await store.cases.markActionDone(c.id, c.reference, followUp, BY, at('2026-05-10T09:00:00.000Z')), 'done');

      for (const w of ['2026-W02', '2026-W03', '2026-W27']) await store.cases.recordReview({ unitId: 'bou', weekKey: w, doneBy: BY, doneAt: at('2026-01-20T09:00:00.000Z') });
      await store.cases.recordReview({ unitId: 'eken', weekKey: '2026-W05', doneBy: BY, doneAt: at('2026-02-01T09:00:00.000Z') });

      const r = await store.compilation.compile(q);
      assert.deepEqual(r.reports, [
        { unitId: 'bou', category: 'bemotande', count: 2, urgent: 1 },
        { unitId: 'bou', category: 'fysiska', count: 1, urgent: 1 },
        { unitId: 'eken', category: 'annat', count: 1, urgent: 0 },
        { unitId: 'vuxen', category: 'annat', count: 1, urgent: 0 },
        { unitId: 'vuxen', category: 'fysiska', count: 1, urgent: 0 },
      ]);
      assert.deepEqual(r.decisions, [
        { decidedOutcome: 'allvarligt', recommendedOutcome: 'allvarligt', requiresAnmalan: true, count: 3 },
        { decidedOutcome: 'ej-allvarligt', recommendedOutcome: 'allvarligt', requiresAnmalan: false, count: 1 },
      ]);
      assert.deepEqual(r.filings, [{ unitId: 'bou', count: 2 }, { unitId: 'vuxen', count: 1 }]);
      assert.deepEqual(r.toDecisionHours, [{ value: 1, count: 2 }, { value: 4, count: 1 }, { value: 26, count: 1 }]);
      assert.deepEqual(r.anmalanRuns, [
        { filedOn: '2026-02-10', runStart: at('2026-02-03T10:30:00.000Z') },
        { filedOn: '2026-04-03', runStart: at('2026-04-01T12:00:00.000Z') },
        { filedOn: '2026-05-22', runStart: at('2026-05-20T09:00:00.000Z') },
      ]);
      assert.deepEqual(r.toInvestigationDays, [{ value: 0, count: 2 }, { value: 30, count: 1 }]);
      assert.deepEqual(r.reviews, [{ unitId: 'bou', weekKey: '2026-W02' }, { unitId: 'bou', weekKey: '2026-W03' }]);
      assert.deepEqual(r.casework, []);
      // One marked genomförd; of the two open, the one due 1 June is past on 15 June.
      assert.deepEqual(r.actions, { done: 1, open: 2, openOverdue: 1 });
    });

    it('an empty period gives zeros and empty lists, not an error', async () => {
      const r = await store.compilation.compile({ committeeId: 'sn', unitIds: ['bou'], from: at('2030-01-01T00:00:00.000Z'), to: at('2030-02-01T00:00:00.000Z'), today: '2030-01-15', fromWeek: '2030-W01', toWeek: '2030-W05' });
      assert.deepEqual(r, { reports: [], decisions: [], filings: [], toDecisionHours: [], anmalanRuns: [], toInvestigationDays: [], actions: { done: 0, open: 0, openOverdue: 0 }, reviews: [], casework: [] });
    });
  });
}
