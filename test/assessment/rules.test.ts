import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import {
  LEGAL_REFERENCES,
  REFERENCE_KEYS,
  legalDay,
  referencesAt,
  type LegalReference,
} from '../../src/assessment/legal-references';
import {
  IMPACTS,
  OUTCOMES,
  OUTCOME_KEYS,
  RISK_CLARITIES,
  SEVERITIES,
  assessmentAnswersSchema,
  belowReport,
  decisionProblem,
  isWrittenMotivation,
  parseAssessmentAnswers,
  prefillFromReport,
  recommend,
  requiresAnmalan,
  type AssessmentAnswers,
  type Impact,
  type Outcome,
  type RiskClarity,
  type Severity,
} from '../../src/assessment/rules';

const AT = new Date('2026-11-22T14:00:00.000Z');

/** A missförhållande with lindriga consequences and nothing aggravating. */
const base: AssessmentAnswers = {
  scope: 'ja',
  impact: 'konsekvenser',
  severity: 'lindrig',
  riskClarity: 'ej-aktuell',
  abuse: 'nej',
  vulnerable: 'nej',
  repeated: 'nej',
  severalAffected: 'nej',
};
const all = { vulnerable: 'ja', repeated: 'ja', severalAffected: 'ja' } as const;

const R = {
  notMissforhallande: /inte ett missförhållande/,
  unclearNotPaataglig: /oklar eller avlägsen risk är inte en påtaglig risk/,
  documentPosition: /ställningstagandet .* är dokumenterat/,
  abuse: /Det rör övergrepp\. Ett övergrepp är ett hot mot den enskildes säkerhet/,
  vulnerable: /barn eller en person i särskilt utsatt läge, vilket väger in/,
  repeated: /upprepade gånger, systematiskt eller under lång tid, vilket väger in/,
  several: /Flera personer berörs, vilket väger in/,
  combination: /betydande, och tillsammans med omständigheterna ovan bedöms det som allvarligt/,
  borderline: /gränsfall/,
  anmalan: /snarast anmälas till IVO/,
  noAnmalan: /Ingen anmälan till IVO behövs/,
  decider: /Den ansvariga beslutar.*motiveras skriftligt/,
};

