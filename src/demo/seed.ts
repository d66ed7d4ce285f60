/**
 * Seeds the demo municipality's fictional history (./history.ts) on the first start with the
 * demo organisation, so `genomgång`, `status` and `öppna LS-…` show a realistic picture at once.
 * The caller decides whether this is a demo (the embedded default organisation, never in
 * production, never with a real ORG_FILE, DEMO_DATA not off); this module only writes.
 *
 * What is written is exactly what real use writes, through the same paths: each report form is
 * validated as a submit validates it and created with the store's create (its LS number, its
 * audit entry); every case step is a transition of the state machine written with the case
 * store's guarded methods; decisions carry the rules engine's recommendation; the casework register
 * comes in through the CSV import; reviews are the case store's review records.
 *
 * Idempotent: the store has no transaction over several calls, so every write is one of the
 * store's own transactions and can be repeated without effect (a report by its form id, a step
 * by the state it moves from or what is already recorded, notes by their form ids, the casework
 * register by its upsert, reviews by unit and week). A lease row marks the seed: done once it is
 * completed, so a second start seeds nothing; a start that died half-way resumes after the lease
 * runs out, with the same "now" (stored when the seed began), and finishes without duplicates.
 *
 * Proactive cards: none about the past. Reports are created without routing (nobody is told about
 * a "new" report from last month), and the case reminders the seeded clocks would already have
 * brought (an anmälan overdue since last week) are settled in the outbox, never sent, so the
 * reminder job does not open the demo with a pile of reminders and escalations to people who have
 * not even opened the app (each would also show as "kunde inte nås" in the status summary). Later
 * reminders, as the clocks run on, come as usual. Review reminders need nothing: weeks due before
 * the reminders started are never reminded about, and the current week is left undone.
 */
import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { decisionProblem, parseAssessmentAnswers, recommend, requiresAnmalan, type AssessmentAnswers } from '../assessment/rules';
import type { CardRenderer } from '../cards/render';
import type { CaseDetails, Person } from '../cases/case';
import type { ClockRules } from '../cases/clocks';
import { INFORMING_ITEM, informingText } from '../cases/informing';
import { CaseReminders } from '../cases/reminders';
import { transition, type CaseCommand, type CaseContext } from '../cases/state-machine';
import { CSV_COLUMNS } from '../casework/csv';
import { formatImportErrors, importCasework } from '../casework/import';
import type { CaseworkItem } from '../casework/rules';
import type { Logger } from '../log/logger';
import type { Directory } from '../org/directory';
import { guardText } from '../privacy/guard';
import { urgencyReasons, validateReportForm } from '../reports/form';
import type { Report } from '../reports/report';
import type { WorkingCalendar } from '../review/calendar';
import type { ReviewSchedule } from '../review/schedule';
import type { OutboxMessage, OutboxStore } from '../store/outbox';
import type { StateStore, Store } from '../store/store';
import { DEMO_CASEWORK_SOURCE, demoHistory, demoTexts, type DemoHistory, type DemoReport, type DemoStep } from './history';

export interface DemoSeedDeps {
  store: Store;
  directory: () => Directory;
  cards: CardRenderer;
  logger: Logger;
  timeZone: string;
  /** The app's clock (TEST_CLOCK_START included): the history is relative to it. */
  now: () => Date;
  clockRules: ClockRules;
  calendar: WorkingCalendar;
  warnDays: number;
  judgmentDays: number;
  scheduleFor?: (unitId: string) => ReviewSchedule | undefined;
  /** Real time for the marker's lease: a test clock restarts at the same instant every start. */
  realNow?: () => Date;
}

export type DemoSeedOutcome =
  | { seeded: true; reports: number; caseworkItems: number; reviews: number; settledReminders: number }
  | { seeded: false; reason: 'already-seeded' | 'in-progress' | 'not-demo-organisation'; detail?: string };

