/**
 * What Teams counts against its message limit is the whole activity the bot posts, not the card:
 * the card travels inside an attachment, next to the conversation, the sender, the recipient, the
 * serviceUrl and the message replied to. This builds that activity as botbuilder sends it
 * (TurnContext.sendActivity applies the conversation reference), with the longest values Teams
 * uses, so that tests can measure the message and not only the card.
 */

/** Teams refuses a bot message over about 28 KB (413 "Message size too large"). */
export const TEAMS_MESSAGE_LIMIT = 28 * 1024;

const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
/** Entra ID allows 256 characters in a display name; Swedish letters take two bytes each in UTF-8. */
const LONGEST_NAME = 'Å'.repeat(256);

/** A reply in a channel thread to a user with the longest display name: the biggest envelope the bot sends. */
export function teamsActivity(card: unknown): object {
  return {
    type: 'message',
    serviceUrl: `https://smba.trafficmanager.net/emea/${TENANT}/`,
    channelId: 'msteams',
    from: { id: '28:0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d', name: 'Lex Sarah-assistenten' },
    conversation: {
      isGroup: true,
      conversationType: 'channel',
      tenantId: TENANT,
      id: '19:3f2504e04f8941d39a0c0305e82c3301a1b2c3d4@thread.tacv2;messageid=1764620000123',
    },
    recipient: {
      id: '29:1Xk3d9a0ZpQwErTyUiOpAsDfGhJkLzXcVbNmQwErTyUiOpAsDfGhJkLzXcVbNmQwErTyUiOpAsDfGhJkLzXcVbNm1234567890AbCdEf',
      name: LONGEST_NAME,
      aadObjectId: '00000000-0000-0000-0000-000000000021',
    },
    replyToId: '1764620000123',
    locale: 'sv-SE',
    inputHint: 'acceptingInput',
    channelData: { tenant: { id: TENANT }, channel: { id: '19:3f2504e04f8941d39a0c0305e82c3301a1b2c3d4@thread.tacv2' } },
    attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: card }],
  };
}

export const activityBytes = (card: unknown): number => Buffer.byteLength(JSON.stringify(teamsActivity(card)), 'utf8');
