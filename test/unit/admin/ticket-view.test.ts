import { beforeAll, describe, expect, it } from 'vitest';
import { SupportLabels } from '../../../src/admin/support-labels.ts';
import { customerLabel, faqCandidates, ticketThread, ticketView } from '../../../src/admin/ticket-view.ts';
import type { Ticket } from '../../../src/core/ticket.ts';
import { loadSupportConfig } from '../../../src/handoff/support-config.ts';
import { KnowledgeBase } from '../../../src/knowledge/knowledge-base.ts';
import { loadKnowledge } from '../../../src/knowledge/load-knowledge.ts';

let labels: SupportLabels;
let knowledge: KnowledgeBase;

beforeAll(async () => {
  labels = new SupportLabels(await loadSupportConfig('config/support.yaml'));
  knowledge = new KnowledgeBase(await loadKnowledge('knowledge'));
});

const MINUTE = 60_000;
const T0 = Date.UTC(2026, 11, 7, 9, 0);

/** A web ticket as the hand-off writes it, after the events the agent desk appends. */
function webTicket(): Ticket {
  return {
    id: 'SUP-1001',
    queue: 'workplace',
    level: 2,
    priority: 'P3',
    status: 'resolved',
    closedReason: 'resolved',
    details: {
      urgency: 'hinders',
      contact: 'max@example.com',
      summary: 'Drucker druckt leer',
      impact: 'team',
    },
    transcript: [
      { at: T0, from: 'customer', text: 'Mein Drucker druckt nur leere Seiten' },
      { at: T0 + 1, from: 'bot', text: '**Toner prüfen**, dann neu starten.' },
      { at: T0 + 2, from: 'customer', text: 'Ich möchte mit einem Menschen sprechen' },
    ],
    candidates: [
      { kind: 'intent', id: 'human', score: 1, title: 'The customer wants to talk to a person' },
      { kind: 'faq', id: 'intent:human', score: 0.9, title: 'intent:human' },
      { kind: 'faq', id: 'printer-not-printing', score: 0.61, title: 'Drucker druckt nicht' },
    ],
    language: 'de',
    customer: { id: 'web:3f9a51c2-0b7e-4c1d-9a55-aa12bc34de7f' },
    conversation: { channel: 'web', conversationId: 'web:3f9a51c2-0b7e-4c1d-9a55-aa12bc34de7f', address: {} },
    billable: false,
    createdAt: T0 + 5 * MINUTE,
    updatedAt: T0 + 30 * MINUTE,
    reactionDueAt: T0 + 60 * MINUTE,
    resolutionDueAt: T0 + 600 * MINUTE,
    events: [
      { at: T0 + 5 * MINUTE, type: 'created', text: 'person' },
      {
        at: T0 + 7 * MINUTE,
        type: 'customer-message',
        by: 'web:3f9a51c2-0b7e-4c1d-9a55-aa12bc34de7f',
        text: 'Raum 2.14',
      },
      { at: T0 + 8 * MINUTE, type: 'claimed', by: 'Erika' },
      { at: T0 + 9 * MINUTE, type: 'agent-message', by: 'Erika', text: 'Ich komme **gleich**.' },
      { at: T0 + 10 * MINUTE, type: 'internal-note', by: 'Erika', text: 'Toner aus Lager 3' },
      { at: T0 + 11 * MINUTE, type: 'escalated', by: 'Erika', queue: 'network', level: 2, text: 'Netzwerk?' },
      { at: T0 + 20 * MINUTE, type: 'resolved', by: 'Erika', text: 'Toner getauscht' },
      { at: T0 + 21 * MINUTE, type: 'rated', by: 'web:3f9a51c2-0b7e-4c1d-9a55-aa12bc34de7f', text: '4' },
    ],
  };
}

