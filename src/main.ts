/**
 * Process entry point: reads env/ files and the environment, validates the configuration,
 * starts the app and stops it gracefully on SIGTERM/SIGINT. The exit code after a stop is 0 only
 * when nothing was given up (see src/shutdown.ts); one "shutdown-complete" line says what was.
 */
// First: makes Node's own warnings and crashes structured before any other module loads.
import { useProcessLogger } from './log/process-events';
import path from 'node:path';
import { startApp } from './app';
import { clockFor, ConfigError, parseConfig, resolveConfigPaths } from './config/config';
import { DEFAULT_ENV_NAME, loadEnvFiles } from './config/env-files';
import { createLogger } from './log/logger';
import { OrganisationFileError } from './org/load';
import { projectRoot } from './paths';
import { EXIT_STOP_INCOMPLETE, exitCodeFor } from './shutdown';

const ROOT = projectRoot();

async function main(): Promise<void> {
  let config;
  try {
    const envName = process.env.TEAMSFX_ENV || DEFAULT_ENV_NAME;
    config = resolveConfigPaths(parseConfig(loadEnvFiles(envName, path.join(ROOT, 'env'))), ROOT);
  } catch (err) {
    // Plain stderr, not the logger: the log level itself may be what is misconfigured.
    process.stderr.write(`Lex Sarah-assistenten cannot start.\n${(err as Error).message}\n`);
    process.exit(err instanceof ConfigError ? 78 : 1);
  }

  const logger = createLogger(config.logLevel);
  useProcessLogger(logger);
  let app;
  try {
    app = await startApp({ config, logger, now: clockFor(config) });
    if (config.testClockStart) logger.warn({ event: 'test-clock', start: config.testClockStart.toISOString() }, 'running on a test clock');
  } catch (err) {
    const message = (err as Error).message;
    logger.fatal({ event: 'start-failed', reason: message }, 'start-up failed');
    process.stderr.write(`Lex Sarah-assistenten cannot start.\n${message}\n`);
    process.exit(err instanceof OrganisationFileError ? 78 : 1);
  }

  const shutdown = (signal: string) => {
    const startedAt = Date.now();
    logger.info({ event: 'shutdown', signal, timeoutMs: config.shutdownTimeoutMs }, 'shutting down');
    const force = setTimeout(() => {
      logger.error({ event: 'shutdown-timeout', exitCode: EXIT_STOP_INCOMPLETE }, `did not stop within ${config.shutdownTimeoutMs} ms; exiting`);
      process.exit(EXIT_STOP_INCOMPLETE);
    }, config.shutdownTimeoutMs);
    force.unref();
    app.stop().then(
      (result) => {
        const exitCode = exitCodeFor(result);
        logger[exitCode === 0 ? 'info' : 'warn'](
          { event: 'shutdown-complete', signal, durationMs: Date.now() - startedAt, ...result, exitCode },
          exitCode === 0 ? 'stopped cleanly' : 'stopped, but turns were cut or card deliveries are of unknown outcome',
        );
        process.exit(exitCode);
      },
      (err: unknown) => {
        logger.error({ event: 'shutdown-complete', err, exitCode: EXIT_STOP_INCOMPLETE }, 'shutdown failed');
        process.exit(EXIT_STOP_INCOMPLETE);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

void main();
