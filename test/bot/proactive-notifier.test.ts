/** One proactive attempt against a local fake Bot Connector: classified answers, one request each, which refusals mark a reference inactive. */
import assert from 'node:assert/strict';
import { createTeamsAdapter } from '../../src/bot/bot';
import { ProactiveNotifier } from '../../src/bot/proactive-notifier';
import { createLogger } from '../../src/log/logger';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector';

const CARD = { type: 'AdaptiveCard' as const, version: '1.5', body: [{ type: 'TextBlock', text: 'Hej' }] };
const USER = 'aaaaaaaa-0000-0000-0000-000000000001';

describe('proactive delivery (fake Bot Connector)', () => {
  let connector: FakeConnector;
  let store: SqliteStore;
  let notifier: ProactiveNotifier;

  beforeEach(async () => {
    connector = await startFakeConnector();
    store = SqliteStore.open({ filename: ':memory:' });
    await store.migrate();
    await store.conversations.upsert(
      { tenantId: 't1', aadObjectId: USER, scope: 'personal', conversationId: 'a:conv', serviceUrl: connector.url, channelId: 'msteams', botId: '28:bot', userId: '29:u' },
      new Date(),
    );
    notifier = new ProactiveNotifier(createTeamsAdapter({}), store.conversations, '', createLogger('silent'), () => new Date());
  });
  afterEach(async () => {
    await store.close();
    await connector.close();
  });

  it('sends, and has no destination for someone who never opened the app', async () => {
    const dest = (await notifier.resolve(USER))!;
    assert.equal((await notifier.attempt(dest.ref, CARD)).kind, 'sent');
    assert.equal(connector.posted.length, 1);
    assert.equal(await notifier.resolve('bbbbbbbb-0000-0000-0000-000000000002'), undefined);
  });

  it('one attempt is one request: the connector client retries are off (503, 429, 502)', async () => {
    const dest = (await notifier.resolve(USER))!;
    assert.equal(dest.tenantId, 't1');
    for (const [status, code] of [[503, 'ServiceUnavailable'], [429, 'Throttled'], [502, 'BadGateway']] as const) {
      connector.requests.clear();
      connector.script.set('a:conv', [{ status, code, retryAfter: '1' }]);
      const out = await notifier.attempt(dest.ref, CARD);
      assert.equal(out.kind, 'retry', `HTTP ${status}`);
      assert.equal(connector.requests.get('a:conv'), 1, `HTTP ${status} reached the connector once`);
      if (out.kind === 'retry') {
        assert.match(out.error, new RegExp(`^HTTP ${status}`));
        assert.equal(out.retryAfterMs, 1000);
      }
    }
  });

  it('attempt() returns the activity id, and with replacesActivityId updates that message in place', async () => {
    const dest = (await notifier.resolve(USER))!;
    const sent = await notifier.attempt(dest.ref, CARD);
    assert.equal(sent.kind, 'sent');
    const id = sent.kind === 'sent' ? sent.activityId : undefined;
    assert.match(id ?? '', /^posted-/);
    const updated = await notifier.attempt(dest.ref, CARD, id);
    assert.deepEqual(updated, { kind: 'sent', activityId: id });
    assert.equal(connector.updated.length, 1);
    assert.equal(connector.updated[0]!.activityId, id);
    assert.equal(connector.posted.length, 1, 'the update is not a new message');
  });

  it('attempt() classifies 403 as terminal and marks the reference inactive; a refused connection is a retry', async () => {
    const dest = (await notifier.resolve(USER))!;
    connector.failWith.set('a:conv', { status: 403, code: 'ConversationBlockedByUser' });
    const out = await notifier.attempt(dest.ref, CARD);
    assert.deepEqual(out, { kind: 'terminal', error: 'HTTP 403 ConversationBlockedByUser' });
    assert.equal((await store.conversations.get('t1', USER, 'personal'))?.active, false);
    assert.equal(await notifier.resolve(USER), undefined);

    const dead = { ...dest.ref, reference: { ...dest.ref.reference, serviceUrl: 'http://127.0.0.1:1/' } };
    const down = await notifier.attempt(dead, CARD);
    assert.equal(down.kind, 'retry');
  });

  it('a 404 ConversationNotFound is terminal too, and marks the reference inactive', async () => {
    const dest = (await notifier.resolve(USER))!;
    connector.failWith.set('a:conv', { status: 404, code: 'ConversationNotFound' });
    assert.deepEqual(await notifier.attempt(dest.ref, CARD), { kind: 'terminal', error: 'HTTP 404 ConversationNotFound' });
    assert.equal((await store.conversations.get('t1', USER, 'personal'))?.inactiveReason?.startsWith('HTTP 404'), true);
  });

  it('a 401 (our own credentials) is terminal but marks nobody inactive, and tells the operator once', async () => {
    const lines: string[] = [];
    const logged = new ProactiveNotifier(createTeamsAdapter({}), store.conversations, '', createLogger('info', { write: (l: string) => void lines.push(l) }), () => new Date());
    const dest = (await logged.resolve(USER))!;
    connector.failWith.set('a:conv', { status: 401, code: 'Unauthorized' });
    assert.equal((await logged.attempt(dest.ref, CARD)).kind, 'terminal');
    assert.equal((await logged.attempt(dest.ref, CARD)).kind, 'terminal');
    assert.equal((await store.conversations.get('t1', USER, 'personal'))?.active, true);
    assert.equal(lines.filter((l) => l.includes('"event":"connector-unauthorized"')).length, 1);
  });

  it('a 404 when updating a message (the message is gone) keeps the reference: the chat is still there', async () => {
    const dest = (await notifier.resolve(USER))!;
    connector.failUpdatesWith.set('a:conv', { status: 404, code: 'ActivityNotFound' });
    assert.deepEqual(await notifier.attempt(dest.ref, CARD, 'posted-old'), { kind: 'terminal', error: 'HTTP 404 ActivityNotFound' });
    assert.equal((await store.conversations.get('t1', USER, 'personal'))?.active, true);
    connector.failUpdatesWith.set('a:conv', { status: 403, code: 'ConversationBlockedByUser' });
    assert.equal((await notifier.attempt(dest.ref, CARD, 'posted-old')).kind, 'terminal');
    assert.equal((await store.conversations.get('t1', USER, 'personal'))?.active, false, 'blocked is blocked, whatever the request');
  });
});
