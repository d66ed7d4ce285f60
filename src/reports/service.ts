/**
 * Filing, listing and opening lex Sarah reports: the use cases behind the chat commands. No
 * botbuilder here; the transport layer passes in who is acting and turns the results into replies.
 */
import { randomUUID } from 'node:crypto';
import { DateTime } from 'luxon';
import { reportFormCard, reportListCard, reportNotificationCard, reportReceiptCard, reportViewCard, type FormCardInput } from '../cards/report-cards';
import { CardTooLargeError, type AdaptiveCard, type CardRenderer } from '../cards/render';
import type { Logger } from '../log/logger';
import type { Notifier } from '../notify/notifier';
import type { Directory } from '../org/directory';
import type { NotificationRecord, Report, Store } from '../store/store';
import { newReportRecipients, reportAccess } from './access';
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
  cards: CardRenderer;
  notifier: Notifier;
  logger: Logger;
  timeZone: string;
  now: () => Date;
  /** How long one notification may take before it is recorded as failed (the card must answer within 5 s). */
  notifyTimeoutMs?: number;
}

export type SubmitResult =
  /** A string when the form cannot be shown again in one Teams message: the client keeps what was typed. */
  | { kind: 'invalid'; card: AdaptiveCard | string }
  | { kind: 'filed'; card: AdaptiveCard; report: Report; created: boolean };

export const MY_REPORTS_LIMIT = 20;

