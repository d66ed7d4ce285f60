/**
 * End-to-end harness: runs the real bot (src/main.ts) as a child process, the Microsoft 365 Agents
 * Playground (the Teams-like local client) in front of it, and drives the Playground's web page
 * in headless Chromium (Debian's, via playwright-core).
 *
 *   describe('@e2e Playground: something', function () {
 *     const e2e = useE2E();                 // starts bot + Playground + browser once per file
 *     it('answers', async () => {
 *       await e2e.client.sendMessage('hjälp');
 *       const card = await e2e.client.waitForCardText('Det här kan jag hjälpa till med');
 *       await e2e.client.clickCardButton(card, 'Rapportera');
 *     });
 *   });
 *
 * Put `@e2e` in the describe title: `npm run test:unit` (mocha --grep @e2e --invert) skips them.
 * Everything a suite starts is stopped in its `after` hook, also when start-up failed half-way;
 * if the test process dies, the child process groups are SIGKILLed on exit.
 *
 * Environment knobs:
 *   E2E_BOT_COMMAND  run another bot instead of src/main.ts, e.g. 'node /tmp/echo-bot/bot.js'
 *                    (a JSON array of strings, or words separated by spaces)
 *   E2E_KEEP_TMP=1   keep the temp dir (bot log, database, Playground log) after a passing suite
 *   E2E_HEADED=1     show the browser window (needs a display)
 * Screenshots go to test-results/ (git-ignored): one per failed test, and any a test asks for.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Context } from 'mocha';
import { chromium, type BrowserContext, type Locator, type Page } from 'playwright-core';
import {
  describeExit,
  freePort,
  killGroup,
  onExit,
  spawnGroup,
  startPlayground,
  tailFile,
  waitForHttp,
  writePlaygroundConfig,
  type ExitInfo,
  type Playground,
} from '../../scripts/playground';

export const REPO_ROOT = path.resolve(__dirname, '..', '..');
export const RESULTS_DIR = path.join(REPO_ROOT, 'test-results');

const log = (msg: string) => process.stderr.write(`      [e2e] ${msg}\n`);

// Mocha exits on Ctrl-C, but on SIGTERM/SIGHUP it would go on (Playwright's own handler keeps
// the process alive): exit, so that the exit hook in scripts/playground.ts kills the bot and the
// Playground and Playwright kills Chromium.
process.once('SIGTERM', () => process.exit(143));
process.once('SIGHUP', () => process.exit(129));

/** Chromium profiles in use; removed also when the run is interrupted. */
const profileDirs = new Set<string>();
process.on('exit', () => {
  for (const dir of profileDirs) rmSync(dir, { recursive: true, force: true });
});

// ---------------------------------------------------------------------------------------------
// The bot

export interface BotOptions {
  /** Extra environment variables (override the defaults below). */
  env?: Record<string, string>;
  /** The command to run instead of `node --import tsx src/main.ts` (default: E2E_BOT_COMMAND). */
  command?: string[];
  /** Where the database and log go. Default: a new temp dir. */
  dataDir?: string;
  /** How long to wait for GET /readyz to answer 200. Default 60 s. */
  readyTimeoutMs?: number;
}

export interface Bot {
  port: number;
  baseUrl: string;
  /** http://127.0.0.1:<port>/api/messages */
  endpoint: string;
  dataDir: string;
  logFile: string;
  pid: number;
  exited: Promise<ExitInfo>;
  /** The last lines of the bot's log. */
  logTail(lines?: number): string;
  /** SIGTERM (the bot shuts down cleanly), SIGKILL after 8 s. Safe to call more than once. */
  stop(): Promise<void>;
}

function defaultBotCommand(): string[] {
  const override = process.env.E2E_BOT_COMMAND?.trim();
  if (override) {
    const words = override.startsWith('[') ? (JSON.parse(override) as string[]) : override.split(/\s+/);
    // Run "node ..." with this very Node binary.
    return words[0] === 'node' ? [process.execPath, ...words.slice(1)] : words;
  }
  return [process.execPath, '--import', 'tsx', 'src/main.ts'];
}

