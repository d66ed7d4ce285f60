/**
 * Filing, listing and opening lex Sarah reports: the use cases behind the chat commands. No
 * botbuilder here; the transport layer passes in who is acting and turns the results (view models)
 * into replies with the builders in src/cards/report-cards.ts. The cards that go out proactively
 * (the routing to chefer and samordnare, the form for the personal chat, the receipt's update)
 * are rendered here, with the same builders, when their outbox row is written.
 */
import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import {
  reportFormCard, reportNotificationCard, reportReceiptCard, type FormCardInput, type ReceiptCardInput, type ReportListCardInput, type ReportListItem, type ReportViewCardInput,
} from '../cards/report-cards';
import type { CardRenderer } from '../cards/render';
import type { Logger } from '../log/logger';
import { noticeCard } from '../cards/basic-cards';
import type { OutboxMessage, OutboxOutcome, OutboxRow } from '../store/outbox';
import type { Directory } from '../org/directory';
import type { Store } from '../store/store';
import type { Report } from './report';
import { reportAccess, reportingRefusal, reportingUnits, reportRecipients, unplacedReporterNote, type ReportingUnits, type UnknownReporterPolicy } from './access';
import { FORM_FIELDS, urgencyReasons, validateReportForm } from './form';
import { containsIdentityNumber } from '../privacy/identity-numbers';
import { parseReference } from './reference';

export interface Actor {
  entraId: string;
  /** Display name from Teams; the directory's name wins when known. */
  name: string;
}

export interface ReportServiceDeps {
  store: Store;
  directory: () => Directory;
  /** For the cards rendered into the outbox (see the module comment); replies are rendered by the caller. */
  cards: CardRenderer;
  logger: Logger;
  timeZone: string;
  now: () => Date;
  /** Real time for outbox rows (a test clock that jumps must not hold cards back); default the system clock. */
  realNow?: () => Date;
  /** Wakes the delivery worker after rows were enqueued, so routing does not wait for its next poll. */
  onEnqueued?: () => void;
  /** REPORT_UNKNOWN_PERSON: whether someone the organisation file does not place may report (default refuse). */
  unknownReporter?: UnknownReporterPolicy;
  /** After a new report committed (not on a resubmit): the pattern rules look at it. Must not throw. */
  onFiled?: (reference: string) => Promise<void>;
}

const NEW_REPORT = 'new-report';
const RECEIPT_UPDATE = 'receipt-update';
const RECEIPT_UPDATE_DELAY_MS = 2_000;

/** A finished row's outcome as the worker recorded it. */
function outcomeOf(row: OutboxRow): OutboxOutcome {
  if (row.state === 'sent') return { state: 'sent', ...(row.activityId ? { activityId: row.activityId } : {}) };
  if (row.state === 'failed') return { state: 'failed', error: row.lastError ?? 'unknown' };
  return { state: 'no-reference' };
}
const receiptKey = (reference: string) => `report-receipt/${reference}`;

/**
 * The receipt's three lists from the routing rows: "kunde inte nås" only after a final failure
 * (terminal refusal, no conversation, or the retry budget spent), never while a send is pending.
 */
export function receiptStates(rows: readonly Pick<OutboxRow, 'recipientName' | 'state'>[]): { told: string[]; pending: string[]; notReached: string[] } {
  const names = (f: (s: OutboxRow['state']) => boolean) => rows.filter((r) => f(r.state)).map((r) => r.recipientName);
  return { told: names((s) => s === 'sent'), pending: names((s) => s === 'pending'), notReached: names((s) => s === 'failed' || s === 'no-reference') };
}

/** The report form to show: empty, or again with what was typed and what is wrong with it. */
export type ReportFormView = FormCardInput;

/** The form, or why the person may not report here (and what to do instead). */
export type FormOffer = { kind: 'form'; view: ReportFormView } | { kind: 'refused'; reason: string };

export type SubmitResult =
  /** Not filed: the form again, with the errors (and, when the form was not the person's, a fresh form id). */
  | { kind: 'invalid'; view: ReportFormView }
  /** Not filed, and no form again: the person may not report here (the organisation file does not place them). */
  | { kind: 'refused'; reason: string }
  /** Filed (or filed before under this form id): the receipt with the routing's states as stored now. */
  | { kind: 'filed'; view: ReceiptCardInput; report: Report; created: boolean };

