/**
 * The sammanställning through the real endpoint (issue #16): the command answers a card per nämnd
 * for a chef or samordnare and refuses others; its button answers a one-time link; the link
 * serves the Excel file once, with headers that keep it out of caches, and the token never
 * reaches the log.
 */
import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import { activity, ALEX, cardTexts, fileReport, invokeAction, MEGAN, personalChat, post, startTestApp, type TestApp } from '../support/app-fixture';

const TODAY = DateTime.now().setZone('Europe/Stockholm').toISODate()!;

describe('sammanställning over HTTP', function () {
  this.timeout(30_000);
  let t: TestApp;
  const as = (who: typeof ALEX) => activity({ from: who, conversation: personalChat(who) });

  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(async () => t.stop());

  it('a chef gets the card, its button a link, the link the file once; a medarbetare is refused', async () => {
    await fileReport(t.baseUrl, as(MEGAN), TODAY);
    await fileReport(t.baseUrl, as(MEGAN), TODAY, { category: 'fysiska' });

    const refused = cardTexts(await post(t.baseUrl, { ...as(MEGAN), text: 'sammanställning' })).join('\n');
    assert.match(refused, /Sammanställningen är för nämndens chef och lex Sarah-samordnare/);

    const reply = await post(t.baseUrl, { ...as(ALEX), text: 'sammanställning i år' });
    const text = cardTexts(reply).join('\n');
    assert.match(text, /Sammanställning lex Sarah – Socialnämnden/);
    assert.match(text, /Rapporter: 2/);
    const card = reply.activities[0]!.attachments![0]!.content as { actions: { verb?: string; data?: Record<string, string> }[] };
    const button = card.actions.find((a) => a.verb === 'compilation.export');
    assert.ok(button?.data, 'the card offers the Excel file');

    const withLink = await invokeAction(t.baseUrl, as(ALEX), 'compilation.export', button.data);
    const url = /http:\/\/localhost:\d+\/api\/exports\/[A-Za-z0-9_-]{43}/.exec(JSON.stringify(withLink.card))?.[0];
    assert.ok(url, 'the answer carries the link');
    assert.ok(url.startsWith(`http://localhost:${new URL(t.baseUrl).port}/`), 'on the port the bot listens on');
    const token = url.split('/').at(-1)!;

    const res = await fetch(url.replace('localhost', '127.0.0.1'));
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    assert.match(res.headers.get('content-disposition') ?? '', /^attachment; filename="sammanstallning-socialnamnden-i-ar\.xlsx"$/);
    assert.equal(res.headers.get('cache-control'), 'no-store');
    assert.equal(res.headers.get('referrer-policy'), 'no-referrer');
    const bytes = Buffer.from(await res.arrayBuffer());
    assert.equal(bytes.subarray(0, 2).toString(), 'PK', 'an xlsx is a zip');

    const again = await fetch(url.replace('localhost', '127.0.0.1'));
    assert.equal(again.status, 410);
    assert.match(await again.text(), /redan använts eller gått ut/);
    assert.equal((await fetch(`${t.baseUrl}/api/exports/${'x'.repeat(43)}`)).status, 404);
    assert.ok(!t.logs.some((l) => l.includes(token)), 'the token is never logged');
  });
});
