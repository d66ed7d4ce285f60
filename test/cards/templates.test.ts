/**
 * Every template in adaptive-cards/, rendered with realistic data (test/cards/samples.ts):
 * - with markdown and links in every free-text field: no display text (TextBlock.text,
 *   Fact.title/value, TextRun.text) holds an active link, image, URL or the user's emphasis,
 *   the text is still there to read, and input values keep the literal text;
 * - with the most expensive text of each field's maximum length and the longest lists: every card
 *   stays under MAX_CARD_BYTES, and so, inside the biggest activity the bot sends
 *   (teams-envelope.ts), under Teams' message limit; what does not fit is a page away or marked as
 *   shortened, and the report form holds LONG_TEXT_BUDGET_BYTES of typed text whole.
 */
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { caseCard, draftCard, draftPages, type CaseEntryView, type DraftSection } from '../../src/cards/case-cards';
import { visibleText } from '../../src/cards/plain-text';
import { CardRenderer, MAX_CARD_BYTES, TEMPLATE_DIR, type AdaptiveCard } from '../../src/cards/render';
import { reportFormCard } from '../../src/cards/report-cards';
import { LIMITS, LONG_TEXT_BUDGET_BYTES, UNIT_NOT_OFFERED, type FormErrors } from '../../src/reports/form';
import { parseProblems } from '../support/card-parser';
import { activeLinks, cardStrings, occursUnescaped } from '../support/markdown-check';
import { samples, type Fill } from './samples';
import { activityBytes, TEAMS_MESSAGE_LIMIT } from './teams-envelope';

const HOSTILE =
  '[Verifiera ditt konto](https://evil.example/login) ![x](https://evil.example/p.png) <https://evil.example> www.evil.se mallory@evil.se evil.com ' +
  '//1.2.3.4/login se //10.0.0.1/a mailto:x@1.2.3.4 tel:+46701234567 https://user:pass@evil.se ' +
  '**fet** _kursiv_ `kod` {{DATE(2026-01-01T00:00:00Z, SHORT)}}\n# Rubrik\n- punkt\n1. nummer';
const hostile: Fill = (x) => `${x} ${HOSTILE}`;
/** Templates without free text that reaches the card (none now: report-list shows unit names). */
const NO_FREE_TEXT = new Set<string>([]);
const WITH_INPUT_TEXT = new Set(['report-form', 'case-form', 'case-recommendation', 'case-draft']);

const bytes = (card: unknown) => Buffer.byteLength(JSON.stringify(card), 'utf8');

describe('every template: user text is inert', () => {
  const r = new CardRenderer();
  const all = samples(r, hostile, false);

  it('the samples cover every template in adaptive-cards/', () => {
    const files = readdirSync(TEMPLATE_DIR).filter((f) => f.endsWith('.json')).map((f) => f.replace(/\.json$/, '')).sort();
    assert.deepEqual(Object.keys(all).sort(), files);
  });

  for (const [name, build] of Object.entries(all)) {
    it(`${name}: no active link, image, URL or user emphasis in display text; inputs keep the literal text`, () => {
      const card = build();
      assert.deepEqual(parseProblems(card), []);
      const { display, inputs } = cardStrings(card);
      for (const d of display) {
        assert.deepEqual(activeLinks(d), [], `active link in ${JSON.stringify(d)}`);
        for (const t of ['**fet**', '_kursiv_', '`kod`', '{{DATE', '\n# Rubrik', '\n- punkt', '\n1. nummer']) assert.ok(!occursUnescaped(d, t), `${t} is active in ${JSON.stringify(d)}`);
      }
      if (!NO_FREE_TEXT.has(name)) assert.ok(display.some((d) => visibleText(d).includes(HOSTILE)), 'the text is shown as typed');
      if (WITH_INPUT_TEXT.has(name)) assert.ok([...inputs.values()].some((v) => v.includes(HOSTILE)), 'an input value holds the literal text');
      for (const v of inputs.values()) assert.ok(!v.includes('\u2060') && !v.includes('\\['), `input value was escaped: ${v.slice(0, 80)}`);
    });
  }

  it('the check fails on a card whose data is not made inert (so the tests above can fail)', () => {
    const card = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: HOSTILE }, { type: 'FactSet', facts: [{ title: 'x', value: 'www.evil.se' }] }] };
    const { display } = cardStrings(card);
    assert.notDeepEqual(activeLinks(display[0]!), []);
    assert.notDeepEqual(activeLinks(display[2]!), []);
  });

  it('markdown written by the template itself still works (the report list shows references in bold)', () => {
    const { display } = cardStrings(all['report-list']!());
    assert.ok(display.some((d) => /^\*\*LS-2026-\d{4}\*\*$/.test(d)));
  });
});

