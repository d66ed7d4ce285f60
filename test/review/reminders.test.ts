/**
 * Weekly review reminders with a controllable clock on a real SQLite file: first reminder,
 * second reminder, escalation, unreachable chefs, exactly once across repeated runs and across
 * two instances sharing the database, and holidays.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CardRenderer } from '../../src/cards/render';
import { createLogger } from '../../src/log/logger';
import { Directory } from '../../src/org/directory';
import { loadOrganisationFile } from '../../src/org/load';
import { WorkingCalendar } from '../../src/review/calendar';
import { ReviewReminders, type ReviewReminderSent } from '../../src/review/reminders';
import { ReviewService } from '../../src/review/service';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import { deliverAll, RecordingSender, type Finished } from '../support/outbox-drain';

const ORG = loadOrganisationFile(path.join(__dirname, '..', '..', 'env', 'organisation.demo.yaml'));
const ALEX = '00000000-0000-0000-0000-0000000000020';
const ADELE = '00000000-0000-0000-0000-0000000000022';

/** unit/week/kind/recipient from an outbox key `review/<unit>/<week>/<kind>/<recipient>[/<about>]`, with the final state. */
const delivered = (f: Finished[]) =>
  f.map((d) => {
    const [, unit, week, kind, to] = d.key.split('/');
    return `${unit}/${week}/${kind}/${to!.slice(-2)}/${d.state}`;
  }).sort();

