/**
 * The welcome and help cards per person of the demo organisation (env/organisation.demo.yaml):
 * each offers only what the person can do. Whether each offered command is really answered (and
 * each left out really refused) is checked over HTTP in test/bot/role-cards.test.ts.
 */
import assert from 'node:assert/strict';
import path from 'node:path';
import { DECIDE_POINT, helpCard, INVESTIGATE_POINT, OPEN_OWN_DESCRIPTION, ROLES_SHOWN, rolesLine, SHARED_CHAT_NOTE, welcomeCard } from '../../src/cards/basic-cards';
import { CardRenderer, MAX_CARD_BYTES, type AdaptiveCard } from '../../src/cards/render';
import { COMMANDS, parseCommand } from '../../src/commands/commands';
import { Directory } from '../../src/org/directory';
import { loadOrganisationFile } from '../../src/org/load';
import { abilitiesOf, SHARED_CHAT_ABILITIES, type Abilities } from '../../src/reports/abilities';
import type { UnknownReporterPolicy } from '../../src/reports/access';
import { parseProblems } from '../support/card-parser';

const dir = new Directory(loadOrganisationFile(path.join(__dirname, '..', '..', 'env', 'organisation.demo.yaml')));
const id = (n: number) => `00000000-0000-0000-0000-00000000000${n}`;
const ALEX = id(20), MEGAN = id(21), ADELE = id(22), LEE = id(23), NESTOR = id(24);
const STRANGER = 'ffffffff-0000-0000-0000-000000000099';
const r = new CardRenderer();

const texts = (card: unknown): string[] => {
  const out: string[] = [];
  JSON.stringify(card, (k, v) => {
    if ((k === 'text' || k === 'title') && typeof v === 'string') out.push(v);
    return v;
  });
  return out;
};
const buttons = (card: AdaptiveCard) => ((card.actions ?? []) as { title: string; data: { command: string } }[]).map((a) => a.title);
/** The commands the help card lists, by what the user types. */
const helpCommands = (card: AdaptiveCard) => texts(card).filter((t) => /^\*\*.+\*\*$/.test(t)).map((t) => t.slice(2, -2));

const ALL_BUTTONS = ['Lämna en rapport', 'Mina rapporter', 'Veckogenomgång', 'Lägesbild', 'Hjälp'];

// [who, entraId, policy, welcome buttons, help commands, role line (part of it), a note on reporting]
const table: [string, string, UnknownReporterPolicy, string[], string[], RegExp | '', RegExp | ''][] = [
  ['Alex (every role in Socialnämnden)', ALEX, 'refuse', ALL_BUTTONS, ['rapportera', 'mina rapporter', 'öppna LS-2026-0001', 'genomgång', 'status', 'sammanställning', 'hjälp'],
    /^Du är medarbetare på Barn och unga – mottagning och utredning, enhetschef för .*, lex Sarah-samordnare för Socialnämnden, chef för Socialnämnden och administratör\.$/, ''],
  ['Megan (medarbetare)', MEGAN, 'refuse', ['Lämna en rapport', 'Mina rapporter', 'Hjälp'], ['rapportera', 'mina rapporter', 'öppna LS-2026-0001', 'hjälp'],
    /^Du är medarbetare på Barn och unga – mottagning och utredning\.$/, ''],
  ['Adele (enhetschef of two units)', ADELE, 'refuse', ALL_BUTTONS, ['rapportera', 'mina rapporter', 'öppna LS-2026-0001', 'genomgång', 'status', 'hjälp'],
    /^Du är enhetschef för Barn och unga – mottagning och utredning och enhetschef för Familjehemsenheten\.$/, ''],
  ['Lee (samordnare of two nämnder)', LEE, 'refuse', ['Lämna en rapport', 'Mina rapporter', 'Lägesbild', 'Hjälp'], ['rapportera', 'mina rapporter', 'öppna LS-2026-0001', 'status', 'sammanställning', 'hjälp'],
    /lex Sarah-samordnare för Socialnämnden och lex Sarah-samordnare för Vård- och omsorgsnämnden/, ''],
  ['Nestor (chef and medarbetare)', NESTOR, 'refuse', ['Lämna en rapport', 'Mina rapporter', 'Lägesbild', 'Hjälp'], ['rapportera', 'mina rapporter', 'öppna LS-2026-0001', 'status', 'sammanställning', 'hjälp'],
    /^Du är chef för Vård- och omsorgsnämnden och medarbetare på Solgårdens särskilda boende\.$/, ''],
  ['someone not in the organisation file', STRANGER, 'refuse', ['Mina rapporter', 'Hjälp'], ['mina rapporter', 'öppna LS-2026-0001', 'hjälp'],
    '', /Du finns inte med i organisationsfilen för Exempelby kommun.*muntligt/],
  ['someone not in the organisation file, with REPORT_UNKNOWN_PERSON=allow', STRANGER, 'allow', ['Lämna en rapport', 'Mina rapporter', 'Hjälp'], ['rapportera', 'mina rapporter', 'öppna LS-2026-0001', 'hjälp'],
    '', /Du kan ändå lämna en rapport.*lex Sarah-samordnaren/],
];

