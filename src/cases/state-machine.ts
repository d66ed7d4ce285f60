/**
 * The lex Sarah case's life cycle as a pure state machine: which command may be applied in which
 * state, given what is already recorded about the case. No I/O, no clock: the caller loads the
 * case, asks `transition`, and writes the result with a guarded update (from the state it saw).
 *
 *   rapporterad ──start-investigation──▶ under-utredning
 *   rapporterad / under-utredning / bedomd ──record-decision──▶ bedomd
 *   bedomd ──record-filing (decision requires anmälan)──▶ anmald
 *   anmald ──send-investigation (not attached to the anmälan)──▶ anmald
 *   bedomd (no anmälan required, motivation given) / anmald (investigation at IVO) ──close──▶ avslutad
 *
 * Closing needs an investigation (SoL 27 kap. 5 §: every report is investigated; SOSFS 2011:5
 * 5 kap.: what it documents): an utredare and the documented items of REQUIRED_INVESTIGATION_ITEMS.
 * Only a decision that it is not a missförhållande (which is also what an unclear or remote risk
 * comes to) may close on the documented ställningstagande alone. An investigation can be attached
 * to the anmälan, or registered as sent to IVO, only once it is documented.
 *
 * A decision may be recorded straight from `rapporterad`: the anmälan to IVO is due "as soon as"
 * the missförhållande is judged serious, which can be at receipt. The investigation must still be
 * done; when an anmälan was made, `close` therefore waits until the investigation is at IVO.
 *
 * Every refusal carries a reason in plain Swedish that tells the user what to do next.
 */
import { DateTime } from 'luxon';
import { isWrittenMotivation } from '../assessment/rules';
import type { ReportState } from '../reports/report';

export const CASE_COMMAND_TYPES = [
  'start-investigation',
  'record-decision',
  'record-filing',
  'send-investigation',
  'close',
] as const;

export type CaseCommandType = (typeof CASE_COMMAND_TYPES)[number];

/** The commands (events) a user can apply to a case, with what the caller will store. */
export type CaseCommand =
  /** Assign an utredare. */
  | { type: 'start-investigation'; utredareEntraId: string }
  /** The responsible person's decision on the assessment; a new decision replaces the old one (both are kept by the caller). */
  | { type: 'record-decision'; requiresAnmalan: boolean }
  /** The anmälan has been filed with IVO (through IVO's e-service or by post; the product does not send it). */
  | { type: 'record-filing'; filedOn: string /* ISO date */; ivoDiarienummer: string; investigationAttached: boolean }
  /** The finished investigation has been sent to IVO (when it was not attached to the anmälan). */
  | { type: 'send-investigation'; sentOn: string /* ISO date */ }
  /** Close the case with its closing decision / ställningstagande (text in `context.closingMotivation`). */
  | { type: 'close' };

/** What is already recorded about the case, as far as the life cycle depends on it. */
export interface CaseContext {
  /** The decision in force requires an anmälan to IVO (false when no decision has been recorded). */
  decisionRequiresAnmalan: boolean;
  /** The investigation has reached IVO: attached to the anmälan or sent afterwards. */
  investigationSentToIvo: boolean;
  /**
   * Whether an utredare is appointed. When explicitly false in bedomd/anmald (a decision made at
   * receipt), start-investigation appoints one without changing the state.
   */
  hasUtredare?: boolean;
  /** The closing ställningstagande; required to close a case without an anmälan. */
  closingMotivation?: string;
  /**
   * The outcome of the decision in force (src/assessment/rules.ts OUTCOMES key). Only
   * 'inte-missforhallande' may close on a ställningstagande without the investigation items.
   */
  decidedOutcome?: string;
  /** The SOSFS 2011:5 items with at least one entry (an åtgärd on the case counts for 'atgarder'). */
  documentedItems?: readonly string[];
  /** Today's calendar date (ISO, Europe/Stockholm). When given, dates in the future are refused. */
  today?: string;
}

export type TransitionResult = { ok: true; next: ReportState } | { ok: false; reason: string };