/** The marker (a work lease, completed when the seed is done). A new version of the history gets a new key only if it should be seeded again. */
export const DEMO_SEED_KEY = 'demo-seed/v1';
/** The moment the seed's history is dated from: present once a seed has begun (the start-up gate reads it). */
export const DEMO_SEED_ANCHOR_KEY = `${DEMO_SEED_KEY}/now`;
const ANCHOR_KEY = DEMO_SEED_ANCHOR_KEY;
const CASEWORK_KEY = `${DEMO_SEED_KEY}/casework`;
/** Seeding takes well under a second; a start that died meanwhile is taken over after this. */
/** How long one start may hold the seed before another may take it over. */
export const DEMO_SEED_LEASE_MS = 2 * 60_000;
const SEED_LEASE_MS = DEMO_SEED_LEASE_MS;

/** Something in the history that real use would refuse: a bug in ./history.ts, never written. */
export class DemoSeedError extends Error {
  override name = 'DemoSeedError';
}

/** A stable UUID (name-based, version 5 layout) for a form id of the history. */
export function demoUuid(name: string): string {
  const h = createHash('sha1').update(`lex-sarah-assistenten/demo/${name}`).digest();
  h[6] = (h[6]! & 0x0f) | 0x50;
  h[8] = (h[8]! & 0x3f) | 0x80;
  const x = h.subarray(0, 16).toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
}

/** The decision real use records for these answers: the recommendation, decided as recommended. */
export function demoRequiresAnmalan(answers: AssessmentAnswers, at: Date): boolean {
  return requiresAnmalan(recommend(answers, at).outcome);
}

/** Every text of the history through the one identity-number guard; throws naming the first that fails. */
export function assertNoIdentityNumbers(texts: readonly { where: string; text: string }[]): void {
  for (const t of texts) {
    const g = guardText(t.text, t.where);
    if (!g.ok) throw new DemoSeedError(`demo history: ${g.message}`);
  }
}

/** The history for `now` with these settings (what the seed writes, for the tests too). */
export function historyFor(deps: Pick<DemoSeedDeps, 'timeZone' | 'clockRules' | 'calendar' | 'warnDays' | 'judgmentDays' | 'scheduleFor'>, now: Date): DemoHistory {
  return demoHistory(
    {
      now,
      timeZone: deps.timeZone,
      calendar: deps.calendar,
      clockRules: deps.clockRules,
      warnDays: deps.warnDays,
      judgmentDays: deps.judgmentDays,
      ...(deps.scheduleFor ? { scheduleFor: deps.scheduleFor } : {}),
    },
    demoRequiresAnmalan,
  );
}

