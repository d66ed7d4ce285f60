/**
 * Cards for lex Sarah reports: the form, the receipt, the notification, the list and the view, and
 * the only place they are built. The report service returns these builders' inputs as its view
 * models (src/reports/service.ts); the bot layer renders its replies here, and the service renders
 * the cards it writes into the outbox here too.
 */
import { swedishDate } from './swedish-dates';
import type { UnplacedReason } from '../reports/access';
import { ANSWERS, CATEGORIES, INFORMED, RISK_QUESTIONS, type RiskQuestion } from '../reports/categories';
import { FIELD_LABELS, FORM_FIELDS, type FormErrors } from '../reports/form';
import type { Report, ReportState, ReportSummary } from '../reports/report';
import { charCount, renderShortened } from './fit';
import { shorten } from './plain-text';
import { CardTooLargeError, type AdaptiveCard, type CardRenderer } from './render';
import type { Templates } from './templates';

/**
 * Renders `name` whole when it fits, otherwise with the texts passed through `cut` shortened (each
 * saying how much is left out) as little as needed: for cards with no page to put the rest on.
 */
function renderFitting<K extends keyof Templates>(r: CardRenderer, name: K, texts: string[], data: (cut: (s: string) => string) => Templates[K]): AdaptiveCard {
  const whole = r.measure(name, data((s) => s));
  if (whole.bytes <= r.maxBytes) return whole.card;
  const longest = Math.max(0, ...texts.map(charCount));
  return renderShortened(r, name, longest, (cap) => data((s) => (cap >= longest ? s : shorten(s, cap))));
}

export const STATE_TITLES: Record<ReportState, string> = {
  rapporterad: 'Rapporterad – väntar på utredning',
  'under-utredning': 'Under utredning',
  bedomd: 'Bedömd',
  anmald: 'Anmäld till IVO',
  avslutad: 'Avslutad',
};

const RISK_IDS = Object.keys(RISK_QUESTIONS) as RiskQuestion[];

export interface FormCardInput {
  formId: string;
  reporterName: string;
  units: { id: string; name: string }[];
  /** The unit chosen when the form opens: the reporter's own (the first of several). */
  defaultUnitId?: string;
  today: string;
  /** Shown above the form: e.g. where the report goes when the organisation file does not place the reporter. */
  notice?: string;
  /** What was typed, when the form is shown again; a new form has none and starts on today's dates. */
  values?: Record<string, string>;
  errors?: FormErrors;
}

export function reportFormCard(r: CardRenderer, input: FormCardInput): AdaptiveCard {
  const values = Object.fromEntries(FORM_FIELDS.map((f) => [f, input.values?.[f] ?? '']));
  if (!values.unitId) {
    const chosen = input.units.find((u) => u.id === input.defaultUnitId) ?? (input.units.length === 1 ? input.units[0] : undefined);
    if (chosen) values.unitId = chosen.id;
  }
  // Most reports are made the day it happened or was noticed; a form shown again keeps what was typed.
  if (!input.values) values.occurredDate = values.noticedDate = input.today;
  const errors = Object.fromEntries(['form', ...FORM_FIELDS].map((f) => [f, input.errors?.[f as keyof FormErrors] ?? '']));
  if (input.errors && Object.keys(input.errors).length && !errors.form) {
    errors.form = 'Rapporten är inte skickad. Rätta det som är markerat nedan och skicka igen.';
  }
  // The values typed are never shortened (they are the reporter's text); unit names can be.
  return renderFitting(r, 'report-form', [input.reporterName, ...input.units.map((u) => u.name)], (cut): Templates['report-form'] => ({
    formId: input.formId,
    notice: input.notice ?? '',
    reporterName: cut(input.reporterName),
    today: input.today,
    units: input.units.map((u) => ({ id: u.id, name: cut(u.name) })),
    categories: Object.entries(CATEGORIES).map(([value, title]) => ({ value, title })),
    informedChoices: Object.entries(INFORMED).map(([value, title]) => ({ value, title })),
    answers: Object.entries(ANSWERS).map(([value, title]) => ({ value, title })),
    risks: RISK_IDS.map((q) => {
      const id = `risk_${q}` as keyof typeof FIELD_LABELS;
      return { id, label: RISK_QUESTIONS[q], value: values[id] ?? '', error: errors[id] ?? '' };
    }),
    values,
    errors,
  }));
}