export async function startBot(opts: BotOptions = {}): Promise<Bot> {
  const dataDir = opts.dataDir ?? mkdtempSync(path.join(os.tmpdir(), 'lex-sarah-e2e-bot-'));
  mkdirSync(dataDir, { recursive: true });
  const logFile = path.join(dataDir, 'bot.log');
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const [command, ...args] = opts.command ?? defaultBotCommand();

  const out = openSync(logFile, 'a');
  const child = spawnGroup(command!, args, {
    cwd: REPO_ROOT,
    stdio: ['ignore', out, out],
    env: {
      ...process.env,
      PORT: String(port),
      SQLITE_PATH: path.join(dataDir, 'lex-sarah.db'),
      LOG_LEVEL: 'info',
      NODE_ENV: 'test',
      TEAMSFX_ENV: 'local',
      // The Playground sends unauthenticated requests: make sure no bot id from the developer's
      // shell or env/.env.local.user switches authentication on.
      BOT_ID: '',
      ...opts.env,
    },
  });
  closeSync(out);
  const exited = onExit(child);
  const logTail = (lines = 40) => tailFile(logFile, lines);
  const stop = () => killGroup(child, { graceMs: 8000 });

  try {
    await waitForHttp(`${baseUrl}/readyz`, opts.readyTimeoutMs ?? 60_000, {
      status: 200,
      abortIf: () => (child.exitCode !== null || child.signalCode !== null ? `the bot exited (${describeExit({ code: child.exitCode, signal: child.signalCode })})` : undefined),
    });
  } catch (err) {
    await stop();
    throw new Error(`The bot did not become ready: ${(err as Error).message}\n--- ${logFile} (last lines) ---\n${logTail()}`);
  }
  return { port, baseUrl, endpoint: `${baseUrl}/api/messages`, dataDir, logFile, pid: child.pid!, exited, logTail, stop };
}

// ---------------------------------------------------------------------------------------------
// The Playground

export interface PlaygroundForOptions {
  /** Chat as this Playground user (name, id or aadObjectId from .m365agentsplayground.yml). */
  as?: string;
  /** Where the Playground's log (and generated config) go. Default: the bot's data dir. */
  dir?: string;
}

/** Starts a Playground on a free port in front of `bot`. */
export async function startPlaygroundFor(bot: Pick<Bot, 'endpoint' | 'dataDir'>, opts: PlaygroundForOptions = {}): Promise<Playground> {
  const dir = opts.dir ?? bot.dataDir;
  let configPath: string | undefined;
  if (opts.as) {
    configPath = path.join(dir, 'm365agentsplayground.yml');
    writePlaygroundConfig(opts.as, configPath);
  }
  return startPlayground({
    botEndpoint: bot.endpoint,
    port: await freePort(),
    cwd: REPO_ROOT,
    logFile: path.join(dir, 'playground.log'),
    ...(configPath ? { configPath } : {}),
  });
}

// ---------------------------------------------------------------------------------------------
// The browser and the Playground page

/** Top-level cards only: an Action.ShowCard renders a nested .ac-adaptiveCard inside its parent. */
const CARD = '.ac-adaptiveCard:not(.ac-adaptiveCard .ac-adaptiveCard)';
/** One bot message (text or card) in the conversation; the user's own messages do not have it. */
const BOT_MESSAGE = '.fai-OutputCard';
const COMPOSE = '[data-lexical-editor="true"]';
/**
 * Runs in the page: `{ index }` of the newest element matching `selector` (at or after `since`)
 * whose text contains `text`, whitespace collapsed; false if none. Source text, not a function:
 * tsx (esbuild) wraps named functions in a `__name` helper that does not exist in the page.
 */
