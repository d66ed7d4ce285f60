/** The report form shown again after a refused submit: the form with what was typed, or a message when it cannot fit. */
import assert from 'node:assert/strict';
import { CardRenderer, MAX_CARD_BYTES } from '../../src/cards/render';
import {
  ANMALD_NEXT_STEPS, NEXT_STEPS, reportFormAgainCard, reportFormCard, reportListCard, reportNotificationCard, STATE_TITLES, TOO_LONG_TO_SHOW_AGAIN, UNPLACED_REPORTER,
  UNPLACED_REPORTER_TEXTS, type FormCardInput,
} from '../../src/cards/report-cards';
import { CATEGORIES } from '../../src/reports/categories';
import type { Report, ReportSummary } from '../../src/reports/report';

const input: FormCardInput = {
  formId: 'f-1',
  reporterName: 'Megan Bowen',
  units: [{ id: 'u1', name: 'Barn och unga (Socialnämnden)' }],
  today: '2026-11-25',
  values: { location: 'Mottagningen', whatHappened: 'En orosanmälan registrerades inte.' },
  errors: { category: 'Välj ett av alternativen.' },
};

describe('reportFormAgainCard', () => {
  it('is the form with what was typed and the errors, as reportFormCard makes it', () => {
    const r = new CardRenderer();
    const card = reportFormAgainCard(r, input);
    assert.notEqual(typeof card, 'string');
    const json = JSON.stringify(card);
    assert.match(json, /En orosanmälan registrerades inte\./);
    assert.match(json, /Välj ett av alternativen\./);
    // The same card apart from nothing: the builder is the form's.
    assert.deepEqual(card, reportFormCard(r, input));
  });

  it('is a message, never a cut form, when the form does not fit in one Teams message', () => {
    const full = Buffer.byteLength(JSON.stringify(reportFormCard(new CardRenderer(), input)));
    assert.equal(reportFormAgainCard(new CardRenderer(undefined, Math.floor(full / 2)), input), TOO_LONG_TO_SHOW_AGAIN);
    assert.notEqual(typeof reportFormAgainCard(new CardRenderer(undefined, full), input), 'string');
  });
});

/** The inputs of a card by id, with their value and (for a choice set) the choices' values. */
function inputsOf(card: unknown): Map<string, { value?: string; choices?: string[] }> {
  const out = new Map<string, { value?: string; choices?: string[] }>();
  JSON.stringify(card, (_k, v) => {
    if (v && typeof v === 'object' && typeof v.type === 'string' && v.type.startsWith('Input.')) {
      out.set(v.id, { value: v.value, ...(v.choices ? { choices: (v.choices as { value: string }[]).map((c) => c.value) } : {}) });
    }
    return v;
  });
  return out;
}
const displayTexts = (card: unknown): string[] => {
  const out: string[] = [];
  JSON.stringify(card, (k, v) => {
    if (k === 'text' && typeof v === 'string') out.push(v);
    return v;
  });
  return out;
};

