/**
 * The store contract: every adapter must pass these. Called from sqlite.test.ts (always) and
 * mssql.test.ts (when MSSQL_TEST_CONNECTION_STRING is set).
 */
import assert from 'node:assert/strict';
import type { Organisation } from '../../src/org/schema';
import type { CaseworkRecord } from '../../src/store/casework';
import type { NewReport } from '../../src/reports/report';
import { EtagConflictError, type ConversationRefUpsert, type Store } from '../../src/store/store';
import { runOutboxContract } from './outbox-contract';
import { anmalanRunStart, caseRunningClock, noAnmalanRunStart, runningClock, UNASSESSED_STATES } from '../../src/cases/clocks';

export const sampleOrg = (): Organisation => ({
  municipality: 'Testby kommun',
  committees: [
    {
      id: 'sn',
      name: 'Socialnämnden',
      units: [
        { id: 'bou', name: 'Barn och unga', area: 'barn-och-unga' },
        { id: 'vuxen', name: 'Vuxenenheten', area: 'vuxen' },
      ],
    },
    { id: 'von', name: 'Vård- och omsorgsnämnden', units: [{ id: 'eken', name: 'Gruppbostaden Eken', area: 'lss' }] },
  ],
  people: [
    {
      entraId: 'aaaaaaaa-0000-0000-0000-000000000001',
      name: 'Anna Chef',
      email: 'anna@testby.example',
      roles: [
        { role: 'enhetschef', unit: 'bou' },
        { role: 'chef', committee: 'sn' },
      ],
    },
    { entraId: 'aaaaaaaa-0000-0000-0000-000000000002', name: 'Bo Medarbetare', roles: [{ role: 'medarbetare', unit: 'bou' }] },
    { entraId: 'aaaaaaaa-0000-0000-0000-000000000003', name: 'Cia Admin', roles: [{ role: 'admin' }, { role: 'samordnare', committee: 'von' }] },
  ],
});

let formSeq = 0;
export const newReport = (over: Partial<NewReport> = {}): NewReport => ({
  formId: `00000000-0000-4000-8000-${String(++formSeq).padStart(12, '0')}`,
  year: 2026,
  unitId: 'bou',
  committeeId: 'sn',
  reporterEntraId: 'aaaaaaaa-0000-0000-0000-000000000002',
  reporterName: 'Bo Medarbetare',
  occurredAt: new Date('2026-11-20T13:30:00.000Z'),
  occurredTimeKnown: true,
  noticedAt: new Date('2026-11-21T00:00:00.000Z'),
  noticedTimeKnown: false,
  location: 'Avdelning 2, köket',
  category: 'insatser',
  whatHappened: 'Kvällsmedicinen gavs inte. Åäö “citat” och emoji ✓.',
  consequences: 'Oro, ingen skada.',
  immediateActions: '',
  informed: 'inte-annu',
  risks: { hurt: 'nej', ongoing: 'vet-ej', vulnerable: 'ja', crime: 'nej', before: 'nej' },
  caseReference: 'BoU 2026/123',
  urgent: true,
  createdAt: new Date('2026-11-22T09:00:00.000Z'),
  ...over,
});

const ref = (over: Partial<ConversationRefUpsert> = {}): ConversationRefUpsert => ({
  tenantId: 'tenant-1',
  aadObjectId: 'AAAAAAAA-0000-0000-0000-000000000001',
  scope: 'personal',
  conversationId: 'a:conv-1',
  serviceUrl: 'https://smba.example/emea/',
  channelId: 'msteams',
  botId: '28:bot',
  userId: '29:user-1',
  userName: 'Anna Chef',
  ...over,
});

/**
 * `openPeer`, when given, opens a second instance on the database the latest `open()` returned
 * (another process, as far as the database can tell), for what two instances do together.
 */
