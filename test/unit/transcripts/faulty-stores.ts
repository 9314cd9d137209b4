import { SupportBotError } from '../../../src/core/errors.ts';
import type { Stores } from '../../../src/core/ports.ts';

/**
 * What goes wrong right after a ticket is stored: the next conversation write fails once (a
 * store hiccup), or the store goes away for good (the process dies; a new one opens the data
 * directory again).
 */
export type FaultAfterTicket = 'conversation-write-fails-once' | 'store-goes-away';

/**
 * The real stores with one fault at the port boundary, after the first ticket is created.
 * Everything else is the real store; `ticketsCreated` counts the creates that went through.
 */
export function faultAfterTicket(
  real: Stores,
  fault: FaultAfterTicket,
): Stores & { ticketsCreated(): number } {
  let armed = false;
  let created = 0;
  return {
    ...real,
    tickets: {
      nextId: () => real.tickets.nextId(),
      get: (id) => real.tickets.get(id),
      update: (id, change) => real.tickets.update(id, change),
      list: (filter) => real.tickets.list(filter),
      listFigures: (filter) => real.tickets.listFigures(filter),
      async create(ticket) {
        await real.tickets.create(ticket);
        created += 1;
        if (created > 1) return;
        if (fault === 'store-goes-away') await real.close();
        else armed = true;
      },
    },
    conversations: {
      get: (id) => real.conversations.get(id),
      delete: (id) => real.conversations.delete(id),
      async put(conversation) {
        if (armed) {
          armed = false;
          throw new SupportBotError('store_unavailable', 'The store did not answer in time.');
        }
        return real.conversations.put(conversation);
      },
    },
    ticketsCreated: () => created,
  };
}
