/**
 * Informing the individual or the vårdnadshavare of the investigation and of its outcome: whether
 * and when they were told, or why not. The reporter's first answer on the rapport is only a start;
 * this step is what the case and the IVO draft show once it is recorded. Pure.
 *
 * Stored as a case entry (item 'information') whose text is this record as JSON: who was told is
 * a role, never a name or an identity number, and the only free text (why not) passes the guard.
 */
import { DateTime } from 'luxon';
import { z } from 'zod';

export const INFORMING_ITEM = 'information' as const;

export const INFORMING_ABOUT = { utredningen: 'Om utredningen', utfallet: 'Om utredningens resultat' } as const;
export const INFORMED_ANSWERS = { ja: 'Ja', nej: 'Nej' } as const;
/** Roles only: the case never holds the individual's name. */
export const INFORMED_ROLES = {
  'den-enskilde': 'Den enskilde',
  vardnadshavare: 'Vårdnadshavare',
  foretradare: 'God man, förvaltare eller annan företrädare',
} as const;

export type InformingAbout = keyof typeof INFORMING_ABOUT;
export type InformedRole = keyof typeof INFORMED_ROLES;

export const WHY_NOT_MAX = 1000;

export type Informing =
  | { about: InformingAbout; informed: 'ja'; informedOn: string; role: InformedRole }
  | { about: InformingAbout; informed: 'nej'; whyNot: string };

const keysOf = <T extends Record<string, string>>(o: T) => Object.keys(o) as [keyof T & string, ...(keyof T & string)[]];
const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((s) => DateTime.fromISO(s).isValid);

/** The stored record: what is read back from the entry text. */
const RECORD = z.union([
  z.object({ about: z.enum(keysOf(INFORMING_ABOUT)), informed: z.literal('ja'), informedOn: isoDay, role: z.enum(keysOf(INFORMED_ROLES)) }).strict(),
  z.object({ about: z.enum(keysOf(INFORMING_ABOUT)), informed: z.literal('nej'), whyNot: z.string().min(1).max(WHY_NOT_MAX) }).strict(),
]);

export type InformingErrors = Partial<Record<'about' | 'informed' | 'informedOn' | 'role' | 'whyNot', string>>;

/**
 * The form's answers, checked: `reportDay` and `today` bound the date (no one is told before the
 * report, nor in the future). The identity-number guard runs before this, on `whyNot`.
 */
export function parseInformingForm(data: Record<string, unknown>, reportDay: string, today: string): { ok: true; value: Informing } | { ok: false; errors: InformingErrors } {
  const str = (k: string) => (typeof data[k] === 'string' ? (data[k] as string).trim() : '');
  const errors: InformingErrors = {};
  const about = str('about');
  const informed = str('informed');
  // Own keys only: 'toString' or 'constructor' is "in" every object, and no answer of the form.
  if (!Object.hasOwn(INFORMING_ABOUT, about)) errors.about = 'Välj vad informationen gäller.';
  if (!Object.hasOwn(INFORMED_ANSWERS, informed)) errors.informed = 'Välj ja eller nej.';
  if (informed === 'ja') {
    const on = str('informedOn');
    if (!isoDay.safeParse(on).success) errors.informedOn = 'Ange datum (ÅÅÅÅ-MM-DD).';
    else if (on < reportDay) errors.informedOn = 'Datumet kan inte ligga före rapporten.';
    else if (on > today) errors.informedOn = 'Datumet kan inte ligga i framtiden.';
    if (!Object.hasOwn(INFORMED_ROLES, str('role'))) errors.role = 'Välj vem som informerades.';
  }
  if (informed === 'nej') {
    if (!str('whyNot')) errors.whyNot = 'Skriv varför den enskilde eller vårdnadshavaren inte har informerats.';
    else if (str('whyNot').length > WHY_NOT_MAX) errors.whyNot = `Högst ${WHY_NOT_MAX} tecken.`;
  }
  if (Object.keys(errors).length) return { ok: false, errors };
  const value: Informing =
    informed === 'ja'
      ? { about: about as InformingAbout, informed: 'ja', informedOn: str('informedOn'), role: str('role') as InformedRole }
      : { about: about as InformingAbout, informed: 'nej', whyNot: str('whyNot') };
  return { ok: true, value };
}

export const informingText = (i: Informing): string => JSON.stringify(i);

/** The record in an entry's text; undefined for text that is not one (never shown raw). */
export function readInforming(text: string): Informing | undefined {
  try {
    const parsed = RECORD.safeParse(JSON.parse(text));
    return parsed.success ? (parsed.data as Informing) : undefined;
  } catch {
    return undefined;
  }
}

/** The newest record per subject, the investigation first: what is in force now. */
export function currentInforming(texts: readonly string[]): Informing[] {
  const latest = new Map<InformingAbout, Informing>();
  for (const t of texts) {
    const i = readInforming(t);
    if (i) latest.set(i.about, i);
  }
  return (Object.keys(INFORMING_ABOUT) as InformingAbout[]).flatMap((a) => (latest.has(a) ? [latest.get(a)!] : []));
}

const SUBJECT: Record<InformingAbout, string> = { utredningen: 'utredningen', utfallet: 'utredningens resultat' };
const ROLE_SUBJECT: Record<InformedRole, string> = { 'den-enskilde': 'Den enskilde', vardnadshavare: 'Vårdnadshavaren', foretradare: 'Den enskildes företrädare' };

/** One sentence in plain Swedish, for the case card and the IVO draft; `day` formats an ISO date. */
export function informingSentence(i: Informing, day: (iso: string) => string): string {
  if (i.informed === 'ja') return `${ROLE_SUBJECT[i.role]} informerades om ${SUBJECT[i.about]} ${day(i.informedOn)}.`;
  return `Inte informerad om ${SUBJECT[i.about]}: ${i.whyNot}`;
}
