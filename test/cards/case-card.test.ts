/**
 * Issue #11 on the real endpoint: markdown and links typed by one person reach others' cards only
 * as text (case card, notes, åtgärder, IVO draft), and a case with many long notes still opens,
 * in pages, with nothing of the draft cut silently.
 */
import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import { visibleText } from '../../src/cards/plain-text';
import { MAX_CARD_BYTES, type AdaptiveCard } from '../../src/cards/render';
import { activity, ALEX, fileReport, invokeAction, post, startTestApp, type TestApp, MEGAN, ADELE, LEE, personalChat } from '../support/app-fixture';
import { activeLinks, cardStrings } from '../support/markdown-check';

const TODAY = DateTime.now().setZone('Europe/Stockholm').toISODate()!;
const SERIOUS = { scope: 'ja', impact: 'konsekvenser', severity: 'betydande', riskClarity: 'ej-aktuell', abuse: 'ja', vulnerable: 'ja', repeated: 'nej', severalAffected: 'nej' };

const LINK = '[Verifiera ditt konto](https://evil.example/login) eller www.evil.se, mejla mallory@evil.se, se evil.com **nu**';

/** Every display text of the card is inert, and the hostile text is still there to read. */
function assertInert(card: unknown, where: string): string[] {
  const { display } = cardStrings(card);
  for (const d of display) assert.deepEqual(activeLinks(d), [], `${where}: active link in ${JSON.stringify(d)}`);
  return display.map(visibleText);
}

