/**
 * Report submits over the real endpoint of a bot process, shared by bench/submit.ts and the crash
 * test: people who opened the app (so their personal chats point at the connector), form ids
 * issued by "rapportera", and one Action.Execute report.submit per form id.
 */
import { validReportData } from '../support/app-fixture';
import { DateTime } from 'luxon';
import { TENANT } from './bot-processes.bench-harness';

export interface Person {
  id: string;
  aadObjectId: string;
  name: string;
}

export const ALEX: Person = { id: '29:alex', aadObjectId: '00000000-0000-0000-0000-0000000000020', name: 'Alex Wilber' };
export const MEGAN: Person = { id: '29:megan', aadObjectId: '00000000-0000-0000-0000-0000000000021', name: 'Megan Bowen' };
export const ADELE: Person = { id: '29:adele', aadObjectId: '00000000-0000-0000-0000-0000000000022', name: 'Adele Vance' };
export const LEE: Person = { id: '29:lee', aadObjectId: '00000000-0000-0000-0000-0000000000023', name: 'Lee Gu' };
export const conversationOf = (p: Person) => `a:personal-${p.aadObjectId.slice(-2)}`;

let seq = 0;
export function activityFrom(p: Person, serviceUrl: string, over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'message',
    id: `bench-${process.pid}-${++seq}`,
    channelId: 'msteams',
    serviceUrl,
    deliveryMode: 'expectReplies',
    timestamp: new Date().toISOString(),
    conversation: { id: conversationOf(p), tenantId: TENANT, conversationType: 'personal' },
    from: { id: p.id, aadObjectId: p.aadObjectId, name: p.name },
    recipient: { id: '28:lex-sarah-bot', name: 'Lex Sarah-assistenten' },
    channelData: { tenant: { id: TENANT } },
    locale: 'sv-SE',
    ...over,
  };
}

export async function postActivity(baseUrl: string, body: unknown): Promise<{ status: number; json: unknown }> {
  const res = await fetch(`${baseUrl}/api/messages`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  return { status: res.status, json };
}

/** "hjälp" from each person: the bot stores their personal chat (at `serviceUrl`). */
export async function openApp(baseUrl: string, serviceUrl: string, people: Person[]): Promise<void> {
  for (const p of people) {
    const r = await postActivity(baseUrl, activityFrom(p, serviceUrl, { text: 'hjälp' }));
    if (r.status !== 200) throw new Error(`"hjälp" from ${p.name} answered HTTP ${r.status}`);
  }
}

/** A fresh form id from "rapportera". */
export async function issueFormId(baseUrl: string, serviceUrl: string, p: Person): Promise<string> {
  const r = await postActivity(baseUrl, activityFrom(p, serviceUrl, { text: 'rapportera' }));
  const card = (r.json as { activities?: { attachments?: { content?: { actions?: { data?: { formId?: string } }[] } }[] }[] })?.activities?.[0]?.attachments?.[0]?.content;
  const formId = card?.actions?.[0]?.data?.formId;
  if (!formId) throw new Error(`"rapportera" from ${p.name} gave no form id (HTTP ${r.status})`);
  return formId;
}

export function validForm(formId: string): Record<string, string> {
  return validReportData(formId, DateTime.now().setZone('Europe/Stockholm').toISODate()!, { caseReference: 'BoU 2026/123' });
}

/** One report.submit; the reference on the receipt, or undefined when no receipt came back. */
export async function submitReport(baseUrl: string, serviceUrl: string, p: Person, formId: string): Promise<string | undefined> {
  const r = await postActivity(
    baseUrl,
    activityFrom(p, serviceUrl, { type: 'invoke', name: 'adaptiveCard/action', text: undefined, value: { action: { type: 'Action.Execute', verb: 'report.submit', data: validForm(formId) }, trigger: 'manual' } }),
  );
  if (r.status !== 200) return undefined;
  const text = JSON.stringify(r.json);
  if (!text.includes('Rapporten är mottagen')) return undefined;
  return /LS-\d{4}-\d{4,}/.exec(text)?.[0];
}

/** Runs `jobs` with `concurrency` at once; results in the jobs' order, the milliseconds each took in completion order. */
export async function runConcurrent<T>(jobs: (() => Promise<T>)[], concurrency: number): Promise<{ ms: number[]; results: T[]; elapsedMs: number }> {
  const ms: number[] = [];
  const results: T[] = [];
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < jobs.length) {
        const i = next++;
        const t = performance.now();
        results[i] = await jobs[i]!();
        ms.push(performance.now() - t);
      }
    }),
  );
  return { ms, results, elapsedMs: performance.now() - start };
}

export function percentile(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))] ?? NaN;
}
