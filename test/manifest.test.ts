import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inflateRawSync } from 'node:zlib';
import {
  APP_DIR,
  COMMAND_TITLE_MAX,
  PackageError,
  buildPackage,
  checkIcons,
  listPlaceholders,
  readPngHeader,
  renderManifest,
  schemaFileFor,
  validateManifest,
} from '../scripts/manifest';

const TEST_VARS = {
  TEAMS_APP_ID: '00000000-0000-4000-8000-000000000001',
  BOT_ID: '11111111-2222-3333-4444-555555555555',
  APP_NAME_SUFFIX: 'test',
};

type Json = Record<string, any>;

function rendered(): Json {
  return renderManifest(TEST_VARS) as Json;
}

/** Reads a zip's central directory and inflates each entry (stored or deflated). */
function readZip(buf: Buffer): Map<string, Buffer> {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  assert.ok(eocd >= 0, 'zip has no end-of-central-directory record');
  const count = buf.readUInt16LE(eocd + 10);
  let pos = buf.readUInt32LE(eocd + 16);
  const entries = new Map<string, Buffer>();
  for (let n = 0; n < count; n++) {
    assert.equal(buf.readUInt32LE(pos), 0x02014b50, 'bad central directory entry');
    const method = buf.readUInt16LE(pos + 10);
    const compressedSize = buf.readUInt32LE(pos + 20);
    const nameLen = buf.readUInt16LE(pos + 28);
    const extraLen = buf.readUInt16LE(pos + 30);
    const commentLen = buf.readUInt16LE(pos + 32);
    const localOffset = buf.readUInt32LE(pos + 42);
    const name = buf.toString('utf8', pos + 46, pos + 46 + nameLen);
    assert.equal(buf.readUInt32LE(localOffset), 0x04034b50, `bad local header for ${name}`);
    const dataStart = localOffset + 30 + buf.readUInt16LE(localOffset + 26) + buf.readUInt16LE(localOffset + 28);
    const data = buf.subarray(dataStart, dataStart + compressedSize);
    assert.ok(method === 0 || method === 8, `${name}: unsupported compression method ${method}`);
    entries.set(name, method === 8 ? inflateRawSync(data) : Buffer.from(data));
    pos += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

describe('Teams app manifest', () => {
  it('uses the Teams Toolkit placeholders and a stable schema version with the matching $schema', () => {
    const template = JSON.parse(readFileSync(path.join(APP_DIR, 'manifest.json'), 'utf8')) as Json;
    assert.deepEqual(listPlaceholders(template).sort(), ['APP_NAME_SUFFIX', 'BOT_ID', 'TEAMS_APP_ID']);
    assert.match(template.manifestVersion, /^1\.\d+$/);
    assert.equal(
      template.$schema,
      `https://developer.microsoft.com/json-schemas/teams/v${template.manifestVersion}/MicrosoftTeams.schema.json`,
    );
  });

  it('renders with test values and validates against its JSON schema offline', () => {
    const m = rendered();
    assert.equal(m.id, TEST_VARS.TEAMS_APP_ID);
    assert.equal(m.bots[0].botId, TEST_VARS.BOT_ID);
    assert.equal(m.name.short, 'Lex Sarah-assistenten test');
    assert.ok(readFileSync(schemaFileFor(m.manifestVersion)).length > 0);
    assert.deepEqual(validateManifest(m), []);
  });

  it('has the expected bot settings and Swedish commands', () => {
    const m = rendered();
    assert.equal(m.localizationInfo.defaultLanguageTag, 'sv-SE');
    const bot = m.bots[0];
    assert.deepEqual(bot.scopes, ['personal', 'team']);
    assert.equal(bot.supportsFiles, false);
    assert.equal(bot.isNotificationOnly, false);
    const personal = bot.commandLists.find((l: Json) => l.scopes.includes('personal'));
    assert.deepEqual(
      personal.commands.map((c: Json) => c.title),
      ['hjälp', 'rapportera', 'mina rapporter', 'genomgång', 'status'],
    );
    const team = bot.commandLists.find((l: Json) => l.scopes.includes('team'));
    assert.ok(team, 'a command list for the team scope');
  });

  it('renders an empty APP_NAME_SUFFIX without a trailing space', () => {
    const m = renderManifest({ ...TEST_VARS, APP_NAME_SUFFIX: '' }) as Json;
    assert.equal(m.name.short, 'Lex Sarah-assistenten');
    assert.deepEqual(validateManifest(m), []);
  });

  it('reports a too-long command title with its JSON path', () => {
    const m = rendered();
    m.bots[0].commandLists[0].commands[1].title = 'x'.repeat(COMMAND_TITLE_MAX + 1);
    const errors = validateManifest(m);
    assert.equal(errors.length, 1, errors.join('\n'));
    assert.match(errors[0]!, /^\$\.bots\[0\]\.commandLists\[0\]\.commands\[1\]\.title: must NOT have more than 32 characters/);
  });

  it('reports schema errors: a missing required field, a bad GUID, an unknown property', () => {
    const m = rendered();
    delete m.developer.privacyUrl;
    m.bots[0].botId = 'not-a-guid';
    m.bots[0].unknownSetting = true;
    const errors = validateManifest(m);
    assert.ok(errors.includes('$.developer.privacyUrl: is required but missing'), errors.join('\n'));
    assert.ok(errors.some((e) => e.startsWith('$.bots[0].botId: must match pattern')), errors.join('\n'));
    assert.ok(errors.includes('$.bots[0]: has unknown property "unknownSetting"'), errors.join('\n'));
  });

  it('reports a $schema URL that does not match manifestVersion and an unknown version', () => {
    const m = rendered();
    m.$schema = 'https://developer.microsoft.com/json-schemas/teams/v1.17/MicrosoftTeams.schema.json';
    assert.ok(validateManifest(m).some((e) => e.startsWith('$.$schema: must be')));
    assert.deepEqual(validateManifest({ ...rendered(), manifestVersion: '1.999' }), [
      '$.manifestVersion: no JSON schema for manifest version 1.999 in @microsoft/app-manifest',
    ]);
  });

  it('names a placeholder variable that has no value, and the env files to set it in', () => {
    const template = { ...rendered(), version: '${{APP_VERSION_NOT_DEFINED}}' };
    assert.throws(
      () => renderManifest({ ...TEST_VARS, TEAMSFX_ENV: 'dev' }, { template }),
      (err: Error) => {
        assert.ok(err instanceof PackageError);
        assert.match(err.message, /APP_VERSION_NOT_DEFINED is not set/);
        assert.match(err.message, /env\/\.env\.dev\b/);
        assert.match(err.message, /env\/\.env\.dev\.user/);
        return true;
      },
    );
  });

  it('refuses an empty BOT_ID with an explanation', () => {
    assert.throws(() => renderManifest({ ...TEST_VARS, BOT_ID: '' }), /BOT_ID is empty.*Agents Playground needs no bot id/s);
  });
});

describe('Teams app icons', () => {
  it('are 192×192 colour and 32×32 white-on-transparent outline', () => {
    const color = readPngHeader(readFileSync(path.join(APP_DIR, 'color.png')));
    const outline = readPngHeader(readFileSync(path.join(APP_DIR, 'outline.png')));
    assert.deepEqual([color.width, color.height], [192, 192]);
    assert.deepEqual([outline.width, outline.height], [32, 32]);
    assert.ok([2, 3, 6].includes(color.colorType), 'colour icon is full colour');
    assert.ok([4, 6].includes(outline.colorType), 'outline icon has an alpha channel');
    assert.deepEqual(checkIcons(APP_DIR), []);
  });

  it('reports swapped icons (wrong sizes, coloured pixels in the outline)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'icons-'));
    try {
      copyFileSync(path.join(APP_DIR, 'outline.png'), path.join(dir, 'color.png'));
      copyFileSync(path.join(APP_DIR, 'color.png'), path.join(dir, 'outline.png'));
      const problems = checkIcons(dir);
      assert.ok(problems.some((p) => p.includes('color.png: colour icon must be 192×192 pixels (is 32×32)')), problems.join('\n'));
      assert.ok(problems.some((p) => p.includes('outline.png: outline icon must be 32×32 pixels (is 192×192)')), problems.join('\n'));
      assert.ok(problems.some((p) => /outline\.png: outline icon must be white on transparent/.test(p)), problems.join('\n'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('buildPackage', () => {
  let outDir: string;
  beforeEach(() => {
    outDir = mkdtempSync(path.join(tmpdir(), 'apppkg-'));
  });
  afterEach(() => {
    rmSync(outDir, { recursive: true, force: true });
  });

  it('writes appPackage.<env>.zip with exactly manifest.json and the icons at its root', async () => {
    const zipPath = await buildPackage({ envName: 'test', outDir, vars: TEST_VARS });
    assert.equal(zipPath, path.join(outDir, 'appPackage.test.zip'));
    const entries = readZip(readFileSync(zipPath));
    assert.deepEqual([...entries.keys()].sort(), ['color.png', 'manifest.json', 'outline.png']);
    const manifest = JSON.parse(entries.get('manifest.json')!.toString('utf8')) as Json;
    assert.deepEqual(manifest, rendered());
    assert.deepEqual(validateManifest(manifest), []);
    assert.ok(entries.get('color.png')!.equals(readFileSync(path.join(APP_DIR, 'color.png'))));
    assert.ok(entries.get('outline.png')!.equals(readFileSync(path.join(APP_DIR, 'outline.png'))));
  });

  it('writes nothing and lists the problems when the manifest is invalid', async () => {
    const appDir = mkdtempSync(path.join(tmpdir(), 'teamsapp-'));
    try {
      const template = JSON.parse(readFileSync(path.join(APP_DIR, 'manifest.json'), 'utf8')) as Json;
      template.accentColor = 'blue';
      writeFileSync(path.join(appDir, 'manifest.json'), JSON.stringify(template));
      copyFileSync(path.join(APP_DIR, 'color.png'), path.join(appDir, 'color.png'));
      copyFileSync(path.join(APP_DIR, 'outline.png'), path.join(appDir, 'outline.png'));
      await assert.rejects(buildPackage({ envName: 'test', outDir, vars: TEST_VARS, appDir }), (err: Error) => {
        assert.ok(err instanceof PackageError);
        assert.deepEqual(err.problems, ['manifest.json $.accentColor: must match pattern "^#[0-9a-fA-F]{6}$" (got "blue")']);
        return true;
      });
      assert.throws(() => readFileSync(path.join(outDir, 'appPackage.test.zip')), /ENOENT/);
    } finally {
      rmSync(appDir, { recursive: true, force: true });
    }
  });
});