const WORST: [string, string][] = [
  ['backslashes (4 bytes each once escaped and JSON-encoded)', '\\'],
  ['dots before letters (word joiners)', '.a'],
  // 4.5 bytes per character, the most of any mix of ASCII punctuation, letters and "å" (searched up to 4-character patterns).
  ['dots before Swedish letters (word joiners and two-byte letters)', '.å'],
  ['quotes and control characters', '"\u0001'],
  ['Swedish letters', 'åäöÅÄÖ'],
];

describe('every template: under the Teams size limit with worst-case data', () => {
  const r = new CardRenderer();

  it(`a card of MAX_CARD_BYTES inside the biggest activity the bot sends stays under Teams' ${TEAMS_MESSAGE_LIMIT}-byte message limit`, () => {
    const empty = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: '' }] };
    const padded = { ...empty, body: [{ type: 'TextBlock', text: 'x'.repeat(MAX_CARD_BYTES - bytes(empty)) }] };
    assert.equal(bytes(padded), MAX_CARD_BYTES);
    assert.ok(activityBytes(padded) - bytes(padded) > 500, 'the envelope is measured, not assumed');
    assert.ok(activityBytes(padded) <= TEAMS_MESSAGE_LIMIT, `${activityBytes(padded)} bytes as a message`);
  });
  for (const [what, unit] of WORST) {
    const fill: Fill = (_x, max) => unit.repeat(Math.ceil(max / unit.length)).slice(0, max);
    for (const [name, build] of Object.entries(samples(r, fill, true))) {
      it(`${name}, ${what}: renders under ${MAX_CARD_BYTES} bytes`, () => {
        const card = build();
        assert.ok(bytes(card) <= MAX_CARD_BYTES, `${bytes(card)} bytes`);
        assert.ok(activityBytes(card) <= TEAMS_MESSAGE_LIMIT, `${activityBytes(card)} bytes as a message`);
        assert.deepEqual(parseProblems(card), []);
      });
    }
  }

  describe(`the report form shows again ${LONG_TEXT_BUDGET_BYTES} bytes of long-field text (LONG_TEXT_BUDGET_BYTES), whole`, () => {
    const LONG = ['whatHappened', 'consequences', 'immediateActions'] as const;
    const jsonBytes = (v: string) => Buffer.byteLength(JSON.stringify(v), 'utf8');
    // The messages validateReportForm gives, on every field at once, and the longest names.
    const errors: FormErrors = {
      unitId: UNIT_NOT_OFFERED, occurredDate: 'Tidpunkten kan inte ligga i framtiden.', occurredTime: 'Ange klockslag som TT:MM.',
      noticedDate: 'Det kan inte ha upptäckts innan det hände.', noticedTime: 'Ange klockslag som TT:MM.', location: `Högst ${LIMITS.location} tecken.`,
      category: 'Välj ett av alternativen.', informed: 'Välj ett av alternativen.', risk_hurt: 'Välj ett av alternativen.', risk_ongoing: 'Välj ett av alternativen.',
      risk_vulnerable: 'Välj ett av alternativen.', risk_crime: 'Välj ett av alternativen.', risk_before: 'Välj ett av alternativen.',
      caseReference: 'Ärendenumret får bara innehålla bokstäver, siffror och - / . :',
    };
    const units = Array.from({ length: 40 }, (_, i) => ({ id: `u${i}`, name: `${'Å'.repeat(230)} (Socialnämnden) ${i}` }));
    for (const [what, unit] of [['backslashes', '\\'], ['quotes', '"'], ['Swedish letters', 'å'], ['three-byte characters', '€'], ['emoji (two UTF-16 units, four bytes)', '😀']] as const) {
      it(`${what}: every field at its limit, every field in error, 40 units`, () => {
        // As much of `unit` per field as the budget (split in three) and the field's 4,000 characters allow.
        let count = Math.floor(LIMITS.whatHappened / unit.length);
        while (3 * jsonBytes(unit.repeat(count)) > LONG_TEXT_BUDGET_BYTES) count--;
        const text = unit.repeat(count);
        assert.ok(3 * jsonBytes(text) > LONG_TEXT_BUDGET_BYTES - 50 || text.length > LIMITS.whatHappened - unit.length, 'the texts fill the budget or the fields');
        const values = { location: '\\'.repeat(LIMITS.location), caseReference: 'Å'.repeat(LIMITS.caseReference), occurredDate: '2026-11-22', noticedDate: '2026-11-22', ...Object.fromEntries(LONG.map((f) => [f, text])) };
        const card = reportFormCard(r, { formId: '8f14e45f-ceea-4e7a-9f7b-6a2b1c3d4e5f', reporterName: 'Å'.repeat(256), today: '2026-11-22', units, values, errors });
        assert.ok(bytes(card) <= MAX_CARD_BYTES, `${bytes(card)} bytes`);
        assert.ok(activityBytes(card) <= TEAMS_MESSAGE_LIMIT, `${activityBytes(card)} bytes as a message`);
        const { inputs } = cardStrings(card);
        for (const f of LONG) assert.equal(inputs.get(f), text, `${f} is echoed whole`);
      });
    }
  });

  it('the case card pages through 60 notes of 4,000 characters: every note whole on some page', () => {
    const entries: CaseEntryView[] = Array.from({ length: 60 }, (_, i) => ({ item: 'Orsaker som identifierats', meta: 'fakta; Lee Gu', text: `Nr ${i}: ${'Åtgärden på äldreboendet. '.repeat(200)}`.slice(0, 4000) }));
    const base = { reference: 'LS-2026-0001', urgent: false, notice: '', noticeColor: 'Good' as const, facts: [], clocks: [], clocksStyle: 'emphasis', whatHappened: 'Text', consequences: 'Följder', next: [], nextHint: '' };
    const seen = new Set<number>();
    let page = { entries: 0, actions: 0 };
    for (let guard = 0; guard < 60; guard++) {
      const card = caseCard(r, base, entries, [], page);
      assert.ok(bytes(card) <= MAX_CARD_BYTES);
      const texts = cardStrings(card).display.map(visibleText);
      for (const [i, e] of entries.entries()) if (texts.some((t) => t.endsWith(e.text))) seen.add(i);
      assert.ok(!texts.some((t) => t.includes('förkortad')), 'whole notes, not shortened ones');
      const older = /"title":"Äldre anteckningar och åtgärder","verb":"case\.show","associatedInputs":"none","data":(\{[^}]*\})/.exec(JSON.stringify(card));
      if (!older) break;
      page = JSON.parse(older[1]!);
    }
    assert.equal(seen.size, 60, `notes seen: ${[...seen].sort((a, b) => a - b).join(',')}`);
  });

  it('a note too big for a card on its own is shortened and says so', () => {
    const small = new CardRenderer(undefined, 6000);
    const base = { reference: 'LS-2026-0001', urgent: false, notice: '', noticeColor: 'Good' as const, facts: [], clocks: [], clocksStyle: 'emphasis', whatHappened: 'Text', consequences: 'Följder', next: [], nextHint: '' };
    const card = caseCard(small, base, [{ item: 'Orsaker', meta: 'fakta', text: 'å'.repeat(4000) }], []);
    assert.ok(bytes(card) <= 6000);
    assert.match(cardStrings(card).display.join('\n'), /… \(förkortad, \d+ tecken till\)/);
  });

  it('the IVO draft is split into parts that each fit, and together hold every character', () => {
    const text = (i: number) => `Stycke ${i}: ${'\\"<>[]'.repeat(700)}`.slice(0, 4000);
    const sections: DraftSection[] = [
      { title: 'Vad har hänt', paragraphs: Array.from({ length: 12 }, (_, i) => text(i)) },
      { title: 'Planerade åtgärder', paragraphs: ['Handledning'] },
    ];
    const pages = draftPages(r, 'LS-2026-0001', sections);
    assert.ok(pages.length > 2);
    let copied = '';
    for (let p = 0; p < pages.length; p++) {
      const card: AdaptiveCard = draftCard(r, 'LS-2026-0001', sections, p);
      assert.ok(bytes(card) <= MAX_CARD_BYTES);
      assert.match(cardStrings(card).display.join('\n'), new RegExp(`Del ${p + 1} av ${pages.length}`));
      copied += cardStrings(card).inputs.get('copy');
    }
    for (let i = 0; i < 12; i++) assert.ok(copied.includes(text(i)), `paragraph ${i} is in a copy field, whole`);
    assert.ok(copied.includes('Handledning'));
  });

  it('one paragraph bigger than a card is split between words across parts, nothing lost', () => {
    const small = new CardRenderer(undefined, 5000);
    const words = Array.from({ length: 900 }, (_, i) => `ord${i}`).join(' ');
    const sections: DraftSection[] = [{ title: 'Vad har hänt', paragraphs: [words] }];
    const pages = draftPages(small, 'LS-2026-0001', sections);
    assert.ok(pages.length > 1);
    let copied = '';
    for (let p = 0; p < pages.length; p++) copied += ` ${cardStrings(draftCard(small, 'LS-2026-0001', sections, p)).inputs.get('copy')!.replace(/^Vad har hänt( \(forts\.\))?:\n/, '')}`;
    assert.equal(copied.trim().split(/\s+/).join(' '), words);
  });
});
