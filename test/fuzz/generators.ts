/**
 * Hand-rolled generators for hostile and careless input: activities shaped like the ones Teams
 * sends (so many get past the first checks and reach validation and storage), card payloads,
 * odd strings and values, and raw bodies with wrong encodings and content types.
 *
 * Everything is drawn from an Rng, so a seed reproduces a run exactly.
 */
import { ASSESSMENT_QUESTIONS, OUTCOME_KEYS } from '../../src/assessment/rules';
import { ANSWER_KEYS, CATEGORY_KEYS, INFORMED_KEYS } from '../../src/reports/categories';
import { SOSFS_ITEM_LABELS } from '../../src/cases/state-machine';
import { FORM_FIELDS } from '../../src/reports/form';
import type { Rng } from './prng';

// ---------------------------------------------------------------------------------------------
// The demo organisation (env/organisation.demo.yaml) and the bot

export const TENANT = '00000000-0000-0000-0000-0000000000001';
export const BOT = { id: '28:lex-sarah-bot', name: 'Lex Sarah-assistenten' };
/** Alex has every role; the others one or two each. */
export const PEOPLE = [
  { aadObjectId: '00000000-0000-0000-0000-0000000000020', name: 'Alex Wilber' },
  { aadObjectId: '00000000-0000-0000-0000-0000000000021', name: 'Megan Bowen' },
  { aadObjectId: '00000000-0000-0000-0000-0000000000022', name: 'Adele Vance' },
  { aadObjectId: '00000000-0000-0000-0000-0000000000023', name: 'Lee Gu' },
  { aadObjectId: '00000000-0000-0000-0000-0000000000024', name: 'Nestor Wilke' },
] as const;
/** Alex's personal chat as the suite's set-up addresses it (conversation ids are "a:personal-<last two digits>"). */
export const ALEX_PERSONAL_CHAT = 'a:personal-20';
export const UNIT_IDS = ['bou-mottagning', 'bou-familjehem', 'vuxenenheten', 'ekonomiskt-bistand', 'solgarden', 'hemtjanst-norr', 'gruppbostad-eken'];
export const COMMITTEE_IDS = ['socialnamnden', 'vard-och-omsorg'];

/** The Action.Execute verbs the bot routes (src/bot/bot.ts, src/cases/steps.ts, adaptive-cards/). */
export const VERBS = [
  'report.submit',
  'case.show',
  'case.draft',
  'case.start-form',
  'case.start',
  'case.assess-form',
  'case.assess',
  'case.decide',
  'case.file-form',
  'case.file',
  'case.sent-form',
  'case.sent',
  'case.close-form',
  'case.close',
  'case.document-form',
  'case.document',
  'case.action-form',
  'case.action',
  'case.inform-form',
  'case.inform',
  'review.page',
  'review.done',
  'review.snooze',
  'status.show',
];

const COMMANDS = [
  'rapportera',
  'ny rapport',
  'lex sarah',
  'mina rapporter',
  'öppna LS-2026-0001',
  'oppna ls-2026-1',
  'öppna',
  'genomgång',
  'veckogenomgang',
  'status',
  'status vecka 47',
  'status vecka 0',
  'status vecka 99',
  'status för Vuxenenheten senaste 30 dagarna',
  'status senaste 999999999999 dagarna',
  'status för socialnamnden',
  'lägesbild',
  'hur ligger vi till',
  'hjälp',
  'help',
  '?',
  'kommandon',
  '<at>Lex Sarah-assistenten</at> rapportera',
  '<at>Lex</at> status',
];

const SOSFS_ITEM_KEYS = Object.keys(SOSFS_ITEM_LABELS);

export const PROTO_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__', 'toJSON', 'then'];

// ---------------------------------------------------------------------------------------------
// Strings

const ODD_PIECES = [
  '\uD800', // lone high surrogate
  '\uDFFF', // lone low surrogate
  '\uDC00\uD800', // reversed pair
  '\u202E', // RTL override
  '\u202Dabc\u202C',
  '\u2066\u2067\u2068\u2069',
  '\u200B',
  '\u200C\u200D',
  '\uFEFF',
  '\u00AD',
  'e\u0301\u0302\u0303\u0304\u0305\u0306\u0307\u0308',
  'Z\u0351\u036B\u0343\u036A\u0302\u036B\u033D\u034F\u0334\u0319\u0324\u031E\u0349\u035A\u032F\u031E\u0320\u034D',
  '👩‍👩‍👧‍👦',
  '🏳️‍🌈',
  '🇸🇪',
  '\u{1F4A9}',
  '\u0000',
  '\u0007\u001b[31m',
  '\r\n',
  '\u2028\u2029',
  '\uFFFD',
  '\uFFFF',
  '\u{10FFFF}',
  'ß',
  'ﬀ',
  'İ',
  'ǅ',
  'Å',
  'A\u030A',
  '＜at＞',
  '<at>',
  '</at>',
  '<script>alert(1)</script>',
  '&amp;&lt;&#0;&#x110000;',
  '${reference}',
  '${$root.reference}',
  '${if(true, "a", "b")}',
  '{{x}}',
  '%s%n%x',
  "'; DROP TABLE reports; --",
  '\\',
  '"',
  '19121212-1212', // a personnummer
  '121212+1212',
  '201212121212',
  'LS-2026-0001',
  'LS-9999-9999999',
  'ls-0000-0',
  'NaN',
  '-0',
  '1e309',
  'undefined',
  'null',
  '[object Object]',
];

