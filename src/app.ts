/**
 * Wires the application together: store, organisation directory, bot and HTTP server, and takes
 * them down again in order.
 */
import { createBot } from './bot/bot';
import { backfillCaseworkDeadlines, formatImportErrors, importCasework } from './casework/import';
import { DEFAULT_CLOCK_RULES } from './cases/clocks';
import { CaseReminders } from './cases/reminders';
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

export interface RunningApp {
  port: number;
  store: Store;
  http: HttpServer;
  /** Graceful stop: no new requests, running turns finish, background jobs stop, database closes. */
  stop(): Promise<void>;
}

/** Something that runs in the background and must be stopped before the database closes. */
export interface BackgroundJob {
  name: string;
  stop(): Promise<void>;
}

/**
 * Runs `work` now and then every `intervalMs`, never two at once. The first run at start-up
 * sends what came due while the bot was down.
 */
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
  const store = await openStore(config.store);
  const jobs: BackgroundJob[] = [];
  try {
    const sync = await store.organisation.sync(orgFromFile, now());
    const org = await store.organisation.load();
    if (!org) throw new Error('the organisation directory could not be read back after syncing it');
    const directory = new Directory(org);
    logger.info({ event: 'organisation-loaded', file: config.orgFile, ...sync }, 'organisation directory loaded');

    // Items imported before migration 8 have no stored deadline: compute them once, so the status counts include them.
    const backfilled = await backfillCaseworkDeadlines({ store, timeZone: config.timeZone, logger });
    if (backfilled > 0) logger.info({ event: 'casework-deadlines-backfilled', items: backfilled }, 'stored deadlines for casework items imported earlier');

    const cards = new CardRenderer();
    const clockRules = { ...DEFAULT_CLOCK_RULES, anmalanSlaDays: config.anmalanSlaDays };
    const calendar = new WorkingCalendar({ timeZone: config.timeZone, deFactoHolidays: config.review.deFactoHolidays });
    const schedules = new Map(orgFromFile.committees.flatMap((c) => c.units.map((u) => [u.id, resolveReviewSchedule(u.review)] as const)));
    const scheduleFor = (unitId: string) => schedules.get(unitId);
    // Real time, not the app's clock: a test clock that jumps would never refill the bucket.
    const rateLimit = new SharedRateLimit(store.rateLimits);
    const bot = createBot({ config, store, directory: () => directory, cards, logger, now, clockRules, calendar, scheduleFor, rateLimit });
    const importDeps = {
      store,
      unitIds: () => directory.allUnits().map((u) => u.id),
      now,
      timeZone: config.timeZone,
      closeMissing: config.casework.closeMissing,
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
    const delivery = new DeliveryWorker({ outbox: store.outbox, sender: bot.notifier, rateLimit, logger, onFinished: recordDeliveryFailures(store.status) });
    delivery.start();
    let deliveryUnfinished = 0;
    jobs.push({
      name: 'delivery',
      async stop() {
        deliveryUnfinished = (await delivery.stop()).unfinished;
        if (deliveryUnfinished > 0) logger.warn({ event: 'shutdown', unfinishedSends: deliveryUnfinished }, 'cards still at Teams when delivery stopped: their outcome is unknown');
      },
    });
    const reminders = new CaseReminders({ store, directory: () => directory, cards, notifier: bot.notifier, logger, timeZone: config.timeZone, clockRules });
    const reviewReminders = new ReviewReminders({
      store,
      directory: () => directory,
      cards,
      notifier: bot.notifier,
      reviews: bot.reviews,
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

    let stopping: Promise<void> | undefined;
    const stop = () =>
      (stopping ??= (async () => {
        const deadline = Date.now() + config.shutdownTimeoutMs - 500;
        const finished = await http.drain(deadline);
        if (!finished) logger.warn({ event: 'shutdown', inFlight: http.inFlight }, 'requests still running at the shutdown deadline');
        for (const job of jobs.splice(0).reverse()) {
          await job.stop().catch((err: unknown) => logger.error({ err, job: job.name }, 'stopping a background job failed'));
        }
        await store.close();
        logger.info({ event: 'stopped' }, 'stopped');
      })());

    return { port, store, http, stop };
  } catch (err) {
    await store.close().catch(() => undefined);
    throw err;
  }
}
