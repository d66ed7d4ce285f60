/**
 * The Teams app package: renders teamsapp/manifest.json (Teams Toolkit `${{NAME}}` placeholders),
 * validates it offline against the JSON schema shipped in @microsoft/app-manifest, checks the
 * icons and zips manifest.json + icons into build/appPackage.<env>.zip.
 *
 * Used by scripts/package-app.ts (`npm run package`) and test/manifest.test.ts.
 */
import { createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { inflateSync } from 'node:zlib';
import type { AnySchema, ErrorObject, Options, ValidateFunction } from 'ajv';
import Ajv from 'ajv';
import Ajv04 from 'ajv-draft-04';
import type AjvCore from 'ajv/dist/core';
import addFormats from 'ajv-formats';
import { ZipFile } from 'yazl';

export const REPO_ROOT = path.resolve(__dirname, '..');
export const APP_DIR = path.join(REPO_ROOT, 'teamsapp');
export const MANIFEST_TEMPLATE = path.join(APP_DIR, 'manifest.json');

/** Placeholders that may render as an empty string (e.g. no name suffix in production). */
const MAY_BE_EMPTY = new Set(['APP_NAME_SUFFIX']);
const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/** A list of problems (manifest, icons, variables) that stop packaging. */
export class PackageError extends Error {
  constructor(
    message: string,
    readonly problems: string[],
  ) {
    super(problems.length ? `${message}:\n  - ${problems.join('\n  - ')}` : message);
    this.name = 'PackageError';
  }
}

// ---------------------------------------------------------------------------------------------
// Rendering

export interface RenderOptions {
  /** The manifest template; defaults to teamsapp/manifest.json. */
  template?: unknown;
  /** Only used in error messages; defaults to vars.TEAMSFX_ENV, then "local". */
  envName?: string;
}

/** Every `${{NAME}}` placeholder used in a template (strings and keys), in order of appearance. */
export function listPlaceholders(template: unknown): string[] {
  const names = new Set<string>();
  walkStrings(template, (s) => {
    for (const m of s.matchAll(PLACEHOLDER)) names.add(m[1]!);
    return s;
  });
  return [...names];
}

/**
 * Returns a copy of the manifest template with every `${{NAME}}` replaced by `vars[NAME]`.
 * Strings that contained a placeholder are trimmed (so `"Name ${{APP_NAME_SUFFIX}}"` with an
 * empty suffix renders as `"Name"`). Throws an Error naming each variable that is missing, or
 * empty where a value is required.
 */
export function renderManifest(vars: Record<string, string | undefined>, options: RenderOptions = {}): object {
  const template = options.template ?? JSON.parse(readFileSync(MANIFEST_TEMPLATE, 'utf8'));
  const envName = options.envName ?? (vars.TEAMSFX_ENV || 'local');
  const missing: string[] = [];
  const empty: string[] = [];
  for (const name of listPlaceholders(template)) {
    const value = vars[name];
    if (value === undefined) missing.push(name);
    else if (value.trim() === '' && !MAY_BE_EMPTY.has(name)) empty.push(name);
  }
  if (missing.length || empty.length) {
    const where =
      `Set it in env/.env.${envName} (committed, no secrets) or env/.env.${envName}.user (git-ignored), ` +
      `or in the process environment (which wins); choose the environment with TEAMSFX_ENV.`;
    const lines = [
      ...missing.map((n) => `${n} is not set (manifest placeholder \${{${n}}}). ${where}`),
      ...empty.map((n) => `${n} is empty (manifest placeholder \${{${n}}}). ${emptyHint(n)}${where}`),
    ];
    throw new PackageError('Cannot render teamsapp/manifest.json', lines);
  }
  const rendered = walkStrings(template, (s) => {
    if (!s.includes('${{')) return s;
    return s.replace(PLACEHOLDER, (_, name: string) => vars[name]!.trim()).trim();
  });
  if (typeof rendered !== 'object' || rendered === null || Array.isArray(rendered)) {
    throw new Error('The manifest template must be a JSON object');
  }
  return rendered;
}

function emptyHint(name: string): string {
  if (name === 'BOT_ID') {
    return (
      'The local Agents Playground needs no bot id, but a package that will be sideloaded into real ' +
      "Teams must name a registered bot: set BOT_ID to the bot's Microsoft App ID (Entra app " +
      'registration client id). '
    );
  }
  if (name === 'TEAMS_APP_ID') return 'It must be a GUID that identifies the Teams app. ';
  return '';
}

function walkStrings(value: unknown, fn: (s: string) => string): unknown {
  if (typeof value === 'string') return fn(value);
  if (Array.isArray(value)) return value.map((v) => walkStrings(v, fn));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [fn(k), walkStrings(v, fn)]));
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// Validation

