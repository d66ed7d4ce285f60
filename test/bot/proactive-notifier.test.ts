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

  it('honours 429 Retry-After: no new request before it has passed, then success', async () => {
    connector.script.set('a:conv', [{ status: 429, code: 'Throttled', retryAfter: '1' }]);
    assert.deepEqual(await notifier.sendCard(USER, CARD), { status: 'sent' });
    const [first, second] = connector.times.get('a:conv')!;
    assert.equal(connector.requests.get('a:conv'), 2);
    assert.ok(second! - first! >= 950, `retried after ${second! - first!} ms`);
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
