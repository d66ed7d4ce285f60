/**
 * What follows a final delivery outcome, outside the transport: an undeliverable card becomes a
 * delivery failure in the status summary ("Kunde inte nås"), as the senders recorded it before
 * the outbox. Plug it in as the worker's onFinished (combine with the receipt update).
 */
import type { OutboxOutcome, OutboxRow } from '../store/outbox';
import type { DeliveryFailure, DeliveryPurpose, StatusStore } from '../store/status';
import { NO_LONGER_DUE } from './delivery-worker';

/** The status summary's three kinds, from an outbox purpose ('case-escalation' is a case reminder, every 'review-*' a review reminder). */
export function deliveryPurposeOf(purpose: string): DeliveryPurpose | undefined {
  if (purpose === 'new-report') return 'new-report';
  if (purpose.startsWith('case-')) return 'case-reminder';
  if (purpose.startsWith('review-')) return 'review-reminder';
  return undefined;
}

/** The failure to record for a final outcome, or undefined when the card arrived (or the purpose is not summarised). */
export function deliveryFailureOf(row: OutboxRow, outcome: OutboxOutcome, at: Date): DeliveryFailure | undefined {
  if (outcome.state === 'sent') return undefined;
  // Dropped unsent because it was no longer wanted (delivery-worker.ts): nobody failed to be reached.
  if (outcome.state === 'failed' && outcome.error === NO_LONGER_DUE) return undefined;
  const purpose = deliveryPurposeOf(row.purpose);
  if (!purpose) return undefined;
  return {
    at,
    recipientEntraId: row.recipientEntraId,
    recipientName: row.recipientName,
    unitId: row.unitId ?? '',
    committeeId: row.committeeId ?? '',
    purpose,
    entityRef: row.entityRef,
    status: outcome.state,
    ...(outcome.state === 'failed' ? { error: outcome.error } : {}),
  };
}

/** An onFinished hook that records undeliverable cards in the status store. */
export function recordDeliveryFailures(status: Pick<StatusStore, 'recordDeliveryFailure'>, now: () => Date = () => new Date()) {
  return async (row: OutboxRow, outcome: OutboxOutcome): Promise<void> => {
    const failure = deliveryFailureOf(row, outcome, now());
    if (failure) await status.recordDeliveryFailure(failure);
  };
}
