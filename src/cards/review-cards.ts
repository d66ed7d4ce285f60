/**
 * The weekly review cards, and the only place they are built: the review card (a page of a unit's
 * open items with "Genomgång klar" and the snooze buttons), and the notices to the nämnd's chefer
 * when a review was not done or its reminder could not be delivered. The review service returns
 * view models (src/review/service.ts); the bot layer, and the reminders writing the outbox, turn
 * them into cards here.
 */
import { DateTime } from 'luxon';
import type { ReviewItem, ReviewResponsible, ReviewResult, ReviewsResult, ReviewUrgency, ReviewView } from '../review/service';
import { charCount, renderShortened } from './fit';
import { plural, pluralWord } from './plural';
import type { AdaptiveCard, CardRenderer } from './render';
import { swedishIsoDay } from './swedish-dates';
import type { Templates } from './templates';

const LABEL: Record<ReviewUrgency, { label: string; color: string }> = {
  forsenad: { label: 'FÖRSENAD', color: 'Attention' },
  // Red, not the yellow of "närmar sig": the deadline nobody can compute may be an LVU lapse.
  'kan-inte-bedomas': { label: 'KAN INTE BEDÖMAS', color: 'Attention' },
  'narmar-sig': { label: 'NÄRMAR SIG', color: 'Warning' },
  'i-tid': { label: 'I TID', color: 'Good' },
  'ingen-frist': { label: 'ÖPPEN', color: 'Default' },
};

const local = (d: DateTime) => d.setLocale('sv');

/** Who answers for the row, in a few words; `cut` shortens the names and e-mails when the page would not fit otherwise. */
function responsibleText(who: ReviewResponsible, cut: (s: string) => string): string {
  const role = who.role === 'utredare' ? 'Utredare' : 'Handläggare';
  switch (who.kind) {
    case 'named':
      return `${role}: ${cut(who.name)}`;
    case 'unlisted':
      return who.email ? `${role}: ${cut(who.email)} (finns inte i organisationsfilen)` : `${role}: finns inte i organisationsfilen`;
    case 'none':
      return who.role === 'utredare' ? 'Utredare: inte utsedd' : 'Handläggare: saknas i exporten';
  }
}

/** The name or e-mail a row shows, if any (what may need shortening). */
const shownName = (who: ReviewResponsible | undefined): string => (who?.kind === 'named' ? who.name : who?.kind === 'unlisted' ? (who.email ?? '') : '');

/** The row's deadline and age, the part of its "when" line that never needs shortening. */
function whenParts(i: ReviewItem, timeZone: string): string {
  const parts: string[] = [];
  if (i.due !== undefined && i.daysLeft !== undefined) {
    const rel = i.daysLeft < 0 ? `${plural(-i.daysLeft, 'dag', 'dagar')} sedan` : i.daysLeft === 0 ? 'i dag' : `om ${plural(i.daysLeft, 'dag', 'dagar')}`;
    parts.push(`${i.dueLabel ?? 'senast'} ${swedishIsoDay(i.due, timeZone)} (${rel})`);
  } else {
    // A deadline that cannot be computed is not one that does not run: the row says which.
    parts.push(i.urgency === 'kan-inte-bedomas' ? 'tidsfristen kan inte räknas ut' : 'ingen tidsfrist löper');
  }
  if (i.daysOpen !== undefined) parts.push(`öppet ${plural(i.daysOpen, 'dag', 'dagar')}`);
  return parts.join(' · ');
}

function whenText(i: ReviewItem, parts: string, cut: (s: string) => string): string {
  return i.responsible ? `${parts} · ${responsibleText(i.responsible, cut)}` : parts;
}

/** The header line on rows that cannot be judged, pointing to them: on this page, or the first page that has them. */
function unjudgeableText(v: ReviewView): string {
  const n = v.counts['kan-inte-bedomas'];
  if (n <= 0) return '';
  const what = n === 1 ? 'tidsfristen kunde inte räknas ut ur exporten' : 'tidsfristerna kunde inte räknas ut ur exporten';
  const here = v.items.some((i) => i.urgency === 'kan-inte-bedomas');
  const where = here ? ' (se raderna)' : v.unjudgeablePage !== undefined ? ` (se sida ${v.unjudgeablePage + 1})` : '';
  return `${n} kan inte bedömas: ${what}${where}.`;
}

/**
 * A page of the review. Names come from the organisation file (up to Entra's 256 characters each):
 * when a page of them would not fit under the size limit, they are shortened, as little as needed.
 */
