/** The review cards from hand-made view models: what the review service returns, as the bot and the reminders render it. */
import assert from 'node:assert/strict';
import { CardRenderer, type AdaptiveCard } from '../../src/cards/render';
import { reviewAnswer, reviewCard, reviewCards, reviewEscalationCard, reviewUnreachableCard } from '../../src/cards/review-cards';
import { REVIEW_PAGE_SIZE, type ReviewItem, type ReviewView } from '../../src/review/service';
import { visibleText } from '../../src/cards/plain-text';
import { parseProblems } from '../support/card-parser';

const TZ = 'Europe/Stockholm';

/** TextBlock and fact texts, in card order. */
function texts(card: AdaptiveCard): string[] {
  const out: string[] = [];
  JSON.stringify(card, (k, v) => {
    if ((k === 'text' || k === 'value') && typeof v === 'string') out.push(v);
    return v;
  });
  return out;
}

const item = (over: Partial<ReviewItem>): ReviewItem => ({ kind: 'casework', reference: 'BoU 2026/1', what: 'Förhandsbedömning: Gör förhandsbedömningen', urgency: 'i-tid', ...over });

function view(over: Partial<ReviewView> = {}): ReviewView {
  return {
    unit: { id: 'bou', name: 'Barn och unga' },
    weekKey: '2026-W48',
    items: [],
    counts: { forsenad: 0, 'kan-inte-bedomas': 0, 'narmar-sig': 0, 'i-tid': 0, 'ingen-frist': 0 },
    lexSarahOpen: 0,
    total: 0,
    page: 0,
    pageSize: REVIEW_PAGE_SIZE,
    notice: '',
    refreshUserIds: [],
    timeZone: TZ,
    ...over,
  };
}