const APP_MANIFEST_PKG_DIR = path.dirname(require.resolve('@microsoft/app-manifest/package.json'));
const TEAMS_SCHEMA_DIR = path.join(APP_MANIFEST_PKG_DIR, 'build', 'json-schemas', 'teams');

/** Limits Teams applies to bot commands that the schema no longer enforces (since v1.21). */
export const COMMAND_TITLE_MAX = 32;
export const COMMAND_DESCRIPTION_MAX = 128;

/** Path of the schema file in @microsoft/app-manifest for a manifestVersion ("1.30", "devPreview"). */
export function schemaFileFor(manifestVersion: string): string {
  const folder = manifestVersion === 'devPreview' ? 'vDevPreview' : `v${manifestVersion}`;
  return path.join(TEAMS_SCHEMA_DIR, folder, 'MicrosoftTeams.schema.json');
}

/** The official URL of a manifest version's schema (what `$schema` should say). */
export function schemaUrlFor(manifestVersion: string): string {
  const folder = manifestVersion === 'devPreview' ? 'vDevPreview' : `v${manifestVersion}`;
  return `https://developer.microsoft.com/json-schemas/teams/${folder}/MicrosoftTeams.schema.json`;
}

const validators = new Map<string, ValidateFunction>();

function validatorFor(manifestVersion: string): ValidateFunction {
  const cached = validators.get(manifestVersion);
  if (cached) return cached;
  const file = schemaFileFor(manifestVersion);
  // Same clean-up @microsoft/app-manifest applies before parsing its schemas.
  const text = readFileSync(file, 'utf8').replace(/\\a/g, '\\u0007').replace(/\\v/g, '\\u000b');
  const schema = JSON.parse(text) as { $schema?: string } & Record<string, unknown>;
  const ajv = ajvFor(schema.$schema ?? '');
  addFormats(ajv as unknown as Ajv);
  const validate = ajv.compile(schema as AnySchema);
  validators.set(manifestVersion, validate);
  return validate;
}

/** An Ajv instance for the schema's draft: the Teams schemas are draft-04 (all versions so far). */
function ajvFor(draft: string): AjvCore {
  const options: Options = { allErrors: true, strict: false, verbose: true };
  if (/draft-04/.test(draft)) return new Ajv04(options);
  return new Ajv(options); // draft-07 and draft-06 read compatibly
}

/**
 * Validates a rendered manifest against the JSON schema of its `manifestVersion` (offline, from
 * @microsoft/app-manifest) plus a few Teams rules the schema does not carry. Returns readable
 * errors, each starting with the JSON path of the offending value; empty means valid.
 */
export function validateManifest(manifest: unknown): string[] {
  if (typeof manifest !== 'object' || manifest === null || Array.isArray(manifest)) {
    return ['$: the manifest must be a JSON object'];
  }
  const m = manifest as Record<string, unknown>;
  const version = m.manifestVersion;
  if (typeof version !== 'string' || !/^(\d+\.\d+|devPreview)$/.test(version)) {
    return [`$.manifestVersion: must be a version such as "1.30" (got ${JSON.stringify(version)})`];
  }
  if (!existsSync(schemaFileFor(version))) {
    return [`$.manifestVersion: no JSON schema for manifest version ${version} in @microsoft/app-manifest`];
  }
  const validate = validatorFor(version);
  const errors: string[] = [];
  if (!validate(manifest)) errors.push(...formatAjvErrors(validate.errors ?? []));
  errors.push(...extraChecks(m, version));
  const leftover = listPlaceholders(manifest);
  if (leftover.length) errors.push(`$: unrendered placeholders: ${leftover.map((n) => `\${{${n}}}`).join(', ')}`);
  return [...new Set(errors)];
}

