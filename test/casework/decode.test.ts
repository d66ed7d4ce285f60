/** Which bytes of an export become which text, and which are refused with a reason. */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { decodeCsvBytes, declaredEncoding, type CsvEncoding } from '../../src/casework/decode';

const TEXT = 'ärendereferens;enhet\nBoU 2026/1;Förskola Åby\n';
const utf8 = Buffer.from(TEXT, 'utf8');
const bom8 = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8]);
const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(TEXT, 'utf16le')]);
const beBody = Buffer.from(TEXT, 'utf16le');
for (let i = 0; i < beBody.length; i += 2) [beBody[i], beBody[i + 1]] = [beBody[i + 1]!, beBody[i]!];
const be = Buffer.concat([Buffer.from([0xfe, 0xff]), beBody]);
// Windows-1252: ä=E4, ö=F6, Å=C5, and the euro sign 0x80 (which Latin-1 lacks).
const cp1252 = Buffer.from(TEXT, 'latin1');
const euro = Buffer.from([0x50, 0x72, 0x69, 0x73, 0x20, 0x80, 0x0a]);

describe('casework export decoding', () => {
  const accepted: [string, Uint8Array, string, CsvEncoding, boolean][] = [
    ['UTF-8', utf8, TEXT, 'utf-8', false],
    ['UTF-8 with BOM', bom8, TEXT, 'utf-8', true],
    ['UTF-16 LE with BOM', le, TEXT, 'utf-16le', true],
    ['UTF-16 BE with BOM', be, TEXT, 'utf-16be', true],
    ['Windows-1252 (Latin-1 letters)', cp1252, TEXT, 'windows-1252', false],
    ['Windows-1252 euro sign', euro, 'Pris €\n', 'windows-1252', false],
    ['plain ASCII', Buffer.from('a;b\n'), 'a;b\n', 'utf-8', false],
    ['empty', Buffer.alloc(0), '', 'utf-8', false],
  ];
  for (const [name, bytes, text, encoding, bom] of accepted) {
    it(`decodes ${name}`, () => {
      assert.deepEqual(decodeCsvBytes(bytes), { ok: true, text, encoding, bom });
    });
  }

  const refused: [string, Uint8Array, number, RegExp][] = [
    ['a byte Windows-1252 leaves undefined (0x81)', Buffer.from([0x61, 0x0a, 0x62, 0x81, 0xe4, 0x0a]), 2, /varken UTF-8, UTF-16 med byte-ordningsmärke eller Windows-1252/],
    ['a NUL byte in otherwise Latin-1 text', Buffer.from([0x61, 0xe4, 0x0a, 0x00, 0x0a]), 2, /NUL-tecken/],
    ['UTF-16 without a BOM (NULs in valid UTF-8)', Buffer.from('a;b\n', 'utf16le'), 1, /NUL-tecken/],
    ['a control character in non-UTF-8 text', Buffer.from([0xe4, 0x0a, 0x0a, 0x1b, 0x0a]), 3, /teckenkodning kunde inte avgöras/],
    ['a UTF-8 BOM followed by invalid UTF-8', Buffer.concat([bom8, Buffer.from([0x0a, 0xe4, 0x0a])]), 4, /märkt som UTF-8 men innehåller ogiltiga tecken/],
    ['UTF-16 LE with a lone surrogate', Buffer.from([0xff, 0xfe, 0x61, 0x00, 0x00, 0xd8, 0x62, 0x00]), 1, /märkt som UTF-16/],
  ];
  for (const [name, bytes, line, message] of refused) {
    it(`refuses ${name}, naming the line`, () => {
      const r = decodeCsvBytes(bytes);
      assert.equal(r.ok, false);
      if (r.ok) return;
      assert.equal(r.line, line);
      assert.match(r.message, message);
      assert.match(r.message, /Spara exporten som "CSV UTF-8"/);
    });
  }

  it('trusts a declared charset: Latin-1 bytes declared UTF-8 are refused, declared Windows-1252 decoded', () => {
    assert.equal(decodeCsvBytes(cp1252, 'utf-8').ok, false);
    assert.deepEqual(decodeCsvBytes(cp1252, 'windows-1252'), { ok: true, text: TEXT, encoding: 'windows-1252', bom: false });
    assert.deepEqual(decodeCsvBytes(Buffer.from(TEXT, 'utf16le'), 'utf-16le'), { ok: true, text: TEXT, encoding: 'utf-16le', bom: false });
  });

  it('knows the charsets a sender may declare', () => {
    assert.equal(declaredEncoding('UTF-8'), 'utf-8');
    assert.equal(declaredEncoding(' ISO-8859-1 '), 'windows-1252');
    assert.equal(declaredEncoding('utf-16'), 'utf-16be');
    assert.equal(declaredEncoding('koi8-r'), undefined);
  });
});

describe('npm run import: the same decoding', function () {
  this.timeout(30_000);
  const ROOT = path.resolve(__dirname, '..', '..');
  const sample = readFileSync(path.join(ROOT, 'test', 'fixtures', 'casework-sample.csv'), 'utf8');
  const dir = mkdtempSync(path.join(tmpdir(), 'lexsarah-import-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const run = (file: string) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'scripts/import-casework.ts', file, '--source', 'procapita'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TEAMSFX_ENV: 'test-none', SQLITE_PATH: path.join(dir, 'db.sqlite') },
      encoding: 'utf8',
    });

  it('imports a Windows-1252 export and refuses bytes that are no known encoding, naming the line', () => {
    const cp = path.join(dir, 'cp1252.csv');
    writeFileSync(cp, Buffer.from(sample, 'latin1'));
    const ok = run(cp);
    assert.equal(ok.status, 0, ok.stderr);
    assert.match(ok.stdout, /^Importerat \d+ rader/);

    const bad = path.join(dir, 'bad.csv');
    writeFileSync(bad, Buffer.concat([Buffer.from(sample, 'latin1'), Buffer.from([0x81, 0x0a])]));
    const refused = run(bad);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /rad \d+: Filens teckenkodning kunde inte avgöras/);
  });
});
