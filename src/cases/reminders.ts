/**
 * Reminders for the legal clocks of lex Sarah cases: the assessment of a rapport nobody has
 * assessed yet (from receipt: "genast", a local number of working days), the anmälan to IVO
 * ("snarast", local SLA), the investigation due at IVO after the anmälan, and the closing (a case
 * judged to need no anmälan, or whose investigation is at IVO, is still to be investigated to the
 * end and closed: a local number of days). Each (case, clock,
 * deadline, kind, person) becomes one outbox row under a key that never changes, so repeated ticks,
 * restarts and parallel instances enqueue it once; the delivery worker sends it. The deadline is in
 * the key so that a new deadline (a new decision, a changed local policy) gets its own reminders.
 * After downtime only the most urgent kind due is sent: one card per person and case, not one per
 * missed reminder. When any deadline passes, the nämnd's chefer are told as well (escalation):
 * the assessment, the anmälan, the investigation at IVO and the closing alike (the last two are
 * both local policy; escalating one and not the other would make a month-late investigation that
 * IVO waits for quieter than a late closing click). A chef who would get several escalations in
 * one tick (after downtime, or several deadlines passing the same night) gets one digest card
 * instead (see `digests`). Rows enqueued outside working hours wait for the next working morning
 * (reminderSendFrom), and the delivery worker drops a row whose clock no longer runs with its
 * deadline by the time it is sent (./reminder-wanted.ts).
 *
 * Who is reminded: of the assessment, whoever the rapport was routed to (the unit's enhetschefer
 * and the nämnd's samordnare, as src/reports/access.ts newReportRecipients); of the anmälan and the
 * investigation, the nämnd's samordnare, who prepare and send them; of the closing, the samordnare
 * and the case's utredare, who is to finish the investigation.
 */
import { createHash } from 'node:crypto';
import { referencesAt } from '../assessment/legal-references';
import { caseEscalationDigestCard, caseReminderCard, type CaseReminderView } from '../cards/case-reminder-cards';
import type { CardRenderer } from '../cards/render';
import type { Logger } from '../log/logger';
import type { Directory } from '../org/directory';
import { newReportRecipients } from '../reports/access';
import { WorkingCalendar } from '../review/calendar';
import type { ClockCase, OpenCase } from './case';
import type { OutboxMessage } from '../store/outbox';
import type { Store } from '../store/store';
import {
  assessmentRemindersDue, calendarDayIn, DEFAULT_CLOCK_RULES, reminderSendFrom, remindersDue, runningClock, runningClockDue,
  type ClockKind, type ClockRules, type ReminderKind, type RunningClock, type WorkingDays,
} from './clocks';

export interface ReminderDeps {
  store: Store;
  directory: () => Directory;
  cards: CardRenderer;
  logger: Logger;
  timeZone: string;
  clockRules?: ClockRules;
  /** Real time for the rows (due as soon as written, whatever clock the tick runs on); default the system clock. */
  realNow?: () => Date;
  /** Wakes the delivery worker after rows were enqueued. */
  onEnqueued?: () => void;
  /** Working days of the assessment clock; default the Swedish calendar in `timeZone` (pass the app's, with its de facto holidays setting). */
  calendar?: WorkingDays;
}

export interface ReminderSent {
  reference: string;
  clock: ClockKind;
  kind: ReminderKind;
  recipient: string;
  escalation: boolean;
  /** 'enqueued': the outbox has the card; the delivery worker records how it went. */
  status: 'enqueued';
  /** A digest escalation: the references it names (`reference` is the first of them). */
  digestOf?: string[];
}

/** How many new escalations for one person in one tick become a digest instead of a card each. */
export const DIGEST_FROM = 2;

type Due = { message: OutboxMessage; sent: ReminderSent; view: CaseReminderView; legacyKey?: string };

type Person = { entraId: string; name: string };

export class CaseReminders {
  private readonly calendar: WorkingDays;

  constructor(private readonly deps: ReminderDeps) {
    this.calendar = deps.calendar ?? new WorkingCalendar({ timeZone: deps.timeZone });
  }

  /** The most urgent reminder due now for the case's running clock, with its deadline; undefined when none. */
  private dueNow(run: RunningClock, now: Date, rules: ClockRules): { due: Date; kind: ReminderKind } | undefined {
    const tz = this.deps.timeZone;
    const due = runningClockDue(run, this.calendar, rules, tz);
    const kinds = run.clock === 'bedomning' ? assessmentRemindersDue(run.receivedAt, due, now, this.calendar, tz) : remindersDue(due, now, rules, tz, run.clock);
    // Most urgent last: the earlier kinds missed while nobody ran are not sent any more.
    const kind = kinds.at(-1);
    return kind ? { due, kind } : undefined;
  }