const WORDS = ['rapportera', 'status', 'öppna', 'hjälp', 'brukare', 'fallolycka', 'läkemedel', 'Solgården', 'vecka', 'genomgång', 'mina', 'rapporter', 'för', 'senaste', 'dagarna', 'LS-2026-0002', 'åäö', 'ÅÄÖ'];

export function oddString(rng: Rng, maxPieces = 8): string {
  let s = '';
  const n = rng.int(0, maxPieces);
  for (let i = 0; i < n; i++) {
    s += rng.weighted<() => string>([
      [4, () => rng.pick(ODD_PIECES)],
      [3, () => rng.pick(WORDS)],
      [2, () => ' '],
      [1, () => String.fromCharCode(rng.int(0, 0xffff))],
      [1, () => String.fromCodePoint(rng.int(0x10000, 0x10ffff))],
      [1, () => String(rng.int(-1e6, 1e6))],
    ])();
  }
  return s;
}

export function hugeString(rng: Rng): string {
  const unit = rng.pick(['a', 'å', '\u200B', '👩‍👩‍👧‍👦', 'e\u0301', '\uD800', ' ', '<at>x</at>', '19121212-1212 ', 'LS-2026-0001 ']);
  const len = rng.weighted([
    [6, rng.int(200, 5000)],
    [3, rng.int(5000, 40_000)],
    [1, rng.int(40_000, 120_000)],
  ]);
  return unit.repeat(Math.ceil(len / unit.length)).slice(0, len);
}

export function anyString(rng: Rng): string {
  return rng.weighted<() => string>([
    [5, () => oddString(rng)],
    [3, () => rng.pick(COMMANDS)],
    [2, () => rng.pick(COMMANDS) + ' ' + oddString(rng, 3)],
    [1, () => hugeString(rng)],
    [1, () => ''],
    [1, () => rng.pick(PROTO_KEYS)],
  ])();
}

// ---------------------------------------------------------------------------------------------
// Values

/** Sets a key as an own, enumerable property, so "__proto__" ends up in JSON.stringify's output. */
export function setOwn(o: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(o, key, { value, enumerable: true, writable: true, configurable: true });
}

function deep(rng: Rng, depth: number): unknown {
  const leaf: unknown = rng.pick([1, 'x', null, true, {}, []]);
  const asArray = rng.chance(0.5);
  let v = leaf;
  for (let i = 0; i < depth; i++) {
    if (asArray) v = [v];
    else {
      const o: Record<string, unknown> = {};
      setOwn(o, rng.chance(0.2) ? '__proto__' : 'a', v);
      v = o;
    }
  }
  return v;
}

export function anyValue(rng: Rng, depth = 0): unknown {
  const pickers: [number, () => unknown][] = [
    [6, () => anyString(rng)],
    [2, () => rng.pick([0, -1, 1, 1.5, -0, 1e308, -1e308, 2 ** 53 + 1, Number.MAX_SAFE_INTEGER, 0.1 + 0.2])],
    [2, () => rng.pick([true, false, null])],
    [1, () => deep(rng, rng.weighted([[8, rng.int(5, 60)], [2, rng.int(100, 2500)]]))],
  ];
  if (depth < 3) {
    pickers.push([2, () => Array.from({ length: rng.int(0, 5) }, () => anyValue(rng, depth + 1))]);
    pickers.push([3, () => anyObject(rng, depth + 1)]);
  }
  return rng.weighted(pickers)();
}