describe('weekly review reminders (controllable clock)', () => {
  let dir: string;
  let file: string;
  const stores: SqliteStore[] = [];
  const calendar = new WorkingCalendar();
  const directory = new Directory(ORG);

  async function instance() {
    const store = SqliteStore.open({ filename: file });
    stores.push(store);
    await store.migrate();
    const logger = createLogger('silent');
    const deps = { store, directory: () => directory, cards: new CardRenderer(), logger, timeZone: 'Europe/Stockholm', now: () => new Date(), warnDays: 7, calendar };
    return new ReviewReminders({ ...deps, reviews: new ReviewService(deps), calendar, escalationWorkingDays: 3 });
  }
  const brief = (sent: ReviewReminderSent[]) => sent.map((s) => `${s.unitId}/${s.weekKey}/${s.kind}/${s.recipient.slice(-2)}/${s.status}`).sort();

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'lexsarah-review-'));
    file = path.join(dir, 'db.sqlite');
    const s = SqliteStore.open({ filename: file });
    await s.migrate();
    await s.organisation.sync(ORG, new Date());
    await s.close();
  });
  afterEach(async () => {
    for (const s of stores.splice(0)) await s.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('enqueues the review when due (Monday 09:00 Stockholm), then the second reminder, then escalates — each once; the worker sends them', async () => {
    const sender = new RecordingSender();
    const r = await instance();
    const store = stores[0]!;
    // Installed the week before: nothing is due yet, and older weeks are never reminded about.
    assert.deepEqual(await r.tick(new Date('2026-11-19T10:00:00Z')), []);
    assert.deepEqual(await r.tick(new Date('2026-11-23T07:59:00Z')), []);
    const first = await r.tick(new Date('2026-11-23T08:00:00Z'));
    assert.deepEqual(brief(first), [
      'bou-familjehem/2026-W48/first/22/enqueued',
      'bou-mottagning/2026-W48/first/20/enqueued',
      'bou-mottagning/2026-W48/first/22/enqueued',
    ]);
    assert.equal(sender.sent.length, 0, 'nothing is sent by the tick itself');
    assert.deepEqual(await r.tick(new Date('2026-11-23T12:00:00Z')), [], 'not twice');
    assert.deepEqual(delivered(await deliverAll(store, sender)), [
      'bou-familjehem/2026-W48/first/22/sent',
      'bou-mottagning/2026-W48/first/20/sent',
      'bou-mottagning/2026-W48/first/22/sent',
    ]);
    assert.match(JSON.stringify(sender.sent[0]!.card), /Veckogenomgång v\.48/);
    // Adele reviews one of her units on Tuesday.
    await (await instance()).tick(new Date('2026-11-24T07:00:00Z'));
    await store.cases.recordReview({ unitId: 'bou-familjehem', weekKey: '2026-W48', doneBy: { entraId: ADELE, name: 'Adele Vance' }, doneAt: new Date('2026-11-24T09:00:00Z') });
    const second = await r.tick(new Date('2026-11-25T08:00:00Z'));
    assert.deepEqual(brief(second), ['bou-mottagning/2026-W48/second/20/enqueued', 'bou-mottagning/2026-W48/second/22/enqueued']);
    assert.deepEqual(delivered(await deliverAll(store, sender)), ['bou-mottagning/2026-W48/second/20/sent', 'bou-mottagning/2026-W48/second/22/sent']);
    assert.match(JSON.stringify(sender.sent.at(-1)!.card), /Påminnelse: veckogenomgången är inte markerad som klar/);
    assert.deepEqual(await r.tick(new Date('2026-11-27T07:59:00Z')), []);
    const escalation = await r.tick(new Date('2026-11-27T08:00:00Z'));
    assert.deepEqual(brief(escalation), ['bou-mottagning/2026-W48/escalation/20/enqueued'], 'to the nämnd\'s chef, only for the unit not reviewed');
    await deliverAll(store, sender);
    assert.match(JSON.stringify(sender.sent.at(-1)!.card), /ESKALERING/);
    const nextWeek = await r.tick(new Date('2026-11-30T10:00:00Z'));
    assert.deepEqual(nextWeek.filter((s) => s.weekKey === '2026-W48'), [], 'W48 is not repeated in the next week');
    assert.equal(nextWeek.filter((s) => s.weekKey === '2026-W49' && s.kind === 'first').length, 3, 'W49 starts over');
    // The audit trail has one entry per enqueued reminder.
    const audit = (await store.audit.list({ limit: 100 })).filter((e) => e.action.startsWith('review.') && e.action !== 'review.done');
    assert.equal(audit.length, first.length + second.length + escalation.length + nextWeek.length);
    assert.ok(audit.every((e) => /status=enqueued/.test(e.detail ?? '')));
  });

  it('after an upgrade, a reminder the previous version already sent (its lease completed) is not enqueued again', async () => {
    const r = await instance();
    const store = stores[0]!;
    await r.tick(new Date('2026-11-19T10:00:00Z'));
    // What the version before the outbox recorded when it had sent Adele's first reminder.
    const key = `review/bou-familjehem/2026-W48/first/${ADELE}`;
    assert.equal(await store.state.claimLease(key, new Date('2026-11-23T08:00:00Z'), 60_000), true);
    await store.state.completeLease(key, new Date('2026-11-23T08:00:01Z'));
    const first = await r.tick(new Date('2026-11-23T08:05:00Z'));
    assert.deepEqual(brief(first), ['bou-mottagning/2026-W48/first/20/enqueued', 'bou-mottagning/2026-W48/first/22/enqueued']);
    assert.equal(await store.outbox.get(key), undefined);
  });

  it('tells the nämnd\'s chef once when an enhetschef cannot be reached, and the status summary counts it', async () => {
    const sender = new RecordingSender();
    sender.unreachable.add(ADELE);
    const r = await instance();
    const store = stores[0]!;
    await r.tick(new Date('2026-11-19T10:00:00Z'));
    await r.tick(new Date('2026-11-23T08:00:00Z'));
    const outcomes = delivered(await deliverAll(store, sender));
    assert.ok(outcomes.includes('bou-mottagning/2026-W48/first/22/no-reference'), outcomes.join('\n'));
    const told = outcomes.filter((s) => s.includes('/unreachable/'));
    assert.deepEqual(told, ['bou-familjehem/2026-W48/unreachable/20/sent', 'bou-mottagning/2026-W48/unreachable/20/sent']);
    assert.match(JSON.stringify(sender.sent.find((s) => JSON.stringify(s.card).includes('KAN INTE NÅS'))!.card), /Adele Vance kan inte nås/);
    assert.deepEqual(await r.tick(new Date('2026-11-23T09:00:00Z')), []);
    assert.deepEqual(await deliverAll(store, sender), [], 'nothing more to send');
    const unreachable = await store.status.unreachable({ unitIds: ['bou-mottagning', 'bou-familjehem'], from: new Date('2026-01-01T00:00:00Z'), to: new Date('2100-01-01T00:00:00Z'), limit: 10 });
    assert.ok(unreachable.people.some((p) => p.name === 'Adele Vance'), JSON.stringify(unreachable));
  });

  it('two instances sharing the database enqueue and deliver every reminder exactly once', async () => {
    const a = new RecordingSender();
    const b = new RecordingSender();
    const [ra, rb] = [await instance(), await instance()];
    await ra.tick(new Date('2026-11-19T10:00:00Z'));
    for (const at of ['2026-11-23T08:00:00Z', '2026-11-25T08:00:00Z', '2026-11-27T08:00:00Z']) {
      await Promise.all([ra.tick(new Date(at)), rb.tick(new Date(at)), ra.tick(new Date(at)), rb.tick(new Date(at))]);
      await Promise.all([deliverAll(stores[0]!, a), deliverAll(stores[1]!, b)]);
    }
    // first + second to 3 (unit, chef) pairs, and the escalation for 2 units to Alex: 8 cards in all, across both instances.
    assert.equal(a.sent.length + b.sent.length, 8);
    assert.equal([...a.sent, ...b.sent].filter((s) => s.to === ALEX && JSON.stringify(s.card).includes('ESKALERING')).length, 2);
    const audit = await stores[0]!.audit.list({ limit: 100 });
    const reminders = audit.filter((e) => e.action.startsWith('review.'));
    assert.equal(reminders.length, 8);
    assert.equal(new Set(reminders.map((e) => `${e.entityRef}/${e.action}/${e.detail}`)).size, 8);
  });

  it('"Påminn mig senare" enqueues the card again once at that time, unless the review is done', async () => {
    const sender = new RecordingSender();
    const r = await instance();
    await r.tick(new Date('2026-11-19T10:00:00Z'));
    await r.tick(new Date('2026-11-23T08:00:00Z'));
    const store = stores[0]!;
    await deliverAll(store, sender);
    await store.cases.snoozeReview({ unitId: 'bou-mottagning', weekKey: '2026-W48', entraId: ADELE, until: new Date('2026-11-23T10:00:00Z') });
    await store.cases.snoozeReview({ unitId: 'bou-familjehem', weekKey: '2026-W48', entraId: ADELE, until: new Date('2026-11-23T10:00:00Z') });
    await store.cases.recordReview({ unitId: 'bou-familjehem', weekKey: '2026-W48', doneBy: { entraId: ADELE, name: 'Adele Vance' }, doneAt: new Date('2026-11-23T09:00:00Z') });
    assert.deepEqual(await r.tick(new Date('2026-11-23T09:59:00Z')), []);
    assert.deepEqual(brief(await r.tick(new Date('2026-11-23T10:00:00Z'))), ['bou-mottagning/2026-W48/snoozed/22/enqueued'], 'not for the unit already reviewed');
    assert.deepEqual(await r.tick(new Date('2026-11-23T10:05:00Z')), []);
    assert.deepEqual(delivered(await deliverAll(store, sender)), ['bou-mottagning/2026-W48/snoozed/22/sent']);
  });

  it('a transient failure is retried by the worker; a reminder sent is never enqueued again', async () => {
    const sender = new RecordingSender();
    sender.script.set(ADELE, [{ kind: 'retry', retryAfterMs: 0, error: 'HTTP 502' }]);
    const r = await instance();
    const store = stores[0]!;
    await r.tick(new Date('2026-11-19T10:00:00Z'));
    assert.equal((await r.tick(new Date('2026-11-23T08:00:00Z'))).length, 3);
    const outcomes = await deliverAll(store, sender);
    assert.deepEqual(outcomes.map((o) => o.state), ['sent', 'sent', 'sent']);
    assert.equal(sender.attempts, 4, 'one retry');
    const row = await store.outbox.get(`review/bou-mottagning/2026-W48/first/${ADELE}`);
    assert.equal(row?.state, 'sent');
    for (const at of ['2026-11-23T08:05:00Z', '2026-11-23T08:20:00Z']) assert.deepEqual(await r.tick(new Date(at)), [], 'never again once enqueued');
  });

  it('a review due on a public holiday moves to the next working day (Easter Monday 2027)', async () => {
    const r = await instance();
    await r.tick(new Date('2027-03-20T10:00:00Z'));
    const w13 = (sent: ReviewReminderSent[]) => [...new Set(sent.filter((s) => s.weekKey === '2027-W13').map((s) => `${s.weekKey}/${s.kind}`))];
    assert.deepEqual(w13(await r.tick(new Date('2027-03-29T08:00:00Z'))), [], 'annandag påsk');
    assert.deepEqual(w13(await r.tick(new Date('2027-03-30T06:59:00Z'))), [], 'before 09:00 summer time');
    assert.deepEqual(w13(await r.tick(new Date('2027-03-30T07:00:00Z'))), ['2027-W13/first'], 'Tuesday 09:00 summer time');
  });
});
