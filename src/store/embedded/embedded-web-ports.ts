import type { ResponseStore } from '../../core/ports.ts';
import type { Reply } from '../../core/reply.ts';
import type { WebAccessStore, WebEvent, WebEventStore } from '../../core/web-ports.ts';
import type { EmbeddedState } from './embedded-state.ts';
import { jsonCopy } from './json-copy.ts';
import type { Mutation } from './mutation.ts';

/**
 * The web chat's ports on the embedded store: pushed replies (one journal line per push, so a
 * new conversation costs one small append, not a rewrite of a file) and remembered answers.
 * Long polls wait in this process, which is the only one on an embedded data directory.
 */
export function embeddedWebPorts(
  state: EmbeddedState,
  commit: (m: Mutation) => void,
  now: () => number,
): { webEvents: WebEventStore; webAccess: WebAccessStore; responses: ResponseStore } {
  const waiters = new Map<string, Set<() => void>>();
  const read = (id: string, after: number): { events: WebEvent[]; cursor: number } => {
    const conv = state.webEvents.conversations.get(id);
    if (!conv) return { events: [], cursor: after };
    return {
      events: conv.events.filter((e) => e.seq > after).map(jsonCopy),
      cursor: Math.max(after, conv.last),
    };
  };

  const webEvents: WebEventStore = {
    async has(id) {
      return state.webEvents.conversations.has(id);
    },
    async touch(id) {
      commit({ t: 'web.touch', id, at: now() });
    },
    async append(id, replies: Reply[]) {
      if (replies.length === 0) return [];
      const before = state.webEvents.conversations.get(id)?.last ?? 0;
      commit({ t: 'web.add', id, at: now(), replies: jsonCopy(replies) });
      for (const wake of [...(waiters.get(id) ?? [])]) wake();
      return read(id, before).events;
    },
    async since(id, after) {
      return read(id, after);
    },
    waitFor(id, after, ms) {
      if (read(id, after).events.length > 0) return Promise.resolve();
      return new Promise((resolve) => {
        const set = waiters.get(id) ?? new Set();
        const done = (): void => {
          clearTimeout(timer);
          set.delete(done);
          if (set.size === 0) waiters.delete(id);
          resolve();
        };
        const timer = setTimeout(done, ms);
        set.add(done);
        waiters.set(id, set);
      });
    },
    wakeAll() {
      for (const set of waiters.values()) for (const wake of [...set]) wake();
    },
  };

  const webAccess: WebAccessStore = {
    async issue(id, access) {
      if (state.webEvents.access.has(id)) return false;
      commit({ t: 'web.issue', id, access: jsonCopy(access) });
      return true;
    },
    async get(id) {
      const access = state.webEvents.access.get(id);
      return access && jsonCopy(access);
    },
    async forget(id) {
      commit({ t: 'web.forget', id });
      for (const wake of [...(waiters.get(id) ?? [])]) wake();
    },
  };

  const responses: ResponseStore = {
    async get(key) {
      const stored = state.responses.get(key);
      return stored && stored.exp > now() ? jsonCopy(stored.value) : undefined;
    },
    async put(key, value, ttlMs) {
      const stored = state.responses.get(key);
      if (stored && stored.exp > now()) return;
      if (stored) state.responses.delete(key);
      commit({ t: 'response', key, value: jsonCopy(value), exp: now() + ttlMs });
    },
  };
  return { webEvents, webAccess, responses };
}
