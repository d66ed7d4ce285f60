/** The report form shown again after a refused submit: the form with what was typed, or a message when it cannot fit. */
import assert from 'node:assert/strict';
import { CardRenderer } from '../../src/cards/render';
import { reportFormAgainCard, reportFormCard, TOO_LONG_TO_SHOW_AGAIN, type FormCardInput } from '../../src/cards/report-cards';

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
