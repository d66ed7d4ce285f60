/**
 * Node's own process-level output, made structured. Node prints warnings as free text on stderr
 * (restify's dependency chain triggers DEP0111 on every start), and an unhandled rejection or
 * exception would print a raw stack that may quote data. Operators' pipelines read one JSON object
 * per line, and nothing unstructured may reach stderr, so this module is imported first by the
 * entry point, before anything that could warn.
 */
import { createLogger, type Logger } from './logger';

/** The logger for process events until the configured one exists (levels are fixed here). */
let processLogger: Logger = createLogger('info');

/** Routes later process events to the configured logger. */
export function useProcessLogger(logger: Logger): void {
  processLogger = logger;
}

process.removeAllListeners('warning');
process.on('warning', (w: Error & { code?: string }) => {
  processLogger.warn({ event: 'node-warning', name: w.name, code: w.code ?? null }, w.message);
});

// A rejected promise nobody awaited is a bug, but one request's bug must not end the process for
// everyone: log it (without its message, which may quote data) and keep serving.
process.on('unhandledRejection', (reason: unknown) => {
  const e = reason as { name?: unknown; stack?: unknown };
  processLogger.error({ event: 'unhandled-rejection', name: typeof e?.name === 'string' ? e.name : typeof reason, stack: typeof e?.stack === 'string' ? e.stack.split('\n').slice(1, 6).join('\n') : null }, 'unhandled promise rejection');
});

// After an uncaught exception the process state is unknown: log it and exit, the platform restarts it.
process.on('uncaughtException', (err: Error) => {
  processLogger.fatal({ event: 'uncaught-exception', name: err.name, stack: err.stack?.split('\n').slice(1, 6).join('\n') ?? null }, 'uncaught exception; exiting');
  process.exit(1);
});