  /**
   * Who gets this reminder, each person once: a person with two roles gets the escalation, not
   * both cards. Escalation once any deadline has passed. The closing also reaches the case's
   * utredare (by their name in the organisation file, else as recorded), who finishes the investigation.
   */
  private recipients(dir: Directory, c: ClockCase, clock: ClockKind, kind: ReminderKind): Map<string, { p: Person; escalation: boolean }> {
    const out = new Map<string, { p: Person; escalation: boolean }>();
    const told: Person[] = clock === 'bedomning' ? newReportRecipients(dir, c.unitId) : dir.committeePeople(c.committeeId, 'samordnare');
    told.forEach((p) => out.set(p.entraId, { p: { entraId: p.entraId, name: p.name }, escalation: false }));
    const u = clock === 'avslut' ? c.utredare : undefined;
    // The store keeps Entra ids lower-cased; a samordnare who is also the utredare is told once, under the directory's id.
    if (u && ![...out.keys()].some((id) => id.toLowerCase() === u.entraId.toLowerCase())) {
      const listed = dir.person(u.entraId);
      out.set(listed?.entraId ?? u.entraId, { p: { entraId: listed?.entraId ?? u.entraId, name: listed?.name ?? u.name }, escalation: false });
    }
    if (kind === 'overdue') dir.committeePeople(c.committeeId, 'chef').forEach((p) => out.set(p.entraId, { p, escalation: true }));
    return out;
  }

  /** The legal duty an assessment reminder cites: the references valid on the day of receipt. */
  private assessmentLaw(run: RunningClock, dir: Directory, unitId: string): { text: string; verified: boolean }[] | undefined {
    if (run.clock !== 'bedomning') return undefined;
    return referencesAt(run.receivedAt, dir.unit(unitId)?.area === 'lss' ? ['utreda-avhjalpa', 'lss'] : ['utreda-avhjalpa']);
  }

  /**
   * One pass: enqueues whatever is due at `now` and was not enqueued before, with its audit entry,
   * in one transaction. Returns what this pass enqueued (for tests and logs).
   */
  async tick(now: Date): Promise<ReminderSent[]> {
    const { store, cards, logger } = this.deps;
    const rules = this.deps.clockRules ?? DEFAULT_CLOCK_RULES;
    const dir = this.deps.directory();
    const at = this.deps.realNow?.() ?? new Date();
    const due = new Map<string, Due>();
    const dayOf = calendarDayIn(this.deps.timeZone);
    // Outside working hours (a deadline passing at midnight, a weekend) the rows wait for the next
    // working morning: the delay is the tick's, carried over to the rows' real time.
    const notBefore = new Date(at.getTime() + (reminderSendFrom(now, this.calendar, this.deps.timeZone).getTime() - now.getTime()));
    // Decided or filed cases (anmälan, investigation, closing), then those not assessed yet (from receipt).
    const cases: (ClockCase | OpenCase)[] = [...(await store.cases.listClockCases()), ...(await store.cases.listUnassessedCases())];
    for (const c of cases) {
      const run = runningClock(c);
      const reminder = run && this.dueNow(run, now, rules);
      if (!run || !reminder) continue;
      const { clock } = run;
      const { kind, due: dueAt } = reminder;
      const unitName = dir.unit(c.unitId)?.name ?? c.unitId;
      const law = this.assessmentLaw(run, dir, c.unitId);
      // The card differs only by escalation: rendered at most twice per case.
      const cardJson = new Map<boolean, string>();
      const viewFor = (escalation: boolean): CaseReminderView => ({ reference: c.reference, unitName, run, kind, escalation, due: dueAt, timeZone: this.deps.timeZone, rules, ...(law ? { law } : {}) });
      const cardFor = (escalation: boolean) => {
        let json = cardJson.get(escalation);
        if (json === undefined) {
          json = JSON.stringify(caseReminderCard(cards, viewFor(escalation)));
          cardJson.set(escalation, json);
        }
        return json;
      };
      for (const { p, escalation } of this.recipients(dir, c, clock, kind).values()) {
        const key = `case-reminder/${c.reference}/${clock}/${dayOf(dueAt)}/${kind}/${p.entraId}`;
        due.set(key, {
          // The key before deadlines were in it (the leases before the outbox, and the first outbox
          // rows); the assessment and closing clocks came after, so they have none.
          ...(clock === 'anmalan' || clock === 'utredning' ? { legacyKey: `case-reminder/${c.reference}/${clock}/${kind}/${p.entraId}` } : {}),
          sent: { reference: c.reference, clock, kind, recipient: p.entraId, escalation, status: 'enqueued' },
          view: viewFor(escalation),
          message: {
            key,
            // An escalation may also be in another instance's digest: written only if it is not (see digests).
            ...(escalation ? { covers: [key] } : {}),
            recipientEntraId: p.entraId,
            recipientName: p.name,
            purpose: escalation ? 'case-escalation' : 'case-reminder',
            entityRef: c.reference,
            unitId: c.unitId,
            committeeId: c.committeeId,
            cardJson: cardFor(escalation),
            priority: 'bulk',
            notBefore,
            createdAt: at,
          },
        });
      }
    }
    // Sent by an earlier version, under the key without the deadline (a completed lease before the
    // outbox, an outbox row after it): never again. The deadline cannot be told from those keys;
    // after a new decision that only means the one reminder already sent is not repeated.
    const legacy = new Map([...due].flatMap(([key, d]) => (d.legacyKey ? [[d.legacyKey, key] as const] : [])));
    for (const old of await store.state.completedLeases([...legacy.keys()])) due.delete(legacy.get(old)!);
    for (const [old, key] of legacy) if (due.has(key) && (await store.outbox.get(old))) due.delete(key);
    const digests = await this.digests(due, at, notBefore);
    if (!due.size && !digests.size) return [];
    const inserted = await store.outbox.enqueue([...due.values(), ...digests.values()].map((d) => d.message), (m) => {
      const { sent } = due.get(m.key) ?? digests.get(m.key)!;
      return {
        at: now,
        actorEntraId: 'system',
        action: sent.escalation ? 'case.escalation' : 'case.reminder',
        entityType: 'report',
        entityRef: sent.reference,
        detail: sent.digestOf
          ? `digest cases=${sent.digestOf.length} to=${sent.recipient} status=enqueued refs=${sent.digestOf.join(',')}`.slice(0, 1000)
          : `clock=${sent.clock} kind=${sent.kind} to=${sent.recipient} status=enqueued`,
      };
    });
    if (inserted.length) {
      logger.info({ event: 'case-reminders-enqueued', count: inserted.length }, 'case reminders enqueued');
      this.deps.onEnqueued?.();
    }
    return inserted.map((k) => (due.get(k) ?? digests.get(k)!).sent);
  }

