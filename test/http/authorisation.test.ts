/**
 * Issue #11 over the real endpoint: authorisation on every path (commands and card actions alike),
 * and a report is never lost or confused with someone else's. Each block reproduces one observed
 * problem: report form ids that anyone could submit, review "done" for any week, card actions in
 * channels, refusals without audit rows, loose case inputs, unknown verbs, personnummer in chat.
 */
import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import { personalChatOnly } from '../../src/bot/replies';
import { WorkingCalendar } from '../../src/review/calendar';
import { DEFAULT_REVIEW_SCHEDULE, reviewStage } from '../../src/review/schedule';
import { activity, ALEX, cardTexts, invokeAction, post, startTestApp, TENANT, type TestApp, validReportData, MEGAN, ADELE, LEE, NESTOR } from '../support/app-fixture';
import { startFakeConnector, type FakeConnector } from '../support/fake-connector';

type Who = typeof ALEX;
const personal = (who: { aadObjectId: string }) => ({ id: `a:personal-${who.aadObjectId.slice(-2)}`, tenantId: TENANT, conversationType: 'personal' });
const GROUP = { id: '19:group-chat@thread.v2', tenantId: TENANT, conversationType: 'groupChat' };
const CHANNEL = { id: '19:channel@thread.tacv2', tenantId: TENANT, conversationType: 'channel' };
const tz = 'Europe/Stockholm';
const TODAY = DateTime.now().setZone(tz).toISODate()!;
const YEAR = DateTime.now().setZone(tz).year;

type FormCard = { actions?: { data?: { formId?: string } }[]; body?: { id?: string }[] };
const formIdOf = (card: unknown) => (card as FormCard | undefined)?.actions?.[0]?.data?.formId;

const reportData = (formId: string, over: Record<string, string> = {}) => validReportData(formId, TODAY, { immediateActions: '', risk_before: 'nej', ...over });

