/**
 * A real bot process on the seeded bench municipality (bench/municipality.ts) and the echo bot
 * beside it, shared by the HTTP turns of bench/review.ts and bench/status-turn.ts in one run.
 */
import path from 'node:path';
import { startBotProcess } from '../test/delivery/bot-processes.bench-harness';
import { openApp } from '../test/delivery/submits.bench-harness';
import { startSlowConnector, type SlowConnector } from '../test/support/slow-connector';
import { BENCH_PEOPLE, NOW, writeOrganisationFile, type SeededMunicipality } from './municipality';
import { startEcho, type EchoBot } from './turns';

/** A real bot process on the seeded file and the echo bot beside it, for the HTTP turns. */
export interface MunicipalityBots {
  baseUrl: string;
  botPid: number;
  /** The connector the personal chats point at (nothing is sent there in these turns). */
  serviceUrl: string;
  echo: EchoBot;
  /** The bot's start-up on the seeded file, from spawn to listening. */
  startMs: number;
  stop(): Promise<void>;
}

/**
 * Starts the bot (src/main.ts, LOG_LEVEL=info as in production) with the bench organisation on a
 * test clock at NOW, and the echo bot; every BENCH_PEOPLE person opens the app first.
 */
export async function startMunicipalityBots(m: SeededMunicipality, dir: string): Promise<MunicipalityBots> {
  const orgFile = path.join(dir, 'organisation.bench.yaml');
  writeOrganisationFile(orgFile);
  const connector: SlowConnector = await startSlowConnector({ latencyMs: 0, throttleShare: 0, seed: 5 });
  const echo = await startEcho();
  const started = Date.now();
  // PROFILE_DIR (a profiling aid): the bot writes a CPU profile there, so it is stopped with SIGTERM.
  const profile = process.env.PROFILE_DIR;
  const bot = startBotProcess(m.file, { ORG_FILE: orgFile, TEST_CLOCK_START: NOW.toISOString(), LOG_LEVEL: 'info', ...(profile ? { PROFILE_DIR: profile } : {}) });
  const stop = async () => {
    echo.stop();
    bot.child.kill(profile ? 'SIGTERM' : 'SIGKILL');
    await bot.exited;
    await connector.close();
  };
  try {
    const baseUrl = `http://127.0.0.1:${await bot.port}`;
    const startMs = Date.now() - started;
    await openApp(baseUrl, connector.url, Object.values(BENCH_PEOPLE));
    return { baseUrl, botPid: bot.pid, serviceUrl: connector.url, echo, startMs, stop };
  } catch (err) {
    await stop();
    throw err;
  }
}
