import assert from 'node:assert/strict';
import {
  CASE_COMMAND_TYPES,
  REFUSALS,
  REQUIRED_INVESTIGATION_ITEMS,
  legalEvents,
  transition,
  type CaseCommand,
  type CaseCommandType,
  type CaseContext,
} from '../../src/cases/state-machine';
import type { ReportState } from '../../src/reports/report';

const STATES: ReportState[] = ['rapporterad', 'under-utredning', 'bedomd', 'anmald', 'avslutad'];

/** A well-formed command of each type, so only the state and context decide. */
const VALID: Record<CaseCommandType, CaseCommand> = {
  'start-investigation': { type: 'start-investigation', utredareEntraId: '00000000-0000-0000-0000-000000000023' },
  'record-decision': { type: 'record-decision', requiresAnmalan: true },
  'record-filing': { type: 'record-filing', filedOn: '2026-04-01', ivoDiarienummer: '3.5.1-12345/2026', investigationAttached: false },
  'send-investigation': { type: 'send-investigation', sentOn: '2026-05-20' },
  close: { type: 'close' },
};

// Context variations: r = the decision in force requires an anmälan; s = the investigation is at
// IVO; m = a closing motivation is given; d = an utredare is appointed and every required SOSFS
// item documented; i = the decision is "inte ett missförhållande" (the short closing).
type Variant = 'r0s0m0' | 'r0s0m1' | 'r1s0m0' | 'r1s0m1' | 'r1s1m0' | 'r1s1m1' | 'r0s1m1' | 'r0s0m1d' | 'r1s0m0d' | 'r1s1m0d' | 'r0s0m0i' | 'r0s0m1i';
const DOCUMENTED = { hasUtredare: true, documentedItems: REQUIRED_INVESTIGATION_ITEMS };
const NOT_A_MISSFORHALLANDE = { decidedOutcome: 'inte-missforhallande' };
const VARIANTS: Record<Variant, CaseContext> = {
  r0s0m1d: { decisionRequiresAnmalan: false, investigationSentToIvo: false, closingMotivation: 'Se utredningen.', decidedOutcome: 'missforhallande-ej-allvarligt', ...DOCUMENTED },
  r1s0m0d: { decisionRequiresAnmalan: true, investigationSentToIvo: false, ...DOCUMENTED },
  r1s1m0d: { decisionRequiresAnmalan: true, investigationSentToIvo: true, ...DOCUMENTED },
  r0s0m0i: { decisionRequiresAnmalan: false, investigationSentToIvo: false, ...NOT_A_MISSFORHALLANDE },
  r0s0m1i: { decisionRequiresAnmalan: false, investigationSentToIvo: false, closingMotivation: 'Inget missförhållande: personalen följde rutinen.', ...NOT_A_MISSFORHALLANDE },
  r0s0m0: { decisionRequiresAnmalan: false, investigationSentToIvo: false },
  r0s0m1: { decisionRequiresAnmalan: false, investigationSentToIvo: false, closingMotivation: 'Inget missförhållande.' },
  r1s0m0: { decisionRequiresAnmalan: true, investigationSentToIvo: false },
  r1s0m1: { decisionRequiresAnmalan: true, investigationSentToIvo: false, closingMotivation: 'Se utredningen.' },
  r1s1m0: { decisionRequiresAnmalan: true, investigationSentToIvo: true },
  r1s1m1: { decisionRequiresAnmalan: true, investigationSentToIvo: true, closingMotivation: 'Se utredningen.' },
  r0s1m1: { decisionRequiresAnmalan: false, investigationSentToIvo: true, closingMotivation: 'Inget missförhållande.' },
};
const ALL_VARIANTS = Object.keys(VARIANTS) as Variant[];

/** Expected outcome: the next state, or the refusal reason. */
type Expect = ReportState | { refused: string };
const R = (reason: string): Expect => ({ refused: reason });