export async function seedDemoHistory(deps: DemoSeedDeps): Promise<DemoSeedOutcome> {
  const { store, logger } = deps;
  const realNow = deps.realNow ?? (() => new Date());
  const dir = deps.directory();

  // Read first, so a second start writes nothing at all.
  if ((await store.state.completedLeases([DEMO_SEED_KEY])).has(DEMO_SEED_KEY)) return { seeded: false, reason: 'already-seeded' };
  const anchorNow = await anchor(store.state);
  const history = historyFor(deps, anchorNow ?? deps.now());
  const missing = missingFromDirectory(history, dir);
  if (missing.length) {
    logger.warn({ event: 'demo-seed-skipped', missing }, 'the organisation is not the demo organisation: no demo history seeded');
    return { seeded: false, reason: 'not-demo-organisation', detail: missing.join(', ') };
  }
  assertNoIdentityNumbers(demoTexts(history));

  if (!(await store.state.claimLease(DEMO_SEED_KEY, realNow(), SEED_LEASE_MS))) {
    const done = (await store.state.completedLeases([DEMO_SEED_KEY])).has(DEMO_SEED_KEY);
    return { seeded: false, reason: done ? 'already-seeded' : 'in-progress' };
  }
  // A resumed seed keeps the first start's "now", so the dates it adds fit those already written.
  if (!anchorNow) await store.state.write([{ key: ANCHOR_KEY, value: JSON.stringify(history.now.toISOString()) }]);

  const writer = new HistoryWriter(deps, dir);
  for (const r of history.reports) await writer.report(r);
  const caseworkItems = await writer.casework(history);
  for (const r of history.reviews) {
    await store.cases.recordReview({ unitId: r.unitId, weekKey: r.weekKey, doneBy: writer.person(r.by), doneAt: r.doneAt, ...(r.comment ? { comment: r.comment } : {}) });
  }
  const settledReminders = await settleDueReminders(deps, history.now, realNow);
  await store.audit.append({
    at: history.now,
    actorEntraId: 'system',
    action: 'demo.seed',
    entityType: 'demo',
    entityRef: DEMO_SEED_KEY,
    detail: `reports=${history.reports.length} casework=${caseworkItems} reviews=${history.reviews.length} settledReminders=${settledReminders}`,
  });
  await store.state.completeLease(DEMO_SEED_KEY, realNow());
  const outcome = { seeded: true as const, reports: history.reports.length, caseworkItems, reviews: history.reviews.length, settledReminders };
  logger.info({ event: 'demo-seeded', ...outcome }, 'fictional demo history seeded (start with DEMO_DATA=off or `npm run dev -- --empty` for an empty demo)');
  return outcome;
}

async function anchor(state: StateStore): Promise<Date | undefined> {
  const stored = (await state.read([ANCHOR_KEY])).get(ANCHOR_KEY);
  return stored ? new Date(JSON.parse(stored.value) as string) : undefined;
}

/** Units and people of the history the directory does not have: then this is not the demo organisation. */
function missingFromDirectory(h: DemoHistory, dir: Directory): string[] {
  const units = new Set([...h.reports.map((r) => r.unitId), ...h.casework.map((w) => w.item.unitId), ...h.reviews.map((r) => r.unitId)]);
  const people = new Set(h.reports.flatMap((r) => [r.reporter, ...r.steps.flatMap((s) => [s.by, ...('utredare' in s ? [s.utredare] : []), ...('owner' in s ? [s.owner] : [])])]));
  h.reviews.forEach((r) => people.add(r.by));
  return [...[...units].filter((u) => !dir.unit(u)).map((u) => `unit ${u}`), ...[...people].filter((p) => !dir.person(p)).map((p) => `person ${p}`)];
}

/** Writes the history's reports and casework the way the services do. */
class HistoryWriter {
  constructor(
    private readonly deps: DemoSeedDeps,
    private readonly dir: Directory,
  ) {}

  person(entraId: string): Person {
    const p = this.dir.person(entraId)!;
    return { entraId: p.entraId.toLowerCase(), name: p.name };
  }

  private day(at: Date): string {
    return DateTime.fromJSDate(at, { zone: this.deps.timeZone }).toISODate()!;
  }

  /** The report as a submit creates it, then each step as the case service writes it. */
  async report(r: DemoReport): Promise<void> {
    const { store, timeZone } = this.deps;
    const reporter = this.person(r.reporter);
    // The units the form offers the reporter (their own; every unit for someone the directory does not know).
    const own = this.dir.unitsOf(reporter.entraId);
    const unitIds = (own.length ? own : this.dir.allUnits()).map((u) => u.id);
    const form = validateReportForm({ ...r.form, formId: demoUuid(`report/${r.key}`) }, { now: r.createdAt, timeZone, unitIds });
    if (!form.ok) throw new DemoSeedError(`demo report ${r.key}: the form would be refused (${Object.entries(form.errors).map(([k, v]) => `${k}: ${v}`).join('; ')})`);
    const unit = this.dir.unit(form.draft.unitId)!;
    // No routing: the people told about a new report would get a card about last month's.
    const { report } = await store.reports.create(
      {
        ...form.draft,
        year: DateTime.fromJSDate(r.createdAt, { zone: timeZone }).year,
        committeeId: unit.committeeId,
        reporterEntraId: reporter.entraId,
        reporterName: reporter.name,
        urgent: urgencyReasons(form.draft.risks).length > 0,
        createdAt: r.createdAt,
      },
      { actorEntraId: reporter.entraId, action: 'report.create', entityType: 'report', detail: `unit=${unit.id} source=demo` },
    );
    let current = report;
    let details = await store.cases.get(report.id);
    for (const [i, step] of r.steps.entries()) {
      if (await this.step(current, details, step, `${r.key}/${i}`)) {
        current = (await store.reports.getByReference(report.reference))!;
        details = await store.cases.get(report.id);
      }
    }
  }

