/**
 * The status summary on seeded data in a real SQLite file, through the same service the chat
 * command uses: every number on the card is checked against data whose answer is worked out by
 * hand below (counts per state, period boundaries, week numbers, clocks, reviews, failed deliveries).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CardRenderer, type AdaptiveCard } from '../../src/cards/render';
import { statusAnswer } from '../../src/cards/status-cards';
import { toRecord } from '../../src/casework/import';
import type { CaseworkItemInput } from '../../src/casework/csv';
import { createLogger } from '../../src/log/logger';
import { deliverAll, RecordingSender } from '../support/outbox-drain';
import { Directory } from '../../src/org/directory';
import { loadOrganisationFile } from '../../src/org/load';
import { calendarDayIn, clockStatus, DEFAULT_CLOCK_RULES, runningClock, runningClockDue } from '../../src/cases/clocks';
import { compareDeadlines, lexSarahWeight, type DeadlineWeight } from '../../src/cases/deadline-rank';
import { WorkingCalendar } from '../../src/review/calendar';
import { ReviewReminders } from '../../src/review/reminders';
import { ReviewService } from '../../src/review/service';
import { StatusService, type StatusResult } from '../../src/status/service';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';
import type { NewReport } from '../../src/reports/report';

const ORG = loadOrganisationFile(path.join(__dirname, '..', '..', 'env', 'organisation.demo.yaml'));
const ALEX = { entraId: '00000000-0000-0000-0000-0000000000020', name: 'Alex Wilber' };
const MEGAN = { entraId: '00000000-0000-0000-0000-0000000000021', name: 'Megan Bowen' };
const ADELE = { entraId: '00000000-0000-0000-0000-0000000000022', name: 'Adele Vance' };
const LEE = { entraId: '00000000-0000-0000-0000-0000000000023', name: 'Lee Gu' };
const NESTOR = { entraId: '00000000-0000-0000-0000-0000000000024', name: 'Nestor Wilke' };
const TZ = 'Europe/Stockholm';
/** Wednesday of ISO week 48, 11:00 in Stockholm. "Denna vecka" runs from Monday 00:00 (22 Nov 23:00Z). */
const NOW = new Date('2026-11-25T10:00:00.000Z');

/** What the chat command answers: a card, or a message. */
type StatusReply = { kind: 'card'; card: AdaptiveCard } | { kind: 'text'; text: string };

/** TextBlock texts, and FactSet facts as "title: value", in card order. */
function lines(card: AdaptiveCard): string[] {
  const out: string[] = [];
  const walk = (el: unknown): void => {
    if (Array.isArray(el)) return el.forEach(walk);
    if (!el || typeof el !== 'object') return;
    const o = el as Record<string, unknown>;
    if (o.type === 'TextBlock' && typeof o.text === 'string') out.push(o.text);
    if (o.type === 'FactSet') for (const f of o.facts as { title: string; value: string }[]) out.push(`${f.title}: ${f.value}`);
    for (const [k, v] of Object.entries(o)) if (k !== 'facts') walk(v);
  };
  walk(card.body);
  return out;
}

/** The lines between a heading and the next heading (exclusive). */
function section(all: string[], heading: string, next: string): string[] {
  const a = all.indexOf(heading);
  const b = all.indexOf(next, a + 1);
  assert.ok(a >= 0 && b > a, `sections "${heading}" … "${next}" in:\n${all.join('\n')}`);
  return all.slice(a + 1, b);
}

