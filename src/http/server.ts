/**
 * The HTTP surface: /api/messages for the Bot Framework, /healthz and /readyz for the platform.
 * Tracks connections and requests in flight so shutdown can drain instead of resetting: see drain().
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { STATUS_CODES, type IncomingMessage, type Server as NodeServer, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import restify, { type Request, type Response } from 'restify';
import { decodeCsvBytes, declaredEncoding } from '../casework/decode';
import type { Logger } from '../log/logger';
import type { StoreHealth } from '../store/store';
import { contentEncoding, parseMediaType, readBody } from './body';
import { Unauthenticated } from './bot-request';

export interface HttpDeps {
  logger: Logger;
  maxBodyBytes: number;
  /** Bot Framework authentication is on (BOT_ID set): a request without a bearer token is refused unread. */
  authRequired: boolean;
  /** The nightly casework push; the route exists only when an API key is configured. */
  casework?: {
    apiKey: string;
    maxBytes: number;
    import(input: { source: string; full: boolean; csv: string }): Promise<{ status: number; body: object }>;
  };
  /**
   * Handles one Bot Framework request. `req.body` is the parsed JSON object (answer 400 when it
   * is not an activity). What it writes to `res` is what the client gets, except that a 401 or an
   * error status never carries the handler's text. Throwing Unauthenticated answers 401.
   */
  processMessage(req: Request & { body: Record<string, unknown> }, res: BotResponse): Promise<void>;
  health(): Promise<StoreHealth>;
  /** One-time file downloads (the sammanställning's Excel file): the token is the whole authorisation. */
  exports?: { download(token: string): Promise<{ status: 200; filename: string; bytes: Buffer } | { status: number; message: string }> };
}

/** The response a message handler writes to (the shape botbuilder's CloudAdapter writes to). */
export interface BotResponse {
  socket: unknown;
  status(code: number): unknown;
  header(name: string, value: unknown): unknown;
  /** `send(body)` or, restify style, `send(status, body)`. */
  send(...args: unknown[]): unknown;
  end(...args: unknown[]): unknown;
}

/** Collects what a handler answers, so the edge decides what goes on the wire. */
class CapturedResponse implements BotResponse {
  readonly socket = null;
  statusCode = 200;
  body: unknown = undefined;
  status(code: number) {
    this.statusCode = code;
    return this;
  }
  header() {
    return this;
  }
  send(...args: unknown[]) {
    if (typeof args[0] === 'number') {
      this.statusCode = args[0];
      this.body = args[1];
    } else this.body = args[0];
    return this;
  }
  end() {
    return this;
  }
}

/** A short, fixed error text for a status: never the handler's own message. */
/** 501 is the adapter's answer to an invoke the app does not offer (none is declared in the manifest), not a failure. */
const errorText = (status: number) => (status === 501 ? 'unsupported invoke' : status >= 500 ? 'internal error' : (STATUS_CODES[status] ?? 'request refused').toLowerCase());

export const HEADERS_TIMEOUT_MS = 10_000;
export const REQUEST_TIMEOUT_MS = 60_000;
export const MAX_CONNECTIONS = 2_000;

const ROUTES = new Set(['/api/messages', '/api/casework/import', '/healthz', '/readyz']);
const EXPORTS = '/api/exports/';
/** The route for the log: one of ours, never a path the client made up (it is the client's text), never a download's token. */
const routeOf = (req: Request): string => (ROUTES.has(req.path()) ? req.path() : req.path().startsWith(EXPORTS) ? `${EXPORTS}:token` : '(other)');

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
/**
 * JSON may escape half a surrogate pair ("\ud800"), which no text can hold: stored, it is invalid
 * UTF-8 in the database. Replaced by U+FFFD as the body is parsed, like any undecodable character.
 */
const wellFormed = (_key: string, value: unknown): unknown =>
  typeof value === 'string' && /[\ud800-\udfff]/.test(value) ? value.replace(LONE_SURROGATE, '\ufffd') : value;

const JSON_TYPE = 'application/json';
const CSV_TYPE = 'text/csv';

