import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { ALL_ABILITIES, helpCard, noticeCard, welcomeCard, WELCOME_ACTIONS } from '../src/cards/basic-cards';
import { CardRenderer, MAX_CARD_BYTES, TEMPLATE_DIR, type AdaptiveCard } from '../src/cards/render';
import { statusQuestionCard } from '../src/cards/status-cards';
import { COMMANDS, parseCommand } from '../src/commands/commands';
import { parseProblems } from './support/card-parser';

const texts = (card: unknown): string[] => {
  const out: string[] = [];
  JSON.stringify(card, (k, v) => {
    if ((k === 'text' || k === 'title') && typeof v === 'string') out.push(v);
    return v;
  });
  return out;
};

describe('adaptive cards', () => {
  const r = new CardRenderer();
  const rendered: [string, AdaptiveCard][] = [
    ['welcome', welcomeCard(r, { municipality: 'Exempelby kommun', firstName: 'Alex', abilities: ALL_ABILITIES })],
    ['help', helpCard(r, '', ALL_ABILITIES)],
    ['help with intro', helpCard(r, 'Jag förstod inte.', ALL_ABILITIES)],
    ['notice', noticeCard(r, 'Rubrik', 'Text')],
    ['status-question', statusQuestionCard(r, 'Vilken menar du?', ['status vecka 47'])],
  ];

  for (const [name, card] of rendered) {
    it(`${name}: is a valid Adaptive Card 1.5 that Teams accepts in size, with no unbound template text`, () => {
      assert.equal(card.version, '1.5');
      assert.deepEqual(parseProblems(card), []);
      assert.ok(Buffer.byteLength(JSON.stringify(card)) < MAX_CARD_BYTES);
      assert.ok(!JSON.stringify(card).includes('${'), 'a ${…} binding was left unexpanded');
    });
  }

  it('every template in adaptive-cards/ is valid JSON declaring version 1.5 or lower', () => {
    const files = readdirSync(TEMPLATE_DIR).filter((f) => f.endsWith('.json'));
    assert.ok(files.length >= 3);
    for (const f of files) {
      const t = JSON.parse(readFileSync(path.join(TEMPLATE_DIR, f), 'utf8'));
      assert.equal(t.type, 'AdaptiveCard', f);
      assert.ok(Number(t.version) <= 1.5, `${f} declares ${t.version}`);
    }
  });

  it('the parser check catches an unknown element (so the test above can fail)', () => {
    const bad = { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'Carousel' }] } as AdaptiveCard;
    assert.ok(parseProblems(bad).length > 0);
  });

  it('welcome greets by first name, names the municipality and its buttons send real commands', () => {
    const card = rendered[0]![1];
    const all = texts(card);
    assert.ok(all.includes('Välkommen till Lex Sarah-assistenten'));
    assert.ok(all.includes('Hej Alex!'));
    assert.ok(all.some((t) => t.includes('Exempelby kommun')));
    const actions = card.actions as { title: string; data: { command: string } }[];
    assert.equal(actions.length, WELCOME_ACTIONS.length);
    for (const [i, a] of actions.entries()) assert.equal(parseCommand(a.data.command)?.intent, WELCOME_ACTIONS[i]!.intent);
  });

  it('help lists every command, marks the ones not built yet, and warns about personnummer', () => {
    const all = texts(helpCard(r, '', ALL_ABILITIES)).join('\n');
    assert.match(all, /Det här kan jag hjälpa till med/);
    for (const c of COMMANDS) assert.ok(all.includes(c.usage), c.usage);
    const unavailable = COMMANDS.filter((c) => !c.available).length;
    assert.equal((all.match(/Kommer snart/g) ?? []).length, unavailable);
    assert.match(all, /personnummer/);
  });

  it('refuses a card over the Teams size limit', () => {
    assert.throws(() => noticeCard(r, 'x', 'å'.repeat(MAX_CARD_BYTES)), /over Teams' limit/);
  });
});

describe('report form card', () => {
  it('labels every input exactly as validation messages name it', async () => {
    const { FIELD_LABELS } = await import('../src/reports/form.js');
    const { reportFormCard } = await import('../src/cards/report-cards.js');
    const card = reportFormCard(new CardRenderer(), { formId: 'f', reporterName: 'A', units: [{ id: 'u', name: 'U' }], today: '2026-11-22' });
    assert.deepEqual(parseProblems(card), []);
    const inputs = new Map<string, string>();
    JSON.stringify(card, (_k, v) => {
      if (v && typeof v === 'object' && typeof v.type === 'string' && v.type.startsWith('Input.')) inputs.set(v.id, v.label);
      return v;
    });
    assert.deepEqual(Object.fromEntries(inputs), FIELD_LABELS);
  });
});

