/** The real HTTP endpoint with the real bot and a real SQLite file; replies come back via expectReplies. */
import assert from 'node:assert/strict';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import { activity, ALEX, BOT, cardTexts, post, startTestApp, TENANT, type TestApp } from '../support/app-fixture';

describe('HTTP: /api/messages, /healthz, /readyz', function () {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(async () => {
    await t.stop();
  });

  it('/healthz answers 200 and /readyz reports the database and schema', async () => {
    assert.equal((await fetch(`${t.baseUrl}/healthz`)).status, 200);
    const res = await fetch(`${t.baseUrl}/readyz`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as Record<string, unknown>;
    assert.equal(body.database, 'reachable');
    assert.equal(body.schemaVersion, body.expectedSchemaVersion);
  });

  it('/readyz answers 503 when the database is not reachable', async () => {
    await t.app.store.close();
    const res = await fetch(`${t.baseUrl}/readyz`);
    assert.equal(res.status, 503);
    assert.equal(((await res.json()) as Record<string, unknown>).database, 'unreachable');
  });

  it('"hjälp" returns the help card', async () => {
    const reply = await post(t.baseUrl, activity({ text: 'hjälp' }));
    assert.equal(reply.status, 200);
    assert.equal(reply.activities[0]?.attachments?.[0]?.contentType, 'application/vnd.microsoft.card.adaptive');
    assert.ok(cardTexts(reply).includes('Det här kan jag hjälpa till med'));
  });

  it('a card button (Action.Submit with a command and no text) is handled like the typed command', async () => {
    const reply = await post(t.baseUrl, activity({ value: { command: 'hjälp' } }));
    assert.ok(cardTexts(reply).includes('Det här kan jag hjälpa till med'));
  });

  it('text it does not understand gets friendly help, never an error', async () => {
    const reply = await post(t.baseUrl, activity({ text: 'vad är klockan' }));
    assert.equal(reply.status, 200);
    const texts = cardTexts(reply);
    assert.ok(texts.some((x) => x.startsWith('Jag förstod inte riktigt')));
    assert.ok(texts.includes('Det här kan jag hjälpa till med'));
  });

  it('"status" from the demo manager answers with the summary card of the nämnd', async () => {
    const reply = await post(t.baseUrl, activity({ text: 'status' }));
    const texts = cardTexts(reply);
    assert.equal(texts[0], 'Lägesbild – Socialnämnden');
    assert.ok(!texts.join('\n').includes('Kommer snart'));
  });

  for (const text of ['status', 'mina rapporter', 'öppna LS-2026-0001', 'genomgång']) {
    it(`"${text}" in a channel is answered only in the personal chat, showing nothing`, async () => {
      const reply = await post(t.baseUrl, activity({ text, conversation: { id: '19:channel@thread.tacv2', tenantId: TENANT, conversationType: 'channel' } }));
      assert.equal(reply.activities.length, 1);
      assert.equal(reply.activities[0]!.attachments, undefined, 'no card');
      assert.match(reply.activities[0]!.text ?? '', /bara i vår personliga chatt/);
    });
  }

  it('commands match whole words: "statusrapport" is not "status"', async () => {
    const reply = await post(t.baseUrl, activity({ text: 'statusrapport' }));
    assert.ok(cardTexts(reply).some((x) => x.startsWith('Jag förstod inte riktigt')));
  });

  it('sends the welcome card once when the app is installed (both install events)', async () => {
    const added = await post(
      t.baseUrl,
      activity({ type: 'conversationUpdate', text: undefined, membersAdded: [BOT, { id: ALEX.id }] }),
    );
    const texts = cardTexts(added);
    assert.ok(texts.includes('Välkommen till Lex Sarah-assistenten'));
    assert.ok(texts.includes('Hej Alex!'));
    assert.ok(texts.includes('Lämna en rapport'));
    const install = await post(t.baseUrl, activity({ type: 'installationUpdate', action: 'add' }));
    assert.equal(install.activities.length, 0, 'no second welcome in the same conversation');
  });

  it('stores the conversation reference on every activity and marks it inactive on uninstall', async () => {
    await post(t.baseUrl, activity({ text: 'hjälp', serviceUrl: 'https://smba.example/emea/' }));
    const ref = await t.app.store.conversations.get(TENANT, ALEX.aadObjectId, 'personal');
    assert.equal(ref?.serviceUrl, 'https://smba.example/emea/');
    assert.equal(ref?.conversationId, 'a:personal-alex');
    assert.equal(ref?.botId, BOT.id);
    assert.equal(ref?.active, true);

    await post(t.baseUrl, activity({ text: 'hjälp', serviceUrl: 'https://smba.example/amer/' }));
    assert.equal((await t.app.store.conversations.get(TENANT, ALEX.aadObjectId, 'personal'))?.serviceUrl, 'https://smba.example/amer/');

    await post(t.baseUrl, activity({ type: 'installationUpdate', action: 'remove' }));
    const after = await t.app.store.conversations.get(TENANT, ALEX.aadObjectId, 'personal');
    assert.equal(after?.active, false);
    assert.equal(after?.inactiveReason, 'uninstalled');
  });

  it('keeps conversation references and the organisation across a restart', async () => {
    await post(t.baseUrl, activity({ text: 'hjälp' }));
    await t.restart();
    assert.equal((await t.app.store.conversations.get(TENANT, ALEX.aadObjectId, 'personal'))?.active, true);
    const org = await t.app.store.organisation.load();
    assert.equal(org?.municipality, 'Exempelby kommun');
    // And the database file itself holds them (not some in-process cache).
    const raw = SqliteStore.open({ filename: t.dbFile });
    assert.ok(await raw.conversations.get(TENANT, ALEX.aadObjectId, 'personal'));
    await raw.close();
  });

  it('refuses a body over the size limit with 413', async () => {
    const reply = await post(t.baseUrl, activity({ text: 'x'.repeat(300 * 1024) }));
    assert.equal(reply.status, 413);
  });

  it('answers 400 to a body that is not JSON', async () => {
    const reply = await post(t.baseUrl, '{not json');
    assert.equal(reply.status, 400);
  });

  it('never writes what the user typed into the logs', async () => {
    const secret = 'Hemlig händelse på avdelning 7 klockan 03';
    await post(t.baseUrl, activity({ text: secret }));
    await post(t.baseUrl, activity({ value: { command: secret, note: secret } }));
    assert.ok(t.logs.length > 0);
    assert.ok(t.logs.some((l) => l.includes('"intent":"unknown"')), 'the message was logged by intent');
    for (const line of t.logs) assert.ok(!line.includes('Hemlig'), `log line leaks user text: ${line}`);
  });
});

describe('HTTP: security', () => {
  it('with BOT_ID set, a request without a Bot Framework token gets 401 and changes nothing', async () => {
    const t = await startTestApp({ BOT_ID: '11111111-2222-3333-4444-555555555555', SECRET_BOT_PASSWORD: 'not-used' });
    try {
      const reply = await post(t.baseUrl, activity({ text: 'hjälp' }));
      assert.equal(reply.status, 401);
      assert.equal(reply.activities.length, 0);
      const forged = await post(t.baseUrl, activity({ text: 'hjälp' }), { authorization: 'Bearer not-a-jwt' });
      assert.equal(forged.status, 401);
      assert.equal(await t.app.store.conversations.get(TENANT, ALEX.aadObjectId, 'personal'), undefined);
    } finally {
      await t.stop();
    }
  });

  it('ignores and logs activities from a tenant outside ALLOWED_TENANT_IDS', async () => {
    const t = await startTestApp({ ALLOWED_TENANT_IDS: TENANT });
    try {
      const other = '99999999-0000-0000-0000-000000000009';
      const reply = await post(
        t.baseUrl,
        activity({ text: 'hjälp', conversation: { id: 'a:x', tenantId: other, conversationType: 'personal' }, channelData: { tenant: { id: other } } }),
      );
      assert.equal(reply.activities.length, 0);
      assert.equal(await t.app.store.conversations.get(other, ALEX.aadObjectId, 'personal'), undefined);
      assert.ok(t.logs.some((l) => l.includes('"event":"tenant-refused"') && l.includes(other)));
      // The allowed tenant still works.
      const ok = await post(t.baseUrl, activity({ text: 'hjälp' }));
      assert.ok(cardTexts(ok).includes('Det här kan jag hjälpa till med'));
    } finally {
      await t.stop();
    }
  });
});
