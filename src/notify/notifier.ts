/**
 * The port through which domain code sends a card to a person proactively. The transport layer
 * implements it with stored conversation references; tests implement it with a fake.
 */
import type { AdaptiveCard } from '../cards/render';

export type DeliveryOutcome =
  | { status: 'sent' }
  /** The person has never opened the app, or it was uninstalled: no conversation to write to. */
  | { status: 'no-reference' }
  /** Teams refused or did not answer; `error` is a code an operator can act on, never card text. */
  | { status: 'failed'; error: string };

export interface Notifier {
  sendCard(recipientEntraId: string, card: AdaptiveCard): Promise<DeliveryOutcome>;
}

/**
 * How long a claimed proactive send may take before another run (or instance) may take it over:
 * reminders are leased, sent, then marked done, so a send is neither repeated nor lost.
 */
export const DELIVERY_LEASE_MS = 5 * 60_000;
