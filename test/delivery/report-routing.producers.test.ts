/**
 * The report routing as a producer, on a real SQLite file without a running worker: a submit
 * writes one outbox row per recipient in the report's own transaction and answers at once with
 * honest states; the worker's outcomes then record notifications and update the receipt once.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { DateTime } from 'luxon';
import { CardRenderer, type AdaptiveCard } from '../../src/cards/render';
import { reportReceiptCard } from '../../src/cards/report-cards';
import { createLogger } from '../../src/log/logger';
import { Directory } from '../../src/org/directory';
import { loadOrganisationFile } from '../../src/org/load';
import { receiptStates, ReportService } from '../../src/reports/service';
import type { OutboxRow } from '../../src/store/outbox';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import { deliverAll, RecordingSender } from '../support/outbox-drain';

const ORG = loadOrganisationFile(path.join(__dirname, '..', '..', 'env', 'organisation.demo.yaml'));
const ALEX = '00000000-0000-0000-0000-0000000000020';
const ADELE = '00000000-0000-0000-0000-0000000000022';
const LEE = '00000000-0000-0000-0000-0000000000023';
const TZ = 'Europe/Stockholm';
const TODAY = DateTime.now().setZone(TZ).toISODate()!;
const texts = (card: unknown) => {
  const out: string[] = [];
  JSON.stringify(card, (k, v) => {
    if (k === 'text' && typeof v === 'string') out.push(v);
    return v;
  });
  return out.join('\n');
};

describe('report routing through the outbox (producer)', () => {
  describe('receiptStates', () => {
    const row = (recipientName: string, state: OutboxRow['state']) => ({ recipientName, state });
    const cases: [string, ReturnType<typeof row>[], { told: string[]; pending: string[]; notReached: string[] }][] = [
      ['nothing yet', [], { told: [], pending: [], notReached: [] }],
      ['all pending', [row('A', 'pending'), row('B', 'pending')], { told: [], pending: ['A', 'B'], notReached: [] }],
      ['a send still pending is never "not reached"', [row('A', 'sent'), row('B', 'pending')], { told: ['A'], pending: ['B'], notReached: [] }],
      ['failed and no-reference are final failures', [row('A', 'failed'), row('B', 'no-reference'), row('C', 'sent')], { told: ['C'], pending: [], notReached: ['A', 'B'] }],
    ];
    for (const [name, rows, expected] of cases) it(name, () => assert.deepEqual(receiptStates(rows), expected));
  });

  let dir: string;
  let store: SqliteStore;
  let service: ReportService;
  let kicks: number;
  const actor = { entraId: ALEX, name: 'Alex Wilber' };
  const conversation = 'a:personal-alex';

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'lexsarah-routing-'));
    store = SqliteStore.open({ filename: path.join(dir, 'db.sqlite') });
    await store.migrate();
    await store.organisation.sync(ORG, new Date());
    const directory = new Directory(ORG);
    kicks = 0;
    service = new ReportService({
      store, directory: () => directory, cards: new CardRenderer(), logger: createLogger('silent'), timeZone: TZ, now: () => new Date(), onEnqueued: () => kicks++,
    });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function submit(receiptId?: string, formId?: string) {
    const id = formId ?? (await service.newForm(actor, conversation)).formId;
    const data = {
      formId: id, unitId: 'bou-mottagning', occurredDate: TODAY, occurredTime: '', noticedDate: TODAY, noticedTime: '', location: 'Mottagningen',
      category: 'rattssakerhet', whatHappened: 'En orosanmälan registrerades inte.', consequences: '', immediateActions: '', informed: 'inte-annu',
      risk_hurt: 'nej', risk_ongoing: 'nej', risk_vulnerable: 'nej', risk_crime: 'nej', risk_before: 'nej', caseReference: '',
    };
    const r = await service.submit(actor, data, conversation, receiptId);
    assert.equal(r.kind, 'filed');
    const filed = r as Extract<typeof r, { kind: 'filed' }>;
    return { ...filed, card: reportReceiptCard(new CardRenderer(), filed.view), formId: id };
  }

  it('a submit enqueues one interactive row per recipient with the report, sends nothing, and says who is pending', async () => {
    const { report, card } = await submit('receipt-1');
    const rows = await store.outbox.listByEntity(report.reference, 'new-report');
    assert.deepEqual(rows.map((r) => [r.key, r.priority, r.state]).sort(), [
      [`new-report/${report.reference}/${ALEX}`, 'interactive', 'pending'],
      [`new-report/${report.reference}/${ADELE}`, 'interactive', 'pending'],
      [`new-report/${report.reference}/${LEE}`, 'interactive', 'pending'],
    ]);
    assert.match(rows[0]!.cardJson, new RegExp(`Ny lex Sarah-rapport – ${report.reference}`));
    // The nämnd's chef (Alex) is told about anyone else who cannot be reached; never about himself.
    const adele = rows.find((r) => r.recipientEntraId === ADELE)!;
    assert.deepEqual(adele.onUndeliverable?.map((m) => m.recipientEntraId), [ALEX]);
    assert.deepEqual(rows.find((r) => r.recipientEntraId === ALEX)!.onUndeliverable ?? [], []);
    assert.equal(kicks, 1, 'the worker is woken');
    const receipt = texts(card);
    assert.match(receipt, /Väntar på leverans/);
    assert.match(receipt, /Alex Wilber, Adele Vance, Lee Gu – meddelandet väntar/);
    assert.ok(!/Kunde inte nås/.test(receipt));
    assert.ok(!/ingen enhetschef/.test(receipt), 'a report with recipients never says there are none');
  });

  it('the outcomes record notifications, tell the chef who was not reached, and update the receipt once', async () => {
    const { report, formId } = await submit('receipt-1');
    const sender = new RecordingSender();
    sender.unreachable.add(LEE);
    sender.script.set(ADELE, [{ kind: 'terminal', error: 'HTTP 403 ConversationBlockedByUser' }]);
    const finished: OutboxRow[] = [];
    // What app.ts does in the worker's onFinished, run for each outcome.
    const outcomes = await deliverAll(store, sender);
    for (const o of outcomes) {
      const row = (await store.outbox.get(o.key))!;
      finished.push(row);
      await service.deliveryFinished(row, o.state === 'sent' ? { state: 'sent' } : o.state === 'failed' ? { state: 'failed', error: row.lastError ?? 'x' } : { state: 'no-reference' });
    }
    const notes = await store.reports.listNotifications(report.id);
    assert.deepEqual(notes.map((n) => [n.recipientName, n.status]).sort(), [['Adele Vance', 'failed'], ['Alex Wilber', 'sent'], ['Lee Gu', 'no-reference']]);
    const notices = sender.sent.filter((s) => texts(s.card).includes(`kunde inte nås om ${report.reference}`));
    assert.deepEqual(notices.map((s) => s.to), [ALEX, ALEX]);
    const update = await store.outbox.get(`receipt-update/${report.reference}/receipt-1`);
    assert.equal(update?.replacesActivityId, 'receipt-1');
    assert.ok(update!.notBefore.getTime() - update!.createdAt.getTime() >= 2000, 'after the request\'s own answer has reached Teams');
    assert.equal(update?.recipientEntraId, ALEX);
    const updated = texts(JSON.parse(update!.cardJson) as AdaptiveCard);
    assert.match(updated, /Underrättade\nAlex Wilber/);
    assert.match(updated, /Adele Vance, Lee Gu\. Hör av dig till dem direkt/);
    assert.ok(!/Väntar/.test(updated));
    // An outcome reported again (another instance) adds no second update.
    await service.deliveryFinished(finished.at(-1)!, { state: 'sent' });
    assert.equal((await store.outbox.listByEntity(report.reference, 'receipt-update')).length, 1);
    // A resubmit of the same card shows the final states at once, and enqueues nothing new.
    const again = await submit('receipt-1', formId);
    assert.match(texts(again.card), /Adele Vance, Lee Gu\. Hör av dig till dem direkt/);
    assert.equal((await store.outbox.listByEntity(report.reference, 'new-report')).length, 3);
  });

  it('outcomes recorded by an instance that died before deliveryFinished: the sweep records them and updates the receipt once', async () => {
    const before = new Date(Date.now() - 1000);
    const { report } = await submit('receipt-2');
    const other = await submit(undefined);
    const sender = new RecordingSender();
    sender.unreachable.add(LEE);
    // The worker finished every row, and nothing ran after (kill -9 between finish and onFinished).
    await deliverAll(store, sender);
    assert.deepEqual(await store.outbox.listByEntity(report.reference, 'receipt-update'), []);
    assert.equal(await service.settleReceipts(before), 1, 'one receipt to update: the other report has no receipt message');
    const update = await store.outbox.get(`receipt-update/${report.reference}/receipt-2`);
    const updated = texts(JSON.parse(update!.cardJson) as AdaptiveCard);
    assert.match(updated, /Underrättade\nAlex Wilber, Adele Vance|Underrättade\nAdele Vance, Alex Wilber/);
    assert.match(updated, /Lee Gu/);
    assert.ok(!/Väntar/.test(updated));
    const notes = await store.reports.listNotifications(report.id);
    assert.deepEqual(notes.map((n) => [n.recipientName, n.status]).sort(), [['Adele Vance', 'sent'], ['Alex Wilber', 'sent'], ['Lee Gu', 'no-reference']]);
    assert.equal((await store.reports.listNotifications(other.report.id)).length, 3, 'outcomes are recorded without a receipt too');
    // Idempotent: a second sweep (or another instance) adds nothing.
    assert.equal(await service.settleReceipts(before), 0);
    assert.equal((await store.outbox.listByEntity(report.reference, 'receipt-update')).length, 1);
    assert.equal((await store.reports.listNotifications(report.id)).length, 3);
    // Outside the window: nothing looked at.
    assert.equal(await service.settleReceipts(new Date(Date.now() + 60_000)), 0);
  });

  it('a report routed before the outbox existed shows its recorded outcomes, never "nobody registered"', async () => {
    const { report, formId } = await submit(undefined);
    // As if filed before migration 10: no routing rows, outcomes recorded by the old sender.
    const raw = new Database(path.join(dir, 'db.sqlite'));
    raw.prepare('DELETE FROM outbox').run();
    raw.close();
    const at = new Date();
    await store.reports.recordNotification({ reportId: report.id, recipientEntraId: ALEX, recipientName: 'Alex Wilber', kind: 'new-report', status: 'sent', at });
    await store.reports.recordNotification({ reportId: report.id, recipientEntraId: LEE, recipientName: 'Lee Gu', kind: 'new-report', status: 'no-reference', at });
    const receipt = texts((await submit(undefined, formId)).card);
    assert.match(receipt, /Underrättade\nAlex Wilber/);
    assert.match(receipt, /Lee Gu\. Hör av dig till dem direkt/);
    assert.ok(!/ingen enhetschef/.test(receipt), receipt);
  });

  it('without a receipt message to update (no replyToId), nothing is enqueued for the reporter', async () => {
    const { report } = await submit(undefined);
    for (const o of await deliverAll(store, new RecordingSender())) await service.deliveryFinished((await store.outbox.get(o.key))!, { state: 'sent' });
    assert.deepEqual(await store.outbox.listByEntity(report.reference, 'receipt-update'), []);
  });
});
