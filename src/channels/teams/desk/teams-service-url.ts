import type { Logger } from '../../../core/logger.ts';
import { errorCode, errorMessage } from '../../../core/logger.ts';
import type { SettingsStore } from '../../../store/ports.ts';

/** The settings key every process reads the team's connector from. */
export const TEAMS_SERVICE_URL_SETTING = 'teams.serviceUrl';

/**
 * Which Bot Connector the team's channels are served by. Teams names it in every activity it
 * sends; Microsoft recommends keeping the latest for proactive posts. It is kept in the stores'
 * settings, so every process (and the next start) posts new cards there, not only the one that
 * heard from the team; until then TEAMS_SERVICE_URL.
 */
export class TeamsServiceUrl {
  private known: string | undefined;

  constructor(
    private readonly settings: Pick<SettingsStore, 'current' | 'set'>,
    private readonly fallback: string,
    private readonly log: Logger,
  ) {}

  async get(): Promise<string> {
    const stored = (await this.settings.current()).values[TEAMS_SERVICE_URL_SETTING];
    if (typeof stored === 'string' && URL.canParse(stored)) this.known = stored;
    return this.known ?? this.fallback;
  }

  /** An activity from the team came through this connector. */
  async learn(serviceUrl: string): Promise<void> {
    if (serviceUrl === this.known || !URL.canParse(serviceUrl)) return;
    this.known = serviceUrl;
    try {
      await this.settings.set(TEAMS_SERVICE_URL_SETTING, serviceUrl);
      this.log.info('teams agent channels served by', { serviceUrl });
    } catch (error) {
      // This process still uses it; the others keep theirs until the next activity.
      this.log.warn('teams service url not kept', { code: errorCode(error), error: errorMessage(error) });
    }
  }
}