/** Shown on the fresh form a person gets for a form that was not issued to them. */
export const TOO_LONG_TO_SHOW_AGAIN =
  'Rapporten är inte skickad: texterna är för långa för att Teams ska kunna visa formuläret igen. Det du skrev finns kvar i formuläret. Korta ned "Vad hände?" och de andra långa fälten och skicka igen.';

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

  /** Units offered on the form: the reporter's own, or every unit when the directory does not know them. */
  private unitsFor(actor: Actor) {
    const dir = this.deps.directory();
    const own = dir.unitsOf(actor.entraId);
    return (own.length ? own : dir.allUnits()).map((u) => ({ id: u.id, name: `${u.name} (${u.committeeName})` }));
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

  /** The empty form, in the conversation it is shown in (the person's personal chat). */
  async newForm(actor: Actor, conversationId: string): Promise<AdaptiveCard> {
    return reportFormCard(this.deps.cards, {
      formId: await this.issueFormId(actor, conversationId),
      reporterName: this.actorName(actor),
      units: this.unitsFor(actor),
      today: this.today(),
    });
  }

  /**
   * Files the form. Its id must have been issued to this person in this conversation: a form id
   * that was not (a form shown to a group, a replayed or made-up id) never files under that id and
   * never shows what was filed under it. The person gets a form of their own with what they wrote.
   */
  /**
   * The form again with what was typed. Texts too long for one Teams message cannot be echoed;
   * a message answer leaves the card, and the text in it, as the user has it.
   */
  private formAgain(input: FormCardInput): AdaptiveCard | string {
    try {
      return reportFormCard(this.deps.cards, input);
    } catch (err) {
      if (!(err instanceof CardTooLargeError)) throw err;
      return TOO_LONG_TO_SHOW_AGAIN;
    }
  }

  async submit(actor: Actor, data: unknown, conversationId: string): Promise<SubmitResult> {
    const { store, cards, timeZone, logger } = this.deps;
    const dir = this.deps.directory();
    const units = this.unitsFor(actor);
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
        card: this.formAgain({
          formId: await this.issueFormId(actor, conversationId),
          reporterName: this.actorName(actor),
          units,
          today: this.today(),
          values,
          errors: { ...errors, form: FOREIGN_FORM_MESSAGE },
        }),
      };
    }
    if (!result.ok) {
      logger.info({ event: 'report-form-invalid', fields: Object.keys(result.errors) }, 'report form refused');
      return {
        kind: 'invalid',
        card: this.formAgain({ formId: givenId!, reporterName: this.actorName(actor), units, today: this.today(), values: result.values, errors: result.errors }),
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
    );
    if (!created && report.reporterEntraId !== actor.entraId.toLowerCase()) {
      // Defence in depth (a form filed before form ids were issued): another person's receipt is never shown.
      await this.auditForeignForm(actor, 'filed-by-another');
      return {
        kind: 'invalid',
        card: this.formAgain({
          formId: await this.issueFormId(actor, conversationId), reporterName: this.actorName(actor), units, today: this.today(), values: echoFormValues(raw), errors: { form: FOREIGN_FORM_MESSAGE },
        }),
      };
    }
    logger.info({ event: created ? 'report-filed' : 'report-resubmitted', reference: report.reference, urgent: report.urgent }, 'report filed');

    const outcomes = created ? await this.notifyNewReport(report) : await this.recordedNotifications(report);
    const told = outcomes.filter((o) => o.status === 'sent').map((o) => o.recipientName);
    const notReached = outcomes.filter((o) => o.status !== 'sent').map((o) => o.recipientName);
    return { kind: 'filed', report, created, card: reportReceiptCard(cards, { report, told, notReached, timeZone }) };
  }

  /**
   * For a resubmitted card: the outcomes the first submit recorded. A double click arrives while
   * the first request is still notifying, so wait (bounded) until every recipient has an outcome
   * rather than show a receipt that misses people.
   */
  private async recordedNotifications(report: Report): Promise<NotificationRecord[]> {
    const expected = newReportRecipients(this.deps.directory(), report.unitId).length;
    const deadline = Date.now() + (this.deps.notifyTimeoutMs ?? 3000) + 500;
    for (;;) {
      const outcomes = await this.deps.store.reports.listNotifications(report.id);
      if (outcomes.length >= expected || Date.now() >= deadline) return outcomes;
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** Tells the unit's chefs and the nämnd's samordnare; every outcome is recorded, failures included. */
  private async notifyNewReport(report: Report): Promise<NotificationRecord[]> {
    const { store, cards, notifier, timeZone, logger } = this.deps;
    const dir = this.deps.directory();
    const unitName = dir.unit(report.unitId)?.name ?? report.unitId;
    const timeoutMs = this.deps.notifyTimeoutMs ?? 3000;
    return Promise.all(
      newReportRecipients(dir, report.unitId).map(async (rcp) => {
        const card = reportNotificationCard(cards, { report, unitName, role: rcp.role, timeZone });
        let timer: NodeJS.Timeout | undefined;
        const outcome = await Promise.race([
          notifier.sendCard(rcp.entraId, card).catch((err: Error) => ({ status: 'failed' as const, error: err.name || 'error' })),
          new Promise<{ status: 'failed'; error: string }>((resolve) => {
            timer = setTimeout(() => resolve({ status: 'failed', error: 'timeout' }), timeoutMs);
          }),
        ]).finally(() => clearTimeout(timer));
        const record: NotificationRecord = {
          reportId: report.id,
          recipientEntraId: rcp.entraId,
          recipientName: rcp.name,
          kind: 'new-report',
          status: outcome.status,
          ...(outcome.status === 'failed' ? { error: outcome.error } : {}),
          at: this.deps.now(),
        };
        await store.reports.recordNotification(record);
        if (outcome.status !== 'sent') {
          await store.status.recordDeliveryFailure({
            at: record.at,
            recipientEntraId: rcp.entraId,
            recipientName: rcp.name,
            unitId: report.unitId,
            committeeId: report.committeeId,
            purpose: 'new-report',
            entityRef: report.reference,
            status: outcome.status,
            ...(record.error ? { error: record.error } : {}),
          });
          logger.warn({ event: 'notification-failed', reference: report.reference, recipient: rcp.entraId, status: outcome.status, error: record.error }, 'a recipient could not be reached');
        }
        return record;
      }),
    );
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

  async listMine(actor: Actor): Promise<AdaptiveCard> {
    const { store, cards, timeZone } = this.deps;
    const mine = await store.reports.listByReporter(actor.entraId, MY_REPORTS_LIMIT);
    await store.audit.append({
      at: this.deps.now(),
      actorEntraId: actor.entraId,
      action: 'report.list',
      entityType: 'report',
      entityRef: `reporter:${actor.entraId.toLowerCase()}`,
      detail: `count=${mine.length}`,
    });
    return reportListCard(cards, mine, timeZone);
  }

  /** Opens a report for someone allowed to see it; everyone else learns only that they may not. */
  async open(actor: Actor, referenceText: string): Promise<{ ok: true; card: AdaptiveCard } | { ok: false; message: string }> {
    const { store, cards, timeZone } = this.deps;
    const reference = parseReference(referenceText);
    if (!reference) return { ok: false, message: 'Skriv referensen så här: öppna LS-2026-0001.' };
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
    if (!report || !basis) return { ok: false, message: `Du kan inte öppna ${reference}. Den finns inte, eller så har du inte behörighet att se den.` };
    const unitName = this.deps.directory().unit(report.unitId)?.name ?? report.unitId;
    return { ok: true, card: reportViewCard(cards, { report, unitName, timeZone }) };
  }
}
