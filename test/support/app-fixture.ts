/** Starts the real application in-process on a free port with a throw-away SQLite file. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { startApp, type RunningApp } from '../../src/app';
import { parseConfig } from '../../src/config/config';
import { createLogger } from '../../src/log/logger';

export interface TestApp {
  app: RunningApp;
  baseUrl: string;
  dbFile: string;
  /** Every log line written so far, raw JSON text. */
  logs: string[];
  stop(): Promise<void>;
  restart(): Promise<void>;
}

export async function startTestApp(env: Record<string, string> = {}): Promise<TestApp> {
  const dir = mkdtempSync(path.join(tmpdir(), 'lexsarah-app-'));
  const dbFile = path.join(dir, 'lex-sarah.db');
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logs.push(...String(chunk).split('\n').filter(Boolean));
      cb();
    },
  });
  const config = parseConfig({ PORT: '0', SQLITE_PATH: dbFile, LOG_LEVEL: 'debug', NODE_ENV: 'test', ...env });
  const logger = createLogger(config.logLevel, sink);
  const fixture: TestApp = {
    app: await startApp({ config, logger, host: '127.0.0.1' }),
    baseUrl: '',
    dbFile,
    logs,
    async stop() {
      await fixture.app.stop();
    },
    async restart() {
      await fixture.app.stop();
      fixture.app = await startApp({ config, logger, host: '127.0.0.1' });
      fixture.baseUrl = `http://127.0.0.1:${fixture.app.port}`;
    },
  };
  fixture.baseUrl = `http://127.0.0.1:${fixture.app.port}`;
  const stop = fixture.stop;
  fixture.stop = async () => {
    await stop();
    rmSync(dir, { recursive: true, force: true });
  };
  return fixture;
}

export const ALEX = { id: '29:alex', aadObjectId: '00000000-0000-0000-0000-0000000000020', name: 'Alex Wilber' };
export const TENANT = '00000000-0000-0000-0000-0000000000001';
export const BOT = { id: '28:lex-sarah-bot', name: 'Lex Sarah-assistenten' };
/** The demo organisation's people as Teams sends them (env/organisation.demo.yaml, .m365agentsplayground.yml). */
export const MEGAN = { id: '29:megan', aadObjectId: '00000000-0000-0000-0000-0000000000021', name: 'Megan Bowen' };
export const ADELE = { id: '29:adele', aadObjectId: '00000000-0000-0000-0000-0000000000022', name: 'Adele Vance' };
export const LEE = { id: '29:lee', aadObjectId: '00000000-0000-0000-0000-0000000000023', name: 'Lee Gu' };
export const NESTOR = { id: '29:nestor', aadObjectId: '00000000-0000-0000-0000-0000000000024', name: 'Nestor Wilke' };
/** A person's personal chat with the bot. */
export const personalChat = (who: { aadObjectId: string }) => ({ id: `a:personal-${who.aadObjectId.slice(-2)}`, tenantId: TENANT, conversationType: 'personal' });

let seq = 0;
export function activity(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    type: 'message',
    id: `act-${++seq}`,
    channelId: 'msteams',
    serviceUrl: 'http://127.0.0.1:9/',
    deliveryMode: 'expectReplies',
    timestamp: new Date().toISOString(),
    conversation: { id: 'a:personal-alex', tenantId: TENANT, conversationType: 'personal' },
    from: ALEX,
    recipient: BOT,
    channelData: { tenant: { id: TENANT } },
    locale: 'sv-SE',
    ...over,
  };
}

export interface BotReply {
  status: number;
  activities: { type: string; text?: string; attachments?: { contentType: string; content: unknown }[] }[];
}

export async function post(baseUrl: string, body: unknown, headers: Record<string, string> = {}): Promise<BotReply> {
  const res = await fetch(`${baseUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let activities: BotReply['activities'] = [];
  if (text) {
    try {
      activities = (JSON.parse(text) as { activities?: BotReply['activities'] }).activities ?? [];
    } catch {
      activities = [];
    }
  }
  return { status: res.status, activities };
}

/** All texts, titles and (fact or input) values of the cards in a reply, for assertions. */
export function cardTexts(reply: BotReply): string[] {
  const out: string[] = [];
  for (const a of reply.activities) {
    if (a.text) out.push(a.text);
    for (const att of a.attachments ?? []) {
      JSON.stringify(att.content, (k, v) => {
        if ((k === 'text' || k === 'title' || k === 'value') && typeof v === 'string') out.push(v);
        return v;
      });
    }
  }
  return out;
}

/** Sends an Action.Execute invoke and returns the card (or message) the bot answered with. */
export async function invokeAction(
  baseUrl: string,
  base: Record<string, unknown>,
  verb: string,
  data: Record<string, unknown>,
): Promise<{ card: unknown; texts: string[]; joined: string }> {
  const res = await fetch(`${baseUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...base, type: 'invoke', name: 'adaptiveCard/action', text: undefined, value: { action: { type: 'Action.Execute', verb, data }, trigger: 'manual' } }),
  });
  if (res.status !== 200) throw new Error(`invoke ${verb} answered HTTP ${res.status}`);
  const body = (await res.json()) as { activities: { value: { body: { statusCode: number; value: unknown } } }[] };
  const value = body.activities[0]?.value.body.value;
  const texts: string[] = [];
  if (typeof value === 'string') texts.push(value);
  JSON.stringify(value, (k, v) => {
    if ((k === 'text' || k === 'title' || k === 'value' || k === 'label') && typeof v === 'string') texts.push(v);
    return v;
  });
  return { card: value, texts, joined: texts.join('\n') };
}

/** The form id on the report form a "rapportera" reply carries. */
export function formIdOf(reply: BotReply): string {
  const content = reply.activities[0]?.attachments?.[0]?.content as { actions?: { data?: { formId?: string } }[] } | undefined;
  const formId = content?.actions?.[0]?.data?.formId;
  if (!formId) throw new Error('the reply carries no report form');
  return formId;
}

/** A report form's data that validates, for `today` (ISO day); `over` changes any field. */
export function validReportData(formId: string, today: string, over: Record<string, string> = {}): Record<string, string> {
  return {
    formId,
    unitId: 'bou-mottagning',
    occurredDate: today,
    occurredTime: '',
    noticedDate: today,
    noticedTime: '',
    location: 'Mottagningens väntrum',
    category: 'rattssakerhet',
    whatHappened: 'En orosanmälan registrerades inte på tre dagar.',
    consequences: '',
    immediateActions: 'Registrerad nu.',
    informed: 'inte-annu',
    risk_hurt: 'nej',
    risk_ongoing: 'nej',
    risk_vulnerable: 'nej',
    risk_crime: 'nej',
    risk_before: 'vet-ej',
    ...over,
  };
}

/** Opens a form as `base` (an activity) and files it with valid data and `over`; returns the reference. */
export async function fileReport(baseUrl: string, base: Record<string, unknown>, today: string, over: Record<string, string> = {}): Promise<string> {
  const formId = formIdOf(await post(baseUrl, { ...base, text: 'rapportera' }));
  const filed = await invokeAction(baseUrl, base, 'report.submit', validReportData(formId, today, over));
  const reference = /LS-\d{4}-\d{4}/.exec(filed.joined)?.[0];
  if (!reference) throw new Error(`the report was not filed: ${filed.joined.slice(0, 300)}`);
  return reference;
}
