/**
 * End to end through the Microsoft 365 Agents Playground in headless Chromium: the lex Sarah case
 * after the report, through the real cards. A report is filed through the form; the notification's
 * "Öppna rapporten" (Action.Submit, "öppna LS-…") brings the case card; the assessment form's
 * choice sets give a recommendation (Allvarligt missförhållande) and the decision starts the
 * "snarast" clock; the anmälan draft; recording the filing (investigation sent later) stops that
 * clock and starts the two-month clock for the investigation. Each Action.Execute replaces the
 * card it was clicked on. In the demo organisation the Playground user, Alex Wilber, is
 * medarbetare and enhetschef of "bou-mottagning" and samordnare and chef of its nämnd, so he does
 * every step himself. Slow (bot + Playground + browser start once for the file); skipped by
 * `npm run test:unit`.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { DateTime } from 'luxon';
import type { Locator } from 'playwright-core';
import { ASSESSMENT_QUESTIONS, IMPACTS, RISK_CLARITIES, SEVERITIES, YES_NO } from '../../src/assessment/rules';
import { RESULTS_DIR, useE2E, type Client } from './harness';

const ZONE = 'Europe/Stockholm';
const REF = /LS-\d{4}-\d{4}/;
/** A top-level Adaptive Card in the conversation (as in the harness). */
const CARD = '.ac-adaptiveCard:not(.ac-adaptiveCard .ac-adaptiveCard)';

/** Today minus `daysAgo` as YYYY-MM-DD in the bot's (and the browser's) time zone. */
const isoDay = (daysAgo: number) => DateTime.now().setZone(ZONE).minus({ days: daysAgo }).toISODate()!;
/** A date as the bot writes it on cards: "22 jan. 2027". */
const cardDate = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).setLocale('sv').toFormat('d LLL yyyy');

const norm = (s: string) => s.replace(/\s+/g, ' ').trim();
const textOf = async (card: Locator) => norm(await card.innerText());

/** Sends "rapportera", fills the report form through the rendered card and sends it. */
async function fileReport(client: Client): Promise<string> {
  const before = await client.cardCount();
  await client.sendMessage('rapportera');
  const form = await client.waitForCardText('Skriv inte personnummer eller namn', 20_000, { since: before });
  await client.fillCardInput(form, 'Datum när det hände', isoDay(1));
  await client.fillCardInput(form, 'Klockslag när det hände (om känt)', '14:30');
  await client.fillCardInput(form, 'Datum när det upptäcktes', isoDay(0));
  await client.fillCardInput(form, 'Var hände det?', 'Mottagningens besöksrum');
  await client.fillCardInput(form, 'Kategori', 'Brister i bemötande');
  await client.fillCardInput(form, 'Vad hände?', 'En medarbetare skrek åt ett barn under ett samtal och tog tag hårt i armen.');
  await client.fillCardInput(form, 'Konsekvenser för den enskilde', 'Barnet blev rädt och grät.');
  await client.fillCardInput(form, 'Åtgärder som redan vidtagits', 'Medarbetaren togs ur tjänst samma dag.');
  await client.fillCardInput(form, 'Har den enskilde eller vårdnadshavaren informerats?', 'Ja');
  await client.fillCardInput(form, 'Har någon skadats?', 'Nej');
  await client.fillCardInput(form, 'Pågår risken fortfarande?', 'Nej');
  await client.fillCardInput(form, 'Gäller det ett barn eller en person i särskilt utsatt läge?', 'Ja');
  await client.fillCardInput(form, 'Misstänks ett brott?', 'Nej');
  await client.fillCardInput(form, 'Har det hänt förut?', 'Nej');

  const index = await cardIndex(form);
  await client.clickCardButton(form, 'Skicka rapporten');
  const receipt = await client.waitForCardText('Rapporten är mottagen', 20_000, { since: index });
  const ref = (await textOf(receipt)).match(REF)?.[0];
  assert.ok(ref, `no LS reference in the receipt: ${await textOf(receipt)}`);
  return ref;
}

/** The card's position among the conversation's top-level cards. */
function cardIndex(card: Locator): Promise<number> {
  return card.evaluate((el, sel) => Array.from(document.querySelectorAll(sel)).indexOf(el), CARD);
}

/**
 * Clicks an Action.Execute button and waits for `text` in the card that replaces the clicked one
 * (in place) – or, should the bot answer with a new message instead, in a newer card.
 */
async function executeAndWait(client: Client, card: Locator, button: string, text: string, timeoutMs = 20_000): Promise<Locator> {
  const index = await cardIndex(card);
  assert.ok(index >= 0, `the card to click "${button}" on is not in the conversation`);
  await client.clickCardButton(card, button);
  return client.waitForCardText(text, timeoutMs, { since: index });
}

