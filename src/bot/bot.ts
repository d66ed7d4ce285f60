/**
 * The thin transport layer: a Teams AI Application on botbuilder's CloudAdapter. It translates
 * activities into calls on the domain and store, and turns their results into cards with the
 * builders in src/cards; nothing below it imports botbuilder.
 */
import { ActivityTypes, CardFactory, MessageFactory, type Activity, type InvokeResponse, type TurnContext } from 'botbuilder';
import { Application, TeamsAdapter, TurnState } from '@microsoft/teams-ai';
import { helpCard, noticeCard, welcomeCard } from '../cards/basic-cards';
import { caseAnswer } from '../cards/case-cards';
import type { AdaptiveCard, CardRenderer } from '../cards/render';
import { reportFormAgainCard, reportFormCard, reportListCard, reportReceiptCard, reportViewCard } from '../cards/report-cards';
import { reviewAnswer, reviewCards } from '../cards/review-cards';
import { patternAnswer } from '../cards/pattern-cards';
import { compilationAnswer, compilationCard } from '../cards/compilation-cards';
import { CompilationExports } from '../compilation/export';
import { CompilationService } from '../compilation/service';
import { PatternEvaluations } from '../patterns/evaluations';
import { PatternAlerts } from '../patterns/service';
import { WeeklyPatterns } from '../patterns/weekly';
import { statusAnswer } from '../cards/status-cards';
import { commandInfo, parseCommand, type Intent } from '../commands/commands';
import type { Config } from '../config/config';
import type { Logger } from '../log/logger';
import type { Directory } from '../org/directory';
import type { ClockRules } from '../cases/clocks';
import type { CaseService } from '../cases/case-service';
import { CASE_STEPS, caseSteps, runCaseStep } from '../cases/steps';
import { abilitiesOf, SHARED_CHAT_ABILITIES, type Abilities } from '../reports/abilities';
import type { UnknownReporterPolicy } from '../reports/access';
import { ReportService, type Actor } from '../reports/service';
import { WorkingCalendar } from '../review/calendar';
import { ReviewService } from '../review/service';
import type { ReviewSchedule } from '../review/schedule';
import { StatusService } from '../status/service';
import type { Store } from '../store/store';
import { commandTextOf, conversationRefOf, firstName, scopeOf, tenantOf } from './activity';
import { chatMessageWarning } from '../privacy/guard';
import { containsIdentityNumber } from '../privacy/identity-numbers';
import { ProactiveNotifier } from './proactive-notifier';
import { FORM_SENT_TO_PERSONAL_CHAT, NO_IDENTITY, personalChatOnly, UNKNOWN_ACTION } from './replies';
import { StoreStorage } from './store-storage';

export interface BotDeps {
  config: Config;
  store: Store;
  directory: () => Directory;
  cards: CardRenderer;
  logger: Logger;
  now?: () => Date;
  clockRules?: ClockRules;
  calendar?: WorkingCalendar;
  /** Each unit's weekly review schedule, when not the default. */
  scheduleFor?: (unitId: string) => ReviewSchedule | undefined;
  /** Wakes the outbox's delivery worker after a request enqueued cards (late-bound: the worker needs the bot's sender). */
  onEnqueued?: () => void;
  /** The bot's public address for download links (late-bound: the port is known once listening). */
  publicBaseUrl?: () => string;
}

type AppState = TurnState;

export interface Bot {
  adapter: EdgeTeamsAdapter;
  reports: ReportService;
  cases: CaseService;
  reviews: ReviewService;
  status: StatusService;
  patterns: PatternAlerts;
  weeklyPatterns: WeeklyPatterns;
  /** New reports' pattern evaluations, run after the submit is answered. */
  patternEvaluations: PatternEvaluations;
  /** The sammanställning's one-time file links (the HTTP edge serves the downloads). */
  exports: CompilationExports;
  /** The outbox's single-attempt Sender: every proactive card is an outbox row first, sent by the delivery worker. */
  notifier: ProactiveNotifier;
  /** Runs one turn: tenant check, conversation-reference capture, then the Teams AI routes. */
  onTurn(context: TurnContext): Promise<void>;
}

