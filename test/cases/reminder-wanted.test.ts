/**
 * Review #13: a case reminder enqueued for one clock and deadline is dropped, unsent, once that
 * clock no longer runs with that deadline by the time the delivery worker gets to it (the case was
 * assessed, re-assessed, filed or closed meanwhile). On a real SQLite file; the last test runs the
 * reminder job and the delivery worker together as the app wires them.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CardRenderer } from '../../src/cards/render';
import { DEFAULT_CLOCK_RULES } from '../../src/cases/clocks';
import { caseReminderChecks, parseCaseReminderKey } from '../../src/cases/reminder-wanted';
import { CaseReminders } from '../../src/cases/reminders';
import { createLogger } from '../../src/log/logger';
import { DeliveryWorker, NO_LONGER_DUE } from '../../src/notify/delivery-worker';
import type { SendResult } from '../../src/notify/delivery-policy';
import { Directory } from '../../src/org/directory';
import { loadOrganisationFile } from '../../src/org/load';
import { WorkingCalendar } from '../../src/review/calendar';
import type { Report } from '../../src/reports/report';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';

const ORG = loadOrganisationFile(path.join(__dirname, '..', '..', 'env', 'organisation.demo.yaml'));
const TZ = 'Europe/Stockholm';
/** The cases here are of March 2026: the closing clock is taken to be in force then (by default it counts from 2 Dec 2026 at the earliest). */
const RULES = { ...DEFAULT_CLOCK_RULES, closingClockFrom: '2026-01-01' };
const Y = { entraId: 'y', name: 'Y' };
const KEY = (clock: string, dueDay: string | undefined, kind = 'before-7') => `case-reminder/LS-2026-0001/${clock}/${dueDay ? `${dueDay}/` : ''}${kind}/someone`;

