import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { StoreError } from '../../core/errors.ts';
import { LEGACY_REVISION, type Stores, type UnansweredQuestion } from '../../core/ports.ts';
import type { Ticket } from '../../core/ticket.ts';
import { ticketFigures } from '../../core/ticket-figures.ts';
import type { WebEvent } from '../../core/web-ports.ts';
import { memoryRateLimits } from '../rate-limits.ts';
import { defaultStoreWarn, type StoreOptions, storeDefaults, systemStoreClock } from '../store-options.ts';
import { compareNewestFirst, listingOf, matchesTicketFilter } from '../ticket-listing.ts';
import { appendedLines, withLines } from '../transcript-lines.ts';
import { embeddedAdminPorts } from './embedded-admin-ports.ts';
import { embeddedAnnouncements } from './embedded-announcements.ts';
import { embeddedCoordinationPorts } from './embedded-coordination.ts';
import { EmbeddedState } from './embedded-state.ts';
import { embeddedWebPorts } from './embedded-web-ports.ts';
import { Journal } from './journal.ts';
import { jsonCopy } from './json-copy.ts';
import type { Mutation } from './mutation.ts';
import { embeddedOutbox } from './outbox-state.ts';

export interface EmbeddedStoreOptions extends StoreOptions {
  /** Local data directory; without it everything stays in memory (tests, throwaway runs). */
  dataDir?: string | undefined;
  /** Journal size that triggers compaction into a snapshot. Default 64 MiB. */
  compactAfterBytes?: number | undefined;
}

/**
 * The default stores: no server needed. State lives in memory; with a data directory every change
 * is journalled before the call returns (see journal.ts for what that does and does not survive).
 * One process per data directory (a lock file enforces it); several processes need Redis.
 */
