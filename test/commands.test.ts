import assert from 'node:assert/strict';
import { COMMANDS, normaliseMessage, parseCommand, type Intent } from '../src/commands/commands';

describe('chat commands', () => {
  // [typed text, expected intent (undefined = not a command), expected args]
  const table: [string, Intent | undefined, string?][] = [
    ['hjälp', 'help'],
    ['Hjälp', 'help'],
    ['HJÄLP!', 'help'],
    ['  hjälp  ', 'help'],
    ['hjalp', 'help'],
    ['help', 'help'],
    ['?', 'help'],
    ['/hjälp', 'help'],
    ['<at>Lex Sarah-assistenten</at> hjälp', 'help'],
    ['<p>hjälp</p>', 'help'],
    ['hjälp&nbsp;', 'help'],
    ['rapportera', 'report'],
    ['Ny rapport', 'report'],
    ['lex sarah', 'report'],
    ['mina rapporter', 'myReports'],
    ['genomgång', 'review'],
    ['genomgang', 'review'],
    ['status', 'status'],
    ['status för Barn och unga', 'status', 'för barn och unga'],
    ['status vecka 47', 'status', 'vecka 47'],
    ['hur ligger vi till?', 'status'],
    ['sammanfattning', 'status'],
    ['öppna LS-2026-0001', 'open', 'ls-2026-0001'],
    // Whole words only: these must not be taken for commands.
    ['statusrapport', undefined],
    ['hjälpa mig', undefined],
    ['rapporterade igår', undefined],
    ['mina', undefined],
    ['jag behöver hjälp', undefined],
    ['en status', undefined],
    ['', undefined],
    ['   ', undefined],
  ];
  for (const [text, intent, args] of table) {
    it(`${JSON.stringify(text)} → ${intent ?? 'no command'}`, () => {
      const parsed = parseCommand(text);
      assert.equal(parsed?.intent, intent);
      if (args !== undefined) assert.equal(parsed?.args, args);
    });
  }

  it('gives no command for undefined text', () => assert.equal(parseCommand(undefined), undefined));

  it('normalises Teams markup and Swedish case', () => {
    assert.equal(normaliseMessage('<at>Bot</at>  ÖPPNA   LS-1 '), 'öppna ls-1');
  });

  it('has no phrase claimed by two commands', () => {
    const phrases = COMMANDS.flatMap((c) => c.phrases);
    assert.equal(new Set(phrases).size, phrases.length);
  });

  it('every phrase parses to its own command', () => {
    for (const c of COMMANDS) for (const p of c.phrases) assert.equal(parseCommand(p)?.intent, c.intent, p);
  });
});
