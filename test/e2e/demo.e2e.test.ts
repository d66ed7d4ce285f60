/**
 * End to end through the Microsoft 365 Agents Playground in headless Chromium: the first ten
 * minutes. A fresh database with the demo organisation and DEMO_DATA=on (what `npm run dev`
 * gives a newcomer; `npm run dev -- --empty` turns it off), and the Playground's default user,
 * Alex Wilber (enhetschef of Barn och unga – mottagning och utredning, chef and samordnare of
 * Socialnämnden), types `genomgång` and `status`: both cards show non-zero figures, and they are
 * the figures the seeded history itself describes (test/demo/expected.ts works them out with the
 * domain rules), not numbers typed in here.
 *
 * The screenshots of both cards go to test/e2e/screenshots/ (committed): the README's "two
 * commands" section shows them, so they are retaken whenever the end-to-end tests run.
 * Slow (bot + Playground + browser, ~20 s); skipped by `npm run test:unit`.
 */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Locator } from 'playwright-core';
import { historyFor } from '../../src/demo/seed';
import { ALEX_UNIT, expectedCasework, expectedReport, settings, tally, unitsOf } from '../demo/expected';
import { REPO_ROOT, useE2E } from './harness';

/** A Wednesday morning in Stockholm, as the seed test uses. */
const CLOCK = '2026-11-25T09:30:00.000Z';
const NOW = new Date(CLOCK);
const SCREENSHOTS = path.join(REPO_ROOT, 'test', 'e2e', 'screenshots');
const norm = (s: string) => s.replace(/\s+/g, ' ').trim();
const textOf = async (card: Locator) => norm(await card.innerText());

describe('@e2e Playground: the demo on a fresh database', function () {
  const e2e = useE2E({
    // REMINDER_INTERVAL_MS=0: no reminder job, so the only cards are the ones typed for.
    bot: { env: { TEST_CLOCK_START: CLOCK, DEMO_DATA: 'on', REMINDER_INTERVAL_MS: '0' } },
    testTimeoutMs: 60_000,
  });

  // Reached through the same entry point as the seed (historyFor), with the app's default settings.
  const history = historyFor(settings, NOW);

  /** The whole card, however tall (the page shows only part of it), for the README. */
  async function keep(card: Locator, name: string): Promise<void> {
    mkdirSync(SCREENSHOTS, { recursive: true });
    // The chat scrolls inside a pane the height of the window: make the window taller than the
    // card for the shot, or the card is cut at the pane's edge.
    const page = e2e.client.page;
    const size = page.viewportSize();
    const box = await card.boundingBox();
    try {
      if (size && box) await page.setViewportSize({ width: size.width, height: Math.ceil(box.height) + 400 });
      await card.scrollIntoViewIfNeeded();
      await card.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`) });
    } finally {
      if (size) await page.setViewportSize(size);
    }
  }

  it('"genomgång" shows the seeded unit with overdue, approaching and in-time items, as the history says', async () => {
    const lex = history.reports.filter((r) => r.unitId === ALEX_UNIT).map((r) => expectedReport(r, NOW)).filter((e) => e.state !== 'avslutad');
    const casework = expectedCasework(history, NOW).filter((c) => c.item.unitId === ALEX_UNIT);
    const expected = tally([...lex.map((e) => e.status ?? 'ingen-frist'), ...casework.map((c) => c.state)], (s) => s);
    const [overdue, approaching, inTime] = ['forsenad', 'narmar-sig', 'i-tid'].map((s) => expected[s] ?? 0) as [number, number, number];
    assert.ok(overdue > 0 && approaching > 0 && inTime > 0, `the history gives every kind: ${JSON.stringify(expected)}`);

    await e2e.client.waitForCardText('Välkommen till Lex Sarah-assistenten', 30_000);
    const before = await e2e.client.cardCount();
    await e2e.client.sendMessage('genomgång');
    const card = await e2e.client.waitForCardText('Veckogenomgång v.48', 20_000, { since: before });
    const text = await textOf(card);
    const label = overdue === 1 ? 'försenad' : 'försenade';
    assert.ok(text.includes(`${overdue} ${label} ${approaching} närmar sig ${inTime} i tid`), text);
    assert.ok(text.includes('[Demo]') || text.includes('DEMO-'), 'the seeded items are labelled as demo data');
    await keep(card, 'demo-review');
  });

  it('"status" shows Socialnämnden with the overdue and approaching figures the history gives', async () => {
    const units = new Set(unitsOf('socialnamnden'));
    const reports = history.reports.filter((r) => units.has(r.unitId)).map((r) => expectedReport(r, NOW));
    const casework = expectedCasework(history, NOW).filter((c) => units.has(c.item.unitId));
    const cwOverdue = casework.filter((c) => c.state === 'forsenad').length;
    const cwApproaching = casework.filter((c) => c.state === 'narmar-sig').length;
    const assessmentsOverdue = reports.filter((e) => e.clock === 'bedomning' && e.status === 'forsenad').length;
    assert.ok(cwOverdue > 0 && assessmentsOverdue > 0, 'the history has overdue casework and an overdue assessment');

    const before = await e2e.client.cardCount();
    await e2e.client.sendMessage('status');
    const card = await e2e.client.waitForCardText('Lägesbild – Socialnämnden', 20_000, { since: before });
    const text = await textOf(card);
    assert.ok(text.includes(`${cwOverdue} ${cwOverdue === 1 ? 'försenad' : 'försenade'}, ${cwApproaching} närmar sig`), text);
    assert.match(text, new RegExp(`varav ${assessmentsOverdue} efter den lokala fristen`));
    await keep(card, 'demo-status');
  });
});
