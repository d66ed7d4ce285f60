/** `genomgång` over the real endpoint: the unit's open items by urgency, pagination and "Genomgång klar". */
import assert from 'node:assert/strict';
import { MAX_CARD_BYTES } from '../../src/cards/render';
import { DateTime } from 'luxon';
import { WorkingCalendar } from '../../src/review/calendar';
import { DEFAULT_REVIEW_SCHEDULE, reviewStage } from '../../src/review/schedule';
import { activity, ALEX, cardTexts, invokeAction, post, startTestApp, type TestApp, MEGAN, ADELE, personalChat } from '../support/app-fixture';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector';

const tz = 'Europe/Stockholm';
const day = (offset: number) => DateTime.now().setZone(tz).plus({ days: offset }).toISODate()!;
/** This ISO week, taken when each test starts (not at load: a run may cross midnight into a new week). */
let WEEK = '';
const weekNow = () => DateTime.now().setZone(tz).toFormat("kkkk-'W'WW");
/**
 * A week whose review can be recorded (only a due week can): this week once its review is due
 * (Monday 09:00 for bou-mottagning), before that the previous week.
 */
let DONE_WEEK = '';
const dueWeekNow = () => {
  const now = DateTime.now().setZone(tz);
  const stage = reviewStage(now.toFormat("kkkk-'W'WW"), now.toJSDate(), DEFAULT_REVIEW_SCHEDULE, new WorkingCalendar({ timeZone: tz }));
  return (stage === 'not-yet' ? now.minus({ weeks: 1 }) : now).toFormat("kkkk-'W'WW");
};

