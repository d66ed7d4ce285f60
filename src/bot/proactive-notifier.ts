/**
 * Sends cards to people proactively through their stored personal conversation (transport layer).
 * Teams' terminal refusals (uninstalled, blocked, conversation gone) mark the reference inactive
 * so that nobody keeps writing into the void.
 */
import { CardFactory, type CloudAdapter, type ConversationReference } from 'botbuilder';
import type { AdaptiveCard } from '../cards/render';
import type { Logger } from '../log/logger';
import type { DeliveryOutcome, Notifier } from '../notify/notifier';
import { backoffMs, KeyedRateLimiter, retryAfterMs, TokenBucket } from '../notify/rate-limit';
import type { ConversationRefStore } from '../store/store';

/** HTTP statuses after which retrying the same conversation is pointless. */
const TERMINAL = new Set([401, 403, 404]);
/** Throttled or a passing fault at Teams: try again after a while. */
const RETRYABLE = new Set([412, 429, 502, 503, 504]);

export interface ProactiveOptions {
  maxAttempts?: number;
  /** Longest wait honoured from a Retry-After header. */
  maxRetryAfterMs?: number;
  limiter?: KeyedRateLimiter;
  sleep?: (ms: number) => Promise<void>;
}

export class ProactiveNotifier implements Notifier {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly refs: ConversationRefStore,
    /** The configured bot id, or '' locally: botbuilder fails on undefined here. */
    private readonly botAppId: string,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
    private readonly options: ProactiveOptions = {},
  ) {
    // Teams allows 50 requests/s per app and tenant; stay a little under it.
    this.limiter = options.limiter ?? new KeyedRateLimiter(() => new TokenBucket(45, 45));
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  }

  private readonly limiter: KeyedRateLimiter;
  private readonly sleep: (ms: number) => Promise<void>;

  /** One try; the error Teams answered with, or undefined when sent. */
  private async attempt(reference: Partial<ConversationReference>, card: AdaptiveCard): Promise<unknown> {
    // The adapter hands errors inside the callback to onTurnError and swallows them, so catch
    // them here to learn what Teams answered.
    let failure: unknown;
    try {
      await this.adapter.continueConversationAsync(this.botAppId, reference, async (ctx) => {
        try {
          await ctx.sendActivity({ attachments: [CardFactory.adaptiveCard(card)] });
        } catch (err) {
          failure = err;
        }
      });
    } catch (err) {
      failure = err;
    }
    return failure;
  }

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
    const maxAttempts = this.options.maxAttempts ?? 4;
    for (let attempt = 1; ; attempt++) {
      await this.limiter.acquire(ref.tenantId);
      const failure = await this.attempt(reference, card);
      if (!failure) return { status: 'sent' };
      const e = failure as { statusCode?: number; code?: string; name?: string; cause?: { code?: string }; response?: { headers?: { get?(n: string): string | undefined | null } } };
      const status = e.statusCode;
      const error = [status ? `HTTP ${status}` : undefined, e.code ?? e.cause?.code ?? e.name].filter(Boolean).join(' ') || 'error';
      if (status && RETRYABLE.has(status) && attempt < maxAttempts) {
        const hinted = retryAfterMs(e.response?.headers?.get?.('retry-after'));
        const wait = Math.min(hinted ?? backoffMs(attempt), this.options.maxRetryAfterMs ?? 30_000) + backoffMs(1, 200);
        this.logger.info({ event: 'proactive-retry', recipient: recipientEntraId, status, attempt, waitMs: wait }, 'Teams asked us to retry');
        await this.sleep(wait);
        continue;
      }
      if (status && TERMINAL.has(status)) {
        await this.refs.markUserInactive(ref.tenantId, ref.aadObjectId, 'personal', error, this.now());
      }
      this.logger.warn({ event: 'proactive-send-failed', recipient: recipientEntraId, error, attempts: attempt }, 'proactive message failed');
      return { status: 'failed', error };
    }
  }
}