export function anyObject(rng: Rng, depth = 0, keys: readonly string[] = []): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  const n = rng.int(0, 6);
  for (let i = 0; i < n; i++) {
    const key = rng.weighted<() => string>([
      [3, () => rng.pick(PROTO_KEYS)],
      [3, () => (keys.length ? rng.pick(keys) : oddString(rng, 2))],
      [2, () => oddString(rng, 2)],
      [1, () => rng.pick(['reference', 'formId', 'unitId', 'week', 'page', 'command', 'action', 'verb', 'data', 'id', 'type'])],
    ])();
    setOwn(o, key, anyValue(rng, depth));
  }
  return o;
}

/** `o` with some keys changed to hostile values, some deleted and some prototype keys added. */
export function mutateObject(rng: Rng, o: Record<string, unknown>, intensity = 0.2): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(o)) {
    if (rng.chance(intensity / 2)) continue; // missing field
    setOwn(out, k, rng.chance(intensity) ? anyValue(rng, 2) : v);
  }
  if (rng.chance(intensity)) setOwn(out, rng.pick(PROTO_KEYS), anyValue(rng, 2));
  if (rng.chance(intensity / 2)) setOwn(out, oddString(rng, 2), anyValue(rng, 2));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Card payloads

function isoDay(d: Date): string {
  return d.toISOString().slice(0, 10);
}

function randomUuid(rng: Rng): string {
  const hex = () => rng.int(0, 15).toString(16);
  const part = (n: number) => Array.from({ length: n }, hex).join('');
  return `${part(8)}-${part(4)}-4${part(3)}-${rng.pick(['8', '9', 'a', 'b'])}${part(3)}-${part(12)}`;
}

/** A report form as the card submits it; valid for Alex or Megan (bou-mottagning). */
export function validReportForm(rng: Rng, now: Date): Record<string, unknown> {
  const daysAgo = rng.int(1, 60);
  const occurred = new Date(now.getTime() - daysAgo * 86_400_000);
  const noticed = new Date(occurred.getTime() + rng.int(0, daysAgo - 1) * 86_400_000);
  return {
    formId: randomUuid(rng),
    unitId: 'bou-mottagning',
    occurredDate: isoDay(occurred),
    occurredTime: rng.pick(['', '08:15', '23:59', '00:00']),
    noticedDate: isoDay(noticed),
    noticedTime: '',
    location: rng.pick(['Avdelning 2', 'I hemmet', 'Matsalen']),
    category: rng.pick(CATEGORY_KEYS),
    whatHappened: rng.pick(['Brukaren fick fel läkemedel.', 'Ett larm besvarades inte på 40 minuter.', 'Dörren var olåst under natten.']),
    consequences: rng.pick(['', 'Ingen skada.']),
    immediateActions: rng.pick(['', 'Läkare kontaktad.']),
    informed: rng.pick(INFORMED_KEYS),
    risk_hurt: rng.pick(ANSWER_KEYS),
    risk_ongoing: rng.pick(ANSWER_KEYS),
    risk_vulnerable: rng.pick(ANSWER_KEYS),
    risk_crime: rng.pick(ANSWER_KEYS),
    risk_before: rng.pick(ANSWER_KEYS),
    caseReference: rng.pick(['', 'VoO-2026/123']),
  };
}

const ASSESSMENT_ANSWERS: Record<string, readonly string[]> = {
  impact: ['ingen', 'risk', 'konsekvenser'],
  severity: ['lindrig', 'betydande', 'allvarlig'],
  riskClarity: ['paataglig', 'oklar', 'ej-aktuell'],
  abuse: ['ja', 'nej'],
  vulnerable: ['ja', 'nej'],
  repeated: ['ja', 'nej'],
  severalAffected: ['ja', 'nej'],
};

function validAssessment(rng: Rng): Record<string, string> {
  return Object.fromEntries(Object.keys(ASSESSMENT_QUESTIONS).map((f) => [f, rng.pick(ASSESSMENT_ANSWERS[f] ?? ['ja'])]));
}

function isoWeek(rng: Rng, now: Date): string {
  return rng.weighted([
    [6, `${now.getUTCFullYear()}-W${String(rng.int(1, 53)).padStart(2, '0')}`],
    [1, `${rng.int(0, 9999)}-W${String(rng.int(0, 99)).padStart(2, '0')}`],
    [1, oddString(rng, 2)],
  ]);
}

