/** The conversation_refs row shape and its mapping, shared by both adapters. */
import { asDate, asFlag, type DbDate, type DbFlag } from './report-rows';
import type { ConversationRef, ConversationScope } from './store';

export interface RefRow {
  tenant_id: string;
  aad_object_id: string;
  scope: ConversationScope;
  conversation_id: string;
  service_url: string;
  channel_id: string;
  bot_id: string;
  user_id: string;
  user_name: string | null;
  active: DbFlag;
  inactive_reason: string | null;
  updated_at: DbDate;
}

export function refFromRow(r: RefRow): ConversationRef {
  return {
    tenantId: r.tenant_id,
    aadObjectId: r.aad_object_id,
    scope: r.scope,
    conversationId: r.conversation_id,
    serviceUrl: r.service_url,
    channelId: r.channel_id,
    botId: r.bot_id,
    userId: r.user_id,
    ...(r.user_name !== null ? { userName: r.user_name } : {}),
    active: asFlag(r.active),
    ...(r.inactive_reason !== null ? { inactiveReason: r.inactive_reason } : {}),
    updatedAt: asDate(r.updated_at),
  };
}
