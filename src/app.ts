/**
 * Wires the application together: store, organisation directory, bot and HTTP server, and takes
 * them down again in order.
 */
import { createBot } from './bot/bot';
import { backfillCaseworkDeadlines, formatImportErrors, importCasework } from './casework/import';
import { DEFAULT_CLOCK_RULES } from './cases/clocks';
import { CaseReminders } from './cases/reminders';
import { caseReminderChecks } from './cases/reminder-wanted';
import { DEMO_SEED_ANCHOR_KEY, DEMO_SEED_KEY, DEMO_SEED_LEASE_MS, seedDemoHistory, type DemoSeedDeps } from './demo/seed';
import { WorkingCalendar } from './review/calendar';
import { refreshStoredClocks, StoredClockFailure } from './cases/stored-clocks';
import { ReviewReminders } from './review/reminders';
import { ensureReviewEpoch, recordUnitsSeen } from './review/epoch';
import { resolveReviewSchedule } from './review/schedule';
import { CardRenderer } from './cards/render';
import type { Config } from './config/config';
import { runBotRequest, type ActivityProcessor } from './http/bot-request';
import { createHttpServer, type HttpServer } from './http/server';
import type { Logger } from './log/logger';
import { recordDeliveryFailures } from './notify/delivery-records';
import { DeliveryWorker } from './notify/delivery-worker';
import { SharedRateLimit } from './notify/shared-rate-limit';
import { Directory } from './org/directory';
import { loadOrganisationFile } from './org/load';
import { openStore } from './store/open-store';
import type { OrganisationRecord } from './store/org-records';
import type { Store } from './store/store';
import type { StopResult } from './shutdown';

export interface RunningApp {
  port: number;
  store: Store;
  http: HttpServer;
  /**
   * Resolves once every background job has started: at once, or, when another start is seeding
   * the demo history, after that seed finished (or the wait for it ran out, logged).
   */
  ready: Promise<void>;
  /**
   * Graceful stop within SHUTDOWN_TIMEOUT_MS: new requests get 503, running turns finish (or are
   * cut at the deadline), background jobs stop, leases are released, the database closes. Says
   * what had to be given up; main.ts turns that into the exit code.
   */
  stop(): Promise<StopResult>;
  /** Resolves when the work turns leave behind them (new reports' pattern evaluations) is done. */
  settled(): Promise<void>;
}

/** Something that runs in the background and must be stopped before the database closes. */
export interface BackgroundJob {
  name: string;
  stop(): Promise<void>;
}

/**
 * Runs `work` now and then every `intervalMs`, never two at once. The first run at start-up
 * enqueues what came due while the bot was down (one row per person and reminder: the keys say so).
 */
const RECEIPT_SWEEP_INTERVAL_MS = 60_000;
const RECEIPT_SWEEP_WINDOW_MS = 60 * 60_000;
const RECEIPT_SWEEP_FIRST_WINDOW_MS = 7 * 24 * 60 * 60_000;
const OUTBOX_CARD_RETENTION_MS = 30 * 24 * 60 * 60_000;
const OUTBOX_RETENTION_INTERVAL_MS = 60 * 60_000;

export function startPeriodic(name: string, intervalMs: number, work: () => Promise<unknown>, logger: Logger): BackgroundJob {
  let running: Promise<void> | undefined;
  let stopped = false;
  const run = () => {
    // A stop before the first run's turn must not let it run against a closed database.
    if (running || stopped) return;
    running = work()
      .then(() => undefined)
      .catch((err: unknown) => logger.error({ err, job: name }, 'background job failed'))
      .finally(() => (running = undefined));
  };
  const timer = setInterval(run, intervalMs);
  timer.unref();
  setImmediate(run);
  return {
    name,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await running;
    },
  };
}

export interface StartOptions {
  config: Config;
  logger: Logger;
  host?: string;
  now?: () => Date;
  /** How long to wait for a demo seed another start is running, and how often to look (tests shorten it). */
  demoSeedWait?: { timeoutMs?: number; pollMs?: number };
}

/** How far back the pattern sweep evaluates reports again: a day covers any restart. */
const PATTERN_SWEEP_WINDOW_MS = 24 * 3_600_000;
/** How often the pattern sweep runs when REMINDER_INTERVAL_MS=0 turns the reminder jobs off. */
const PATTERN_SWEEP_FALLBACK_INTERVAL_MS = 10 * 60_000;

