/**
 * The lex Sarah case over the real endpoint: case card, investigation, assessment and decision,
 * the anmälan draft, recording the filing, the two-month clock, closing, access, and the
 * reminders and escalation with a controllable clock.
 */
import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import { CardRenderer } from '../../src/cards/render';
import { CaseReminders } from '../../src/cases/reminders';
import { createLogger } from '../../src/log/logger';
import { Directory } from '../../src/org/directory';
import { activity, ALEX, cardTexts, fileReport, invokeAction, post, startTestApp, type TestApp, MEGAN, ADELE, LEE, NESTOR, personalChat } from '../support/app-fixture';
import { startFakeConnector } from '../support/fake-connector';

const TODAY = DateTime.now().setZone('Europe/Stockholm').toISODate()!;

const SERIOUS = { impact: 'konsekvenser', severity: 'betydande', riskClarity: 'ej-aktuell', abuse: 'ja', vulnerable: 'ja', repeated: 'nej', severalAffected: 'nej' };

describe('lex Sarah case over HTTP', function () {
  this.timeout(30_000);
  let t: TestApp;
  let reference: string;
  const as = (who: typeof ALEX) => activity({ from: who, conversation: personalChat(who), serviceUrl: 'http://127.0.0.1:9/' });
  const act = (who: typeof ALEX, verb: string, data: Record<string, unknown> = {}) => invokeAction(t.baseUrl, as(who), verb, { reference, ...data });

  beforeEach(async () => {
    t = await startTestApp({ REMINDER_INTERVAL_MS: '0' });
    reference = await fileReport(t.baseUrl, as(MEGAN), TODAY, {
      location: 'Mottagningen', category: 'psykiska', whatHappened: 'En medarbetare skrek åt ett barn under ett samtal.', immediateActions: '',
      informed: 'ja', risk_vulnerable: 'ja', risk_before: 'nej',
    });
  });
  afterEach(() => t.stop());

  it('walks the case from rapport to closed: investigation, assessment, decision, draft, filing, two-month clock, close', async () => {
    // The samordnare/chef opens the case from the notification button ("öppna LS-…").
    const opened = cardTexts(await post(t.baseUrl, { ...as(ALEX), text: `öppna ${reference}` })).join('\n');
    assert.match(opened, new RegExp(`Lex Sarah-ärende ${reference}`));
    assert.match(opened, /Rapporterad – väntar på utredning/);
    for (const b of ['Starta utredningen', 'Dokumentera', 'Lägg till åtgärd', 'Gör bedömningen']) assert.ok(opened.includes(b), b);

    const startForm = await act(ALEX, 'case.start-form');
    assert.ok(startForm.texts.includes('Lee Gu'));
    const started = await act(ALEX, 'case.start', { utredare: LEE.aadObjectId });
    assert.match(started.joined, /Utredningen är startad\. Utredare: Lee Gu\./);
    assert.match(started.joined, /Under utredning/);

    const refusedEntry = await act(LEE, 'case.document', { item: 'orsaker', kind: 'fakta', source: 'Intervju', text: 'Barnet 20121212-1212 blev rädd.' });
    assert.match(refusedEntry.joined, /personnummer/);
    const entry = await act(LEE, 'case.document', { item: 'orsaker', kind: 'bedomning', source: 'Intervju med medarbetaren', text: 'Hög arbetsbelastning och ingen rutin för avbrott.' });
    assert.match(entry.joined, /Anteckningen är sparad/);
    assert.match(entry.joined, /Orsaker som identifierats.*bedömning; Lee Gu/s);
    // A due day must lie between the report's day and two years ahead: taken from today, not fixed.
    const dueOn = DateTime.now().setZone('Europe/Stockholm').plus({ weeks: 6 }).toISODate()!;
    assert.match((await act(ADELE, 'case.action', { text: 'Handledning för personalgruppen', owner: ADELE.aadObjectId, dueOn })).joined, /Åtgärden är sparad/);

    // Enhetschef Adele may investigate but not decide.
    assert.match((await act(ADELE, 'case.assess-form')).joined, /Du kan inte göra det/);

    const missing = await act(ALEX, 'case.assess', { ...SERIOUS, abuse: '' });
    assert.match(missing.joined, /Besvara frågan "Övergrepp"/);
    const rec = await act(ALEX, 'case.assess', SERIOUS);
    assert.match(rec.joined, /Rekommendation: Allvarligt missförhållande/);
    assert.match(rec.joined, /Anmälan till IVO krävs/);
    assert.match(rec.joined, /Skäl/);
    assert.match(rec.joined, /(socialtjänstlagen|SOSFS)/);
    const answers = ((rec.card as { actions: { data: { answers: string } }[] }).actions[0]!.data.answers);

    const noMotivation = await act(ALEX, 'case.decide', { answers, outcome: 'missforhallande-ej-allvarligt', motivation: '' });
    assert.match(noMotivation.joined, /avviker från rekommendationen\. Skriv en motivering/);
    assert.equal((await t.app.store.reports.getByReference(reference))?.state, 'under-utredning', 'nothing saved without motivation');
    const forged = await act(ALEX, 'case.decide', { answers: '{"impact":"ingen"}', outcome: 'inte-missforhallande' });
    assert.match(forged.joined, /Bedömningen behöver göras om/);

    const decided = await act(ALEX, 'case.decide', { answers, outcome: 'allvarligt-missforhallande', motivation: '' });
    assert.match(decided.joined, /Beslut: Allvarligt missförhållande\. Anmälan till IVO ska göras snarast – enligt lokal rutin senast/);
    assert.match(decided.joined, /Anmälan till IVO snarast: senast .* \(om 14 dagar\)\. Lokal rutin: inom 14 dagar/);
    assert.match(decided.joined, /Underlag för IVO-anmälan/);

    const draft = await act(ALEX, 'case.draft');
    for (const s of ['Avsändare', 'Exempelby kommun, Socialnämnden', 'Anmälan avser', 'Allvarligt missförhållande', 'Vad har hänt', 'En medarbetare skrek åt ett barn', 'Identifierade orsaker', 'Hög arbetsbelastning', 'Planerade åtgärder', 'Handledning för personalgruppen', 'Kontaktperson', 'Barn och unga']) {
      assert.ok(draft.joined.includes(s), s);
    }

    const badFiling = await act(ALEX, 'case.file', { filedOn: '2999-01-01', dnr: '3.5.1-1/2026', attached: 'nej' });
    assert.match(badFiling.joined, /kan inte ligga i framtiden/);
    const filedOn = TODAY;
    const filed = await act(ALEX, 'case.file', { filedOn, dnr: '3.5.1-12345/2026', attached: 'nej' });
    assert.match(filed.joined, /Anmälan till IVO är registrerad/);
    const due = DateTime.fromISO(filedOn, { zone: 'Europe/Stockholm' }).plus({ months: 2 }).setLocale('sv').toFormat('d LLL yyyy');
    assert.ok(filed.joined.includes(`Utredningen till IVO: senast ${due}`), filed.joined);
    assert.ok(!/Anmälan till IVO snarast/.test(filed.joined), 'the snarast clock stops once filed');

    const earlyClose = await act(ALEX, 'case.close', { decision: 'Klart', motivation: '' });
    assert.match(earlyClose.joined, /Utredningen ska skickas till IVO innan ärendet avslutas\./);
    await act(ALEX, 'case.sent', { sentOn: TODAY });
    const closed = await act(ALEX, 'case.close', { decision: 'Utredningen är klar och åtgärder vidtagna.', motivation: '' });
    assert.match(closed.joined, /Ärendet är avslutat/);
    assert.equal((await t.app.store.reports.getByReference(reference))?.state, 'avslutad');

    const trail = (await t.app.store.audit.list({ entityRef: reference })).map((e) => e.action);
    for (const a of ['report.create', 'case.start-investigation', 'case.document', 'case.add-action', 'case.denied', 'case.recommendation', 'case.record-decision', 'case.draft', 'case.record-filing', 'case.send-investigation', 'case.close']) {
      assert.ok(trail.includes(a), `${a} in ${trail.join(',')}`);
    }
  });

  it('a decision that departs from the recommendation is saved with its motivation, and both are kept', async () => {
    const rec = await act(ALEX, 'case.assess', SERIOUS);
    const answers = (rec.card as { actions: { data: { answers: string } }[] }).actions[0]!.data.answers;
    const decided = await act(ALEX, 'case.decide', { answers, outcome: 'missforhallande-ej-allvarligt', motivation: 'Händelsen var kortvarig och barnet följdes upp samma dag.' });
    assert.match(decided.joined, /Beslut: Missförhållande, ej allvarligt\. Ingen anmälan till IVO krävs/);
    const report = (await t.app.store.reports.getByReference(reference))!;
    const d = (await t.app.store.cases.get(report.id)).decisions[0]!;
    assert.equal(d.recommendedOutcome, 'allvarligt-missforhallande');
    assert.equal(d.decidedOutcome, 'missforhallande-ej-allvarligt');
    assert.match(d.motivation ?? '', /kortvarig/);
    // Closing without an anmälan needs a motivation (ställningstagande).
    const noMotivation = await act(ALEX, 'case.close', { decision: 'Avslutas.', motivation: '' });
    assert.match(noMotivation.joined, /Skriv en motivering/);
  });

  it('a decision at receipt still lets an utredare be appointed, once, without changing the state', async () => {
    const rec = await act(ALEX, 'case.assess', SERIOUS);
    const answers = (rec.card as { actions: { data: { answers: string } }[] }).actions[0]!.data.answers;
    const decided = await act(ALEX, 'case.decide', { answers, outcome: 'allvarligt-missforhallande' });
    assert.ok(decided.texts.includes('Utse utredare'), decided.joined);
    const appointed = await act(ALEX, 'case.start', { utredare: LEE.aadObjectId });
    assert.match(appointed.joined, /Utredare: Lee Gu/);
    assert.ok(!appointed.texts.includes('Utse utredare'));
    assert.equal((await t.app.store.reports.getByReference(reference))?.state, 'bedomd');
    assert.match((await act(ALEX, 'case.start', { utredare: ALEX.aadObjectId })).joined, /redan bedömt/);
  });

  it('the reporter sees the report, other nämnder see nothing, and actions are refused without the right', async () => {
    const megan = cardTexts(await post(t.baseUrl, { ...as(MEGAN), text: `öppna ${reference}` })).join('\n');
    assert.match(megan, new RegExp(`Lex Sarah-rapport ${reference}`));
    assert.ok(!megan.includes('Gör bedömningen'));
    const nestor = cardTexts(await post(t.baseUrl, { ...as(NESTOR), text: `öppna ${reference}` })).join('\n');
    assert.match(nestor, /Du kan inte öppna/);
    assert.match((await act(MEGAN, 'case.start', { utredare: LEE.aadObjectId })).joined, /Du kan inte göra det/);
    assert.match((await act(NESTOR, 'case.show')).joined, /Du kan inte göra det/);
  });

  describe('reminders and escalation (controllable clock)', () => {
    it('reminds the samordnare before the local deadline, escalates to the chef when it passes: each enqueued once, and the app\'s worker delivers them', async () => {
      const connector = await startFakeConnector();
      try {
        // Alex and Lee have opened the app: the reminders have somewhere to go.
        for (const who of [ALEX, LEE]) await post(t.baseUrl, { ...as(who), serviceUrl: connector.url, text: 'hjälp' });
        const reminderCards = () => connector.posted.filter((p) => JSON.stringify(p.activity).includes(`Anmälan till IVO – ${reference}`));
        const until = async (what: string, check: () => boolean) => {
          for (const deadline = Date.now() + 8_000; !check(); await new Promise((r) => setTimeout(r, 25))) {
            if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
          }
        };
        const decidedAt = new Date('2026-03-02T09:00:00.000Z');
        const report = (await t.app.store.reports.getByReference(reference))!;
        await t.app.store.cases.recordDecision(
          { reportId: report.id, reference, from: 'rapporterad', to: 'bedomd', actor: { entraId: ALEX.aadObjectId, name: 'Alex Wilber' }, at: decidedAt },
          { answersJson: '{}', recommendedOutcome: 'allvarligt-missforhallande', recommendationJson: '{}', decidedOutcome: 'allvarligt-missforhallande', requiresAnmalan: true },
        );
        const org = (await t.app.store.organisation.load())!;
        // A second instance's reminders on the app's database: the app's delivery worker sends what it enqueues.
        const reminders = new CaseReminders({
          store: t.app.store,
          directory: () => new Directory(org),
          cards: new CardRenderer(),
          logger: createLogger('silent'),
          timeZone: 'Europe/Stockholm',
        });
        // Due 2026-03-16 end of day (14 days). Reminders 7 and 2 days before.
        assert.deepEqual(await reminders.tick(new Date('2026-03-08T08:00:00.000Z')), []);
        const week = await reminders.tick(new Date('2026-03-09T08:00:00.000Z'));
        assert.deepEqual(week.map((r) => [r.kind, r.recipient, r.escalation]).sort(), [['before-7', ALEX.aadObjectId, false], ['before-7', LEE.aadObjectId, false]]);
        assert.ok(week.every((r) => r.status === 'enqueued'));
        assert.deepEqual(await reminders.tick(new Date('2026-03-09T09:00:00.000Z')), [], 'not twice');
        await until('both got the first reminder', () => reminderCards().length === 2);
        assert.deepEqual(reminderCards().map((p) => p.conversationId).sort(), [personalChat(ALEX).id, personalChat(LEE).id].sort());
        assert.equal((await reminders.tick(new Date('2026-03-14T08:00:00.000Z'))).filter((r) => r.kind === 'before-2').length, 2);
        assert.deepEqual(await reminders.tick(new Date('2026-03-16T22:59:59.000Z')), [], 'still in time on the due day (Stockholm)');
        const overdue = await reminders.tick(new Date('2026-03-16T23:00:01.000Z'));
        // Alex is samordnare and chef: he gets the escalation once, not an extra reminder.
        assert.deepEqual(overdue.map((r) => [r.kind, r.recipient, r.escalation]).sort(), [
          ['overdue', ALEX.aadObjectId, true],
          ['overdue', LEE.aadObjectId, false],
        ]);
        assert.deepEqual(await reminders.tick(new Date('2026-03-20T08:00:00.000Z')), []);
        await until('all six reminders arrived', () => reminderCards().length === 6);
        const escalations = reminderCards().filter((p) => JSON.stringify(p.activity).includes('ESKALERING'));
        assert.deepEqual(escalations.map((p) => p.conversationId), [personalChat(ALEX).id]);
        await new Promise((r) => setTimeout(r, 300));
        assert.equal(reminderCards().length, 6, 'none twice');
        const trail = (await t.app.store.audit.list({ entityRef: reference })).map((e) => e.action);
        assert.equal(trail.filter((a) => a === 'case.escalation').length, 1);
      } finally {
        await connector.close();
      }
    });

    it('reminds about the investigation due at IVO two months after the anmälan', async () => {
      const report = (await t.app.store.reports.getByReference(reference))!;
      const actor = { entraId: ALEX.aadObjectId, name: 'Alex Wilber' };
      await t.app.store.cases.recordDecision(
        { reportId: report.id, reference, from: 'rapporterad', to: 'bedomd', actor, at: new Date('2026-12-20T09:00:00Z') },
        { answersJson: '{}', recommendedOutcome: 'allvarligt-missforhallande', recommendationJson: '{}', decidedOutcome: 'allvarligt-missforhallande', requiresAnmalan: true },
      );
      await t.app.store.cases.recordFiling({ reportId: report.id, reference, from: 'bedomd', to: 'anmald', actor, at: new Date('2026-12-31T09:00:00Z') }, { filedOn: '2026-12-31', ivoDiarienummer: 'x', investigationAttached: false });
      const org = (await t.app.store.organisation.load())!;
      const reminders = new CaseReminders({
        store: t.app.store, directory: () => new Directory(org), cards: new CardRenderer(),
        logger: createLogger('silent'), timeZone: 'Europe/Stockholm',
      });
      // 31 Dec + 2 months = 28 Feb 2027.
      assert.deepEqual(await reminders.tick(new Date('2027-02-20T08:00:00Z')), []);
      const r = await reminders.tick(new Date('2027-02-21T08:00:00Z'));
      assert.deepEqual([...new Set(r.map((x) => `${x.clock}/${x.kind}`))], ['utredning/before-7']);
      const late = await reminders.tick(new Date('2027-03-01T08:00:00Z'));
      assert.ok(late.every((x) => x.kind === 'overdue' && !x.escalation) && late.length === 2);
    });
  });
});
