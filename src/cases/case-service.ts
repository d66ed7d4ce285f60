/**
 * The lex Sarah case after the report: load and authorise, the steps (start the investigation,
 * document, add åtgärder, inform the individual, record the IVO filing, send the investigation,
 * close), each a transition of the state machine and a guarded write, and the anmälan draft.
 * Every action returns a CaseResult with a view model (./case-views.ts); the transport layer
 * builds the card from it (src/cards/case-cards.ts). The assessment (./assessment.ts) calls this
 * service, never the other way round. No botbuilder here.
 */
import { DateTime } from 'luxon';
import { swedishDate } from '../cards/swedish-dates';
import { OUTCOMES } from '../assessment/rules';
import type { Logger } from '../log/logger';
import type { Directory } from '../org/directory';
import { AREAS } from '../org/schema';
import { guardFields } from '../privacy/guard';
import { reportAccessAll } from '../reports/access';
import { CATEGORIES, INFORMED } from '../reports/categories';
import { parseReference } from '../reports/reference';
import type { Report } from '../reports/report';
import type { Actor } from '../reports/service';
import type { Store } from '../store/store';
import { plural } from '../cards/plural';
import { WorkingCalendar } from '../review/calendar';
import type { CaseDetails, InvestigationEntry, Person, SosfsItem } from './case';
import type { CaseFormSpec, CasePage, CaseResult, CaseView, DraftSection, NoticeTone } from './case-views';
import { caseRunningClock, clockLabel, clockStatus, DEFAULT_CLOCK_RULES, runningClockDue, type ClockRules, type WorkingDays } from './clocks';
import { currentInforming, INFORMED_ANSWERS, INFORMED_ROLES, INFORMING_ABOUT, INFORMING_ITEM, informingSentence, informingText, parseInformingForm } from './informing';
import { hasRight, type CaseRight } from './permissions';
import { legalEvents, missingInvestigationItems, SHORT_CLOSING_OUTCOME, SOSFS_ITEM_LABELS, transition, type CaseCommand, type CaseContext } from './state-machine';

export interface CaseServiceDeps {
  store: Store;
  directory: () => Directory;
  logger: Logger;
  timeZone: string;
  now: () => Date;
  clockRules?: ClockRules;
  /** Working days for the assessment clock; the app's calendar when given (its de facto holidays setting). */
  calendar?: WorkingDays;
}

/** A case loaded for someone allowed to see it, with the bases of their access. */
export interface LoadedCase {
  report: Report;
  details: CaseDetails;
  bases: ReturnType<typeof reportAccessAll>;
}
type Loaded = LoadedCase;

/** A refusal to load: the case does not exist, or the person may not do this in it (never saying which). */
export type LoadRefusal = Extract<CaseResult, { kind: 'refused' }>;

/** The data a step's form sends, as the step table (./steps.ts) has parsed it: strings only. */
export type StepData = Record<string, string | undefined>;

export const FIRST_CASE_PAGE: CasePage = { entries: 0, actions: 0 };

/** Done: the case (or another view) to show. */
export const ok = (view: CaseView): CaseResult => ({ kind: 'ok', view });

/** The SOSFS 2011:5 5 kap. items as the forms and cards name them (the state machine's list, which closing checks). */
export const SOSFS_ITEMS: Record<SosfsItem, string> = SOSFS_ITEM_LABELS;

// Longer text is refused, never cut: a cut after the identity-number check could turn a
// harmless longer digit run into a personnummer at the very end of what is stored.
const TEXT_MAX = 4000;
const SOURCE_MAX = 200;
const ACTION_MAX = 1000;
const DNR_MAX = 60;

export class CaseService {
  private readonly calendar: WorkingDays;

  constructor(readonly deps: CaseServiceDeps) {
    this.calendar = deps.calendar ?? new WorkingCalendar({ timeZone: deps.timeZone });
  }

  get rules(): ClockRules {
    return this.deps.clockRules ?? DEFAULT_CLOCK_RULES;
  }

  today(): string {
    return DateTime.fromJSDate(this.deps.now(), { zone: this.deps.timeZone }).toISODate()!;
  }

  fmt(d: Date, withTime = false): string {
    return swedishDate(d, this.deps.timeZone, withTime);
  }

  /** An ISO calendar date the same way as other dates on cards. */
  private fmtDay(isoDate: string): string {
    return DateTime.fromISO(isoDate, { zone: this.deps.timeZone }).setLocale('sv').toFormat('d LLL yyyy');
  }

  actorPerson(actor: Actor): Person {
    return { entraId: actor.entraId, name: this.deps.directory().person(actor.entraId)?.name ?? actor.name };
  }

  /** Loads the case for someone with `right`; otherwise a refusal text that does not reveal whether it exists. */
  async load(actor: Actor, referenceText: string, right: CaseRight): Promise<Loaded | LoadRefusal> {
    const reference = parseReference(referenceText ?? '');
    if (!reference) return { kind: 'refused', reason: 'Skriv referensen så här: öppna LS-2026-0001.' };
    const report = await this.deps.store.reports.getByReference(reference);
    const bases = report ? reportAccessAll(this.deps.directory(), actor.entraId, report) : [];
    if (!report || !hasRight(bases, right)) {
      await this.audit(actor, reference, 'case.denied', `right=${right}`);
      return { kind: 'refused', reason: `Du kan inte göra det i ${reference}. Ärendet finns inte, eller så har du inte behörighet.` };
    }
    return { report, details: await this.deps.store.cases.get(report.id), bases };
  }

