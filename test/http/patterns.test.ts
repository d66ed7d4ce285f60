/**
 * Pattern alerts through the real endpoint (issue #16): the third rapport from one unit within
 * 30 days fires one alert, to the nämnd's samordnare and chef, through the outbox; the fourth adds
 * to the same pattern and fires nothing; the card's button records the decision once, audited,
 * guarded against identity numbers, and only for those who may.
 */
import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import { ALEX, activity, fileReport, invokeAction, LEE, MEGAN, NESTOR, personalChat, post, startTestApp, type TestApp } from '../support/app-fixture';

const TODAY = DateTime.now().setZone('Europe/Stockholm').toISODate()!;

describe('pattern alerts over HTTP', function () {
  this.timeout(30_000);
  let t: TestApp;
  const as = (who: typeof ALEX) => activity({ from: who, conversation: personalChat(who) });

  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(async () => t.stop());

  const alertRows = async () => (await t.app.store.patterns.list(['socialnamnden'], new Date(Date.now() - 86_400_000), new Date(Date.now() + 86_400_000), 100));
  // A report's pattern rules run after its submit is answered: wait for them before looking.
  const file = async (): Promise<string> => {
    const ref = await fileReport(t.baseUrl, as(MEGAN), TODAY);
    await t.app.settled();
    return ref;
  };
  const cardsOf = async (id: number) => t.app.store.outbox.listByEntity(`monster/${id}`, 'pattern-alert');

  it('the third rapport from a unit within 30 days fires one alert to the samordnare and chefer; the fourth fires none', async () => {
    const refs: string[] = [];
    for (let i = 0; i < 2; i++) refs.push(await file());
    assert.deepEqual(await alertRows(), [], 'two rapporter are no pattern');

    refs.push(await file());
    const [alert, ...more] = await alertRows();
    assert.ok(alert, 'the third fires');
    assert.deepEqual(more, []);
    assert.equal(alert.rule, 'enhet-rapporter');
    assert.equal(alert.unitId, 'bou-mottagning');
    assert.deepEqual(alert.references, refs);
    const cards = await cardsOf(alert.id);
    // Alex is samordnare and chef (one card), Lee samordnare; Nestor is chef of another nämnd.
    assert.deepEqual(cards.map((c) => c.recipientName).sort(), ['Alex Wilber', 'Lee Gu']);
    const card = cards[0]!.cardJson;
    assert.match(card, /MÖNSTER/);
    assert.match(card, /3 rapporter från Barn och unga – mottagning och utredning på 30 dagar/);
    assert.match(card, /risk- och händelseanalys/);
    for (const r of refs) assert.ok(card.includes(r), `${r} on the card`);
    assert.ok(!card.includes('En orosanmälan registrerades'), 'no report text on the card');

    refs.push(await file());
    assert.equal((await alertRows()).length, 1, 'the fourth is the same pattern');
    assert.equal((await cardsOf(alert.id)).length, 2);
    assert.deepEqual((await t.app.store.audit.list({ entityRef: `monster/${alert.id}` })).map((e) => e.action), ['pattern.fire']);
  });

  it('the thresholds are the settings: with PATTERN_UNIT_REPORTS_COUNT=2 and _DAYS=7 the second fires, and the card says so', async () => {
    await t.stop();
    t = await startTestApp({ PATTERN_UNIT_REPORTS_COUNT: '2', PATTERN_UNIT_REPORTS_DAYS: '7' });
    await file();
    assert.deepEqual(await alertRows(), []);
    await file();
    const [alert, ...more] = await alertRows();
    assert.equal(alert?.rule, 'enhet-rapporter');
    assert.deepEqual(more, []);
    assert.match((await cardsOf(alert!.id))[0]!.cardJson, /2 rapporter från Barn och unga – mottagning och utredning på 7 dagar/);
  });

  it('every recipient\'s copy refreshes to the alert as it stands: once one has decided, the others see the decision, not the form', async () => {
    // Alex and Lee have talked to the bot: their personal chats are known, so are their Teams ids.
    for (const who of [ALEX, LEE]) await post(t.baseUrl, activity({ from: who, conversation: personalChat(who), text: 'hjälp' }));
    for (let i = 0; i < 3; i++) await file();
    const [alert] = await alertRows();
    assert.ok(alert);
    const sent = JSON.parse((await cardsOf(alert.id))[0]!.cardJson) as { refresh?: { action: { verb: string; data: { alertId: string } }; userIds: string[] } };
    assert.equal(sent.refresh?.action.verb, 'pattern.show');
    assert.equal(sent.refresh?.action.data.alertId, String(alert.id));
    assert.deepEqual([...(sent.refresh?.userIds ?? [])].sort(), [ALEX.id, LEE.id].sort());

    const before = await invokeAction(t.baseUrl, as(ALEX), 'pattern.show', { alertId: String(alert.id) });
    assert.match(JSON.stringify(before.card), /pattern\.decide/, 'undecided: the form');
    await invokeAction(t.baseUrl, as(LEE), 'pattern.decide', { alertId: String(alert.id), outcome: 'analys-paborjad', motivation: 'Samlad analys startar vecka 50.' });
    const after = await invokeAction(t.baseUrl, as(ALEX), 'pattern.show', { alertId: String(alert.id) });
    assert.match(after.joined, /Ställningstagande: Analys påbörjad \(Lee Gu/);
    assert.doesNotMatch(JSON.stringify(after.card), /pattern\.decide/, 'decided: no form to decide again');
    assert.equal((after.card as { refresh?: { userIds: string[] } }).refresh?.userIds.length, 2, 'and it keeps refreshing');
    // Nobody else sees it: not the reporter, not a chef of another nämnd; a forged id tells nothing.
    for (const [who, id] of [[MEGAN, String(alert.id)], [NESTOR, String(alert.id)], [LEE, String(alert.id + 1000)], [LEE, 'x']] as const) {
      const r = await invokeAction(t.baseUrl, as(who), 'pattern.show', { alertId: id });
      assert.match(r.joined, /Jag hittar ingen signal om mönster som du kan ta ställning till/, `${who.name} ${id}`);
    }
  });

  it('the button records the decision once, for the samordnare or chef only, and refuses identity numbers', async () => {
    for (let i = 0; i < 3; i++) await file();
    const [alert] = await alertRows();
    assert.ok(alert);

    const byMegan = await invokeAction(t.baseUrl, as(MEGAN), 'pattern.decide', { alertId: String(alert.id), outcome: 'bedoms-inte-behovas', motivation: 'Inget mönster.' });
    assert.match(byMegan.joined, /Jag hittar ingen signal om mönster som du kan ta ställning till/);

    const withNumber = await invokeAction(t.baseUrl, as(LEE), 'pattern.decide', { alertId: String(alert.id), outcome: 'analys-paborjad', motivation: 'Gäller 19121212-1212 igen.' });
    assert.match(withNumber.joined, /personnummer/i);
    assert.ok(!withNumber.joined.includes('19121212-1212'), 'the number is not echoed');
    assert.equal((await t.app.store.patterns.get(alert.id))?.decision, undefined);

    const noChoice = await invokeAction(t.baseUrl, as(LEE), 'pattern.decide', { alertId: String(alert.id), motivation: 'Vi analyserar.' });
    assert.match(noChoice.joined, /Välj vad som har beslutats/);
    const long = await invokeAction(t.baseUrl, as(LEE), 'pattern.decide', { alertId: String(alert.id), outcome: 'analys-paborjad', motivation: 'ord '.repeat(3_000) });
    assert.match(long.joined, /Motiveringen får vara högst 2000 tecken/, 'a long motivation is told as such, not as a missing alert');

    const ok = await invokeAction(t.baseUrl, as(LEE), 'pattern.decide', { alertId: String(alert.id), outcome: 'analys-paborjad', motivation: 'Samlad analys startar vecka 50.' });
    assert.match(ok.joined, /Ställningstagande: Analys påbörjad \(Lee Gu/);
    const stored = await t.app.store.patterns.get(alert.id);
    assert.equal(stored?.decision?.outcome, 'analys-paborjad');

    const byNestor = await invokeAction(t.baseUrl, as(NESTOR), 'pattern.decide', { alertId: String(alert.id), outcome: 'bedoms-inte-behovas', motivation: 'Behövs inte.' });
    assert.match(byNestor.joined, /Jag hittar ingen signal om mönster som du kan ta ställning till/, 'a chef of another nämnd may not, told as if it did not exist');
    const again = await invokeAction(t.baseUrl, as(ALEX), 'pattern.decide', { alertId: String(alert.id), outcome: 'bedoms-inte-behovas', motivation: 'Behövs inte.' });
    assert.match(again.joined, /redan registrerat/);
    assert.equal((await t.app.store.patterns.get(alert.id))?.decision?.outcome, 'analys-paborjad');
    assert.deepEqual((await t.app.store.audit.list({ entityRef: `monster/${alert.id}` })).map((e) => e.action), ['pattern.fire', 'pattern.decide']);

    const forged = await invokeAction(t.baseUrl, as(LEE), 'pattern.decide', { alertId: '999999', outcome: 'analys-paborjad', motivation: 'x y z' });
    assert.match(forged.joined, /Jag hittar ingen signal om mönster som du kan ta ställning till/);
  });
});