describe('reportFormCard: what a new form starts with', () => {
  const r = new CardRenderer();
  const units = [{ id: 'u1', name: 'Enhet 1' }, { id: 'u2', name: 'Enhet 2' }, { id: 'u3', name: 'Enhet 3' }];
  const base = { formId: 'f-1', reporterName: 'Megan Bowen', today: '2026-11-25' };

  // [case, units, defaultUnitId, unit chosen]
  const table: [string, typeof units, string | undefined, string][] = [
    ['the reporter\'s own unit among the nämnd\'s', units, 'u2', 'u2'],
    ['no own unit: nothing chosen, the reporter chooses', units, undefined, ''],
    ['a single unit is chosen even without a default', units.slice(0, 1), undefined, 'u1'],
    ['a default that is not offered is ignored', units, 'elsewhere', ''],
  ];
  for (const [name, offered, defaultUnitId, chosen] of table) {
    it(`unit: ${name}`, () => {
      const card = reportFormCard(r, { ...base, units: offered, ...(defaultUnitId ? { defaultUnitId } : {}) });
      const unit = inputsOf(card).get('unitId')!;
      assert.equal(unit.value, chosen);
      assert.deepEqual(unit.choices, offered.map((u) => u.id));
    });
  }

  it('both dates start on today; the form shown again keeps what was typed, even an empty date', () => {
    const fresh = inputsOf(reportFormCard(r, { ...base, units }));
    assert.equal(fresh.get('occurredDate')!.value, '2026-11-25');
    assert.equal(fresh.get('noticedDate')!.value, '2026-11-25');
    const again = inputsOf(reportFormCard(r, { ...base, units, values: { occurredDate: '2026-11-20', noticedDate: '' }, errors: { noticedDate: 'Ange ett datum.' } }));
    assert.equal(again.get('occurredDate')!.value, '2026-11-20');
    assert.equal(again.get('noticedDate')!.value, '');
  });

  it('sets no latest date: a form delivered or opened after midnight can still pick the new today (the service refuses a future day)', () => {
    const dates: Record<string, unknown>[] = [];
    JSON.stringify(reportFormCard(r, { ...base, units }), (_k, v: unknown) => {
      if (v && typeof v === 'object' && (v as { type?: unknown }).type === 'Input.Date') dates.push(v as Record<string, unknown>);
      return v;
    });
    assert.deepEqual(dates.map((d) => d.id), ['occurredDate', 'noticedDate']);
    for (const d of dates) assert.equal(d.max, undefined, `${String(d.id)} has a max`);
  });

  it('shows a notice when given one, and none otherwise', () => {
    assert.ok(displayTexts(reportFormCard(r, { ...base, units, notice: 'Rapporten går till samordnaren.' })).includes('Rapporten går till samordnaren.'));
    const plain = JSON.stringify(reportFormCard(r, { ...base, units }));
    assert.ok(!plain.includes('"color":"Warning"'), 'no empty notice block');
  });
});

describe('reportListCard ("mina rapporter")', () => {
  const r = new CardRenderer();
  const TZ = 'Europe/Stockholm';
  const day = (hhmm: string) => new Date(`2026-11-25T${hhmm}:00+01:00`);
  const item = (seq: number, at: string, category: ReportSummary['category'], state: ReportSummary['state'], unitName: string, urgent = false) => ({
    summary: { id: seq, reference: `LS-2026-${String(seq).padStart(4, '0')}`, unitId: `u${seq}`, category, state, urgent, createdAt: day(at) },
    unitName,
  });

  it('tells five reports from one day apart: time, category, unit, state and the next step each', () => {
    const reports = [
      item(5, '16:40', 'insatser', 'rapporterad', 'Hemtjänst Norr', true),
      item(4, '14:05', 'bemotande', 'under-utredning', 'Solgårdens särskilda boende'),
      item(3, '11:30', 'rattssakerhet', 'bedomd', 'Barn och unga – mottagning'),
      item(2, '09:15', 'fysiska', 'anmald', 'Gruppbostaden Eken'),
      item(1, '08:00', 'miljo', 'avslutad', 'Vuxenenheten'),
    ];
    const texts = displayTexts(reportListCard(r, { reports, timeZone: TZ }));
    for (const { summary: s, unitName } of reports) {
      assert.ok(texts.includes(`**${s.reference}**`));
      assert.ok(texts.includes(`${CATEGORIES[s.category]} – ${unitName}`), `${s.reference}: ${texts.join(' | ')}`);
      assert.ok(texts.includes(`**${STATE_TITLES[s.state]}.** Nästa steg: ${NEXT_STEPS[s.state]}`), s.reference);
    }
    for (const hhmm of ['16:40', '14:05', '11:30', '09:15', '08:00']) assert.ok(texts.includes(`25 nov. 2026 ${hhmm}`), hhmm);
    assert.equal(texts.filter((t) => t === 'BRÅDSKANDE').length, 1);
    // Each state has its own next step: no two reports in different states read alike.
    assert.equal(new Set(Object.values(NEXT_STEPS)).size, Object.keys(NEXT_STEPS).length);
  });

  it('says so when there are none', () => {
    assert.ok(displayTexts(reportListCard(r, { reports: [], timeZone: TZ })).includes('Du har inte lämnat några lex Sarah-rapporter.'));
  });

  // [where the investigation is, the next step shown for an anmäld report]
  const atIvo: [string, { investigationAtIvo?: 'attached' | 'sent' | 'to-send' }, RegExp, RegExp | undefined][] = [
    ['attached to the anmälan', { investigationAtIvo: 'attached' }, /bifogades/, /skickas till IVO/],
    ['sent to IVO after it', { investigationAtIvo: 'sent' }, /är skickad till IVO/, /skickas till IVO/],
    ['still to be sent', { investigationAtIvo: 'to-send' }, /Utredningen skickas till IVO/, undefined],
    ['not known (the list cannot tell)', {}, /Anmälan till IVO är gjord/, /skickas till IVO/],
  ];
  for (const [what, over, says, never] of atIvo) {
    it(`an anmäld report whose investigation is ${what}: the next step says so`, () => {
      const texts = displayTexts(reportListCard(r, { reports: [{ ...item(2, '09:15', 'fysiska', 'anmald', 'Gruppbostaden Eken'), ...over }], timeZone: TZ }));
      const next = texts.find((t) => t.startsWith(`**${STATE_TITLES.anmald}.** Nästa steg: `)) ?? '';
      assert.match(next, says);
      if (never) assert.doesNotMatch(next, never);
      if (over.investigationAtIvo) assert.equal(next, `**${STATE_TITLES.anmald}.** Nästa steg: ${ANMALD_NEXT_STEPS[over.investigationAtIvo]}`);
    });
  }

  it('where the investigation is changes only an anmäld report\'s next step', () => {
    const texts = displayTexts(reportListCard(r, { reports: [{ ...item(3, '11:30', 'rattssakerhet', 'bedomd', 'X'), investigationAtIvo: 'attached' }], timeZone: TZ }));
    assert.ok(texts.includes(`**${STATE_TITLES.bedomd}.** Nästa steg: ${NEXT_STEPS.bedomd}`));
  });

  it('shortens long unit names (saying so) only when the list would not fit, never the references', () => {
    const long = '.å'.repeat(128);
    const reports = Array.from({ length: 20 }, (_, i) => item(i + 1, '10:00', 'annat', 'bedomd', long));
    const card = reportListCard(r, { reports, timeZone: TZ });
    assert.ok(Buffer.byteLength(JSON.stringify(card)) <= MAX_CARD_BYTES);
    const texts = displayTexts(card);
    assert.ok(texts.some((t) => /förkortad/.test(t)));
    for (const { summary: s } of reports) assert.ok(texts.includes(`**${s.reference}**`));
    const few = displayTexts(reportListCard(r, { reports: reports.slice(0, 3), timeZone: TZ }));
    assert.ok(!few.some((t) => /förkortad/.test(t)), 'three fit whole');
  });
});

