import type { KnowledgeRevision, SlaTimer } from '../../core/ports.ts';
import type { Mutation } from './mutation.ts';

/** Revisions kept per FAQ entry. */
const MAX_REVISIONS = 50;

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