// --- The demo history: only into a database that is new to the demo ---------------------------
// config.demoData says the environment allows a demo (no ORG_FILE, not production); the
// database must agree too. A database that served a real organisation and is started once
// without ORG_FILE would otherwise get the fictional history beside the real one: [Demo] reports
// using up LS numbers, demo cases in real units with the same ids, reminders to real people.

/** Set once a start refused the seed: a later start, after the sync replaced the organisation with the demo's, still knows. */
export const DEMO_SEED_REFUSED_KEY = `${DEMO_SEED_KEY}/refused`;
/** Longer than the seed's lease: a seed whose start died is taken over by the wait. */
const DEMO_SEED_WAIT_MS = DEMO_SEED_LEASE_MS + 15_000;
const DEMO_SEED_POLL_MS = 1_000;

/** What the database held before this start synced the demo organisation into it. */
export interface DemoDatabaseFacts {
  /** The municipality of the organisation stored before the sync; undefined in a new database. */
  storedMunicipality?: string;
  /** Any report or casework item stored. */
  hasData: boolean;
  /** A demo seed began here (its first "now" is stored), so the data may be its own. */
  seedBegun: boolean;
  /** Why an earlier start refused the seed for this database, if one did. */
  refusedBefore?: DemoSeedRefusal;
}

export type DemoSeedRefusal = 'another-organisation' | 'data-not-from-demo';
export type DemoSeedGate = { seed: true } | { seed: false; reason: DemoSeedRefusal };

/** Whether the demo history may be written into this database (the environment already allows a demo). */
export function demoSeedGate(demoMunicipality: string, f: DemoDatabaseFacts): DemoSeedGate {
  if (f.refusedBefore) return { seed: false, reason: f.refusedBefore };
  if (f.storedMunicipality !== undefined && f.storedMunicipality !== demoMunicipality) return { seed: false, reason: 'another-organisation' };
  // Reports or casework the seed did not write: a start with DEMO_DATA=off, or `npm run import`
  // into a database no bot had started on (it stores no organisation).
  if (f.hasData && !f.seedBegun) return { seed: false, reason: 'data-not-from-demo' };
  return { seed: true };
}

const DEMO_REFUSED_MESSAGES: Record<DemoSeedRefusal, string> = {
  'another-organisation':
    'demo history not seeded: this database has held another organisation (it was used with ORG_FILE). Start it with that ORG_FILE, or give the demo a database of its own (SQLITE_PATH; `npm run dev` uses ./data/lex-sarah-demo.db)',
  'data-not-from-demo':
    'demo history not seeded: this database already holds reports or casework that are not the demo history. Give the demo a database of its own (SQLITE_PATH; `npm run dev` uses ./data/lex-sarah-demo.db), or start with DEMO_DATA=off',
};

/**
 * The facts, read so that a seed another start is running is never taken for foreign data: the
 * counts first, then the seed's anchor (written before the seed's first report).
 */
async function demoDatabaseFacts(store: Store, stored: OrganisationRecord | undefined, demo: OrganisationRecord): Promise<DemoDatabaseFacts & { refusedMunicipality?: string }> {
  const marker = (await store.state.read([DEMO_SEED_REFUSED_KEY])).get(DEMO_SEED_REFUSED_KEY);
  const refused = marker ? (JSON.parse(marker.value) as { reason?: DemoSeedRefusal; municipality?: string }) : undefined;
  const refusedMunicipality = refused?.municipality;
  const unitIds = [...new Set([...(stored ? [stored] : []), demo].flatMap((o) => o.committees.flatMap((c) => c.units.map((u) => u.id))))];
  // Every report ever created in these units (whatever clock the starts ran on): an indexed count, nothing read row by row.
  const counts = await store.status.counts({
    unitIds, from: new Date(0), to: new Date('9999-12-31T00:00:00Z'), fromDay: '0001-01-01', toDay: '9999-12-31', today: '9999-12-31', approachingUntil: '9999-12-31',
  });
  const hasData = counts.newReports.some((c) => c.count > 0) || (await store.casework.count()) > 0;
  const seedBegun = hasData && (await store.state.read([DEMO_SEED_ANCHOR_KEY])).has(DEMO_SEED_ANCHOR_KEY);
  return {
    ...(stored ? { storedMunicipality: stored.municipality } : {}),
    hasData,
    seedBegun,
    ...(refused ? { refusedBefore: refused.reason ?? 'another-organisation' } : {}),
    ...(refusedMunicipality ? { refusedMunicipality } : {}),
  };
}