export async function createEmbeddedStores(options: EmbeddedStoreOptions = {}): Promise<Stores> {
  const clock = options.clock ?? systemStoreClock;
  const ttl = options.conversationTtlMs ?? storeDefaults.conversationTtlMs;
  const warn = options.warn ?? defaultStoreWarn;
  const state = new EmbeddedState(options.listCap ?? storeDefaults.listCap);
  const journal = options.dataDir
    ? Journal.open(options.dataDir, state, {
        now: () => clock.now(),
        warn,
        compactAfterBytes: options.compactAfterBytes,
      })
    : undefined;
  let closed = false;
  /** A ticket lost its personal data since the files were last rewritten (see personalData). */
  let ticketTextInJournal = false;

  const commit = (m: Mutation): void => {
    if (closed) throw new StoreError('store_closed', 'The store is closed.');
    // Journal first: if the write fails, memory is unchanged and the caller sees the error.
    journal?.append(m);
    state.apply(m);
  };

  // Revisions are unique per write: a random part per opening, counted up per write.
  const revisionTag = randomBytes(6).toString('base64url');
  let revisions = 0;
  const webPorts = embeddedWebPorts(state, commit, () => clock.now());
  if (options.dataDir) importWebEventFile(options.dataDir, commit, warn);

  const sweepTimer = setInterval(() => state.sweep(clock.now()), 60_000);
  sweepTimer.unref();

  return {
    conversations: {
      async get(id) {
        const stored = state.conversations.get(id);
        if (!stored) return undefined;
        if (stored.exp <= clock.now()) {
          state.conversations.delete(id);
          return undefined;
        }
        const { transcript, ...rest } = stored.conversation;
        const copy = withLines(jsonCopy(rest), transcript);
        copy.revision ??= LEGACY_REVISION;
        return copy;
      },
      async put(conversation) {
        const { id } = conversation;
        const stored = state.conversations.get(id);
        const live = stored && stored.exp > clock.now() ? stored : undefined;
        const current = live ? (live.conversation.revision ?? LEGACY_REVISION) : undefined;
        if (current !== conversation.revision) return 'conflict';
        const revision = `${revisionTag}.${(++revisions).toString(36)}`;
        // A copy with JSON's result, as a journal replay would give: the caller keeps its object.
        // The lines are copied (once) and frozen when the state takes them.
        const { transcript, ...fields } = conversation;
        const rest = { ...jsonCopy(fields), revision };
        const exp = clock.now() + ttl;
        // The usual turn adds a few lines to what it read: only those go to the journal.
        const change = live ? appendedLines(live.conversation.transcript, transcript) : undefined;
        if (change) commit({ t: 'conv.turn', id, exp, conversation: rest, ...change });
        else commit({ t: 'conv.put', id, exp, conversation: { ...rest, transcript } });
        conversation.revision = revision;
        return 'written';
      },
      async delete(id) {
        if (state.conversations.has(id)) commit({ t: 'conv.del', id });
      },
    },

    dedupe: {
      async firstSeen(key, ttlMs) {
        const now = clock.now();
        const exp = state.dedupe.get(key);
        if (exp !== undefined && exp > now) return false;
        commit({ t: 'dedupe', key, exp: now + ttlMs });
        return true;
      },
    },

    tickets: {
      async nextId() {
        const n = state.ticketSeq + 1;
        // Noted outside the journal first: a damaged journal can never hand this id out again.
        journal?.noteTicketNumber(n);
        commit({ t: 'ticket.seq', n });
        return `${storeDefaults.ticketPrefix}${n}`;
      },
      async create(ticket) {
        if (state.tickets.has(ticket.id)) {
          throw new StoreError('ticket_exists', `Ticket ${ticket.id} exists already.`);
        }
        commit({
          t: 'ticket.put',
          json: JSON.stringify(ticket),
          listing: listingOf(ticket),
          figures: ticketFigures(ticket),
        });
      },
      async get(id) {
        const stored = state.tickets.get(id);
        return stored ? (JSON.parse(stored.json) as Ticket) : undefined;
      },
      async update(id, change) {
        // No await between read and write: nothing else runs in between, so this is atomic.
        const stored = state.tickets.get(id);
        if (!stored) return undefined;
        const before = JSON.parse(stored.json) as Ticket;
        const wasErased = before.personalDataErasedAt !== undefined;
        const next = change(before);
        // Its old lines in the journal still hold the text: the next expiry rewrites the files.
        if (!wasErased && next.personalDataErasedAt !== undefined) ticketTextInJournal = true;
        if (next.id !== id) {
          throw new StoreError('ticket_id_changed', `An update may not change the id of ${id}.`);
        }
        const json = JSON.stringify(next);
        commit({ t: 'ticket.put', json, listing: listingOf(next), figures: ticketFigures(next) });
        return JSON.parse(json) as Ticket;
      },
      async list(filter) {
        const found = [...state.tickets.values()]
          .filter((t) => matchesTicketFilter(t.listing, filter))
          .sort((a, b) => compareNewestFirst(a.listing, b.listing));
        return found.map((t) => JSON.parse(t.json) as Ticket);
      },
      async listFigures(filter) {
        return [...state.tickets.values()]
          .filter((t) => matchesTicketFilter(t.listing, filter))
          .sort((a, b) => compareNewestFirst(a.listing, b.listing))
          .map((t) => ({ ...t.figures }));
      },
    },

    queues: {
      async enqueue(queue, ticketId) {
        if (!state.queues.get(queue)?.has(ticketId)) commit({ t: 'queue.add', queue, id: ticketId });
      },
      async remove(queue, ticketId) {
        if (state.queues.get(queue)?.has(ticketId)) commit({ t: 'queue.rm', queue, id: ticketId });
      },
      async position(queue, ticketId) {
        let position = 0;
        for (const id of state.queues.get(queue) ?? []) {
          position++;
          if (id === ticketId) return position;
        }
        return undefined;
      },
      async list(queue) {
        return [...(state.queues.get(queue) ?? [])];
      },
    },

    feedback: {
      async add(feedback) {
        commit({ t: 'feedback', item: { ...feedback } });
      },
      async list(limit = Number.POSITIVE_INFINITY) {
        return state.feedback.newest(limit).map((f) => ({ ...f }));
      },
    },

    unanswered: {
      async add(question) {
        const n = state.unansweredSeq + 1;
        const item: UnansweredQuestion = structuredClone({ ...question, id: `UQ-${n}`, status: 'open' });
        commit({ t: 'unanswered.add', n, item });
        return structuredClone(item);
      },
      async list(status) {
        const out: UnansweredQuestion[] = [];
        for (const q of state.unanswered.values()) {
          if (status === undefined || q.status === status) out.push(structuredClone(q));
        }
        return out.reverse();
      },
      async setStatus(id, status) {
        const q = state.unanswered.get(id);
        if (q && q.status !== status) commit({ t: 'unanswered.status', id, status });
      },
    },

    audit: {
      async append(event) {
        commit({ t: 'audit', item: { ...event } });
      },
      async list(limit = Number.POSITIVE_INFINITY) {
        return state.audit.newest(limit).map((e) => ({ ...e }));
      },
    },

    counters: {
      async increment(name, day, by = 1) {
        commit({ t: 'counter', name, day, by });
      },
      async get(day) {
        return { ...(state.counters.get(day) ?? {}) };
      },
    },

    ...embeddedCoordinationPorts(state, commit, () => clock.now(), warn),
    ...webPorts,
    limits: memoryRateLimits(),
    ...embeddedAdminPorts(state, commit, warn),
    outbox: embeddedOutbox(state.outbox, commit, () => clock.now()),
    announcements: embeddedAnnouncements(state.announcements, state.announcementLinks, commit, revisionTag),

    personalData: {
      async erase(request) {
        commit({
          t: 'personal.erase',
          conversationIds: [...request.conversationIds],
          ticketIds: [...request.ticketIds],
        });
        const erased = state.lastErased;
        // The journal still holds the old lines (and tickets' old versions): rewritten without them.
        if (options.dataDir) forgetOldFiles(options.dataDir);
        journal?.compact();
        ticketTextInJournal = false;
        return erased;
      },
      async expire(cutoff) {
        commit({ t: 'personal.expire', cutoff });
        const expired = state.lastErased;
        // Rewritten only when something went, not on every (hourly) sweep.
        if (ticketTextInJournal || Object.values(expired).some((n) => n > 0)) journal?.compact();
        ticketTextInJournal = false;
        return expired;
      },
    },

    health() {
      return closed ? { status: 'degraded', detail: 'store closed' } : { status: 'ok' };
    },

    async close() {
      if (closed) return;
      closed = true;
      clearInterval(sweepTimer);
      webPorts.webEvents.wakeAll();
      journal?.close();
    },
  };
}

/** Copies an erasure must not leave behind: web replies imported from an earlier version. */
function forgetOldFiles(dataDir: string): void {
  fs.rmSync(path.join(dataDir, 'web-events.json.imported'), { force: true });
}

/**
 * Earlier versions kept pushed web replies in `web-events.json`; they move into the journal once,
 * and the file is renamed so the import never runs twice.
 */
function importWebEventFile(dataDir: string, commit: (m: Mutation) => void, warn: (m: string) => void): void {
  const file = path.join(dataDir, 'web-events.json');
  if (!fs.existsSync(file)) return;
  try {
    const parsed = JSON.parse(fs.readFileSync(file, 'utf8')) as {
      conversations?: Record<string, { next: number; touchedAt: number; events: WebEvent[] }>;
    };
    for (const [id, conv] of Object.entries(parsed.conversations ?? {})) {
      commit({ t: 'web.conv', id, last: conv.next - 1, touchedAt: conv.touchedAt, events: conv.events });
    }
    fs.renameSync(file, `${file}.imported`);
  } catch (error) {
    warn(`${file} could not be imported and is left in place: ${String(error)}`);
  }
}