export function runStoreContract(name: string, open: () => Promise<Store>, openPeer?: () => Promise<Store>): void {
  describe(`store contract: ${name}`, function () {
    let store: Store;
    beforeEach(async () => {
      store = await open();
      await store.migrate();
    });
    afterEach(async () => {
      await store.close();
    });

    describe('migrations and health', () => {
      it('reports the schema at the expected version after migrate, and migrate is idempotent', async () => {
        const h = await store.health();
        assert.equal(h.reachable, true);
        assert.ok(h.expectedVersion >= 1);
        assert.equal(h.schemaVersion, h.expectedVersion);
        assert.deepEqual(await store.migrate(), []);
      });

      it('reports unreachable once closed, without throwing', async () => {
        await store.close();
        const h = await store.health();
        assert.equal(h.reachable, false);
        store = await open(); // afterEach closes this one
      });
    });

    describe('turn state (eTag optimistic concurrency)', () => {
      it('writes, reads back and deletes', async () => {
        const etags = await store.state.write([{ key: 'k1', value: '{"a":1}' }, { key: 'k2', value: '{"b":2}' }]);
        assert.equal(etags.size, 2);
        const got = await store.state.read(['k1', 'k2', 'missing']);
        assert.equal(got.get('k1')?.value, '{"a":1}');
        assert.equal(got.get('k1')?.etag, etags.get('k1'));
        assert.equal(got.has('missing'), false);
        await store.state.delete(['k1']);
        assert.deepEqual([...(await store.state.read(['k1', 'k2'])).keys()], ['k2']);
      });

      it('accepts a write with the current eTag and gives a new one', async () => {
        const first = (await store.state.write([{ key: 'k', value: '1' }])).get('k')!;
        const second = (await store.state.write([{ key: 'k', value: '2', expectedEtag: first }])).get('k')!;
        assert.notEqual(second, first);
        assert.equal((await store.state.read(['k'])).get('k')?.value, '2');
      });

      it('refuses a stale eTag and leaves every key of the batch unchanged', async () => {
        const e1 = (await store.state.write([{ key: 'a', value: 'a1' }])).get('a')!;
        await store.state.write([{ key: 'b', value: 'b1' }]);
        await store.state.write([{ key: 'a', value: 'a2', expectedEtag: e1 }]);
        await assert.rejects(
          store.state.write([
            { key: 'b', value: 'b2' },
            { key: 'a', value: 'a3', expectedEtag: e1 },
          ]),
          (err: unknown) => err instanceof EtagConflictError && err.key === 'a',
        );
        const got = await store.state.read(['a', 'b']);
        assert.equal(got.get('a')?.value, 'a2');
        assert.equal(got.get('b')?.value, 'b1');
      });

      it("treats '*' as an unconditional write", async () => {
        await store.state.write([{ key: 'k', value: '1' }]);
        await store.state.write([{ key: 'k', value: '2', expectedEtag: '*' }]);
        assert.equal((await store.state.read(['k'])).get('k')?.value, '2');
      });

      it('lets exactly one of two writers with the same eTag win', async () => {
        const e = (await store.state.write([{ key: 'race', value: '0' }])).get('race')!;
        const results = await Promise.allSettled([
          store.state.write([{ key: 'race', value: 'x', expectedEtag: e }]),
          store.state.write([{ key: 'race', value: 'y', expectedEtag: e }]),
        ]);
        assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
        assert.equal(results.filter((r) => r.status === 'rejected').length, 1);
      });

      it('claimOnce answers true exactly once per key, also when raced', async () => {
        const at = new Date('2026-11-22T10:00:00.000Z');
        const results = await Promise.all([1, 2, 3].map(() => store.state.claimOnce('welcome/conv-1', at)));
        assert.deepEqual(results.filter(Boolean).length, 1);
        assert.equal(await store.state.claimOnce('welcome/conv-1', at), false);
        assert.equal(await store.state.claimOnce('welcome/conv-2', at), true);
      });

      it('leases work: one holder at a time, taken over when the lease runs out, never again once done', async () => {
        const t0 = new Date('2026-11-23T08:00:00.000Z');
        const later = (ms: number) => new Date(t0.getTime() + ms);
        const raced = await Promise.all([1, 2, 3].map(() => store.state.claimLease('review/u/w/first/p', t0, 60_000)));
        assert.equal(raced.filter(Boolean).length, 1);
        assert.equal(await store.state.claimLease('review/u/w/first/p', later(59_999), 60_000), false, 'lease still live');
        assert.equal(await store.state.claimLease('review/u/w/first/p', later(60_000), 60_000), true, 'holder died: taken over');
        await store.state.completeLease('review/u/w/first/p', later(61_000));
        assert.equal(await store.state.claimLease('review/u/w/first/p', later(10 * 60_000), 60_000), false, 'done work is never claimed again');
        assert.equal(await store.state.claimLease('review/u/w/second/p', later(1), 60_000), true, 'other work is independent');
        assert.deepEqual(
          [...(await store.state.completedLeases(['review/u/w/first/p', 'review/u/w/second/p', 'review/never/leased']))],
          ['review/u/w/first/p'],
          'only completed leases count as done',
        );
        assert.equal((await store.state.completedLeases([])).size, 0);
      });

      // SQL Server ignores trailing spaces in = and in unique keys; SQLite does not. Both refuse them.
      it('refuses keys that end in whitespace, and never matches one to the key without it', async () => {
        await store.state.write([{ key: 'k', value: '1' }]);
        await assert.rejects(store.state.write([{ key: 'k ', value: '2' }]), /state key "k " ends in whitespace/);
        await assert.rejects(store.state.write([{ key: 'tab\t', value: '2' }]), /ends in whitespace/);
        assert.equal((await store.state.read(['k '])).size, 0);
        assert.equal((await store.state.read(['k'])).get('k')?.value, '1');
        await store.state.delete(['k ']);
        assert.equal((await store.state.read(['k'])).size, 1, 'deleting "k " must not delete "k"');

        const at = new Date('2026-11-22T10:00:00.000Z');
        assert.equal(await store.state.claimOnce('m', at), true);
        await assert.rejects(store.state.claimOnce('m ', at), /once-marker key "m " ends in whitespace/);
        assert.equal(await store.state.claimLease('w', at, 60_000), true);
        await assert.rejects(store.state.claimLease('w ', at, 60_000), /work-lease key "w " ends in whitespace/);
        await store.state.completeLease('w ', at);
        assert.deepEqual([...(await store.state.completedLeases(['w', 'w ']))], [], 'completing "w " must not complete "w"');
        await store.state.completeLease('w', at);
        assert.deepEqual([...(await store.state.completedLeases(['w', 'w ']))], ['w']);
      });

      it('keeps keys that differ only in case or accents apart (binary comparison, whatever the database collation)', async () => {
        await store.state.write([{ key: 'Key', value: 'upper' }, { key: 'key', value: 'lower' }, { key: 'kéy', value: 'accent' }]);
        const got = await store.state.read(['Key', 'key', 'kéy', 'KEY']);
        assert.deepEqual([...got].map(([k, r]) => [k, r.value]).sort(), [['Key', 'upper'], ['key', 'lower'], ['kéy', 'accent']]);
        const at = new Date('2026-11-22T10:00:00.000Z');
        assert.equal(await store.state.claimOnce('Marker', at), true);
        assert.equal(await store.state.claimOnce('marker', at), true);
      });

      it('stores large values and unicode intact', async () => {
        const big = JSON.stringify({ text: 'åäö ÅÄÖ ✓ '.repeat(20_000) });
        await store.state.write([{ key: 'big', value: big }]);
        assert.equal((await store.state.read(['big'])).get('big')?.value, big);
      });
    });

    describe('conversation references', () => {
      const t0 = new Date('2026-11-02T08:00:00.000Z');
      const t1 = new Date('2026-11-03T08:00:00.000Z');

      it('upserts per user and scope, lower-casing the Entra id', async () => {
        await store.conversations.upsert(ref(), t0);
        await store.conversations.upsert(ref({ serviceUrl: 'https://smba.example/amer/', conversationId: 'a:conv-2' }), t1);
        const got = await store.conversations.get('tenant-1', 'aaaaaaaa-0000-0000-0000-000000000001', 'personal');
        assert.ok(got);
        assert.equal(got.serviceUrl, 'https://smba.example/amer/');
        assert.equal(got.conversationId, 'a:conv-2');
        assert.equal(got.aadObjectId, 'aaaaaaaa-0000-0000-0000-000000000001');
        assert.equal(got.active, true);
        assert.equal(got.updatedAt.toISOString(), t1.toISOString());
        assert.equal((await store.conversations.listForUser('AAAAAAAA-0000-0000-0000-000000000001')).length, 1);
      });

      it('keeps separate references for personal and channel scope', async () => {
        await store.conversations.upsert(ref(), t0);
        await store.conversations.upsert(ref({ scope: 'channel', conversationId: '19:channel' }), t0);
        const list = await store.conversations.listForUser('aaaaaaaa-0000-0000-0000-000000000001');
        assert.deepEqual(list.map((r) => r.scope).sort(), ['channel', 'personal']);
      });

      it('marks a conversation inactive on uninstall and reactivates it on the next activity', async () => {
        await store.conversations.upsert(ref(), t0);
        assert.equal(await store.conversations.markConversationInactive('tenant-1', 'a:conv-1', 'uninstalled', t1), 1);
        const off = await store.conversations.get('tenant-1', 'aaaaaaaa-0000-0000-0000-000000000001', 'personal');
        assert.equal(off?.active, false);
        assert.equal(off?.inactiveReason, 'uninstalled');
        assert.equal(await store.conversations.markConversationInactive('tenant-1', 'a:conv-1', 'uninstalled', t1), 0);
        await store.conversations.upsert(ref({ userName: undefined }), t1);
        const on = await store.conversations.get('tenant-1', 'aaaaaaaa-0000-0000-0000-000000000001', 'personal');
        assert.equal(on?.active, true);
        assert.equal(on?.inactiveReason, undefined);
        assert.equal(on?.userName, 'Anna Chef', 'a missing name does not erase the known one');
      });

      it('marks one user inactive by scope', async () => {
        await store.conversations.upsert(ref(), t0);
        await store.conversations.upsert(ref({ aadObjectId: 'bbbbbbbb-0000-0000-0000-000000000002', userId: '29:2' }), t0);
        assert.equal(await store.conversations.markUserInactive('tenant-1', 'bbbbbbbb-0000-0000-0000-000000000002', 'personal', 'ConversationNotFound', t1), 1);
        assert.equal((await store.conversations.get('tenant-1', 'aaaaaaaa-0000-0000-0000-000000000001', 'personal'))?.active, true);
        assert.equal((await store.conversations.get('tenant-1', 'bbbbbbbb-0000-0000-0000-000000000002', 'personal'))?.active, false);
      });

      it('returns undefined for an unknown user', async () => {
        assert.equal(await store.conversations.get('tenant-1', 'cccccccc-0000-0000-0000-000000000003', 'personal'), undefined);
      });
    });

    describe('lex Sarah reports and audit', () => {
      const actor = { actorEntraId: 'aaaaaaaa-0000-0000-0000-000000000002', action: 'report.create', entityType: 'report' };
      beforeEach(async () => {
        await store.organisation.sync(sampleOrg(), new Date('2026-11-01T00:00:00.000Z'));
      });

      it('records which person, in which conversation, a report form was issued to; the first issue stands', async () => {
        const formId = 'cccccccc-0000-4000-8000-000000000001';
        assert.equal(await store.reports.getForm(formId), undefined);
        const issuedAt = new Date('2026-11-20T08:00:00.000Z');
        await store.reports.issueForm({ formId, reporterEntraId: 'AAAAAAAA-0000-0000-0000-000000000002', conversationId: 'a:Personal-Conversation', issuedAt });
        await store.reports.issueForm({ formId, reporterEntraId: 'aaaaaaaa-0000-0000-0000-000000000009', conversationId: 'a:other', issuedAt: new Date() });
        assert.deepEqual(await store.reports.getForm(formId), {
          formId, reporterEntraId: 'aaaaaaaa-0000-0000-0000-000000000002', conversationId: 'a:Personal-Conversation', issuedAt,
        });
        assert.equal(await store.reports.getForm(formId.toUpperCase()), undefined, 'form ids compare exactly');
        assert.equal(await store.reports.getForm('x'.repeat(500)), undefined);
      });

      // SQL Server ignores trailing spaces in = and in unique keys; SQLite does not. Both refuse them.
      it('refuses form ids that end in whitespace, issued or submitted, and never finds one for the id without it', async () => {
        const formId = 'cccccccc-0000-4000-8000-000000000002';
        const issuedAt = new Date('2026-11-20T08:00:00.000Z');
        await store.reports.issueForm({ formId, reporterEntraId: 'aaaaaaaa-0000-0000-0000-000000000002', conversationId: 'a:c', issuedAt });
        await assert.rejects(
          store.reports.issueForm({ formId: `${formId} `, reporterEntraId: 'aaaaaaaa-0000-0000-0000-000000000009', conversationId: 'a:other', issuedAt }),
          /form id "cccccccc-0000-4000-8000-000000000002 " ends in whitespace/,
        );
        assert.equal(await store.reports.getForm(`${formId} `), undefined);
        assert.equal((await store.reports.getForm(formId))?.conversationId, 'a:c');
        const first = await store.reports.create(newReport({ formId }), actor);
        await assert.rejects(store.reports.create(newReport({ formId: `${formId}\n` }), actor), /form id .* ends in whitespace/);
        assert.deepEqual((await store.reports.listByReporter('aaaaaaaa-0000-0000-0000-000000000002', 10)).map((r) => r.reference), [first.report.reference]);
      });

      it('numbers reports LS-<year>-<nnnn> per year and round-trips every field', async () => {
        const input = newReport();
        const a = await store.reports.create(input, actor);
        const b = await store.reports.create(newReport({ caseReference: undefined, urgent: false }), actor);
        const c = await store.reports.create(newReport({ year: 2027 }), actor);
        assert.deepEqual([a.report.reference, b.report.reference, c.report.reference], ['LS-2026-0001', 'LS-2026-0002', 'LS-2027-0001']);
        assert.equal(a.created, true);
        const back = await store.reports.getByReference('ls-2026-0001');
        assert.ok(back);
        const { id, reference, seq, state, updatedAt, ...fields } = back;
        assert.deepEqual(fields, { ...input, reporterEntraId: input.reporterEntraId.toLowerCase() });
        assert.equal(state, 'rapporterad');
        assert.equal(seq, 1);
        assert.ok(id > 0 && reference === 'LS-2026-0001' && updatedAt instanceof Date);
        assert.equal((await store.reports.getByReference('LS-2026-0002'))?.caseReference, undefined);
        assert.equal(await store.reports.getByReference('LS-2026-0099'), undefined);
      });

      it('is idempotent per form: the same form again returns the same report and writes nothing', async () => {
        const input = newReport();
        const first = await store.reports.create(input, actor);
        const again = await store.reports.create({ ...input, whatHappened: 'ändrad text' }, actor);
        assert.equal(again.created, false);
        assert.equal(again.report.reference, first.report.reference);
        assert.equal(again.report.whatHappened, input.whatHappened);
        assert.equal((await store.reports.listByReporter(input.reporterEntraId, 10)).length, 1);
        assert.equal((await store.audit.list({ entityRef: first.report.reference })).length, 1);
      });

      it('gives unique consecutive numbers to concurrent submits, and one report for a concurrent double submit', async () => {
        const distinct = await Promise.all(Array.from({ length: 20 }, () => store.reports.create(newReport(), actor)));
        assert.deepEqual(distinct.map((r) => r.report.seq).sort((x, y) => x - y), Array.from({ length: 20 }, (_, i) => i + 1));
        const same = newReport();
        const doubles = await Promise.all(Array.from({ length: 5 }, () => store.reports.create(same, actor)));
        assert.equal(new Set(doubles.map((d) => d.report.reference)).size, 1);
        assert.equal(doubles.filter((d) => d.created).length, 1);
      });

      it('lists a reporter\'s own reports, newest first, with a limit', async () => {
        await store.reports.create(newReport({ createdAt: new Date('2026-11-01T08:00:00Z') }), actor);
        await store.reports.create(newReport({ createdAt: new Date('2026-11-03T08:00:00Z') }), actor);
        await store.reports.create(newReport({ reporterEntraId: 'aaaaaaaa-0000-0000-0000-000000000001', reporterName: 'Anna Chef' }), actor);
        const mine = await store.reports.listByReporter('AAAAAAAA-0000-0000-0000-000000000002', 10);
        assert.deepEqual(mine.map((r) => r.reference), ['LS-2026-0002', 'LS-2026-0001']);
        assert.deepEqual(Object.keys(mine[0]!).sort(), ['category', 'createdAt', 'id', 'reference', 'state', 'unitId', 'urgent']);
        assert.equal((await store.reports.listByReporter('aaaaaaaa-0000-0000-0000-000000000002', 1)).length, 1);
      });

      it('records one notification outcome per recipient and kind, the latest winning', async () => {
        const { report } = await store.reports.create(newReport(), actor);
        const base = { reportId: report.id, recipientEntraId: 'AAAAAAAA-0000-0000-0000-000000000001', recipientName: 'Anna Chef', kind: 'new-report' as const };
        await store.reports.recordNotification({ ...base, status: 'failed', error: 'ConversationNotFound', at: new Date('2026-11-22T09:00:01Z') });
        await store.reports.recordNotification({ ...base, status: 'sent', at: new Date('2026-11-22T09:05:00Z') });
        await store.reports.recordNotification({ ...base, recipientEntraId: 'x-2', recipientName: 'Cia', status: 'no-reference', at: new Date('2026-11-22T09:00:01Z') });
        const list = await store.reports.listNotifications(report.id);
        assert.deepEqual(
          list.map((n) => [n.recipientName, n.status, n.error]),
          [['Anna Chef', 'sent', undefined], ['Cia', 'no-reference', undefined]],
        );
        assert.equal(list[0]!.recipientEntraId, 'aaaaaaaa-0000-0000-0000-000000000001');
      });

      it('lists notifications by recipient name in binary order (upper case first, Å and Ö after z), as SQLite does', async () => {
        const { report } = await store.reports.create(newReport(), actor);
        const at = new Date('2026-11-22T09:00:00Z');
        const names = ['Örjan', 'anna', 'Åsa', 'Bo', 'zoe'];
        for (const [i, recipientName] of names.entries()) {
          await store.reports.recordNotification({ reportId: report.id, recipientEntraId: `x-${i}`, recipientName, kind: 'new-report', status: 'sent', at });
        }
        assert.deepEqual((await store.reports.listNotifications(report.id)).map((n) => n.recipientName), ['Bo', 'anna', 'zoe', 'Åsa', 'Örjan']);
      });

      it('keeps an audit trail in order, filterable by entity and actor', async () => {
        const { report } = await store.reports.create(newReport(), actor);
        await store.audit.append({ at: new Date('2026-11-22T10:00:00Z'), actorEntraId: 'AAAAAAAA-0000-0000-0000-000000000001', action: 'report.read', entityType: 'report', entityRef: report.reference });
        await store.audit.append({ at: new Date('2026-11-22T10:01:00Z'), actorEntraId: 'aaaaaaaa-0000-0000-0000-000000000003', action: 'report.read-denied', entityType: 'report', entityRef: report.reference, detail: 'role=none' });
        const trail = await store.audit.list({ entityRef: report.reference });
        assert.deepEqual(trail.map((e) => e.action), ['report.create', 'report.read', 'report.read-denied']);
        assert.equal(trail[2]!.detail, 'role=none');
        assert.equal(trail[1]!.at.toISOString(), '2026-11-22T10:00:00.000Z');
        const byActor = await store.audit.list({ actorEntraId: 'aaaaaaaa-0000-0000-0000-000000000001' });
        assert.deepEqual(byActor.map((e) => e.action), ['report.read']);
      });
    });

    describe('lex Sarah cases (guarded state changes)', () => {
      const anna = { entraId: 'AAAAAAAA-0000-0000-0000-000000000001', name: 'Anna Chef' };
      const cia = { entraId: 'aaaaaaaa-0000-0000-0000-000000000003', name: 'Cia Admin' };
      const at = (iso: string) => new Date(iso);
      let reportId: number;
      let reference: string;
      const guard = (from: Parameters<Store['cases']['startInvestigation']>[0]['from'], to: typeof from, when = '2026-11-22T10:00:00.000Z') => ({
        reportId, reference, from, to, actor: anna, at: at(when),
      });
      const decision = (requiresAnmalan: boolean) => ({
        answersJson: '{"q":1}',
        recommendedOutcome: requiresAnmalan ? 'allvarligt-missforhallande' : 'missforhallande-ej-allvarligt',
        recommendationJson: '{"reasons":["x"]}',
        decidedOutcome: requiresAnmalan ? 'allvarligt-missforhallande' : 'missforhallande-ej-allvarligt',
        requiresAnmalan,
      });
      beforeEach(async () => {
        await store.organisation.sync(sampleOrg(), new Date('2026-11-01T00:00:00.000Z'));
        const { report } = await store.reports.create(newReport(), { actorEntraId: anna.entraId, action: 'report.create', entityType: 'report' });
        reportId = report.id;
        reference = report.reference;
      });

      it('stores a step form\'s entry and åtgärd once per form id, and audits them once', async () => {
        const entry = { item: 'orsaker' as const, text: 'Rutinen var otydlig.', kind: 'fakta' as const, source: 'Intervju', author: cia, documentedAt: at('2026-11-23T09:00:00.000Z') };
        const formA = '0f0e0d0c-0000-4000-8000-00000000000a';
        const ids = await Promise.all([store.cases.addEntry(reportId, reference, entry, formA), store.cases.addEntry(reportId, reference, entry, formA)]);
        assert.equal(ids[0], ids[1], 'the same entry id for both submits');
        assert.equal(await store.cases.addEntry(reportId, reference, entry, formA), ids[0]);
        await store.cases.addEntry(reportId, reference, entry, '0f0e0d0c-0000-4000-8000-00000000000b');
        await store.cases.addEntry(reportId, reference, entry);
        await store.cases.addEntry(reportId, reference, entry);
        const action = { text: 'Ny rutin', owner: anna, dueOn: '2026-12-15', createdAt: at('2026-11-23T09:05:00.000Z') };
        const a1 = await store.cases.addAction(reportId, reference, action, cia, formA);
        assert.equal(await store.cases.addAction(reportId, reference, action, cia, formA), a1);
        const c = await store.cases.get(reportId);
        assert.equal(c.entries.length, 4, 'one per form id, and each without a form id');
        assert.equal(c.actions.length, 1);
        const trail = (await store.audit.list({ entityRef: reference })).map((e) => e.action);
        assert.equal(trail.filter((x) => x === 'case.document').length, 4);
        assert.equal(trail.filter((x) => x === 'case.add-action').length, 1);
      });

      it('marks an åtgärd genomförd once, with by whom and when, audited once, even two at once; never one of another case (#16)', async () => {
        const action = { text: 'Ny rutin', owner: anna, dueOn: '2026-12-15', createdAt: at('2026-11-23T09:05:00.000Z') };
        const id = await store.cases.addAction(reportId, reference, action, cia);
        const other = (await store.reports.create(newReport({ formId: 'bbbbbbbb-0000-4000-8000-00000000000d' }), { actorEntraId: anna.entraId, action: 'report.create', entityType: 'report' })).report;
        assert.equal(await store.cases.markActionDone(other.id, other.reference, id, cia, at('2026-12-01T10:00:00.000Z')), 'not-found', "another case's");
        assert.equal(await store.cases.markActionDone(reportId, reference, id + 1000, cia, at('2026-12-01T10:00:00.000Z')), 'not-found');
        const both = await Promise.all([
          store.cases.markActionDone(reportId, reference, id, cia, at('2026-12-01T10:00:00.000Z')),
          store.cases.markActionDone(reportId, reference, id, anna, at('2026-12-01T10:00:01.000Z')),
        ]);
        assert.deepEqual([...both].sort(), ['already-done', 'done']);
        const [a] = (await store.cases.get(reportId)).actions;
        const first = both[0] === 'done' ? cia : anna;
        assert.equal(a!.doneBy?.name, first.name);
        assert.equal(a!.doneBy?.entraId, first.entraId.toLowerCase());
        assert.equal(a!.doneAt?.toISOString(), both[0] === 'done' ? '2026-12-01T10:00:00.000Z' : '2026-12-01T10:00:01.000Z');
        const trail = (await store.audit.list({ entityRef: reference })).filter((e) => e.action === 'case.action-done');
        assert.deepEqual(trail.map((e) => e.detail), [`action=${id}`]);
        assert.equal((await store.cases.get(other.id)).actions.length, 0);
      });

      it('keeps step form ids per report: the same id on another report stores a row there', async () => {
        const other = (await store.reports.create(newReport({ formId: 'bbbbbbbb-0000-4000-8000-000000000009' }), { actorEntraId: anna.entraId, action: 'report.create', entityType: 'report' })).report;
        const entry = { item: 'orsaker' as const, text: 'T', kind: 'fakta' as const, source: 'S', author: cia, documentedAt: at('2026-11-23T09:00:00.000Z') };
        const formId = '0f0e0d0c-0000-4000-8000-00000000000c';
        const a = await store.cases.addEntry(reportId, reference, entry, formId);
        const b = await store.cases.addEntry(other.id, other.reference, entry, formId);
        assert.notEqual(a, b);
        assert.equal((await store.cases.get(other.id)).entries.length, 1);
      });

      it('starts with nothing recorded', async () => {
        const c = await store.cases.get(reportId);
        assert.deepEqual(c, { reportId, decisions: [], entries: [], actions: [], events: [] });
      });

      it('walks the whole process, recording each step, event and audit entry', async () => {
        assert.equal(await store.cases.startInvestigation(guard('rapporterad', 'under-utredning'), cia), true);
        assert.equal(await store.cases.recordDecision(guard('under-utredning', 'bedomd', '2026-11-23T10:00:00.000Z'), { ...decision(true), motivation: 'M' }), true);
        assert.equal(await store.cases.recordFiling(guard('bedomd', 'anmald'), { filedOn: '2026-11-24', ivoDiarienummer: '3.5.1-12345/2026', investigationAttached: false }), true);
        assert.deepEqual((await store.cases.listClockCases()).map((c) => [c.reference, c.filedOn, c.investigationAttached, c.investigationSentOn]), [[reference, '2026-11-24', false, undefined]]);
        assert.equal(await store.cases.markInvestigationSent(guard('anmald', 'anmald'), '2027-01-10'), true);
        // The investigation is at IVO: the closing clock runs from the day it was sent.
        assert.deepEqual((await store.cases.listClockCases()).map((c) => [c.reference, c.filedOn, c.investigationAttached, c.investigationSentOn]), [[reference, '2026-11-24', false, '2027-01-10']]);
        assert.equal(await store.cases.close(guard('anmald', 'avslutad'), { decisionText: 'Avslutad efter utredning.' }), true);
        assert.deepEqual(await store.cases.listClockCases(), [], 'closed: no clock');
        await store.cases.addEntry(reportId, reference, { item: 'orsaker', text: 'Rutinen var otydlig.', kind: 'bedomning', source: 'Intervju med personal', author: cia, documentedAt: at('2026-11-23T09:00:00.000Z') });
        await store.cases.addAction(reportId, reference, { text: 'Ny rutin för överlämning', owner: anna, dueOn: '2026-12-15', createdAt: at('2026-11-23T09:05:00.000Z') }, cia);

        const c = await store.cases.get(reportId);
        assert.deepEqual(c.utredare, { entraId: 'aaaaaaaa-0000-0000-0000-000000000003', name: 'Cia Admin' });
        assert.equal(c.decisions.length, 1);
        assert.equal(c.decisions[0]!.requiresAnmalan, true);
        assert.equal(c.decisions[0]!.motivation, 'M');
        assert.equal(c.decisions[0]!.decidedAt.toISOString(), '2026-11-23T10:00:00.000Z');
        assert.equal(c.decisions[0]!.decidedBy.entraId, 'aaaaaaaa-0000-0000-0000-000000000001');
        assert.deepEqual({ ...c.filing, recordedAt: undefined, recordedBy: undefined }, {
          filedOn: '2026-11-24', ivoDiarienummer: '3.5.1-12345/2026', investigationAttached: false, investigationSentOn: '2027-01-10', recordedAt: undefined, recordedBy: undefined,
        });
        assert.equal(c.closing?.decisionText, 'Avslutad efter utredning.');
        assert.equal(c.closing?.motivation, undefined);
        assert.deepEqual(c.entries.map((e) => [e.item, e.kind, e.text, e.author.name]), [['orsaker', 'bedomning', 'Rutinen var otydlig.', 'Cia Admin']]);
        assert.deepEqual(c.actions.map((a) => [a.text, a.owner.name, a.dueOn, a.doneAt]), [['Ny rutin för överlämning', 'Anna Chef', '2026-12-15', undefined]]);
        assert.deepEqual(c.events.map((e) => `${e.event}:${e.fromState}->${e.toState}`), [
          'start-investigation:rapporterad->under-utredning',
          'record-decision:under-utredning->bedomd',
          'record-filing:bedomd->anmald',
          'send-investigation:anmald->anmald',
          'close:anmald->avslutad',
        ]);
        assert.equal((await store.reports.getByReference(reference))?.state, 'avslutad');
        const trail = (await store.audit.list({ entityRef: reference })).map((e) => e.action);
        assert.deepEqual(trail, ['report.create', 'case.start-investigation', 'case.record-decision', 'case.record-filing', 'case.send-investigation', 'case.close', 'case.document', 'case.add-action']);
      });

      it('refuses a change from a state the report is no longer in, writing nothing', async () => {
        assert.equal(await store.cases.startInvestigation(guard('rapporterad', 'under-utredning'), cia), true);
        assert.equal(await store.cases.startInvestigation(guard('rapporterad', 'under-utredning'), anna), false);
        assert.equal(await store.cases.recordFiling(guard('bedomd', 'anmald'), { filedOn: '2026-11-24', ivoDiarienummer: 'x', investigationAttached: true }), false);
        const c = await store.cases.get(reportId);
        assert.equal(c.utredare?.name, 'Cia Admin');
        assert.equal(c.filing, undefined);
        assert.equal(c.events.length, 1);
      });

      it('lets exactly one of two concurrent changes from the same state win', async () => {
        const results = await Promise.all([
          store.cases.recordDecision(guard('rapporterad', 'bedomd'), decision(true)),
          store.cases.recordDecision(guard('rapporterad', 'bedomd'), decision(false)),
        ]);
        assert.deepEqual(results.filter(Boolean).length, 1);
        assert.equal((await store.cases.get(reportId)).decisions.length, 1);
      });

      it('lists open cases of the given units with their clocks, oldest first', async () => {
        const other = await store.reports.create(newReport({ unitId: 'vuxen', createdAt: at('2026-11-23T08:00:00.000Z') }), { actorEntraId: anna.entraId, action: 'report.create', entityType: 'report' });
        await store.cases.recordDecision(guard('rapporterad', 'bedomd', '2026-11-24T08:00:00.000Z'), decision(true));
        const open = await store.cases.listOpenCases(['bou', 'vuxen']);
        assert.deepEqual(open.map((c) => [c.reference, c.state, c.urgent, c.anmalanDecidedAt?.toISOString()]), [
          [reference, 'bedomd', true, '2026-11-24T08:00:00.000Z'],
          [other.report.reference, 'rapporterad', true, undefined],
        ]);
        assert.deepEqual((await store.cases.listOpenCases(['vuxen'])).map((c) => c.reference), [other.report.reference]);
        await store.cases.recordDecision(guard('bedomd', 'bedomd', '2026-11-26T08:00:00.000Z'), decision(false));
        assert.deepEqual((await store.cases.listOpenCases(['bou'])).map((c) => [c.reference, c.anmalanDecidedAt, c.noAnmalanDecidedAt?.toISOString()]), [[reference, undefined, '2026-11-26T08:00:00.000Z']]);
        await store.cases.close(guard('bedomd', 'avslutad'), { decisionText: 'x', motivation: 'y' });
        assert.deepEqual((await store.cases.listOpenCases(['bou'])).length, 0);
      });

      it('lists unassessed open reports (no decision yet) with their receipt and urgency, of all units or the given ones', async () => {
        const create = async (over: Partial<NewReport>) => (await store.reports.create(newReport(over), { actorEntraId: anna.entraId, action: 'report.create', entityType: 'report' })).report;
        const investigated = await create({ unitId: 'vuxen', urgent: false, createdAt: at('2026-11-23T08:00:00.000Z') });
        await store.cases.startInvestigation({ ...guard('rapporterad', 'under-utredning'), reportId: investigated.id, reference: investigated.reference }, cia);
        const decided = await create({ createdAt: at('2026-11-21T08:00:00.000Z') });
        await store.cases.recordDecision({ ...guard('rapporterad', 'bedomd'), reportId: decided.id, reference: decided.reference }, decision(true));
        const closed = await create({ unitId: 'vuxen' });
        await store.cases.recordDecision({ ...guard('rapporterad', 'bedomd'), reportId: closed.id, reference: closed.reference }, decision(false));
        await store.cases.close({ ...guard('bedomd', 'avslutad'), reportId: closed.id, reference: closed.reference }, { decisionText: 'x', motivation: 'y' });
        await create({ unitId: 'eken', committeeId: 'von', urgent: false });

        const all = await store.cases.listUnassessedCases();
        const brief = (cs: typeof all) => cs.map((c) => [c.reference, c.unitId, c.committeeId, c.state, c.urgent, c.createdAt.toISOString()]);
        assert.deepEqual(brief(all.filter((c) => c.unitId !== 'eken')), [
          [reference, 'bou', 'sn', 'rapporterad', true, '2026-11-22T09:00:00.000Z'],
          [investigated.reference, 'vuxen', 'sn', 'under-utredning', false, '2026-11-23T08:00:00.000Z'],
        ]);
        assert.deepEqual(all.map((c) => c.reportId), [...all.map((c) => c.reportId)].sort((a, b) => a - b), 'by id');
        assert.equal(all.length, 3, 'the report of the other nämnd is listed too when no units are given');
        // Exactly the states in which the clocks see no decision yet: the store keeps its own list.
        assert.deepEqual([...new Set(all.map((c) => c.state))].sort(), [...UNASSESSED_STATES].sort());
        assert.ok(all.every((c) => c.anmalanDecidedAt === undefined && c.filedOn === undefined));
        assert.deepEqual(brief(await store.cases.listUnassessedCases(['vuxen'])), [[investigated.reference, 'vuxen', 'sn', 'under-utredning', false, '2026-11-23T08:00:00.000Z']]);
        assert.deepEqual((await store.cases.listUnassessedCases(['bou', 'eken'])).map((c) => c.unitId), ['bou', 'eken']);
        assert.deepEqual(await store.cases.listUnassessedCases([]), []);
        assert.deepEqual(await store.cases.listUnassessedCases(['x'.repeat(500)]), [], 'a unit id longer than the column');
        // A decision stops the clock.
        await store.cases.recordDecision(guard('rapporterad', 'bedomd'), decision(false));
        assert.deepEqual((await store.cases.listUnassessedCases(['bou'])).map((c) => c.reference), []);
      });

      it('records a week\'s review once: the first record wins', async () => {
        const first = { unitId: 'bou', weekKey: '2026-W48', doneBy: anna, doneAt: at('2026-11-23T09:30:00.000Z'), comment: 'Allt genomgånget.' };
        const a = await store.cases.recordReview(first);
        const b = await store.cases.recordReview({ ...first, doneBy: cia, doneAt: at('2026-11-23T10:00:00.000Z'), comment: undefined });
        assert.equal(a.created, true);
        assert.equal(b.created, false);
        assert.equal(b.record.doneBy.name, 'Anna Chef');
        assert.equal(b.record.comment, 'Allt genomgånget.');
        assert.equal((await store.cases.getReview('bou', '2026-W48'))?.doneAt.toISOString(), '2026-11-23T09:30:00.000Z');
        assert.equal(await store.cases.getReview('bou', '2026-W49'), undefined);
        assert.deepEqual((await store.audit.list({ entityRef: 'bou' })).map((e) => [e.action, e.detail]), [['review.done', 'week=2026-W48']]);
      });

      it('keeps review snoozes until they are due and sent', async () => {
        const z = { unitId: 'bou', weekKey: '2026-W48', entraId: 'AAAAAAAA-0000-0000-0000-000000000001', until: at('2026-11-23T10:00:00.000Z') };
        await store.cases.snoozeReview(z);
        await store.cases.snoozeReview(z);
        await store.cases.snoozeReview({ ...z, until: at('2026-11-24T07:00:00.000Z') });
        assert.deepEqual(await store.cases.dueSnoozes(at('2026-11-23T09:59:59.000Z')), []);
        const due = await store.cases.dueSnoozes(at('2026-11-23T10:00:00.000Z'));
        assert.deepEqual(due.map((d) => [d.unitId, d.weekKey, d.entraId, d.until.toISOString()]), [['bou', '2026-W48', 'aaaaaaaa-0000-0000-0000-000000000001', '2026-11-23T10:00:00.000Z']]);
        await store.cases.markSnoozeSent(due[0]!, at('2026-11-23T10:00:05.000Z'));
        assert.deepEqual((await store.cases.dueSnoozes(at('2026-11-25T00:00:00.000Z'))).map((d) => d.until.toISOString()), ['2026-11-24T07:00:00.000Z']);
      });

      it('keeps every decision; the last is in force for the clocks', async () => {
        await store.cases.recordDecision(guard('rapporterad', 'bedomd', '2026-11-22T10:00:00.000Z'), decision(false));
        // No anmälan needed: the case is listed all the same, for its closing clock.
        const closing = await store.cases.listClockCases();
        assert.deepEqual(closing.map((c) => [c.reference, c.anmalanDecidedAt, c.noAnmalanDecidedAt?.toISOString()]), [[reference, undefined, '2026-11-22T10:00:00.000Z']]);
        await store.cases.recordDecision(guard('bedomd', 'bedomd', '2026-11-25T10:00:00.000Z'), decision(true));
        const clocks = await store.cases.listClockCases();
        assert.equal(clocks.length, 1);
        assert.equal(clocks[0]!.anmalanDecidedAt?.toISOString(), '2026-11-25T10:00:00.000Z');
        assert.equal(clocks[0]!.noAnmalanDecidedAt, undefined);
        assert.equal((await store.cases.get(reportId)).decisions.length, 2);
      });

      // Review #13: "Ny bedömning" with the same serious outcome must not restart "snarast"; a flip
      // to serious and back must not restart the closing (re-review #13).
      it('counts the anmälan from the first decision of its unbroken run and the closing from the earliest decision needing none, in every list the clocks read', async () => {
        const from = async (field: 'anmalanDecidedAt' | 'noAnmalanDecidedAt') => {
          const clock = (await store.cases.listClockCases()).find((c) => c.reportId === reportId)?.[field]?.toISOString();
          const some = (await store.cases.listClockCases(['bou'])).find((c) => c.reportId === reportId)?.[field]?.toISOString();
          const open = (await store.cases.listOpenCases(['bou'])).find((c) => c.reportId === reportId)?.[field]?.toISOString();
          assert.equal(some, clock, `listClockCases for units agrees (${field})`);
          assert.equal(open, clock, `listOpenCases agrees (${field})`);
          return clock;
        };
        // [when, requires an anmälan, the anmälan counted from afterwards, the closing counted from afterwards]
        const steps: [string, boolean, string | undefined, string | undefined][] = [
          ['2026-11-20T10:00:00.000Z', false, undefined, '2026-11-20T10:00:00.000Z'],
          ['2026-11-21T10:00:00.000Z', false, undefined, '2026-11-20T10:00:00.000Z'], // re-assessed, no anmälan still: no new time to close
          ['2026-11-22T10:00:00.000Z', true, '2026-11-22T10:00:00.000Z', undefined],
          ['2026-12-10T10:00:00.000Z', true, '2026-11-22T10:00:00.000Z', undefined], // re-assessed, still serious: the run goes on
          ['2026-12-11T10:00:00.000Z', true, '2026-11-22T10:00:00.000Z', undefined],
          // Taken back (with its motivation): the serious run ends, and the closing counts from the first "ej allvarligt" of 20 Nov, not from now.
          ['2026-12-12T10:00:00.000Z', false, undefined, '2026-11-20T10:00:00.000Z'],
          ['2026-12-20T10:00:00.000Z', true, '2026-12-20T10:00:00.000Z', undefined], // serious again: a new run
          ['2026-12-21T10:00:00.000Z', true, '2026-12-20T10:00:00.000Z', undefined],
          ['2026-12-21T11:00:00.000Z', false, undefined, '2026-11-20T10:00:00.000Z'], // and back, an hour later: still from 20 Nov
        ];
        let state: 'rapporterad' | 'bedomd' = 'rapporterad';
        for (const [when, serious, anmalan, closing] of steps) {
          assert.equal(await store.cases.recordDecision(guard(state, 'bedomd', when), decision(serious)), true);
          state = 'bedomd';
          assert.equal(await from('anmalanDecidedAt'), anmalan, `the anmälan after the decision of ${when}`);
          assert.equal(await from('noAnmalanDecidedAt'), closing, `the closing after the decision of ${when}`);
          // The same as the pure rules read from the stored decisions.
          const decisions = (await store.cases.get(reportId)).decisions;
          assert.equal(anmalanRunStart(decisions)?.toISOString(), anmalan);
          assert.equal(noAnmalanRunStart(decisions)?.toISOString(), closing);
        }
      });

      it('lists, for every decided or filed case, the facts giving the clock the case as loaded runs (caseRunningClock)', async () => {
        const create = async (createdAt: string) => (await store.reports.create(newReport({ createdAt: at(createdAt) }), { actorEntraId: anna.entraId, action: 'report.create', entityType: 'report' })).report;
        const g = (r: { id: number; reference: string }, from: Parameters<typeof guard>[0], to: Parameters<typeof guard>[1], when: string) => ({ ...guard(from, to, when), reportId: r.id, reference: r.reference });
        const decidedOnly = await create('2026-11-01T08:00:00.000Z');
        await store.cases.recordDecision(g(decidedOnly, 'rapporterad', 'bedomd', '2026-11-02T10:00:00.000Z'), decision(false));
        const serious = await create('2026-11-02T08:00:00.000Z');
        await store.cases.recordDecision(g(serious, 'rapporterad', 'bedomd', '2026-11-03T10:00:00.000Z'), decision(true));
        const toSend = await create('2026-11-03T08:00:00.000Z');
        await store.cases.recordDecision(g(toSend, 'rapporterad', 'bedomd', '2026-11-04T10:00:00.000Z'), decision(true));
        await store.cases.recordFiling(g(toSend, 'bedomd', 'anmald', '2026-11-05T10:00:00.000Z'), { filedOn: '2026-11-05', ivoDiarienummer: 'd1', investigationAttached: false });
        const attached = await create('2026-11-04T08:00:00.000Z');
        await store.cases.recordDecision(g(attached, 'rapporterad', 'bedomd', '2026-11-05T10:00:00.000Z'), decision(true));
        await store.cases.recordFiling(g(attached, 'bedomd', 'anmald', '2026-11-06T10:00:00.000Z'), { filedOn: '2026-11-06', ivoDiarienummer: 'd2', investigationAttached: true });
        const sentLater = await create('2026-11-05T08:00:00.000Z');
        await store.cases.recordDecision(g(sentLater, 'rapporterad', 'bedomd', '2026-11-06T10:00:00.000Z'), decision(true));
        await store.cases.recordFiling(g(sentLater, 'bedomd', 'anmald', '2026-11-07T10:00:00.000Z'), { filedOn: '2026-11-07', ivoDiarienummer: 'd3', investigationAttached: false });
        await store.cases.markInvestigationSent(g(sentLater, 'anmald', 'anmald', '2026-12-20T10:00:00.000Z'), '2026-12-20');
        const closed = await create('2026-11-06T08:00:00.000Z');
        await store.cases.recordDecision(g(closed, 'rapporterad', 'bedomd', '2026-11-07T10:00:00.000Z'), decision(false));
        await store.cases.close(g(closed, 'bedomd', 'avslutad', '2026-11-08T10:00:00.000Z'), { decisionText: 'x', motivation: 'y' });

        const loaded = async (r: { id: number; reference: string }) => caseRunningClock((await store.reports.getByReference(r.reference))!, await store.cases.get(r.id));
        const listed = await store.cases.listClockCases();
        const open = await store.cases.listOpenCases(['bou']);
        const want: [typeof decidedOnly, string][] = [[decidedOnly, 'avslut'], [serious, 'anmalan'], [toSend, 'utredning'], [attached, 'avslut'], [sentLater, 'avslut']];
        for (const [r, clock] of want) {
          const expected = await loaded(r);
          assert.equal(expected?.clock, clock, r.reference);
          assert.deepEqual(runningClock(listed.find((c) => c.reportId === r.id)!), expected, `listClockCases: ${r.reference}`);
          assert.deepEqual(runningClock(open.find((c) => c.reportId === r.id)!), expected, `listOpenCases: ${r.reference}`);
        }
        assert.deepEqual(runningClock(listed.find((c) => c.reportId === attached.id)!), { clock: 'avslut', since: 'utredning-hos-ivo', atIvoOn: '2026-11-06' });
        assert.deepEqual(runningClock(listed.find((c) => c.reportId === sentLater.id)!), { clock: 'avslut', since: 'utredning-hos-ivo', atIvoOn: '2026-12-20' });
        assert.ok(!listed.some((c) => c.reportId === closed.id) && !open.some((c) => c.reportId === closed.id), 'a closed case is in no list');
        assert.equal(await loaded(closed), undefined);
      });

      // Re-review #13: the closing reminders go to the case's utredare as well.
      it('lists the appointed utredare with every decided or filed case that has one', async () => {
        const create = async (createdAt: string) => (await store.reports.create(newReport({ createdAt: at(createdAt) }), { actorEntraId: anna.entraId, action: 'report.create', entityType: 'report' })).report;
        const g = (r: { id: number; reference: string }, from: Parameters<typeof guard>[0], to: Parameters<typeof guard>[1], when: string) => ({ ...guard(from, to, when), reportId: r.id, reference: r.reference });
        const investigated = await create('2026-11-01T08:00:00.000Z');
        assert.equal(await store.cases.startInvestigation(g(investigated, 'rapporterad', 'under-utredning', '2026-11-02T09:00:00.000Z'), { entraId: 'CCCCCCCC-0000-0000-0000-000000000009', name: 'Ulla Utredare' }), true);
        await store.cases.recordDecision(g(investigated, 'under-utredning', 'bedomd', '2026-11-03T10:00:00.000Z'), decision(false));
        const notYet = await create('2026-11-01T09:00:00.000Z');
        await store.cases.recordDecision(g(notYet, 'rapporterad', 'bedomd', '2026-11-03T11:00:00.000Z'), decision(false));
        for (const listed of [await store.cases.listClockCases(), await store.cases.listClockCases(['bou'])]) {
          assert.deepEqual(listed.find((c) => c.reportId === investigated.id)?.utredare, { entraId: 'cccccccc-0000-0000-0000-000000000009', name: 'Ulla Utredare' });
          assert.equal(listed.find((c) => c.reportId === notYet.id)?.utredare, undefined);
        }
      });

      // Review #13: a re-assessment between opening the close form and submitting it keeps the state.
      it('refuses a guarded write naming a decision no longer in force, writing nothing', async () => {
        assert.equal(await store.cases.recordDecision({ ...guard('rapporterad', 'bedomd'), decisionInForce: 1_000_000 }, decision(false)), false, 'no such decision');
        assert.equal(await store.cases.recordDecision({ ...guard('rapporterad', 'bedomd'), decisionInForce: null }, decision(false)), true, 'none yet, as seen');
        const seen = (await store.cases.get(reportId)).decisions.at(-1)!.id;
        assert.equal(await store.cases.recordDecision({ ...guard('bedomd', 'bedomd'), decisionInForce: null }, decision(true)), false, 'a decision was made meanwhile');
        // Someone re-assesses it as serious; the close still names the decision it was opened on.
        assert.equal(await store.cases.recordDecision({ ...guard('bedomd', 'bedomd'), decisionInForce: seen }, decision(true)), true);
        assert.equal(await store.cases.close({ ...guard('bedomd', 'avslutad'), decisionInForce: seen }, { decisionText: 'x', motivation: 'y' }), false);
        const c = await store.cases.get(reportId);
        assert.equal(c.closing, undefined);
        assert.equal((await store.reports.getByReference(reference))?.state, 'bedomd');
        assert.deepEqual(c.events.map((e) => e.event), ['record-decision', 'record-decision']);
        assert.equal((await store.audit.list({ entityRef: reference })).filter((e) => e.action === 'case.close').length, 0);
        // Named right, it closes.
        assert.equal(await store.cases.close({ ...guard('bedomd', 'avslutad'), decisionInForce: c.decisions.at(-1)!.id }, { decisionText: 'x', motivation: 'y' }), true);
      });
    });

    describe('casework register', () => {
      const at = new Date('2026-11-22T02:00:00.000Z');
      const rec = (ref: string, over: Partial<CaseworkRecord> = {}): CaseworkRecord => ({
        source: 'procapita',
        caseReference: ref,
        type: 'forhandsbedomning',
        unitId: 'bou',
        status: 'oppen',
        dates: { orosanmalanMottagen: '2026-11-10' },
        ...over,
      });

      it('inserts, updates only what changed, and lists open items by unit', async () => {
        const first = await store.casework.importItems('procapita', [rec('BoU 1'), rec('BoU 2', { unitId: 'vuxen', handlaggare: 'h@k.se' })], { closeMissing: false, at, actor: 'import' });
        assert.deepEqual(first, { inserted: 2, updated: 0, unchanged: 0, closed: 0 });
        const second = await store.casework.importItems(
          'procapita',
          [rec('BoU 1'), rec('BoU 2', { unitId: 'vuxen', handlaggare: 'h@k.se', dates: { orosanmalanMottagen: '2026-11-12' }, judgment: true })],
          { closeMissing: false, at, actor: 'import' },
        );
        assert.deepEqual(second, { inserted: 0, updated: 1, unchanged: 1, closed: 0 });
        const open = await store.casework.listOpen();
        assert.deepEqual(open.map((i) => [i.unitId, i.caseReference, i.type]), [['bou', 'BoU 1', 'forhandsbedomning'], ['vuxen', 'BoU 2', 'forhandsbedomning']]);
        assert.deepEqual(open[1]!.dates, { orosanmalanMottagen: '2026-11-12' });
        assert.equal(open[1]!.judgment, true);
        assert.equal(open[1]!.handlaggare, 'h@k.se');
        assert.deepEqual((await store.casework.listOpen(['vuxen'])).map((i) => i.caseReference), ['BoU 2']);
      });

      it('a full import closes what it no longer contains, per source only, and never deletes', async () => {
        await store.casework.importItems('procapita', [rec('A'), rec('B')], { closeMissing: false, at, actor: 'import' });
        await store.casework.importItems('lifecare', [rec('A', { source: 'lifecare' })], { closeMissing: false, at, actor: 'import' });
        const full = await store.casework.importItems('procapita', [rec('A')], { closeMissing: true, at, actor: 'import' });
        assert.equal(full.closed, 1);
        assert.deepEqual((await store.casework.listOpen()).map((i) => `${i.source}/${i.caseReference}`).sort(), ['lifecare/A', 'procapita/A']);
        assert.equal(await store.casework.count(), 3);
      });

      it('an item marked avslutad in the file is closed, and reopens when it comes back open', async () => {
        await store.casework.importItems('procapita', [rec('A', { status: 'avslutad' })], { closeMissing: false, at, actor: 'import' });
        assert.deepEqual(await store.casework.listOpen(), []);
        await store.casework.importItems('procapita', [rec('A')], { closeMissing: false, at, actor: 'import' });
        assert.equal((await store.casework.listOpen()).length, 1);
      });

      it('keeps every opening of an investigation and one clock per type under one reference; a full import closes, never deletes', async () => {
        const inv = (opened: string, over: Partial<CaseworkRecord> = {}) =>
          rec('BoU 51', { type: 'barnavardsutredning', dates: { utredningInledd: opened }, openingKey: opened, ...over });
        const lvu6 = rec('BoU 51', { type: 'omedelbart-omhandertagande', dates: { lvuBeslut: '2026-10-01', understalltDatum: '2026-10-02' } });
        const first = await store.casework.importItems('procapita', [inv('2026-03-02', { status: 'avslutad' }), inv('2026-07-01', { reopened: true, dates: { utredningInledd: '2026-07-01', forstaInledd: '2026-03-02' } }), lvu6], { closeMissing: true, at, actor: 'import' });
        assert.deepEqual(first, { inserted: 3, updated: 0, unchanged: 0, closed: 0 });
        const open = await store.casework.listOpen();
        assert.deepEqual(open.map((i) => [i.type, i.openingKey, i.reopened ?? false]), [['barnavardsutredning', '2026-07-01', true], ['omedelbart-omhandertagande', '', false]]);
        assert.deepEqual(open[0]!.dates, { utredningInledd: '2026-07-01', forstaInledd: '2026-03-02' });
        assert.deepEqual(open[1]!.dates, { lvuBeslut: '2026-10-01', understalltDatum: '2026-10-02' });
        const openings = await store.casework.firstOpenings('procapita', ['BOU 51', 'BoU 52']);
        assert.deepEqual([...openings.keys()], ['bou 51']);
        assert.deepEqual([...openings.get('bou 51')!].sort((a, b) => a.opened.localeCompare(b.opened)), [
          { opened: '2026-03-02', newInvestigation: false },
          { opened: '2026-07-01', newInvestigation: false },
        ]);
        assert.deepEqual(await store.casework.reopenedOpenCounts(['bou', 'vuxen']), [{ unitId: 'bou', count: 1 }]);
        const full = await store.casework.importItems('procapita', [lvu6], { closeMissing: true, at, actor: 'import' });
        assert.equal(full.closed, 1);
        assert.equal(await store.casework.count(), 3);
      });

      // SQL Server ignores trailing spaces in = and in unique keys; SQLite does not. Both refuse them.
      it('refuses sources, references, types and openings that end in whitespace, writing nothing', async () => {
        const opts = { closeMissing: true, at, actor: 'import' };
        await store.casework.importItems('procapita', [rec('BoU 1')], opts);
        await assert.rejects(store.casework.importItems('procapita ', [rec('BoU 9', { source: 'procapita ' })], opts), /casework source "procapita " ends in whitespace/);
        await assert.rejects(store.casework.importItems('procapita', [rec('BoU 2'), rec('BoU 1 ')], opts), /case reference "BoU 1 " ends in whitespace/);
        await assert.rejects(store.casework.importItems('procapita', [rec('BoU 2', { type: 'forhandsbedomning\t' })], opts), /type of case "BoU 2" .* ends in whitespace/);
        await assert.rejects(
          store.casework.importItems('procapita', [rec('BoU 2', { type: 'barnavardsutredning', dates: { utredningInledd: '2026-11-01' }, openingKey: '2026-11-01 ' })], opts),
          /opening key of case "BoU 2" .* ends in whitespace/,
        );
        assert.deepEqual((await store.casework.listOpen()).map((i) => i.caseReference), ['BoU 1'], 'a refused file changes nothing (a full import would have closed BoU 1)');
        assert.equal(await store.casework.count(), 1);
        assert.equal((await store.casework.firstOpenings('procapita ', ['BoU 1'])).size, 0);
      });

      it('finds investigation history by the reference key, whatever the case and spacing stored or asked for', async () => {
        const inv = (ref: string, opened: string, over: Partial<CaseworkRecord> = {}) =>
          rec(ref, { type: 'barnavardsutredning', dates: { utredningInledd: opened }, openingKey: opened, ...over });
        await store.casework.importItems(
          'procapita',
          [inv('BoU  7', '2026-01-05', { status: 'avslutad' }), inv('ÅSA 8', '2026-02-01', { newInvestigation: true }), inv('Other 9', '2026-03-01')],
          { closeMissing: false, at, actor: 'import' },
        );
        await store.casework.importItems('lifecare', [inv('BoU 7', '2026-04-01', { source: 'lifecare' })], { closeMissing: false, at, actor: 'import' });
        const found = await store.casework.firstOpenings('procapita', ['bou 7', 'åsa  8', ' BOU\t7', 'Nothing 1']);
        assert.deepEqual(
          [...found].sort(([a], [b]) => (a < b ? -1 : 1)),
          [
            ['bou 7', [{ opened: '2026-01-05', newInvestigation: false }]],
            ['åsa 8', [{ opened: '2026-02-01', newInvestigation: true }]],
          ],
        );
      });

      it('imports many rows in one go', async () => {
        const many = Array.from({ length: 3000 }, (_, i) => rec(`R${i}`));
        assert.equal((await store.casework.importItems('procapita', many, { closeMissing: true, at, actor: 'import' })).inserted, 3000);
        assert.equal((await store.casework.importItems('procapita', many.slice(0, 10), { closeMissing: true, at, actor: 'import' })).closed, 2990);
      });

      it('compares every column, also one that every other row leaves empty or the same, and counts only real changes', async () => {
        const opts = { closeMissing: false, at, actor: 'import' };
        const plain = [rec('A'), rec('B'), rec('C')];
        assert.deepEqual(await store.casework.importItems('procapita', plain, opts), { inserted: 3, updated: 0, unchanged: 0, closed: 0 });
        assert.deepEqual(await store.casework.importItems('procapita', plain, opts), { inserted: 0, updated: 0, unchanged: 3, closed: 0 });
        // One row fills a column that is empty everywhere else (in the file and in the register).
        const some = [rec('A'), rec('B', { dates: { orosanmalanMottagen: '2026-11-10', verkstalltDatum: '2026-11-11' } }), rec('C', { stopsOn: '2026-11-20' })];
        assert.deepEqual(await store.casework.importItems('procapita', some, opts), { inserted: 0, updated: 2, unchanged: 1, closed: 0 });
        assert.deepEqual(await store.casework.importItems('procapita', some, opts), { inserted: 0, updated: 0, unchanged: 3, closed: 0 });
        // Now empty in the whole file again, but not in the register.
        assert.deepEqual(await store.casework.importItems('procapita', plain, opts), { inserted: 0, updated: 2, unchanged: 1, closed: 0 });
        // The same value on every row of the file: the unit, the handläggare, a flag, the deadline.
        for (const over of [{ unitId: 'vuxen' }, { handlaggare: 'h@k.se' }, { judgment: true }, { dueOn: '2026-11-24' }] as Partial<CaseworkRecord>[]) {
          const all = ['A', 'B', 'C'].map((ref) => rec(ref, over));
          assert.deepEqual(await store.casework.importItems('procapita', all, opts), { inserted: 0, updated: 3, unchanged: 0, closed: 0 }, JSON.stringify(over));
          assert.deepEqual(await store.casework.importItems('procapita', all, opts), { inserted: 0, updated: 0, unchanged: 3, closed: 0 }, JSON.stringify(over));
          assert.deepEqual(await store.casework.importItems('procapita', plain, opts), { inserted: 0, updated: 3, unchanged: 0, closed: 0 }, JSON.stringify(over));
        }
        assert.deepEqual((await store.casework.listOpen()).map((i) => [i.caseReference, i.unitId, i.handlaggare, i.judgment, i.dueOn, i.stopsOn, i.dates]), [
          ['A', 'bou', undefined, undefined, undefined, undefined, { orosanmalanMottagen: '2026-11-10' }],
          ['B', 'bou', undefined, undefined, undefined, undefined, { orosanmalanMottagen: '2026-11-10' }],
          ['C', 'bou', undefined, undefined, undefined, undefined, { orosanmalanMottagen: '2026-11-10' }],
        ]);
      });

      it('compares with what the register holds now: a deadline set since is written again by the next import', async () => {
        const opts = { closeMissing: false, at, actor: 'import' };
        await store.casework.importItems('procapita', [rec('A', { dueOn: '2026-11-24' }), rec('B', { dueOn: '2026-11-24' })], opts);
        const a = (await store.casework.listOpen()).find((i) => i.caseReference === 'A')!;
        await store.casework.setDeadlines([{ id: a.id, dueOn: '2026-12-01', stopsOn: '2026-11-30' }]);
        const again = await store.casework.importItems('procapita', [rec('A', { dueOn: '2026-11-24' }), rec('B', { dueOn: '2026-11-24' })], opts);
        assert.deepEqual(again, { inserted: 0, updated: 1, unchanged: 1, closed: 0 });
        assert.deepEqual((await store.casework.listOpen()).map((i) => [i.caseReference, i.dueOn, i.stopsOn]), [['A', '2026-11-24', undefined], ['B', '2026-11-24', undefined]]);
      });

      it('a key twice in one file: each later occurrence is compared with the one before it, and a full import still closes the rest', async () => {
        await store.casework.importItems('procapita', [rec('B')], { closeMissing: false, at, actor: 'import' });
        const twice = await store.casework.importItems('procapita', [rec('A'), rec('A', { unitId: 'vuxen' }), rec('A', { unitId: 'vuxen' })], { closeMissing: true, at, actor: 'import' });
        assert.deepEqual(twice, { inserted: 1, updated: 1, unchanged: 1, closed: 1 });
        assert.deepEqual((await store.casework.listOpen()).map((i) => [i.caseReference, i.unitId]), [['A', 'vuxen']]);
        assert.equal(await store.casework.count(), 2);
      });

      it('one reference with several types matches each item by its whole key', async () => {
        const opts = { closeMissing: true, at, actor: 'import' };
        const items = [rec('X'), rec('X', { type: 'skyddsbedomning' }), rec('Y', { type: 'skyddsbedomning' })];
        assert.deepEqual(await store.casework.importItems('procapita', items, opts), { inserted: 3, updated: 0, unchanged: 0, closed: 0 });
        const changed = [rec('X'), rec('X', { type: 'skyddsbedomning', unitId: 'vuxen' })];
        assert.deepEqual(await store.casework.importItems('procapita', changed, opts), { inserted: 0, updated: 1, unchanged: 1, closed: 1 });
        assert.deepEqual((await store.casework.listOpen()).map((i) => [i.caseReference, i.type, i.unitId]), [['X', 'forhandsbedomning', 'bou'], ['X', 'skyddsbedomning', 'vuxen']]);
      });

      it('a large register is compared in full: a change near the end of 12,000 rows is found, the rest is unchanged', async () => {
        const many = Array.from({ length: 12_000 }, (_, i) => rec(`R${String(i).padStart(5, '0')}`));
        await store.casework.importItems('procapita', many, { closeMissing: true, at, actor: 'import' });
        const edited = many.map((r, i) => (i === 11_990 ? { ...r, unitId: 'vuxen' } : r));
        assert.deepEqual(await store.casework.importItems('procapita', edited, { closeMissing: true, at, actor: 'import' }), { inserted: 0, updated: 1, unchanged: 11_999, closed: 0 });
        assert.deepEqual((await store.casework.listOpen(['vuxen'])).map((i) => i.caseReference), ['R11990']);
      });
    });

    describe('status summary counts', () => {
      const anna = { entraId: 'aaaaaaaa-0000-0000-0000-000000000001', name: 'Anna Chef' };
      const audit = { actorEntraId: anna.entraId, action: 'report.create', entityType: 'report' };
      const period = {
        from: new Date('2026-11-15T23:00:00.000Z'),
        to: new Date('2026-11-22T23:00:00.000Z'),
        fromDay: '2026-11-16',
        toDay: '2026-11-23',
        today: '2026-11-22',
        approachingUntil: '2026-11-29',
      };
      const file = async (over: Partial<NewReport>) => (await store.reports.create(newReport(over), audit)).report;
      const g = (r: { id: number; reference: string }, from: Parameters<Store['cases']['startInvestigation']>[0]['from'], to: typeof from, when: string) => ({
        reportId: r.id, reference: r.reference, from, to, actor: anna, at: new Date(when),
      });
      const decision = (requiresAnmalan: boolean) => ({
        answersJson: '{}', recommendedOutcome: 'x', recommendationJson: '{}', decidedOutcome: 'x', requiresAnmalan,
      });
      beforeEach(async () => {
        await store.organisation.sync(sampleOrg(), new Date('2026-11-01T00:00:00.000Z'));
      });

      it('counts new reports in [from, to) per unit, and open reports per unit and state', async () => {
        await file({ createdAt: new Date('2026-11-15T22:59:59.999Z') }); // just before: not new
        await file({ createdAt: new Date('2026-11-15T23:00:00.000Z') }); // first instant: new
        const inv = await file({ createdAt: new Date('2026-11-20T10:00:00.000Z') });
        await file({ createdAt: new Date('2026-11-22T22:59:59.999Z'), unitId: 'vuxen' });
        await file({ createdAt: new Date('2026-11-22T23:00:00.000Z'), unitId: 'vuxen' }); // `to` is exclusive
        await file({ createdAt: new Date('2026-11-20T10:00:00.000Z'), unitId: 'eken', committeeId: 'von' }); // out of scope
        const closed = await file({ createdAt: new Date('2026-11-01T10:00:00.000Z') });
        await store.cases.startInvestigation(g(inv, 'rapporterad', 'under-utredning', '2026-11-21T10:00:00.000Z'), anna);
        await store.cases.recordDecision(g(closed, 'rapporterad', 'bedomd', '2026-11-02T10:00:00.000Z'), decision(false));
        await store.cases.close(g(closed, 'bedomd', 'avslutad', '2026-11-03T10:00:00.000Z'), { decisionText: 'x', motivation: 'y' });

        const c = await store.status.counts({ ...period, unitIds: ['bou', 'vuxen'] });
        const sort = <T extends { unitId: string }>(rows: T[]) => [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
        assert.deepEqual(sort(c.newReports), [{ unitId: 'bou', count: 2 }, { unitId: 'vuxen', count: 1 }]);
        assert.deepEqual(sort(c.openByState), [
          { unitId: 'bou', state: 'rapporterad', count: 2 },
          { unitId: 'bou', state: 'under-utredning', count: 1 },
          { unitId: 'vuxen', state: 'rapporterad', count: 2 },
        ]);
        assert.deepEqual(c.filings, []);
        assert.deepEqual(c.casework, []);
        assert.deepEqual((await store.status.counts({ ...period, unitIds: [] })).newReports, []);
      });

      it('counts anmälningar filed on the period\'s days, and lists clock cases of the given units only', async () => {
        const mk = async (unitId: string, filedOn: string | undefined) => {
          const r = await file({ unitId, createdAt: new Date('2026-11-01T10:00:00.000Z') });
          await store.cases.recordDecision(g(r, 'rapporterad', 'bedomd', '2026-11-02T10:00:00.000Z'), decision(true));
          if (filedOn) await store.cases.recordFiling(g(r, 'bedomd', 'anmald', '2026-11-03T10:00:00.000Z'), { filedOn, ivoDiarienummer: 'd', investigationAttached: false });
          return r;
        };
        await mk('bou', '2026-11-15'); // the day before the period
        await mk('bou', '2026-11-16'); // first day
        await mk('vuxen', '2026-11-22'); // last day
        await mk('vuxen', '2026-11-23'); // after
        const waiting = await mk('bou', undefined);
        await mk('eken', '2026-11-20');
        const c = await store.status.counts({ ...period, unitIds: ['bou', 'vuxen'] });
        assert.deepEqual([...c.filings].sort((a, b) => a.unitId.localeCompare(b.unitId)), [{ unitId: 'bou', count: 1 }, { unitId: 'vuxen', count: 1 }]);
        assert.deepEqual([...c.openByState].sort((a, b) => (a.unitId + a.state).localeCompare(b.unitId + b.state)), [
          { unitId: 'bou', state: 'anmald', count: 2 },
          { unitId: 'bou', state: 'bedomd', count: 1 },
          { unitId: 'vuxen', state: 'anmald', count: 2 },
        ]);
        const clocks = await store.cases.listClockCases(['bou']);
        assert.equal(clocks.length, 3);
        assert.ok(clocks.every((k) => k.unitId === 'bou'));
        assert.equal(clocks.find((k) => !k.filedOn)?.reference, waiting.reference);
        assert.equal((await store.cases.listClockCases()).length, 6);
        assert.deepEqual(await store.cases.listClockCases([]), []);
      });

      it('counts casework items overdue and approaching from the stored deadlines, per unit and type', async () => {
        const at = new Date('2026-11-22T02:00:00.000Z');
        const item = (ref: string, dueOn: string | undefined, over: Partial<CaseworkRecord> = {}): CaseworkRecord => ({
          source: 'p', caseReference: ref, type: 'forhandsbedomning', unitId: 'bou', status: 'oppen', dates: { orosanmalanMottagen: '2026-11-01' },
          ...(dueOn ? { dueOn } : {}), ...over,
        });
        await store.casework.importItems('p', [
          item('A', '2026-11-21'), // overdue by a day
          item('B', '2026-11-22'), // due today: approaching
          item('C', '2026-11-29'), // last approaching day
          item('D', '2026-11-30'), // in time
          item('E', '2026-11-01', { type: 'ej-verkstallt-beslut', stopsOn: '2026-11-22' }), // stopped today: not counted
          item('F', '2026-11-01', { type: 'ej-verkstallt-beslut', stopsOn: '2026-11-23' }), // stops tomorrow: still overdue
          item('G', '2026-11-10', { status: 'avslutad' }),
          item('H', '2026-11-10', { unitId: 'vuxen', type: 'barnavardsutredning' }),
          item('I', '2026-11-10', { unitId: 'eken' }),
          item('J', undefined), // no deadline stored (it could not be computed): counted as unjudgeable, not hidden
          item('K', undefined, { unitId: 'vuxen', type: 'barnavardsutredning' }),
          item('L', undefined, { status: 'avslutad' }), // closed: no clock, nothing to judge
          item('M', undefined, { unitId: 'eken' }), // out of scope
        ], { closeMissing: false, at, actor: 'test' });
        const c = await store.status.counts({ ...period, unitIds: ['bou', 'vuxen'] });
        assert.deepEqual([...c.caseworkUnjudgeable].sort((a, b) => a.unitId.localeCompare(b.unitId)), [{ unitId: 'bou', count: 1 }, { unitId: 'vuxen', count: 1 }]);
        const expected = [
          { unitId: 'bou', type: 'ej-verkstallt-beslut', overdue: 1, approaching: 0 },
          { unitId: 'bou', type: 'forhandsbedomning', overdue: 1, approaching: 2 },
          { unitId: 'vuxen', type: 'barnavardsutredning', overdue: 1, approaching: 0 },
        ];
        const sorted = (x: typeof c) => [...x.casework].sort((a, b) => (a.unitId + a.type).localeCompare(b.unitId + b.type));
        assert.deepEqual(sorted(c), expected);
        // The list of types is a hint for the plan: every list, or a wrong one, gives the same counts.
        for (const itemTypes of [['forhandsbedomning', 'barnavardsutredning', 'ej-verkstallt-beslut'], ['forhandsbedomning'], ['ingen-sadan-typ'], []]) {
          assert.deepEqual(sorted(await store.status.counts({ ...period, unitIds: ['bou', 'vuxen'], itemTypes })), expected, `itemTypes ${itemTypes.join(',')}`);
        }
        const open = await store.casework.listOpen(['bou']);
        assert.equal(open.find((i) => i.caseReference === 'F')?.stopsOn, '2026-11-23');
        assert.equal(open.find((i) => i.caseReference === 'A')?.dueOn, '2026-11-21');
        // A changed deadline alone is an update.
        const again = await store.casework.importItems('p', [item('A', '2026-12-21')], { closeMissing: false, at, actor: 'test' });
        assert.equal(again.updated, 1);
      });

      it('counts items of types the rules do not know, wherever they sort (empty, below the digits, between and after the known ones, beyond the BMP)', async () => {
        const at = new Date('2026-11-22T02:00:00.000Z');
        const odd = ['', ' x', '#x', '-', '-1', '-2', 'a', 'forhandsbedomningx', 'zzz', '\u{1F600}', '\uFFFF'];
        await store.casework.importItems('p', odd.map((type, i) => ({
          source: 'p', caseReference: `O${i}`, type, unitId: 'bou', status: 'oppen' as const, dates: { orosanmalanMottagen: '2026-11-01' }, dueOn: i % 2 ? '2026-11-21' : '2026-11-25',
        })), { closeMissing: false, at, actor: 'test' });
        const expected = odd.map((type, i) => ({ unitId: 'bou', type, overdue: i % 2 ? 1 : 0, approaching: i % 2 ? 0 : 1 })).sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
        for (const itemTypes of [undefined, ['forhandsbedomning', 'barnavardsutredning', 'ej-verkstallt-beslut'], ['', '-1'], ['\u{1F600}'], []]) {
          const c = await store.status.counts({ ...period, unitIds: ['bou'], ...(itemTypes ? { itemTypes } : {}) });
          assert.deepEqual([...c.casework].sort((a, b) => (a.type < b.type ? -1 : a.type > b.type ? 1 : 0)), expected, `itemTypes ${JSON.stringify(itemTypes)}`);
        }
      });

      it('counts open items of urgent types (never "i tid") as approaching whatever their due day', async () => {
        const at = new Date('2026-11-22T02:00:00.000Z');
        const item = (ref: string, type: string, dueOn: string | undefined, over: Partial<CaseworkRecord> = {}): CaseworkRecord => ({
          source: 'p', caseReference: ref, type, unitId: 'bou', status: 'oppen', dates: { beslutsdatum: '2026-11-20' }, ...(dueOn ? { dueOn } : {}), ...over,
        });
        await store.casework.importItems('p', [
          item('N', 'ej-verkstallt-beslut', '2027-02-22'), // nämnd decision, reported in three months: approaching now
          item('D', 'ej-verkstallt-beslut', '2026-11-30'), // a dom's local limit one day after the window: approaching
          item('S', 'ej-verkstallt-beslut', '2027-02-22', { stopsOn: '2026-11-22' }), // verkställt today: not counted
          item('Z', 'ej-verkstallt-beslut', '2026-11-21'), // overdue
          item('X', 'ej-verkstallt-beslut', undefined), // no deadline stored: not counted
          item('F', 'forhandsbedomning', '2026-11-30'), // not urgent: in time
        ], { closeMissing: false, at, actor: 'test' });
        const sorted = (c: Awaited<ReturnType<Store['status']['counts']>>) => [...c.casework].sort((a, b) => a.type.localeCompare(b.type));
        for (const itemTypes of [undefined, ['ej-verkstallt-beslut', 'forhandsbedomning'], ['forhandsbedomning']]) {
          assert.deepEqual(sorted(await store.status.counts({ ...period, unitIds: ['bou'], urgentTypes: ['ej-verkstallt-beslut'], ...(itemTypes ? { itemTypes } : {}) })), [
            { unitId: 'bou', type: 'ej-verkstallt-beslut', overdue: 1, approaching: 2 },
          ], `itemTypes ${itemTypes?.join(',')}`);
        }
        assert.deepEqual(sorted(await store.status.counts({ ...period, unitIds: ['bou'] })), [
          { unitId: 'bou', type: 'ej-verkstallt-beslut', overdue: 1, approaching: 0 },
        ]);
      });

      it('lists open items without a stored deadline and stores deadlines by id', async () => {
        const at = new Date('2026-11-22T02:00:00.000Z');
        const base = { source: 'p', type: 'forhandsbedomning', unitId: 'bou', dates: { orosanmalanMottagen: '2026-11-01' } } as const;
        await store.casework.importItems('p', [
          { ...base, caseReference: 'A', status: 'oppen' },
          { ...base, caseReference: 'B', status: 'oppen', dueOn: '2026-11-15' },
          { ...base, caseReference: 'C', status: 'avslutad' },
          { ...base, caseReference: 'D', status: 'oppen' },
        ], { closeMissing: false, at, actor: 'test' });
        const missing = await store.casework.openWithoutDeadline(10);
        assert.deepEqual(missing.map((i) => i.caseReference), ['A', 'D']);
        assert.deepEqual((await store.casework.openWithoutDeadline(1)).map((i) => i.caseReference), ['A']);
        await store.casework.setDeadlines([{ id: missing[0]!.id, dueOn: '2026-11-15', stopsOn: '2026-12-01' }, { id: missing[1]!.id, dueOn: '2026-11-16' }]);
        assert.deepEqual(await store.casework.openWithoutDeadline(10), []);
        const open = await store.casework.listOpen();
        assert.deepEqual(open.map((i) => [i.caseReference, i.dueOn, i.stopsOn]), [['A', '2026-11-15', '2026-12-01'], ['B', '2026-11-15', undefined], ['D', '2026-11-16', undefined]]);
      });

      it('lists the recorded reviews of the given units and weeks', async () => {
        const rec = (unitId: string, weekKey: string) => store.cases.recordReview({ unitId, weekKey, doneBy: anna, doneAt: new Date('2026-11-23T09:30:00.000Z') });
        await rec('bou', '2026-W47');
        await rec('bou', '2026-W48');
        await rec('vuxen', '2026-W46');
        await rec('eken', '2026-W48');
        const got = await store.cases.listReviews(['bou', 'vuxen'], ['2026-W46', '2026-W48']);
        assert.deepEqual(got.map((r) => [r.unitId, r.weekKey, r.doneBy.name]), [['bou', '2026-W48', 'Anna Chef'], ['vuxen', '2026-W46', 'Anna Chef']]);
        assert.deepEqual(await store.cases.listReviews([], ['2026-W48']), []);
      });

      it('logs delivery failures and lists each unreachable person once, latest failure first', async () => {
        const fail = (who: string, name: string, unitId: string, at: string, status: 'failed' | 'no-reference' = 'failed') =>
          store.status.recordDeliveryFailure({
            at: new Date(at), recipientEntraId: who, recipientName: name, unitId, committeeId: unitId === 'eken' ? 'von' : 'sn',
            purpose: 'review-reminder', entityRef: `${unitId}/2026-W47`, status, ...(status === 'failed' ? { error: '403' } : {}),
          });
        await fail('AAAAAAAA-0000-0000-0000-0000000000A1', 'Ada', 'bou', '2026-11-16T08:00:00.000Z');
        await fail('aaaaaaaa-0000-0000-0000-0000000000a1', 'Ada', 'vuxen', '2026-11-18T08:00:00.000Z', 'no-reference');
        await fail('aaaaaaaa-0000-0000-0000-0000000000b2', 'Bo', 'bou', '2026-11-17T08:00:00.000Z');
        await fail('aaaaaaaa-0000-0000-0000-0000000000c3', 'Cia', 'bou', '2026-11-14T08:00:00.000Z'); // before the period
        await fail('aaaaaaaa-0000-0000-0000-0000000000d4', 'Dan', 'eken', '2026-11-17T08:00:00.000Z'); // other unit
        const got = await store.status.unreachable({ unitIds: ['bou', 'vuxen'], from: period.from, to: period.to, limit: 10 });
        assert.equal(got.total, 2);
        assert.deepEqual(got.people.map((p) => [p.entraId, p.name, p.failures, p.lastAt.toISOString(), p.lastStatus]), [
          ['aaaaaaaa-0000-0000-0000-0000000000a1', 'Ada', 2, '2026-11-18T08:00:00.000Z', 'no-reference'],
          ['aaaaaaaa-0000-0000-0000-0000000000b2', 'Bo', 1, '2026-11-17T08:00:00.000Z', 'failed'],
        ]);
        const one = await store.status.unreachable({ unitIds: ['bou', 'vuxen'], from: period.from, to: period.to, limit: 1 });
        assert.deepEqual([one.total, one.people.length], [2, 1]);
        const none = await store.status.unreachable({ unitIds: ['bou', 'vuxen'], from: period.from, to: period.to, limit: 0 });
        assert.deepEqual([none.total, none.people.length], [2, 0]);
        const nobody = await store.status.unreachable({ unitIds: ['eken'], from: new Date('2026-11-18T00:00:00.000Z'), to: period.to, limit: 5 });
        assert.deepEqual([nobody.total, nobody.people.length], [0, 0]);
      });
    });

    runOutboxContract(() => store, openPeer);

    describe('organisation directory', () => {
      const at = new Date('2026-11-01T00:00:00.000Z');

      it('is empty before the first sync', async () => {
        assert.equal(await store.organisation.load(), undefined);
      });

      it('round-trips the directory exactly, order included', async () => {
        const org = sampleOrg();
        const res = await store.organisation.sync(org, at);
        assert.deepEqual(res, { committees: 2, units: 3, people: 3, archived: 0 });
        assert.deepEqual(await store.organisation.load(), org);
      });

      it('refuses ids that end in whitespace and leaves the directory as it was', async () => {
        await store.organisation.sync(sampleOrg(), at);
        const spaced = sampleOrg();
        spaced.committees[0]!.units[0]!.id = 'bou ';
        await assert.rejects(store.organisation.sync(spaced, at), /unit id "bou " ends in whitespace/);
        const person = sampleOrg();
        person.people[1]!.entraId = 'aaaaaaaa-0000-0000-0000-000000000002 ';
        await assert.rejects(store.organisation.sync(person, at), /ends in whitespace/);
        assert.deepEqual(await store.organisation.load(), sampleOrg());
      });

      it('archives what disappeared from the file instead of deleting it, and restores it when it returns', async () => {
        await store.organisation.sync(sampleOrg(), at);
        const smaller = sampleOrg();
        smaller.committees = smaller.committees.slice(0, 1);
        smaller.committees[0]!.units = smaller.committees[0]!.units.slice(0, 1);
        smaller.people = smaller.people.slice(0, 2);
        const res = await store.organisation.sync(smaller, at);
        // committee von, units vuxen + eken, person 3
        assert.equal(res.archived, 4);
        assert.deepEqual(await store.organisation.load(), smaller);
        await store.organisation.sync(sampleOrg(), at);
        assert.deepEqual(await store.organisation.load(), sampleOrg());
      });

      it('applies changed names, areas and roles', async () => {
        await store.organisation.sync(sampleOrg(), at);
        const changed = sampleOrg();
        changed.municipality = 'Nyby kommun';
        changed.committees[0]!.units[0]!.area = 'annat';
        changed.people[1]!.roles = [{ role: 'enhetschef', unit: 'vuxen' }];
        await store.organisation.sync(changed, at);
        assert.deepEqual(await store.organisation.load(), changed);
      });

      it('handles a large directory (beyond SQL parameter limits)', async () => {
        const org = sampleOrg();
        org.committees[0]!.units = Array.from({ length: 1200 }, (_, i) => ({ id: `u${i}`, name: `Enhet ${i}`, area: 'aldreomsorg' as const }));
        org.people = Array.from({ length: 2500 }, (_, i) => ({
          entraId: `dddddddd-0000-0000-0000-${String(i).padStart(12, '0')}`,
          name: `Person ${i}`,
          roles: [{ role: 'medarbetare' as const, unit: `u${i % 1200}` }],
        }));
        await store.organisation.sync(org, at);
        const back = await store.organisation.load();
        assert.equal(back?.committees[0]?.units.length, 1200);
        assert.equal(back?.people.length, 2500);
        const fewer = { ...org, people: org.people.slice(0, 10) };
        const res = await store.organisation.sync(fewer, at);
        assert.equal(res.archived, 2490);
      });
    });
  });
}