  /** What the state machine needs to know about the case, as the case service tells it (CaseService.context). */
  private context(d: CaseDetails, at: Date, closingMotivation?: string): CaseContext {
    const decision = d.decisions.at(-1);
    const items = new Set<string>(d.entries.filter((e) => e.item !== INFORMING_ITEM).map((e) => e.item));
    if (d.actions.length) items.add('atgarder');
    return {
      decisionRequiresAnmalan: !!decision?.requiresAnmalan,
      investigationSentToIvo: !!d.filing && (d.filing.investigationAttached || !!d.filing.investigationSentOn),
      hasUtredare: !!d.utredare,
      ...(closingMotivation !== undefined ? { closingMotivation } : {}),
      ...(decision ? { decidedOutcome: decision.decidedOutcome } : {}),
      documentedItems: [...items],
      today: this.day(at),
    };
  }

  /** A transition the state machine allows from the case as stored, or a DemoSeedError saying why not. */
  private next(report: Report, d: CaseDetails, cmd: CaseCommand, at: Date, key: string, closingMotivation?: string): Report['state'] {
    const t = transition(report.state, cmd, this.context(d, at, closingMotivation));
    if (!t.ok) throw new DemoSeedError(`demo step ${key} (${cmd.type}) from ${report.state}: ${t.reason}`);
    return t.next;
  }

