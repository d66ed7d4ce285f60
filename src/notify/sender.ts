/**
 * The port through which the delivery worker reaches Teams: one attempt per call, so that the
 * worker decides about retries and every request takes a token from the shared rate limit.
 * The transport implements it (src/bot/proactive-notifier.ts); tests implement it with a fake.
 */
import type { AdaptiveCard } from '../cards/render';
import type { SendResult } from './delivery-policy';

export type { SendResult } from './delivery-policy';

/** Where a person's card goes: the tenant (whose rate limit the attempt counts against) and an opaque reference. */
export interface Destination<Ref> {
  tenantId: string;
  ref: Ref;
}

export interface Sender<Ref = unknown> {
  /** The person's active personal conversation, or undefined when there is none. */
  resolve(recipientEntraId: string): Promise<Destination<Ref> | undefined>;
  /**
   * Exactly one request to Teams (no retries inside), classified; never throws. A terminal
   * refusal (401/403/404) has already marked the reference inactive when this returns.
   * With `replacesActivityId`, the earlier message is updated in place instead.
   */
  attempt(ref: Ref, card: AdaptiveCard, replacesActivityId?: string): Promise<SendResult>;
}
