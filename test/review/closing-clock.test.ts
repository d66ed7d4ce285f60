/**
 * The Båstad pattern on the weekly review: a case judged "ej allvarligt", or whose investigation is
 * at IVO, used to show "ingen tidsfrist löper" for as long as it sat open. It runs the closing
 * clock (local policy, 30 days by default) and turns red when that has passed.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { visibleText } from '../../src/cards/plain-text';
import { CardRenderer } from '../../src/cards/render';
import { reviewCard } from '../../src/cards/review-cards';
import { DEFAULT_CLOCK_RULES } from '../../src/cases/clocks';
import { createLogger } from '../../src/log/logger';
import { Directory } from '../../src/org/directory';
import { loadOrganisationFile } from '../../src/org/load';
import { WorkingCalendar } from '../../src/review/calendar';
import { ReviewService } from '../../src/review/service';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';

const ORG = loadOrganisationFile(path.join(__dirname, '..', '..', 'env', 'organisation.demo.yaml'));
const MEGAN = { entraId: '00000000-0000-0000-0000-0000000000021', name: 'Megan Bowen' };
const LEE = { entraId: '00000000-0000-0000-0000-0000000000023', name: 'Lee Gu' };
/** Wednesday 25 Nov 2026, 11:00 in Stockholm. */
const NOW = new Date('2026-11-25T10:00:00.000Z');

describe('weekly review: the closing clock of decided and filed cases', () => {
  let dir: string;
  let store: SqliteStore;
  let service: ReviewService;
  const AFTER_DECISION = 'Lex Sarah: Ärendet ska avslutas (lokal rutin: inom 30 dagar efter beslutet att ingen anmälan behövs)';
  const AFTER_IVO = 'Lex Sarah: Ärendet ska avslutas (lokal rutin: inom 30 dagar efter att utredningen kom till IVO)';

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'lexsarah-review-closing-'));
    store = SqliteStore.open({ filename: path.join(dir, 'db.sqlite') });
    await store.migrate();
    await store.organisation.sync(ORG, new Date('2026-09-01T00:00:00Z'));
    let seq = 0;
    const report = async (createdAt: string) =>
      (
        await store.reports.create(
          {
            formId: `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`, year: 2026, unitId: 'bou-mottagning', committeeId: 'socialnamnden',
            reporterEntraId: MEGAN.entraId, reporterName: MEGAN.name, occurredAt: new Date(createdAt), occurredTimeKnown: false, noticedAt: new Date(createdAt), noticedTimeKnown: false,
            location: 'x', category: 'insatser', whatHappened: 'x', consequences: 'x', immediateActions: '', informed: 'ja',
            risks: { hurt: 'nej', ongoing: 'nej', vulnerable: 'nej', crime: 'nej', before: 'nej' }, urgent: false, createdAt: new Date(createdAt),
          },
          { actorEntraId: MEGAN.entraId, action: 'report.create', entityType: 'report' },
        )
      ).report;
    const g = (r: { id: number; reference: string }, from: 'rapporterad' | 'bedomd' | 'anmald', to: 'bedomd' | 'anmald' | 'avslutad', at: string) => ({ reportId: r.id, reference: r.reference, from, to, actor: LEE, at: new Date(at) });
    const decision = (requiresAnmalan: boolean) => {
      const outcome = requiresAnmalan ? 'allvarligt-missforhallande' : 'missforhallande-ej-allvarligt';
      return { answersJson: '{}', recommendedOutcome: outcome, recommendationJson: '{}', decidedOutcome: outcome, requiresAnmalan };
    };
    // LS-2026-0001: "ej allvarligt" on 2 Oct, still open: closing due 1 Nov, overdue.
    const a = await report('2026-10-01T08:00:00.000Z');
    await store.cases.recordDecision(g(a, 'rapporterad', 'bedomd', '2026-10-02T09:00:00.000Z'), decision(false));
    // LS-2026-0002: "ej allvarligt" on 26 Oct: due today.
    const b = await report('2026-10-25T08:00:00.000Z');
    await store.cases.recordDecision(g(b, 'rapporterad', 'bedomd', '2026-10-26T09:00:00.000Z'), decision(false));
    // LS-2026-0003: serious, filed with the investigation attached on 10 Nov: due 10 Dec.
    const c = await report('2026-11-01T08:00:00.000Z');
    await store.cases.recordDecision(g(c, 'rapporterad', 'bedomd', '2026-11-02T09:00:00.000Z'), decision(true));
    await store.cases.recordFiling(g(c, 'bedomd', 'anmald', '2026-11-10T09:00:00.000Z'), { filedOn: '2026-11-10', ivoDiarienummer: 'd', investigationAttached: true });
    // LS-2026-0004: "ej allvarligt", closed: not on the review.
    const d = await report('2026-10-01T09:00:00.000Z');
    await store.cases.recordDecision(g(d, 'rapporterad', 'bedomd', '2026-10-02T10:00:00.000Z'), decision(false));
    await store.cases.close(g(d, 'bedomd', 'avslutad', '2026-10-20T10:00:00.000Z'), { decisionText: 'x', motivation: 'y' });
    const directory = new Directory(ORG);
    // These cases are of autumn 2026: the closing clock is taken to be in force then (by default it counts from 2 Dec 2026 at the earliest).
    const clockRules = { ...DEFAULT_CLOCK_RULES, closingClockFrom: '2026-01-01' };
    service = new ReviewService({ store, directory: () => directory, logger: createLogger('silent'), timeZone: 'Europe/Stockholm', now: () => NOW, warnDays: 7, calendar: new WorkingCalendar(), clockRules });
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('every decided or filed case has a deadline to close by; the overdue one comes first', async () => {
    const items = await service.items('bou-mottagning');
    assert.deepEqual(
      items.map((i) => [i.reference, i.urgency, i.due, i.daysLeft, i.what]),
      [
        ['LS-2026-0001', 'forsenad', '2026-11-01', -24, AFTER_DECISION],
        ['LS-2026-0002', 'narmar-sig', '2026-11-25', 0, AFTER_DECISION],
        ['LS-2026-0003', 'i-tid', '2026-12-10', 15, AFTER_IVO],
      ],
    );
  });

  it('the card shows it red, never "ingen tidsfrist löper"', async () => {
    const card = reviewCard(new CardRenderer(), await service.view(new Directory(ORG).unit('bou-mottagning')!, '2026-W48'));
    const text = visibleText(JSON.stringify(card));
    assert.ok(!text.includes('ingen tidsfrist löper'), text);
    assert.match(JSON.stringify(card), /"text":"FÖRSENAD","weight":"Bolder","color":"Attention"/);
    assert.match(text, /senast 1 nov\. 2026 \(24 dagar sedan\)/);
  });
});
