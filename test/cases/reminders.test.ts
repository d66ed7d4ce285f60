/**
 * Case reminders as a producer on a real SQLite file: which outbox rows a tick writes. For the
 * anmälan and investigation clocks the cases are given directly (listClockCases), everything else
 * is the real store; the assessment clock of unassessed rapporter runs on real reports throughout.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import { caseEscalationDigestCard, caseReminderCard, DIGEST_CASES_SHOWN, type CaseReminderView } from '../../src/cards/case-reminder-cards';
import { visibleText } from '../../src/cards/plain-text';
import { CardRenderer, MAX_CARD_BYTES } from '../../src/cards/render';
import { DEFAULT_CLOCK_RULES, type ReminderKind, type RunningClock } from '../../src/cases/clocks';
import { CaseReminders, type ReminderSent } from '../../src/cases/reminders';
import { createLogger } from '../../src/log/logger';
import { Directory } from '../../src/org/directory';
import { loadOrganisationFile } from '../../src/org/load';
import type { Organisation } from '../../src/org/schema';
import { WorkingCalendar } from '../../src/review/calendar';
import type { NewReport } from '../../src/reports/report';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';

const ORG = loadOrganisationFile(path.join(__dirname, '..', '..', 'env', 'organisation.demo.yaml'));
type ClockCases = Awaited<ReturnType<SqliteStore['cases']['listClockCases']>>;

describe('case reminders (producer)', () => {
  let dir: string;
  let store: SqliteStore;
  let cases: ClockCases;
  let reminders: CaseReminders;
  let real: SqliteStore['cases'];
  const decided = (at: string): ClockCases[number] => ({
    reportId: 1, reference: 'LS-2026-0001', unitId: 'bou-mottagning', committeeId: 'socialnamnden', state: 'bedomd', anmalanDecidedAt: new Date(at),
  });
  const keys = async () => (await store.outbox.listByEntity('LS-2026-0001')).map((r) => r.key.replace(/\/[^/]+$/, '')).sort();

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'lexsarah-reminders-'));
    store = SqliteStore.open({ filename: path.join(dir, 'db.sqlite') });
    await store.migrate();
    cases = [];
    real = store.cases;
    Object.defineProperty(store, 'cases', { value: Object.assign(Object.create(real) as typeof real, { listClockCases: async () => cases }) });
    const directory = new Directory(ORG);
    reminders = new CaseReminders({ store, directory: () => directory, cards: new CardRenderer(), logger: createLogger('silent'), timeZone: 'Europe/Stockholm' });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('after downtime, one card per person and case: the most urgent reminder due, not every one missed', async () => {
    // Decided 2 March: the anmälan is due 16 March; "7 days before" and "2 days before" both passed by the 15th.
    cases = [decided('2026-03-02T09:00:00Z')];
    const sent = await reminders.tick(new Date('2026-03-15T08:00:00Z'));
    assert.ok(sent.length >= 1);
    assert.deepEqual([...new Set(sent.map((s) => s.kind))], ['before-2']);
    assert.equal(new Set(sent.map((s) => s.recipient)).size, sent.length, 'nobody twice');
    assert.deepEqual(await reminders.tick(new Date('2026-03-15T09:00:00Z')), [], 'and the missed one does not follow later');
  });

  it('"Ny bedömning" that keeps it serious keeps the deadline and its reminders; only a new serious run gets its own (real decisions)', async () => {
    // This test used to say "a new decision (a new deadline) gets its own reminders": the anmälan
    // counted from the newest decision, so re-assessing a late case as serious again gave it a fresh
    // 14 days and fresh reminders, and the overdue anmälan vanished (review #13). "Snarast" counts
    // from the first decision of the unbroken run requiring an anmälan now (both store adapters);
    // only a run ended by a non-serious decision (which needs a motivation) gets a new deadline.
    Object.defineProperty(store, 'cases', { value: real });
    await store.organisation.sync(ORG, new Date('2026-02-01T00:00:00Z'));
    const { report } = await store.reports.create(
      {
        formId: '00000000-0000-4000-8000-000000000001', year: 2026, unitId: 'bou-mottagning', committeeId: 'socialnamnden',
        reporterEntraId: 'x', reporterName: 'X', occurredAt: new Date('2026-03-01T09:00:00Z'), occurredTimeKnown: false,
        noticedAt: new Date('2026-03-01T09:00:00Z'), noticedTimeKnown: false, location: 'x', category: 'insatser', whatHappened: 'x', consequences: 'x',
        immediateActions: '', informed: 'nej', risks: { hurt: 'nej', ongoing: 'nej', vulnerable: 'nej', crime: 'nej', before: 'nej' }, urgent: false, createdAt: new Date('2026-03-01T09:00:00Z'),
      },
      { actorEntraId: 'x', action: 'report.create', entityType: 'report' },
    );
    let from: 'rapporterad' | 'bedomd' = 'rapporterad';
    const decide = async (at: string, requiresAnmalan: boolean) => {
      const outcome = requiresAnmalan ? 'allvarligt-missforhallande' : 'missforhallande-ej-allvarligt';
      assert.ok(await store.cases.recordDecision(
        { reportId: report.id, reference: report.reference, from, to: 'bedomd', actor: { entraId: 'y', name: 'Y' }, at: new Date(at) },
        { answersJson: '{}', recommendedOutcome: outcome, recommendationJson: '{}', decidedOutcome: outcome, requiresAnmalan },
      ));
      from = 'bedomd';
    };
    const kinds = (sent: ReminderSent[]) => [...new Set(sent.map((x) => x.kind))];
    await decide('2026-03-02T09:00:00Z', true); // due 16 March
    const first = await reminders.tick(new Date('2026-03-09T08:00:00Z'));
    assert.deepEqual(kinds(first), ['before-7']);
    await decide('2026-03-10T09:00:00Z', true); // re-assessed, still serious: still due 16 March
    assert.deepEqual(await reminders.tick(new Date('2026-03-10T10:00:00Z')), [], 'no fresh "7 days before"');
    const second = await reminders.tick(new Date('2026-03-14T08:00:00Z'));
    assert.deepEqual(kinds(second), ['before-2']);
    await decide('2026-03-15T09:00:00Z', false); // taken back: the run ends, no anmälan clock
    assert.deepEqual(await reminders.tick(new Date('2026-03-17T08:00:00Z')), []);
    await decide('2026-03-18T09:00:00Z', true); // serious again: a new run, due 1 April
    const third = await reminders.tick(new Date('2026-03-25T08:00:00Z'));
    assert.deepEqual(kinds(third), ['before-7']);
    assert.deepEqual(await keys(), [
      ...first.map(() => 'case-reminder/LS-2026-0001/anmalan/2026-03-16/before-7'),
      ...second.map(() => 'case-reminder/LS-2026-0001/anmalan/2026-03-16/before-2'),
      ...third.map(() => 'case-reminder/LS-2026-0001/anmalan/2026-04-01/before-7'),
    ].sort());
  });

  it('a reminder an earlier version sent (a completed lease, or an outbox row under the old key) is not sent again', async () => {
    cases = [decided('2026-03-02T09:00:00Z')];
    const probe = await reminders.tick(new Date('2026-03-09T08:00:00Z'));
    const [a, b] = probe.map((s) => s.recipient);
    assert.ok(a && b, 'two recipients in the demo nämnd');
    // Start again from an empty outbox, with what the earlier versions left behind.
    await store.close();
    rmSync(dir, { recursive: true, force: true });
    dir = mkdtempSync(path.join(tmpdir(), 'lexsarah-reminders-'));
    const fresh = SqliteStore.open({ filename: path.join(dir, 'db.sqlite') });
    await fresh.migrate();
    Object.defineProperty(fresh, 'cases', { value: Object.assign(Object.create(fresh.cases) as typeof fresh.cases, { listClockCases: async () => cases }) });
    store = fresh;
    const directory = new Directory(ORG);
    reminders = new CaseReminders({ store, directory: () => directory, cards: new CardRenderer(), logger: createLogger('silent'), timeZone: 'Europe/Stockholm' });
    const old = (p: string) => `case-reminder/LS-2026-0001/anmalan/before-7/${p}`;
    assert.equal(await store.state.claimLease(old(a), new Date(), 60_000), true);
    await store.state.completeLease(old(a), new Date());
    await store.outbox.enqueue([
      { key: old(b), recipientEntraId: b, recipientName: 'B', purpose: 'case-reminder', entityRef: 'LS-2026-0001', cardJson: '{}', priority: 'bulk', notBefore: new Date(), createdAt: new Date() },
    ]);
    const again = await reminders.tick(new Date('2026-03-09T09:00:00Z'));
    assert.deepEqual(again.map((s) => s.recipient).filter((r) => r === a || r === b), []);
    assert.equal(again.length, probe.length - 2);
  });
});

/** The people of one nämnd, each role apart, and two with two roles each (one card each, never two). */
const CHEF = 'cccccccc-0000-0000-0000-000000000001';
const CHEF_AND_ENHETSCHEF = 'cccccccc-0000-0000-0000-000000000002';
const SAMORDNARE = 'cccccccc-0000-0000-0000-000000000003';
const SAMORDNARE_AND_ENHETSCHEF = 'cccccccc-0000-0000-0000-000000000004';
const ENHETSCHEF = 'cccccccc-0000-0000-0000-000000000005';
const REPORTER = 'cccccccc-0000-0000-0000-000000000006';
const OTHER_NAMND = 'cccccccc-0000-0000-0000-000000000007';
const TEST_ORG: Organisation = {
  municipality: 'Testby kommun',
  committees: [
    { id: 'sn', name: 'Socialnämnden', units: [{ id: 'bou', name: 'Barn och unga', area: 'barn-och-unga' }, { id: 'vuxen', name: 'Vuxenenheten', area: 'vuxen' }] },
    { id: 'von', name: 'Vård- och omsorgsnämnden', units: [{ id: 'eken', name: 'Gruppbostaden Eken', area: 'lss' }] },
  ],
  people: [
    { entraId: CHEF, name: 'Cecilia Chef', roles: [{ role: 'chef', committee: 'sn' }] },
    { entraId: CHEF_AND_ENHETSCHEF, name: 'Carl Chef', roles: [{ role: 'chef', committee: 'sn' }, { role: 'enhetschef', unit: 'bou' }] },
    { entraId: SAMORDNARE, name: 'Sara Samordnare', roles: [{ role: 'samordnare', committee: 'sn' }] },
    { entraId: SAMORDNARE_AND_ENHETSCHEF, name: 'Sven Samordnare', roles: [{ role: 'samordnare', committee: 'sn' }, { role: 'enhetschef', unit: 'bou' }] },
    { entraId: ENHETSCHEF, name: 'Erik Enhetschef', roles: [{ role: 'enhetschef', unit: 'bou' }] },
    { entraId: REPORTER, name: 'Maja Medarbetare', roles: [{ role: 'medarbetare', unit: 'bou' }] },
    { entraId: OTHER_NAMND, name: 'Olle Annan', roles: [{ role: 'chef', committee: 'von' }, { role: 'samordnare', committee: 'von' }, { role: 'enhetschef', unit: 'eken' }] },
  ],
};
/** Whoever received a bou rapport (its enhetschefer and the nämnd's samordnare), and the nämnd's chefer. */
const RECEIVED_IT = [CHEF_AND_ENHETSCHEF, SAMORDNARE, SAMORDNARE_AND_ENHETSCHEF, ENHETSCHEF].sort();
const CHEFER = [CHEF, CHEF_AND_ENHETSCHEF].sort();
const TZ = 'Europe/Stockholm';
/** A Stockholm wall-clock time. */
const at = (local: string) => DateTime.fromISO(local, { zone: TZ }).toJSDate();
/** What a person reads on a card: its texts, fact titles and values. */
const shown = (cardJson: string) => {
  const out: string[] = [];
  JSON.parse(cardJson, (k, v: unknown) => {
    if ((k === 'text' || k === 'title' || k === 'value') && typeof v === 'string') out.push(visibleText(v));
    return v;
  });
  return out.join('\n');
};

