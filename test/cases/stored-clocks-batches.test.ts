import assert from 'node:assert/strict';
import path from 'node:path';
import { refreshStoredClocks } from '../../src/cases/stored-clocks';
import { loadOrganisationFile } from '../../src/org/load';
import { WorkingCalendar } from '../../src/review/calendar';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import { turnsDuring } from '../support/event-loop';

const ORG = loadOrganisationFile(path.join(__dirname, '..', '..', 'env', 'organisation.demo.yaml'));

describe('stored lex Sarah clocks: a large refresh', () => {
  let store: SqliteStore;
  beforeEach(async () => {
    store = SqliteStore.open({ filename: ':memory:' });
    await store.migrate();
    await store.organisation.sync(ORG, new Date('2026-01-01T00:00:00Z'));
  });
  afterEach(() => store.close());

  it('lets waiting turns run between its batches, and still computes every clock', async () => {
    const at = new Date('2026-11-23T09:00:00Z');
    for (let i = 0; i < 1200; i++) {
      await store.reports.create(
        {
          formId: `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`, year: 2026, unitId: 'bou-mottagning', committeeId: 'socialnamnden',
          reporterEntraId: 'x', reporterName: 'X', occurredAt: at, occurredTimeKnown: false, noticedAt: at, noticedTimeKnown: false, location: 'x', category: 'insatser',
          whatHappened: 'x', consequences: 'x', immediateActions: '', informed: 'nej', risks: { hurt: 'nej', ongoing: 'nej', vulnerable: 'nej', crime: 'nej', before: 'nej' }, urgent: false, createdAt: at,
        },
        { actorEntraId: 'x', action: 'report.create', entityType: 'report' },
      );
    }
    const { result: n, turns: ranDuring } = await turnsDuring(() => refreshStoredClocks({ store, calendar: new WorkingCalendar({ timeZone: 'Europe/Stockholm' }) }));
    assert.equal(n, 1200);
    // SQLite answers synchronously: without a pause between batches the turn would not run until the end.
    assert.ok(ranDuring >= 2, `the waiting turn ran ${ranDuring} time(s) during the refresh`);
    assert.deepEqual(await store.cases.staleClockCases(undefined, 10), []);
  });
});
