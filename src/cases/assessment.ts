/**
 * The escalation check inside a case: the structured questions, the rules engine's
 * recommendation with reasons and references, and the responsible person's decision (a decision
 * that departs from the recommendation needs a written motivation). Both are kept.
 *
 * Built on the case service (load, context, guarded write, the case view) and never called by it:
 * the dependency runs one way (test/architecture/imports.test.ts).
 */
import { swedishDate } from '../cards/swedish-dates';
import {
  ASSESSMENT_FIELDS,
  ASSESSMENT_QUESTIONS,
  decisionProblem,
  IMPACTS,
  isWrittenMotivation,
  OUTCOME_KEYS,
  OUTCOMES,
  parseAssessmentAnswers,
  prefillFromReport,
  recommend,
  requiresAnmalan,
  RISK_CLARITIES,
  SEVERITIES,
  YES_NO_UNKNOWN,
  type AssessmentAnswers,
  type AssessmentField,
  type Outcome,
} from '../assessment/rules';
import { guardText } from '../privacy/guard';
import type { Actor } from '../reports/service';
import { ok, type CaseService, type LoadedCase as Loaded, type StepData } from './case-service';
import type { CaseResult, CaseView } from './case-views';
import { anmalanDue, anmalanRunStart } from './clocks';
import { transition } from './state-machine';

/** Refused when longer, never cut: a cut after the identity check could make a number. */
const MOTIVATION_MAX = 4000;

const OPTIONS: Record<AssessmentField, Record<string, string>> = {
  scope: YES_NO_UNKNOWN,
  impact: IMPACTS,
  severity: SEVERITIES,
  riskClarity: RISK_CLARITIES,
  abuse: YES_NO_UNKNOWN,
  vulnerable: YES_NO_UNKNOWN,
  repeated: YES_NO_UNKNOWN,
  severalAffected: YES_NO_UNKNOWN,
};

const choices = (o: Record<string, string>) => Object.entries(o).map(([value, title]) => ({ value, title }));

export class CaseAssessment {
  constructor(private readonly cases: CaseService) {}

  private get deps() {
    return this.cases.deps;
  }

  /** The assessment's questions, prefilled from the report's own answers when fresh. */
  form(l: Loaded, errors: Record<string, string> = {}, values: Record<string, string> = {}): CaseView {
    // A fresh form starts from what the report itself answered; a form coming back keeps what was typed.
    const prefill = Object.keys(values).length === 0 ? prefillFromReport(l.report) : {};
    const start: Record<string, string> = { ...prefill, ...values };
    return this.cases.form(l, {
      title: 'Bedöm om det är allvarligt',
      texts: [
        'Frågorna bygger på definitionerna i lex Sarah-bestämmelserna. Svaren ger en rekommendation med skäl; beslutet fattar du på nästa steg.',
        ...(Object.keys(prefill).length ? ['Några svar är förifyllda från rapportens egna svar. Kontrollera dem: rapportören visste inte allt. Ett svar som är lägre än rapportens är ett gränsfall och behöver en motivering.'] : []),
      ],
      verb: 'case.assess',
      submitTitle: 'Visa rekommendation',
      error: errors.form ?? '',
      inputs: ASSESSMENT_FIELDS.map((f) => ({
        kind: 'choice' as const,
        id: f,
        label: ASSESSMENT_QUESTIONS[f],
        required: f !== 'riskClarity',
        choices: choices(OPTIONS[f]),
        value: start[f] ?? '',
        error: errors[f] ?? '',
      })),
    });
  }

  private recommendation(l: Loaded, answers: AssessmentAnswers, extra: { decided?: string; motivation?: string; error?: string; motivationError?: string } = {}): CaseView {
    const rec = recommend(answers, this.deps.now(), l.report);
    return {
      kind: 'recommendation',
      reference: l.report.reference,
      outcomeTitle: OUTCOMES[rec.outcome],
      requiresAnmalan: rec.requiresAnmalan,
      reasons: rec.reasons,
      borderline: rec.borderline,
      references: rec.references.map((r) => ({ text: r.text, verified: r.verified })),
      outcomes: choices(OUTCOMES),
      decided: extra.decided ?? rec.outcome,
      motivation: extra.motivation ?? '',
      error: extra.error ?? '',
      motivationError: extra.motivationError ?? '',
      answers: JSON.stringify(answers),
      basedOn: String(l.details.decisions.at(-1)?.id ?? ''),
    };
  }

  /** The decision form again, with what is wrong. */
  private again(l: Loaded, answers: AssessmentAnswers, extra: { decided?: string; motivation?: string; error?: string; motivationError?: string }): CaseResult {
    const errors = { ...(extra.error ? { outcome: extra.error } : {}), ...(extra.motivationError ? { motivation: extra.motivationError } : {}) };
    const values = { ...(extra.decided ? { outcome: extra.decided } : {}), ...(extra.motivation ? { motivation: extra.motivation } : {}) };
    return this.cases.invalid(this.recommendation(l, answers, extra), errors, values);
  }

