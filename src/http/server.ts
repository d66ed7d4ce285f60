/**
 * The HTTP surface: /api/messages for the Bot Framework, /healthz and /readyz for the platform.
 * Tracks requests in flight so shutdown can let running turns finish.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { Server as NodeServer } from 'node:http';
import restify, { type Request, type Response } from 'restify';
import type { Logger } from '../log/logger';
import type { StoreHealth } from '../store/store';

export interface HttpDeps {
  logger: Logger;
  maxBodyBytes: number;
  /** The nightly casework push; the route exists only when an API key is configured. */
  casework?: {
    apiKey: string;
    maxBytes: number;
    import(input: { source: string; full: boolean; csv: string }): Promise<{ status: number; body: object }>;
  };
  /** Handles one Bot Framework request; must write the response. */
  processMessage(req: Request, res: Response): Promise<void>;
  health(): Promise<StoreHealth>;
}

export interface HttpServer {
  listen(port: number, host?: string): Promise<number>;
  /** Stops accepting requests, then waits (until `deadline`) for those in flight. Returns whether all finished. */
  drain(deadline: number): Promise<boolean>;
  readonly inFlight: number;
  readonly raw: NodeServer;
}

/** Constant-time comparison of API keys (hashing first makes the lengths equal). */
export function apiKeyMatches(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return given.length > 0 && timingSafeEqual(a, b);
}

export function createHttpServer(deps: HttpDeps): HttpServer {
  const { logger } = deps;
  const server = restify.createServer({ name: 'lex-sarah-assistenten', handleUncaughtExceptions: false });
  let inFlight = 0;
  let draining = false;
  const idleWaiters: (() => void)[] = [];

  server.use((_req, res, next) => {
    if (draining) {
      res.header('Connection', 'close');
      res.send(503, { error: 'shutting down' });
      return next(false);
    }
    return next();
  });
  /** Counts the request as in flight until the handler has answered, so a drain waits for it. */
  const tracked = (handler: (req: Request, res: Response) => Promise<void>) => async (req: Request, res: Response) => {
    inFlight++;
    try {
      await handler(req, res);
    } catch (err) {
      logger.error({ err }, 'processing a request failed');
      if (!res.headersSent) res.send(500, { error: 'internal error' });
    } finally {
      inFlight--;
      if (inFlight === 0) idleWaiters.splice(0).forEach((w) => w());
    }
  };

  server.post(
    '/api/messages',
    restify.plugins.bodyParser({ maxBodySize: deps.maxBodyBytes, mapParams: false, rejectUnknown: true }),
    tracked((req, res) => deps.processMessage(req, res)),
  );

  if (deps.casework) {
    const cw = deps.casework;
    server.post(
      '/api/casework/import',
      // Authenticate before reading a possibly large body.
      (req: Request, res: Response, next: (err?: unknown) => void) => {
        const header = req.header('authorization') ?? '';
        const given = header.startsWith('Bearer ') ? header.slice(7) : (req.header('x-api-key') ?? '');
        if (!apiKeyMatches(given, cw.apiKey)) {
          logger.warn({ event: 'casework-import-refused', reason: 'api key' }, 'casework import refused');
          res.send(401, { error: 'Ogiltig eller saknad API-nyckel.' });
          return next(false);
        }
        return next();
      },
      restify.plugins.bodyReader({ maxBodySize: cw.maxBytes }),
      tracked(async (req, res) => {
        const query = new URL(req.url ?? '', 'http://localhost').searchParams;
        const body = (req as Request & { body?: unknown }).body;
        const text = Buffer.isBuffer(body) ? body.toString('utf8') : typeof body === 'string' ? body : '';
        const result = await cw.import({ source: query.get('source') ?? '', full: query.get('full') !== 'false', csv: text });
        res.send(result.status, result.body);
      }),
    );
  }

  server.get('/healthz', (_req, res, next) => {
    res.send(200, { status: 'ok' });
    return next();
  });

  server.get('/readyz', async (_req, res) => {
    const h = await deps.health();
    const migrated = h.reachable && h.schemaVersion === h.expectedVersion;
    const ready = migrated && !draining;
    const body = {
      status: ready ? 'ready' : 'not ready',
      database: h.reachable ? 'reachable' : 'unreachable',
      schemaVersion: h.schemaVersion,
      expectedSchemaVersion: h.expectedVersion,
      ...(h.error ? { error: h.error } : {}),
      ...(draining ? { shuttingDown: true } : {}),
    };
    res.send(ready ? 200 : 503, body);
  });

  server.on('restifyError', (req: Request, _res: Response, err: Error & { statusCode?: number }, cb: () => void) => {
    // Never log the body: it may contain what a user typed.
    logger.warn({ method: req.method, path: req.path(), status: err.statusCode, error: err.name }, 'request rejected');
    return cb();
  });

  return {
    get inFlight() {
      return inFlight;
    },
    get raw() {
      return server.server;
    },
    listen(port, host) {
      return new Promise((resolve, reject) => {
        const onError = (err: Error) => reject(new Error(`Cannot listen on port ${port}: ${err.message}. Set PORT to a free port.`));
        server.once('error', onError);
        server.listen(port, host, () => {
          server.removeListener('error', onError);
          const addr = server.address() as { port: number };
          resolve(addr.port);
        });
      });
    },
    async drain(deadline) {
      draining = true;
      const closed = new Promise<void>((resolve) => server.server.close(() => resolve()));
      server.server.closeIdleConnections();
      if (inFlight > 0) {
        await Promise.race([
          new Promise<void>((resolve) => idleWaiters.push(resolve)),
          new Promise<void>((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now())).unref()),
        ]);
      }
      const finished = inFlight === 0;
      server.server.closeAllConnections();
      await Promise.race([closed, new Promise<void>((r) => setTimeout(r, Math.max(0, deadline - Date.now())).unref())]);
      return finished;
    },
  };
}