describe('case cards', () => {
  it('every case template renders to a valid card with sample data', () => {
    const r = new CardRenderer();
    const samples: [string, object][] = [
      ['case', { reference: 'LS-2026-0001', urgent: true, notice: 'Klart.', noticeColor: 'Good', facts: [{ title: 'Läge', value: 'Bedömd' }], clocks: [{ text: 'x', color: 'Attention', weight: 'Bolder' }], clocksStyle: 'attention', whatHappened: 'Text', consequences: 'Följder', entries: [{ item: 'Orsaker', meta: 'fakta; Lee Gu, 1 dec. 2026; källa: Intervju', text: 'e' }], entriesNote: 'Visar anteckningar 2–11 av 11 (äldst först).', actionsTaken: [{ text: 'a', meta: 'ansvarig Adele Vance, klart senast 2027-01-15' }], actionsNote: '', pager: [{ title: 'Äldre anteckningar och åtgärder', data: { reference: 'LS-2026-0001', entries: 10, actions: 1 } }], next: [{ title: 'Gör bedömningen', verb: 'case.assess-form' }], nextHint: '' }],
      ['case-form', { reference: 'LS-2026-0001', formId: 'f', title: 'T', texts: [{ text: 't', weight: 'Default', color: 'Default' }], error: '', verb: 'case.start', submitTitle: 'Starta', inputs: [{ kind: 'choice', id: 'u', label: 'U', required: true, maxLength: 10, value: '', choices: [{ title: 'A', value: 'a' }], hint: '', error: '' }, { kind: 'date', id: 'd', label: 'D', required: true, maxLength: 10, value: '', choices: [], hint: 'h', error: 'e' }] }],
      ['case-recommendation', { reference: 'LS-2026-0001', outcomeTitle: 'X', requiresAnmalan: true, reasons: [{ text: 'r' }], borderline: [{ text: 'b' }], references: [{ text: 'ref' }], outcomes: [{ title: 'A', value: 'a' }], decided: 'a', motivation: '', error: '', motivationError: '', answers: '{}', basedOn: '' }],
      ['case-draft', { reference: 'LS-2026-0001', sections: [{ title: 'Avsändare', text: 'X' }], copyText: 'X', copyLabel: 'Texten att kopiera, del 1 av 2', pageNote: 'Del 1 av 2.', page: 0, pages: 2 }],
      ['review', { week: 48, weekKey: '2026-W48', unitId: 'u', unitName: 'U', overdue: '1', overdueLabel: 'försenad', approaching: '0', inTime: '2', unjudgeable: '', lexSarahOpen: '1', items: [{ label: 'FÖRSENAD', color: 'Attention', reference: 'BoU 1', what: 'Förhandsbedömning', when: 'senast 1 nov.', basis: 'Lagrum: SoL 20 kap. 2 §', warning: 'Förlängningen kom för sent.', openCommand: '' }, { label: 'I TID', color: 'Good', reference: 'LS-2026-0001', what: 'Lex Sarah', when: 'x', basis: '', warning: '', openCommand: 'öppna LS-2026-0001' }], from: 1, to: 1, total: 30, page: 0, pageSize: 20, done: false, doneBy: '', doneAt: '', doneComment: '', notice: '', refreshUserIds: ['29:a'] }],
      ['case-reminder', { reference: 'LS-2026-0001', label: 'PÅMINNELSE', title: 'T', text: 't', facts: [{ title: 'Enhet', value: 'U' }], actions: [{ title: 'Öppna ärendet', command: 'öppna LS-2026-0001' }] }],
    ];
    // Heterogeneous samples: the typed registry is checked by test/cards/templates.test.ts.
    const render = r.render.bind(r) as (name: string, data: object) => AdaptiveCard;
    for (const [name, data] of samples) {
      const card = render(name, data);
      assert.deepEqual(parseProblems(card), [], name);
      assert.ok(!JSON.stringify(card).includes('${'), `${name} left a binding unexpanded`);
    }
  });
});