// [case, answers (changes to base), expected outcome, reasons that must appear]
const cases: [string, Partial<AssessmentAnswers>, Outcome, RegExp[]][] = [
  // Below the threshold.
  ['no threat, no risk', { impact: 'ingen' }, 'inte-missforhallande', [R.notMissforhallande, R.documentPosition]],
  ['no threat, but aggravating circumstances', { impact: 'ingen', ...all }, 'inte-missforhallande', [R.vulnerable, R.repeated, R.several, /ändrar inte rekommendationen/]],
  ['"no threat" contradicted by abuse → treated as a threat', { impact: 'ingen', abuse: 'ja' }, 'allvarligt-missforhallande', [/kontrollera svaren/, R.abuse]],
  ['unclear or remote risk', { impact: 'risk', riskClarity: 'oklar' }, 'inte-missforhallande', [R.unclearNotPaataglig, R.documentPosition]],
  [
    'unclear risk + everything aggravating',
    { impact: 'risk', riskClarity: 'oklar', severity: 'allvarlig', abuse: 'ja', ...all },
    'inte-missforhallande',
    [R.unclearNotPaataglig, /övergrepp, men risken för det bedöms som oklar/, R.vulnerable, R.repeated, R.several, /Pröva därför särskilt noga/, R.documentPosition],
  ],
  // Missförhållande.
  ['lindrig, nothing aggravating', {}, 'missforhallande-ej-allvarligt', [/missförhållande\./, /lindriga, och inget av svaren/, R.noAnmalan]],
  ['lindrig + all factors (still ej allvarligt, flagged)', all, 'missforhallande-ej-allvarligt', [R.vulnerable, R.repeated, R.several, R.borderline]],
  ['lindrig + abuse', { abuse: 'ja' }, 'allvarligt-missforhallande', [R.abuse, /lindriga, men övergreppet gör/, R.anmalan]],
  ['betydande, no factor', { severity: 'betydande' }, 'missforhallande-ej-allvarligt', [R.borderline, R.noAnmalan]],
  ['betydande + child/vulnerable', { severity: 'betydande', vulnerable: 'ja' }, 'allvarligt-missforhallande', [R.vulnerable, R.combination, R.anmalan]],
  ['betydande + repeated', { severity: 'betydande', repeated: 'ja' }, 'allvarligt-missforhallande', [R.repeated, R.combination]],
  ['betydande + several affected', { severity: 'betydande', severalAffected: 'ja' }, 'allvarligt-missforhallande', [R.several, R.combination]],
  ['betydande + abuse', { severity: 'betydande', abuse: 'ja' }, 'allvarligt-missforhallande', [R.abuse, /betydande, men övergreppet gör/]],
  ['allvarlig', { severity: 'allvarlig' }, 'allvarligt-missforhallande', [/allvarliga, vilket gör det till ett allvarligt missförhållande/, R.anmalan]],
  ['allvarlig + factors (mentioned, not decisive)', { severity: 'allvarlig', ...all }, 'allvarligt-missforhallande', [R.vulnerable, R.repeated, R.several, /ändrade inte rekommendationen/]],
  // Påtaglig risk.
  ['påtaglig risk, lindrig', { impact: 'risk', riskClarity: 'paataglig' }, 'paataglig-risk-ej-allvarlig', [/påtaglig, det vill säga uppenbar och konkret/, /lindrigt/, R.noAnmalan]],
  ['påtaglig risk, betydande, no factor', { impact: 'risk', riskClarity: 'paataglig', severity: 'betydande' }, 'paataglig-risk-ej-allvarlig', [R.borderline]],
  ['påtaglig risk, betydande + several', { impact: 'risk', riskClarity: 'paataglig', severity: 'betydande', severalAffected: 'ja' }, 'paataglig-risk-allvarligt', [R.several, R.combination, R.anmalan]],
  ['påtaglig risk + abuse', { impact: 'risk', riskClarity: 'paataglig', abuse: 'ja' }, 'paataglig-risk-allvarligt', [R.abuse, R.anmalan]],
  ['påtaglig risk, allvarlig', { impact: 'risk', riskClarity: 'paataglig', severity: 'allvarlig' }, 'paataglig-risk-allvarligt', [/påtaglig risk för ett allvarligt missförhållande\./]],
  ['risk not classified → treated as påtaglig', { impact: 'risk', riskClarity: 'ej-aktuell' }, 'paataglig-risk-ej-allvarlig', [/utgår från det allvarligare alternativet/]],
];

