/**
 * Makes text that people typed inert where a card displays it: Teams renders a markdown subset in
 * TextBlock.text and Fact.title/value (bold, italic, links, lists, headings) and turns bare URLs,
 * domains and e-mail addresses into links. A rapportör's "[Verifiera ditt konto](https://…)" must
 * reach the chef as those characters, not as a link.
 *
 * Two techniques, because one is not enough:
 * - Backslash escapes (CommonMark) for every character that can start markdown syntax. Teams
 *   desktop/web honour them and show the bare character; where a client does not, the backslash
 *   shows, which is ugly but still inert. Characters are escaped only where they can start syntax
 *   (list and heading markers only at a line start, `&` only before an entity) so ordinary Swedish
 *   text is unchanged.
 * - U+2060 WORD JOINER (invisible, not a space, so lines do not break there) against the
 *   autolinker. Autolinkers such as linkify-it count a joiner as a letter inside a host name, so
 *   it only helps where it separates characters that must be adjacent: after a scheme's ":"
 *   ("https:", "mailto:", "tel:"), between two slashes (protocol-relative "//host"),
 *   before "@" (no name is directly before it), and around a "." followed by a letter
 *   or in a dotted IPv4 address (no "www.", no known top-level domain, no IP address is left).
 *   Escapes cannot do this: autolinking works on the text after the escapes are resolved.
 *
 * Input values (Input.Text value), action data, ids and labels are never markdown: they keep the
 * literal text, which is why the renderer applies this only to the display properties (see
 * render.ts) and never to the data as a whole.
 */

export const WORD_JOINER = '\u2060';

// C0/C1 controls (except tab and newline) cannot be shown; bidi overrides can disguise a link's text.
const CONTROLS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
const INVISIBLE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069]/g;

/** Without control characters (tab, newline and carriage return stay): for every string on a card. */
export const stripControls = (text: string): string => text.replace(CONTROLS, '');
const ALWAYS = /[\\`*_~[\]<>|]/g;

/** A dotted IPv4 address (markdown may have escaped a dot, as in "1\\.2.3.4" at a line start). */
const IPV4 = /(?<![\d.])\d{1,3}(?:\\?\.\d{1,3}){3}(?!\d)/g;

/** Breaks autolinking of URLs, domains, IP and e-mail addresses without visible change. Idempotent. */
export function breakLinks(text: string): string {
  return text
    .replace(/:(?=[/\\])/g, `:${WORD_JOINER}`)
    // A scheme-like word ("mailto:", "tel:", "javascript:") directly followed by its target.
    .replace(/(?<![\p{L}\p{N}+.-])([A-Za-z][A-Za-z0-9+.-]*):(?=[^\s\u2060])/gu, `$1:${WORD_JOINER}`)
    // Only slashes: a joiner between two backslashes would undo an escape ("\\\\" shows "\\").
    .replace(/\/(?=\/)/g, `/${WORD_JOINER}`)
    // Before "@", not after: every autolinker needs the name right before it, and one joiner is cheaper.
    .replace(/(?<=[^\s\u2060])@/g, `${WORD_JOINER}@`)
    .replace(IPV4, (ip) => ip.replace(/\\?\./g, (dot) => `${WORD_JOINER}${dot}${WORD_JOINER}`))
    .replace(/(?<!\u2060)\.(?=\p{L})/gu, `${WORD_JOINER}.${WORD_JOINER}`);
}

/**
 * For TextRun, which Teams does not render as markdown (escapes would show): only links are broken,
 * and "](" so that no client that does parse it finds a link.
 */
export function inertRun(text: string): string {
  return breakLinks(text).replace(/\](?=[([:])/g, `]${WORD_JOINER}`);
}

/** Escapes markdown so that Teams shows `text` as typed. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(ALWAYS, (c) => `\\${c}`)
    .replace(/&(?=#?[A-Za-z0-9]+;)/g, '\\&')
    .replace(/\{(?=\{)/g, `{${WORD_JOINER}`) // Teams' {{DATE(…)}} / {{TIME(…)}} text functions
    .replace(/^([ \t]*)([#+=-])/gm, '$1\\$2')
    .replace(/^([ \t]*\d+)([.)])/gm, '$1\\$2');
}

/**
 * Where some rule below could act: a character that is always escaped, removed or changed, or a
 * pattern that starts a rule's match (each alternative covers one rule: an entity, "{{", a line
 * start marker, a colon before a slash, a scheme before its target, "//", "@" after a name, a
 * dotted number, a dot before a letter). Text without any (most names, labels, rule-written warnings, "kl. 10:30", "3 kap. 2 §")
 * comes out of the rules unchanged, so it is returned as it is: the rules were a fifth of a card's
 * rendering. A rule only sees what the rules before it left, and changes it only where one of
 * these matched. test/cards/plain-text.test.ts checks the shortcut against the rules on random text.
 */
const ANY_RULE = /[\r\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u202A-\u202E\u2066-\u2069\\`*_~[\]<>|]|&#?[A-Za-z0-9]+;|\{\{|^[ \t]*(?:[#+=-]|\d+[.)])|:[/\\]|(?<![\p{L}\p{N}+.-])[A-Za-z][A-Za-z0-9+.-]*:[^\s\u2060]|\/\/|[^\s\u2060]@|\d\.\d|\.\p{L}/mu;

/** Whether inertText might change `text`; when not, neither does stripControls (its characters are among these). */
export function mayNeedInertRules(text: string): boolean {
  return ANY_RULE.test(text);
}

/** Text from users (or from any data) made inert for a markdown display property. */
export function inertText(text: string): string {
  return ANY_RULE.test(text) ? applyInertRules(text) : text;
}

/** inertText without its shortcut: exported for the test that holds the two equal. */
export function applyInertRules(text: string): string {
  const out = breakLinks(escapeMarkdown(text.replace(/\r\n?/g, '\n').replace(INVISIBLE, '')));
  // Never text into nothing: templates test "!= ''", and both expansions must agree (render.ts).
  return out === '' && text !== '' ? WORD_JOINER : out;
}

/** What a person sees of inert text: the escapes and joiners removed (used by tests and for measuring). */
export function visibleText(inert: string): string {
  return inert.replace(/\\([!-/:-@[-`{-~])/g, '$1').replaceAll(WORD_JOINER, '');
}

/**
 * Cuts `text` to at most `max` characters (code points) plus a note saying how much is left out,
 * so that a shortened text is never mistaken for the whole.
 */
export function shorten(text: string, max: number): string {
  const chars = [...text];
  if (chars.length <= max) return text;
  const keep = Math.max(0, max);
  return `${chars.slice(0, keep).join('').trimEnd()} … (förkortad, ${chars.length - keep} tecken till)`;
}