/**
 * The full table: expected(state, command, variant). Written per state and command; a function of
 * the variant where the context matters.
 */
function expected(state: ReportState, type: CaseCommandType, v: Variant): Expect {
  const c = VARIANTS[v];
  const motivated = (c.closingMotivation ?? '').trim() !== '';
  const documented = v.endsWith('d');
  const shortClosing = v.endsWith('i');
  if (state === 'avslutad') return R(REFUSALS.closed);
  const table: Record<Exclude<ReportState, 'avslutad'>, Record<CaseCommandType, Expect>> = {
    rapporterad: {
      'start-investigation': 'under-utredning',
      'record-decision': 'bedomd', // decided at receipt; the investigation is still to be done
      'record-filing': R(REFUSALS.filingNeedsDecision),
      'send-investigation': R(REFUSALS.sendNeedsFiling),
      close: R(REFUSALS.closeNeedsDecision),
    },
    'under-utredning': {
      'start-investigation': R(REFUSALS.investigationAlreadyStarted),
      'record-decision': 'bedomd',
      'record-filing': R(REFUSALS.filingNeedsDecision),
      'send-investigation': R(REFUSALS.sendNeedsFiling),
      close: R(REFUSALS.closeNeedsDecision),
    },
    bedomd: {
      'start-investigation': R(REFUSALS.alreadyDecided),
      'record-decision': 'bedomd', // a new decision replaces the old one
      'record-filing': c.decisionRequiresAnmalan ? 'anmald' : R(REFUSALS.noAnmalanRequired),
      'send-investigation': R(REFUSALS.sendNeedsFiling),
      close: c.decisionRequiresAnmalan
        ? R(REFUSALS.closeNeedsFiling)
        : !motivated
          ? R(REFUSALS.closeNeedsMotivation)
          : shortClosing || documented
            ? 'avslutad'
            : R(REFUSALS.closeNeedsUtredare),
    },
    anmald: {
      'start-investigation': R(REFUSALS.alreadyDecided),
      'record-decision': R(REFUSALS.decisionAfterFiling),
      'record-filing': R(REFUSALS.alreadyFiled),
      'send-investigation': c.investigationSentToIvo ? R(REFUSALS.investigationAlreadySent) : documented ? 'anmald' : R(REFUSALS.sendNeedsUtredare),
      close: !c.investigationSentToIvo ? R(REFUSALS.closeNeedsInvestigationAtIvo) : documented ? 'avslutad' : R(REFUSALS.closeNeedsUtredare),
    },
  };
  return table[state][type];
}

