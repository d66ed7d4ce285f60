/**
 * Validation of the lex Sarah report form (the Adaptive Card's submitted data). Pure: the caller
 * supplies "now", the time zone and the units the reporter may choose.
 *
 * Every problem comes back keyed by the card field it belongs to, in Swedish, so the card can be
 * shown again with what the user typed and the message next to the field.
 */
import { DateTime } from 'luxon';
import { z } from 'zod';
import { guardFields, type GuardedField } from '../privacy/guard';
import { ANSWER_KEYS, CATEGORY_KEYS, INFORMED_KEYS, type Answer, type Category, type Informed, type RiskQuestion } from './categories';

/** The card's input ids and their labels (labels are used in messages). */
export const FIELD_LABELS = {
  unitId: 'Enhet',
  occurredDate: 'Datum när det hände',
  occurredTime: 'Klockslag när det hände (om känt)',
  noticedDate: 'Datum när det upptäcktes',
  noticedTime: 'Klockslag när det upptäcktes (om känt)',
  location: 'Var hände det?',
  category: 'Kategori',
  whatHappened: 'Vad hände?',
  consequences: 'Konsekvenser för den enskilde',
  immediateActions: 'Åtgärder som redan vidtagits',
  informed: 'Har den enskilde eller vårdnadshavaren informerats?',
  risk_hurt: 'Har någon skadats?',
  risk_ongoing: 'Pågår risken fortfarande?',
  risk_vulnerable: 'Gäller det ett barn eller en person i särskilt utsatt läge?',
  risk_crime: 'Misstänks ett brott?',
  risk_before: 'Har det hänt förut?',
  caseReference: 'Ärendenummer i verksamhetssystemet (valfritt)',
} as const;
export type FormField = keyof typeof FIELD_LABELS;
export const FORM_FIELDS = Object.keys(FIELD_LABELS) as FormField[];

/** Free-text fields: checked for identity numbers. */
export const FREE_TEXT_FIELDS = ['location', 'whatHappened', 'consequences', 'immediateActions', 'caseReference'] as const;

/**
 * The guard's view of the free-text fields. The case reference loses the number without a
 * marker: "[personnummer borttaget]" would fail its format and exceed its 40 characters.
 */
const GUARDED: Record<(typeof FREE_TEXT_FIELDS)[number], GuardedField> = {
  location: FIELD_LABELS.location,
  whatHappened: FIELD_LABELS.whatHappened,
  consequences: FIELD_LABELS.consequences,
  immediateActions: FIELD_LABELS.immediateActions,
  caseReference: { label: FIELD_LABELS.caseReference, replacement: '' },
};

export const LIMITS = { location: 200, whatHappened: 4000, consequences: 4000, immediateActions: 4000, caseReference: 40 } as const;

export interface ReportDraft {
  formId: string;
  unitId: string;
  occurredAt: Date;
  /** False when only the date was given. */
  occurredTimeKnown: boolean;
  noticedAt: Date;
  noticedTimeKnown: boolean;
  location: string;
  category: Category;
  whatHappened: string;
  consequences: string;
  immediateActions: string;
  informed: Informed;
  risks: Record<RiskQuestion, Answer>;
  caseReference?: string;
}

export type FormErrors = Partial<Record<FormField | 'form', string>>;
export type FormResult = { ok: true; draft: ReportDraft } | { ok: false; errors: FormErrors; values: Record<string, string> };

const text = (max: number, required: boolean) => {
  const base = z.string({ invalid_type_error: 'Ogiltigt värde.', required_error: 'Måste fyllas i.' }).trim().max(max, `Högst ${max} tecken.`);
  return required ? base.min(1, 'Måste fyllas i.') : base.optional().default('');
};
const choice = <T extends string>(keys: [T, ...T[]]) =>
  z.enum(keys, { errorMap: () => ({ message: 'Välj ett av alternativen.' }) });

const date = z.string({ required_error: 'Ange ett datum.' }).regex(/^\d{4}-\d{2}-\d{2}$/, 'Ange ett datum (ÅÅÅÅ-MM-DD).');
const time = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Ange klockslag som TT:MM.')
  .optional()
  .or(z.literal('').transform(() => undefined));

