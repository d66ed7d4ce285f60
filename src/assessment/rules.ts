/**
 * The escalation check for a lex Sarah report: a pure rules engine that turns structured answers
 * (taken from the definitions of missförhållande, påtaglig risk and allvarligt missförhållande)
 * into a recommended outcome, plain-Swedish reasons and the legal references valid on the day.
 *
 * Research has found seriousness judged very differently between investigations, so the product
 * structures, recommends and records; a responsible person decides, and a decision that departs
 * from the recommendation needs a written motivation. The rules are therefore kept simple,
 * explainable and conservative: when in doubt they recommend the more serious outcome.
 *
 * The rules, in order:
 *
 *  1. Threshold — is it a missförhållande, a påtaglig risk, or neither?
 *     - impact "ingen" (no threat, no consequences, no risk) → inte-missforhallande.
 *       Exception: abuse answered "ja" contradicts "no threat" (abuse is a threat in itself), so
 *       the answers are treated as a threat — the more serious reading — and the reasons say so.
 *     - impact "risk" with an unclear or remote risk → inte-missforhallande: an unclear or remote
 *       risk is not påtaglig. The report must still be investigated and the ställningstagande
 *       documented. Aggravating answers do not lift this (they concern seriousness, not whether
 *       the risk is real) but are mentioned, with a prompt to test the judgement of the risk.
 *     - impact "risk" with a påtaglig (obvious and concrete) risk → påtaglig risk; if the risk
 *       was not classified ("ej-aktuell"), it is treated as påtaglig (the more serious reading).
 *     - impact "konsekvenser" (a threat or actual consequences) → missförhållande.
 *  2. Seriousness — applied the same way to a missförhållande and to a påtaglig risk (then to
 *     what the risk was of). It is serious (allvarligt) when
 *       severity is "allvarlig", OR
 *       it concerns abuse (övergrepp) of any kind — normally judged serious (Socialstyrelsen's
 *       handbook), OR
 *       severity is "betydande" AND at least one of: a child or a person in a particularly
 *       vulnerable position; repeated, systematic or long-lasting; several people affected.
 *     Otherwise it is not serious ("lindrig", or "betydande" with none of those factors).
 *  3. Outcome — missförhållande → allvarligt-missforhallande / missforhallande-ej-allvarligt;
 *     påtaglig risk → paataglig-risk-allvarligt / paataglig-risk-ej-allvarlig. The two serious
 *     outcomes require an anmälan to IVO.
 *
 * Vulnerability, repetition/duration and the number of people affected "weigh in": every one of
 * them that applies is mentioned in the reasons, also when it did not change the outcome.
 *
 * Scope and uncertainty:
 *  0. Scope (SoL 27 kap. 2 §): lex Sarah concerns those who receive, or may come to receive,
 *     insatser. "Nej" → inte-missforhallande (handled in another order); "vet ej" is read as "ja".
 *  - "Vet ej" (the reporter, and often the assessor at receipt, may not know) is read as "ja" for
 *    abuse and the weighing factors: the more serious reading, until the investigation shows more.
 *  - Gränsfall: whatever can make an "ej allvarligt" outcome an under-grading (a child or a person
 *    in a particularly vulnerable position, repetition or a systematic failure, several affected,
 *    betydande consequences, or any "vet ej"; abuse or an "allvarlig" severity where the outcome
 *    is "inte ett missförhållande" only because of the scope or an unclear risk; an answer less
 *    serious than the rapport's own) is listed in `borderline`; deciding an "ej allvarligt"
 *    outcome (or "inte ett missförhållande") with such a list needs a written motivation, also
 *    when it is the recommendation (`decisionProblem`); invisible characters are no motivation.
 *
 * The reasons quote no handbook: the criteria for "allvarligt" in Socialstyrelsen's handbook are
 * unverified, so the reasons say what these rules do, and cite only ./legal-references.
 *
 * Legal references come from effective-dated data (./legal-references), never from literals here.
 */
import { z } from 'zod';
import { foldForDetection } from '../privacy/normalize';
import { referencesAt, type LegalReference, type ReferenceKey } from './legal-references';

// --- Outcomes ----------------------------------------------------------------------------------