describe('lex Sarah escalation check', () => {
  describe('recommend', () => {
    for (const [name, changes, outcome, patterns] of cases) {
      it(`${name} → ${outcome}`, () => {
        const r = recommend({ ...base, ...changes }, AT);
        assert.equal(r.outcome, outcome, r.reasons.join('\n'));
        assert.equal(r.requiresAnmalan, requiresAnmalan(outcome));
        for (const p of patterns) assert.ok(r.reasons.some((x) => p.test(x)), `no reason matches ${p}:\n${r.reasons.join('\n')}`);
        assert.match(r.reasons.at(-1)!, R.decider);
      });
    }

    it('the table covers every outcome', () => {
      assert.deepEqual(new Set(cases.map((c) => c[2])), new Set(OUTCOME_KEYS));
    });

    // Every combination of answers.
    const combos: AssessmentAnswers[] = [];
    for (const impact of Object.keys(IMPACTS) as Impact[])
      for (const severity of Object.keys(SEVERITIES) as Severity[])
        for (const riskClarity of Object.keys(RISK_CLARITIES) as RiskClarity[])
          for (const abuse of ['ja', 'nej'] as const)
            for (const vulnerable of ['ja', 'nej'] as const)
              for (const repeated of ['ja', 'nej'] as const)
                for (const severalAffected of ['ja', 'nej'] as const)
                  combos.push({ scope: 'ja', impact, severity, riskClarity, abuse, vulnerable, repeated, severalAffected });

    it('every combination: reasons, references, anmälan and the factors that weigh in', () => {
      const seen = new Set<Outcome>();
      for (const a of combos) {
        const r = recommend(a, AT);
        const ctx = `${JSON.stringify(a)} → ${r.outcome}`;
        seen.add(r.outcome);
        assert.ok(r.outcome in OUTCOMES, ctx);
        assert.ok(r.reasons.length >= 2, ctx);
        assert.ok(r.reasons.every((x) => x.trim().length > 0), ctx);
        assert.ok(r.references.length >= 1, ctx);
        assert.equal(r.requiresAnmalan, requiresAnmalan(r.outcome), ctx);
        assert.equal(r.references.some((x) => x.key === 'anmalan-ivo'), r.requiresAnmalan, ctx);
        assert.equal(r.reasons.some((x) => R.anmalan.test(x)), r.requiresAnmalan, ctx);
        // Vulnerability, repetition and number of people are mentioned whenever they apply.
        if (a.vulnerable === 'ja') assert.ok(r.reasons.some((x) => R.vulnerable.test(x)), ctx);
        if (a.repeated === 'ja') assert.ok(r.reasons.some((x) => R.repeated.test(x)), ctx);
        if (a.severalAffected === 'ja') assert.ok(r.reasons.some((x) => R.several.test(x)), ctx);
        if (a.vulnerable === 'nej') assert.ok(!r.reasons.some((x) => R.vulnerable.test(x)), ctx);
        if (a.abuse === 'ja' && a.impact !== 'ingen') assert.ok(r.reasons.some((x) => /övergrepp/i.test(x)), ctx);
      }
      assert.deepEqual(seen, new Set(OUTCOME_KEYS));
    });

    it('is conservative: a more serious answer never gives a less serious outcome', () => {
      const rank = (o: Outcome) => (o === 'inte-missforhallande' ? 0 : requiresAnmalan(o) ? 2 : 1);
      const sev: Severity[] = ['lindrig', 'betydande', 'allvarlig'];
      for (const a of combos) {
        const before = rank(recommend(a, AT).outcome);
        const worse: AssessmentAnswers[] = [];
        for (const f of ['abuse', 'vulnerable', 'repeated', 'severalAffected'] as const) if (a[f] === 'nej') worse.push({ ...a, [f]: 'ja' });
        const i = sev.indexOf(a.severity);
        if (i < 2) worse.push({ ...a, severity: sev[i + 1]! });
        if (a.impact === 'ingen') worse.push({ ...a, impact: 'konsekvenser' });
        if (a.impact === 'risk' && a.riskClarity === 'oklar') worse.push({ ...a, riskClarity: 'paataglig' });
        for (const w of worse) assert.ok(rank(recommend(w, AT).outcome) >= before, `${JSON.stringify(a)} → ${JSON.stringify(w)}`);
      }
    });

    it('an actual missförhållande and a påtaglig risk escalate alike', () => {
      for (const a of combos.filter((c) => c.impact === 'konsekvenser')) {
        const actual = recommend(a, AT).outcome;
        const risk = recommend({ ...a, impact: 'risk', riskClarity: 'paataglig' }, AT).outcome;
        assert.equal(requiresAnmalan(risk), requiresAnmalan(actual), JSON.stringify(a));
        assert.match(risk, /^paataglig-risk-/);
      }
    });

    it('cites the law in force on the assessment day (Stockholm time)', () => {
      const serious = { ...base, severity: 'allvarlig' } as const;
      const cite = (iso: string) => recommend(serious, new Date(iso)).references.map((x) => x.text).join('\n');
      assert.match(cite('2025-06-30T12:00:00Z'), /14 kap\. 7 § socialtjänstlagen \(2001:453\).*IVO/);
      assert.match(cite('2025-06-30T22:30:00Z'), /27 kap\. 6 § socialtjänstlagen \(2025:400\)/, '00:30 on 1 July in Stockholm');
      assert.match(cite('2012-03-01T12:00:00Z'), /14 kap\. 7 § socialtjänstlagen \(2001:453\).*Socialstyrelsen/);
      assert.doesNotMatch(cite('2026-01-01T12:00:00Z'), /2001:453/);
    });

    it('throws for a day the legal data does not cover', () => {
      assert.throws(() => recommend(base, new Date('2010-01-01T12:00:00Z')), /Lagrumsdata saknas/);
    });
  });

  describe('cannot under-grade: scope, "vet ej", gränsfall and the report\'s own answers', () => {
    it('no handbook is quoted in any reason (its criteria are unverified)', () => {
      for (const a of [{ ...base, abuse: 'ja' as const }, { ...base, abuse: 'vet-ej' as const }]) {
        for (const x of recommend(a, AT).reasons) assert.doesNotMatch(x, /handbok/i, x);
      }
    });

    it('outside the verksamhet\'s scope (SoL 27:2) → not lex Sarah, with the reason and a ställningstagande to document', () => {
      const r = recommend({ ...base, scope: 'nej', severity: 'allvarlig' }, AT);
      assert.equal(r.outcome, 'inte-missforhallande');
      assert.ok(r.reasons.some((x) => /omfattas inte av lex Sarah \(27 kap\. 2 § socialtjänstlagen\)/.test(x)), r.reasons.join('\n'));
      assert.deepEqual(r.borderline, []);
    });

    it('"vet ej" on the scope is read as within it', () => {
      const r = recommend({ ...base, scope: 'vet-ej', severity: 'allvarlig' }, AT);
      assert.equal(r.outcome, 'allvarligt-missforhallande');
      assert.ok(r.reasons.some((x) => /inte känt om det rör någon som får/.test(x)));
    });

    // [answers changed from base, outcome, borderline count]: "vet ej" weighs like "ja".
    const unknowns: [string, Partial<AssessmentAnswers>, Outcome, number][] = [
      ['abuse unknown → serious (the more serious reading)', { abuse: 'vet-ej' }, 'allvarligt-missforhallande', 1],
      ['betydande + vulnerable unknown → serious', { severity: 'betydande', vulnerable: 'vet-ej' }, 'allvarligt-missforhallande', 2],
      ['betydande + repeated unknown → serious', { severity: 'betydande', repeated: 'vet-ej' }, 'allvarligt-missforhallande', 2],
      ['lindrig + several unknown → ej allvarligt, flagged', { severalAffected: 'vet-ej' }, 'missforhallande-ej-allvarligt', 1],
      ['betydande, nothing else → ej allvarligt, flagged', { severity: 'betydande' }, 'missforhallande-ej-allvarligt', 1],
      ['lindrig, nothing → ej allvarligt, not a gränsfall', {}, 'missforhallande-ej-allvarligt', 0],
    ];
    for (const [what, changes, outcome, borderline] of unknowns) {
      it(what, () => {
        const r = recommend({ ...base, ...changes }, AT);
        assert.equal(r.outcome, outcome, r.reasons.join('\n'));
        assert.equal(r.borderline.length, borderline, r.borderline.join('; '));
      });
    }

    // [answers, decided, motivation, refused?]: a systemic failure across many children must not come out "ej allvarligt" unexplained.
    const systemic = { ...base, vulnerable: 'ja', repeated: 'ja', severalAffected: 'ja' } as const;
    const decisions: [string, AssessmentAnswers, Outcome, string, RegExp | undefined][] = [
      ['systemic, many affected, children: ej allvarligt as recommended, no motivation', systemic, 'missforhallande-ej-allvarligt', '', /gränsfall: .*barn.*upprepade gånger, systematiskt.*flera personer.*Skriv en motivering/],
      ['the same, with a motivation', systemic, 'missforhallande-ej-allvarligt', 'Händelsen gällde en enstaka dag och rutinen är ändrad.', undefined],
      ['the same, decided serious (no motivation needed: not under-graded)', systemic, 'allvarligt-missforhallande', '', /avviker från rekommendationen/],
      ['many affected only, påtaglig risk ej allvarlig', { ...base, impact: 'risk', riskClarity: 'paataglig', severalAffected: 'ja' }, 'paataglig-risk-ej-allvarlig', '', /gränsfall/],
      ['betydande without factors, as recommended', { ...base, severity: 'betydande' }, 'missforhallande-ej-allvarligt', '', /gränsfall: hotet eller konsekvenserna bedöms som betydande/],
      ['lindrig without factors, as recommended', base, 'missforhallande-ej-allvarligt', '', undefined],
      ['serious as recommended', { ...base, severity: 'allvarlig', ...all }, 'allvarligt-missforhallande', '', undefined],
      ['departing from the recommendation', { ...base, severity: 'allvarlig' }, 'missforhallande-ej-allvarligt', ' ', /avviker från rekommendationen/],
      // "Inte ett missförhållande" closes on a ställningstagande alone: a gränsfall must be argued there too.
      ['an unclear risk with children and many affected: inte ett missförhållande as recommended', { ...base, impact: 'risk', riskClarity: 'oklar', vulnerable: 'ja', severalAffected: 'ja' }, 'inte-missforhallande', '', /gränsfall: .*barn.*flera personer.*Skriv en motivering/],
      ['outside the scope, but abuse of a child', { ...base, scope: 'nej', abuse: 'ja', vulnerable: 'ja' }, 'inte-missforhallande', '', /gränsfall: .*övergrepp|gränsfall: .*barn/],
      ['outside the scope, nothing else', { ...base, scope: 'nej' }, 'inte-missforhallande', '', undefined],
      // Review #13: abuse and "allvarlig" are what the rules ask to test "särskilt noga" when only the scope or an unclear risk keeps it below.
      ['outside the scope, but a serious abuse', { ...base, scope: 'nej', abuse: 'ja', severity: 'allvarlig' }, 'inte-missforhallande', '', /gränsfall: det rör övergrepp\. Skriv en motivering/],
      ['outside the scope, a serious abuse, with a motivation', { ...base, scope: 'nej', abuse: 'ja', severity: 'allvarlig' }, 'inte-missforhallande', 'Den utsatte är anställd, inte brukare.', undefined],
      ['an unclear risk of a serious abuse', { ...base, impact: 'risk', riskClarity: 'oklar', abuse: 'ja', severity: 'allvarlig' }, 'inte-missforhallande', '', /gränsfall: det rör övergrepp; det som hände eller riskerade att hända bedöms som allvarligt\./],
      ['an unclear risk of abuse', { ...base, impact: 'risk', riskClarity: 'oklar', abuse: 'ja' }, 'inte-missforhallande', '', /gränsfall: det rör övergrepp\./],
      ['an unclear risk of something allvarligt', { ...base, impact: 'risk', riskClarity: 'oklar', severity: 'allvarlig' }, 'inte-missforhallande', '', /gränsfall: det som hände eller riskerade att hända bedöms som allvarligt/],
      ['an unclear risk, lindrig, nothing else', { ...base, impact: 'risk', riskClarity: 'oklar' }, 'inte-missforhallande', '', undefined],
      // Review #13: only written text is a motivation; invisible or punctuation-only input is none.
      ['systemic, a zero-width space as motivation', systemic, 'missforhallande-ej-allvarligt', '\u200b', /gränsfall: .*Skriv en motivering.*Motiveringen ska vara skriven text \(minst 3 bokstäver\)/],
      ['systemic, soft hyphen, BOM and word joiner', systemic, 'missforhallande-ej-allvarligt', '\u00ad\ufeff\u2060 ', /Motiveringen ska vara skriven text/],
      ['systemic, punctuation only', systemic, 'missforhallande-ej-allvarligt', '. - ?', /Motiveringen ska vara skriven text/],
      ['systemic, two letters', systemic, 'missforhallande-ej-allvarligt', 'ok', /Motiveringen ska vara skriven text/],
      ['departing, a zero-width motivation', { ...base, severity: 'allvarlig' }, 'missforhallande-ej-allvarligt', '\u200b\u200c', /avviker från rekommendationen.*skriven text/],
      ['systemic, three letters with invisible ones around', systemic, 'missforhallande-ej-allvarligt', '\u200bNej\u200b', undefined],
    ];
    for (const [what, answers, decided, motivation, refused] of decisions) {
      it(`decisionProblem: ${what} → ${refused ? 'motivation required' : 'may be saved'}`, () => {
        const problem = decisionProblem(recommend(answers, AT), decided, motivation);
        if (refused) assert.match(problem ?? '', refused);
        else assert.equal(problem, undefined);
      });
    }

    const prefills: [string, { category: string; risks: Record<'hurt' | 'ongoing' | 'vulnerable' | 'crime' | 'before', string> }, Partial<Record<string, string>>][] = [
      ['a child hurt, happened before, physical abuse', { category: 'fysiska', risks: { hurt: 'ja', ongoing: 'nej', vulnerable: 'ja', crime: 'vet-ej', before: 'ja' } }, { impact: 'konsekvenser', abuse: 'ja', vulnerable: 'ja', repeated: 'ja' }],
      ['the reporter did not know', { category: 'insatser', risks: { hurt: 'vet-ej', ongoing: 'vet-ej', vulnerable: 'vet-ej', crime: 'nej', before: 'vet-ej' } }, { vulnerable: 'vet-ej', repeated: 'vet-ej' }],
      // The reporter's "nej" is left for the assessor: never prefilled.
      ['nobody hurt says nothing about threats, and the reporter\'s "nej" is not prefilled', { category: 'bemotande', risks: { hurt: 'nej', ongoing: 'nej', vulnerable: 'nej', crime: 'nej', before: 'nej' } }, {}],
    ];
    for (const [what, report, want] of prefills) {
      it(`prefill from the report: ${what}`, () => assert.deepEqual(prefillFromReport(report), want));
    }

    // Review #13: [what, the rapport, answers (changes to base), the gränsfall named, or none]. An
    // answer below the rapport's own needs a written motivation; else a reported blow to a child,
    // answered all "nej", closes the same day on a ställningstagande.
    const hitChild = { category: 'fysiska', risks: { hurt: 'ja', ongoing: 'nej', vulnerable: 'ja', crime: 'ja', before: 'ja' } };
    const unknowing = { category: 'insatser', risks: { hurt: 'vet-ej', ongoing: 'nej', vulnerable: 'vet-ej', crime: 'nej', before: 'vet-ej' } };
    const lowered: [string, typeof hitChild, Partial<AssessmentAnswers>, RegExp[]][] = [
      ['every "ja" of the rapport answered "nej"', hitChild, { impact: 'ingen' }, [
        /rapporten säger att någon kom till skada, men svaret på "Hot, konsekvenser eller risk" är att det varken fanns hot, konsekvenser eller risk/,
        /rapporten säger att det rör övergrepp \(rapportens kategori\), men svaret på "Övergrepp" är nej/,
        /rapporten säger att det gäller ett barn eller en person i särskilt utsatt läge, men svaret på "Barn eller person i särskilt utsatt läge" är nej/,
        /rapporten säger att det har hänt tidigare, men svaret på "Upprepat, systematiskt eller långvarigt" är nej/,
      ]],
      ['someone hurt, answered as only a risk', hitChild, { impact: 'risk', riskClarity: 'oklar', abuse: 'ja', vulnerable: 'ja', repeated: 'ja' }, [/svaret på "Hot, konsekvenser eller risk" är att det bara fanns en risk/]],
      ['the rapport\'s answers kept', hitChild, { abuse: 'ja', vulnerable: 'ja', repeated: 'ja' }, []],
      ['"vet ej" of the rapport is kept as "vet ej"', unknowing, { vulnerable: 'vet-ej', repeated: 'vet-ej' }, []],
      ['the rapport\'s "vet ej" answered "nej" (what the investigation found out)', unknowing, { impact: 'ingen' }, []],
    ];
    for (const [what, report, changes, want] of lowered) {
      it(`answers below the rapport's own: ${what} → ${want.length ? 'gränsfall' : 'none'}`, () => {
        const a = { ...base, ...changes };
        const below = belowReport(a, report);
        assert.equal(below.length, want.length, below.join('; '));
        for (const p of want) assert.ok(below.some((x) => p.test(x)), `${p} in ${below.join('; ')}`);
        const rec = recommend(a, AT, report);
        for (const x of below) assert.ok(rec.borderline.includes(x), x);
        const problem = decisionProblem(rec, rec.outcome, '');
        if (want.length && !requiresAnmalan(rec.outcome)) assert.match(problem ?? '', /gränsfall: .*rapporten säger att/);
        // Without the rapport, the recommendation is the answers' alone.
        assert.deepEqual(recommend(a, AT).borderline, rec.borderline.filter((x) => !below.includes(x)));
      });
    }

    const motivations: [string, boolean][] = [
      ['', false], ['   ', false], ['\u200b', false], ['\u200b\u200c\u200d\u2060\ufeff\u00ad', false], ['.', false], ['12 34', false], ['ok', false],
      ['Nej', true], ['\u200bNej\u200b', true], ['Händelsen gällde en enstaka dag.', true], ['Åtgärdat', true], ['ＮＥＪ', true],
    ];
    for (const [text, written] of motivations) {
      it(`isWrittenMotivation(${JSON.stringify(text)}) → ${written}`, () => assert.equal(isWrittenMotivation(text), written));
    }
  });

  describe('OUTCOMES and requiresAnmalan', () => {
    it('has the five outcomes with Swedish titles', () => {
      assert.deepEqual(OUTCOMES, {
        'inte-missforhallande': 'Inte ett missförhållande',
        'missforhallande-ej-allvarligt': 'Missförhållande, ej allvarligt',
        'paataglig-risk-ej-allvarlig': 'Påtaglig risk för ett missförhållande, ej allvarligt',
        'allvarligt-missforhallande': 'Allvarligt missförhållande',
        'paataglig-risk-allvarligt': 'Påtaglig risk för ett allvarligt missförhållande',
      });
    });
    it('requires an anmälan exactly for the two serious outcomes', () => {
      assert.deepEqual(OUTCOME_KEYS.filter(requiresAnmalan).sort(), ['allvarligt-missforhallande', 'paataglig-risk-allvarligt']);
    });
  });

  describe('referencesAt', () => {
    const SOL_KEYS = ['rapportering', 'utreda-avhjalpa', 'anmalan-ivo'];
    const day = (iso: string) => DateTime.fromISO(iso, { zone: 'Europe/Stockholm' }).set({ hour: 12 }).toJSDate();

    it('gives SoL 2001:453 before 1 July 2025 and SoL 2025:400 from then', () => {
      for (const r of referencesAt(day('2025-06-30'), SOL_KEYS)) assert.match(r.text, /\(2001:453\)/, r.key);
      for (const r of referencesAt(day('2025-07-01'), SOL_KEYS)) assert.match(r.text, /\(2025:400\)/, r.key);
      for (const r of referencesAt(day('2011-07-01'), SOL_KEYS)) assert.match(r.text, /\(2001:453\)/, r.key);
    });

    it('cites the lex Sarah chapter of SoL 2025:400 and the LSS sections', () => {
      const byKey = Object.fromEntries(referencesAt(AT, [...REFERENCE_KEYS]).map((r) => [r.key, r]));
      assert.match(byKey['rapportering']!.text, /^27 kap\. 2 §/);
      assert.match(byKey['utreda-avhjalpa']!.text, /^27 kap\. 5 §/);
      assert.match(byKey['anmalan-ivo']!.text, /^27 kap\. 6 §/);
      assert.match(byKey['lss']!.text, /24 b §.*24 e §.*24 f §/);
    });

    it('returns the entries in the order asked, once each', () => {
      const r = referencesAt(AT, ['lss', 'rapportering', 'lss']);
      assert.deepEqual(r.map((x) => x.key), ['lss', 'rapportering']);
    });

    it('throws for an unknown key', () => {
      assert.throws(() => referencesAt(AT, ['rapportering', 'lex-maria']), /Okänd lagrumsnyckel "lex-maria"/);
    });

    it('throws for a gap and for an overlap in the data', () => {
      const e = (over: Partial<LegalReference>): LegalReference => ({ key: 'rapportering', text: 'x', validFrom: '2011-07-01', verified: true, ...over });
      assert.throws(() => referencesAt(day('2021-01-01'), ['rapportering'], [e({ validTo: '2020-12-31' })]), /Lagrumsdata saknas.*"rapportering".*2021-01-01/);
      assert.throws(() => referencesAt(day('2021-01-01'), ['rapportering'], [e({}), e({ validFrom: '2020-01-01' })]), /Lagrumsdata överlappar/);
    });

    it('uses the Stockholm calendar day', () => {
      assert.equal(legalDay(new Date('2025-06-30T21:59:59Z')), '2025-06-30');
      assert.equal(legalDay(new Date('2025-06-30T22:00:00Z')), '2025-07-01');
      assert.equal(legalDay(new Date('2025-12-31T23:30:00Z')), '2026-01-01');
    });

    it('has well-formed entries; unverified ones say what to check', () => {
      const iso = /^\d{4}-\d{2}-\d{2}$/;
      for (const r of LEGAL_REFERENCES) {
        assert.ok((REFERENCE_KEYS as readonly string[]).includes(r.key), r.key);
        assert.match(r.validFrom, iso);
        assert.ok(DateTime.fromISO(r.validFrom).isValid, r.validFrom);
        if (r.validTo !== undefined) {
          assert.match(r.validTo, iso);
          assert.ok(DateTime.fromISO(r.validTo).isValid, r.validTo);
          assert.ok(r.validFrom <= r.validTo, `${r.key} ${r.validFrom}–${r.validTo}`);
        }
        assert.ok(r.text.trim().length > 0);
        if (!r.verified) assert.ok(r.note && r.note.length > 20, `${r.key} from ${r.validFrom} is unverified without a note`);
        if (r.verified) assert.ok(r.source, `${r.key} from ${r.validFrom} is verified without a source`);
      }
    });

    it('has no gaps or overlaps per key from 2011-07-01 until today (chained periods)', () => {
      const today = legalDay(new Date());
      for (const key of REFERENCE_KEYS) {
        const entries = LEGAL_REFERENCES.filter((r) => r.key === key).sort((a, b) => a.validFrom.localeCompare(b.validFrom));
        assert.ok(entries.length > 0, key);
        assert.ok(entries[0]!.validFrom <= '2011-07-01', `${key} starts ${entries[0]!.validFrom}`);
        for (let i = 1; i < entries.length; i++) {
          const prev = entries[i - 1]!;
          assert.ok(prev.validTo, `${key}: only the last entry may be open-ended`);
          const next = DateTime.fromISO(prev.validTo).plus({ days: 1 }).toISODate();
          assert.equal(entries[i]!.validFrom, next, `${key}: ${prev.validTo} is not followed by ${entries[i]!.validFrom}`);
        }
        const last = entries.at(-1)!;
        assert.ok(last.validTo === undefined || last.validTo >= today, `${key} ends ${last.validTo}`);
      }
    });

    it('resolves every key on every day from 2011-07-01 until today', () => {
      const end = DateTime.fromJSDate(new Date(), { zone: 'Europe/Stockholm' }).startOf('day');
      let days = 0;
      for (let d = DateTime.fromISO('2011-07-01T12:00', { zone: 'Europe/Stockholm' }); d <= end.plus({ hours: 12 }); d = d.plus({ days: 1 })) {
        assert.equal(referencesAt(d.toJSDate(), REFERENCE_KEYS).length, REFERENCE_KEYS.length);
        days++;
      }
      assert.ok(days > 5000);
    });
  });

  describe('assessmentAnswersSchema (card payload)', () => {
    const payload = { ...base } as Record<string, unknown>;

    it('accepts a complete payload', () => {
      const r = parseAssessmentAnswers(payload);
      assert.ok(r.ok);
      assert.deepEqual(r.answers, base);
      assert.equal(recommend(r.answers, AT).outcome, 'missforhallande-ej-allvarligt');
    });

    // [case, changes, field, Swedish message]
    const refused: [string, Record<string, unknown>, string, RegExp][] = [
      ['missing answer', { abuse: undefined }, 'abuse', /^Besvara frågan "Övergrepp"\.$/],
      ['empty card input', { severity: '' }, 'severity', /^Besvara frågan "Allvarlighetsgrad"\.$/],
      ['unknown value', { vulnerable: 'kanske' }, 'vulnerable', /^Välj ett av alternativen för "Barn eller person i särskilt utsatt läge"\.$/],
      ['risk without saying påtaglig or oklar', { impact: 'risk', riskClarity: 'ej-aktuell' }, 'riskClarity', /påtaglig .* eller oklar\/avlägsen/],
      ['abuse with "no threat"', { impact: 'ingen', abuse: 'ja' }, 'impact', /Ett övergrepp innebär ett hot/],
    ];
    for (const [name, changes, field, message] of refused) {
      it(`refuses ${name} with a Swedish message`, () => {
        const r = parseAssessmentAnswers({ ...payload, ...changes });
        assert.ok(!r.ok);
        assert.match((r.errors as Record<string, string>)[field] ?? '', message, JSON.stringify(r.errors));
      });
    }

    it('names every missing question in an empty payload', () => {
      const r = parseAssessmentAnswers({});
      assert.ok(!r.ok);
      assert.equal(Object.keys(r.errors).length, 8, "seven questions and the scope");
      for (const m of Object.values(r.errors)) assert.match(m!, /^Besvara frågan "/);
    });

    it('refuses a payload that is not an object', () => {
      const r = parseAssessmentAnswers(undefined);
      assert.ok(!r.ok);
      assert.match(r.errors.form ?? '', /Bedömningen saknar svar/);
      assert.equal(assessmentAnswersSchema.safeParse('x').success, false);
    });
  });
});