/** "mina rapporter": the person's latest reports, each with its unit's name. */
export type ReportListView = ReportListCardInput;

export type OpenResult = { kind: 'report'; view: ReportViewCardInput } | { kind: 'refused'; reason: string };

export const MY_REPORTS_LIMIT = 20;

/** Shown on the fresh form a person gets for a form that was not issued to them. */
export const FOREIGN_FORM_MESSAGE =
  'Rapporten är inte skickad: formuläret hörde inte till dig (eller var gammalt). Här är ett nytt formulär med det du skrev – kontrollera och skicka igen.';

/** The form's fields as typed, for a fresh form; free text holding an identity number is left out, never echoed. */
function echoFormValues(raw: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of FORM_FIELDS) {
    const v = raw[f];
    out[f] = typeof v === 'string' && !containsIdentityNumber(v) ? v : '';
  }
  return out;
}

export class ReportService {
  constructor(private readonly deps: ReportServiceDeps) {}

  private actorName(actor: Actor): string {
    return this.deps.directory().person(actor.entraId)?.name ?? actor.name;
  }

  /** The units this person may report for (src/reports/access.ts), and how their report is routed. */
  private reporting(entraId: string): ReportingUnits {
    return reportingUnits(this.deps.directory(), entraId, this.deps.unknownReporter ?? 'refuse');
  }

  /** Why the person may not report, or undefined when they may. */
  reportRefusal(actor: Actor): string | undefined {
    const r = this.reporting(actor.entraId);
    return r.kind === 'refused' ? reportingRefusal(r, this.deps.directory().municipality) : undefined;
  }

  /** The form's unit choice, default and notice for someone who may report. */
  private formUnits(r: Extract<ReportingUnits, { kind: 'units' }>): Pick<ReportFormView, 'units' | 'defaultUnitId' | 'notice'> {
    // The nämnd is named only when the choice spans several (a samordnare of two, an unplaced reporter).
    const namnder = new Set(r.units.map((u) => u.committeeId)).size;
    return {
      units: r.units.map((u) => ({ id: u.id, name: namnder > 1 ? `${u.name} (${u.committeeName})` : u.name })),
      ...(r.defaultUnitId ? { defaultUnitId: r.defaultUnitId } : {}),
      ...(r.routing === 'samordnare' ? { notice: unplacedReporterNote(this.deps.directory().municipality, r.unplaced) } : {}),
    };
  }

  private today(): string {
    return DateTime.fromJSDate(this.deps.now(), { zone: this.deps.timeZone }).toISODate()!;
  }

  /** A new form id, recorded as issued to this person in this conversation: only they may file under it. */
  private async issueFormId(actor: Actor, conversationId: string): Promise<string> {
    const formId = randomUUID();
    await this.deps.store.reports.issueForm({ formId, reporterEntraId: actor.entraId, conversationId, issuedAt: this.deps.now() });
    return formId;
  }

  /**
   * The empty form, in the conversation it is shown in (the person's personal chat), or why the
   * person may not report. A refused person is issued no form id.
   */
  async offerForm(actor: Actor, conversationId: string): Promise<FormOffer> {
    const r = this.reporting(actor.entraId);
    if (r.kind === 'refused') {
      this.deps.logger.info({ event: 'report-form-refused', reason: r.reason }, 'report form not offered');
      return { kind: 'refused', reason: reportingRefusal(r, this.deps.directory().municipality) };
    }
    return {
      kind: 'form',
      view: { formId: await this.issueFormId(actor, conversationId), reporterName: this.actorName(actor), ...this.formUnits(r), today: this.today() },
    };
  }

  /** offerForm for a person known to be allowed to report; throws for anyone else. */
  async newForm(actor: Actor, conversationId: string): Promise<ReportFormView> {
    const offer = await this.offerForm(actor, conversationId);
    if (offer.kind === 'refused') throw new Error('this person may not report here; use offerForm');
    return offer.view;
  }