/** The data of an Action.Execute for `verb`, mostly the shape the bot's own cards send. */
export function cardData(rng: Rng, verb: string, now: Date, references: readonly string[]): unknown {
  const reference = () =>
    rng.weighted([
      [6, references.length ? rng.pick(references) : 'LS-2026-0001'],
      [1, `LS-${now.getUTCFullYear()}-${String(rng.int(0, 99999)).padStart(4, '0')}`],
      [1, anyValue(rng, 2)],
    ]);
  const dateish = () => rng.weighted([[5, isoDay(new Date(now.getTime() - rng.int(-5, 400) * 86_400_000))], [1, rng.pick(['2026-02-30', '0000-00-00', '9999-12-31', '2026-13-01'])], [1, anyValue(rng, 1)]]);
  const person = () => rng.weighted([[5, rng.pick(PEOPLE).aadObjectId], [1, rng.pick(PEOPLE).aadObjectId.toUpperCase()], [1, anyValue(rng, 1)]]);
  const text = () => rng.weighted([[4, rng.pick(['Samtal med personal.', 'Rutinen ses över.', 'Beslut: avslutas.'])], [3, anyString(rng)], [1, anyValue(rng, 1)]]);
  let base: Record<string, unknown>;
  switch (verb) {
    case 'report.submit':
      base = validReportForm(rng, now);
      break;
    case 'case.start':
      base = { reference: reference(), utredare: person() };
      break;
    case 'case.assess':
      base = { reference: reference(), ...validAssessment(rng) };
      break;
    case 'case.decide':
      base = {
        reference: reference(),
        answers: rng.chance(0.8) ? JSON.stringify(validAssessment(rng)) : rng.pick(['{', '[]', 'null', '{"__proto__":{"x":1}}', JSON.stringify(anyObject(rng, 1)), '"' + hugeString(rng) + '"']),
        outcome: rng.chance(0.8) ? rng.pick(OUTCOME_KEYS) : anyValue(rng, 1),
        motivation: text(),
      };
      break;
    case 'case.file':
      base = { reference: reference(), filedOn: dateish(), dnr: text(), attached: rng.pick(['ja', 'nej', 'kanske', '']) };
      break;
    case 'case.sent':
      base = { reference: reference(), sentOn: dateish() };
      break;
    case 'case.close':
      base = { reference: reference(), decision: text(), motivation: text() };
      break;
    case 'case.document':
      base = { reference: reference(), item: rng.pick(SOSFS_ITEM_KEYS), kind: rng.pick(['fakta', 'bedomning', 'annat']), source: text(), text: text() };
      break;
    case 'case.action':
      base = { reference: reference(), text: text(), owner: person(), dueOn: dateish() };
      break;
    case 'review.page':
    case 'review.done':
    case 'review.snooze':
      base = {
        unitId: rng.weighted([[5, rng.pick(UNIT_IDS)], [1, anyValue(rng, 1)]]),
        week: isoWeek(rng, now),
        page: rng.pick([0, 1, 2, -1, 1e9, '3', 'x', null, 1.5]),
        when: rng.pick(['morning', 'later', undefined, 7]),
        comment: text(),
      };
      break;
    case 'status.show': {
      const kind = rng.pick(['committee', 'unit', 'mine', 'other']);
      const from = new Date(now.getTime() - rng.int(0, 400) * 86_400_000);
      base = {
        kind,
        id: kind === 'committee' ? rng.pick(COMMITTEE_IDS) : kind === 'unit' ? rng.pick(UNIT_IDS) : oddString(rng, 2),
        from: rng.chance(0.8) ? from.toISOString() : anyValue(rng, 1),
        to: rng.chance(0.8) ? new Date(from.getTime() + rng.int(-2, 60) * 86_400_000).toISOString() : anyValue(rng, 1),
        label: rng.chance(0.8) ? rng.pick(['Vecka 47', 'Senaste 30 dagarna']) : anyValue(rng, 1),
        live: rng.chance(0.8) ? rng.chance(0.5) : anyValue(rng, 1),
        ...(rng.chance(0.3) ? { back: { kind: rng.pick(['committee', 'unit']), id: rng.pick([...COMMITTEE_IDS, ...UNIT_IDS]) } } : {}),
      };
      break;
    }
    default:
      base = { reference: reference() };
  }
  return rng.weighted<() => unknown>([
    [10, () => base],
    [8, () => mutateObject(rng, base, 0.25)],
    [1, () => anyObject(rng, 1, [...FORM_FIELDS, 'reference'])],
    [1, () => anyValue(rng, 1)],
  ])();
}

// ---------------------------------------------------------------------------------------------
// Activities

let activitySeq = 0;

/** Starts the ids from 1 again (two runs in one process then generate the same bytes). */
export function resetActivityIds(): void {
  activitySeq = 0;
}

/** A unique id per generated activity: the bot logs it on a failed turn, linking log and request. */
export function nextActivityId(): string {
  return `fuzz-${++activitySeq}`;
}