const FIND_NEWEST = `({ selector, text, since }) => {
  const norm = (s) => s.replace(/\\s+/g, ' ').trim();
  const wanted = norm(text);
  const all = Array.from(document.querySelectorAll(selector));
  for (let i = all.length - 1; i >= since; i--) {
    if (norm(all[i].textContent || '').includes(wanted)) return { index: i };
  }
  return false;
}`;

/** Paths the Playground page POSTs to when the user sends a message, a submit or an invoke. */
const SENT_TO_BOT = /^\/_conversation\/v1\/(submit|invoke|conversations\/[^/]+\/messages)$/;

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function chromiumPath(): string {
  try {
    const found = execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim();
    if (found) return found;
  } catch {
    // not on PATH
  }
  return '/usr/bin/chromium';
}

export interface Client {
  page: Page;
  context: BrowserContext;
  url: string;
  /** Types `text` (one line) in the compose box and sends it with Enter. */
  sendMessage(text: string): Promise<void>;
  /** How many bot messages (text or card) the conversation shows now; see `since` below. */
  botMessageCount(): Promise<number>;
  /** How many cards the conversation shows now; see `since` below. */
  cardCount(): Promise<number>;
  /**
   * Waits for a card whose text contains `text` (case-sensitive, whitespace collapsed) and returns
   * the newest such card. With `since` (a `cardCount()` taken earlier), only cards that appeared
   * after that count. The locator stays on that card's position, so it still finds the card
   * after the bot updates it in place (Action.Execute).
   */
  waitForCardText(text: string, timeoutMs?: number, opts?: { since?: number }): Promise<Locator>;
  /** Like waitForCardText, for any bot message (plain text or card); `since` is a botMessageCount(). */
  waitForBotMessage(text: string, timeoutMs?: number, opts?: { since?: number }): Promise<Locator>;
  /**
   * Clicks the card's action button with this title (exact) and checks that the Playground sent
   * something to the bot (Action.Submit/Execute); it throws if nothing was sent within 5 s, which
   * is what happens when the card's input validation fails. Pass `sends: false` for buttons that
   * send nothing (Action.OpenUrl, Action.ToggleVisibility; Action.ShowCard is recognised).
   */
  clickCardButton(card: Locator, title: string, opts?: { sends?: boolean }): Promise<void>;
  /**
   * Sets the card input whose label is `label` (exact; a trailing required "*" is ignored).
   * Input.Text/Number (also multi-line): the text. Input.ChoiceSet: a choice's title (for a
   * multi-select one, call once per choice to tick). Input.Toggle: "true"/"false".
   * Input.Date: "YYYY-MM-DD" (picked in the calendar, which accepts no typing). Input.Time:
   * "HH:MM" as listed in its drop-down (the browser runs in sv-SE, so 24-hour "14:30").
   */
  fillCardInput(card: Locator, label: string, value: string): Promise<void>;
  /** Visible text of the newest bot message ('' if there is none). */
  lastBotMessageText(): Promise<string>;
  /** Saves a PNG of the page in test-results/ and returns its path. */
  screenshot(name: string): Promise<string>;
  close(): Promise<void>;
}

export interface OpenClientOptions {
  /** Default: a new temp dir, removed on close. */
  userDataDir?: string;
  headless?: boolean;
  viewport?: { width: number; height: number };
  /** How long to wait for the compose box. Default 60 s. */
  loadTimeoutMs?: number;
}

/** Opens the Playground at `url` in headless Chromium and waits for the compose box. */
export async function openClient(url: string, opts: OpenClientOptions = {}): Promise<Client> {
  const ownProfile = !opts.userDataDir;
  const userDataDir = opts.userDataDir ?? mkdtempSync(path.join(os.tmpdir(), 'lex-sarah-e2e-chromium-'));
  if (ownProfile) profileDirs.add(userDataDir);
  const removeProfile = () => {
    if (!ownProfile) return;
    rmSync(userDataDir, { recursive: true, force: true });
    profileDirs.delete(userDataDir);
  };
  let context: BrowserContext | undefined;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: chromiumPath(),
      headless: opts.headless ?? process.env.E2E_HEADED !== '1',
      args: CHROMIUM_ARGS,
      viewport: opts.viewport ?? { width: 1400, height: 1000 },
      locale: 'sv-SE',
      timezoneId: 'Europe/Stockholm',
    });
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: opts.loadTimeoutMs ?? 60_000 });
    await page.locator(COMPOSE).waitFor({ state: 'visible', timeout: opts.loadTimeoutMs ?? 60_000 });
    return makeClient(page, context, url, async () => {
      await context!.close().catch(() => undefined);
      removeProfile();
    });
  } catch (err) {
    await context?.close().catch(() => undefined);
    removeProfile();
    throw err;
  }
}

