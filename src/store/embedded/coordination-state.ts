import type { KnowledgeRevision, SlaTimer } from '../ports.ts';
import { storeDefaults } from '../store-options.ts';
import type { Mutation } from './mutation.ts';

const MAX_EVENTS = storeDefaults.maxEvents;
/** Revisions kept per FAQ entry. */
const MAX_REVISIONS = 50;

interface StoredEvent {
  n: number;
  type: string;
  payload: unknown;
  at: number;
}

interface GroupState {
  /** Every event up to here is acknowledged. */
  low: number;
  /** Acknowledged events above `low`. */
  acked: Set<number>;
  /** Handed out, not acknowledged: in memory only, so a restart hands them out again. */
  pending: Map<number, { consumer: string; at: number; deliveries: number }>;
  /** How often an event was handed out (in memory). */
  deliveries: Map<number, number>;
  /** Next event number to look at for new deliveries. */
  next: number;
}

/** The embedded event log: events by number, and per consumer group what was acknowledged. */
export class EventLogState {
  readonly events = new Map<number, StoredEvent>();
  last = 0;
  readonly groups = new Map<string, GroupState>();

  group(name: string): GroupState {
    let group = this.groups.get(name);
    if (!group) {
      group = { low: 0, acked: new Set(), pending: new Map(), deliveries: new Map(), next: 1 };
      this.groups.set(name, group);
    }
    return group;
  }

  apply(m: Mutation): boolean {
    switch (m.t) {
      case 'event.add':
        this.events.set(m.n, { n: m.n, type: m.type, payload: m.payload, at: m.at });
        this.last = Math.max(this.last, m.n);
        this.trim();
        return true;
      case 'event.ack': {
        const group = this.group(m.group);
        for (const n of m.ns) {
          group.pending.delete(n);
          group.deliveries.delete(n);
          if (n > group.low) group.acked.add(n);
        }
        while (group.acked.has(group.low + 1)) {
          group.low += 1;
          group.acked.delete(group.low);
        }
        group.next = Math.max(group.next, group.low + 1);
        this.trim();
        return true;
      }
      case 'event.group': {
        const group = this.group(m.group);
        group.low = Math.max(group.low, m.low);
        for (const n of m.acked) if (n > group.low) group.acked.add(n);
        group.next = Math.max(group.next, group.low + 1);
        return true;
      }
      default:
        return false;
    }
  }

  /**
   * Keeps the newest MAX_EVENTS, acknowledged or not, like a length-capped Redis Stream: a group
   * created later still finds what is in the log. Events are small (ids, not whole tickets).
   */
  private trim(): void {
    if (this.events.size <= MAX_EVENTS) return;
    const floor = this.last - MAX_EVENTS;
    for (const n of this.events.keys()) {
      if (n > floor) break;
      this.events.delete(n);
    }
  }

  *snapshot(): Generator<Mutation> {
    for (const e of this.events.values()) yield { t: 'event.add', ...e };
    for (const [group, state] of this.groups) {
      yield { t: 'event.group', group, low: state.low, acked: [...state.acked] };
    }
  }
}

/** Effect claims: pending with a lease, or done until a time. */
export class EffectState {
  readonly effects = new Map<string, { state: 'pending' | 'done'; until: number }>();

  apply(m: Mutation): boolean {
    if (m.t === 'effect') {
      this.effects.delete(m.key);
      this.effects.set(m.key, { state: m.state, until: m.until });
      return true;
    }
    if (m.t === 'effect.del') {
      this.effects.delete(m.key);
      return true;
    }
    return false;
  }

  /** Done claims past their time go; abandoned pending ones are kept a while so a retry is recognised. */
  sweep(now: number, pendingKeepMs: number): void {
    for (const [key, effect] of this.effects) {
      const end = effect.state === 'done' ? effect.until : effect.until + pendingKeepMs;
      if (end <= now) this.effects.delete(key);
    }
  }

  *snapshot(): Generator<Mutation> {
    for (const [key, effect] of this.effects) yield { t: 'effect', key, ...effect };
  }
}

const timerKey = (ticketId: string, name: string): string => `${ticketId}\u0000${name}`;

/** SLA timers; leases live in memory only (after a restart every due timer may be claimed again). */
export class SlaTimerState {
  readonly timers = new Map<string, SlaTimer & { leasedUntil?: number }>();

  apply(m: Mutation): boolean {
    if (m.t === 'sla.set') {
      this.timers.set(timerKey(m.ticketId, m.name), { ticketId: m.ticketId, name: m.name, dueAt: m.dueAt });
      return true;
    }
    if (m.t === 'sla.del') {
      if (m.name !== undefined) this.timers.delete(timerKey(m.ticketId, m.name));
      else for (const [key, timer] of this.timers) if (timer.ticketId === m.ticketId) this.timers.delete(key);
      return true;
    }
    return false;
  }

  has(ticketId: string, name?: string): boolean {
    if (name !== undefined) return this.timers.has(timerKey(ticketId, name));
    for (const timer of this.timers.values()) if (timer.ticketId === ticketId) return true;
    return false;
  }

  *snapshot(): Generator<Mutation> {
    for (const { ticketId, name, dueAt } of this.timers.values())
      yield { t: 'sla.set', ticketId, name, dueAt };
  }
}

export const knowledgeKey = (id: string, language: string): string => `${id}\u0000${language}`;

/** Runtime FAQ edits: the latest revision per entry and a short history. */
export class KnowledgeState {
  version = 0;
  readonly current = new Map<string, KnowledgeRevision>();
  readonly history = new Map<string, KnowledgeRevision[]>();

  apply(m: Mutation): boolean {
    if (m.t === 'knowledge.many') {
      for (const revision of m.revisions) this.#record(revision);
      return true;
    }
    if (m.t !== 'knowledge') return false;
    this.#record(m.revision);
    return true;
  }

  #record(revision: KnowledgeRevision): void {
    const key = knowledgeKey(revision.id, revision.language);
    this.version = Math.max(this.version, revision.version);
    this.current.set(key, revision);
    const revisions = this.history.get(key) ?? [];
    revisions.unshift(revision);
    if (revisions.length > MAX_REVISIONS) revisions.length = MAX_REVISIONS;
    this.history.set(key, revisions);
  }

  *snapshot(): Generator<Mutation> {
    // Oldest first, so replay rebuilds the same history order.
    const all = [...this.history.values()].flat().sort((a, b) => a.version - b.version);
    for (const revision of all) yield { t: 'knowledge', revision };
  }
}
