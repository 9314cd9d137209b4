import { StoreError } from '../core/errors.ts';
import type { Logger } from '../core/logger.ts';
import type { Ticket } from '../core/ticket.ts';
import type { OutboxItem, Stores } from '../store/ports.ts';
import type { AgentDesk } from './agent-desk.ts';
import type { CustomerDirectory } from './customer-directory.ts';
import type { Contract } from './customers-config.ts';
import type { SlaAlertType, SlaKind } from './sla-alerts.ts';

const KIND = 'sla-escalation';
/** Who the ticket's events name as acting. */
export const SLA_ESCALATION_ACTOR = 'sla-escalation';

interface EscalationStep {
  ticketId: string;
  alert: SlaAlertType;
  sla: SlaKind;
}

/** What the outbox pump offers this class: a handler per item kind. */
interface HandlerRegistry {
  register(kind: string, handler: (item: OutboxItem) => Promise<void>): void;
}

/**
 * The contract's escalation path, taken by itself: at a breach the ticket moves to the contract's
 * third-level queue at level 3 with the leads named (and, where the contract says so, the leads
 * are called in already at the warning). Each step is an outbox item with a fixed id, added by
 * whichever process sees the alert due: added once however many processes see it, delivered once,
 * retried until it is done, and carried out through the AgentDesk like an agent's escalation
 * (the state machine moves the conversation; the customer and the listeners hear of it).
 */
export class SlaEscalation {
  constructor(
    private readonly deps: {
      stores: Pick<Stores, 'outbox'>;
      desk: Pick<AgentDesk, 'get' | 'escalate' | 'reply'>;
      customers: CustomerDirectory;
      log: Logger;
    },
  ) {}

  /** Call in every process before its pump starts. */
  register(pump: HandlerRegistry): void {
    pump.register(KIND, (item) => this.carryOut(item.payload as EscalationStep));
  }

  /** The escalation step an alert calls for under the ticket's contract, queued once. */
  async plan(ticket: Ticket, alert: SlaAlertType, sla: SlaKind): Promise<boolean> {
    const contract = this.deps.customers.contractOf(ticket.organisation);
    if (!contract || !stepFor(contract, alert)) return false;
    const step: EscalationStep = { ticketId: ticket.id, alert, sla };
    await this.deps.stores.outbox.add([
      { id: `${KIND}:${ticket.id}:${alert}:${sla}`, lane: `${KIND}:${ticket.id}`, kind: KIND, payload: step },
    ]);
    return true;
  }

  private async carryOut(step: EscalationStep): Promise<void> {
    const ticket = await this.deps.desk.get(step.ticketId);
    if (!ticket || ticket.status === 'resolved' || ticket.status === 'cancelled') return;
    const contract = this.deps.customers.contractOf(ticket.organisation);
    const kind = contract && stepFor(contract, step.alert);
    if (!contract || !kind) return;
    const leads = contract.escalation.contacts
      .map((c) => (c.slackUser ? `${c.name} (<@${c.slackUser}>)` : c.name))
      .join(', ');
    const clock = step.sla === 'reaction' ? 'reaction time' : 'resolution time';
    if (kind === 'call-leads') {
      const result = await this.deps.desk.reply(
        ticket.id,
        SLA_ESCALATION_ACTOR,
        `note: SLA warning (${clock}) under the contract: ${leads || 'no lead named'} please take a look.`,
      );
      if (!result.ok)
        this.deps.log.warn('sla escalation note not written', { ticketId: ticket.id, code: result.code });
      return;
    }
    const queue = contract.escalation.level3Queue ?? ticket.queue;
    if (ticket.level === 3 && ticket.queue === queue) return;
    const result = await this.deps.desk.escalate(ticket.id, SLA_ESCALATION_ACTOR, {
      queue: queue === ticket.queue ? undefined : queue,
      level: 3,
      reason: `SLA ${clock} breached${leads ? `; leads: ${leads}` : ''}`,
    });
    // invalid: it is there already; not_found / not_allowed: gone or closed meanwhile. A conflict
    // (someone changed it at the same moment) is tried again by the outbox.
    if (result.ok || result.code !== 'conflict') return;
    throw new StoreError('sla_escalation_conflict', result.message);
  }
}

/** What the contract does at an alert: call the leads in (warning, if agreed), escalate (breach). */
function stepFor(contract: Contract, alert: SlaAlertType): 'call-leads' | 'escalate' | undefined {
  const path = contract.escalation;
  if (alert === 'sla-breached') return path.level3Queue || path.contacts.length > 0 ? 'escalate' : undefined;
  return path.atWarning && path.contacts.length > 0 ? 'call-leads' : undefined;
}
