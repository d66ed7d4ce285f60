/**
 * The case service on a real SQLite file, through the one route the transport layer uses
 * (cases/steps.ts): load and authorise, the steps' transitions, refusals, invalid forms coming
 * back with what was typed, and a guarded write that lost a race. Each result's kind is checked,
 * and its card read the way a user sees it (written before the move to results, against the
 * cards the old service returned; the texts are unchanged).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { CardRenderer, MAX_CARD_BYTES, type AdaptiveCard } from '../../src/cards/render';
import { caseAnswer, recommendationCard } from '../../src/cards/case-cards';
import { decisionProblem, IMPACTS, OUTCOMES, parseAssessmentAnswers, recommend, RISK_CLARITIES, SEVERITIES, type AssessmentAnswers } from '../../src/assessment/rules';
import type { CaseResult } from '../../src/cases/case-views';
import { caseSteps, runCaseStep, type CaseSteps } from '../../src/cases/steps';
import { createLogger } from '../../src/log/logger';
import { Directory } from '../../src/org/directory';
import { loadOrganisationFile } from '../../src/org/load';
import { WorkingCalendar } from '../../src/review/calendar';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';

const ORG = loadOrganisationFile(path.join(__dirname, '..', '..', 'env', 'organisation.demo.yaml'));
const person = (entraId: string, name: string) => ({ entraId, name });
const ALEX = person('00000000-0000-0000-0000-0000000000020', 'Alex Wilber'); // samordnare and chef
const MEGAN = person('00000000-0000-0000-0000-0000000000021', 'Megan Bowen'); // the reporter
const ADELE = person('00000000-0000-0000-0000-0000000000022', 'Adele Vance'); // enhetschef
const LEE = person('00000000-0000-0000-0000-0000000000023', 'Lee Gu'); // samordnare
const NESTOR = person('00000000-0000-0000-0000-0000000000024', 'Nestor Wilke'); // another nämnd
/** Wednesday 25 Nov 2026, 11:00 in Stockholm. */
const NOW = new Date('2026-11-25T10:00:00.000Z');
const SERIOUS = { scope: 'ja', impact: 'konsekvenser', severity: 'betydande', riskClarity: 'ej-aktuell', abuse: 'ja', vulnerable: 'ja', repeated: 'nej', severalAffected: 'nej' };

/** What the user sees of an answer: a message, or the card's texts and input values. */
function seen(answer: AdaptiveCard | string): string {
  if (typeof answer === 'string') return answer;
  const out: string[] = [];
  JSON.stringify(answer, (k, v) => {
    if ((k === 'text' || k === 'title' || k === 'value') && typeof v === 'string') out.push(v);
    return v;
  });
  return out.join('\n');
}