/**
 * The Teams adapter. Its connector client already retries throttling (honouring Retry-After) and
 * 5xx answers a few times; ProactiveNotifier adds 412, further attempts and the rate limit.
 */
/**
 * The Teams adapter with its authenticated entry point opened up: the HTTP edge parses and
 * answers requests itself, because CloudAdapter.process() prints every refused request to stderr
 * and turns token-check failures it does not recognise into 500s (see src/http/bot-request.ts).
 */
export class EdgeTeamsAdapter extends TeamsAdapter {
  processAuthenticated(authHeader: string, activity: Record<string, unknown>, logic: (context: TurnContext) => Promise<void>): Promise<InvokeResponse | undefined> {
    return this.processActivity(authHeader, activity as unknown as Activity, logic);
  }
}

export function createTeamsAdapter(config: Pick<Config, 'bot'>): EdgeTeamsAdapter {
  return new EdgeTeamsAdapter(
    config.bot
      ? {
          MicrosoftAppId: config.bot.appId,
          MicrosoftAppPassword: config.bot.password,
          MicrosoftAppType: config.bot.type,
          MicrosoftAppTenantId: config.bot.tenantId,
        }
      : {},
  );
}

/**
 * Commands whose answer shows reports, cases or counts, or takes a report: answered in the
 * personal chat only. Every card action is too (see ACTION_VERBS).
 */
/** How long after a turn the process counts as busy for background work that yields to turns. */
const TURN_QUIET_MS = 20;

const PRIVATE_INTENTS = new Set<Intent>(['report', 'myReports', 'open', 'review', 'status', 'compilation']);

/** Every card action the bot answers; anything else is an unknown (or forged) button. */
const ACTION_VERBS = new Set<string>([...Object.keys(CASE_STEPS), 'review.done', 'review.snooze', 'review.page', 'status.show', 'report.submit', 'pattern.decide', 'pattern.show', 'compilation.export']);

/** The verb of an Action.Execute, or 'unknown': what a user sends is never logged verbatim. */
const knownVerb = (verb: unknown): string => (typeof verb === 'string' && ACTION_VERBS.has(verb) ? verb : 'unknown');

/** Every Action.Execute invoke, whatever its verb, so that none goes unanswered (teams-ai would answer 501). */
const anyActionExecute = async (context: TurnContext): Promise<boolean> => {
  const a = context.activity;
  return a.type === ActivityTypes.Invoke && a.name === 'adaptiveCard/action' && (a.value as { action?: { type?: string } } | undefined)?.action?.type === 'Action.Execute';
};

const cardActivity = (card: AdaptiveCard) => ({ attachments: [CardFactory.adaptiveCard(card)] });

