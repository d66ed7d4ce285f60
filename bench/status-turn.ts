/**
 * The `status` turn over HTTP (part of `npm run bench -- status-summary`): the chef of nämnd 0
 * asks "status" (20 units, denna vecka) of a real bot process on the bench municipality, 10
 * concurrent, beside the echo bot (bench/turns.ts). The card alone, in process, is
 * bench/status-summary.ts.
 */
import { heading } from './measure';
import { BENCH_PEOPLE } from './municipality';
import type { MunicipalityBots } from './municipality-bots';
import { botTurn, compareTurns, echoTurn, turnLine } from './turns';

/** The nämnd chef's `status` over HTTP, 10 concurrent, beside the echo bot. */
export async function benchStatusTurn(bots: MunicipalityBots, out: (line: string) => void, n = Number(process.env.BENCH_STATUS_TURN_N ?? 100)): Promise<void> {
  const { chef } = BENCH_PEOPLE;
  const sample = await botTurn(bots.baseUrl, bots.serviceUrl, chef, 'status');
  if (!sample.includes('Lägesbild – Nämnd 0')) throw new Error(`bench: "status" from the chef did not answer with the nämnd's summary: ${sample.slice(0, 300)}`);
  const concurrency = 10;
  out(heading(`status turn over HTTP: "status" from the chef of nämnd 0 (20 units, denna vecka), ${n} requests at ${concurrency} concurrent, alternating with the echo bot in 4 blocks`));
  const c = await compareTurns({
    echo: (i) => echoTurn(bots.echo, bots.serviceUrl, chef, i),
    target: () => () => botTurn(bots.baseUrl, bots.serviceUrl, chef, 'status'),
    n,
    concurrency,
    warm: concurrency,
    echoPid: bots.echo.pid,
    botPid: bots.botPid,
  });
  out(turnLine(`status turn, one nämnd, ${concurrency} concurrent`, c, { note: `${c.targetPerSecond.toFixed(1)} turns/s; reply ${(Buffer.byteLength(sample) / 1024).toFixed(1)} KB` }));
}