describe('the console view of a ticket', () => {
  it('names the queue and the intake details with the configuration’s words, in form order', () => {
    const view = ticketView(webTicket(), labels, knowledge);
    expect(view.queueName).toEqual({ de: 'Arbeitsplatz und Geräte', en: 'Workplace and devices' });
    expect(view.details.map((d) => d.name)).toEqual(['summary', 'impact', 'urgency', 'contact']);
    expect(view.details[0]).toMatchObject({ label: { de: 'Kurzbeschreibung', en: 'Summary' } });
    expect(view.details[1]).toMatchObject({
      label: { de: 'Betroffene', en: 'Who is affected' },
      value: 'team',
      valueLabel: { de: 'Ein Team', en: 'A team' },
    });
    expect(view.details[2]?.valueLabel).toEqual({ de: 'Behindert meine Arbeit', en: 'Hinders my work' });
    // Free text has no choice label: it is shown as typed.
    expect(view.details[3]?.valueLabel).toBeUndefined();
  });

  it('keeps a queue or field the configuration no longer knows readable as itself', () => {
    expect(labels.queueName('gone')).toEqual({ de: 'gone', en: 'gone' });
    expect(labels.details({ colour: 'blue' })).toEqual([
      { name: 'colour', label: { de: 'colour', en: 'colour' }, value: 'blue', valueLabel: undefined },
    ]);
  });

  it('lists every queue with its names for escalation', () => {
    const queues = labels.queues();
    expect(queues.map((q) => q.id)).toContain('network');
    expect(queues.find((q) => q.id === 'network')?.name).toEqual({
      de: 'Netzwerk und VPN',
      en: 'Network and VPN',
    });
  });

  it('shows a customer by name, or by a short reference, never by the raw id', () => {
    const web = customerLabel(webTicket().customer, 'web');
    expect(web).toEqual({ name: undefined, channel: 'web', ref: 'de7f' });
    expect(JSON.stringify(web)).not.toContain('web:');
    expect(customerLabel({ id: 'slack:T1:U0ABCD12', name: 'Max Muster' }, 'slack')).toEqual({
      name: 'Max Muster',
      channel: 'slack',
      ref: 'cd12',
    });
    expect(customerLabel({ id: 'teams:::', name: '  ' }, 'teams')).toEqual({
      name: undefined,
      channel: 'teams',
      ref: '?',
    });
  });

  it('reads as one thread, oldest first: before the hand-off, the customer after it, agents, notes and changes', () => {
    const thread = ticketThread(webTicket(), labels);
    expect(thread.map((item) => (item.kind === 'message' ? item.from : item.event))).toEqual([
      'customer',
      'bot',
      'customer',
      'created',
      'customer',
      'claimed',
      'agent',
      'agent',
      'escalated',
      'resolved',
      'rated',
    ]);
    expect(thread[4]).toMatchObject({ kind: 'message', from: 'customer', text: 'Raum 2.14' });
    expect(thread[6]).toMatchObject({ kind: 'message', name: 'Erika', text: 'Ich komme **gleich**.' });
    expect(thread[6]).not.toHaveProperty('internal', true);
    expect(thread[7]).toMatchObject({ kind: 'message', internal: true, text: 'Toner aus Lager 3' });
    expect(thread[3]).toMatchObject({ kind: 'status', reason: 'person' });
    expect(thread[8]).toMatchObject({
      kind: 'status',
      by: 'Erika',
      note: 'Netzwerk?',
      queue: { de: 'Netzwerk und VPN', en: 'Network and VPN' },
    });
    expect(thread[9]).toMatchObject({ kind: 'status', by: 'Erika', note: 'Toner getauscht' });
    // A customer's own event never carries their raw id.
    expect(thread[10]).toMatchObject({ kind: 'status', rating: 4, by: undefined });
    expect(JSON.stringify(thread)).not.toContain('web:');
  });

  it('keeps only FAQ entries among the candidates, titled in both languages', () => {
    const candidates = faqCandidates(webTicket(), knowledge);
    expect(candidates.map((c) => c.id)).toEqual(['printer-not-printing']);
    const entry = candidates[0];
    expect(entry?.score).toBe(0.61);
    expect(entry?.title.de).toBe(knowledge.get('printer-not-printing', 'de')?.title);
    expect(entry?.title.en).toBe(knowledge.get('printer-not-printing', 'en')?.title);
    expect(entry?.title.de).not.toBe(entry?.title.en);
  });

  it('has no candidates left when the bot only heard the wish for a person', () => {
    const ticket = { ...webTicket(), candidates: [webTicket().candidates[0]].filter((c) => c !== undefined) };
    expect(faqCandidates(ticket, knowledge)).toEqual([]);
  });
});