/** Shown instead of the form again when what was typed cannot be echoed in one Teams message. */
export const TOO_LONG_TO_SHOW_AGAIN =
  'Rapporten är inte skickad: texterna är för långa för att Teams ska kunna visa formuläret igen. Det du skrev finns kvar i formuläret. Korta ned "Vad hände?" och de andra långa fälten och skicka igen.';

/**
 * The form again with what was typed. Texts too long for one Teams message cannot be echoed;
 * a message answer leaves the card, and the text in it, as the user has it.
 */
export function reportFormAgainCard(r: CardRenderer, input: FormCardInput): AdaptiveCard | string {
  try {
    return reportFormCard(r, input);
  } catch (err) {
    if (!(err instanceof CardTooLargeError)) throw err;
    return TOO_LONG_TO_SHOW_AGAIN;
  }
}

const fmt = swedishDate;

export interface ReceiptCardInput {
  report: Report;
  /** Recipients told, waiting for delivery, and not reached (a final failure), by name. */
  told: string[];
  pending?: string[];
  notReached: string[];
  timeZone: string;
}

export function reportReceiptCard(r: CardRenderer, input: ReceiptCardInput): AdaptiveCard {
  const pending = input.pending ?? [];
  return renderFitting(r, 'report-receipt', [...input.told, ...pending, ...input.notReached], (cut) => ({
    reference: input.report.reference,
    createdAt: fmt(input.report.createdAt, input.timeZone, true),
    urgent: input.report.urgent,
    told: input.told.map(cut),
    pending: pending.map(cut),
    notReached: input.notReached.map(cut),
  }));
}

function riskSummary(report: Report): string {
  const yes = RISK_IDS.filter((q) => report.risks[q] === 'ja').map((q) => RISK_QUESTIONS[q].replace(/\?$/, ''));
  const unknown = RISK_IDS.filter((q) => report.risks[q] === 'vet-ej').length;
  const parts = [yes.length ? `Ja: ${yes.join('; ')}` : 'Inga ja-svar'];
  if (unknown) parts.push(`${unknown} vet ej`);
  return parts.join(' · ');
}

/** After the reporter's name when the organisation file does not place them, by why: the samordnare first finds out who they are, or where they work. */
export const UNPLACED_REPORTER_TEXTS: Record<UnplacedReason, string> = {
  'not-in-organisation': ' (finns inte med i organisationsfilen – kontrollera vem hen är)',
  'no-unit': ' (finns i organisationsfilen men hör inte till någon enhet – kontrollera var hen arbetar)',
};
/** Someone not in the file at all. */
export const UNPLACED_REPORTER = UNPLACED_REPORTER_TEXTS['not-in-organisation'];

export function reportNotificationCard(
  r: CardRenderer,
  input: { report: Report; unitName: string; role: 'enhetschef' | 'samordnare'; timeZone: string; reporterUnplaced?: UnplacedReason },
): AdaptiveCard {
  const { report, timeZone } = input;
  return renderFitting(r, 'report-notification', [input.unitName, report.reporterName], (cut) => ({
    reference: report.reference,
    urgent: report.urgent,
    unitName: cut(input.unitName),
    categoryTitle: CATEGORIES[report.category],
    occurred: fmt(report.occurredAt, timeZone, report.occurredTimeKnown),
    noticed: fmt(report.noticedAt, timeZone, report.noticedTimeKnown),
    reporterName: `${cut(report.reporterName)}${input.reporterUnplaced ? UNPLACED_REPORTER_TEXTS[input.reporterUnplaced] : ''}`,
    riskSummary: riskSummary(report),
    roleTitle: input.role === 'enhetschef' ? 'enhetschef för enheten' : 'lex Sarah-samordnare för nämnden',
  }));
}

/**
 * What happens next with a report, as its reporter needs to know it: the state alone does not say
 * who acts now or whether anything is left.
 */