/** What a drain did with the requests it found and those that came during it. */
export interface DrainResult {
  /** Requests running when the drain began (or admitted just before) that finished in time. */
  finished: number;
  /** Requests still running at the deadline: answered 503 if nothing had been sent yet, then closed. */
  cut: number;
  /** Requests that arrived during the drain, answered 503 with Retry-After and not processed. */
  refused: number;
}

/** Seconds a client is told to wait before retrying a request refused while shutting down. */
export const SHUTDOWN_RETRY_AFTER_S = 5;
/** How long a refused request's body is read (and discarded) before the 503, so closing does not reset a client still sending. */
const REFUSED_BODY_WAIT_MS = 1_000;
/** After the listener is closed, how long connections get to finish writing before they are destroyed. */
const CLOSE_GRACE_MS = 250;

export interface HttpServer {
  listen(port: number, host?: string): Promise<number>;
  /**
   * Graceful stop. New requests, on any connection, are answered 503 with Retry-After and
   * `Connection: close`; idle keep-alive connections are closed; requests in flight run until
   * `deadline`, their connections closed after the answer. The listener stays open during the
   * drain, so a connection still in the accept queue gets a 503 rather than a reset; it closes
   * once nothing is running. What is still running at the deadline is cut (503 if nothing was
   * sent yet), then every connection left is destroyed.
   */
  drain(deadline: number): Promise<DrainResult>;
  /** Requests admitted and not yet answered. */
  readonly inFlight: number;
  readonly raw: NodeServer;
}

/** Constant-time comparison of API keys (hashing first makes the lengths equal). */
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref());

export function apiKeyMatches(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return given.length > 0 && timingSafeEqual(a, b);
}

