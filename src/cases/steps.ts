/**
 * Every case action in one table: its verb, the right it needs, the zod schema its card data is
 * read through, and what runs it. The transport layer has one route for all of them
 * (`runCaseStep`), so a verb has no right, schema or handler anywhere else. The case is loaded and
 * the right checked here, before any step runs; the steps themselves are the case service's and
 * the assessment's.
 */
import { z } from 'zod';
import { ASSESSMENT_FIELDS } from '../assessment/rules';
import { parseCasePage, parseDraftPage } from '../cards/case-cards';
import type { Actor } from '../reports/service';
import { CaseAssessment } from './assessment';
import { CaseService, ok, UNKNOWN_CASE_ACTION, type CaseFormVerb, type CaseServiceDeps, type CaseSubmitVerb, type LoadedCase, type StepData } from './case-service';
import type { CaseResult } from './case-views';
import type { CaseRight } from './permissions';

/** A text a card sends; anything else (a number, an object) reads as not sent. */
const text = z.preprocess((v) => (typeof v === 'string' ? v : undefined), z.string().optional());
/** The data of a step: the case reference, the form id, and the step's own fields, as text. */
const fields = (...names: readonly string[]) => z.object(Object.fromEntries(['reference', 'formId', ...names].map((n) => [n, text])));

/** What the steps run on: the case service and the assessment built on it. */
export interface CaseSteps {
  cases: CaseService;
  assessment: CaseAssessment;
}

export function caseSteps(deps: CaseServiceDeps): CaseSteps {
  const cases = new CaseService(deps);
  return { cases, assessment: new CaseAssessment(cases) };
}

interface Step {
  right: CaseRight;
  schema: z.ZodType<Record<string, unknown>>;
  run(s: CaseSteps, l: LoadedCase, actor: Actor, data: Record<string, unknown>): Promise<CaseResult>;
}

const form = (right: CaseRight, verb: CaseFormVerb): Step => ({ right, schema: fields(), run: async (s, l) => ok(s.cases.stepForm(l, verb)) });
const submit = (right: CaseRight, verb: CaseSubmitVerb, ...names: string[]): Step => ({
  right,
  schema: fields(...names),
  run: (s, l, actor, data) => s.cases.submit(l, actor, verb, data as StepData),
});

export const CASE_STEPS = {
  'case.show': { right: 'view-case', schema: z.object({ reference: text, entries: z.unknown(), actions: z.unknown() }), run: (s, l, actor, data) => s.cases.show(l, actor, parseCasePage(data)) },
  'case.draft': { right: 'decide', schema: z.object({ reference: text, page: z.unknown() }), run: (s, l, actor, data) => s.cases.draft(l, actor, parseDraftPage(data.page)) },
  'case.start-form': form('investigate', 'case.start-form'),
  'case.document-form': form('investigate', 'case.document-form'),
  'case.action-form': form('investigate', 'case.action-form'),
  'case.action-done-form': form('investigate', 'case.action-done-form'),
  'case.inform-form': form('investigate', 'case.inform-form'),
  'case.assess-form': { right: 'decide', schema: fields(), run: async (s, l) => ok(s.assessment.form(l)) },
  'case.file-form': form('decide', 'case.file-form'),
  'case.sent-form': form('decide', 'case.sent-form'),
  'case.close-form': form('decide', 'case.close-form'),
  'case.start': submit('investigate', 'case.start', 'utredare'),
  'case.document': submit('investigate', 'case.document', 'item', 'kind', 'source', 'text'),
  'case.action': submit('investigate', 'case.action', 'text', 'owner', 'dueOn'),
  'case.action-done': submit('investigate', 'case.action-done', 'action'),
  'case.inform': submit('investigate', 'case.inform', 'about', 'informed', 'informedOn', 'role', 'whyNot'),
  'case.assess': { right: 'decide', schema: fields(...ASSESSMENT_FIELDS), run: (s, l, actor, data) => s.assessment.assess(l, actor, data as StepData) },
  'case.decide': { right: 'decide', schema: fields('answers', 'outcome', 'motivation', 'basedOn'), run: (s, l, actor, data) => s.assessment.decide(l, actor, data as StepData) },
  'case.file': submit('decide', 'case.file', 'filedOn', 'dnr', 'attached'),
  'case.sent': submit('decide', 'case.sent', 'sentOn'),
  'case.close': submit('decide', 'case.close', 'decision', 'motivation'),
} as const satisfies Record<string, Step>;

export type CaseVerb = keyof typeof CASE_STEPS;

export function isCaseVerb(verb: string): verb is CaseVerb {
  return Object.prototype.hasOwnProperty.call(CASE_STEPS, verb);
}

/** The right each verb needs. */
export const caseRight = (verb: CaseVerb): CaseRight => CASE_STEPS[verb].right;

/**
 * The single route for case actions: the verb's step, its data read through its schema, the case
 * loaded for someone with the step's right (a refusal says nothing of whether it exists), then the step.
 */
export async function runCaseStep(s: CaseSteps, actor: Actor, verb: string, raw: unknown): Promise<CaseResult> {
  if (!isCaseVerb(verb)) return { kind: 'refused', reason: UNKNOWN_CASE_ACTION };
  const step: Step = CASE_STEPS[verb];
  const parsed = step.schema.safeParse(raw && typeof raw === 'object' && !Array.isArray(raw) ? raw : {});
  const data = parsed.success ? parsed.data : {};
  const l = await s.cases.load(actor, typeof data.reference === 'string' ? data.reference : '', step.right);
  if ('kind' in l) return l;
  return step.run(s, l, actor, data);
}
