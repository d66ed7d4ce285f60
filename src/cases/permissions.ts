/**
 * Who may do what in a lex Sarah case. Pure. Enhetschefer run the investigation and the
 * remedies; the responsible decision, the IVO filing and closing belong to the nämnd's
 * lex Sarah-samordnare and chefer (the operator's side: an employee cannot file the anmälan).
 */
import type { AccessBasis } from '../reports/access';

export type CaseRight = 'view-case' | 'investigate' | 'decide';

const RIGHTS: Record<AccessBasis, readonly CaseRight[]> = {
  reporter: [],
  enhetschef: ['view-case', 'investigate'],
  samordnare: ['view-case', 'investigate', 'decide'],
  chef: ['view-case', 'investigate', 'decide'],
};

export function hasRight(bases: readonly AccessBasis[], right: CaseRight): boolean {
  return bases.some((b) => RIGHTS[b].includes(right));
}

/**
 * Every case card action and the right it needs. The transport layer answers only these verbs
 * (anything else is an unknown button) and the service checks the right before loading the case.
 */
export const CASE_VERBS = {
  'case.show': 'view-case',
  'case.draft': 'decide',
  'case.start-form': 'investigate',
  'case.document-form': 'investigate',
  'case.action-form': 'investigate',
  'case.assess-form': 'decide',
  'case.file-form': 'decide',
  'case.sent-form': 'decide',
  'case.close-form': 'decide',
  'case.start': 'investigate',
  'case.document': 'investigate',
  'case.action': 'investigate',
  'case.assess': 'decide',
  'case.decide': 'decide',
  'case.file': 'decide',
  'case.sent': 'decide',
  'case.close': 'decide',
} as const satisfies Record<string, CaseRight>;

export type CaseVerb = keyof typeof CASE_VERBS;

export function isCaseVerb(verb: string): verb is CaseVerb {
  return Object.prototype.hasOwnProperty.call(CASE_VERBS, verb);
}

/** The verbs that open a step's form (the rest submit one, or show the case or the draft). */
export function isCaseFormVerb(verb: CaseVerb): boolean {
  return verb.endsWith('-form');
}
