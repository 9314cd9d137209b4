import type { WebAccess, WebEvent } from '../../core/web-ports.ts';
import { storeDefaults } from '../store-options.ts';
import type { Mutation } from './mutation.ts';

interface ConversationEvents {
  /** Cursor of the last event ever pushed (kept events may start later). */
  last: number;
  touchedAt: number;
  events: WebEvent[];
}

/** The embedded state of pushed web replies: journalled like everything else, one line per push. */
export class WebEventState {
  /** Map order is last-touch order, which lets the sweep stop at the first live conversation. */
  readonly conversations = new Map<string, ConversationEvents>();
  /** Issued conversations' credentials (token hashes); forgotten with the conversation. */
  readonly access = new Map<string, WebAccess>();

  apply(m: Mutation): boolean {
    switch (m.t) {
      case 'web.touch': {
        const conv = this.conversations.get(m.id) ?? { last: 0, touchedAt: m.at, events: [] };
        this.set(m.id, { ...conv, touchedAt: m.at });
        return true;
      }
      case 'web.add': {
        const conv = this.conversations.get(m.id) ?? { last: 0, touchedAt: m.at, events: [] };
        for (const reply of m.replies) conv.events.push({ seq: ++conv.last, at: m.at, reply });
        const excess = conv.events.length - storeDefaults.webEventsPerConversation;
        if (excess > 0) conv.events.splice(0, excess);
        this.set(m.id, { ...conv, touchedAt: m.at });
        return true;
      }
      case 'web.conv':
        this.set(m.id, { last: m.last, touchedAt: m.touchedAt, events: m.events });
        return true;
      case 'web.issue': {
        if (this.access.has(m.id)) return true;
        this.access.set(m.id, m.access);
        const conv = this.conversations.get(m.id) ?? { last: 0, touchedAt: m.access.issuedAt, events: [] };
        this.set(m.id, conv);
        return true;
      }
      case 'web.forget':
        this.access.delete(m.id);
        this.conversations.delete(m.id);
        return true;
      default:
        return false;
    }
  }

  /** Forgets conversations untouched for the retention time. */
  sweep(now: number): void {
    const cutoff = now - storeDefaults.webEventRetentionMs;
    for (const [id, conv] of this.conversations) {
      if (conv.touchedAt >= cutoff) return;
      this.conversations.delete(id);
      this.access.delete(id);
    }
  }

  *snapshot(): Generator<Mutation> {
    for (const [id, conv] of this.conversations) {
      yield { t: 'web.conv', id, last: conv.last, touchedAt: conv.touchedAt, events: conv.events };
      const access = this.access.get(id);
      if (access) yield { t: 'web.issue', id, access };
    }
  }

  private set(id: string, conv: ConversationEvents): void {
    // Re-inserted so the map stays in touch order.
    this.conversations.delete(id);
    this.conversations.set(id, conv);
  }
}