export const OUTCOMES = {
  'inte-missforhallande': 'Inte ett missförhållande',
  'missforhallande-ej-allvarligt': 'Missförhållande, ej allvarligt',
  'paataglig-risk-ej-allvarlig': 'Påtaglig risk för ett missförhållande, ej allvarligt',
  'allvarligt-missforhallande': 'Allvarligt missförhållande',
  'paataglig-risk-allvarligt': 'Påtaglig risk för ett allvarligt missförhållande',
} as const;
export type Outcome = keyof typeof OUTCOMES;
export const OUTCOME_KEYS = Object.keys(OUTCOMES) as [Outcome, ...Outcome[]];

/** True for the two serious outcomes: they must be reported (anmälas) to IVO as soon as possible. */
export function requiresAnmalan(outcome: Outcome): boolean {
  return outcome === 'allvarligt-missforhallande' || outcome === 'paataglig-risk-allvarligt';
}

// --- Questions and answers ---------------------------------------------------------------------

/** Was there a threat to, or consequences for, the individual's life, safety or health? */
export const IMPACTS = {
  ingen: 'Nej, och det fanns ingen risk för det',
  risk: 'Nej, men det fanns en risk för det',
  konsekvenser: 'Ja, det innebar ett hot eller fick konsekvenser',
} as const;
export type Impact = keyof typeof IMPACTS;

/** How serious the threat or consequences were, or what the risk was of. */
export const SEVERITIES = { lindrig: 'Lindrig', betydande: 'Betydande', allvarlig: 'Allvarlig' } as const;
export type Severity = keyof typeof SEVERITIES;

/** When there was only a risk: obvious and concrete (påtaglig), or unclear/remote. */
export const RISK_CLARITIES = {
  paataglig: 'Påtaglig – uppenbar och konkret',
  oklar: 'Oklar eller avlägsen',
  'ej-aktuell': 'Ej aktuellt – det blev ett hot eller fick konsekvenser, eller det fanns ingen risk',
} as const;
export type RiskClarity = keyof typeof RISK_CLARITIES;

export const YES_NO = { ja: 'Ja', nej: 'Nej' } as const;
/** For what the reporter, or the assessor at receipt, may not know: "vet ej" is a real answer. */
export const YES_NO_UNKNOWN = { ja: 'Ja', nej: 'Nej', 'vet-ej': 'Vet ej' } as const;
export type YesNo = keyof typeof YES_NO_UNKNOWN;

/** The questions, in card order, as shown to the assessor. */
export const ASSESSMENT_QUESTIONS = {
  scope: 'Rör det någon som får, eller kan komma i fråga för, insatser i verksamheten (den som lex Sarah gäller)?',
  impact: 'Innebar det inträffade ett hot mot eller konsekvenser för den enskildes liv, säkerhet eller fysiska eller psykiska hälsa?',
  severity: 'Hur allvarligt var hotet eller konsekvenserna – eller det som riskerade att hända?',
  riskClarity: 'Om det bara fanns en risk: var den påtaglig (uppenbar och konkret) eller oklar/avlägsen?',
  abuse: 'Rör det övergrepp av något slag (fysiskt, sexuellt, psykiskt eller ekonomiskt)?',
  vulnerable: 'Gäller det ett barn eller en person i särskilt utsatt läge (till exempel demenssjukdom eller kommunikationssvårigheter)?',
  repeated: 'Har det skett upprepade gånger, systematiskt eller under lång tid?',
  severalAffected: 'Berörs flera personer?',
} as const;
export type AssessmentField = keyof typeof ASSESSMENT_QUESTIONS;
export const ASSESSMENT_FIELDS = Object.keys(ASSESSMENT_QUESTIONS) as AssessmentField[];

/** Short names used in validation messages. */
export const ASSESSMENT_FIELD_NAMES: Record<AssessmentField, string> = {
  scope: 'Verksamhetens enskilda',
  impact: 'Hot, konsekvenser eller risk',
  severity: 'Allvarlighetsgrad',
  riskClarity: 'Påtaglig eller oklar risk',
  abuse: 'Övergrepp',
  vulnerable: 'Barn eller person i särskilt utsatt läge',
  repeated: 'Upprepat, systematiskt eller långvarigt',
  severalAffected: 'Flera berörda',
};

const keysOf = <T extends string>(o: Record<T, string>) => Object.keys(o) as [T, ...T[]];