  /**
   * The empty form for a person's personal chat, asked for elsewhere (a group chat): an outbox row
   * (never a send inside the request), issued for that chat so only a submit from there files.
   */
  async enqueueForm(actor: Actor, personalConversationId: string): Promise<boolean> {
    const r = this.reporting(actor.entraId);
    // The caller tells a refused person why (reportRefusal); no form goes anywhere for them.
    if (r.kind === 'refused') return false;
    const formId = await this.issueFormId(actor, personalConversationId);
    const card = reportFormCard(this.deps.cards, { formId, reporterName: this.actorName(actor), ...this.formUnits(r), today: this.today() });
    const at = this.deps.realNow?.() ?? new Date();
    await this.deps.store.outbox.enqueue([
      {
        key: `report-form/${formId}`,
        recipientEntraId: actor.entraId.toLowerCase(),
        recipientName: this.actorName(actor),
        purpose: 'report-form',
        entityRef: `reporter:${actor.entraId.toLowerCase()}`,
        cardJson: JSON.stringify(card),
        priority: 'interactive',
        notBefore: at,
        createdAt: at,
      },
    ]);
    this.deps.onEnqueued?.();
    return true;
  }

  /**
   * Files the form. Its id must have been issued to this person in this conversation: a form id
   * that was not (a form shown to a group, a replayed or made-up id) never files under that id and
   * never shows what was filed under it. The person gets a form of their own with what they wrote.
   */
  async submit(actor: Actor, data: unknown, conversationId: string, receiptActivityId?: string): Promise<SubmitResult> {
    const { store, timeZone, logger } = this.deps;
    const dir = this.deps.directory();
    const reporting = this.reporting(actor.entraId);
    if (reporting.kind === 'refused') {
      // Whatever the card held (an old form, a crafted invoke): nothing of it is stored.
      logger.info({ event: 'report-refused', reason: reporting.reason }, 'a report from a person the organisation file does not place was refused');
      await store.audit.append({
        at: this.deps.now(), actorEntraId: actor.entraId, action: 'report.create-denied', entityType: 'report', entityRef: `reporter:${actor.entraId.toLowerCase()}`, detail: `reason=${reporting.reason}`,
      });
      return { kind: 'refused', reason: reportingRefusal(reporting, dir.municipality) };
    }
    const offered = this.formUnits(reporting);
    const units = offered.units;
    const raw = (data && typeof data === 'object' ? data : {}) as Record<string, unknown>;
    const givenId = typeof raw.formId === 'string' && raw.formId.length <= 100 ? raw.formId : undefined;
    const issued = givenId ? await store.reports.getForm(givenId) : undefined;
    const owned = !!issued && issued.reporterEntraId === actor.entraId.toLowerCase() && issued.conversationId === conversationId;
    const result = validateReportForm(data, { now: this.deps.now(), timeZone, unitIds: units.map((u) => u.id) });
    if (!owned) {
      await this.auditForeignForm(actor, issued ? 'not-issued-to-actor' : 'not-issued');
      const values = result.ok ? echoFormValues(raw) : result.values;
      const errors = result.ok ? {} : result.errors;
      return {
        kind: 'invalid',
        view: {
          formId: await this.issueFormId(actor, conversationId),
          reporterName: this.actorName(actor),
          ...offered,
          today: this.today(),
          values,
          errors: { ...errors, form: FOREIGN_FORM_MESSAGE },
        },
      };
    }
    if (!result.ok) {
      logger.info({ event: 'report-form-invalid', fields: Object.keys(result.errors) }, 'report form refused');
      if (result.errors.unitId && typeof raw.unitId === 'string' && raw.unitId !== '' && !units.some((u) => u.id === raw.unitId)) await this.auditUnitRefused(actor);
      return {
        kind: 'invalid',
        view: { formId: givenId!, reporterName: this.actorName(actor), ...offered, today: this.today(), values: result.values, errors: result.errors },
      };
    }
    const d = result.draft;
    const unit = dir.unit(d.unitId)!;
    const now = this.deps.now();
    const { report, created } = await store.reports.create(
      {
        ...d,
        year: DateTime.fromJSDate(now, { zone: timeZone }).year,
        committeeId: unit.committeeId,
        reporterEntraId: actor.entraId,
        reporterName: this.actorName(actor),
        urgent: urgencyReasons(d.risks).length > 0,
        createdAt: now,
      },
      { actorEntraId: actor.entraId, action: 'report.create', entityType: 'report', detail: `unit=${d.unitId}` },
      (r) => this.routing(r),
    );
    if (!created && report.reporterEntraId !== actor.entraId.toLowerCase()) {
      // Defence in depth (a form filed before form ids were issued): another person's receipt is never shown.
      await this.auditForeignForm(actor, 'filed-by-another');
      return {
        kind: 'invalid',
        view: {
          formId: await this.issueFormId(actor, conversationId), reporterName: this.actorName(actor), ...offered, today: this.today(), values: echoFormValues(raw), errors: { form: FOREIGN_FORM_MESSAGE },
        },
      };
    }
    logger.info({ event: created ? 'report-filed' : 'report-resubmitted', reference: report.reference, urgent: report.urgent }, 'report filed');

    // Where the receipt is shown, written before the states are read: either this request sees
    // every final state, or the worker's last outcome sees this and updates the receipt.
    if (receiptActivityId && report.reporterEntraId === actor.entraId.toLowerCase()) {
      await store.state.write([{ key: receiptKey(report.reference), value: JSON.stringify({ activityId: receiptActivityId }) }]);
    }
    if (created) this.deps.onEnqueued?.();
    // The receipt shows the states as the submit left them ("väntar" until Teams answers).
    const view = await this.receipt(report);
    // Hands the report to the pattern rules, which run after the answer (src/patterns/evaluations.ts).
    if (created) await this.deps.onFiled?.(report.reference);
    return { kind: 'filed', report, created, view };
  }

