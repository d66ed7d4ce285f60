import assert from 'node:assert/strict';
import { urgencyReasons, validateReportForm, type FormErrors } from '../../src/reports/form';

const NOW = new Date('2026-11-22T14:00:00.000Z'); // 15:00 in Stockholm
const opts = { now: NOW, timeZone: 'Europe/Stockholm', unitIds: ['bou', 'vuxen'] };
const FORM_ID = '3f1c2a4e-8b7d-4c6e-9a1b-2d3e4f5a6b7c';

const valid = (over: Record<string, unknown> = {}) => ({
  formId: FORM_ID,
  unitId: 'bou',
  occurredDate: '2026-11-21',
  occurredTime: '22:15',
  noticedDate: '2026-11-22',
  noticedTime: '',
  location: 'Boendet, avdelning 2',
  category: 'insatser',
  whatHappened: 'Kvällsmedicinen gavs inte.',
  consequences: '',
  immediateActions: 'Läkare kontaktad 08:10.',
  informed: 'ja',
  risk_hurt: 'nej',
  risk_ongoing: 'nej',
  risk_vulnerable: 'nej',
  risk_crime: 'nej',
  risk_before: 'nej',
  caseReference: 'BoU 2026/123',
  ...over,
});

describe('report form validation', () => {
  it('accepts a complete form and converts times from Stockholm time', () => {
    const r = validateReportForm(valid(), opts);
    assert.ok(r.ok);
    assert.equal(r.draft.occurredAt.toISOString(), '2026-11-21T21:15:00.000Z');
    assert.equal(r.draft.occurredTimeKnown, true);
    assert.equal(r.draft.noticedTimeKnown, false);
    assert.equal(r.draft.caseReference, 'BoU 2026/123');
    assert.deepEqual(r.draft.risks, { hurt: 'nej', ongoing: 'nej', vulnerable: 'nej', crime: 'nej', before: 'nej' });
  });

  it('trims text and treats optional fields as empty', () => {
    const r = validateReportForm(valid({ location: '  Köket  ', consequences: undefined, caseReference: '' }), opts);
    assert.ok(r.ok);
    assert.equal(r.draft.location, 'Köket');
    assert.equal(r.draft.consequences, '');
    assert.equal(r.draft.caseReference, undefined);
  });

  // [case, changes, field expected to carry an error, message pattern]
  const refused: [string, Record<string, unknown>, keyof FormErrors, RegExp][] = [
    ['missing what happened', { whatHappened: '' }, 'whatHappened', /Måste fyllas i/],
    ['only spaces in what happened', { whatHappened: '   ' }, 'whatHappened', /Måste fyllas i/],
    ['too long what happened', { whatHappened: 'x'.repeat(4001) }, 'whatHappened', /Högst 4000 tecken/],
    ['missing location', { location: undefined }, 'location', /Måste fyllas i|Ogiltigt/],
    ['unknown category', { category: 'skola' }, 'category', /Välj ett av alternativen/],
    ['missing risk answer', { risk_crime: '' }, 'risk_crime', /Välj ett av alternativen/],
    ['bad informed', { informed: 'kanske' }, 'informed', /Välj ett av alternativen/],
    ['unit not the reporter\'s', { unitId: 'solgarden' }, 'unitId', /Välj en av enheterna/],
    ['no unit', { unitId: '' }, 'unitId', /Välj enhet/],
    ['a unit id the form did not offer (crafted)', { unitId: 'gruppbostad-eken' }, 'unitId', /inte bland dem du kan rapportera för/],
    ['an offered unit id with different case', { unitId: 'BOU' }, 'unitId', /inte bland dem du kan rapportera för/],
    ['an offered unit id padded with spaces', { unitId: ' bou ' }, 'unitId', /inte bland dem du kan rapportera för/],
    ['a unit id that is not text', { unitId: ['bou'] }, 'unitId', /Välj enhet/],
    ['a unit id that is an object', { unitId: { toString: 'bou' } }, 'unitId', /Välj enhet/],
    ['bad date format', { occurredDate: '21/11/2026' }, 'occurredDate', /ÅÅÅÅ-MM-DD/],
    ['impossible date', { occurredDate: '2026-02-30' }, 'occurredDate', /finns inte/],
    ['bad time', { occurredTime: '25:00' }, 'occurredTime', /TT:MM/],
    ['occurred tomorrow', { occurredDate: '2026-11-23', occurredTime: '' }, 'occurredDate', /framtiden/],
    ['occurred later today', { occurredDate: '2026-11-22', occurredTime: '16:00' }, 'occurredDate', /framtiden/],
    ['noticed before it happened', { noticedDate: '2026-11-20' }, 'noticedDate', /innan det hände/],
    ['noticed before it happened, same day', { occurredDate: '2026-11-22', occurredTime: '10:00', noticedDate: '2026-11-22', noticedTime: '09:00' }, 'noticedDate', /innan det hände/],
    ['case reference with odd characters', { caseReference: 'BoU <script>' }, 'caseReference', /bara innehålla/],
    ['personnummer in what happened', { whatHappened: 'Brukaren 850709-9805 föll' }, 'whatHappened', /personnummer eller samordningsnummer/],
    ['personnummer as case reference', { caseReference: '19850709-9805' }, 'caseReference', /personnummer/],
    ['samordningsnummer in location', { location: 'Hos 850769-9802' }, 'location', /personnummer eller samordningsnummer/],
    ['no form id', { formId: undefined }, 'formId' as keyof FormErrors, /nytt formulär/],
  ];
  for (const [name, change, field, pattern] of refused) {
    it(`refuses ${name}`, () => {
      const r = validateReportForm(valid(change), opts);
      assert.equal(r.ok, false);
      if (r.ok) return;
      assert.match(r.errors[field] ?? '', pattern, JSON.stringify(r.errors));
    });
  }

  it('refuses every unit when the form offered none, and accepts each offered one', () => {
    const none = validateReportForm(valid(), { ...opts, unitIds: [] });
    assert.ok(!none.ok && /Välj en av enheterna/.test(none.errors.unitId ?? ''));
    for (const unitId of opts.unitIds) assert.ok(validateReportForm(valid({ unitId }), opts).ok, unitId);
  });

  it('a refused unit comes with the other problems of the form, not instead of them', () => {
    const r = validateReportForm(valid({ unitId: 'solgarden', category: 'x', whatHappened: '' }), opts);
    assert.ok(!r.ok);
    if (r.ok) return;
    assert.deepEqual(Object.keys(r.errors).sort(), ['category', 'unitId', 'whatHappened']);
  });

  // The card sets no latest date (a form queued before midnight would otherwise refuse the new
  // today), so the day is checked here, on the app's clock in the municipality's zone.
  describe('a form opened before midnight and submitted after it', () => {
    const afterMidnight = { ...opts, now: new Date('2026-11-22T23:01:00.000Z') }; // 00:01 on 23 Nov in Stockholm
    it('files for the new day (the form started on the day before)', () => {
      assert.ok(validateReportForm(valid({ occurredDate: '2026-11-23', occurredTime: '', noticedDate: '2026-11-23' }), afterMidnight).ok);
      assert.ok(validateReportForm(valid({ occurredDate: '2026-11-22', occurredTime: '', noticedDate: '2026-11-22' }), afterMidnight).ok);
    });
    it('refuses the day after, in Swedish, naming the latest day allowed', () => {
      const r = validateReportForm(valid({ occurredDate: '2026-11-24', occurredTime: '', noticedDate: '2026-11-24' }), afterMidnight);
      assert.ok(!r.ok);
      if (r.ok) return;
      assert.equal(r.errors.occurredDate, 'Datumet ligger i framtiden. Välj i dag (23 november) eller en tidigare dag.');
      assert.equal(r.errors.noticedDate, 'Datumet ligger i framtiden. Välj i dag (23 november) eller en tidigare dag.');
    });
    it('a time later today is refused as a time', () => {
      const r = validateReportForm(valid({ occurredDate: '2026-11-23', occurredTime: '08:00', noticedDate: '2026-11-23' }), afterMidnight);
      assert.ok(!r.ok && r.errors.occurredDate === 'Tidpunkten ligger i framtiden: klockslaget har inte varit än i dag. Ange när det hände, eller lämna klockslaget tomt.', JSON.stringify(!r.ok && r.errors));
    });
  });

  it('accepts noticed today without a time even though the day is not over', () => {
    assert.ok(validateReportForm(valid({ occurredDate: '2026-11-22', occurredTime: '', noticedDate: '2026-11-22' }), opts).ok);
  });

  it('does not block dates, phone numbers and case numbers that look numeric', () => {
    const r = validateReportForm(valid({ whatHappened: 'Ring 070-123 45 67 den 2026-11-21, ärende 2026-1234, LS-2026-0001.' }), opts);
    assert.ok(r.ok, JSON.stringify(!r.ok && r.errors));
  });

  it('echoes what the user typed; text with an identity number comes back with only the number masked', () => {
    const r = validateReportForm(valid({ whatHappened: 'Brukaren 850709-9805', category: 'x' }), opts);
    assert.ok(!r.ok);
    if (r.ok) return;
    assert.equal(r.values.whatHappened, 'Brukaren [personnummer borttaget]');
    assert.equal(r.values.location, 'Boendet, avdelning 2');
    assert.match(r.errors.category ?? '', /Välj ett av alternativen/);
    assert.ok(!JSON.stringify(r).includes('9805'));
  });

  it('keeps a long "Vad hände?" on refusal: the reporter does not retype 4,000 characters', () => {
    const story = 'Kvällsmedicinen gavs inte och ingen avvikelse skrevs. '.repeat(70).slice(0, 3900);
    const whatHappened = `${story}\nGäller brukaren 19850709-9805 på avdelning 2.`;
    const r = validateReportForm(valid({ whatHappened }), opts);
    assert.ok(!r.ok);
    if (r.ok) return;
    assert.equal(r.values.whatHappened, `${story}\nGäller brukaren [personnummer borttaget] på avdelning 2.`);
    assert.deepEqual(Object.keys(r.errors), ['whatHappened']);
    assert.match(r.errors.whatHappened ?? '', /^Fältet "Vad hände\?" ser ut att innehålla ett personnummer eller samordningsnummer \(på rad 2\)\./);
    assert.match(r.errors.whatHappened ?? '', /ersatts med \[personnummer borttaget\]; resten av texten finns kvar/);
    for (const fragment of ['850709', '9805', '19850709']) assert.ok(!JSON.stringify(r).includes(fragment), fragment);
    // Sending the card again as shown is accepted.
    const again = validateReportForm(valid({ whatHappened: r.values.whatHappened }), opts);
    assert.ok(again.ok, JSON.stringify(!again.ok && again.errors));
  });

  it('masks every free-text field on its own and names each field', () => {
    const r = validateReportForm(valid({ location: 'Hos 850769-9802', immediateActions: 'Ringde om 850709-9805 och 701063-2391.' }), opts);
    assert.ok(!r.ok);
    if (r.ok) return;
    assert.equal(r.values.location, 'Hos [personnummer borttaget]');
    assert.equal(r.values.immediateActions, 'Ringde om [personnummer borttaget] och [personnummer borttaget].');
    assert.match(r.errors.location ?? '', /^Fältet "Var hände det\?" ser ut att innehålla ett personnummer/);
    assert.match(r.errors.immediateActions ?? '', /^Fältet "Åtgärder som redan vidtagits" ser ut att innehålla två personnummer/);
    assert.equal(r.values.whatHappened, 'Kvällsmedicinen gavs inte.');
  });

  it('removes the number from the case reference (the marker is not a valid reference)', () => {
    const r = validateReportForm(valid({ caseReference: 'BoU 850709-9805' }), opts);
    assert.ok(!r.ok);
    if (r.ok) return;
    assert.equal(r.values.caseReference, 'BoU ');
    assert.match(r.errors.caseReference ?? '', /^Fältet "Ärendenummer i verksamhetssystemet \(valfritt\)" ser ut att innehålla.*tagits bort/);
  });

  // Text pasted from Word, PDF or a case system (issue #11).
  const pasted: [string, string][] = [
    ['zero-width space', 'Brukaren 850709-98\u200B05 föll'],
    ['soft hyphen', 'Brukaren 850709\u00AD9805 föll'],
    ['fullwidth digits', 'Brukaren ８５０７０９－９８０５ föll'],
    ['Arabic-Indic digits', 'Brukaren \u0668\u0665\u0660\u0667\u0660\u0669-\u0669\u0668\u0660\u0665 föll'],
    ['YYYY-MM-DD-NNNN', 'Brukaren 1985-07-09-9805 föll'],
    ['a line break between date and serial', 'Brukaren 850709\r\n9805 föll'],
  ];
  for (const [name, whatHappened] of pasted) {
    it(`refuses and masks a pasted number: ${name}`, () => {
      const r = validateReportForm(valid({ whatHappened }), opts);
      assert.ok(!r.ok);
      if (r.ok) return;
      assert.match(r.errors.whatHappened ?? '', /personnummer eller samordningsnummer/);
      assert.equal(r.values.whatHappened, 'Brukaren [personnummer borttaget] föll');
    });
  }

  it('ignores fields it does not know and survives non-object input', () => {
    assert.ok(validateReportForm(valid({ extra: 'x', verb: 'report.submit' }), opts).ok);
    const r = validateReportForm('nonsense', opts);
    assert.equal(r.ok, false);
  });
});

