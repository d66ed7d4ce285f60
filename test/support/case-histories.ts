/**
 * Generated lex Sarah case histories for tests that compare a stored or paged view with the pure
 * functions: each step a guarded store write, as the case service makes it. From a seed.
 */
import assert from 'node:assert/strict';
import { calendarDayIn } from '../../src/cases/clocks';
import type { Guard } from '../../src/store/cases';
import type { ReportStateCode } from '../../src/store/report-records';
import type { Store } from '../../src/store/store';
import { prng } from './random';

export { prng };

const TZ = 'Europe/Stockholm';
const anna = { entraId: 'aaaaaaaa-0000-0000-0000-000000000001', name: 'Anna Chef' };

export interface Case { id: number; reference: string; state: ReportStateCode; at: number; filedOn?: string; sent?: boolean; attached?: boolean }

/** One random step of a case's history, as the case service would make it (each a guarded store write). */
export async function step(store: Store, c: Case, rnd: () => number): Promise<void> {
  c.at += Math.floor(rnd() * 9 * 86_400_000) + 3_600_000;
  const at = new Date(c.at);
  const g = (to: ReportStateCode): Guard => ({ reportId: c.id, reference: c.reference, from: c.state, to, actor: anna, at });
  const decision = (requiresAnmalan: boolean) => ({
    answersJson: '{}', recommendedOutcome: 'x', recommendationJson: '{}', decidedOutcome: requiresAnmalan ? 'allvarligt-missforhallande' : 'missforhallande-ej-allvarligt', requiresAnmalan,
  });
  const r = rnd();
  let ok = true;
  if (c.state === 'rapporterad' && r < 0.3) ok = await store.cases.startInvestigation(g('under-utredning'), anna);
  else if ((c.state === 'rapporterad' || c.state === 'under-utredning' || c.state === 'bedomd') && r < 0.85) ok = await store.cases.recordDecision(g('bedomd'), decision(rnd() < 0.5));
  else if (c.state === 'bedomd' && r < 0.95) {
    const filedOn = calendarDayIn(TZ)(at);
    c.attached = rnd() < 0.5;
    ok = await store.cases.recordFiling(g('anmald'), { filedOn, ivoDiarienummer: `IVO ${c.id}`, investigationAttached: c.attached });
    c.filedOn = filedOn;
  } else if (c.state === 'anmald' && !c.attached && !c.sent && r < 0.6) {
    ok = await store.cases.markInvestigationSent(g('anmald'), calendarDayIn(TZ)(at));
    c.sent = true;
  } else if (c.state !== 'avslutad' && r > 0.97) ok = await store.cases.close(g('avslutad'), { decisionText: 'Avslutat.' });
  else return;
  assert.ok(ok, `step from ${c.state} refused`);
  c.state = ok ? (await store.reports.getByReference(c.reference))!.state as ReportStateCode : c.state;
}

