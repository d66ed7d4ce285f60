/**
 * review: `genomgång` from an enhetschef of REVIEW_UNIT (bench/municipality.ts: ~1,000 open lex
 * Sarah cases and 5,000 open casework items in the unit, in a municipality of 1,000,000 rapporter
 * and 1,000,000 casework items), over HTTP against a real bot process on that file, beside the
 * echo bot (bench/turns.ts), alone and at 10 concurrent. The unit's two enhetschefer take turns,
 * each in their own personal chat. Target (issue #14): p50 ≤ 3 × the echo bot at 10 concurrent.
 */
import { heading } from './measure';
import { BENCH_PEOPLE, REVIEW_UNIT, type SeededMunicipality } from './municipality';
import type { MunicipalityBots } from './municipality-bots';
import { botTurn, compareTurns, echoTurn, turnLine } from './turns';

const TARGET_RATIO = 3;

export async function benchReview(m: SeededMunicipality, bots: MunicipalityBots, out: (line: string) => void, n = Number(process.env.BENCH_REVIEW_N ?? 200)): Promise<void> {
  const chefs = [BENCH_PEOPLE.enhetschefA, BENCH_PEOPLE.enhetschefB];
  const sample = await botTurn(bots.baseUrl, bots.serviceUrl, chefs[0]!, 'genomgång');
  if (!sample.includes('Veckogenomgång v.48') || !sample.includes('Enhet 0-0')) throw new Error(`bench: "genomgång" did not answer with the unit's review: ${sample.slice(0, 300)}`);
  const what = `${REVIEW_UNIT}: ${m.reviewUnit.openCases} open lex Sarah cases, ${m.reviewUnit.casework} open casework items`;
  const kb = (Buffer.byteLength(sample) / 1024).toFixed(1);
  for (const concurrency of [1, 10]) {
    const count = concurrency === 1 ? Math.max(20, Math.round(n / 2)) : n;
    out(heading(`review turn over HTTP: "genomgång" (${what}), ${count} requests at ${concurrency} concurrent, alternating with the echo bot in 4 blocks`));
    const c = await compareTurns({
      echo: (i) => echoTurn(bots.echo, bots.serviceUrl, chefs[i % 2]!, i),
      target: (i) => () => botTurn(bots.baseUrl, bots.serviceUrl, chefs[i % 2]!, 'genomgång'),
      n: count,
      concurrency,
      warm: Math.max(5, concurrency * 2),
      echoPid: bots.echo.pid,
      botPid: bots.botPid,
    });
    out(
      turnLine(`review genomgång, ${concurrency} concurrent`, c, {
        ...(concurrency === 10 ? { maxRatio: TARGET_RATIO } : {}),
        note: `${c.targetPerSecond.toFixed(1)} turns/s; reply ${kb} KB`,
      }),
    );
  }
}