/** Every reason a command can be refused for. Plain Swedish, each telling the user what to do. */
export const REFUSALS = {
  closed: 'Ärendet är avslutat.',
  investigationAlreadyStarted: 'Utredningen är redan påbörjad och har en utredare.',
  alreadyDecided: 'Ärendet är redan bedömt, så utredningen kan inte startas som ett eget steg. Dokumentera utredningen i ärendet.',
  decisionAfterFiling: 'Anmälan till IVO är redan registrerad, så beslutet om anmälan kan inte ändras här. Kontakta IVO om bedömningen har ändrats.',
  filingNeedsDecision: 'Ett beslut om att anmäla till IVO måste registreras innan anmälan kan registreras.',
  noAnmalanRequired: 'Beslutet kräver ingen anmälan till IVO.',
  alreadyFiled: 'Anmälan till IVO är redan registrerad.',
  sendNeedsFiling: 'Utredningen skickas till IVO först när anmälan till IVO har registrerats.',
  investigationAlreadySent: 'Utredningen är redan skickad till IVO.',
  closeNeedsDecision: 'Ett beslut måste registreras innan ärendet kan avslutas.',
  closeNeedsFiling: 'Anmälan till IVO måste registreras innan ärendet kan avslutas.',
  closeNeedsMotivation: 'Skriv en motivering (ställningstagande) till varför ärendet avslutas utan anmälan till IVO.',
  closeNeedsInvestigationAtIvo: 'Utredningen ska skickas till IVO innan ärendet avslutas.',
  closeNeedsUtredare: 'Ingen utredare är utsedd. Utse en utredare och dokumentera utredningen innan ärendet avslutas.',
  closeNeedsInvestigation: 'Utredningen är inte dokumenterad, så ärendet kan inte avslutas än. Dokumentera det som saknas (knappen Dokumentera).',
  attachNeedsUtredare: 'Utredningen kan bara bifogas när den är gjord, och ingen utredare är utsedd. Utse en utredare, eller välj att utredningen skickas senare.',
  attachNeedsInvestigation: 'Utredningen kan bara bifogas när den är dokumenterad. Dokumentera det som saknas, eller välj att utredningen skickas senare.',
  sendNeedsUtredare: 'Ingen utredare är utsedd. Utse en utredare och dokumentera utredningen innan den registreras som skickad till IVO.',
  sendNeedsInvestigation: 'Utredningen är inte dokumenterad, så den kan inte registreras som skickad till IVO. Dokumentera det som saknas (knappen Dokumentera).',
  missingUtredare: 'Välj vem som ska utreda.',
  missingDiarienummer: 'Ange IVO:s diarienummer för anmälan.',
  invalidFilingDate: 'Ange datumet då anmälan lämnades till IVO (ÅÅÅÅ-MM-DD).',
  futureFilingDate: 'Datumet för anmälan kan inte ligga i framtiden.',
  invalidSentDate: 'Ange datumet då utredningen skickades till IVO (ÅÅÅÅ-MM-DD).',
  futureSentDate: 'Datumet då utredningen skickades kan inte ligga i framtiden.',
} as const;

/**
 * The items of SOSFS 2011:5 5 kap. an investigation must document before the case closes; 'ovrigt'
 * (other findings) is optional, and 'beslut' is what the closing itself records.
 */
export const SOSFS_ITEM_LABELS = {
  'vad-och-konsekvenser': 'Vad som hänt och vilka konsekvenser det fått eller kunnat få',
  'nar-och-hur-uppmarksammat': 'När och hur det uppmärksammades',
  'nar-det-hande': 'När det inträffade',
  orsaker: 'Orsaker som identifierats',
  'hant-tidigare': 'Om det hänt tidigare och i så fall varför det hänt igen',
  'risk-for-upprepning': 'Risk för upprepning',
  atgarder: 'Åtgärder för att avhjälpa det, och när',
  ovrigt: 'Övriga iakttagelser',
  beslut: 'Beslut eller ställningstagande som utredningen avslutades med',
} as const;
export type SosfsItemKey = keyof typeof SOSFS_ITEM_LABELS;

export const REQUIRED_INVESTIGATION_ITEMS: readonly SosfsItemKey[] = [
  'vad-och-konsekvenser',
  'nar-och-hur-uppmarksammat',
  'nar-det-hande',
  'orsaker',
  'hant-tidigare',
  'risk-for-upprepning',
  'atgarder',
];

/** The outcome that may close on a ställningstagande alone (also the outcome of an unclear or remote risk). */
export const SHORT_CLOSING_OUTCOME = 'inte-missforhallande';

/** The required items not yet documented, in SOSFS order. */
export function missingInvestigationItems(documented: readonly string[] | undefined): SosfsItemKey[] {
  const have = new Set(documented ?? []);
  return REQUIRED_INVESTIGATION_ITEMS.filter((i) => !have.has(i));
}

/** A refusal from REFUSALS followed by what is missing, named as the user sees it. */
function withMissing(reason: string, missing: readonly SosfsItemKey[]): string {
  return `${reason} Saknas: ${missing.map((i) => SOSFS_ITEM_LABELS[i].toLowerCase()).join('; ')}.`;
}

/** Why the investigation is not yet done enough for `what` (close, attach, send), or undefined. */
function investigationProblem(ctx: CaseContext, what: 'close' | 'attach' | 'send'): string | undefined {
  const noUtredare = { close: REFUSALS.closeNeedsUtredare, attach: REFUSALS.attachNeedsUtredare, send: REFUSALS.sendNeedsUtredare }[what];
  const undocumented = { close: REFUSALS.closeNeedsInvestigation, attach: REFUSALS.attachNeedsInvestigation, send: REFUSALS.sendNeedsInvestigation }[what];
  if (ctx.hasUtredare !== true) return noUtredare;
  const missing = missingInvestigationItems(ctx.documentedItems);
  return missing.length > 0 ? withMissing(undocumented, missing) : undefined;
}

