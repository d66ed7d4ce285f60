/**
 * Sends cards to people proactively through their stored personal conversation (transport layer),
 * as the delivery worker's Sender: one request per attempt, classified; the worker decides retries
 * and counts every request against the shared rate limit. Teams' terminal refusals of the person's
 * conversation (uninstalled, blocked, conversation gone) mark the reference inactive so that nobody
 * keeps writing into the void; a 401 (our own credentials) and a 404 on updating a message (the
 * message is gone, the chat is not) leave it alone.
 *
 * The connector client's own retry policy is taken out of each client's pipeline: botbuilder
 * builds a fresh ConnectorClient per proactive turn on @azure/core-client with the default
 * core-rest-pipeline retry policy (up to 3 retries of 429/503 honouring Retry-After, of other
 * 5xx and of network errors), and offers no option to turn it off (ConnectorClientOptions'
 * `noRetryPolicy` is declared but never read, and ConnectorFactoryImpl overwrites
 * `requestPolicyFactories`). Those retries would bypass the shared limit, so the policies of the
 * pipeline's Retry phase are removed with the public Pipeline.removePolicy; the pipeline itself
 * is reached through the client's (TypeScript-private) `client` field. A test against the fake
 * connector counts one request per attempt, so an upgrade that moves it fails loudly.
 */
import { CardFactory, type CloudAdapter, type ConversationReference, type TurnContext } from 'botbuilder';
import type { AdaptiveCard } from '../cards/render';
import type { Logger } from '../log/logger';
import { classifyFailure, marksReferenceInactive, type FailureFacts, type SendResult } from '../notify/delivery-policy';
import type { Destination, Sender } from '../notify/sender';
import type { ConversationRefStore } from '../store/store';

/** A personal conversation, as the transport needs it for one attempt. */
export interface PersonalChat {
  tenantId: string;
  aadObjectId: string;
  reference: Partial<ConversationReference>;
}

/** Reaches the connector client botbuilder created for this turn and takes out its retry policy; false if it could not. */
export function removeClientRetries(ctx: TurnContext): boolean {
  const client = ctx.turnState.get(ctx.adapter.ConnectorClientKey) as { client?: { pipeline?: { removePolicy?: (o: { phase?: 'Retry' }) => unknown[] } } } | undefined;
  const pipeline = client?.client?.pipeline;
  if (typeof pipeline?.removePolicy !== 'function') return false;
  pipeline.removePolicy({ phase: 'Retry' });
  return true;
}

/** What a connector error says, in the terms of the delivery rules. */
export function failureFacts(err: unknown): FailureFacts {
  const e = (err ?? {}) as {
    statusCode?: unknown;
    code?: unknown;
    name?: unknown;
    cause?: { code?: unknown };
    details?: { error?: { code?: unknown } };
    response?: { status?: unknown; headers?: { get?(n: string): string | undefined | null } };
  };
  const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
  const statusCode = typeof e.statusCode === 'number' ? e.statusCode : typeof e.response?.status === 'number' ? e.response.status : undefined;
  const code = str(e.details?.error?.code) ?? str(e.code) ?? str(e.cause?.code);
  const name = str(e.name);
  const retryAfter = typeof e.response?.headers?.get === 'function' ? e.response.headers.get('retry-after') : undefined;
  return { ...(statusCode !== undefined ? { statusCode } : {}), ...(code ? { code } : {}), ...(name ? { name } : {}), ...(retryAfter ? { retryAfter } : {}) };
}

export class ProactiveNotifier implements Sender<PersonalChat> {
  constructor(
    private readonly adapter: CloudAdapter,
    private readonly refs: ConversationRefStore,
    /** The configured bot id, or '' locally: botbuilder fails on undefined here. */
    private readonly botAppId: string,
    private readonly logger: Logger,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private retriesWarned = false;
  private credentialsWarned = false;

  /** The person's most recently refreshed active personal chat. */
  async resolve(recipientEntraId: string): Promise<Destination<PersonalChat> | undefined> {
    const ref = (await this.refs.listForUser(recipientEntraId))
      .filter((r) => r.active && r.scope === 'personal')
      .sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime())[0];
    if (!ref) return undefined;
    const reference: Partial<ConversationReference> = {
      channelId: ref.channelId,
      serviceUrl: ref.serviceUrl,
      conversation: { id: ref.conversationId, tenantId: ref.tenantId, conversationType: 'personal', isGroup: false, name: '' },
      bot: { id: ref.botId, name: '' },
      user: { id: ref.userId, name: ref.userName ?? '', aadObjectId: ref.aadObjectId },
    };
    return { tenantId: ref.tenantId, ref: { tenantId: ref.tenantId, aadObjectId: ref.aadObjectId, reference } };
  }

  /** One request to Teams, classified; a refusal of the conversation marks the reference inactive. Never throws. */
  async attempt(chat: PersonalChat, card: AdaptiveCard, replacesActivityId?: string): Promise<SendResult> {
    // The adapter hands errors inside the callback to onTurnError and swallows them, so catch
    // them here to learn what Teams answered.
    let failure: unknown;
    let activityId: string | undefined;
    try {
      await this.adapter.continueConversationAsync(this.botAppId, chat.reference, async (ctx) => {
        if (!removeClientRetries(ctx) && !this.retriesWarned) {
          this.retriesWarned = true;
          this.logger.warn({ event: 'connector-retries-on' }, 'could not turn off the connector client retries: some requests bypass the shared rate limit');
        }
        try {
          const activity = { type: 'message', attachments: [CardFactory.adaptiveCard(card)] };
          if (replacesActivityId) {
            await ctx.updateActivity({ ...activity, id: replacesActivityId });
            activityId = replacesActivityId;
          } else {
            activityId = (await ctx.sendActivity(activity))?.id;
          }
        } catch (err) {
          failure = err;
        }
      });
    } catch (err) {
      failure = err;
    }
    if (!failure) return activityId ? { kind: 'sent', activityId } : { kind: 'sent' };
    const facts = failureFacts(failure);
    const result = classifyFailure(facts, this.now().getTime());
    if (facts.statusCode === 401 && !this.credentialsWarned) {
      this.credentialsWarned = true;
      this.logger.error({ event: 'connector-unauthorized' }, 'Teams refused our credentials (HTTP 401): check BOT_ID, SECRET_BOT_PASSWORD (or the managed identity) and BOT_TENANT_ID; no reference was marked inactive');
    }
    if (result.kind === 'terminal' && marksReferenceInactive(facts.statusCode, !!replacesActivityId)) {
      try {
        await this.refs.markUserInactive(chat.tenantId, chat.aadObjectId, 'personal', result.error, this.now());
      } catch (err) {
        this.logger.error({ event: 'reference-inactive-failed', err }, 'could not mark a conversation reference inactive');
      }
    }
    return result;
  }
}
