/**
 * The welcome card per person of the demo organisation, through the running bot: a button is on
 * the card iff its command is answered for that person (not refused). The cards' contents per
 * person are table-tested in test/cards/basic-cards.test.ts; this holds them to the services.
 */
import assert from 'node:assert/strict';
import { DateTime } from 'luxon';
import { DECIDE_POINT, INVESTIGATE_POINT, WELCOME_ACTIONS } from '../../src/cards/basic-cards';
import { COMMANDS, parseCommand } from '../../src/commands/commands';
import {
  activity, ADELE, ALEX, BOT, cardTexts, fileReport, invokeAction, LEE, MEGAN, NESTOR, personalChat, post, startTestApp, TENANT, type BotReply, type TestApp,
} from '../support/app-fixture';

const STRANGER = { id: '29:stranger', aadObjectId: 'ffffffff-0000-0000-0000-000000000099', name: 'Okänd Person' };
type Who = typeof ALEX;

const buttonsOf = (reply: BotReply) =>
  reply.activities.flatMap((a) => a.attachments ?? []).flatMap((att) => ((att.content as { actions?: { title: string; data: { command: string } }[] }).actions ?? []));

/** Whether the bot did what the command asks (a card), rather than explain why it will not (a message). */
const answered = (reply: BotReply) => reply.activities.some((a) => (a.attachments ?? []).length > 0);