/** A required choice: an empty card input counts as missing; both get a Swedish message naming the question. */
const choice = <T extends string>(options: Record<T, string>, field: AssessmentField) =>
  z.preprocess(
    (v) => (v === '' || v === null ? undefined : v),
    z.enum(keysOf(options), {
      errorMap: (issue, ctx) => ({
        message:
          issue.code === 'invalid_type' && ctx.data === undefined
            ? `Besvara frågan "${ASSESSMENT_FIELD_NAMES[field]}".`
            : `Välj ett av alternativen för "${ASSESSMENT_FIELD_NAMES[field]}".`,
      }),
    }),
  );

/** The assessment card's payload. All answers are required. */
export const assessmentAnswersSchema = z
  .object(
    {
      scope: choice(YES_NO_UNKNOWN, 'scope'),
      impact: choice(IMPACTS, 'impact'),
      severity: choice(SEVERITIES, 'severity'),
      riskClarity: choice(RISK_CLARITIES, 'riskClarity'),
      abuse: choice(YES_NO_UNKNOWN, 'abuse'),
      vulnerable: choice(YES_NO_UNKNOWN, 'vulnerable'),
      repeated: choice(YES_NO_UNKNOWN, 'repeated'),
      severalAffected: choice(YES_NO_UNKNOWN, 'severalAffected'),
    },
    { errorMap: () => ({ message: 'Bedömningen saknar svar. Fyll i alla frågor.' }) },
  )
  .superRefine((a, ctx) => {
    if (a.impact === 'risk' && a.riskClarity === 'ej-aktuell') {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['riskClarity'],
        message: 'Ange om risken var påtaglig (uppenbar och konkret) eller oklar/avlägsen.',
      });
    }
    if (a.impact === 'ingen' && a.abuse === 'ja') {
      ctx.addIssue({
        code: z.ZodIssueCode.custom,
        path: ['impact'],
        message: 'Ett övergrepp innebär ett hot mot den enskilde. Ändra svaret om hot, konsekvenser eller risk, eller svaret om övergrepp.',
      });
    }
  });

export type AssessmentAnswers = z.output<typeof assessmentAnswersSchema>;

export type AssessmentErrors = Partial<Record<AssessmentField | 'form', string>>;
export type AssessmentParseResult = { ok: true; answers: AssessmentAnswers } | { ok: false; errors: AssessmentErrors };

/** Validates a card payload; errors are keyed by question (first message per question). */
export function parseAssessmentAnswers(data: unknown): AssessmentParseResult {
  const r = assessmentAnswersSchema.safeParse(data);
  if (r.success) return { ok: true, answers: r.data };
  const errors: AssessmentErrors = {};
  for (const issue of r.error.issues) {
    const head = issue.path[0];
    const key = typeof head === 'string' && (ASSESSMENT_FIELDS as string[]).includes(head) ? (head as AssessmentField) : 'form';
    errors[key] ??= issue.message;
  }
  return { ok: false, errors };
}

// --- Recommendation ----------------------------------------------------------------------------

export interface Recommendation {
  outcome: Outcome;
  /** Plain Swedish, each saying which answer led where. */
  reasons: string[];
  /** The legal references valid on the assessment day. */
  references: LegalReference[];
  requiresAnmalan: boolean;
  /**
   * Gränsfall: the answers that can make an "ej allvarligt" decision an under-grading, in plain
   * Swedish. Non-empty means such a decision needs a written motivation.
   */
  borderline: string[];
}

/** Cited by every recommendation: every report must be investigated and the position documented. */
const BASE_REFERENCES: readonly ReferenceKey[] = ['rapportering', 'definitioner', 'utreda-avhjalpa', 'sosfs-utredning', 'lss'];
/** Added for the serious outcomes. */
const ANMALAN_REFERENCES: readonly ReferenceKey[] = ['anmalan-ivo', 'sosfs-anmalan'];

const FACTOR_REASONS = {
  vulnerable: 'Det gäller ett barn eller en person i särskilt utsatt läge, vilket väger in i bedömningen av allvarlighetsgraden.',
  repeated: 'Det har skett upprepade gånger, systematiskt eller under lång tid, vilket väger in i bedömningen av allvarlighetsgraden.',
  severalAffected: 'Flera personer berörs, vilket väger in i bedömningen av allvarlighetsgraden.',
} as const;
type Factor = keyof typeof FACTOR_REASONS;
const FACTORS = Object.keys(FACTOR_REASONS) as Factor[];