describe('urgency from the quick risk questions', () => {
  const base = { hurt: 'nej', ongoing: 'nej', vulnerable: 'nej', crime: 'nej', before: 'nej' } as const;
  const table: [string, Partial<Record<keyof typeof base, 'ja' | 'nej' | 'vet-ej'>>, string[]][] = [
    ['all no', {}, []],
    ['only happened before', { before: 'ja' }, []],
    ['someone hurt', { hurt: 'ja' }, ['hurt']],
    ['risk ongoing unknown', { ongoing: 'vet-ej' }, ['ongoing']],
    ['vulnerable person', { vulnerable: 'ja' }, ['vulnerable']],
    ['crime suspected and hurt', { crime: 'ja', hurt: 'ja' }, ['hurt', 'crime']],
  ];
  for (const [name, change, expected] of table) {
    it(`${name} → ${expected.join(', ') || 'not urgent'}`, () => {
      assert.deepEqual(urgencyReasons({ ...base, ...change }), expected);
    });
  }
});

describe('report form messages', () => {
  it('every message for a completely empty form is Swedish (no zod defaults leak)', () => {
    const r = validateReportForm({}, { now: NOW, timeZone: 'Europe/Stockholm', unitIds: ['bou'] });
    assert.ok(!r.ok);
    if (r.ok) return;
    assert.ok(Object.keys(r.errors).length >= 10);
    for (const [field, msg] of Object.entries(r.errors)) {
      assert.ok(!/Required|Invalid|Expected|String must/i.test(msg ?? ''), `${field}: ${msg}`);
    }
  });
});