describe('review cards', () => {
  const r = new CardRenderer();

  it('each row says when, in Swedish: past, today, ahead, no deadline, and how long it has been open', () => {
    const card = reviewCard(r, view({
      items: [
        item({ kind: 'lex-sarah', reference: 'LS-2026-0001', what: 'Lex Sarah: Rapporterad', urgency: 'forsenad', due: '2026-11-23', daysLeft: -2, daysOpen: 5 }),
        item({ urgency: 'narmar-sig', due: '2026-11-25', daysLeft: 0, dueLabel: 'rapporteras till IVO senast', basis: 'SoL 16 kap. 6 f §', warning: 'Rapporteras till IVO.' }),
        item({ reference: 'BoU 2026/2', due: '2026-11-26', daysLeft: 1 }),
        item({ kind: 'lex-sarah', reference: 'LS-2026-0002', urgency: 'ingen-frist', daysOpen: 1 }),
      ],
      counts: { forsenad: 1, 'kan-inte-bedomas': 0, 'narmar-sig': 1, 'i-tid': 1, 'ingen-frist': 1 },
      lexSarahOpen: 2,
      total: 4,
    }));
    assert.deepEqual(parseProblems(card), []);
    const all = texts(card);
    assert.ok(all.includes('senast 23 nov. 2026 (2 dagar sedan) · öppet 5 dagar'), all.join('\n'));
    assert.ok(all.includes('rapporteras till IVO senast 25 nov. 2026 (i dag)'));
    assert.ok(all.includes('senast 26 nov. 2026 (om 1 dag)'));
    assert.ok(all.includes('ingen tidsfrist löper · öppet 1 dag'));
    assert.ok(all.includes('Lagrum: SoL 16 kap. 6 f §'));
    assert.ok(all.includes('Rapporteras till IVO.'));
    assert.deepEqual(all.slice(0, 1), ['Veckogenomgång v.48 – Barn och unga']);
    assert.ok(all.includes('försenad'), 'one overdue: singular');
    // Only lex Sarah rows open their case.
    const commands = JSON.stringify(card).match(/"command":"[^"]*"/g) ?? [];
    assert.deepEqual(commands, ['"command":"öppna LS-2026-0001"', '"command":"öppna LS-2026-0002"']);
  });

  it('an item whose deadline cannot be judged says so, with its reason in red, and the card counts it (none: no line)', () => {
    const card = reviewCard(r, view({
      items: [item({ reference: 'BoU 2026/7', what: 'Förhandsbedömning: tidsfristen kan inte bedömas', urgency: 'kan-inte-bedomas', warning: 'Exporten saknar orosanmälan_mottagen, som fristen räknas från.' })],
      counts: { forsenad: 0, 'kan-inte-bedomas': 1, 'narmar-sig': 0, 'i-tid': 0, 'ingen-frist': 0 },
      total: 1,
    }));
    assert.deepEqual(parseProblems(card), []);
    const all = texts(card).map((t) => visibleText(t));
    assert.ok(all.includes('KAN INTE BEDÖMAS'), all.join('\n'));
    assert.ok(all.includes('1 kan inte bedömas: tidsfristen kunde inte räknas ut ur exporten (se raderna).'), all.join('\n'));
    assert.ok(all.includes('tidsfristen kan inte räknas ut'), 'not "ingen tidsfrist löper": a deadline that cannot be computed is not one that does not run');
    assert.ok(all.includes('Exporten saknar orosanmälan_mottagen, som fristen räknas från.'));
    assert.ok(!texts(reviewCard(r, view())).some((t) => t.includes('kan inte bedömas')), 'no line when there is none');
  });

  // Re-review #13: a deadline nobody can compute may hide an LVU lapse; it is not "närmar sig".
  it('"kan inte bedömas" is shown in the attention colour, as the overdue rows, and the header says where the rows are', () => {
    const unjudgeable = item({ reference: 'BoU 2026/7', what: 'Förhandsbedömning: tidsfristen kan inte bedömas', urgency: 'kan-inte-bedomas', warning: 'Exporten saknar orosanmälan_mottagen.' });
    const counts = { forsenad: 13, 'kan-inte-bedomas': 1, 'narmar-sig': 0, 'i-tid': 0, 'ingen-frist': 0 };
    const here = reviewCard(r, view({ items: [unjudgeable], counts, total: 14, unjudgeablePage: 0 }));
    const json = JSON.stringify(here);
    assert.match(json, /"text":"KAN INTE BEDÖMAS","weight":"Bolder","color":"Attention"/, 'the row label');
    assert.match(json, /"text":"1 kan inte bedömas: tidsfristen kunde inte räknas ut ur exporten \(se raderna\)\.","wrap":true,"size":"Small","color":"Attention"/, 'the header line');
    // Page 1 full of overdue rows, the row on page 2: the header points there, not to rows that are not on the page.
    const overdue = Array.from({ length: REVIEW_PAGE_SIZE }, (_, i) => item({ reference: `BoU 2026/${i + 10}`, urgency: 'forsenad', due: '2026-11-20', daysLeft: -5 }));
    const elsewhere = texts(reviewCard(r, view({ items: overdue, counts, total: 14, unjudgeablePage: 1 }))).map((t) => visibleText(t));
    assert.ok(elsewhere.includes('1 kan inte bedömas: tidsfristen kunde inte räknas ut ur exporten (se sida 2).'), elsewhere.join('\n'));
    assert.ok(!elsewhere.some((t) => t.includes('(se raderna)')));
  });

  it('a done review names who and when and offers no more buttons; paging shows where it is', () => {
    const done = reviewCard(r, view({ done: { by: 'Adele Vance', at: new Date('2026-11-23T09:30:00Z'), comment: 'Alla gicks igenom.' } }));
    assert.ok(texts(done).includes('Genomgång klar – Adele Vance, 23 nov. 2026 10:30'));
    assert.ok(texts(done).includes('Alla gicks igenom.'));
    assert.deepEqual(done.actions, []);
    const items = Array.from({ length: REVIEW_PAGE_SIZE }, (_, i) => item({ reference: `BoU 2026/${i}` }));
    const second = reviewCard(r, view({ items, total: REVIEW_PAGE_SIZE * 2 + 1, page: 1 }));
    assert.ok(texts(second).includes(`Visar ${REVIEW_PAGE_SIZE + 1}–${REVIEW_PAGE_SIZE * 2} av ${REVIEW_PAGE_SIZE * 2 + 1}.`));
    const verbs = (second.actions as { title: string }[]).map((a) => a.title);
    assert.deepEqual(verbs.slice(-2), ['Föregående', 'Nästa']);
  });

  it('each row names who answers for it; names too long for a full page are shortened, as little as needed', () => {
    const who = (i: number): ReviewItem['responsible'] => [
      { role: 'handlaggare' as const, kind: 'named' as const, name: 'Megan Bowen' },
      { role: 'utredare' as const, kind: 'named' as const, name: 'Lee Gu' },
      { role: 'handlaggare' as const, kind: 'unlisted' as const, email: 'ny.kollega@exempelby.se' },
      { role: 'handlaggare' as const, kind: 'unlisted' as const },
      { role: 'handlaggare' as const, kind: 'none' as const },
      { role: 'utredare' as const, kind: 'none' as const },
    ][i % 6];
    const page = (name: (i: number) => ReviewItem['responsible']) =>
      view({ items: Array.from({ length: REVIEW_PAGE_SIZE }, (_, i) => item({ reference: `BoU 2026/${i}`, due: '2026-11-26', daysLeft: 1, responsible: name(i) })), total: REVIEW_PAGE_SIZE });
    const ordinary = texts(reviewCard(r, page(who))).filter((t) => t.startsWith('senast'));
    assert.deepEqual(ordinary.slice(0, 6).map((t) => visibleText(t)), [
      'senast 26 nov. 2026 (om 1 dag) · Handläggare: Megan Bowen',
      'senast 26 nov. 2026 (om 1 dag) · Utredare: Lee Gu',
      'senast 26 nov. 2026 (om 1 dag) · Handläggare: ny.kollega@exempelby.se (finns inte i organisationsfilen)',
      'senast 26 nov. 2026 (om 1 dag) · Handläggare: finns inte i organisationsfilen',
      'senast 26 nov. 2026 (om 1 dag) · Handläggare: saknas i exporten',
      'senast 26 nov. 2026 (om 1 dag) · Utredare: inte utsedd',
    ]);
    // Entra allows 256-character display names: a page of them in backslashes (4 bytes each in the
    // JSON) with 2,000 bytes to spare for the names does not fit whole (the full-size worst case is in templates.test.ts).
    const long = (i: number) => ({ role: 'handlaggare' as const, kind: 'named' as const, name: `${i}${'\\'.repeat(255)}` });
    const short = (i: number) => ({ role: 'handlaggare' as const, kind: 'named' as const, name: `${i}` });
    const small = new CardRenderer(undefined, Buffer.byteLength(JSON.stringify(reviewCard(r, page(short)))) + 2000);
    assert.ok(Buffer.byteLength(JSON.stringify(reviewCard(r, page(long)))) > small.maxBytes, 'whole, the names would not fit');
    const card = reviewCard(small, page(long));
    assert.ok(Buffer.byteLength(JSON.stringify(card)) <= small.maxBytes);
    const lines = texts(card).filter((t) => t.startsWith('senast')).map((t) => visibleText(t));
    assert.equal(lines.length, REVIEW_PAGE_SIZE, 'every row kept');
    for (const [i, l] of lines.entries()) assert.match(l, new RegExp(`Handläggare: ${i}\\\\+…$`), 'shortened, marked with …');
    const shown = lines[0]!.length - 'senast 26 nov. 2026 (om 1 dag) · Handläggare: '.length;
    assert.ok(shown > 20 && shown < 256, `${shown} characters of the name`);
  });

  it('only a shared view refreshes for the unit\'s chefs', () => {
    // The bot replaces the message for everyone only when the card has a refresh.
    assert.ok(!reviewCard(r, view()).refresh);
    const shared = reviewCard(r, view({ refreshUserIds: ['29:a', '29:b'] }));
    assert.deepEqual((shared.refresh as { userIds: string[] }).userIds, ['29:a', '29:b']);
  });

  it('a refusal is answered as the message; "genomgång" gets a card per unit', () => {
    assert.equal(reviewAnswer(r, { kind: 'refused', reason: 'Nej.' }), 'Nej.');
    assert.equal(reviewCards(r, { kind: 'refused', reason: 'Nej.' }), 'Nej.');
    const cards = reviewCards(r, { kind: 'reviews', views: [view(), view({ unit: { id: 'vux', name: 'Vuxenenheten' } })] });
    assert.ok(Array.isArray(cards));
    assert.deepEqual(cards.map((c) => texts(c)[0]), ['Veckogenomgång v.48 – Barn och unga', 'Veckogenomgång v.48 – Vuxenenheten']);
    assert.equal(texts(reviewAnswer(r, { kind: 'review', view: view() }) as AdaptiveCard)[0], 'Veckogenomgång v.48 – Barn och unga');
  });

  it('the escalation and the unreachable notice name the unit, the week and the chef', () => {
    const esc = texts(reviewEscalationCard(r, { unitName: 'Barn och unga', weekKey: '2026-W48', chefNames: [], workingDays: 1, dueAt: new Date('2026-11-23T08:00:00Z'), timeZone: TZ }));
    assert.equal(esc[1], 'Veckogenomgången är inte gjord – Barn och unga');
    assert.match(esc[2]!, /v\.48 .* 1 arbetsdag efter/);
    assert.ok(esc.includes('–'), 'no chef: a dash');
    assert.ok(esc.includes('måndag 23 nov. 09:00'));
    const un = texts(reviewUnreachableCard(r, { unitName: 'Barn och unga', weekKey: '2026-W48', chefName: 'Adele Vance' }));
    assert.equal(un[0], 'KAN INTE NÅS');
    assert.equal(un[1], 'Adele Vance kan inte nås i Teams');
    assert.match(un[2]!, /v\.48 för Barn och unga/);
  });
});