// No handbook wording: its criteria are unverified (see ../../shared/reference "Still unverified").
const ABUSE_REASON = 'Det rör övergrepp. Ett övergrepp är ett hot mot den enskildes säkerhet, och stödet rekommenderar därför att det bedöms som allvarligt.';
const ABUSE_UNKNOWN_REASON =
  'Det är inte känt om det rör övergrepp. Rekommendationen utgår från det allvarligare, att det gör det, tills utredningen visar annat.';
const UNKNOWN_FACTOR = {
  vulnerable: 'Det är inte känt om det gäller ett barn eller en person i särskilt utsatt läge; rekommendationen utgår från att det gör det.',
  repeated: 'Det är inte känt om det har skett upprepade gånger, systematiskt eller under lång tid; rekommendationen utgår från att det har det.',
  severalAffected: 'Det är inte känt om flera personer berörs; rekommendationen utgår från att de gör det.',
} as const;
const SCOPE_UNKNOWN_REASON =
  'Det är inte känt om det rör någon som får eller kan komma i fråga för insatser; rekommendationen utgår från att det gör det (27 kap. 2 § socialtjänstlagen).';

/** What makes an "ej allvarligt" decision a gränsfall, per answer. */
const BORDERLINE = {
  vulnerable: 'det gäller (eller kan gälla) ett barn eller en person i särskilt utsatt läge',
  repeated: 'det har skett (eller kan ha skett) upprepade gånger, systematiskt eller under lång tid',
  severalAffected: 'flera personer berörs (eller kan beröras)',
  betydande: 'hotet eller konsekvenserna bedöms som betydande',
  abuse: 'det är inte känt om det rör övergrepp',
  // Only where the outcome is "inte ett missförhållande" anyway (outside the scope, an unclear
  // risk): everywhere else abuse and "allvarlig" make the recommendation serious by themselves.
  abuseYes: 'det rör övergrepp',
  allvarlig: 'det som hände eller riskerade att hända bedöms som allvarligt',
} as const;

/** The outcomes a gränsfall can under-grade to. */
const EJ_ALLVARLIGT: readonly Outcome[] = ['missforhallande-ej-allvarligt', 'paataglig-risk-ej-allvarlig'];

function borderlineOf(a: AssessmentAnswers): string[] {
  const out: string[] = [];
  for (const f of ['vulnerable', 'repeated', 'severalAffected'] as const) if (a[f] !== 'nej') out.push(BORDERLINE[f]);
  if (a.severity === 'betydande') out.push(BORDERLINE.betydande);
  if (a.abuse === 'vet-ej') out.push(BORDERLINE.abuse);
  return out;
}

/** Letters a written motivation has at least: "ok", "." or an invisible character explain nothing. */
export const MOTIVATION_MIN_LETTERS = 3;

/**
 * Whether `text` is a written motivation: at least MOTIVATION_MIN_LETTERS letters once folded the
 * way the identity-number guard reads text (src/privacy/normalize.ts), so zero-width characters,
 * soft hyphens and other invisible or punctuation-only input do not count.
 */
export function isWrittenMotivation(text: string): boolean {
  const letters = foldForDetection(text).text.match(/\p{L}/gu);
  return (letters?.length ?? 0) >= MOTIVATION_MIN_LETTERS;
}

/**
 * Why the decision `decided` cannot be saved without a motivation, or undefined: it departs from
 * the recommendation, or it is "ej allvarligt" on a gränsfall (also when it is the recommendation:
 * a systematic failure or many affected must never come out "ej allvarligt" unexplained). Only a
 * written motivation (isWrittenMotivation) counts.
 */
export function decisionProblem(rec: Recommendation, decided: Outcome, motivation: string): string | undefined {
  if (isWrittenMotivation(motivation)) return undefined;
  // Something was typed, but nothing a reader could take as a reason.
  const notText = motivation.trim() !== '' ? ` Motiveringen ska vara skriven text (minst ${MOTIVATION_MIN_LETTERS} bokstäver).` : '';
  if (decided !== rec.outcome) return `Beslutet avviker från rekommendationen. Skriv en motivering – den sparas tillsammans med rekommendationen.${notText}`;
  // Every outcome short of serious under-grades a gränsfall unless someone says why, "inte ett
  // missförhållande" included: it closes on a ställningstagande alone.
  if ((EJ_ALLVARLIGT.includes(decided) || decided === 'inte-missforhallande') && rec.borderline.length > 0) {
    return `Det här är ett gränsfall: ${rec.borderline.join('; ')}. Skriv en motivering till varför det inte bedöms som allvarligt.${notText}`;
  }
  return undefined;
}
const DECIDER_REASON =
  'Rekommendationen är ett stöd för bedömningen. Den ansvariga beslutar, och ett beslut som avviker från rekommendationen ska motiveras skriftligt.';

