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

// Which right each case action needs is in the step table, ./steps.ts.
