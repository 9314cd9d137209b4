import { z } from 'zod';
import { errorMessage, type Logger, silentLogger } from '../../core/logger.ts';
import type { MatchThresholds } from '../../core/match.ts';
import type { SettingsStore } from '../../core/ports.ts';

/** The setting's key in the settings store. */
export const MATCHING_KEY = 'matching';

export const MatchThresholdsSchema = z
  .object({
    threshold: z.number().min(0).max(1),
    margin: z.number().min(0).max(1),
  })
  .strict();

/**
 * MATCH_THRESHOLD and MATCH_MARGIN as the engine reads them on every message: the configured
 * values until a curator sets others in the console, which are kept in the stores' settings and
 * reach every process (change notification, and a poll for one missed while disconnected).
 */
export class MatchSettings implements MatchThresholds {
  #values: MatchThresholds;
  #unsubscribe: (() => void) | undefined;
  #poll: NodeJS.Timeout | undefined;

  constructor(
    readonly defaults: MatchThresholds,
    private readonly store: SettingsStore,
    private readonly log: Logger = silentLogger,
  ) {
    this.#values = { ...defaults };
  }

  get threshold(): number {
    return this.#values.threshold;
  }

  get margin(): number {
    return this.#values.margin;
  }

  /** A copy of the values in force. */
  get current(): MatchThresholds {
    return { ...this.#values };
  }

  async start(pollMs = 60_000): Promise<void> {
    this.#unsubscribe ??= this.store.onChange(() => {
      this.refresh().catch((error: unknown) =>
        this.log.warn('match settings not read after a change', { error: errorMessage(error) }),
      );
    });
    await this.refresh();
    if (pollMs > 0 && !this.#poll) {
      this.#poll = setInterval(() => void this.refresh().catch(() => undefined), pollMs);
      this.#poll.unref();
    }
  }

  stop(): void {
    this.#unsubscribe?.();
    this.#unsubscribe = undefined;
    if (this.#poll) clearInterval(this.#poll);
    this.#poll = undefined;
  }

  async refresh(): Promise<void> {
    const stored = (await this.store.current()).values[MATCHING_KEY];
    if (stored === undefined) return;
    const parsed = MatchThresholdsSchema.safeParse(stored);
    if (parsed.success) this.#values = parsed.data;
    else this.log.warn('stored match settings are not valid; keeping the current ones', { stored });
  }

  /** Sets new values for every process; returns those before. */
  async set(next: MatchThresholds): Promise<MatchThresholds> {
    const before = this.current;
    await this.store.set(MATCHING_KEY, { threshold: next.threshold, margin: next.margin });
    await this.refresh();
    return before;
  }
}