type Threshold = 'ingen' | 'oklar-risk' | 'paataglig-risk' | 'missforhallande';

/**
 * The recommendation for the answers `a` on the day `at`. With `report` (the rapport's own risk
 * answers), every answer less serious than what the rapport itself said is a gränsfall too
 * (belowReport): overwriting the prefilled "ja" must never turn a reported blow to a child into an
 * unexplained "inte ett missförhållande".
 */
export function recommend(a: AssessmentAnswers, at: Date, report?: ReportRiskAnswers): Recommendation {
  const reasons: string[] = [];
  const borderline = [...borderlineOf(a), ...(report ? belowReport(a, report) : [])];
  // "Vet ej" weighs as "ja": the more serious reading.
  const factors = FACTORS.filter((f) => a[f] !== 'nej');
  const abuse = a.abuse === 'ja';
  const abuseUnknown = a.abuse === 'vet-ej';

  // 0. Scope: lex Sarah concerns those the verksamhet serves (SoL 27 kap. 2 §).
  if (a.scope === 'nej') {
    reasons.push(
      'Det rör inte någon som får eller kan komma i fråga för insatser i verksamheten, så det omfattas inte av lex Sarah (27 kap. 2 § socialtjänstlagen). Hantera det i annan ordning, till exempel som avvikelse eller arbetsmiljöfråga.',
      'Ställningstagandet – varför det inte omfattas – ska dokumenteras innan ärendet avslutas.',
    );
    // Abuse, a child or repetition still make it a gränsfall: "outside lex Sarah" must be argued.
    if (a.abuse === 'ja') borderline.push(BORDERLINE.abuseYes);
    return finish('inte-missforhallande', reasons, at, borderline);
  }
  if (a.scope === 'vet-ej') reasons.push(SCOPE_UNKNOWN_REASON);
  const factorReason = (f: Factor) => (a[f] === 'vet-ej' ? UNKNOWN_FACTOR[f] : FACTOR_REASONS[f]);

  // 1. Threshold.
  let threshold: Threshold;
  if (a.impact === 'konsekvenser') {
    threshold = 'missforhallande';
    reasons.push(
      'Det inträffade har inneburit ett hot mot eller fått konsekvenser för den enskildes liv, säkerhet eller fysiska eller psykiska hälsa, och är därför ett missförhållande.',
    );
  } else if (a.impact === 'risk') {
    if (a.riskClarity === 'oklar') {
      threshold = 'oklar-risk';
      reasons.push(
        'Risken bedöms som oklar eller avlägsen. En oklar eller avlägsen risk är inte en påtaglig risk, så det rapporterade är varken ett missförhållande eller en påtaglig risk för ett missförhållande.',
      );
    } else {
      threshold = 'paataglig-risk';
      if (a.riskClarity === 'ej-aktuell') {
        reasons.push(
          'Det är inte angivet om risken var påtaglig eller oklar. Rekommendationen utgår från det allvarligare alternativet, att risken var påtaglig; ändra svaret om risken var oklar eller avlägsen.',
        );
      }
      reasons.push(
        'Risken bedöms som påtaglig, det vill säga uppenbar och konkret. Det är en påtaglig risk för ett missförhållande, som ska hanteras på samma sätt som ett missförhållande.',
      );
    }
  } else if (abuse) {
    threshold = 'missforhallande';
    reasons.push(
      'Övergrepp har angetts trots svaret att det varken fanns hot, konsekvenser eller risk. Ett övergrepp innebär i sig ett hot mot den enskilde, så rekommendationen utgår från att det är ett missförhållande; kontrollera svaren.',
    );
  } else {
    threshold = 'ingen';
    reasons.push(
      'Det inträffade har varken inneburit ett hot mot eller fått konsekvenser för den enskildes liv, säkerhet eller fysiska eller psykiska hälsa, och det fanns ingen risk för det. Det är därför inte ett missförhållande.',
    );
  }

  if (threshold === 'ingen' || threshold === 'oklar-risk') {
    if (threshold === 'oklar-risk') {
      // What the reasons below ask to test "särskilt noga" must be argued in writing, too.
      if (abuse) borderline.push(BORDERLINE.abuseYes);
      if (a.severity === 'allvarlig') borderline.push(BORDERLINE.allvarlig);
      if (abuse || abuseUnknown) reasons.push(`Det ${abuse ? 'rör' : 'kan röra'} övergrepp, men risken för det bedöms som oklar eller avlägsen.`);
      for (const f of factors) reasons.push(factorReason(f));
      if (abuse || abuseUnknown || factors.length > 0 || a.severity === 'allvarlig') {
        reasons.push(
          'Sådana omständigheter väger in i hur allvarligt något är, men gör inte en oklar eller avlägsen risk påtaglig. Pröva därför särskilt noga att risken verkligen är oklar eller avlägsen innan ärendet avslutas.',
        );
      }
    } else {
      for (const f of factors) reasons.push(factorReason(f));
      if (factors.length > 0) reasons.push('Omständigheterna ändrar inte rekommendationen eftersom det inte fanns något hot, några konsekvenser eller någon risk.');
    }
    reasons.push(
      threshold === 'oklar-risk'
        ? 'Rapporten ska ändå utredas. Ärendet kan avslutas när ställningstagandet – varför risken bedöms som oklar eller avlägsen – är dokumenterat.'
        : 'Rapporten ska ändå utredas. Ärendet kan avslutas när ställningstagandet – varför det inte är ett missförhållande – är dokumenterat.',
    );
    return finish('inte-missforhallande', reasons, at, borderline);
  }

  // 2. Seriousness, applied alike to a missförhållande and to a påtaglig risk.
  const risk = threshold === 'paataglig-risk';
  // "Det som riskerade att hända bedöms som lindrigt" / "Hotet eller konsekvenserna bedöms som lindriga".
  const what = risk ? 'Det som riskerade att hända' : 'Hotet eller konsekvenserna';
  const judged = (s: Severity) => `${what} bedöms som ${s === 'betydande' ? 'betydande' : `${s}${risk ? 't' : 'a'}`}`;
  const seriousLabel = risk ? 'en påtaglig risk för ett allvarligt missförhållande' : 'ett allvarligt missförhållande';
  const severeBySeverity = a.severity === 'allvarlig';
  const severeByCombination = a.severity === 'betydande' && factors.length > 0;
  const serious = severeBySeverity || abuse || abuseUnknown || severeByCombination;

  if (severeBySeverity) reasons.push(`${judged('allvarlig')}, vilket gör det till ${seriousLabel}.`);
  if (abuse) reasons.push(ABUSE_REASON);
  if (abuseUnknown) reasons.push(ABUSE_UNKNOWN_REASON);
  for (const f of factors) reasons.push(factorReason(f));

  if (severeByCombination) {
    reasons.push(`${judged('betydande')}, och tillsammans med omständigheterna ovan bedöms det som allvarligt.`);
  } else if (serious) {
    if (!severeBySeverity) reasons.push(`${judged(a.severity)}, men ${abuse ? 'övergreppet' : 'att det kan röra övergrepp'} gör att det ändå bedöms som allvarligt.`);
    if (factors.length > 0) reasons.push('Omständigheterna förstärker bedömningen men ändrade inte rekommendationen, som redan följer av svaren ovan.');
  } else if (a.severity === 'betydande') {
    reasons.push(
      `${judged('betydande')}, men inget av det som skulle göra det allvarligt finns (barn eller person i särskilt utsatt läge, upprepning eller varaktighet, flera berörda, övergrepp). Det bedöms därför som ej allvarligt. Det är ett gränsfall: ett beslut om ej allvarligt kräver en skriftlig motivering.`,
    );
  } else {
    reasons.push(
      factors.length > 0
        ? `${judged('lindrig')}. Omständigheterna ovan gör det inte allvarligt enligt reglerna, men det är ett gränsfall: ett beslut om ej allvarligt kräver en skriftlig motivering.`
        : `${judged('lindrig')}, och inget av svaren tyder på att det är allvarligt.`,
    );
  }

  // 3. Outcome.
  if (serious) {
    reasons.push(
      'Ett allvarligt missförhållande eller en påtaglig risk för ett allvarligt missförhållande ska snarast anmälas till IVO, även om det redan har avhjälpts. Utredningen ska bifogas anmälan eller skickas in när den är klar.',
    );
    return finish(risk ? 'paataglig-risk-allvarligt' : 'allvarligt-missforhallande', reasons, at, borderline);
  }
  reasons.push(
    `${risk ? 'Risken' : 'Missförhållandet'} ska dokumenteras, utredas och ${risk ? 'undanröjas' : 'avhjälpas'}. Ingen anmälan till IVO behövs så länge det inte bedöms som allvarligt; bedöm på nytt om utredningen visar mer.`,
  );
  return finish(risk ? 'paataglig-risk-ej-allvarlig' : 'missforhallande-ej-allvarligt', reasons, at, borderline);
}