  /**
   * Replaces, in `due`, a person's new escalations of this tick by one digest card when there are
   * at least DIGEST_FROM of them: after downtime (or a deploy, or several deadlines passing the same
   * night) a chef gets one card naming the cases, not one card per case. Within the outbox model:
   * the digest is a row of its own, under a key made of the escalation keys it covers (so the same
   * set gives the same row on every instance), and each covered key is recorded as done work (the
   * state store's completed leases, as the reminders of the versions before the outbox) in the
   * same transaction as the row (OutboxMessage.covers), so no later tick sends it one by one. Every
   * escalation card of its own covers its own key the same way: another instance ticking at the same
   * moment, with the same cases or a few more or fewer, writes either that digest, or no row that
   * overlaps it, never a second card for a case. Escalations already covered, or already in the
   * outbox, are not new. Returns the digests by key.
   */
  private async digests(due: Map<string, Due>, at: Date, notBefore: Date): Promise<Map<string, Due & { covers: string[] }>> {
    const { store, cards } = this.deps;
    const escalations = [...due].filter(([, d]) => d.sent.escalation).map(([k]) => k);
    for (const k of await store.state.completedLeases(escalations)) due.delete(k);
    const byPerson = new Map<string, string[]>();
    for (const key of escalations) {
      const d = due.get(key);
      if (!d) continue;
      if (await store.outbox.get(key)) {
        due.delete(key);
        continue;
      }
      const keys = byPerson.get(d.sent.recipient) ?? [];
      keys.push(key);
      byPerson.set(d.sent.recipient, keys);
    }
    const out = new Map<string, Due & { covers: string[] }>();
    for (const [recipient, keys] of byPerson) {
      if (keys.length < DIGEST_FROM) continue;
      const covered = keys.sort().map((k) => due.get(k)!);
      // Most pressing first, as the status card lists them: the earliest deadline first.
      const items = covered.map((d) => d.view).sort((a, b) => a.due.getTime() - b.due.getTime() || a.reference.localeCompare(b.reference));
      const references = items.map((v) => v.reference);
      const hash = createHash('sha256').update(keys.join('\n')).digest('hex').slice(0, 32);
      const key = `case-escalation-digest/${hash}/${recipient}`;
      const first = covered[0]!;
      const committees = new Set(covered.map((d) => d.message.committeeId));
      out.set(key, {
        covers: keys,
        view: first.view,
        sent: { reference: references[0]!, clock: items[0]!.run.clock, kind: 'overdue', recipient, escalation: true, status: 'enqueued', digestOf: references },
        message: {
          key,
          covers: keys,
          recipientEntraId: recipient,
          recipientName: first.message.recipientName,
          purpose: 'case-escalation',
          entityRef: cutAtComma(references.join(','), 200),
          ...(committees.size === 1 && first.message.committeeId ? { committeeId: first.message.committeeId } : {}),
          cardJson: JSON.stringify(caseEscalationDigestCard(cards, items, this.deps.timeZone)),
          priority: 'bulk',
          notBefore,
          createdAt: at,
        },
      });
      for (const k of keys) due.delete(k);
    }
    return out;
  }
}

/** `text` cut to `max` characters at a comma (a list of references that fits a column). */
function cutAtComma(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  return cut.slice(0, Math.max(cut.lastIndexOf(','), 0)) || cut;
}
