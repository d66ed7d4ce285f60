/**
 * What counts as a failure for one fuzz request, as short signatures: two requests with the
 * same signature hit the same bug, so the report lists each signature once with its smallest
 * reproducer.
 */
import type { LogLine } from './child-bot';
import { VERBS } from './generators';
import type { RawResponse } from './raw-http';

const ACTIVITY_TYPES = ['message', 'invoke', 'installationUpdate', 'conversationUpdate', 'event', 'messageReaction', 'typing', 'endOfConversation', 'messageUpdate', 'messageDelete', 'trace', 'handoff'];

/** Answers a hostile request may get: refusals, and success for what the bot can handle. */
export const ALLOWED_STATUS = new Set([200, 201, 202, 204, 400, 401, 403, 404, 405, 406, 411, 413, 415, 422]);

/**
 * 5xx answers that are documented as intended (path, status, invoke names they never cover, why).
 * Add an entry only together with the documentation that explains it to an operator.
 */
export const DOCUMENTED_5XX: readonly { path: string; status: number; notForInvokes: readonly string[]; why: string }[] = [
  {
    path: '/api/messages',
    status: 501,
    // A card button must always be answered: Teams shows a 501 as an error on the card.
    notForInvokes: ['adaptiveCard/action'],
    why: 'an invoke the app does not offer (task/fetch, composeExtension/query, …): the manifest declares none, so Teams never sends them (README, "What the edge accepts and refuses")',
  },
];

/** Each request must be answered within this time (Teams gives a bot about 15 s for an invoke). */
export const MAX_REQUEST_MS = 5000;

/** Invoke names Teams may send; others are folded into one signature. */
const KNOWN_INVOKES = ['adaptiveCard/action', 'composeExtension/query', 'task/fetch', 'task/submit', 'signin/verifyState', 'config/fetch', 'fileConsent/invoke', 'actionableMessage/executeAction', 'healthCheck'];

/** The apology the bot sends when a turn threw (src/bot/bot.ts onTurnError). */
const APOLOGY = 'Något gick fel hos mig';

export interface Sent {
  path: string;
  /** The activity as sent, when the body was one (JSON). */
  activity?: unknown;
  bodyBytes: number;
}

function field(o: unknown, key: string): unknown {
  return o && typeof o === 'object' && Object.prototype.hasOwnProperty.call(o, key) ? (o as Record<string, unknown>)[key] : undefined;
}

/** Digits and quoted parts vary between occurrences of one bug: fold them. */
export function normalise(message: string): string {
  return message
    .replace(/^Error .* occurred in serializing the payload - /s, 'Error … occurred in serializing the payload - ')
    .replace(/"[^"]{0,200}"|'[^']{0,200}'/g, '…')
    .replace(/\d+/g, 'N')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 160);
}

/** The activity's shape in a few words: type, invoke name and verb. */
export function shapeOf(activity: unknown): string {
  const known = (v: unknown, list: readonly string[], what: string) => (typeof v === 'string' && list.includes(v) ? v : v === undefined ? undefined : `(other ${what})`);
  const type = known(field(activity, 'type'), ACTIVITY_TYPES, 'type') ?? '(no type)';
  const name = known(field(activity, 'name'), KNOWN_INVOKES, 'name');
  const verb = known(field(field(field(activity, 'value'), 'action'), 'verb'), VERBS, 'verb');
  return [type, name, verb].filter(Boolean).join(' ');
}

/** The error-level lines of a failed turn or request, as signatures. */
export function errorLogSignatures(lines: readonly LogLine[]): string[] {
  return lines
    .filter((l) => l.level >= 50)
    // A reply to a serviceUrl that refuses (the fuzz sends a few on purpose) fails for a reason outside the bot.
    .filter((l) => !/ECONNREFUSED/.test(l.err?.message ?? ''))
    .map((l) => `log ${l.level >= 60 ? 'fatal' : 'error'} "${l.msg ?? ''}": ${l.err ? `${l.err.type ?? 'Error'}: ${normalise(l.err.message ?? '')}` : normalise(JSON.stringify(l).slice(0, 200))}`);
}

