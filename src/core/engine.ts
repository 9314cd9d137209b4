import type { SupportConfig } from '../handoff/support-config.ts';
import type { Stores } from '../store/ports.ts';
import { type Clock, systemClock } from './clock.ts';
import { ConversationLocks } from './conversation-locks.ts';
import type { ReplySink } from './delivery.ts';
import type { KnowledgeLookup } from './knowledge-lookup.ts';
import type { Language } from './language.ts';
import { errorCode, errorMessage, type Logger, silentLogger } from './logger.ts';
import type { Matcher, MatchThresholds } from './match.ts';
import type { Reply } from './reply.ts';
import { TicketEventHub, type TicketListener } from './ticket-events.ts';
import type { Turn } from './turn.ts';

export interface EngineDeps {
  /** Understanding: intents + FAQ candidates (src/understanding/understanding.ts). */
  matcher: Matcher;
  /** FAQ entries by id (Understanding implements this too). */
  knowledge: KnowledgeLookup;
  stores: Stores;
  /** config/support.yaml, loaded with loadSupportConfig. */
  support: SupportConfig;
  thresholds: MatchThresholds;
  /** Proactive messages (e.g. to others' conversations); replies to a turn are returned instead. */
  delivery: ReplySink;
  clock?: Clock;
  /** Shared with the AgentDesk and the SlaWatcher; created when absent (see engine.ticketEvents). */
  ticketEvents?: TicketEventHub;
  /** Subscribed to ticketEvents at construction. */
  ticketListeners?: TicketListener[];
  /** Shared with the AgentDesk so agent actions and customer turns never interleave. */
  locks?: ConversationLocks;
  log?: Logger;
  /** How long a turn id is remembered for de-duplication (default 24 h). */
  dedupeTtlMs?: number;
}

/**
 * The conversation engine: one turn in, the replies out. The conversation's owner decides who
 * speaks (bot, intake, queued, agent, closed). One error boundary per turn; never throws.
 */
export class Engine {
  readonly ticketEvents: TicketEventHub;
  readonly locks: ConversationLocks;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly dedupeTtlMs: number;

  constructor(private readonly deps: EngineDeps) {
    this.clock = deps.clock ?? systemClock;
    this.log = deps.log ?? silentLogger;
    this.ticketEvents = deps.ticketEvents ?? new TicketEventHub(this.log);
    for (const listener of deps.ticketListeners ?? []) this.ticketEvents.subscribe(listener);
    this.locks = deps.locks ?? new ConversationLocks();
    this.dedupeTtlMs = deps.dedupeTtlMs ?? 24 * 60 * 60_000;
  }

  async handle(turn: Turn): Promise<Reply[]> {
    const language: Language = turn.locale ?? 'en';
    try {
      const first = await this.deps.stores.dedupe.firstSeen(`turn:${turn.id}`, this.dedupeTtlMs);
      if (!first) {
        this.log.info('duplicate turn ignored', {
          turnId: turn.id,
          conversationId: turn.conversation.conversationId,
        });
        return [];
      }
      return await this.locks.run(turn.conversation.conversationId, () => this.process(turn));
    } catch (error) {
      this.log.error('turn failed', {
        code: errorCode(error),
        error: errorMessage(error),
        turnId: turn.id,
        conversationId: turn.conversation.conversationId,
      });
      return [this.apology(language)];
    }
  }

  private async process(turn: Turn): Promise<Reply[]> {
    void this.clock;
    const language: Language = turn.locale ?? 'en';
    return [{ type: 'notice', text: '…', actions: [], language }];
  }

  private apology(language: Language): Reply {
    return {
      type: 'notice',
      text:
        language === 'de'
          ? 'Entschuldigung, da ist bei mir etwas schiefgegangen. Möchten Sie mit einer Person sprechen?'
          : 'Sorry, something went wrong on my side. Would you like to talk to a person?',
      actions: [
        {
          type: 'talk-to-person',
          label: language === 'de' ? 'Mit einer Person sprechen' : 'Talk to a person',
        },
      ],
      language,
    };
  }
}