type DemoSeedStart = 'done' | 'in-progress';

/** Seeds the demo history when the database is new to it; 'in-progress' when another start holds the seed. */
async function seedDemoIfNew(seed: DemoSeedDeps, stored: OrganisationRecord | undefined, demo: OrganisationRecord, logger: Logger): Promise<DemoSeedStart> {
  const { store } = seed;
  try {
    // Seeded before: nothing to decide (the seed itself would say the same).
    if ((await store.state.completedLeases([DEMO_SEED_KEY])).has(DEMO_SEED_KEY)) return 'done';
    const facts = await demoDatabaseFacts(store, stored, demo);
    const gate = demoSeedGate(demo.municipality, facts);
    if (!gate.seed) {
      // The other organisation's name helps the operator find its ORG_FILE (a name of a municipality, not of a person).
      const storedMunicipality = facts.storedMunicipality && facts.storedMunicipality !== demo.municipality ? facts.storedMunicipality : facts.refusedMunicipality;
      if (!facts.refusedBefore) {
        await store.state.write([{ key: DEMO_SEED_REFUSED_KEY, value: JSON.stringify({ reason: gate.reason, at: new Date().toISOString(), ...(storedMunicipality ? { municipality: storedMunicipality } : {}) }) }]);
      }
      logger.warn({ event: 'demo-seed-refused', reason: gate.reason, ...(storedMunicipality ? { storedMunicipality } : {}) }, DEMO_REFUSED_MESSAGES[gate.reason]);
      return 'done';
    }
    // The seed logs what it wrote (and why it wrote nothing, for an organisation that is not the demo's).
    const outcome = await seedDemoHistory(seed);
    return !outcome.seeded && outcome.reason === 'in-progress' ? 'in-progress' : 'done';
  } catch (err) {
    // A demo without its history still works; the operator sees why in the log.
    logger.error({ err, event: 'demo-seed-failed' }, 'demo history not seeded');
    return 'done';
  }
}

/**
 * Another start is seeding: the reminder jobs wait for it, or their first tick would enqueue
 * reminders about the seeded past before the seed settled them. Asking the seed again also takes
 * the work over when that start died (its lease runs out within the wait).
 */
async function waitForDemoSeed(seed: DemoSeedDeps, logger: Logger, opts: { timeoutMs: number; pollMs: number; stopped: () => boolean }): Promise<void> {
  const started = Date.now();
  logger.info({ event: 'demo-seed-waiting', timeoutMs: opts.timeoutMs }, 'another start is seeding the demo history: the reminder jobs start when it is done');
  while (Date.now() - started < opts.timeoutMs) {
    await new Promise((resolve) => setTimeout(resolve, opts.pollMs).unref());
    if (opts.stopped()) return;
    const outcome = await seedDemoHistory(seed).catch((err: unknown) => {
      logger.error({ err, event: 'demo-seed-failed' }, 'demo history not seeded');
      return undefined;
    });
    if (!outcome || outcome.seeded || outcome.reason !== 'in-progress') return;
  }
  logger.warn(
    { event: 'demo-seed-wait-timeout', waitedMs: Date.now() - started },
    'the demo seed another start began has not finished: the reminder jobs start anyway and may send reminders about the seeded history. If no other instance is running, restart: the seed resumes where it stopped',
  );
}

