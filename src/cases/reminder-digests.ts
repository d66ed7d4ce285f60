/**
 * What a digest card covers, kept beside its outbox row so that the delivery worker can ask again,
 * just before sending, which of its cases are still late (./reminder-wanted.ts): a digest waits
 * for the next working morning like any reminder, and meanwhile cases are assessed, filed or
 * closed. Written by the reminder job (./reminders.ts) before the row is enqueued, in the state
 * store under the row's key; a digest of an earlier version has none and is sent as it is.
 */
import { z } from 'zod';
import type { DigestLine } from '../cards/case-reminder-cards';
import type { StateStore } from '../store/store';

/** The keys of digest rows: the chefer's escalations and the others' late reminders. */
export const ESCALATION_DIGEST_PREFIX = 'case-escalation-digest/';
export const REMINDER_DIGEST_PREFIX = 'case-reminder-digest/';

export const isDigestKey = (key: string): boolean => key.startsWith(ESCALATION_DIGEST_PREFIX) || key.startsWith(REMINDER_DIGEST_PREFIX);

/** A covered case: the reminder key it stands for (whose clock and due day are asked again), and its line. */
export interface CoveredLine extends DigestLine {
  key: string;
}

export interface DigestRecord {
  escalation: boolean;
  /** Most pressing first, as the card lists them. */
  lines: CoveredLine[];
}

const RECORD = z.object({
  escalation: z.boolean(),
  lines: z
    .array(
      z.object({
        key: z.string().min(1),
        reference: z.string().min(1),
        clock: z.enum(['bedomning', 'anmalan', 'utredning', 'avslut']),
        unitName: z.string(),
        due: z.string().datetime(),
      }),
    )
    .min(1),
});

const recordKey = (digestKey: string) => `outbox-digest/${digestKey}`;

export async function saveDigestRecords(state: Pick<StateStore, 'write'>, records: ReadonlyMap<string, DigestRecord>): Promise<void> {
  if (records.size === 0) return;
  await state.write(
    [...records].map(([key, r]) => ({
      key: recordKey(key),
      value: JSON.stringify({ escalation: r.escalation, lines: r.lines.map((l) => ({ key: l.key, reference: l.reference, clock: l.clock, unitName: l.unitName, due: l.due.toISOString() })) }),
    })),
  );
}

/**
 * The record of a digest row; undefined when there is none (a digest of an earlier version) or it
 * cannot be read, which the caller treats as "send it as it is": a late reminder is not dropped for
 * want of its bookkeeping.
 */
export async function readDigestRecord(state: Pick<StateStore, 'read'>, digestKey: string): Promise<DigestRecord | undefined> {
  const stored = (await state.read([recordKey(digestKey)])).get(recordKey(digestKey));
  if (!stored) return undefined;
  let json: unknown;
  try {
    json = JSON.parse(stored.value);
  } catch {
    return undefined;
  }
  const parsed = RECORD.safeParse(json);
  if (!parsed.success) return undefined;
  return { escalation: parsed.data.escalation, lines: parsed.data.lines.map((l) => ({ ...l, due: new Date(l.due) })) };
}
