/** CardRenderer makes data inert by default and measures cards (src/cards/render.ts). */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CardRenderer, CardTooLargeError, type AdaptiveCard } from '../../src/cards/render';
import { activeLinks } from '../support/markdown-check';

/** The renderer seen without the typed registry: these tests render throwaway templates of their own. */
interface LooseRenderer {
  render(name: string, data: object): AdaptiveCard;
  measure(name: string, data: object): { card: AdaptiveCard; bytes: number };
  fits(name: string, data: object): boolean;
}

function renderer(templates: Record<string, object>, maxBytes?: number): LooseRenderer {
  const dir = mkdtempSync(path.join(tmpdir(), 'cards-'));
  for (const [name, t] of Object.entries(templates)) writeFileSync(path.join(dir, `${name}.json`), JSON.stringify({ type: 'AdaptiveCard', version: '1.5', ...t }));
  return new CardRenderer(dir, maxBytes) as unknown as LooseRenderer;
}

const LINK = '[klicka](https://evil.example)';

describe('CardRenderer: display text is inert unless the template writes the markdown', () => {
  const r = renderer({
    t: {
      body: [
        { type: 'TextBlock', text: '**${title}**' },
        { type: 'FactSet', facts: [{ $data: '${facts}', title: '${title}', value: '${value}' }] },
        { type: 'RichTextBlock', inlines: [{ type: 'TextRun', text: '${title}' }] },
        { type: 'Input.Text', id: 'x', label: '${title}', value: '${title}' },
      ],
      actions: [{ type: 'Action.Execute', title: '${title}', verb: 'v', data: { text: '${title}' } }],
    },
    cond: { body: [{ type: 'TextBlock', text: 'x', $when: "${title == '*'}" }] },
  });

  it('escapes the data in TextBlock text and facts, keeps the template\'s bold, and breaks links in TextRuns', () => {
    const card = r.render('t', { title: LINK, facts: [{ title: LINK, value: 'www.evil.se' }] }) as unknown as { body: any[]; actions: any[] };
    assert.match(card.body[0].text, /^\*\*\\\[klicka\\\]/);
    assert.ok(card.body[0].text.endsWith('**'));
    assert.deepEqual(activeLinks(card.body[1].facts[0].title), []);
    assert.deepEqual(activeLinks(card.body[1].facts[0].value), []);
    assert.deepEqual(activeLinks(card.body[2].inlines[0].text), []);
    assert.ok(!card.body[2].inlines[0].text.includes('\\['), 'TextRun is not markdown: no backslashes');
  });

  it('keeps input values, labels, action titles and action data literal', () => {
    const card = r.render('t', { title: LINK, facts: [] }) as unknown as { body: any[]; actions: any[] };
    assert.equal(card.body[3].value, LINK);
    assert.equal(card.actions[0].data.text, LINK);
  });

  it('refuses a template whose condition depends on display text (the two expansions differ)', () => {
    assert.throws(() => r.render('cond', { title: '*' }), /depends on display text/);
    assert.doesNotThrow(() => r.render('cond', { title: 'a' }));
  });

  it('measures without throwing and refuses over the limit', () => {
    const small = renderer({ t: { body: [{ type: 'TextBlock', text: '${title}' }] } }, 500);
    assert.equal(small.fits('t', { title: 'a' }), true);
    assert.equal(small.fits('t', { title: 'a'.repeat(600) }), false);
    assert.ok(small.measure('t', { title: 'a'.repeat(600) }).bytes > 600);
    assert.throws(() => small.render('t', { title: 'a'.repeat(600) }), CardTooLargeError);
  });
});

describe('page numbers from button data', () => {
  it('parseDraftPage takes the data or its page; parseCasePage takes the data; odd values mean the first page', async () => {
    const { parseDraftPage } = await import('../../src/cards/case-cards.js');
    const { parseCasePage } = await import('../../src/cards/case-cards.js');
    for (const [input, page] of [[{ page: 2 }, 2], [{ page: '3' }, 3], [2, 2], ['4', 4], [{ page: -1 }, 0], [{ page: 'x' }, 0], [undefined, 0], [{ page: 1.5 }, 0], [{ page: '99999999' }, 0]] as const) {
      assert.equal(parseDraftPage(input), page, JSON.stringify(input));
    }
    assert.deepEqual(parseCasePage({ reference: 'LS-2026-0001', entries: 10, actions: '3' }), { entries: 10, actions: 3 });
    assert.deepEqual(parseCasePage({ entries: -5, actions: 'x' }), { entries: 0, actions: 0 });
    assert.deepEqual(parseCasePage(undefined), { entries: 0, actions: 0 });
  });
});

describe('the typed template registry', () => {
  it('checks the data of registered templates when compiled; other names still take any object', () => {
    const r = new CardRenderer();
    // Never run: these lines are the test, checked by the type check (npm run typecheck).
    const wrong = () => {
      // @ts-expect-error report-list takes { reports }
      r.render('report-list', { items: [] });
      // @ts-expect-error a registered template needs all its data
      r.fits('case-draft', { reference: 'LS-2026-0001' });
    };
    assert.equal(typeof wrong, 'function');
    const card = r.render('report-list', { reports: [{ reference: 'LS-2026-0001', date: '1 dec. 2026', stateTitle: 'Avslutad', urgent: false, categoryTitle: 'Brister i bemötande', unitName: 'Vuxenenheten', nextStep: '' }] });
    assert.match(JSON.stringify(card), /LS-2026-0001/);
    assert.match(JSON.stringify(r.render('notice', { title: 'Hej', text: 'Text' })), /Hej/);
  });
});