  /** Writes one step unless the stored case already has it; true when something was written. */
  private async step(report: Report, d: CaseDetails, s: DemoStep, key: string): Promise<boolean> {
    const { store } = this.deps;
    const by = this.person(s.by);
    const guard = (to: Report['state']) => ({ reportId: report.id, reference: report.reference, from: report.state, to, actor: by, at: s.at });
    const written = (ok: boolean) => {
      // A guarded write fails only when the state changed under us: nobody else writes during the seed.
      if (!ok) throw new DemoSeedError(`demo step ${key}: the case changed while it was seeded`);
      return true;
    };
    switch (s.kind) {
      case 'start': {
        if (d.utredare) return false;
        const to = this.next(report, d, { type: 'start-investigation', utredareEntraId: s.utredare }, s.at, key);
        return written(await store.cases.startInvestigation(guard(to), this.person(s.utredare)));
      }
      case 'decide': {
        if (d.decisions.length) return false;
        const parsed = parseAssessmentAnswers(s.answers);
        if (!parsed.ok) throw new DemoSeedError(`demo step ${key}: answers refused (${JSON.stringify(parsed.errors)})`);
        const rec = recommend(parsed.answers, s.at);
        const motivation = s.motivation ?? '';
        const problem = decisionProblem(rec, rec.outcome, motivation);
        if (problem) throw new DemoSeedError(`demo step ${key}: ${problem}`);
        const needsAnmalan = requiresAnmalan(rec.outcome);
        const to = this.next(report, d, { type: 'record-decision', requiresAnmalan: needsAnmalan }, s.at, key);
        // As the assessment writes it (src/cases/assessment.ts): the answers, the recommendation and its reasons.
        return written(
          await store.cases.recordDecision(guard(to), {
            answersJson: JSON.stringify(parsed.answers),
            recommendedOutcome: rec.outcome,
            recommendationJson: JSON.stringify({ reasons: rec.reasons, references: rec.references.map((x) => x.key) }),
            decidedOutcome: rec.outcome,
            requiresAnmalan: needsAnmalan,
            ...(motivation ? { motivation } : {}),
          }),
        );
      }
      case 'entry':
        // Idempotent by the form id, like a double click on the step form.
        await store.cases.addEntry(report.id, report.reference, { item: s.item, kind: s.entryKind, source: s.source, text: s.text, author: by, documentedAt: s.at }, demoUuid(`entry/${key}`));
        return true;
      case 'action':
        await store.cases.addAction(report.id, report.reference, { text: s.text, owner: this.person(s.owner), dueOn: s.dueOn, createdAt: s.at }, by, demoUuid(`action/${key}`));
        return true;
      case 'inform':
        await store.cases.addEntry(
          report.id,
          report.reference,
          { item: INFORMING_ITEM, kind: 'fakta', source: 'Information till den enskilde', text: informingText(s.informing), author: by, documentedAt: s.at },
          demoUuid(`inform/${key}`),
        );
        return true;
      case 'file': {
        if (d.filing) return false;
        const filedOn = this.day(s.at);
        const to = this.next(report, d, { type: 'record-filing', filedOn, ivoDiarienummer: s.dnr, investigationAttached: s.attached }, s.at, key);
        return written(await store.cases.recordFiling(guard(to), { filedOn, ivoDiarienummer: s.dnr, investigationAttached: s.attached }));
      }
      case 'close': {
        if (report.state === 'avslutad') return false;
        const to = this.next(report, d, { type: 'close' }, s.at, key, s.motivation ?? '');
        return written(await store.cases.close(guard(to), { decisionText: s.decisionText, ...(s.motivation ? { motivation: s.motivation } : {}) }));
      }
    }
  }

  /** The register through the CSV import, as an export from the case system would come in. */
  async casework(h: DemoHistory): Promise<number> {
    const { store } = this.deps;
    if ((await store.state.read([CASEWORK_KEY])).has(CASEWORK_KEY)) return h.casework.length;
    const out = await importCasework(
      {
        store,
        unitIds: () => this.dir.allUnits().map((u) => u.id),
        now: () => h.now,
        timeZone: this.deps.timeZone,
        closeMissing: false,
        judgmentDays: this.deps.judgmentDays,
        logger: this.deps.logger,
      },
      { source: DEMO_CASEWORK_SOURCE, csv: caseworkCsv(h.casework.map((w) => w.item)), full: false, actor: 'demo-seed' },
    );
    if (!out.ok) throw new DemoSeedError(`demo casework refused by the import: ${formatImportErrors(out.errors).join('; ')}`);
    await store.state.write([{ key: CASEWORK_KEY, value: JSON.stringify(out.rows) }]);
    return out.rows;
  }
}

