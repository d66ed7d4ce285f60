/**
 * The reminder and escalation cards of the lex Sarah clocks (adaptive-cards/case-reminder.json),
 * and the only place they are built: the assessment of an unassessed rapport, the anmälan to IVO,
 * the investigation at IVO and the closing of the case. The reminder job (src/cases/reminders.ts) gives the clock, the
 * kind and who it is for; the words are here. Every number of days a clock uses is local policy,
 * and the card says so, in the same words as the case card (clockLabel).
 *
 * Nothing on these cards grows with the case: the longest data is the unit's name (organisation
 * file, at most 200 characters) and the legal references (effective-dated data), far below
 * MAX_CARD_BYTES (test/cases/reminders.test.ts renders every combination with worst-case names).
 */
import { closingClockNote, clockLabel, DEFAULT_CLOCK_RULES, investigationClockNote, type ClockRules, type ReminderKind, type RunningClock } from '../cases/clocks';
import type { AdaptiveCard, CardRenderer } from './render';
import type { CaseReminderTemplate } from './templates';

export type { CaseReminderTemplate };
import { swedishDate } from './swedish-dates';

/** One reminder of one clock for one person. */
export interface CaseReminderView {
  reference: string;
  unitName: string;
  /** The clock that runs, with what it counts from. */
  run: RunningClock;
  kind: ReminderKind;
  /** For the nämnd's chefer once the deadline has passed. */
  escalation: boolean;
  /** The deadline: the end of its due day. */
  due: Date;
  timeZone: string;
  rules?: ClockRules;
  /**
   * The legal duty behind the clock, from the effective-dated references valid on its trigger
   * (src/assessment/legal-references.ts); unverified ones are marked so on the card.
   */
  law?: readonly { text: string; verified: boolean }[];
}

const CHEF_NOTE = ' Du får detta som chef för nämnden.';

/** "27 kap. 5 § socialtjänstlagen (2025:400)" of a reference's text (the part before its explanation). */
function citation(ref: { text: string; verified: boolean }): string {
  const cited = ref.text.split(' – ')[0]!.trim();
  return ref.verified ? cited : `${cited} (kontrollera hänvisningen)`;
}

export function caseReminderData(v: CaseReminderView): CaseReminderTemplate {
  return { ...reminderText(v), actions: [{ title: 'Öppna ärendet', command: `öppna ${v.reference}` }] };
}

function reminderText(v: CaseReminderView): Omit<CaseReminderTemplate, 'actions'> {
  const rules = v.rules ?? DEFAULT_CLOCK_RULES;
  const dueText = swedishDate(v.due, v.timeZone);
  const overdue = v.kind === 'overdue';
  const label = v.escalation ? 'ESKALERING' : overdue ? 'FÖRSENAD' : 'PÅMINNELSE';
  const unit = { title: 'Enhet', value: v.unitName };
  const dueFact = { title: 'Senast', value: dueText };
  const chef = v.escalation ? CHEF_NOTE : '';
  const run = v.run;
  switch (run.clock) {
    case 'bedomning': {
      // The label says "(brådskande)"; the note says the days are local policy and the law "genast".
      const { label: what, note } = clockLabel(run, rules);
      const law = (v.law ?? []).map(citation);
      // An enhetschef receives the rapport but may not decide: the card says where, not who.
      const next = v.escalation ? ' Du får detta som chef för nämnden: se till att rapporten bedöms.' : ' Bedömningen görs i ärendet.';
      return {
        reference: v.reference,
        label,
        title: `${what} – ${v.reference}`,
        text: overdue
          ? `Rapporten är fortfarande inte bedömd, och den lokala fristen för bedömningen gick ut ${dueText}.${next}`
          : v.kind === 'before-0'
            ? `Rapporten är inte bedömd än, och enligt lokal rutin ska bedömningen vara gjord i dag (${dueText}).${next}`
            : `Rapporten är inte bedömd än. Enligt lokal rutin ska bedömningen vara gjord senast ${dueText}.${next}`,
        facts: [
          unit,
          { title: 'Rapporten kom in', value: swedishDate(run.receivedAt, v.timeZone, true) },
          dueFact,
          { title: 'Frist', value: note },
          ...(law.length ? [{ title: 'Lagrum', value: law.join('; ') }] : []),
        ],
      };
    }
    case 'anmalan':
      return {
        reference: v.reference,
        label,
        title: `Anmälan till IVO – ${v.reference}`,
        text: overdue
          ? `Ärendet är bedömt som allvarligt men ingen anmälan till IVO är registrerad. Den lokala fristen för "snarast" gick ut ${dueText}.${chef}`
          : `Ärendet är bedömt som allvarligt. Anmälan till IVO ska göras snarast – enligt lokal rutin senast ${dueText}.`,
        facts: [unit, dueFact],
      };
    case 'utredning':
      return {
        reference: v.reference,
        label,
        title: `Utredningen till IVO – ${v.reference}`,
        text: overdue
          ? `Utredningen skulle ha skickats till IVO senast ${dueText}. ${investigationClockNote(rules)}${chef}`
          : `Utredningen ska skickas till IVO senast ${dueText}. ${investigationClockNote(rules)}`,
        facts: [unit, dueFact],
      };
    case 'avslut': {
      // Never "klar" as law: the days are local policy, and the note says the law gives none.
      const note = closingClockNote(run, rules, v.timeZone);
      const why =
        run.since === 'beslut'
          ? 'Beslutet är att ingen anmälan till IVO behövs, men ärendet är inte avslutat: utredningen ska göras klar och ärendet avslutas med ett ställningstagande.'
          : 'Utredningen är hos IVO, men ärendet är inte avslutat: registrera avslutet i ärendet.';
      // An anmälan registered weeks after it was made can be overdue at once: the card says why.
      const counted = run.since === 'utredning-hos-ivo' ? ` Fristen räknas från den dag utredningen kom till IVO (${swedishDate(middayOf(run.atIvoOn), v.timeZone)}), också när anmälan registrerades i efterhand.` : '';
      return {
        reference: v.reference,
        label,
        title: `Ärendet ska avslutas – ${v.reference}`,
        text: overdue ? `${why} Den lokala fristen för att avsluta det gick ut ${dueText}.${counted}${chef}` : `${why} Enligt lokal rutin senast ${dueText}.`,
        facts: [
          unit,
          run.since === 'beslut'
            ? { title: 'Beslut utan anmälan', value: swedishDate(run.decidedAt, v.timeZone, true) }
            : { title: 'Utredningen till IVO', value: swedishDate(middayOf(run.atIvoOn), v.timeZone) },
          dueFact,
          { title: 'Frist', value: note },
        ],
      };
    }
  }
}