export function createHttpServer(deps: HttpDeps): HttpServer {
  const { logger } = deps;
  const server = restify.createServer({ name: 'lex-sarah-assistenten', handleUncaughtExceptions: false });
  // A client that trickles its headers or body holds a connection: bound both (Node's defaults are
  // 60 s and 300 s). The casework push may be tens of megabytes, so the body gets a minute.
  server.server.headersTimeout = HEADERS_TIMEOUT_MS;
  server.server.requestTimeout = REQUEST_TIMEOUT_MS;
  server.server.maxConnections = MAX_CONNECTIONS;
  let draining = false;
  let refused = 0;
  /**
   * Requests in progress per connection, and whether it has served one: a connection with none in
   * progress that has served one is an idle keep-alive connection, safe to close; one that has
   * served none may be a client whose request is about to arrive, so it is left to get its 503.
   */
  const connections = new Map<Socket, { active: number; served: number }>();
  /** Requests admitted (not refused) and not yet answered: what a drain waits for. */
  const admitted = new Set<ServerResponse>();
  /** Requests answered 503 by the drain while their handler still runs: the handler's answer is dropped. */
  const cutOff = new WeakSet<object>();
  const settledWaiters: (() => void)[] = [];
  const settle = () => {
    if (admitted.size === 0) settledWaiters.splice(0).forEach((w) => w());
  };

  server.server.on('connection', (socket: Socket) => {
    connections.set(socket, { active: 0, served: 0 });
    socket.once('close', () => connections.delete(socket));
  });

  /** A 503 that tells the client to come back (to another instance, or to this one restarted). */
  const answerShuttingDown = (res: ServerResponse) => {
    if (res.headersSent || res.writableEnded) return;
    res.statusCode = 503;
    res.setHeader('Retry-After', String(SHUTDOWN_RETRY_AFTER_S));
    res.setHeader('Connection', 'close');
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ error: 'shutting down' }));
  };

  /**
   * Refuses a request that arrived during the drain. Its body is read and discarded first (up to
   * the body limit, for at most a second): closing a connection with unread bytes resets it, and
   * the client would see ECONNRESET instead of the 503.
   */
  const refuseDuringDrain = (req: IncomingMessage, res: ServerResponse, expectsContinue: boolean) => {
    refused++;
    const length = Number(req.headers['content-length']);
    if (expectsContinue || req.complete || length > deps.maxBodyBytes) return answerShuttingDown(res);
    let seen = 0;
    const timer = setTimeout(() => answerShuttingDown(res), REFUSED_BODY_WAIT_MS);
    timer.unref();
    const done = () => {
      clearTimeout(timer);
      answerShuttingDown(res);
    };
    req.on('data', (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > deps.maxBodyBytes) done();
    });
    req.once('end', done);
    req.once('error', done);
  };

  /**
   * Puts the drain in front of restify's own listener for `event`, so every request is counted
   * (or refused) before restify routes it: a request parsed during the drain never reaches a handler.
   */
  const gate = (event: 'request' | 'checkContinue') => {
    const inner = server.server.listeners(event) as ((req: IncomingMessage, res: ServerResponse) => void)[];
    server.server.removeAllListeners(event);
    server.server.on(event, (req: IncomingMessage, res: ServerResponse) => {
      const conn = connections.get(req.socket);
      if (conn) {
        conn.active++;
        res.once('close', () => {
          conn.active--;
          conn.served++;
        });
      }
      if (draining) return refuseDuringDrain(req, res, event === 'checkContinue');
      admitted.add(res);
      res.once('close', () => {
        admitted.delete(res);
        settle();
      });
      for (const listener of inner) listener.call(server.server, req, res);
    });
  };
  gate('request');
  gate('checkContinue');

  /** Reports a handler's failure as a 500 unless the drain has already answered for it. */
  const tracked = (handler: (req: Request, res: Response) => Promise<void>) => async (req: Request, res: Response) => {
    try {
      await handler(req, res);
    } catch (err) {
      if (cutOff.has(res)) return;
      logger.error({ err }, 'processing a request failed');
      if (!res.headersSent) res.send(500, { error: 'internal error' });
    }
  };

  /**
   * Answers a refusal with a fixed JSON error, logged as one warning (never the body). What is
   * left of the body: Node reads and discards it after the answer, which keeps the connection
   * usable and lets the client read the answer. That is bounded by `limit`: a body of unknown or
   * larger size gets `Connection: close` and Node closes the socket once the answer is out.
   */
  const refuse = (req: Request, res: Response, status: number, error: string, reason: string, limit: number, event = 'request-refused') => {
    logger.warn({ event, method: req.method, path: routeOf(req), status, reason }, 'request refused');
    const length = Number(req.headers['content-length']);
    if (!req.complete && (status === 413 || !(length <= limit))) res.header('Connection', 'close');
    res.send(status, { error });
  };

  server.post(
    '/api/messages',
    tracked(async (req, res) => {
      // Teams sends UTF-8 JSON, uncompressed: anything else is refused before a byte is read.
      const encoding = contentEncoding(req.header('content-encoding'));
      if (encoding !== 'identity') return refuse(req, res, 415, 'unsupported content encoding', `content-encoding ${encoding.slice(0, 40)}`, deps.maxBodyBytes);
      const media = parseMediaType(req.header('content-type'));
      const charset = media?.params.charset?.toLowerCase();
      if (media?.type !== JSON_TYPE || (charset !== undefined && charset !== 'utf-8')) {
        return refuse(req, res, 415, 'unsupported content type', 'not application/json in UTF-8', deps.maxBodyBytes);
      }
      // With authentication on, a request without a token is refused before its body is read.
      if (deps.authRequired && !/^Bearer\s+\S/i.test(req.header('authorization') ?? '')) {
        return refuse(req, res, 401, 'unauthorized', 'no bearer token', deps.maxBodyBytes, 'unauthorized');
      }
      const read = await readBody(req, { limit: deps.maxBodyBytes });
      if (!read.ok) return refuse(req, res, read.status, read.error, read.reason, deps.maxBodyBytes);
      let body: unknown;
      try {
        body = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(read.bytes), wellFormed);
      } catch {
        return refuse(req, res, 400, 'bad request', 'not JSON in UTF-8', deps.maxBodyBytes);
      }
      if (typeof body !== 'object' || body === null || Array.isArray(body)) {
        return refuse(req, res, 400, 'bad request', 'not a JSON object', deps.maxBodyBytes);
      }
      const out = new CapturedResponse();
      try {
        await deps.processMessage(Object.assign(req, { body: body as Record<string, unknown> }), out);
      } catch (err) {
        if (err instanceof Unauthenticated) return refuse(req, res, 401, 'unauthorized', err.reason, deps.maxBodyBytes, 'unauthorized');
        throw err;
      }
      // Cut at the shutdown deadline: the client already has its 503.
      if (cutOff.has(res)) return;
      if (out.statusCode === 401) return refuse(req, res, 401, 'unauthorized', 'refused by the Bot Framework adapter', deps.maxBodyBytes, 'unauthorized');
      if (out.statusCode === 400) return refuse(req, res, 400, 'bad request', 'refused by the bot: not an activity', deps.maxBodyBytes);
      if (out.statusCode >= 400) {
        logger[out.statusCode >= 500 && out.statusCode !== 501 ? 'error' : 'warn']({ event: 'request-failed', status: out.statusCode }, 'the bot answered with an error');
        return res.send(out.statusCode, { error: errorText(out.statusCode) });
      }
      if (out.body === undefined) {
        res.status(out.statusCode);
        res.end();
      } else res.send(out.statusCode, out.body);
    }),
  );

  if (deps.casework) {
    const cw = deps.casework;
    server.post(
      '/api/casework/import',
      tracked(async (req, res) => {
        // Authenticate before reading a possibly large body.
        const header = req.header('authorization') ?? '';
        const given = header.startsWith('Bearer ') ? header.slice(7) : (req.header('x-api-key') ?? '');
        if (!apiKeyMatches(given, cw.apiKey)) {
          return refuse(req, res, 401, 'Ogiltig eller saknad API-nyckel.', 'api key', cw.maxBytes, 'casework-import-refused');
        }
        const encoding = contentEncoding(req.header('content-encoding'));
        if (encoding !== 'identity' && encoding !== 'gzip') {
          return refuse(req, res, 415, 'Skicka filen okomprimerad eller gzip-komprimerad (Content-Encoding: gzip).', `content-encoding ${encoding.slice(0, 40)}`, cw.maxBytes);
        }
        const media = parseMediaType(req.header('content-type'));
        const charset = media?.params.charset;
        const declared = charset === undefined ? undefined : declaredEncoding(charset);
        if (media?.type !== CSV_TYPE || (charset !== undefined && !declared)) {
          return refuse(req, res, 415, 'Skicka filen som text/csv (teckenkodning UTF-8, UTF-16 eller Windows-1252).', 'not text/csv in a known charset', cw.maxBytes);
        }
        const read = await readBody(req, { limit: cw.maxBytes, gzip: encoding === 'gzip' });
        if (!read.ok) {
          const message = read.status === 413 ? `Filen är större än IMPORT_MAX_BYTES (${cw.maxBytes} byte${encoding === 'gzip' ? ' uppackad' : ''}).` : read.error === 'malformed gzip' ? 'Filen är märkt som gzip men kunde inte packas upp.' : 'Filen kom inte fram hel.';
          return refuse(req, res, read.status, message, read.reason, cw.maxBytes);
        }
        const decoded = decodeCsvBytes(read.bytes, declared);
        if (!decoded.ok) {
          logger.warn({ event: 'casework-import-refused', reason: 'encoding', line: decoded.line }, 'casework import refused; nothing changed');
          return res.send(422, { status: 'rejected', message: 'Inget importerades.', errors: [`rad ${decoded.line}: ${decoded.message}`] });
        }
        const query = new URL(req.url ?? '', 'http://localhost').searchParams;
        const result = await cw.import({ source: query.get('source') ?? '', full: query.get('full') !== 'false', csv: decoded.text });
        if (cutOff.has(res)) return;
        res.send(result.status, result.body);
      }),
    );
  }

  if (deps.exports) {
    const ex = deps.exports;
    server.get(
      `${EXPORTS}:token`,
      tracked(async (req, res) => {
        const token = String((req.params as { token?: unknown }).token ?? '');
        const out = await ex.download(token);
        // The file holds a nämnd's figures: never cached, never sent on as a referrer, never sniffed.
        res.header('Cache-Control', 'no-store');
        res.header('Referrer-Policy', 'no-referrer');
        res.header('X-Content-Type-Options', 'nosniff');
        if (out.status !== 200 || !('bytes' in out)) {
          logger.info({ event: 'export-refused', status: out.status }, 'file download refused');
          res.header('Content-Type', 'text/plain; charset=utf-8');
          res.sendRaw(out.status, 'message' in out ? out.message : '');
          return;
        }
        logger.info({ event: 'export-downloaded', bytes: out.bytes.length }, 'file downloaded');
        res.header('Content-Type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
        res.header('Content-Disposition', `attachment; filename="${out.filename}"`);
        res.sendRaw(200, out.bytes);
      }),
    );
  }

  server.get('/healthz', (_req, res, next) => {
    res.send(200, { status: 'ok' });
    return next();
  });

  server.get('/readyz', async (_req, res) => {
    const h = await deps.health();
    // The reason is for the operator's log: the endpoint answers anyone, and a driver's text names servers.
    if (h.error) logger.warn({ event: 'not-ready', reason: h.error }, 'database not ready');
    const migrated = h.reachable && h.schemaVersion === h.expectedVersion;
    const ready = migrated && !draining;
    const body = {
      status: ready ? 'ready' : 'not ready',
      database: h.reachable ? 'reachable' : 'unreachable',
      schemaVersion: h.schemaVersion,
      expectedSchemaVersion: h.expectedVersion,
      ...(draining ? { shuttingDown: true } : {}),
    };
    res.send(ready ? 200 : 503, body);
  });

  server.on('restifyError', (req: Request, _res: Response, err: Error & { statusCode?: number; toJSON?: () => object }, cb: () => void) => {
    // Never log the body, nor a path that is not ours: both are the client's text. restify's own
    // 404/405 bodies repeat the path; the answer is the same short JSON error as every refusal.
    logger.warn({ method: req.method, path: routeOf(req), status: err.statusCode, error: err.name }, 'request rejected');
    const status = err.statusCode ?? 500;
    err.toJSON = () => ({ error: errorText(status) });
    return cb();
  });

  let drained: Promise<DrainResult> | undefined;
  const drainUntil = async (deadline: number): Promise<DrainResult> => {
    draining = true;
    const running = admitted.size;
    // Requests in flight keep their connection only until their answer is out.
    for (const res of admitted) if (!res.headersSent) res.setHeader('Connection', 'close');
    // Idle keep-alive connections carry no work; one that has served nothing yet may be a request on its way.
    for (const [socket, conn] of connections) if (conn.active === 0 && conn.served > 0) socket.destroy();
    await waitUntil(deadline);

    let cut = 0;
    for (const res of [...admitted]) {
      cut++;
      cutOff.add(res);
      if (res.headersSent) res.destroy();
      else answerShuttingDown(res);
    }
    if (cut > 0) logger.warn({ event: 'shutdown', cutRequests: cut }, 'requests still running at the shutdown deadline were cut');
    // Stop listening. Node's close() also closes the connections now idle; the rest are 503s on
    // their way out (or refusals still reading a body), given a moment before they are destroyed.
    const closed = new Promise<void>((resolve) => server.server.close(() => resolve()));
    await Promise.race([closed, sleep(CLOSE_GRACE_MS)]);
    server.server.closeAllConnections();
    return { finished: Math.max(0, running - cut), cut, refused };
  };
  /**
   * Resolves once no admitted request is left, or at the deadline. Refusals do not hold it up (a
   * steady stream of them would): they get the close grace.
   */
  const waitUntil = async (deadline: number) => {
    if (admitted.size === 0) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([new Promise<void>((resolve) => settledWaiters.push(resolve)), new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, deadline - Date.now()))))]);
    clearTimeout(timer);
  };

  return {
    get inFlight() {
      return admitted.size;
    },
    get raw() {
      return server.server;
    },
    listen(port, host) {
      return new Promise((resolve, reject) => {
        const onError = (err: Error) =>
          reject(new Error(`Cannot listen on ${host ?? 'every interface'} port ${port}: ${err.message}. Set PORT to a free port (and HOST to an address of this machine).`));
        server.once('error', onError);
        server.listen(port, host, () => {
          server.removeListener('error', onError);
          const addr = server.address() as { address: string; port: number };
          logger.info({ event: 'listening', host: addr.address, port: addr.port }, 'HTTP server listening');
          resolve(addr.port);
        });
      });
    },
    drain(deadline) {
      return (drained ??= drainUntil(deadline));
    },
  };
}
