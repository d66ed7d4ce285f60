/**
 * Sends cards to people proactively through their stored personal conversation (transport layer).
 * Teams' terminal refusals (uninstalled, blocked, conversation gone) mark the reference inactive
 * so that nobody keeps writing into the void.
 */
import { CardFactory, type CloudAdapter, type ConversationReference } from 'botbuilder';
import type { AdaptiveCard } from '../cards/render';
import type { Logger } from '../log/logger';
import type { DeliveryOutcome, Notifier } from '../notify/notifier';
import type { ConversationRefStore } from '../store/store';

/** HTTP statuses after which retrying the same conversation is pointless. */
const TERMINAL = new Set([401, 403, 404]);

export class ProactiveNotifier implements Notifier {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly refs: ConversationRefStore,
    /** The configured bot id, or '' locally: botbuilder fails on undefined here. */
    private readonly botAppId: string,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async sendCard(recipientEntraId: string, card: AdaptiveCard): Promise<DeliveryOutcome> {
    const ref = (await this.refs.listForUser(recipientEntraId))
      .filter((r) => r.active && r.scope === 'personal')
      .sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime())[0];
    if (!ref) return { status: 'no-reference' };

    const reference: Partial<ConversationReference> = {
      channelId: ref.channelId,
      serviceUrl: ref.serviceUrl,
      conversation: { id: ref.conversationId, tenantId: ref.tenantId, conversationType: 'personal', isGroup: false, name: '' },
      bot: { id: ref.botId, name: '' },
      user: { id: ref.userId, name: ref.userName ?? '', aadObjectId: ref.aadObjectId },
    };
    try {
      // The adapter hands errors inside the callback to onTurnError and swallows them, so catch
      // them here to learn what Teams answered.
      let failure: unknown;
      await this.adapter.continueConversationAsync(this.botAppId, reference, async (ctx) => {
        try {
          await ctx.sendActivity({ attachments: [CardFactory.adaptiveCard(card)] });
        } catch (err) {
          failure = err;
        }
      });
      if (failure) throw failure;
      return { status: 'sent' };
    } catch (err) {
      const e = err as { statusCode?: number; code?: string; name?: string; cause?: { code?: string } };
      const status = e.statusCode;
      const error = [status ? `HTTP ${status}` : undefined, e.code ?? e.cause?.code ?? e.name].filter(Boolean).join(' ') || 'error';
      if (status && TERMINAL.has(status)) {
        await this.refs.markUserInactive(ref.tenantId, ref.aadObjectId, 'personal', error, this.now());
      }
      this.logger.warn({ event: 'proactive-send-failed', recipient: recipientEntraId, error }, 'proactive message failed');
      return { status: 'failed', error };
    }
  }
}
