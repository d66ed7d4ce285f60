/**
 * The typed template registry: each card template in adaptive-cards/ that has moved to it, with
 * the data its builder passes. `CardRenderer.render`, `measure` and `fits` check the data against
 * it for these names, so a builder and its template cannot drift apart unnoticed. Templates not
 * listed here (review, status, the basic cards) still render by name with any object.
 *
 * Plain data shapes only: this module imports nothing, so every builder can import it.
 */

type Text = { text: string };
type Choice = { title: string; value: string };
type Line = { text: string; color: string; weight: string };

export interface CaseTemplate {
  reference: string;
  urgent: boolean;
  notice: string;
  noticeColor: 'Good' | 'Warning' | 'Attention';
  facts: { title: string; value: string }[];
  clocks: Line[];
  clocksStyle: string;
  whatHappened: string;
  consequences: string;
  next: { title: string; verb: string }[];
  nextHint: string;
  entries: { item: string; meta: string; text: string }[];
  entriesNote: string;
  actionsTaken: { text: string; meta: string }[];
  actionsNote: string;
  pager: { title: string; data: object }[];
}

export interface CaseFormTemplateInput {
  kind: 'text' | 'multiline' | 'date' | 'choice';
  id: string;
  label: string;
  required: boolean;
  maxLength: number;
  value: string;
  choices: Choice[];
  hint: string;
  error: string;
}

export interface CaseFormTemplate {
  reference: string;
  formId: string;
  title: string;
  texts: Line[];
  error: string;
  verb: string;
  submitTitle: string;
  inputs: CaseFormTemplateInput[];
}

export interface CaseRecommendationTemplate {
  reference: string;
  outcomeTitle: string;
  requiresAnmalan: boolean;
  reasons: Text[];
  borderline: Text[];
  references: Text[];
  outcomes: Choice[];
  decided: string;
  motivation: string;
  error: string;
  motivationError: string;
  /** The answers as JSON text: sent back with the decision, where the recommendation is recomputed. */
  answers: string;
  /** The decision in force when the card was made, sent back so that a newer one is never overwritten unseen. */
  basedOn: string;
}

export interface CaseDraftTemplate {
  reference: string;
  sections: { title: string; text: string }[];
  copyText: string;
  copyLabel: string;
  pageNote: string;
  page: number;
  pages: number;
}

export interface ReportFormTemplate {
  formId: string;
  reporterName: string;
  today: string;
  units: { id: string; name: string }[];
  categories: Choice[];
  informedChoices: Choice[];
  answers: Choice[];
  risks: { id: string; label: string; value: string; error: string }[];
  values: Record<string, string>;
  errors: Record<string, string>;
}

export interface ReportReceiptTemplate {
  reference: string;
  createdAt: string;
  urgent: boolean;
  told: string[];
  pending: string[];
  notReached: string[];
}

export interface ReportNotificationTemplate {
  reference: string;
  urgent: boolean;
  unitName: string;
  categoryTitle: string;
  occurred: string;
  noticed: string;
  reporterName: string;
  riskSummary: string;
  roleTitle: string;
}

export interface ReportListTemplate {
  reports: { reference: string; date: string; stateTitle: string }[];
}

export interface ReportViewTemplate {
  reference: string;
  urgent: boolean;
  stateTitle: string;
  unitName: string;
  categoryTitle: string;
  occurred: string;
  noticed: string;
  location: string;
  reporterName: string;
  createdAt: string;
  informedTitle: string;
  caseReference: string;
  whatHappened: string;
  consequences: string;
  immediateActions: string;
  risks: { question: string; answer: string }[];
}

/** Template name → its data. */
export interface Templates {
  case: CaseTemplate;
  'case-form': CaseFormTemplate;
  'case-recommendation': CaseRecommendationTemplate;
  'case-draft': CaseDraftTemplate;
  'report-form': ReportFormTemplate;
  'report-receipt': ReportReceiptTemplate;
  'report-notification': ReportNotificationTemplate;
  'report-list': ReportListTemplate;
  'report-view': ReportViewTemplate;
}

export type TemplateName = keyof Templates;
