/** The one way user text is made inert on cards (src/cards/plain-text.ts), table-driven. */
import assert from 'node:assert/strict';
import { applyInertRules, breakLinks, escapeMarkdown, inertText, mayNeedInertRules, shorten, stripControls, visibleText, WORD_JOINER as J } from '../../src/cards/plain-text';
import { Rng } from '../fuzz/prng';
import { activeLinks, linkifyLinks, occursUnescaped } from '../support/markdown-check';

describe('inert user text', () => {
  const cases: [string, string, string][] = [
    // [what, input, expected inert text]
    ['plain Swedish text is unchanged', 'Brukaren föll i duschen, kl 10:30 (ingen skada).', 'Brukaren föll i duschen, kl 10:30 (ingen skada).'],
    ['a reference stays as it is', 'LS-2026-0001', 'LS-2026-0001'],
    ['a markdown link', '[Verifiera](https://evil.example)', `\\[Verifiera\\](https:${J}/${J}/evil${J}.${J}example)`],
    ['an image', '![x](http://a.se/p.png)', `!\\[x\\](http:${J}/${J}/a${J}.${J}se/p${J}.${J}png)`],
    ['an autolink', '<https://evil.se>', `\\<https:${J}/${J}/evil${J}.${J}se\\>`],
    ['bold, italic, code, strike', '**a** _b_ `c` ~~d~~', '\\*\\*a\\*\\* \\_b\\_ \\`c\\` \\~\\~d\\~\\~'],
    ['a heading, list items and a quote at line starts', '# R\n- a\n+ b\n  * c\n1. d\n2) e\n> f', '\\# R\n\\- a\n\\+ b\n  \\* c\n1\\. d\n2\\) e\n\\> f'],
    ['a dash inside a line is left alone', 'Hemtjänst - natt', 'Hemtjänst - natt'],
    ['an entity', 'a &amp; b &#91; c & d', 'a \\&amp; b \\&#91; c & d'],
    ['a backslash', 'C:\\temp\\*', `C:${J}\\\\temp\\\\\\*`],
    ['a bare domain, www and e-mail', 'evil.com www.x.se a@b.se', `evil${J}.${J}com www${J}.${J}x${J}.${J}se a${J}@b${J}.${J}se`],
    ['protocol-relative links, at a line start and inside one', '//1.2.3.4/x se //evil.se', `/${J}/1${J}.${J}2${J}.${J}3${J}.${J}4/x se /${J}/evil${J}.${J}se`],
    ['IPv4 addresses, also when the first dot is escaped as a list marker', '10.0.0.1:8080\n1.2.3.4', `10${J}\\.${J}0${J}.${J}0${J}.${J}1:8080\n1${J}\\.${J}2${J}.${J}3${J}.${J}4`],
    ['schemes used without "//"', 'mailto:x@1.2.3.4 tel:+4670 javascript:alert(1)', `mailto:${J}x${J}@1${J}.${J}2${J}.${J}3${J}.${J}4 tel:${J}+4670 javascript:${J}alert(1)`],
    ['a time, a version, a section and a colon before a space are left alone', 'kl 10:30, v 1.2.3, 3.2 §, OBS: se nedan', 'kl 10:30, v 1.2.3, 3.2 §, OBS: se nedan'],
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
    '//1.2.3.4/login',
    'se //10.0.0.1/a',
    '//192.168.0.1:8080/x',
    '//evil.se/login',
    'mailto:x@1.2.3.4',
    'MAILTO:mallory@evil.se',
    'ring tel:+46701234567 eller sms:+46701234567',
    'logga in på 10.0.0.1/login',
    'x@1.2.3.4 och a@b.c',
    'kontot: https://user:pass@evil.se',
  ];
  /** Addresses that linkify-it itself links: the real autolinker must find them before, and nothing after. */
  const linkable = hostile.filter((h) => !/\]\(|\]\[|tel:/.test(h));
  for (const h of hostile) {
    it(`the check sees the link in ${JSON.stringify(h.slice(0, 30))} and inertText removes it`, () => {
      assert.notDeepEqual(activeLinks(h), [], 'the check must be able to fail');
      assert.deepEqual(activeLinks(inertText(h)), []);
    });
  }

  for (const h of linkable) {
    it(`linkify-it links ${JSON.stringify(h.slice(0, 30))} as typed and nothing of it once inert`, () => {
      assert.notDeepEqual(linkifyLinks(h), [], 'linkify-it must be able to fail');
      assert.deepEqual(linkifyLinks(inertText(h)), []);
    });
  }

  it('the check knows that a word joiner inside a host name does not stop linkify-it', () => {
    for (const t of [`a@${J}b${J}.${J}se`, `//evil${J}.${J}se`, `mailto:x@${J}1.2.3.4`]) assert.notDeepEqual(activeLinks(t), [], t);
  });

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
    const s = 'https://evil.example www.evil.se a@b.se //1.2.3.4/x 10.0.0.1 mailto:x@1.2.3.4 tel:+4670';
    assert.equal(breakLinks(breakLinks(s)), breakLinks(s));
    assert.notDeepEqual(activeLinks(escapeMarkdown(s)), []);
  });

  it('the shortcut for text no rule acts on gives what the rules give, on random text', () => {
    // Letters, digits, spaces and every character a rule looks at, so each rule gets its chance.
    const alphabet = [...'aåZ09 \t\n\r\\`*_~[]<>|&{}#+=-:/@.)(!?,;\'"$%^', '\u0000', '\u0007', '\u007F', '\u0085', '\u202E', '\u2067', J, 'é', '١', '😀'];
    const rng = new Rng(20261202);
    let shortcuts = 0;
    for (let i = 0; i < 20_000; i++) {
      const s = Array.from({ length: rng.int(0, 12) }, () => rng.pick(alphabet)).join('');
      assert.equal(inertText(s), applyInertRules(s), JSON.stringify(s));
      if (!mayNeedInertRules(s)) assert.equal(stripControls(s), s, JSON.stringify(s));
      if (applyInertRules(s) === s) shortcuts++;
    }
    // Both branches ran: text the rules leave alone and text they change.
    assert.ok(shortcuts > 100 && shortcuts < 19_900, `${shortcuts}`);
  });

  it('the shortcut gives what the rules give on random text made of what the rules look for', () => {
    // The beginnings of every rule's match, and what may stand next to them (other line
    // separators, joiners, surrogates), so that each part of the shortcut's check is needed.
    const parts = ['&amp;', '&#91;', '& ', '{{', '{', '\n#', '\u2028-', '\u2029+', '\n 1.', '2)', '1.2', '10.0.0.1', 'a:b', 'x:/', 'tel:', ': ', '//', '/', 'a@', ' @', `${J}@`, '.a', '.å', `${J}.`, '. ', 'ab', ' ', '\t', '\ud83d', '\ude00', '😀', J, '\r', '\u0085', '\u202A', 'kl. 10:30', 'www'];
    const rng = new Rng(20261203);
    for (let i = 0; i < 20_000; i++) {
      const s = Array.from({ length: rng.int(1, 6) }, () => rng.pick(parts)).join('');
      assert.equal(inertText(s), applyInertRules(s), JSON.stringify(s));
      if (!mayNeedInertRules(s)) assert.equal(stripControls(s), s, JSON.stringify(s));
    }
  });

  it('the shortcut is taken for ordinary text, the rules asked where they act', () => {
    // What the rules and the review write, and what people type: no rule acts on any of it.
    for (const s of ['senast 12 nov. 2026 (13 dagar sedan) · Handläggare: Megan Bowen', 'SoL 34 kap. 1–2 §§; LSS 28 f–g §§', 'Ej verkställt beslut: Verkställ snarast', 'kl. 10:30', 'SN 2026/1155', 'Hemtjänst - natt', '']) {
      assert.equal(mayNeedInertRules(s), false, s);
    }
    for (const s of ['a@b.se', 'www.x.se', 'x:/', '# R', '1. n', '**fet**', '&amp;', '{{', '1.2.3.4', 'a\rb', 'a\u0001b', '\u202E']) assert.equal(mayNeedInertRules(s), true, s);
  });

  it('shorten says how much it left out and leaves short text alone', () => {
    assert.equal(shorten('abc', 3), 'abc');
    assert.equal(shorten('abcdef', 3), 'abc … (förkortad, 3 tecken till)');
    assert.equal(shorten('åäö😀x', 4), 'åäö😀 … (förkortad, 1 tecken till)');
  });
});
