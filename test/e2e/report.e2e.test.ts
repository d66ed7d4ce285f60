/**
 * End to end through the Microsoft 365 Agents Playground in headless Chromium: filing a lex Sarah
 * report through the real form card (date picker, choice sets, texts), the receipt that replaces
 * the form in place (Action.Execute), the proactive notification to the unit's chef and the
 * nämnd's samordnare (in the demo organisation that is Alex Wilber himself, the Playground user),
 * a form refused for a personnummer, and a double click on "Skicka rapporten".
 * Slow (bot + Playground + browser start once for the file); skipped by `npm run test:unit`.
 */
import assert from 'node:assert/strict';
import type { Locator, Response } from 'playwright-core';
import { useE2E, type Client } from './harness';

const REF = /LS-\d{4}-\d{4}/g;
/** A top-level Adaptive Card in the conversation (as in the harness). */
const CARD = '.ac-adaptiveCard:not(.ac-adaptiveCard .ac-adaptiveCard)';

/** Today and yesterday as YYYY-MM-DD in the bot's (and the browser's) time zone. */
function isoDay(daysAgo: number): string {
  const d = new Date(Date.now() - daysAgo * 24 * 3600 * 1000);
  return new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Stockholm', year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
}

const norm = (s: string) => s.replace(/\s+/g, ' ').trim();
const textOf = async (card: Locator) => norm(await card.innerText());

interface FormValues {
  whatHappened: string;
  /**
   * Answer to "Gäller det ett barn eller en person i särskilt utsatt läge?". The other risk
   * questions get Nej, and "Har det hänt förut?" Vet ej (which does not make a report urgent).
   */
  vulnerable?: 'Ja' | 'Nej' | 'Vet ej';
}

/** Sends "rapportera" and returns the new form card. */
async function openForm(client: Client): Promise<Locator> {
  const before = await client.cardCount();
  await client.sendMessage('rapportera');
  return client.waitForCardText('Skriv inte personnummer eller namn', 20_000, { since: before });
}

/** Fills every input of the report form the way a person would, through the rendered card. */
async function fillForm(client: Client, form: Locator, v: FormValues): Promise<void> {
  await client.fillCardInput(form, 'Datum när det hände', isoDay(1));
  // The time it happened; the time it was noticed is left empty (optional).
  await client.fillCardInput(form, 'Klockslag när det hände (om känt)', '14:30');
  await client.fillCardInput(form, 'Datum när det upptäcktes', isoDay(0));
  await client.fillCardInput(form, 'Var hände det?', 'Mottagningens besöksrum');
  await client.fillCardInput(form, 'Kategori', 'Brister i bemötande');
  await client.fillCardInput(form, 'Vad hände?', v.whatHappened);
  await client.fillCardInput(form, 'Konsekvenser för den enskilde', 'Brukaren blev ledsen och orolig.');
  await client.fillCardInput(form, 'Åtgärder som redan vidtagits', 'Samtal med brukaren och personalen samma dag.');
  await client.fillCardInput(form, 'Har den enskilde eller vårdnadshavaren informerats?', 'Ja');
  await client.fillCardInput(form, 'Har någon skadats?', 'Nej');
  await client.fillCardInput(form, 'Pågår risken fortfarande?', 'Nej');
  await client.fillCardInput(form, 'Gäller det ett barn eller en person i särskilt utsatt läge?', v.vulnerable ?? 'Nej');
  await client.fillCardInput(form, 'Misstänks ett brott?', 'Nej');
  await client.fillCardInput(form, 'Har det hänt förut?', 'Vet ej');
  await client.fillCardInput(form, 'Ärendenummer i verksamhetssystemet (valfritt)', 'BoU 2026/123');
}

