import type { Clock } from '../core/clock.ts';
import { errorMessage, type Logger, silentLogger } from '../core/logger.ts';
import type { IncidentDesk } from './incident-desk.ts';

/** How often a process looks for maintenance windows whose end has come. */
const CHECK_MS = 60_000;

/** Ends maintenance windows at their end (see IncidentDesk.endDue), once a minute in every process. */
export class AnnouncementSchedule {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly desk: IncidentDesk,
    private readonly clock: Clock,
    private readonly log: Logger = silentLogger,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => void this.check(), CHECK_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  async check(): Promise<void> {
    try {
      const ended = await this.desk.endDue(this.clock.now());
      if (ended > 0) this.log.info('maintenance windows over', { ended });
    } catch (error) {
      // The next minute tries again; a store away now is no reason to stop.
      this.log.warn('maintenance windows not checked', { error: errorMessage(error) });
    }
  }
}
