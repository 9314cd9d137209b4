import type { Redis } from 'ioredis';
import type { Account } from '../../core/account.ts';
import type {
  AccountStore,
  LoggedQuestion,
  QuestionLog,
  QuestionOutcome,
  SettingsSnapshot,
  SettingsStore,
} from '../../core/ports.ts';
import { luaScript } from './lua-script.ts';
import { RedisChangeFeed } from './redis-change-feed.ts';
import type { RedisKeys } from './redis-keys.ts';
import { CappedRedisList } from './redis-lists.ts';

/** Puts an account and its token index together. KEYS: accounts, tokens. ARGV: id, JSON, hash. */
const putAccount = luaScript('put-account', 2);

/** Removes an account and its token. KEYS: accounts, tokens. ARGV: id. */
const removeAccount = luaScript('remove-account', 2);

export class RedisAccountStore implements AccountStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  async list(): Promise<Account[]> {
    const all = await this.redis.hvals(this.keys.accounts());
    return all.map((json) => JSON.parse(json) as Account).sort((a, b) => a.id.localeCompare(b.id));
  }

  async findByTokenHash(tokenHash: string): Promise<Account | undefined> {
    const id = await this.redis.hget(this.keys.accountTokens(), tokenHash);
    const json = id === null ? null : await this.redis.hget(this.keys.accounts(), id);
    return json === null ? undefined : (JSON.parse(json) as Account);
  }

  async put(account: Account): Promise<void> {
    await putAccount.run(
      this.redis,
      [this.keys.accounts(), this.keys.accountTokens()],
      [account.id, JSON.stringify(account), account.tokenHash],
    );
  }

  async remove(id: string): Promise<boolean> {
    return (
      (await removeAccount.run(this.redis, [this.keys.accounts(), this.keys.accountTokens()], [id])) === 1
    );
  }
}

/** Sets a value under the next version. KEYS: version, values. ARGV: key, JSON. */
const setValue = luaScript('set-value', 2);

export class RedisSettingsStore implements SettingsStore {
  private readonly feed: RedisChangeFeed;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    warn: (message: string) => void,
  ) {
    this.feed = new RedisChangeFeed(redis, keys.settingsChannel(), keys.settingsVersion(), 'settings', warn);
  }

  async current(): Promise<SettingsSnapshot> {
    const [version, values] = await Promise.all([
      this.redis.get(this.keys.settingsVersion()),
      this.redis.hgetall(this.keys.settingsValues()),
    ]);
    return {
      version: Number(version ?? 0),
      values: Object.fromEntries(Object.entries(values).map(([key, json]) => [key, JSON.parse(json)])),
    };
  }

  async set(key: string, value: unknown): Promise<SettingsSnapshot> {
    const version = Number(
      await setValue.run(
        this.redis,
        [this.keys.settingsVersion(), this.keys.settingsValues()],
        [key, JSON.stringify(value)],
      ),
    );
    await this.feed.publish(version);
    return this.current();
  }

  onChange(listener: (version: number) => void): () => void {
    return this.feed.onChange(listener);
  }

  close(): Promise<void> {
    return this.feed.close();
  }
}

export class RedisQuestionLog implements QuestionLog {
  private readonly questions: CappedRedisList<LoggedQuestion>;
  private readonly outcomeList: CappedRedisList<QuestionOutcome>;

  constructor(redis: Redis, keys: RedisKeys, cap: number) {
    this.questions = new CappedRedisList(redis, keys.questions(), cap);
    this.outcomeList = new CappedRedisList(redis, keys.outcomes(), cap);
  }

  add(question: LoggedQuestion): Promise<void> {
    return this.questions.push(question);
  }

  addOutcome(outcome: QuestionOutcome): Promise<void> {
    return this.outcomeList.push(outcome);
  }

  list(limit?: number): Promise<LoggedQuestion[]> {
    return this.questions.newest(limit);
  }

  outcomes(limit?: number): Promise<QuestionOutcome[]> {
    return this.outcomeList.newest(limit);
  }
}
