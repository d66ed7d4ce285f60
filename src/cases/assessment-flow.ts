/**
 * The escalation check inside a case: the structured questions, the rules engine's
 * recommendation with reasons and references, and the responsible person's decision (a decision
 * that departs from the recommendation needs a written motivation). Both are kept.
 */
import { DateTime } from 'luxon';
import type { AdaptiveCard } from '../cards/render';
import {
  ASSESSMENT_FIELDS,
  ASSESSMENT_QUESTIONS,
  decisionProblem,
  IMPACTS,
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
import { redactIdentityNumbers } from '../privacy/identity-numbers';

/** Refused when longer, never cut: a cut after the identity check could make a number. */
const MOTIVATION_MAX = 4000;
import type { Actor } from '../reports/service';
import type { Person } from './case';
import { anmalanDue, DEFAULT_CLOCK_RULES } from './clocks';
import type { AssessmentHost, CaseServiceDeps, LoadedCase as Loaded } from './case-host';
import { transition } from './state-machine';

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

export class AssessmentFlow {
  constructor(
    private readonly deps: CaseServiceDeps,
    private readonly cases: AssessmentHost,
  ) {}

  outcomeTitle(key: string): string {
    return (OUTCOMES as Record<string, string>)[key] ?? key;
  }

  renderForm(l: Loaded, verb: string, errors: Record<string, string> = {}, values: Record<string, string> = {}): AdaptiveCard | string {
    if (verb !== 'case.assess-form') throw new Error(`unknown case form ${verb}`);
    // A fresh form starts from what the report itself answered; a form coming back keeps what was typed.
    const prefill = Object.keys(values).length === 0 ? prefillFromReport(l.report) : {};
    const start: Record<string, string> = { ...prefill, ...values };
    return this.cases.form(l, {
      title: 'Bedöm om det är allvarligt',
      texts: [
        'Frågorna bygger på definitionerna i lex Sarah-bestämmelserna. Svaren ger en rekommendation med skäl; beslutet fattar du på nästa steg.',
        ...(Object.keys(prefill).length ? ['Några svar är förifyllda från rapportens egna svar. Kontrollera dem: rapportören visste inte allt.'] : []),
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

  private recommendationCard(l: Loaded, answers: AssessmentAnswers, extra: { decided?: string; motivation?: string; error?: string; motivationError?: string } = {}): AdaptiveCard {
    const rec = recommend(answers, this.deps.now());
    return this.deps.cards.render('case-recommendation', {
      reference: l.report.reference,
      outcomeTitle: OUTCOMES[rec.outcome],
      requiresAnmalan: rec.requiresAnmalan,
      reasons: rec.reasons.map((text) => ({ text })),
      borderline: rec.borderline.map((text) => ({ text: `${text[0]!.toUpperCase()}${text.slice(1)}.` })),
      references: rec.references.map((r) => ({ text: r.verified ? r.text : `${r.text} (kontrollera hänvisningen)` })),
      outcomes: choices(OUTCOMES),
      decided: extra.decided ?? rec.outcome,
      // Never echoed longer than the input takes (4,000), so the card fits.
      motivation: redactIdentityNumbers((extra.motivation ?? '').slice(0, MOTIVATION_MAX)),
      error: extra.error ?? '',
      motivationError: extra.motivationError ?? '',
      answers: JSON.stringify(answers),
    });
  }

  async submit(l: Loaded, actor: Actor, me: Person, verb: string, data: Record<string, unknown>): Promise<AdaptiveCard | string> {
    if (verb === 'case.assess') {
      const parsed = parseAssessmentAnswers(data);
      if (!parsed.ok) {
        const values = Object.fromEntries(ASSESSMENT_FIELDS.map((f) => [f, typeof data[f] === 'string' ? (data[f] as string) : '']));
        return this.renderForm(l, 'case.assess-form', parsed.errors as Record<string, string>, values);
      }
      await this.cases.audit(actor, l.report.reference, 'case.recommendation', `outcome=${recommend(parsed.answers, this.deps.now()).outcome}`);
      return this.recommendationCard(l, parsed.answers);
    }
    if (verb !== 'case.decide') return `Okänd åtgärd.`;

    // The answers come back from the card; the recommendation is recomputed, never taken from it.
    let raw: unknown;
    try {
      raw = JSON.parse(typeof data.answers === 'string' ? data.answers : '');
    } catch {
      raw = undefined;
    }
    const parsed = parseAssessmentAnswers(raw);
    if (!parsed.ok) return this.renderForm(l, 'case.assess-form', { form: 'Bedömningen behöver göras om. Svara på frågorna igen.' });
    const rec = recommend(parsed.answers, this.deps.now());
    const decided = String(data.outcome ?? '');
    const motivation = typeof data.motivation === 'string' ? data.motivation.trim() : '';
    if (!(OUTCOME_KEYS as string[]).includes(decided)) {
      return this.recommendationCard(l, parsed.answers, { motivation, error: 'Välj en bedömning.' });
    }
    const guarded = guardText(motivation, 'Motivering');
    if (!guarded.ok) {
      return this.recommendationCard(l, parsed.answers, { decided, motivation: guarded.masked, motivationError: guarded.message });
    }
    if (motivation.length > MOTIVATION_MAX) {
      return this.recommendationCard(l, parsed.answers, { decided, motivation, motivationError: `Högst ${MOTIVATION_MAX} tecken.` });
    }
    const missingMotivation = decisionProblem(rec, decided as Outcome, motivation);
    if (missingMotivation) return this.recommendationCard(l, parsed.answers, { decided, motivationError: missingMotivation });
    const needsAnmalan = requiresAnmalan(decided as Outcome);
    const step = transition(l.report.state, { type: 'record-decision', requiresAnmalan: needsAnmalan }, this.cases.context(l));
    if (!step.ok) return this.cases.caseCard(l, step.reason, undefined, 'Attention');
    const at = this.deps.now();
    const ok = await this.deps.store.cases.recordDecision(
      { reportId: l.report.id, reference: l.report.reference, from: l.report.state, to: step.next, actor: me, at },
      {
        answersJson: JSON.stringify(parsed.answers),
        recommendedOutcome: rec.outcome,
        recommendationJson: JSON.stringify({ reasons: rec.reasons, references: rec.references.map((r) => r.key) }),
        decidedOutcome: decided,
        requiresAnmalan: needsAnmalan,
        ...(motivation ? { motivation } : {}),
      },
    );
    const fresh = await this.cases.reload(l);
    if (!ok) return this.cases.caseCard(fresh, 'Någon annan ändrade ärendet samtidigt. Se det aktuella läget och försök igen.', undefined, 'Warning');
    const rules = this.deps.clockRules ?? DEFAULT_CLOCK_RULES;
    const due = DateTime.fromJSDate(anmalanDue(at, rules, this.deps.timeZone), { zone: this.deps.timeZone }).setLocale('sv').toFormat('d LLL yyyy');
    return this.cases.caseCard(
      fresh,
      needsAnmalan
        ? `Beslut: ${OUTCOMES[decided as Outcome]}. Anmälan till IVO ska göras snarast – enligt lokal rutin senast ${due}.`
        : `Beslut: ${OUTCOMES[decided as Outcome]}. Ingen anmälan till IVO krävs; ärendet ska utredas och avslutas med ett ställningstagande.`,
      undefined,
      // An anmälan still to make "snarast" is a task, not a success: never shown in green.
      needsAnmalan ? 'Warning' : 'Good',
    );
  }
}
