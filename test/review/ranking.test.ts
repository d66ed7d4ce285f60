/**
 * Re-review #13: where old local-policy closings land among statutory deadlines. By due day alone,
 * twelve closings months late filled the weekly review's first page and pushed an LVU 6 §
 * underställning due yesterday (the omhändertagande lapses) to page 2, and an anmälan two days
 * late behind "… och N till" on the status card. Ranked by consequence (src/cases/deadline-rank.ts).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import { CardRenderer } from '../../src/cards/render';
import { reviewCard } from '../../src/cards/review-cards';
import { LATE_CASES_SHOWN, statusCardData } from '../../src/cards/status-cards';
import { createLogger } from '../../src/log/logger';
import { Directory } from '../../src/org/directory';
import { loadOrganisationFile } from '../../src/org/load';
import type { UnitInfo } from '../../src/org/directory';
import { WorkingCalendar } from '../../src/review/calendar';
import { REVIEW_PAGE_SIZE, ReviewService, sortReviewItems, type ReviewItem } from '../../src/review/service';
import { summarise } from '../../src/status/summary';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';

const TZ = 'Europe/Stockholm';
const at = (local: string) => DateTime.fromISO(local, { zone: TZ }).toJSDate();

describe('ranking late deadlines by consequence: the weekly review and the status card', () => {
  it('sortReviewItems: an LVU lapse due yesterday is on page 1 however many old closings are late', () => {
    const old: ReviewItem[] = Array.from({ length: REVIEW_PAGE_SIZE }, (_, i) => ({
      kind: 'lex-sarah', reference: `LS-2027-00${10 + i}`, what: 'Lex Sarah: Ärendet ska avslutas (lokal rutin: inom 30 dagar efter beslutet att ingen anmälan behövs)',
      urgency: 'forsenad', due: `2027-0${1 + (i % 9)}-10`, daysLeft: -200 + i, daysOpen: 230, weight: 'local-policy',
    }));
    const lvu: ReviewItem = { kind: 'casework', reference: 'BoU 2027/9', what: 'Omedelbart omhändertagande (LVU 6 §): underställning', urgency: 'forsenad', due: '2027-12-02', daysLeft: -1, basis: 'LVU 7 §', warning: 'Omhändertagandet upphör', weight: 'consequence' };
    const unjudgeable: ReviewItem = { kind: 'casework', reference: 'BoU 2027/8', what: 'x: tidsfristen kan inte bedömas', urgency: 'kan-inte-bedomas' };
    const page1 = sortReviewItems([...old, unjudgeable, lvu]).slice(0, REVIEW_PAGE_SIZE);
    assert.equal(page1[0], lvu);
    assert.equal(page1[1], unjudgeable, 'a deadline nobody can compute may be a lapse: before the closings');
  });

  describe('through the review service (real SQLite)', () => {
    const ORG = loadOrganisationFile(path.join(__dirname, '..', '..', 'env', 'organisation.demo.yaml'));
    const MEGAN = { entraId: '00000000-0000-0000-0000-0000000000021', name: 'Megan Bowen' };
    const NOW = at('2027-12-03T10:00');
    let dir: string;
    let store: SqliteStore;
    let service: ReviewService;
    const directory = new Directory(ORG);
    let anmalan = '';

    before(async () => {
      dir = mkdtempSync(path.join(tmpdir(), 'lexsarah-review-ranking-'));
      store = SqliteStore.open({ filename: path.join(dir, 'db.sqlite') });
      await store.migrate();
      await store.organisation.sync(ORG, new Date('2027-01-01T00:00:00Z'));
      let seq = 0;
      const report = async (createdAt: Date) =>
        (
          await store.reports.create(
            {
              formId: `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`, year: 2027, unitId: 'bou-mottagning', committeeId: 'socialnamnden',
              reporterEntraId: MEGAN.entraId, reporterName: MEGAN.name, occurredAt: createdAt, occurredTimeKnown: false, noticedAt: createdAt, noticedTimeKnown: false,
              location: 'x', category: 'insatser', whatHappened: 'x', consequences: 'x', immediateActions: '', informed: 'ja',
              risks: { hurt: 'nej', ongoing: 'nej', vulnerable: 'nej', crime: 'nej', before: 'nej' }, urgent: false, createdAt,
            },
            { actorEntraId: MEGAN.entraId, action: 'report.create', entityType: 'report' },
          )
        ).report;
      const decide = (r: { id: number; reference: string }, when: Date, requiresAnmalan: boolean) =>
        store.cases.recordDecision(
          { reportId: r.id, reference: r.reference, from: 'rapporterad', to: 'bedomd', actor: MEGAN, at: when },
          { answersJson: '{}', recommendedOutcome: 'x', recommendationJson: '{}', decidedOutcome: 'x', requiresAnmalan },
        );
      // Twelve "ej allvarligt" cases left open since the spring: their closings are months late.
      for (let i = 0; i < REVIEW_PAGE_SIZE; i++) {
        const r = await report(at(`2027-0${1 + (i % 9)}-04T09:00`));
        await decide(r, at(`2027-0${1 + (i % 9)}-05T10:00`), false);
      }
      // An anmälan decided 17 Nov: due 1 Dec, two days late.
      const serious = await report(at('2027-11-16T09:00'));
      await decide(serious, at('2027-11-17T10:00'), true);
      anmalan = serious.reference;
      // An LVU 6 § omhändertagande decided 25 Nov, not underställt: due 2 Dec, the omhändertagande has lapsed.
      await store.casework.importItems(
        'procapita',
        [
          { source: 'procapita', caseReference: 'BoU 2027/9', type: 'omedelbart-omhandertagande', unitId: 'bou-mottagning', status: 'oppen', dates: { lvuBeslut: '2027-11-25' } },
          // No start day in the export: the deadline cannot be computed.
          { source: 'procapita', caseReference: 'BoU 2027/1', type: 'forhandsbedomning', unitId: 'bou-mottagning', status: 'oppen', dates: {} },
        ],
        { closeMissing: false, at: NOW, actor: 'test' },
      );
      service = new ReviewService({ store, directory: () => directory, logger: createLogger('silent'), timeZone: TZ, now: () => NOW, warnDays: 7, calendar: new WorkingCalendar() });
    });
    after(async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('page 1 starts with the LVU lapse, then the overdue anmälan, the row that cannot be judged, then the closings', async () => {
      const view = await service.view(directory.unit('bou-mottagning')!, '2027-W48');
      assert.deepEqual(view.items.slice(0, 3).map((i) => [i.reference, i.urgency, i.weight]), [['BoU 2027/9', 'forsenad', 'consequence'], [anmalan, 'forsenad', 'statutory'], ['BoU 2027/1', 'kan-inte-bedomas', undefined]]);
      assert.equal(view.unjudgeablePage, 0);
      assert.ok(view.items.slice(3).every((i) => i.weight === 'local-policy' && /Ärendet ska avslutas/.test(i.what)));
      assert.equal(view.counts.forsenad, REVIEW_PAGE_SIZE + 2);
      const card = JSON.stringify(reviewCard(new CardRenderer(), view));
      assert.ok(card.indexOf('BoU 2027/9') < card.indexOf(anmalan) && card.indexOf(anmalan) < card.indexOf('LS-2027-0001'));
    });
  });

  it('the status card: an overdue anmälan and an overdue BRÅDSKANDE assessment are listed whatever number of old closings are late; the closings are counted', () => {
    const unit: UnitInfo = { id: 'bou', name: 'Barn och unga', area: 'barn-och-unga', committeeId: 'sn', committeeName: 'Socialnämnden' };
    const old = Array.from({ length: 10 }, (_, i) => ({ reference: `LS-2027-00${10 + i}`, unitId: 'bou', state: 'bedomd', noAnmalanDecidedAt: at(`2027-0${1 + (i % 9)}-10T10:00`) }));
    // Also near deadlines: a closing and an anmälan due within the week.
    const near = [
      { reference: 'LS-2027-0003', unitId: 'bou', state: 'bedomd', anmalanDecidedAt: at('2027-11-25T10:00') }, // anmälan due 9 Dec
      { reference: 'LS-2027-0004', unitId: 'bou', state: 'bedomd', noAnmalanDecidedAt: at('2027-11-05T10:00') }, // closing due 5 Dec
    ];
    const s = summarise({
      units: [unit],
      counts: { newReports: [], openByState: [], filings: [], casework: [], caseworkUnjudgeable: [] },
      clockCases: [
        ...old,
        { reference: 'LS-2027-0001', unitId: 'bou', state: 'bedomd', anmalanDecidedAt: at('2027-11-17T10:00') }, // due 1 Dec, 2 days late
        { reference: 'LS-2027-0002', unitId: 'bou', state: 'rapporterad', createdAt: at('2027-12-01T09:00'), urgent: true }, // due 2 Dec
        ...near,
      ],
      calendar: new WorkingCalendar({ timeZone: TZ }),
      reviews: [], reviewWeeks: { current: '2027-W48', before: [] }, reviewDueAt: () => at('2030-01-01T00:00'),
      remindersStartedAt: undefined, unreachable: { people: [], total: 0 }, now: at('2027-12-03T10:00'), timeZone: TZ,
    });
    assert.deepEqual(s.lateCases.slice(0, 2).map((c) => `${c.reference} ${c.clock} ${c.weight}`), ['LS-2027-0001 anmalan statutory', 'LS-2027-0002 bedomning statutory']);
    const card = statusCardData({ scope: { kind: 'committee', id: 'sn', title: 'Socialnämnden', units: [unit] }, period: { from: at('2027-11-29T00:00'), to: at('2027-12-03T10:00'), label: 'denna vecka' }, live: true, summary: s, now: at('2027-12-03T10:00'), timeZone: TZ });
    const listed = card.lateCases.map((c) => c.text);
    assert.equal(listed.length, LATE_CASES_SHOWN);
    assert.deepEqual(listed.slice(0, 3), ['LS-2027-0001 – anmälan till IVO, 2 dagar sedan', 'LS-2027-0002 – bedömningen (lokal rutin), 1 dag sedan', 'LS-2027-0003 – anmälan till IVO, om 6 dagar'], 'every other clock before the closings, the near anmälan too');
    assert.ok(listed.slice(3).every((t) => /avslutet \(lokal rutin\)/.test(t)), JSON.stringify(listed));
    assert.equal(card.lateMore, '… och 6 till att avsluta.');
    assert.ok(card.lexSarah.some((l) => l.title === 'Att avsluta' && l.value === '11, varav 10 efter den lokala fristen (lokal rutin, ej lag)'), JSON.stringify(card.lexSarah));
  });
});