export function reviewCard(r: CardRenderer, v: ReviewView): AdaptiveCard {
  const longest = Math.max(0, ...v.items.map((i) => charCount(shownName(i.responsible))));
  const cutTo = (cap: number) => (s: string) => (cap >= longest || charCount(s) <= cap ? s : `${[...s].slice(0, cap).join('').trimEnd()}…`);
  // What does not depend on the cap is computed once, not once per size tried.
  const fixed: ReviewFixed = {
    when: v.items.map((i) => whenParts(i, v.timeZone)),
    doneAt: v.done ? local(DateTime.fromJSDate(v.done.at, { zone: v.timeZone })).toFormat('d LLL yyyy HH:mm') : '',
    unjudgeable: unjudgeableText(v),
  };
  return renderShortened(r, 'review', longest, (cap) => reviewData(v, fixed, cutTo(cap)));
}

/** The texts of a page that shortening leaves alone. */
interface ReviewFixed {
  when: string[];
  doneAt: string;
  unjudgeable: string;
}

function reviewData(v: ReviewView, fixed: ReviewFixed, cut: (s: string) => string): Templates['review'] {
  const first = v.page * v.pageSize;
  return {
    week: Number(v.weekKey.slice(-2)),
    weekKey: v.weekKey,
    unitId: v.unit.id,
    unitName: v.unit.name,
    overdue: String(v.counts.forsenad),
    overdueLabel: pluralWord(v.counts.forsenad, 'försenad', 'försenade'),
    approaching: String(v.counts['narmar-sig']),
    inTime: String(v.counts['i-tid']),
    unjudgeable: fixed.unjudgeable,
    lexSarahOpen: String(v.lexSarahOpen),
    // Lex Sarah rows open the case; casework items live in the case system.
    items: v.items.map((i, n) => ({
      label: LABEL[i.urgency].label,
      color: LABEL[i.urgency].color,
      reference: i.reference,
      what: i.what,
      when: whenText(i, fixed.when[n]!, cut),
      basis: i.basis ? `Lagrum: ${i.basis}` : '',
      warning: i.warning ?? '',
      openCommand: i.kind === 'lex-sarah' ? `öppna ${i.reference}` : '',
    })),
    from: first + 1,
    to: first + v.items.length,
    total: v.total,
    page: v.page,
    pageSize: v.pageSize,
    done: !!v.done,
    doneBy: v.done?.by ?? '',
    doneAt: fixed.doneAt,
    doneComment: v.done?.comment ?? '',
    notice: v.notice,
    refreshUserIds: v.refreshUserIds,
  };
}

/** The answer to a review button: the card, or the refusal as a message. */
export function reviewAnswer(r: CardRenderer, result: ReviewResult): AdaptiveCard | string {
  return result.kind === 'refused' ? result.reason : reviewCard(r, result.view);
}

/** The answer to "genomgång": a card per unit, or the refusal as a message. */
export function reviewCards(r: CardRenderer, result: ReviewsResult): AdaptiveCard[] | string {
  return result.kind === 'refused' ? result.reason : result.views.map((v) => reviewCard(r, v));
}

export interface ReviewEscalationInput {
  unitName: string;
  weekKey: string;
  chefNames: string[];
  /** How many working days after it was due the review escalates. */
  workingDays: number;
  dueAt: Date;
  timeZone: string;
}

/** To the nämnd's chefer: the unit's review was not marked done `workingDays` after it was due. */
export function reviewEscalationCard(r: CardRenderer, input: ReviewEscalationInput): AdaptiveCard {
  return r.render('review-escalation', {
    label: 'ESKALERING',
    title: `Veckogenomgången är inte gjord – ${input.unitName}`,
    text: `Veckogenomgången v.${Number(input.weekKey.slice(-2))} av öppna utredningar och beslutade insatser har inte markerats som klar, ${plural(input.workingDays, 'arbetsdag', 'arbetsdagar')} efter att den skulle göras. Kontakta enhetschefen.`,
    facts: [
      { title: 'Enhet', value: input.unitName },
      { title: 'Enhetschef', value: input.chefNames.join(', ') || '–' },
      { title: 'Skulle göras', value: local(DateTime.fromJSDate(input.dueAt, { zone: input.timeZone })).toFormat('cccc d LLL HH:mm') },
    ],
  });
}

/** To the nämnd's chefer: a review reminder could not be delivered to the unit's chef. */
export function reviewUnreachableCard(r: CardRenderer, input: { unitName: string; weekKey: string; chefName: string }): AdaptiveCard {
  return r.render('review-escalation', {
    label: 'KAN INTE NÅS',
    title: `${input.chefName} kan inte nås i Teams`,
    text: `Påminnelsen om veckogenomgången v.${Number(input.weekKey.slice(-2))} för ${input.unitName} kunde inte levereras: appen är inte installerad, eller Teams nekade. Se till att appen installeras för enhetschefen (t.ex. med en policy för appinstallation) och påminn hen på annat sätt.`,
    facts: [
      { title: 'Enhet', value: input.unitName },
      { title: 'Enhetschef', value: input.chefName },
    ],
  });
}
