/**
 * Process entry point: reads env/ files and the environment, validates the configuration,
 * starts the app and stops it cleanly on SIGTERM/SIGINT.
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
    logger.info({ event: 'shutdown', signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.error({ event: 'shutdown-timeout' }, `did not stop within ${config.shutdownTimeoutMs} ms; exiting`);
      process.exit(1);
    }, config.shutdownTimeoutMs);
    force.unref();
    app.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

void main();
