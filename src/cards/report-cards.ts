/** Cards for lex Sarah reports: the form, the receipt, the notification, the list and the view. */
import { DateTime } from 'luxon';
import { ANSWERS, CATEGORIES, INFORMED, RISK_QUESTIONS, type RiskQuestion } from '../reports/categories';
import { FIELD_LABELS, FORM_FIELDS, type FormErrors } from '../reports/form';
import type { Report, ReportState, ReportSummary } from '../store/store';
import type { AdaptiveCard, CardRenderer } from './render';

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
  today: string;
  values?: Record<string, string>;
  errors?: FormErrors;
}

export function reportFormCard(r: CardRenderer, input: FormCardInput): AdaptiveCard {
  const values = Object.fromEntries(FORM_FIELDS.map((f) => [f, input.values?.[f] ?? '']));
  if (!values.unitId && input.units.length === 1) values.unitId = input.units[0]!.id;
  const errors = Object.fromEntries(['form', ...FORM_FIELDS].map((f) => [f, input.errors?.[f as keyof FormErrors] ?? '']));
  if (input.errors && Object.keys(input.errors).length && !errors.form) {
    errors.form = 'Rapporten är inte skickad. Rätta det som är markerat nedan och skicka igen.';
  }
  return r.render('report-form', {
    formId: input.formId,
    reporterName: input.reporterName,
    today: input.today,
    units: input.units,
    categories: Object.entries(CATEGORIES).map(([value, title]) => ({ value, title })),
    informedChoices: Object.entries(INFORMED).map(([value, title]) => ({ value, title })),
    answers: Object.entries(ANSWERS).map(([value, title]) => ({ value, title })),
    risks: RISK_IDS.map((q) => {
      const id = `risk_${q}` as keyof typeof FIELD_LABELS;
      return { id, label: RISK_QUESTIONS[q], value: values[id] ?? '', error: errors[id] ?? '' };
    }),
    values,
    errors,
  });
}

const fmt = (d: Date, tz: string, withTime: boolean) =>
  DateTime.fromJSDate(d, { zone: tz }).setLocale('sv').toFormat(withTime ? 'd LLL yyyy HH:mm' : 'd LLL yyyy');

export function reportReceiptCard(
  r: CardRenderer,
  input: { report: Report; told: string[]; notReached: string[]; timeZone: string },
): AdaptiveCard {
  return r.render('report-receipt', {
    reference: input.report.reference,
    createdAt: fmt(input.report.createdAt, input.timeZone, true),
    urgent: input.report.urgent,
    told: input.told,
    notReached: input.notReached,
  });
}

function riskSummary(report: Report): string {
  const yes = RISK_IDS.filter((q) => report.risks[q] === 'ja').map((q) => RISK_QUESTIONS[q].replace(/\?$/, ''));
  const unknown = RISK_IDS.filter((q) => report.risks[q] === 'vet-ej').length;
  const parts = [yes.length ? `Ja: ${yes.join('; ')}` : 'Inga ja-svar'];
  if (unknown) parts.push(`${unknown} vet ej`);
  return parts.join(' · ');
}

export function reportNotificationCard(
  r: CardRenderer,
  input: { report: Report; unitName: string; role: 'enhetschef' | 'samordnare'; timeZone: string },
): AdaptiveCard {
  const { report, timeZone } = input;
  return r.render('report-notification', {
    reference: report.reference,
    urgent: report.urgent,
    unitName: input.unitName,
    categoryTitle: CATEGORIES[report.category],
    occurred: fmt(report.occurredAt, timeZone, report.occurredTimeKnown),
    noticed: fmt(report.noticedAt, timeZone, report.noticedTimeKnown),
    reporterName: report.reporterName,
    riskSummary: riskSummary(report),
    roleTitle: input.role === 'enhetschef' ? 'enhetschef för enheten' : 'lex Sarah-samordnare för nämnden',
  });
}

export function reportListCard(r: CardRenderer, reports: ReportSummary[], timeZone: string): AdaptiveCard {
  return r.render('report-list', {
    reports: reports.map((s) => ({ reference: s.reference, date: fmt(s.createdAt, timeZone, false), stateTitle: STATE_TITLES[s.state] })),
  });
}

export function reportViewCard(r: CardRenderer, input: { report: Report; unitName: string; timeZone: string }): AdaptiveCard {
  const { report, timeZone } = input;
  return r.render('report-view', {
    reference: report.reference,
    urgent: report.urgent,
    stateTitle: STATE_TITLES[report.state],
    unitName: input.unitName,
    categoryTitle: CATEGORIES[report.category],
    occurred: fmt(report.occurredAt, timeZone, report.occurredTimeKnown),
    noticed: fmt(report.noticedAt, timeZone, report.noticedTimeKnown),
    location: report.location,
    reporterName: report.reporterName,
    createdAt: fmt(report.createdAt, timeZone, true),
    informedTitle: INFORMED[report.informed],
    caseReference: report.caseReference ?? '–',
    whatHappened: report.whatHappened,
    consequences: report.consequences,
    immediateActions: report.immediateActions,
    risks: RISK_IDS.map((q) => ({ question: RISK_QUESTIONS[q], answer: ANSWERS[report.risks[q]] })),
  });
}
