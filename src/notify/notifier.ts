/**
 * The legacy port for sending a card to a person at once. No domain code uses it any more: every
 * proactive card is an outbox row first (src/store/outbox.ts), sent by the delivery worker through
 * a Sender (src/notify/sender.ts). The transport still implements it for one-off tools.
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