describe('status summary on seeded data (real SQLite)', function () {
  this.timeout(20_000);
  let dir: string;
  let store: SqliteStore;
  let service: StatusService;
  const directory = new Directory(ORG);
  const calendar = new WorkingCalendar();
  const logger = createLogger('silent');
  const cards = new CardRenderer();
  // Försörjningsstöd reviews on Thursdays: on Wednesday its review of the week is not due yet.
  const scheduleFor = (unitId: string) => (unitId === 'ekonomiskt-bistand' ? { weekday: 4 as const, time: '09:00' } : unitId === 'vuxenenheten' ? { weekday: 2 as const, time: '13:00' } : undefined);

  let seq = 0;
  async function report(unitId: string, createdAt: string, committeeId = 'socialnamnden', urgent = false) {
    const r: NewReport = {
      formId: `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`,
      year: 2026, unitId, committeeId, reporterEntraId: MEGAN.entraId, reporterName: MEGAN.name,
      occurredAt: new Date(createdAt), occurredTimeKnown: false, noticedAt: new Date(createdAt), noticedTimeKnown: false,
      location: 'Hemlig plats', category: 'insatser', whatHappened: 'HEMLIG FRITEXT', consequences: 'HEMLIG FRITEXT', immediateActions: '',
      informed: 'ja', risks: { hurt: 'nej', ongoing: 'nej', vulnerable: 'ja', crime: 'nej', before: 'nej' }, urgent, createdAt: new Date(createdAt),
    };
    return (await store.reports.create(r, { actorEntraId: MEGAN.entraId, action: 'report.create', entityType: 'report' })).report;
  }
  const guard = (r: { id: number; reference: string }, from: 'rapporterad' | 'under-utredning' | 'bedomd' | 'anmald', to: typeof from | 'avslutad', at: string) => ({
    reportId: r.id, reference: r.reference, from, to, actor: ALEX, at: new Date(at),
  });
  const decision = (requiresAnmalan: boolean) => ({ answersJson: '{}', recommendedOutcome: 'x', recommendationJson: '{}', decidedOutcome: 'x', requiresAnmalan });
  // The service returns results; the bot renders them with statusAnswer, as here.
  const ask = async (who: { entraId: string; name: string }, args = ''): Promise<StatusReply> => {
    const answer = statusAnswer(cards, await service.ask(who, args));
    return typeof answer === 'string' ? { kind: 'text', text: answer } : { kind: 'card', card: answer };
  };
  const show = async (who: { entraId: string; name: string }, data: unknown): Promise<AdaptiveCard | string> => statusAnswer(cards, await service.show(who, data));
  const cardOf = async (who: { entraId: string; name: string }, args = '') => {
    const reply = await ask(who, args);
    assert.equal(reply.kind, 'card', reply.kind === 'text' ? reply.text : '');
    return (reply as { card: AdaptiveCard }).card;
  };

  before(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'lexsarah-status-'));
    store = SqliteStore.open({ filename: path.join(dir, 'db.sqlite') });
    await store.migrate();
    await store.organisation.sync(ORG, new Date('2026-11-01T00:00:00Z'));
    const deps = { store, directory: () => directory, cards, logger, timeZone: TZ, warnDays: 7, calendar, scheduleFor };
    service = new StatusService({ ...deps, now: () => NOW });

    // --- Lex Sarah (socialnämnden unless noted) ---------------------------------------------
    await report('bou-mottagning', '2026-11-23T08:00:00.000Z'); // R1: new this week, rapporterad
    const r2 = await report('bou-mottagning', '2026-11-22T22:59:59.000Z'); // R2: Sunday 23:59 local = week 47
    await store.cases.startInvestigation(guard(r2, 'rapporterad', 'under-utredning', '2026-11-23T09:00:00.000Z'), ALEX);
    const r3 = await report('bou-familjehem', '2026-11-01T10:00:00.000Z'); // R3: anmälan due 19 Nov: overdue 6 days
    await store.cases.recordDecision(guard(r3, 'rapporterad', 'bedomd', '2026-11-05T10:00:00.000Z'), decision(true));
    const r4 = await report('vuxenenheten', '2026-11-15T10:00:00.000Z'); // R4: anmälan due 4 Dec: in time (9 days)
    await store.cases.recordDecision(guard(r4, 'rapporterad', 'bedomd', '2026-11-20T10:00:00.000Z'), decision(true));
    const r5 = await report('vuxenenheten', '2026-11-14T10:00:00.000Z'); // R5: anmälan due 28 Nov: approaching (3 days)
    await store.cases.recordDecision(guard(r5, 'rapporterad', 'bedomd', '2026-11-14T10:00:00.000Z'), decision(true));
    const r6 = await report('bou-mottagning', '2026-08-01T10:00:00.000Z'); // R6: filed 20 Sep, investigation due 20 Nov: overdue 5 days
    await store.cases.recordDecision(guard(r6, 'rapporterad', 'bedomd', '2026-08-02T10:00:00.000Z'), decision(true));
    await store.cases.recordFiling(guard(r6, 'bedomd', 'anmald', '2026-09-20T10:00:00.000Z'), { filedOn: '2026-09-20', ivoDiarienummer: 'd6', investigationAttached: false });
    const r7 = await report('bou-mottagning', '2026-10-01T10:00:00.000Z'); // R7: filed this week with the investigation attached
    await store.cases.recordDecision(guard(r7, 'rapporterad', 'bedomd', '2026-10-02T10:00:00.000Z'), decision(true));
    await store.cases.recordFiling(guard(r7, 'bedomd', 'anmald', '2026-11-24T10:00:00.000Z'), { filedOn: '2026-11-24', ivoDiarienummer: 'd7', investigationAttached: true });
    const r8 = await report('ekonomiskt-bistand', '2026-11-24T10:00:00.000Z'); // R8: new this week and already closed
    await store.cases.recordDecision(guard(r8, 'rapporterad', 'bedomd', '2026-11-24T11:00:00.000Z'), decision(false));
    await store.cases.close(guard(r8, 'bedomd', 'avslutad', '2026-11-24T12:00:00.000Z'), { decisionText: 'x', motivation: 'y' });
    await report('solgarden', '2026-11-24T10:00:00.000Z', 'vard-och-omsorg'); // R9: the other nämnd (assessment due Fri 27 Nov: in time)
    // R10: BRÅDSKANDE, received Friday 20 Nov and never assessed: the local policy (1 working day)
    // made it due Monday 23 Nov, so it is 2 days overdue. (R1: due Thu 26 Nov and R2, received on
    // Sunday: due Wed 25 Nov, are approaching on their 3 working days.)
    await report('bou-familjehem', '2026-11-20T09:00:00.000Z', 'socialnamnden', true);

    // --- Casework (today 25 Nov, approaching through 2 Dec) ------------------------------------
    const items: Partial<CaseworkItemInput>[] = [
      { caseReference: 'C1', type: 'forhandsbedomning', unitId: 'bou-mottagning', orosanmalanMottagen: '2026-11-01' }, // due 15 Nov: overdue
      { caseReference: 'C2', type: 'forhandsbedomning', unitId: 'bou-mottagning', orosanmalanMottagen: '2026-11-15' }, // due 29 Nov: approaching
      { caseReference: 'C3', type: 'forhandsbedomning', unitId: 'bou-familjehem', orosanmalanMottagen: '2026-11-20' }, // due 4 Dec: in time
      { caseReference: 'C4', type: 'barnavardsutredning', unitId: 'vuxenenheten', utredningInledd: '2026-07-20' }, // due 20 Nov: overdue
      { caseReference: 'C5', type: 'forhandsbedomning', unitId: 'solgarden', orosanmalanMottagen: '2026-11-01' }, // other nämnd
      { caseReference: 'C6', type: 'ej-verkstallt-beslut', unitId: 'bou-mottagning', beslutsdatum: '2026-01-01', verkstalltDatum: '2026-11-20', verkstalltAnmaltIvo: '2026-11-20' }, // carried out and IVO told: stopped
      // Reopened, counted from its first opening: due 2026-12-21, in time.
      { caseReference: 'C7', type: 'barnavardsutredning', unitId: 'vuxenenheten', utredningInledd: '2026-11-10', forstaInledd: '2026-08-20', aterOppnad: true },
    ];
    await store.casework.importItems(
      'procapita',
      items.map((i) => toRecord({ source: 'procapita', line: 0, status: 'oppen', ...i } as CaseworkItemInput, TZ)),
      { closeMissing: false, at: NOW, actor: 'test' },
    );

    // --- Weekly reviews ------------------------------------------------------------------------
    const done = (unitId: string, weekKey: string) => store.cases.recordReview({ unitId, weekKey, doneBy: ALEX, doneAt: NOW });
    await done('bou-mottagning', '2026-W48');
    await done('bou-mottagning', '2026-W47');
    await done('bou-mottagning', '2026-W46');
    await done('bou-familjehem', '2026-W44');
    await done('bou-familjehem', '2026-W43'); // five weeks back: not counted

    // --- Reminders that cannot reach Adele (she never opened the app) ------------------------
    const reminders = new ReviewReminders({ ...deps, reviews: new ReviewService({ ...deps, now: () => NOW }), escalationWorkingDays: 3 });
    const sender = new RecordingSender();
    sender.unreachable.add(ADELE.entraId);
    const at = (iso: string) => ({ recordedAt: () => new Date(iso) });
    await reminders.tick(new Date('2026-11-20T10:00:00.000Z')); // sets when reminders started
    await reminders.tick(new Date('2026-11-23T08:00:00.000Z')); // Monday 09:00: first reminder for bou-familjehem fails
    await deliverAll(store, sender, at('2026-11-23T08:00:00.000Z'));
    await reminders.tick(new Date('2026-11-25T09:00:00.000Z')); // Wednesday 10:00: past the second reminder's 09:00, it fails too
    await deliverAll(store, sender, at('2026-11-25T09:00:00.000Z'));
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the manager of Socialnämnden gets every number right for "denna vecka"', async () => {
    const card = await cardOf(ALEX);
    const all = lines(card);
    assert.equal(all[0], 'Lägesbild – Socialnämnden');
    assert.equal(all[1], 'Denna vecka (23 nov. 2026 – 25 nov. 2026)');
    // Headline: overdue = R3 + R6 + R10 + C1 + C4; approaching = R1 + R2 + R5 + C2; new = R1 + R8; open = R1–R7 + R10.
    assert.deepEqual(all.slice(3, 11), ['5', 'försenat', '4', 'närmar sig', '2', 'nya rapporter', '8', 'öppna lex Sarah']);
    assert.deepEqual(section(all, 'Lex Sarah', 'Tidsfrister i verksamhetssystemet'), [
      'Nya rapporter under perioden: 2',
      'Öppna ärenden: 8 (rapporterade 2, under utredning 1, bedömda 3, anmälda 2)',
      'Väntar på bedömning: 3, varav 1 efter den lokala fristen',
      'Anmälan till IVO att göra: 3, varav 1 försenad',
      'Anmälda till IVO under perioden: 1',
      'Utredningen till IVO efter anmälan: 1 väntar, varav 1 efter den lokala fristen (praxis, ej lag)',
      // R7: the investigation reached IVO with the anmälan on 24 Nov, so it is to be closed by 24 Dec (local policy).
      'Att avsluta: 1, varav 0 efter den lokala fristen (lokal rutin, ej lag)',
      'Ärenden med tidsfrist som passerats eller närmar sig:',
      // Overdue by law first (the anmälan, the BRÅDSKANDE assessment), then by local policy (the investigation to IVO).
      'LS-2026-0003 – anmälan till IVO, 6 dagar sedan',
      'LS-2026-0010 – bedömningen (lokal rutin), 2 dagar sedan',
      'LS-2026-0006 – utredningen till IVO, 5 dagar sedan',
      'LS-2026-0002 – bedömningen (lokal rutin), senast i dag',
      'LS-2026-0001 – bedömningen (lokal rutin), om 1 dag',
      'LS-2026-0005 – anmälan till IVO, om 3 dagar',
    ]);
    assert.deepEqual(section(all, 'Tidsfrister i verksamhetssystemet', 'Veckogenomgångar v.48'), [
      // Each clock names its legal basis in force today; reopened investigations are counted.
      '2 försenade, 1 närmar sig, 1 återöppnad utredning',
      'Förhandsbedömning efter orosanmälan (SoL 20 kap. 2 §): 1 försenad, 1 närmar sig',
      'Barnavårdsutredning (SoL 20 kap. 3 §): 1 försenad, 0 närmar sig',
    ]);
    assert.deepEqual(section(all, 'Veckogenomgångar v.48', 'Per enhet'), [
      'v.48: klar 1, inte klar 2, inte dags än 1 (av 4 enheter)',
      // Reminders started on Friday of week 47, after its reviews fell due: mottagning counts
      // from its first review (week 46), familjehem from week 44, the others from week 48.
      'v.44–47: 3 av 6 gjorda (veckor före starten räknas inte)',
      'Före starten: Veckor innan påminnelserna började och innan enhetens första genomgång räknas inte.',
    ]);
    assert.deepEqual(section(all, 'Per enhet', 'Kunde inte nås').slice(1), [
      'Barn och unga – mottagning och utredning', 'v.48: klar · v.46–47: 2 av 2 veckor sedan starten', '2', '3',
      'Försenat 2 · närmar sig 3 · öppna lex Sarah 4 · nya 1',
      'Familjehemsenheten', 'v.48: inte klar · v.44–47: 1/4', '2', ' ',
      'Försenat 2 · närmar sig 0 · öppna lex Sarah 2 · nya 0 · 1 obedömd rapport efter fristen',
      'Vuxenenheten', 'v.48: inte klar', '1', '1', ' ',
      'Försenat 1 · närmar sig 1 · öppna lex Sarah 2 · nya 0',
      'Försörjningsstöd', 'v.48: inte dags än',
      'Försenat 0 · närmar sig 0 · öppna lex Sarah 0 · nya 1',
    ]);
    const unreachable = section(all, 'Kunde inte nås', 'Lägesbilden visar bara antal och ärendenummer, aldrig text ur rapporterna.');
    assert.deepEqual(unreachable, ['Adele Vance: 2 utskick nådde inte fram, senast 25 nov. 10:00 (har inte appen)']);
    assert.ok(!JSON.stringify(card).includes('HEMLIG'), 'no free text from the reports');
  });

  it('draws each unit\'s bar as shares of the unit with the most, and offers a drill-down per unit', async () => {
    const card = await cardOf(ALEX);
    const units = (card.body as { $data?: unknown; items?: { type: string; columns?: { width: string; style: string }[]; actions?: { verb: string; data: Record<string, unknown> }[] }[] }[]).filter(
      (el) => el.items?.some((i) => i.type === 'ActionSet'),
    );
    assert.equal(units.length, 4);
    const bars = units.map((u) => u.items!.filter((i) => i.type === 'ColumnSet')[1]?.columns?.map((c) => `${c.style}:${c.width}`) ?? []);
    // The largest unit has 5 (2 overdue + 3 approaching): it fills the bar.
    assert.deepEqual(bars, [['attention:40', 'warning:60'], ['attention:40', 'default:60'], ['attention:20', 'warning:20', 'default:60'], []]);
    const drill = units[2]!.items!.find((i) => i.type === 'ActionSet')!.actions![0]!;
    assert.equal(drill.verb, 'status.show');
    assert.deepEqual({ ...drill.data }, { from: '2026-11-22T23:00:00.000Z', to: NOW.toISOString(), label: 'denna vecka', live: true, kind: 'unit', id: 'vuxenenheten', back: { kind: 'committee', id: 'socialnamnden' } });
  });

  it('drilling into a unit shows that unit alone, for the same period, with a way back', async () => {
    const card = await show(ALEX, { from: '2026-11-22T23:00:00.000Z', to: NOW.toISOString(), label: 'denna vecka', live: true, kind: 'unit', id: 'vuxenenheten', back: { kind: 'committee', id: 'socialnamnden' } });
    assert.notEqual(typeof card, 'string');
    const all = lines(card as AdaptiveCard);
    assert.equal(all[0], 'Lägesbild – Vuxenenheten');
    assert.deepEqual(all.slice(3, 11), ['1', 'försenat', '1', 'närmar sig', '0', 'nya rapporter', '2', 'öppna lex Sarah']);
    assert.ok(all.includes('Anmälan till IVO att göra: 2, varav 0 försenade'));
    assert.ok(all.includes('v.48: klar 0, inte klar 1, inte dags än 0 (av 1 enhet)'));
    const actions = (card as AdaptiveCard).actions as { verb: string; data: { kind: string; id: string } }[];
    assert.deepEqual(actions.map((a) => [a.verb, a.data.kind, a.data.id]), [['status.show', 'committee', 'socialnamnden']]);
    // Back to the nämnd.
    const back = await show(ALEX, { ...actions[0]!.data, from: '2026-11-22T23:00:00.000Z', to: NOW.toISOString(), label: 'denna vecka', live: true });
    assert.equal(lines(back as AdaptiveCard)[0], 'Lägesbild – Socialnämnden');
  });

  it('"status vecka 47" counts that week: its new reports, filings and reviews', async () => {
    const all = lines(await cardOf(ALEX, 'vecka 47'));
    assert.equal(all[1], 'Vecka 47 2026 (16 nov. 2026 – 22 nov. 2026)');
    assert.ok(all.includes('Nya rapporter under perioden: 2'), 'R2, created Sunday 23:59 local time, and R10 on Friday');
    assert.ok(all.includes('Anmälda till IVO under perioden: 0'));
    // Open cases and clocks are as of now, whatever the period.
    assert.ok(all.includes('Öppna ärenden: 8 (rapporterade 2, under utredning 1, bedömda 3, anmälda 2)'));
    // Week 47 fell due before the reminders started: only the units that had begun their reviews count it.
    assert.deepEqual(section(all, 'Veckogenomgångar v.47', 'Per enhet'), [
      'v.47: klar 1, inte klar 1, inte dags än 0, före starten 2 (av 4 enheter)',
      'v.43–46: 3 av 5 gjorda (veckor före starten räknas inte)',
      'Före starten: Veckor innan påminnelserna började och innan enhetens första genomgång räknas inte.',
    ]);
    assert.ok(all.includes('Alla påminnelser och underrättelser under perioden nådde fram.'), 'the failures were in week 48');
  });

  it('"status senaste 30 dagarna för barn och unga mottagning" narrows to the unit and widens the period', async () => {
    const all = lines(await cardOf(ALEX, 'senaste 30 dagarna för barn och unga mottagning'));
    assert.equal(all[0], 'Lägesbild – Barn och unga – mottagning och utredning');
    assert.equal(all[1], 'Senaste 30 dagarna (26 okt. 2026 – 25 nov. 2026)');
    assert.ok(all.includes('Nya rapporter under perioden: 2'), 'R1 and R2');
    assert.ok(all.includes('Anmälda till IVO under perioden: 1'), 'R7 (R6 was filed in September)');
  });

  it('a nämnd outside the asker\'s scope is refused politely, naming what they can see', async () => {
    const reply = await ask(ALEX, 'för vård och omsorgsnämnden');
    assert.deepEqual(reply, { kind: 'text', text: 'Du kan inte se lägesbilden för Vård- och omsorgsnämnden. Du kan se lägesbilden för Socialnämnden: skriv "status".' });
    assert.deepEqual((await store.audit.list({ actorEntraId: ALEX.entraId })).filter((e) => e.action === 'status.view-denied').map((e) => e.entityRef), ['vard-och-omsorg']);
  });

  it('the access matrix: chef → nämnd, samordnare → nämnder, enhetschef → units, medarbetare → polite answer', async () => {
    assert.equal(lines(await cardOf(NESTOR))[0], 'Lägesbild – Vård- och omsorgsnämnden');
    assert.ok(lines(await cardOf(NESTOR)).includes('Nya rapporter under perioden: 1'), 'R9 only');
    assert.equal(lines(await cardOf(LEE))[0], 'Lägesbild – Socialnämnden, Vård- och omsorgsnämnden');
    assert.ok(lines(await cardOf(LEE)).includes('Nya rapporter under perioden: 3'), 'R1, R8 and R9');
    const adele = lines(await cardOf(ADELE));
    assert.equal(adele[0], 'Lägesbild – Barn och unga – mottagning och utredning, Familjehemsenheten');
    assert.ok(adele.includes('Öppna ärenden: 6 (rapporterade 2, under utredning 1, bedömda 1, anmälda 2)'));
    assert.deepEqual((await ask(ADELE, 'för vuxenenheten')).kind, 'text');
    const megan = await ask(MEGAN);
    assert.equal(megan.kind, 'text');
    assert.match((megan as { text: string }).text, /mina rapporter/);
    assert.equal(typeof (await show(MEGAN, { from: '2026-11-22T23:00:00.000Z', to: NOW.toISOString(), label: 'x', live: true, kind: 'unit', id: 'bou-mottagning' })), 'string');
    assert.equal(typeof (await show(ADELE, { from: '2026-11-22T23:00:00.000Z', to: NOW.toISOString(), label: 'x', live: true, kind: 'unit', id: 'vuxenenheten' })), 'string');
  });

  it('an unclear question gets suggestions as buttons that send a working command', async () => {
    const reply = await ask(ALEX, 'för vuxenenhetn vecka 60');
    assert.equal(reply.kind, 'card');
    const card = (reply as { card: AdaptiveCard }).card;
    const actions = card.actions as { data: { command: string } }[];
    assert.ok(actions.length > 0);
    for (const a of actions) assert.match(a.data.command, /^status /);
  });

  it('asks the store to count never-"i tid" casework types (ej verkställt beslut) as approaching from day one, as the review shows them', async () => {
    const units = directory.allUnits().filter((u) => u.committeeId === 'socialnamnden');
    const counts = store.status.counts.bind(store.status);
    let asked: Parameters<typeof counts>[0] | undefined;
    store.status.counts = async (q) => {
      asked = q;
      return counts(q);
    };
    try {
      await service.summary({ kind: 'committee', id: 'socialnamnden', title: 'Socialnämnden', units }, { from: new Date('2026-11-22T23:00:00.000Z'), to: NOW, label: 'denna vecka' });
    } finally {
      store.status.counts = counts;
    }
    assert.deepEqual(asked?.urgentTypes, ['skyddsbedomning', 'ej-verkstallt-beslut']);
  });

  it('returns view models, not cards: a summary, a question with its suggestions, or a refusal', async () => {
    const summary = await service.ask(ALEX, '');
    assert.equal(summary.kind, 'summary');
    const view = (summary as Extract<StatusResult, { kind: 'summary' }>).view;
    assert.equal(view.scope.id, 'socialnamnden');
    assert.equal(view.period.label, 'denna vecka');
    assert.equal(view.live, true);
    assert.equal(view.summary.totals.overdue, 5);
    const question = await service.ask(ALEX, 'för vuxenenhetn vecka 60');
    assert.equal(question.kind, 'question');
    assert.ok((question as Extract<StatusResult, { kind: 'question' }>).suggestions.every((x) => typeof x === 'string' && x.startsWith('status ')));
    assert.equal((await service.ask(MEGAN, '')).kind, 'refused');
    const drill = await service.show(ALEX, { from: '2026-11-22T23:00:00.000Z', to: NOW.toISOString(), label: 'denna vecka', live: true, kind: 'unit', id: 'vuxenenheten', back: { kind: 'committee', id: 'socialnamnden' } });
    assert.deepEqual(drill.kind === 'summary' ? [drill.view.scope.id, drill.view.back] : drill, ['vuxenenheten', { kind: 'committee', id: 'socialnamnden' }]);
    for (const r of [summary, question, drill]) assert.ok(!JSON.stringify(r).includes('AdaptiveCard'), 'no card in a result');
  });

  it('a tampered button is refused without a summary', async () => {
    assert.match(String(await show(ALEX, { kind: 'unit', id: 'vuxenenheten' })), /Knappen saknar uppgifter/);
    assert.match(String(await show(ALEX, { from: 'x', to: 'y', label: 'l', live: false, kind: 'unit', id: 'vuxenenheten' })), /Knappen saknar uppgifter/);
  });

  it('counts every lex Sarah clock as the case card computes it: by instant, with the same rules and calendar', async () => {
    const units = directory.allUnits().filter((u) => u.committeeId === 'socialnamnden');
    const summary = await service.summary(
      { kind: 'committee', id: 'socialnamnden', title: 'Socialnämnden', units },
      { from: new Date('2026-11-22T23:00:00.000Z'), to: NOW, label: 'denna vecka' },
    );
    const expected: { reference: string; clock: string; state: 'forsenad' | 'narmar-sig'; daysLeft: number; weight: DeadlineWeight; due: string }[] = [];
    for (const c of await store.cases.listOpenCases(units.map((u) => u.id))) {
      const run = runningClock(c);
      if (!run) continue;
      const due = runningClockDue(run, calendar, DEFAULT_CLOCK_RULES, TZ);
      const st = clockStatus(due, NOW, DEFAULT_CLOCK_RULES, TZ, run.clock);
      if (st.state !== 'i-tid') expected.push({ reference: c.reference, clock: run.clock, state: st.state, daysLeft: st.daysLeft, weight: lexSarahWeight(run), due: calendarDayIn(TZ)(due) });
    }
    assert.deepEqual(
      summary.lateCases.map((c) => ({ reference: c.reference, clock: c.clock, state: c.state, daysLeft: c.daysLeft, weight: c.weight, due: c.due })),
      expected.sort((a, b) => compareDeadlines({ ...a, urgency: a.state }, { ...b, urgency: b.state }) || a.reference.localeCompare(b.reference)),
    );
    assert.equal(summary.totals.assessmentsOverdue, expected.filter((e) => e.clock === 'bedomning' && e.state === 'forsenad').length);
    assert.equal(summary.totals.assessmentsOverdue, 1, 'R10, the unassessed BRÅDSKANDE report');
  });
  // Last in this file: it adds alerts to the shared register.
  it('counts the scope\'s pattern alerts: fired in the period, and those waiting for a decision (a unit\'s own only on its card)', async () => {
    const fire = async (over: Record<string, unknown>) =>
      (await store.patterns.fire(
        { rule: 'enhet-rapporter', scopeKey: 'enhet:bou-mottagning', period: '2026-11-24', committeeId: 'socialnamnden', unitId: 'bou-mottagning', count: 3, references: ['LS-2026-0001'], firedAt: new Date('2026-11-24T09:00:00Z'), ...over },
        '2000-01-01', () => [], { actorEntraId: 'system', action: 'pattern.fire', entityType: 'pattern-alert' },
      ))!;
    await fire({});
    await fire({ rule: 'kategori-rapporter', scopeKey: 'kategori:socialnamnden:bemotande', unitId: undefined, category: 'bemotande', period: '2026-11-23', firedAt: new Date('2026-11-23T09:00:00Z') });
    const old = await fire({ rule: 'hant-forut', period: '2026-10-01', firedAt: new Date('2026-10-01T09:00:00Z') }); // before the period, decided
    await store.patterns.decide(old.id, { outcome: 'analys-paborjad', motivation: 'En analys har startats.', decidedByEntraId: ALEX.entraId, decidedByName: ALEX.name, decidedAt: new Date('2026-10-02T09:00:00Z') }, { actorEntraId: ALEX.entraId, action: 'pattern.decide', entityType: 'pattern-alert' });
    await fire({ rule: 'missade-genomgangar', scopeKey: 'enhet:vuxenenheten', unitId: 'vuxenenheten', period: '2026-W46', firedAt: new Date('2026-11-16T09:00:00Z') }); // before the period, undecided
    const nämnd = lines(await cardOf(ALEX));
    assert.deepEqual(nämnd.filter((l) => l.startsWith('Signaler om mönster')), ['Signaler om mönster: 2 under perioden; 3 väntar på ställningstagande']);
    const unit = lines(await cardOf(ALEX, 'för vuxenenheten'));
    assert.deepEqual(unit.filter((l) => l.startsWith('Signaler om mönster')), ['Signaler om mönster: 0 under perioden; 1 väntar på ställningstagande']);
    const quiet = lines(await cardOf(ALEX, 'för barn och unga familjehem'));
    assert.deepEqual(quiet.filter((l) => l.startsWith('Signaler om mönster')), [], 'no line when the scope has none');
  });
});