describe('@e2e Playground: lex Sarah rapport', function () {
  const e2e = useE2E();
  let firstReference = '';

  it('files a report through the form: the receipt replaces the form and the notification arrives', async function () {
    const { client } = e2e;
    await client.waitForCardText('Välkommen till Lex Sarah-assistenten', 30_000);
    const form = await openForm(client);
    const formText = await textOf(form);
    assert.match(formText, /Du rapporterar som Alex Wilber/);
    await fillForm(client, form, { whatHappened: 'Brukaren fick vänta länge och blev tilltalad på ett nedlåtande sätt av personalen.', vulnerable: 'Ja' });
    await client.screenshot('report-form-filled');

    const cardsBefore = await client.cardCount();
    await client.clickCardButton(form, 'Skicka rapporten');

    // The receipt takes the form's place (the locator stays on the card's position).
    const receipt = await client.waitForCardText('Rapporten är mottagen', 20_000, { since: cardsBefore - 1 });
    const receiptText = await textOf(receipt);
    const ref = receiptText.match(REF)?.[0];
    assert.ok(ref, `no LS reference in the receipt: ${receiptText}`);
    assert.equal(ref, `LS-${isoDay(0).slice(0, 4)}-0001`);
    firstReference = ref;
    assert.match(receiptText, new RegExp(`Rapporten är mottagen – ${ref}`));
    assert.match(receiptText, /Svaren tyder på att det kan vara allvarligt/);
    // The receipt answers at once; once every card has an outcome it is updated in place to say
    // who was told and who could not be reached (the delivery goes through the outbox).
    const updated = await client.waitForCardText('Underrättade', 20_000, { since: cardsBefore - 1 });
    const updatedText = await textOf(updated);
    assert.match(updatedText, new RegExp(`Rapporten är mottagen – ${ref}`));
    assert.match(updatedText, /Underrättade Alex Wilber Kunde inte nås/);
    assert.match(updatedText, /Adele Vance/);
    assert.match(updatedText, /Lee Gu/);
    assert.equal(await receipt.getByRole('button', { name: 'Skicka rapporten' }).count(), 0);
    // No form is left in the conversation.
    assert.equal(await client.page.locator(CARD, { hasText: 'Du rapporterar som' }).count(), 0);

    // Alex is enhetschef and samordnare: the notification comes to this very chat.
    const note = await client.waitForCardText(`Ny lex Sarah-rapport – ${ref}`, 20_000);
    const noteText = await textOf(note);
    assert.match(noteText, /BRÅDSKANDE/);
    assert.match(noteText, /Brister i bemötande/);
    assert.match(noteText, /Alex Wilber/);
    assert.match(noteText, /Gäller det ett barn eller en person i särskilt utsatt läge/);
    assert.ok(!noteText.includes('nedlåtande'), 'the notification must not carry the free text');
    // Alex is both enhetschef and samordnare: still one card. As the nämnd's chef Alex is also
    // told that Adele and Lee (who never opened the app) could not be reached.
    await client.waitForCardText(`Adele Vance kunde inte nås om ${ref}`, 20_000);
    await client.waitForCardText(`Lee Gu kunde inte nås om ${ref}`, 20_000);
    await client.page.waitForTimeout(1000);
    assert.equal(await client.page.locator(CARD, { hasText: /Ny lex Sarah-rapport – LS-/ }).count(), 1);

    await receipt.scrollIntoViewIfNeeded();
    await client.screenshot('report-receipt');
  });

  it('refuses a personnummer in "Vad hände?" and stores nothing', async function () {
    const { client } = e2e;
    assert.ok(firstReference, 'needs the report from the first test');
    const form = await openForm(client);
    await fillForm(client, form, { whatHappened: 'Brukaren 19850709-9805 blev utan mat en hel dag.' });
    const cardsBefore = await client.cardCount();
    await client.clickCardButton(form, 'Skicka rapporten');

    const refused = await client.waitForCardText('ser ut att innehålla ett personnummer', 20_000, { since: cardsBefore - 1 });
    const refusedText = await textOf(refused);
    assert.match(refusedText, /Fältet "Vad hände\?" ser ut att innehålla ett personnummer/);
    assert.ok(!refusedText.includes('9805'), 'the refused text must not be echoed back');
    assert.match(refusedText, /Rapporten är inte skickad/);
    await refused.getByText('Rapporten är inte skickad', { exact: false }).first().scrollIntoViewIfNeeded();
    await client.screenshot('report-refused');
    // No receipt for it: the only receipt is the first one.
    await client.page.waitForTimeout(1000);
    assert.equal(await client.page.locator(CARD, { hasText: 'Rapporten är mottagen' }).count(), 1);

    const before = await client.cardCount();
    await client.sendMessage('mina rapporter');
    const list = await client.waitForCardText('Mina rapporter', 20_000, { since: before });
    const refs = (await textOf(list)).match(REF) ?? [];
    assert.deepEqual(refs, [firstReference]);
  });

  it('files one report when "Skicka rapporten" is double-clicked', async function () {
    const { client } = e2e;
    const { page } = client;
    assert.ok(firstReference, 'needs the report from the first test');
    const form = await openForm(client);
    await fillForm(client, form, { whatHappened: 'Brukaren fick fel läkemedel vid kvällsmedicineringen.' });

    // Both clicks reach the bot (the Playground does not disable the button while the first
    // invoke is under way); the bot must recognise the second as the same form (formId).
    const answers: Promise<string>[] = [];
    const onResponse = (r: Response) => {
      if (r.request().method() === 'POST' && new URL(r.url()).pathname === '/_conversation/v1/invoke') answers.push(r.text());
    };
    page.on('response', onResponse);
    let ref: string | undefined;
    try {
      const cardsBefore = await client.cardCount();
      await form.getByRole('button', { name: 'Skicka rapporten', exact: true }).dblclick();
      const receipt = await client.waitForCardText('Rapporten är mottagen', 20_000, { since: cardsBefore - 1 });
      ref = (await textOf(receipt)).match(REF)?.[0];
      assert.equal(ref, `LS-${isoDay(0).slice(0, 4)}-0002`);
      const note = await client.waitForCardText(`Ny lex Sarah-rapport – ${ref}`, 20_000);
      assert.ok(!(await textOf(note)).includes('BRÅDSKANDE'), 'all risk answers are Nej or (for "hänt förut") Vet ej');
      // Time for a second receipt and a second notification, if there were to be any.
      await page.waitForTimeout(1500);
    } finally {
      page.off('response', onResponse);
    }
    assert.equal(answers.length, 2, 'the double click should have sent two invokes');
    for (const body of await Promise.all(answers)) {
      assert.deepEqual(body.match(REF), [ref], `each invoke answers with the receipt for ${ref}: ${body.slice(0, 300)}`);
    }
    // One notification for it (Alex is enhetschef and samordnare, and gets one card per report).
    assert.equal(await page.locator(CARD, { hasText: `Ny lex Sarah-rapport – ${ref}` }).count(), 1);
    assert.equal(await page.locator(CARD, { hasText: /Ny lex Sarah-rapport – LS-/ }).count(), 2);

    const before = await client.cardCount();
    await client.sendMessage('mina rapporter');
    const list = await client.waitForCardText('Mina rapporter', 20_000, { since: before });
    const refs = (await textOf(list)).match(REF) ?? [];
    assert.deepEqual([...refs].sort(), [firstReference, ref].sort());
  });
});
