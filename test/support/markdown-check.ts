/**
 * Test helpers for "user text is inert": which display texts of a rendered card Teams would treat
 * as markdown, and whether a text contains an active link, image or autolinked URL.
 *
 * The check follows CommonMark (backslash escapes) and a linkify-style autolinker: a URL scheme
 * followed by "//", "www.", e-mail addresses and host names with a common top-level domain. A
 * U+2060 WORD JOINER inside any of those breaks them, which is what plain-text.ts relies on.
 */

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

const TLDS = 'com|se|nu|net|org|io|eu|info|dev|app|example|xyz|biz|co|uk|de|no|dk|fi';

/** What in `text` Teams would render as a link, image or autolinked address (empty when inert). */
export function activeLinks(text: string): string[] {
  const t = maskEscapes(text);
  const found: string[] = [];
  const add = (what: string, re: RegExp) => {
    const m = re.exec(t);
    if (m) found.push(`${what}: ${m[0]}`);
  };
  add('image', /!\[[^\]]*\]\s*[([]/);
  add('markdown link', /\[[^\]]*\]\s*\(/);
  add('reference link', /\[[^\]]*\]\s*\[[^\]]*\]|^\s*\[[^\]]+\]:\s*\S/m);
  add('autolink', /<[a-z][a-z0-9+.-]*:[^\s>]*>|<[^\s@>]+@[^\s>]+>/i);
  add('url', /[a-z][a-z0-9+.-]*:\/\/[^\s]/i);
  add('www', /\bwww\./i);
  add('e-mail', /[\p{L}\d._%+-]+@[\p{L}\d-]+(\.[\p{L}\d-]+)*\.[\p{L}]{2,}/u);
  add('host name', new RegExp(`[\\p{L}\\d-]+\\.(${TLDS})(?![\\p{L}\\d])`, 'iu'));
  return found;
}

/** Whether `token` occurs in `text` with none of its characters escaped (i.e. as active markdown). */
export function occursUnescaped(text: string, token: string): boolean {
  return maskEscapes(text).includes(token);
}
