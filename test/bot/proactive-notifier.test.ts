/** Proactive delivery against a local fake Bot Connector: retries, Retry-After, terminal refusals, rate limit. */
import assert from 'node:assert/strict';
import { createTeamsAdapter } from '../../src/bot/bot';
import { ProactiveNotifier } from '../../src/bot/proactive-notifier';
import { createLogger } from '../../src/log/logger';
import { backoffMs, KeyedRateLimiter, retryAfterMs, TokenBucket } from '../../src/notify/rate-limit';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector';

const CARD = { type: 'AdaptiveCard' as const, version: '1.5', body: [{ type: 'TextBlock', text: 'Hej' }] };
const USER = 'aaaaaaaa-0000-0000-0000-000000000001';

describe('proactive delivery (fake Bot Connector)', () => {
  let connector: FakeConnector;
  let store: SqliteStore;
  let waits: number[];
  let notifier: ProactiveNotifier;

  beforeEach(async () => {
    connector = await startFakeConnector();
    store = SqliteStore.open({ filename: ':memory:' });
    await store.migrate();
    await store.conversations.upsert(
      { tenantId: 't1', aadObjectId: USER, scope: 'personal', conversationId: 'a:conv', serviceUrl: connector.url, channelId: 'msteams', botId: '28:bot', userId: '29:u' },
      new Date(),
    );
    waits = [];
    notifier = new ProactiveNotifier(createTeamsAdapter({}), store.conversations, '', createLogger('silent'), () => new Date(), {
      sleep: async (ms) => void waits.push(ms),
    });
  });
  afterEach(async () => {
    await store.close();
    await connector.close();
  });

  it('sends, and answers no-reference for someone who never opened the app', async () => {
    assert.deepEqual(await notifier.sendCard(USER, CARD), { status: 'sent' });
    assert.equal(connector.posted.length, 1);
    assert.deepEqual(await notifier.sendCard('bbbbbbbb-0000-0000-0000-000000000002', CARD), { status: 'no-reference' });
  });

  it('honours 429 Retry-After: the notifier waits it out (not the connector client), then success', async () => {
    connector.script.set('a:conv', [{ status: 429, code: 'Throttled', retryAfter: '1' }]);
    assert.deepEqual(await notifier.sendCard(USER, CARD), { status: 'sent' });
    assert.equal(connector.requests.get('a:conv'), 2);
    assert.equal(waits.length, 1);
    assert.ok(waits[0]! >= 1000 && waits[0]! <= 1300, `waited ${waits[0]} ms`);
  });

  it('retries 502 and 504, and 412, until it goes through', async () => {
    connector.script.set('a:conv', [
      { status: 502, code: 'BadGateway' },
      { status: 504, code: 'GatewayTimeout' },
      { status: 412, code: 'PreconditionFailed' },
    ]);
    assert.deepEqual(await notifier.sendCard(USER, CARD), { status: 'sent' });
    assert.equal(connector.requests.get('a:conv'), 4);
    assert.ok(waits.length >= 1, 'the 412 was retried by the notifier');
  });

  it('gives up after the last attempt and keeps the reference', async () => {
    connector.failWith.set('a:conv', { status: 429, code: 'Throttled' });
    const out = await notifier.sendCard(USER, CARD);
    assert.equal(out.status, 'failed');
    assert.match(out.status === 'failed' ? out.error : '', /^HTTP 429/);
    assert.equal(waits.length, 3);
    assert.ok(connector.requests.get('a:conv')! >= 4);
    assert.equal((await store.conversations.get('t1', USER, 'personal'))?.active, true);
  });

  it('does not retry a terminal 403 and marks the reference inactive', async () => {
    connector.failWith.set('a:conv', { status: 403, code: 'ConversationBlockedByUser' });
    const out = await notifier.sendCard(USER, CARD);
    assert.equal(out.status, 'failed');
    assert.equal(connector.requests.get('a:conv'), 1);
    assert.equal(waits.length, 0);
    assert.equal((await store.conversations.get('t1', USER, 'personal'))?.active, false);
    assert.deepEqual(await notifier.sendCard(USER, CARD), { status: 'no-reference' });
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
    assert.equal(waits.length, 0, 'attempt() never sleeps: the worker decides');
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

  it('a 404 ConversationNotFound is terminal too', async () => {
    connector.failWith.set('a:conv', { status: 404, code: 'ConversationNotFound' });
    assert.equal((await notifier.sendCard(USER, CARD)).status, 'failed');
    assert.equal((await store.conversations.get('t1', USER, 'personal'))?.inactiveReason?.startsWith('HTTP 404'), true);
  });
});

describe('rate limiting helpers', () => {
  it('a token bucket lets a burst through, then paces to the rate (fake clock)', async () => {
    let now = 0;
    const slept: number[] = [];
    const bucket = new TokenBucket(50, 50, () => now, async (ms) => {
      slept.push(ms);
      now += ms;
    });
    for (let i = 0; i < 150; i++) await bucket.acquire();
    // 50 at once, then 100 more at 50/s: about two seconds of fake time.
    assert.ok(now >= 1980 && now <= 2100, `elapsed ${now} ms`);
    assert.equal(slept.length >= 100, true);
  });

  it('keeps one bucket per tenant', async () => {
    let made = 0;
    const limiter = new KeyedRateLimiter(() => (made++, new TokenBucket(1, 1)));
    await limiter.acquire('a');
    await limiter.acquire('b');
    assert.equal(made, 2);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    assert.equal(retryAfterMs('3'), 3000);
    assert.equal(retryAfterMs(new Date(10_000).toUTCString(), 4_000), 6_000);
    assert.equal(retryAfterMs('soon'), undefined);
    assert.equal(retryAfterMs(undefined), undefined);
  });

  it('backs off exponentially with full jitter, capped', () => {
    assert.equal(backoffMs(1, 500, 10_000, () => 1), 500);
    assert.equal(backoffMs(3, 500, 10_000, () => 1), 2000);
    assert.equal(backoffMs(10, 500, 10_000, () => 1), 10_000);
    assert.equal(backoffMs(3, 500, 10_000, () => 0), 0);
  });
});
