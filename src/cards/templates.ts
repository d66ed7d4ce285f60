/**
 * The typed template registry: each card template in adaptive-cards/ that has moved to it, with
 * the data its builder passes. `CardRenderer.render`, `measure` and `fits` check the data against
 * it, so a builder and its template cannot drift apart unnoticed. Every template is listed: a name
 * outside this registry does not type-check (test/cards/templates.test.ts checks the folder).
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
  /** The first steps, in a row of their own above `next`, when there are more than Teams shows in one (six). */
  nextFirst: { title: string; verb: string }[];
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
  /** Why the form cannot be used as it is (e.g. a person missing from the organisation file), or ''. */
  notice: string;
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
  reports: { reference: string; date: string; stateTitle: string; urgent: boolean; categoryTitle: string; unitName: string; nextStep: string }[];
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

export interface ReviewTemplate {
  week: number;
  weekKey: string;
  unitId: string;
  unitName: string;
  /** Counts as text: TextBlock text must be a string in the card schema. */
  overdue: string;
  overdueLabel: string;
  approaching: string;
  inTime: string;
  /** "3 kan inte bedömas: …" when casework items have no computable deadline; '' hides the line. */
  unjudgeable: string;
  lexSarahOpen: string;
  items: {
    label: string;
    color: string;
    reference: string;
    what: string;
    when: string;
    basis: string;
    warning: string;
    /** "öppna <reference>" for a lex Sarah case; '' for casework, which lives in the case system. */
    openCommand: string;
  }[];
  from: number;
  to: number;
  total: number;
  page: number;
  pageSize: number;
  done: boolean;
  doneBy: string;
  doneAt: string;
  doneComment: string;
  notice: string;
  refreshUserIds: string[];
}

export interface ReviewEscalationTemplate {
  label: string;
  title: string;
  text: string;
  facts: { title: string; value: string }[];
}

/** What a status drill-down or back button sends (validated again by the status service). */
export interface StatusButtonData {
  from: string;
  to: string;
  label: string;
  live: boolean;
  kind: 'committee' | 'unit' | 'mine';
  id: string;
  back?: { kind: 'committee' | 'unit' | 'mine'; id: string };
}

export interface StatusTemplate {
  title: string;
  period: string;
  asOf: string;
  overdue: string;
  approaching: string;
  newReports: string;
  newReportsLabel: string;
  openTotal: string;
  lexSarah: { title: string; value: string }[];
  lateCases: { text: string; color: string; command: string }[];
  lateMore: string;
  casework: { title: string; value: string }[];
  caseworkTotal: string;
  reviewTitle: string;
  reviews: { title: string; value: string }[];
  units: {
    unitId: string;
    unitName: string;
    review: string;
    reviewColor: string;
    bar: { weight: string; style: 'attention' | 'warning' | 'default'; label: string }[];
    line: string;
    drill: boolean;
    drillData: StatusButtonData;
  }[];
  unitsMore: string;
  hasBack: boolean;
  /** Empty when there is no way back. */
  backData: StatusButtonData | Record<string, never>;
  unreachable: Text[];
  unreachableMore: string;
}

export interface StatusQuestionTemplate {
  message: string;
  /** Each a command that parses again ("status vecka 47"). */
  suggestions: { title: string; command: string }[];
}

/** adaptive-cards/welcome.json, built by src/cards/basic-cards.ts. */
export interface WelcomeTemplate {
  greeting: string;
  municipality: string;
  /** "Du är medarbetare på …" or empty. */
  roles: string;
  note: string;
  points: Text[];
  actions: { title: string; command: string }[];
}

/** adaptive-cards/help.json, built by src/cards/basic-cards.ts. */
export interface HelpTemplate {
  intro: string;
  note: string;
  commands: { usage: string; description: string; available: boolean }[];
}

/** adaptive-cards/notice.json: a title and a line of text. */
export interface NoticeTemplate {
  title: string;
  text: string;
}

/** Template name → its data. */
export interface Templates {
  welcome: WelcomeTemplate;
  help: HelpTemplate;
  notice: NoticeTemplate;
  case: CaseTemplate;
  'case-form': CaseFormTemplate;
  'case-recommendation': CaseRecommendationTemplate;
  'case-draft': CaseDraftTemplate;
  'report-form': ReportFormTemplate;
  'report-receipt': ReportReceiptTemplate;
  'report-notification': ReportNotificationTemplate;
  'report-list': ReportListTemplate;
  'report-view': ReportViewTemplate;
  review: ReviewTemplate;
  'review-escalation': ReviewEscalationTemplate;
  status: StatusTemplate;
  'status-question': StatusQuestionTemplate;
  'case-reminder': CaseReminderTemplate;
  'pattern-alert': PatternAlertTemplate;
  compilation: CompilationTemplate;
}

/** adaptive-cards/case-reminder.json, built by src/cards/case-reminder-cards.ts. */
export interface CaseReminderTemplate {
  /** The case; empty for a digest of several. */
  reference: string;
  /** PÅMINNELSE, FÖRSENAD or ESKALERING (shown in the attention colour). */
  label: string;
  title: string;
  text: string;
  facts: { title: string; value: string }[];
  /** Buttons sending a command ("öppna LS-2026-0001", "status"); at most six (Teams). */
  actions: { title: string; command: string }[];
}

export type TemplateName = keyof Templates;

/** adaptive-cards/pattern-alert.json, built by src/cards/pattern-cards.ts. */
export interface PatternAlertTemplate {
  /** Sent back with the decision. */
  alertId: string;
  title: string;
  ruleText: string;
  facts: { title: string; value: string }[];
  /** The rapporter's references, joined; empty for a weekly pattern. */
  references: string;
  suggestion: string;
  /** The recorded decision as a line, or empty while undecided (the form shows). */
  decided: string;
  error: string;
  outcome: string;
  motivation: string;
  choices: Choice[];
  /** Teams ids whose copies refresh to the alert as it stands (pattern.show); empty: no refresh. */
  refreshUserIds: string[];
}

/** adaptive-cards/compilation.json, built by src/cards/compilation-cards.ts. */
export interface CompilationTemplate {
  title: string;
  subtitle: string;
  intro: string;
  sections: { title: string; facts: { title: string; value: string }[]; note: string }[];
  /** Sent back with the export button: the nämnd and the question, whose period is parsed again. */
  committeeId: string;
  question: string;
  /** The one-time download link, once asked for; empty until then. */
  exportUrl: string;
  exportNote: string;
}