const schema = z.object({
  formId: z
    .string({ required_error: 'Formuläret saknar id. Öppna ett nytt formulär med "rapportera".' })
    .uuid('Formuläret saknar id. Öppna ett nytt formulär med "rapportera".'),
  // Which ids are allowed depends on the reporter: see offeredUnit, swapped in per submit.
  unitId: z.string(),
  occurredDate: date,
  occurredTime: time,
  noticedDate: date,
  noticedTime: time,
  location: text(LIMITS.location, true),
  category: choice(CATEGORY_KEYS),
  whatHappened: text(LIMITS.whatHappened, true),
  consequences: text(LIMITS.consequences, false),
  immediateActions: text(LIMITS.immediateActions, false),
  informed: choice(INFORMED_KEYS),
  risk_hurt: choice(ANSWER_KEYS),
  risk_ongoing: choice(ANSWER_KEYS),
  risk_vulnerable: choice(ANSWER_KEYS),
  risk_crime: choice(ANSWER_KEYS),
  risk_before: choice(ANSWER_KEYS),
  caseReference: text(LIMITS.caseReference, false).refine((v) => v === '' || /^[\p{L}\d][\p{L}\d\s./:-]*$/u.test(v), {
    message: 'Ärendenumret får bara innehålla bokstäver, siffror och - / . :',
  }),
});

/** A unit id that the form did not offer: a form from before the organisation changed, or a crafted submit. */
export const UNIT_NOT_OFFERED = 'Enheten finns inte bland dem du kan rapportera för. Välj en av enheterna i listan.';

/**
 * The unit must be one the form offered, exactly (no trimming or case folding: the card sends the
 * id it was given). Checked here with the rest of the form, so the reporter sees every problem at once.
 */
const offeredUnit = (unitIds: readonly string[]) =>
  z
    .string({ required_error: 'Välj enhet.', invalid_type_error: 'Välj enhet.' })
    .min(1, 'Välj enhet.')
    .refine((id) => unitIds.includes(id), UNIT_NOT_OFFERED);

export interface ValidateOptions {
  now: Date;
  timeZone: string;
  /** The units the form offered the reporter (src/reports/access.ts reportingUnits): no other id is accepted. */
  unitIds: readonly string[];
}

/**
 * Teams refuses a message over 28 KB (a card gets 26 KB of it, see MAX_CARD_BYTES), and the form
 * must be shown again with the texts kept when
 * something is wrong. Each long field may hold 4,000 characters, but 4,000 characters that JSON
 * escapes (quotes, backslashes) or that take several bytes can make three of them too big for one
 * card, so their sum as JSON is capped. Ordinary Swedish prose at full length stays well below.
 */
export const LONG_TEXT_BUDGET_BYTES = 16_000;
const LONG_TEXT_FIELDS = ['whatHappened', 'consequences', 'immediateActions'] as const;
export const LONG_TEXT_MESSAGE =
  'Texterna i "Vad hände?", "Konsekvenser för den enskilde" och "Åtgärder som redan vidtagits" är tillsammans för långa för Teams. Korta ned dem och skicka igen.';

function longTextBytes(d: Record<(typeof LONG_TEXT_FIELDS)[number], string>): number {
  return LONG_TEXT_FIELDS.reduce((n, f) => n + Buffer.byteLength(JSON.stringify(d[f]), 'utf8'), 0);
}

/**
 * Only strings are echoed back to the card; free text with an identity number comes back with
 * the number masked (`masked`), so the reporter keeps the text and never sees the number again.
 */
function echoValues(data: Record<string, unknown>, masked: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of FORM_FIELDS) {
    const v = data[f];
    out[f] = masked[f] ?? (typeof v === 'string' ? v : '');
  }
  return out;
}