describe('case service (real SQLite)', () => {
  let dir: string;
  let store: SqliteStore;
  let steps: CaseSteps;
  let reference: string;
  let last: CaseResult;
  const cards = new CardRenderer();

  const run = async (who: typeof ALEX, verb: string, data: Record<string, unknown> = {}) => {
    last = await runCaseStep(steps, who, verb, { reference, ...data });
    return seen(caseAnswer(cards, last));
  };
  const open = (who = ALEX) => run(who, 'case.show');
  const form = (who: typeof ALEX, verb: string) => run(who, verb);
  const step = (who: typeof ALEX, verb: string, data: Record<string, unknown> = {}) => run(who, verb, data);
  const state = async () => (await store.reports.getByReference(reference))!.state;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'lexsarah-case-service-'));
    store = SqliteStore.open({ filename: path.join(dir, 'db.sqlite') });
    await store.migrate();
    await store.organisation.sync(ORG, new Date('2026-11-01T00:00:00Z'));
    const created = await store.reports.create(
      {
        formId: '00000000-0000-4000-8000-000000000001', year: 2026, unitId: 'bou-mottagning', committeeId: 'socialnamnden',
        reporterEntraId: MEGAN.entraId, reporterName: MEGAN.name, occurredAt: new Date('2026-11-23T09:00:00Z'), occurredTimeKnown: false,
        noticedAt: new Date('2026-11-23T09:00:00Z'), noticedTimeKnown: false, location: 'Mottagningen', category: 'psykiska',
        whatHappened: 'En medarbetare skrek åt ett barn.', consequences: 'Barnet blev rädd.', immediateActions: '', informed: 'nej',
        risks: { hurt: 'nej', ongoing: 'nej', vulnerable: 'ja', crime: 'nej', before: 'nej' }, urgent: true, createdAt: new Date('2026-11-24T09:00:00Z'),
      },
      { actorEntraId: MEGAN.entraId, action: 'report.create', entityType: 'report' },
    );
    reference = created.report.reference;
    const directory = new Directory(ORG);
    steps = caseSteps({ store, directory: () => directory, logger: createLogger('silent'), timeZone: 'Europe/Stockholm', now: () => NOW, calendar: new WorkingCalendar() });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loads the case for those who work it, and refuses others without saying whether it exists', async () => {
    assert.match(await open(ALEX), /Lex Sarah-ärende LS-2026-0001[\s\S]*Rapporterad – väntar på utredning/);
    assert.match(await open(ADELE), /Lex Sarah-ärende/);
    for (const who of [MEGAN, NESTOR]) assert.match(await open(who), /Du kan inte göra det i LS-2026-0001\. Ärendet finns inte, eller så har du inte behörighet\./);
    assert.equal(last.kind, 'refused');
    assert.match(seen(caseAnswer(cards, await runCaseStep(steps, ALEX, 'case.show', { reference: 'LS-2026-9999' }))), /Ärendet finns inte, eller så har du inte behörighet/);
    assert.match(seen(caseAnswer(cards, await runCaseStep(steps, ALEX, 'case.show', { reference: 'nonsens' }))), /Skriv referensen så här/);
    const trail = (await store.audit.list({ entityRef: reference })).map((e) => e.action);
    assert.deepEqual(trail.filter((a) => a === 'case.denied').length, 2);
  });

  it('a step needs its right: an enhetschef investigates but does not decide', async () => {
    assert.match(await form(ADELE, 'case.start-form'), /Starta utredningen/);
    assert.match(await form(ADELE, 'case.assess-form'), /Du kan inte göra det/);
    assert.deepEqual(last, { kind: 'refused', reason: 'Du kan inte göra det i LS-2026-0001. Ärendet finns inte, eller så har du inte behörighet.' });
    assert.match(await step(ADELE, 'case.decide', { answers: JSON.stringify(SERIOUS), outcome: 'allvarligt-missforhallande' }), /Du kan inte göra det/);
    assert.equal(await state(), 'rapporterad');
  });

  it('an unknown verb is an unknown button', async () => {
    assert.match(await form(ALEX, 'case.nonsense-form'), /Den här knappen känner jag inte igen/);
    assert.match(await step(ALEX, 'case.nonsense'), /Den här knappen känner jag inte igen/);
    assert.match(await step(ALEX, 'case.zzz', { utredare: LEE.entraId }), /Den här knappen känner jag inte igen/);
    assert.equal(last.kind, 'refused');
    for (const v of ['toString', '__proto__', 'constructor']) assert.equal((await runCaseStep(steps, ALEX, v, { reference })).kind, 'refused', v);
  });

  it('an invalid form comes back with its errors and what was typed, and nothing is stored', async () => {
    const back = await step(ADELE, 'case.document', { item: 'orsaker', kind: 'fakta', source: '', text: 'Barnet 20121212-1212 blev rädd.' });
    assert.match(back, /Dokumentera utredningen/);
    assert.match(back, /personnummer/);
    assert.match(back, /Barnet \[personnummer borttaget\] blev rädd\./);
    assert.match(back, /Måste fyllas i\./);
    assert.ok(!back.includes('20121212-1212'));
    assert.equal(last.kind, 'invalid');
    if (last.kind === 'invalid') {
      assert.deepEqual(Object.keys(last.errors).sort(), ['source', 'text']);
      assert.equal(last.values.text, 'Barnet [personnummer borttaget] blev rädd.');
    }
    assert.equal((await store.cases.get(1)).entries.length, 0);
    assert.match(await step(ALEX, 'case.start', { utredare: NESTOR.entraId }), /Välj vem som ska utreda/);
    assert.equal(await state(), 'rapporterad');
  });

  it('a transition the state machine refuses comes back with its reason, nothing changed', async () => {
    const refused = await step(ALEX, 'case.close', { decision: 'Klart', motivation: '' });
    assert.match(refused, /Avsluta ärendet/);
    assert.equal(last.kind, 'refused');
    assert.equal(last.kind === 'refused' && last.view?.kind, 'form');
    assert.equal(await state(), 'rapporterad');
  });

  it('a guarded write that lost a race shows the current case and says so', async () => {
    const real = store.cases;
    Object.defineProperty(store, 'cases', { value: Object.assign(Object.create(real) as typeof real, { startInvestigation: async () => false }) });
    const answer = await step(ALEX, 'case.start', { utredare: LEE.entraId });
    assert.match(answer, /Någon annan ändrade ärendet samtidigt\. Se det aktuella läget och försök igen\./);
    assert.match(answer, /Lex Sarah-ärende LS-2026-0001/);
    assert.equal(last.kind, 'stale');
  });

  it('card data of the wrong type reads as not sent, never as text', async () => {
    assert.match(await step(ALEX, 'case.start', { utredare: { entraId: LEE.entraId } }), /Välj vem som ska utreda/);
    assert.equal(last.kind, 'invalid');
    assert.equal((await runCaseStep(steps, ALEX, 'case.show', null)).kind, 'refused');
  });

  it('walks start → assess → decide → draft, each a guarded write with its case event', async () => {
    assert.match(await step(ALEX, 'case.start', { utredare: LEE.entraId }), /Utredningen är startad\. Utredare: Lee Gu\./);
    assert.equal(await state(), 'under-utredning');
    assert.match(await step(ALEX, 'case.assess', SERIOUS), /Rekommendation: Allvarligt missförhållande/);
    assert.match(await step(ALEX, 'case.assess', { ...SERIOUS, abuse: '' }), /Besvara frågan "Övergrepp"/);
    const decided = await step(ALEX, 'case.decide', { answers: JSON.stringify(SERIOUS), outcome: 'allvarligt-missforhallande' });
    assert.match(decided, /Beslut: Allvarligt missförhållande\. Anmälan till IVO ska göras snarast/);
    assert.equal(await state(), 'bedomd');
    assert.equal(last.kind, 'ok');
    const draft = await run(ALEX, 'case.draft');
    assert.equal(last.kind === 'ok' && last.view.kind, 'draft');
    assert.match(draft, /Kontaktperson:\nAlex Wilber, alexw@exempelby\.example/);
    assert.match(draft, /Enligt rapportören .*: Nej/);
    const events = (await store.cases.get(1)).events.map((e) => `${e.fromState}→${e.toState}`);
    assert.deepEqual(events, ['rapporterad→under-utredning', 'under-utredning→bedomd']);
  });

  it('informing: recorded by role and date, shown on the case and in the draft', async () => {
    assert.match(await step(ADELE, 'case.inform', { about: 'utredningen', informed: 'ja', informedOn: '2026-11-25', role: 'den-enskilde' }), /Den enskilde informerades om utredningen 25 nov\. 2026\./);
    await step(ALEX, 'case.decide', { answers: JSON.stringify(SERIOUS), outcome: 'allvarligt-missforhallande' });
    const draft = await run(ALEX, 'case.draft');
    assert.match(draft, /Har den enskilde informerats:\nDen enskilde informerades om utredningen 25 nov\. 2026\./);
  });
  it('a decision that required an anmälan is not taken back without a motivation', async () => {
    await step(ALEX, 'case.decide', { answers: JSON.stringify(SERIOUS), outcome: 'allvarligt-missforhallande', basedOn: '' });
    const first = String((await store.cases.get(1)).decisions.at(-1)!.id);
    // Lee answers differently (outside the scope, no harm) and decides "inte ett missförhållande".
    const mild = { ...SERIOUS, scope: 'nej', impact: 'ingen', severity: 'lindrig', abuse: 'nej', vulnerable: 'nej' };
    const back = await step(LEE, 'case.decide', { answers: JSON.stringify(mild), outcome: 'inte-missforhallande', basedOn: first });
    assert.equal(last.kind, 'invalid');
    assert.match(back, /redan bedömt som allvarligt missförhållande \(Alex Wilber\), vilket kräver anmälan till IVO\. Skriv en motivering/);
    assert.equal((await store.cases.listClockCases()).length, 1, 'the anmälan clock still runs');
    const changed = await step(LEE, 'case.decide', { answers: JSON.stringify(mild), outcome: 'inte-missforhallande', motivation: 'Personen är anställd, inte brukare.', basedOn: first });
    assert.equal(last.kind, 'ok', changed);
  });

  it('a decision on a card older than the case’s own decision is stale and changes nothing', async () => {
    // Alex opened the recommendation before anyone decided; Lee then decided.
    await step(LEE, 'case.decide', { answers: JSON.stringify(SERIOUS), outcome: 'allvarligt-missforhallande', basedOn: '' });
    const answer = await step(ALEX, 'case.decide', { answers: JSON.stringify(SERIOUS), outcome: 'missforhallande-ej-allvarligt', motivation: 'x', basedOn: '' });
    assert.equal(last.kind, 'stale');
    assert.match(answer, /har bedömts på nytt sedan rekommendationen visades/);
    const decisions = (await store.cases.get(1)).decisions;
    assert.deepEqual(decisions.map((d) => [d.decidedOutcome, d.decidedBy.name]), [['allvarligt-missforhallande', 'Lee Gu']]);
    // A card made after Lee's decision carries it, and may change it (with its motivation).
    const rec = await step(ALEX, 'case.assess', SERIOUS);
    assert.match(rec, /Rekommendation/);
    const after = last as CaseResult;
    const basedOn = after.kind === 'ok' && after.view.kind === 'recommendation' ? after.view.basedOn : 'none';
    assert.equal(basedOn, String(decisions[0]!.id));
  });

  it('nothing is added to a closed case', async () => {
    const raw = new Database(path.join(dir, 'db.sqlite'));
    raw.prepare("UPDATE reports SET state = 'avslutad'").run();
    raw.close();
    for (const [verb, data] of [
      ['case.document', { item: 'orsaker', kind: 'fakta', source: 'Intervju', text: 'Efteråt.' }],
      ['case.action', { text: 'Ny rutin', owner: LEE.entraId, dueOn: '2026-12-15' }],
    ] as const) {
      assert.match(await step(ALEX, verb, data), /Ärendet är avslutat\. Anteckningar och åtgärder kan inte läggas till/);
      assert.equal(last.kind, 'refused', verb);
    }
    const details = await store.cases.get(1);
    assert.deepEqual([details.entries.length, details.actions.length], [0, 0]);
  });
  it('an åtgärd is marked genomförd once, by whom and when, audited, also after closing; a double click or another case\'s id marks nothing else (#16)', async () => {
    await step(ADELE, 'case.action', { text: 'Ny rutin för lugna samtal', owner: LEE.entraId, dueOn: '2026-12-15', formId: 'f1' });
    await step(ADELE, 'case.action', { text: 'Utbildning i bemötande', owner: ADELE.entraId, dueOn: '2026-12-01', formId: 'f2' });
    assert.match(await open(), /Åtgärd genomförd/);
    const formText = await form(ADELE, 'case.action-done-form');
    // Due first on top.
    assert.ok(formText.indexOf('Utbildning i bemötande') < formText.indexOf('Ny rutin för lugna samtal'), formText);
    const [rutin, utbildning] = (await store.cases.get(1)).actions;
    // Hostile values: not an id of this case's åtgärder.
    for (const action of ['', 'x', '0', '999', `${rutin!.id} OR 1=1`, '1e3']) {
      assert.match(await step(ADELE, 'case.action-done', { action }), /Välj en av ärendets åtgärder\./, action);
      assert.equal(last.kind, 'invalid', action);
    }
    assert.ok((await store.cases.get(1)).actions.every((a) => !a.doneAt), 'nothing marked');
    // A reporter without the right to investigate is refused.
    await step(MEGAN, 'case.action-done', { action: String(rutin!.id) });
    assert.notEqual(last.kind, 'ok');
    assert.match(await step(ADELE, 'case.action-done', { action: String(rutin!.id) }), /Åtgärden är markerad som genomförd\./);
    assert.match(await step(ADELE, 'case.action-done', { action: String(rutin!.id) }), /Åtgärden var redan markerad som genomförd\./, 'a double click');
    const after = await store.cases.get(1);
    assert.deepEqual(after.actions.map((a) => [a.text, a.doneAt?.toISOString(), a.doneBy?.name]), [
      ['Ny rutin för lugna samtal', NOW.toISOString(), ADELE.name],
      ['Utbildning i bemötande', undefined, undefined],
    ]);
    assert.match(await open(), /genomförd [^\n]*\(Adele Vance\)/);
    const raw = new Database(path.join(dir, 'db.sqlite'));
    assert.deepEqual(raw.prepare("SELECT actor_entra_id AS a, detail FROM audit_log WHERE action = 'case.action-done'").all(), [{ a: ADELE.entraId, detail: `action=${rutin!.id}` }], 'audited once');
    raw.prepare("UPDATE reports SET state = 'avslutad'").run();
    raw.close();
    assert.match(await step(ADELE, 'case.action-done', { action: String(utbildning!.id) }), /Åtgärden är markerad som genomförd\./, 'after closing too');
    assert.doesNotMatch(await open(), /Åtgärd genomförd/, 'nothing left to mark: no button');
  });

  it('the form to mark an åtgärd lists the 40 due first, and fits a card with the longest texts', async () => {
    // The longest name the organisation file allows, for the owner of every åtgärd.
    const longOrg = { ...ORG, people: ORG.people.map((p) => (p.entraId === LEE.entraId ? { ...p, name: 'Å'.repeat(200) } : p)) };
    const longDirectory = new Directory(longOrg);
    steps = caseSteps({ store, directory: () => longDirectory, logger: createLogger('silent'), timeZone: 'Europe/Stockholm', now: () => NOW, calendar: new WorkingCalendar() });
    for (let i = 0; i < 45; i++) {
      await step(ADELE, 'case.action', { text: `${'Å'.repeat(900)} ${i}`, owner: LEE.entraId, dueOn: `2026-12-${String(10 + (i % 19)).padStart(2, '0')}`, formId: `long-${i}` });
    }
    const text = await form(ADELE, 'case.action-done-form');
    assert.match(text, /Visar de 40 av 45 åtgärder som ska vara klara först\./);
    assert.equal(last.kind, 'ok');
    const answer = caseAnswer(cards, last);
    assert.notEqual(typeof answer, 'string', 'a card, not the too-large message');
    assert.ok(Buffer.byteLength(JSON.stringify(answer)) <= MAX_CARD_BYTES);
  });

  it('the IVO draft carries the investigation items IVO asks for: happened before, risk of recurrence, when and how noticed', async () => {
    await step(ADELE, 'case.document', { item: 'hant-tidigare', kind: 'fakta', source: 'Journalen', text: 'En liknande händelse i maj.' });
    await step(ADELE, 'case.document', { item: 'nar-och-hur-uppmarksammat', kind: 'fakta', source: 'Intervju', text: 'En kollega hörde det.' });
    await step(ALEX, 'case.decide', { answers: JSON.stringify(SERIOUS), outcome: 'allvarligt-missforhallande', basedOn: '' });
    const draft = await run(ALEX, 'case.draft');
    assert.match(draft, /Har det hänt tidigare:\nEn liknande händelse i maj\./);
    assert.match(draft, /Risk för upprepning:\nUtredningen pågår\./);
    assert.match(draft, /Var och när:\n[^\n]*uppmärksammades[^\n]*\n+En kollega hörde det\./);
  });
});