/** An ISO calendar day as an instant on that day: noon UTC is the same day in every zone within ±11 hours. */
const middayOf = (day: string) => new Date(`${day}T12:00:00Z`);

/** At most this many cases are named on a digest; the rest are counted (the status card lists them all). */
export const DIGEST_CASES_SHOWN = 20;
/** Buttons opening a case on a digest, beside "Lägesbild" (Teams shows six). */
const DIGEST_OPEN_BUTTONS = 5;

/** What a clock's passed deadline was about, in a few words (the digest's lines). */
const DIGEST_WHAT: Record<RunningClock['clock'], string> = {
  bedomning: 'bedömningen (lokal rutin)',
  anmalan: 'anmälan till IVO',
  utredning: 'utredningen till IVO (lokal rutin/praxis)',
  avslut: 'avslutet (lokal rutin)',
};

/**
 * One escalation card for several cases whose deadlines passed by the same tick (after downtime,
 * or several due the same day): one card per chef instead of one per case. Each line names the
 * case, the clock and the day it passed; the numbers of days are local policy as on the single
 * cards, and the status card lists them all.
 */
export function caseEscalationDigestData(items: readonly CaseReminderView[], timeZone: string): CaseReminderTemplate {
  const shown = items.slice(0, DIGEST_CASES_SHOWN);
  const rest = items.length - shown.length;
  return {
    reference: '',
    label: 'ESKALERING',
    title: `${items.length} lex Sarah-ärenden har passerat sina frister`,
    text:
      'Fristerna nedan har gått ut och ärendena har inte kommit vidare. De samlas här i ett kort i stället för ett per ärende.' +
      `${CHEF_NOTE} Antalet dagar i fristerna är lokal rutin utom där lagen säger "snarast" (anmälan till IVO).`,
    facts: [
      ...shown.map((v) => ({ title: v.reference, value: `${DIGEST_WHAT[v.run.clock]} – ${v.unitName}; fristen gick ut ${swedishDate(v.due, timeZone)}` })),
      ...(rest > 0 ? [{ title: 'Fler', value: `… och ${rest} till: skriv "status" för lägesbilden.` }] : []),
    ],
    actions: [...shown.slice(0, DIGEST_OPEN_BUTTONS).map((v) => ({ title: `Öppna ${v.reference}`, command: `öppna ${v.reference}` })), { title: 'Lägesbild', command: 'status' }],
  };
}

/** The digest card (caseEscalationDigestData). */
export function caseEscalationDigestCard(cards: CardRenderer, items: readonly CaseReminderView[], timeZone: string): AdaptiveCard {
  return cards.render('case-reminder', caseEscalationDigestData(items, timeZone));
}

/** The reminder card; throws CardTooLargeError should it ever outgrow a Teams message. */
export function caseReminderCard(cards: CardRenderer, v: CaseReminderView): AdaptiveCard {
  const data: CaseReminderTemplate = caseReminderData(v);
  return cards.render('case-reminder', data);
}