  /** Whether the person works this case (no audit entry: used to choose which view to show). */
  async worksCase(actor: Actor, referenceText: string): Promise<boolean> {
    const reference = parseReference(referenceText ?? '');
    const report = reference ? await this.deps.store.reports.getByReference(reference) : undefined;
    return !!report && hasRight(reportAccessAll(this.deps.directory(), actor.entraId, report), 'view-case');
  }

  async audit(actor: Actor, reference: string, action: string, detail?: string): Promise<void> {
    await this.deps.store.audit.append({
      at: this.deps.now(),
      actorEntraId: actor.entraId,
      action,
      entityType: 'report',
      entityRef: reference,
      ...(detail ? { detail } : {}),
    });
  }

  context(l: Loaded, closingMotivation?: string): CaseContext {
    const decision = l.details.decisions.at(-1);
    const filing = l.details.filing;
    return {
      decisionRequiresAnmalan: !!decision?.requiresAnmalan,
      investigationSentToIvo: !!filing && (filing.investigationAttached || !!filing.investigationSentOn),
      hasUtredare: !!l.details.utredare,
      ...(closingMotivation !== undefined ? { closingMotivation } : {}),
      ...(decision ? { decidedOutcome: decision.decidedOutcome } : {}),
      documentedItems: this.documentedItems(l),
      today: this.today(),
    };
  }

  /** The SOSFS items with an entry; an åtgärd registered on the case documents 'atgarder' too. */
  private documentedItems(l: Loaded): string[] {
    const items = new Set<string>(l.details.entries.filter((e) => e.item !== INFORMING_ITEM).map((e) => e.item));
    if (l.details.actions.length > 0) items.add('atgarder');
    return [...items];
  }

  /** The clocks that run for this case, as card lines. */
  clockLines(l: Loaded): { text: string; color: string; weight: string }[] {
    const now = this.deps.now();
    // The same rule the review card, the status summary and the reminders use (cases/clocks.ts):
    // the anmälan counts from the first of an unbroken run of serious decisions, not the newest.
    const run = caseRunningClock(l.report, l.details);
    if (!run) return [];
    const due = runningClockDue(run, this.calendar, this.rules, this.deps.timeZone);
    const st = clockStatus(due, now, this.rules, this.deps.timeZone, run.clock);
    const { label, note } = clockLabel(run, this.rules);
    const when = st.state === 'forsenad' ? `försenad sedan ${plural(-st.daysLeft, 'dag', 'dagar')}` : st.daysLeft === 0 ? 'i dag' : `om ${plural(st.daysLeft, 'dag', 'dagar')}`;
    return [{
      text: `${label}: senast ${this.fmt(due)} (${when}). ${note}`,
      color: st.state === 'forsenad' ? 'Attention' : st.state === 'narmar-sig' ? 'Warning' : 'Default',
      weight: st.state === 'i-tid' ? 'Default' : 'Bolder',
    }];
  }

  /** How far the investigation is documented, as a card fact (the closing rules ask for these items). */
  private investigationFact(l: Loaded): string {
    const decision = l.details.decisions.at(-1);
    if (decision?.decidedOutcome === SHORT_CLOSING_OUTCOME) return 'Inte ett missförhållande: ett dokumenterat ställningstagande räcker för att avsluta';
    const missing = missingInvestigationItems(this.documentedItems(l));
    return missing.length === 0 ? 'Alla punkter enligt SOSFS 2011:5 är dokumenterade' : `${plural(missing.length, 'punkt', 'punkter')} enligt SOSFS 2011:5 saknas`;
  }

  /** What is recorded about informing the individual, or the reporter's first answer until then. */
  private informingFact(l: Loaded): string {
    const current = this.currentInforming(l);
    if (current.length) return current.map((i) => informingSentence(i, (d) => this.fmtDay(d))).join(' ');
    return `Inte registrerad (enligt rapportören: ${INFORMED[l.report.informed].toLowerCase()})`;
  }

  private currentInforming(l: Loaded) {
    return currentInforming(l.details.entries.filter((e) => e.item === INFORMING_ITEM).map((e) => e.text));
  }

  /** A note on the card; an informing entry reads as its sentence, never as its stored record. */
  private entryView(e: InvestigationEntry): { item: string; meta: string; text: string } {
    if (e.item === INFORMING_ITEM) {
      const [i] = currentInforming([e.text]);
      return { item: 'Information till den enskilde', meta: `${e.author.name}, ${this.fmt(e.documentedAt)}`, text: i ? informingSentence(i, (d) => this.fmtDay(d)) : '–' };
    }
    return { item: SOSFS_ITEMS[e.item], meta: `${e.kind === 'fakta' ? 'fakta' : 'bedömning'}; ${e.author.name}, ${this.fmt(e.documentedAt)}; källa: ${e.source}`, text: e.text };
  }