describe('case reminders: the assessment clock of unassessed rapporter (real reports)', () => {
  let dir: string;
  let store: SqliteStore;
  let reminders: CaseReminders;
  let seq = 0;
  const file = async (receivedLocal: string, urgent: boolean, over: Partial<NewReport> = {}) =>
    (
      await store.reports.create(
        {
          formId: `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`, year: 2026, unitId: 'bou', committeeId: 'sn',
          reporterEntraId: REPORTER, reporterName: 'Maja Medarbetare', occurredAt: at(receivedLocal), occurredTimeKnown: false,
          noticedAt: at(receivedLocal), noticedTimeKnown: false, location: 'Mottagningen', category: 'psykiska',
          whatHappened: 'En medarbetare skrek åt ett barn.', consequences: 'Barnet blev rädd.', immediateActions: '', informed: 'nej',
          risks: { hurt: urgent ? 'ja' : 'nej', ongoing: 'nej', vulnerable: 'nej', crime: 'nej', before: 'nej' }, urgent, createdAt: at(receivedLocal),
          ...over,
        },
        { actorEntraId: REPORTER, action: 'report.create', entityType: 'report' },
      )
    ).report;
  const who = (sent: ReminderSent[], escalation?: boolean) => sent.filter((s) => escalation === undefined || s.escalation === escalation).map((s) => s.recipient).sort();
  const cardsOf = async (reference: string) =>
    (await store.outbox.listByEntity(reference)).map((r) => ({ to: r.recipientEntraId, purpose: r.purpose, text: shown(r.cardJson) }));

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'lexsarah-assessment-reminders-'));
    store = SqliteStore.open({ filename: path.join(dir, 'db.sqlite') });
    await store.migrate();
    await store.organisation.sync(TEST_ORG, new Date('2026-11-01T00:00:00Z'));
    const directory = new Directory(TEST_ORG);
    reminders = new CaseReminders({
      store, directory: () => directory, cards: new CardRenderer(), logger: createLogger('silent'), timeZone: TZ, calendar: new WorkingCalendar({ timeZone: TZ }),
    });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('an unassessed BRÅDSKANDE rapport past its local deadline is escalated to the nämnd\'s chefer, once', async () => {
    // Friday 16:00, brådskande: 1 working day (local policy) → due Monday 30 Nov, end of day.
    const r = await file('2026-11-27T16:00', true);
    // The routing card told them on Friday; the weekend brings nothing more.
    for (const now of ['2026-11-28T10:00', '2026-11-29T23:59']) assert.deepEqual(await reminders.tick(at(now)), [], now);
    // The working day before the due day is the day of receipt, so the one reminder is on the due
    // day's morning (review #13: before, the first signal after the routing card was the escalation).
    const morning = await reminders.tick(at('2026-11-30T00:01'));
    assert.deepEqual(who(morning), RECEIVED_IT);
    assert.ok(morning.every((s) => s.kind === 'before-0' && !s.escalation), JSON.stringify(morning));
    const [first] = await cardsOf(r.reference);
    assert.match(first!.text, /PÅMINNELSE[\s\S]*ska bedömningen vara gjord i dag \(30 nov\. 2026\)/);
    assert.deepEqual(await reminders.tick(at('2026-11-30T23:59')), [], 'once');
    const late = await reminders.tick(at('2026-12-01T00:05'));
    assert.ok(late.every((s) => s.reference === r.reference && s.clock === 'bedomning' && s.kind === 'overdue'));
    assert.deepEqual(who(late, true), CHEFER, 'the escalation goes to the nämnd\'s chefer');
    assert.deepEqual(who(late, false), RECEIVED_IT.filter((p) => !CHEFER.includes(p)), 'those who received it are told it is late');
    assert.equal(new Set(who(late)).size, late.length, 'one card per person');
    assert.deepEqual(await reminders.tick(at('2026-12-01T00:15')), [], 'a second tick enqueues nothing');
    assert.deepEqual(await reminders.tick(at('2026-12-03T09:00')), [], 'nor a later one');

    const cards = (await cardsOf(r.reference)).slice(morning.length);
    assert.equal(cards.length, late.length);
    const escalation = cards.find((c) => c.to === CHEF)!;
    assert.equal(escalation.purpose, 'case-escalation');
    assert.match(escalation.text, /ESKALERING/);
    assert.match(escalation.text, /brådskande/i);
    assert.match(escalation.text, /genast/, 'the law\'s word');
    assert.match(escalation.text, /27 kap\. 5 § socialtjänstlagen/);
    assert.match(escalation.text, /Lokal rutin: bedömning inom 1 arbetsdag /, 'the number of working days is said to be local policy');
    assert.match(escalation.text, /30 nov\. 2026/);
    assert.match(escalation.text, /chef för nämnden/);
    const late2 = cards.find((c) => c.to === SAMORDNARE)!;
    assert.equal(late2.purpose, 'case-reminder');
    assert.match(late2.text, /FÖRSENAD/);
    assert.doesNotMatch(late2.text, /ESKALERING|chef för nämnden/);
    const trail = (await store.audit.list({ entityRef: r.reference })).map((e) => e.action);
    assert.equal(trail.filter((a) => a === 'case.escalation').length, CHEFER.length);
    assert.equal(trail.filter((a) => a === 'case.reminder').length, morning.length + late.length - CHEFER.length);
  });

  it('a rapport that is not brådskande: one reminder, the working day before the due day, to those who received it', async () => {
    const r = await file('2026-11-23T08:00', false); // Monday → due Thursday 26 Nov (3 working days)
    assert.deepEqual(await reminders.tick(at('2026-11-24T12:00')), []);
    const before = await reminders.tick(at('2026-11-25T07:00'));
    assert.deepEqual(who(before), RECEIVED_IT);
    assert.ok(before.every((s) => s.kind === 'before-1' && !s.escalation && s.clock === 'bedomning'));
    assert.deepEqual(await reminders.tick(at('2026-11-26T12:00')), [], 'not again on the due day');
    const [card] = await cardsOf(r.reference);
    assert.match(card!.text, /PÅMINNELSE/);
    assert.match(card!.text, /26 nov\. 2026/);
    assert.match(card!.text, /Lokal rutin: bedömning inom 3 arbetsdagar /);
    const late = await reminders.tick(at('2026-11-27T07:00'));
    assert.deepEqual(who(late, true), CHEFER);
    assert.deepEqual(who(late), [...new Set([...RECEIVED_IT, ...CHEFER])].sort());
  });

  it('after downtime, one card per person and case: only the most urgent reminder due', async () => {
    const a = await file('2026-11-23T08:00', false); // due Thursday 26th: its reminder (Wednesday) was missed
    const b = await file('2026-11-24T09:00', true); // due Wednesday 25th
    const c = await file('2026-11-23T09:00', false, { unitId: 'vuxen' }); // vuxen has no enhetschef here
    await store.cases.startInvestigation(
      { reportId: c.id, reference: c.reference, from: 'rapporterad', to: 'under-utredning', actor: { entraId: SAMORDNARE, name: 'Sara Samordnare' }, at: at('2026-11-23T10:00') },
      { entraId: SAMORDNARE, name: 'Sara Samordnare' },
    );
    const sent = await reminders.tick(at('2026-11-30T08:00'));
    assert.ok(sent.every((s) => s.kind === 'overdue' && s.clock === 'bedomning'), 'the missed reminders before the deadline are not sent any more');
    const pairs = sent.map((s) => `${s.reference} ${s.recipient}`);
    assert.equal(new Set(pairs).size, pairs.length, 'nobody twice for the same case');
    // The chefer: three escalations in one tick come as one digest each (re-review #13), naming every case.
    const digests = sent.filter((s) => s.digestOf);
    assert.deepEqual(who(digests), CHEFER);
    for (const d of digests) assert.deepEqual([...d.digestOf!].sort(), [a, b, c].map((r) => r.reference).sort());
    const perCase = sent.filter((s) => !s.digestOf);
    const notChef = (ids: string[]) => ids.filter((id) => !CHEFER.includes(id));
    assert.deepEqual(who(perCase.filter((s) => s.reference === a.reference)), notChef(RECEIVED_IT));
    assert.deepEqual(who(perCase.filter((s) => s.reference === b.reference)), notChef(RECEIVED_IT));
    // Under utredning but still not assessed: the clock runs on, for the nämnd's samordnare (and the chefer's digest).
    assert.deepEqual(who(perCase.filter((s) => s.reference === c.reference)), [SAMORDNARE, SAMORDNARE_AND_ENHETSCHEF].sort());
    assert.ok(!sent.some((s) => s.recipient === OTHER_NAMND), 'nobody of another nämnd (socialtjänstsekretess)');
    assert.deepEqual(await reminders.tick(at('2026-11-30T09:00')), []);
  });

  it('deciding the case stops the assessment reminders', async () => {
    const r = await file('2026-11-23T08:00', false); // due Thursday 26th
    assert.equal((await reminders.tick(at('2026-11-25T07:00'))).length, RECEIVED_IT.length);
    const decided = await store.cases.recordDecision(
      { reportId: r.id, reference: r.reference, from: 'rapporterad', to: 'bedomd', actor: { entraId: SAMORDNARE, name: 'Sara Samordnare' }, at: at('2026-11-25T10:00') },
      { answersJson: '{}', recommendedOutcome: 'missforhallande-ej-allvarligt', recommendationJson: '{}', decidedOutcome: 'missforhallande-ej-allvarligt', requiresAnmalan: false },
    );
    assert.equal(decided, true);
    assert.deepEqual(await reminders.tick(at('2026-11-27T07:00')), [], 'no escalation once it is assessed');
    // A second rapport decided as serious: its assessment clock stops, the anmälan clock takes over.
    const s = await file('2026-11-23T09:00', true);
    await store.cases.recordDecision(
      { reportId: s.id, reference: s.reference, from: 'rapporterad', to: 'bedomd', actor: { entraId: SAMORDNARE, name: 'Sara Samordnare' }, at: at('2026-11-23T12:00') },
      { answersJson: '{}', recommendedOutcome: 'allvarligt-missforhallande', recommendationJson: '{}', decidedOutcome: 'allvarligt-missforhallande', requiresAnmalan: true },
    );
    const after = await reminders.tick(at('2026-11-30T07:00'));
    assert.ok(after.length > 0);
    assert.ok(after.every((x) => x.reference === s.reference && x.clock === 'anmalan'), JSON.stringify(after));
  });

  it('a BRÅDSKANDE rapport on skärtorsdagen: a reminder on the due day\'s morning after Easter comes before the escalation', async () => {
    const r = await file('2026-04-02T14:00', true); // due Tuesday 7 April (långfredag to annandag påsk are not working days)
    const signals: string[] = [];
    for (let d = 2; d <= 8; d++) {
      for (const s of await reminders.tick(at(`2026-04-0${d}T10:00`))) if (s.reference === r.reference) signals.push(`${d} ${s.kind}${s.escalation ? ' eskalering' : ''}`);
    }
    const reminder = signals.indexOf('7 before-0');
    assert.ok(reminder >= 0, `a reminder on Tuesday morning: ${signals.join(', ')}`);
    assert.ok(signals.slice(0, reminder).length === 0 && signals.filter((x) => x.startsWith('7 ')).every((x) => x === '7 before-0'), signals.join(', '));
    assert.ok(signals.findIndex((x) => x.includes('eskalering')) > reminder, signals.join(', '));
    assert.ok(!signals.some((x) => /^[2-6] /.test(x)), 'nothing over Easter');
  });

  // Review #13: [what, the rapport (Stockholm), urgent, ticks (Stockholm)]. Every reminder and
  // escalation row may be sent only in working hours on a working day (notBefore), whenever its tick ran.
  const hours: [string, string, boolean, string[]][] = [
    ['a Friday rapport escalating at midnight before the weekend', '2026-12-03T10:00', true, ['2026-12-04T00:00', '2026-12-05T00:00']],
    ['due over Easter', '2026-04-02T14:00', true, ['2026-04-07T00:00', '2026-04-08T00:00', '2026-04-08T19:30']],
    ['a late evening tick', '2026-11-23T08:00', false, ['2026-11-25T21:00', '2026-11-27T05:00']],
    ['a working-hours tick is sent at once', '2026-11-23T08:00', false, ['2026-11-25T10:00']],
  ];
  for (const [what, received, urgent, ticks] of hours) {
    it(`reminders wait for working hours: ${what}`, async () => {
      const cal = new WorkingCalendar({ timeZone: TZ });
      const r = await file(received, urgent);
      let tickAt = new Date(0);
      const directory = new Directory(TEST_ORG);
      reminders = new CaseReminders({ store, directory: () => directory, cards: new CardRenderer(), logger: createLogger('silent'), timeZone: TZ, calendar: cal, realNow: () => tickAt });
      let rows = 0;
      for (const t of ticks) {
        tickAt = at(t);
        const sent = await reminders.tick(tickAt);
        const mine = (await store.outbox.listByEntity(r.reference)).slice(rows);
        rows += mine.length;
        assert.equal(mine.length, sent.length, t);
        for (const row of mine) {
          const local = DateTime.fromJSDate(row.notBefore, { zone: TZ });
          const within = cal.isWorkingDay(local.toISODate()!) && local.hour >= 7 && local.hour < 18;
          assert.ok(within, `${row.purpose} enqueued ${t} may be sent ${local.toISO()}`);
          assert.ok(row.notBefore.getTime() >= tickAt.getTime());
          if (within && cal.isWorkingDay(t.slice(0, 10)) && +t.slice(11, 13) >= 7 && +t.slice(11, 13) < 18) assert.equal(row.notBefore.getTime(), tickAt.getTime(), 'in working hours: at once');
        }
      }
      assert.ok(rows > 0, 'the ticks enqueued something');
    });
  }

  it('every reminder card stays under MAX_CARD_BYTES with worst-case data', () => {
    const r = new CardRenderer();
    // Unit names come from the organisation file (at most 200 characters); the most expensive ones per character.
    const worst = ['\\', '.å', '"\u0001', 'åäöÅÄÖ'].map((p) => p.repeat(200).slice(0, 200));
    const runs: RunningClock[] = [
      { clock: 'bedomning', receivedAt: at('2026-11-27T16:00'), urgent: true },
      { clock: 'bedomning', receivedAt: at('2026-11-27T16:00'), urgent: false },
      { clock: 'anmalan', decidedAt: at('2026-11-27T16:00') },
      { clock: 'utredning', filedOn: '2026-11-27' },
      { clock: 'avslut', since: 'beslut', decidedAt: at('2026-11-27T16:00') },
      { clock: 'avslut', since: 'utredning-hos-ivo', atIvoOn: '2026-11-27' },
    ];
    const kinds: ReminderKind[] = ['before-7', 'before-1', 'before-0', 'overdue'];
    let checked = 0;
    for (const unitName of worst) {
      for (const run of runs) {
        for (const kind of kinds) {
          for (const escalation of [false, true]) {
            const view: CaseReminderView = {
              reference: 'LS-2026-99999', unitName, run, kind, escalation, due: at('2026-11-30T23:59'), timeZone: TZ, rules: DEFAULT_CLOCK_RULES,
              law: [{ text: `${'§'.repeat(300)} – x`, verified: false }, { text: '\\'.repeat(300), verified: false }],
            };
            const card = caseReminderCard(r, view);
            assert.ok(Buffer.byteLength(JSON.stringify(card), 'utf8') < MAX_CARD_BYTES);
            checked++;
          }
        }
      }
    }
    assert.equal(checked, worst.length * runs.length * kinds.length * 2);
    // The digest of a chef's escalations (re-review #13): as many cases as it names, and more, with the worst unit names.
    for (const unitName of worst) {
      const items = Array.from({ length: DIGEST_CASES_SHOWN + 30 }, (_, i): CaseReminderView => ({
        reference: `LS-2026-${String(10_000 + i)}`, unitName, run: runs[i % runs.length]!, kind: 'overdue', escalation: true, due: at('2026-11-30T23:59'), timeZone: TZ, rules: DEFAULT_CLOCK_RULES,
      }));
      const card = caseEscalationDigestCard(r, items, TZ);
      assert.ok(Buffer.byteLength(JSON.stringify(card), 'utf8') < MAX_CARD_BYTES);
      assert.ok(((card as unknown as { actions: unknown[] }).actions).length <= 6, 'Teams shows six buttons');
      assert.match(visibleText(JSON.stringify(card)), /… och 30 till: skriv "status" för lägesbilden\./);
    }
  });
});

