/**
 * The chat commands and how a message is matched to one. Pure: no I/O, no botbuilder.
 *
 * A command matches only as whole words at the start of the message ("status vecka 47" is status,
 * "statusrapport" is not), so ordinary sentences are not mistaken for commands.
 */

export type Intent = 'help' | 'report' | 'myReports' | 'review' | 'status' | 'compilation' | 'open';

export interface CommandInfo {
  intent: Intent;
  /** What the user types, as shown in help. */
  usage: string;
  /** Swedish description for the help card. */
  description: string;
  /** Phrases that trigger it, lower case; the first is canonical. */
  phrases: string[];
  /** Whether the capability behind it has been built yet; help says so honestly. */
  available: boolean;
}

export const COMMANDS: readonly CommandInfo[] = [
  {
    intent: 'report',
    usage: 'rapportera',
    description: 'Lämna en lex Sarah-rapport om ett missförhållande eller en påtaglig risk.',
    phrases: ['rapportera', 'ny rapport', 'lex sarah'],
    available: true,
  },
  {
    intent: 'myReports',
    usage: 'mina rapporter',
    description: 'Se dina egna rapporter och hur långt de har kommit.',
    phrases: ['mina rapporter'],
    available: true,
  },
  {
    intent: 'open',
    usage: 'öppna LS-2026-0001',
    description: 'Öppna ett lex Sarah-ärende (för enhetschef, samordnare och chef).',
    phrases: ['öppna', 'oppna'],
    available: true,
  },
  {
    intent: 'review',
    usage: 'genomgång',
    description: 'Gör veckogenomgången av öppna utredningar för din enhet.',
    phrases: ['genomgång', 'genomgang', 'veckogenomgång', 'veckogenomgang'],
    available: true,
  },
  {
    intent: 'status',
    usage: 'status',
    description: 'Lägesbild för din nämnd eller enhet (för chefer, samordnare och enhetschefer), t.ex. "status vecka 47" eller "status för Vuxenenheten senaste 30 dagarna".',
    phrases: ['status', 'lägesbild', 'lagesbild', 'sammanfattning', 'hur ligger vi till'],
    available: true,
  },
  {
    intent: 'compilation',
    usage: 'sammanställning',
    description: 'Nämndens sammanställning av lex Sarah-rapporterna (för chef och samordnare), t.ex. "sammanställning 2026" eller "sammanställning förra året", med Excel-fil.',
    phrases: ['sammanställning', 'sammanstallning'],
    available: true,
  },
  {
    intent: 'help',
    usage: 'hjälp',
    description: 'Visa den här listan.',
    phrases: ['hjälp', 'hjalp', 'help', 'kommandon', 'meny', '?'],
    available: true,
  },
];

export interface ParsedCommand {
  intent: Intent;
  /** The rest of the message after the command words, normalised; empty when none. */
  args: string;
}

/**
 * Cleans a chat message: drops Teams' <at>mention</at> markup and other tags, decodes the
 * entities Teams uses, folds white space and lower-cases (Swedish rules).
 */
export function normaliseMessage(text: string): string {
  return text
    .replace(/<at>[^<]*<\/at>/gi, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&nbsp;/gi, ' ')
    .replace(/&amp;/gi, '&')
    .replace(/[\u00a0\s]+/g, ' ')
    .trim()
    .toLocaleLowerCase('sv-SE')
    .replace(/^[/!]+/, '')
    .replace(/[.!]+$/, '')
    .trim();
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// Longest phrases first so "mina rapporter" is never cut short by a shorter phrase.
const MATCHERS = COMMANDS.flatMap((c) => c.phrases.map((p) => ({ intent: c.intent, phrase: p })))
  .sort((a, b) => b.phrase.length - a.phrase.length)
  .map(({ intent, phrase }) => ({
    intent,
    // Whole words: the phrase, then the end or white space. "?" stands alone.
    re: new RegExp(`^${escape(phrase)}(?:\\s+(.*))?\\??$`, 'u'),
  }));

export function parseCommand(text: string | undefined): ParsedCommand | undefined {
  if (!text) return undefined;
  const msg = normaliseMessage(text);
  if (!msg) return undefined;
  for (const m of MATCHERS) {
    const hit = m.re.exec(msg);
    if (hit) return { intent: m.intent, args: (hit[1] ?? '').trim() };
  }
  return undefined;
}

export function commandInfo(intent: Intent): CommandInfo {
  const info = COMMANDS.find((c) => c.intent === intent);
  if (!info) throw new Error(`unknown intent ${intent}`);
  return info;
}
