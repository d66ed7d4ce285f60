/**
 * End to end through the Microsoft 365 Agents Playground in headless Chromium: the welcome card
 * on open and the help card. Slow (bot + Playground + browser start once for the file, ~10 s);
 * skipped by `npm run test:unit`.
 */
import assert from 'node:assert/strict';
import { useE2E } from './harness';

describe('@e2e Playground: help', function () {
  const e2e = useE2E();

  it('shows the welcome card when the chat opens', async function () {
    // On page load the Playground sends the bot an installationUpdate (action "add") and a
    // conversationUpdate whose membersAdded holds the user and the bot, in the personal chat.
    const card = await e2e.client.waitForCardText('Välkommen till Lex Sarah-assistenten', 30_000);
    assert.ok(await card.isVisible());
    // Both install events arrive together; the bot must greet once, by name from the directory.
    await new Promise((r) => setTimeout(r, 1500));
    const welcomes = e2e.client.page.locator('.ac-adaptiveCard', { hasText: 'Välkommen till Lex Sarah-assistenten' });
    assert.equal(await welcomes.count(), 1);
    assert.match((await card.innerText()) ?? '', /Hej Alex!/);
  });

  it('answers "hjälp" with the help card', async function () {
    const before = await e2e.client.cardCount();
    await e2e.client.sendMessage('hjälp');
    const card = await e2e.client.waitForCardText('Det här kan jag hjälpa till med', 20_000, { since: before });
    assert.ok(await card.isVisible());
    await e2e.client.screenshot('help-card');
  });
});
