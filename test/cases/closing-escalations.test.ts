/**
 * Re-review #13 on a real SQLite file: the closing clock's reminders and escalations after the
 * upgrade that brought it, beside the older clocks. The cases decided before 2 December 2026 (the
 * day the closing clock came in) must not all escalate on the first tick; an investigation a month
 * late to IVO escalates as a late closing does; the closing reminders reach the case's utredare;
 * and a chef who would get several escalations in one tick gets one digest card.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import { visibleText } from '../../src/cards/plain-text';
import { CardRenderer } from '../../src/cards/render';
import { DEFAULT_CLOCK_RULES } from '../../src/cases/clocks';
import { caseReminderChecks } from '../../src/cases/reminder-wanted';
import { CaseReminders, type ReminderSent } from '../../src/cases/reminders';
import { createLogger } from '../../src/log/logger';
import { Directory } from '../../src/org/directory';
import type { Organisation } from '../../src/org/schema';
import { WorkingCalendar } from '../../src/review/calendar';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';

const CHEF = 'cccccccc-0000-0000-0000-000000000001';
const SAMORDNARE = 'cccccccc-0000-0000-0000-000000000003';
const REPORTER = 'cccccccc-0000-0000-0000-000000000006';
const UTREDARE = 'cccccccc-0000-0000-0000-000000000008';
const ORG: Organisation = {
  municipality: 'Testby kommun',
  committees: [{ id: 'sn', name: 'Socialnämnden', units: [{ id: 'bou', name: 'Barn och unga', area: 'barn-och-unga' }] }],
  people: [
    { entraId: CHEF, name: 'Cecilia Chef', roles: [{ role: 'chef', committee: 'sn' }] },
    { entraId: SAMORDNARE, name: 'Sara Samordnare', roles: [{ role: 'samordnare', committee: 'sn' }] },
    { entraId: REPORTER, name: 'Maja Medarbetare', roles: [{ role: 'medarbetare', unit: 'bou' }] },
    { entraId: UTREDARE, name: 'Ulf Utredare', roles: [{ role: 'medarbetare', unit: 'bou' }] },
  ],
};
const TZ = 'Europe/Stockholm';
const at = (local: string) => DateTime.fromISO(local, { zone: TZ }).toJSDate();

describe('case reminders: the closing clock after the upgrade, escalations and digests (re-review #13)', () => {
  let dir: string;
  let store: SqliteStore;
  let seq = 0;
  const actor = { entraId: SAMORDNARE, name: 'Sara Samordnare' };
  const calendar = new WorkingCalendar({ timeZone: TZ });
  const reminders = (clockRules = DEFAULT_CLOCK_RULES) =>
    new CaseReminders({ store, directory: () => new Directory(ORG), cards: new CardRenderer(), logger: createLogger('silent'), timeZone: TZ, calendar, clockRules });
  const file = async (receivedLocal: string) =>
    (
      await store.reports.create(
        {
          formId: `00000000-0000-4000-8000-${String(++seq).padStart(12, '0')}`, year: 2026, unitId: 'bou', committeeId: 'sn',
          reporterEntraId: REPORTER, reporterName: 'Maja Medarbetare', occurredAt: at(receivedLocal), occurredTimeKnown: false,
          noticedAt: at(receivedLocal), noticedTimeKnown: false, location: 'Mottagningen', category: 'psykiska',
          whatHappened: 'x', consequences: 'x', immediateActions: '', informed: 'nej',
          risks: { hurt: 'nej', ongoing: 'nej', vulnerable: 'nej', crime: 'nej', before: 'nej' }, urgent: false, createdAt: at(receivedLocal),
        },
        { actorEntraId: REPORTER, action: 'report.create', entityType: 'report' },
      )
    ).report;
  const decide = (r: { id: number; reference: string }, from: 'rapporterad' | 'under-utredning' | 'bedomd', whenLocal: string, requiresAnmalan: boolean) => {
    const outcome = requiresAnmalan ? 'allvarligt-missforhallande' : 'missforhallande-ej-allvarligt';
    return store.cases.recordDecision(
      { reportId: r.id, reference: r.reference, from, to: 'bedomd', actor, at: at(whenLocal) },
      { answersJson: '{}', recommendedOutcome: outcome, recommendationJson: '{}', decidedOutcome: outcome, requiresAnmalan },
    );
  };
  const g = (r: { id: number; reference: string }, from: 'bedomd' | 'anmald', to: 'anmald' | 'avslutad', whenLocal: string) => ({ reportId: r.id, reference: r.reference, from, to, actor, at: at(whenLocal) });
  const toChef = (sent: ReminderSent[]) => sent.filter((s) => s.recipient === CHEF);
  const cardOf = async (key: string) => visibleText((await store.outbox.get(key))!.cardJson);

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'lexsarah-closing-escalations-'));
    store = SqliteStore.open({ filename: path.join(dir, 'db.sqlite') });
    await store.migrate();
    await store.organisation.sync(ORG, new Date('2026-01-01T00:00:00Z'));
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('the first tick after the upgrade: no escalation, nor any reminder, for the open "ej allvarligt" cases decided before the closing clock came in', async () => {
    for (let i = 0; i < 15; i++) {
      const r = await file(`2026-0${1 + (i % 9)}-05T09:00`);
      await decide(r, 'rapporterad', `2026-0${1 + (i % 9)}-06T10:00`, false);
    }
    assert.deepEqual(await reminders().tick(at('2026-12-03T10:00')), [], 'they count from 2 Dec 2026: due 1 Jan 2027');
    // A month on, they are late together: the chef gets one card naming all fifteen, not fifteen cards.
    const late = await reminders().tick(at('2027-01-04T10:00'));
    assert.equal(toChef(late).length, 1);
    assert.equal(toChef(late)[0]!.digestOf?.length, 15);
    assert.equal(late.filter((s) => s.recipient === SAMORDNARE).length, 15, 'the samordnare still get a card per case to work from');
  });

  it('an investigation a month past the (local) two months escalates to the chefer, as a late closing does', async () => {
    const late = await file('2026-09-01T09:00');
    await decide(late, 'rapporterad', '2026-09-01T10:00', true);
    await store.cases.recordFiling(g(late, 'bedomd', 'anmald', '2026-09-02T10:00'), { filedOn: '2026-09-02', ivoDiarienummer: 'd1', investigationAttached: false });
    const sent = await reminders().tick(at('2026-12-03T10:00'));
    assert.deepEqual(toChef(sent).map((s) => `${s.reference} ${s.clock} ${s.kind} ${s.escalation}`), [`${late.reference} utredning overdue true`]);
    const text = await cardOf(`case-reminder/${late.reference}/utredning/2026-11-02/overdue/${CHEF}`);
    assert.match(text, /ESKALERING/);
    assert.match(text, /Du får detta som chef för nämnden/);
    assert.match(text, /Lokal rutin\/praxis/);
  });

  it('a closing overdue the moment the anmälan is registered (filed weeks before, the investigation attached): the card says from when it counts', async () => {
    const r = await file('2027-01-04T09:00');
    await decide(r, 'rapporterad', '2027-01-04T10:00', true);
    // Filed with IVO on 5 Jan, registered in the bot only on 10 Feb: closing due 4 Feb.
    await store.cases.recordFiling(g(r, 'bedomd', 'anmald', '2027-02-10T09:59'), { filedOn: '2027-01-05', ivoDiarienummer: 'd', investigationAttached: true });
    const sent = await reminders().tick(at('2027-02-10T10:00'));
    assert.deepEqual(toChef(sent).map((s) => `${s.clock} ${s.kind}`), ['avslut overdue']);
    const text = await cardOf(`case-reminder/${r.reference}/avslut/2027-02-04/overdue/${CHEF}`);
    assert.match(text, /gick ut 4 feb\. 2027/);
    assert.match(text, /Fristen räknas från den dag utredningen kom till IVO \(5 jan\. 2027\), också när anmälan registrerades i efterhand\./);
  });

  it('the closing reminders reach the case\'s utredare too; the other clocks only the samordnare', async () => {
    const r = await file('2027-01-04T09:00');
    await store.cases.startInvestigation({ reportId: r.id, reference: r.reference, from: 'rapporterad', to: 'under-utredning', actor, at: at('2027-01-04T10:00') }, { entraId: UTREDARE, name: 'Ulf Utredare' });
    const serious = await file('2027-01-04T09:30');
    await store.cases.startInvestigation({ reportId: serious.id, reference: serious.reference, from: 'rapporterad', to: 'under-utredning', actor, at: at('2027-01-04T10:00') }, { entraId: UTREDARE, name: 'Ulf Utredare' });
    await decide(serious, 'under-utredning', '2027-01-05T10:00', true); // the anmälan due 19 Jan
    await decide(r, 'under-utredning', '2027-01-05T10:00', false); // closing due 4 Feb
    const anmalan = await reminders().tick(at('2027-01-12T10:00'));
    assert.deepEqual(anmalan.map((s) => `${s.reference} ${s.clock} ${s.recipient}`), [`${serious.reference} anmalan ${SAMORDNARE}`]);
    const week = await reminders().tick(at('2027-01-28T10:00'));
    assert.deepEqual(week.filter((s) => s.clock === 'avslut').map((s) => `${s.kind} ${s.recipient}`).sort(), [`before-7 ${SAMORDNARE}`, `before-7 ${UTREDARE}`]);
    const late = await reminders().tick(at('2027-02-05T10:00'));
    assert.deepEqual(late.filter((s) => s.clock === 'avslut').map((s) => `${s.recipient} ${s.escalation}`).sort(), [`${CHEF} true`, `${SAMORDNARE} false`, `${UTREDARE} false`]);
    assert.match(await cardOf(`case-reminder/${r.reference}/avslut/2027-02-04/before-7/${UTREDARE}`), /utredningen ska göras klar och ärendet avslutas/);
  });

  it('several escalations for a chef in one tick (after downtime) come as one digest, enqueued once; a later one alone comes as its own card', async () => {
    const cases = [];
    for (const day of ['2027-01-04', '2027-01-05', '2027-01-06']) {
      const r = await file(`${day}T09:00`);
      await decide(r, 'rapporterad', `${day}T10:00`, true); // anmälan due 18, 19 and 20 Jan
      cases.push(r);
    }
    const sent = await reminders().tick(at('2027-01-25T10:00')); // the bot was down a week
    const digest = toChef(sent);
    assert.equal(digest.length, 1);
    assert.deepEqual(digest[0]!.digestOf, cases.map((c) => c.reference), 'earliest deadline first');
    assert.deepEqual(sent.filter((s) => s.recipient === SAMORDNARE).map((s) => s.reference), cases.map((c) => c.reference));
    const rows = (await Promise.all(cases.map((c) => store.outbox.listByEntity(c.reference)))).flat().filter((r) => r.recipientEntraId === CHEF);
    assert.deepEqual(rows, [], 'no card per case for the chef');
    const digestRows = (await store.outbox.listByEntity(cases.map((c) => c.reference).join(','))).filter((r) => r.recipientEntraId === CHEF);
    assert.equal(digestRows.length, 1);
    assert.equal(digestRows[0]!.purpose, 'case-escalation');
    const text = visibleText(digestRows[0]!.cardJson);
    assert.match(text, /ESKALERING/);
    assert.match(text, /3 lex Sarah-ärenden har passerat sina frister/);
    for (const c of cases) assert.match(text, new RegExp(`${c.reference}[\\s\\S]*anmälan till IVO – Barn och unga; fristen gick ut`));
    assert.match(text, /Lägesbild/);
    // Still wanted when the delivery worker asks (it is no key of one case's clock).
    assert.equal(await caseReminderChecks({ store, timeZone: TZ, calendar })['case-escalation'].wanted(digestRows[0]!, at('2027-01-25T10:01')), true);
    // The next ticks, on any instance: nothing again, neither the digest nor the cases one by one.
    assert.deepEqual(await reminders().tick(at('2027-01-25T10:10')), []);
    assert.deepEqual(await reminders().tick(at('2027-01-26T10:00')), []);
    // Audited once, under the first case, naming them all.
    const audit = (await store.audit.list({ entityRef: cases[0]!.reference })).filter((e) => e.action === 'case.escalation').map((e) => e.detail);
    assert.deepEqual(audit, [`digest cases=3 to=${CHEF} status=enqueued refs=${cases.map((c) => c.reference).join(',')}`]);
    // One more falls due on its own: its own card, as before.
    const r = await file('2027-01-20T09:00');
    await decide(r, 'rapporterad', '2027-01-20T10:00', true); // due 3 Feb
    const alone = toChef(await reminders().tick(at('2027-02-04T10:00')));
    assert.deepEqual(alone.map((s) => [s.reference, s.digestOf]), [[r.reference, undefined]]);
  });

  it('a digest written by the version that marked its cases only afterwards, which died in between: not written twice, and its cases marked now', async () => {
    const cases = [];
    for (const day of ['2027-01-04', '2027-01-05']) {
      const r = await file(`${day}T09:00`);
      await decide(r, 'rapporterad', `${day}T10:00`, true);
      cases.push(r);
    }
    // The first tick writes its rows as that version did: without marking what the digest covers.
    const enqueue = store.outbox.enqueue.bind(store.outbox);
    store.outbox.enqueue = (messages, audit) => enqueue(messages.map(({ covers: _old, ...m }) => m), audit);
    assert.equal(toChef(await reminders().tick(at('2027-01-25T10:00'))).length, 1);
    store.outbox.enqueue = enqueue;
    const keys = cases.map((c, i) => `case-reminder/${c.reference}/anmalan/2027-01-${18 + i}/overdue/${CHEF}`);
    assert.deepEqual([...(await store.state.completedLeases(keys))], [], 'written the old way: nothing marked');
    const again = await reminders().tick(at('2027-01-25T10:10'));
    assert.deepEqual(toChef(again), [], 'the same digest: not enqueued again, and no card per case');
    assert.deepEqual([...(await store.state.completedLeases(keys))].sort(), [...keys].sort(), 'its cases marked now');
    assert.deepEqual(await reminders().tick(at('2027-01-25T10:20')), []);
  });

  it('two instances ticking at once, one seeing a case more: the chef gets the first one\'s digest and then the case left, never a case twice (hostile review)', async () => {
    const cases: Awaited<ReturnType<typeof file>>[] = [];
    for (const day of ['2027-01-04', '2027-01-05', '2027-01-11']) {
      const r = await file(`${day}T09:00`);
      await decide(r, 'rapporterad', `${day}T10:00`, true); // anmälan due 18, 19 and 25 Jan
      cases.push(r);
    }
    const first = reminders();
    const second = reminders();
    // The second instance reads the cases (all three late on the 26th), and before it writes, the
    // first one (ticking on the 25th: two late) writes its digest.
    const enqueue = store.outbox.enqueue.bind(store.outbox);
    let raced = false;
    store.outbox.enqueue = async (messages, audit) => {
      if (!raced) {
        raced = true;
        assert.deepEqual(toChef(await first.tick(at('2027-01-25T10:00'))).map((s) => s.digestOf), [cases.slice(0, 2).map((c) => c.reference)]);
      }
      return enqueue(messages, audit);
    };
    assert.deepEqual(toChef(await second.tick(at('2027-01-26T10:00'))), [], 'its digest of all three overlaps the first: not written');
    store.outbox.enqueue = enqueue;
    // The case left comes on the next tick, on its own. Every row of the chef's that could name them:
    assert.deepEqual(toChef(await second.tick(at('2027-01-26T10:10'))).map((s) => [s.reference, s.digestOf]), [[cases[2]!.reference, undefined]]);
    const perCase = new Map<string, number>();
    for (const c of cases) {
      for (const row of [...(await store.outbox.listByEntity(c.reference)), ...(await store.outbox.listByEntity(cases.map((x) => x.reference).join(','))), ...(await store.outbox.listByEntity(cases.slice(0, 2).map((x) => x.reference).join(',')))]) {
        if (row.recipientEntraId !== CHEF) continue;
        if (row.entityRef.split(',').includes(c.reference)) perCase.set(`${c.reference} ${row.key}`, 1);
      }
    }
    const cardsPerCase = cases.map((c) => [...perCase.keys()].filter((k) => k.startsWith(`${c.reference} `)).length);
    assert.deepEqual(cardsPerCase, [1, 1, 1], 'each case on exactly one of the chef\'s cards');
    assert.deepEqual(await second.tick(at('2027-01-26T10:20')), []);
  });
});
