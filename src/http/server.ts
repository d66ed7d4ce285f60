/**
 * The HTTP surface: /api/messages for the Bot Framework, /healthz and /readyz for the platform.
 * Tracks requests in flight so shutdown can let running turns finish.
 */
import type { Server as NodeServer } from 'node:http';
import restify, { type Request, type Response } from 'restify';
import type { Logger } from '../log/logger';
import type { StoreHealth } from '../store/store';

export interface HttpDeps {
  logger: Logger;
  maxBodyBytes: number;
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
  server.use(
    restify.plugins.bodyParser({ maxBodySize: deps.maxBodyBytes, mapParams: false, rejectUnknown: true }),
  );

  server.post('/api/messages', async (req, res) => {
    inFlight++;
    try {
      await deps.processMessage(req, res);
    } catch (err) {
      logger.error({ err }, 'processing a bot request failed');
      if (!res.headersSent) res.send(500, { error: 'internal error' });
    } finally {
      inFlight--;
      if (inFlight === 0) idleWaiters.splice(0).forEach((w) => w());
    }
  });

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