  /** The case card for people who work the case; the reporter gets the plain report view elsewhere. */
  caseView(l: Loaded, notice = '', page: CasePage = FIRST_CASE_PAGE, noticeColor: NoticeTone = 'Good'): CaseView {
    const { report, details } = l;
    const dir = this.deps.directory();
    const decision = details.decisions.at(-1);
    const ctx = this.context(l);
    const canDecide = hasRight(l.bases, 'decide');
    const legal = legalEvents(report.state, ctx);
    // Most pressing first. Teams shows at most six buttons in a row: the card puts any more in a row
    // above (cards/case-cards.ts splitSteps), so no step is ever cut.
    const next: { title: string; verb: string }[] = [];
    if (legal.includes('start-investigation')) next.push({ title: report.state === 'rapporterad' ? 'Starta utredningen' : 'Utse utredare', verb: 'case.start-form' });
    if (canDecide && legal.includes('record-decision')) next.push({ title: decision ? 'Ny bedömning' : 'Gör bedömningen', verb: 'case.assess-form' });
    if (canDecide && decision?.requiresAnmalan && report.state !== 'avslutad') next.push({ title: 'Underlag för IVO-anmälan', verb: 'case.draft' });
    if (canDecide && legal.includes('record-filing')) next.push({ title: 'Registrera anmälan', verb: 'case.file-form' });
    if (canDecide && legal.includes('send-investigation')) next.push({ title: 'Utredningen skickad', verb: 'case.sent-form' });
    if (canDecide && legal.includes('close')) next.push({ title: 'Avsluta ärendet', verb: 'case.close-form' });
    if (report.state !== 'avslutad') next.push({ title: 'Dokumentera', verb: 'case.document-form' }, { title: 'Lägg till åtgärd', verb: 'case.action-form' });
    // Also after closing: the åtgärder decided on are often carried out after the case is closed.
    if (details.actions.some((a) => !a.doneAt)) next.push({ title: 'Åtgärd genomförd', verb: 'case.action-done-form' });
    // Also after closing: the outcome is often told to the individual once the case is closed.
    next.push({ title: 'Information till den enskilde', verb: 'case.inform-form' });

    const facts = [
      { title: 'Läge', value: STATE_LABELS[report.state] },
      { title: 'Enhet', value: dir.unit(report.unitId)?.name ?? report.unitId },
      { title: 'Kategori', value: CATEGORIES[report.category] },
      { title: 'Hände', value: this.fmt(report.occurredAt, report.occurredTimeKnown) },
      { title: 'Rapportör', value: report.reporterName },
      { title: 'Utredare', value: details.utredare?.name ?? '–' },
      { title: 'Information till den enskilde', value: this.informingFact(l) },
      ...(report.state !== 'avslutad' ? [{ title: 'Utredningen', value: this.investigationFact(l) }] : []),
      { title: 'Bedömning', value: decision ? `${outcomeTitle(decision.decidedOutcome)} (${decision.decidedBy.name}, ${this.fmt(decision.decidedAt)})` : 'Inte gjord' },
      ...(details.filing ? [{ title: 'Anmäld till IVO', value: `${this.fmtDay(details.filing.filedOn)}, dnr ${details.filing.ivoDiarienummer}` }] : []),
      ...(details.closing ? [{ title: 'Avslutat', value: this.fmt(details.closing.closedAt) }] : []),
    ];
    const clocks = this.clockLines(l);
    // Paged and measured when the card is built (cards/case-cards.ts): a case grows without limit, a Teams message does not.
    return {
      kind: 'case',
      base: {
        reference: report.reference,
        // Urgent until someone has assessed it: that is what "snarast" asks for.
        urgent: report.urgent && !decision,
        notice,
        noticeColor,
        facts,
        clocks,
        clocksStyle: clocks.some((c) => c.color === 'Attention') ? 'attention' : clocks.some((c) => c.color === 'Warning') ? 'warning' : 'emphasis',
        whatHappened: report.whatHappened,
        consequences: report.consequences || '–',
        next,
        nextHint: !canDecide && report.state !== 'avslutad' ? 'Bedömning, anmälan till IVO och avslut görs av nämndens lex Sarah-samordnare eller chef.' : '',
      },
      entries: details.entries.map((e) => this.entryView(e)),
      actions: details.actions.map((a) => ({ text: a.text, meta: actionMeta(a, (d) => this.fmt(d)) })),
      page,
    };
  }

  async show(l: Loaded, actor: Actor, page: CasePage = FIRST_CASE_PAGE): Promise<CaseResult> {
    await this.audit(actor, l.report.reference, 'report.read', 'view=case');
    return ok(this.caseView(l, '', page));
  }

  /** A step form (built into a card, with a fresh form id, in cards/case-cards.ts). */
  form(l: Loaded, spec: CaseFormSpec): CaseView {
    return { kind: 'form', reference: l.report.reference, ...spec };
  }

  /** The form again, with the errors next to the fields and what was typed. */
  invalid(view: CaseView, errors: Record<string, string>, values: Record<string, string>): CaseResult {
    return { kind: 'invalid', errors, values, view };
  }

  private peopleChoices(l: Loaded): { title: string; value: string }[] {
    const dir = this.deps.directory();
    const seen = new Map<string, string>();
    const add = (p: { entraId: string; name: string }) => seen.set(p.entraId, p.name);
    dir.unitChefs(l.report.unitId).forEach(add);
    dir.committeePeople(l.report.committeeId, 'samordnare').forEach(add);
    dir.committeePeople(l.report.committeeId, 'chef').forEach(add);
    return [...seen].map(([value, title]) => ({ title, value }));
  }

  /** The people who may be named utredare or åtgärd owner in this case (offered on the forms, and only they are accepted). */
  private offeredPerson(l: Loaded, entraId: string): Person | undefined {
    const id = entraId.toLowerCase();
    const hit = this.peopleChoices(l).find((c) => c.value.toLowerCase() === id);
    return hit ? { entraId: hit.value, name: hit.title } : undefined;
  }