describe('welcome and help cards per person (demo organisation)', () => {
  for (const [who, entraId, policy, welcomeButtons, commands, roles, note] of table) {
    describe(who, () => {
      const abilities = abilitiesOf(dir, entraId, policy);
      const welcome = welcomeCard(r, { municipality: dir.municipality, firstName: 'X', abilities });
      const help = helpCard(r, '', abilities);

      it(`welcome offers ${welcomeButtons.join(', ')}, each sending its command`, () => {
        assert.deepEqual(buttons(welcome), welcomeButtons);
        const intents = (welcome.actions as { data: { command: string } }[]).map((a) => parseCommand(a.data.command)?.intent);
        assert.ok(intents.every((i) => i && abilities.intents.includes(i)), JSON.stringify(intents));
      });

      it(`help lists ${commands.join(', ')}`, () => {
        assert.deepEqual(helpCommands(help), commands);
      });

      it('says who the person is, or why the card offers less', () => {
        const all = texts(welcome);
        if (roles) assert.ok(all.some((t) => roles.test(t)), all.join('\n'));
        else assert.ok(!all.some((t) => t.startsWith('Du är ')));
        for (const card of [welcome, help]) {
          if (note) assert.ok(texts(card).some((t) => note.test(t)), texts(card).join('\n'));
          else assert.ok(!texts(card).some((t) => /organisationsfilen/.test(t)));
        }
      });

      it('are valid cards', () => {
        for (const card of [welcome, help]) {
          assert.deepEqual(parseProblems(card), []);
          assert.ok(!JSON.stringify(card).includes('${'));
        }
      });
    });
  }

  it('what the welcome card says it helps with follows the same abilities', () => {
    const megan = texts(welcomeCard(r, { municipality: 'X', abilities: abilitiesOf(dir, MEGAN, 'refuse') })).join('\n');
    assert.match(megan, /lämna en lex Sarah-rapport/);
    assert.ok(!/veckogenomgången|lägesbild|anmälas till IVO/i.test(megan), megan);
    const adele = texts(welcomeCard(r, { municipality: 'X', abilities: abilitiesOf(dir, ADELE, 'refuse') })).join('\n');
    assert.match(adele, /veckogenomgången/);
    assert.match(adele, /lägesbild/);
    // An enhetschef investigates; the assessment and the anmälan are the samordnare's and chef's (src/cases/permissions.ts).
    assert.ok(adele.includes(INVESTIGATE_POINT), adele);
    assert.ok(!/anmälas till IVO/.test(adele), adele);
    const lee = texts(welcomeCard(r, { municipality: 'X', abilities: abilitiesOf(dir, LEE, 'refuse') })).join('\n');
    assert.ok(lee.includes(INVESTIGATE_POINT) && lee.includes(DECIDE_POINT), lee);
  });

  it('"öppna" is described as opening one\'s own reports for someone who works no case', () => {
    const megan = texts(helpCard(r, '', abilitiesOf(dir, MEGAN, 'refuse')));
    assert.ok(megan.includes(OPEN_OWN_DESCRIPTION));
    const lee = texts(helpCard(r, '', abilitiesOf(dir, LEE, 'refuse')));
    assert.ok(!lee.includes(OPEN_OWN_DESCRIPTION));
    assert.ok(lee.includes(COMMANDS.find((c) => c.intent === 'open')!.description));
  });

  it('in a group chat or channel the card is the same for everyone: only "rapportera" and "hjälp", and where the rest is', () => {
    const welcome = welcomeCard(r, { municipality: 'X', firstName: 'Alex', abilities: SHARED_CHAT_ABILITIES });
    assert.deepEqual(buttons(welcome), ['Lämna en rapport', 'Hjälp']);
    assert.ok(!texts(welcome).some((t) => t.startsWith('Du är ')), 'no one\'s roles where others read along');
    const help = helpCard(r, '', SHARED_CHAT_ABILITIES);
    assert.deepEqual(helpCommands(help), ['rapportera', 'hjälp']);
    assert.ok(texts(help).includes(SHARED_CHAT_NOTE));
  });

  it('names at most ROLES_SHOWN roles and counts the rest', () => {
    const many = Array.from({ length: ROLES_SHOWN + 3 }, (_, i) => ({ role: 'enhetschef' as const, scopeName: `Enhet ${i}` }));
    const line = rolesLine(many);
    assert.match(line, /Enhet 5 och 3 roller till\.$/);
    assert.ok(!line.includes('Enhet 6'));
    assert.equal(rolesLine([]), '');
  });

  it('stays under the Teams limit for a person with the most roles and the longest names', () => {
    const long = 'Å'.repeat(200);
    const abilities: Abilities = {
      intents: COMMANDS.map((c) => c.intent), caseRights: ['view-case', 'investigate', 'decide'], shared: false,
      roles: Array.from({ length: 40 }, () => ({ role: 'samordnare' as const, scopeName: long })), reportingNote: 'x'.repeat(500),
    };
    const card = welcomeCard(r, { municipality: long, firstName: long, abilities });
    assert.ok(Buffer.byteLength(JSON.stringify(card)) < MAX_CARD_BYTES);
  });
});
