/** The one way user text is made inert on cards (src/cards/plain-text.ts), table-driven. */
import assert from 'node:assert/strict';
import { breakLinks, escapeMarkdown, inertText, shorten, visibleText, WORD_JOINER as J } from '../../src/cards/plain-text';
import { activeLinks, occursUnescaped } from '../support/markdown-check';

describe('inert user text', () => {
  const cases: [string, string, string][] = [
    // [what, input, expected inert text]
    ['plain Swedish text is unchanged', 'Brukaren föll i duschen, kl 10:30 (ingen skada).', 'Brukaren föll i duschen, kl 10:30 (ingen skada).'],
    ['a reference stays as it is', 'LS-2026-0001', 'LS-2026-0001'],
    ['a markdown link', '[Verifiera](https://evil.example)', `\\[Verifiera\\](https:${J}//evil${J}.${J}example)`],
    ['an image', '![x](http://a.se/p.png)', `!\\[x\\](http:${J}//a${J}.${J}se/p${J}.${J}png)`],
    ['an autolink', '<https://evil.se>', `\\<https:${J}//evil${J}.${J}se\\>`],
    ['bold, italic, code, strike', '**a** _b_ `c` ~~d~~', '\\*\\*a\\*\\* \\_b\\_ \\`c\\` \\~\\~d\\~\\~'],
    ['a heading, list items and a quote at line starts', '# R\n- a\n+ b\n  * c\n1. d\n2) e\n> f', '\\# R\n\\- a\n\\+ b\n  \\* c\n1\\. d\n2\\) e\n\\> f'],
    ['a dash inside a line is left alone', 'Hemtjänst - natt', 'Hemtjänst - natt'],
    ['an entity', 'a &amp; b &#91; c & d', 'a \\&amp; b \\&#91; c & d'],
    ['a backslash', 'C:\\temp\\*', `C:${J}\\\\temp\\\\\\*`],
    ['a bare domain, www and e-mail', 'evil.com www.x.se a@b.se', `evil${J}.${J}com www${J}.${J}x${J}.${J}se a@${J}b${J}.${J}se`],
    ['Teams date functions', '{{DATE(2026-01-01T00:00:00Z, SHORT)}}', `{${J}{DATE(2026-01-01T00:00:00Z, SHORT)}}`],
    ['controls and bidi overrides are dropped', 'a\u0000b\u202Ec\r\nd', 'abc\nd'],
    ['a text of only invisible characters is not turned into nothing', '\u202E', J],
  ];
  for (const [what, input, expected] of cases) {
    it(what, () => assert.equal(inertText(input), expected));
  }

  const hostile = [
    '[Verifiera ditt konto](https://evil.example/login)',
    '![bild](https://evil.example/x.png)',
    '<https://evil.example> <mallory@evil.se>',
    'https://evil.example/a?b=c HTTP://EVIL.SE ftp://evil.se',
    'www.evil.se och evil.com och evil.nu',
    'mallory@evil.se',
    '[a][1]\n[1]: https://evil.example',
    '\\[escaped\\](https://evil.example)',
  ];
  for (const h of hostile) {
    it(`the check sees the link in ${JSON.stringify(h.slice(0, 30))} and inertText removes it`, () => {
      assert.notDeepEqual(activeLinks(h), [], 'the check must be able to fail');
      assert.deepEqual(activeLinks(inertText(h)), []);
    });
  }

  it('what people see of inert text is what was typed', () => {
    for (const h of [...hostile, ...cases.map((c) => c[1]).filter((x) => !/[\u0000-\u001f\u202e]/.test(x))]) assert.equal(visibleText(inertText(h)), h);
  });

  it('emphasis typed by a user is escaped wherever it occurs', () => {
    for (const t of ['**fet**', '__fet__', '*kursiv*', '_kursiv_', '`kod`']) {
      assert.ok(occursUnescaped(t, t), 'the check must be able to fail');
      assert.ok(!occursUnescaped(inertText(t), t), t);
    }
  });

  it('breakLinks is idempotent and escapeMarkdown alone does not stop autolinks', () => {
    const s = 'https://evil.example www.evil.se a@b.se';
    assert.equal(breakLinks(breakLinks(s)), breakLinks(s));
    assert.notDeepEqual(activeLinks(escapeMarkdown(s)), []);
  });

  it('shorten says how much it left out and leaves short text alone', () => {
    assert.equal(shorten('abc', 3), 'abc');
    assert.equal(shorten('abcdef', 3), 'abc … (förkortad, 3 tecken till)');
    assert.equal(shorten('åäö😀x', 4), 'åäö😀 … (förkortad, 1 tecken till)');
  });
});