  /** The report's day (Stockholm): no step of the case can be dated before it. */
  reportDay(l: Loaded): string {
    return DateTime.fromJSDate(l.report.createdAt, { zone: this.deps.timeZone }).toISODate()!;
  }

  /** A step form's id, when it is one (a randomUUID from `form`); anything else is no key at all. */
  formIdOf(data: StepData): string | undefined {
    const id = data.formId;
    return typeof id === 'string' && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id) ? id.toLowerCase() : undefined;
  }

  /** The form of one of this service's steps, with errors and what was typed when it comes back. */
  stepForm(l: Loaded, verb: CaseFormVerb, errors: Record<string, string> = {}, values: Record<string, string> = {}): CaseView {
    const v = (id: string) => values[id] ?? '';
    const e = (id: string) => errors[id] ?? '';
    switch (verb) {
      case 'case.start-form':
        return this.form(l, {
          title: 'Starta utredningen',
          texts: ['Varje rapport ska utredas. Välj vem som utreder.'],
          verb: 'case.start',
          submitTitle: 'Starta',
          error: errors.form ?? '',
          inputs: [{ kind: 'choice', id: 'utredare', label: 'Utredare', required: true, choices: this.peopleChoices(l), value: v('utredare'), error: e('utredare') }],
        });
      case 'case.document-form':
        return this.form(l, {
          title: 'Dokumentera utredningen',
          texts: ['Varje anteckning stämplas med datum och ditt namn. Skriv inte personnummer eller namn på den enskilde.'],
          verb: 'case.document',
          submitTitle: 'Spara',
          error: errors.form ?? '',
          inputs: [
            { kind: 'choice', id: 'item', label: 'Vad gäller anteckningen? (SOSFS 2011:5, 5 kap.)', required: true, choices: Object.entries(SOSFS_ITEMS).map(([value, title]) => ({ value, title })), value: v('item'), error: e('item') },
            { kind: 'choice', id: 'kind', label: 'Fakta eller bedömning?', required: true, choices: [{ title: 'Fakta', value: 'fakta' }, { title: 'Bedömning', value: 'bedomning' }], value: v('kind'), error: e('kind') },
            { kind: 'text', id: 'source', label: 'Källa', required: true, maxLength: 200, hint: 'T.ex. intervju med personal, journalanteckning, avvikelserapport.', value: v('source'), error: e('source') },
            { kind: 'multiline', id: 'text', label: 'Anteckning', required: true, value: v('text'), error: e('text') },
          ],
        });
      case 'case.action-form':
        return this.form(l, {
          title: 'Lägg till åtgärd',
          verb: 'case.action',
          submitTitle: 'Spara',
          error: errors.form ?? '',
          inputs: [
            { kind: 'multiline', id: 'text', label: 'Åtgärd', required: true, maxLength: 1000, value: v('text'), error: e('text') },
            { kind: 'choice', id: 'owner', label: 'Ansvarig', required: true, choices: this.peopleChoices(l), value: v('owner'), error: e('owner') },
            { kind: 'date', id: 'dueOn', label: 'Klart senast', required: true, value: v('dueOn'), error: e('dueOn') },
          ],
        });
      case 'case.action-done-form': {
        // Those due first, as many as a card holds with the longest texts (test/cards: the worst case).
        const all = l.details.actions.filter((a) => !a.doneAt).sort((a, b) => a.dueOn.localeCompare(b.dueOn) || a.id - b.id);
        const open = all.slice(0, ACTION_CHOICES_MAX);
        return this.form(l, {
          title: 'Markera åtgärd som genomförd',
          texts: [
            open.length ? 'Välj åtgärden som är genomförd. Den räknas som genomförd från i dag, med ditt namn, och kan inte ångras här.' : 'Ärendet har inga åtgärder som inte är genomförda.',
            ...(all.length > open.length ? [`Visar de ${open.length} av ${all.length} åtgärder som ska vara klara först.`] : []),
          ],
          verb: 'case.action-done',
          submitTitle: 'Markera som genomförd',
          error: errors.form ?? '',
          inputs: [
            {
              kind: 'choice', id: 'action', label: 'Åtgärd', required: true, value: v('action'), error: e('action'),
              choices: open.map((a) => ({ value: String(a.id), title: `${shortText(a.text, ACTION_CHOICE_MAX)} (ansvarig ${shortText(a.owner.name, OWNER_CHOICE_MAX)}, klart senast ${a.dueOn})` })),
            },
          ],
        });
      }
      case 'case.file-form':
        return this.form(l, {
          title: 'Registrera anmälan till IVO',
          texts: ['Anmälan lämnas i IVO:s e-tjänst (BankID/SITHS) eller per post, aldrig med e-post. Registrera här när den är lämnad.'],
          verb: 'case.file',
          submitTitle: 'Registrera',
          error: errors.form ?? '',
          inputs: [
            { kind: 'date', id: 'filedOn', label: 'Datum då anmälan lämnades', required: true, value: v('filedOn') || this.today(), error: e('filedOn') },
            { kind: 'text', id: 'dnr', label: 'IVO:s diarienummer', required: true, maxLength: 60, value: v('dnr'), error: e('dnr') },
            { kind: 'choice', id: 'attached', label: 'Bifogades utredningen?', required: true, choices: [{ title: 'Ja, utredningen bifogades', value: 'ja' }, { title: `Nej, den skickas senare (lokal rutin/praxis: inom ${plural(this.rules.investigationToIvoMonths, 'månad', 'månader')})`, value: 'nej' }], value: v('attached'), error: e('attached') },
          ],
        });
      case 'case.sent-form':
        return this.form(l, {
          title: 'Utredningen skickad till IVO',
          verb: 'case.sent',
          submitTitle: 'Registrera',
          error: errors.form ?? '',
          inputs: [{ kind: 'date', id: 'sentOn', label: 'Datum då utredningen skickades', required: true, value: v('sentOn') || this.today(), error: e('sentOn') }],
        });
      case 'case.inform-form':
        return this.form(l, {
          title: 'Information till den enskilde',
          texts: [
            'Registrera om och när den enskilde eller vårdnadshavaren har fått veta om utredningen och om dess resultat – eller varför inte. Skriv inte namn eller personnummer.',
            `Enligt rapportören: ${INFORMED[l.report.informed].toLowerCase()}.`,
          ],
          verb: 'case.inform',
          submitTitle: 'Spara',
          error: errors.form ?? '',
          inputs: [
            { kind: 'choice', id: 'about', label: 'Vad gäller informationen?', required: true, choices: Object.entries(INFORMING_ABOUT).map(([value, title]) => ({ value, title })), value: v('about'), error: e('about') },
            { kind: 'choice', id: 'informed', label: 'Har den enskilde eller vårdnadshavaren informerats?', required: true, choices: Object.entries(INFORMED_ANSWERS).map(([value, title]) => ({ value, title })), value: v('informed'), error: e('informed') },
            { kind: 'date', id: 'informedOn', label: 'Datum då informationen lämnades (om ja)', required: false, value: v('informedOn'), error: e('informedOn') },
            { kind: 'choice', id: 'role', label: 'Vem informerades? (om ja)', required: false, choices: Object.entries(INFORMED_ROLES).map(([value, title]) => ({ value, title })), value: v('role'), error: e('role') },
            { kind: 'multiline', id: 'whyNot', label: 'Varför inte? (om nej)', required: false, maxLength: 1000, value: v('whyNot'), error: e('whyNot') },
          ],
        });
      case 'case.close-form':
        return this.form(l, {
          title: 'Avsluta ärendet',
          texts: this.closeFormTexts(l),
          verb: 'case.close',
          submitTitle: 'Avsluta',
          error: errors.form ?? '',
          inputs: [
            { kind: 'multiline', id: 'decision', label: 'Beslut eller ställningstagande', required: true, value: v('decision'), error: e('decision') },
            { kind: 'multiline', id: 'motivation', label: 'Motivering (krävs när ingen anmälan gjorts)', required: false, value: v('motivation'), error: e('motivation') },
          ],
        });
    }
  }

  /** What closing asks for in this case, said before the user writes the decision. */
  private closeFormTexts(l: Loaded): string[] {
    const ctx = this.context(l);
    const texts = [ctx.decisionRequiresAnmalan ? 'Ärendet är anmält till IVO.' : 'Ingen anmälan till IVO har gjorts: skriv en motivering (ställningstagande).'];
    if (ctx.decidedOutcome === SHORT_CLOSING_OUTCOME) {
      texts.push('Bedömningen är att det inte är ett missförhållande: ett dokumenterat ställningstagande räcker för att avsluta.');
      return texts;
    }
    if (!ctx.hasUtredare) texts.push('Ingen utredare är utsedd: utse en utredare innan ärendet avslutas.');
    const missing = missingInvestigationItems(ctx.documentedItems);
    if (missing.length) texts.push(`Utredningen ska vara dokumenterad innan ärendet avslutas. Saknas: ${missing.map((i) => SOSFS_ITEMS[i].toLowerCase()).join('; ')}.`);
    return texts;
  }

  /** Echoes string values back into a form, minus blocked fields. */
  echo(data: StepData, blocked: Record<string, string>): Record<string, string> {
    return Object.fromEntries(Object.entries(data).filter(([k, v]) => typeof v === 'string' && !blocked[k]) as [string, string][]);
  }

  /**
   * The case with someone else's change in it, saying so: a guarded write found another state, or
   * another decision in force (a re-assessment keeps the state, so it is named on its own).
   */
  async stale(l: Loaded): Promise<CaseResult> {
    const fresh = await this.reload(l);
    const before = l.details.decisions.at(-1);
    const now = fresh.details.decisions.at(-1);
    const notice =
      now && now.id !== before?.id
        ? `Ärendet har bedömts på nytt under tiden (${outcomeTitle(now.decidedOutcome).toLowerCase()}, ${now.decidedBy.name}). Inget sparades. Se den gällande bedömningen och gör om steget om det fortfarande gäller.`
        : 'Någon annan ändrade ärendet samtidigt. Se det aktuella läget och försök igen.';
    return { kind: 'stale', view: this.caseView(fresh, notice, FIRST_CASE_PAGE, 'Warning') };
  }

  /** One of this service's steps, submitted: checked, transitioned and written, or why not. */
  async submit(l: Loaded, actor: Actor, verb: CaseSubmitVerb, data: StepData): Promise<CaseResult> {
    const str = (k: string) => (data[k] ?? '').trim();
    const me = this.actorPerson(actor);
    const at = this.deps.now();
    const guard = (to: Report['state']) => ({ reportId: l.report.id, reference: l.report.reference, from: l.report.state, to, actor: me, at });
    // For the steps that rest on the decision: also still the decision this step was checked against.
    const decided = (to: Report['state']) => ({ ...guard(to), decisionInForce: l.details.decisions.at(-1)?.id ?? null });
    const again = (formVerb: CaseFormVerb, errors: Record<string, string>, values = this.echo(data, errors)) => this.invalid(this.stepForm(l, formVerb, errors, values), errors, values);
    // A step the state machine does not allow now: its form again, with the reason on top.
    const refused = (formVerb: CaseFormVerb, reason: string): CaseResult => ({ kind: 'refused', reason, view: this.stepForm(l, formVerb, { form: reason }, this.echo(data, {})) });
    const stale = () => this.stale(l);
    const done = async (notice: string) => ok(this.caseView(await this.reload(l), notice));
    const cmd = (c: CaseCommand, closingMotivation?: string) => transition(l.report.state, c, this.context(l, closingMotivation));

    switch (verb) {
      case 'case.start': {
        // Only the people the form offers: the unit's chefs and the nämnd's samordnare and chefer.
        const person = this.offeredPerson(l, str('utredare'));
        if (!person) return again('case.start-form', { utredare: 'Välj vem som ska utreda.' });
        const r = cmd({ type: 'start-investigation', utredareEntraId: person.entraId });
        if (!r.ok) return refused('case.start-form', r.reason);
        if (!(await this.deps.store.cases.startInvestigation(guard(r.next), { entraId: person.entraId, name: person.name }))) return stale();
        return done(`Utredningen är startad. Utredare: ${person.name}.`);
      }
      case 'case.document': {
        // A closed case's investigation is what was decided on: nothing is added to it afterwards.
        if (l.report.state === 'avslutad') return refused('case.document-form', CLOSED_CASE_REFUSAL);
        const g = guardFields(data, { text: 'Anteckning', source: 'Källa' });
        const errors: Record<string, string> = { ...g.errors };
        // An own key only: 'constructor' or 'toString' is "in" every object, and is no SOSFS item.
        if (!Object.hasOwn(SOSFS_ITEMS, str('item'))) errors.item ??= 'Välj ett av alternativen.';
        if (!['fakta', 'bedomning'].includes(str('kind'))) errors.kind ??= 'Välj fakta eller bedömning.';
        if (!str('source')) errors.source ??= 'Måste fyllas i.';
        if (str('source').length > SOURCE_MAX) errors.source ??= `Högst ${SOURCE_MAX} tecken.`;
        if (!str('text')) errors.text ??= 'Måste fyllas i.';
        if (str('text').length > TEXT_MAX) errors.text ??= `Högst ${TEXT_MAX} tecken.`;
        if (Object.keys(errors).length) return again('case.document-form', errors, g.values);
        // The form's id makes a double click store one entry; both clicks get the same card.
        await this.deps.store.cases.addEntry(l.report.id, l.report.reference, {
          item: str('item') as SosfsItem, kind: str('kind') as 'fakta' | 'bedomning', source: str('source'), text: str('text'), author: me, documentedAt: at,
        }, this.formIdOf(data));
        return done('Anteckningen är sparad.');
      }
      case 'case.action': {
        if (l.report.state === 'avslutad') return refused('case.action-form', CLOSED_CASE_REFUSAL);
        const g = guardFields(data, { text: 'Åtgärd' });
        const errors: Record<string, string> = { ...g.errors };
        const owner = this.offeredPerson(l, str('owner'));
        if (!str('text')) errors.text ??= 'Måste fyllas i.';
        if (str('text').length > ACTION_MAX) errors.text ??= `Högst ${ACTION_MAX} tecken.`;
        if (!owner) errors.owner ??= 'Välj ansvarig.';
        const dueError = dueOnError(str('dueOn'), this.reportDay(l), this.today());
        if (dueError) errors.dueOn ??= dueError;
        if (Object.keys(errors).length || !owner) return again('case.action-form', errors, g.values);
        await this.deps.store.cases.addAction(l.report.id, l.report.reference, { text: str('text'), owner, dueOn: str('dueOn'), createdAt: at }, me, this.formIdOf(data));
        return done('Åtgärden är sparad.');
      }
      case 'case.action-done': {
        // Only an åtgärd of this case, by its id on the card: another case's id is not one of them.
        const id = /^\d{1,9}$/.test(str('action')) ? Number(str('action')) : NaN;
        const action = l.details.actions.find((a) => a.id === id);
        if (!action) return again('case.action-done-form', { action: 'Välj en av ärendets åtgärder.' });
        // A second click, or a colleague first: the card as it now is, saying so.
        if (action.doneAt) return done('Åtgärden var redan markerad som genomförd.');
        const result = await this.deps.store.cases.markActionDone(l.report.id, l.report.reference, action.id, me, at);
        if (result === 'not-found') return again('case.action-done-form', { action: 'Välj en av ärendets åtgärder.' });
        return done(result === 'done' ? 'Åtgärden är markerad som genomförd.' : 'Åtgärden var redan markerad som genomförd.');
      }
      case 'case.file': {
        // The diarienummer is free text too, and it is copied into the audit log.
        const g = guardFields(data, { dnr: { label: 'IVO:s diarienummer', replacement: '' } });
        if (!g.ok) return again('case.file-form', g.errors, g.values);
        if (str('dnr').length > DNR_MAX) return again('case.file-form', { dnr: `Högst ${DNR_MAX} tecken.` });
        if (!['ja', 'nej'].includes(str('attached'))) return again('case.file-form', { attached: 'Välj ett alternativ.' });
        if (isIsoDay(str('filedOn')) && str('filedOn') < this.reportDay(l)) {
          return again('case.file-form', { filedOn: `Anmälan kan inte vara lämnad före rapporten (${this.fmtDay(this.reportDay(l))}).` });
        }
        const r = cmd({ type: 'record-filing', filedOn: str('filedOn'), ivoDiarienummer: str('dnr'), investigationAttached: str('attached') === 'ja' });
        if (!r.ok) return refused('case.file-form', r.reason);
        if (!(await this.deps.store.cases.recordFiling(decided(r.next), { filedOn: str('filedOn'), ivoDiarienummer: str('dnr'), investigationAttached: str('attached') === 'ja' }))) return stale();
        return done('Anmälan till IVO är registrerad.');
      }
      case 'case.sent': {
        const earliest = l.details.filing?.filedOn ?? this.reportDay(l);
        if (isIsoDay(str('sentOn')) && str('sentOn') < earliest) {
          return again('case.sent-form', { sentOn: `Utredningen kan inte vara skickad före anmälan till IVO (${this.fmtDay(earliest)}).` });
        }
        const r = cmd({ type: 'send-investigation', sentOn: str('sentOn') });
        if (!r.ok) return refused('case.sent-form', r.reason);
        if (!(await this.deps.store.cases.markInvestigationSent(guard(r.next), str('sentOn')))) return stale();
        return done('Att utredningen skickats till IVO är registrerat.');
      }
      case 'case.inform': {
        const g = guardFields(data, { whyNot: 'Varför inte?' });
        if (!g.ok) return again('case.inform-form', g.errors, g.values);
        const parsed = parseInformingForm(data, this.reportDay(l), this.today());
        if (!parsed.ok) return again('case.inform-form', parsed.errors as Record<string, string>);
        // Not an investigation item and no state change: an entry like a note, idempotent per form.
        await this.deps.store.cases.addEntry(l.report.id, l.report.reference, {
          item: INFORMING_ITEM, kind: 'fakta', source: 'Information till den enskilde', text: informingText(parsed.value), author: me, documentedAt: at,
        }, this.formIdOf(data));
        return done('Informationen till den enskilde är registrerad.');
      }
      case 'case.close': {
        const g = guardFields(data, { decision: 'Beslut eller ställningstagande', motivation: 'Motivering' });
        if (!g.ok) return again('case.close-form', g.errors, g.values);
        if (!str('decision')) return again('case.close-form', { decision: 'Måste fyllas i.' });
        const tooLong = (['decision', 'motivation'] as const).filter((k) => str(k).length > TEXT_MAX);
        if (tooLong.length) return again('case.close-form', Object.fromEntries(tooLong.map((k) => [k, `Högst ${TEXT_MAX} tecken.`])));
        const motivation = str('motivation');
        const r = cmd({ type: 'close' }, motivation);
        if (!r.ok) return refused('case.close-form', r.reason);
        if (!(await this.deps.store.cases.close(decided(r.next), { decisionText: str('decision'), ...(motivation ? { motivation } : {}) }))) return stale();
        return done('Ärendet är avslutat.');
      }
    }
  }

  async reload(l: Loaded): Promise<Loaded> {
    const report = (await this.deps.store.reports.getByReference(l.report.reference))!;
    return { report, details: await this.deps.store.cases.get(report.id), bases: l.bases };
  }

  /** The anmälan in the structure of IVO's form, ready to copy into IVO's e-service. */
  async draft(l: Loaded, actor: Actor, page = 0): Promise<CaseResult> {
    const { report, details } = l;
    const decision = details.decisions.at(-1);
    if (!decision?.requiresAnmalan) {
      const reason = 'Beslutet kräver ingen anmälan till IVO, så inget underlag skapas.';
      return { kind: 'refused', reason, view: this.caseView(l, reason, FIRST_CASE_PAGE, 'Warning') };
    }
    const dir = this.deps.directory();
    const unit = dir.unit(report.unitId);
    const committee = dir.committee(report.committeeId);
    const entries = (item: SosfsItem) => details.entries.filter((e) => e.item === item).map((e) => e.text);
    // The person who decided is the one IVO should ask; the directory gives their e-mail when it has them.
    const contact = { name: decision.decidedBy.name, email: dir.person(decision.decidedBy.entraId)?.email };
    // One paragraph per report field, note and åtgärd: a draft too long for one message splits between them.
    const one = (text: string) => [text];
    const many = (texts: string[], none: string) => (texts.length ? texts : [none]);
    const informed = this.currentInforming(l).map((i) => informingSentence(i, (d) => this.fmtDay(d)));
    const sections: DraftSection[] = [
      { title: 'Avsändare', paragraphs: one(`${dir.municipality}, ${committee?.name ?? report.committeeId}`) },
      { title: 'Vårt diarienummer', paragraphs: one(report.reference) },
      { title: 'Anmälan avser', paragraphs: one(outcomeTitle(decision.decidedOutcome)) },
      { title: 'Verksamhet', paragraphs: one(`${unit?.name ?? report.unitId}${unit ? ` (verksamhetsområde: ${AREAS[unit.area]})` : ''}`) },
      { title: 'Var och när', paragraphs: [`${report.location}; inträffade ${this.fmt(report.occurredAt, report.occurredTimeKnown)}, uppmärksammades ${this.fmt(report.noticedAt, report.noticedTimeKnown)}`, ...entries('nar-det-hande'), ...entries('nar-och-hur-uppmarksammat')] },
      { title: 'Kategori', paragraphs: one(CATEGORIES[report.category]) },
      { title: 'Vad har hänt', paragraphs: [report.whatHappened, ...entries('vad-och-konsekvenser')] },
      { title: 'Konsekvenser för den enskilde', paragraphs: one(report.consequences || '–') },
      { title: 'Identifierade orsaker', paragraphs: many(entries('orsaker'), 'Utredningen pågår.') },
      // SOSFS 2011:5 5 kap.: whether it happened before (and why again), and the risk that it happens again.
      { title: 'Har det hänt tidigare', paragraphs: many(entries('hant-tidigare'), 'Utredningen pågår.') },
      { title: 'Risk för upprepning', paragraphs: many(entries('risk-for-upprepning'), 'Utredningen pågår.') },
      { title: 'Vidtagna åtgärder', paragraphs: many([report.immediateActions, ...entries('atgarder')].filter(Boolean), '–') },
      { title: 'Planerade åtgärder', paragraphs: many(details.actions.map((a) => `${a.text} (ansvarig ${a.owner.name}, senast ${a.dueOn})`), '–') },
      // The recorded step when there is one; else only the reporter's answer: say whose and when, never present it as current.
      { title: 'Har den enskilde informerats', paragraphs: informed.length ? informed : one(`Enligt rapportören ${this.fmt(report.createdAt)}: ${INFORMED[report.informed]}. Kontrollera om den enskilde eller vårdnadshavaren har informerats om utredningen sedan dess.`) },
      { title: 'Kontaktperson', paragraphs: one(contact ? `${contact.name}${contact.email ? `, ${contact.email}` : ''}` : '–') },
    ];
    await this.audit(actor, report.reference, 'case.draft');
    // Split into parts that each fit a message when the card is built (cards/case-cards.ts); never cut.
    return ok({ kind: 'draft', reference: report.reference, sections, page });
  }
}