describe('authorisation on every path (issue #11)', function () {
  this.timeout(30_000);
  let t: TestApp;
  let connector: FakeConnector;
  const as = (who: Who, over: Record<string, unknown> = {}) =>
    activity({ from: who, conversation: personal(who), serviceUrl: connector.url, ...over });
  const say = async (who: Who, text: string, over: Record<string, unknown> = {}) => post(t.baseUrl, as(who, { text, ...over }));
  const act = (who: Who, verb: string, data: Record<string, unknown>, over: Record<string, unknown> = {}) => invokeAction(t.baseUrl, as(who, over), verb, data);

  async function openForm(who: Who): Promise<string> {
    const reply = await say(who, 'rapportera');
    const formId = formIdOf(reply.activities[0]?.attachments?.[0]?.content);
    assert.ok(formId, 'the form carries its id');
    return formId;
  }

  beforeEach(async () => {
    connector = await startFakeConnector();
    t = await startTestApp({ REMINDER_INTERVAL_MS: '0' });
  });
  afterEach(async () => {
    await t.stop();
    await connector.close();
  });

  describe('1. a report form belongs to the person it was issued to', () => {
    it('"rapportera" in a group chat or channel shows no form, and points to the personal chat', async () => {
      for (const conversation of [GROUP, CHANNEL]) {
        const reply = await say(ALEX, 'rapportera', { conversation });
        assert.equal(formIdOf(reply.activities[0]?.attachments?.[0]?.content), undefined, 'no form where others read along');
        assert.match(cardTexts(reply).join('\n'), /personliga chatt/);
      }
    });

    it('"rapportera" in a group chat sends the form to the personal chat, where it files; the group sees no form', async () => {
      await say(MEGAN, 'hjälp'); // Megan has opened the personal chat once, so the bot can write there
      const before = connector.posted.length;
      const reply = await say(MEGAN, 'rapportera', { conversation: GROUP });
      assert.equal(formIdOf(reply.activities[0]?.attachments?.[0]?.content), undefined, 'no form in the group');
      assert.match(cardTexts(reply).join('\n'), /skickar rapportformuläret till dig i vår personliga chatt/);
      // Delivered by the outbox's worker after the answer, not inside the request.
      const toMegan = () => connector.posted.slice(before).filter((p) => p.conversationId === personal(MEGAN).id);
      for (const deadline = Date.now() + 8_000; !toMegan().length; await new Promise((r) => setTimeout(r, 25))) {
        if (Date.now() > deadline) throw new Error('the form never arrived in her personal chat');
      }
      const sent = toMegan();
      const formId = formIdOf(sent[0]?.activity.attachments?.[0]?.content);
      assert.ok(formId, 'the form arrived in her personal chat');
      const filed = await act(MEGAN, 'report.submit', reportData(formId));
      assert.match(filed.joined, new RegExp(`LS-${YEAR}-\\d{4}`), 'and files from there');
      const fromGroup = await act(MEGAN, 'report.submit', reportData(formId, { whatHappened: 'Från gruppen.' }), { conversation: GROUP });
      assert.match(fromGroup.joined, /personliga chatt/, 'but not from the group chat');
    });

    it('"rapportera" in a group chat by someone who never opened the personal chat gets the pointer', async () => {
      const reply = await say(LEE, 'rapportera', { conversation: GROUP });
      assert.equal(formIdOf(reply.activities[0]?.attachments?.[0]?.content), undefined);
      assert.match(cardTexts(reply).join('\n'), /Öppna Lex Sarah-assistenten/);
    });

    it('someone submitting a form issued to another person gets a fresh form, never the other person\'s receipt', async () => {
      const alexForm = await openForm(ALEX);
      const alexReceipt = await act(ALEX, 'report.submit', reportData(alexForm));
      assert.match(alexReceipt.joined, new RegExp(`LS-${YEAR}-0001`));

      const megan = await act(MEGAN, 'report.submit', reportData(alexForm, { whatHappened: 'Något helt annat hände.' }));
      assert.ok(!megan.joined.includes(`LS-${YEAR}-0001`), `Megan must not see Alex's report: ${megan.joined}`);
      assert.ok(!megan.texts.includes('Alex Wilber'), 'nor who was told about it');
      const fresh = formIdOf(megan.card);
      assert.ok(fresh && fresh !== alexForm, 'a form with a new id of her own');
      assert.ok(megan.texts.includes('Något helt annat hände.'), 'what she wrote is kept');
      assert.match(megan.joined, /nytt formulär/);

      // With the fresh form her report is filed as her own.
      const filed = await act(MEGAN, 'report.submit', reportData(fresh, { whatHappened: 'Något helt annat hände.' }));
      assert.match(filed.joined, new RegExp(`LS-${YEAR}-0002`));
      const mine = await t.app.store.reports.listByReporter(MEGAN.aadObjectId, 10);
      assert.deepEqual(mine.map((r) => r.reference), [`LS-${YEAR}-0002`]);
    });

    it('a form claimed first by someone else still files the owner\'s report under their name', async () => {
      const alexForm = await openForm(ALEX);
      const megan = await act(MEGAN, 'report.submit', reportData(alexForm));
      assert.ok(!/Rapporten är mottagen/.test(megan.joined), megan.joined);
      assert.equal((await t.app.store.reports.listByReporter(MEGAN.aadObjectId, 10)).length, 0);
      const alex = await act(ALEX, 'report.submit', reportData(alexForm));
      assert.match(alex.joined, /Rapporten är mottagen/);
      assert.equal((await t.app.store.reports.getByReference(`LS-${YEAR}-0001`))?.reporterEntraId, ALEX.aadObjectId);
    });

    it('a form id that was never issued files nothing and gives a fresh form', async () => {
      const r = await act(ALEX, 'report.submit', reportData('11111111-2222-4333-8444-555555555555'));
      assert.ok(!/Rapporten är mottagen/.test(r.joined));
      assert.ok(formIdOf(r.card) && formIdOf(r.card) !== '11111111-2222-4333-8444-555555555555');
      assert.equal((await t.app.store.reports.listByReporter(ALEX.aadObjectId, 10)).length, 0);
    });

    it('a form submitted from another conversation than it was issued in is not filed there', async () => {
      const formId = await openForm(ALEX);
      const r = await act(ALEX, 'report.submit', reportData(formId), { conversation: { id: 'a:other-personal', tenantId: TENANT, conversationType: 'personal' } });
      assert.ok(!/Rapporten är mottagen/.test(r.joined));
    });

    it('report.submit in a channel is refused with a pointer to the personal chat, and nothing is filed', async () => {
      const formId = await openForm(ALEX);
      const r = await act(ALEX, 'report.submit', reportData(formId), { conversation: CHANNEL });
      assert.match(r.joined, /personliga chatt/);
      assert.ok(!/Rapporten är mottagen/.test(r.joined));
      assert.equal((await t.app.store.reports.listByReporter(ALEX.aadObjectId, 10)).length, 0);
    });
  });

  describe('2. a review can be marked done only for a week that is due', () => {
    const calendar = new WorkingCalendar({ timeZone: tz });
    /** A week whose review is surely due: this one once due, otherwise the previous one. */
    const dueWeek = () => {
      const now = DateTime.now().setZone(tz);
      const key = (d: DateTime) => d.toFormat("kkkk-'W'WW");
      return reviewStage(key(now), now.toJSDate(), DEFAULT_REVIEW_SCHEDULE, calendar) === 'not-yet' ? key(now.minus({ weeks: 1 })) : key(now);
    };

    for (const week of ['2030-W01', '2026-W99', 'nonsense', `${YEAR + 1}-W10`]) {
      it(`refuses ${week} in Swedish and records nothing`, async () => {
        const r = await act(ALEX, 'review.done', { unitId: 'bou-mottagning', week });
        assert.match(r.joined, /vecka|veckan|Veckan/);
        assert.ok(!/Genomgång klar – Alex Wilber/.test(r.joined), r.joined);
        assert.equal(await t.app.store.cases.getReview('bou-mottagning', week), undefined);
      });
    }

    it('accepts a due week', async () => {
      const week = dueWeek();
      const r = await act(ALEX, 'review.done', { unitId: 'bou-mottagning', week });
      assert.match(r.joined, /Genomgång klar – Alex Wilber/);
      assert.ok(await t.app.store.cases.getReview('bou-mottagning', week));
    });

    it('after one "Genomgång klar", a page is answered to the clicker only, not replaced for the whole conversation', async () => {
      const week = dueWeek();
      await act(ALEX, 'review.done', { unitId: 'bou-mottagning', week }, { replyToId: 'card-1' });
      assert.equal(connector.updated.length, 1);
      await act(ALEX, 'review.page', { unitId: 'bou-mottagning', week, page: 0 }, { replyToId: 'card-1' });
      await act(ALEX, 'review.snooze', { unitId: 'bou-mottagning', week, when: '2h' }, { replyToId: 'card-1' });
      assert.equal(connector.updated.length, 1, 'only the shared card replaces the message for everyone');
    });
  });

  describe('3. the personal-chat rule covers card actions too', () => {
    let reference: string;
    beforeEach(async () => {
      const formId = await openForm(MEGAN);
      const filed = await act(MEGAN, 'report.submit', reportData(formId));
      reference = /LS-\d{4}-\d{4}/.exec(filed.joined)![0];
    });

    const cases: [string, Record<string, unknown>][] = [
      ['case.show', {}],
      ['case.draft', {}],
      ['case.start-form', {}],
      ['case.document', { item: 'orsaker', kind: 'fakta', source: 'x', text: 'y' }],
      ['review.page', { unitId: 'bou-mottagning', week: DateTime.now().setZone(tz).toFormat("kkkk-'W'WW"), page: 0 }],
      ['review.done', { unitId: 'bou-mottagning', week: DateTime.now().setZone(tz).minus({ weeks: 1 }).toFormat("kkkk-'W'WW") }],
      ['status.show', { kind: 'committee', id: 'socialnamnden', from: new Date(Date.now() - 86_400_000).toISOString(), to: new Date().toISOString(), label: 'i dag', live: true }],
    ];
    for (const [verb, data] of cases) {
      for (const conversation of [GROUP, CHANNEL]) {
        it(`${verb} in a ${conversation.conversationType} is refused with a pointer to the personal chat`, async () => {
          const r = await act(ALEX, verb, { reference, ...data }, { conversation });
          assert.equal(typeof r.card, 'string', `a message, not a card: ${r.joined.slice(0, 200)}`);
          assert.match(r.joined, /personliga chatt/);
          assert.ok(!r.joined.includes('orosanmälan'));
          assert.equal((await t.app.store.cases.get((await t.app.store.reports.getByReference(reference))!.id)).entries.length, 0);
          assert.equal(connector.updated.length, 0);
        });
      }
    }
  });

  describe('4. refusals and reads of case references are audited', () => {
    it('a status refusal leaves an audit row', async () => {
      const r = await say(MEGAN, 'status');
      assert.match(cardTexts(r).join('\n'), /Lägesbilden visas för chefer/);
      const trail = await t.app.store.audit.list({ actorEntraId: MEGAN.aadObjectId });
      assert.ok(trail.some((e) => e.action === 'status.view-denied'), trail.map((e) => e.action).join(','));
    });

    it('a status drill-down refusal leaves an audit row', async () => {
      await act(ADELE, 'status.show', { kind: 'committee', id: 'vard-och-omsorg', from: new Date(Date.now() - 86_400_000).toISOString(), to: new Date().toISOString(), label: 'i dag', live: true });
      const trail = await t.app.store.audit.list({ actorEntraId: ADELE.aadObjectId });
      assert.deepEqual(trail.map((e) => [e.action, e.entityRef]), [['status.view-denied', 'vard-och-omsorg']]);
    });

    it('review refusals and review reads leave audit rows', async () => {
      await say(MEGAN, 'genomgång');
      await act(MEGAN, 'review.page', { unitId: 'bou-mottagning', week: DateTime.now().setZone(tz).toFormat("kkkk-'W'WW"), page: 0 });
      const megan = await t.app.store.audit.list({ actorEntraId: MEGAN.aadObjectId });
      assert.equal(megan.filter((e) => e.action === 'review.denied').length, 2, megan.map((e) => e.action).join(','));

      await say(ALEX, 'genomgång');
      await act(ALEX, 'review.page', { unitId: 'bou-mottagning', week: DateTime.now().setZone(tz).toFormat("kkkk-'W'WW"), page: 0 });
      const alex = await t.app.store.audit.list({ actorEntraId: ALEX.aadObjectId });
      assert.deepEqual(alex.filter((e) => e.action === 'review.read').map((e) => e.entityRef), ['bou-mottagning', 'bou-mottagning']);
    });

    it('a command refused outside the personal chat leaves an audit row', async () => {
      await say(ALEX, 'status', { conversation: CHANNEL });
      const trail = await t.app.store.audit.list({ actorEntraId: ALEX.aadObjectId });
      assert.ok(trail.some((e) => e.action === 'access.denied-scope'), trail.map((e) => e.action).join(','));
    });
  });

  describe('5. case inputs are checked against the case', () => {
    let reference: string;
    const caseAct = (who: Who, verb: string, data: Record<string, unknown> = {}) => act(who, verb, { reference, ...data });
    const details = async () => t.app.store.cases.get((await t.app.store.reports.getByReference(reference))!.id);
    beforeEach(async () => {
      const formId = await openForm(MEGAN);
      const filed = await act(MEGAN, 'report.submit', reportData(formId));
      reference = /LS-\d{4}-\d{4}/.exec(filed.joined)![0];
    });

    it('refuses an utredare who is not offered for the case\'s nämnd', async () => {
      for (const utredare of [NESTOR.aadObjectId, MEGAN.aadObjectId]) {
        const r = await caseAct(ALEX, 'case.start', { utredare });
        assert.match(r.joined, /Välj vem som ska utreda/);
      }
      assert.equal((await details()).utredare, undefined);
      assert.match((await caseAct(ALEX, 'case.start', { utredare: LEE.aadObjectId })).joined, /Utredare: Lee Gu/);
    });

    it('refuses an åtgärd owner from another nämnd and due dates out of range', async () => {
      const farAhead = DateTime.now().setZone(tz).plus({ years: 3 }).toISODate()!;
      const ok = DateTime.now().setZone(tz).plus({ months: 1 }).toISODate()!;
      assert.match((await caseAct(ALEX, 'case.action', { text: 'Handledning', owner: NESTOR.aadObjectId, dueOn: ok })).joined, /Välj ansvarig/);
      assert.match((await caseAct(ALEX, 'case.action', { text: 'Handledning', owner: ADELE.aadObjectId, dueOn: '1999-01-01' })).joined, /Klart senast/);
      assert.match((await caseAct(ALEX, 'case.action', { text: 'Handledning', owner: ADELE.aadObjectId, dueOn: farAhead })).joined, /Klart senast/);
      assert.equal((await details()).actions.length, 0);
      assert.match((await caseAct(ALEX, 'case.action', { text: 'Handledning', owner: ADELE.aadObjectId, dueOn: ok })).joined, /Åtgärden är sparad/);
    });

    it('refuses a filing dated before the report', async () => {
      const report = (await t.app.store.reports.getByReference(reference))!;
      await t.app.store.cases.recordDecision(
        { reportId: report.id, reference, from: 'rapporterad', to: 'bedomd', actor: { entraId: ALEX.aadObjectId, name: 'Alex Wilber' }, at: new Date() },
        { answersJson: '{}', recommendedOutcome: 'allvarligt-missforhallande', recommendationJson: '{}', decidedOutcome: 'allvarligt-missforhallande', requiresAnmalan: true },
      );
      const r = await caseAct(ALEX, 'case.file', { filedOn: '1999-01-01', dnr: '3.5.1-1/2026', attached: 'nej' });
      assert.match(r.joined, /före rapporten|tidigare än rapporten/);
      assert.equal((await t.app.store.reports.getByReference(reference))?.state, 'bedomd');
    });

    it('a step form submitted twice stores one entry and answers both with the same card', async () => {
      const form = await caseAct(LEE, 'case.document-form');
      const formId = formIdOf(form.card);
      assert.ok(formId);
      const data = { formId, item: 'orsaker', kind: 'fakta', source: 'Intervju', text: 'Ingen rutin för avbrott.' };
      const [a, b] = await Promise.all([caseAct(LEE, 'case.document', data), caseAct(LEE, 'case.document', data)]);
      const c = await caseAct(LEE, 'case.document', data);
      for (const r of [a, b, c]) assert.match(r.joined, /Anteckningen är sparad/);
      assert.equal((await details()).entries.length, 1);

      const actionForm = formIdOf((await caseAct(ALEX, 'case.action-form')).card);
      const action = { formId: actionForm, text: 'Handledning', owner: ADELE.aadObjectId, dueOn: DateTime.now().setZone(tz).plus({ months: 1 }).toISODate()! };
      await Promise.all([caseAct(ALEX, 'case.action', action), caseAct(ALEX, 'case.action', action)]);
      assert.equal((await details()).actions.length, 1);
      const trail = (await t.app.store.audit.list({ entityRef: reference })).map((e) => e.action);
      assert.equal(trail.filter((x) => x === 'case.document').length, 1);
      assert.equal(trail.filter((x) => x === 'case.add-action').length, 1);
    });
  });

  describe('6. unknown card verbs', () => {
    for (const verb of ['case.hack-LS-2026-0001', 'case.zzz-form', 'review.hack', 'nothing.known']) {
      it(`answers ${verb} in Swedish and logs no verbatim verb`, async () => {
        const r = await act(ALEX, verb, { reference: 'LS-2026-0001' });
        assert.match(r.joined, /Den här knappen känner jag inte igen/);
        assert.ok(!t.logs.some((l) => l.includes(verb)), 'the verb is not logged verbatim');
      });
    }
  });

  describe('7. a personnummer typed in chat', () => {
    for (const text of ['Brukaren 19850709-9805 föll i går', 'öppna 850709-9805', 'status 19850709-9805']) {
      it(`warns to delete the message and never echoes or logs it: "${text}"`, async () => {
        const reply = await say(ALEX, text);
        const joined = cardTexts(reply).join('\n');
        assert.match(joined, /personnummer/);
        assert.match(joined, /[Tt]a bort meddelandet/);
        assert.ok(!joined.includes('9805'));
        assert.ok(!t.logs.some((l) => l.includes('9805')), 'not logged');
        const trail = await t.app.store.audit.list({ actorEntraId: ALEX.aadObjectId });
        assert.ok(!trail.some((e) => JSON.stringify(e).includes('9805')));
      });
    }
  });
});

describe('the pointer to the personal chat', () => {
  it('links to the bot chat when the bot id is configured, and says where to find it otherwise', () => {
    assert.match(personalChatOnly('11111111-2222-3333-4444-555555555555'), /\(https:\/\/teams\.microsoft\.com\/l\/chat\/0\/0\?users=28:11111111-2222-3333-4444-555555555555\)/);
    assert.match(personalChatOnly(undefined), /under Appar i Teams/);
    assert.ok(!personalChatOnly(undefined).includes('https://'));
  });
});
