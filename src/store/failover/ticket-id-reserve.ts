import { StoreError } from '../../core/errors.ts';
import type { Spool } from './spool.ts';
import { isAway } from './spooled-ports.ts';

/** Ticket numbers kept in reserve, for hand-offs while Redis is away. */
const RESERVE_LOW = 10;
const RESERVE_BATCH = 25;

/**
 * Ticket numbers come in blocks reserved from Redis and kept in the spool: one process numbers
 * its tickets in order, several processes interleave blocks (unique, but not in time order across
 * processes), and a process keeps numbering from its reserve while Redis is away.
 */
export class TicketIdReserve {
  private reserving: Promise<void> | undefined;

  constructor(
    private readonly spool: Spool,
    private readonly reserveIds: (count: number) => Promise<string[]>,
    private readonly ready: () => boolean,
  ) {}

  async next(): Promise<string> {
    for (;;) {
      const reserved = this.spool.takeReservedId();
      if (reserved) return reserved;
      if (!this.ready()) break;
      try {
        await this.ensure(1);
      } catch (error) {
        if (!isAway(error)) throw error;
        break;
      }
    }
    throw new StoreError('store_unavailable', 'Redis is away and no reserved ticket number is left.');
  }

  /** Background upkeep while Redis answers: a new block once the reserve runs low. */
  async topUp(): Promise<void> {
    await this.ensure(RESERVE_LOW);
  }

  /** One reservation at a time, so the reserve stays in ascending order. */
  private async ensure(atLeast: number): Promise<void> {
    while (this.reserving) await this.reserving;
    if (this.spool.reservedCount >= atLeast) return;
    this.reserving = this.reserveIds(RESERVE_BATCH)
      .then((ids) => this.spool.addReservedIds(ids))
      .finally(() => {
        this.reserving = undefined;
      });
    await this.reserving;
  }
}
