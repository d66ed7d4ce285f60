/**
 * What the assessment flow needs from the case service, as types only. The case service builds
 * the flow and hands itself over as its host; the flow depends on this contract, not on
 * ./service.ts, so the two modules do not import each other (test/architecture/imports.test.ts).
 */
import type { AdaptiveCard, CardRenderer } from '../cards/render';
import type { CasePage, NoticeTone } from '../cards/case-card';
import type { Logger } from '../log/logger';
import type { Directory } from '../org/directory';
import type { reportAccessAll } from '../reports/access';
import type { Report } from '../reports/report';
import type { Actor } from '../reports/service';
import type { Store } from '../store/store';
import type { CaseDetails } from './case';
import type { ClockRules } from './clocks';
import type { CaseContext } from './state-machine';

export interface CaseServiceDeps {
  store: Store;
  directory: () => Directory;
  cards: CardRenderer;
  logger: Logger;
  timeZone: string;
  now: () => Date;
  clockRules?: ClockRules;
}

/** A case loaded for someone allowed to see it, with the bases of their access. */
export interface LoadedCase {
  report: Report;
  details: CaseDetails;
  bases: ReturnType<typeof reportAccessAll>;
}

/** One input of a case step form. */
export type CaseFormInput = {
  kind: 'text' | 'multiline' | 'date' | 'choice';
  id: string;
  label: string;
  required: boolean;
  maxLength?: number;
  value?: string;
  choices?: { title: string; value: string }[];
  hint?: string;
  error?: string;
};

export interface CaseFormSpec {
  title: string;
  texts?: string[];
  verb: string;
  submitTitle: string;
  inputs: CaseFormInput[];
  error?: string;
}

/** The case service's operations the assessment flow calls back into. */
export interface AssessmentHost {
  form(l: LoadedCase, spec: CaseFormSpec): AdaptiveCard | string;
  audit(actor: Actor, reference: string, action: string, detail?: string): Promise<void>;
  context(l: LoadedCase, closingMotivation?: string): CaseContext;
  caseCard(l: LoadedCase, notice?: string, page?: CasePage, noticeColor?: NoticeTone): Promise<AdaptiveCard>;
  reload(l: LoadedCase): Promise<LoadedCase>;
}
