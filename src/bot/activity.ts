/** Reads the fields the product needs from a Bot Framework activity (transport layer only). */
import type { Activity } from 'botbuilder';
import type { ConversationRefUpsert, ConversationScope } from '../store/store';

export function tenantOf(activity: Partial<Activity>): string | undefined {
  const fromConversation = activity.conversation?.tenantId;
  const fromChannelData = (activity.channelData as { tenant?: { id?: string } } | undefined)?.tenant?.id;
  return (fromConversation ?? fromChannelData)?.toLowerCase();
}

/**
 * Fails closed: only a conversation Teams calls personal is one. Reports, cases and counts are
 * shown only there, so a missing or unknown type must never count as private.
 */
export function scopeOf(activity: Partial<Activity>): ConversationScope {
  const t = activity.conversation?.conversationType;
  return t === 'personal' ? 'personal' : t === 'channel' ? 'channel' : 'groupChat';
}

/** The reference to store for proactive messages, or undefined when the activity lacks what is needed. */
export function conversationRefOf(activity: Partial<Activity>): ConversationRefUpsert | undefined {
  const tenantId = tenantOf(activity);
  const aadObjectId = activity.from?.aadObjectId;
  if (!tenantId || !aadObjectId || !activity.conversation?.id || !activity.serviceUrl || !activity.from?.id) return undefined;
  return {
    tenantId,
    aadObjectId: aadObjectId.toLowerCase(),
    scope: scopeOf(activity),
    conversationId: activity.conversation.id,
    serviceUrl: activity.serviceUrl,
    channelId: activity.channelId ?? 'msteams',
    botId: activity.recipient?.id ?? '',
    userId: activity.from.id,
    ...(activity.from.name ? { userName: activity.from.name } : {}),
  };
}

/** The command a message carries: typed text, or the `command` of a card button. */
export function commandTextOf(activity: Partial<Activity>): string | undefined {
  const value = activity.value as { command?: unknown } | undefined;
  if (value && typeof value.command === 'string') return value.command;
  return activity.text ?? undefined;
}

export function firstName(name: string | undefined): string | undefined {
  const first = name?.trim().split(/\s+/)[0];
  return first || undefined;
}