export const NEXT_STEPS: Record<ReportState, string> = {
  rapporterad: 'Enhetschefen eller lex Sarah-samordnaren tar emot rapporten och startar en utredning.',
  'under-utredning': 'Utredningen pågår. Sedan bedöms om det är ett allvarligt missförhållande som ska anmälas till IVO.',
  bedomd: 'Bedömningen är gjord. Kräver den en anmälan görs den till IVO; annars avslutas ärendet när utredningen är klar.',
  // Only when the list cannot tell where the investigation is (ANMALD_NEXT_STEPS otherwise).
  anmald: 'Anmälan till IVO är gjord. Ärendet avslutas när utredningen är hos IVO.',
  avslutad: 'Inget mer: ärendet är avslutat.',
};

/** Where an anmäld report's investigation is: attached to the anmälan, sent after it, or still to be sent. */
export type InvestigationAtIvo = 'attached' | 'sent' | 'to-send';

/** An anmäld report's next step by where its investigation is: the law wants it with IVO before the case closes. */
export const ANMALD_NEXT_STEPS: Record<InvestigationAtIvo, string> = {
  attached: 'Anmälan är gjord och utredningen bifogades den. Kvar är att avsluta ärendet.',
  sent: 'Utredningen är skickad till IVO. Kvar är att avsluta ärendet.',
  'to-send': 'Anmälan är gjord. Utredningen skickas till IVO, sedan avslutas ärendet.',
};

/** "mina rapporter": one of the person's reports with its unit's name (the summary has only the id). */
export interface ReportListItem {
  summary: ReportSummary;
  unitName: string;
  /** For an anmäld report: where its investigation is, from the recorded filing. */
  investigationAtIvo?: InvestigationAtIvo;
}

export interface ReportListCardInput {
  reports: ReportListItem[];
  timeZone: string;
}

/**
 * The person's latest reports, each with the time it was filed, its category and unit, its state
 * and the next step: five reports from one day must be told apart. Long unit names are shortened
 * (saying so) when twenty of them would not fit.
 */
export function reportListCard(r: CardRenderer, input: ReportListCardInput): AdaptiveCard {
  const { reports, timeZone } = input;
  return renderFitting(r, 'report-list', reports.map((i) => i.unitName), (cut): Templates['report-list'] => ({
    reports: reports.map(({ summary: s, unitName, investigationAtIvo }) => ({
      reference: s.reference,
      date: fmt(s.createdAt, timeZone, true),
      stateTitle: STATE_TITLES[s.state],
      urgent: s.urgent,
      categoryTitle: CATEGORIES[s.category],
      unitName: cut(unitName),
      nextStep: s.state === 'anmald' && investigationAtIvo ? ANMALD_NEXT_STEPS[investigationAtIvo] : NEXT_STEPS[s.state],
    })),
  }));
}

export interface ReportViewCardInput {
  report: Report;
  unitName: string;
  timeZone: string;
}

export function reportViewCard(r: CardRenderer, input: ReportViewCardInput): AdaptiveCard {
  const { report, timeZone } = input;
  // Three texts of up to 4,000 characters fit as typed; only text that is expensive to show safely
  // (markdown characters, each escaped) can need shortening, and then it says so.
  const texts = [input.unitName, report.location, report.reporterName, report.whatHappened, report.consequences, report.immediateActions];
  return renderFitting(r, 'report-view', texts, (cut) => ({
    reference: report.reference,
    urgent: report.urgent,
    stateTitle: STATE_TITLES[report.state],
    unitName: cut(input.unitName),
    categoryTitle: CATEGORIES[report.category],
    occurred: fmt(report.occurredAt, timeZone, report.occurredTimeKnown),
    noticed: fmt(report.noticedAt, timeZone, report.noticedTimeKnown),
    location: cut(report.location),
    reporterName: cut(report.reporterName),
    createdAt: fmt(report.createdAt, timeZone, true),
    informedTitle: INFORMED[report.informed],
    caseReference: report.caseReference ?? '–',
    whatHappened: cut(report.whatHappened),
    consequences: cut(report.consequences),
    immediateActions: cut(report.immediateActions),
    risks: RISK_IDS.map((q) => ({ question: RISK_QUESTIONS[q], answer: ANSWERS[report.risks[q]] })),
  }));
}
