/**
 * Filing a lex Sarah report through the real endpoint: the form, Action.Execute submits,
 * idempotency, identity-number refusal, routing to chefs and samordnare through a local fake
 * Bot Connector, "mina rapporter", opening with access control, and the audit trail.
 */
import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import { activity, ALEX, cardTexts, post, startTestApp, TENANT, type TestApp } from '../support/app-fixture';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector';

const MEGAN = { id: '29:megan', aadObjectId: '00000000-0000-0000-0000-0000000000021', name: 'Megan Bowen' };
const ADELE = { id: '29:adele', aadObjectId: '00000000-0000-0000-0000-0000000000022', name: 'Adele Vance' };
const LEE = { id: '29:lee', aadObjectId: '00000000-0000-0000-0000-0000000000023', name: 'Lee Gu' };
const NESTOR = { id: '29:nestor', aadObjectId: '00000000-0000-0000-0000-0000000000024', name: 'Nestor Wilke' };
const conv = (who: { aadObjectId: string }) => ({ id: `a:personal-${who.aadObjectId.slice(-2)}`, tenantId: TENANT, conversationType: 'personal' });
const YEAR = DateTime.now().setZone('Europe/Stockholm').year;
const TODAY = DateTime.now().setZone('Europe/Stockholm').toISODate()!;

type Card = { actions?: { data?: { formId?: string } }[]; body?: unknown[] };