describe('case reminders: still wanted when sent?', () => {
  let dir: string;
  let store: SqliteStore;
  let report: Report;
  let from: Report['state'];
  const calendar = new WorkingCalendar({ timeZone: TZ });

  const decide = async (at: string, requiresAnmalan: boolean) => {
    const outcome = requiresAnmalan ? 'allvarligt-missforhallande' : 'missforhallande-ej-allvarligt';
    assert.ok(await store.cases.recordDecision(
      { reportId: report.id, reference: report.reference, from, to: 'bedomd', actor: Y, at: new Date(at) },
      { answersJson: '{}', recommendedOutcome: outcome, recommendationJson: '{}', decidedOutcome: outcome, requiresAnmalan },
    ));
    from = 'bedomd';
  };
  const file = async (filedOn: string, attached: boolean) => {
    assert.ok(await store.cases.recordFiling({ reportId: report.id, reference: report.reference, from, to: 'anmald', actor: Y, at: new Date(`${filedOn}T12:00:00Z`) }, { filedOn, ivoDiarienummer: 'x', investigationAttached: attached }));
    from = 'anmald';
  };
  const send = async (sentOn: string) => {
    assert.ok(await store.cases.markInvestigationSent({ reportId: report.id, reference: report.reference, from, to: 'anmald', actor: Y, at: new Date(`${sentOn}T12:00:00Z`) }, sentOn));
  };
  const close = async () => {
    assert.ok(await store.cases.close({ reportId: report.id, reference: report.reference, from, to: 'avslutad', actor: Y, at: new Date('2026-03-20T12:00:00Z') }, { decisionText: 'x', motivation: 'y' }));
  };

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'lexsarah-reminder-wanted-'));
    store = SqliteStore.open({ filename: path.join(dir, 'db.sqlite') });
    await store.migrate();
    await store.organisation.sync(ORG, new Date('2026-02-01T00:00:00Z'));
    report = (
      await store.reports.create(
        {
          formId: '00000000-0000-4000-8000-000000000001', year: 2026, unitId: 'bou-mottagning', committeeId: 'socialnamnden',
          reporterEntraId: 'x', reporterName: 'X', occurredAt: new Date('2026-03-02T08:00:00Z'), occurredTimeKnown: false,
          noticedAt: new Date('2026-03-02T08:00:00Z'), noticedTimeKnown: false, location: 'x', category: 'insatser', whatHappened: 'x', consequences: 'x',
          immediateActions: '', informed: 'nej', risks: { hurt: 'nej', ongoing: 'nej', vulnerable: 'nej', crime: 'nej', before: 'nej' }, urgent: false,
          createdAt: new Date('2026-03-02T08:00:00Z'), // Monday: assessment due Thursday 5 March
        },
        { actorEntraId: 'x', action: 'report.create', entityType: 'report' },
      )
    ).report;
    from = 'rapporterad';
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads the keys the reminder job writes, and the keys of earlier versions', () => {
    assert.deepEqual(parseCaseReminderKey('case-reminder/LS-2026-0001/anmalan/2026-03-16/before-7/abc'), { reference: 'LS-2026-0001', clock: 'anmalan', dueDay: '2026-03-16' });
    assert.deepEqual(parseCaseReminderKey('case-reminder/LS-2026-0001/anmalan/before-7/abc'), { reference: 'LS-2026-0001', clock: 'anmalan' });
    assert.deepEqual(parseCaseReminderKey('case-reminder/LS-2026-0001/avslut/2026-04-03/overdue/abc'), { reference: 'LS-2026-0001', clock: 'avslut', dueDay: '2026-04-03' });
    for (const k of ['new-report/LS-2026-0001/abc', 'case-reminder/LS-2026-0001/other/before-7/abc', 'case-reminder/LS-2026-0001/anmalan/2026-03-16/before-7']) assert.equal(parseCaseReminderKey(k), undefined, k);
  });

  // [what happened to the case since the row was enqueued, the row's key, still wanted?]
  const table: [string, () => Promise<void>, string, boolean][] = [
    ['nothing: still unassessed', async () => undefined, KEY('bedomning', '2026-03-05', 'before-1'), true],
    ['assessed meanwhile (not serious)', () => decide('2026-03-04T09:00:00Z', false), KEY('bedomning', '2026-03-05', 'before-1'), false],
    ['decided serious: the anmälan reminder', () => decide('2026-03-02T09:00:00Z', true), KEY('anmalan', '2026-03-16'), true],
    ['decided serious: another deadline in the key', () => decide('2026-03-02T09:00:00Z', true), KEY('anmalan', '2026-03-24'), false],
    ['re-assessed, still serious: the deadline stands', async () => { await decide('2026-03-02T09:00:00Z', true); await decide('2026-03-10T09:00:00Z', true); }, KEY('anmalan', '2026-03-16'), true],
    ['taken back: not serious any more', async () => { await decide('2026-03-02T09:00:00Z', true); await decide('2026-03-10T09:00:00Z', false); }, KEY('anmalan', '2026-03-16', 'overdue'), false],
    ['a new serious run: the old deadline\'s escalation', async () => { await decide('2026-03-02T09:00:00Z', true); await decide('2026-03-10T09:00:00Z', false); await decide('2026-03-11T09:00:00Z', true); }, KEY('anmalan', '2026-03-16', 'overdue'), false],
    ['filed meanwhile', async () => { await decide('2026-03-02T09:00:00Z', true); await file('2026-03-12', true); }, KEY('anmalan', '2026-03-16'), false],
    ['filed without the investigation: its own clock', async () => { await decide('2026-03-02T09:00:00Z', true); await file('2026-03-12', false); }, KEY('utredning', '2026-05-12'), true],
    ['closed meanwhile', async () => { await decide('2026-03-02T09:00:00Z', false); await close(); }, KEY('bedomning', '2026-03-05', 'overdue'), false],
    // The closing clock (local policy: 30 days).
    ['assessed, no anmälan needed: the closing reminder', () => decide('2026-03-04T09:00:00Z', false), KEY('avslut', '2026-04-03'), true],
    ['re-assessed, still no anmälan: the closing deadline stands', async () => { await decide('2026-03-04T09:00:00Z', false); await decide('2026-03-20T09:00:00Z', false); }, KEY('avslut', '2026-04-03', 'overdue'), true],
    ['judged serious after all: the closing reminder', async () => { await decide('2026-03-04T09:00:00Z', false); await decide('2026-03-10T09:00:00Z', true); }, KEY('avslut', '2026-04-03'), false],
    // Re-review #13: a flip to serious and back an hour later buys no time, so the reminders already enqueued still hold.
    ['judged serious and back an hour later: the closing deadline stands', async () => { await decide('2026-03-04T09:00:00Z', false); await decide('2026-03-10T09:00:00Z', true); await decide('2026-03-10T10:00:00Z', false); }, KEY('avslut', '2026-04-03'), true],
    ['closed meanwhile: the closing escalation', async () => { await decide('2026-03-04T09:00:00Z', false); await close(); }, KEY('avslut', '2026-04-03', 'overdue'), false],
    ['filed with the investigation: closing from the anmälan', async () => { await decide('2026-03-02T09:00:00Z', true); await file('2026-03-12', true); }, KEY('avslut', '2026-04-11'), true],
    ['the investigation sent: the closing from the day it was sent', async () => { await decide('2026-03-02T09:00:00Z', true); await file('2026-03-12', false); await send('2026-03-20'); }, KEY('avslut', '2026-04-19'), true],
    ['the investigation sent: its own reminder', async () => { await decide('2026-03-02T09:00:00Z', true); await file('2026-03-12', false); await send('2026-03-20'); }, KEY('utredning', '2026-05-12', 'overdue'), false],
    ['at IVO, then closed: the closing escalation', async () => { await decide('2026-03-02T09:00:00Z', true); await file('2026-03-12', true); await close(); }, KEY('avslut', '2026-04-11', 'overdue'), false],
    ['a key of an earlier version, the clock still running', () => decide('2026-03-02T09:00:00Z', true), KEY('anmalan', undefined), true],
    ['a key of an earlier version, the clock stopped', async () => { await decide('2026-03-02T09:00:00Z', true); await file('2026-03-12', true); }, KEY('anmalan', undefined), false],
    ['a report that does not exist', async () => undefined, 'case-reminder/LS-2026-0999/bedomning/2026-03-05/before-1/someone', false],
    ['a key this module did not write', async () => undefined, 'case-reminder/whatever', true],
  ];
  for (const [what, happened, key, wanted] of table) {
    it(`${what} → ${wanted ? 'sent' : 'dropped'}`, async () => {
      await happened();
      const checks = caseReminderChecks({ store, timeZone: TZ, calendar, clockRules: RULES });
      for (const purpose of ['case-reminder', 'case-escalation'] as const) assert.equal(await checks[purpose].wanted({ key }, new Date()), wanted, purpose);
    });
  }

  it('end to end: a Friday decision\'s Saturday escalation waits for Monday, and is dropped unsent once the anmälan is filed', async () => {
    await decide('2026-02-27T10:00:00Z', true); // Friday → due Friday 13 March; overdue from Saturday 00:00
    let now = new Date('2026-03-14T00:10:00+01:00');
    const directory = new Directory(ORG);
    const reminders = new CaseReminders({ store, directory: () => directory, cards: new CardRenderer(), logger: createLogger('silent'), timeZone: TZ, calendar, clockRules: RULES, realNow: () => now });
    const enqueued = await reminders.tick(now);
    assert.ok(enqueued.some((s) => s.escalation && s.kind === 'overdue'), JSON.stringify(enqueued));
    const rows = await store.outbox.listByEntity(report.reference);
    assert.ok(rows.every((r) => r.notBefore.toISOString() === '2026-03-16T07:00:00.000Z'), 'Monday 08:00 in Stockholm');
    const sent: string[] = [];
    const worker = new DeliveryWorker<string>({
      outbox: store.outbox,
      sender: { resolve: async (id: string) => ({ tenantId: 't', ref: id }), attempt: async (ref: string): Promise<SendResult> => (sent.push(ref), { kind: 'sent' }) },
      rateLimit: { acquire: async () => undefined },
      logger: createLogger('silent'),
      now: () => now,
      stillWanted: { byPurpose: caseReminderChecks({ store, timeZone: TZ, calendar, clockRules: RULES }), audit: store.audit },
    });
    assert.equal(await worker.drainOnce(), 0, 'nothing goes out on the weekend');
    await file('2026-03-14', true); // filed on Saturday after all
    now = new Date('2026-03-16T07:00:00.000Z');
    assert.equal(await worker.drainOnce(), rows.length);
    await worker.stop(0);
    assert.deepEqual(sent, [], 'no reminder of an anmälan already filed');
    for (const r of await store.outbox.listByEntity(report.reference)) assert.deepEqual([r.state, r.lastError], ['failed', NO_LONGER_DUE], r.key);
    const dropped = (await store.audit.list({ entityRef: report.reference })).filter((e) => e.action === 'case.reminder-dropped');
    assert.equal(dropped.length, rows.length);
  });
});
