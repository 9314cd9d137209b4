import type { Conversation } from '../../src/core/conversation.ts';
import type { Ticket } from '../../src/core/ticket.ts';

/** A clock the test moves by hand. */
export class TestClock {
  constructor(public time = Date.UTC(2025, 2, 3, 9, 0, 0)) {}
  now(): number {
    return this.time;
  }
  advance(ms: number): void {
    this.time += ms;
  }
}

export function sampleConversation(
  id: string,
  at: number,
  overrides: Partial<Conversation> = {},
): Conversation {
  return {
    id,
    ref: { channel: 'web', conversationId: id, address: { session: id } },
    customer: { id: `cust-${id}`, name: 'Erika Mustermann' },
    owner: 'bot',
    language: 'de',
    transcript: [{ at, from: 'customer', text: 'Mein VPN verbindet sich nicht.' }],
    problems: [
      {
        text: 'Mein VPN verbindet sich nicht.',
        candidates: [{ kind: 'faq', id: 'vpn-verbindung', score: 0.82, title: 'VPN-Verbindung' }],
      },
    ],
    rephraseAsked: false,
    createdAt: at,
    updatedAt: at,
    ...overrides,
  };
}

export function sampleTicket(id: string, at: number, overrides: Partial<Ticket> = {}): Ticket {
  return {
    id,
    queue: 'general',
    level: 2,
    priority: 'P3',
    status: 'queued',
    details: { summary: 'VPN bricht ab', system: 'VPN', impact: 'team', urgency: 'hinders' },
    transcript: [{ at, from: 'customer', text: 'Das VPN bricht alle 5 Minuten ab.' }],
    candidates: [{ kind: 'faq', id: 'vpn-verbindung', score: 0.41, title: 'VPN-Verbindung' }],
    language: 'de',
    customer: { id: 'cust-1', name: 'Erika Mustermann' },
    conversation: { channel: 'slack', conversationId: 'slack:T1:D1', address: { channel: 'D1', ts: '1.2' } },
    billable: false,
    createdAt: at,
    updatedAt: at,
    reactionDueAt: at + 4 * 3_600_000,
    resolutionDueAt: at + 24 * 3_600_000,
    events: [{ at, type: 'created' }],
    ...overrides,
  };
}
