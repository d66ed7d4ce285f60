/**
 * Case reminders as a producer on a real SQLite file: which outbox rows a tick writes. The cases
 * with running clocks are given directly (listClockCases), everything else is the real store.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CardRenderer } from '../../src/cards/render';
import { CaseReminders } from '../../src/cases/reminders';
import { createLogger } from '../../src/log/logger';
import { Directory } from '../../src/org/directory';
import { loadOrganisationFile } from '../../src/org/load';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';

const ORG = loadOrganisationFile(path.join(__dirname, '..', '..', 'env', 'organisation.demo.yaml'));
type ClockCases = Awaited<ReturnType<SqliteStore['cases']['listClockCases']>>;

describe('case reminders (producer)', () => {
  let dir: string;
  let store: SqliteStore;
  let cases: ClockCases;
  let reminders: CaseReminders;
  const decided = (at: string): ClockCases[number] => ({
    reportId: 1, reference: 'LS-2026-0001', unitId: 'bou-mottagning', committeeId: 'socialnamnden', state: 'bedomd', anmalanDecidedAt: new Date(at),
  });
  const keys = async () => (await store.outbox.listByEntity('LS-2026-0001')).map((r) => r.key.replace(/\/[^/]+$/, '')).sort();

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'lexsarah-reminders-'));
    store = SqliteStore.open({ filename: path.join(dir, 'db.sqlite') });
    await store.migrate();
    cases = [];
    const real = store.cases;
    Object.defineProperty(store, 'cases', { value: Object.assign(Object.create(real) as typeof real, { listClockCases: async () => cases }) });
    const directory = new Directory(ORG);
    reminders = new CaseReminders({ store, directory: () => directory, cards: new CardRenderer(), logger: createLogger('silent'), timeZone: 'Europe/Stockholm' });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('after downtime, one card per person and case: the most urgent reminder due, not every one missed', async () => {
    // Decided 2 March: the anmälan is due 16 March; "7 days before" and "2 days before" both passed by the 15th.
    cases = [decided('2026-03-02T09:00:00Z')];
    const sent = await reminders.tick(new Date('2026-03-15T08:00:00Z'));
    assert.ok(sent.length >= 1);
    assert.deepEqual([...new Set(sent.map((s) => s.kind))], ['before-2']);
    assert.equal(new Set(sent.map((s) => s.recipient)).size, sent.length, 'nobody twice');
    assert.deepEqual(await reminders.tick(new Date('2026-03-15T09:00:00Z')), [], 'and the missed one does not follow later');
  });

  it('a new decision (a new deadline) gets its own reminders', async () => {
    cases = [decided('2026-03-02T09:00:00Z')];
    const first = await reminders.tick(new Date('2026-03-09T08:00:00Z'));
    assert.deepEqual([...new Set(first.map((s) => s.kind))], ['before-7']);
    // Decided again on 10 March: due 24 March, its "7 days before" is from the 17th.
    cases = [decided('2026-03-10T09:00:00Z')];
    assert.deepEqual(await reminders.tick(new Date('2026-03-16T08:00:00Z')), []);
    const second = await reminders.tick(new Date('2026-03-17T08:00:00Z'));
    assert.deepEqual([...new Set(second.map((s) => s.kind))], ['before-7']);
    assert.equal(second.length, first.length);
    assert.deepEqual(await keys(), [
      ...first.map(() => 'case-reminder/LS-2026-0001/anmalan/2026-03-16/before-7'),
      ...second.map(() => 'case-reminder/LS-2026-0001/anmalan/2026-03-24/before-7'),
    ]);
  });

  it('a reminder an earlier version sent (a completed lease, or an outbox row under the old key) is not sent again', async () => {
    cases = [decided('2026-03-02T09:00:00Z')];
    const probe = await reminders.tick(new Date('2026-03-09T08:00:00Z'));
    const [a, b] = probe.map((s) => s.recipient);
    assert.ok(a && b, 'two recipients in the demo nämnd');
    // Start again from an empty outbox, with what the earlier versions left behind.
    await store.close();
    rmSync(dir, { recursive: true, force: true });
    dir = mkdtempSync(path.join(tmpdir(), 'lexsarah-reminders-'));
    const fresh = SqliteStore.open({ filename: path.join(dir, 'db.sqlite') });
    await fresh.migrate();
    Object.defineProperty(fresh, 'cases', { value: Object.assign(Object.create(fresh.cases) as typeof fresh.cases, { listClockCases: async () => cases }) });
    store = fresh;
    const directory = new Directory(ORG);
    reminders = new CaseReminders({ store, directory: () => directory, cards: new CardRenderer(), logger: createLogger('silent'), timeZone: 'Europe/Stockholm' });
    const old = (p: string) => `case-reminder/LS-2026-0001/anmalan/before-7/${p}`;
    assert.equal(await store.state.claimLease(old(a), new Date(), 60_000), true);
    await store.state.completeLease(old(a), new Date());
    await store.outbox.enqueue([
      { key: old(b), recipientEntraId: b, recipientName: 'B', purpose: 'case-reminder', entityRef: 'LS-2026-0001', cardJson: '{}', priority: 'bulk', notBefore: new Date(), createdAt: new Date() },
    ]);
    const again = await reminders.tick(new Date('2026-03-09T09:00:00Z'));
    assert.deepEqual(again.map((s) => s.recipient).filter((r) => r === a || r === b), []);
    assert.equal(again.length, probe.length - 2);
  });
});