function invokeLabel(activity: unknown): string {
  const name = field(activity, 'name');
  return `invoke "${typeof name === 'string' && KNOWN_INVOKES.includes(name) ? name : '(another name)'}"`;
}

/** Why an invoke got no answer: no route for it, or a route whose handler failed. */
function invokeWhy(activity: unknown): string {
  const name = field(activity, 'name');
  if (name !== 'adaptiveCard/action') return 'no handler for this invoke';
  const action = field(field(activity, 'value'), 'action');
  const verb = field(action, 'verb');
  const routed = field(action, 'type') === 'Action.Execute' && typeof verb === 'string' && VERBS.includes(verb);
  return routed ? 'its handler failed (see "turn failed")' : 'no handler for this action type or verb';
}

/** Problems visible in the answer itself. */
export function responseSignatures(sent: Sent, res: RawResponse, opts: { maxBodyBytes: number; connectorUrl: string; maxMs?: number }): string[] {
  const maxMs = opts.maxMs ?? MAX_REQUEST_MS;
  const out: string[] = [];
  const where = sent.path.split('?')[0];
  const shape = sent.activity === undefined ? '' : ` [${shapeOf(sent.activity)}]`;
  if (res.status === 0) {
    // The server may close the connection on a body over the limit while it is still being sent.
    if (!(sent.bodyBytes > opts.maxBodyBytes && /ECONNRESET|EPIPE|socket hang up/.test(res.error ?? ''))) out.push(`no HTTP answer on ${where}: ${normalise(res.error ?? '')}`);
  } else if (!ALLOWED_STATUS.has(res.status) && !DOCUMENTED_5XX.some((d) => d.path === where && d.status === res.status && !d.notForInvokes.includes(String(field(sent.activity, 'name'))))) {
    if (res.status === 501 && field(sent.activity, 'type') === 'invoke') out.push(`${invokeLabel(sent.activity)} answered HTTP 501 (Teams shows an error): ${invokeWhy(sent.activity)}`);
    else out.push(`HTTP ${res.status} on ${where}${shape}: ${normalise(res.body.slice(0, 300))}`);
  }
  // Replies sent to an address that refuses are retried by the connector client: slow for a reason outside the bot.
  const unreachable = field(sent.activity, 'deliveryMode') !== 'expectReplies' && field(sent.activity, 'serviceUrl') !== opts.connectorUrl;
  if (res.ms > maxMs && !(sent.activity !== undefined && unreachable)) out.push(`slower than ${maxMs} ms on ${where}${shape}`);
  if (res.status === 200 && where === '/api/messages' && sent.activity !== undefined) {
    let parsed: unknown;
    try {
      parsed = res.body ? JSON.parse(res.body) : undefined;
    } catch {
      parsed = undefined;
    }
    const replies = field(parsed, 'activities');
    const list = Array.isArray(replies) ? (replies as unknown[]) : [];
    if (res.body.includes(APOLOGY)) out.push('the bot apologised for a failed turn (see the "turn failed" log lines for why)');
    const isInvoke = field(sent.activity, 'type') === 'invoke';
    if (isInvoke && field(sent.activity, 'deliveryMode') === 'expectReplies' && typeof field(sent.activity, 'name') === 'string') {
      const answer = list.find((a) => field(a, 'type') === 'invokeResponse');
      const status = field(field(answer, 'value'), 'status');
      // With normal delivery (what Teams uses) a missing invoke response is HTTP 501: Teams shows an error.
      const documented501 = DOCUMENTED_5XX.some((d) => d.path === where && d.status === 501 && !d.notForInvokes.includes(String(field(sent.activity, 'name'))));
      if (!answer && !documented501) out.push(`${invokeLabel(sent.activity)} got no invoke response (HTTP 501 in Teams): ${invokeWhy(sent.activity)}`);
      else if (typeof status === 'number' && !ALLOWED_STATUS.has(status)) out.push(`${invokeLabel(sent.activity)} answered ${status}`);
    }
  }
  return out;
}