/** The answer to a case button the service does not know (a forged or outdated card). */
export const UNKNOWN_CASE_ACTION = 'Den här knappen känner jag inte igen. Öppna ärendet igen med "öppna" och referensen.';

/** The step forms this service builds (the assessment's is in ./assessment.ts). */
export type CaseFormVerb = 'case.start-form' | 'case.document-form' | 'case.action-form' | 'case.action-done-form' | 'case.file-form' | 'case.sent-form' | 'case.close-form' | 'case.inform-form';
/** The steps this service writes (the assessment's are in ./assessment.ts). */
/** Why nothing is added to a closed case (the investigation it was closed on stays as it was). */
export const CLOSED_CASE_REFUSAL = 'Ärendet är avslutat. Anteckningar och åtgärder kan inte läggas till efter att ärendet avslutats.';

export type CaseSubmitVerb = 'case.start' | 'case.document' | 'case.action' | 'case.action-done' | 'case.file' | 'case.sent' | 'case.close' | 'case.inform';

const outcomeTitle = (key: string): string => (OUTCOMES as Record<string, string>)[key] ?? key;

/** An åtgärd's text in the list to mark one genomförd: enough to tell them apart. */
const ACTION_CHOICE_MAX = 120;
/** The owner's name there: the organisation file allows 200 characters, which 40 choices do not fit. */
const OWNER_CHOICE_MAX = 60;
/** How many open åtgärder the form lists: 40 of the longest fit a card with room to spare. */
export const ACTION_CHOICES_MAX = 40;

