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

const SERIOUS = { scope: 'ja', impact: 'konsekvenser', severity: 'betydande', riskClarity: 'ej-aktuell', abuse: 'ja', vulnerable: 'ja', repeated: 'nej', severalAffected: 'nej' };

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
    // A task still to do "snarast" is never shown in green like a success.
    const notice = (decided.card as { body: { text?: string; color?: string }[] }).body.find((b) => b.text?.startsWith('Beslut: Allvarligt'));
    assert.equal(notice?.color, 'Warning');
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
    // An investigation is not at IVO until it is documented (SOSFS 2011:5 5 kap.): the form says what is missing.
    const undocumented = await act(ALEX, 'case.sent', { sentOn: TODAY });
    assert.match(undocumented.joined, /Utredningen är inte dokumenterad, så den kan inte registreras som skickad till IVO\..*Saknas: vad som hänt .*; risk för upprepning\./s);
    for (const item of ['vad-och-konsekvenser', 'nar-och-hur-uppmarksammat', 'nar-det-hande', 'hant-tidigare', 'risk-for-upprepning']) {
      assert.match((await act(LEE, 'case.document', { item, kind: 'fakta', source: 'Intervju', text: `Utredningens uppgifter om ${item}.` })).joined, /Anteckningen är sparad/);
    }
    assert.match((await act(ALEX, 'case.sent', { sentOn: TODAY })).joined, /Att utredningen skickats till IVO är registrerat/);
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
    // … and, for a missförhållande, the investigation: a line of text is not one.
    const lineOfText = await act(ALEX, 'case.close', { decision: 'Avslutas.', motivation: 'Barnet följdes upp.' });
    assert.match(lineOfText.joined, /Ingen utredare är utsedd\. Utse en utredare och dokumentera utredningen innan ärendet avslutas\./);
    assert.equal((await t.app.store.reports.getByReference(reference))?.state, 'bedomd', 'not closed');
  });

  it('a gränsfall (a child, many affected, repeated) cannot be decided "ej allvarligt" without a motivation, even as recommended', async () => {
    const systemic = { ...SERIOUS, severity: 'lindrig', abuse: 'nej', vulnerable: 'ja', repeated: 'ja', severalAffected: 'ja' };
    const rec = await act(ALEX, 'case.assess', systemic);
    assert.match(rec.joined, /Rekommendation: Missförhållande, ej allvarligt/);
    assert.match(rec.joined, /Gränsfall: ett beslut om att det inte är allvarligt kräver en motivering/);
    const answers = (rec.card as { actions: { data: { answers: string } }[] }).actions[0]!.data.answers;
    const refused = await act(ALEX, 'case.decide', { answers, outcome: 'missforhallande-ej-allvarligt', motivation: '' });
    assert.match(refused.joined, /Det här är ett gränsfall: .*Skriv en motivering till varför det inte bedöms som allvarligt\./);
    assert.equal((await t.app.store.reports.getByReference(reference))?.state, 'rapporterad', 'nothing saved');
    const saved = await act(ALEX, 'case.decide', { answers, outcome: 'missforhallande-ej-allvarligt', motivation: 'Enstaka dag; rutinen är ändrad och alla barn följdes upp.' });
    assert.match(saved.joined, /Beslut: Missförhållande, ej allvarligt/);
  });

  it('the IVO draft names the person who decided as contact, not the first samordnare in the organisation file', async () => {
    const rec = await act(LEE, 'case.assess', SERIOUS);
    const answers = (rec.card as { actions: { data: { answers: string } }[] }).actions[0]!.data.answers;
    assert.match((await act(LEE, 'case.decide', { answers, outcome: 'allvarligt-missforhallande' })).joined, /Beslut: Allvarligt missförhållande/);
    // Alex is the nämnd's first samordnare and asks for the draft; Lee decided.
    const draft = await act(ALEX, 'case.draft');
    const copy = String(JSON.stringify(draft.card).match(/Kontaktperson:\\n([^\\"]*)/)?.[1]);
    assert.match(copy, /^Lee Gu/);
  });

  it('records whether and when the individual or vårdnadshavare was told (or why not): on the case and in the IVO draft', async () => {
    // An enhetschef runs the investigation, and so records the informing.
    const form = await act(ADELE, 'case.inform-form');
    assert.match(form.joined, /Information till den enskilde/);
    for (const s of ['Om utredningen', 'Vårdnadshavare', 'Varför inte?']) assert.ok(form.joined.includes(s), s);
    const missing = await act(ADELE, 'case.inform', { about: 'utredningen', informed: 'ja' });
    assert.match(missing.joined, /Välj vem som informerades/);
    const pnr = await act(ADELE, 'case.inform', { about: 'utredningen', informed: 'nej', whyNot: 'Mamman 20121212-1212 nås inte.' });
    assert.match(pnr.joined, /personnummer/);
    assert.ok(!pnr.joined.includes('20121212-1212'), 'the number is not echoed');
    assert.ok(!(await t.app.store.cases.get((await t.app.store.reports.getByReference(reference))!.id)).entries.length, 'nothing stored');

    const told = await act(ADELE, 'case.inform', { about: 'utredningen', informed: 'ja', informedOn: TODAY, role: 'vardnadshavare' });
    assert.match(told.joined, /Informationen till den enskilde är registrerad/);
    const day = DateTime.fromISO(TODAY, { zone: 'Europe/Stockholm' }).setLocale('sv').toFormat('d LLL yyyy');
    assert.ok(told.joined.includes(`Vårdnadshavaren informerades om utredningen ${day}.`), told.joined);
    assert.ok(!told.joined.includes('"informed"'), 'the stored record is never shown raw');
    await act(ADELE, 'case.inform', { about: 'utfallet', informed: 'nej', whyNot: 'Utredningen är inte klar.' });

    const rec = await act(ALEX, 'case.assess', SERIOUS);
    const answers = (rec.card as { actions: { data: { answers: string } }[] }).actions[0]!.data.answers;
    await act(ALEX, 'case.decide', { answers, outcome: 'allvarligt-missforhallande' });
    const copy = String((JSON.stringify((await act(ALEX, 'case.draft')).card).match(/Har den enskilde informerats:\\n(.*?)\\n\\nKontaktperson:/) ?? [])[1]);
    assert.ok(copy.includes(`Vårdnadshavaren informerades om utredningen ${day}.`), copy);
    assert.ok(copy.includes('Inte informerad om utredningens resultat: Utredningen är inte klar.'), copy);
    assert.ok(!copy.includes('Enligt rapportören'), 'the recorded step replaces the reporter\'s first answer');
    const trail = (await t.app.store.audit.list({ entityRef: reference })).map((e) => `${e.action} ${e.detail ?? ''}`);
    assert.ok(trail.some((a) => a.startsWith('case.document item=information')), trail.join(','));
  });

  it('the assessment form starts from the report\'s own risk answers', async () => {
    const form = await act(ALEX, 'case.assess-form');
    assert.match(form.joined, /förifyllda från rapportens egna svar/);
    const inputs: { id: string; value?: string }[] = [];
    const walk = (el: unknown): void => {
      if (Array.isArray(el)) return el.forEach(walk);
      if (!el || typeof el !== 'object') return;
      const o = el as Record<string, unknown>;
      if (typeof o.id === 'string' && String(o.type).startsWith('Input.')) inputs.push(o as { id: string; value?: string });
      Object.values(o).forEach(walk);
    };
    walk(form.card);
    const value = (id: string) => inputs.find((b) => b.id === id)?.value ?? '';
    // The report: psykiska övergrepp, a child (risk_vulnerable ja), not before (risk_before nej:
    // the reporter's "nej" is left for the assessor).
    assert.deepEqual([value('abuse'), value('vulnerable'), value('repeated'), value('scope')], ['ja', 'ja', '', '']);
  });

  it('an unassessed BRÅDSKANDE report turns red after its local deadline, and the status summary counts it', async () => {
    const org = (await t.app.store.organisation.load())!;
    const megan = new Directory(org).person(MEGAN.aadObjectId)!;
    // Received 10 days ago, urgent, never assessed: 1 working day (local policy) has long passed.
    const createdAt = DateTime.now().setZone('Europe/Stockholm').minus({ days: 10 }).toJSDate();
    const { report } = await t.app.store.reports.create(
      {
        formId: '00000000-0000-4000-8000-00000000aaaa', year: DateTime.fromJSDate(createdAt).year, unitId: 'bou-mottagning', committeeId: 'socialnamnden',
        reporterEntraId: megan.entraId, reporterName: megan.name, occurredAt: createdAt, occurredTimeKnown: false, noticedAt: createdAt, noticedTimeKnown: false,
        location: 'Boendet', category: 'fysiska', whatHappened: 'Ett barn knuffades.', consequences: 'Blåmärke.', immediateActions: '', informed: 'ja',
        risks: { hurt: 'ja', ongoing: 'vet-ej', vulnerable: 'ja', crime: 'nej', before: 'nej' }, urgent: true, createdAt,
      },
      { actorEntraId: megan.entraId, action: 'report.create', entityType: 'report' },
    );
    const card = await invokeAction(t.baseUrl, as(ALEX), 'case.show', { reference: report.reference });
    assert.match(card.joined, /Bedömning \(brådskande\): senast .* \(försenad sedan \d+ dagar\)\. Lokal rutin: bedömning inom 1 arbetsdag/);
    const clocks = JSON.stringify(card.card).match(/"style":"(\w+)","items":\[\{"type":"TextBlock","text":"Tidsfrister"/);
    assert.equal(clocks?.[1], 'attention', 'the clocks box is red');
    // The report filed in beforeEach (today, urgent too) is still within its deadline.
    const fresh = await act(ALEX, 'case.show');
    assert.match(fresh.joined, /Bedömning \(brådskande\): senast .* \((i dag|om \d+ dag(ar)?)\)/);
    const status = cardTexts(await post(t.baseUrl, { ...as(ALEX), text: 'status' })).join('\n');
    assert.match(status, /Väntar på bedömning\s*:?\s*\n?2, varav 1 efter den lokala fristen/);
    assert.match(status, new RegExp(`${report.reference} – bedömningen \\(lokal rutin\\), \\d+ dagar sedan`));
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
        // Reminders go out in working hours only: the before-2 falls on Saturday 14 March, so the
        // first tick that sends at once is Monday morning, and the overdue one Tuesday morning.
        assert.equal((await reminders.tick(new Date('2026-03-16T08:00:00.000Z'))).filter((r) => r.kind === 'before-2').length, 2);
        assert.deepEqual(await reminders.tick(new Date('2026-03-16T16:59:59.000Z')), [], 'still in time on the due day (Stockholm)');
        const overdue = await reminders.tick(new Date('2026-03-17T08:00:00.000Z'));
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
      assert.ok(late.every((x) => x.clock === 'utredning' && x.kind === 'overdue'), JSON.stringify(late));
      // Re-review #13: the nämnd's chefer get an escalation too, as for the closing clock (both are
      // local policy): Alex, samordnare and chef, gets it instead of the reminder Lee gets.
      assert.deepEqual(late.map((x) => [x.recipient, x.escalation]).sort(), [[ALEX.aadObjectId, true], [LEE.aadObjectId, false]]);
    });
  });
});