function makeClient(page: Page, context: BrowserContext, url: string, close: () => Promise<void>): Client {
  const countOf = (selector: string) => page.locator(selector).count();

  /** Index (among `selector`) of the newest element at or after `since` whose text contains `text`. */
  async function waitForNewest(selector: string, text: string, timeoutMs: number, since: number): Promise<number> {
    const handle = await page
      .waitForFunction(
        `(${FIND_NEWEST})(${JSON.stringify({ selector, text, since })})`,
        undefined,
        { timeout: timeoutMs, polling: 100 },
      )
      .catch(async (err: Error) => {
        const last = await lastBotMessageText().catch(() => '?');
        throw new Error(`No ${selector === CARD ? 'card' : 'bot message'} containing "${text}" within ${timeoutMs} ms` +
          `${since ? ` (after the first ${since})` : ''}. Newest bot message: "${last.slice(0, 500)}"\n(${err.message.split('\n')[0]})`);
      });
    return ((await handle.jsonValue()) as { index: number }).index;
  }

  async function lastBotMessageText(): Promise<string> {
    const n = await countOf(BOT_MESSAGE);
    if (n === 0) return '';
    return (await page.locator(BOT_MESSAGE).nth(n - 1).innerText()).trim();
  }

  return {
    page,
    context,
    url,

    async sendMessage(text) {
      if (/[\r\n]/.test(text)) {
        // Shift+Enter makes a line break in the compose box, but the Playground then sends the
        // lines glued together ("rad 1rad 2"); a typed "\n" makes it send nothing at all.
        throw new Error('The Playground cannot send multi-line messages; send one line');
      }
      const box = page.locator(COMPOSE);
      await box.click();
      await page.keyboard.insertText(text);
      await page.keyboard.press('Enter');
      // Sent when the compose box is empty again.
      await page.waitForFunction((sel) => (document.querySelector(sel)?.textContent ?? '').trim() === '', COMPOSE, { timeout: 10_000 });
    },

    botMessageCount: () => countOf(BOT_MESSAGE),
    cardCount: () => countOf(CARD),

    async waitForCardText(text, timeoutMs = 20_000, opts = {}) {
      const i = await waitForNewest(CARD, text, timeoutMs, opts.since ?? 0);
      return page.locator(CARD).nth(i);
    },

    async waitForBotMessage(text, timeoutMs = 20_000, opts = {}) {
      const i = await waitForNewest(BOT_MESSAGE, text, timeoutMs, opts.since ?? 0);
      return page.locator(BOT_MESSAGE).nth(i);
    },

    async clickCardButton(card, title, opts = {}) {
      const button = card.getByRole('button', { name: title, exact: true });
      await button.waitFor({ timeout: 10_000 });
      // Action.ShowCard buttons carry aria-expanded and send nothing.
      const sends = opts.sends ?? (await button.getAttribute('aria-expanded')) === null;
      const sent = sends
        ? page
            .waitForRequest((r) => r.method() === 'POST' && SENT_TO_BOT.test(new URL(r.url()).pathname), { timeout: 5000 })
            .then(() => true, () => false)
        : Promise.resolve(true);
      await button.click({ timeout: 10_000 });
      if (!(await sent)) {
        // Typically the renderer's own input validation (isRequired, regex, min/max): it then
        // shows the card's errorMessage texts and sends nothing.
        const text = (await card.innerText().catch(() => '')).replace(/\s+/g, ' ').trim();
        throw new Error(`Clicking "${title}" sent nothing to the bot within 5 s (invalid inputs?). The card now reads: ${text.slice(0, 800)}`);
      }
    },

    async fillCardInput(card, label, value) {
      const control = await cardControl(card, label);
      const kind = await control.evaluate((el) => ({
        tag: el.tagName.toLowerCase(),
        type: (el.getAttribute('type') ?? '').toLowerCase(),
        role: el.getAttribute('role') ?? '',
        popup: el.getAttribute('aria-haspopup') ?? '',
      }));
      if (kind.role === 'radiogroup' || kind.tag === 'div') {
        // Input.ChoiceSet style expanded: radio buttons, or checkboxes with isMultiSelect.
        await (await choiceControl(control, label, value)).check();
      } else if (kind.type === 'checkbox') {
        if (/^(true|1|ja|yes)$/i.test(value)) await control.check();
        else await control.uncheck();
      } else if (kind.role === 'combobox' && kind.popup === 'dialog') {
        await pickDate(page, control, value);
      } else if (kind.role === 'combobox') {
        // Input.ChoiceSet style compact: a Fluent combobox whose options open in a popup.
        await control.click();
        await page.getByRole('option', { name: value, exact: true }).click();
      } else if (kind.tag === 'select') {
        await control.selectOption({ label: value });
      } else {
        await control.fill(value);
        // Commit now (Fluent's number input takes the value on blur) and let the card re-render
        // before the next click: a validation message that vanishes moves the buttons.
        await control.blur();
      }
    },

    lastBotMessageText,

    async screenshot(name) {
      mkdirSync(RESULTS_DIR, { recursive: true });
      const file = path.join(RESULTS_DIR, `${name.replace(/[^\p{L}\p{N}._-]+/gu, '-').replace(/^-+|-+$/g, '').slice(0, 120) || 'screenshot'}.png`);
      await page.screenshot({ path: file });
      return file;
    },

    close,
  };
}

