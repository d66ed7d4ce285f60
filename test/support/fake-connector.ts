/**
 * A local stand-in for the Bot Connector service, so proactive sends can be tested for real over
 * HTTP: it records what the bot posts and can answer with Teams' refusals.
 */
import http from 'node:http';

export interface Posted {
  conversationId: string;
  activity: { type: string; text?: string; attachments?: { contentType: string; content: unknown }[] };
}

export interface FakeConnector {
  url: string;
  posted: Posted[];
  /** Status to answer for a conversation id, every time (default 201). */
  failWith: Map<string, { status: number; code: string }>;
  /** Answers for updates of a message (PUT), by conversation id. */
  failUpdatesWith: Map<string, { status: number; code: string }>;
  /** Activities replaced in place (PUT), e.g. a review card updated for everyone. */
  updated: { conversationId: string; activityId: string; activity: Posted['activity'] }[];
  /** Answers to give, in order, before behaving normally (e.g. a 429 with Retry-After, then success). */
  script: Map<string, { status: number; code: string; retryAfter?: string }[]>;
  /** Requests received per conversation id, answered or not. */
  requests: Map<string, number>;
  /** When each request arrived (ms), per conversation id. */
  times: Map<string, number[]>;
  close(): Promise<void>;
}

export interface FakeConnectorOptions {
  /** Waits this long before answering each request, like a slow Teams (default: answers at once). */
  latencyMs?: number;
}

export async function startFakeConnector(options: FakeConnectorOptions = {}): Promise<FakeConnector> {
  const latencyMs = options.latencyMs ?? 0;
  const posted: Posted[] = [];
  const updated: FakeConnector['updated'] = [];
  const failWith = new Map<string, { status: number; code: string }>();
  const failUpdatesWith = new Map<string, { status: number; code: string }>();
  const script = new Map<string, { status: number; code: string; retryAfter?: string }[]>();
  const requests = new Map<string, number>();
  const times = new Map<string, number[]>();
  let n = 0;
  // Separate writeHead and end calls: restify patches http.ServerResponse, and its writeHead does not return `this`.
  const answer = (res: http.ServerResponse, status: number, body?: unknown) => {
    res.statusCode = status;
    if (body !== undefined) res.setHeader('content-type', 'application/json');
    res.end(body === undefined ? undefined : JSON.stringify(body));
  };
  const reply = latencyMs > 0 ? (res: http.ServerResponse, status: number, body?: unknown) => void setTimeout(() => answer(res, status, body), latencyMs) : answer;
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      const m = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/?]+))?/.exec(req.url ?? '');
      const updateFailure = req.method === 'PUT' && m?.[2] ? failUpdatesWith.get(decodeURIComponent(m[1]!)) : undefined;
      if (updateFailure) {
        reply(res, updateFailure.status, { error: { code: updateFailure.code, message: updateFailure.code } });
        return;
      }
      if (req.method === 'PUT' && m?.[2]) {
        // updateActivity: a card replaced in place (Action.Execute with refresh)
        updated.push({ conversationId: decodeURIComponent(m[1]!), activityId: decodeURIComponent(m[2]), activity: JSON.parse(body) });
        reply(res, 200, { id: decodeURIComponent(m[2]) });
        return;
      }
      if (req.method !== 'POST' || !m) {
        reply(res, 404);
        return;
      }
      const conversationId = decodeURIComponent(m[1]!);
      requests.set(conversationId, (requests.get(conversationId) ?? 0) + 1);
      times.set(conversationId, [...(times.get(conversationId) ?? []), Date.now()]);
      const next = script.get(conversationId)?.shift();
      if (next) {
        if (next.retryAfter) res.setHeader('retry-after', next.retryAfter);
        reply(res, next.status, { error: { code: next.code, message: next.code } });
        return;
      }
      const fail = failWith.get(conversationId);
      if (fail) {
        reply(res, fail.status, { error: { code: fail.code, message: fail.code } });
        return;
      }
      posted.push({ conversationId, activity: JSON.parse(body) });
      reply(res, 201, { id: `posted-${++n}` });
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    posted,
    updated,
    failWith,
    failUpdatesWith,
    script,
    requests,
    times,
    close: () => new Promise((r) => server.close(() => r())),
  };
}
