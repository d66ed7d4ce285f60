/**
 * What the case service and the assessment hand to the transport layer: a result, and the view
 * model of what to show. Plain data; the cards are built from it in src/cards/case-cards.ts only.
 * Types only, so both sides can import it without importing each other.
 */

/** How the notice at the top of the case card reads: 'Good' only for a step that is done and needs nothing more. */
export type NoticeTone = 'Good' | 'Warning' | 'Attention';

/** How many of the newest notes and åtgärder a page of the case card skips. */
export interface CasePage {
  entries: number;
  actions: number;
}

export interface CaseEntryView {
  /** The SOSFS 2011:5 item (or "Information till den enskilde"), shown in bold by the template. */
  item: string;
  /** Fakta/bedömning, author, date and source. */
  meta: string;
  text: string;
}

export interface CaseActionView {
  text: string;
  /** Owner and due date. */
  meta: string;
}

export interface CaseCardBase {
  reference: string;
  urgent: boolean;
  notice: string;
  noticeColor: NoticeTone;
  facts: { title: string; value: string }[];
  clocks: { text: string; color: string; weight: string }[];
  clocksStyle: string;
  whatHappened: string;
  /** The report's "Konsekvenser" ("–" when the reporter left it empty). */
  consequences: string;
  next: { title: string; verb: string }[];
  nextHint: string;
}

/** One input of a case step form. */
export interface CaseFormInput {
  kind: 'text' | 'multiline' | 'date' | 'choice';
  id: string;
  label: string;
  required: boolean;
  maxLength?: number;
  value?: string;
  choices?: { title: string; value: string }[];
  hint?: string;
  error?: string;
}

export interface CaseFormSpec {
  title: string;
  texts?: string[];
  /** The verb the form submits. */
  verb: string;
  submitTitle: string;
  inputs: CaseFormInput[];
  error?: string;
}

export interface DraftSection {
  title: string;
  /** Never empty: the builder writes "–" or "Utredningen pågår." for nothing. */
  paragraphs: string[];
}

export type CaseView =
  | { kind: 'case'; base: CaseCardBase; entries: CaseEntryView[]; actions: CaseActionView[]; page: CasePage }
  | ({ kind: 'form'; reference: string } & CaseFormSpec)
  | {
      kind: 'recommendation';
      reference: string;
      outcomeTitle: string;
      requiresAnmalan: boolean;
      reasons: string[];
      borderline: string[];
      references: { text: string; verified: boolean }[];
      outcomes: { title: string; value: string }[];
      decided: string;
      motivation: string;
      error: string;
      motivationError: string;
      /** The answers as JSON text, sent back with the decision (where they are checked again). */
      answers: string;
      /** The decision in force when the recommendation was shown ('' for none): a decision on a card that is older than the case's is stale. */
      basedOn: string;
    }
  | { kind: 'draft'; reference: string; sections: DraftSection[]; page: number };

/**
 * A case action's outcome: done (`ok`), a form to correct (`invalid`, with the errors and what
 * was typed), not allowed (`refused`, with the reason, and the card to show it on when there is
 * one), or overtaken by someone else's change (`stale`, with the current case).
 */
export type CaseResult =
  | { kind: 'ok'; view: CaseView }
  | { kind: 'invalid'; errors: Record<string, string>; values: Record<string, string>; view: CaseView }
  | { kind: 'refused'; reason: string; view?: CaseView }
  | { kind: 'stale'; view: CaseView };
