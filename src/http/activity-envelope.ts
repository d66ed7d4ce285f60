/**
 * The envelope of a Bot Framework activity, checked at the edge before anything reads it.
 * botbuilder and the bot read these fields as strings and arrays without looking: a number for a
 * tenant id, an object for a conversation id (better-sqlite3 binds objects as named parameters)
 * or a non-ASCII conversation id (it becomes an HTTP header on the reply) failed the turn deep
 * inside, after the conversation reference was half-captured. Teams always sends well-formed
 * envelopes, so anything else is a client's mistake: 400.
 *
 * Only the envelope is checked; `value`, `text` and the rest stay the bot's to validate. The
 * schema is a check only: the caller passes on the original object, so that zod never copies
 * keys such as `__proto__` onto a new one.
 */
import { z } from 'zod';

/**
 * Ids Teams uses are printable ASCII ("a:1…", "19:…@thread.tacv2;messageid=…", "29:…"), never
 * with a space at either end: the stores refuse keys ending in whitespace (SQL Server would
 * ignore it), so such an id would fail the turn deep inside.
 */
const id = z.string().min(1).max(1024).regex(/^[\x21-\x7e](?:[\x20-\x7e]*[\x21-\x7e])?$/);
const guid = z.string().max(100).regex(/^\S(?:.*\S)?$/s);
const shortText = z.string().max(1024);
const channelAccount = z.object({ id, name: shortText.optional(), aadObjectId: guid.optional() }).passthrough();

const mention = z.object({ mentioned: z.object({ id: z.string() }).passthrough(), text: z.string().optional() }).passthrough();

function mentionShape(entity: { type: string }, ctx: z.RefinementCtx): void {
  if (entity.type.toLowerCase() !== 'mention') return;
  const r = mention.safeParse(entity);
  if (!r.success) for (const issue of r.error.issues) ctx.addIssue(issue);
}

export const activityEnvelope = z
  .object({
    type: z.string().min(1).max(100),
    id: shortText.optional(),
    channelId: z.string().min(1).max(100),
    serviceUrl: z
      .string()
      .max(2048)
      .regex(/^https?:\/\/[^\s]+$/i),
    from: channelAccount,
    recipient: channelAccount,
    conversation: z
      .object({ id, tenantId: guid.optional(), conversationType: z.string().max(100).optional(), isGroup: z.boolean().optional() })
      .passthrough(),
    channelData: z.object({ tenant: z.object({ id: guid }).passthrough().optional() }).passthrough().optional(),
    name: z.string().max(200).optional(),
    action: z.string().max(100).optional(),
    locale: z.string().max(50).optional(),
    text: z.string().optional(),
    deliveryMode: z.string().max(50).optional(),
    replyToId: shortText.optional(),
    timestamp: z.string().max(100).optional(),
    localTimestamp: z.string().max(100).optional(),
    membersAdded: z.array(channelAccount).max(1000).optional(),
    membersRemoved: z.array(channelAccount).max(1000).optional(),
    attachments: z.array(z.object({}).passthrough()).max(100).optional(),
    // botbuilder lower-cases every entity's type and reads a mention's `mentioned.id` and `text`.
    entities: z.array(z.object({ type: z.string().max(100) }).passthrough().superRefine(mentionShape)).max(100).optional(),
  })
  .passthrough();

/** Where the envelope is wrong, as field paths (never values), or undefined when it is fine. */
export function envelopeProblems(body: unknown): string[] | undefined {
  const r = activityEnvelope.safeParse(body);
  if (r.success) return undefined;
  return [...new Set(r.error.issues.map((i) => i.path.join('.') || '(body)'))].slice(0, 10);
}
