import { type AttachmentRemover, attachmentIdsOf } from '../core/attachment.ts';
import type { Clock } from '../core/clock.ts';
import { errorMessage, type Logger, silentLogger } from '../core/logger.ts';
import { describeErased } from '../core/personal-data-port.ts';
import type { Stores } from '../core/ports.ts';
import type { Ticket } from '../core/ticket.ts';

export const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A closed ticket without what is personal: no transcript, no intake details, no name, e-mail or
 * organisation, no text in its events. What reports count stays: queue, level, priority, status,
 * language, times, SLA, rating, the FAQ candidates, who worked it.
 */
export function withoutPersonalData(ticket: Ticket, now: number): Ticket {
  // The customer's own events name them; agents' names stay (who worked the ticket).
  const customerNames = new Set([ticket.customer.id, ticket.customer.name].filter(Boolean));
  return {
    ...ticket,
    details: {},
    transcript: [],
    customer: { id: 'erased' },
    conversation: { channel: ticket.conversation.channel, conversationId: 'erased', address: {} },
    events: ticket.events.map(({ text: _text, ...event }) =>
      event.by !== undefined && customerNames.has(event.by) ? { ...event, by: 'customer' } : event,
    ),
    // Minutes are billed and counted; an agent's note may say what the customer said.
    timeEntries: ticket.timeEntries?.map(({ note: _note, ...entry }) => entry),
    // Screenshots and logs show the customer's screen and data; their files are removed too.
    attachments: undefined,
    personalDataErasedAt: now,
  };
}

export interface TicketRetentionOptions {
  stores: Pick<Stores, 'tickets' | 'audit' | 'personalData'>;
  clock: Clock;
  /** RETENTION_DAYS: how long a closed ticket keeps its personal data. */
  retentionDays: number;
  /** Where the tickets' files are kept: removed with the tickets' personal data. */
  attachments?: AttachmentRemover | undefined;
  log?: Logger | undefined;
}

/**
 * Removes personal data kept longer than the retention time (DSGVO: no longer than needed): from
 * tickets closed that long, through the ticket store's revisioned update, so every process and
 * store agrees; then the question logs, unanswered questions and feedback texts from before then
 * (PersonalDataStore.expire, which also rewrites the embedded store's files). One audit entry per
 * kind for a sweep that changed anything.
 */
export class TicketRetention {
  private readonly log: Logger;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: TicketRetentionOptions) {
    this.log = options.log ?? silentLogger;
  }

  /** Sweeps now and then every `intervalMs` (hourly by default). */
  start(intervalMs = 60 * 60 * 1000): void {
    const run = () =>
      void this.sweep().catch((error: unknown) =>
        this.log.warn('retention sweep failed; tried again later', { error: errorMessage(error) }),
      );
    run();
    this.timer = setInterval(run, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  /** The ids of the tickets whose personal data this sweep removed. */
  async sweep(): Promise<string[]> {
    const now = this.options.clock.now();
    const cutoff = now - this.options.retentionDays * DAY_MS;
    const due = await this.options.stores.tickets.list({ status: ['resolved', 'cancelled'] });
    const erased: string[] = [];
    for (const ticket of due) {
      if (ticket.personalDataErasedAt !== undefined) continue;
      if ((ticket.resolvedAt ?? ticket.updatedAt) > cutoff) continue;
      const updated = await this.options.stores.tickets.update(ticket.id, (t) =>
        t.personalDataErasedAt === undefined ? withoutPersonalData(t, now) : t,
      );
      if (!updated) continue;
      erased.push(ticket.id);
      for (const id of attachmentIdsOf(ticket)) await this.options.attachments?.remove(id);
    }
    if (erased.length > 0) {
      await this.options.stores.audit.append({
        at: now,
        actor: 'retention',
        action: 'tickets.personal-data-erased',
        detail: `${erased.length} ticket(s) closed more than ${this.options.retentionDays} days: ${erased.join(', ')}`,
      });
      this.log.info('personal data of closed tickets removed', { tickets: erased.length });
    }
    const expired = describeErased(await this.options.stores.personalData.expire(cutoff));
    if (expired !== '') {
      await this.options.stores.audit.append({
        at: now,
        actor: 'retention',
        action: 'logs.personal-data-expired',
        detail: `older than ${this.options.retentionDays} days: ${expired}`,
      });
      this.log.info('personal data in logs past retention removed', { records: expired });
    }
    return erased;
  }
}
