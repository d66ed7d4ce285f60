/**
 * One "bot process" for the weekly review reminders, run as a separate Node process by
 * test/review/two-processes.test.ts:
 *
 *   node --import tsx test/support/review-worker.ts <dbFile> <iso instant> [<iso instant> …]
 *
 * It opens the SQLite file (the organisation must already be synced into it), runs
 * ReviewReminders.tick at each instant in order and prints one JSON line per reminder it enqueued
 * to stdout; after each tick its DeliveryWorker delivers the outbox through a real
 * ProactiveNotifier to the serviceUrl of the stored conversation references (a fake Bot Connector
 * in the test) until nothing is pending. Exits 0 — or non-zero with a message on stderr.
 *
 * With REVIEW_WORKER_BARRIER=stdin it writes "ready" to stderr once set up and waits for a line
 * on stdin before the first tick, so that a test can start several workers at the same moment.
 */
import path from 'node:path';
import { createInterface } from 'node:readline';
import { createTeamsAdapter } from '../../src/bot/bot';
import { ProactiveNotifier } from '../../src/bot/proactive-notifier';
import { CardRenderer } from '../../src/cards/render';
import { createLogger } from '../../src/log/logger';
import { recordDeliveryFailures } from '../../src/notify/delivery-records';
import { DeliveryWorker } from '../../src/notify/delivery-worker';
import { SharedRateLimit } from '../../src/notify/shared-rate-limit';
import { Directory } from '../../src/org/directory';
import { loadOrganisationFile } from '../../src/org/load';
import { WorkingCalendar } from '../../src/review/calendar';
import { ReviewReminders } from '../../src/review/reminders';
import { resolveReviewSchedule } from '../../src/review/schedule';
import { ReviewService } from '../../src/review/service';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store';

const ROOT = path.resolve(__dirname, '..', '..');
const TIME_ZONE = 'Europe/Stockholm';

function waitForLine(): Promise<void> {
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: process.stdin });
    rl.once('line', () => {
      resolve();
      rl.close();
    });
    rl.once('close', () => reject(new Error('stdin closed before the start signal')));
  });
}

function write(stream: NodeJS.WriteStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => stream.write(text, (err) => (err ? reject(err) : resolve())));
}

async function main(): Promise<void> {
  const [file, ...instantTexts] = process.argv.slice(2);
  if (!file || !instantTexts.length) throw new Error('usage: review-worker.ts <dbFile> <iso instant> [<iso instant> …]');
  const instants = instantTexts.map((t) => {
    const d = new Date(t);
    if (Number.isNaN(d.getTime())) throw new Error(`not an ISO instant: ${t}`);
    return d;
  });

  const org = loadOrganisationFile(path.join(ROOT, 'env', 'organisation.demo.yaml'));
  const directory = new Directory(org);
  const schedules = new Map(org.committees.flatMap((c) => c.units.map((u) => [u.id, resolveReviewSchedule(u.review)] as const)));
  // Logs go to stderr: stdout carries only the JSON lines of reminders sent.
  const logger = createLogger(process.env.LOG_LEVEL ?? 'warn', process.stderr);
  const store = SqliteStore.open({ filename: file });
  try {
    await store.migrate();
    let current = instants[0]!;
    const now = () => current;
    const calendar = new WorkingCalendar();
    const cards = new CardRenderer();
    const notifier = new ProactiveNotifier(createTeamsAdapter({}), store.conversations, '', logger);
    const reviews = new ReviewService({ store, directory: () => directory, logger, timeZone: TIME_ZONE, now, warnDays: 7, calendar });
    const reminders = new ReviewReminders({
      store,
      directory: () => directory,
      cards,
      reviews,
      calendar,
      logger,
      timeZone: TIME_ZONE,
      scheduleFor: (unitId) => schedules.get(unitId),
      escalationWorkingDays: 3,
    });

    const delivery = new DeliveryWorker({ outbox: store.outbox, sender: notifier, rateLimit: new SharedRateLimit(store.rateLimits), logger, onFinished: recordDeliveryFailures(store.status) });

    if (process.env.REVIEW_WORKER_BARRIER === 'stdin') {
      await write(process.stderr, 'ready\n');
      await waitForLine();
    }

    for (const at of instants) {
      current = at;
      const sent = await reminders.tick(at);
      if (sent.length) await write(process.stdout, sent.map((s) => JSON.stringify({ ...s, at: at.toISOString(), pid: process.pid })).join('\n') + '\n');
      // Until nothing is pending: rows the other process holds are waited for, bounded.
      const deadline = Date.now() + 10_000;
      while ((await delivery.drainOnce()) > 0 || ((await store.outbox.pendingCount()) > 0 && Date.now() < deadline)) {
        await new Promise((r) => setTimeout(r, 20));
      }
    }
    await delivery.stop();
  } finally {
    await store.close();
  }
}

main().then(
  // Exit explicitly: HTTP keep-alive sockets of the connector client must not keep the process up.
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`review-worker failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`, () => process.exit(1));
  },
);
