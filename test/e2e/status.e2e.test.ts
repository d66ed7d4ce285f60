/**
 * End to end through the Microsoft 365 Agents Playground in headless Chromium: the demo manager
 * (Alex Wilber, chef of Socialnämnden) types "status" and gets the summary card; a unit's button
 * opens that unit, and "Tillbaka" returns to the nämnd.
 *
 * The bot runs on a test clock (Wednesday 25 Nov 2026, week 48) and the casework register is
 * filled the way production fills it: the sample export POSTed to the import endpoint. The
 * expected casework numbers are computed from the same file with the casework rules, so the test
 * checks that the card shows what the rules say. Slow (~15 s); skipped by `npm run test:unit`.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Locator } from 'playwright-core';
import { parseCaseworkCsv } from '../../src/casework/csv';
import { withHistory } from '../../src/casework/import';
import { computeClock } from '../../src/casework/rules';
import { loadOrganisationFile } from '../../src/org/load';
import { REPO_ROOT, useE2E } from './harness';

const CLOCK = '2026-11-25T10:00:00.000Z';
const API_KEY = 'e2e-import-key-0123456789abcdef0123456789abcdef';
const CSV = readFileSync(path.join(REPO_ROOT, 'test', 'fixtures', 'casework-sample.csv'), 'utf8');
const norm = (s: string) => s.replace(/\s+/g, ' ').trim();
const textOf = async (card: Locator) => norm(await card.innerText());

/** Casework overdue/approaching in Socialnämnden on the test clock's day, by the rules (a fresh register: the file is all the history). */
async function expectedCasework(): Promise<{ overdue: number; approaching: number }> {
  const org = loadOrganisationFile(path.join(REPO_ROOT, 'env', 'organisation.demo.yaml'));
  const units = org.committees.find((c) => c.id === 'socialnamnden')!.units.map((u) => u.id);
  const all = org.committees.flatMap((c) => c.units.map((u) => u.id));
  const parsed = parseCaseworkCsv(CSV, { source: 'e2e', unitIds: all, today: '2026-11-25' });
  assert.ok(parsed.ok, 'the sample export is valid');
  const items = await withHistory({ store: { casework: { firstOpenings: async () => new Map() } } as never }, 'e2e', parsed.items);
  let overdue = 0;
  let approaching = 0;
  for (const item of items.filter((i) => units.includes(i.unitId))) {
    const clock = computeClock(item, { today: '2026-11-25' });
    if (clock?.state === 'forsenad') overdue++;
    if (clock?.state === 'narmar-sig') approaching++;
  }
  return { overdue, approaching };
}

describe('@e2e Playground: status summary', function () {
  const e2e = useE2E({
    bot: { env: { TEST_CLOCK_START: CLOCK, REMINDER_INTERVAL_MS: '0', SECRET_IMPORT_API_KEY: API_KEY } },
    testTimeoutMs: 60_000,
  });

  it('"status" gives the demo manager the summary of Socialnämnden, with a bar and a button per unit', async function () {
    const expected = await expectedCasework();
    assert.ok(expected.overdue > 0, 'the sample export has overdue items on the test day (else this test proves little)');
    const res = await fetch(`${e2e.bot.baseUrl}/api/casework/import?source=e2e&full=true`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'text/csv' },
      body: CSV,
    });
    assert.equal(res.status, 200, await res.text());

    await e2e.client.waitForCardText('Välkommen till Lex Sarah-assistenten', 30_000);
    const before = await e2e.client.cardCount();
    await e2e.client.sendMessage('status');
    const card = await e2e.client.waitForCardText('Lägesbild – Socialnämnden', 20_000, { since: before });
    const text = await textOf(card);
    assert.match(text, /Denna vecka \(23 nov\. 2026 – 25 nov\. 2026\)/);
    assert.ok(text.includes(`${expected.overdue} försenade, ${expected.approaching} närmar sig`), text);
    assert.match(text, /Veckogenomgångar v\.48/);
    assert.match(text, /Nya rapporter under perioden 0/);
    // One drill-down button per unit of the nämnd, each named for its unit.
    const buttons = (await card.getByRole('button').allInnerTexts()).map((t) => t.trim());
    for (const unit of ['Barn och unga – mottagning och utredning', 'Familjehemsenheten', 'Vuxenenheten', 'Försörjningsstöd']) {
      assert.ok(buttons.includes(`Visa ${unit}`), `button for ${unit} in ${JSON.stringify(buttons)}`);
    }
    await e2e.client.screenshot('status-card');

    await e2e.client.clickCardButton(card, 'Visa Barn och unga – mottagning och utredning');
    await e2e.client.waitForCardText('Lägesbild – Barn och unga – mottagning och utredning', 20_000, { since: before });
    await e2e.client.screenshot('status-unit-card');
    const unitCard = e2e.client.page.locator('.ac-adaptiveCard', { hasText: 'Lägesbild – Barn och unga – mottagning och utredning' }).last();
    await e2e.client.clickCardButton(unitCard, 'Tillbaka till hela lägesbilden');
    await e2e.client.waitForCardText('Lägesbild – Socialnämnden', 20_000, { since: before });
  });

  it('"hur ligger vi till för vuxenenhten?" (a typo) is understood', async function () {
    const before = await e2e.client.cardCount();
    await e2e.client.sendMessage('hur ligger vi till för vuxenenhten?');
    const card = await e2e.client.waitForCardText('Lägesbild – Vuxenenheten', 20_000, { since: before });
    assert.match(await textOf(card), /Denna vecka/);
  });
});
