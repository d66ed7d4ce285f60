/**
 * The conversation-basics cards: welcome, help and short notices. Welcome and help offer only what
 * the person can do (src/reports/abilities.ts decides it with the services' own rules).
 */
import { COMMANDS, type Intent } from '../commands/commands';
import type { Role } from '../org/schema';
import type { Abilities, RoleView } from '../reports/abilities';
import type { AdaptiveCard, CardRenderer } from './render';

export const WELCOME_ACTIONS: { title: string; intent: Intent }[] = [
  { title: 'Lämna en rapport', intent: 'report' },
  { title: 'Mina rapporter', intent: 'myReports' },
  { title: 'Veckogenomgång', intent: 'review' },
  { title: 'Lägesbild', intent: 'status' },
  { title: 'Hjälp', intent: 'help' },
];

const usageOf = (intent: Intent) => COMMANDS.find((c) => c.intent === intent)!.phrases[0]!;

/**
 * Everything: the cards as the product documents them (tests and docs). Required everywhere else,
 * so that a caller that forgets the person shows less, never more: no default.
 */
export const ALL_ABILITIES: Abilities = { intents: COMMANDS.map((c) => c.intent), caseRights: ['view-case', 'investigate', 'decide'], roles: [], shared: false };

/** The welcome card's line for the right to investigate (src/cases/steps.ts: utredare, dokumentation, åtgärder, information). */
export const INVESTIGATE_POINT = 'utreda rapporter: utse utredare, dokumentera utredningen, lägga in åtgärder och informera den enskilde';
/** The line for the right to decide (the assessment, the anmälan and closing). */
export const DECIDE_POINT = 'bedöma om ett missförhållande är allvarligt och ska anmälas till IVO, registrera anmälan och avsluta ärendet';

/** What the welcome card says the bot helps with, by ability (the buttons follow the same abilities). */
function points(a: Abilities): string[] {
  const can = new Set(a.intents);
  const out: string[] = [];
  if (can.has('report')) {
    out.push(a.shared ? 'lämna en lex Sarah-rapport – formuläret kommer i vår personliga chatt' : 'lämna en lex Sarah-rapport på ett par minuter');
  }
  if (!a.shared && can.has('myReports')) out.push('följa dina egna rapporter och se vad som händer härnäst');
  // One line per case right: an enhetschef investigates, the samordnare and chefer also decide.
  if (!a.shared && a.caseRights.includes('investigate')) out.push(INVESTIGATE_POINT);
  if (!a.shared && a.caseRights.includes('decide')) out.push(DECIDE_POINT);
  if (!a.shared && can.has('review')) out.push('hålla koll på tidsfrister och veckogenomgången av öppna utredningar på din enhet');
  if (!a.shared && can.has('status')) out.push('se en lägesbild för din nämnd eller enhet');
  return out;
}

const ROLE_PHRASES: Record<Role, (scope: string) => string> = {
  medarbetare: (s) => `medarbetare på ${s}`,
  enhetschef: (s) => `enhetschef för ${s}`,
  samordnare: (s) => `lex Sarah-samordnare för ${s}`,
  chef: (s) => `chef för ${s}`,
  admin: () => 'administratör',
};
/** The most roles the welcome card names; the rest are counted (a person rarely has more). */
export const ROLES_SHOWN = 6;

/** "a, b och c". */
const swedishList = (items: string[]) => (items.length < 2 ? items.join('') : `${items.slice(0, -1).join(', ')} och ${items.at(-1)}`);

/** "Du är medarbetare på Vuxenenheten och chef för Socialnämnden." — so a person sees why the card offers what it does. */
export function rolesLine(roles: readonly RoleView[]): string {
  if (!roles.length) return '';
  const named = roles.slice(0, ROLES_SHOWN).map((r) => ROLE_PHRASES[r.role](r.scopeName ?? 'en enhet som inte finns längre'));
  const rest = roles.length - named.length;
  return `Du är ${swedishList(rest ? [...named, `${rest} roller till`] : named)}.`;
}

/** The personal chat is where most answers are given: said in a group chat or channel. */
export const SHARED_CHAT_NOTE =
  'Här, där fler läser med, svarar jag bara på "hjälp" och "rapportera" (formuläret kommer i vår personliga chatt). Skriv "hjälp" i vår personliga chatt för att se allt du kan göra.';

export function welcomeCard(r: CardRenderer, opts: { municipality: string; firstName?: string; abilities: Abilities }): AdaptiveCard {
  const a = opts.abilities;
  const can = new Set(a.intents);
  return r.render('welcome', {
    greeting: opts.firstName ? `Hej ${opts.firstName}!` : 'Hej!',
    municipality: opts.municipality,
    roles: rolesLine(a.roles),
    note: a.reportingNote ?? '',
    points: points(a).map((text) => ({ text })),
    actions: WELCOME_ACTIONS.filter((w) => can.has(w.intent)).map((w) => ({ title: w.title, command: usageOf(w.intent) })),
  });
}

/** "öppna" for someone who works no case: it opens their own reports. */
export const OPEN_OWN_DESCRIPTION = 'Öppna en av dina egna rapporter och läs den (referensen står i "mina rapporter").';

export function helpCard(r: CardRenderer, intro: string, abilities: Abilities): AdaptiveCard {
  const a = abilities;
  const can = new Set(a.intents);
  return r.render('help', {
    intro,
    note: a.shared ? SHARED_CHAT_NOTE : (a.reportingNote ?? ''),
    commands: COMMANDS.filter((c) => can.has(c.intent)).map((c) => ({
      usage: c.usage,
      description: c.intent === 'open' && !a.caseRights.includes('view-case') ? OPEN_OWN_DESCRIPTION : c.description,
      available: c.available,
    })),
  });
}

export function noticeCard(r: CardRenderer, title: string, text: string): AdaptiveCard {
  return r.render('notice', { title, text });
}
