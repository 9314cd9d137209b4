import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AccountDirectory } from '../../../../src/admin/accounts/account-directory.ts';
import { ManualClock } from '../../../../src/core/clock.ts';
import type { Stores } from '../../../../src/core/ports.ts';
import { createEmbeddedStores } from '../../../../src/store/embedded/embedded-stores.ts';

describe('who a Slack or Teams sender is among the console accounts', () => {
  let stores: Stores;
  const clock = new ManualClock(Date.UTC(2026, 0, 5, 9));

  beforeEach(async () => {
    stores = await createEmbeddedStores({ clock });
  });
  afterEach(async () => {
    await stores.close();
  });

  it('shows a change made through the same directory at once', async () => {
    const directory = new AccountDirectory(stores, clock);
    expect(await directory.bySlackUser('U0HANS')).toBeUndefined();
    await directory.add({ name: 'Hans Müller', role: 'agent', slackUserId: 'U0HANS' }, 'test');
    expect((await directory.bySlackUser('U0HANS'))?.name).toBe('Hans Müller');
    expect(await directory.remove('Hans Müller', 'test')).toBe(true);
    expect(await directory.bySlackUser('U0HANS')).toBeUndefined();
  });

  it("reads the accounts once for many messages, and sees another process's change within two seconds", async () => {
    let reads = 0;
    const counted: Stores = {
      ...stores,
      accounts: {
        ...stores.accounts,
        list: () => {
          reads += 1;
          return stores.accounts.list();
        },
      },
    };
    const bot = new AccountDirectory(counted, clock);
    const other = new AccountDirectory(stores, clock);
    for (let i = 0; i < 50; i++) expect(await bot.bySlackUser('U0HANS')).toBeUndefined();
    expect(reads).toBe(1);
    await other.add(
      { name: 'Hans Müller', role: 'agent', teamsUserId: '2a1e7c7e-4c1b-4b8e-9f0a-1d2c3b4a5f60' },
      'test',
    );
    clock.advance(1_000);
    expect(await bot.byTeamsUser('2A1E7C7E-4C1B-4B8E-9F0A-1D2C3B4A5F60')).toBeUndefined();
    clock.advance(1_001);
    expect((await bot.byTeamsUser('2A1E7C7E-4C1B-4B8E-9F0A-1D2C3B4A5F60'))?.name).toBe('Hans Müller');
    expect(reads).toBe(2);
  });
});