type Step = TransitionResult;

const to = (next: ReportState): Step => ({ ok: true, next });
const no = (reason: string): Step => ({ ok: false, reason });

/**
 * Whether the command is allowed in this state given what is recorded: the rules that decide what
 * the case card offers. Input the user still has to give (the motivation, dates, diarienummer) is
 * checked by `transition`, not here.
 */
function lifecycle(state: ReportState, type: CaseCommandType, ctx: CaseContext): Step {
  if (state === 'avslutad') return no(REFUSALS.closed);
  switch (type) {
    case 'start-investigation':
      if (state === 'rapporterad') return to('under-utredning');
      if (state === 'under-utredning') return no(REFUSALS.investigationAlreadyStarted);
      // Decided at receipt: the investigation must still be done, so an utredare can still be
      // appointed, once, without changing the state.
      if (ctx.hasUtredare === false) return to(state);
      return no(REFUSALS.alreadyDecided);

    case 'record-decision':
      if (state === 'anmald') return no(REFUSALS.decisionAfterFiling);
      return to('bedomd');

    case 'record-filing':
      if (state === 'anmald') return no(REFUSALS.alreadyFiled);
      if (state !== 'bedomd') return no(REFUSALS.filingNeedsDecision);
      if (!ctx.decisionRequiresAnmalan) return no(REFUSALS.noAnmalanRequired);
      return to('anmald');

    case 'send-investigation':
      if (state !== 'anmald') return no(REFUSALS.sendNeedsFiling);
      if (ctx.investigationSentToIvo) return no(REFUSALS.investigationAlreadySent);
      return to('anmald');

    case 'close':
      if (state === 'rapporterad' || state === 'under-utredning') return no(REFUSALS.closeNeedsDecision);
      if (state === 'bedomd') {
        if (ctx.decisionRequiresAnmalan) return no(REFUSALS.closeNeedsFiling);
        return to('avslutad');
      }
      // anmald
      if (!ctx.investigationSentToIvo) return no(REFUSALS.closeNeedsInvestigationAtIvo);
      return to('avslutad');
  }
}

function isIsoDate(text: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(text) && DateTime.fromISO(text).isValid;
}

/** The user's input for the command; undefined when it is acceptable. */
function inputProblem(state: ReportState, cmd: CaseCommand, ctx: CaseContext): string | undefined {
  switch (cmd.type) {
    case 'start-investigation':
      return cmd.utredareEntraId.trim() === '' ? REFUSALS.missingUtredare : undefined;
    case 'record-decision':
      return undefined;
    case 'record-filing':
      if (!isIsoDate(cmd.filedOn)) return REFUSALS.invalidFilingDate;
      if (ctx.today !== undefined && cmd.filedOn > ctx.today) return REFUSALS.futureFilingDate;
      if (cmd.ivoDiarienummer.trim() === '') return REFUSALS.missingDiarienummer;
      // "Attached" says the investigation is done: it must be, or the two-month clock never runs.
      return cmd.investigationAttached ? investigationProblem(ctx, 'attach') : undefined;
    case 'send-investigation':
      if (!isIsoDate(cmd.sentOn)) return REFUSALS.invalidSentDate;
      if (ctx.today !== undefined && cmd.sentOn > ctx.today) return REFUSALS.futureSentDate;
      return investigationProblem(ctx, 'send');
    case 'close':
      // Closing without an anmälan needs a documented ställningstagande.
      if (state === 'bedomd' && !isWrittenMotivation(ctx.closingMotivation ?? '')) return REFUSALS.closeNeedsMotivation;
      // Only "inte ett missförhållande" (an unclear or remote risk included) closes on it alone.
      if (state === 'bedomd' && ctx.decidedOutcome === SHORT_CLOSING_OUTCOME) return undefined;
      return investigationProblem(ctx, 'close');
  }
}

/** Applies `cmd` to a case in `state`: the next state, or why not (plain Swedish). */
export function transition(state: ReportState, cmd: CaseCommand, context: CaseContext): TransitionResult {
  const step = lifecycle(state, cmd.type, context);
  if (!step.ok) return step;
  const problem = inputProblem(state, cmd, context);
  return problem === undefined ? step : no(problem);
}

/**
 * The commands the case card should offer in this state, in process order. Input still to be
 * given (e.g. the closing motivation) does not hide a command: the card asks for it.
 */
export function legalEvents(state: ReportState, context: CaseContext): CaseCommandType[] {
  return CASE_COMMAND_TYPES.filter((type) => lifecycle(state, type, context).ok);
}