describe('reports over HTTP: filing, routing, access and audit', function () {
  this.timeout(30_000);
  let t: TestApp;
  let connector: FakeConnector;
  const as = (who: typeof ALEX, over: Record<string, unknown> = {}) =>
    activity({ from: who, conversation: conv(who), serviceUrl: connector.url, ...over });

  async function openForm(who = ALEX): Promise<string> {
    const reply = await post(t.baseUrl, as(who, { text: 'rapportera' }));
    const card = reply.activities[0]?.attachments?.[0]?.content as Card;
    const formId = card.actions?.[0]?.data?.formId;
    assert.ok(formId, 'the form carries its id');
    return formId;
  }

  const validData = (formId: string, over: Record<string, string> = {}) => ({
    formId,
    unitId: 'bou-mottagning',
    occurredDate: TODAY,
    occurredTime: '',
    noticedDate: TODAY,
    noticedTime: '',
    location: 'Mottagningens väntrum',
    category: 'rattssakerhet',
    whatHappened: 'En orosanmälan registrerades inte på tre dagar.',
    consequences: '',
    immediateActions: 'Registrerad nu.',
    informed: 'inte-annu',
    risk_hurt: 'nej',
    risk_ongoing: 'nej',
    risk_vulnerable: 'ja',
    risk_crime: 'nej',
    risk_before: 'vet-ej',
    caseReference: 'BoU 2026/123',
    ...over,
  });

  async function submit(who: typeof ALEX, data: Record<string, string>) {
    const res = await fetch(`${t.baseUrl}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(
        as(who, { type: 'invoke', name: 'adaptiveCard/action', text: undefined, value: { action: { type: 'Action.Execute', verb: 'report.submit', data }, trigger: 'manual' } }),
      ),
    });
    assert.equal(res.status, 200);
    const body = (await res.json()) as { activities: { value: { body: { statusCode: number; type: string; value: unknown } } }[] };
    const invoke = body.activities[0]!.value.body;
    assert.equal(invoke.statusCode, 200);
    const texts: string[] = [];
    JSON.stringify(invoke.value, (k, v) => {
      if ((k === 'text' || k === 'title' || k === 'value') && typeof v === 'string') texts.push(v);
      return v;
    });
    return { card: invoke.value as Card, texts, joined: texts.join('\n') };
  }

  beforeEach(async () => {
    connector = await startFakeConnector();
    t = await startTestApp();
    // Everyone but Lee has opened the app once, so there is a conversation to write to.
    for (const who of [ALEX, ADELE, MEGAN, NESTOR]) await post(t.baseUrl, as(who, { text: 'hjälp' }));
  });
  afterEach(async () => {
    await t.stop();
    await connector.close();
  });

  it('"rapportera" shows the form with the reporter\'s unit chosen and a fresh form id', async () => {
    const reply = await post(t.baseUrl, as(ALEX, { text: 'rapportera' }));
    const texts = cardTexts(reply).join('\n');
    assert.match(texts, /Lex Sarah-rapport/);
    assert.match(texts, /Skriv inte personnummer eller namn/);
    assert.match(texts, /Du rapporterar som Alex Wilber/);
    const card = reply.activities[0]!.attachments![0]!.content as { body: { id?: string; value?: string; choices?: unknown[] }[] };
    const unit = card.body.find((b) => b.id === 'unitId')!;
    assert.equal(unit.value, 'bou-mottagning');
    assert.equal(unit.choices?.length, 1);
    assert.notEqual(await openForm(), await openForm());
  });

  it('files the report with one submit, replies with a receipt, and notifies chefs and samordnare', async () => {
    connector.failWith.set(conv(ADELE).id, { status: 403, code: 'ConversationBlockedByUser' });
    const r = await submit(ALEX, validData(await openForm()));
    assert.match(r.joined, new RegExp(`Rapporten är mottagen – LS-${YEAR}-0001`));
    assert.match(r.joined, /snarast/, 'a vulnerable person makes it urgent');
    // Alex is chef and samordnare himself (told); Adele's Teams refuses; Lee never opened the app.
    assert.ok(r.texts.includes('Alex Wilber'), r.joined);
    assert.match(r.joined, /Adele Vance, Lee Gu\. Kontakta dem själv/);

    const toAlex = connector.posted.filter((p) => p.conversationId === conv(ALEX).id && JSON.stringify(p.activity).includes('Ny lex Sarah-rapport'));
    assert.equal(toAlex.length, 1);
    const note = JSON.stringify(toAlex[0]!.activity);
    assert.match(note, new RegExp(`LS-${YEAR}-0001`));
    assert.match(note, /BRÅDSKANDE/);
    assert.ok(!note.includes('En orosanmälan registrerades'), 'the notification carries no free text');

    const report = await t.app.store.reports.getByReference(`LS-${YEAR}-0001`);
    assert.equal(report?.reporterName, 'Alex Wilber');
    const outcomes = await t.app.store.reports.listNotifications(report!.id);
    assert.deepEqual(outcomes.map((o) => [o.recipientName, o.status]), [['Adele Vance', 'failed'], ['Alex Wilber', 'sent'], ['Lee Gu', 'no-reference']]);
  });

  it('marks a recipient unreachable when Teams refuses with 403, and says so', async () => {
    connector.failWith.set(conv(ADELE).id, { status: 403, code: 'ConversationBlockedByUser' });
    await submit(ALEX, validData(await openForm()));
    const ref = await t.app.store.conversations.get(TENANT, ADELE.aadObjectId, 'personal');
    assert.equal(ref?.active, false);
    assert.match(ref?.inactiveReason ?? '', /403/);
    const report = await t.app.store.reports.getByReference(`LS-${YEAR}-0001`);
    const adele = (await t.app.store.reports.listNotifications(report!.id)).find((n) => n.recipientName === 'Adele Vance');
    assert.equal(adele?.status, 'failed');
    assert.match(adele?.error ?? '', /403/);
  });

  it('a double submit of the same card gives the same report, one row and no second notification', async () => {
    const data = validData(await openForm());
    const [a, b] = await Promise.all([submit(ALEX, data), submit(ALEX, data)]);
    const again = await submit(ALEX, data);
    for (const r of [a, b, again]) assert.match(r.joined, new RegExp(`LS-${YEAR}-0001`));
    assert.equal((await t.app.store.reports.listByReporter(ALEX.aadObjectId, 10)).length, 1);
    // Alex and Adele are reachable: one notification each, not two.
    assert.equal(connector.posted.filter((p) => JSON.stringify(p.activity).includes('Ny lex Sarah-rapport')).length, 2);
    assert.match(again.joined, /Lee Gu\. Kontakta dem själv/, 'the receipt repeats who was not reached');
  });

  it('concurrent submits of different cards get unique consecutive references', async () => {
    const forms = await Promise.all(Array.from({ length: 8 }, () => openForm()));
    const results = await Promise.all(forms.map((f) => submit(ALEX, validData(f))));
    const refs = results.map((r) => /LS-\d{4}-\d{4}/.exec(r.joined)![0]).sort();
    assert.deepEqual(refs, Array.from({ length: 8 }, (_, i) => `LS-${YEAR}-${String(i + 1).padStart(4, '0')}`));
  });

  it('refuses a personnummer in "Vad hände?": no row, no log line with it, and it is not echoed back', async () => {
    const pnr = '19850709-9805';
    const formId = await openForm();
    const r = await submit(ALEX, validData(formId, { whatHappened: `Brukaren ${pnr} föll.`, location: 'Köket' }));
    assert.match(r.joined, /Fältet "Vad hände\?" ser ut att innehålla ett personnummer/);
    assert.match(r.joined, /Rapporten är inte skickad/);
    assert.ok(!JSON.stringify(r.card).includes('9805'), 'the number is not sent back into the chat');
    assert.ok(r.texts.includes('Köket'), 'the rest of what the user typed is kept');
    assert.equal((await t.app.store.reports.listByReporter(ALEX.aadObjectId, 10)).length, 0);
    for (const line of t.logs) assert.ok(!line.includes('9805') && !line.includes('Brukaren'), `log leaks: ${line}`);
    // Fixing the text files the report from the same card.
    const fixed = await submit(ALEX, validData(formId, { whatHappened: 'Brukaren föll.' }));
    assert.match(fixed.joined, /Rapporten är mottagen/);
  });

  it('shows missing and wrong fields next to the field, keeping the rest', async () => {
    const r = await submit(ALEX, validData(await openForm(), { whatHappened: '', category: 'okänd' }));
    assert.match(r.joined, /Måste fyllas i\./);
    assert.match(r.joined, /Välj ett av alternativen\./);
    assert.ok(r.texts.includes('Mottagningens väntrum'));
    const future = await submit(ALEX, validData(await openForm(), { occurredDate: '2999-01-01' }));
    assert.match(future.joined, /Tidpunkten kan inte ligga i framtiden\./);
    assert.equal((await t.app.store.reports.listByReporter(ALEX.aadObjectId, 10)).length, 0);
  });

  it('"mina rapporter" lists only the reporter\'s own reports', async () => {
    await submit(MEGAN, validData(await openForm(MEGAN)));
    await submit(ALEX, validData(await openForm()));
    const megan = cardTexts(await post(t.baseUrl, as(MEGAN, { text: 'mina rapporter' }))).join('\n');
    assert.match(megan, new RegExp(`LS-${YEAR}-0001`));
    assert.ok(!megan.includes(`LS-${YEAR}-0002`));
    assert.match(megan, /Rapporterad – väntar på utredning/);
    const adele = cardTexts(await post(t.baseUrl, as(ADELE, { text: 'mina rapporter' }))).join('\n');
    assert.match(adele, /inte lämnat några/);
  });

  it('opens a report only for its reporter, the unit\'s chefs, the nämnd\'s samordnare and chefs; every read is audited', async () => {
    await submit(MEGAN, validData(await openForm(MEGAN)));
    const ref = `LS-${YEAR}-0001`;
    const open = async (who: typeof ALEX) => cardTexts(await post(t.baseUrl, as(who, { text: `öppna ${ref.toLowerCase()}` }))).join('\n');
    for (const who of [MEGAN, ADELE, ALEX, LEE]) assert.match(await open(who), /En orosanmälan registrerades inte/, who.name);
    // Nestor is chef for another nämnd: secrecy applies between nämnder.
    const nestor = await open(NESTOR);
    assert.match(nestor, /Du kan inte öppna/);
    assert.ok(!nestor.includes('orosanmälan'));
    const trail = await t.app.store.audit.list({ entityRef: ref });
    assert.deepEqual(trail.map((e) => [e.action, e.actorEntraId]), [
      ['report.create', MEGAN.aadObjectId],
      ['report.read', MEGAN.aadObjectId],
      ['report.read', ADELE.aadObjectId],
      ['report.read', ALEX.aadObjectId],
      ['report.read', LEE.aadObjectId],
      ['report.read-denied', NESTOR.aadObjectId],
    ]);
    const unknown = await open(ALEX.aadObjectId ? { ...ALEX } : ALEX);
    assert.match(unknown, /En orosanmälan/);
    assert.match(cardTexts(await post(t.baseUrl, as(ALEX, { text: `öppna LS-${YEAR}-0999` }))).join('\n'), /Du kan inte öppna/);
  });
});