describe('case state machine', () => {
  describe('every (state, command, context) combination', () => {
    for (const state of STATES) {
      for (const type of CASE_COMMAND_TYPES) {
        for (const v of ALL_VARIANTS) {
          const want = expected(state, type, v);
          const label = typeof want === 'string' ? `→ ${want}` : `refused: ${want.refused}`;
          it(`${state} + ${type} [${v}] ${label}`, () => {
            const got = transition(state, VALID[type], VARIANTS[v]);
            if (typeof want === 'string') assert.deepEqual(got, { ok: true, next: want });
            else assert.deepEqual(got, { ok: false, reason: want.refused });
          });
        }
      }
    }
  });

  describe('the rules the brief names', () => {
    const noAnm = VARIANTS.r0s0m0;
    const anm = VARIANTS.r1s0m0;
    it('filing when the decision requires no anmälan says so', () => {
      assert.deepEqual(transition('bedomd', VALID['record-filing'], noAnm), { ok: false, reason: 'Beslutet kräver ingen anmälan till IVO.' });
    });
    it('closing before a required anmälan is filed is refused', () => {
      assert.deepEqual(transition('bedomd', VALID.close, { ...anm, closingMotivation: 'x' }), {
        ok: false,
        reason: 'Anmälan till IVO måste registreras innan ärendet kan avslutas.',
      });
    });
    it('closing after an anmälan whose investigation is not at IVO is refused', () => {
      assert.deepEqual(transition('anmald', VALID.close, anm), { ok: false, reason: 'Utredningen ska skickas till IVO innan ärendet avslutas.' });
    });
    it('closing without anmälan needs a motivation; blank, punctuation or invisible characters are not one', () => {
      for (const closingMotivation of [undefined, '', '   \n', '.', 'ok', '\u200b\u200b\u200b', '- - -']) {
        assert.deepEqual(transition('bedomd', VALID.close, { ...noAnm, ...DOCUMENTED, closingMotivation }), { ok: false, reason: REFUSALS.closeNeedsMotivation });
      }
      assert.deepEqual(transition('bedomd', VALID.close, { ...noAnm, ...DOCUMENTED, closingMotivation: 'Missförhållandet är avhjälpt.' }), { ok: true, next: 'avslutad' });
    });
    it('closing after an anmälan needs no separate motivation', () => {
      assert.deepEqual(transition('anmald', VALID.close, VARIANTS.r1s1m0d), { ok: true, next: 'avslutad' });
    });
    it('a decision may be recorded at receipt, with or without anmälan', () => {
      for (const requiresAnmalan of [true, false]) {
        assert.deepEqual(transition('rapporterad', { type: 'record-decision', requiresAnmalan }, noAnm), { ok: true, next: 'bedomd' });
      }
    });
    it('a new decision may replace one in force (anmälan required → not required)', () => {
      assert.deepEqual(transition('bedomd', { type: 'record-decision', requiresAnmalan: false }, anm), { ok: true, next: 'bedomd' });
    });
    it('the state check comes before the input check', () => {
      assert.deepEqual(transition('avslutad', { type: 'record-filing', filedOn: 'x', ivoDiarienummer: '', investigationAttached: false }, anm), {
        ok: false,
        reason: REFUSALS.closed,
      });
    });
  });

  describe('input checks', () => {
    const anm = VARIANTS.r1s0m0;
    const filing = (filedOn: string, ivoDiarienummer = '3.5.1-1/2026') =>
      ({ type: 'record-filing', filedOn, ivoDiarienummer, investigationAttached: true }) as const;
    const table: [string, ReportState, CaseCommand, CaseContext, Expect][] = [
      ['blank utredare', 'rapporterad', { type: 'start-investigation', utredareEntraId: '  ' }, anm, R(REFUSALS.missingUtredare)],
      ['blank diarienummer', 'bedomd', filing('2026-04-01', ' '), anm, R(REFUSALS.missingDiarienummer)],
      ['filing date not a date', 'bedomd', filing('1 april'), anm, R(REFUSALS.invalidFilingDate)],
      ['filing date impossible', 'bedomd', filing('2026-02-30'), anm, R(REFUSALS.invalidFilingDate)],
      ['filing date with time', 'bedomd', filing('2026-04-01T10:00'), anm, R(REFUSALS.invalidFilingDate)],
      ['filing date in the future', 'bedomd', filing('2026-04-02'), { ...anm, today: '2026-04-01' }, R(REFUSALS.futureFilingDate)],
      ['filing date today', 'bedomd', filing('2026-04-01'), { ...anm, ...DOCUMENTED, today: '2026-04-01' }, 'anmald'],
      ['sent date not a date', 'anmald', { type: 'send-investigation', sentOn: '' }, anm, R(REFUSALS.invalidSentDate)],
      ['sent date in the future', 'anmald', { type: 'send-investigation', sentOn: '2026-06-01' }, { ...anm, today: '2026-05-31' }, R(REFUSALS.futureSentDate)],
      ['sent date today', 'anmald', { type: 'send-investigation', sentOn: '2026-05-31' }, { ...anm, ...DOCUMENTED, today: '2026-05-31' }, 'anmald'],
    ];
    for (const [what, state, cmd, ctx, want] of table) {
      it(`${what} → ${typeof want === 'string' ? want : want.refused}`, () => {
        const got = transition(state, cmd, ctx);
        if (typeof want === 'string') assert.deepEqual(got, { ok: true, next: want });
        else assert.deepEqual(got, { ok: false, reason: want.refused });
      });
    }
  });

  describe('closing needs the investigation (SOSFS 2011:5 5 kap.), except "inte ett missförhållande"', () => {
    const missing = (reason: string, ...items: string[]) => R(`${reason} Saknas: ${items.join('; ')}.`);
    const ejAllvarligt = { decisionRequiresAnmalan: false, investigationSentToIvo: false, closingMotivation: 'Avhjälpt.', decidedOutcome: 'missforhallande-ej-allvarligt' };
    const allvarligt = { decisionRequiresAnmalan: true, investigationSentToIvo: true, decidedOutcome: 'allvarligt-missforhallande' };
    const allBut = (...gone: string[]) => REQUIRED_INVESTIGATION_ITEMS.filter((i) => !gone.includes(i));
    const attached = { type: 'record-filing', filedOn: '2026-04-01', ivoDiarienummer: '3.5.1-1/2026', investigationAttached: true } as const;
    const table: [string, ReportState, CaseCommand, CaseContext, Expect][] = [
      ['ej allvarligt: utredare and every item → closes', 'bedomd', VALID.close, { ...ejAllvarligt, ...DOCUMENTED }, 'avslutad'],
      ['ej allvarligt: "övriga iakttagelser" is not required', 'bedomd', VALID.close, { ...ejAllvarligt, hasUtredare: true, documentedItems: allBut('ovrigt') }, 'avslutad'],
      ['ej allvarligt: no utredare', 'bedomd', VALID.close, { ...ejAllvarligt, documentedItems: REQUIRED_INVESTIGATION_ITEMS }, R(REFUSALS.closeNeedsUtredare)],
      ['ej allvarligt: causes not documented', 'bedomd', VALID.close, { ...ejAllvarligt, hasUtredare: true, documentedItems: allBut('orsaker') }, missing(REFUSALS.closeNeedsInvestigation, 'orsaker som identifierats')],
      ['ej allvarligt: nothing documented (a line of text is not an investigation)', 'bedomd', VALID.close, { ...ejAllvarligt, hasUtredare: true }, missing(REFUSALS.closeNeedsInvestigation,
        'vad som hänt och vilka konsekvenser det fått eller kunnat få', 'när och hur det uppmärksammades', 'när det inträffade', 'orsaker som identifierats',
        'om det hänt tidigare och i så fall varför det hänt igen', 'risk för upprepning', 'åtgärder för att avhjälpa det, och när')],
      ['påtaglig risk, ej allvarlig: needs the investigation too', 'bedomd', VALID.close, { ...ejAllvarligt, decidedOutcome: 'paataglig-risk-ej-allvarlig', hasUtredare: true, documentedItems: allBut('risk-for-upprepning') }, missing(REFUSALS.closeNeedsInvestigation, 'risk för upprepning')],
      ['no decision outcome known: the full investigation is asked for', 'bedomd', VALID.close, { decisionRequiresAnmalan: false, investigationSentToIvo: false, closingMotivation: 'Avhjälpt.', hasUtredare: true, documentedItems: allBut('vad-och-konsekvenser') }, missing(REFUSALS.closeNeedsInvestigation, 'vad som hänt och vilka konsekvenser det fått eller kunnat få')],
      ['inte ett missförhållande: the ställningstagande suffices', 'bedomd', VALID.close, { ...ejAllvarligt, decidedOutcome: 'inte-missforhallande' }, 'avslutad'],
      ['inte ett missförhållande: without a ställningstagande', 'bedomd', VALID.close, { ...ejAllvarligt, decidedOutcome: 'inte-missforhallande', closingMotivation: ' ' }, R(REFUSALS.closeNeedsMotivation)],
      ['allvarligt: at IVO and documented → closes', 'anmald', VALID.close, { ...allvarligt, ...DOCUMENTED }, 'avslutad'],
      ['allvarligt: at IVO but not documented', 'anmald', VALID.close, { ...allvarligt, hasUtredare: true, documentedItems: allBut('hant-tidigare') }, missing(REFUSALS.closeNeedsInvestigation, 'om det hänt tidigare och i så fall varför det hänt igen')],
      ['allvarligt: documented but not at IVO', 'anmald', VALID.close, { ...allvarligt, ...DOCUMENTED, investigationSentToIvo: false }, R(REFUSALS.closeNeedsInvestigationAtIvo)],
      ['allvarligt: filed "with the investigation attached" before it is documented', 'bedomd', attached, { ...allvarligt, investigationSentToIvo: false, hasUtredare: true, documentedItems: allBut('atgarder') }, missing(REFUSALS.attachNeedsInvestigation, 'åtgärder för att avhjälpa det, och när')],
      ['allvarligt: filed attached without an utredare', 'bedomd', attached, { ...allvarligt, investigationSentToIvo: false }, R(REFUSALS.attachNeedsUtredare)],
      ['allvarligt: filed attached, documented → anmäld', 'bedomd', attached, { ...allvarligt, investigationSentToIvo: false, ...DOCUMENTED }, 'anmald'],
      ['allvarligt: filed to send later, nothing documented yet → anmäld', 'bedomd', VALID['record-filing'], { ...allvarligt, investigationSentToIvo: false }, 'anmald'],
      ['allvarligt: registered as sent before it is documented', 'anmald', VALID['send-investigation'], { ...allvarligt, investigationSentToIvo: false, hasUtredare: true, documentedItems: allBut('nar-det-hande') }, missing(REFUSALS.sendNeedsInvestigation, 'när det inträffade')],
    ];
    for (const [what, state, cmd, ctx, want] of table) {
      it(`${what} → ${typeof want === 'string' ? want : 'refused'}`, () => {
        const got = transition(state, cmd, ctx);
        if (typeof want === 'string') assert.deepEqual(got, { ok: true, next: want });
        else assert.deepEqual(got, { ok: false, reason: want.refused });
      });
    }
  });

  describe('legalEvents (what the case card offers)', () => {
    const table: [ReportState, Variant, CaseCommandType[]][] = [
      ['rapporterad', 'r0s0m0', ['start-investigation', 'record-decision']],
      ['under-utredning', 'r0s0m0', ['record-decision']],
      // Close is offered without a motivation yet: the card asks for it.
      ['bedomd', 'r0s0m0', ['record-decision', 'close']],
      ['bedomd', 'r1s0m0', ['record-decision', 'record-filing']],
      ['anmald', 'r1s0m0', ['send-investigation']],
      ['anmald', 'r1s1m0', ['close']],
      ['avslutad', 'r1s1m1', []],
    ];
    for (const [state, v, want] of table) {
      it(`${state} [${v}] → ${want.join(', ') || 'nothing'}`, () => {
        assert.deepEqual(legalEvents(state, VARIANTS[v]), want);
      });
    }

    it('agrees with transition for every state and context (apart from what the forms ask for: the motivation and the documentation)', () => {
      for (const state of STATES) {
        for (const v of ALL_VARIANTS) {
          const ctx = { ...VARIANTS[v], ...DOCUMENTED, closingMotivation: 'Motivering.' };
          const offered = legalEvents(state, VARIANTS[v]);
          for (const type of CASE_COMMAND_TYPES) {
            assert.equal(offered.includes(type), transition(state, VALID[type], ctx).ok, `${state} ${type} ${v}`);
          }
        }
      }
    });
  });

  describe('refusal reasons', () => {
    it('every refusal given is one of REFUSALS (those about missing documentation followed by what is missing)', () => {
      const known = new Set<string>(Object.values(REFUSALS));
      const partly = { hasUtredare: true, documentedItems: ['orsaker'] };
      for (const state of STATES) {
        for (const type of CASE_COMMAND_TYPES) {
          for (const v of ALL_VARIANTS) {
            for (const ctx of [VARIANTS[v], { ...VARIANTS[v], ...partly }]) {
              const got = transition(state, VALID[type], ctx);
              if (!got.ok) assert.ok(known.has(got.reason) || [...known].some((k) => got.reason.startsWith(`${k} Saknas: `)), got.reason);
            }
          }
        }
      }
    });

    // \b is ASCII-only in JS, so word edges are spelled out (å, ä, ö are not \w).
    const swedishWord = /(^|[\s(])(är|och|kan|måste|ska|inte|till|ange|välj|skriv|innan|ärendet|utredningen|anmälan|beslutet|datumet)(?=[\s.,;:)]|$)/i;
    for (const [key, reason] of Object.entries(REFUSALS)) {
      it(`${key}: non-empty plain Swedish sentence`, () => {
        assert.ok(reason.trim().length > 10, 'not empty');
        assert.equal(reason, reason.trim());
        assert.match(reason, /^[A-ZÅÄÖ]/, 'starts with a capital');
        assert.match(reason, /[.]$/, 'ends with a full stop');
        assert.match(reason, swedishWord, 'Swedish');
        // No internal keys or code leaking into the text.
        assert.doesNotMatch(reason, /under-utredning|bedomd|anmald|avslutad|rapporterad|record-|send-|start-|undefined|null|\{|\}/);
      });
    }
  });

  describe('whole runs', () => {
    function run(steps: [CaseCommand, CaseContext][]): ReportState {
      let state: ReportState = 'rapporterad';
      for (const [cmd, ctx] of steps) {
        const r = transition(state, cmd, ctx);
        assert.ok(r.ok, r.ok ? '' : `${state} ${cmd.type}: ${r.reason}`);
        state = r.next;
      }
      return state;
    }
    it('investigate, no anmälan, close with a ställningstagande', () => {
      const c = VARIANTS.r0s0m0;
      assert.equal(
        run([
          [VALID['start-investigation'], c],
          [{ type: 'record-decision', requiresAnmalan: false }, c],
          [VALID.close, { ...c, ...DOCUMENTED, closingMotivation: 'Missförhållandet är avhjälpt; rutinen är förtydligad.' }],
        ]),
        'avslutad',
      );
    });
    it('anmälan decided at receipt, filed without the investigation, investigation sent, closed', () => {
      assert.equal(
        run([
          [{ type: 'record-decision', requiresAnmalan: true }, VARIANTS.r0s0m0],
          [VALID['record-filing'], VARIANTS.r1s0m0],
          [VALID['send-investigation'], VARIANTS.r1s0m0d],
          [VALID.close, VARIANTS.r1s1m0d],
        ]),
        'avslutad',
      );
    });
  });
});

describe('appointing an utredare after a decision made at receipt', () => {
  const base = { decisionRequiresAnmalan: true, investigationSentToIvo: false };
  const cmd = { type: 'start-investigation' as const, utredareEntraId: 'x' };
  const table: [ReportState, boolean | undefined, ReportState | undefined][] = [
    ['bedomd', false, 'bedomd'],
    ['anmald', false, 'anmald'],
    ['bedomd', true, undefined],
    ['bedomd', undefined, undefined],
    ['avslutad', false, undefined],
    ['under-utredning', false, undefined],
  ];
  for (const [state, hasUtredare, next] of table) {
    it(`${state}, hasUtredare=${String(hasUtredare)} → ${next ?? 'refused'}`, () => {
      const r = transition(state, cmd, { ...base, ...(hasUtredare !== undefined ? { hasUtredare } : {}) });
      if (next) assert.deepEqual(r, { ok: true, next });
      else assert.equal(r.ok, false);
    });
  }
});
