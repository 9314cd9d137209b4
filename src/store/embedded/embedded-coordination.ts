import type { KnowledgeRevision, KnowledgeStore, SlaTimer, SlaTimerStore } from '../../core/ports.ts';
import { knowledgeKey } from './coordination-state.ts';
import type { EmbeddedState } from './embedded-state.ts';
import type { Mutation } from './mutation.ts';

type Commit = (m: Mutation) => void;

/** The SLA timers and knowledge versions of the embedded store. */
export function embeddedCoordinationPorts(
  state: EmbeddedState,
  commit: Commit,
  now: () => number,
  warn: (message: string) => void,
): { slaTimers: SlaTimerStore; knowledge: KnowledgeStore } {
  const timers = state.slaTimers;
  const slaTimers: SlaTimerStore = {
    async schedule(timer) {
      commit({ t: 'sla.set', ticketId: timer.ticketId, name: timer.name, dueAt: timer.dueAt });
    },
    async cancel(ticketId, name) {
      if (timers.has(ticketId, name)) commit({ t: 'sla.del', ticketId, name });
    },
    async claimDue(at, leaseMs, limit = 100) {
      const due = [...timers.timers.values()]
        .filter((t) => t.dueAt <= at && (t.leasedUntil ?? 0) <= at)
        .sort((a, b) => a.dueAt - b.dueAt)
        .slice(0, limit);
      for (const timer of due) timer.leasedUntil = at + leaseMs;
      return due.map(({ ticketId, name, dueAt }): SlaTimer => ({ ticketId, name, dueAt }));
    },
    async done(ticketId, name) {
      if (timers.has(ticketId, name)) commit({ t: 'sla.del', ticketId, name });
    },
    async list() {
      return [...timers.timers.values()]
        .map(({ ticketId, name, dueAt }): SlaTimer => ({ ticketId, name, dueAt }))
        .sort((a, b) => a.dueAt - b.dueAt || (a.ticketId < b.ticketId ? -1 : 1));
    },
  };

  const knowledgeListeners = new Set<(version: number) => void>();
  const knowledgeChange = (revision: Omit<KnowledgeRevision, 'version' | 'at'>): KnowledgeRevision => {
    const [full] = knowledgeChanges([revision]);
    return full as KnowledgeRevision;
  };
  const knowledgeChanges = (
    changes: readonly Omit<KnowledgeRevision, 'version' | 'at'>[],
  ): KnowledgeRevision[] => {
    const version = state.knowledge.version + 1;
    const at = now();
    const revisions: KnowledgeRevision[] = changes.map((c) => structuredClone({ ...c, version, at }));
    if (revisions.length === 1) commit({ t: 'knowledge', revision: revisions[0] as KnowledgeRevision });
    else commit({ t: 'knowledge.many', revisions });
    notify(version);
    return structuredClone(revisions);
  };
  const notify = (version: number): void => {
    for (const listener of knowledgeListeners) {
      try {
        listener(version);
      } catch (error) {
        warn(`a knowledge change listener failed: ${String(error)}`);
      }
    }
  };
  const knowledge: KnowledgeStore = {
    async current() {
      const revisions = [...state.knowledge.current.values()];
      return {
        version: state.knowledge.version,
        entries: revisions.flatMap((r) => (r.entry ? [structuredClone(r.entry)] : [])),
        removed: revisions.filter((r) => !r.entry).map((r) => ({ id: r.id, language: r.language })),
      };
    },
    async save(entry, actor) {
      return knowledgeChange({ actor, id: entry.id, language: entry.language, entry });
    },
    async remove(id, language, actor) {
      return knowledgeChange({ actor, id, language });
    },
    async saveMany(entries, actor) {
      if (entries.length === 0) return [];
      return knowledgeChanges(
        entries.map((entry) => ({ actor, id: entry.id, language: entry.language, entry })),
      );
    },
    async history(id, language) {
      return structuredClone(state.knowledge.history.get(knowledgeKey(id, language)) ?? []);
    },
    onChange(listener) {
      knowledgeListeners.add(listener);
      return () => {
        knowledgeListeners.delete(listener);
      };
    },
  };

  return { slaTimers, knowledge };
}
