/**
 * Filing a lex Sarah report through the real endpoint: the form, Action.Execute submits,
 * idempotency, identity-number refusal, routing to chefs and samordnare through a local fake
 * Bot Connector, "mina rapporter", opening with access control, and the audit trail.
 */
import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import { activity, ALEX, cardTexts, post, startTestApp, TENANT, type TestApp, validReportData, MEGAN, ADELE, LEE, NESTOR, personalChat } from '../support/app-fixture';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector';

const YEAR = DateTime.now().setZone('Europe/Stockholm').year;
const TODAY = DateTime.now().setZone('Europe/Stockholm').toISODate()!;

type Card = { actions?: { data?: { formId?: string } }[]; body?: unknown[] };

/** Waits (bounded) until `check` holds: delivery now happens in the outbox's worker, after the request. */
async function until(what: string, check: () => boolean | Promise<boolean>, ms = 8_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
const cardText = (activity: unknown) => {
  const texts: string[] = [];
  JSON.stringify(activity, (k, v) => {
    if (k === 'text' && typeof v === 'string') texts.push(v);
    return v;
  });
  return texts.join('\n');
};

describe('reports over HTTP: filing, routing, access and audit', function () {
  this.timeout(30_000);
  let t: TestApp;
  let connector: FakeConnector;
  const as = (who: typeof ALEX, over: Record<string, unknown> = {}) =>
    activity({ from: who, conversation: personalChat(who), serviceUrl: connector.url, ...over });

  async function openForm(who = ALEX): Promise<string> {
    const reply = await post(t.baseUrl, as(who, { text: 'rapportera' }));
    const card = reply.activities[0]?.attachments?.[0]?.content as Card;
    const formId = card.actions?.[0]?.data?.formId;
    assert.ok(formId, 'the form carries its id');
    return formId;
  }

  const validData = (formId: string, over: Record<string, string> = {}) => validReportData(formId, TODAY, { risk_vulnerable: 'ja', caseReference: 'BoU 2026/123', ...over });

  async function submit(who: typeof ALEX, data: Record<string, string>, replyToId = `form-${data.formId}`) {
    const res = await fetch(`${t.baseUrl}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(
        as(who, { type: 'invoke', name: 'adaptiveCard/action', text: undefined, replyToId, value: { action: { type: 'Action.Execute', verb: 'report.submit', data }, trigger: 'manual' } }),
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

  it('"rapportera" shows the form with the reporter\'s unit chosen among the nämnd\'s, dated today, and a fresh form id', async () => {
    const reply = await post(t.baseUrl, as(ALEX, { text: 'rapportera' }));
    const texts = cardTexts(reply).join('\n');
    assert.match(texts, /Lex Sarah-rapport/);
    assert.match(texts, /Skriv inte personnummer eller namn/);
    assert.match(texts, /Du rapporterar som Alex Wilber/);
    const card = reply.activities[0]!.attachments![0]!.content as { body: { id?: string; value?: string; choices?: { value: string }[] }[] };
    const unit = card.body.find((b) => b.id === 'unitId')!;
    assert.equal(unit.value, 'bou-mottagning');
    // Another unit of the same nämnd can be chosen; no unit of another nämnd is offered.
    assert.deepEqual(unit.choices?.map((c) => c.value), ['bou-mottagning', 'bou-familjehem', 'vuxenenheten', 'ekonomiskt-bistand']);
    const dates = JSON.stringify(card).match(/"id":"(occurred|noticed)Date"[^}]*"value":"([^"]*)"/g) ?? [];
    assert.equal(dates.length, 2);
    for (const d of dates) assert.ok(d.includes(`"value":"${TODAY}"`), d);
    assert.notEqual(await openForm(), await openForm());
  });

  it('files the report with one submit, replies with a receipt at once, then routes it through the outbox and updates the receipt', async () => {
    connector.failWith.set(personalChat(ADELE).id, { status: 403, code: 'ConversationBlockedByUser' });
    const formId = await openForm();
    const r = await submit(ALEX, validData(formId));
    assert.match(r.joined, new RegExp(`Rapporten är mottagen – LS-${YEAR}-0001`));
    assert.match(r.joined, /snarast/, 'a vulnerable person makes it urgent');
    assert.ok(!/ingen enhetschef eller samordnare/.test(r.joined), r.joined);

    // Alex is chef and samordnare himself (told); Adele's Teams refuses; Lee never opened the app.
    const report = await t.app.store.reports.getByReference(`LS-${YEAR}-0001`);
    await until('every recipient has an outcome', async () => (await t.app.store.reports.listNotifications(report!.id)).length === 3);
    const toAlex = connector.posted.filter((p) => p.conversationId === personalChat(ALEX).id && JSON.stringify(p.activity).includes('Ny lex Sarah-rapport'));
    assert.equal(toAlex.length, 1);
    const note = JSON.stringify(toAlex[0]!.activity);
    assert.match(note, new RegExp(`LS-${YEAR}-0001`));
    assert.match(note, /BRÅDSKANDE/);
    assert.ok(!note.includes('En orosanmälan registrerades'), 'the notification carries no free text');
    assert.equal(report?.reporterName, 'Alex Wilber');
    const outcomes = await t.app.store.reports.listNotifications(report!.id);
    assert.deepEqual(outcomes.map((o) => [o.recipientName, o.status]).sort(), [['Adele Vance', 'failed'], ['Alex Wilber', 'sent'], ['Lee Gu', 'no-reference']]);

    // The receipt message (the form's, replyToId) is replaced with the final states.
    await until('the receipt is updated', () => connector.updated.some((u) => u.activityId === `form-${formId}`));
    const update = connector.updated.find((u) => u.activityId === `form-${formId}`)!;
    assert.equal(update.conversationId, personalChat(ALEX).id);
    const updated = cardText(update.activity);
    assert.match(updated, /Underrättade\nAlex Wilber/);
    assert.match(updated, /Adele Vance, Lee Gu\. Hör av dig till dem direkt/);
    assert.ok(!/Väntar på leverans/.test(updated), updated);
    // The nämnd's chef (Alex) is told that Adele and Lee could not be reached.
    await until('the chef is told who could not be reached', () =>
      ['Adele Vance', 'Lee Gu'].every((n) => connector.posted.some((p) => p.conversationId === personalChat(ALEX).id && cardText(p.activity).includes(`${n} kunde inte nås om LS-${YEAR}-0001`))),
    );
    // A resubmit shows the current states at once.
    const again = await submit(ALEX, validData(formId));
    assert.match(again.joined, /Adele Vance, Lee Gu\. Hör av dig till dem direkt/);
    assert.ok(again.texts.includes('Alex Wilber'));
  });

  it('answers the submit without waiting for Teams: pending people "väntar", the receipt is updated when they are told', async () => {
    await t.stop();
    await connector.close();
    connector = await startFakeConnector({ latencyMs: 4_000 });
    t = await startTestApp();
    for (const who of [ALEX, ADELE]) await post(t.baseUrl, as(who, { text: 'hjälp' }));
    const formId = await openForm();
    const started = Date.now();
    const r = await submit(ALEX, validData(formId));
    const took = Date.now() - started;
    assert.ok(took < 1_500, `the receipt took ${took} ms`);
    assert.match(r.joined, /Väntar på leverans/);
    assert.match(r.joined, /Alex Wilber, Adele Vance, Lee Gu – meddelandet väntar/);
    assert.ok(!/Kunde inte nås/.test(r.joined), `nobody is "not reached" before a final outcome: ${r.joined}`);
    await until('both cards arrived and the receipt says who was told', () => connector.updated.some((u) => u.activityId === `form-${formId}`), 20_000);
    assert.equal(connector.posted.filter((p) => JSON.stringify(p.activity).includes('Ny lex Sarah-rapport')).length, 2);
    const updated = cardText(connector.updated.find((u) => u.activityId === `form-${formId}`)!.activity);
    assert.match(updated, /Underrättade\nAlex Wilber, Adele Vance/);
    // Lee never opened the app: not reached, the one final failure.
    assert.match(updated, /Lee Gu\. Hör av dig till dem direkt/);
    assert.ok(!/Väntar på leverans/.test(updated));
  });

  it('marks a recipient unreachable when Teams refuses with 403, and says so', async () => {
    connector.failWith.set(personalChat(ADELE).id, { status: 403, code: 'ConversationBlockedByUser' });
    await submit(ALEX, validData(await openForm()));
    const report = await t.app.store.reports.getByReference(`LS-${YEAR}-0001`);
    await until('Adele has an outcome', async () => (await t.app.store.reports.listNotifications(report!.id)).some((n) => n.recipientName === 'Adele Vance'));
    const ref = await t.app.store.conversations.get(TENANT, ADELE.aadObjectId, 'personal');
    assert.equal(ref?.active, false);
    assert.match(ref?.inactiveReason ?? '', /403/);
    const adele = (await t.app.store.reports.listNotifications(report!.id)).find((n) => n.recipientName === 'Adele Vance');
    assert.equal(adele?.status, 'failed');
    assert.match(adele?.error ?? '', /403/);
    const row = await t.app.store.outbox.get(`new-report/LS-${YEAR}-0001/${ADELE.aadObjectId}`);
    assert.equal(row?.state, 'failed');
    assert.equal(row?.attempts, 1, 'a 403 is terminal: no retry');
  });

  it('a double submit of the same card gives the same report, one routing row per recipient and no second notification', async () => {
    const data = validData(await openForm());
    const [a, b] = await Promise.all([submit(ALEX, data), submit(ALEX, data)]);
    for (const r of [a, b]) assert.match(r.joined, new RegExp(`LS-${YEAR}-0001`));
    assert.equal((await t.app.store.reports.listByReporter(ALEX.aadObjectId, 10)).length, 1);
    const routing = () => t.app.store.outbox.listByEntity(`LS-${YEAR}-0001`, 'new-report');
    assert.deepEqual((await routing()).map((r) => r.recipientName).sort(), ['Adele Vance', 'Alex Wilber', 'Lee Gu']);
    await until('the routing is done', async () => (await routing()).every((r) => r.state !== 'pending'));
    const again = await submit(ALEX, data);
    assert.match(again.joined, new RegExp(`LS-${YEAR}-0001`));
    assert.equal((await routing()).length, 3);
    // Alex and Adele are reachable: one notification each, not two.
    await new Promise((r) => setTimeout(r, 300));
    assert.equal(connector.posted.filter((p) => JSON.stringify(p.activity).includes('Ny lex Sarah-rapport')).length, 2);
    assert.match(again.joined, /Lee Gu\. Hör av dig till dem direkt/, 'the receipt repeats who was not reached');
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

  it('refuses a crafted unit of another nämnd in Swedish and stores nothing; a unit of the same nämnd files', async () => {
    const crafted = await submit(MEGAN, validData(await openForm(MEGAN), { unitId: 'solgarden' }));
    assert.match(crafted.joined, /Enheten finns inte bland dem du kan rapportera för/);
    assert.match(crafted.joined, /Rapporten är inte skickad/);
    assert.deepEqual(await t.app.store.reports.listByReporter(MEGAN.aadObjectId, 10), []);
    const other = await submit(MEGAN, validData(await openForm(MEGAN), { unitId: 'bou-familjehem' }));
    assert.match(other.joined, new RegExp(`Rapporten är mottagen – LS-${YEAR}-0001`));
    const [filed] = await t.app.store.reports.listByReporter(MEGAN.aadObjectId, 10);
    assert.equal(filed?.unitId, 'bou-familjehem');
  });

  it('shows missing and wrong fields next to the field, keeping the rest', async () => {
    const r = await submit(ALEX, validData(await openForm(), { whatHappened: '', category: 'okänd' }));
    assert.match(r.joined, /Måste fyllas i\./);
    assert.match(r.joined, /Välj ett av alternativen\./);
    assert.ok(r.texts.includes('Mottagningens väntrum'));
    const future = await submit(ALEX, validData(await openForm(), { occurredDate: '2999-01-01' }));
    assert.match(future.joined, /Datumet ligger i framtiden\. Välj i dag \([0-9]+ [a-zé]+\) eller en tidigare dag\./);
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
