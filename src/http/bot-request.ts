/**
 * One Bot Framework request from the edge's point of view: authenticate, run the turn, and tell
 * apart "we do not know who sent this" (401, nothing ran) from "our turn failed" (500).
 *
 * botbuilder's CloudAdapter.process() answers 401 only for its own AuthenticationError; any other
 * failure while checking the token (the OpenID metadata unreachable, a token its JWT library
 * cannot read) becomes a 500 carrying the error text, and every refusal is printed with
 * console.error. So the edge calls the adapter's processActivity() itself: whatever fails before
 * the turn's logic starts means the request was not authenticated. Fail closed, and bounded in
 * time: a token check stuck on the network answers 401 after `authTimeoutMs`, and the turn never
 * runs even if the check completes later.
 */

import { envelopeProblems } from './activity-envelope';

/** The part of botbuilder's CloudAdapter the edge uses (CloudAdapterBase.processActivity). */
export interface ActivityProcessor<Context> {
  processActivity(
    authHeader: string,
    activity: Record<string, unknown>,
    logic: (context: Context) => Promise<void>,
  ): Promise<{ status: number; body?: unknown } | undefined>;
}

/** The request could not be authenticated; `reason` is for the operator's log, never the client. */
export class Unauthenticated extends Error {
  constructor(readonly reason: string) {
    super(`not authenticated: ${reason}`);
    this.name = 'Unauthenticated';
  }
}

export interface BotRequest {
  /** The parsed JSON body (an object). */
  activity: Record<string, unknown>;
  authorization: string;
}

/** Default bound on the token check, well under the Bot Framework's 15 s request timeout. */
export const AUTH_TIMEOUT_MS = 8000;

/**
 * The dates botbuilder's CloudAdapter.process() converts before a turn (validateAndFixActivity),
 * so the turn sees the same activity as it did through process().
 */
function fixDates(activity: Record<string, unknown>): Record<string, unknown> {
  const a = { ...activity };
  for (const [field, raw] of [['timestamp', 'rawTimestamp'], ['expiration', 'rawExpiration'], ['localTimestamp', 'rawLocalTimestamp']] as const) {
    const v = a[field];
    if (typeof v === 'string') {
      a[raw] = v;
      a[field] = new Date(v);
    }
  }
  return a;
}

const short = (err: unknown) => {
  const e = err as { name?: unknown; message?: unknown };
  const text = `${typeof e?.name === 'string' ? e.name : 'Error'}: ${typeof e?.message === 'string' ? e.message : String(err)}`;
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
};

/**
 * Runs the turn for an authenticated request and returns what to answer (the invoke or
 * expectReplies response, else 200; 400 for a body that is not an activity). Throws Unauthenticated when the request was not
 * authenticated; any other error is the turn's own failure.
 */
export async function runBotRequest<Context>(
  adapter: ActivityProcessor<Context>,
  onTurn: (context: Context) => Promise<void>,
  req: BotRequest,
  authTimeoutMs: number = AUTH_TIMEOUT_MS,
): Promise<{ status: number; body?: unknown }> {
  // A malformed envelope is the client's mistake, answered before any of it is read.
  const problems = envelopeProblems(req.activity);
  if (problems) return { status: 400, body: { error: 'bad request', fields: problems } };
  let started = false;
  let abandoned = false;
  let timer: NodeJS.Timeout | undefined;
  const logic = async (context: Context) => {
    if (abandoned) return;
    started = true;
    if (timer) clearTimeout(timer);
    await onTurn(context);
  };
  const run = adapter.processActivity(req.authorization, fixDates(req.activity), logic);
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      if (started) return;
      abandoned = true;
      reject(new Unauthenticated(`the token could not be checked within ${authTimeoutMs} ms`));
    }, authTimeoutMs);
    timer.unref();
  });
  try {
    const result = await Promise.race([run, timeout]);
    return { status: result?.status ?? 200, ...(result?.body !== undefined ? { body: result.body } : {}) };
  } catch (err) {
    if (err instanceof Unauthenticated) {
      run.catch(() => undefined);
      throw err;
    }
    if (!started) throw new Unauthenticated(short(err));
    throw err;
  } finally {
    if (timer) clearTimeout(timer);
  }
}
