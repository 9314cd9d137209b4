import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Conversation, IntakeState } from '../../../src/core/conversation.ts';
import { type OwnerEvent, transition } from '../../../src/core/owner-transition.ts';

const base: Conversation = {
  id: 'web:c',
  ref: { channel: 'web', conversationId: 'web:c', address: {} },
  customer: { id: 'web:c' },
  owner: 'bot',
  language: 'de',
  transcript: [],
  rephraseAsked: true,
  problems: [{ text: 'Drucker druckt nicht', candidates: [] }],
  lastAnsweredEntryId: 'printer',
  createdAt: 0,
  updatedAt: 0,
};
const intake: IntakeState = { queue: 'general', values: {}, skipped: [], billable: false, attempts: 0 };
const waiting = (ticketId = 'SUP-1001'): Conversation => ({ ...base, owner: 'queued', ticketId });

describe('transition: who speaks for a conversation', () => {
  it('walks a whole hand-off: intake, ticket, agent, resolved, a new topic', () => {
    let c = transition(base, { type: 'intake-started', intake });
    expect(c).toMatchObject({ owner: 'intake', intake });
    c = transition(c, { type: 'ticket-opened', ticketId: 'SUP-1001', taken: false });
    expect(c).toMatchObject({
      owner: 'queued',
      ticketId: 'SUP-1001',
      intake: undefined,
      problems: undefined,
    });
    c = transition(c, { type: 'ticket-taken', ticketId: 'SUP-1001' });
    expect(c.owner).toBe('agent');
    c = transition(c, { type: 'ticket-waiting', ticketId: 'SUP-1001' });
    expect(c.owner).toBe('queued');
    c = transition(c, { type: 'ticket-resolved', ticketId: 'SUP-1001' });
    expect(c).toMatchObject({ owner: 'closed', pending: { kind: 'rating', ticketId: 'SUP-1001' } });
    c = transition(c, { type: 'new-topic' });
    expect(c).toMatchObject({
      owner: 'bot',
      ticketId: undefined,
      pending: undefined,
      problems: undefined,
      rephraseAsked: false,
      lastAnsweredEntryId: undefined,
    });
  });

  it('never changes its input', () => {
    const before = structuredClone(waiting());
    const input = waiting();
    transition(input, { type: 'ticket-given-back', ticketId: 'SUP-1001' });
    expect(input).toEqual(before);
  });

  it('ignores a late event about a ticket the conversation no longer waits for', () => {
    // The customer withdrew SUP-1001 and asked something else; the agent's claim arrives late.
    const moved = transition(waiting(), { type: 'ticket-withdrawn', ticketId: 'SUP-1001' });
    expect(moved.owner).toBe('bot');
    for (const late of [
      { type: 'ticket-taken', ticketId: 'SUP-1001' },
      { type: 'ticket-resolved', ticketId: 'SUP-1001' },
      { type: 'ticket-waiting', ticketId: 'SUP-1001' },
      { type: 'ticket-given-back', ticketId: 'SUP-1001' },
    ] satisfies OwnerEvent[]) {
      expect(transition(moved, late)).toBe(moved);
    }
    // Another ticket's events do not touch this one's conversation.
    expect(transition(waiting('SUP-1002'), { type: 'ticket-taken', ticketId: 'SUP-1001' }).owner).toBe(
      'queued',
    );
  });

  it('opens a ticket only out of intake, and starts intake only where the bot speaks', () => {
    const queued = waiting();
    expect(transition(queued, { type: 'ticket-opened', ticketId: 'SUP-2000', taken: false })).toBe(queued);
    expect(transition(queued, { type: 'intake-started', intake })).toBe(queued);
    expect(transition({ ...base, owner: 'agent', ticketId: 'SUP-1' }, { type: 'intake-ended' }).owner).toBe(
      'agent',
    );
  });

  it('recovers a ticket from a refused change unless the conversation waits for one of its own', () => {
    for (const owner of ['bot', 'intake', 'closed'] as const) {
      const from: Conversation = { ...base, owner, intake: owner === 'intake' ? intake : undefined };
      expect(transition(from, { type: 'ticket-recovered', ticketId: 'SUP-7', taken: false })).toMatchObject({
        owner: 'queued',
        ticketId: 'SUP-7',
        intake: undefined,
        problems: undefined,
      });
    }
    expect(transition(base, { type: 'ticket-recovered', ticketId: 'SUP-7', taken: true }).owner).toBe(
      'agent',
    );
    const own = waiting('SUP-6');
    expect(transition(own, { type: 'ticket-recovered', ticketId: 'SUP-7', taken: true })).toBe(own);
  });
});

describe('one place writes the owner', () => {
  it('no file in src/ but owner-transition.ts assigns a conversation owner', () => {
    const offenders: string[] = [];
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        if (statSync(path).isDirectory()) walk(path);
        else if (path.endsWith('.ts') && !path.endsWith('owner-transition.ts')) {
          readFileSync(path, 'utf8')
            .split('\n')
            .forEach((line, i) => {
              if (/\.owner\s*=[^=]|\bowner:\s*'(intake|queued|agent|closed)'/.test(line))
                offenders.push(`${path}:${i + 1}`);
            });
        }
      }
    };
    walk(new URL('../../../src', import.meta.url).pathname);
    expect(offenders).toEqual([]);
  });
});