function from(rng: Rng): unknown {
  const p = rng.pick(PEOPLE);
  return rng.weighted<() => unknown>([
    [12, () => ({ id: `29:${p.name.split(' ')[0]!.toLowerCase()}`, aadObjectId: p.aadObjectId, name: p.name })],
    [2, () => ({ id: '29:x', aadObjectId: rng.pick([p.aadObjectId.toUpperCase(), randomUuid(rng), '', ' ', oddString(rng, 2)]), name: anyString(rng) })],
    [1, () => ({ id: '29:x' })],
    [1, () => mutateObject(rng, { id: '29:x', aadObjectId: p.aadObjectId, name: p.name }, 0.6)],
    [1, () => anyValue(rng, 1)],
    [1, () => undefined],
  ])();
}

function conversation(rng: Rng, fromValue: unknown): unknown {
  const type = rng.weighted([[10, 'personal'], [2, 'groupChat'], [2, 'channel'], [1, anyString(rng)]]);
  const aad = (fromValue as { aadObjectId?: unknown } | undefined)?.aadObjectId;
  const id = type === 'personal' ? `a:personal-${typeof aad === 'string' ? aad.slice(-2) : 'x'}` : `19:${rng.int(1, 5)}@thread.v2`;
  const base = { id, tenantId: rng.weighted([[12, TENANT], [1, TENANT.toUpperCase()], [1, randomUuid(rng)], [1, anyValue(rng, 1)]]), conversationType: type };
  return rng.weighted<() => unknown>([
    [14, () => base],
    [3, () => mutateObject(rng, base, 0.5)],
    [1, () => anyValue(rng, 1)],
    [1, () => undefined],
  ])();
}

function serviceUrl(rng: Rng, connector: string): unknown {
  // The local fake connector, or addresses that refuse at once: the bot must not reach out to the network.
  return rng.weighted([[30, connector], [1, 'http://127.0.0.1:9/'], [1, 'not a url'], [1, ''], [1, 'file:///etc/passwd'], [1, 'javascript:alert(1)'], [1, anyValue(rng, 1)]]);
}

function channelData(rng: Rng): unknown {
  const base = { tenant: { id: TENANT } };
  return rng.weighted<() => unknown>([
    [12, () => base],
    [2, () => ({ tenant: mutateObject(rng, { id: TENANT }, 0.7) })],
    [2, () => anyObject(rng, 1, ['tenant', 'team', 'channel', 'eventType', 'settings'])],
    [1, () => anyValue(rng, 1)],
    [1, () => undefined],
  ])();
}

export interface GenContext {
  now: Date;
  /** References of reports filed so far, so case verbs reach real cases. */
  references: readonly string[];
  /** The fake Bot Connector's address (test/support/fake-connector.ts), for replies and notifications. */
  serviceUrl: string;
  /** Report form ids the bot issued to Alex ("rapportera"), so submits get past the form check. */
  alexFormIds: readonly string[];
}