  /** The receipt with the routing's states as stored now: never waits for Teams. */
  private async receipt(report: Report): Promise<ReceiptCardInput> {
    const rows = await this.deps.store.outbox.deliveryStates(report.reference, NEW_REPORT);
    // A report filed before the outbox existed has no routing rows: its recorded outcomes are final.
    const states = rows.length
      ? receiptStates(rows)
      : receiptStates((await this.deps.store.reports.listNotifications(report.id)).map((n) => ({ recipientName: n.recipientName, state: n.status })));
    return { report, ...states, timeZone: this.deps.timeZone };
  }

  /**
   * One outbox row per recipient, enqueued in the report's own transaction: a report that is
   * acknowledged is routed even if this process dies right after. Whoever cannot be reached is
   * reported to the nämnd's chefer by a follow-up row the store writes with the final outcome.
   */
  private routing(report: Report): OutboxMessage[] {
    const { cards, timeZone } = this.deps;
    const dir = this.deps.directory();
    const unitName = dir.unit(report.unitId)?.name ?? report.unitId;
    const at = this.deps.realNow?.() ?? new Date();
    const base = { entityRef: report.reference, unitId: report.unitId, committeeId: report.committeeId, priority: 'interactive' as const, notBefore: at, createdAt: at };
    const chefs = dir.committeePeople(report.committeeId, 'chef');
    // A reporter the organisation file does not place (allowed by REPORT_UNKNOWN_PERSON): the
    // nämnd's samordnare find out who they are before the unit is involved.
    const reporting = this.reporting(report.reporterEntraId);
    const unplaced = reporting.kind === 'units' && reporting.routing === 'samordnare' ? reporting.unplaced.reason : undefined;
    // The card differs by role only: rendered once per role, inside the report's transaction.
    const byRole = new Map<string, string>();
    const cardFor = (role: 'enhetschef' | 'samordnare') => {
      let json = byRole.get(role);
      if (json === undefined) byRole.set(role, (json = JSON.stringify(reportNotificationCard(cards, { report, unitName, role, timeZone, ...(unplaced ? { reporterUnplaced: unplaced } : {}) }))));
      return json;
    };
    return reportRecipients(dir, report.unitId, unplaced ? 'samordnare' : 'unit').map((rcp) => {
      const toldIfUnreachable = chefs.filter((c) => c.entraId !== rcp.entraId);
      // The same notice goes to every chef: rendered once per recipient it is about.
      const unreachableJson = toldIfUnreachable.length
        ? JSON.stringify(
            noticeCard(
              cards,
              `${rcp.name} kunde inte nås om ${report.reference}`,
              `En ny lex Sarah-rapport för ${unitName} kunde inte levereras till ${rcp.name} i Teams: appen är inte installerad, eller Teams nekade. Se till att hen får veta om rapporten på annat sätt, och att appen installeras.`,
            ),
          )
        : '';
      return {
        ...base,
        key: `new-report/${report.reference}/${rcp.entraId}`,
        recipientEntraId: rcp.entraId,
        recipientName: rcp.name,
        purpose: NEW_REPORT,
        cardJson: cardFor(rcp.role),
        onUndeliverable: toldIfUnreachable.map((c) => ({
          ...base,
          key: `new-report-unreachable/${report.reference}/${rcp.entraId}/${c.entraId}`,
          recipientEntraId: c.entraId,
          recipientName: c.name,
          purpose: 'new-report-unreachable',
          cardJson: unreachableJson,
        })),
      };
    });
  }

