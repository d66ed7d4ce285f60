/**
 * End to end through the Microsoft 365 Agents Playground in headless Chromium: the nämnd's
 * sammanställning (issue #16) on the demo's fresh database. Alex Wilber (chef and samordnare of
 * Socialnämnden) types `sammanställning i år`; the card's figures are the ones the seeded history
 * describes (test/demo/expected.ts works out each rapport's steps), not numbers typed in here.
 * Then the Excel button gives a one-time link, and the file it serves has the same figures.
 */
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import type { Locator } from 'playwright-core';
import { DateTime } from 'luxon';
import { historyFor } from '../../src/demo/seed';
import { settings, TZ, unitsOf } from '../demo/expected';
import { useE2E } from './harness';

const CLOCK = '2026-11-25T09:30:00.000Z';
const NOW = new Date(CLOCK);
const norm = (s: string) => s.replace(/\s+/g, ' ').trim();
const textOf = async (card: Locator) => norm(await card.innerText());

describe('@e2e Playground: the sammanställning on the demo', function () {
  const e2e = useE2E({
    bot: { env: { TEST_CLOCK_START: CLOCK, DEMO_DATA: 'on', REMINDER_INTERVAL_MS: '0' } },
    testTimeoutMs: 60_000,
  });
  const history = historyFor(settings, NOW);

  it('"sammanställning i år" shows Socialnämnden\'s rapporter, bedömningar and anmälningar as the history gives them, and the file agrees', async () => {
    const units = new Set(unitsOf('socialnamnden'));
    const year = DateTime.fromJSDate(NOW, { zone: TZ }).year;
    const reports = history.reports.filter((r) => units.has(r.unitId) && DateTime.fromJSDate(r.createdAt, { zone: TZ }).year === year);
    const decided = reports.filter((r) => r.steps.some((s) => s.kind === 'decide')).length;
    const filed = reports.filter((r) => r.steps.some((s) => s.kind === 'file')).length;
    assert.ok(reports.length > 0 && decided > 0 && filed > 0, 'the history has rapporter, bedömningar and anmälningar this year');

    await e2e.client.waitForCardText('Välkommen till Lex Sarah-assistenten', 30_000);
    const before = await e2e.client.cardCount();
    await e2e.client.sendMessage('sammanställning i år');
    const card = await e2e.client.waitForCardText('Sammanställning lex Sarah – Socialnämnden', 20_000, { since: before });
    const text = await textOf(card);
    assert.ok(text.includes(`Rapporter: ${reports.length}`), text);
    assert.ok(text.includes(`Bedömningar: ${decided}`), text);
    assert.ok(text.includes(`Anmälningar till IVO av periodens rapporter: ${filed}`), text);
    assert.ok(!text.includes('[Demo]'), 'no report text on the card');

    // The button answers with the same card and a one-time link to the file.
    await card.getByRole('button', { name: 'Ladda ner som Excel-fil' }).click();
    const withLink = await e2e.client.waitForCardText('Länken fungerar en gång', 20_000);
    const href = await withLink.locator('a, button').filter({ hasText: 'Öppna Excel-filen' }).first().getAttribute('href').catch(() => null);
    const url = href ?? (await e2e.client.page.evaluate(() => (document.body.innerHTML.match(/https?:\/\/[^"'\s<>]+\/api\/exports\/[A-Za-z0-9_-]{43}/) ?? [''])[0]));
    assert.match(url, /\/api\/exports\/[A-Za-z0-9_-]{43}$/, 'the link is on the card');
    const res = await fetch(url);
    assert.equal(res.status, 200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await res.arrayBuffer()) as unknown as ExcelJS.Buffer);
    const overview = new Map<string, unknown>();
    wb.getWorksheet('Översikt')!.eachRow((row) => overview.set(String(row.getCell(1).value), row.getCell(2).value));
    assert.equal(overview.get('Rapporter'), reports.length);
    assert.equal(overview.get('Anmälningar till IVO av periodens rapporter'), filed);
    assert.equal((await fetch(url)).status, 410, 'the link works once');
  });
});
