/**
 * The activity envelope is checked at the edge: malformed fields are a 400 and never a failed
 * turn deep inside (found by the fuzz suite), card actions are always answered, and a step form
 * with oversized input comes back within Teams' limit or as a message.
 */
import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import { MAX_CARD_BYTES } from '../../src/cards/render';
import { activity, ALEX, invokeAction, post, startTestApp, TENANT, type TestApp } from '../support/app-fixture';

const TODAY = DateTime.now().setZone('Europe/Stockholm').toISODate()!;

describe('activity envelope at the edge', function () {
  this.timeout(30_000);
  let t: TestApp;
  before(async () => {
    t = await startTestApp({ REMINDER_INTERVAL_MS: '0' });
  });
  after(() => t.stop());

  const hjalp = () => activity({ text: 'hjälp' });
  const without = (key: string) => {
    const a = hjalp();
    delete a[key];
    return a;
  };
  const rows: [label: string, body: Record<string, unknown>][] = [
    ['only a type', { type: 'message' }],
    ['no conversation', without('conversation')],
    ['no recipient', without('recipient')],
    ['no channelId', without('channelId')],
    ['no serviceUrl', without('serviceUrl')],
    ['a serviceUrl that is not http(s)', { ...hjalp(), serviceUrl: 'file:///etc/passwd' }],
    ['a numeric tenant id', { ...hjalp(), conversation: { id: 'a:x', tenantId: true, conversationType: 'personal' } }],
    ['an object conversation id', { ...hjalp(), conversation: { id: {}, tenantId: TENANT, conversationType: 'personal' } }],
    ['an array conversation id', { ...hjalp(), conversation: { id: ['a', 'b'], tenantId: TENANT } }],
    ['a non-ASCII conversation id', { ...hjalp(), conversation: { id: 'a:åäö', tenantId: TENANT } }],
    ['a conversation id ending in a space (the stores refuse such keys)', { ...hjalp(), conversation: { id: 'a:x ', tenantId: TENANT, conversationType: 'personal' } }],
    ['a conversation id starting with a space', { ...hjalp(), conversation: { id: ' a:x', tenantId: TENANT, conversationType: 'personal' } }],
    ['a tenant id ending in a newline', { ...hjalp(), conversation: { id: 'a:x', tenantId: `${TENANT}\n`, conversationType: 'personal' } }],
    ['an aadObjectId ending in a tab', { ...hjalp(), from: { id: '29:x', aadObjectId: 'aaaaaaaa-0000-0000-0000-000000000001\t' } }],
    ['a numeric aadObjectId', { ...hjalp(), from: { id: '29:x', aadObjectId: 5 } }],
    ['an object from.id', { ...hjalp(), from: { id: { a: 1 } } }],
    ['a boolean channelId', { ...hjalp(), channelId: true }],
    ['a numeric locale', { ...hjalp(), locale: 0 }],
    ['membersRemoved not a list', { ...hjalp(), type: 'conversationUpdate', membersRemoved: 'x' }],
    ['membersAdded with null', { ...hjalp(), type: 'conversationUpdate', membersAdded: [null] }],
    ['an object installationUpdate action', { ...hjalp(), type: 'installationUpdate', action: {} }],
    ['an entity without a type', { ...hjalp(), entities: [{ toJSON: 'then', __proto__x: 'mina rapporter' }] }],
    ['a mention without whom it mentions', { ...hjalp(), entities: [{ type: 'mention', text: '<at>x</at>' }] }],
    ['a mention with a numeric text', { ...hjalp(), entities: [{ type: 'Mention', mentioned: { id: '28:lex-sarah-bot' }, text: 5 }] }],
  ];
  for (const [label, body] of rows) {
    it(`${label}: 400, and no turn failed`, async () => {
      const before = t.logs.length;
      const res = await post(t.baseUrl, body);
      assert.equal(res.status, 400);
      const failed = t.logs.slice(before).filter((l) => /"level":50/.test(l));
      assert.deepEqual(failed, []);
    });
  }

  it('a well-formed envelope with extra fields, __proto__ included, is served', async () => {
    const body = JSON.parse(JSON.stringify(hjalp()).replace(/^\{/, '{"__proto__":{"polluted":true},"extra":1,'));
    const res = await post(t.baseUrl, body);
    assert.equal(res.status, 200);
    assert.ok(res.activities.length > 0);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('a conversation of no or an unknown type is not the personal chat (the rule fails closed)', async () => {
    for (const conversation of [{ id: 'a:personal-20', tenantId: TENANT }, { id: 'a:personal-20', tenantId: TENANT, conversationType: 'Personal' }]) {
      const res = await post(t.baseUrl, activity({ text: 'mina rapporter', conversation }));
      assert.match(JSON.stringify(res.activities), /personliga chatt/, JSON.stringify(conversation));
    }
  });

  it('a card action that is not an Action.Execute gets a message, not a 501', async () => {
    for (const value of [undefined, { action: { type: 'Action.Submit', verb: 'case.show' } }, { action: null }, 'x']) {
      const res = await fetch(`${t.baseUrl}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...activity(), type: 'invoke', name: 'adaptiveCard/action', text: undefined, value }),
      });
      assert.equal(res.status, 200, JSON.stringify(value));
      const body = (await res.json()) as { activities: { value: { body: { value: unknown } } }[] };
      assert.match(String(body.activities[0]?.value.body.value), /känner jag inte igen/);
    }
  });

  it('a step form sent back with oversized values comes back within the limit (or as a message), storing nothing', async () => {
    const personal = { id: 'a:personal-20', tenantId: TENANT, conversationType: 'personal' };
    const as = () => activity({ from: ALEX, conversation: personal });
    const form = await post(t.baseUrl, { ...as(), text: 'rapportera' });
    const formId = (form.activities[0]!.attachments![0]!.content as { actions: { data: { formId: string } }[] }).actions[0]!.data.formId;
    const filed = await invokeAction(t.baseUrl, as(), 'report.submit', {
      formId, unitId: 'bou-mottagning', occurredDate: TODAY, noticedDate: TODAY, location: 'Mottagningen', category: 'psykiska', informed: 'ja',
      whatHappened: 'Text.', risk_hurt: 'nej', risk_ongoing: 'nej', risk_vulnerable: 'nej', risk_crime: 'nej', risk_before: 'nej',
    });
    const reference = /LS-\d{4}-\d{4}/.exec(filed.joined)![0];
    const huge = '👩‍👩‍👧‍👦'.repeat(2000);
    const attempts: [string, Record<string, unknown>][] = [
      ['case.action', { text: 'x', owner: '00000000-0000-0000-0000-0000000000021', dueOn: huge }],
      ['case.document', { item: 'orsaker', kind: 'fakta', source: huge, text: huge }],
      ['case.close', { decision: '', motivation: '"'.repeat(30_000) }],
      ['case.file', { filedOn: TODAY, dnr: huge, attached: 'x' }],
    ];
    for (const [verb, data] of attempts) {
      const r = await invokeAction(t.baseUrl, as(), verb, { reference, ...data });
      if (typeof r.card === 'string') assert.match(r.card, /för långt/, verb);
      else assert.ok(Buffer.byteLength(JSON.stringify(r.card)) <= MAX_CARD_BYTES, verb);
    }
    const details = await t.app.store.cases.get((await t.app.store.reports.getByReference(reference))!.id);
    assert.equal(details.entries.length + details.actions.length, 0);
  });
});
