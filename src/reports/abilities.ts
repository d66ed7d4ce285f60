/**
 * What a person can do with the bot, for the welcome and help cards: a command is offered iff
 * answering it would not refuse them. Pure, and decided by the same rules the services apply, so
 * the cards cannot drift from them: reporting by reportingUnits (./access.ts), the weekly review
 * by the units the person leads (src/review/service.ts onDemand), the status summary by
 * statusAccess (src/status/access.ts), and what "öppna" opens by the case rights
 * (src/cases/permissions.ts). "mina rapporter", "öppna" (one's own reports) and "hjälp" refuse
 * nobody.
 */
import { hasRight, type CaseRight } from '../cases/permissions';
import { COMMANDS, type Intent } from '../commands/commands';
import type { Directory } from '../org/directory';
import type { Role } from '../org/schema';
import { statusAccess } from '../status/access';
import { reportingRefusal, reportingUnits, unplacedReporterNote, type AccessBasis, type UnknownReporterPolicy } from './access';

/** One of the person's roles, with the unit or nämnd it is for (none for admin). */
export interface RoleView {
  role: Role;
  scopeName?: string;
}

export interface Abilities {
  /** The commands the person may use, in the order of COMMANDS. */
  intents: Intent[];
  /**
   * The case rights the person has on some unit or nämnd (src/cases/permissions.ts): 'view-case'
   * makes "öppna" open the cases they work on, not only their own reports; 'investigate' and
   * 'decide' are separate, since an enhetschef investigates but does not decide on IVO.
   */
  caseRights: CaseRight[];
  /** The person's roles as the organisation file gives them; empty when it does not know them. */
  roles: RoleView[];
  /**
   * About reporting, when the organisation file does not place the person: why they may not
   * report and what to do instead, or (when the municipality allows it) where their report goes.
   */
  reportingNote?: string;
  /**
   * A group chat or channel, where the card is for everyone who reads along: only what works
   * there ("rapportera" sends the form to the personal chat, "hjälp"), for anyone.
   */
  shared: boolean;
}

/** The case bases a role gives on the reports of its unit or nämnd (a medarbetare and an admin have none). */
const CASE_BASIS: Partial<Record<Role, AccessBasis>> = { enhetschef: 'enhetschef', samordnare: 'samordnare', chef: 'chef' };
/** Every case right, in this order: a Record, so a new right cannot be left out. */
const CASE_RIGHTS = Object.keys({ 'view-case': 0, investigate: 0, decide: 0 } satisfies Record<CaseRight, 0>) as CaseRight[];

export function abilitiesOf(dir: Directory, entraId: string | undefined, policy: UnknownReporterPolicy): Abilities {
  const person = dir.person(entraId);
  const reporting = reportingUnits(dir, entraId, policy);
  const allowed = new Set<Intent>(['myReports', 'open', 'help']);
  if (reporting.kind === 'units') allowed.add('report');
  if (dir.unitsLedBy(entraId).length) allowed.add('review');
  if (entraId && statusAccess(dir, entraId.toLowerCase()).defaultScope) allowed.add('status');
  // The sammanställning is the nämnd's: its chefer and samordnare (src/compilation/service.ts asks the same).
  if (dir.committeesWhere(entraId, 'chef').length || dir.committeesWhere(entraId, 'samordnare').length) allowed.add('compilation');
  const bases = (person?.roles ?? []).flatMap((r) => (CASE_BASIS[r.role] ? [CASE_BASIS[r.role]!] : []));
  const roles: RoleView[] = (person?.roles ?? []).map((r) => {
    const scopeName = 'unit' in r ? dir.unit(r.unit)?.name : 'committee' in r ? dir.committee(r.committee)?.name : undefined;
    return { role: r.role, ...(scopeName ? { scopeName } : {}) };
  });
  const reportingNote =
    reporting.kind === 'refused'
      ? reportingRefusal(reporting, dir.municipality)
      : reporting.routing === 'samordnare'
        ? unplacedReporterNote(dir.municipality, reporting.unplaced)
        : undefined;
  return {
    intents: COMMANDS.map((c) => c.intent).filter((i) => allowed.has(i)),
    caseRights: CASE_RIGHTS.filter((right) => hasRight(bases, right)),
    roles,
    ...(reportingNote ? { reportingNote } : {}),
    shared: false,
  };
}

/** For a group chat or channel, and for a sender Teams does not identify: the same card for anyone. */
export const SHARED_CHAT_ABILITIES: Abilities = Object.freeze({
  intents: COMMANDS.map((c) => c.intent).filter((i) => i === 'report' || i === 'help'),
  caseRights: [],
  roles: [],
  shared: true,
});