function extraChecks(m: Record<string, unknown>, version: string): string[] {
  const errors: string[] = [];
  const expectedUrl = schemaUrlFor(version);
  if (typeof m.$schema === 'string' && m.$schema.replace(/\/[a-z]{2}-[a-z]{2}\/json-schemas\//i, '/json-schemas/') !== expectedUrl) {
    errors.push(`$.$schema: must be ${expectedUrl} to match manifestVersion ${version} (got ${m.$schema})`);
  }
  const bots = Array.isArray(m.bots) ? m.bots : [];
  bots.forEach((bot: unknown, b: number) => {
    const lists = isRecord(bot) && Array.isArray(bot.commandLists) ? bot.commandLists : [];
    lists.forEach((list: unknown, l: number) => {
      const commands = isRecord(list) && Array.isArray(list.commands) ? list.commands : [];
      const seen = new Set<string>();
      commands.forEach((cmd: unknown, c: number) => {
        if (!isRecord(cmd)) return;
        const at = `$.bots[${b}].commandLists[${l}].commands[${c}]`;
        if (typeof cmd.title === 'string') {
          if (cmd.title.length > COMMAND_TITLE_MAX) {
            errors.push(`${at}.title: must NOT have more than ${COMMAND_TITLE_MAX} characters (has ${cmd.title.length}: ${JSON.stringify(cmd.title)})`);
          }
          const key = cmd.title.trim().toLowerCase();
          if (seen.has(key)) errors.push(`${at}.title: duplicate command ${JSON.stringify(cmd.title)} in this list`);
          seen.add(key);
        }
        if (typeof cmd.description === 'string' && cmd.description.length > COMMAND_DESCRIPTION_MAX) {
          errors.push(`${at}.description: must NOT have more than ${COMMAND_DESCRIPTION_MAX} characters (has ${cmd.description.length})`);
        }
      });
    });
  });
  return errors;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `/bots/0/commandLists/1/commands/2/title` → `$.bots[0].commandLists[1].commands[2].title` */
export function jsonPointerToPath(pointer: string): string {
  if (!pointer) return '$';
  return (
    '$' +
    pointer
      .split('/')
      .slice(1)
      .map((seg) => seg.replace(/~1/g, '/').replace(/~0/g, '~'))
      .map((seg) => (/^\d+$/.test(seg) ? `[${seg}]` : /^[A-Za-z_$][\w$]*$/.test(seg) ? `.${seg}` : `[${JSON.stringify(seg)}]`))
      .join('')
  );
}

function formatAjvErrors(errors: ErrorObject[]): string[] {
  // Under anyOf/oneOf Ajv reports every failed branch; keep the branches' details but skip the
  // generic "must match a schema in anyOf" line when more specific errors exist.
  const specific = errors.filter((e) => e.keyword !== 'anyOf' && e.keyword !== 'oneOf' && e.keyword !== 'if');
  const chosen = specific.length ? specific : errors;
  return chosen.map((e) => {
    let where = jsonPointerToPath(e.instancePath);
    let message = e.message ?? e.keyword;
    const p = e.params as Record<string, unknown>;
    switch (e.keyword) {
      case 'required':
        where += `.${String(p.missingProperty)}`;
        message = 'is required but missing';
        break;
      case 'additionalProperties':
        message = `has unknown property ${JSON.stringify(p.additionalProperty)}`;
        break;
      case 'enum':
        message += `: ${JSON.stringify(p.allowedValues)} (got ${JSON.stringify(e.data)})`;
        break;
      case 'const':
        message += ` ${JSON.stringify(p.allowedValue)} (got ${JSON.stringify(e.data)})`;
        break;
      case 'maxLength':
      case 'minLength':
        message += ` (has ${typeof e.data === 'string' ? e.data.length : '?'})`;
        break;
      case 'pattern':
      case 'format':
      case 'type':
        message += ` (got ${JSON.stringify(e.data)})`;
        break;
    }
    return `${where}: ${message}`;
  });
}

// ---------------------------------------------------------------------------------------------
// Icons

export interface PngHeader {
  width: number;
  height: number;
  bitDepth: number;
  colorType: number;
  interlace: number;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const COLOR_TYPE_NAMES: Record<number, string> = {
  0: 'greyscale',
  2: 'RGB',
  3: 'palette',
  4: 'greyscale+alpha',
  6: 'RGBA',
};

/** Reads the IHDR of a PNG; throws if the buffer is not a PNG. */
export function readPngHeader(buf: Buffer): PngHeader {
  if (buf.length < 33 || !buf.subarray(0, 8).equals(PNG_SIGNATURE) || buf.toString('ascii', 12, 16) !== 'IHDR') {
    throw new Error('not a PNG file');
  }
  return {
    width: buf.readUInt32BE(16),
    height: buf.readUInt32BE(20),
    bitDepth: buf[24]!,
    colorType: buf[25]!,
    interlace: buf[28]!,
  };
}

interface PngChunk {
  type: string;
  data: Buffer;
}

function pngChunks(buf: Buffer): PngChunk[] {
  const chunks: PngChunk[] = [];
  let pos = 8;
  while (pos + 8 <= buf.length) {
    const len = buf.readUInt32BE(pos);
    const type = buf.toString('ascii', pos + 4, pos + 8);
    if (pos + 12 + len > buf.length) throw new Error(`truncated ${type} chunk`);
    chunks.push({ type, data: buf.subarray(pos + 8, pos + 8 + len) });
    pos += 12 + len;
    if (type === 'IEND') break;
  }
  return chunks;
}

/**
 * Decodes a non-interlaced 8-bit PNG (RGBA, greyscale+alpha, RGB, greyscale or palette) to
 * RGBA pixels. Returns undefined for formats it does not decode (16-bit, <8-bit, interlaced).
 */
export function decodePngRgba(buf: Buffer): Uint8Array | undefined {
  const h = readPngHeader(buf);
  if (h.bitDepth !== 8 || h.interlace !== 0) return undefined;
  const channels = ({ 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 } as Record<number, number>)[h.colorType];
  if (!channels) return undefined;
  const chunks = pngChunks(buf);
  const palette = chunks.find((c) => c.type === 'PLTE')?.data;
  const trns = chunks.find((c) => c.type === 'tRNS')?.data;
  const raw = inflateSync(Buffer.concat(chunks.filter((c) => c.type === 'IDAT').map((c) => c.data)));
  const stride = h.width * channels;
  if (raw.length < h.height * (stride + 1)) throw new Error('image data is shorter than its IHDR says');
  const pixels = new Uint8Array(h.height * stride);
  for (let y = 0; y < h.height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? pixels[y * stride + x - channels]! : 0;
      const b = y > 0 ? pixels[(y - 1) * stride + x]! : 0;
      const c = x >= channels && y > 0 ? pixels[(y - 1) * stride + x - channels]! : 0;
      let pred: number;
      switch (filter) {
        case 0: pred = 0; break;
        case 1: pred = a; break;
        case 2: pred = b; break;
        case 3: pred = (a + b) >> 1; break;
        case 4: {
          const p = a + b - c;
          const pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
          pred = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
          break;
        }
        default: throw new Error(`unknown PNG filter type ${filter} in row ${y}`);
      }
      pixels[y * stride + x] = (line[x]! + pred) & 0xff;
    }
  }
  const rgba = new Uint8Array(h.width * h.height * 4);
  for (let i = 0; i < h.width * h.height; i++) {
    const s = i * channels;
    let r: number, g: number, b: number, alpha = 255;
    switch (h.colorType) {
      case 0: r = g = b = pixels[s]!; if (trns && trns.length >= 2 && pixels[s] === trns.readUInt16BE(0)) alpha = 0; break;
      case 4: r = g = b = pixels[s]!; alpha = pixels[s + 1]!; break;
      case 2: r = pixels[s]!; g = pixels[s + 1]!; b = pixels[s + 2]!; break;
      case 6: r = pixels[s]!; g = pixels[s + 1]!; b = pixels[s + 2]!; alpha = pixels[s + 3]!; break;
      default: {
        const idx = pixels[s]!;
        if (!palette || idx * 3 + 2 >= palette.length) throw new Error('palette index out of range');
        r = palette[idx * 3]!; g = palette[idx * 3 + 1]!; b = palette[idx * 3 + 2]!;
        alpha = trns && idx < trns.length ? trns[idx]! : 255;
      }
    }
    rgba.set([r, g, b, alpha], i * 4);
  }
  return rgba;
}

export interface IconFiles {
  color: string;
  outline: string;
}

/**
 * Checks the icons Teams requires: the colour icon 192×192 in full colour, the outline icon
 * 32×32 with an alpha channel and only white or transparent pixels. Returns readable problems.
 */
export function checkIcons(dir: string, icons: IconFiles = { color: 'color.png', outline: 'outline.png' }): string[] {
  const problems: string[] = [];
  const load = (name: string): { buf: Buffer; header: PngHeader } | undefined => {
    const file = path.join(dir, name);
    if (!existsSync(file)) {
      problems.push(`${name}: file not found in ${dir}`);
      return undefined;
    }
    const buf = readFileSync(file);
    try {
      return { buf, header: readPngHeader(buf) };
    } catch (err) {
      problems.push(`${name}: ${(err as Error).message}`);
      return undefined;
    }
  };

  const color = load(icons.color);
  if (color) {
    const { width, height, colorType } = color.header;
    if (width !== 192 || height !== 192) problems.push(`${icons.color}: colour icon must be 192×192 pixels (is ${width}×${height})`);
    if (![2, 3, 6].includes(colorType)) {
      problems.push(`${icons.color}: colour icon must be a full-colour PNG (RGB, RGBA or palette), not ${COLOR_TYPE_NAMES[colorType] ?? `colour type ${colorType}`}`);
    }
  }

  const outline = load(icons.outline);
  if (outline) {
    const { width, height, colorType } = outline.header;
    if (width !== 32 || height !== 32) problems.push(`${icons.outline}: outline icon must be 32×32 pixels (is ${width}×${height})`);
    const hasTrns = colorType === 3 && pngChunks(outline.buf).some((c) => c.type === 'tRNS');
    if (colorType !== 6 && colorType !== 4 && !hasTrns) {
      problems.push(`${icons.outline}: outline icon must have a transparent background (a PNG with alpha), not ${COLOR_TYPE_NAMES[colorType] ?? `colour type ${colorType}`}`);
    } else {
      let rgba: Uint8Array | undefined;
      try {
        rgba = decodePngRgba(outline.buf);
      } catch (err) {
        problems.push(`${icons.outline}: cannot decode: ${(err as Error).message}`);
      }
      if (rgba === undefined) {
        if (!problems.some((p) => p.startsWith(`${icons.outline}: cannot decode`))) {
          problems.push(`${icons.outline}: save it as a non-interlaced 8-bit PNG so its pixels can be checked`);
        }
      } else {
        let bad = 0;
        let first = '';
        let opaque = 0;
        for (let i = 0; i < rgba.length; i += 4) {
          const alpha = rgba[i + 3]!;
          if (alpha === 0) continue;
          opaque++;
          if (rgba[i] !== 255 || rgba[i + 1] !== 255 || rgba[i + 2] !== 255) {
            if (!bad) first = `(${(i / 4) % width}, ${Math.floor(i / 4 / width)})`;
            bad++;
          }
        }
        if (bad) problems.push(`${icons.outline}: outline icon must be white on transparent; ${bad} visible pixel(s) are not white, first at ${first}`);
        if (!opaque) problems.push(`${icons.outline}: outline icon is fully transparent`);
      }
    }
  }
  return problems;
}

// ---------------------------------------------------------------------------------------------
// Packaging

export interface BuildPackageOptions {
  envName: string;
  outDir: string;
  vars: Record<string, string | undefined>;
  /** Folder with manifest.json and the icons; defaults to teamsapp/. */
  appDir?: string;
}

/**
 * Renders and validates the manifest, checks the icons and writes
 * `<outDir>/appPackage.<envName>.zip` with manifest.json and the two icons at the zip root.
 * Throws a PackageError listing every problem; nothing is written unless all checks pass.
 */
export async function buildPackage(opts: BuildPackageOptions): Promise<string> {
  if (!/^[A-Za-z0-9_-]+$/.test(opts.envName)) {
    throw new PackageError('Invalid environment name', [`"${opts.envName}": use letters, digits, - and _ only`]);
  }
  const appDir = opts.appDir ?? APP_DIR;
  const template = JSON.parse(readFileSync(path.join(appDir, 'manifest.json'), 'utf8')) as unknown;
  const manifest = renderManifest(opts.vars, { template, envName: opts.envName }) as Record<string, unknown>;

  const problems = validateManifest(manifest).map((e) => `manifest.json ${e}`);
  const icons = isRecord(manifest.icons) ? manifest.icons : {};
  const iconFiles: IconFiles = {
    color: typeof icons.color === 'string' ? icons.color : 'color.png',
    outline: typeof icons.outline === 'string' ? icons.outline : 'outline.png',
  };
  for (const [kind, name] of Object.entries(iconFiles)) {
    if (path.basename(name) !== name) problems.push(`manifest.json $.icons.${kind}: must be a file name at the package root (got ${JSON.stringify(name)})`);
  }
  if (!problems.some((p) => p.includes('$.icons.'))) problems.push(...checkIcons(appDir, iconFiles));
  if (problems.length) throw new PackageError(`The Teams app package for "${opts.envName}" is not valid`, problems);

  mkdirSync(opts.outDir, { recursive: true });
  const zipPath = path.join(opts.outDir, `appPackage.${opts.envName}.zip`);
  const zip = new ZipFile();
  // Fixed timestamps so the same inputs give the same bytes.
  const mtime = new Date(2000, 0, 1);
  zip.addBuffer(Buffer.from(JSON.stringify(manifest, null, 2) + '\n', 'utf8'), 'manifest.json', { mtime });
  zip.addBuffer(readFileSync(path.join(appDir, iconFiles.color)), iconFiles.color, { mtime });
  zip.addBuffer(readFileSync(path.join(appDir, iconFiles.outline)), iconFiles.outline, { mtime });
  await new Promise<void>((resolve, reject) => {
    const out = createWriteStream(zipPath);
    out.on('close', () => resolve());
    out.on('error', reject);
    zip.outputStream.on('error', reject);
    zip.outputStream.pipe(out);
    zip.end();
  });
  return zipPath;
}
