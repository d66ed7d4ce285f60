/**
 * The weekly review card lists an unassessed report with its running assessment clock (local
 * policy, working days from receipt) instead of "ingen tidsfrist löper": overdue first, in red.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CardRenderer } from '../../src/cards/render';
import { reviewCard } from '../../src/cards/review-cards';
import { createLogger } from '../../src/log/logger';
import { Directory } from '../../src/org/directory';
import { loadOrganisationFile } from '../../src/org/load';
import { WorkingCalendar } from '../../src/review/calendar';
import { ReviewService } from '../../src/review/service';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';

const ORG = loadOrganisationFile(path.join(__dirname, '..', '..', 'env', 'organisation.demo.yaml'));
const MEGAN = { entraId: '00000000-0000-0000-0000-0000000000021', name: 'Megan Bowen' };
/** Wednesday 25 Nov 2026, 11:00 in Stockholm. */
const NOW = new Date('2026-11-25T10:00:00.000Z');

describe('weekly review: the assessment clock of unassessed reports', () => {
  let dir: string;
  let store: SqliteStore;
  let service: ReviewService;

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'lexsarah-review-clock-'));
    store = SqliteStore.open({ filename: path.join(dir, 'db.sqlite') });
    await store.migrate();
    await store.organisation.sync(ORG, new Date('2026-11-01T00:00:00Z'));
    let seq = 0;
    const report = async (createdAt: string, urgent: boolean) =>
      store.reports.create(
        {
          formId: `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`, year: 2026, unitId: 'bou-mottagning', committeeId: 'socialnamnden',
          reporterEntraId: MEGAN.entraId, reporterName: MEGAN.name, occurredAt: new Date(createdAt), occurredTimeKnown: false, noticedAt: new Date(createdAt), noticedTimeKnown: false,
          location: 'x', category: 'insatser', whatHappened: 'x', consequences: 'x', immediateActions: '', informed: 'ja',
          risks: { hurt: 'nej', ongoing: 'nej', vulnerable: urgent ? 'ja' : 'nej', crime: 'nej', before: 'nej' }, urgent, createdAt: new Date(createdAt),
        },
        { actorEntraId: MEGAN.entraId, action: 'report.create', entityType: 'report' },
      );
    await report('2026-11-24T09:00:00.000Z', false); // LS-2026-0001: Tuesday → due Friday 27 Nov: in time
    await report('2026-11-20T09:00:00.000Z', true); // LS-2026-0002: Friday, BRÅDSKANDE → due Monday 23 Nov: overdue
    await report('2026-11-24T09:00:00.000Z', true); // LS-2026-0003: Tuesday, BRÅDSKANDE → due today
    const directory = new Directory(ORG);
    service = new ReviewService({ store, directory: () => directory, logger: createLogger('silent'), timeZone: 'Europe/Stockholm', now: () => NOW, warnDays: 7, calendar: new WorkingCalendar() });
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('every unassessed report has a deadline; the overdue BRÅDSKANDE one comes first', async () => {
    const items = await service.items('bou-mottagning');
    assert.deepEqual(
      items.map((i) => [i.reference, i.urgency, i.due, i.daysLeft]),
      [
        ['LS-2026-0002', 'forsenad', '2026-11-23', -2],
        ['LS-2026-0003', 'narmar-sig', '2026-11-25', 0],
        ['LS-2026-0001', 'i-tid', '2026-11-27', 2],
      ],
    );
    assert.match(items[0]!.what, /bedömning \(brådskande\) enligt lokal rutin/);
  });

  it('the card shows it red, with Swedish counts ("1 försenad", "2 dagar sedan")', async () => {
    const card = JSON.stringify(reviewCard(new CardRenderer(), await service.view(new Directory(ORG).unit('bou-mottagning')!, '2026-W48')));
    assert.ok(!card.includes('ingen tidsfrist löper'), 'no "no deadline" for an unassessed report');
    assert.match(card, /"text":"FÖRSENAD","weight":"Bolder","color":"Attention"/);
    assert.match(card, /senast 23 nov\. 2026 \(2 dagar sedan\)/);
    assert.match(card, /"text":"försenad"/);
  });
});