describe('welcome card buttons are exactly the commands each person is answered', function () {
  this.timeout(30_000);
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(async () => {
    await t.stop();
  });

  const as = (who: Who, over: Record<string, unknown> = {}) => activity({ from: who, conversation: personalChat(who), ...over });

  // [who, the buttons expected]
  const table: [string, Who, string[]][] = [
    ['Alex (every role)', ALEX, ['Lämna en rapport', 'Mina rapporter', 'Veckogenomgång', 'Lägesbild', 'Hjälp']],
    ['Megan (medarbetare)', MEGAN, ['Lämna en rapport', 'Mina rapporter', 'Hjälp']],
    ['Adele (enhetschef)', ADELE, ['Lämna en rapport', 'Mina rapporter', 'Veckogenomgång', 'Lägesbild', 'Hjälp']],
    ['Lee (samordnare)', LEE, ['Lämna en rapport', 'Mina rapporter', 'Lägesbild', 'Hjälp']],
    ['Nestor (chef)', NESTOR, ['Lämna en rapport', 'Mina rapporter', 'Lägesbild', 'Hjälp']],
    ['someone not in the organisation file', STRANGER, ['Mina rapporter', 'Hjälp']],
  ];
  for (const [name, who, expected] of table) {
    it(`${name}: ${expected.join(', ')}`, async () => {
      const welcome = await post(t.baseUrl, as(who, { type: 'conversationUpdate', text: undefined, membersAdded: [BOT, { id: who.id }] }));
      const buttons = buttonsOf(welcome);
      assert.deepEqual(buttons.map((b) => b.title), expected);
      for (const w of WELCOME_ACTIONS) {
        // What a click sends (the button's command), or for a left-out button what typing it sends.
        const command = buttons.find((b) => b.title === w.title)?.data.command ?? COMMANDS.find((c) => c.intent === w.intent)!.phrases[0]!;
        assert.equal(parseCommand(command)?.intent, w.intent);
        const reply = await post(t.baseUrl, as(who, { text: command }));
        assert.equal(answered(reply), expected.includes(w.title), `${w.title}: ${cardTexts(reply).join(' | ').slice(0, 300)}`);
      }
    });
  }

  it('someone not in the organisation file is told why, in Swedish, when they try to report', async () => {
    const reply = await post(t.baseUrl, as(STRANGER, { text: 'rapportera' }));
    assert.match(cardTexts(reply).join('\n'), /Du finns inte med i organisationsfilen för Exempelby kommun.*muntligt/s);
    const welcome = await post(t.baseUrl, as({ ...STRANGER, id: '29:stranger-2' }, { type: 'conversationUpdate', text: undefined, membersAdded: [BOT], conversation: { id: 'a:personal-stranger-2', tenantId: TENANT, conversationType: 'personal' } }));
    assert.match(cardTexts(welcome).join('\n'), /Du finns inte med i organisationsfilen/);
  });

  it('in a group chat the welcome is the same for everyone: "Lämna en rapport" and "Hjälp", no roles', async () => {
    const group = { id: '19:group-welcome@thread.v2', tenantId: TENANT, conversationType: 'groupChat' };
    const welcome = await post(t.baseUrl, activity({ from: ALEX, conversation: group, type: 'conversationUpdate', text: undefined, membersAdded: [BOT] }));
    assert.deepEqual(buttonsOf(welcome).map((b) => b.title), ['Lämna en rapport', 'Hjälp']);
    assert.ok(!cardTexts(welcome).some((x) => x.startsWith('Du är ')));
    const help = await post(t.baseUrl, activity({ from: ALEX, conversation: group, text: 'hjälp' }));
    assert.match(cardTexts(help).join('\n'), /Skriv "hjälp" i vår personliga chatt/);
  });

  // [who, the unit a report is filed in (where the person has their rights), investigates, decides]
  const caseRights: [string, Who, string, boolean, boolean][] = [
    ['Megan (medarbetare, her own report)', MEGAN, 'bou-mottagning', false, false],
    ['Adele (enhetschef): investigates, does not decide', ADELE, 'bou-mottagning', true, false],
    ['Lee (samordnare)', LEE, 'bou-mottagning', true, true],
    ['Alex (every role)', ALEX, 'bou-mottagning', true, true],
    ['Nestor (chef of his nämnd)', NESTOR, 'solgarden', true, true],
  ];
  for (const [name, who, unitId, investigates, decides] of caseRights) {
    it(`${name}: the welcome card promises ${investigates ? 'utreda' : 'no utreda'} and ${decides ? 'bedöma/anmäla' : 'no bedöma/anmäla'}, as a case answers`, async () => {
      const today = DateTime.now().setZone('Europe/Stockholm').toISODate()!;
      // Filed by Megan, or for Solgården by Nestor himself (a medarbetare there): the chef's right, not the reporter's, is what counts.
      const reference = await fileReport(t.baseUrl, as(unitId === 'solgarden' ? NESTOR : MEGAN), today, { unitId });
      // A chat of its own: the welcome comes once per conversation, and the table above had it.
      const chat = { id: `a:personal-rights-${who.aadObjectId.slice(-2)}`, tenantId: TENANT, conversationType: 'personal' };
      const welcome = cardTexts(await post(t.baseUrl, as(who, { type: 'conversationUpdate', text: undefined, membersAdded: [BOT, { id: who.id }], conversation: chat })));
      const refused = async (verb: string) => /Du kan inte/.test((await invokeAction(t.baseUrl, as(who), verb, { reference })).joined);
      // The first step of each right: starting the investigation, and the assessment that decides on IVO.
      assert.equal(!(await refused('case.start-form')), investigates, 'case.start-form');
      assert.equal(!(await refused('case.assess-form')), decides, 'case.assess-form');
      assert.equal(welcome.some((x) => x.includes(INVESTIGATE_POINT)), investigates, welcome.join(' | '));
      assert.equal(welcome.some((x) => x.includes(DECIDE_POINT)), decides, welcome.join(' | '));
      assert.equal(welcome.some((x) => /anmälas till IVO/.test(x)), decides);
    });
  }

  it('help in the personal chat lists what the person may do', async () => {
    const megan = cardTexts(await post(t.baseUrl, as(MEGAN, { text: 'hjälp' })));
    assert.ok(megan.includes('**rapportera**'));
    assert.ok(!megan.includes('**genomgång**') && !megan.includes('**status**'), megan.join(' | '));
    const adele = cardTexts(await post(t.baseUrl, as(ADELE, { text: 'hjälp' })));
    assert.ok(adele.includes('**genomgång**') && adele.includes('**status**'));
  });
});