// The Båstad pattern: a case judged "ej allvarligt", or whose investigation is at IVO, used to sit
// open with no reminder ever. The closing clock (local policy) reminds the samordnare before its
// deadline and escalates to the nämnd's chefer once it has passed.
describe('case reminders: the closing clock (real cases)', () => {
  let dir: string;
  let store: SqliteStore;
  let reminders: CaseReminders;
  let seq = 0;
  const SAMORDNARE_ALL = [SAMORDNARE, SAMORDNARE_AND_ENHETSCHEF].sort();
  const actor = { entraId: SAMORDNARE, name: 'Sara Samordnare' };
  const file = async (receivedLocal: string) =>
    (
      await store.reports.create(
        {
          formId: `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`, year: 2026, unitId: 'bou', committeeId: 'sn',
          reporterEntraId: REPORTER, reporterName: 'Maja Medarbetare', occurredAt: at(receivedLocal), occurredTimeKnown: false,
          noticedAt: at(receivedLocal), noticedTimeKnown: false, location: 'Mottagningen', category: 'psykiska',
          whatHappened: 'En medarbetare skrek åt ett barn.', consequences: 'Barnet blev rädd.', immediateActions: '', informed: 'nej',
          risks: { hurt: 'nej', ongoing: 'nej', vulnerable: 'nej', crime: 'nej', before: 'nej' }, urgent: false, createdAt: at(receivedLocal),
        },
        { actorEntraId: REPORTER, action: 'report.create', entityType: 'report' },
      )
    ).report;
  const decide = (r: { id: number; reference: string }, from: 'rapporterad' | 'bedomd', whenLocal: string, requiresAnmalan: boolean) => {
    const outcome = requiresAnmalan ? 'allvarligt-missforhallande' : 'missforhallande-ej-allvarligt';
    return store.cases.recordDecision(
      { reportId: r.id, reference: r.reference, from, to: 'bedomd', actor, at: at(whenLocal) },
      { answersJson: '{}', recommendedOutcome: outcome, recommendationJson: '{}', decidedOutcome: outcome, requiresAnmalan },
    );
  };
  const who = (sent: ReminderSent[], escalation?: boolean) => sent.filter((s) => escalation === undefined || s.escalation === escalation).map((s) => s.recipient).sort();
  const texts = async (reference: string) => (await store.outbox.listByEntity(reference)).map((r) => ({ to: r.recipientEntraId, key: r.key, purpose: r.purpose, text: shown(r.cardJson) }));

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'lexsarah-closing-reminders-'));
    store = SqliteStore.open({ filename: path.join(dir, 'db.sqlite') });
    await store.migrate();
    await store.organisation.sync(TEST_ORG, new Date('2026-10-01T00:00:00Z'));
    const directory = new Directory(TEST_ORG);
    reminders = new CaseReminders({
      store, directory: () => directory, cards: new CardRenderer(), logger: createLogger('silent'), timeZone: TZ, calendar: new WorkingCalendar({ timeZone: TZ }),
      // These cases are of November 2026: the closing clock is taken to be in force then (by default it counts from 2 Dec 2026 at the earliest).
      clockRules: { ...DEFAULT_CLOCK_RULES, closingClockFrom: '2026-01-01' },
    });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('judged "ej allvarligt" and left open: reminders before the local deadline, an escalation when it passes, each once', async () => {
    const r = await file('2026-11-02T08:00');
    assert.equal(await decide(r, 'rapporterad', '2026-11-03T10:00', false), true); // closing due 3 Dec (30 days, local policy)
    // [tick (Stockholm), the kind sent, to whom]: a re-assessment keeping it "ej allvarligt" on 20 Nov buys no time.
    const table: [string, ReminderKind | undefined, string[]][] = [
      ['2026-11-25T10:00', undefined, []], // 8 days before
      ['2026-11-26T10:00', 'before-7', SAMORDNARE_ALL],
      ['2026-11-27T10:00', undefined, []],
      ['2026-12-01T10:00', 'before-2', SAMORDNARE_ALL],
      ['2026-12-03T17:00', undefined, []], // the due day: nothing new
      ['2026-12-04T10:00', 'overdue', [...new Set([...SAMORDNARE_ALL, ...CHEFER])].sort()],
      ['2026-12-04T11:00', undefined, []],
      ['2027-03-01T10:00', undefined, []], // still open months later: escalated once, shown red on the cards
    ];
    for (const [now, kind, to] of table) {
      if (now === '2026-11-26T10:00') assert.equal(await decide(r, 'bedomd', '2026-11-20T10:00', false), true);
      const sent = await reminders.tick(at(now));
      assert.deepEqual(who(sent), to, now);
      assert.ok(sent.every((s) => s.clock === 'avslut' && s.kind === kind && s.reference === r.reference), `${now}: ${JSON.stringify(sent)}`);
    }
    const cards = await texts(r.reference);
    assert.ok(cards.every((c) => c.key.startsWith(`case-reminder/${r.reference}/avslut/2026-12-03/`)), 'one deadline throughout');
    const before = cards.find((c) => c.key.includes('/before-7/') && c.to === SAMORDNARE)!;
    assert.match(before.text, /PÅMINNELSE/);
    assert.match(before.text, /Ärendet ska avslutas/);
    assert.match(before.text, /ingen anmälan till IVO behövs/);
    assert.match(before.text, /3 dec\. 2026/);
    assert.match(before.text, /Lokal rutin: utredningen klar och ärendet avslutat inom 30 dagar/, 'the number of days is local policy');
    assert.match(before.text, /anger inget antal dagar/);
    const escalation = cards.find((c) => c.to === CHEF)!;
    assert.equal(escalation.purpose, 'case-escalation');
    assert.match(escalation.text, /ESKALERING[\s\S]*gick ut 3 dec\. 2026[\s\S]*chef för nämnden/);
    const late = cards.find((c) => c.to === SAMORDNARE && c.key.includes('/overdue/'))!;
    assert.equal(late.purpose, 'case-reminder');
    assert.match(late.text, /FÖRSENAD/);
    assert.doesNotMatch(late.text, /chef för nämnden/);
    const trail = (await store.audit.list({ entityRef: r.reference })).filter((e) => e.action === 'case.escalation');
    assert.deepEqual(trail.map((e) => e.detail?.replace(/ to=\S+/, '')), CHEFER.map(() => 'clock=avslut kind=overdue status=enqueued'));
  });

  it('the investigation at IVO starts the closing clock: from the anmälan when attached, from the day it was sent otherwise', async () => {
    const attached = await file('2026-11-02T08:00');
    await decide(attached, 'rapporterad', '2026-11-02T10:00', true);
    await store.cases.recordFiling({ reportId: attached.id, reference: attached.reference, from: 'bedomd', to: 'anmald', actor, at: at('2026-11-05T10:00') }, { filedOn: '2026-11-05', ivoDiarienummer: 'd1', investigationAttached: true });
    const later = await file('2026-11-02T09:00');
    await decide(later, 'rapporterad', '2026-11-02T11:00', true);
    await store.cases.recordFiling({ reportId: later.id, reference: later.reference, from: 'bedomd', to: 'anmald', actor, at: at('2026-11-05T11:00') }, { filedOn: '2026-11-05', ivoDiarienummer: 'd2', investigationAttached: false });
    await store.cases.markInvestigationSent({ reportId: later.id, reference: later.reference, from: 'anmald', to: 'anmald', actor, at: at('2026-11-10T10:00') }, '2026-11-10');
    const sent = await reminders.tick(at('2026-11-29T10:00')); // 28 Nov is 7 days before 5 Dec; 3 Dec 7 days before 10 Dec
    assert.deepEqual(sent.filter((s) => s.reference === attached.reference).map((s) => s.kind), SAMORDNARE_ALL.map(() => 'before-7'));
    assert.deepEqual(sent.filter((s) => s.reference === later.reference), [], 'sent on 10 Nov: due 10 Dec, not yet');
    assert.ok((await texts(attached.reference)).every((c) => c.key.includes('/avslut/2026-12-05/') && /Utredningen är hos IVO/.test(c.text)));
    const afterSent = await reminders.tick(at('2026-12-03T10:00'));
    assert.deepEqual(afterSent.filter((s) => s.reference === later.reference).map((s) => `${s.clock} ${s.kind}`), SAMORDNARE_ALL.map(() => 'avslut before-7'));
    // Closed: nothing more, however late it would have been.
    await store.cases.close({ reportId: attached.id, reference: attached.reference, from: 'anmald', to: 'avslutad', actor, at: at('2026-12-03T11:00') }, { decisionText: 'Klar.' });
    assert.deepEqual((await reminders.tick(at('2026-12-06T10:00'))).filter((s) => s.reference === attached.reference), []);
  });
});