/** One activity, mostly well-formed with hostile parts; `kind` names the shape for the report. */
export function activity(rng: Rng, ctx: GenContext): { kind: string; activity: Record<string, unknown> } {
  const f = from(rng);
  const base: Record<string, unknown> = {
    id: nextActivityId(),
    channelId: rng.weighted([[20, 'msteams'], [1, 'emulator'], [1, anyValue(rng, 1)]]),
    serviceUrl: serviceUrl(rng, ctx.serviceUrl),
    // Teams uses normal delivery (replies go to serviceUrl); expectReplies brings them back in the body.
    deliveryMode: rng.weighted([[24, 'expectReplies'], [5, 'normal'], [1, anyValue(rng, 1)]]),
    timestamp: rng.weighted([[10, ctx.now.toISOString()], [1, anyValue(rng, 1)]]),
    from: f,
    conversation: conversation(rng, f),
    recipient: rng.weighted<unknown>([[20, BOT], [1, anyValue(rng, 1)]]),
    channelData: channelData(rng),
    locale: rng.weighted([[10, 'sv-SE'], [1, 'en-US'], [1, anyValue(rng, 1)]]),
  };
  // Half of the activities carry a Teams-shaped envelope, so that their hostile payload gets past
  // the edge's envelope check and into the bot, its validation and its storage.
  if (rng.chance(0.5)) {
    const p = rng.pick(PEOPLE);
    const personal = rng.chance(0.8);
    Object.assign(base, {
      channelId: 'msteams',
      serviceUrl: ctx.serviceUrl,
      deliveryMode: rng.chance(0.8) ? 'expectReplies' : 'normal',
      timestamp: ctx.now.toISOString(),
      from: { id: `29:${p.name.split(' ')[0]!.toLowerCase()}`, aadObjectId: p.aadObjectId, name: p.name },
      conversation: { id: personal ? `a:personal-${p.aadObjectId.slice(-2)}` : `19:${rng.int(1, 5)}@thread.v2`, tenantId: TENANT, conversationType: personal ? 'personal' : rng.pick(['groupChat', 'channel']) },
      recipient: BOT,
      channelData: { tenant: { id: TENANT } },
      locale: 'sv-SE',
    });
  }
  if (base.serviceUrl !== ctx.serviceUrl && base.deliveryMode !== 'expectReplies') {
    // Replies to an address that refuses are retried for ~12 s by the connector client; with the
    // replies in the body the hostile serviceUrl is still stored and used, without the wait.
    base.deliveryMode = 'expectReplies';
  }
  const kind = rng.weighted([
    [28, 'message'],
    [8, 'submit'],
    [34, 'invoke-action'],
    [3, 'invoke-other'],
    [4, 'installationUpdate'],
    [4, 'conversationUpdate'],
    [2, 'other-type'],
    [2, 'garbage'],
  ]);
  let act: Record<string, unknown>;
  switch (kind) {
    case 'message':
      act = { ...base, type: 'message', text: anyString(rng) };
      if (rng.chance(0.1)) act.attachments = anyValue(rng, 1);
      if (rng.chance(0.1)) act.entities = rng.chance(0.5) ? [{ type: 'mention', text: '<at>Lex</at>', mentioned: BOT }] : anyValue(rng, 1);
      break;
    case 'submit': {
      // Action.Submit arrives as a message whose value holds the card's data.
      const value = rng.weighted<() => unknown>([
        [3, () => ({ command: rng.pick(COMMANDS) })],
        [2, () => ({ command: anyValue(rng, 1) })],
        [2, () => mutateObject(rng, validReportForm(rng, ctx.now), 0.3)],
        [2, () => anyObject(rng, 1, ['command', 'action', 'verb'])],
        [1, () => anyValue(rng, 1)],
      ])();
      act = { ...base, type: 'message', value };
      if (rng.chance(0.5)) act.text = anyString(rng);
      break;
    }
    case 'invoke-action': {
      // Filing is the deepest path (validation, identity-number checks, storage, notifications): weighted up.
      const verb = rng.weighted([[9, rng.pick(VERBS)], [3, 'report.submit'], [1, rng.pick(['case.', 'case.unknown', 'review.', 'status.', 'report.', 'case.show-form', 'CASE.SHOW'])], [1, anyValue(rng, 1)]]);
      let data = cardData(rng, typeof verb === 'string' ? verb : 'case.show', ctx.now, ctx.references);
      if (verb === 'report.submit' && ctx.alexFormIds.length && data && typeof data === 'object' && rng.chance(0.7)) {
        // An issued form, submitted by the person it was issued to: this reaches validation and storage.
        data = { ...data, formId: rng.pick(ctx.alexFormIds) };
        base.from = { id: '29:alex', aadObjectId: PEOPLE[0].aadObjectId, name: PEOPLE[0].name };
        // Forms are issued per conversation: the one the fuzz suite asked for them in.
        if (rng.chance(0.85)) base.conversation = { id: ALEX_PERSONAL_CHAT, tenantId: TENANT, conversationType: 'personal' };
      }
      const action = rng.weighted<() => unknown>([
        [14, () => ({ type: 'Action.Execute', verb, data })],
        [1, () => ({ type: 'Action.Execute', verb })],
        [1, () => ({ type: rng.pick(['Action.Submit', 'action.execute', '']), verb, data })],
        [1, () => mutateObject(rng, { type: 'Action.Execute', verb, data }, 0.6)],
        [1, () => anyValue(rng, 1)],
      ])();
      const value = rng.weighted<() => unknown>([
        [14, () => ({ action, trigger: 'manual' })],
        [1, () => mutateObject(rng, { action, trigger: 'manual' }, 0.6)],
        [1, () => anyValue(rng, 1)],
      ])();
      act = { ...base, type: 'invoke', name: rng.weighted([[20, 'adaptiveCard/action'], [1, anyValue(rng, 1)]]), value };
      break;
    }
    case 'invoke-other':
      act = {
        ...base,
        type: 'invoke',
        name: rng.pick(['composeExtension/query', 'task/fetch', 'task/submit', 'signin/verifyState', 'config/fetch', 'fileConsent/invoke', 'actionableMessage/executeAction', 'healthCheck', oddString(rng, 2)]),
        value: anyValue(rng, 1),
      };
      break;
    case 'installationUpdate':
      act = { ...base, type: 'installationUpdate', action: rng.weighted([[5, 'add'], [3, 'remove'], [1, 'add-upgrade'], [1, 'remove-upgrade'], [1, anyValue(rng, 1)]]) };
      break;
    case 'conversationUpdate': {
      const member = () => rng.weighted<unknown>([[5, BOT], [3, { id: '29:someone' }], [1, anyValue(rng, 1)]]);
      act = { ...base, type: 'conversationUpdate' };
      if (rng.chance(0.7)) act.membersAdded = rng.weighted<() => unknown>([[6, () => [member()]], [1, () => anyValue(rng, 1)]])();
      if (rng.chance(0.4)) act.membersRemoved = rng.weighted<() => unknown>([[6, () => [member()]], [1, () => anyValue(rng, 1)]])();
      break;
    }
    case 'other-type':
      act = { ...base, type: rng.pick(['event', 'messageReaction', 'typing', 'endOfConversation', 'messageUpdate', 'messageDelete', 'trace', 'handoff', '', oddString(rng, 2)]), value: anyValue(rng, 1) };
      break;
    default:
      act = rng.chance(0.5) ? mutateObject(rng, { ...base, type: 'message', text: 'hjälp' }, 0.8) : anyObject(rng, 0, Object.keys(base));
  }
  if (rng.chance(0.03)) setOwn(act, rng.pick(['__proto__', 'constructor', 'prototype']), anyValue(rng, 1));
  if (rng.chance(0.02)) act.type = anyValue(rng, 1);
  return { kind, activity: act };
}