/** The element a card's <label for=…> with this text points at (the Adaptive Cards renderer's contract). */
async function cardControl(card: Locator, label: string): Promise<Locator> {
  const esc = label.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const labelEl = card.locator('label').filter({ hasText: new RegExp(`^\\s*${esc}\\s*\\*?\\s*$`) });
  const n = await labelEl.count();
  if (n === 0) {
    const labels = (await card.locator('label').allInnerTexts()).map((l) => `"${l.trim()}"`).join(', ');
    throw new Error(`The card has no input labelled "${label}" (labels: ${labels || 'none'})`);
  }
  const id = await labelEl.first().getAttribute('for');
  if (!id) throw new Error(`The label "${label}" is not linked to an input`);
  return card.locator(`[id="${id}"]`);
}

/** In an expanded choice set, the radio/checkbox whose own <label> reads `value`. */
async function choiceControl(group: Locator, label: string, value: string): Promise<Locator> {
  const texts = await group.locator('label').allInnerTexts();
  const i = texts.findIndex((t) => t.trim() === value);
  if (i < 0) throw new Error(`"${label}" has no choice "${value}" (choices: ${texts.map((t) => `"${t.trim()}"`).join(', ')})`);
  const id = await group.locator('label').nth(i).getAttribute('for');
  return group.locator(`[id="${id}"]`);
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * Input.Date is a Fluent DatePicker that does not accept typed text: open its calendar, step
 * month by month to the target and click the day (day buttons are labelled "14, March, 2025").
 */
async function pickDate(page: Page, control: Locator, isoDate: string): Promise<void> {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDate);
  if (!m) throw new Error(`Input.Date wants YYYY-MM-DD, got "${isoDate}"`);
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if ((await control.getAttribute('aria-expanded')) !== 'true') await control.click();
  const popup = page.locator(`[id="${await control.getAttribute('aria-controls')}"]`);
  await popup.waitFor();
  const want = year * 12 + month - 1;
  for (let step = 0; step < 1200; step++) {
    // The first button is the "<Month> <Year>" header, then previous month, next month.
    const [name, y] = (await popup.locator('button').first().innerText()).trim().split(/\s+/);
    if (!MONTHS.includes(name ?? '')) throw new Error(`Cannot read the date picker's month header "${name} ${y}"`);
    const shown = Number(y) * 12 + MONTHS.indexOf(name!);
    if (shown === want) break;
    await popup.locator('button').nth(shown > want ? 1 : 2).click();
  }
  await popup.getByRole('button', { name: `${day}, ${MONTHS[month - 1]}, ${year}`, exact: true }).click();
  if ((await control.getAttribute('aria-expanded')) === 'true') await control.press('Escape');
}

