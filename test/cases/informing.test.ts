/** The informing step's rules: what the form accepts, and what is in force when several are recorded. */
import assert from 'node:assert/strict';
import { currentInforming, informingSentence, informingText, parseInformingForm, readInforming, type Informing } from '../../src/cases/informing';

const REPORT_DAY = '2026-11-20';
const TODAY = '2026-11-25';

describe('informing the individual or vårdnadshavare', () => {
  const cases: [string, Record<string, unknown>, Informing | string[]][] = [
    ['told, with role and date', { about: 'utredningen', informed: 'ja', informedOn: '2026-11-21', role: 'vardnadshavare' }, { about: 'utredningen', informed: 'ja', informedOn: '2026-11-21', role: 'vardnadshavare' }],
    ['not told, with why', { about: 'utfallet', informed: 'nej', whyNot: ' Barnet är placerat; vårdnadshavaren nås inte. ' }, { about: 'utfallet', informed: 'nej', whyNot: 'Barnet är placerat; vårdnadshavaren nås inte.' }],
    ['the why-not of a "ja" is dropped', { about: 'utredningen', informed: 'ja', informedOn: TODAY, role: 'den-enskilde', whyNot: 'x' }, { about: 'utredningen', informed: 'ja', informedOn: TODAY, role: 'den-enskilde' }],
    ['nothing chosen', {}, ['about', 'informed']],
    ['told, without date or role', { about: 'utredningen', informed: 'ja' }, ['informedOn', 'role']],
    ['told before the report', { about: 'utredningen', informed: 'ja', informedOn: '2026-11-19', role: 'den-enskilde' }, ['informedOn']],
    ['told in the future', { about: 'utredningen', informed: 'ja', informedOn: '2026-11-26', role: 'den-enskilde' }, ['informedOn']],
    ['not a day', { about: 'utredningen', informed: 'ja', informedOn: '2026-02-30', role: 'den-enskilde' }, ['informedOn']],
    ['a name is not a role', { about: 'utredningen', informed: 'ja', informedOn: TODAY, role: 'Anna Andersson' }, ['role']],
    ['not told, no reason', { about: 'utredningen', informed: 'nej', whyNot: '  ' }, ['whyNot']],
    ['not told, reason too long', { about: 'utredningen', informed: 'nej', whyNot: 'x'.repeat(1001) }, ['whyNot']],
    // Review #13: keys every object has ("in" finds them) are no answer of the form.
    ...['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf'].flatMap((k): [string, Record<string, unknown>, string[]][] => [
      [`role "${k}"`, { about: 'utredningen', informed: 'ja', informedOn: TODAY, role: k }, ['role']],
      [`subject "${k}"`, { about: k, informed: 'nej', whyNot: 'Nås inte.' }, ['about']],
      [`answer "${k}"`, { about: 'utredningen', informed: k }, ['informed']],
    ]),
  ];
  for (const [name, data, want] of cases) {
    it(name, () => {
      const got = parseInformingForm(data, REPORT_DAY, TODAY);
      if (Array.isArray(want)) {
        assert.equal(got.ok, false);
        assert.deepEqual(Object.keys(got.ok ? {} : got.errors).sort(), [...want].sort());
      } else {
        assert.deepEqual(got, { ok: true, value: want });
      }
    });
  }

  it('round-trips through the entry text, and text that is no record reads as nothing', () => {
    const i: Informing = { about: 'utfallet', informed: 'ja', informedOn: TODAY, role: 'foretradare' };
    assert.deepEqual(readInforming(informingText(i)), i);
    for (const t of ['', 'inte json', '{"about":"utredningen","informed":"ja"}', '{"about":"x","informed":"nej","whyNot":"y"}']) assert.equal(readInforming(t), undefined, t);
  });

  it('the newest record per subject is in force, the investigation first', () => {
    const a: Informing = { about: 'utfallet', informed: 'nej', whyNot: 'Inte klart än.' };
    const b: Informing = { about: 'utredningen', informed: 'nej', whyNot: 'Nås inte.' };
    const c: Informing = { about: 'utredningen', informed: 'ja', informedOn: TODAY, role: 'vardnadshavare' };
    assert.deepEqual(currentInforming([a, b, 'skräp', c].map((x) => (typeof x === 'string' ? x : informingText(x)))), [c, a]);
  });

  it('says it in plain Swedish', () => {
    const day = (iso: string) => `dag ${iso}`;
    assert.equal(informingSentence({ about: 'utredningen', informed: 'ja', informedOn: TODAY, role: 'vardnadshavare' }, day), `Vårdnadshavaren informerades om utredningen dag ${TODAY}.`);
    assert.equal(informingSentence({ about: 'utfallet', informed: 'nej', whyNot: 'Nås inte.' }, day), 'Inte informerad om utredningens resultat: Nås inte.');
  });
});
