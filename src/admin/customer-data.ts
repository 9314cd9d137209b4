import type { Conversation } from '../core/conversation.ts';
import type { Ticket } from '../core/ticket.ts';
import { type CustomerReport, reportsOf } from '../incidents/announcement-reports.ts';
import type {
  Feedback,
  LoggedQuestion,
  QuestionOutcome,
  Stores,
  UnansweredQuestion,
  WebEvent,
  WebIdentity,
} from '../store/ports.ts';

/** The customer's tickets and every conversation id that belongs to them (see collectCustomerData). */
export async function findCustomerRecords(
  stores: Pick<Stores, 'tickets'>,
  customerId: string,
): Promise<{ tickets: Ticket[]; conversationIds: Set<string> }> {
  const tickets = (await stores.tickets.list()).filter(
    (t) => t.customer.id === customerId || t.conversation.conversationId === customerId,
  );
  return {
    tickets,
    conversationIds: new Set([customerId, ...tickets.map((t) => t.conversation.conversationId)]),
  };
}

/** Everything the stores hold about one customer (Art. 15 DSGVO), as JSON. */
export interface CustomerData {
  customerId: string;
  exportedAt: string;
  conversations: Conversation[];
  tickets: Ticket[];
  feedback: Feedback[];
  unansweredQuestions: UnansweredQuestion[];
  loggedQuestions: LoggedQuestion[];
  questionOutcomes: QuestionOutcome[];
  /** Messages pushed to the customer's web conversations, and the identity a site vouched for. */
  web: { conversationId: string; identity?: WebIdentity | undefined; events: WebEvent[] }[];
  /** Their reports linked to maintenance windows and incidents. */
  incidentReports: CustomerReport[];
}

/**
 * Gathers one customer's data: `customerId` is a customer id (`web-user:…`, `slack:T…:U…`,
 * `teams:…`) or a conversation id (`web:…`, `slack:…`). The customer's conversations are found
 * through the id itself and their tickets; everything keyed by conversation follows from them.
 */
export async function collectCustomerData(
  stores: Stores,
  customerId: string,
  now: number,
): Promise<CustomerData> {
  const { tickets, conversationIds } = await findCustomerRecords(stores, customerId);
  const conversations: Conversation[] = [];
  for (const id of conversationIds) {
    const conversation = await stores.conversations.get(id);
    if (conversation) conversations.push(conversation);
  }
  const ours = (record: { conversationId: string }) => conversationIds.has(record.conversationId);
  const web: CustomerData['web'] = [];
  for (const id of conversationIds) {
    if (!id.startsWith('web:')) continue;
    const access = await stores.webAccess.get(id);
    const { events } = await stores.webEvents.since(id, 0);
    if (access || events.length > 0) web.push({ conversationId: id, identity: access?.identity, events });
  }
  return {
    customerId,
    exportedAt: new Date(now).toISOString(),
    conversations,
    tickets,
    feedback: (await stores.feedback.list()).filter(ours),
    unansweredQuestions: (await stores.unanswered.list()).filter(ours),
    loggedQuestions: (await stores.questions.list()).filter(ours),
    questionOutcomes: (await stores.questions.outcomes()).filter(ours),
    web,
    incidentReports: await reportsOf(stores, new Set([customerId, ...conversationIds])),
  };
}