  /**
   * After the delivery worker recorded a final outcome of a report's routing: the outcome is
   * recorded as a notification, and once nobody is pending the reporter's receipt is updated in
   * place (an interactive outbox row replacing the receipt message).
   */
  async deliveryFinished(row: OutboxRow, outcome: OutboxOutcome): Promise<void> {
    if (row.purpose !== NEW_REPORT) return;
    const report = await this.deps.store.reports.getByReference(row.entityRef);
    if (!report) return;
    const at = this.deps.realNow?.() ?? new Date();
    await this.recordOutcome(report, row, outcome, at);
    await this.updateReceiptWhenSettled(report, at);
  }

  /**
   * The repair for an instance that died between a routing row's outcome and deliveryFinished:
   * reports whose routing finished at or after `since` without a receipt update get their
   * outcomes recorded (idempotent) and their receipt updated. Run at start and now and then.
   * Returns how many receipts it enqueued.
   */
  async settleReceipts(since: Date, limit = 200): Promise<number> {
    const { store } = this.deps;
    let enqueued = 0;
    for (const reference of await store.outbox.settledWithoutFollowUp(NEW_REPORT, RECEIPT_UPDATE, since, limit)) {
      const report = await store.reports.getByReference(reference);
      if (!report) continue;
      const at = this.deps.realNow?.() ?? new Date();
      for (const row of await store.outbox.listByEntity(reference, NEW_REPORT)) {
        if (row.state !== 'pending') await this.recordOutcome(report, row, outcomeOf(row), at, false);
      }
      if (await this.updateReceiptWhenSettled(report, at)) enqueued++;
    }
    return enqueued;
  }

  private async recordOutcome(report: Report, row: OutboxRow, outcome: OutboxOutcome, at: Date, log = true): Promise<void> {
    const { store, logger } = this.deps;
    await store.reports.recordNotification({
      reportId: report.id,
      recipientEntraId: row.recipientEntraId,
      recipientName: row.recipientName,
      kind: 'new-report',
      status: outcome.state,
      ...(outcome.state === 'failed' ? { error: outcome.error } : {}),
      at,
    });
    if (log && outcome.state !== 'sent') {
      logger.warn({ event: 'notification-failed', reference: report.reference, recipient: row.recipientEntraId, status: outcome.state }, 'a recipient could not be reached');
    }
  }

  /** Once nobody is pending, the receipt message shows the final states; true if an update was enqueued. */
  private async updateReceiptWhenSettled(report: Report, at: Date): Promise<boolean> {
    const { store } = this.deps;
    const rows = await store.outbox.deliveryStates(report.reference, NEW_REPORT);
    if (rows.some((r) => r.state === 'pending')) return false;
    const stored = (await store.state.read([receiptKey(report.reference)])).get(receiptKey(report.reference));
    if (!stored) return false;
    const { activityId } = JSON.parse(stored.value) as { activityId: string };
    const card = reportReceiptCard(this.deps.cards, { report, ...receiptStates(rows), timeZone: this.deps.timeZone });
    // Two instances finishing the last two rows at once enqueue the same key: one update.
    await store.outbox.enqueue([
      {
        key: `receipt-update/${report.reference}/${activityId}`,
        recipientEntraId: report.reporterEntraId,
        recipientName: report.reporterName,
        purpose: RECEIPT_UPDATE,
        entityRef: report.reference,
        unitId: report.unitId,
        committeeId: report.committeeId,
        cardJson: JSON.stringify(card),
        priority: 'interactive',
        // Not at once: the request's own answer (the receipt as it read the states) must reach Teams
        // before this replaces it, or the older card would win. Seconds are plenty.
        notBefore: new Date(at.getTime() + RECEIPT_UPDATE_DELAY_MS),
        createdAt: at,
        replacesActivityId: activityId,
      },
    ]);
    this.deps.onEnqueued?.();
    return true;
  }