// ---------------------------------------------------------------------------------------------
// Raw bodies: encodings and content types

export interface RawBody {
  kind: string;
  headers: Record<string, string>;
  body: Buffer;
}

const INVALID_UTF8 = [Buffer.from([0xff]), Buffer.from([0xc3]), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from([0xf8, 0x88, 0x80, 0x80, 0x80]), Buffer.from([0xc0, 0xaf]), Buffer.from([0x80])];

/** A JSON activity wrapped in a hostile encoding, framing or content type. */
export function rawBody(rng: Rng, ctx: GenContext): RawBody {
  const { activity: act } = activity(rng, ctx);
  const json = JSON.stringify(act) ?? 'null';
  const jsonCt = { 'content-type': 'application/json' };
  const kind = rng.pick([
    'invalid-utf8',
    'utf16le',
    'utf16be',
    'utf8-bom',
    'utf16-bom',
    'charset-mismatch',
    'wrong-content-type',
    'no-content-type',
    'truncated-json',
    'not-json',
    'json-scalar',
    'empty-body',
    'duplicate-keys',
    'content-encoding',
    'huge-number',
    'nul-bytes',
  ]);
  switch (kind) {
    case 'invalid-utf8': {
      const at = rng.int(0, json.length);
      const body = Buffer.concat([Buffer.from(json.slice(0, at)), rng.pick(INVALID_UTF8), Buffer.from(json.slice(at))]);
      return { kind, headers: jsonCt, body };
    }
    case 'utf16le':
      return { kind, headers: { 'content-type': rng.pick(['application/json', 'application/json; charset=utf-16le', 'application/json; charset=utf-16']) }, body: Buffer.from(json, 'utf16le') };
    case 'utf16be': {
      const le = Buffer.from(json, 'utf16le');
      return { kind, headers: { 'content-type': rng.pick(['application/json', 'application/json; charset=utf-16be']) }, body: le.swap16() };
    }
    case 'utf8-bom':
      return { kind, headers: jsonCt, body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(json)]) };
    case 'utf16-bom':
      return { kind, headers: jsonCt, body: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(json, 'utf16le')]) };
    case 'charset-mismatch':
      return { kind, headers: { 'content-type': rng.pick(['application/json; charset=latin1', 'application/json; charset=bogus', 'application/json; charset=', 'application/json; charset="utf-8"; x=y']) }, body: Buffer.from(json) };
    case 'wrong-content-type':
      return {
        kind,
        headers: { 'content-type': rng.pick(['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'text/csv', 'application/xml', 'application/octet-stream', 'application/jsonx', 'application/vnd.api+json', 'APPLICATION/JSON', '*/*', ';', 'application/json, text/plain', '\u00e5/\u00e4']) },
        body: Buffer.from(rng.chance(0.7) ? json : 'a=1&b=%ZZ&__proto__[x]=1&constructor[prototype][y]=2'),
      };
    case 'no-content-type':
      return { kind, headers: {}, body: Buffer.from(json) };
    case 'truncated-json':
      return { kind, headers: jsonCt, body: Buffer.from(json.slice(0, rng.int(0, Math.max(0, json.length - 1)))) };
    case 'not-json':
      return { kind, headers: jsonCt, body: Buffer.from(rng.pick(['{not json', 'undefined', "{'a':1}", '{"a":1,}', 'NaN', '\u0000', '<xml/>', ')]}\',\n{}', '{"a":"\\ud800"}', '{"a":"\\u0000"}'])) };
    case 'json-scalar':
      return { kind, headers: jsonCt, body: Buffer.from(rng.pick(['null', 'true', '0', '"message"', '[]', '[{}]', '1e400', '-0', '""'])) };
    case 'empty-body':
      return { kind, headers: jsonCt, body: Buffer.alloc(0) };
    case 'duplicate-keys':
      return { kind, headers: jsonCt, body: Buffer.from(json.replace(/^\{/, '{"type":"invoke","type":"message","__proto__":{"type":"invoke"},')) };
    case 'content-encoding':
      return { kind, headers: { ...jsonCt, 'content-encoding': rng.pick(['gzip', 'deflate', 'br', 'identity', 'x-unknown', 'gzip, gzip']) }, body: Buffer.from(json) };
    case 'huge-number':
      return { kind, headers: jsonCt, body: Buffer.from(json.replace(/^\{/, `{"n":${'9'.repeat(rng.int(400, 5000))},"m":1e99999,`)) };
    default: // nul-bytes
      return { kind, headers: jsonCt, body: Buffer.concat([Buffer.from(json), Buffer.alloc(rng.int(1, 64))]) };
  }
}

// ---------------------------------------------------------------------------------------------
// Casework import bodies (CSV)

const CSV_HEADER_GUESS = ['unitId', 'caseNumber', 'openedOn', 'dueOn', 'kind', 'status'];

/** A CSV body for /api/casework/import: a mutation of `sample` (a valid file), or noise. */
export function caseworkBody(rng: Rng, sample: string): RawBody {
  const lines = sample.split('\n');
  const kind = rng.pick(['sample-mutated', 'sample-lines-shuffled', 'random-csv', 'binary', 'utf16', 'bom', 'huge-field', 'quotes', 'empty', 'formula-injection']);
  const ct = { 'content-type': rng.pick(['text/csv', 'text/csv; charset=utf-8', 'application/octet-stream', 'application/json', 'text/plain']) };
  switch (kind) {
    case 'sample-mutated': {
      const out = lines.map((l, i) => (i > 0 && rng.chance(0.2) ? l.split(rng.pick([',', ';'])).map((c) => (rng.chance(0.3) ? oddString(rng, 2).replace(/\n/g, ' ') : c)).join(rng.pick([',', ';'])) : l));
      return { kind, headers: ct, body: Buffer.from(out.join(rng.pick(['\n', '\r\n', '\r']))) };
    }
    case 'sample-lines-shuffled': {
      const body = [lines[0], ...lines.slice(1).filter(() => rng.chance(0.7)).reverse(), ...(rng.chance(0.3) ? [lines[1] ?? ''] : [])].join('\n');
      return { kind, headers: ct, body: Buffer.from(body) };
    }
    case 'random-csv': {
      const header = rng.chance(0.5) ? (lines[0] ?? '') : [...CSV_HEADER_GUESS, ...PROTO_KEYS.slice(0, rng.int(0, 3))].join(',');
      const rows = Array.from({ length: rng.int(0, 30) }, () => Array.from({ length: rng.int(0, 10) }, () => String(anyValue(rng, 3)).replace(/[\n,]/g, ' ').slice(0, 300)).join(','));
      return { kind, headers: ct, body: Buffer.from([header, ...rows].join('\n')) };
    }
    case 'binary':
      return { kind, headers: ct, body: Buffer.from(Array.from({ length: rng.int(1, 4000) }, () => rng.int(0, 255))) };
    case 'utf16':
      return { kind, headers: ct, body: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(sample, 'utf16le')]) };
    case 'bom':
      return { kind, headers: ct, body: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(sample)]) };
    case 'huge-field':
      return { kind, headers: ct, body: Buffer.from(`${lines[0]}\n${hugeString(rng).replace(/\n/g, ' ')}\n`) };
    case 'quotes':
      return { kind, headers: ct, body: Buffer.from(`${lines[0]}\n"unterminated,${'"'.repeat(rng.int(1, 9))}a""b"\n"x"y,"\n`) };
    case 'empty':
      return { kind, headers: ct, body: Buffer.from(rng.pick(['', '\n', '\r\n\r\n', lines[0] ?? '', ','])) };
    default: // formula-injection
      return { kind, headers: ct, body: Buffer.from(lines.map((l, i) => (i === 1 ? l.replace(/^[^,;]*/, '=HYPERLINK("http://x")') : l)).join('\n')) };
  }
}