function finish(outcome: Outcome, reasons: string[], at: Date, borderline: string[]): Recommendation {
  const anmalan = requiresAnmalan(outcome);
  const keys = anmalan ? [...BASE_REFERENCES, ...ANMALAN_REFERENCES] : BASE_REFERENCES;
  return { outcome, reasons: [...reasons, DECIDER_REASON], references: referencesAt(at, keys), requiresAnmalan: anmalan, borderline };
}

/** The report's own answers (the reporter's quick risk questions and category), for prefilling. */
export interface ReportRiskAnswers {
  category: string;
  risks: { hurt: string; ongoing: string; vulnerable: string; crime: string; before: string };
}

const ABUSE_CATEGORIES = new Set(['fysiska', 'sexuella', 'psykiska', 'ekonomiska']);

/** What the rapport said, per prefilled question, as belowReport names it. */
const REPORT_SAID = {
  impact: 'någon kom till skada',
  abuse: 'det rör övergrepp (rapportens kategori)',
  vulnerable: 'det gäller ett barn eller en person i särskilt utsatt läge',
  repeated: 'det har hänt tidigare',
} as const;

/**
 * The answers less serious than what the rapport itself said (prefillFromReport), each in plain
 * Swedish naming the question: a "ja" of the rapport answered "nej", or "someone hurt" answered as
 * no consequences. The assessor may know better, but must say why (a gränsfall). A rapport's "vet
 * ej" answered "nej" is not listed: finding out is what the investigation is for.
 */