describe('reportNotificationCard for a reporter the organisation file does not place', () => {
  it('says so after the name, by why: not in the file (check who it is), or in it without a unit (check where they work)', () => {
    const r = new CardRenderer();
    const report = {
      id: 1, reference: 'LS-2026-0001', seq: 1, year: 2026, state: 'rapporterad', updatedAt: new Date(), formId: 'f', unitId: 'u1', committeeId: 'sn',
      occurredAt: new Date(), occurredTimeKnown: false, noticedAt: new Date(), noticedTimeKnown: false, location: 'x', category: 'annat',
      whatHappened: 'x', consequences: '', immediateActions: '', informed: 'ja', risks: { hurt: 'nej', ongoing: 'nej', vulnerable: 'nej', crime: 'nej', before: 'nej' },
      reporterEntraId: 'e1', reporterName: 'Okänd Person', urgent: false, createdAt: new Date(),
    } as Report;
    const input = { report, unitName: 'Enhet 1', role: 'samordnare' as const, timeZone: 'Europe/Stockholm' };
    const facts = JSON.stringify(reportNotificationCard(r, { ...input, reporterUnplaced: 'not-in-organisation' }));
    assert.ok(facts.includes(`{"title":"Rapportör","value":"Okänd Person${UNPLACED_REPORTER}"}`), facts);
    assert.match(UNPLACED_REPORTER, /finns inte med i organisationsfilen/);
    const unitLess = JSON.stringify(reportNotificationCard(r, { ...input, reporterUnplaced: 'no-unit' }));
    assert.ok(unitLess.includes(`"value":"Okänd Person${UNPLACED_REPORTER_TEXTS['no-unit']}"`), unitLess);
    assert.ok(!unitLess.includes(UNPLACED_REPORTER), 'a listed person is not said to be missing from the file');
    assert.match(UNPLACED_REPORTER_TEXTS['no-unit'], /finns i organisationsfilen men hör inte till någon enhet/);
    const plain = JSON.stringify(reportNotificationCard(r, input));
    for (const text of Object.values(UNPLACED_REPORTER_TEXTS)) assert.ok(!plain.includes(text));
  });
});
