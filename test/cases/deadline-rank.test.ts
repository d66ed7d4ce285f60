/**
 * Re-review #13: overdue rows ranked by what hangs on them, so old local-policy closings cannot
 * push a lapsing LVU deadline or an overdue anmälan off the first page (the weekly review) or
 * behind "… och N till" (the status card). One pure rule, used by both.
 */
import assert from 'node:assert/strict';
import { caseworkWeight, compareDeadlines, deadlineRank, lexSarahWeight, type RankedDeadline } from '../../src/cases/deadline-rank';

describe('ranking late deadlines by consequence (compareDeadlines)', () => {
  // [what, a, b, a first?]
  const table: [string, RankedDeadline, RankedDeadline, boolean][] = [
    ['a lapse due yesterday before a closing 200 days late', { urgency: 'forsenad', weight: 'consequence', due: '2026-12-02' }, { urgency: 'forsenad', weight: 'local-policy', due: '2026-05-10' }, true],
    ['a lapse before a statutory clock due earlier', { urgency: 'forsenad', weight: 'consequence', due: '2026-12-02' }, { urgency: 'forsenad', weight: 'statutory', due: '2026-11-01' }, true],
    ['an anmälan 2 days late before a closing a year late', { urgency: 'forsenad', weight: 'statutory', due: '2026-12-01' }, { urgency: 'forsenad', weight: 'local-policy', due: '2025-12-01' }, true],
    ['a deadline that cannot be computed before an overdue closing', { urgency: 'kan-inte-bedomas' }, { urgency: 'forsenad', weight: 'local-policy', due: '2026-01-01' }, true],
    ['an overdue statutory clock before a deadline that cannot be computed', { urgency: 'forsenad', weight: 'statutory', due: '2026-12-01' }, { urgency: 'kan-inte-bedomas' }, true],
    ['an overdue closing before an approaching anmälan', { urgency: 'forsenad', weight: 'local-policy', due: '2026-12-01' }, { urgency: 'narmar-sig', weight: 'statutory', due: '2026-12-04' }, true],
    ['same weight: the earlier due day first', { urgency: 'forsenad', weight: 'local-policy', due: '2026-01-10' }, { urgency: 'forsenad', weight: 'local-policy', due: '2026-02-10' }, true],
    ['approaching: the due day only, whatever the weight', { urgency: 'narmar-sig', weight: 'local-policy', due: '2026-12-03' }, { urgency: 'narmar-sig', weight: 'consequence', due: '2026-12-04' }, true],
    ['in time after approaching', { urgency: 'narmar-sig', weight: 'local-policy', due: '2026-12-09' }, { urgency: 'i-tid', weight: 'consequence', due: '2026-12-05' }, true],
    ['no deadline last', { urgency: 'i-tid', due: '2027-06-01' }, { urgency: 'ingen-frist' }, true],
    ['an overdue row without a weight counts as statutory: before local policy', { urgency: 'forsenad', due: '2026-12-01' }, { urgency: 'forsenad', weight: 'local-policy', due: '2026-01-01' }, true],
  ];
  for (const [what, a, b, aFirst] of table) {
    it(what, () => {
      assert.equal(Math.sign(compareDeadlines(a, b)), aFirst ? -1 : 1);
      assert.equal(Math.sign(compareDeadlines(b, a)), aFirst ? 1 : -1, 'antisymmetric');
    });
  }

  it('the groups, in order', () => {
    const groups: RankedDeadline[] = [
      { urgency: 'forsenad', weight: 'consequence' }, { urgency: 'forsenad', weight: 'statutory' }, { urgency: 'kan-inte-bedomas' },
      { urgency: 'forsenad', weight: 'local-policy' }, { urgency: 'narmar-sig' }, { urgency: 'i-tid' }, { urgency: 'ingen-frist' },
    ];
    assert.deepEqual(groups.map(deadlineRank), [0, 1, 2, 3, 4, 5, 6]);
  });

  // [clock, urgent, weight]
  const lex: [Parameters<typeof lexSarahWeight>[0]['clock'], boolean, string][] = [
    ['anmalan', false, 'statutory'],
    ['bedomning', true, 'statutory'],
    ['bedomning', false, 'local-policy'],
    ['utredning', false, 'local-policy'],
    ['avslut', false, 'local-policy'],
  ];
  for (const [clock, urgent, weight] of lex) {
    it(`lex Sarah ${clock}${urgent ? ' (brådskande)' : ''}: ${weight}`, () => assert.equal(lexSarahWeight({ clock, urgent }), weight));
  }

  it('casework: a named consequence first, then law, then the municipality\'s own days', () => {
    assert.equal(caseworkWeight({ consequence: 'Omhändertagandet upphör', localPolicy: false }), 'consequence');
    assert.equal(caseworkWeight({ consequence: 'Särskild avgift', localPolicy: true }), 'consequence');
    assert.equal(caseworkWeight({ localPolicy: false }), 'statutory');
    assert.equal(caseworkWeight({ localPolicy: true }), 'local-policy');
  });
});
