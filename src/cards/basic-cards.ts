/** The conversation-basics cards: welcome, help and short notices. */
import { COMMANDS, type Intent } from '../commands/commands';
import type { AdaptiveCard, CardRenderer } from './render';

export const WELCOME_ACTIONS: { title: string; intent: Intent }[] = [
  { title: 'Lämna en rapport', intent: 'report' },
  { title: 'Mina rapporter', intent: 'myReports' },
  { title: 'Veckogenomgång', intent: 'review' },
  { title: 'Lägesbild', intent: 'status' },
  { title: 'Hjälp', intent: 'help' },
];

const usageOf = (intent: Intent) => COMMANDS.find((c) => c.intent === intent)!.phrases[0]!;

export function welcomeCard(r: CardRenderer, opts: { municipality: string; firstName?: string }): AdaptiveCard {
  return r.render('welcome', {
    greeting: opts.firstName ? `Hej ${opts.firstName}!` : 'Hej!',
    municipality: opts.municipality,
    actions: WELCOME_ACTIONS.map((a) => ({ title: a.title, command: usageOf(a.intent) })),
  });
}

export function helpCard(r: CardRenderer, intro = ''): AdaptiveCard {
  return r.render('help', {
    intro,
    commands: COMMANDS.map((c) => ({ usage: c.usage, description: c.description, available: c.available })),
  });
}

export function noticeCard(r: CardRenderer, title: string, text: string): AdaptiveCard {
  return r.render('notice', { title, text });
}