/**
 * A PNG of one whole card in test-results/. A card taller than the chat's scroll view would be
 * shot with the Playground's header over its top: the window is made tall enough for a moment.
 */
async function cardScreenshot(client: Client, card: Locator, name: string): Promise<string> {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${name}.png`);
  const { page } = client;
  const viewport = page.viewportSize();
  const height = (await card.boundingBox())?.height ?? 0;
  try {
    if (viewport && height + 350 > viewport.height) await page.setViewportSize({ width: viewport.width, height: Math.ceil(height + 350) });
    await card.scrollIntoViewIfNeeded();
    await card.screenshot({ path: file });
  } finally {
    if (viewport) await page.setViewportSize(viewport);
  }
  return file;
}

const buttonsOf = async (card: Locator) => (await card.getByRole('button').allInnerTexts()).map((t) => t.trim()).filter(Boolean);

describe('@e2e Playground: lex Sarah case', function () {
  const e2e = useE2E({ testTimeoutMs: 120_000 });

  it('walks a case through the cards: notification → case card → assessment → decision → draft → IVO filing', async function () {
    const { client } = e2e;
    const started = Date.now();
    const step = (name: string) => process.stderr.write(`      [case] ${name} at ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    await client.waitForCardText('Välkommen till Lex Sarah-assistenten', 30_000);

    // 1. The report, and the notification to the chef and samordnare (Alex himself).
    const ref = await fileReport(client);
    const note = await client.waitForCardText(`Ny lex Sarah-rapport – ${ref}`, 20_000);
    assert.match(await textOf(note), /BRÅDSKANDE/);
    step(`report ${ref} filed and notified`);

    // 2. "Öppna rapporten" (Action.Submit with the command "öppna LS-…") answers with a new message.
    const cardsBefore = await client.cardCount();
    await client.clickCardButton(note, 'Öppna rapporten');
    let caseCard = await client.waitForCardText(`Lex Sarah-ärende ${ref}`, 20_000, { since: cardsBefore });
    let text = await textOf(caseCard);
    assert.match(text, /BRÅDSKANDE/);
    assert.match(text, /Läge Rapporterad – väntar på utredning/);
    assert.match(text, /Bedömning Inte gjord/);
    assert.match(text, /Rapportör Alex Wilber/);
    assert.match(text, /skrek åt ett barn/);
    // The clock runs from receipt (SoL 27 kap. 5 §: "genast"); BRÅDSKANDE gets the shorter local deadline.
    assert.match(text, /Bedömning \(brådskande\): senast/);
    assert.deepEqual(await buttonsOf(caseCard), ['Starta utredningen', 'Gör bedömningen', 'Dokumentera', 'Lägg till åtgärd', 'Information till den enskilde']);
    await cardScreenshot(client, caseCard, 'case-card-opened');
    step('case card opened');

    // 3. The assessment: serious (consequences, betydande, abuse, a child).
    const form = await executeAndWait(client, caseCard, 'Gör bedömningen', 'Bedöm om det är allvarligt');
    assert.match(await textOf(form), new RegExp(ref));
    await client.fillCardInput(form, ASSESSMENT_QUESTIONS.scope, YES_NO.ja);
    await client.fillCardInput(form, ASSESSMENT_QUESTIONS.impact, IMPACTS.konsekvenser);
    await client.fillCardInput(form, ASSESSMENT_QUESTIONS.severity, SEVERITIES.betydande);
    await client.fillCardInput(form, ASSESSMENT_QUESTIONS.riskClarity, RISK_CLARITIES['ej-aktuell']);
    await client.fillCardInput(form, ASSESSMENT_QUESTIONS.abuse, YES_NO.ja);
    await client.fillCardInput(form, ASSESSMENT_QUESTIONS.vulnerable, YES_NO.ja);
    await client.fillCardInput(form, ASSESSMENT_QUESTIONS.repeated, YES_NO.nej);
    await client.fillCardInput(form, ASSESSMENT_QUESTIONS.severalAffected, YES_NO.nej);
    await cardScreenshot(client, form, 'case-assessment-filled');
    step('assessment form filled');

    const rec = await executeAndWait(client, form, 'Visa rekommendation', 'Rekommendation: Allvarligt missförhållande');
    text = await textOf(rec);
    assert.match(text, /Anmälan till IVO krävs: ska göras snarast\./);
    assert.match(text, /Skäl Det inträffade har inneburit ett hot mot eller fått konsekvenser/);
    assert.match(text, /Det rör övergrepp\./);
    assert.match(text, /Det gäller ett barn eller en person i särskilt utsatt läge/);
    // The "- …" lines render as Markdown list items.
    assert.match(text, /Hänvisningar 27 kap\. 2 § socialtjänstlagen/);
    assert.match(text, /27 kap\. 6 § socialtjänstlagen .* snarast anmälas till Inspektionen för vård och omsorg/);
    assert.ok((await rec.locator('li').count()) >= 10, 'reasons and references as list items');
    // The decision defaults to the recommendation.
    assert.match(text, /Beslutad bedömning/);
    await cardScreenshot(client, rec, 'case-recommendation');
    step('recommendation shown');

    caseCard = await executeAndWait(client, rec, 'Registrera beslutet', 'Anmälan till IVO snarast: senast');
    text = await textOf(caseCard);
    assert.match(text, new RegExp(`Lex Sarah-ärende ${ref}`));
    assert.match(text, /Beslut: Allvarligt missförhållande\. Anmälan till IVO ska göras snarast – enligt lokal rutin senast/);
    assert.match(text, /Läge Bedömd/);
    assert.match(text, /Bedömning Allvarligt missförhållande \(Alex Wilber, /);
    const snarast = `Anmälan till IVO snarast: senast ${cardDate(DateTime.now().setZone(ZONE).plus({ days: 14 }).toISODate()!)} (om 14 dagar)`;
    assert.ok(text.includes(snarast), `expected "${snarast}" in: ${text}`);
    const afterDecision = await buttonsOf(caseCard);
    for (const b of ['Underlag för IVO-anmälan', 'Registrera anmälan']) assert.ok(afterDecision.includes(b), `${b} in ${afterDecision.join(', ')}`);
    await cardScreenshot(client, caseCard, 'case-card-decided');
    step('decision recorded');

    // 4. The anmälan draft, in the structure of IVO's form.
    const draft = await executeAndWait(client, caseCard, 'Underlag för IVO-anmälan', `Underlag för anmälan till IVO – ${ref}`);
    text = await textOf(draft);
    for (const s of ['Avsändare', 'Vårt diarienummer', 'Anmälan avser', 'Allvarligt missförhållande', 'Vad har hänt', 'skrek åt ett barn', 'Konsekvenser för den enskilde', 'Kontaktperson', 'Hela texten att kopiera']) {
      assert.ok(text.includes(s), `"${s}" in the draft: ${text}`);
    }
    const copy = await client.page.locator(`${CARD} textarea`).last().inputValue();
    assert.match(copy, /^Avsändare:\n/);
    assert.match(copy, /Anmälan avser:\nAllvarligt missförhållande/);
    await client.screenshot('case-draft-page');
    await cardScreenshot(client, draft, 'case-draft');
    step('draft shown');

    // 5. Recording the anmälan: the investigation goes to IVO later, within two months.
    const fileForm = await executeAndWait(client, draft, 'Registrera anmälan', 'IVO:s diarienummer');
    text = await textOf(fileForm);
    assert.match(text, /Registrera anmälan till IVO/);
    await client.fillCardInput(fileForm, 'IVO:s diarienummer', '3.5.1-12345/2026');
    await client.fillCardInput(fileForm, 'Bifogades utredningen?', 'Nej, den skickas senare (lokal rutin/praxis: inom 2 månader)');
    // "Datum då anmälan lämnades" defaults to today.
    caseCard = await executeAndWait(client, fileForm, 'Registrera', 'Anmälan till IVO är registrerad');
    text = await textOf(caseCard);
    const today = isoDay(0);
    const due = cardDate(DateTime.fromISO(today, { zone: ZONE }).plus({ months: 2 }).toISODate()!);
    assert.ok(text.includes(`Utredningen till IVO: senast ${due}`), `expected "Utredningen till IVO: senast ${due}" in: ${text}`);
    assert.ok(!text.includes('Anmälan till IVO snarast'), `the snarast clock stops once filed: ${text}`);
    assert.match(text, /Läge Anmäld till IVO/);
    assert.ok(text.includes(`Anmäld till IVO ${cardDate(today)}, dnr 3.5.1-12345/2026`), text);
    const afterFiling = await buttonsOf(caseCard);
    assert.ok(afterFiling.includes('Utredningen skickad'), afterFiling.join(', '));
    assert.ok(!afterFiling.includes('Registrera anmälan'), afterFiling.join(', '));
    await client.screenshot('case-filed-page');
    await cardScreenshot(client, caseCard, 'case-card-filed');
    step('filing recorded');
  });
});
