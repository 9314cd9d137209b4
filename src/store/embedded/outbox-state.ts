import type { NewOutboxItem, Outbox, OutboxItem } from '../../core/outbox-port.ts';
import { storeDefaults } from '../store-options.ts';
import type { Mutation } from './mutation.ts';

interface StoredItem extends NewOutboxItem {
  at: number;
  attempts: number;
}

interface Lane {
  items: StoredItem[];
  /** The first item waits until then after a failure. */
  retryAt: number;
}

/**
 * The embedded outbox: lanes of items in the order added, journalled like everything else.
 * Leases are in memory only: one process owns an embedded data directory, and after a restart
 * nothing is leased (what was handed out and not finished comes out again, marked interrupted).
 */
export class OutboxState {
  readonly lanes = new Map<string, Lane>();
  /** Ids of items waiting, so an item added twice is kept once. */
  private readonly waiting = new Set<string>();
  /** Ids of delivered items, until they expire. */
  readonly done = new Map<string, number>();

  apply(m: Mutation): boolean {
    switch (m.t) {
      case 'outbox.add':
        for (const item of m.items) {
          if (this.waiting.has(item.id) || this.done.has(item.id)) continue;
          const lane = this.lanes.get(item.lane) ?? { items: [], retryAt: 0 };
          lane.items.push({ ...item, attempts: item.attempts ?? 0 });
          if (m.retryAt !== undefined) lane.retryAt = Math.max(lane.retryAt, m.retryAt);
          this.lanes.set(item.lane, lane);
          this.waiting.add(item.id);
        }
        return true;
      case 'outbox.done': {
        this.done.set(m.id, m.exp);
        if (m.lane === undefined) return true;
        const lane = this.lanes.get(m.lane);
        if (lane?.items[0]?.id === m.id) {
          lane.items.shift();
          lane.retryAt = 0;
          this.waiting.delete(m.id);
          if (lane.items.length === 0) this.lanes.delete(m.lane);
        }
        return true;
      }
      case 'outbox.retry': {
        const lane = this.lanes.get(m.lane);
        const head = lane?.items[0];
        if (lane && head?.id === m.id) {
          if (m.failed !== false) head.attempts += 1;
          lane.retryAt = m.retryAt;
        }
        return true;
      }
      default:
        return false;
    }
  }

  /** Drops every waiting item of the lanes `drop` picks; returns how many. */
  dropLanes(drop: (lane: string) => boolean): number {
    let dropped = 0;
    for (const [name, lane] of this.lanes) {
      if (!drop(name)) continue;
      for (const item of lane.items) this.waiting.delete(item.id);
      dropped += lane.items.length;
      this.lanes.delete(name);
    }
    return dropped;
  }

  sweep(now: number): void {
    for (const [id, exp] of this.done) if (exp <= now) this.done.delete(id);
  }

  *snapshot(now: number): Generator<Mutation> {
    for (const lane of this.lanes.values()) {
      yield { t: 'outbox.add', items: lane.items, retryAt: lane.retryAt || undefined };
    }
    for (const [id, exp] of this.done) if (exp > now) yield { t: 'outbox.done', id, exp };
  }
}

/** The Outbox port over the embedded state; `commit` journals and applies a mutation. */
export function embeddedOutbox(state: OutboxState, commit: (m: Mutation) => void, now: () => number): Outbox {
  const leases = new Map<string, { consumer: string; until: number; id: string }>();
  /** Items handed out and not finished: handed out again, they are marked interrupted. */
  const unfinished = new Set<string>();
  /** A consumer whose lease ran out (another holds the lane now) frees nothing. */
  const release = (lane: string, consumer: string): void => {
    if (leases.get(lane)?.consumer === consumer) leases.delete(lane);
  };
  return {
    async add(items) {
      const at = now();
      const fresh = items.filter((i) => !state.done.has(i.id));
      if (fresh.length > 0) commit({ t: 'outbox.add', items: fresh.map((i) => ({ ...i, at, attempts: 0 })) });
    },
    async take(consumer, max, leaseMs) {
      const at = now();
      const out: OutboxItem[] = [];
      for (const [name, lane] of state.lanes) {
        if (out.length >= max) break;
        const head = lane.items[0];
        if (!head || lane.retryAt > at) continue;
        const lease = leases.get(name);
        if (lease && lease.until > at) continue;
        leases.set(name, { consumer, until: at + leaseMs, id: head.id });
        out.push({ ...structuredClone(head), interrupted: unfinished.has(head.id) });
        unfinished.add(head.id);
      }
      return out;
    },
    async done(item, consumer) {
      release(item.lane, consumer);
      unfinished.delete(item.id);
      commit({ t: 'outbox.done', lane: item.lane, id: item.id, exp: now() + storeDefaults.outboxDoneTtlMs });
    },
    async retry(item, consumer, retryAt, failed = true) {
      release(item.lane, consumer);
      unfinished.delete(item.id);
      commit({ t: 'outbox.retry', lane: item.lane, id: item.id, retryAt, ...(failed ? {} : { failed }) });
    },
    async extend(items, consumer, leaseMs) {
      const until = now() + leaseMs;
      for (const item of items) {
        const lease = leases.get(item.lane);
        if (lease?.consumer === consumer) lease.until = until;
      }
    },
    async size() {
      const at = now();
      let items = 0;
      let retrying = 0;
      for (const lane of state.lanes.values()) {
        items += lane.items.length;
        if (lane.retryAt > at) retrying += 1;
      }
      return { items, retrying };
    },
  };
}