describe('weekly review over HTTP (genomgång)', function () {
  this.timeout(30_000);
  let t: TestApp;
  let connector: FakeConnector;
  // Replies with a refreshable card update the original message through the connector.
  const as = (who: typeof ALEX) => activity({ from: who, conversation: personalChat(who), serviceUrl: connector.url, replyToId: 'card-1' });

  beforeEach(async () => {
    WEEK = weekNow();
    DONE_WEEK = dueWeekNow();
    connector = await startFakeConnector();
    t = await startTestApp({ REMINDER_INTERVAL_MS: '0' });
    const items = [
      // förhandsbedömning: 14 days from the orosanmälan
      { ref: 'BoU 2026/1', type: 'forhandsbedomning', dates: { orosanmalanMottagen: day(-20) } }, // overdue by 6 days
      { ref: 'BoU 2026/2', type: 'forhandsbedomning', dates: { orosanmalanMottagen: day(-10) } }, // due in 4 days: approaching
      { ref: 'BoU 2026/3', type: 'barnavardsutredning', dates: { utredningInledd: day(-10) } }, // four months: in time
      { ref: 'BoU 2026/4', type: 'forhandsbedomning', dates: { orosanmalanMottagen: day(-1) }, unit: 'bou-familjehem' }, // another unit
    ];
    await t.app.store.casework.importItems(
      'procapita',
      items.map((i) => ({ source: 'procapita', caseReference: i.ref, type: i.type, unitId: i.unit ?? 'bou-mottagning', status: 'oppen' as const, dates: i.dates })),
      { closeMissing: false, at: new Date(), actor: 'test' },
    );
  });
  afterEach(async () => {
    await t.stop();
    await connector.close();
  });

  it('lists the unit\'s open items, overdue first, with counts', async () => {
    // A lex Sarah case decided as serious 20 days ago with no anmälan: its local deadline has passed.
    const { report } = await t.app.store.reports.create(
      {
        formId: '11111111-2222-4333-8444-555555555555', year: 2026, unitId: 'bou-mottagning', committeeId: 'socialnamnden',
        reporterEntraId: MEGAN.aadObjectId, reporterName: 'Megan Bowen', occurredAt: new Date(), occurredTimeKnown: false,
        noticedAt: new Date(), noticedTimeKnown: false, location: 'x', category: 'insatser', whatHappened: 'x', consequences: '',
        immediateActions: '', informed: 'ja', risks: { hurt: 'nej', ongoing: 'nej', vulnerable: 'ja', crime: 'nej', before: 'nej' },
        urgent: true, createdAt: DateTime.now().minus({ days: 21 }).toJSDate(),
      },
      { actorEntraId: MEGAN.aadObjectId, action: 'report.create', entityType: 'report' },
    );
    await t.app.store.cases.recordDecision(
      { reportId: report.id, reference: report.reference, from: 'rapporterad', to: 'bedomd', actor: { entraId: ALEX.aadObjectId, name: 'Alex Wilber' }, at: DateTime.now().minus({ days: 20 }).toJSDate() },
      { answersJson: '{}', recommendedOutcome: 'allvarligt-missforhallande', recommendationJson: '{}', decidedOutcome: 'allvarligt-missforhallande', requiresAnmalan: true },
    );
    const reply = await post(t.baseUrl, { ...as(ALEX), text: 'genomgång' });
    const texts = cardTexts(reply);
    const joined = texts.join('\n');
    assert.match(joined, new RegExp(`Veckogenomgång v\\.${Number(WEEK.slice(-2))} – Barn och unga – mottagning och utredning`));
    const refs = texts.filter((x) => /^\*\*(BoU|LS)/.test(x)).map((x) => /(BoU 2026\/\d|LS-\d{4}-\d{4})/.exec(x)![0]);
    assert.deepEqual(refs, [report.reference, 'BoU 2026/1', 'BoU 2026/2', 'BoU 2026/3'], 'overdue (earliest due first), approaching, in time; not the other unit');
    assert.match(joined, /Lex Sarah: Anmälan till IVO snarast/);
    assert.ok(JSON.stringify(reply.activities[0]!.attachments![0]!.content).includes(`"command":"öppna ${report.reference}"`), 'a lex Sarah row opens its case');
    assert.ok(texts.includes('FÖRSENAD') && texts.includes('NÄRMAR SIG') && texts.includes('I TID'));
    assert.match(joined, /6 dagar sedan/);
    const counts = (reply.activities[0]!.attachments![0]!.content as { body: { type: string; columns?: { items: { text: string }[] }[] }[] }).body.find((b) => b.type === 'ColumnSet')!;
    assert.deepEqual(counts.columns!.map((c) => c.items[0]!.text), ['2', '1', '1', '1']);
  });

  it('"Genomgång klar" records who and when once, and the card shows it', async () => {
    const done = await invokeAction(t.baseUrl, as(ALEX), 'review.done', { unitId: 'bou-mottagning', week: DONE_WEEK, comment: 'BoU 2026/1 följs upp i morgon.' });
    assert.match(done.joined, /Genomgång klar – Alex Wilber/);
    assert.equal(connector.updated.length, 1, 'the message is replaced for everyone, not just the one who clicked');
    assert.equal(connector.updated[0]!.activityId, 'card-1');
    assert.match(JSON.stringify(connector.updated[0]!.activity), /Genomgång klar – Alex Wilber/);
    assert.match(done.joined, /följs upp i morgon/);
    assert.ok(!done.texts.includes('Genomgång klar'), 'the button is gone');
    const again = await invokeAction(t.baseUrl, as(ADELE), 'review.done', { unitId: 'bou-mottagning', week: DONE_WEEK });
    assert.match(again.joined, /Genomgång klar – Alex Wilber/, 'the first record stands');
    // `genomgång` shows this week; before this week's review is due the recorded week is the previous one.
    const next =
      DONE_WEEK === WEEK
        ? cardTexts(await post(t.baseUrl, { ...as(ADELE), text: 'genomgång' })).join('\n')
        : (await invokeAction(t.baseUrl, as(ADELE), 'review.page', { unitId: 'bou-mottagning', week: DONE_WEEK, page: 0 })).joined;
    assert.match(next, /Genomgång klar – Alex Wilber/);
    const trail = await t.app.store.audit.list({ entityRef: 'bou-mottagning' });
    assert.deepEqual(trail.map((e) => e.action), ['review.done', 'review.read'], 'recorded once; the second look is audited as a read');
  });

  it('refuses a personnummer in the comment and records nothing', async () => {
    const r = await invokeAction(t.baseUrl, as(ALEX), 'review.done', { unitId: 'bou-mottagning', week: DONE_WEEK, comment: 'Gäller 20121212-1212' });
    assert.match(r.joined, /personnummer/);
    assert.equal(await t.app.store.cases.getReview('bou-mottagning', DONE_WEEK), undefined);
  });

  it('"Påminn mig senare" schedules the card again and says when', async () => {
    const r = await invokeAction(t.baseUrl, as(ALEX), 'review.snooze', { unitId: 'bou-mottagning', week: WEEK, when: '2h' });
    assert.match(r.joined, /Jag påminner dig /);
    const due = await t.app.store.cases.dueSnoozes(new Date(Date.now() + 2 * 3600_000 + 60_000));
    assert.deepEqual(due.map((d) => [d.unitId, d.entraId]), [['bou-mottagning', ALEX.aadObjectId]]);
    const morning = await invokeAction(t.baseUrl, as(ALEX), 'review.snooze', { unitId: 'bou-mottagning', week: WEEK, when: 'morning' });
    assert.match(morning.joined, /Jag påminner dig .* 08:00\./);
  });

  it('the card refreshes for the unit\'s chefs who have the app', async () => {
    const reply = await post(t.baseUrl, { ...as(ALEX), text: 'genomgång' });
    const card = reply.activities[0]!.attachments![0]!.content as { refresh?: { action: { verb: string }; userIds: string[] } };
    assert.equal(card.refresh?.action.verb, 'review.page');
    assert.deepEqual(card.refresh?.userIds, [ALEX.id]);
  });

  it('only the unit\'s enhetschef can review it; others get a polite pointer', async () => {
    const megan = cardTexts(await post(t.baseUrl, { ...as(MEGAN), text: 'genomgång' })).join('\n');
    assert.match(megan, /Veckogenomgången görs av enhetschefer/);
    assert.match(megan, /mina rapporter/);
    const forged = await invokeAction(t.baseUrl, as(MEGAN), 'review.done', { unitId: 'bou-mottagning', week: WEEK });
    assert.match(forged.joined, /Bara enhetens enhetschef/);
    assert.equal(await t.app.store.cases.getReview('bou-mottagning', WEEK), undefined);
  });

  it('paginates long lists so the card stays small', async () => {
    await t.app.store.casework.importItems(
      'lifecare',
      Array.from({ length: 45 }, (_, i) => ({ source: 'lifecare', caseReference: `LC ${i}`, type: 'forhandsbedomning', unitId: 'bou-mottagning', status: 'oppen' as const, dates: { orosanmalanMottagen: day(-(i % 20)) } })),
      { closeMissing: false, at: new Date(), actor: 'test' },
    );
    const first = await post(t.baseUrl, { ...as(ALEX), text: 'genomgång' });
    const joined = cardTexts(first).join('\n');
    assert.match(joined, /Visar 1–12 av 48\./);
    assert.ok(Buffer.byteLength(JSON.stringify(first.activities[0]!.attachments![0]!.content)) <= MAX_CARD_BYTES);
    const p3 = await invokeAction(t.baseUrl, as(ALEX), 'review.page', { unitId: 'bou-mottagning', week: WEEK, page: 3 });
    assert.match(p3.joined, /Visar 37–48 av 48\./);
    assert.ok(p3.texts.includes('Föregående') && !p3.texts.includes('Nästa'));
  });
});