const shortText = (t: string, max: number): string => ([...t].length <= max ? t : `${[...t].slice(0, max - 1).join('')}…`);

/** The line under an åtgärd on the case card: who, by when, and when it was done (and by whom, when known). */
function actionMeta(a: { owner: { name: string }; dueOn: string; doneAt?: Date; doneBy?: { name: string } }, fmt: (d: Date) => string): string {
  const done = a.doneAt ? `; genomförd ${fmt(a.doneAt)}${a.doneBy ? ` (${a.doneBy.name})` : ''}` : '';
  return `ansvarig ${a.owner.name}, klart senast ${a.dueOn}${done}`;
}

/** Furthest ahead an åtgärd may be due: further than this is a typing mistake, not a plan. */
export const ACTION_DUE_MAX_YEARS = 2;

const isIsoDay = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s) && DateTime.fromISO(s).isValid;

/** Why an åtgärd's due day is refused, or undefined: a real day, not before the report, at most two years ahead. */
export function dueOnError(dueOn: string, reportDay: string, today: string): string | undefined {
  if (!isIsoDay(dueOn)) return 'Ange datum (ÅÅÅÅ-MM-DD).';
  if (dueOn < reportDay) return 'Klart senast kan inte ligga före rapporten.';
  const max = DateTime.fromISO(today).plus({ years: ACTION_DUE_MAX_YEARS }).toISODate()!;
  if (dueOn > max) return `Klart senast kan ligga högst ${ACTION_DUE_MAX_YEARS} år fram (senast ${max}).`;
  return undefined;
}

export const STATE_LABELS: Record<Report['state'], string> = {
  rapporterad: 'Rapporterad – väntar på utredning',
  'under-utredning': 'Under utredning',
  bedomd: 'Bedömd',
  anmald: 'Anmäld till IVO',
  avslutad: 'Avslutad',
};
