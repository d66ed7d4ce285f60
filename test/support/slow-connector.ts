/**
 * A local Bot Connector that behaves like a busy Teams: every answer takes `latencyMs`, and a
 * share of the requests is refused with 429 and `Retry-After: 1`. It records when each request
 * arrived (per tenant, for the 50-per-second limit) and every card it accepted, per conversation,
 * so benchmarks and process tests can count duplicates, losses and the busiest second.
 *
 * Based on fake-connector.ts, which stays the simple one for unit-level tests.
 */
import http from 'node:http';

export interface SlowConnectorOptions {
  /** How long every answer takes (default 100 ms). */
  latencyMs?: number;
  /** Share of POSTs answered 429 with Retry-After: 1 (0..1, default 0). */
  throttleShare?: number;
  /** Seed for the choice of throttled requests, so runs are comparable (default 1). */
  seed?: number;
}

export interface Delivered {
  conversationId: string;
  tenantId: string;
  /** The Adaptive Card content(s) of the activity, as posted. */
  cards: unknown[];
  /** The card JSON as text, for matching markers such as a report reference. */
  text: string;
  at: number;
}

export interface SlowConnector {
  url: string;
  /** Arrival times (ms since epoch) of every request, answered or refused, per tenant. */
  arrivals: Map<string, number[]>;
  /** Every POST answered 201: what reached the person. */
  delivered: Delivered[];
  /** Every PUT answered 200 (a message updated in place, e.g. a receipt). */
  updated: Delivered[];
  /** Requests answered 429. */
  throttled: number;
  /** Requests received and not yet answered. */
  inFlight: number;
  /** The most requests of one tenant in any sliding window of `windowMs` (default 1 s). */
  maxInWindow(tenantId?: string, windowMs?: number): number;
  /** Conversations that received the same card text more than once, with the extra copies counted. */
  duplicates(match?: (d: Delivered) => boolean): { conversations: number; extraCopies: number };
  close(): Promise<void>;
}

/** The most events in any window [t, t + windowMs), and the first event of that window. */
export function busiestWindow(times: readonly number[], windowMs = 1000): { count: number; start: number } {
  const sorted = [...times].sort((a, b) => a - b);
  let best = { count: 0, start: NaN };
  let lo = 0;
  for (let hi = 0; hi < sorted.length; hi++) {
    while (sorted[hi]! - sorted[lo]! >= windowMs) lo++;
    if (hi - lo + 1 > best.count) best = { count: hi - lo + 1, start: sorted[lo]! };
  }
  return best;
}

export function maxInSlidingWindow(times: readonly number[], windowMs = 1000): number {
  return busiestWindow(times, windowMs).count;
}

/** mulberry32: small, deterministic. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export async function startSlowConnector(options: SlowConnectorOptions = {}): Promise<SlowConnector> {
  const latencyMs = options.latencyMs ?? 100;
  const throttleShare = options.throttleShare ?? 0;
  const random = prng(options.seed ?? 1);
  let n = 0;
  const self: SlowConnector = {
    url: '',
    arrivals: new Map(),
    delivered: [],
    updated: [],
    throttled: 0,
    inFlight: 0,
    maxInWindow(tenantId, windowMs = 1000) {
      const lists = tenantId ? [self.arrivals.get(tenantId) ?? []] : [...self.arrivals.values()];
      return Math.max(0, ...lists.map((l) => maxInSlidingWindow(l, windowMs)));
    },
    duplicates(match = () => true) {
      const seen = new Map<string, number>();
      for (const d of self.delivered.filter(match)) {
        const k = `${d.conversationId}\u0000${d.text}`;
        seen.set(k, (seen.get(k) ?? 0) + 1);
      }
      let conversations = 0;
      let extraCopies = 0;
      for (const c of seen.values()) {
        if (c > 1) {
          conversations++;
          extraCopies += c - 1;
        }
      }
      return { conversations, extraCopies };
    },
    close: () => new Promise((r) => server.close(() => r())),
  };

  const reply = (res: http.ServerResponse, status: number, body?: unknown, headers: Record<string, string> = {}) => {
    for (const [k, v] of Object.entries(headers)) res.setHeader(k, v);
    res.statusCode = status;
    if (body !== undefined) res.setHeader('content-type', 'application/json');
    res.end(body === undefined ? undefined : JSON.stringify(body));
  };

  const server = http.createServer((req, res) => {
    const arrived = Date.now();
    self.inFlight++;
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      let activity: { conversation?: { tenantId?: string }; channelData?: { tenant?: { id?: string } }; attachments?: { content?: unknown }[] } = {};
      try {
        activity = body ? JSON.parse(body) : {};
      } catch {
        activity = {};
      }
      const tenantId = activity.conversation?.tenantId ?? activity.channelData?.tenant?.id ?? 'unknown';
      const list = self.arrivals.get(tenantId) ?? [];
      list.push(arrived);
      self.arrivals.set(tenantId, list);
      const m = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/?]+))?/.exec(req.url ?? '');
      const throttle = req.method === 'POST' && !!m && random() < throttleShare;
      setTimeout(() => {
        self.inFlight--;
        if (!m || (req.method !== 'POST' && req.method !== 'PUT')) return reply(res, 404);
        if (throttle) {
          self.throttled++;
          return reply(res, 429, { error: { code: 'TooManyRequests', message: 'throttled' } }, { 'retry-after': '1' });
        }
        const cards = (activity.attachments ?? []).map((a) => a.content);
        const record: Delivered = { conversationId: decodeURIComponent(m[1]!), tenantId, cards, text: JSON.stringify(cards), at: Date.now() };
        if (req.method === 'PUT' && m[2]) {
          self.updated.push(record);
          return reply(res, 200, { id: decodeURIComponent(m[2]) });
        }
        self.delivered.push(record);
        return reply(res, 201, { id: `slow-${++n}` });
      }, latencyMs);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  self.url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`;
  return self;
}