export async function startApp({ config, logger, host, now = () => new Date(), demoSeedWait }: StartOptions): Promise<RunningApp> {
  // Read the organisation before touching the database, so a broken file fails fast and changes nothing.
  const orgFromFile = loadOrganisationFile(config.orgFile);
  const store = await openStore(config.store, { logger });
  const jobs: BackgroundJob[] = [];
  try {
    // Before the sync replaces it: whether this database is new to the demo depends on what it held.
    const storedOrg = config.demoData ? await store.organisation.load() : undefined;
    const sync = await store.organisation.sync(orgFromFile, now());
    const org = await store.organisation.load();
    if (!org) throw new Error('the organisation directory could not be read back after syncing it');
    const directory = new Directory(org);
    logger.info({ event: 'organisation-loaded', file: config.orgFile, ...sync }, 'organisation directory loaded');
    // From when weekly reviews count, whether or not the reminder job runs: a unit that never
    // reviews shows as missed, and a unit added today is not missing last month's weeks.
    await ensureReviewEpoch(store.state, now());
    await recordUnitsSeen(store.state, directory.allUnits().map((u) => u.id), now());

    // Items imported before migration 8 have no stored deadline: compute them once, so the status counts include them.
    const backfilled = await backfillCaseworkDeadlines({ store, timeZone: config.timeZone, logger, judgmentDays: config.casework.judgmentDays });
    if (backfilled > 0) logger.info({ event: 'casework-deadlines-backfilled', items: backfilled }, 'stored deadlines for casework items imported earlier');

    const cards = new CardRenderer();
    const clockRules = {
      ...DEFAULT_CLOCK_RULES,
      anmalanSlaDays: config.anmalanSlaDays,
      assessmentWorkingDays: config.assessmentWorkingDays,
      assessmentWorkingDaysUrgent: config.assessmentWorkingDaysUrgent,
      investigationToIvoMonths: config.investigationToIvoMonths,
      closingDays: config.caseClosingDays,
    };
    const calendar = new WorkingCalendar({ timeZone: config.timeZone, deFactoHolidays: config.review.deFactoHolidays });
    // Cases' stored clocks not yet computed (after migration 18, or under changed clock settings):
    // computed now, so the first status summary does not pay for all of them. A case whose clock
    // cannot be computed is logged and left stale: the status summary then says it cannot count,
    // but the bot still starts (reports, reminders and the case card do not depend on it).
    try {
      const storedClocks = await refreshStoredClocks({ store, calendar, rules: clockRules, logger });
      if (storedClocks > 0) logger.info({ event: 'stored-clocks-refreshed', cases: storedClocks }, 'stored the running clocks of cases not computed yet');
    } catch (err) {
      // Only a case's own bad data; a store that fails here fails start-up, as before.
      if (!(err instanceof StoredClockFailure)) throw err;
      logger.error({ err, event: 'stored-clocks-refresh-failed', cases: err.reportIds.length }, 'the stored lex Sarah clocks could not all be computed at start-up');
    }
    const schedules = new Map(orgFromFile.committees.flatMap((c) => c.units.map((u) => [u.id, resolveReviewSchedule(u.review)] as const)));
    const scheduleFor = (unitId: string) => schedules.get(unitId);
    const demoSeed: DemoSeedDeps = {
      store, directory: () => directory, cards, logger, timeZone: config.timeZone, now, clockRules, calendar,
      warnDays: config.casework.warnDays, judgmentDays: config.casework.judgmentDays, scheduleFor,
    };
    // Before the bot and the reminder jobs start, so the first tick sees the history settled.
    const demoSeedStart: DemoSeedStart = config.demoData ? await seedDemoIfNew(demoSeed, storedOrg, orgFromFile, logger) : 'done';
    // Real time, not the app's clock: a test clock that jumps would never refill the bucket.
    const rateLimit = new SharedRateLimit(store.rateLimits);
    // The worker needs the bot's sender, the bot's requests need to wake the worker: bound once it exists.
    let kickDelivery: () => void = () => undefined;
    // Download links name the address users reach; locally, the port this process listens on.
    let listeningPort = config.port;
    const publicBaseUrl = () => config.publicBaseUrl ?? `http://localhost:${listeningPort}`;
    const bot = createBot({ config, store, directory: () => directory, cards, logger, now, clockRules, calendar, scheduleFor, onEnqueued: () => kickDelivery(), publicBaseUrl });
    const importDeps = {
      store,
      unitIds: () => directory.allUnits().map((u) => u.id),
      now,
      timeZone: config.timeZone,
      closeMissing: config.casework.closeMissing,
      // The stored deadline and the review card must use the same local limit for judgments.
      judgmentDays: config.casework.judgmentDays,
      logger,
    };
    const http = createHttpServer({
      logger,
      maxBodyBytes: config.maxBodyBytes,
      authRequired: !!config.bot,
      ...(config.casework.importApiKey
        ? {
            casework: {
              apiKey: config.casework.importApiKey,
              maxBytes: config.casework.importMaxBytes,
              async import(input: { source: string; full: boolean; csv: string }) {
                const out = await importCasework(importDeps, { ...input, actor: 'api' });
                return out.ok
                  ? { status: 200, body: { status: 'imported', rows: out.rows, closedMissing: out.closedMissing, ...out.result } }
                  : { status: 422, body: { status: 'rejected', message: 'Inget importerades.', errors: formatImportErrors(out.errors) } };
              },
            },
          }
        : {}),
      // processActivity() rather than process(): see src/http/bot-request.ts for why.
      processMessage: async (req, res) => {
        const adapter: ActivityProcessor<Parameters<typeof bot.onTurn>[0]> = {
          processActivity: (auth, activity, logic) => bot.adapter.processAuthenticated(auth, activity, logic),
        };
        const out = await runBotRequest(adapter, bot.onTurn, { activity: req.body, authorization: req.header('authorization') ?? '' });
        res.send(out.status, out.body);
      },
      health: () => store.health(),
      exports: bot.exports,
    });
    const port = await http.listen(config.port, host ?? config.host);
    listeningPort = port;
    // Every instance delivers the outbox; jobs stop in reverse order, so delivery stops last.
    const recordFailures = recordDeliveryFailures(store.status);
    const delivery = new DeliveryWorker({
      outbox: store.outbox,
      sender: bot.notifier,
      rateLimit,
      logger,
      leaseMs: config.deliveryLeaseMs,
      // A case reminder whose clock no longer runs with that deadline is dropped, not sent.
      stillWanted: { byPurpose: caseReminderChecks({ store, timeZone: config.timeZone, clockRules, calendar }), audit: store.audit },
      onFinished: async (row, outcome) => {
        await recordFailures(row, outcome);
        await bot.reports.deliveryFinished(row, outcome);
      },
    });
    kickDelivery = () => delivery.kick();
    delivery.start();
    let deliveryUnfinished = 0;
    jobs.push({
      name: 'delivery',
      async stop() {
        deliveryUnfinished = (await delivery.stop()).unfinished;
        if (deliveryUnfinished > 0) logger.warn({ event: 'shutdown', unfinishedSends: deliveryUnfinished }, 'cards still at Teams when delivery stopped: their outcome is unknown');
      },
    });
    // Stopped after the turns drain and before the database closes: alerts it fires are in the
    // outbox (durable; another instance or the next start sends them, as delivery already stopped claiming).
    jobs.push({ name: 'pattern-evaluations', stop: () => bot.patternEvaluations.stop() });
    // An instance that died between a routing outcome and its receipt update leaves a receipt
    // saying "väntar": every instance repairs that, first over the last week, then every minute
    // over the last hour (outcomes are stamped with real time, as here).
    let receiptWindowMs = RECEIPT_SWEEP_FIRST_WINDOW_MS;
    jobs.push(
      startPeriodic('receipt-sweep', RECEIPT_SWEEP_INTERVAL_MS, async () => {
        const since = new Date(Date.now() - receiptWindowMs);
        receiptWindowMs = RECEIPT_SWEEP_WINDOW_MS;
        const updated = await bot.reports.settleReceipts(since);
        if (updated) logger.info({ event: 'receipts-settled', count: updated }, 'receipts left waiting by a stopped instance were updated');
      }, logger),
    );
    // Delivered cards carry report details (unit, category, dates): kept for a month for support
    // questions, then cleared in small batches. The rows stay, so no card is enqueued twice.
    jobs.push(
      startPeriodic('outbox-retention', OUTBOX_RETENTION_INTERVAL_MS, async () => {
        const before = new Date(Date.now() - OUTBOX_CARD_RETENTION_MS);
        let cleared = 0;
        for (let n = -1; n !== 0 && cleared < 50_000; cleared += n) n = await store.outbox.clearFinishedCards(before, 1_000);
        if (cleared) logger.info({ event: 'outbox-cards-cleared', count: cleared }, 'cards of delivered messages older than the retention were cleared');
      }, logger),
    );
    // Set first thing by stop(): a wait for another start's seed ends, and no job starts after it.
    let closing = false;
    const demoSeeded =
      demoSeedStart === 'in-progress'
        ? waitForDemoSeed(demoSeed, logger, { timeoutMs: demoSeedWait?.timeoutMs ?? DEMO_SEED_WAIT_MS, pollMs: demoSeedWait?.pollMs ?? DEMO_SEED_POLL_MS, stopped: () => closing })
        : Promise.resolve();
    jobs.push({ name: 'demo-seed-wait', stop: () => demoSeeded });
    const onEnqueued = () => delivery.kick();
    const reminders = new CaseReminders({ store, directory: () => directory, cards, logger, timeZone: config.timeZone, clockRules, calendar, onEnqueued });
    const reviewReminders = new ReviewReminders({
      store,
      directory: () => directory,
      cards,
      reviews: bot.reviews,
      onEnqueued,
      calendar,
      logger,
      timeZone: config.timeZone,
      scheduleFor,
      escalationWorkingDays: config.review.escalationWorkingDays,
    });
    const ready = demoSeeded.then(() => {
      if (closing) return;
      // Catches up pattern rules left unevaluated after a report committed: a crash, a shutdown
      // that cut the queue, an evaluation that failed (evaluated once: stored alerts are kept).
      // Also with the reminders off: it is the only catch-up there is.
      const sweepEvery = config.reminderIntervalMs > 0 ? config.reminderIntervalMs : PATTERN_SWEEP_FALLBACK_INTERVAL_MS;
      jobs.push(startPeriodic('pattern-sweep', sweepEvery, () => bot.patterns.sweep(new Date(now().getTime() - PATTERN_SWEEP_WINDOW_MS), now()), logger));
      // The weekly rules (missed reviews, the overdue share) on the same beat: their own job, so one failing does not stop the other.
      jobs.push(startPeriodic('pattern-weekly', sweepEvery, () => bot.weeklyPatterns.sweep(now()), logger));
      if (config.reminderIntervalMs <= 0) return;
      jobs.push(startPeriodic('case-reminders', config.reminderIntervalMs, () => reminders.tick(now()), logger));
      jobs.push(startPeriodic('review-reminders', config.reminderIntervalMs, () => reviewReminders.tick(now()), logger));
    });
    logger.info(
      { event: 'started', port, store: store.kind, authenticated: !!config.bot, allowedTenants: config.allowedTenantIds.length },
      'Lex Sarah-assistenten is listening',
    );

    let stopping: Promise<StopResult> | undefined;
    const stop = () =>
      (stopping ??= (async (): Promise<StopResult> => {
        closing = true;
        // One budget for everything (main.ts exits anyway at SHUTDOWN_TIMEOUT_MS): turns get most
        // of it; the rest is for sends already at Teams, the jobs and closing the database.
        const end = Date.now() + config.shutdownTimeoutMs - 200;
        const turnsDeadline = end - Math.min(2_000, Math.floor(config.shutdownTimeoutMs / 3));
        const remaining = () => Math.max(0, end - Date.now());
        // Delivery stops claiming at once: a row claimed now could only be cut by the end of the
        // budget (a possible duplicate); rows enqueued by the last turns wait, durable, for
        // another instance or the next start. Sends already at Teams finish meanwhile.
        const deliveryStopped = delivery.stop(Math.max(0, remaining() - 100));
        // The last turns' pattern rules run now, not after turns: the queue must drain within the budget.
        bot.patternEvaluations.hurry();
        const drained = await http.drain(turnsDeadline);
        let unfinishedSends = 0;
        let releasedLeases = 0;
        const failedJobs: string[] = [];
        for (const job of jobs.splice(0).reverse()) {
          // The worker's own grace (10 s) would outlast the budget; stop() is idempotent, so the job's stop below gets this result.
          if (job.name === 'delivery') {
            const r = await deliveryStopped;
            unfinishedSends = r.unfinished;
            releasedLeases = r.released;
          }
          let timer: NodeJS.Timeout | undefined;
          const outcome = await Promise.race([
            job.stop().then(
              () => 'stopped' as const,
              (err: unknown) => {
                logger.error({ err, job: job.name }, 'stopping a background job failed');
                return 'failed' as const;
              },
            ),
            new Promise<'timed out'>((resolve) => (timer = setTimeout(() => resolve('timed out'), Math.max(0, remaining() - 50)))),
          ]);
          clearTimeout(timer);
          if (outcome === 'timed out') logger.error({ event: 'shutdown', job: job.name }, 'a background job was still running when the shutdown time ran out');
          if (outcome !== 'stopped') failedJobs.push(job.name);
        }
        let databaseClosed = true;
        await store.close().catch((err: unknown) => {
          databaseClosed = false;
          logger.error({ err }, 'closing the database failed');
        });
        logger.info({ event: 'stopped' }, 'stopped');
        return { finishedTurns: drained.finished, cutTurns: drained.cut, refusedRequests: drained.refused, unfinishedSends, releasedLeases, failedJobs, databaseClosed };
      })());

    return { port, store, http, ready, stop, settled: () => bot.patternEvaluations.idle() };
  } catch (err) {
    await store.close().catch(() => undefined);
    throw err;
  }
}
