import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Clock } from '../../core/clock.ts';
import { systemClock } from '../../core/clock.ts';
import { SupportBotError } from '../../core/errors.ts';
import type { Reply } from '../../core/reply.ts';
import type { WebEvent, WebEventStore } from './web-event-store.ts';

interface ConversationEvents {
  next: number;
  touchedAt: number;
  events: WebEvent[];
}

interface FileShape {
  version: 1;
  conversations: Record<string, ConversationEvents>;
}

export interface WebEventLogOptions {
  /** Directory for `web-events.json`; in memory only when absent. */
  dataDir?: string | undefined;
  clock?: Clock | undefined;
  /** Events kept per conversation (oldest dropped first). */
  maxEventsPerConversation?: number | undefined;
  /** Conversations untouched this long are forgotten. */
  retentionMs?: number | undefined;
}

/**
 * Keeps pushed replies for web conversations until the page fetches them. The page polls with
 * a cursor, so events are kept (bounded) rather than removed on read: a second tab or a reload
 * still sees them. Written to one JSON file, atomically (write then rename), one write at a time.
 */
export class WebEventLog implements WebEventStore {
  private data: FileShape = { version: 1, conversations: {} };
  private readonly file: string | undefined;
  private readonly clock: Clock;
  private readonly maxEvents: number;
  private readonly retentionMs: number;
  private writing: Promise<void> = Promise.resolve();
  private readonly waiters = new Map<string, Set<() => void>>();

  private constructor(options: WebEventLogOptions) {
    this.file = options.dataDir ? join(options.dataDir, 'web-events.json') : undefined;
    this.clock = options.clock ?? systemClock;
    this.maxEvents = options.maxEventsPerConversation ?? 200;
    this.retentionMs = options.retentionMs ?? 14 * 24 * 3_600_000;
  }

  static async open(options: WebEventLogOptions = {}): Promise<WebEventLog> {
    const log = new WebEventLog(options);
    await log.load();
    return log;
  }

  async has(conversationId: string): Promise<boolean> {
    return this.knows(conversationId);
  }

  async touch(conversationId: string): Promise<void> {
    if (this.knows(conversationId)) return;
    this.data.conversations[conversationId] = { next: 1, touchedAt: this.clock.now(), events: [] };
    await this.persist();
  }

  async append(conversationId: string, replies: Reply[]): Promise<WebEvent[]> {
    const now = this.clock.now();
    const conv = this.data.conversations[conversationId] ?? { next: 1, touchedAt: now, events: [] };
    const added = replies.map((reply) => ({ seq: conv.next++, at: now, reply }));
    conv.events.push(...added);
    if (conv.events.length > this.maxEvents) conv.events.splice(0, conv.events.length - this.maxEvents);
    conv.touchedAt = now;
    this.data.conversations[conversationId] = conv;
    await this.persist();
    for (const wake of this.waiters.get(conversationId) ?? []) wake();
    return added;
  }

  async since(conversationId: string, after: number): Promise<{ events: WebEvent[]; cursor: number }> {
    return this.read(conversationId, after);
  }

  private knows(conversationId: string): boolean {
    return Object.hasOwn(this.data.conversations, conversationId);
  }

  private read(conversationId: string, after: number): { events: WebEvent[]; cursor: number } {
    const conv = this.data.conversations[conversationId];
    if (!conv) return { events: [], cursor: after };
    const events = conv.events.filter((e) => e.seq > after);
    return { events, cursor: Math.max(after, conv.next - 1) };
  }

  waitFor(conversationId: string, after: number, ms: number): Promise<void> {
    if (this.read(conversationId, after).events.length > 0) return Promise.resolve();
    return new Promise((resolve) => {
      const set = this.waiters.get(conversationId) ?? new Set();
      const done = () => {
        clearTimeout(timer);
        set.delete(done);
        if (set.size === 0) this.waiters.delete(conversationId);
        resolve();
      };
      const timer = setTimeout(done, ms);
      set.add(done);
      this.waiters.set(conversationId, set);
    });
  }

  wakeAll(): void {
    for (const set of this.waiters.values()) for (const wake of [...set]) wake();
  }

  /** Waits for the last write to reach the disk. */
  flush(): Promise<void> {
    return this.writing;
  }

  async close(): Promise<void> {
    this.wakeAll();
    await this.flush();
  }

  private async load(): Promise<void> {
    if (!this.file) return;
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw new SupportBotError('web_events_unreadable', `cannot read ${this.file}`, { cause: error });
    }
    try {
      const parsed = JSON.parse(text) as FileShape;
      if (parsed.version !== 1 || typeof parsed.conversations !== 'object') throw new Error('unknown format');
      this.data = parsed;
    } catch (error) {
      throw new SupportBotError('web_events_corrupt', `${this.file} is not a web event file`, {
        cause: error,
      });
    }
    this.prune();
  }

  private prune(): void {
    const cutoff = this.clock.now() - this.retentionMs;
    for (const [id, conv] of Object.entries(this.data.conversations)) {
      if (conv.touchedAt < cutoff) delete this.data.conversations[id];
    }
  }

  private persist(): Promise<void> {
    const file = this.file;
    if (!file) return Promise.resolve();
    this.prune();
    const snapshot = JSON.stringify(this.data);
    // Serialised: each write starts after the previous one, and the last snapshot wins.
    const write = this.writing.then(async () => {
      await mkdir(dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      await writeFile(tmp, snapshot, 'utf8');
      await rename(tmp, file);
    });
    // The caller sees a failed write through `write`; the chain itself must go on for the next one.
    this.writing = write.then(
      () => undefined,
      () => undefined,
    );
    return write;
  }
}
