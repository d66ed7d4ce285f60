/**
 * Delivers what producers put in the outbox, in-process: the real DeliveryWorker with a fake
 * Sender that records each card and can answer "no conversation" or fail for chosen people.
 * For tests of the producers (reminders, routing) that need to see what reached whom.
 */
import { createLogger } from '../../src/log/logger';
import type { AdaptiveCard } from '../../src/cards/render';
import type { SendResult } from '../../src/notify/delivery-policy';
import { recordDeliveryFailures } from '../../src/notify/delivery-records';
import { DeliveryWorker } from '../../src/notify/delivery-worker';
import type { Sender } from '../../src/notify/sender';
import type { OutboxOutcome, OutboxRow } from '../../src/store/outbox';
import type { Store } from '../../src/store/store';

export interface Delivered {
  to: string;
  purpose: string;
  key: string;
  card: AdaptiveCard;
}

export class RecordingSender implements Sender<string> {
  readonly sent: Delivered[] = [];
  /** People without a personal chat (never opened the app). */
  readonly unreachable = new Set<string>();
  /** Answers to give per person, in order, before sending normally. */
  readonly script = new Map<string, SendResult[]>();
  attempts = 0;
  private current: OutboxRow | undefined;

  async resolve(to: string) {
    return this.unreachable.has(to) ? undefined : { tenantId: 'tenant', ref: to };
  }
  async attempt(to: string, card: AdaptiveCard): Promise<SendResult> {
    this.attempts++;
    const next = this.script.get(to)?.shift();
    if (next) return next;
    this.sent.push({ to, card, purpose: this.current?.purpose ?? '', key: this.current?.key ?? '' });
    return { kind: 'sent', activityId: `activity-${this.sent.length}` };
  }
  /** The row being sent (the worker sends one at a time here), so each card is labelled with its key. */
  sending(row: OutboxRow | undefined) {
    this.current = row;
  }
}

export interface Finished {
  key: string;
  to: string;
  purpose: string;
  state: OutboxOutcome['state'];
}

/**
 * Claims and sends until nothing is due (follow-ups such as unreachable notices included), one
 * row at a time; records delivery failures as the app does. Returns every final outcome. Only
 * for stores whose pending rows are all due now or soon (`withinMs` bounds the wait).
 */
export async function deliverAll(
  store: Store,
  sender: RecordingSender,
  { withinMs = 5_000, recordedAt }: { withinMs?: number; /** When delivery failures are recorded (a test clock); default real time. */ recordedAt?: () => Date } = {},
): Promise<Finished[]> {
  const finished: Finished[] = [];
  const recordFailures = recordDeliveryFailures(store.status, recordedAt);
  const worker = new DeliveryWorker<string>({
    outbox: {
      claim: async (...args) => {
        const rows = await store.outbox.claim(...args);
        sender.sending(rows[0]);
        return rows;
      },
      enqueue: store.outbox.enqueue.bind(store.outbox),
      renew: store.outbox.renew.bind(store.outbox),
      finish: store.outbox.finish.bind(store.outbox),
      retryLater: store.outbox.retryLater.bind(store.outbox),
      releaseAll: store.outbox.releaseAll.bind(store.outbox),
      listByEntity: store.outbox.listByEntity.bind(store.outbox),
      deliveryStates: store.outbox.deliveryStates.bind(store.outbox),
      settledWithoutFollowUp: store.outbox.settledWithoutFollowUp.bind(store.outbox),
      clearFinishedCards: store.outbox.clearFinishedCards.bind(store.outbox),
      get: store.outbox.get.bind(store.outbox),
      pendingCount: store.outbox.pendingCount.bind(store.outbox),
    },
    sender,
    rateLimit: { acquire: async () => undefined },
    logger: createLogger('silent'),
    concurrency: 1,
    random: () => 0,
    onFinished: async (row, outcome) => {
      finished.push({ key: row.key, to: row.recipientEntraId, purpose: row.purpose, state: outcome.state });
      await recordFailures(row, outcome);
    },
  });
  // Until nothing is pending (a retry comes due after its Retry-After), bounded.
  const deadline = Date.now() + withinMs;
  while ((await worker.drainOnce()) > 0 || ((await store.outbox.pendingCount()) > 0 && Date.now() < deadline)) {
    await new Promise((r) => setTimeout(r, 20));
  }
  await worker.stop(0);
  return finished;
}
