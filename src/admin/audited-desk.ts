import type { Clock } from '../core/clock.ts';
import type { Stores } from '../core/ports.ts';
import type { Ticket } from '../core/ticket.ts';
import type { DeskResult, EscalateOptions } from '../handoff/desk-result.ts';
import type { TicketDesk } from './ticket-api.ts';

/** The agent actions the console's ticket API offers, each audited here. */
export type DeskActions = TicketDesk;

/** The part of a ticket an agent's action changes, as the audit log keeps it before and after. */
function stateOf(ticket: Ticket | undefined) {
  return (
    ticket && { status: ticket.status, assignee: ticket.assignee, queue: ticket.queue, level: ticket.level }
  );
}

/**
 * The AgentDesk as the console and Slack use it: every agent action that changed a ticket is in
 * the audit log (who, what, when, the ticket before and after), and a ticket resolved by an agent
 * tells the tuning that the FAQ had no answer for its question.
 */
export function auditedDesk(
  desk: DeskActions,
  stores: Pick<Stores, 'audit' | 'questions'>,
  clock: Clock,
): DeskActions {
  const audited =
    (
      action: string,
      run: (id: string, agent: string) => Promise<DeskResult>,
      text?: (result: Ticket) => string,
    ) =>
    async (id: string, agent: string): Promise<DeskResult> => {
      const before = await desk.get(id);
      const result = await run(id, agent);
      if (!result.ok) return result;
      const at = clock.now();
      await stores.audit.append({
        at,
        actor: agent,
        action: `ticket.${action}`,
        target: result.ticket.id,
        ...(text ? { detail: text(result.ticket) } : {}),
        before: stateOf(before),
        after: stateOf(result.ticket),
      });
      const question = result.ticket.details.summary;
      if (action === 'resolve' && result.ticket.closedReason === 'resolved' && question) {
        await stores.questions.addOutcome({
          at,
          conversationId: result.ticket.conversation.conversationId,
          text: question,
          right: null,
          by: 'agent',
        });
      }
      return result;
    };
  return {
    list: (filter) => desk.list(filter),
    get: (id) => desk.get(id),
    claim: audited('claim', (id, agent) => desk.claim(id, agent)),
    reply: (id, agent, text) =>
      audited(/^\s*note:/i.test(text) ? 'note' : 'reply', (i, a) => desk.reply(i, a, text))(id, agent),
    resolve: (id, agent, note) => audited('resolve', (i, a) => desk.resolve(i, a, note))(id, agent),
    reopen: (id, agent, reason) =>
      audited(
        'reopen',
        (i, a) => desk.reopen(i, a, reason),
        () => reason ?? '',
      )(id, agent),
    giveBack: audited('give-back', (id, agent) => desk.giveBack(id, agent)),
    waitForCustomer: audited('wait-for-customer', (id, agent) => desk.waitForCustomer(id, agent)),
    escalate: (id, agent, options: EscalateOptions) =>
      audited(
        'escalate',
        (i, a) => desk.escalate(i, a, options),
        () => options.reason ?? '',
      )(id, agent),
    recordTime: async (id, agent, minutes, note) => {
      const result = await desk.recordTime(id, agent, minutes, note);
      if (!result.ok) return result;
      await stores.audit.append({
        at: clock.now(),
        actor: agent,
        action: 'ticket.time',
        target: result.ticket.id,
        detail: `${minutes} min${note ? `: ${note}` : ''}`,
      });
      return result;
    },
  };
}
