/**
 * A casework item whose clock cannot be computed (its dates do not make a deadline) used to vanish
 * from the weekly review: logged, then skipped, so the chef saw fewer late items, not a problem.
 * It must show as a row saying the deadline cannot be judged and why, in Swedish a chef can act on,
 * naming nothing of the item beyond its reference, and be counted.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CardRenderer } from '../../src/cards/render';
import { reviewCard } from '../../src/cards/review-cards';
import { visibleText } from '../../src/cards/plain-text';
import { DATE_FIELDS, type CaseworkItem } from '../../src/casework/rules';
import { createLogger, type Logger } from '../../src/log/logger';
import { Directory } from '../../src/org/directory';
import { loadOrganisationFile } from '../../src/org/load';
import { WorkingCalendar } from '../../src/review/calendar';
import { ReviewService, sortReviewItems, type ReviewItem } from '../../src/review/service';
import { unjudgeableReason } from '../../src/review/unjudgeable';
import type { CaseworkRecord } from '../../src/store/casework';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';

const ORG = loadOrganisationFile(path.join(__dirname, '..', '..', 'env', 'organisation.demo.yaml'));
const NOW = new Date('2026-11-25T10:00:00.000Z');
const HANDLAGGARE = 'ny.kollega@exempelby.example';

describe('weekly review: a casework item whose deadline cannot be judged', () => {
  const item = (over: Partial<CaseworkItem>): CaseworkItem => ({ caseReference: 'BoU 2026/9', type: 'forhandsbedomning', unitId: 'bou-mottagning', status: 'oppen', ...over });

  // [what, the item, what the reason must say]
  const table: [string, CaseworkItem, RegExp][] = [
    ['no start date', item({}), /^Exporten saknar orosanmälan_mottagen, som fristen räknas från\. Fyll i det i verksamhetssystemet/],
    ['either of two start dates missing', item({ type: 'overvagande-sol' }), /^Exporten saknar senaste_övervägande eller placering_start, som fristen räknas från/],
    ['a date that is not in the calendar', item({ orosanmalanMottagen: '2026-02-30' }), /^Datumet i orosanmälan_mottagen är inte ett giltigt datum, så fristen kan inte räknas ut\. Rätta det i verksamhetssystemet/],
    ['two dates written wrong', item({ type: 'barnavardsutredning', utredningInledd: '2026-13-01', forlangningBeslutad: '1/3 2026' }), /^Datumen i utredning_inledd och förlängning_beslutad är inte giltiga datum/],
    ['every date written wrong: three named, the rest counted', item({ ...Object.fromEntries(DATE_FIELDS.map((f) => [f, 'x'])) }), /^Datumen i orosanmälan_mottagen, utredning_inledd, förlängning_beslutad och \d+ till är inte giltiga datum/],
    ['a type the rules do not know', item({ type: 'okand-typ' as CaseworkItem['type'], orosanmalanMottagen: '2026-11-01' }), /^Ärendetypen i exporten finns inte bland de tidsfrister appen räknar/],
    ['dates that are there and valid, yet no rule gives a deadline', item({ orosanmalanMottagen: '2026-11-01' }), /^Tidsfristen kunde inte räknas ut ur datumen i exporten.*kontakta systemförvaltaren/],
  ];
  for (const [what, it_, want] of table) {
    it(`says why, and what to do: ${what}`, () => {
      const reason = unjudgeableReason(it_);
      assert.match(reason, want);
      // Nothing of the item beyond its reference (not even that): no dates, no type code, no handläggare.
      for (const v of [it_.caseReference, it_.orosanmalanMottagen, it_.utredningInledd, it_.forlangningBeslutad, 'okand-typ', HANDLAGGARE]) {
        if (v) assert.ok(!reason.includes(v), `${reason} names ${v}`);
      }
    });
  }

  it('sorts right after the overdue items: it may be overdue, and someone must look', () => {
    const row = (reference: string, urgency: ReviewItem['urgency'], due?: string): ReviewItem => ({ kind: 'casework', reference, what: 'x', urgency, ...(due ? { due, daysLeft: 0 } : {}) });
    const sorted = sortReviewItems([row('i-tid', 'i-tid', '2026-12-01'), row('kan-inte', 'kan-inte-bedomas'), row('narmar', 'narmar-sig', '2026-11-26'), row('sen', 'forsenad', '2026-11-01')]);
    assert.deepEqual(sorted.map((i) => i.reference), ['sen', 'kan-inte', 'narmar', 'i-tid']);
  });

  describe('on the review (real SQLite)', () => {
    let dir: string;
    let store: SqliteStore;
    let service: ReviewService;
    const warnings: unknown[] = [];
    const at = new Date('2026-11-20T02:00:00.000Z');
    const record = (caseReference: string, over: Partial<CaseworkRecord>): CaseworkRecord => ({
      source: 'procapita', caseReference, type: 'forhandsbedomning', unitId: 'bou-mottagning', handlaggare: HANDLAGGARE, status: 'oppen', dates: {}, ...over,
    });

    before(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'lexsarah-review-unjudgeable-'));
      store = SqliteStore.open({ filename: path.join(dir, 'db.sqlite') });
      await store.migrate();
      await store.organisation.sync(ORG, new Date('2026-11-01T00:00:00Z'));
      // Written past the import's checks (an older version's rows, a rule change since): the store takes what it is given.
      await store.casework.importItems('procapita', [
        record('BoU 2026/1', { dates: { orosanmalanMottagen: '2026-11-20' }, dueOn: '2026-12-04' }), // fine: due in 9 days
        record('BoU 2026/2', {}), // no start date
        record('BoU 2026/3', { dates: { orosanmalanMottagen: '2026-02-30' } }), // not a date
        record('BoU 2026/4', { type: 'okand-typ' }), // a type the rules do not know
      ], { closeMissing: false, at, actor: 'test' });
      const logger: Logger = Object.assign(createLogger('silent'), { warn: (o: unknown) => void warnings.push(o) });
      const directory = new Directory(ORG);
      service = new ReviewService({ store, directory: () => directory, logger, timeZone: 'Europe/Stockholm', now: () => NOW, warnDays: 7, calendar: new WorkingCalendar() });
    });
    after(async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('lists every such item as "kan inte bedömas" with its reason, instead of leaving it out', async () => {
      const items = (await service.items('bou-mottagning')).filter((i) => i.kind === 'casework');
      assert.deepEqual(items.map((i) => [i.reference, i.urgency]), [
        ['BoU 2026/2', 'kan-inte-bedomas'],
        ['BoU 2026/3', 'kan-inte-bedomas'],
        ['BoU 2026/4', 'kan-inte-bedomas'],
        ['BoU 2026/1', 'i-tid'],
      ]);
      const [missing, invalid, unknown] = items;
      assert.equal(missing!.what, 'Förhandsbedömning efter orosanmälan: tidsfristen kan inte bedömas');
      assert.match(missing!.warning!, /^Exporten saknar orosanmälan_mottagen/);
      assert.match(invalid!.warning!, /^Datumet i orosanmälan_mottagen är inte ett giltigt datum/);
      assert.equal(unknown!.what, 'Okänd ärendetyp: tidsfristen kan inte bedömas');
      assert.match(unknown!.warning!, /^Ärendetypen i exporten finns inte/);
      assert.ok(items.filter((i) => i.urgency === 'kan-inte-bedomas').every((i) => i.due === undefined && i.daysLeft === undefined), 'no deadline is made up');
      assert.deepEqual(missing!.responsible, { role: 'handlaggare', kind: 'unlisted', email: HANDLAGGARE }, 'who answers for it is still shown');
      // Logged for the operator, by id: never silently.
      assert.equal(warnings.filter((w) => (w as { event?: string }).event === 'casework-clock-failed').length >= 3, true);
    });

    it('counts them, and the card shows the row and the reason, with nothing of the item but its reference', async () => {
      const view = await service.view(new Directory(ORG).unit('bou-mottagning')!, '2026-W48');
      assert.equal(view.counts['kan-inte-bedomas'], 3);
      assert.equal(view.total, view.items.length);
      const text = JSON.stringify(reviewCard(new CardRenderer(), view));
      const lines: string[] = [];
      JSON.parse(text, (k, v: unknown) => (k === 'text' && typeof v === 'string' && lines.push(visibleText(v)), v));
      const shown = lines.join('\n');
      assert.match(shown, /3 kan inte bedömas/);
      assert.match(shown, /KAN INTE BEDÖMAS/);
      assert.match(shown, /\*\*BoU 2026\/3\*\* · Förhandsbedömning efter orosanmälan: tidsfristen kan inte bedömas/);
      assert.match(shown, /tidsfristen kan inte räknas ut/);
      assert.ok(!text.includes('2026-02-30') && !text.includes('okand-typ'), 'no item values beyond the reference');
    });
  });
});
