/** The case inputs checked before anything is stored: åtgärd due days and the known case verbs. */
import assert from 'node:assert/strict';
import { ACTION_DUE_MAX_YEARS, dueOnError } from '../../src/cases/case-service';
import { caseRight, isCaseVerb } from '../../src/cases/steps';

describe('dueOnError (åtgärd "Klart senast")', () => {
  const reportDay = '2026-11-20';
  const today = '2026-12-01';
  const cases: [string, RegExp | undefined][] = [
    ['2026-12-15', undefined],
    ['2026-11-20', undefined],
    ['2026-11-25', undefined],
    [`${2026 + ACTION_DUE_MAX_YEARS}-12-01`, undefined],
    [`${2026 + ACTION_DUE_MAX_YEARS}-12-02`, /högst 2 år fram/],
    ['2026-11-19', /före rapporten/],
    ['1999-01-01', /före rapporten/],
    ['2999-01-01', /högst/],
    ['2026-02-30', /Ange datum/],
    ['15/12/2026', /Ange datum/],
    ['', /Ange datum/],
  ];
  for (const [dueOn, refused] of cases) {
    it(`"${dueOn}" is ${refused ? 'refused' : 'accepted'}`, () => {
      const r = dueOnError(dueOn, reportDay, today);
      if (refused) assert.match(r ?? '', refused);
      else assert.equal(r, undefined);
    });
  }
});

describe('case verbs', () => {
  it('knows exactly the verbs the cards use, and nothing inherited from Object', () => {
    for (const v of ['case.show', 'case.draft', 'case.start-form', 'case.document', 'case.decide']) assert.ok(isCaseVerb(v), v);
    for (const v of ['toString', 'constructor', '__proto__', 'case.zzz-form', 'case.', 'review.done']) assert.equal(isCaseVerb(v), false, v);
  });
  it('needs the decide right for every step of the responsible person', () => {
    for (const v of ['case.assess-form', 'case.assess', 'case.decide', 'case.file', 'case.sent', 'case.close', 'case.draft'] as const) assert.equal(caseRight(v), 'decide', v);
    for (const v of ['case.start', 'case.document', 'case.action', 'case.inform-form', 'case.inform'] as const) assert.equal(caseRight(v), 'investigate', v);
    assert.equal(caseRight('case.show'), 'view-case');
  });
});