export function createBot(deps: BotDeps): Bot {
  const { config, store, cards, logger } = deps;
  const now = deps.now ?? (() => new Date());
  const unknownReporter: UnknownReporterPolicy = config.reportUnknownPerson;

  const adapter = createTeamsAdapter(config);

  adapter.onTurnError = async (context, error) => {
    // Only the error itself is logged: activity text may hold personal data.
    logger.error({ err: error, activityType: context.activity.type, activityId: context.activity.id }, 'turn failed');
    if (context.activity.type === ActivityTypes.Message) {
      await context
        .sendActivity('Något gick fel hos mig och jag kunde inte göra klart det du bad om. Försök igen om en stund.')
        .catch((sendErr: unknown) => logger.error({ err: sendErr }, 'could not tell the user about a failed turn'));
    }
  };

  const app = new Application<AppState>({
    adapter,
    ...(config.bot ? { botAppId: config.bot.appId } : {}),
    storage: new StoreStorage(store.state),
    startTypingTimer: false,
    removeRecipientMention: true,
    longRunningMessages: false,
  });

  const notifier = new ProactiveNotifier(adapter, store.conversations, config.bot?.appId ?? '', logger, now);
  const calendar = deps.calendar ?? new WorkingCalendar({ timeZone: config.timeZone, deFactoHolidays: config.review.deFactoHolidays });
  const patterns = new PatternAlerts({
    store,
    directory: deps.directory,
    cards,
    logger,
    timeZone: config.timeZone,
    calendar,
    rules: config.patternRules,
    ...(deps.onEnqueued ? { onEnqueued: deps.onEnqueued } : {}),
  });
  // A new report's pattern rules wait (briefly) while turns are running or have just run: under
  // load the next request is often already read but not yet a turn, and the gap between two
  // turns must not let an evaluation in ahead of it.
  let turnsInFlight = 0;
  let lastTurnAt = -Infinity;
  const busy = () => turnsInFlight > 0 || performance.now() - lastTurnAt < TURN_QUIET_MS;
  const patternEvaluations = new PatternEvaluations({ evaluate: (reference) => patterns.afterReport(reference), logger, busy });
  const reports = new ReportService({
    store,
    directory: deps.directory,
    cards,
    logger,
    timeZone: config.timeZone,
    now,
    unknownReporter,
    ...(deps.onEnqueued ? { onEnqueued: deps.onEnqueued } : {}),
    // After the answer (./patterns/evaluations.ts); a missed evaluation (an error, a crash) is caught up by the app's pattern sweep.
    onFiled: async (reference) => patternEvaluations.push(reference),
  });

  const steps = caseSteps({ store, directory: deps.directory, logger, timeZone: config.timeZone, now, calendar, ...(deps.clockRules ? { clockRules: deps.clockRules } : {}) });
  const cases = steps.cases;
  /** Every case action goes through the one route (cases/steps.ts); its result becomes a card here. */
  const caseAction = async (actor: Actor, verb: string, data: unknown) => caseAnswer(cards, await runCaseStep(steps, actor, verb, data));

  const reviews = new ReviewService({
    store,
    directory: deps.directory,
    logger,
    timeZone: config.timeZone,
    now,
    warnDays: config.casework.warnDays,
    judgmentDays: config.casework.judgmentDays,
    calendar,
    ...(deps.clockRules ? { clockRules: deps.clockRules } : {}),
  });

  // The weekly rules, judged by the app's pattern sweep on the counts the review card shows.
  const weeklyPatterns = new WeeklyPatterns({
    store,
    directory: deps.directory,
    calendar,
    timeZone: config.timeZone,
    logger,
    ...(deps.scheduleFor ? { scheduleFor: deps.scheduleFor } : {}),
    rules: config.patternRules,
    caseworkNow: (unitId) => reviews.caseworkNow(unitId),
    fire: (finding, unit) => patterns.fireWeekly(finding, unit),
  });

  const status = new StatusService({
    store,
    directory: deps.directory,
    logger,
    timeZone: config.timeZone,
    now,
    warnDays: config.casework.warnDays,
    calendar,
    ...(deps.clockRules ? { clockRules: deps.clockRules } : {}),
    ...(deps.scheduleFor ? { scheduleFor: deps.scheduleFor } : {}),
  });

  const compilation = new CompilationService({
    store,
    directory: deps.directory,
    logger,
    timeZone: config.timeZone,
    now,
    calendar,
    ...(deps.scheduleFor ? { scheduleFor: deps.scheduleFor } : {}),
  });

  const exports = new CompilationExports({ state: store.state, compilation, baseUrl: deps.publicBaseUrl ?? (() => `http://localhost:${config.port}`) });

  /** The person acting; Teams always sends the Entra object id for users in a tenant. */
  const actorOf = (context: TurnContext): Actor | undefined => {
    const id = context.activity.from?.aadObjectId;
    return id ? { entraId: id.toLowerCase(), name: context.activity.from.name ?? '' } : undefined;
  };

  /**
   * What the welcome and help cards offer: in the personal chat, what this person may do; where
   * others read along (or Teams does not say who is writing), the same card for everyone.
   */
  const abilitiesFor = (context: TurnContext): Abilities => {
    const id = context.activity.from?.aadObjectId;
    if (!id || scopeOf(context.activity) !== 'personal') return SHARED_CHAT_ABILITIES;
    return abilitiesOf(deps.directory(), id.toLowerCase(), unknownReporter);
  };

  const sendWelcome = async (context: TurnContext) => {
    // Teams (and the Playground) send installationUpdate and conversationUpdate together on install:
    // an atomic claim in the database makes sure only one of them greets.
    const claimed = await store.state.claimOnce(`welcome/${context.activity.conversation.id}`, now());
    if (!claimed) return;
    const dir = deps.directory();
    // Install events often carry no display name; the directory knows it.
    const name = context.activity.from?.name ?? dir.person(context.activity.from?.aadObjectId)?.name;
    await context.sendActivity(cardActivity(welcomeCard(cards, { municipality: dir.municipality, firstName: firstName(name), abilities: abilitiesFor(context) })));
    logger.info({ event: 'welcome', conversationType: context.activity.conversation?.conversationType }, 'welcome card sent');
  };

  app.activity(ActivityTypes.InstallationUpdate, async (context) => {
    const action = (context.activity as { action?: string }).action ?? '';
    const tenantId = tenantOf(context.activity);
    if (action.startsWith('remove')) {
      const changed = tenantId
        ? await store.conversations.markConversationInactive(tenantId, context.activity.conversation.id, 'uninstalled', now())
        : 0;
      logger.info({ event: 'uninstalled', references: changed }, 'app uninstalled; conversation references marked inactive');
      return;
    }
    await sendWelcome(context);
  });

  app.conversationUpdate('membersAdded', async (context) => {
    const botId = context.activity.recipient?.id;
    if (context.activity.membersAdded?.some((m) => m.id === botId)) await sendWelcome(context);
  });

  app.conversationUpdate('membersRemoved', async (context) => {
    const botId = context.activity.recipient?.id;
    const tenantId = tenantOf(context.activity);
    if (tenantId && context.activity.membersRemoved?.some((m) => m.id === botId)) {
      const changed = await store.conversations.markConversationInactive(tenantId, context.activity.conversation.id, 'bot removed', now());
      logger.info({ event: 'bot-removed', references: changed }, 'bot removed from conversation');
    }
  });

  /**
   * The report form, for the person's personal chat when the bot has one (they opened the app
   * before): enqueued in the outbox, delivered by the worker after this turn. The form id is issued
   * for that chat, so only a submit from there files a report.
   */
  const sendFormToPersonalChat = async (actor: Actor): Promise<boolean> => {
    const personal = (await store.conversations.listForUser(actor.entraId))
      .filter((r) => r.active && r.scope === 'personal')
      .sort((a, b) => b.updatedAt.getTime() - a.updatedAt.getTime())[0];
    if (!personal || !(await reports.enqueueForm(actor, personal.conversationId))) return false;
    logger.info({ event: 'report-form-enqueued-for-personal-chat' }, 'report form enqueued for the personal chat');
    return true;
  };

  /** A refusal because of where it was asked: audited like any refusal (the command or verb, never text). */
  const refuseOutsidePersonal = async (context: TurnContext, actor: Actor | undefined, what: string): Promise<string> => {
    const scope = scopeOf(context.activity);
    logger.info({ event: 'refused-outside-personal', what, scope }, 'answered only in the personal chat');
    if (actor) {
      await store.audit.append({ at: now(), actorEntraId: actor.entraId, action: 'access.denied-scope', entityType: 'command', entityRef: what, detail: `scope=${scope}` });
    }
    return personalChatOnly(config.bot?.appId);
  };

  app.activity(ActivityTypes.Message, async (context) => {
    const text = commandTextOf(context.activity);
    // Teams keeps what was typed: ask for the message to be deleted, and do nothing else with it.
    if (text && containsIdentityNumber(text)) {
      logger.warn({ event: 'message-identity-number', conversationType: scopeOf(context.activity) }, 'a chat message looked like it held an identity number; not used');
      await context.sendActivity(chatMessageWarning());
      return;
    }
    const parsed = parseCommand(text);
    logger.info({ event: 'message', intent: parsed?.intent ?? 'unknown' }, 'message handled');
    if (!parsed) {
      await context.sendActivity(
        cardActivity(helpCard(cards, 'Jag förstod inte riktigt vad du menade. Skriv något av kommandona nedan, eller tryck på en knapp.', abilitiesFor(context))),
      );
      return;
    }
    if (parsed.intent === 'help') {
      await context.sendActivity(cardActivity(helpCard(cards, '', abilitiesFor(context))));
      return;
    }
    const actor = actorOf(context);
    if (!actor) {
      await context.sendActivity(NO_IDENTITY);
      return;
    }
    // "rapportera" where others read along: the form goes to the person's personal chat, issued for it.
    if (parsed.intent === 'report' && scopeOf(context.activity) !== 'personal') {
      // Said where others read along: why this person may not report is theirs, so only the chat link.
      if (reports.reportRefusal(actor)) {
        await context.sendActivity(await refuseOutsidePersonal(context, actor, parsed.intent));
        return;
      }
      const sent = await sendFormToPersonalChat(actor);
      await context.sendActivity(sent ? FORM_SENT_TO_PERSONAL_CHAT : await refuseOutsidePersonal(context, actor, parsed.intent));
      return;
    }
    // Reports, cases, reviews and summaries are for the asker's eyes: never posted where others read along.
    if (PRIVATE_INTENTS.has(parsed.intent) && scopeOf(context.activity) !== 'personal') {
      await context.sendActivity(await refuseOutsidePersonal(context, actor, parsed.intent));
      return;
    }
    switch (parsed.intent) {
      case 'report': {
        const offer = await reports.offerForm(actor, context.activity.conversation.id);
        await context.sendActivity(offer.kind === 'form' ? cardActivity(reportFormCard(cards, offer.view)) : offer.reason);
        return;
      }
      case 'myReports':
        await context.sendActivity(cardActivity(reportListCard(cards, await reports.listMine(actor))));
        return;
      case 'open': {
        // People who work the case get the case card; the reporter gets the report itself.
        if (await cases.worksCase(actor, parsed.args)) {
          const caseCard = await caseAction(actor, 'case.show', { reference: parsed.args });
          await context.sendActivity(typeof caseCard === 'string' ? caseCard : cardActivity(caseCard));
          return;
        }
        const res = await reports.open(actor, parsed.args);
        await context.sendActivity(res.kind === 'report' ? cardActivity(reportViewCard(cards, res.view)) : res.reason);
        return;
      }
      case 'review': {
        const out = reviewCards(cards, await reviews.onDemand(actor));
        if (typeof out === 'string') await context.sendActivity(out);
        else for (const card of out) await context.sendActivity(cardActivity(card));
        return;
      }
      case 'status': {
        const reply = statusAnswer(cards, await status.ask(actor, parsed.args));
        await context.sendActivity(typeof reply === 'string' ? reply : cardActivity(reply));
        return;
      }
      case 'compilation': {
        const out = compilationAnswer(cards, await compilation.ask(actor, parsed.args));
        if (typeof out === 'string') await context.sendActivity(out);
        else for (const card of out) await context.sendActivity(cardActivity(card));
        return;
      }
      default: {
        const info = commandInfo(parsed.intent);
        await context.sendActivity(
          cardActivity(
            noticeCard(
              cards,
              'Kommer snart',
              `"${info.usage}" finns inte ännu i den här versionen av Lex Sarah-assistenten.`,
            ),
          ),
        );
      }
    }
  });

  /** Answers one card action: a message, or a card for the clicker (shared cards replace the message for everyone). */
  const respond = async (context: TurnContext, result: AdaptiveCard | string): Promise<void> => {
    if (typeof result === 'string') {
      await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: result } } });
      return;
    }
    // Decided per answer: teams-ai's own response type sticks to "replace for all" for a route once
    // one refreshable card went out, which would make every later page of that route public.
    if ((result as { refresh?: unknown }).refresh && context.activity.replyToId) {
      const update = { ...MessageFactory.attachment(CardFactory.adaptiveCard(result)), id: context.activity.replyToId };
      await context.updateActivity(update);
    }
    await context.sendActivity({ type: ActivityTypes.InvokeResponse, value: { status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.card.adaptive', value: result } } });
  };

  const answerAction = async (context: TurnContext, data: Record<string, unknown>): Promise<AdaptiveCard | string> => {
    const verb = knownVerb((context.activity.value as { action?: { verb?: unknown } } | undefined)?.action?.verb);
    logger.info({ event: 'card-action', verb }, 'card action');
    if (verb === 'unknown') return UNKNOWN_ACTION;
    const actor = actorOf(context);
    if (!actor) return NO_IDENTITY;
    // The personal-chat rule holds for buttons as for commands: a card forwarded or posted in a
    // group chat or channel never answers there (and the report form should not be there at all).
    if (scopeOf(context.activity) !== 'personal') return refuseOutsidePersonal(context, actor, verb);
    // replyToId is the form's message: the receipt replaces it now, and is updated there once delivery completes.
    if (verb === 'report.submit') {
      const res = await reports.submit(actor, data, context.activity.conversation.id, context.activity.replyToId);
      if (res.kind === 'refused') return res.reason;
      return res.kind === 'filed' ? reportReceiptCard(cards, res.view) : reportFormAgainCard(cards, res.view);
    }
    if (verb === 'status.show') return statusAnswer(cards, await status.show(actor, data));
    if (verb === 'review.done') return reviewAnswer(cards, await reviews.done(actor, data));
    if (verb === 'review.snooze') return reviewAnswer(cards, await reviews.snooze(actor, data));
    if (verb === 'review.page') return reviewAnswer(cards, await reviews.page(actor, data));
    if (verb === 'pattern.decide') return patternAnswer(cards, await patterns.decide(actor, data, now()));
    if (verb === 'pattern.show') return patternAnswer(cards, await patterns.show(actor, data));
    if (verb === 'compilation.export') {
      const out = await exports.request(actor, data);
      return out.kind === 'export' ? compilationCard(cards, out.view, out.url) : out.reason;
    }
    if (!Object.prototype.hasOwnProperty.call(CASE_STEPS, verb)) return UNKNOWN_ACTION;
    return caseAction(actor, verb, data);
  };

  app.adaptiveCards.actionExecute(anyActionExecute, async (context, _state, data: unknown) => {
    const fields = (data && typeof data === 'object' && !Array.isArray(data) ? data : {}) as Record<string, unknown>;
    await respond(context, await answerAction(context, fields));
    return '';
  });

  // A card action that is not an Action.Execute (an old card, a client's mistake) still gets an
  // answer: teams-ai would leave it unanswered (501), which Teams shows as an error on the card.
  app.addRoute(
    async (context) => context.activity.type === ActivityTypes.Invoke && context.activity.name === 'adaptiveCard/action',
    async (context) => {
      logger.info({ event: 'card-action', verb: 'unknown' }, 'card action');
      await respond(context, UNKNOWN_ACTION);
    },
    true,
  );

  const onTurn = async (context: TurnContext): Promise<void> => {
    const activity = context.activity;
    const tenantId = tenantOf(activity);
    if (config.allowedTenantIds.length && (!tenantId || !config.allowedTenantIds.includes(tenantId))) {
      logger.warn({ event: 'tenant-refused', tenantId: tenantId ?? null, activityType: activity.type }, 'activity from a tenant that is not allowed was ignored');
      return;
    }
    const ref = conversationRefOf(activity);
    const isRemoval =
      (activity.type === ActivityTypes.InstallationUpdate && String((activity as { action?: string }).action).startsWith('remove')) ||
      (activity.type === ActivityTypes.ConversationUpdate && activity.membersRemoved?.some((m) => m.id === activity.recipient?.id));
    turnsInFlight++;
    try {
      if (ref && !isRemoval) await store.conversations.upsert(ref, now());
      await app.run(context);
    } finally {
      turnsInFlight--;
      lastTurnAt = performance.now();
    }
  };

  return { adapter, reports, cases, reviews, status, patterns, weeklyPatterns, patternEvaluations, exports, notifier, onTurn };
}
