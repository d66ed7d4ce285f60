/**
 * Wires the application together: store, organisation directory, bot and HTTP server, and takes
 * them down again in order.
 */
import { createBot } from './bot/bot';
import { backfillCaseworkDeadlines, formatImportErrors, importCasework } from './casework/import';
import { DEFAULT_CLOCK_RULES } from './cases/clocks';
import { CaseReminders } from './cases/reminders';
import { caseReminderChecks } from './cases/reminder-wanted';
import { seedDemoHistory } from './demo/seed';
import { WorkingCalendar } from './review/calendar';
import { ReviewReminders } from './review/reminders';
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
import type { Store } from './store/store';
import type { StopResult } from './shutdown';

export interface RunningApp {
  port: number;
  store: Store;
  http: HttpServer;
  /**
   * Graceful stop within SHUTDOWN_TIMEOUT_MS: new requests get 503, running turns finish (or are
   * cut at the deadline), background jobs stop, leases are released, the database closes. Says
   * what had to be given up; main.ts turns that into the exit code.
   */
  stop(): Promise<StopResult>;
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
  const run = () => {
    if (running) return;
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
}

export async function startApp({ config, logger, host, now = () => new Date() }: StartOptions): Promise<RunningApp> {
  // Read the organisation before touching the database, so a broken file fails fast and changes nothing.
  const orgFromFile = loadOrganisationFile(config.orgFile);
  const store = await openStore(config.store, { logger });
  const jobs: BackgroundJob[] = [];
  try {
    const sync = await store.organisation.sync(orgFromFile, now());
    const org = await store.organisation.load();
    if (!org) throw new Error('the organisation directory could not be read back after syncing it');
    const directory = new Directory(org);
    logger.info({ event: 'organisation-loaded', file: config.orgFile, ...sync }, 'organisation directory loaded');

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
    };
    const calendar = new WorkingCalendar({ timeZone: config.timeZone, deFactoHolidays: config.review.deFactoHolidays });
    const schedules = new Map(orgFromFile.committees.flatMap((c) => c.units.map((u) => [u.id, resolveReviewSchedule(u.review)] as const)));
    const scheduleFor = (unitId: string) => schedules.get(unitId);
    if (config.demoData) {
      // Before the bot and the reminder jobs start, so the first tick sees the history settled.
      const outcome = await seedDemoHistory({
        store, directory: () => directory, cards, logger, timeZone: config.timeZone, now, clockRules, calendar,
        warnDays: config.casework.warnDays, judgmentDays: config.casework.judgmentDays, scheduleFor,
      }).catch((err: unknown) => {
        // A demo without its history still works; the operator sees why in the log.
        logger.error({ err, event: 'demo-seed-failed' }, 'demo history not seeded');
        return undefined;
      });
      if (outcome?.seeded) logger.info({ event: 'demo-seeded', ...outcome }, 'demo history seeded (fictional, marked [Demo])');
    }
    // Real time, not the app's clock: a test clock that jumps would never refill the bucket.
    const rateLimit = new SharedRateLimit(store.rateLimits);
    // The worker needs the bot's sender, the bot's requests need to wake the worker: bound once it exists.
    let kickDelivery: () => void = () => undefined;
    const bot = createBot({ config, store, directory: () => directory, cards, logger, now, clockRules, calendar, scheduleFor, onEnqueued: () => kickDelivery() });
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
    });
    const port = await http.listen(config.port, host ?? config.host);
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
    if (config.reminderIntervalMs > 0) {
      jobs.push(startPeriodic('case-reminders', config.reminderIntervalMs, () => reminders.tick(now()), logger));
      jobs.push(startPeriodic('review-reminders', config.reminderIntervalMs, () => reviewReminders.tick(now()), logger));
    }
    logger.info(
      { event: 'started', port, store: store.kind, authenticated: !!config.bot, allowedTenants: config.allowedTenantIds.length },
      'Lex Sarah-assistenten is listening',
    );

    let stopping: Promise<StopResult> | undefined;
    const stop = () =>
      (stopping ??= (async (): Promise<StopResult> => {
        // One budget for everything (main.ts exits anyway at SHUTDOWN_TIMEOUT_MS): turns get most
        // of it; the rest is for sends already at Teams, the jobs and closing the database.
        const end = Date.now() + config.shutdownTimeoutMs - 200;
        const turnsDeadline = end - Math.min(2_000, Math.floor(config.shutdownTimeoutMs / 3));
        const remaining = () => Math.max(0, end - Date.now());
        // Delivery stops claiming at once: a row claimed now could only be cut by the end of the
        // budget (a possible duplicate); rows enqueued by the last turns wait, durable, for
        // another instance or the next start. Sends already at Teams finish meanwhile.
        const deliveryStopped = delivery.stop(Math.max(0, remaining() - 100));
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

    return { port, store, http, stop };
  } catch (err) {
    await store.close().catch(() => undefined);
    throw err;
  }
}