export function belowReport(a: AssessmentAnswers, r: ReportRiskAnswers): string[] {
  const said = prefillFromReport(r);
  const out: string[] = [];
  if (said.impact === 'konsekvenser' && a.impact !== 'konsekvenser') {
    const now = a.impact === 'risk' ? 'det bara fanns en risk' : 'det varken fanns hot, konsekvenser eller risk';
    out.push(`rapporten säger att ${REPORT_SAID.impact}, men svaret på "${ASSESSMENT_FIELD_NAMES.impact}" är att ${now}`);
  }
  for (const f of ['abuse', 'vulnerable', 'repeated'] as const) {
    if (said[f] === 'ja' && a[f] === 'nej') out.push(`rapporten säger att ${REPORT_SAID[f]}, men svaret på "${ASSESSMENT_FIELD_NAMES[f]}" är nej`);
  }
  return out;
}
const asYesNo = (v: string): YesNo | undefined => (v === 'ja' || v === 'nej' || v === 'vet-ej' ? v : undefined);

/**
 * The assessment form's starting answers from the report: the reporter's "child or vulnerable",
 * "happened before" (→ repeated) and "someone hurt" (→ consequences), and an abuse category. Only
 * what the report says; the rest is left for the assessor. Never a less serious reading than the
 * report's: "nej" to "someone hurt" says nothing about threats, so it prefills nothing.
 */
export function prefillFromReport(r: ReportRiskAnswers): Partial<Record<AssessmentField, string>> {
  const out: Partial<Record<AssessmentField, string>> = {};
  // A reporter's "nej" is what one person knew at the time: it is left for the assessor to answer,
  // never prefilled, so that nobody clicks a gränsfall away on someone else's word.
  const vulnerable = asYesNo(r.risks.vulnerable);
  if (vulnerable && vulnerable !== 'nej') out.vulnerable = vulnerable;
  const before = asYesNo(r.risks.before);
  if (before && before !== 'nej') out.repeated = before;
  if (r.risks.hurt === 'ja') out.impact = 'konsekvenser';
  if (ABUSE_CATEGORIES.has(r.category)) out.abuse = 'ja';
  return out;
}