// ---------------------------------------------------------------------------------------------
// Mocha wiring

export interface E2EOptions {
  bot?: BotOptions;
  /** Chat as this Playground user (default: the current user in .m365agentsplayground.yml). */
  as?: string;
  /** Timeout of each test in the suite (unless the test sets its own). Default 60 s. */
  testTimeoutMs?: number;
}

export interface E2E {
  /** Set in the suite's `before` hook. */
  bot: Bot;
  playground: Playground;
  client: Client;
  /** The suite's temp dir: bot data and log, Playground log. */
  dir: string;
}

/**
 * Call inside a `describe`: starts bot + Playground + browser once for the suite, screenshots
 * each failed test into test-results/, and stops everything afterwards (also after a failed
 * start). Returns an object whose fields are filled in by the `before` hook.
 */
export function useE2E(opts: E2EOptions = {}): E2E {
  const e2e = {} as Partial<E2E>;
  let failed = false;

  before(async function (this: Context) {
    this.timeout(180_000);
    e2e.dir = mkdtempSync(path.join(os.tmpdir(), 'lex-sarah-e2e-'));
    try {
      e2e.bot = await startBot({ dataDir: e2e.dir, ...opts.bot });
      e2e.playground = await startPlaygroundFor(e2e.bot, { dir: e2e.dir, ...(opts.as ? { as: opts.as } : {}) });
      e2e.client = await openClient(e2e.playground.url);
    } catch (err) {
      failed = true;
      if (e2e.client) await e2e.client.screenshot(`${this.test?.parent?.fullTitle() ?? 'e2e'} start-up`).catch(() => undefined);
      throw err;
    }
  });

  beforeEach(function (this: Context) {
    const test = this.currentTest;
    // Raise the project's unit-test timeout unless the test chose its own.
    if (test && test.timeout() === test.parent?.timeout()) test.timeout(opts.testTimeoutMs ?? 60_000);
  });

  afterEach(async function (this: Context) {
    const test = this.currentTest;
    if (test?.state !== 'failed') return;
    failed = true;
    if (e2e.client) {
      const shot = await e2e.client.screenshot(test.fullTitle()).catch(() => undefined);
      if (shot) log(`screenshot: ${path.relative(REPO_ROOT, shot)}`);
    }
    if (e2e.bot) log(`bot log ${e2e.bot.logFile}, last lines:\n${e2e.bot.logTail(25)}`);
    if (e2e.playground) log(`Playground log: ${e2e.playground.logFile}`);
  });

  after(async function (this: Context) {
    this.timeout(60_000);
    const errors: unknown[] = [];
    const attempt = async (f: (() => Promise<void>) | undefined) => {
      try {
        await f?.();
      } catch (err) {
        errors.push(err);
      }
    };
    // Each step even if an earlier one failed.
    await attempt(e2e.client?.close);
    await attempt(e2e.playground?.stop);
    await attempt(e2e.bot?.stop);
    if (e2e.dir && existsSync(e2e.dir)) {
      if (failed || process.env.E2E_KEEP_TMP === '1') log(`kept ${e2e.dir}`);
      else rmSync(e2e.dir, { recursive: true, force: true });
    }
    if (errors.length) throw errors[0];
  });

  return e2e as E2E;
}