export function validateReportForm(data: unknown, opts: ValidateOptions): FormResult {
  const raw = (data && typeof data === 'object' ? data : {}) as Record<string, unknown>;
  // Identity numbers first: such text must never be stored, so it blocks whatever else is right.
  const guarded = guardFields(raw, GUARDED);
  const errors: FormErrors = { ...guarded.errors };
  const masked = Object.fromEntries(Object.keys(guarded.errors).map((f) => [f, guarded.values[f] ?? '']));

  const parsed = schema.extend({ unitId: offeredUnit(opts.unitIds) }).safeParse(raw);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? 'form') as FormField | 'form';
      errors[field] ??= issue.message;
    }
  }
  if (parsed.success && longTextBytes(parsed.data) > LONG_TEXT_BUDGET_BYTES) {
    errors.whatHappened ??= LONG_TEXT_MESSAGE;
  }

  let occurredAt: DateTime | undefined;
  let noticedAt: DateTime | undefined;
  if (parsed.success) {
    const d = parsed.data;
    const now = DateTime.fromJSDate(opts.now, { zone: opts.timeZone });
    // Days are compared as their ISO text (the schema makes them YYYY-MM-DD): a zoned luxon
    // DateTime per comparison was a fifth of a report submit.
    const today = now.toISODate()!;
    const at = (day: string, hhmm: string | undefined) => DateTime.fromISO(`${day}T${hhmm ?? '00:00'}`, { zone: opts.timeZone });
    // The card sets no latest date (a form queued before midnight would refuse the new today), so
    // a day after today, or a known time later today, is refused here, saying which.
    const future = (t: DateTime, day: string, timeKnown: boolean): string | undefined =>
      day > today
        ? `Datumet ligger i framtiden. Välj i dag (${now.setLocale('sv').toFormat('d MMMM')}) eller en tidigare dag.`
        : timeKnown && t > now
          ? 'Tidpunkten ligger i framtiden: klockslaget har inte varit än i dag. Ange när det hände, eller lämna klockslaget tomt.'
          : undefined;
    occurredAt = at(d.occurredDate, d.occurredTime);
    noticedAt = at(d.noticedDate, d.noticedTime);
    const occurredFuture = occurredAt.isValid ? future(occurredAt, d.occurredDate, !!d.occurredTime) : undefined;
    const noticedFuture = noticedAt.isValid ? future(noticedAt, d.noticedDate, !!d.noticedTime) : undefined;
    if (!occurredAt.isValid) errors.occurredDate ??= 'Datumet finns inte.';
    else if (occurredFuture) errors.occurredDate ??= occurredFuture;
    if (!noticedAt.isValid) errors.noticedDate ??= 'Datumet finns inte.';
    else if (noticedFuture) errors.noticedDate ??= noticedFuture;
    else if (occurredAt.isValid) {
      // Compare instants only when both times are known; otherwise whole days.
      const bothTimes = !!d.occurredTime && !!d.noticedTime;
      const before = bothTimes ? noticedAt < occurredAt : d.noticedDate < d.occurredDate;
      if (before) errors.noticedDate ??= 'Det kan inte ha upptäckts innan det hände.';
    }
  }

  if (Object.keys(errors).length || !parsed.success || !occurredAt || !noticedAt) {
    return { ok: false, errors, values: echoValues(raw, masked) };
  }
  const d = parsed.data;
  return {
    ok: true,
    draft: {
      formId: d.formId,
      unitId: d.unitId,
      occurredAt: occurredAt.toJSDate(),
      occurredTimeKnown: !!d.occurredTime,
      noticedAt: noticedAt.toJSDate(),
      noticedTimeKnown: !!d.noticedTime,
      location: d.location,
      category: d.category,
      whatHappened: d.whatHappened,
      consequences: d.consequences,
      immediateActions: d.immediateActions,
      informed: d.informed,
      risks: { hurt: d.risk_hurt, ongoing: d.risk_ongoing, vulnerable: d.risk_vulnerable, crime: d.risk_crime, before: d.risk_before },
      ...(d.caseReference ? { caseReference: d.caseReference } : {}),
    },
  };
}

/**
 * The risk answers that suggest the case may be serious: then the IVO assessment must be made
 * "snarast" and the notification is marked urgent. "Vet ej" counts: uncertainty must not hide risk.
 */
export function urgencyReasons(risks: Record<RiskQuestion, Answer>): RiskQuestion[] {
  return (['hurt', 'ongoing', 'vulnerable', 'crime'] as const).filter((q) => risks[q] !== 'nej');
}
