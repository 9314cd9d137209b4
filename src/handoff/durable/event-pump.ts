import { errorCode, errorMessage, type Logger, silentLogger } from '../../core/logger.ts';
import type { EffectClaim, EffectGuard, EventLog, LoggedEvent } from '../../store/ports.ts';

/** One effect of an event type: posting a ticket card, delivering a message. */
export interface EventHandler {
  /** Stable across processes and restarts: part of the effect's idempotency key. */
  name: string;
  type: string;
  /** The effect's identity, the same for a duplicate of the event (e.g. after a spool replay). */
  key(event: LoggedEvent): string;
  /** `retry`: an earlier attempt was cut off; the effect may have happened (check if possible). */
  handle(event: LoggedEvent, claim: Extract<EffectClaim, 'claimed' | 'retry'>): Promise<void>;
  /** Events that must stay in order with this one; after a failure later ones of the lane wait. */
  lane?(event: LoggedEvent): string | undefined;
}

export interface EventPumpOptions {
  events: EventLog;
  effects: EffectGuard;
  /** Consumer group: every process of the bot uses the same one. */
  group: string;
  /** This process, unique among the running ones. */
  consumer: string;
  log?: Logger | undefined;
  /** Idle poll interval. Default 100 ms. */
  pollMs?: number | undefined;
  /** An event a consumer took but did not finish is handed to another after this. Default 30 s. */
  reclaimAfterMs?: number | undefined;
  /** How long one attempt at an effect may take before another may try. Default 30 s. */
  leaseMs?: number | undefined;
  /** How long a finished effect is remembered. Default 7 days. */
  doneTtlMs?: number | undefined;
}

/**
 * Processes the durable event log at least once and makes each handler's effect happen once:
 * every effect is claimed under its idempotency key (EffectGuard) before it runs and marked done
 * after. An event is acknowledged only when all its effects are done, so a process that dies
 * midway leaves it to another process (after `reclaimAfterMs`). The one window left: a process
 * dying after the platform accepted an effect and before it was marked done; the retry is then
 * flagged as `retry`, for handlers that can check the platform.
 */
export class EventPump {
  private readonly handlers = new Map<string, EventHandler[]>();
  private readonly log: Logger;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private again = false;
  private stopped = true;

  constructor(private readonly options: EventPumpOptions) {
    this.log = options.log ?? silentLogger;
  }

  register(handler: EventHandler): void {
    const list = this.handlers.get(handler.type) ?? [];
    if (list.some((h) => h.name === handler.name)) {
      throw new Error(`an event handler named ${handler.name} is registered already`);
    }
    list.push(handler);
    this.handlers.set(handler.type, list);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  /** Stops polling and waits for the pass in progress. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.running?.catch(() => 0);
  }

  /** Something was appended: look now instead of at the next poll. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.schedule(0);
  }

  /**
   * Runs a pass that starts after this call (waiting for one in progress first), so an event
   * appended just before is handled before this resolves, unless a backlog of more than one
   * batch is ahead of it. Waits at most `maxWaitMs` (a slow platform must not hold up a turn);
   * the pass goes on in the background. Never rejects: failures are retried by later passes.
   */
  async flush(maxWaitMs = 2_000): Promise<void> {
    const pass = (async () => {
      if (this.running) await this.running;
      await this.drain();
    })().catch((error: unknown) => {
      this.log.warn('event pump pass failed, will retry', {
        code: errorCode(error),
        error: errorMessage(error),
      });
    });
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, maxWaitMs);
      timer.unref?.();
    });
    await Promise.race([pass, waited]);
    clearTimeout(timer);
  }

  /** One pass over what is there; returns how many events were finished. Tests call it directly. */
  async drain(): Promise<number> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = this.pass().finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.drain()
        .then((finished) => {
          const more = finished > 0 || this.again;
          this.again = false;
          this.schedule(more ? 0 : (this.options.pollMs ?? 100));
        })
        .catch((error: unknown) => {
          this.log.warn('event pump pass failed, will retry', {
            code: errorCode(error),
            error: errorMessage(error),
          });
          this.schedule(Math.max(1_000, this.options.pollMs ?? 100));
        });
    }, delay);
    this.timer.unref?.();
  }

  private async pass(): Promise<number> {
    const { events, group, consumer } = this.options;
    const batch = await events.read(group, consumer, {
      count: 100,
      reclaimAfterMs: this.options.reclaimAfterMs ?? 30_000,
    });
    const blockedLanes = new Set<string>();
    const finished: string[] = [];
    for (const event of batch) {
      if (await this.process(event, blockedLanes)) finished.push(event.id);
    }
    if (finished.length > 0) await events.ack(group, finished);
    return finished.length;
  }

  /** True when every effect of the event is done (or it has none). */
  private async process(event: LoggedEvent, blockedLanes: Set<string>): Promise<boolean> {
    const handlers = this.handlers.get(event.type) ?? [];
    let complete = true;
    for (const handler of handlers) {
      const lane = handler.lane?.(event);
      if (lane !== undefined && blockedLanes.has(lane)) {
        complete = false;
        continue;
      }
      const ok = await this.runEffect(handler, event);
      if (!ok) {
        complete = false;
        if (lane !== undefined) blockedLanes.add(lane);
      }
    }
    return complete;
  }

  private async runEffect(handler: EventHandler, event: LoggedEvent): Promise<boolean> {
    const { effects } = this.options;
    const key = `${handler.name}:${handler.key(event)}`;
    const claim = await effects.claim(key, this.options.leaseMs ?? 30_000);
    if (claim === 'done') return true;
    // Someone else is on it right now; leave the event unacknowledged and look again later.
    if (claim === 'busy') return false;
    try {
      await handler.handle(event, claim);
    } catch (error) {
      this.log.warn('event effect failed, will retry', {
        code: errorCode(error),
        error: errorMessage(error),
        handler: handler.name,
        eventId: event.id,
      });
      await effects.release(key);
      return false;
    }
    await effects.done(key, this.options.doneTtlMs ?? 7 * 24 * 60 * 60_000);
    return true;
  }
}