/** The items as the case system's CSV export: every column of the import, ";"-separated. */
export function caseworkCsv(items: readonly CaseworkItem[]): string {
  const cell = (item: CaseworkItem, field: keyof CaseworkItem): string => {
    const v = item[field];
    if (field === 'status') return v === 'avslutad' ? 'avslutad' : 'öppen';
    if (typeof v === 'boolean') return v ? 'ja' : '';
    if (typeof v === 'string' && /[;"\r\n]/.test(v)) throw new DemoSeedError(`demo casework: ${field} must not hold ; or quotes`);
    return v === undefined ? '' : String(v);
  };
  const lines = [CSV_COLUMNS.map((c) => c.name).join(';'), ...items.map((i) => CSV_COLUMNS.map((c) => cell(i, c.field)).join(';'))];
  return `${lines.join('\n')}\n`;
}

/** Why the settled reminders were never sent (the outbox row's last error). */
export const DEMO_HISTORY_NOT_SENT = 'demo-history: reminder for the seeded past, not sent';

/**
 * The case reminders the seeded clocks have already reached at `now` (an anmälan overdue since
 * last week, an assessment due yesterday), settled: the reminder job is run against the store
 * with its enqueue captured, and what it would have enqueued is written to the outbox under the
 * same keys as final rows that were never sent (failed, with DEMO_HISTORY_NOT_SENT). The job
 * never enqueues a key twice, so none of them is sent later; reminders the clocks reach after
 * now get new keys and come as usual. Nothing is recorded as a delivery failure, so the status
 * summary does not list the demo people as unreachable.
 */
async function settleDueReminders(deps: DemoSeedDeps, now: Date, realNow: () => Date): Promise<number> {
  const { store } = deps;
  const captured: OutboxMessage[] = [];
  const capture: OutboxStore = {
    ...outboxMethods(store.outbox),
    async enqueue(messages) {
      captured.push(...messages);
      return [];
    },
  };
  const probe: Store = {
    kind: store.kind,
    state: store.state,
    conversations: store.conversations,
    organisation: store.organisation,
    reports: store.reports,
    audit: store.audit,
    cases: store.cases,
    casework: store.casework,
    status: store.status,
    outbox: capture,
    rateLimits: store.rateLimits,
    patterns: store.patterns,
    compilation: store.compilation,
    migrate: () => store.migrate(),
    health: () => store.health(),
    close: () => store.close(),
  };
  // The app's calendar and rules, so the keys (which hold the due day) are the ones its reminder job will compute.
  await new CaseReminders({ store: probe, directory: deps.directory, cards: deps.cards, logger: deps.logger, timeZone: deps.timeZone, clockRules: deps.clockRules, calendar: deps.calendar, realNow }).tick(now);
  if (!captured.length) return 0;
  // Held back until long after anyone's clock: no delivery worker claims them before they are settled.
  const held = new Date(realNow().getTime() + HOLD_MS);
  const ours = new Set(
    await store.outbox.enqueue(captured.map(({ onUndeliverable: _followUps, ...m }) => ({ ...m, notBefore: held }))),
  );
  const owner = `demo-seed/${demoUuid(`settle/${realNow().toISOString()}`)}`;
  let settled = 0;
  while (settled < ours.size) {
    const claimed = await store.outbox.claim(owner, held, SEED_LEASE_MS, ours.size - settled + 20);
    if (!claimed.length) break;
    for (const row of claimed) {
      if (ours.has(row.key)) {
        if (await store.outbox.finish(row.id, owner, { state: 'failed', error: DEMO_HISTORY_NOT_SENT }, realNow())) settled++;
      } else {
        // Someone else's card, due long before `held`: given straight back, as it was.
        await store.outbox.retryLater(row.id, owner, row.nextAttemptAt, row.lastError ?? '');
      }
    }
  }
  return settled;
}

/** Far enough ahead that no delivery worker's "now" reaches it. */
const HOLD_MS = 100 * 365 * 24 * 3600_000;

/** The outbox's methods, bound, so the probe can replace one of them. */
function outboxMethods(o: OutboxStore): OutboxStore {
  return {
    enqueue: (...a) => o.enqueue(...a),
    claim: (...a) => o.claim(...a),
    renew: (...a) => o.renew(...a),
    finish: (...a) => o.finish(...a),
    retryLater: (...a) => o.retryLater(...a),
    releaseAll: (...a) => o.releaseAll(...a),
    listByEntity: (...a) => o.listByEntity(...a),
    deliveryStates: (...a) => o.deliveryStates(...a),
    settledWithoutFollowUp: (...a) => o.settledWithoutFollowUp(...a),
    clearFinishedCards: (...a) => o.clearFinishedCards(...a),
    get: (key) => o.get(key),
    pendingCount: () => o.pendingCount(),
  };
}