  /** The answers, checked: the recommendation with its reasons, or the questions again. */
  async assess(l: Loaded, actor: Actor, data: StepData): Promise<CaseResult> {
    const parsed = parseAssessmentAnswers(data);
    if (!parsed.ok) {
      const values = Object.fromEntries(ASSESSMENT_FIELDS.map((f) => [f, data[f] ?? '']));
      const errors = parsed.errors as Record<string, string>;
      return this.cases.invalid(this.form(l, errors, values), errors, values);
    }
    await this.cases.audit(actor, l.report.reference, 'case.recommendation', `outcome=${recommend(parsed.answers, this.deps.now(), l.report).outcome}`);
    return ok(this.recommendation(l, parsed.answers));
  }

  /** The responsible person's decision, against the recommendation recomputed here. */
  async decide(l: Loaded, actor: Actor, data: StepData): Promise<CaseResult> {
    const me = this.cases.actorPerson(actor);

    // The answers come back from the card; the recommendation is recomputed, never taken from it.
    let raw: unknown;
    try {
      raw = JSON.parse(typeof data.answers === 'string' ? data.answers : '');
    } catch {
      raw = undefined;
    }
    const parsed = parseAssessmentAnswers(raw);
    if (!parsed.ok) {
      const errors = { form: 'Bedömningen behöver göras om. Svara på frågorna igen.' };
      return this.cases.invalid(this.form(l, errors), errors, {});
    }
    const rec = recommend(parsed.answers, this.deps.now(), l.report);
    const decided = String(data.outcome ?? '');
    const motivation = typeof data.motivation === 'string' ? data.motivation.trim() : '';
    if (!(OUTCOME_KEYS as string[]).includes(decided)) {
      return this.again(l, parsed.answers, { motivation, error: 'Välj en bedömning.' });
    }
    const guarded = guardText(motivation, 'Motivering');
    if (!guarded.ok) {
      return this.again(l, parsed.answers, { decided, motivation: guarded.masked, motivationError: guarded.message });
    }
    if (motivation.length > MOTIVATION_MAX) {
      return this.again(l, parsed.answers, { decided, motivation, motivationError: `Högst ${MOTIVATION_MAX} tecken.` });
    }
    // A decision made on a card older than the case's own decision would replace it unseen.
    const current = l.details.decisions.at(-1);
    if (String(data.basedOn ?? '') !== String(current?.id ?? '')) {
      return {
        kind: 'stale',
        view: this.cases.caseView(l, 'Ärendet har bedömts på nytt sedan rekommendationen visades. Se den gällande bedömningen och gör om bedömningen om den behöver ändras.', undefined, 'Warning'),
      };
    }
    const needsAnmalan = requiresAnmalan(decided as Outcome);
    // Taking back a decision that required an anmälan stops its clock: that is never done without a reason.
    if (current?.requiresAnmalan && !needsAnmalan && !isWrittenMotivation(motivation)) {
      return this.again(l, parsed.answers, {
        decided,
        motivationError: `Ärendet är redan bedömt som ${OUTCOMES[current.decidedOutcome as Outcome]?.toLowerCase() ?? current.decidedOutcome} (${current.decidedBy.name}), vilket kräver anmälan till IVO. Skriv en motivering till varför bedömningen ändras.`,
      });
    }
    const missingMotivation = decisionProblem(rec, decided as Outcome, motivation);
    if (missingMotivation) return this.again(l, parsed.answers, { decided, motivationError: missingMotivation });
    const step = transition(l.report.state, { type: 'record-decision', requiresAnmalan: needsAnmalan }, this.cases.context(l));
    if (!step.ok) return { kind: 'refused', reason: step.reason, view: this.cases.caseView(l, step.reason, undefined, 'Attention') };
    const at = this.deps.now();
    const written = await this.deps.store.cases.recordDecision(
      // Also still the decision the card was based on (checked above): a concurrent "Ny bedömning" keeps the state.
      { reportId: l.report.id, reference: l.report.reference, from: l.report.state, to: step.next, actor: me, at, decisionInForce: current?.id ?? null },
      {
        answersJson: JSON.stringify(parsed.answers),
        recommendedOutcome: rec.outcome,
        recommendationJson: JSON.stringify({ reasons: rec.reasons, references: rec.references.map((r) => r.key) }),
        decidedOutcome: decided,
        requiresAnmalan: needsAnmalan,
        ...(motivation ? { motivation } : {}),
      },
    );
    if (!written) return this.cases.stale(l);
    const fresh = await this.cases.reload(l);
    const rules = this.cases.rules;
    // A re-assessment that keeps it serious keeps the deadline: "snarast" counts from the first.
    const due = swedishDate(anmalanDue(anmalanRunStart(fresh.details.decisions) ?? at, rules, this.deps.timeZone), this.deps.timeZone);
    return ok(this.cases.caseView(
      fresh,
      needsAnmalan
        ? `Beslut: ${OUTCOMES[decided as Outcome]}. Anmälan till IVO ska göras snarast – enligt lokal rutin senast ${due}.`
        : `Beslut: ${OUTCOMES[decided as Outcome]}. Ingen anmälan till IVO krävs; ärendet ska utredas och avslutas med ett ställningstagande.`,
      undefined,
      // An anmälan still to make "snarast" is a task, not a success: never shown in green.
      needsAnmalan ? 'Warning' : 'Good',
    ));
  }
}