describe('case card and IVO draft: user text is inert, size stays under the limit', function () {
  this.timeout(60_000);
  let t: TestApp;
  let reference: string;
  const as = (who: typeof ALEX) => activity({ from: who, conversation: personalChat(who), serviceUrl: 'http://127.0.0.1:9/' });
  const act = (who: typeof ALEX, verb: string, data: Record<string, unknown> = {}) => invokeAction(t.baseUrl, as(who), verb, { reference, ...data });

  beforeEach(async () => {
    t = await startTestApp({ REMINDER_INTERVAL_MS: '0' });
    reference = await fileReport(t.baseUrl, as(MEGAN), TODAY, {
      location: 'www.evil.se', category: 'psykiska', whatHappened: LINK, consequences: LINK, immediateActions: LINK,
      informed: 'ja', risk_vulnerable: 'ja', risk_before: 'nej',
    });
  });
  afterEach(() => t.stop());

  it('a link in the report, a note and an åtgärd is plain text on the case card and in the draft; the copy field keeps it literally', async () => {
    const opened = await post(t.baseUrl, { ...as(ALEX), text: `öppna ${reference}` });
    const card = opened.activities[0]!.attachments![0]!.content;
    assert.ok(assertInert(card, 'case card').some((s) => s.includes(LINK)), 'the report text is shown as typed');

    await act(ALEX, 'case.start', { utredare: LEE.aadObjectId });
    assert.match((await act(LEE, 'case.document', { item: 'orsaker', kind: 'fakta', source: 'https://evil.example/källa', text: LINK })).joined, /Anteckningen är sparad/);
    assert.match((await act(ADELE, 'case.action', { text: LINK, owner: ADELE.aadObjectId, dueOn: '2027-01-15' })).joined, /Åtgärden är sparad/);
    const shown = assertInert((await act(ALEX, 'case.show')).card, 'case card with note');
    assert.ok(shown.filter((s) => s.includes(LINK)).length >= 3, 'report, note and åtgärd all shown');
    assert.ok(shown.some((s) => s.includes('Orsaker som identifierats')), 'the SOSFS item is shown');

    const rec = await act(ALEX, 'case.assess', SERIOUS);
    const answers = (rec.card as { actions: { data: { answers: string } }[] }).actions[0]!.data.answers;
    await act(ALEX, 'case.decide', { answers, outcome: 'allvarligt-missforhallande', motivation: LINK });
    const draft = await act(ALEX, 'case.draft');
    assert.ok(assertInert(draft.card, 'draft').some((s) => s.includes(LINK)));
    const copy = cardStrings(draft.card).inputs.get('copy')!;
    assert.ok(copy.includes(LINK), 'the copy field holds the literal text, no escapes');
    assert.ok(!copy.includes('\\[') && !copy.includes('\u2060'));
  });

  it('six 4,000-character notes: the case still opens for everyone, under the limit, with older notes a button away', async () => {
    await act(ALEX, 'case.start', { utredare: LEE.aadObjectId });
    const notes = Array.from({ length: 6 }, (_, i) => `Anteckning ${i + 1}: ${'Personalen på äldreboendet såg att åtgärden försenades för brukaren. '.repeat(80)}`.slice(0, 4000));
    for (const text of notes) assert.match((await act(LEE, 'case.document', { item: 'vad-och-konsekvenser', kind: 'fakta', source: 'Intervju', text })).joined, /Anteckningen är sparad/);

    const opened = await post(t.baseUrl, { ...as(ALEX), text: `öppna ${reference}` });
    const card = opened.activities[0]?.attachments?.[0]?.content as AdaptiveCard | undefined;
    assert.ok(card, `öppna answered with a card, not: ${opened.activities[0]?.text}`);
    assert.ok(Buffer.byteLength(JSON.stringify(card)) <= MAX_CARD_BYTES);
    const texts = cardStrings(card).display.map(visibleText).join('\n');
    assert.ok(texts.includes(notes[5]!), 'the newest note is shown whole');
    assert.ok(!texts.includes(notes[0]!), 'the oldest note is on an older page');
    assert.match(texts, /Visar anteckningar \d–6 av 6/);
    const older = JSON.stringify(card).match(/"title":"Äldre anteckningar och åtgärder","verb":"case\.show","associatedInputs":"none","data":(\{[^}]*\})/);
    assert.ok(older, 'a button for the older notes');
    const data = JSON.parse(older[1]!) as { reference: string; entries: number; actions: number };
    assert.equal(data.reference, reference);

    // Pressing the button (bot.ts passes its data to CaseService.show → caseCard).
    const olderCard = (await act(ALEX, 'case.show', data)).card;
    const olderTexts = cardStrings(olderCard).display.map(visibleText).join('\n');
    assert.ok(olderTexts.includes(notes[0]!), 'the oldest note is whole on the older page');
    assert.ok(!olderTexts.includes(notes[5]!));
    assert.ok(JSON.stringify(olderCard).includes('Senaste anteckningarna'));

    // The steps keep working too.
    assert.match((await act(LEE, 'case.action', { text: 'Handledning', owner: ADELE.aadObjectId, dueOn: '2027-01-15' })).joined, /Åtgärden är sparad/);
  });

  it('a draft with far more text than one card holds is split into parts, every word in one of them, none cut', async () => {
    await act(ALEX, 'case.start', { utredare: LEE.aadObjectId });
    const notes = Array.from({ length: 9 }, (_, i) => `Del ${i + 1} av utredningen. ${'Fakta om förloppet, vem som gjorde vad och när. '.repeat(90)}`.slice(0, 4000));
    for (const text of notes) await act(LEE, 'case.document', { item: 'vad-och-konsekvenser', kind: 'fakta', source: 'Intervju', text });
    const rec = await act(ALEX, 'case.assess', SERIOUS);
    const answers = (rec.card as { actions: { data: { answers: string } }[] }).actions[0]!.data.answers;
    await act(ALEX, 'case.decide', { answers, outcome: 'allvarligt-missforhallande', motivation: '' });

    const first = await act(ALEX, 'case.draft');
    assert.ok(first.card && typeof first.card === 'object', `the draft is a card: ${first.joined.slice(0, 200)}`);
    assert.match(first.joined, /Del 1 av (\d+)/);
    const pages = Number(/Del 1 av (\d+)/.exec(first.joined)![1]);
    assert.ok(pages >= 2);
    let copies = '';
    for (let p = 0; p < pages; p++) {
      const card = (await act(ALEX, 'case.draft', { page: p })).card as AdaptiveCard;
      assert.ok(card && typeof card === 'object', `part ${p} is a card`);
      assert.match(cardStrings(card).display.join('\n'), new RegExp(`Del ${p + 1} av ${pages}`));
      assert.ok(Buffer.byteLength(JSON.stringify(card)) <= MAX_CARD_BYTES, `page ${p}`);
      copies += `${cardStrings(card).inputs.get('copy')}\n`;
      assert.equal(JSON.stringify(card).includes('"title":"Nästa del"'), p + 1 < pages, `page ${p} has Nästa del unless last`);
    }
    for (const n of notes) {
      for (const sentence of n.split('. ')) assert.ok(copies.includes(sentence.trim()), `"${sentence.slice(0, 40)}…" is in a copy field`);
    }
  });
});
