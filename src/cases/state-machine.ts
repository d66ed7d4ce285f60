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
 * A decision may be recorded straight from `rapporterad`: the anmälan to IVO is due "as soon as"
 * the missförhållande is judged serious, which can be at receipt. The investigation must still be
 * done; when an anmälan was made, `close` therefore waits until the investigation is at IVO.
 *
 * Every refusal carries a reason in plain Swedish that tells the user what to do next.
 */
import { DateTime } from 'luxon';
import type { ReportState } from '../store/store';

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
  missingUtredare: 'Välj vem som ska utreda.',
  missingDiarienummer: 'Ange IVO:s diarienummer för anmälan.',
  invalidFilingDate: 'Ange datumet då anmälan lämnades till IVO (ÅÅÅÅ-MM-DD).',
  futureFilingDate: 'Datumet för anmälan kan inte ligga i framtiden.',
  invalidSentDate: 'Ange datumet då utredningen skickades till IVO (ÅÅÅÅ-MM-DD).',
  futureSentDate: 'Datumet då utredningen skickades kan inte ligga i framtiden.',
} as const;

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
      return undefined;
    case 'send-investigation':
      if (!isIsoDate(cmd.sentOn)) return REFUSALS.invalidSentDate;
      if (ctx.today !== undefined && cmd.sentOn > ctx.today) return REFUSALS.futureSentDate;
      return undefined;
    case 'close':
      // Closing without an anmälan needs a documented ställningstagande.
      if (state === 'bedomd' && (ctx.closingMotivation ?? '').trim() === '') return REFUSALS.closeNeedsMotivation;
      return undefined;
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
