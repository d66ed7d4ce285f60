/**
 * Test helpers for "user text is inert": which display texts of a rendered card Teams would treat
 * as markdown, and whether a text contains an active link, image or autolinked URL.
 *
 * Two checks, and a text is inert only if both find nothing:
 * - a home-made one that follows CommonMark (backslash escapes) for markdown links, images and
 *   <autolinks>, and a linkify-style autolinker for addresses: a URL scheme followed by "//", a
 *   protocol-relative "//host", "www.", an IPv4 address, a scheme used without "//" (mailto:, tel:,
 *   …), e-mail addresses and host names with a common top-level domain;
 * - linkify-it (the autolinker of markdown-it) with every fuzzy option on (links without a scheme,
 *   e-mail addresses, IP addresses, user:password@).
 * Autolinkers run on the text after markdown has resolved the backslash escapes, so addresses are
 * looked for in the unescaped text. linkify-it treats U+2060 WORD JOINER as a letter inside a host
 * name ("a@\u2060b\u2060.\u2060c" is linked): a joiner only breaks a link where it separates what
 * must be adjacent (scheme and "//", the two slashes, the name and "@", a top-level domain from its
 * dot), which is what plain-text.ts relies on.
 */
import { LinkifyIt } from 'linkify-it';

/** Display texts (TextBlock.text, Fact.title/value, TextRun.text) and input values of a card. */
export function cardStrings(card: unknown): { display: string[]; inputs: Map<string, string> } {
  const display: string[] = [];
  const inputs = new Map<string, string>();
  const walk = (v: unknown, inFacts: boolean): void => {
    if (Array.isArray(v)) return v.forEach((x) => walk(x, inFacts));
    if (!v || typeof v !== 'object') return;
    const o = v as Record<string, unknown>;
    if (inFacts) {
      if (typeof o.title === 'string') display.push(o.title);
      if (typeof o.value === 'string') display.push(o.value);
    }
    if ((o.type === 'TextBlock' || o.type === 'TextRun') && typeof o.text === 'string') display.push(o.text);
    if (typeof o.type === 'string' && o.type.startsWith('Input.') && typeof o.id === 'string' && typeof o.value === 'string') inputs.set(o.id, o.value);
    for (const [k, x] of Object.entries(o)) walk(x, o.type === 'FactSet' && k === 'facts');
  };
  walk(card, false);
  return { display, inputs };
}

/** `text` with each backslash-escaped ASCII punctuation character replaced by a private-use stand-in. */
function maskEscapes(text: string): string {
  return text.replace(/\\([!-/:-@[-`{-~])/g, '\uE000');
}

/** `text` as an autolinker sees it: markdown's backslash escapes resolved (word joiners stay). */
function unescape(text: string): string {
  return text.replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

const TLDS = 'com|se|nu|net|org|io|eu|info|dev|app|example|xyz|biz|co|uk|de|no|dk|fi';
/** Schemes that clients and autolinkers open without "//" (mail, phone, chat, calls, scripts, files). */
const SCHEMES = 'mailto|tel|sms|callto|skype|sip|sips|xmpp|im|msteams|facetime|facetime-audio|geo|maps|magnet|data|javascript|vbscript|file|news|irc|webcal|zoommtg';
/** In a host name linkify-it counts U+2060 as a letter (any character that is not a space, punctuation or a control). */
const HOST = '[\\p{L}\\p{N}\\u2060-]';

const linkify = new LinkifyIt({ fuzzyLink: true, fuzzyEmail: true, fuzzyIP: true, urlAuth: true });

/** What in `text` Teams would render as a link, image or autolinked address (empty when inert). */
export function activeLinks(text: string): string[] {
  const masked = maskEscapes(text);
  const plain = unescape(text);
  const found: string[] = [];
  const add = (what: string, re: RegExp, t = plain) => {
    const m = re.exec(t);
    if (m) found.push(`${what}: ${m[0]}`);
  };
  add('image', /!\[[^\]]*\]\s*[([]/, masked);
  add('markdown link', /\[[^\]]*\]\s*\(/, masked);
  add('reference link', /\[[^\]]*\]\s*\[[^\]]*\]|^\s*\[[^\]]+\]:\s*\S/m, masked);
  add('autolink', /<[a-z][a-z0-9+.-]*:[^\s>]*>|<[^\s@>]+@[^\s>]+>/i, masked);
  add('url', /[a-z][a-z0-9+.-]*:\/\/[^\s]/i);
  add('protocol-relative', /\/\/[^\s/]/);
  add('scheme', new RegExp(`(?<![\\p{L}\\p{N}+.-])(${SCHEMES}):[^\\s\u2060]`, 'iu'));
  add('ip address', /(?<![\d.])\d{1,3}(\.\d{1,3}){3}(?!\d)/);
  add('www', /\bwww\./i);
  add('e-mail', new RegExp(`[\\p{L}\\d._%+-]+@${HOST}+(\\.${HOST}+)*\\.${HOST}{1,}`, 'u'));
  add('host name', new RegExp(`[\\p{L}\\d-]+\\.(${TLDS})(?![\\p{L}\\d])`, 'iu'));
  return [...found, ...linkifyLinks(text)];
}

/** What linkify-it alone links in `text` once markdown has resolved its escapes. */
export function linkifyLinks(text: string): string[] {
  return (linkify.match(unescape(text)) ?? []).map((m) => `linkify-it: ${m.raw}`);
}

/** Whether `token` occurs in `text` with none of its characters escaped (i.e. as active markdown). */
export function occursUnescaped(text: string, token: string): boolean {
  return maskEscapes(text).includes(token);
}
