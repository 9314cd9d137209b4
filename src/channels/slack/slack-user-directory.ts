import type { webApi } from '@slack/bolt';
import type { Clock } from '../../core/clock.ts';
import type { Language } from '../../core/language.ts';
import { errorCode, type Logger, silentLogger } from '../../core/logger.ts';

export interface SlackUser {
  id: string;
  /** Display name (or real name); the id when Slack would not say. */
  name: string;
  /** From the user's Slack locale (de-DE → de); undefined when unknown. */
  language?: Language | undefined;
  /** The profile's e-mail (Slack verifies it at sign-up; needs the users:read.email scope). */
  email?: string | undefined;
  /** The Enterprise Grid organisation the user belongs to, if any. */
  enterprise?: string | undefined;
}

const TTL_MS = 60 * 60_000;
/** After a failed lookup: long enough that a busy conversation does not ask again per message. */
const FAILED_TTL_MS = 5 * 60_000;

/**
 * Names, locales, e-mails and grids of Slack users (users.info), cached for an hour. A failed
 * lookup is remembered for five minutes, and messages arriving while one is under way share it:
 * without that, every message of a user Slack cannot describe costs one more API call.
 */
export class SlackUserDirectory {
  private readonly cache = new Map<string, { user: SlackUser; until: number }>();
  private readonly underWay = new Map<string, Promise<SlackUser>>();

  constructor(
    private readonly client: webApi.WebClient,
    private readonly clock: Clock,
    private readonly log: Logger = silentLogger,
    /** Console accounts: a mapped member is named as their account, so Slack and console agree. */
    private readonly accounts?: { bySlackUser(slackUserId: string): Promise<{ name: string } | undefined> },
  ) {}

  async lookup(userId: string): Promise<SlackUser> {
    const user = await this.lookupProfile(userId);
    const account = await this.accounts?.bySlackUser(userId);
    return account ? { ...user, name: account.name } : user;
  }

  private lookupProfile(userId: string): Promise<SlackUser> {
    const cached = this.cache.get(userId);
    if (cached && cached.until > this.clock.now()) return Promise.resolve(cached.user);
    let asking = this.underWay.get(userId);
    if (!asking) {
      asking = this.ask(userId).finally(() => this.underWay.delete(userId));
      this.underWay.set(userId, asking);
    }
    return asking;
  }

  private async ask(userId: string): Promise<SlackUser> {
    let user: SlackUser = { id: userId, name: userId };
    try {
      const result = await this.client.users.info({ user: userId, include_locale: true });
      const profile = result.user?.profile;
      const name = profile?.display_name || profile?.real_name || result.user?.real_name || result.user?.name;
      const locale = result.user?.locale?.slice(0, 2);
      const email = profile?.email?.trim().toLowerCase();
      const enterprise = result.user?.enterprise_user?.enterprise_id;
      user = {
        id: userId,
        name: name || userId,
        language: locale === 'de' || locale === 'en' ? locale : undefined,
        ...(email && /^[^@\s]+@[^@\s]+$/.test(email) ? { email } : {}),
        ...(enterprise ? { enterprise } : {}),
      };
    } catch (error) {
      // A name is a nicety: go on with the id rather than fail the message.
      this.log.warn('slack user lookup failed', { code: errorCode(error), user: userId });
      this.cache.set(userId, { user, until: this.clock.now() + FAILED_TTL_MS });
      return user;
    }
    this.cache.set(userId, { user, until: this.clock.now() + TTL_MS });
    return user;
  }
}