  /**
   * A unit id the form did not offer: an organisation change since the form was shown, or a
   * crafted submit. Who tried, never the id itself (it is whatever they sent).
   */
  private async auditUnitRefused(actor: Actor): Promise<void> {
    this.deps.logger.warn({ event: 'report-unit-refused' }, 'a report for a unit the form did not offer was refused');
    await this.deps.store.audit.append({
      at: this.deps.now(),
      actorEntraId: actor.entraId,
      action: 'report.unit-refused',
      entityType: 'report-form',
      entityRef: `reporter:${actor.entraId.toLowerCase()}`,
      detail: 'unit=outside-offer',
    });
  }

  /** A refused form id: who tried, never the id itself (it could be probed) nor what they wrote. */
  private async auditForeignForm(actor: Actor, reason: string): Promise<void> {
    this.deps.logger.warn({ event: 'report-form-foreign', reason }, 'a report form not issued to the submitter was refused');
    await this.deps.store.audit.append({
      at: this.deps.now(),
      actorEntraId: actor.entraId,
      action: 'report.form-refused',
      entityType: 'report-form',
      entityRef: `reporter:${actor.entraId.toLowerCase()}`,
      detail: `reason=${reason}`,
    });
  }

  async listMine(actor: Actor): Promise<ReportListView> {
    const { store, timeZone } = this.deps;
    const mine = await store.reports.listByReporter(actor.entraId, MY_REPORTS_LIMIT);
    await store.audit.append({
      at: this.deps.now(),
      actorEntraId: actor.entraId,
      action: 'report.list',
      entityType: 'report',
      entityRef: `reporter:${actor.entraId.toLowerCase()}`,
      detail: `count=${mine.length}`,
    });
    const dir = this.deps.directory();
    const reports = await Promise.all(
      mine.map(async (summary): Promise<ReportListItem> => {
        const item = { summary, unitName: dir.unit(summary.unitId)?.name ?? summary.unitId };
        // Only an anmäld report needs its filing (at most MY_REPORTS_LIMIT reads, usually none).
        return summary.state === 'anmald' ? { ...item, ...(await this.investigationAtIvo(summary.id)) } : item;
      }),
    );
    return { reports, timeZone };
  }

  /** Where an anmäld report's investigation is, from its recorded filing; nothing when none is recorded. */
  private async investigationAtIvo(reportId: number): Promise<Pick<ReportListItem, 'investigationAtIvo'>> {
    const filing = (await this.deps.store.cases.get(reportId)).filing;
    if (!filing) return {};
    return { investigationAtIvo: filing.investigationAttached ? 'attached' : filing.investigationSentOn ? 'sent' : 'to-send' };
  }

  /** Opens a report for someone allowed to see it; everyone else learns only that they may not. */
  async open(actor: Actor, referenceText: string): Promise<OpenResult> {
    const { store, timeZone } = this.deps;
    const reference = parseReference(referenceText);
    if (!reference) return { kind: 'refused', reason: 'Skriv referensen så här: öppna LS-2026-0001.' };
    const report = await store.reports.getByReference(reference);
    const basis = report ? reportAccess(this.deps.directory(), actor.entraId, report) : undefined;
    await store.audit.append({
      at: this.deps.now(),
      actorEntraId: actor.entraId,
      action: basis ? 'report.read' : 'report.read-denied',
      entityType: 'report',
      entityRef: reference,
      ...(basis ? { detail: `basis=${basis}` } : { detail: report ? 'no-access' : 'not-found' }),
    });
    // Same answer for "does not exist" and "not yours", so references cannot be probed.
    if (!report || !basis) return { kind: 'refused', reason: `Du kan inte öppna ${reference}. Den finns inte, eller så har du inte behörighet att se den.` };
    const unitName = this.deps.directory().unit(report.unitId)?.name ?? report.unitId;
    return { kind: 'report', view: { report, unitName, timeZone } };
  }
}