/**
 * Review #13 (hostile review of the issue): crafted card values, a re-assessment racing a close,
 * "Ny bedömning" and the anmälan clock, and every way the assessment could still under-grade. On a
 * rapport that itself says nothing serious (insatser, every risk "nej"), unless a test files its own.
 */
describe('case service: review #13', () => {
  let dir: string;
  let store: SqliteStore;
  let steps: CaseSteps;
  let reference: string;
  let last: CaseResult;
  let now: Date;
  const cards = new CardRenderer();
  const directory = new Directory(ORG);
  const NEUTRAL = { scope: 'ja', impact: 'konsekvenser', severity: 'lindrig', riskClarity: 'ej-aktuell', abuse: 'nej', vulnerable: 'nej', repeated: 'nej', severalAffected: 'nej' };
  const GRAVE = { ...NEUTRAL, severity: 'allvarlig', abuse: 'ja' };
  const make = () => caseSteps({ store, directory: () => directory, logger: createLogger('silent'), timeZone: 'Europe/Stockholm', now: () => now, calendar: new WorkingCalendar() });
  const step = async (who: typeof ALEX, verb: string, data: Record<string, unknown> = {}) => {
    last = await runCaseStep(steps, who, verb, { reference, ...data });
    return seen(caseAnswer(cards, last));
  };
  const state = async () => (await store.reports.getByReference(reference))!.state;
  const inForce = async () => String((await store.cases.get((await store.reports.getByReference(reference))!.id)).decisions.at(-1)?.id ?? '');
  const file = async (over: Record<string, unknown>) =>
    (
      await store.reports.create(
        {
          formId: `00000000-0000-4000-8000-${String(Math.floor(Math.random() * 1e12)).padStart(12, '0')}`, year: 2026, unitId: 'bou-mottagning', committeeId: 'socialnamnden',
          reporterEntraId: MEGAN.entraId, reporterName: MEGAN.name, occurredAt: new Date('2026-11-23T09:00:00Z'), occurredTimeKnown: false,
          noticedAt: new Date('2026-11-23T09:00:00Z'), noticedTimeKnown: false, location: 'Mottagningen', category: 'insatser',
          whatHappened: 'Insatsen utfördes inte.', consequences: 'Ingen mat.', immediateActions: '', informed: 'nej',
          risks: { hurt: 'nej', ongoing: 'nej', vulnerable: 'nej', crime: 'nej', before: 'nej' }, urgent: false, createdAt: new Date('2026-11-24T09:00:00Z'),
          ...over,
        },
        { actorEntraId: MEGAN.entraId, action: 'report.create', entityType: 'report' },
      )
    ).report;

  beforeEach(async () => {
    now = new Date('2026-11-25T10:00:00.000Z');
    dir = mkdtempSync(path.join(tmpdir(), 'lexsarah-review13-'));
    store = SqliteStore.open({ filename: path.join(dir, 'db.sqlite') });
    await store.migrate();
    await store.organisation.sync(ORG, new Date('2026-11-01T00:00:00Z'));
    reference = (await file({})).reference;
    steps = make();
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  // [verb, data, the field refused]: keys every object has are no choice of the form.
  const crafted: [string, Record<string, unknown>, string][] = [
    ...['constructor', 'toString', '__proto__', 'hasOwnProperty', 'valueOf'].map((k): [string, Record<string, unknown>, string] => ['case.document', { item: k, kind: 'fakta', source: 'x', text: 'y' }, 'item']),
    ...['toString', 'constructor', '__proto__'].map((k): [string, Record<string, unknown>, string] => ['case.inform', { about: 'utredningen', informed: 'ja', informedOn: '2026-11-25', role: k }, 'role']),
    ['case.inform', { about: 'toString', informed: 'nej', whyNot: 'Nås inte.' }, 'about'],
    ['case.inform', { about: 'utredningen', informed: 'valueOf', whyNot: 'Nås inte.' }, 'informed'],
  ];
  for (const [verb, data, field] of crafted) {
    it(`${verb} refuses ${field} ${JSON.stringify(data[field])} with a Swedish message, and stores nothing`, async () => {
      const answer = await step(ADELE, verb, data);
      assert.equal(last.kind, 'invalid');
      assert.ok(last.kind === 'invalid' && /^Välj /.test(last.errors[field] ?? ''), JSON.stringify(last.kind === 'invalid' ? last.errors : last));
      assert.doesNotMatch(answer, /sparad|registrerad/);
      assert.equal((await store.cases.get(1)).entries.length, 0);
    });
  }

  it('a re-assessment as serious between opening and submitting the close is stale: nothing closed, and it says why', async () => {
    await step(ALEX, 'case.decide', { answers: JSON.stringify({ ...NEUTRAL, impact: 'ingen' }), outcome: 'inte-missforhallande', basedOn: '' });
    assert.equal(await state(), 'bedomd');
    // Lee re-assesses it as serious after Alex's close was checked, before it is written.
    const real = store.cases;
    const racing = Object.assign(Object.create(real) as typeof real, {
      close: async (...args: Parameters<typeof real.close>) => {
        await real.recordDecision(
          { reportId: 1, reference, from: 'bedomd', to: 'bedomd', actor: LEE, at: now },
          { answersJson: JSON.stringify(GRAVE), recommendedOutcome: 'allvarligt-missforhallande', recommendationJson: '{}', decidedOutcome: 'allvarligt-missforhallande', requiresAnmalan: true },
        );
        return real.close(...args);
      },
    });
    Object.defineProperty(store, 'cases', { value: racing });
    const answer = await step(ALEX, 'case.close', { decision: 'Inte ett missförhållande.', motivation: 'Ingen risk för den enskilde.' });
    Object.defineProperty(store, 'cases', { value: real });
    assert.equal(last.kind, 'stale');
    assert.match(answer, /Ärendet har bedömts på nytt under tiden \(allvarligt missförhållande, Lee Gu\)\. Inget sparades\./);
    assert.equal(await state(), 'bedomd');
    assert.equal((await store.cases.get(1)).closing, undefined);
  });

  it('two "Ny bedömning" on the same decision: the second is stale, one decision written', async () => {
    await step(ALEX, 'case.decide', { answers: JSON.stringify(GRAVE), outcome: 'allvarligt-missforhallande', basedOn: '' });
    const basedOn = await inForce();
    const real = store.cases;
    const racing = Object.assign(Object.create(real) as typeof real, {
      recordDecision: async (...args: Parameters<typeof real.recordDecision>) => {
        await real.recordDecision({ ...args[0], actor: LEE }, { ...args[1], decidedOutcome: 'paataglig-risk-allvarligt' });
        return real.recordDecision(...args);
      },
    });
    Object.defineProperty(store, 'cases', { value: racing });
    await step(ALEX, 'case.decide', { answers: JSON.stringify(GRAVE), outcome: 'allvarligt-missforhallande', basedOn });
    Object.defineProperty(store, 'cases', { value: real });
    assert.equal(last.kind, 'stale');
    assert.deepEqual((await store.cases.get(1)).decisions.map((d) => d.decidedBy.name), ['Alex Wilber', 'Lee Gu']);
  });

  it('"Ny bedömning" with the same serious outcome keeps the overdue anmälan clock (it counts from the first serious decision)', async () => {
    await step(ALEX, 'case.decide', { answers: JSON.stringify(GRAVE), outcome: 'allvarligt-missforhallande', basedOn: '' });
    now = new Date('2026-12-20T10:00:00.000Z'); // 25 days on: "snarast" (14 days, local policy) long gone
    steps = make();
    assert.match(await step(ALEX, 'case.show'), /Anmälan till IVO snarast: senast 9 dec\. 2026 \(försenad sedan 11 dagar\)/);
    const redecided = await step(LEE, 'case.decide', { answers: JSON.stringify(GRAVE), outcome: 'allvarligt-missforhallande', basedOn: await inForce() });
    assert.equal(last.kind, 'ok');
    assert.match(redecided, /enligt lokal rutin senast 9 dec\. 2026/);
    assert.match(await step(ALEX, 'case.show'), /Anmälan till IVO snarast: senast 9 dec\. 2026 \(försenad sedan 11 dagar\)/);
    assert.equal((await store.cases.listClockCases())[0]!.anmalanDecidedAt?.toISOString(), '2026-11-25T10:00:00.000Z');
  });

  // The Båstad pattern: decided "inte ett missförhållande" at receipt, the case showed no clock at all.
  it('a decision needing no anmälan shows the closing clock (local policy), red once it has passed, and nothing once closed', async () => {
    await step(ALEX, 'case.decide', { answers: JSON.stringify({ ...NEUTRAL, impact: 'ingen' }), outcome: 'inte-missforhallande', basedOn: '' });
    const fresh = await step(ALEX, 'case.show');
    // Decided 25 Nov 2026, before the closing clock came in (2 Dec 2026): it counts from that day, and the line says so (re-review #13).
    assert.match(fresh, /Ärendet ska avslutas: senast 1 jan\. 2027 \(om 37 dagar\)\. Lokal rutin: utredningen klar och ärendet avslutat inom 30 dagar efter beslutet att ingen anmälan behövs/);
    assert.match(fresh, /anger inget antal dagar\)\. Fristen räknas från 2 december 2026, då den infördes\./);
    assert.ok(seen(caseAnswer(cards, last)).includes('Avsluta ärendet'), 'the button keeps its words');
    now = new Date('2027-01-11T10:00:00.000Z'); // ten days past it
    steps = make();
    const late = caseAnswer(cards, await runCaseStep(steps, ALEX, 'case.show', { reference }));
    assert.match(seen(late), /Ärendet ska avslutas: senast 1 jan\. 2027 \(försenad sedan 10 dagar\)/);
    const line = JSON.stringify(late).match(/\{"type":"TextBlock","text":"Ärendet ska avslutas: senast[^}]*\}/)?.[0] ?? '';
    assert.match(line, /"color":"Attention"/, `red: ${line}`);
    await step(ALEX, 'case.close', { decision: 'Inte ett missförhållande.', motivation: 'Ingen risk för den enskilde.' });
    assert.equal(await state(), 'avslutad');
    assert.doesNotMatch(await step(ALEX, 'case.show'), /Ärendet ska avslutas: senast/);
  });

  // Re-review #13: a serious case without an utredare has seven next steps; the card cut the last
  // ("Information till den enskilde") to fit Teams' six buttons.
  it('a serious case with seven next steps shows every one, none in a row of more than six', async () => {
    await step(ALEX, 'case.decide', { answers: JSON.stringify(GRAVE), outcome: 'allvarligt-missforhallande', basedOn: '' });
    const card = caseAnswer(cards, await runCaseStep(steps, ALEX, 'case.show', { reference })) as unknown as { body: unknown[]; actions: { title: string }[] };
    const rows = [...card.body.filter((b): b is { type: string; actions: { title: string }[] } => (b as { type?: string }).type === 'ActionSet'), { actions: card.actions }]
      .map((r) => r.actions.map((a) => a.title))
      .filter((titles) => !titles.some((t) => /anteckningar/.test(t)));
    const all = rows.flat();
    assert.deepEqual(all, ['Utse utredare', 'Ny bedömning', 'Underlag för IVO-anmälan', 'Registrera anmälan', 'Dokumentera', 'Lägg till åtgärd', 'Information till den enskilde']);
    assert.ok(rows.every((r) => r.length <= 6), JSON.stringify(rows));
    // With an åtgärd not yet done, eight: still every one.
    await step(ALEX, 'case.action', { text: 'Ny rutin', owner: LEE.entraId, dueOn: '2026-12-15' });
    const card8 = caseAnswer(cards, await runCaseStep(steps, ALEX, 'case.show', { reference })) as unknown as { body: unknown[]; actions: { title: string }[] };
    const rows8 = [...card8.body.filter((b): b is { type: string; actions: { title: string }[] } => (b as { type?: string }).type === 'ActionSet'), { actions: card8.actions }]
      .map((r) => r.actions.map((a) => a.title))
      .filter((titles) => !titles.some((t) => /anteckningar/.test(t)));
    assert.equal(rows8.flat().length, 8);
    assert.ok(rows8.flat().includes('Åtgärd genomförd'));
    assert.ok(rows8.every((r) => r.length <= 6), JSON.stringify(rows8));
  });

  // [what, answers, outcome, motivation, the message]: each a decision the review found could be saved unexplained.
  const underGraded: [string, Record<string, string>, string, string, RegExp][] = [
    ['outside the scope, yet a serious abuse', { ...GRAVE, scope: 'nej' }, 'inte-missforhallande', '', /gränsfall: det rör övergrepp/],
    ['an unclear risk of a serious abuse', { ...GRAVE, impact: 'risk', riskClarity: 'oklar' }, 'inte-missforhallande', '', /gränsfall: det rör övergrepp; det som hände eller riskerade att hända bedöms som allvarligt/],
    ['systemic and many affected, a zero-width space as motivation', { ...NEUTRAL, repeated: 'ja', severalAffected: 'ja' }, 'missforhallande-ej-allvarligt', '\u200b', /Motiveringen ska vara skriven text \(minst 3 bokstäver\)/],
    ['taking back a serious decision with an invisible motivation', { ...NEUTRAL, impact: 'ingen' }, 'inte-missforhallande', '\u200b\u200b', /redan bedömt som allvarligt missförhållande/],
  ];
  for (const [what, answers, outcome, motivation, message] of underGraded) {
    it(`cannot be decided unexplained: ${what}`, async () => {
      if (/taking back/.test(what)) await step(ALEX, 'case.decide', { answers: JSON.stringify(GRAVE), outcome: 'allvarligt-missforhallande', basedOn: '' });
      const before = (await store.cases.get(1)).decisions.length;
      const answer = await step(LEE, 'case.decide', { answers: JSON.stringify(answers), outcome, motivation, basedOn: await inForce() });
      assert.equal(last.kind, 'invalid', answer);
      assert.match(answer, message);
      assert.equal((await store.cases.get(1)).decisions.length, before);
      await step(LEE, 'case.decide', { answers: JSON.stringify(answers), outcome, motivation: 'Utredningen visar att det inte gäller den enskilde.', basedOn: await inForce() });
      assert.equal(last.kind, 'ok', 'with a written motivation it is saved');
    });
  }

  it('the recommendation card stays under MAX_CARD_BYTES with the most reasons and gränsfall any answers give, and a full motivation', () => {
    const report = { category: 'fysiska', risks: { hurt: 'ja', ongoing: 'ja', vulnerable: 'ja', crime: 'ja', before: 'ja' } };
    const three = ['ja', 'nej', 'vet-ej'] as const;
    let worst: { answers: AssessmentAnswers; size: number } | undefined;
    for (const scope of three) for (const impact of Object.keys(IMPACTS)) for (const severity of Object.keys(SEVERITIES)) for (const riskClarity of Object.keys(RISK_CLARITIES))
      for (const abuse of three) for (const vulnerable of three) for (const repeated of three) for (const severalAffected of three) {
        const parsed = parseAssessmentAnswers({ scope, impact, severity, riskClarity, abuse, vulnerable, repeated, severalAffected });
        if (!parsed.ok) continue;
        const r = recommend(parsed.answers, NOW, report);
        const size = Buffer.byteLength(JSON.stringify([r.reasons, r.borderline, decisionProblem(r, 'inte-missforhallande', '\u200b')]));
        if (!worst || size > worst.size) worst = { answers: parsed.answers, size };
      }
    const rec = recommend(worst!.answers, NOW, report);
    assert.ok(rec.borderline.length >= 5, rec.borderline.join('; '));
    const card = recommendationCard(cards, {
      kind: 'recommendation', reference: 'LS-2026-99999', outcomeTitle: OUTCOMES[rec.outcome], requiresAnmalan: rec.requiresAnmalan, reasons: rec.reasons, borderline: rec.borderline,
      references: rec.references.map((x) => ({ text: x.text, verified: x.verified })), outcomes: Object.entries(OUTCOMES).map(([value, title]) => ({ value, title })),
      decided: 'inte-missforhallande', motivation: '\\'.repeat(4000), error: 'Välj en bedömning.', motivationError: decisionProblem(rec, 'inte-missforhallande', '\u200b')!,
      answers: JSON.stringify(worst!.answers), basedOn: '2147483647',
    });
    assert.ok(Buffer.byteLength(JSON.stringify(card), 'utf8') < MAX_CARD_BYTES);
  });

  it('answers below the rapport\'s own (a child hit, before, abuse) need a motivation that names them; the case cannot close uninvestigated on them', async () => {
    reference = (await file({ category: 'fysiska', whatHappened: 'Personal slog ett barn.', risks: { hurt: 'ja', ongoing: 'nej', vulnerable: 'ja', crime: 'ja', before: 'ja' }, urgent: true })).reference;
    const answer = await step(ALEX, 'case.decide', { answers: JSON.stringify({ ...NEUTRAL, impact: 'ingen' }), outcome: 'inte-missforhallande', basedOn: '' });
    assert.equal(last.kind, 'invalid');
    for (const named of ['"Hot, konsekvenser eller risk"', '"Övergrepp"', '"Barn eller person i särskilt utsatt läge"', '"Upprepat, systematiskt eller långvarigt"']) assert.ok(answer.includes(`rapporten säger att`) && answer.includes(named), named);
    await step(ALEX, 'case.close', { decision: 'Inget att utreda.', motivation: '.' });
    assert.equal(await state(), 'rapporterad');
    // The recommendation card shows them as gränsfall before anyone decides.
    assert.match(await step(ALEX, 'case.assess', { ...NEUTRAL, impact: 'ingen' }), /rapporten säger att någon kom till skada/i);
  });
});
